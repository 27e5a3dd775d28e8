/* bd-add-account-window.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-add-account-window"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-add-account-window-private.h"
#include "bd-format.h"

G_DEFINE_FINAL_TYPE (BdAddAccountWindow, bd_add_account_window, ADW_TYPE_WINDOW)

enum {
  SIGNAL_ADDED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

void
_bd_add_account_window_update_actions (BdAddAccountWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  /* Once added, only Done (the Add button) and closing are left. */
  gboolean editable = !self->busy && !self->added;

  gtk_widget_action_set_enabled (widget, "add-account.sign-in", editable);
  gtk_widget_action_set_enabled (widget, "add-account.paste-token", editable);
  gtk_widget_action_set_enabled (widget, "add-account.choose-ca", editable && self->n_reading == 0);
  gtk_widget_action_set_enabled (widget, "add-account.clear-ca",
                                 editable && self->ca_file != NULL);
  gtk_widget_action_set_enabled (widget, "add-account.add",
                                 !self->busy && self->user != NULL &&
                                 self->storage != STORAGE_UNKNOWN);
  /* A token half stored is never left behind: Add finishes first. */
  gtk_widget_action_set_enabled (widget, "window.close", !self->storing);
  gtk_widget_set_sensitive (self->form, editable);
}

void
_bd_add_account_window_set_busy (BdAddAccountWindow *self,
                                 gboolean            busy)
{
  self->busy = busy;
  /* What a screen reader says while it spins: Sign In's request or Add's. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->storing ? _("Adding account") : _("Signing in"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  _bd_add_account_window_update_actions (self);
}

void
_bd_add_account_window_show_error (BdAddAccountWindow *self,
                                   const char         *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static const char *
storage_text (BdAddAccountWindow *self)
{
  if (self->added)
    return _("The account was added, but the keyring did not answer, so its token is kept for "
             "this session only. After you restart Billing Desk, sign in to it again.");

  switch (self->storage)
    {
    case STORAGE_KEYRING:
      return _("The token will be kept in your keyring.");
    case STORAGE_SESSION:
      return _("There is no keyring, so the token will be kept for this session only.");
    case STORAGE_UNKNOWN:
    default:
      return _("Looking for the keyring…");
    }
}

/* One suggested button at a time, and Enter presses it: Sign In, then
 * Add once Sign In found the account.
 */
static void
suggest (BdAddAccountWindow *self,
         GtkWidget          *button)
{
  GtkWidget *other = button == self->add_button ? self->sign_in_button : self->add_button;

  gtk_widget_remove_css_class (other, "suggested-action");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_window_set_default_widget (GTK_WINDOW (self), button);
}

/* The account that Sign In found, with Add beside it. */
void
_bd_add_account_window_show_result (BdAddAccountWindow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *key = NULL;

  gtk_widget_set_visible (self->result_box, self->user != NULL);
  suggest (self, self->user != NULL ? self->add_button : self->sign_in_button);
  if (self->user == NULL)
    return;

  /* Translators: the account Sign In found: the organisation, the user
   * and their role, such as "Contoso A/S – Anne Berg, Global admin" */
  title = g_strdup_printf (_("%1$s – %2$s, %3$s"), bd_tenant_get_display_name (self->tenant),
                           bd_user_get_display_name (self->user),
                           bd_format_role (bd_user_get_roles (self->user)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->result_row), title);
  gtk_button_set_label (GTK_BUTTON (self->add_button), self->added ? _("_Done") : _("_Add"));
  key = bd_account_make_key (self->service_url, bd_user_get_id (self->user));
  if (self->account == NULL && !self->added &&
      bd_account_list_lookup (self->accounts, key) != NULL)
    {
      g_autofree char *both = NULL;

      both = g_strdup_printf ("%s\n%s", storage_text (self),
                              _("Billing Desk has this account already: Add replaces its "
                                "token."));
      adw_action_row_set_subtitle (self->result_row, both);
    }
  else
    adw_action_row_set_subtitle (self->result_row, storage_text (self));
  _bd_add_account_window_update_actions (self);
}

/* Forgets Sign In's answer, or stops its request: what was edited since
 * has not been checked.
 */
void
_bd_add_account_window_clear_result (BdAddAccountWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_pointer (&self->service_url, g_free);
  _bd_add_account_window_wipe_token (&self->token);
  g_clear_pointer (&self->signed_in_ca_file, g_free);
  g_clear_object (&self->user);
  g_clear_object (&self->tenant);

  _bd_add_account_window_show_error (self, NULL);
  _bd_add_account_window_show_result (self);
  if (!self->storing)
    _bd_add_account_window_set_busy (self, FALSE);
}

static void
on_field_changed_cb (BdAddAccountWindow *self)
{
  if (self->storing || self->added)
    return;
  _bd_add_account_window_clear_result (self);
}

static void
update_ca_row (BdAddAccountWindow *self)
{
  if (self->ca_file != NULL)
    adw_action_row_set_subtitle (self->ca_row, self->ca_file);
  else
    /* Translators: "Trust this CA" when no CA file is chosen */
    adw_action_row_set_subtitle (self->ca_row, _("None: only the system’s certificate "
                                                 "authorities are trusted"));
  _bd_add_account_window_update_actions (self);
}

/*
 * Actions
 */

static void
add_account_sign_in_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  _bd_add_account_window_sign_in (BD_ADD_ACCOUNT_WINDOW (widget));
}

