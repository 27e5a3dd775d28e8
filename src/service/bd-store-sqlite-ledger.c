/* bd-store-sqlite-ledger.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit ledger of BdStoreSqlite and the answers it keeps under an
 * Idempotency-Key: both written in the transaction of the change they
 * belong to.
 */

#define G_LOG_DOMAIN "bd-store-sqlite"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-store-sqlite-private.h"

#define OPERATION_COLUMNS \
  "seq, id, time, user_id, subscription_id, action, idempotency_key, detail, " \
  "user_display_name, product_name"

void
_bd_store_sqlite_ledger_sql (const char **sql)
{
  /* The names as they are when the change is written, in its transaction. */
  sql[STMT_INSERT_OPERATION] =
    "INSERT INTO operations (id, time, user_id, subscription_id, action, idempotency_key, "
    "detail, user_display_name, product_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "(SELECT display_name FROM users WHERE id = ?3), "
    "(SELECT product_name FROM subscriptions WHERE id = ?4))";
  sql[STMT_LIST_OPERATIONS] =
    "SELECT " OPERATION_COLUMNS " FROM operations WHERE seq > ?1 ORDER BY seq LIMIT ?2";
  sql[STMT_LIST_OPERATIONS_OF_SUBSCRIPTION] =
    "SELECT " OPERATION_COLUMNS " FROM operations "
    "WHERE subscription_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3";
  sql[STMT_LIST_OPERATIONS_NEWEST] =
    "SELECT " OPERATION_COLUMNS " FROM operations WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2";
  sql[STMT_LIST_OPERATIONS_OF_SUBSCRIPTION_NEWEST] =
    "SELECT " OPERATION_COLUMNS " FROM operations "
    "WHERE subscription_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3";
  sql[STMT_GET_IDEMPOTENT_ANSWER] =
    "SELECT fingerprint, status, body, created FROM idempotency "
    "WHERE user_id = ?1 AND endpoint = ?2 AND key = ?3 AND created >= ?4";
  /* An answer past the retention under the same key is replaced; a kept one
   * is not: the put then changes no row, which is an error. */
  sql[STMT_PUT_IDEMPOTENT_ANSWER] =
    "INSERT INTO idempotency (user_id, endpoint, key, fingerprint, status, body, created) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT (user_id, endpoint, key) DO UPDATE SET "
    "fingerprint = excluded.fingerprint, status = excluded.status, body = excluded.body, "
    "created = excluded.created WHERE idempotency.created < ?8";
  sql[STMT_FORGET_IDEMPOTENT_ANSWERS] = "DELETE FROM idempotency WHERE created < ?1";
  /* The claim (bd_store_claim_idempotency_key ()): the transaction already
   * holds the database's write lock (BEGIN IMMEDIATE waited for another
   * change's commit, bounded by the busy timeout), so the insert either
   * claims the key, takes over an answer past the retention, or changes
   * nothing: an answer is kept.
   */
  sql[STMT_CLAIM_IDEMPOTENCY_KEY] =
    "INSERT INTO idempotency (user_id, endpoint, key, fingerprint, status, body, created) "
    "VALUES (?1, ?2, ?3, ?4, ?5, X'', ?6) "
    "ON CONFLICT (user_id, endpoint, key) DO UPDATE SET "
    "fingerprint = excluded.fingerprint, status = excluded.status, body = excluded.body, "
    "created = excluded.created WHERE idempotency.created < ?7";
}

/* A row of OPERATION_COLUMNS. */
static BdStoredOperation *
read_operation (sqlite3_stmt *stmt)
{
  BdStoredOperation *operation = g_new0 (BdStoredOperation, 1);

  operation->seq = sqlite3_column_int64 (stmt, 0);
  operation->id = _bd_sqlite_column_dup (stmt, 1);
  operation->time = sqlite3_column_int64 (stmt, 2);
  operation->user_id = _bd_sqlite_column_dup (stmt, 3);
  operation->subscription_id = _bd_sqlite_column_dup (stmt, 4);
  operation->action = _bd_sqlite_column_dup (stmt, 5);
  operation->idempotency_key = _bd_sqlite_column_dup (stmt, 6);
  operation->detail = _bd_sqlite_column_dup (stmt, 7);
  operation->user_display_name = _bd_sqlite_column_dup (stmt, 8);
  operation->product_name = _bd_sqlite_column_dup (stmt, 9);

  return operation;
}

gboolean
_bd_store_sqlite_add_operation (BdStore            *store,
                                BdStoredOperation  *operation,
                                GError            **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;
  g_autofree char *generated_id = NULL;
  const char *id;

  if (operation->id == NULL)
    generated_id = g_uuid_string_random ();
  id = operation->id != NULL ? operation->id : generated_id;

  stmt = borrow (self, STMT_INSERT_OPERATION);
  if (sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 2, operation->time) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, operation->user_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 4, operation->subscription_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 5, operation->action, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 6, operation->idempotency_key, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 7, operation->detail != NULL ? operation->detail : "{}", -1,
                         SQLITE_STATIC) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  if (!_bd_sqlite_step_done (self, stmt, DOING_WRITE, error))
    return FALSE;

  /* Only a stored entry gets its id and place. */
  operation->seq = sqlite3_last_insert_rowid (self->db);
  if (generated_id != NULL)
    operation->id = g_steal_pointer (&generated_id);

  return TRUE;
}

