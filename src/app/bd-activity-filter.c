/* bd-activity-filter.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-activity-filter"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-activity-filter.h"

/* The model of Activity's filter dropdown, what each item reads and which
 * subscription it stands for. The page owns it and frees it after its
 * template (the dropdown) is gone.
 */
struct _BdActivityFilter
{
  GtkDropDown *dropdown;  /* the page's template child */
  GListStore  *items;     /* a list of "All Subscriptions", then one of the subscriptions */
};

/* What the dropdown shows and searches for an item. */
static char *
item_label (GObject          *item,
            BdActivityFilter *self)
{
  if (BD_IS_SUBSCRIPTION (item))
    return g_strdup (bd_subscription_get_product_name (BD_SUBSCRIPTION (item)));
  if (GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  return NULL;
}

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_list_item_set_child (list_item, label);
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            BdActivityFilter         *self)
{
  g_autofree char *text = item_label (gtk_list_item_get_item (list_item), self);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
}

/**
 * bd_activity_filter_new:
 * @dropdown: the page's dropdown, "All Subscriptions" selected
 *
 * Returns: (transfer full): the filter of @dropdown, with no subscription yet
 */
BdActivityFilter *
bd_activity_filter_new (GtkDropDown *dropdown)
{
  BdActivityFilter *self = g_new0 (BdActivityFilter, 1);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkStringObject) all = gtk_string_object_new (_("All Subscriptions"));
  g_autoptr(GListStore) head = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(GListModel) model = NULL;
  GtkExpression *expression;

  self->dropdown = dropdown;

  /* "All Subscriptions" first, then a list of the subscriptions (a
   * GListStore of one GListModel, replaced by set_subscriptions ()).
   */
  self->items = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (head, all);
  g_list_store_append (self->items, head);
  model = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (g_object_ref (self->items))));

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cb), self);
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (item_label), self, NULL);
  gtk_drop_down_set_factory (dropdown, factory);
  gtk_drop_down_set_expression (dropdown, expression);
  gtk_drop_down_set_model (dropdown, model);
  gtk_drop_down_set_selected (dropdown, 0);
  gtk_expression_unref (expression);

  return self;
}

void
bd_activity_filter_free (BdActivityFilter *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->items);
  g_free (self);
}

/**
 * bd_activity_filter_set_subscriptions:
 * @subscriptions: the subscriptions to choose from
 *
 * The filter keeps the list as it is now: a copy, not the live list, so a
 * refresh of Your Products moves no selection under the person choosing.
 * The dropdown's selection may change meanwhile.
 */
void
bd_activity_filter_set_subscriptions (BdActivityFilter *self,
                                      GListModel       *subscriptions)
{
  g_autoptr(GListStore) copy = g_list_store_new (BD_TYPE_SUBSCRIPTION);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (subscriptions);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (subscriptions, i));
  g_list_store_splice (copy, 0, 0, items->pdata, items->len);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) > 1)
    g_list_store_remove (self->items, 1);
  g_list_store_append (self->items, copy);
}

/**
 * bd_activity_filter_find:
 * @id: (nullable): a subscription's id, or %NULL for all
 *
 * Returns: the dropdown's position of @id: 0 for %NULL, or
 *   %GTK_INVALID_LIST_POSITION for a subscription it does not list
 */
guint
bd_activity_filter_find (BdActivityFilter *self,
                         const char       *id)
{
  GListModel *items = gtk_drop_down_get_model (self->dropdown);
  guint n = g_list_model_get_n_items (items);

  if (id == NULL)
    return 0;

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (items, i);

      if (g_strcmp0 (bd_activity_filter_item_id (item), id) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/**
 * bd_activity_filter_item_id:
 * @item: (nullable): an item of the dropdown
 *
 * Returns: (nullable): the subscription @item stands for, or %NULL for
 *   "All Subscriptions"
 */
const char *
bd_activity_filter_item_id (gpointer item)
{
  return BD_IS_SUBSCRIPTION (item) ? bd_subscription_get_id (item) : NULL;
}
