/* bd-add-account-window-requests.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-add-account-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bd-add-account-window-private.h"
#include "bd-tls-database.h"

/* Add Account's requests: Sign In (`GET /v1/me` with the address, the
 * token and the CA file as typed, each failure said in its own words),
 * Add (the token into the token store, then the account into the list),
 * and the token store's check of where a token would be kept. The window
 * is in bd-add-account-window.c.
 */

/* Overwrites a copy of a token before its memory goes back to the
 * allocator (as BdTokenStore does), and sets *@token to NULL.
 */
void
_bd_add_account_window_wipe_token (char **token)
{
  char *text = g_steal_pointer (token);

  if (text == NULL)
    return;
  explicit_bzero (text, strlen (text));
  g_free (text);
}

/* The address as typed, or with https:// when it names no scheme, as the
 * account keeps it (bd_account_normalize_url ()); NULL when it is empty or
 * not an http(s) address of a host.
 */
static char *
read_url (BdAddAccountWindow  *self,
          GError             **error)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  g_autofree char *text = g_strstrip (g_strdup (typed));
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (*text == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the address of the billing service, such as "
                             "https://billing.example.dk."));
      return NULL;
    }

  /* "billing.example.dk" means https: a token never goes unencrypted. */
  if (strstr (text, "://") != NULL)
    with_scheme = g_strdup (text);
  else
    with_scheme = g_strconcat ("https://", text, NULL);
  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is what was typed as the service address */
                   _("“%s” is not the address of a billing service. Enter an address such "
                     "as https://billing.example.dk."), text);
      return NULL;
    }

  return bd_account_normalize_url (with_scheme);
}

static GTlsDatabase *
open_ca_file (const char  *ca_file,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GTlsDatabase *database = bd_tls_database_new (ca_file, &local_error);

  if (database == NULL)
    {
      g_debug ("CA file %s: %s", ca_file, local_error->message);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a file name */
                   _("%s holds no certificate Billing Desk can read. Choose the certificate "
                     "of your organization’s certificate authority, a PEM file."), ca_file);
    }

  return database;
}

static void
read_ca_file_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;
  GTlsDatabase *database = open_ca_file (task_data, &error);

  if (database == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, database, g_object_unref);
}

/* Reads @ca_file in a thread, not on the main one: a file on a slow or
 * stuck network share never freezes the window. Sign In pressed meanwhile
 * waits for it (_bd_add_account_window_read_ca_done ()).
 */
void
_bd_add_account_window_read_ca_file (BdAddAccountWindow  *self,
                                     const char          *ca_file,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, self->ca_cancellable, callback, user_data);

  g_task_set_source_tag (task, _bd_add_account_window_read_ca_file);
  g_task_set_task_data (task, g_strdup (ca_file), g_free);
  self->n_reading++;
  _bd_add_account_window_update_actions (self);
  g_task_run_in_thread (task, read_ca_file_thread);
}

/* @ca_file: (out): the file read
 * Returns: (transfer full): its certificates, or NULL with @error (cancelled
 *   once the window is disposed) */
