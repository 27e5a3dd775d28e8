/* bd-manage-accounts-window.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-manage-accounts-window"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-list-cache.h"
#include "bd-manage-accounts-window.h"

/* Manage Accounts: the accounts added (the demo is always there and cannot
 * be removed), each with Remove. Removing one forgets its token, its
 * cached list and the account itself, in that order, so that no secret is
 * left behind an account that is gone.
 */
struct _BdManageAccountsWindow
{
  AdwWindow           parent_instance;

  BdAccountList      *accounts;
  BdTokenStore       *token_store;
  GtkFilterListModel *saved;       /* the accounts but the demo */
  gboolean            removing;    /* Remove in flight: its token is being cleared */

  GtkStack           *stack;
  GtkListBox         *list_box;
  GtkLabel           *error_label;
};

G_DEFINE_FINAL_TYPE (BdManageAccountsWindow, bd_manage_accounts_window, ADW_TYPE_WINDOW)

enum {
  SIGNAL_REMOVED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
show_error (BdManageAccountsWindow *self,
            const char             *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_state (BdManageAccountsWindow *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->saved)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manage.remove", !self->removing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.close", !self->removing);
}

static void
on_saved_items_changed_cb (BdManageAccountsWindow *self)
{
  update_state (self);
}

static gboolean
is_saved_account (gpointer item,
                  gpointer user_data)
{
  return !bd_account_is_demo (BD_ACCOUNT (item));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  BdAccount *account = BD_ACCOUNT (item);
  g_autofree char *title = bd_account_dup_title (account);
  g_autofree char *remove_label = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), bd_account_get_service_url (account));

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove Account"));
  /* Translators: the accessible name of an account's Remove button; %s is
   * the account, such as "Contoso A/S – Anne Berg" */
  remove_label = g_strdup_printf (_("Remove %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  remove_label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "manage.remove");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", bd_account_get_key (account));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

/* Remove in flight. It holds what it removes: the window may be destroyed
 * with its parent meanwhile, and the account still goes once its token is
 * gone.
 */
typedef struct
{
  BdManageAccountsWindow *self;
  BdAccountList          *accounts;
  BdAccount              *account;
} Removal;

static void
removal_free (Removal *removal)
{
  g_object_unref (removal->self);
  g_object_unref (removal->accounts);
  g_object_unref (removal->account);
  g_free (removal);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Removal, removal_free)

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Removal) removal = user_data;
  BdManageAccountsWindow *self = removal->self;
  gboolean disposed = self->accounts == NULL;
  g_autofree char *title = bd_account_dup_title (removal->account);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  const char *key = bd_account_get_key (removal->account);

  self->removing = FALSE;
  if (!bd_token_store_clear_finish (BD_TOKEN_STORE (object), result, &error))
    {
      g_debug ("Token of %s not cleared: %s", key, error->message);
      /* Translators: %s is an account, such as "Contoso A/S – Anne Berg" */
      message = g_strdup_printf (_("The token of %s could not be removed from the keyring, "
                                   "so the account was kept. Try again."), title);
    }
  else
    {
      /* The token is gone: the cached list goes, then the account. */
      if (!bd_list_cache_delete (bd_account_get_service_url (removal->account),
                                 bd_account_get_user_id (removal->account), &error))
        {
          g_debug ("Cached list of %s not deleted: %s", key, error->message);
          /* Translators: %s is an account, such as "Contoso A/S – Anne Berg" */
          message = g_strdup_printf (_("%s was removed, but the copy of its list kept for "
                                       "offline use could not be deleted."), title);
        }
      bd_account_list_remove (removal->accounts, key);
      g_signal_emit (self, signals [SIGNAL_REMOVED], 0, key);
    }

  if (disposed)
    return;
  /* A success leaves what is said: a second Remove refused meanwhile is
   * still to be done again. */
  if (message != NULL)
    show_error (self, message);
  update_state (self);
}

static void
on_confirm_response_cb (BdManageAccountsWindow *self,
                        const char             *response,
                        AdwMessageDialog       *dialog)
{
  const char *key = g_object_get_data (G_OBJECT (dialog), "bd-account-key");
  BdAccount *account;
  Removal *removal;

  if (g_strcmp0 (response, "remove") != 0)
    return;
  /* Two dialogs were open: the other one's Remove runs. Said, not queued:
   * the user may not want this one once they see the first one's outcome.
   */
  if (self->removing)
    {
      show_error (self, _("Another account is being removed. Remove this one again once it "
                          "is done."));
      return;
    }

  /* Gone meanwhile (removed in another window): nothing to do. */
  account = bd_account_list_lookup (self->accounts, key);
  if (account == NULL)
    return;

  show_error (self, NULL);
  self->removing = TRUE;
  update_state (self);
  removal = g_new0 (Removal, 1);
  removal->self = g_object_ref (self);
  removal->accounts = g_object_ref (self->accounts);
  removal->account = g_object_ref (account);
  bd_token_store_clear_async (self->token_store, bd_account_get_service_url (account),
                              bd_account_get_user_id (account), NULL, clear_cb, removal);
}

