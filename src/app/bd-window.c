/* bd-window.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-action-dialogs.h"
#include "bd-format.h"
#include "bd-product-row.h"
#include "bd-products-export.h"
#include "bd-window-private.h"

G_DEFINE_FINAL_TYPE (BdWindow, bd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
get_me_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BdWindow *self = user_data;
  g_autoptr(BdUser) user = NULL;
  g_autoptr(BdTenant) tenant = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *tenant_name = NULL;
  gint64 server_time = BD_TIME_NONE;

  if (!bd_client_get_me_finish (BD_CLIENT (object), result, &user, &tenant, &server_time, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Asked again when the list goes live (the offline bar's Try Again). */
          self->me_failed = TRUE;
          _bd_window_show_saved_title (self);
        }
      return;
    }

  tenant_name = _bd_window_dup_tenant_name (self, tenant);
  /* Translators: the header bar's subtitle: the organisation, the signed-in
   * user and their role, such as "Contoso A/S – Anne Berg, Global admin" */
  subtitle = g_strdup_printf (_("%1$s – %2$s, %3$s"), tenant_name,
                              bd_user_get_display_name (user),
                              bd_format_role (bd_user_get_roles (user)));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  bd_products_page_set_server_time (self->products_page, server_time);
  _bd_window_activity_set_user (self, user);
  self->cloud = bd_tenant_get_cloud (tenant);
  self->server_time = server_time;
  self->server_time_at = g_get_monotonic_time ();
  _bd_window_reminders_check (self);
}

static gint64
service_now (BdWindow *self)
{
  if (self->server_time == BD_TIME_NONE)
    return g_get_real_time () / G_USEC_PER_SEC;
  return self->server_time + (g_get_monotonic_time () - self->server_time_at) / G_USEC_PER_SEC;
}

/* The service's clock now, for bd-window-reminders.c. */
gint64
_bd_window_service_now (BdWindow *self)
{
  return service_now (self);
}

static BdSubscription *
find_subscription (BdWindow   *self,
                   const char *id)
{
  GListModel *model = bd_products_page_get_model (self->products_page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (model, i);

      if (g_strcmp0 (bd_subscription_get_id (subscription), id) == 0)
        return subscription;
    }

  return NULL;
}

static void
action_done_cb (BdSubscription *subscription,
                const char     *message,
                gpointer        user_data)
{
  BdWindow *self = user_data;

  if (message != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
win_subscription_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  BdWindow *self = BD_WINDOW (widget);
  BdSubscription *subscription = find_subscription (self, g_variant_get_string (parameter, NULL));

  /* Offline, the rows are a cached list: nothing is done on them. */
  if (subscription == NULL || self->client == NULL ||
      bd_products_page_is_offline (self->products_page))
    return;

  if (g_str_equal (action_name, "win.cancel"))
    {
      /* A cancel in flight is never abandoned for another one. */
      if (bd_cancel_pane_get_busy (self->cancel_pane))
        return;
      g_free (self->pane_subscription_id);
      self->pane_subscription_id = g_strdup (bd_subscription_get_id (subscription));
      bd_cancel_pane_open (self->cancel_pane, self->client, subscription, self->cloud,
                           service_now (self));
      adw_flap_set_reveal_flap (self->flap, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->cancel_pane));
    }
  else if (g_str_equal (action_name, "win.edit-recurring-billing"))
    bd_edit_recurring_billing_dialog_present (GTK_WINDOW (self), self->client, subscription,
                                              action_done_cb, self);
  else if (g_str_equal (action_name, "win.change-licenses"))
    bd_licenses_dialog_present (GTK_WINDOW (self), self->client, subscription, 0,
                                action_done_cb, self);
  else if (g_str_equal (action_name, "win.reactivate"))
    bd_reactivate_dialog_present (GTK_WINDOW (self), self->client, subscription,
                                  service_now (self), action_done_cb, self);
  else if (g_str_equal (action_name, "win.delete"))
    bd_delete_dialog_present (GTK_WINDOW (self), self->client, subscription,
                              action_done_cb, self);
}

/* The row of @id among the rows the list has made, or NULL: rows are
 * recycled, so it is found by what it shows now (a refresh or a search
 * may have moved the subscription to another row widget).
 */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *id)
{
  BdSubscription *subscription;

  if (!gtk_widget_get_mapped (widget))
    return NULL;

  if (BD_IS_PRODUCT_ROW (widget))
    {
      subscription = bd_product_row_get_subscription (BD_PRODUCT_ROW (widget));
      return subscription != NULL && g_strcmp0 (bd_subscription_get_id (subscription), id) == 0
             ? widget : NULL;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = find_row (child, id);

      if (row != NULL)
        return row;
    }

  return NULL;
}

/* Focus goes back to the row the pane was opened from, so a keyboard user
 * goes on where they were; if it is not listed now (a search hides it),
 * to the list's first control.
 */
static void
focus_pane_row (BdWindow   *self,
                const char *id)
{
  GtkWidget *row = NULL;

  if (id != NULL)
    row = find_row (GTK_WIDGET (self->products_page), id);

  if (row == NULL || !gtk_widget_grab_focus (row))
    gtk_widget_child_focus (GTK_WIDGET (self->products_page), GTK_DIR_TAB_FORWARD);
}

