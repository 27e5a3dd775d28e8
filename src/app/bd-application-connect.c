/* bd-application-connect.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-application"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bd-application-private.h"
#include "bd-tls-database.h"
#include "bd-window.h"

/* The demo's data: $XDG_DATA_HOME/billing-desk/local, and a development
 * build's apart, under its app id: its service may migrate the database to a
 * schema that the user's installed build cannot read yet. */
#if DEVELOPMENT_BUILD
#define DEMO_DATA_PARENT APPLICATION_ID
#else
#define DEMO_DATA_PARENT "billing-desk"
#endif

/* A client of its own for each window: on the demo, through the service the
 * app starts for the first window on it and shares; for an account added,
 * with the token the keyring keeps; for a service named on the command line,
 * with the token it was given.
 */

G_DEFINE_QUARK (bd-application-error-quark, bd_application_error)

typedef struct
{
  BdAccount *account;       /* (nullable) */
  char      *demo_user_id;  /* the demo user signed in as */
  char      *demo_token;
} ConnectData;

void
_bd_session_free (gpointer data)
{
  BdSession *session = data;

  /* The token is wiped before its memory goes back, as Add Account's is. */
  if (session->token != NULL)
    explicit_bzero (session->token, strlen (session->token));
  g_free (session->token);
  g_free (session->ca_file);
  g_free (session);
}

static void
connect_data_free (gpointer data)
{
  ConnectData *connect = data;

  g_clear_object (&connect->account);
  g_free (connect->demo_user_id);
  g_free (connect->demo_token);
  g_free (connect);
}

static const char *
demo_tenant_path (void)
{
  const char *path = g_getenv ("BILLING_DESK_DEMO_TENANT");

  return path != NULL ? path : DATADIR "/billing-desk/demo-tenant.json";
}

static const char *
service_program (void)
{
  const char *program = g_getenv ("BILLING_DESK_SERVICE_PROGRAM");

  return program != NULL ? program : BINDIR "/billing-desk-service";
}

static GMenuModel *build_users_menu (BdApplication *self);

/* The demo tenant's users and their demo tokens, for Sign In As. */
gboolean
_bd_application_load_demo (BdApplication  *self,
                           GError        **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  if (g_file_get_contents (demo_tenant_path (), &text, &length, &local_error))
    self->demo_tenant = bd_tenant_file_read (text, (gssize) length,
                                             g_get_real_time () / G_USEC_PER_SEC, &local_error);

  if (self->demo_tenant == NULL)
    {
      g_set_error (error, BD_APPLICATION_ERROR, BD_APPLICATION_ERROR_NO_SERVICE,
                   /* Translators: %s says what is wrong with the file */
                   _("The demo tenant could not be read: %s"), local_error->message);
      return FALSE;
    }

  self->demo_users = build_users_menu (self);
  return TRUE;
}

/* "win.sign-in-as" items, one per demo user with a token: each window on
 * the demo signs in as one of them.
 */
static GMenuModel *
build_users_menu (BdApplication *self)
{
  GMenu *menu = g_menu_new ();

  for (guint i = 0; i < self->demo_tenant->users->len; i++)
    {
      BdUser *user = g_ptr_array_index (self->demo_tenant->users, i);
      g_autoptr(GMenuItem) item = NULL;

      /* A user the tenant file gives no token can't be signed in as. */
      if (g_ptr_array_index (self->demo_tenant->tokens, i) == NULL)
        continue;

      item = g_menu_item_new (bd_user_get_display_name (user), NULL);
      g_menu_item_set_action_and_target_value (item, "win.sign-in-as",
                                               g_variant_new_string (bd_user_get_id (user)));
      g_menu_append_item (menu, item);
    }

  return G_MENU_MODEL (menu);
}

/* The demo user @id (or, with NULL or an unknown id, the first Global
 * admin), with their token; FALSE when there is none.
 */