GTlsDatabase *
_bd_add_account_window_read_ca_file_finish (BdAddAccountWindow  *self,
                                            GAsyncResult        *result,
                                            const char         **ca_file,
                                            GError             **error)
{
  *ca_file = g_task_get_task_data (G_TASK (result));
  self->n_reading--;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A read is done: a Sign In that waited for it goes on. */
void
_bd_add_account_window_read_ca_done (BdAddAccountWindow *self)
{
  _bd_add_account_window_update_actions (self);
  if (self->n_reading > 0 || !self->sign_in_pending)
    return;
  self->sign_in_pending = FALSE;
  _bd_add_account_window_set_busy (self, FALSE);
  _bd_add_account_window_sign_in (self);
}

/* What went wrong at Sign In, in words: each failure its own sentence. */
static const char *
describe_error (const GError *error)
{
  if (error->domain != BD_CLIENT_ERROR)
    return error->message;

  switch ((BdClientError) error->code)
    {
    case BD_CLIENT_ERROR_UNREACHABLE:
      return _("Nothing answers at this address. Check the address and your network "
               "connection, then sign in again.");
    case BD_CLIENT_ERROR_TIMEOUT:
    case BD_CLIENT_ERROR_CONNECTION_LOST:
      return _("The service at this address did not answer. Try again later.");
    case BD_CLIENT_ERROR_BAD_ANSWER:
      return _("This address does not answer as a Billing Desk service. Check that it is "
               "the address your administrator gave you.");
    case BD_CLIENT_ERROR_UNTRUSTED_CERTIFICATE:
      return _("The service’s certificate is not trusted, so Billing Desk did not send the "
               "token. If the service uses your organization’s own certificate authority, "
               "choose its certificate under “Trust this CA”.");
    case BD_CLIENT_ERROR_INSECURE_URL:
      return _("Billing Desk does not send a token unencrypted to another computer. Use the "
               "service’s https:// address.");
    case BD_CLIENT_ERROR_API:
    default:
      break;
    }

  if (bd_client_error_get_api_code (error) == BD_ERROR_CODE_UNAUTHENTICATED)
    return _("The service did not accept this token. Check that it was copied whole, or "
             "ask your administrator for a new one.");

  /* An answer without the API's error document (a web page's 404, a
   * proxy's 403): some other server.
   */
  if (bd_client_error_get_api_code (error) == BD_ERROR_CODE_UNKNOWN &&
      bd_client_error_get_http_status (error) < 500)
    return _("This address does not answer as a Billing Desk service. Check that it is "
             "the address your administrator gave you.");

  return error->message;
}

/*
 * Sign In
 */

static void
get_me_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BdAddAccountWindow *self = user_data;
  g_autoptr(BdUser) user = NULL;
  g_autoptr(BdTenant) tenant = NULL;
  g_autoptr(GError) error = NULL;

  if (!bd_client_get_me_finish (BD_CLIENT (object), result, &user, &tenant, NULL, &error))
    {
      /* Edited or closed meanwhile: the window may be gone. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      _bd_add_account_window_wipe_token (&self->token);
      _bd_add_account_window_set_busy (self, FALSE);
      _bd_add_account_window_show_error (self, describe_error (error));
      return;
    }

  _bd_add_account_window_set_busy (self, FALSE);
  if (self->account != NULL &&
      g_strcmp0 (bd_user_get_id (user), bd_account_get_user_id (self->account)) != 0)
    {
      g_autofree char *message = NULL;

      _bd_add_account_window_wipe_token (&self->token);
      /* Translators: Sign In Again with a token of someone else; the
       * first %s is that user's name, the second the account's user */
      message = g_strdup_printf (_("This token signs in as %1$s, not as %2$s. Sign in with a "
                                   "token of %2$s, or add %1$s as an account of its own."),
                                 bd_user_get_display_name (user),
                                 bd_account_get_user_name (self->account));
      _bd_add_account_window_show_error (self, message);
      return;
    }

  self->user = g_steal_pointer (&user);
  self->tenant = g_steal_pointer (&tenant);
  _bd_add_account_window_show_result (self);
}

static BdClient *
new_client (BdAddAccountWindow  *self,
            const char          *service_url,
            const char          *token,
            GError             **error)
{
  g_autoptr(BdClient) client = NULL;

  if (self->ca_file != NULL && self->ca_database == NULL)
    {
      g_propagate_error (error, g_error_copy (self->ca_error));
      return NULL;
    }

  client = g_object_new (BD_TYPE_CLIENT,
                         "base-url", service_url,
                         "token", token,
                         "tls-database", self->ca_database,
                         NULL);

  /* Plain http to another computer is refused before anything is sent. */
  if (!bd_client_check_base_url (client, error))
    return NULL;

  return g_steal_pointer (&client);
}