static void
manage_remove_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BdManageAccountsWindow *self = BD_MANAGE_ACCOUNTS_WINDOW (widget);
  const char *key = g_variant_get_string (parameter, NULL);
  BdAccount *account = bd_account_list_lookup (self->accounts, key);
  g_autofree char *title = NULL;
  AdwMessageDialog *dialog;

  if (account == NULL || bd_account_is_demo (account))
    return;

  title = bd_account_dup_title (account);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Remove Account?"),
                                                       NULL));
  /* Translators: the first %s is an account, such as "Contoso A/S – Anne
   * Berg", the second its service's address */
  adw_message_dialog_format_body (dialog, _("Billing Desk forgets %1$s at %2$s, its token and "
                                            "the copy of its list kept for offline use. To use "
                                            "it again, add it with a token."),
                                  title, bd_account_get_service_url (account));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "bd-account-key", g_strdup (key), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/*
 * GObject overrides
 */

static gboolean
bd_manage_accounts_window_close_request (GtkWindow *window)
{
  BdManageAccountsWindow *self = BD_MANAGE_ACCOUNTS_WINDOW (window);

  /* A removal finishes first: no account is left without its token. */
  if (self->removing)
    return TRUE;

  return GTK_WINDOW_CLASS (bd_manage_accounts_window_parent_class)->close_request (window);
}

static void
bd_manage_accounts_window_dispose (GObject *object)
{
  BdManageAccountsWindow *self = (BdManageAccountsWindow *)object;

  if (self->saved != NULL)
    g_signal_handlers_disconnect_by_data (self->saved, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BD_TYPE_MANAGE_ACCOUNTS_WINDOW);
  g_clear_object (&self->saved);
  g_clear_object (&self->accounts);
  g_clear_object (&self->token_store);

  G_OBJECT_CLASS (bd_manage_accounts_window_parent_class)->dispose (object);
}

static void
bd_manage_accounts_window_class_init (BdManageAccountsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bd_manage_accounts_window_dispose;
  window_class->close_request = bd_manage_accounts_window_close_request;

  /**
   * BdManageAccountsWindow::removed:
   * @key: the key of the account removed (bd_account_get_key ())
   *
   * Emitted once the account's token, its cached list and the account are
   * gone: the windows that showed it go to another account.
   */
  signals [SIGNAL_REMOVED] =
    g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billingdesk/BillingDesk/"
                                               "bd-manage-accounts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BdManageAccountsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BdManageAccountsWindow, list_box);
  gtk_widget_class_bind_template_child (widget_class, BdManageAccountsWindow, error_label);

  gtk_widget_class_install_action (widget_class, "manage.remove", "s", manage_remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bd_manage_accounts_window_init (BdManageAccountsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/*
 * Public API
 */

/**
 * bd_manage_accounts_window_new:
 * @parent: (nullable): the window it is opened from, modal over it
 * @accounts: the accounts to show and remove from
 * @token_store: where their tokens are kept
 *
 * Manage Accounts: the accounts of @accounts but the demo, each "tenant –
 * user" with its address and Remove, which asks first, then clears the
 * token, deletes the cached list, removes the account and emits
 * #BdManageAccountsWindow::removed.
 *
 * Returns: (transfer none): the window, not yet shown (gtk_window_present ())
 */
BdManageAccountsWindow *
bd_manage_accounts_window_new (GtkWindow     *parent,
                               BdAccountList *accounts,
                               BdTokenStore  *token_store)
{
  BdManageAccountsWindow *self;
  GtkCustomFilter *filter;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BD_IS_ACCOUNT_LIST (accounts), NULL);
  g_return_val_if_fail (BD_IS_TOKEN_STORE (token_store), NULL);

  self = g_object_new (BD_TYPE_MANAGE_ACCOUNTS_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->accounts = g_object_ref (accounts);
  self->token_store = g_object_ref (token_store);

  filter = gtk_custom_filter_new (is_saved_account, NULL, NULL);
  self->saved = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (accounts)),
                                           GTK_FILTER (filter));
  g_signal_connect_swapped (self->saved, "items-changed",
                            G_CALLBACK (on_saved_items_changed_cb), self);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->saved), create_row, NULL, NULL);
  update_state (self);

  return self;
}
