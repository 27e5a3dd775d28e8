/* bd-store-sqlite-users.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Users and their bearer tokens in BdStoreSqlite: finding a request's user
 * by its token, and what the `users` and `tokens` commands read and change.
 */

#define G_LOG_DOMAIN "bd-store-sqlite"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-store-sqlite-private.h"
#include "bd-token.h"

#define TOKEN_COLUMNS "id, user_id, label, created, expires, last_used, revoked"

void
_bd_store_sqlite_users_sql (const char **sql)
{
  /* Only the tokens that may sign in are candidates; every one of them is
   * compared (see _bd_store_sqlite_find_user_by_token ()).
   */
  sql[STMT_FIND_USER_BY_TOKEN_HASH] =
    "SELECT tokens.id, tokens.token_hash, tokens.last_used, "
    "users.id, users.display_name, users.roles "
    "FROM tokens JOIN users ON users.id = tokens.user_id "
    "WHERE tokens.revoked = 0 AND users.disabled = 0 "
    "AND (tokens.expires IS NULL OR tokens.expires > ?1)";
  sql[STMT_TOUCH_TOKEN] =
    "UPDATE tokens SET last_used = ?2 "
    "WHERE id = ?1 AND (last_used IS NULL OR last_used < ?2)";
  sql[STMT_LIST_USERS] = "SELECT id, display_name, roles, disabled FROM users ORDER BY id";
  sql[STMT_INSERT_USER] =
    "INSERT INTO users (id, display_name, roles) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (id) DO NOTHING";
  sql[STMT_SET_USER_ROLES] = "UPDATE users SET roles = ?2 WHERE id = ?1";
  sql[STMT_SET_USER_DISABLED] = "UPDATE users SET disabled = ?2 WHERE id = ?1";
  /* No row when the user does not exist: the caller tells that apart. */
  sql[STMT_INSERT_TOKEN] =
    "INSERT INTO tokens (id, user_id, label, token_hash, created, expires) "
    "SELECT ?1, id, ?3, ?4, ?5, ?6 FROM users WHERE id = ?2";
  sql[STMT_LIST_TOKENS] =
    "SELECT " TOKEN_COLUMNS " FROM tokens ORDER BY user_id, created, id";
  sql[STMT_LIST_TOKENS_OF_USER] =
    "SELECT " TOKEN_COLUMNS " FROM tokens WHERE user_id = ?1 ORDER BY created, id";
  sql[STMT_REVOKE_TOKEN] = "UPDATE tokens SET revoked = 1 WHERE id = ?1";
}

static gint64
column_time_or_never (sqlite3_stmt *stmt,
                      int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return BD_STORE_NEVER;

  return sqlite3_column_int64 (stmt, column);
}

static int
bind_time_or_never (sqlite3_stmt *stmt,
                    int           index,
                    gint64        time)
{
  if (time == BD_STORE_NEVER)
    return sqlite3_bind_null (stmt, index);

  return sqlite3_bind_int64 (stmt, index, time);
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

/* Writes the token's last use, to the minute. It is worth no wait and no
 * failed request: while another connection holds the write lock (a change
 * in another instance, a backup) it is skipped, and written by a later
 * request.
 */
static void
touch_token (BdStoreSqlite *self,
             const char    *id,
             gint64         minute)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_TOUCH_TOKEN);
  int rc = SQLITE_MISUSE;

  sqlite3_busy_timeout (self->db, 0);
  if (sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
      sqlite3_bind_int64 (stmt, 2, minute) == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_busy_timeout (self->db, BD_STORE_SQLITE_BUSY_TIMEOUT_MS);

  if (rc != SQLITE_DONE)
    g_debug ("The last use of token %s was not written: %s", id, sqlite3_errstr (rc));
}

BdUser *
_bd_store_sqlite_find_user_by_token (BdStore     *store,
                                     const char  *token,
                                     gint64       now,
                                     GError     **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;
  g_autoptr(BdUser) found = NULL;
  g_autofree char *found_token_id = NULL;
  gint64 found_last_used = BD_STORE_NEVER;
  /* Rounded down, also before 1970. */
  gint64 minute = now - (((now % 60) + 60) % 60);
  guint8 token_hash[BD_TOKEN_HASH_LENGTH];
  int rc;

  bd_token_hash (token, token_hash);

  /* Every candidate's hash is compared in constant time, and the loop goes
   * on after a match: how long it takes says nothing of how close a guess
   * came (an index lookup would compare byte by byte). A tenant has few
   * tokens.
   */
  stmt = borrow (self, STMT_FIND_USER_BY_TOKEN_HASH);
  if (sqlite3_bind_int64 (stmt, 1, now) != SQLITE_OK)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const guint8 *stored = sqlite3_column_blob (stmt, 1);
      gboolean equal;

      if (stored == NULL || sqlite3_column_bytes (stmt, 1) != BD_TOKEN_HASH_LENGTH)
        {
          _bd_store_set_unreadable_row_error ("tokens", error);
          return NULL;
        }

      equal = bd_token_hash_equal (stored, token_hash);
      if (equal && found == NULL)
        {
          found_token_id = _bd_sqlite_column_dup (stmt, 0);
          found_last_used = column_time_or_never (stmt, 2);
          found = bd_user_new (_bd_sqlite_column_str (stmt, 3), _bd_sqlite_column_str (stmt, 4),
                               (guint) sqlite3_column_int64 (stmt, 5));
        }
    }

  if (rc != SQLITE_DONE)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  /* Most requests read only: the row is written once a minute at most. */
  if (found != NULL && (found_last_used == BD_STORE_NEVER || found_last_used < minute))
    touch_token (self, found_token_id, minute);

  return g_steal_pointer (&found);
}

