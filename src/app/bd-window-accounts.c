/* bd-window-accounts.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-action-dialogs.h"
#include "bd-add-account-window.h"
#include "bd-application.h"
#include "bd-manage-accounts-window.h"
#include "bd-window-private.h"

/* The window's account: switching in place (the old account's list, pane,
 * dialogs and requests go before anything of the new one shows; a change
 * whose answer is awaited is waited for), the Accounts and Sign In As
 * menus, the last account and the window's size in the settings.
 */

static BdApplication *
get_app (BdWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return BD_IS_APPLICATION (app) ? BD_APPLICATION (app) : NULL;
}

/* A GMenu label is read with mnemonics: a name's own underscores are doubled. */
static char *
escape_mnemonics (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

/* An account removed (Manage Accounts) is not cached again by a window
 * still on it (waiting to switch, reloading); bd_list_cache_delete ()
 * stops a save already on its way.
 */
static void
stop_caching_if_removed (BdWindow *self)
{
  BdApplication *app = get_app (self);

  if (app != NULL && self->account != NULL && !bd_account_is_demo (self->account) &&
      bd_account_list_lookup (bd_application_get_accounts (app),
                              bd_account_get_key (self->account)) == NULL)
    bd_products_page_stop_caching (self->products_page);
}

static void
update_accounts_menu (BdWindow *self)
{
  BdApplication *app = get_app (self);
  GListModel *accounts = app != NULL ? G_LIST_MODEL (bd_application_get_accounts (app)) : NULL;

  g_menu_remove_all (self->accounts_section);
  for (guint i = 0; accounts != NULL && i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(BdAccount) account = g_list_model_get_item (accounts, i);
      g_autofree char *title = bd_account_dup_title (account);
      g_autofree char *label = escape_mnemonics (title);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.account",
                                               g_variant_new_string (bd_account_get_key (account)));
      g_menu_append_item (self->accounts_section, item);
    }

  stop_caching_if_removed (self);
}

/* Sign In As is the demo's only: its users and their tokens are demo data. */
static void
update_sign_in_as_menu (BdWindow *self)
{
  BdApplication *app = get_app (self);
  GMenuModel *users = app != NULL ? bd_application_get_demo_users (app) : NULL;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-in-as");

  g_menu_remove_all (self->sign_in_as_section);
  if (users != NULL && self->account != NULL && bd_account_is_demo (self->account))
    g_menu_append_submenu (self->sign_in_as_section, _("_Sign In As"), users);

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_string (self->demo_user_id != NULL
                                                   ? self->demo_user_id : ""));
}

static void
show_account (BdWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "account");

  _bd_window_show_saved_title (self);
  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_string (self->account != NULL
                                                   ? bd_account_get_key (self->account) : ""));
  update_sign_in_as_menu (self);
}

/* The page names the account on its Signed Out page, and keeps the list
 * of an account added for offline use (not the demo's, nor that of a
 * service named on the command line, which is no account).
 */
static void
set_page_account (BdWindow *self)
{
  g_autofree char *title = NULL;
  gboolean saved = self->account != NULL && !bd_account_is_demo (self->account);

  title = self->account != NULL ? bd_account_dup_title (self->account)
                                : g_strdup (self->session_url);
  bd_products_page_set_account (self->products_page, title,
                                saved ? bd_account_get_service_url (self->account) : NULL,
                                saved ? bd_account_get_user_id (self->account) : NULL);
}

/* The action dialogs of the window, but those with a request in flight:
 * on a switch, the old account's (which waits for those busy before it
 * begins); offline, those on the rows now read-only.
 */
void
_bd_window_close_action_dialogs (BdWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (BD_IS_ACTION_DIALOG (window) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (self) &&
          !bd_action_dialog_get_busy (BD_ACTION_DIALOG (window)))
        gtk_window_destroy (window);
    }
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  BdWindow *self = user_data;
  g_autoptr(BdClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_user_id = NULL;

  client = bd_application_connect_finish (BD_APPLICATION (object), result, &demo_user_id, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (client == NULL)
    {
      if (g_error_matches (error, BD_APPLICATION_ERROR, BD_APPLICATION_ERROR_SIGNED_OUT))
        bd_products_page_show_signed_out (self->products_page,
                                          _("Billing Desk has no token for this account any "
                                            "more: it was kept for one session only, or the "
                                            "keyring no longer has it."));
      else if (g_error_matches (error, BD_APPLICATION_ERROR, BD_APPLICATION_ERROR_NO_SERVICE))
        bd_window_show_error (self, _("The Billing Service Did Not Start"), error->message);
      else
        bd_window_show_error (self, _("Can’t Connect Safely"), error->message);
      return;
    }

  g_free (self->demo_user_id);
  self->demo_user_id = g_steal_pointer (&demo_user_id);
  update_sign_in_as_menu (self);

  /* An http URL the client will not send the token to is said at once. */
  if (!bd_client_check_base_url (client, &error) &&
      g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_INSECURE_URL))
    {
      bd_window_show_error (self, _("Can’t Connect Safely"), error->message);
      return;
    }

  bd_window_set_client (self, client);
}