/* F6 (and Shift+F6): the focus goes between the list and the pane, when the
 * pane is open, as between a GNOME app's panes; into the pane on its first
 * control, back in the list on the pane's row. With the pane closed, or
 * covering the list (a narrow window), it does nothing (nor does anything
 * else with it).
 */
static gboolean
switch_pane_focus (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  BdWindow *self = BD_WINDOW (widget);

  if (!adw_flap_get_reveal_flap (self->flap))
    return TRUE;

  /* In the pane, or nowhere after it was (Save while a cancel is sent). */
  if (bd_cancel_pane_has_focus (self->cancel_pane))
    {
      if (!adw_flap_get_folded (self->flap))
        focus_pane_row (self, self->pane_subscription_id);
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_pane));

  return TRUE;
}

/* Escape closes the pane from the list too, as in the pane (whose own
 * binding answers it there; the search entry answers it in the search).
 */
static gboolean
close_pane_from_list (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  BdWindow *self = BD_WINDOW (widget);

  if (!adw_flap_get_reveal_flap (self->flap))
    return FALSE;

  bd_cancel_pane_request_close (self->cancel_pane);
  return TRUE;
}

/* The flap hides the pane by itself too (a click on the dimmed list when
 * folded): never while a cancel is in flight, and otherwise as Close does.
 */
static void
on_flap_reveal_changed_cb (BdWindow *self)
{
  if (adw_flap_get_reveal_flap (self->flap))
    return;

  if (bd_cancel_pane_get_busy (self->cancel_pane))
    adw_flap_set_reveal_flap (self->flap, TRUE);
  else
    bd_cancel_pane_request_close (self->cancel_pane);
}

/* The window does not close while a cancel is in flight: a request that
 * may have committed is never abandoned (docs/design.md section 4).
 */
static gboolean
bd_window_close_request (GtkWindow *window)
{
  BdWindow *self = BD_WINDOW (window);

  if (_bd_window_is_busy (self))
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Waiting for the billing service to answer")));
      return TRUE;
    }

  _bd_window_save_size (self);
  return GTK_WINDOW_CLASS (bd_window_parent_class)->close_request (window);
}

/* The pane's id is the open pane's: going offline or to another account
 * closes the pane whether it is open or not, and hiding the flap asks it
 * to close once more; only its first ::close gives the focus back.
 */
static void
on_pane_close_cb (BdWindow *self)
{
  g_autofree char *id = g_steal_pointer (&self->pane_subscription_id);
  gboolean was_in_pane;

  if (id == NULL)
    return;

  was_in_pane = bd_cancel_pane_has_focus (self->cancel_pane);
  adw_flap_set_reveal_flap (self->flap, FALSE);
  /* Unless the person had gone elsewhere meanwhile (the pane closed as the
   * list went offline, say). */
  if (was_in_pane)
    focus_pane_row (self, id);
}

static void
on_pane_cancelled_cb (BdWindow   *self,
                      const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
on_pane_reduce_licenses_cb (BdWindow *self,
                            guint     quantity)
{
  BdSubscription *subscription = bd_cancel_pane_get_subscription (self->cancel_pane);

  if (subscription != NULL)
    bd_licenses_dialog_present (GTK_WINDOW (self), self->client, subscription, quantity,
                                action_done_cb, self);
}

static void
on_pane_reactivate_cb (BdWindow *self)
{
  BdSubscription *subscription = bd_cancel_pane_get_subscription (self->cancel_pane);

  if (subscription != NULL)
    bd_reactivate_dialog_present (GTK_WINDOW (self), self->client, subscription,
                                  service_now (self), action_done_cb, self);
}

static void
load (BdWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->me_failed = FALSE;

  if (self->client == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  /* Not a reference: closed while it asks, the window goes at once (dispose
   * cancels, and the callback returns before touching it). */
  bd_client_get_me_async (self->client, self->cancellable, get_me_cb, self);
}

static void
win_refresh_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BdWindow *self = BD_WINDOW (widget);

  load (self);
  bd_products_page_reload (self->products_page);
}

static void
win_export_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BdWindow *self = BD_WINDOW (widget);

  bd_products_export_choose (self->products_page);
}

static void
win_search_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BdWindow *self = BD_WINDOW (widget);

  bd_products_page_focus_search (self->products_page);
}

static void
on_page_loading_changed_cb (BdWindow *self)
{
  gboolean loading = bd_products_page_is_loading (self->products_page);
  GListModel *model = bd_products_page_get_model (self->products_page);
  gboolean has_rows = g_list_model_get_n_items (model) > 0;

  /* The first load shows its spinner in place of the list; later ones here. */
  gtk_widget_set_visible (GTK_WIDGET (self->header_spinner), loading && has_rows);
  gtk_spinner_set_spinning (self->header_spinner, loading && has_rows);
  _bd_window_reminders_check (self);
}