static gboolean
find_demo_user (BdApplication  *self,
                const char     *id,
                ConnectData    *connect)
{
  GPtrArray *users = self->demo_tenant->users;

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < users->len; i++)
      {
        BdUser *user = g_ptr_array_index (users, i);
        const char *token = g_ptr_array_index (self->demo_tenant->tokens, i);

        if (token == NULL)
          continue;
        if (pass == 0 ? g_strcmp0 (bd_user_get_id (user), id) != 0
                      : !bd_user_has_role (user, BD_ROLE_GLOBAL_ADMIN))
          continue;

        connect->demo_user_id = g_strdup (bd_user_get_id (user));
        connect->demo_token = g_strdup (token);
        return TRUE;
      }

  return FALSE;
}

static BdClient *
make_client (const char  *url,
             const char  *token,
             const char  *ca_file,
             GError     **error)
{
  g_autoptr(GTlsDatabase) database = NULL;

  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autoptr(GError) local_error = NULL;

      database = bd_tls_database_new (ca_file, &local_error);
      if (database == NULL)
        {
          g_set_error (error, BD_APPLICATION_ERROR, BD_APPLICATION_ERROR_CA_FILE,
                       /* Translators: %1$s is a file name, %2$s what is wrong with it */
                       _("The certificate authority file %1$s can’t be used: %2$s"),
                       ca_file, local_error->message);
          return NULL;
        }
    }

  return g_object_new (BD_TYPE_CLIENT,
                       "base-url", url,
                       "token", token,
                       "tls-database", database,
                       NULL);
}

static void
return_demo_client (GTask *task)
{
  BdApplication *self = g_task_get_source_object (task);
  ConnectData *connect = g_task_get_task_data (task);

  if (self->demo_error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->demo_error));
      return;
    }

  g_task_return_pointer (task,
                         bd_client_new (bd_local_service_get_url (self->local_service),
                                        connect->demo_token),
                         g_object_unref);
}

/*
 * The demo's service: started for the first window on the demo, shared by
 * every window on it, stopped when the app ends.
 */

