/* bd-store-pg-ledger.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit ledger of BdStorePg and the answers it keeps under an
 * Idempotency-Key: both written in the transaction of their change.
 */

#define G_LOG_DOMAIN "bd-store-pg"

#include "config.h"

#include "bd-store-pg-private.h"

#define OPERATION_COLUMNS \
  "seq, id, time, user_id, subscription_id, action, idempotency_key, detail, " \
  "user_display_name, product_name"

void
_bd_store_pg_ledger_sql (const char **sql)
{
  /* Taken just before the insert and held to the commit, so that ledger
   * inserts follow each other: a seq is never taken before an earlier one
   * has committed (or rolled back), and a reader paging by seq skips no
   * entry (docs/design.md section 6). The insert, a statement of its own,
   * reads the last seq after the lock was granted (READ COMMITTED takes a
   * snapshot per statement).
   */
  sql[STMT_LOCK_LEDGER] = "SELECT pg_advisory_xact_lock (" BD_PG_LOCK_LEDGER ")";
  /* The names as they are when the change is written, in its transaction. */
  sql[STMT_INSERT_OPERATION] =
    "INSERT INTO operations (seq, id, time, user_id, subscription_id, action, "
    "idempotency_key, detail, user_display_name, product_name) "
    "SELECT COALESCE (MAX (seq), 0) + 1, $1, $2, $3, $4, $5, $6, $7, "
    "(SELECT display_name FROM users WHERE id = $3), "
    "(SELECT product_name FROM subscriptions WHERE id = $4) FROM operations "
    "RETURNING seq";
  sql[STMT_LIST_OPERATIONS] =
    "SELECT " OPERATION_COLUMNS " FROM operations WHERE seq > $1 ORDER BY seq LIMIT $2";
  sql[STMT_LIST_OPERATIONS_OF_SUBSCRIPTION] =
    "SELECT " OPERATION_COLUMNS " FROM operations "
    "WHERE subscription_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";
  sql[STMT_LIST_OPERATIONS_NEWEST] =
    "SELECT " OPERATION_COLUMNS " FROM operations WHERE seq < $1 ORDER BY seq DESC LIMIT $2";
  sql[STMT_LIST_OPERATIONS_OF_SUBSCRIPTION_NEWEST] =
    "SELECT " OPERATION_COLUMNS " FROM operations "
    "WHERE subscription_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3";
  sql[STMT_GET_IDEMPOTENT_ANSWER] =
    "SELECT fingerprint, status, body, created FROM idempotency "
    "WHERE user_id = $1 AND endpoint = $2 AND key = $3 AND created >= $4";
  /* An answer past the retention under the same key is replaced; a kept one
   * is not: the put then changes no row, which is an error. A second
   * transaction putting the same key waits on the first's uncommitted row.
   */
  sql[STMT_PUT_IDEMPOTENT_ANSWER] =
    "INSERT INTO idempotency (user_id, endpoint, key, fingerprint, status, body, created) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) "
    "ON CONFLICT (user_id, endpoint, key) DO UPDATE SET "
    "fingerprint = excluded.fingerprint, status = excluded.status, body = excluded.body, "
    "created = excluded.created WHERE idempotency.created < $8";
  /* Only rows no other transaction holds: a key claimed again past its
   * retention stays for a later prune, and the prune never waits on a
   * claim, which could wait on this transaction's rows in turn.
   */
  sql[STMT_FORGET_IDEMPOTENT_ANSWERS] =
    "DELETE FROM idempotency WHERE ctid IN (SELECT ctid FROM idempotency "
    "WHERE created < $1 FOR UPDATE SKIP LOCKED)";
  /* The claim (bd_store_claim_idempotency_key ()): an insert under the
   * primary key waits for another transaction's uncommitted row of the same
   * key (bounded by lock_timeout), then either inserts (the other rolled
   * back), takes over an answer past the retention, or changes nothing: an
   * answer is kept, which a read of its own then sees (READ COMMITTED).
   */
  sql[STMT_CLAIM_IDEMPOTENCY_KEY] =
    "INSERT INTO idempotency (user_id, endpoint, key, fingerprint, status, body, created) "
    "VALUES ($1, $2, $3, $4, $5, '', $6) "
    "ON CONFLICT (user_id, endpoint, key) DO UPDATE SET "
    "fingerprint = excluded.fingerprint, status = excluded.status, body = excluded.body, "
    "created = excluded.created WHERE idempotency.created < $7";
}

