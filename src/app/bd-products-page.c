/* bd-products-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-products-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-format.h"
#include "bd-product-row.h"
#include "bd-products-page-private.h"

/* A first page about what a window shows (a first piece of rows,
 * bd-products-page-pieces.c), so that 100,000 rows show their first soon;
 * then the largest pages the service gives (the client replaces nextLink's
 * top).
 */
#define TOP(next_link) ((next_link) != NULL ? 500 : 25)

/* Your Products: the subscriptions of the tenant, fetched page by page
 * into a GListStore, filtered by name and status, with loading, empty,
 * error, offline and signed-out states (bd-products-page-private.h).
 */
G_DEFINE_FINAL_TYPE (BdProductsPage, bd_products_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_OFFLINE,
  PROP_SELECTION_MODE,
  N_PROPS
};

enum {
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void load_page (BdProductsPage *self,
                       const char     *next_link);

/* The service's clock now: as last read, moved on by the time since. */
static gint64
service_now (BdProductsPage *self)
{
  if (self->server_time == BD_TIME_NONE)
    return BD_TIME_NONE;

  return self->server_time + (g_get_monotonic_time () - self->server_time_at) / G_USEC_PER_SEC;
}

static void
set_loading (BdProductsPage *self,
             gboolean        loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

void
_bd_products_page_update_state (BdProductsPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  const char *shown_page = gtk_stack_get_visible_child_name (self->stack);
  g_autofree char *number = bd_format_count (shown);
  g_autofree char *count = NULL;
  const char *page;

  if (total == 0 && self->loading)
    page = "loading";
  else if (total == 0 && (g_strcmp0 (shown_page, "error") == 0 ||
                          g_strcmp0 (shown_page, "signed-out") == 0))
    page = shown_page;
  else if (total == 0)
    page = "empty";
  else if (shown == 0)
    page = "no-results";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->stack, page);

  count = g_strdup_printf (ngettext ("%s product", "%s products", shown), number);
  gtk_label_set_label (self->count_label, total > 0 ? count : "");
}

static void
clear_incoming (BdProductsPage *self)
{
  g_clear_pointer (&self->incoming, g_hash_table_unref);
  g_clear_pointer (&self->incoming_order, g_ptr_array_unref);
}

/* A reload is merged into the rows shown: rows update in place, as after
 * an action, instead of being rebuilt.
 */
static void
merge_incoming (BdProductsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(BdSubscription) current = g_list_model_get_item (G_LIST_MODEL (self->store), i - 1);
      BdSubscription *fresh = g_hash_table_lookup (self->incoming,
                                                   bd_subscription_get_id (current));

      if (fresh == NULL)
        {
          g_list_store_remove (self->store, i - 1);
          continue;
        }

      bd_subscription_update (current, bd_subscription_get_data (fresh));
      g_hash_table_remove (self->incoming, bd_subscription_get_id (current));
    }

  /* New ones go in the service's order (product name, then id): the order
   * they came in, which the table does not keep.
   */
  for (guint i = 0; i < self->incoming_order->len; i++)
    {
      BdSubscription *fresh = g_ptr_array_index (self->incoming_order, i);
      const char *id = bd_subscription_get_id (fresh);

      /* Only the last copy of one listed twice (it moved between pages). */
      if (g_hash_table_lookup (self->incoming, id) == fresh)
        {
          g_list_store_append (self->store, fresh);
          g_hash_table_remove (self->incoming, id);
        }
    }

  clear_incoming (self);
}

static void
list_subscriptions_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  BdClient *client = BD_CLIENT (object);
  BdProductsPage *self = user_data;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_link = NULL;

  page = bd_client_list_subscriptions_finish (client, result, &next_link, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (page == NULL)
    {
      clear_incoming (self);
      _bd_products_page_clear_pending (self);
      set_loading (self, FALSE);

      /* The token is refused (revoked, expired, its user disabled): the rows
       * are no longer this account's to see, and every change would be refused.
       */
      if (bd_client_error_get_api_code (error) == BD_ERROR_CODE_UNAUTHENTICATED)
        _bd_products_page_show_signed_out (self, NULL);
      else if (_bd_products_page_is_offline_error (error) && self->service_url != NULL)
        _bd_products_page_go_offline (self, error);
      else
        _bd_products_page_report_failure (self, error->message);
      return;
    }

  if (self->incoming != NULL)
    {
      for (guint i = 0; i < page->len; i++)
        {
          BdSubscription *subscription = g_ptr_array_index (page, i);

          g_hash_table_replace (self->incoming, (gpointer) bd_subscription_get_id (subscription),
                                g_object_ref (subscription));
          g_ptr_array_add (self->incoming_order, g_object_ref (subscription));
        }
    }
  else
    _bd_products_page_queue_rows (self, page);

  if (next_link != NULL)
    {
      load_page (self, next_link);
      _bd_products_page_update_state (self);
      return;
    }

  if (self->incoming != NULL)
    merge_incoming (self);

  self->last_page_in = TRUE;
  if (self->splice_id == 0)
    _bd_products_page_finish_load (self);
}