void
_bd_add_account_window_sign_in (BdAddAccountWindow *self)
{
  char *token = NULL;
  g_autoptr(BdClient) client = NULL;
  g_autoptr(GError) error = NULL;

  /* The CA file is still being read: Sign In goes on once it is. */
  if (self->n_reading > 0)
    {
      _bd_add_account_window_clear_result (self);
      self->sign_in_pending = TRUE;
      _bd_add_account_window_set_busy (self, TRUE);
      return;
    }

  _bd_add_account_window_clear_result (self);

  self->service_url = read_url (self, &error);
  if (self->service_url == NULL)
    {
      _bd_add_account_window_show_error (self, error->message);
      return;
    }

  token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));
  if (*token == '\0')
    {
      _bd_add_account_window_wipe_token (&token);
      _bd_add_account_window_show_error (self,
                                         _("Enter the access token your administrator gave "
                                           "you."));
      return;
    }

  client = new_client (self, self->service_url, token, &error);
  if (client == NULL)
    {
      _bd_add_account_window_wipe_token (&token);
      _bd_add_account_window_show_error (self, describe_error (error));
      return;
    }

  self->token = token;
  self->signed_in_ca_file = g_strdup (self->ca_file);
  _bd_add_account_window_set_busy (self, TRUE);
  bd_client_get_me_async (client, self->cancellable, get_me_cb, self);
}

/*
 * Add
 */

/* Add in flight. It holds what it adds: the window may be destroyed with
 * its parent meanwhile, and the account still goes with the token kept.
 */
typedef struct
{
  BdAddAccountWindow *self;
  BdAccountList      *accounts;
  BdAccount          *account;
} Adding;

static void
adding_free (Adding *adding)
{
  g_object_unref (adding->self);
  g_object_unref (adding->accounts);
  g_object_unref (adding->account);
  g_free (adding);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Adding, adding_free)

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Adding) adding = user_data;
  BdAddAccountWindow *self = adding->self;
  gboolean disposed = self->accounts == NULL;
  gboolean session_only = FALSE;
  g_autoptr(GError) error = NULL;

  self->storing = FALSE;
  if (!bd_token_store_store_finish (BD_TOKEN_STORE (object), result, &session_only, &error))
    {
      g_debug ("Token not stored: %s", error->message);
      if (disposed)
        return;
      _bd_add_account_window_set_busy (self, FALSE);
      _bd_add_account_window_show_error (self, _("Billing Desk could not keep the token, so the "
                                                 "account was not added. Try again."));
      return;
    }

  /* In Sign In Again, the same key: the account is replaced where it is. */
  bd_account_list_add (adding->accounts, adding->account);
  g_signal_emit_by_name (self, "added", adding->account);
  if (disposed)
    return;
  if (!session_only || self->storage == STORAGE_SESSION)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  /* The window said "keyring", but the keyring failed or did not answer
   * meanwhile: the user learns that the token will not be there after a
   * restart before the window goes, and closes it with Done.
   */
  g_debug ("Token of the account added kept for this session only");
  self->storage = STORAGE_SESSION;
  self->added = TRUE;
  _bd_add_account_window_set_busy (self, FALSE);
  _bd_add_account_window_show_result (self);
}

void
_bd_add_account_window_add (BdAddAccountWindow *self)
{
  g_autofree char *label = NULL;
  Adding *adding;

  if (self->user == NULL || self->busy)
    return;
  /* Added already: the button is Done. */
  if (self->added)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  adding = g_new0 (Adding, 1);
  adding->self = g_object_ref (self);
  adding->accounts = g_object_ref (self->accounts);
  adding->account = bd_account_new (self->service_url, bd_user_get_id (self->user),
                                    bd_tenant_get_display_name (self->tenant),
                                    bd_user_get_display_name (self->user),
                                    self->signed_in_ca_file);

  /* Translators: the keyring item's name: the organisation and the user,
   * such as "Billing Desk: Contoso A/S – Anne Berg" */
  label = g_strdup_printf (_("Billing Desk: %1$s – %2$s"),
                           bd_tenant_get_display_name (self->tenant),
                           bd_user_get_display_name (self->user));
  self->storing = TRUE;
  _bd_add_account_window_set_busy (self, TRUE);
  bd_token_store_store_async (self->token_store, self->service_url, bd_user_get_id (self->user),
                              label, self->token, NULL, store_cb, adding);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  BdAddAccountWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean keyring = bd_token_store_check_finish (BD_TOKEN_STORE (object), result, &error);

  /* Closed meanwhile: the window may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->storage = keyring ? STORAGE_KEYRING : STORAGE_SESSION;
  _bd_add_account_window_show_result (self);
  _bd_add_account_window_update_actions (self);
}

void
_bd_add_account_window_check (BdAddAccountWindow *self)
{
  bd_token_store_check_async (self->token_store, self->check_cancellable, check_cb, self);
}