static void
add_account_add_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  _bd_add_account_window_add (BD_ADD_ACCOUNT_WINDOW (widget));
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BdAddAccountWindow) self = user_data;
  char *text = NULL;
  g_autoptr(GError) error = NULL;

  text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  if (text == NULL || self->check_cancellable == NULL)
    {
      if (error != NULL)
        g_debug ("Nothing to paste: %s", error->message);
      _bd_add_account_window_wipe_token (&text);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), g_strstrip (text));
  _bd_add_account_window_wipe_token (&text);
}

static void
add_account_paste_token_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb,
                                 g_object_ref (widget));
}

/* The CA file, read (@database) or not (@error), or none (both NULL). */
static void
set_ca (BdAddAccountWindow *self,
        const char         *ca_file,
        GTlsDatabase       *database,
        GError             *error)
{
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_set_object (&self->ca_database, database);
  g_clear_error (&self->ca_error);
  self->ca_error = error != NULL ? g_error_copy (error) : NULL;
  update_ca_row (self);
  on_field_changed_cb (self);
}

/* @user_data: TRUE for a file just chosen, which is kept only if it can
 * be read; FALSE for one set (bd_add_account_window_set_ca_file ()), kept
 * either way, its error said at Sign In. */
static void
ca_file_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BdAddAccountWindow *self = BD_ADD_ACCOUNT_WINDOW (object);
  gboolean chosen = GPOINTER_TO_INT (user_data);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;

  database = _bd_add_account_window_read_ca_file_finish (self, result, &path, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (chosen && database == NULL)
    _bd_add_account_window_show_error (self, error->message);
  else if (chosen)
    set_ca (self, path, database, NULL);
  /* Another file chosen meanwhile: this one's result is no longer wanted. */
  else if (g_strcmp0 (path, self->ca_file) == 0)
    {
      g_set_object (&self->ca_database, database);
      g_clear_error (&self->ca_error);
      self->ca_error = g_steal_pointer (&error);
    }
  _bd_add_account_window_read_ca_done (self);
}

static void
on_chooser_response_cb (BdAddAccountWindow *self,
                        int                 response,
                        GtkNativeDialog    *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;

  _bd_add_account_window_read_ca_file (self, path, ca_file_read_cb, GINT_TO_POINTER (TRUE));
}