/* Every page in and spliced (bd-products-page-pieces.c). */
void
_bd_products_page_finish_load (BdProductsPage *self)
{
  self->last_page_in = FALSE;
  g_debug ("All %u rows loaded at %" G_GINT64_FORMAT " µs",
           g_list_model_get_n_items (G_LIST_MODEL (self->store)), g_get_monotonic_time ());

  /* The whole list, live: the cached one goes, and this one is kept. */
  set_loading (self, FALSE);
  self->list_complete = TRUE;
  self->loaded_at = g_get_real_time () / G_USEC_PER_SEC;
  _bd_products_page_leave_offline (self);
  _bd_products_page_save_cache (self);
  _bd_products_page_update_state (self);
}

/**
 * _bd_products_page_report_failure:
 * @message: why the list could not be loaded, translated
 *
 * Without rows, the error page says it; rows shown stay, and the window
 * says it in a toast.
 */
void
_bd_products_page_report_failure (BdProductsPage *self,
                                  const char     *message)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    bd_products_page_show_error (self, NULL, message);
  else
    g_signal_emit (self, signals [LOAD_FAILED], 0, message);
}

static const char *
profile_name (BdProductsPage *self,
              BdSubscription *subscription)
{
  const char *id = bd_subscription_get_data (subscription)->billing_profile_id;

  return id != NULL ? g_hash_table_lookup (self->profile_names, id) : NULL;
}

/* Rows bound before the clock or the profile names were known say them
 * now; and whether they may be acted on.
 */
void
_bd_products_page_refresh_rows (BdProductsPage *self)
{
  for (guint i = 0; i < self->bound_rows->len; i++)
    {
      BdProductRow *row = g_ptr_array_index (self->bound_rows, i);
      BdSubscription *subscription = bd_product_row_get_subscription (row);

      bd_product_row_set_unavailable (row, _bd_products_page_unavailable_reason (self));
      if (subscription != NULL)
        bd_product_row_set_subscription (row, subscription, profile_name (self, subscription),
                                         service_now (self));
    }
}

void
_bd_products_page_set_profile_names (BdProductsPage *self,
                                     GPtrArray      *profiles)
{
  g_hash_table_remove_all (self->profile_names);
  for (guint i = 0; i < profiles->len; i++)
    {
      BdBillingProfile *profile = g_ptr_array_index (profiles, i);

      g_hash_table_insert (self->profile_names, g_strdup (bd_billing_profile_get_id (profile)),
                           g_strdup (bd_billing_profile_get_display_name (profile)));
    }

  _bd_products_page_refresh_rows (self);
}

static void
list_billing_profiles_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  BdProductsPage *self = user_data;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GError) error = NULL;

  profiles = bd_client_list_billing_profiles_finish (BD_CLIENT (object), result, &error);
  if (profiles == NULL)
    {
      /* The rows say "Billing profile" without its name: worth a debug line, no more. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Billing profiles not loaded: %s", error->message);
      return;
    }

  g_clear_pointer (&self->billing_profiles, g_ptr_array_unref);
  self->billing_profiles = g_ptr_array_ref (profiles);
  _bd_products_page_set_profile_names (self, profiles);
  _bd_products_page_save_cache (self);
}

static void
load_page (BdProductsPage *self,
           const char     *next_link)
{
  bd_client_list_subscriptions_async (self->client, next_link, TOP (next_link), self->cancellable,
                                      list_subscriptions_cb, self);
}

/* GTK 4.8's list items take the focus themselves, so the keys that open a
 * row's menu are bound here and find the row from the focus.
 */
static void
page_popup_row_menu_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *w = focus; w != NULL && w != widget; w = gtk_widget_get_parent (w))
    {
      GtkWidget *child = gtk_widget_get_first_child (w);

      if (BD_IS_PRODUCT_ROW (w))
        {
          bd_product_row_popup_menu (BD_PRODUCT_ROW (w));
          return;
        }
      if (child != NULL && BD_IS_PRODUCT_ROW (child))
        {
          bd_product_row_popup_menu (BD_PRODUCT_ROW (child));
          return;
        }
    }
}

