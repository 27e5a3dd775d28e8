/* bd-store-pg-statement.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running PostgreSQL statements for BdStorePg: parameters, prepared
 * statements (again after a connection reset), reading columns,
 * transactions, and the server's refusals as GErrors.
 */

#define G_LOG_DOMAIN "bd-store-pg"

#include "config.h"

#include "bd-store-pg-private.h"

/*
 * Parameters
 */

static void
add_param (Params     *params,
           const char *value,
           int         length,
           int         format)
{
  g_assert (params->n < (int) G_N_ELEMENTS (params->values));

  params->values[params->n] = value;
  params->lengths[params->n] = length;
  params->formats[params->n] = format;
  params->n++;
}

/* @value is lent: it must outlive the statement's run. NULL is SQL NULL. */
void
_bd_pg_params_text (Params     *params,
                    const char *value)
{
  add_param (params, value, 0, 0);
}

void
_bd_pg_params_int (Params *params,
                   gint64  value)
{
  char *text = params->numbers[params->n];

  g_snprintf (text, sizeof params->numbers[0], "%" G_GINT64_FORMAT, value);
  add_param (params, text, 0, 0);
}

void
_bd_pg_params_bool (Params   *params,
                    gboolean  value)
{
  add_param (params, value ? "t" : "f", 0, 0);
}

/* Binary: a bytea's bytes as they are. */
void
_bd_pg_params_bytes (Params        *params,
                     gconstpointer  data,
                     gsize          size)
{
  g_assert (size <= G_MAXINT);
  add_param (params, data != NULL ? data : "", (int) size, 1);
}

/*
 * Errors
 */

/* Whether the connection is gone: libpq says it is bad, or a statement
 * failed with an error of libpq's own (no SQLSTATE: the server never
 * answered it). Over a Unix socket, the first statement after the server
 * went away (`pg_ctlcluster stop -m immediate`) fails with "server closed
 * the connection unexpectedly" while PQstatus () still says CONNECTION_OK;
 * only the next one finds the connection bad.
 */
static gboolean
lost_connection (PGconn         *conn,
                 const PGresult *result)
{
  if (PQstatus (conn) != CONNECTION_OK)
    return TRUE;

  return result != NULL && PQresultStatus (result) == PGRES_FATAL_ERROR &&
         PQresultErrorField (result, PG_DIAG_SQLSTATE) == NULL;
}

/* Whether the database cannot be reached now, rather than refusing what it
 * was asked: a connection that is bad or was lost, or the server saying so:
 * class 08 (connection exception), 57P01 and 57P02 (shut down by an
 * administrator, or after another process crashed), 57P03 (starting up or
 * shutting down: cannot connect now). All of them pass; anything else is
 * the server refusing the statement itself.
 */
static gboolean
is_unavailable (PGconn         *conn,
                const PGresult *result)
{
  static const char * const states[] = { "57P01", "57P02", "57P03", NULL };
  const char *state = NULL;

  if (conn == NULL)
    return FALSE;
  if (lost_connection (conn, result))
    return TRUE;

  if (result != NULL)
    state = PQresultErrorField (result, PG_DIAG_SQLSTATE);

  return state != NULL && (g_str_has_prefix (state, "08") || g_strv_contains (states, state));
}

/* Always returns FALSE, so that a caller can `return _bd_pg_set_error (...)`:
 * %BD_STORE_ERROR_UNAVAILABLE when the database cannot be reached now, else
 * %BD_STORE_ERROR_FAILED.
 */
gboolean
_bd_pg_set_error (PGconn          *conn,
                  const PGresult  *result,
                  Doing            doing,
                  GError         **error)
{
  g_autofree char *message = NULL;
  const char *text = NULL;
  BdStoreError code = is_unavailable (conn, result) ? BD_STORE_ERROR_UNAVAILABLE
                                                    : BD_STORE_ERROR_FAILED;

  if (result != NULL)
    text = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  if (text == NULL && conn != NULL)
    text = PQerrorMessage (conn);
  if (text == NULL || *text == '\0')
    text = "out of memory";

  /* libpq's messages end with a newline. */
  message = g_strchomp (g_strdup (text));

  /* lock_not_available: the transaction's lock_timeout ran out; and a
   * deadlock the server broke by ending this transaction. Either way
   * nothing was changed and the request may be made again.
   */
  if (result != NULL &&
      (g_strcmp0 (PQresultErrorField (result, PG_DIAG_SQLSTATE), "55P03") == 0 ||
       g_strcmp0 (PQresultErrorField (result, PG_DIAG_SQLSTATE), "40P01") == 0))
    return _bd_store_set_lock_timeout_error (message, error);

  return _bd_store_set_error_code (error, code, doing, message);
}

