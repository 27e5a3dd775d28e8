/* bd-products-page-search.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-products-page"

#include "config.h"

#include <string.h>

#include "bd-products-page-private.h"

/* Your Products' search and status filter: what of the list is shown. */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  BdProductsPage *self = user_data;
  BdSubscription *subscription = item;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint selected = gtk_drop_down_get_selected (self->status_filter);

  /* 0 is "All Statuses"; then Active, Expired, Disabled, as BdStatus. */
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 &&
      bd_subscription_get_status (subscription) != (BdStatus) (selected - 1))
    return FALSE;

  if (search != NULL && *search != '\0')
    {
      g_autofree char *haystack = g_utf8_casefold (bd_subscription_get_product_name (subscription),
                                                   -1);
      g_autofree char *needle = g_utf8_casefold (search, -1);

      return strstr (haystack, needle) != NULL;
    }

  return TRUE;
}

static void
refilter (BdProductsPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  _bd_products_page_update_state (self);
}

/* The search's text or the status filter changed. */
static void
on_filter_changed_cb (BdProductsPage *self)
{
  refilter (self);
}

static void
on_stop_search_cb (BdProductsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/*
 * Private API
 */

GtkCustomFilter *
_bd_products_page_new_filter (BdProductsPage *self)
{
  return gtk_custom_filter_new (filter_func, self, NULL);
}

void
_bd_products_page_class_init_search (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
}

/*
 * Public API
 */

void
bd_products_page_focus_search (BdProductsPage *self)
{
  g_return_if_fail (BD_IS_PRODUCTS_PAGE (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * bd_products_page_get_search_bar:
 *
 * Returns: (transfer none): the search bar, for the window's search button
 */
GtkSearchBar *
bd_products_page_get_search_bar (BdProductsPage *self)
{
  g_return_val_if_fail (BD_IS_PRODUCTS_PAGE (self), NULL);

  return self->search_bar;
}

/**
 * bd_products_page_get_shown:
 *
 * Returns: (transfer none): the subscriptions the search and the status
 *   filter let through, as listed
 */
GListModel *
bd_products_page_get_shown (BdProductsPage *self)
{
  g_return_val_if_fail (BD_IS_PRODUCTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

/**
 * bd_products_page_set_search:
 *
 * Searches for @text as if typed into the search entry.
 */
void
bd_products_page_set_search (BdProductsPage *self,
                             const char     *text)
{
  g_return_if_fail (BD_IS_PRODUCTS_PAGE (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* search-changed comes after a delay; the filter follows the text at once. */
  refilter (self);
}