static void
add_account_choose_ca_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  BdAddAccountWindow *self = BD_ADD_ACCOUNT_WINDOW (widget);
  g_autoptr(GtkFileFilter) pem = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose CA File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (pem, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (pem, "*.pem");
  gtk_file_filter_add_pattern (pem, "*.crt");
  gtk_file_filter_add_pattern (pem, "*.cer");
  gtk_file_filter_add_mime_type (pem, "application/x-x509-ca-cert");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), pem);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
add_account_clear_ca_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  bd_add_account_window_set_ca_file (BD_ADD_ACCOUNT_WINDOW (widget), NULL);
}

/*
 * GObject overrides
 */

static gboolean
bd_add_account_window_close_request (GtkWindow *window)
{
  BdAddAccountWindow *self = BD_ADD_ACCOUNT_WINDOW (window);

  if (self->storing)
    return TRUE;

  return GTK_WINDOW_CLASS (bd_add_account_window_parent_class)->close_request (window);
}

static void
bd_add_account_window_dispose (GObject *object)
{
  BdAddAccountWindow *self = (BdAddAccountWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_cancellable_cancel (self->ca_cancellable);
  g_clear_object (&self->ca_cancellable);
  g_clear_object (&self->ca_database);
  g_clear_error (&self->ca_error);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), BD_TYPE_ADD_ACCOUNT_WINDOW);
  g_clear_object (&self->accounts);
  g_clear_object (&self->token_store);
  g_clear_object (&self->account);
  g_clear_object (&self->user);
  g_clear_object (&self->tenant);

  G_OBJECT_CLASS (bd_add_account_window_parent_class)->dispose (object);
}

static void
bd_add_account_window_finalize (GObject *object)
{
  BdAddAccountWindow *self = (BdAddAccountWindow *)object;

  g_free (self->ca_file);
  g_free (self->service_url);
  _bd_add_account_window_wipe_token (&self->token);
  g_free (self->signed_in_ca_file);

  G_OBJECT_CLASS (bd_add_account_window_parent_class)->finalize (object);
}

static void
bd_add_account_window_class_init (BdAddAccountWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bd_add_account_window_dispose;
  object_class->finalize = bd_add_account_window_finalize;
  window_class->close_request = bd_add_account_window_close_request;

  /**
   * BdAddAccountWindow::added:
   * @account: the account added, or whose token Sign In Again replaced
   *
   * Emitted once the token is kept and the account is in the list, just
   * before the window closes (or, when the token was kept for this session
   * only though the window said the keyring, before it says so and offers
   * Done).
   */
  signals [SIGNAL_ADDED] =
    g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BD_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billingdesk/BillingDesk/"
                                               "bd-add-account-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, form);
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, ca_row);
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, result_box);
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, result_row);
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, BdAddAccountWindow, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);

  gtk_widget_class_install_action (widget_class, "add-account.sign-in", NULL,
                                   add_account_sign_in_action);
  gtk_widget_class_install_action (widget_class, "add-account.add", NULL,
                                   add_account_add_action);
  gtk_widget_class_install_action (widget_class, "add-account.paste-token", NULL,
                                   add_account_paste_token_action);
  gtk_widget_class_install_action (widget_class, "add-account.choose-ca", NULL,
                                   add_account_choose_ca_action);
  gtk_widget_class_install_action (widget_class, "add-account.clear-ca", NULL,
                                   add_account_clear_ca_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bd_add_account_window_init (BdAddAccountWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->check_cancellable = g_cancellable_new ();
  self->ca_cancellable = g_cancellable_new ();
  suggest (self, self->sign_in_button);
  update_ca_row (self);
  _bd_add_account_window_set_busy (self, FALSE);
}

static BdAddAccountWindow *
new_window (GtkWindow     *parent,
            BdAccountList *accounts,
            BdTokenStore  *token_store,
            BdAccount     *account)
{
  BdAddAccountWindow *self = g_object_new (BD_TYPE_ADD_ACCOUNT_WINDOW,
                                           "transient-for", parent,
                                           NULL);

  self->accounts = g_object_ref (accounts);
  self->token_store = g_object_ref (token_store);
  self->account = account != NULL ? g_object_ref (account) : NULL;
  _bd_add_account_window_check (self);

  return self;
}

/*
 * Public API
 */

/**
 * bd_add_account_window_new:
 * @parent: (nullable): the window it is opened from, modal over it
 * @accounts: where Add puts the account
 * @token_store: where Add keeps the token
 *
 * Add Account: the service's address, a token and optionally a CA file to
 * trust; Sign In asks `GET /v1/me` and shows the tenant, the user and
 * where the token will be kept; Add keeps the token, adds the account to
 * @accounts, emits #BdAddAccountWindow::added and closes the window.
 * Nothing is saved before Add.
 *
 * Returns: (transfer none): the window, not yet shown (gtk_window_present ())
 */
BdAddAccountWindow *
bd_add_account_window_new (GtkWindow     *parent,
                           BdAccountList *accounts,
                           BdTokenStore  *token_store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BD_IS_ACCOUNT_LIST (accounts), NULL);
  g_return_val_if_fail (BD_IS_TOKEN_STORE (token_store), NULL);

  return new_window (parent, accounts, token_store, NULL);
}

