/* bd-store-pg-users.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Users and their bearer tokens in BdStorePg: finding a request's user by
 * its token, and what the `users` and `tokens` commands read and change.
 */

#define G_LOG_DOMAIN "bd-store-pg"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-store-pg-private.h"
#include "bd-token.h"

#define TOKEN_COLUMNS "id, user_id, label, created, expires, last_used, revoked"

void
_bd_store_pg_users_sql (const char **sql)
{
  /* Only the tokens that may sign in are candidates; every one of them is
   * compared (see _bd_store_pg_find_user_by_token ()).
   */
  sql[STMT_FIND_USER_BY_TOKEN_HASH] =
    "SELECT tokens.id, tokens.token_hash, tokens.last_used, "
    "users.id, users.display_name, users.roles "
    "FROM tokens JOIN users ON users.id = tokens.user_id "
    "WHERE NOT tokens.revoked AND NOT users.disabled "
    "AND (tokens.expires IS NULL OR tokens.expires > $1)";
  /* SKIP LOCKED: a row another transaction writes is skipped, not waited
   * for; a later request writes it.
   */
  sql[STMT_TOUCH_TOKEN] =
    "UPDATE tokens SET last_used = $2 WHERE id IN (SELECT id FROM tokens "
    "WHERE id = $1 AND (last_used IS NULL OR last_used < $2) FOR UPDATE SKIP LOCKED)";
  sql[STMT_LIST_USERS] = "SELECT id, display_name, roles, disabled FROM users ORDER BY id";
  sql[STMT_INSERT_USER] =
    "INSERT INTO users (id, display_name, roles) VALUES ($1, $2, $3) "
    "ON CONFLICT (id) DO NOTHING";
  sql[STMT_SET_USER_ROLES] = "UPDATE users SET roles = $2 WHERE id = $1";
  sql[STMT_SET_USER_DISABLED] = "UPDATE users SET disabled = $2 WHERE id = $1";
  /* No row when the user does not exist: the caller tells that apart. */
  sql[STMT_INSERT_TOKEN] =
    "INSERT INTO tokens (id, user_id, label, token_hash, created, expires) "
    "SELECT $1, id, $3, $4, $5, $6 FROM users WHERE id = $2";
  sql[STMT_LIST_TOKENS] =
    "SELECT " TOKEN_COLUMNS " FROM tokens ORDER BY user_id, created, id";
  sql[STMT_LIST_TOKENS_OF_USER] =
    "SELECT " TOKEN_COLUMNS " FROM tokens WHERE user_id = $1 ORDER BY created, id";
  sql[STMT_REVOKE_TOKEN] = "UPDATE tokens SET revoked = TRUE WHERE id = $1";
}

static gint64
time_or_never (const PGresult *result,
               int             row,
               int             column)
{
  if (PQgetisnull (result, row, column))
    return BD_STORE_NEVER;

  return _bd_pg_int (result, row, column);
}

static void
params_time_or_never (Params *params,
                      gint64  time)
{
  if (time == BD_STORE_NEVER)
    _bd_pg_params_text (params, NULL);
  else
    _bd_pg_params_int (params, time);
}

/* Always returns FALSE. */
static gboolean
set_no_user_error (const char  *id,
                   GError     **error)
{
  /* Translators: %s is a user's id */
  g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_FOUND, _("There is no user “%s”"), id);
  return FALSE;
}

/* Writes the token's last use, to the minute; never inside a transaction,
 * whose changes a failure here would undo.
 */
static void
touch_token (BdStorePg  *self,
             const char *id,
             gint64      minute)
{
  g_autoptr(GError) error = NULL;
  Params params = { 0 };

  if (self->in_transaction)
    return;

  _bd_pg_params_text (&params, id);
  _bd_pg_params_int (&params, minute);
  if (!_bd_pg_run_done (self, STMT_TOUCH_TOKEN, &params, DOING_WRITE, &error))
    g_debug ("The last use of token %s was not written: %s", id, error->message);
}

BdUser *
_bd_store_pg_find_user_by_token (BdStore     *store,
                                 const char  *token,
                                 gint64       now,
                                 GError     **error)
{
  BdStorePg *self = BD_STORE_PG (store);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(BdUser) found = NULL;
  g_autofree char *found_token_id = NULL;
  gint64 found_last_used = BD_STORE_NEVER;
  /* Rounded down, also before 1970. */
  gint64 minute = now - (((now % 60) + 60) % 60);
  guint8 token_hash[BD_TOKEN_HASH_LENGTH];
  Params params = { 0 };

  bd_token_hash (token, token_hash);
  _bd_pg_params_int (&params, now);
  result = _bd_pg_run (self, STMT_FIND_USER_BY_TOKEN_HASH, &params, DOING_READ, error);
  if (result == NULL)
    return NULL;

  /* As in SQLite: every candidate compared in constant time, the loop going
   * on after a match, so that the time taken says nothing of a guess.
   */
  for (int row = 0; row < PQntuples (result); row++)
    {
      g_autoptr(GBytes) stored = _bd_pg_bytes (result, row, 1);

      if (g_bytes_get_size (stored) != BD_TOKEN_HASH_LENGTH)
        {
          _bd_store_set_unreadable_row_error ("tokens", error);
          return NULL;
        }

      if (bd_token_hash_equal (g_bytes_get_data (stored, NULL), token_hash) && found == NULL)
        {
          found_token_id = _bd_pg_dup (result, row, 0);
          found_last_used = time_or_never (result, row, 2);
          found = bd_user_new (_bd_pg_str (result, row, 3), _bd_pg_str (result, row, 4),
                               (guint) _bd_pg_int (result, row, 5));
        }
    }

  /* Most requests read only: the row is written once a minute at most. */
  if (found != NULL && (found_last_used == BD_STORE_NEVER || found_last_used < minute))
    touch_token (self, found_token_id, minute);

  return g_steal_pointer (&found);
}