/* The waiting switch, and the toast that says it waits, go. */
static void
drop_pending_switch (BdWindow *self)
{
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_object (&self->pending_account);
  g_clear_pointer (&self->pending_session_url, g_free);
  g_clear_pointer (&self->pending_demo_user_id, g_free);
  if (self->pending_toast != NULL)
    adw_toast_dismiss (self->pending_toast);
  g_clear_object (&self->pending_toast);
}

static void
switch_now (BdWindow *self)
{
  BdApplication *app = get_app (self);

  g_return_if_fail (app != NULL);

  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  self->connect_cancellable = g_cancellable_new ();

  /* Everything of the old account goes first: its dialogs, its pane, its
   * rows and every request made through its client. */
  _bd_window_close_action_dialogs (self);
  bd_window_set_client (self, NULL);

  g_clear_object (&self->account);
  self->account = g_steal_pointer (&self->pending_account);
  /* An account removed while the switch waited is not switched to. */
  if (self->account != NULL &&
      bd_account_list_lookup (bd_application_get_accounts (app),
                              bd_account_get_key (self->account)) == NULL)
    g_set_object (&self->account,
                  bd_account_list_lookup (bd_application_get_accounts (app),
                                          BD_ACCOUNT_DEMO_KEY));
  g_free (self->session_url);
  self->session_url = g_steal_pointer (&self->pending_session_url);
  g_free (self->demo_user_id);
  self->demo_user_id = g_steal_pointer (&self->pending_demo_user_id);
  drop_pending_switch (self);
  show_account (self);
  set_page_account (self);

  if (self->account != NULL)
    g_settings_set_string (bd_application_get_settings (app), "last-account",
                           bd_account_get_key (self->account));

  /* Not a reference: closed while it connects, the window goes at once
   * (dispose cancels, and the callback returns before touching it). */
  bd_application_connect_async (app, self->account, self->session_url, self->demo_user_id,
                                self->connect_cancellable, connect_cb, self);
}

static gboolean
pending_cb (gpointer user_data)
{
  BdWindow *self = user_data;

  if (_bd_window_is_busy (self))
    return G_SOURCE_CONTINUE;

  self->pending_id = 0;
  switch_now (self);
  return G_SOURCE_REMOVE;
}

/* The one switch that waits: a later choice replaces an earlier one. */
static void
request_switch (BdWindow   *self,
                BdAccount  *account,
                const char *session_url,
                const char *demo_user_id)
{
  g_autofree char *title = NULL;
  g_autofree char *message = NULL;

  g_set_object (&self->pending_account, account);
  g_free (self->pending_session_url);
  self->pending_session_url = g_strdup (session_url);
  g_free (self->pending_demo_user_id);
  self->pending_demo_user_id = g_strdup (demo_user_id);

  if (!_bd_window_is_busy (self))
    {
      g_clear_handle_id (&self->pending_id, g_source_remove);
      switch_now (self);
      return;
    }

  /* The busy pane and dialogs say nothing when they are done: they are
   * asked again until they are. */
  if (self->pending_id == 0)
    self->pending_id = g_timeout_add (100, pending_cb, self);

  title = account != NULL ? bd_account_dup_title (account) : g_strdup (session_url);
  /* Translators: %s is an account, such as "Contoso A/S – Anne Berg" or "Demo" */
  message = g_strdup_printf (_("Switching to %s once the billing service has answered"), title);
  /* Said for as long as the switch waits, however long that is. */
  if (self->pending_toast != NULL)
    adw_toast_dismiss (self->pending_toast);
  g_clear_object (&self->pending_toast);
  self->pending_toast = adw_toast_new (message);
  adw_toast_set_timeout (self->pending_toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->pending_toast));
}

/*
 * Actions
 */

