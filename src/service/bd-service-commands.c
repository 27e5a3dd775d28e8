/* bd-service-commands.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The users and tokens commands of billing-desk-service: what an
 * administrator runs to say who may use the service (docs/design.md,
 * "Users and tokens"). They speak only through BdStore, so that they work
 * the same on any database behind it.
 */

#define G_LOG_DOMAIN "bd-service-commands"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

#include "bd-service-commands.h"
#include "bd-store.h"
#include "bd-token.h"

#define DATABASE_NAME "billing.sqlite"

/* The database of --database or the data directory: it must exist and
 * hold a tenant (the server seeds it), so that a mistyped --data-dir or
 * sqlite:PATH creates nothing.
 */
static BdStore *
open_store (const BdServiceOptions  *options,
            GError                 **error)
{
  g_autofree char *db_path = NULL;
  g_autofree char *location = NULL;
  g_autoptr(BdStore) store = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *where = options->database != NULL ? options->database : options->data_dir;

  if (options->database == NULL)
    db_path = g_build_filename (options->data_dir, DATABASE_NAME, NULL);
  else if (g_str_has_prefix (options->database, "sqlite:"))
    db_path = g_strdup (options->database + strlen ("sqlite:"));

  if (db_path != NULL && !g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_SEEDED,
                   /* Translators: %s is the data directory */
                   _("%s holds no billing database: start the service on it with "
                     "--tenant-file FILE first"), where);
      return NULL;
    }

  /* A location, not a path, as the server opens it. */
  location = options->database != NULL ? g_strdup (options->database)
                                       : g_strconcat ("sqlite:", db_path, NULL);
  store = bd_store_open (location, BD_STORE_DURABLE, error);
  if (store == NULL)
    return NULL;

  if (!bd_store_is_seeded (store, &local_error))
    {
      if (local_error == NULL)
        g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_SEEDED,
                     _("%s holds no tenant yet: give --tenant-file FILE to seed it"), where);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&store);
}

static char *
format_roles (guint roles)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = NULL;

  for (guint role = 0; role <= BD_ROLE_USER; role++)
    {
      if ((roles & BD_ROLE_MASK (role)) != 0)
        g_strv_builder_add (builder, bd_role_to_string ((BdRole) role));
    }

  words = g_strv_builder_end (builder);
  return g_strjoinv (",", words);
}

static char *
format_time_or_never (gint64 time)
{
  return time == BD_STORE_NEVER ? g_strdup ("never") : bd_time_format (time);
}

/* users list: id, name, roles, disabled or enabled. */
static gboolean
list_users (BdStore  *store,
            GString  *out,
            GError  **error)
{
  g_autoptr(GPtrArray) users = bd_store_list_users (store, error);

  if (users == NULL)
    return FALSE;

  for (guint i = 0; i < users->len; i++)
    {
      BdStoredUser *stored = g_ptr_array_index (users, i);
      g_autofree char *roles = format_roles (bd_user_get_roles (stored->user));

      g_string_append_printf (out, "%s\t%s\t%s\t%s\n", bd_user_get_id (stored->user),
                              bd_user_get_display_name (stored->user), roles,
                              stored->disabled ? "disabled" : "enabled");
    }

  return TRUE;
}

static gboolean
check_user_exists (BdStore     *store,
                   const char  *id,
                   GError     **error)
{
  g_autoptr(GPtrArray) users = bd_store_list_users (store, error);

  if (users == NULL)
    return FALSE;

  for (guint i = 0; i < users->len; i++)
    {
      BdStoredUser *stored = g_ptr_array_index (users, i);

      if (g_strcmp0 (bd_user_get_id (stored->user), id) == 0)
        return TRUE;
    }

  /* Translators: %s is a user's id */
  g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_FOUND, _("There is no user “%s”"), id);
  return FALSE;
}