GPtrArray *
_bd_store_sqlite_list_operations (BdStore           *store,
                                  const char        *subscription_id,
                                  BdOperationsOrder  order,
                                  gint64             after_seq,
                                  guint              limit,
                                  GError           **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(BorrowedStatement) stmt = NULL;
  gboolean bound;
  int rc;

  operations = g_ptr_array_new_with_free_func ((GDestroyNotify) bd_stored_operation_free);

  /* Newest first from the end: before a seq no entry will ever reach. */
  if (order == BD_OPERATIONS_ORDER_NEWEST && after_seq <= 0)
    after_seq = G_MAXINT64;

  /* Two statements rather than `?1 IS NULL OR ...`, which no index serves. */
  if (subscription_id == NULL)
    {
      stmt = borrow (self, order == BD_OPERATIONS_ORDER_NEWEST ? STMT_LIST_OPERATIONS_NEWEST
                                                               : STMT_LIST_OPERATIONS);
      bound = sqlite3_bind_int64 (stmt, 1, after_seq) == SQLITE_OK &&
              sqlite3_bind_int64 (stmt, 2, limit) == SQLITE_OK;
    }
  else
    {
      stmt = borrow (self, order == BD_OPERATIONS_ORDER_NEWEST
                           ? STMT_LIST_OPERATIONS_OF_SUBSCRIPTION_NEWEST
                           : STMT_LIST_OPERATIONS_OF_SUBSCRIPTION);
      bound = sqlite3_bind_text (stmt, 1, subscription_id, -1, SQLITE_STATIC) == SQLITE_OK &&
              sqlite3_bind_int64 (stmt, 2, after_seq) == SQLITE_OK &&
              sqlite3_bind_int64 (stmt, 3, limit) == SQLITE_OK;
    }

  if (!bound)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (operations, read_operation (stmt));

  if (rc != SQLITE_DONE)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  return g_steal_pointer (&operations);
}

gboolean
_bd_store_sqlite_get_idempotent_answer (BdStore             *store,
                                        const char          *user_id,
                                        const char          *endpoint,
                                        const char          *key,
                                        gint64               kept_since,
                                        BdIdempotentAnswer **answer,
                                        GError             **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;
  BdIdempotentAnswer *found;
  gboolean row;

  *answer = NULL;

  stmt = borrow (self, STMT_GET_IDEMPOTENT_ANSWER);
  if (sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, endpoint, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, key, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 4, kept_since) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_READ, error);

  if (!_bd_sqlite_step_one_row (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return TRUE;

  found = g_new0 (BdIdempotentAnswer, 1);
  found->fingerprint = _bd_sqlite_column_bytes (stmt, 0);
  found->status = (guint) sqlite3_column_int (stmt, 1);
  found->body = _bd_sqlite_column_bytes (stmt, 2);
  found->created = sqlite3_column_int64 (stmt, 3);

  *answer = found;
  return TRUE;
}

gboolean
_bd_store_sqlite_put_idempotent_answer (BdStore                   *store,
                                        const char                *user_id,
                                        const char                *endpoint,
                                        const char                *key,
                                        gint64                     kept_since,
                                        const BdIdempotentAnswer  *answer,
                                        GError                   **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;

  stmt = borrow (self, STMT_PUT_IDEMPOTENT_ANSWER);
  if (sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, endpoint, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, key, -1, SQLITE_STATIC) != SQLITE_OK ||
      _bd_sqlite_bind_bytes (stmt, 4, answer->fingerprint) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 5, answer->status) != SQLITE_OK ||
      _bd_sqlite_bind_bytes (stmt, 6, answer->body) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 7, answer->created) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 8, kept_since) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  if (!_bd_sqlite_step_done (self, stmt, DOING_WRITE, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      /* What the primary key said before answers were replaced. */
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be changed: %s"),
                   sqlite3_errstr (SQLITE_CONSTRAINT));
      return FALSE;
    }

  return TRUE;
}

gboolean
_bd_store_sqlite_forget_idempotent_answers (BdStore  *store,
                                            gint64    created_before,
                                            GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;

  stmt = borrow (self, STMT_FORGET_IDEMPOTENT_ANSWERS);
  if (sqlite3_bind_int64 (stmt, 1, created_before) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  return _bd_sqlite_step_done (self, stmt, DOING_WRITE, error);
}


gboolean
_bd_store_sqlite_claim_idempotency_key (BdStore             *store,
                                        const char          *user_id,
                                        const char          *endpoint,
                                        const char          *key,
                                        gint64               kept_since,
                                        GBytes              *fingerprint,
                                        BdIdempotentAnswer **answer,
                                        GError             **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;

  if (sqlite3_get_autocommit (self->db))
    return _bd_store_set_error (error, DOING_WRITE, "a key is claimed inside a transaction");

  stmt = borrow (self, STMT_CLAIM_IDEMPOTENCY_KEY);
  if (sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, endpoint, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, key, -1, SQLITE_STATIC) != SQLITE_OK ||
      _bd_sqlite_bind_bytes (stmt, 4, fingerprint) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 5, BD_STORE_CLAIM_STATUS) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 6, BD_STORE_CLAIM_CREATED) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 7, kept_since) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  if (!_bd_sqlite_step_done (self, stmt, DOING_WRITE, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 1)
    return TRUE;

  if (!_bd_store_sqlite_get_idempotent_answer (store, user_id, endpoint, key, kept_since,
                                               answer, error))
    return FALSE;

  /* Kept, yet not found: impossible under the write lock. */
  if (*answer == NULL)
    return _bd_store_set_error (error, DOING_READ, "an Idempotency-Key changed while claimed");

  return TRUE;
}