/* A row of OPERATION_COLUMNS. */
static BdStoredOperation *
read_operation (const PGresult *result,
                int             row)
{
  BdStoredOperation *operation = g_new0 (BdStoredOperation, 1);

  operation->seq = _bd_pg_int (result, row, 0);
  operation->id = _bd_pg_dup (result, row, 1);
  operation->time = _bd_pg_int (result, row, 2);
  operation->user_id = _bd_pg_dup (result, row, 3);
  operation->subscription_id = _bd_pg_dup (result, row, 4);
  operation->action = _bd_pg_dup (result, row, 5);
  operation->idempotency_key = _bd_pg_dup (result, row, 6);
  operation->detail = _bd_pg_dup (result, row, 7);
  operation->user_display_name = _bd_pg_dup (result, row, 8);
  operation->product_name = _bd_pg_dup (result, row, 9);

  return operation;
}

/* The lock and the insert, in the caller's transaction. */
static gboolean
insert_operation (BdStorePg          *self,
                  BdStoredOperation  *operation,
                  const char         *id,
                  GError            **error)
{
  g_autoptr(PGresult) result = NULL;
  Params none = { 0 };
  Params params = { 0 };

  _bd_pg_params_text (&params, id);
  _bd_pg_params_int (&params, operation->time);
  _bd_pg_params_text (&params, operation->user_id);
  _bd_pg_params_text (&params, operation->subscription_id);
  _bd_pg_params_text (&params, operation->action);
  _bd_pg_params_text (&params, operation->idempotency_key);
  _bd_pg_params_text (&params, operation->detail != NULL ? operation->detail : "{}");

  if (!_bd_pg_run_done (self, STMT_LOCK_LEDGER, &none, DOING_WRITE, error))
    return FALSE;

  result = _bd_pg_run (self, STMT_INSERT_OPERATION, &params, DOING_WRITE, error);
  if (result == NULL)
    return FALSE;

  operation->seq = _bd_pg_int (result, 0, 0);
  return TRUE;
}

gboolean
_bd_store_pg_add_operation (BdStore            *store,
                            BdStoredOperation  *operation,
                            GError            **error)
{
  BdStorePg *self = BD_STORE_PG (store);
  g_autofree char *generated_id = NULL;
  gboolean own_transaction = !self->in_transaction;

  if (operation->id == NULL)
    generated_id = g_uuid_string_random ();

  /* A transaction-level lock needs a transaction to last until the insert. */
  if (own_transaction && !_bd_store_pg_begin (store, error))
    return FALSE;

  if (!insert_operation (self, operation,
                         operation->id != NULL ? operation->id : generated_id, error) ||
      (own_transaction && !_bd_store_pg_commit (store, error)))
    {
      if (own_transaction)
        _bd_store_pg_rollback (store);
      return FALSE;
    }

  /* Only a stored entry gets its id and place. */
  if (generated_id != NULL)
    operation->id = g_steal_pointer (&generated_id);

  return TRUE;
}

GPtrArray *
_bd_store_pg_list_operations (BdStore           *store,
                              const char        *subscription_id,
                              BdOperationsOrder  order,
                              gint64             after_seq,
                              guint              limit,
                              GError           **error)
{
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };
  StatementId id = STMT_LIST_OPERATIONS;

  operations = g_ptr_array_new_with_free_func ((GDestroyNotify) bd_stored_operation_free);

  /* Newest first from the end: before a seq no entry will ever reach. */
  if (order == BD_OPERATIONS_ORDER_NEWEST && after_seq <= 0)
    after_seq = G_MAXINT64;

  if (order == BD_OPERATIONS_ORDER_NEWEST)
    id = STMT_LIST_OPERATIONS_NEWEST;
  if (subscription_id != NULL)
    {
      id = order == BD_OPERATIONS_ORDER_NEWEST ? STMT_LIST_OPERATIONS_OF_SUBSCRIPTION_NEWEST
                                               : STMT_LIST_OPERATIONS_OF_SUBSCRIPTION;
      _bd_pg_params_text (&params, subscription_id);
    }
  _bd_pg_params_int (&params, after_seq);
  _bd_pg_params_int (&params, limit);

  result = _bd_pg_run (BD_STORE_PG (store), id, &params, DOING_READ, error);
  if (result == NULL)
    return NULL;

  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (operations, read_operation (result, row));

  return g_steal_pointer (&operations);
}