GPtrArray *
_bd_store_pg_list_users (BdStore  *store,
                         GError  **error)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  result = _bd_pg_run (BD_STORE_PG (store), STMT_LIST_USERS, &params, DOING_READ, error);
  if (result == NULL)
    return NULL;

  users = g_ptr_array_new_with_free_func ((GDestroyNotify) bd_stored_user_free);
  for (int row = 0; row < PQntuples (result); row++)
    {
      BdStoredUser *user = g_new0 (BdStoredUser, 1);

      user->user = bd_user_new (_bd_pg_str (result, row, 0), _bd_pg_str (result, row, 1),
                                (guint) _bd_pg_int (result, row, 2));
      user->disabled = _bd_pg_bool (result, row, 3);
      g_ptr_array_add (users, user);
    }

  return g_steal_pointer (&users);
}

/* Also for seeding: the user alone, without a token. */
gboolean
_bd_store_pg_add_user (BdStore  *store,
                       BdUser   *user,
                       GError  **error)
{
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  _bd_pg_params_text (&params, bd_user_get_id (user));
  _bd_pg_params_text (&params, bd_user_get_display_name (user));
  _bd_pg_params_int (&params, bd_user_get_roles (user));

  result = _bd_pg_run (BD_STORE_PG (store), STMT_INSERT_USER, &params, DOING_WRITE, error);
  if (result == NULL)
    return FALSE;

  if (_bd_pg_changes (result) == 0)
    {
      /* Translators: %s is a user's id */
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_EXISTS,
                   _("There is a user “%s” already"), bd_user_get_id (user));
      return FALSE;
    }

  return TRUE;
}

/* Runs an UPDATE of one user, $1 its id and $2 @value. */
static gboolean
update_user (BdStorePg    *self,
             StatementId   statement,
             const char   *id,
             Params       *params,
             GError      **error)
{
  g_autoptr(PGresult) result = _bd_pg_run (self, statement, params, DOING_WRITE, error);

  if (result == NULL)
    return FALSE;

  if (_bd_pg_changes (result) == 0)
    return set_no_user_error (id, error);

  return TRUE;
}

gboolean
_bd_store_pg_set_user_roles (BdStore     *store,
                             const char  *id,
                             guint        roles,
                             GError     **error)
{
  Params params = { 0 };

  _bd_pg_params_text (&params, id);
  _bd_pg_params_int (&params, roles);
  return update_user (BD_STORE_PG (store), STMT_SET_USER_ROLES, id, &params, error);
}

gboolean
_bd_store_pg_set_user_disabled (BdStore     *store,
                                const char  *id,
                                gboolean     disabled,
                                GError     **error)
{
  Params params = { 0 };

  _bd_pg_params_text (&params, id);
  _bd_pg_params_bool (&params, disabled);
  return update_user (BD_STORE_PG (store), STMT_SET_USER_DISABLED, id, &params, error);
}

gboolean
_bd_store_pg_add_token (BdStore              *store,
                        const BdStoredToken  *token,
                        const guint8         *token_hash,
                        GError              **error)
{
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  _bd_pg_params_text (&params, token->id);
  _bd_pg_params_text (&params, token->user_id);
  _bd_pg_params_text (&params, token->label);
  _bd_pg_params_bytes (&params, token_hash, BD_TOKEN_HASH_LENGTH);
  _bd_pg_params_int (&params, token->created);
  params_time_or_never (&params, token->expires);

  result = _bd_pg_run (BD_STORE_PG (store), STMT_INSERT_TOKEN, &params, DOING_WRITE, error);
  if (result == NULL)
    return FALSE;

  if (_bd_pg_changes (result) == 0)
    return set_no_user_error (token->user_id, error);

  return TRUE;
}

GPtrArray *
_bd_store_pg_list_tokens (BdStore     *store,
                          const char  *user_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  if (user_id != NULL)
    _bd_pg_params_text (&params, user_id);

  result = _bd_pg_run (BD_STORE_PG (store),
                       user_id != NULL ? STMT_LIST_TOKENS_OF_USER : STMT_LIST_TOKENS,
                       &params, DOING_READ, error);
  if (result == NULL)
    return NULL;

  tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) bd_stored_token_free);
  for (int row = 0; row < PQntuples (result); row++)
    {
      BdStoredToken *token = g_new0 (BdStoredToken, 1);

      token->id = _bd_pg_dup (result, row, 0);
      token->user_id = _bd_pg_dup (result, row, 1);
      token->label = _bd_pg_dup (result, row, 2);
      token->created = _bd_pg_int (result, row, 3);
      token->expires = time_or_never (result, row, 4);
      token->last_used = time_or_never (result, row, 5);
      token->revoked = _bd_pg_bool (result, row, 6);
      g_ptr_array_add (tokens, token);
    }

  return g_steal_pointer (&tokens);
}

gboolean
_bd_store_pg_revoke_token (BdStore     *store,
                           const char  *id,
                           GError     **error)
{
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  _bd_pg_params_text (&params, id);
  result = _bd_pg_run (BD_STORE_PG (store), STMT_REVOKE_TOKEN, &params, DOING_WRITE, error);
  if (result == NULL)
    return FALSE;

  if (_bd_pg_changes (result) == 0)
    {
      /* Translators: %s is a token's id, as `tokens list` shows it */
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_FOUND, _("There is no token “%s”"),
                   id);
      return FALSE;
    }

  return TRUE;
}