static void
win_account_action (GSimpleAction *action,
                    GVariant      *state,
                    gpointer       user_data)
{
  BdWindow *self = user_data;
  BdApplication *app = get_app (self);
  BdAccount *account;

  if (app == NULL)
    return;

  account = bd_account_list_lookup (bd_application_get_accounts (app),
                                    g_variant_get_string (state, NULL));

  if (account == NULL)
    return;

  /* The account shown, chosen again: a switch waiting is dropped; while it
   * works, nothing else to do. */
  if (self->account != NULL &&
      g_str_equal (bd_account_get_key (account), bd_account_get_key (self->account)))
    {
      if (self->pending_id != 0)
        {
          drop_pending_switch (self);
          return;
        }
      if (self->client != NULL)
        return;
    }

  request_switch (self, account, NULL, NULL);
}

static void
win_sign_in_as_action (GSimpleAction *action,
                       GVariant      *state,
                       gpointer       user_data)
{
  BdWindow *self = user_data;

  if (self->account == NULL || !bd_account_is_demo (self->account))
    return;

  request_switch (self, self->account, NULL, g_variant_get_string (state, NULL));
}

/* The account added (or signed in to again) is shown in this window. */
static void
on_account_added_cb (BdWindow  *self,
                     BdAccount *account)
{
  request_switch (self, account, NULL, NULL);
}