gboolean
_bd_store_pg_get_idempotent_answer (BdStore             *store,
                                    const char          *user_id,
                                    const char          *endpoint,
                                    const char          *key,
                                    gint64               kept_since,
                                    BdIdempotentAnswer **answer,
                                    GError             **error)
{
  g_autoptr(PGresult) result = NULL;
  BdIdempotentAnswer *found;
  Params params = { 0 };

  *answer = NULL;

  _bd_pg_params_text (&params, user_id);
  _bd_pg_params_text (&params, endpoint);
  _bd_pg_params_text (&params, key);
  _bd_pg_params_int (&params, kept_since);

  result = _bd_pg_run (BD_STORE_PG (store), STMT_GET_IDEMPOTENT_ANSWER, &params, DOING_READ,
                       error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;

  found = g_new0 (BdIdempotentAnswer, 1);
  found->fingerprint = _bd_pg_bytes (result, 0, 0);
  found->status = (guint) _bd_pg_int (result, 0, 1);
  found->body = _bd_pg_bytes (result, 0, 2);
  found->created = _bd_pg_int (result, 0, 3);

  *answer = found;
  return TRUE;
}

static void
params_bytes (Params *params,
              GBytes *bytes)
{
  gconstpointer data = NULL;
  gsize size = 0;

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &size);

  _bd_pg_params_bytes (params, data, size);
}

gboolean
_bd_store_pg_put_idempotent_answer (BdStore                   *store,
                                    const char                *user_id,
                                    const char                *endpoint,
                                    const char                *key,
                                    gint64                     kept_since,
                                    const BdIdempotentAnswer  *answer,
                                    GError                   **error)
{
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  _bd_pg_params_text (&params, user_id);
  _bd_pg_params_text (&params, endpoint);
  _bd_pg_params_text (&params, key);
  params_bytes (&params, answer->fingerprint);
  _bd_pg_params_int (&params, answer->status);
  params_bytes (&params, answer->body);
  _bd_pg_params_int (&params, answer->created);
  _bd_pg_params_int (&params, kept_since);

  result = _bd_pg_run (BD_STORE_PG (store), STMT_PUT_IDEMPOTENT_ANSWER, &params, DOING_WRITE,
                       error);
  if (result == NULL)
    return FALSE;

  /* The words SQLite's refusal uses, for the same case. */
  if (_bd_pg_changes (result) == 0)
    return _bd_store_set_error (error, DOING_WRITE, "constraint failed");

  return TRUE;
}

gboolean
_bd_store_pg_forget_idempotent_answers (BdStore  *store,
                                        gint64    created_before,
                                        GError  **error)
{
  Params params = { 0 };

  _bd_pg_params_int (&params, created_before);
  return _bd_pg_run_done (BD_STORE_PG (store), STMT_FORGET_IDEMPOTENT_ANSWERS, &params,
                          DOING_WRITE, error);
}

gboolean
_bd_store_pg_claim_idempotency_key (BdStore             *store,
                                    const char          *user_id,
                                    const char          *endpoint,
                                    const char          *key,
                                    gint64               kept_since,
                                    GBytes              *fingerprint,
                                    BdIdempotentAnswer **answer,
                                    GError             **error)
{
  BdStorePg *self = BD_STORE_PG (store);
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  if (!self->in_transaction)
    return _bd_store_set_error (error, DOING_WRITE, "a key is claimed inside a transaction");

  _bd_pg_params_text (&params, user_id);
  _bd_pg_params_text (&params, endpoint);
  _bd_pg_params_text (&params, key);
  params_bytes (&params, fingerprint);
  _bd_pg_params_int (&params, BD_STORE_CLAIM_STATUS);
  _bd_pg_params_int (&params, BD_STORE_CLAIM_CREATED);
  _bd_pg_params_int (&params, kept_since);

  result = _bd_pg_run (self, STMT_CLAIM_IDEMPOTENCY_KEY, &params, DOING_WRITE, error);
  if (result == NULL)
    return FALSE;
  if (_bd_pg_changes (result) == 1)
    return TRUE;

  if (!_bd_store_pg_get_idempotent_answer (store, user_id, endpoint, key, kept_since, answer,
                                           error))
    return FALSE;

  /* Kept, yet not found: the row changed between the two statements, which
   * the claim's row lock rules out.
   */
  if (*answer == NULL)
    return _bd_store_set_error (error, DOING_READ, "an Idempotency-Key changed while claimed");

  return TRUE;
}
