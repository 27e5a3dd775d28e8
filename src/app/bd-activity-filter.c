/* bd-activity-filter.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-activity-filter"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-activity-filter.h"
#include "bd-format.h"

/* The model of Activity's filter dropdown, what each item reads and which
 * subscription it stands for. The page owns it and frees it after its
 * template (the dropdown) is gone.
 */
struct _BdActivityFilter
{
  GtkDropDown *dropdown;  /* the page's template child */
  GListStore  *items;     /* a list of "All Subscriptions", then one of the subscriptions */
  GHashTable  *products;  /* product name -> GPtrArray of its subscriptions (the copy's) */
};

/* A subscription as the dropdown names it: its product; where another
 * subscription is of the same product, with its licenses, as the Cancel
 * Subscription pane's subtitle has them (the licenses change, the name
 * does not); and where one of those has as many, with its id too.
 */
static char *
subscription_label (BdActivityFilter *self,
                    BdSubscription   *subscription)
{
  const char *name = bd_subscription_get_product_name (subscription);
  GPtrArray *same = g_hash_table_lookup (self->products, name);
  guint quantity = bd_subscription_get_quantity (subscription);
  g_autofree char *count = NULL;
  g_autofree char *licenses = NULL;
  gboolean tied = FALSE;

  if (same == NULL || same->len < 2)
    return g_strdup (name);

  for (guint i = 0; i < same->len; i++)
    tied |= same->pdata[i] != subscription &&
            bd_subscription_get_quantity (same->pdata[i]) == quantity;

  count = bd_format_count (quantity);
  licenses = g_strdup_printf (ngettext ("%1$s – %2$s license", "%1$s – %2$s licenses", quantity),
                              name, count);
  if (!tied)
    return g_steal_pointer (&licenses);

  /* Translators: in Activity's filter, one of several subscriptions of
   * the same product with as many licenses: %1$s is the product and its
   * licenses ("Microsoft 365 Business Premium – 10 licenses"), %2$s the
   * subscription's id
   */
  return g_strdup_printf (_("%1$s (%2$s)"), licenses, bd_subscription_get_id (subscription));
}

/* What the dropdown shows and searches for an item. */
static char *
item_label (GObject          *item,
            BdActivityFilter *self)
{
  if (BD_IS_SUBSCRIPTION (item))
    return subscription_label (self, BD_SUBSCRIPTION (item));
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
  /* In the middle: the end tells two of the same product apart. */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
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
  self->products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);

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
  g_clear_pointer (&self->products, g_hash_table_unref);
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

  /* The subscriptions of each product, which the copy keeps alive. */
  g_hash_table_remove_all (self->products);
  for (guint i = 0; i < n; i++)
    {
      BdSubscription *subscription = g_list_model_get_item (subscriptions, i);
      const char *name = bd_subscription_get_product_name (subscription);
      GPtrArray *same = g_hash_table_lookup (self->products, name);

      if (same == NULL)
        {
          same = g_ptr_array_new ();
          g_hash_table_insert (self->products, g_strdup (name), same);
        }
      g_ptr_array_add (same, subscription);
      g_ptr_array_add (items, subscription);
    }
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