/* tokens list: id, user, label, created, expires, last used, state. */
static gboolean
list_tokens (BdStore     *store,
             const char  *user_id,
             GString     *out,
             GError     **error)
{
  g_autoptr(GPtrArray) tokens = NULL;

  if (user_id != NULL && !check_user_exists (store, user_id, error))
    return FALSE;

  tokens = bd_store_list_tokens (store, user_id, error);
  if (tokens == NULL)
    return FALSE;

  for (guint i = 0; i < tokens->len; i++)
    {
      BdStoredToken *token = g_ptr_array_index (tokens, i);
      g_autofree char *created = bd_time_format (token->created);
      g_autofree char *expires = format_time_or_never (token->expires);
      g_autofree char *last_used = format_time_or_never (token->last_used);

      g_string_append_printf (out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", token->id, token->user_id,
                              token->label, created, expires, last_used,
                              token->revoked ? "revoked" : "active");
    }

  return TRUE;
}

/* tokens create: the new token, once; only its hash is stored. */
static gboolean
create_token (BdStore                 *store,
              const BdServiceOptions  *options,
              GString                 *out,
              GError                 **error)
{
  g_autofree char *token = bd_token_new ();
  g_autofree char *id = bd_token_new_id ();
  guint8 token_hash[BD_TOKEN_HASH_LENGTH];
  BdStoredToken stored = { NULL };

  bd_token_hash (token, token_hash);
  stored.id = id;
  stored.user_id = options->user_id;
  stored.label = options->name != NULL ? options->name : (char *) "";
  stored.created = options->now;
  stored.expires = options->expires_in > 0 ? options->now + options->expires_in
                                           : BD_STORE_NEVER;

  if (!bd_store_add_token (store, &stored, token_hash, error))
    return FALSE;

  g_string_append_printf (out, "%s\n", token);
  return TRUE;
}

static gboolean
run (BdStore                 *store,
     const BdServiceOptions  *options,
     GString                 *out,
     GError                 **error)
{
  g_autoptr(BdUser) user = NULL;

  switch (options->command)
    {
    case BD_SERVICE_COMMAND_USERS_LIST:
      return list_users (store, out, error);

    case BD_SERVICE_COMMAND_USERS_ADD:
      user = bd_user_new (options->target, options->name, options->roles);
      return bd_store_add_user (store, user, error);

    case BD_SERVICE_COMMAND_USERS_SET_ROLES:
      return bd_store_set_user_roles (store, options->target, options->roles, error);

    case BD_SERVICE_COMMAND_USERS_DISABLE:
    case BD_SERVICE_COMMAND_USERS_ENABLE:
      return bd_store_set_user_disabled (store, options->target,
                                         options->command == BD_SERVICE_COMMAND_USERS_DISABLE,
                                         error);

    case BD_SERVICE_COMMAND_TOKENS_CREATE:
      return create_token (store, options, out, error);

    case BD_SERVICE_COMMAND_TOKENS_LIST:
      return list_tokens (store, options->user_id, out, error);

    case BD_SERVICE_COMMAND_TOKENS_REVOKE:
      return bd_store_revoke_token (store, options->target, error);

    case BD_SERVICE_COMMAND_SERVE:
    case BD_SERVICE_COMMAND_VERSION:
    default:
      g_assert_not_reached ();
    }
}

/**
 * bd_service_run_command:
 *
 * Runs a users or tokens command on the database in the data directory.
 */
int
bd_service_run_command (const BdServiceOptions *options)
{
  g_autoptr(BdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (options != NULL, EXIT_FAILURE);

  store = open_store (options, &error);
  if (store == NULL || !run (store, options, out, &error))
    {
      g_printerr ("%s: %s\n", BD_SERVICE_PROGRAM_NAME, error->message);
      return EXIT_FAILURE;
    }

  /* Nothing on stdout before the command succeeded. */
  fputs (out->str, stdout);
  fflush (stdout);
  return EXIT_SUCCESS;
}