GPtrArray *
_bd_store_sqlite_list_users (BdStore  *store,
                             GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_LIST_USERS);
  int rc;

  users = g_ptr_array_new_with_free_func ((GDestroyNotify) bd_stored_user_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BdStoredUser *user = g_new0 (BdStoredUser, 1);

      user->user = bd_user_new (_bd_sqlite_column_str (stmt, 0), _bd_sqlite_column_str (stmt, 1),
                                (guint) sqlite3_column_int64 (stmt, 2));
      user->disabled = sqlite3_column_int (stmt, 3) != 0;
      g_ptr_array_add (users, user);
    }

  if (rc != SQLITE_DONE)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  return g_steal_pointer (&users);
}

/* Also for seeding: the user alone, without a token. */
gboolean
_bd_store_sqlite_add_user (BdStore  *store,
                           BdUser   *user,
                           GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_USER);

  if (sqlite3_bind_text (stmt, 1, bd_user_get_id (user), -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, bd_user_get_display_name (user), -1,
                         SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 3, bd_user_get_roles (user)) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  if (!_bd_sqlite_step_done (self, stmt, DOING_WRITE, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      /* Translators: %s is a user's id */
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_EXISTS,
                   _("There is a user “%s” already"), bd_user_get_id (user));
      return FALSE;
    }

  return TRUE;
}

/* Runs an UPDATE of one user, ?1 its id and ?2 @value. */
static gboolean
update_user (BdStoreSqlite  *self,
             StatementId     statement,
             const char     *id,
             gint64          value,
             GError        **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, statement);

  if (sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 2, value) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  if (!_bd_sqlite_step_done (self, stmt, DOING_WRITE, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    return set_no_user_error (id, error);

  return TRUE;
}

gboolean
_bd_store_sqlite_set_user_roles (BdStore     *store,
                                 const char  *id,
                                 guint        roles,
                                 GError     **error)
{
  return update_user (BD_STORE_SQLITE (store), STMT_SET_USER_ROLES, id, roles, error);
}

gboolean
_bd_store_sqlite_set_user_disabled (BdStore     *store,
                                    const char  *id,
                                    gboolean     disabled,
                                    GError     **error)
{
  return update_user (BD_STORE_SQLITE (store), STMT_SET_USER_DISABLED, id, disabled ? 1 : 0,
                      error);
}

gboolean
_bd_store_sqlite_add_token (BdStore              *store,
                            const BdStoredToken  *token,
                            const guint8         *token_hash,
                            GError              **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_TOKEN);

  if (sqlite3_bind_text (stmt, 1, token->id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, token->user_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, token->label, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_blob (stmt, 4, token_hash, BD_TOKEN_HASH_LENGTH, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 5, token->created) != SQLITE_OK ||
      bind_time_or_never (stmt, 6, token->expires) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  if (!_bd_sqlite_step_done (self, stmt, DOING_WRITE, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    return set_no_user_error (token->user_id, error);

  return TRUE;
}

GPtrArray *
_bd_store_sqlite_list_tokens (BdStore     *store,
                              const char  *user_id,
                              GError     **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(BorrowedStatement) stmt = NULL;
  int rc;

  stmt = borrow (self, user_id != NULL ? STMT_LIST_TOKENS_OF_USER : STMT_LIST_TOKENS);
  if (user_id != NULL && sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC) != SQLITE_OK)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) bd_stored_token_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BdStoredToken *token = g_new0 (BdStoredToken, 1);

      token->id = _bd_sqlite_column_dup (stmt, 0);
      token->user_id = _bd_sqlite_column_dup (stmt, 1);
      token->label = _bd_sqlite_column_dup (stmt, 2);
      token->created = sqlite3_column_int64 (stmt, 3);
      token->expires = column_time_or_never (stmt, 4);
      token->last_used = column_time_or_never (stmt, 5);
      token->revoked = sqlite3_column_int (stmt, 6) != 0;
      g_ptr_array_add (tokens, token);
    }

  if (rc != SQLITE_DONE)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  return g_steal_pointer (&tokens);
}

gboolean
_bd_store_sqlite_revoke_token (BdStore     *store,
                               const char  *id,
                               GError     **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_REVOKE_TOKEN);

  if (sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  if (!_bd_sqlite_step_done (self, stmt, DOING_WRITE, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      /* Translators: %s is a token's id, as `tokens list` shows it */
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_FOUND, _("There is no token “%s”"),
                   id);
      return FALSE;
    }

  return TRUE;
}