static void
page_reload_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  bd_products_page_reload (BD_PRODUCTS_PAGE (widget));
}

/*
 * List item factory
 */

static void
on_factory_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     BdProductsPage           *self)
{
  gtk_list_item_set_child (item, GTK_WIDGET (bd_product_row_new ()));
  _bd_products_page_setup_selection (self, item);
}

static void
on_factory_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    BdProductsPage           *self)
{
  BdProductRow *row = BD_PRODUCT_ROW (gtk_list_item_get_child (item));

  bd_product_row_set_unavailable (row, _bd_products_page_unavailable_reason (self));
  bd_product_row_set_subscription (row, gtk_list_item_get_item (item),
                                   profile_name (self, gtk_list_item_get_item (item)),
                                   service_now (self));
  g_ptr_array_add (self->bound_rows, row);
  _bd_products_page_bind_selection (self, item);
}

static void
on_factory_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      BdProductsPage           *self)
{
  BdProductRow *row = BD_PRODUCT_ROW (gtk_list_item_get_child (item));

  g_ptr_array_remove_fast (self->bound_rows, row);
  bd_product_row_set_subscription (row, NULL, NULL, BD_TIME_NONE);
}

/*
 * GObject overrides
 */

static void
bd_products_page_dispose (GObject *object)
{
  BdProductsPage *self = (BdProductsPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  _bd_products_page_dispose_selection (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BD_TYPE_PRODUCTS_PAGE);
  g_clear_object (&self->client);
  g_clear_object (&self->filtered);
  _bd_products_page_clear_pending (self);
  g_clear_object (&self->store);
  clear_incoming (self);
  g_clear_pointer (&self->bound_rows, g_ptr_array_unref);
  g_clear_pointer (&self->profile_names, g_hash_table_unref);
  g_clear_pointer (&self->billing_profiles, g_ptr_array_unref);
  g_clear_pointer (&self->account_title, g_free);
  g_clear_pointer (&self->service_url, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->signed_out_reason, g_free);

  G_OBJECT_CLASS (bd_products_page_parent_class)->dispose (object);
}

static void
bd_products_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BdProductsPage *self = BD_PRODUCTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_SELECTION_MODE:
      g_value_set_boolean (value, self->selection_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_products_page_class_init (BdProductsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bd_products_page_dispose;
  object_class->get_property = bd_products_page_get_property;
  object_class->set_property = _bd_products_page_set_property;

  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Whether the rows are the cached list (bd_products_page_is_offline ()). */
  properties [PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_SELECTION_MODE] = _bd_products_page_new_selection_mode_pspec ();
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BdProductsPage::load-failed:
   * @message: a translated sentence
   *
   * A refresh failed while rows are shown: they stay, and the window says
   * so in a toast.
   */
  signals [LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (BD_TYPE_OFFLINE_BAR);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/billingdesk/BillingDesk/bd-products-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, box);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, offline_bar);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, status_filter);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, try_again_button);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, signed_out_page);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, sign_in_again_button);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage,
                                        signed_out_try_again_button);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, count_label);
  _bd_products_page_class_init_search (widget_class);
  _bd_products_page_class_init_selection (widget_class);

  gtk_widget_class_install_action (widget_class, "page.reload", NULL, page_reload_action);
  gtk_widget_class_install_action (widget_class, "page.popup-row-menu", NULL,
                                   page_popup_row_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "page.popup-row-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "page.popup-row-menu", NULL);

  _bd_products_page_class_init_offline (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bd_products_page_init (BdProductsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->server_time = BD_TIME_NONE;
  self->bound_rows = g_ptr_array_new ();
  self->profile_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The entry is not the bar's child (the status filter is beside it): the
   * bar finds it only so, and the window's keys start a search in it. */
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  self->store = g_list_store_new (BD_TYPE_SUBSCRIPTION);
  self->filter = _bd_products_page_new_filter (self);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                              GTK_FILTER (self->filter));

  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  _bd_products_page_init_selection (self);

  _bd_products_page_update_state (self);
}

/*
 * Public API
 */

/* Nothing of another client's tenant stays: not its requests, its rows,
 * its profiles' names, its cached list, its error or its Signed Out. Until
 * the next client's rows: "loading", not "No Products".
 */
void
_bd_products_page_clear (BdProductsPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_incoming (self);
  _bd_products_page_clear_pending (self);
  set_loading (self, FALSE);
  g_list_store_remove_all (self->store);
  g_hash_table_remove_all (self->profile_names);
  self->list_complete = FALSE;
  g_clear_pointer (&self->billing_profiles, g_ptr_array_unref);
  _bd_products_page_leave_offline (self);
  bd_products_page_set_selection_mode (self, FALSE);
  _bd_products_page_update_state (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

/**
 * bd_products_page_set_client:
 *
 * Shows the subscriptions @client sees; the rows of another client (another
 * user, another service) go.
 */
void
bd_products_page_set_client (BdProductsPage *self,
                             BdClient       *client)
{
  g_return_if_fail (BD_IS_PRODUCTS_PAGE (self));
  g_return_if_fail (client == NULL || BD_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  _bd_products_page_clear (self);
  _bd_products_page_update_selection (self);
  if (client != NULL)
    bd_products_page_reload (self);
}

/**
 * bd_products_page_reload:
 *
 * Fetches the list again; rows shown stay, and are updated in place.
 */
void
bd_products_page_reload (BdProductsPage *self)
{
  g_return_if_fail (BD_IS_PRODUCTS_PAGE (self));

  if (self->client == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  clear_incoming (self);
  _bd_products_page_clear_pending (self);
  self->list_complete = FALSE;
  g_clear_pointer (&self->billing_profiles, g_ptr_array_unref);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0)
    {
      self->incoming = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
      self->incoming_order = g_ptr_array_new_with_free_func (g_object_unref);
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "loading");

  set_loading (self, TRUE);
  _bd_products_page_update_state (self);
  /* Not references: the page goes with its window, its requests cancelled
   * (dispose), their callbacks returning before they touch it. */
  bd_client_list_billing_profiles_async (self->client, self->cancellable, list_billing_profiles_cb,
                                         self);
  load_page (self, NULL);
}

gboolean
bd_products_page_is_loading (BdProductsPage *self)
{
  g_return_val_if_fail (BD_IS_PRODUCTS_PAGE (self), FALSE);

  return self->loading;
}

/**
 * bd_products_page_get_model:
 *
 * Returns: (transfer none): every subscription loaded, unfiltered
 */
GListModel *
bd_products_page_get_model (BdProductsPage *self)
{
  g_return_val_if_fail (BD_IS_PRODUCTS_PAGE (self), NULL);

  return G_LIST_MODEL (self->store);
}

/**
 * bd_products_page_set_server_time:
 * @server_time: `serverTime` of `/v1/me`
 *
 * Every "in N days" counts from the service's clock, not the desktop's.
 */
void
bd_products_page_set_server_time (BdProductsPage *self,
                                  gint64          server_time)
{
  g_return_if_fail (BD_IS_PRODUCTS_PAGE (self));

  self->server_time = server_time;
  self->server_time_at = g_get_monotonic_time ();
  _bd_products_page_refresh_rows (self);
}

void
_bd_products_page_set_offline (BdProductsPage *self,
                               gboolean        offline)
{
  if (self->offline == offline)
    return;

  self->offline = offline;
  _bd_products_page_update_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_OFFLINE]);
}

/**
 * bd_products_page_show_error:
 * @title: (nullable): the heading, or %NULL for "Can't Reach the Billing Service"
 * @description: what went wrong and what to do, translated
 */
void
bd_products_page_show_error (BdProductsPage *self,
                             const char     *title,
                             const char     *description)
{
  g_return_if_fail (BD_IS_PRODUCTS_PAGE (self));

  if (title != NULL)
    adw_status_page_set_title (self->error_page, title);
  else
    adw_status_page_set_title (self->error_page, _("Can’t Reach the Billing Service"));
  adw_status_page_set_description (self->error_page, description);
  /* Without a service to ask (it would not start, or its URL is unsafe),
   * trying again could only fail the same way.
   */
  gtk_widget_set_visible (self->try_again_button, self->client != NULL);
  gtk_stack_set_visible_child_name (self->stack, "error");
}