static void
start_local_service_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(BdApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->demo_waiters);

  if (!bd_local_service_start_finish (BD_LOCAL_SERVICE (object), result, &error))
    {
      /* Cancelled at shutdown: each waiter is still answered, so that
       * what it holds (its window) goes. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          for (guint i = 0; waiters != NULL && i < waiters->len; i++)
            g_task_return_error (g_ptr_array_index (waiters, i), g_error_copy (error));
          return;
        }
      self->demo_error = g_error_new_literal (BD_APPLICATION_ERROR,
                                              BD_APPLICATION_ERROR_NO_SERVICE, error->message);
    }

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    return_demo_client (g_ptr_array_index (waiters, i));
}

static void
on_local_service_exited_cb (BdApplication *self)
{
  g_clear_error (&self->demo_error);
  self->demo_error = g_error_new_literal (BD_APPLICATION_ERROR, BD_APPLICATION_ERROR_NO_SERVICE,
                                          _("The built-in billing service ended unexpectedly. "
                                            "Restart Billing Desk to start it again."));

  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL;
       l = l->next)
    {
      BdAccount *account = BD_IS_WINDOW (l->data) ? bd_window_get_account (l->data) : NULL;

      if (account != NULL && bd_account_is_demo (account))
        bd_window_show_error (l->data, _("The Billing Service Stopped"),
                              self->demo_error->message);
    }
}

/**
 * _bd_application_start_demo:
 *
 * Starts the demo's service, unless it was started already or the demo
 * can't be used. The first window on the demo calls it before it is built,
 * so that the service starts (another process) while the window is built
 * and drawn; the window then waits for it as any window on the demo does.
 */
void
_bd_application_start_demo (BdApplication *self)
{
  g_autofree char *data_dir = NULL;

  if (self->demo_error != NULL || self->local_service != NULL)
    return;

  self->demo_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  data_dir = g_build_filename (g_get_user_data_dir (), DEMO_DATA_PARENT, "local", NULL);
  self->local_service = bd_local_service_new (service_program (), data_dir,
                                              demo_tenant_path ());
  g_signal_connect_object (self->local_service, "exited",
                           G_CALLBACK (on_local_service_exited_cb), self, G_CONNECT_SWAPPED);
  bd_local_service_start_async (self->local_service, self->cancellable,
                                start_local_service_cb, g_object_ref (self));
}

static void
connect_demo (BdApplication *self,
              GTask         *task,
              const char    *demo_user_id)
{
  ConnectData *connect = g_task_get_task_data (task);

  if (self->demo_error == NULL && !find_demo_user (self, demo_user_id, connect))
    self->demo_error = g_error_new_literal (BD_APPLICATION_ERROR,
                                            BD_APPLICATION_ERROR_NO_SERVICE,
                                            _("The demo tenant has no user to sign in as."));

  if (self->demo_error != NULL ||
      (self->local_service != NULL && self->demo_waiters == NULL))
    {
      return_demo_client (task);
      return;
    }

  _bd_application_start_demo (self);
  g_ptr_array_add (self->demo_waiters, g_object_ref (task));
}

static void
lookup_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BdAccount *account;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  BdClient *client;

  account = ((ConnectData *) g_task_get_task_data (task))->account;
  token = bd_token_store_lookup_finish (BD_TOKEN_STORE (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (token == NULL)
    {
      g_task_return_new_error (task, BD_APPLICATION_ERROR, BD_APPLICATION_ERROR_SIGNED_OUT,
                               _("No token is kept for this account."));
      return;
    }

  client = make_client (bd_account_get_service_url (account), token,
                        bd_account_get_ca_file (account), &error);
  if (client == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, client, g_object_unref);
}

/**
 * bd_application_connect_async:
 * @account: (nullable): the account; NULL for the service @session_url
 * @session_url: (nullable): a service named on the command line
 * @demo_user_id: (nullable): on the demo, the user to sign in as; NULL for
 *   the first Global admin
 *
 * Makes a client of its own for @account: on the demo, once its service
 * runs (started by the first window on it); for an account added, with its
 * token from the keyring (%BD_APPLICATION_ERROR_SIGNED_OUT when none is
 * kept) and its CA file.
 */
void
bd_application_connect_async (BdApplication       *self,
                              BdAccount           *account,
                              const char          *session_url,
                              const char          *demo_user_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ConnectData *connect;
  BdSession *session;
  BdClient *client;

  g_return_if_fail (BD_IS_APPLICATION (self));
  g_return_if_fail (account != NULL || session_url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bd_application_connect_async);
  connect = g_new0 (ConnectData, 1);
  connect->account = account != NULL ? g_object_ref (account) : NULL;
  g_task_set_task_data (task, connect, connect_data_free);

  if (account != NULL && bd_account_is_demo (account))
    {
      connect_demo (self, task, demo_user_id);
      return;
    }

  if (account != NULL)
    {
      bd_token_store_lookup_async (self->token_store, bd_account_get_service_url (account),
                                   bd_account_get_user_id (account), cancellable,
                                   lookup_token_cb, g_steal_pointer (&task));
      return;
    }

  session = g_hash_table_lookup (self->sessions, session_url);
  if (session == NULL)
    {
      g_task_return_new_error (task, BD_APPLICATION_ERROR, BD_APPLICATION_ERROR_SIGNED_OUT,
                               _("No token is kept for this account."));
      return;
    }

  client = make_client (session_url, session->token, session->ca_file, &error);
  if (client == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, client, g_object_unref);
}

/**
 * bd_application_connect_finish:
 * @demo_user_id: (out) (optional) (transfer full): on the demo, the user signed in as
 *
 * Returns: (transfer full) (nullable): the client, or NULL with an error
 */
BdClient *
bd_application_connect_finish (BdApplication  *self,
                               GAsyncResult   *result,
                               char          **demo_user_id,
                               GError        **error)
{
  ConnectData *connect;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  connect = g_task_get_task_data (G_TASK (result));
  if (demo_user_id != NULL)
    *demo_user_id = g_strdup (connect->demo_user_id);

  return g_task_propagate_pointer (G_TASK (result), error);
}