/*
 * Statements
 */

static char *
statement_name (StatementId id)
{
  return g_strdup_printf ("bd_%d", (int) id);
}

/* Prepared statements belong to a session: after a reset they are gone. */
gboolean
_bd_pg_prepare_all (BdStorePg  *self,
                    GError    **error)
{
  for (guint i = 0; i < N_STATEMENTS; i++)
    {
      g_autofree char *name = statement_name (i);
      g_autoptr(PGresult) result = NULL;

      g_assert (self->sql[i] != NULL);

      result = PQprepare (self->conn, name, self->sql[i], 0, NULL);
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        return _bd_pg_set_error (self->conn, result, DOING_OPEN, error);
    }

  return TRUE;
}

/* A connection that broke (the server restarted, the network went) is
 * opened again before the next statement, but never inside a transaction:
 * what the transaction did is gone with the old session, and its caller
 * must hear that.
 */
static gboolean
reopen (BdStorePg  *self,
        GError    **error)
{
  if (self->in_transaction)
    return _bd_pg_set_error (self->conn, NULL, DOING_WRITE, error);

  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    return _bd_pg_set_error (self->conn, NULL, DOING_OPEN, error);

  if (self->durability == BD_STORE_SCRATCH &&
      !_bd_pg_exec (self->conn, "SET synchronous_commit = off", DOING_OPEN, error))
    return FALSE;

  return _bd_pg_prepare_all (self, error);
}

static gboolean
ensure_connection (BdStorePg  *self,
                   GError    **error)
{
  return PQstatus (self->conn) == CONNECTION_OK || reopen (self, error);
}

/* Whether a statement that failed may be sent once more, on a connection
 * opened again: only when the connection broke, outside a transaction, and
 * for a read. A connection that sat idle while the server restarted fails
 * its next statement, which the server never saw; a read changed nothing
 * either way. A write may have committed before the connection broke, so
 * its caller hears of the failure (503: an unknown outcome).
 */
static gboolean
may_retry (BdStorePg      *self,
           const PGresult *result,
           Doing           doing)
{
  return doing == DOING_READ && !self->in_transaction && lost_connection (self->conn, result);
}

static gboolean
succeeded (const PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

static PGresult *
exec_prepared (BdStorePg     *self,
               StatementId    id,
               const Params  *params)
{
  g_autofree char *name = statement_name (id);

  return PQexecPrepared (self->conn, name, params->n, params->values, params->lengths,
                         params->formats, 0);
}

/* Runs a prepared statement with its values, text results. Returns the
 * result of a statement that succeeded, or %NULL with @error set.
 */
PGresult *
_bd_pg_run (BdStorePg     *self,
            StatementId    id,
            const Params  *params,
            Doing          doing,
            GError       **error)
{
  PGresult *result;

  if (!ensure_connection (self, error))
    return NULL;

  result = exec_prepared (self, id, params);
  if (!succeeded (result) && may_retry (self, result, doing))
    {
      g_clear_pointer (&result, PQclear);
      if (!reopen (self, error))
        return NULL;
      result = exec_prepared (self, id, params);
    }

  if (succeeded (result))
    return result;

  _bd_pg_set_error (self->conn, result, doing, error);
  PQclear (result);
  return NULL;
}

/* Runs fixed SQL that changes nothing (BEGIN, a ping) outside a
 * transaction, once more on a connection opened again when the one it
 * went out on turned out broken (see may_retry ()).
 */
static gboolean
exec_reconnecting (BdStorePg   *self,
                   const char  *sql,
                   Doing        doing,
                   GError     **error)
{
  g_autoptr(GError) first_error = NULL;

  g_assert (!self->in_transaction);

  if (!ensure_connection (self, error))
    return FALSE;

  if (_bd_pg_exec (self->conn, sql, doing, &first_error))
    return TRUE;

  /* Unavailable: the connection was lost, or the server is going away. */
  if (!g_error_matches (first_error, BD_STORE_ERROR, BD_STORE_ERROR_UNAVAILABLE))
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }

  return reopen (self, error) && _bd_pg_exec (self->conn, sql, doing, error);
}

gboolean
_bd_pg_run_done (BdStorePg     *self,
                 StatementId    id,
                 const Params  *params,
                 Doing          doing,
                 GError       **error)
{
  g_autoptr(PGresult) result = _bd_pg_run (self, id, params, doing, error);

  return result != NULL;
}