static void
on_page_offline_changed_cb (BdWindow *self)
{
  /* Live again (the offline bar's Try Again): /v1/me too, if it failed, for
   * the subtitle's role, the tenant's cloud and the service's clock.
   */
  if (!bd_products_page_is_offline (self->products_page))
    {
      if (self->me_failed)
        load (self);
      return;
    }

  /* The rows are read-only now: a pane or a dialog opened on them goes,
   * unless its request is in flight (it finishes and says how it went).
   */
  bd_cancel_pane_request_close (self->cancel_pane);
  _bd_window_close_action_dialogs (self);
}

static void
on_page_load_failed_cb (BdWindow   *self,
                        const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/*
 * GObject overrides
 */

static void
bd_window_dispose (GObject *object)
{
  BdWindow *self = (BdWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  _bd_window_accounts_dispose (self);
  _bd_window_activity_dispose (self);
  _bd_window_reminders_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BD_TYPE_WINDOW);
  g_clear_object (&self->client);
  g_clear_pointer (&self->pane_subscription_id, g_free);

  G_OBJECT_CLASS (bd_window_parent_class)->dispose (object);
}

static void
bd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BdWindow *self = BD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BdWindow *self = BD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bd_window_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_window_class_init (BdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bd_window_dispose;
  object_class->get_property = bd_window_get_property;
  object_class->set_property = bd_window_set_property;
  GTK_WINDOW_CLASS (klass)->close_request = bd_window_close_request;

  properties [PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BD_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BD_TYPE_PRODUCTS_PAGE);
  g_type_ensure (BD_TYPE_CANCEL_PANE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billingdesk/BillingDesk/bd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BdWindow, header_spinner);
  gtk_widget_class_bind_template_child (widget_class, BdWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, BdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BdWindow, products_page);
  gtk_widget_class_bind_template_child (widget_class, BdWindow, accounts_section);
  gtk_widget_class_bind_template_child (widget_class, BdWindow, sign_in_as_section);
  gtk_widget_class_bind_template_child (widget_class, BdWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, BdWindow, cancel_pane);
  gtk_widget_class_bind_template_callback (widget_class, on_pane_close_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_flap_reveal_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_pane_cancelled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_pane_reduce_licenses_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_pane_reactivate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_page_loading_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_page_load_failed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_page_offline_changed_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_page_sign_in_again_cb",
                                                G_CALLBACK (_bd_window_sign_in_again));

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, win_refresh_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, win_search_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, win_export_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", "s", win_subscription_action);
  gtk_widget_class_install_action (widget_class, "win.edit-recurring-billing", "s",
                                   win_subscription_action);
  gtk_widget_class_install_action (widget_class, "win.change-licenses", "s",
                                   win_subscription_action);
  gtk_widget_class_install_action (widget_class, "win.reactivate", "s", win_subscription_action);
  gtk_widget_class_install_action (widget_class, "win.delete", "s", win_subscription_action);
  _bd_window_activity_class_init (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F6, 0, switch_pane_focus, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, close_pane_from_list, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F6, GDK_SHIFT_MASK, switch_pane_focus,
                                NULL);
}

static void
bd_window_init (BdWindow *self)
{
  GtkSearchBar *search_bar;

  self->server_time = BD_TIME_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));

  search_bar = bd_products_page_get_search_bar (self->products_page);
  g_object_bind_property (self->search_button, "active", search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_set_key_capture_widget (search_bar, GTK_WIDGET (self));
  _bd_window_accounts_init (self);
  _bd_window_reminders_init (self);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

/*
 * Public API
 */

/**
 * bd_window_get_client:
 *
 * Returns: (transfer none) (nullable): the client the window talks through
 */
BdClient *
bd_window_get_client (BdWindow *self)
{
  g_return_val_if_fail (BD_IS_WINDOW (self), NULL);

  return self->client;
}

/**
 * bd_window_set_client:
 *
 * Talks to the service through @client from now on: as another user, or to
 * another service. Everything shown is loaded again.
 */
void
bd_window_set_client (BdWindow *self,
                      BdClient *client)
{
  g_return_if_fail (BD_IS_WINDOW (self));
  g_return_if_fail (client == NULL || BD_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  /* The pane belongs to the previous user; one in flight finishes first. */
  if (!bd_cancel_pane_get_busy (self->cancel_pane))
    bd_cancel_pane_request_close (self->cancel_pane);

  _bd_window_show_saved_title (self);
  bd_products_page_set_client (self->products_page, client);
  _bd_window_activity_set_client (self);
  load (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CLIENT]);
}

/**
 * bd_window_show_error:
 *
 * Shows a failure that leaves nothing to list, such as a billing service
 * that would not start.
 */
void
bd_window_show_error (BdWindow   *self,
                      const char *title,
                      const char *description)
{
  g_return_if_fail (BD_IS_WINDOW (self));

  bd_products_page_show_error (self->products_page, title, description);
}

/**
 * bd_window_get_products_page:
 *
 * Returns: (transfer none): the Your Products page
 */
GtkWidget *
bd_window_get_products_page (BdWindow *self)
{
  g_return_val_if_fail (BD_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->products_page);
}