/**
 * bd_add_account_window_new_sign_in_again:
 * @account: a saved account whose token the service no longer accepts
 *
 * Sign In Again: Add Account for @account's service (its address and CA
 * file filled in, the token empty). A token of another user than
 * @account's is refused; Add replaces @account's token (the same key in
 * the keyring) and emits #BdAddAccountWindow::added.
 *
 * Returns: (transfer none): the window, not yet shown
 */
BdAddAccountWindow *
bd_add_account_window_new_sign_in_again (GtkWindow     *parent,
                                         BdAccountList *accounts,
                                         BdTokenStore  *token_store,
                                         BdAccount     *account)
{
  BdAddAccountWindow *self;
  g_autofree char *subtitle = NULL;
  const char *ca_file;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BD_IS_ACCOUNT_LIST (accounts), NULL);
  g_return_val_if_fail (BD_IS_TOKEN_STORE (token_store), NULL);
  g_return_val_if_fail (BD_IS_ACCOUNT (account) && !bd_account_is_demo (account), NULL);

  self = new_window (parent, accounts, token_store, account);
  gtk_window_set_title (GTK_WINDOW (self), _("Sign In Again"));
  adw_window_title_set_title (self->window_title, _("Sign In Again"));
  subtitle = bd_account_dup_title (account);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  /* The account is its address and user: only the token is asked for. */
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), bd_account_get_service_url (account));
  gtk_editable_set_editable (GTK_EDITABLE (self->url_row), FALSE);
  ca_file = bd_account_get_ca_file (account);
  bd_add_account_window_set_ca_file (self, ca_file != NULL && *ca_file != '\0' ? ca_file : NULL);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->token_row));

  return self;
}

/**
 * bd_add_account_window_get_ca_file:
 *
 * Returns: (nullable): the CA file chosen under "Trust this CA", or %NULL
 */
const char *
bd_add_account_window_get_ca_file (BdAddAccountWindow *self)
{
  g_return_val_if_fail (BD_IS_ADD_ACCOUNT_WINDOW (self), NULL);

  return self->ca_file;
}

/**
 * bd_add_account_window_set_ca_file:
 * @ca_file: (nullable): a PEM file of certificate authorities to trust for
 *   the service besides the system's, or %NULL for none
 *
 * What the file chooser of "Trust this CA" sets. Sign In's answer, if any,
 * is forgotten: it was not checked with this file.
 */
void
bd_add_account_window_set_ca_file (BdAddAccountWindow *self,
                                   const char         *ca_file)
{
  g_return_if_fail (BD_IS_ADD_ACCOUNT_WINDOW (self));

  if (g_strcmp0 (self->ca_file, ca_file) == 0)
    return;

  set_ca (self, ca_file, NULL, NULL);
  if (ca_file != NULL)
    _bd_add_account_window_read_ca_file (self, ca_file, ca_file_read_cb, GINT_TO_POINTER (FALSE));
}