static void
win_add_account_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  BdWindow *self = user_data;
  BdApplication *app = get_app (self);
  BdAddAccountWindow *window;

  if (app == NULL)
    return;

  window = bd_add_account_window_new (GTK_WINDOW (self), bd_application_get_accounts (app),
                                      bd_application_get_token_store (app));
  g_signal_connect_object (window, "added", G_CALLBACK (on_account_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

/* Every window on the account removed goes to the demo. */
static void
on_account_removed_cb (BdWindow   *self,
                       const char *key)
{
  BdApplication *app = get_app (self);
  BdAccount *demo;

  if (app == NULL)
    return;

  demo = bd_account_list_lookup (bd_application_get_accounts (app), BD_ACCOUNT_DEMO_KEY);
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = l->next)
    {
      BdWindow *window = BD_IS_WINDOW (l->data) ? l->data : NULL;

      if (window != NULL && window->account != NULL &&
          g_str_equal (bd_account_get_key (window->account), key))
        request_switch (window, demo, NULL, NULL);
    }
}

static void
win_manage_accounts_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  BdWindow *self = user_data;
  BdApplication *app = get_app (self);
  BdManageAccountsWindow *window;

  if (app == NULL)
    return;

  window = bd_manage_accounts_window_new (GTK_WINDOW (self), bd_application_get_accounts (app),
                                          bd_application_get_token_store (app));
  g_signal_connect_object (window, "removed", G_CALLBACK (on_account_removed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry win_actions[] = {
  { .name = "add-account", .activate = win_add_account_action },
  { .name = "manage-accounts", .activate = win_manage_accounts_action },
  { .name = "account", .parameter_type = "s", .state = "''",
    .change_state = win_account_action },
  { .name = "sign-in-as", .parameter_type = "s", .state = "''",
    .change_state = win_sign_in_as_action },
};

/*
 * Internal API
 */

/* The subtitle until /v1/me answers (or when it can't): the account as it
 * was saved, never the previous one; a service named on the command line
 * by its URL.
 */
void
_bd_window_show_saved_title (BdWindow *self)
{
  g_autofree char *title = NULL;

  if (self->account != NULL)
    title = bd_account_dup_title (self->account);
  adw_window_title_set_subtitle (self->window_title,
                                 title != NULL ? title
                                 : self->session_url != NULL ? self->session_url : "");
}

/* Signed Out's Sign In Again: the Add Account form for the same account,
 * whose new token the window then signs in with.
 */
void
_bd_window_sign_in_again (BdWindow *self)
{
  BdApplication *app = get_app (self);
  BdAddAccountWindow *window;

  if (app == NULL || self->account == NULL || bd_account_is_demo (self->account))
    return;

  window = bd_add_account_window_new_sign_in_again (GTK_WINDOW (self),
                                                    bd_application_get_accounts (app),
                                                    bd_application_get_token_store (app),
                                                    self->account);
  g_signal_connect_object (window, "added", G_CALLBACK (on_account_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

gboolean
_bd_window_is_busy (BdWindow *self)
{
  return bd_cancel_pane_get_busy (self->cancel_pane) ||
         bd_action_dialogs_busy_for (GTK_WINDOW (self)) ||
         bd_products_page_is_busy (self->products_page);
}

/* The organisation in the subtitle: on the demo, "Demo", so that nobody
 * mistakes it for a real tenant. */
char *
_bd_window_dup_tenant_name (BdWindow *self,
                            BdTenant *tenant)
{
  if (self->account != NULL && bd_account_is_demo (self->account))
    return g_strdup (_("Demo"));

  return g_strdup (bd_tenant_get_display_name (tenant));
}

void
_bd_window_accounts_init (BdWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
}

void
_bd_window_accounts_dispose (BdWindow *self)
{
  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_object (&self->pending_toast);
  g_clear_object (&self->account);
  g_clear_object (&self->pending_account);
  g_clear_pointer (&self->session_url, g_free);
  g_clear_pointer (&self->pending_session_url, g_free);
  g_clear_pointer (&self->demo_user_id, g_free);
  g_clear_pointer (&self->pending_demo_user_id, g_free);
}

/* The size of the last window closed is the next one's. */
void
_bd_window_save_size (BdWindow *self)
{
  BdApplication *app = get_app (self);
  GSettings *shared = app != NULL ? bd_application_get_settings (app) : NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  int width = 0;
  int height = 0;

  if (shared == NULL)
    return;

  /* The three keys are applied together through settings of their own:
   * delay mode on the app's shared settings would hold every later write
   * (the account list, the last account) until the next apply. */
  g_object_get (shared, "settings-schema", &schema, "backend", &backend, NULL);
  settings = g_settings_new_full (schema, backend, NULL);

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (settings);
}

/*
 * Public API
 */

/**
 * bd_window_new:
 * @application: (nullable): the application, whose settings give the size
 *
 * Returns: (transfer full): a new window, as large as the last one closed
 */
BdWindow *
bd_window_new (GtkApplication *application)
{
  BdWindow *self = g_object_new (BD_TYPE_WINDOW, "application", application, NULL);
  BdApplication *app = get_app (self);
  GSettings *settings = app != NULL ? bd_application_get_settings (app) : NULL;

  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   MAX (g_settings_get_int (settings, "window-width"), 360),
                                   MAX (g_settings_get_int (settings, "window-height"), 294));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));

      g_signal_connect_object (bd_application_get_accounts (app), "items-changed",
                               G_CALLBACK (update_accounts_menu), self, G_CONNECT_SWAPPED);
      update_accounts_menu (self);
    }

  return self;
}

/**
 * bd_window_open_account:
 * @demo_user_id: (nullable): on the demo, the user to sign in as; NULL for
 *   the first Global admin
 *
 * Shows @account in this window, in place of what it showed, once no
 * change is awaited (the window says it waits). Needs the window to belong
 * to a BdApplication.
 */
void
bd_window_open_account (BdWindow   *self,
                        BdAccount  *account,
                        const char *demo_user_id)
{
  g_return_if_fail (BD_IS_WINDOW (self));
  g_return_if_fail (BD_IS_ACCOUNT (account));

  request_switch (self, account, NULL, demo_user_id);
}

/**
 * bd_window_open_session:
 * @service_url: a service named on the command line, as the application keeps it
 *
 * Shows that service, with the token it was given, added to no list.
 */
void
bd_window_open_session (BdWindow   *self,
                        const char *service_url)
{
  g_return_if_fail (BD_IS_WINDOW (self));
  g_return_if_fail (service_url != NULL);

  request_switch (self, NULL, service_url, NULL);
}

/**
 * bd_window_open_like:
 * @other: (nullable): another window
 *
 * Shows what @other shows (the demo as the same user), with a client of
 * its own; with no @other, the demo.
 */
void
bd_window_open_like (BdWindow *self,
                     BdWindow *other)
{
  BdApplication *app = get_app (self);
  BdAccount *demo;

  g_return_if_fail (BD_IS_WINDOW (self));
  g_return_if_fail (app != NULL);

  if (other != NULL && other->account != NULL)
    bd_window_open_account (self, other->account, other->demo_user_id);
  else if (other != NULL && other->session_url != NULL)
    bd_window_open_session (self, other->session_url);
  else
    {
      demo = bd_account_list_lookup (bd_application_get_accounts (app), BD_ACCOUNT_DEMO_KEY);
      bd_window_open_account (self, demo, NULL);
    }
}

/**
 * bd_window_get_account:
 *
 * Returns: (transfer none) (nullable): the account shown, or NULL for a
 *   service named on the command line (or none yet)
 */
BdAccount *
bd_window_get_account (BdWindow *self)
{
  g_return_val_if_fail (BD_IS_WINDOW (self), NULL);

  return self->account;
}