/* Runs fixed SQL that carries no values: the setup, the migrations and
 * the transactions' own words.
 */
gboolean
_bd_pg_exec (PGconn      *conn,
             const char  *sql,
             Doing        doing,
             GError     **error)
{
  g_autoptr(PGresult) result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return _bd_pg_set_error (conn, result, doing, error);

  return TRUE;
}

/*
 * Columns, in text format
 */

const char *
_bd_pg_str (const PGresult *result,
            int             row,
            int             column)
{
  return PQgetvalue (result, row, column);
}

char *
_bd_pg_dup (const PGresult *result,
            int             row,
            int             column)
{
  if (PQgetisnull (result, row, column))
    return NULL;

  return g_strdup (PQgetvalue (result, row, column));
}

gint64
_bd_pg_int (const PGresult *result,
            int             row,
            int             column)
{
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

gboolean
_bd_pg_bool (const PGresult *result,
             int             row,
             int             column)
{
  return PQgetvalue (result, row, column)[0] == 't';
}

/* A bytea column: text format is `\x` and hex digits. */
GBytes *
_bd_pg_bytes (const PGresult *result,
              int             row,
              int             column)
{
  size_t size = 0;
  unsigned char *data;
  GBytes *bytes;

  data = PQunescapeBytea ((const unsigned char *) PQgetvalue (result, row, column), &size);
  if (data == NULL)
    return g_bytes_new (NULL, 0);

  bytes = g_bytes_new (data, size);
  PQfreemem (data);
  return bytes;
}

/* How many rows an INSERT, UPDATE or DELETE touched. */
gint64
_bd_pg_changes (const PGresult *result)
{
  return g_ascii_strtoll (PQcmdTuples ((PGresult *) result), NULL, 10);
}

/*
 * Transactions
 */

gboolean
_bd_store_pg_begin (BdStore  *store,
                    GError  **error)
{
  return _bd_store_pg_begin_with (store, "BEGIN", error);
}

/* @sql: BEGIN, and what the transaction sets for itself (SET LOCAL) in
 * the same round trip: several statements in one query, fixed SQL.
 */
gboolean
_bd_store_pg_begin_with (BdStore     *store,
                         const char  *sql,
                         GError     **error)
{
  BdStorePg *self = BD_STORE_PG (store);

  /* PostgreSQL only warns about a nested BEGIN; SQLite refuses it. */
  if (self->in_transaction)
    return _bd_store_set_error (error, DOING_WRITE, "a transaction is already open");

  /* A SET that failed after its BEGIN leaves a failed transaction open. */
  if (!exec_reconnecting (self, sql, DOING_WRITE, error))
    {
      _bd_store_pg_rollback (store);
      return FALSE;
    }

  self->in_transaction = TRUE;
  return TRUE;
}

/* One round trip (docs/design.md: GET /v1/health). */
gboolean
_bd_store_pg_ping (BdStore  *store,
                   GError  **error)
{
  BdStorePg *self = BD_STORE_PG (store);

  if (self->in_transaction)
    return _bd_store_set_error (error, DOING_READ, "a transaction is open");

  return exec_reconnecting (self, "SELECT 1", DOING_READ, error);
}

gboolean
_bd_store_pg_commit (BdStore  *store,
                     GError  **error)
{
  BdStorePg *self = BD_STORE_PG (store);
  g_autofree char *sql = _bd_store_pg_commit_sql (self);
  g_autoptr(PGresult) result = PQexec (self->conn, sql);

  self->in_transaction = FALSE;
  self->prune_pending = FALSE;

  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    return _bd_pg_set_error (self->conn, result, DOING_WRITE, error);

  /* A COMMIT of a failed transaction answers "ROLLBACK", not an error. */
  if (g_strcmp0 (PQcmdStatus (result), "COMMIT") != 0)
    return _bd_store_set_error (error, DOING_WRITE, "the transaction was rolled back");

  return TRUE;
}

void
_bd_store_pg_rollback (BdStore *store)
{
  BdStorePg *self = BD_STORE_PG (store);
  PGTransactionStatusType status = PQtransactionStatus (self->conn);

  self->in_transaction = FALSE;
  self->prune_pending = FALSE;

  if (status == PQTRANS_IDLE || status == PQTRANS_UNKNOWN)
    return;

  if (!_bd_pg_exec (self->conn, "ROLLBACK", DOING_WRITE, NULL))
    g_debug ("Rolling back failed: %s", PQerrorMessage (self->conn));
}
