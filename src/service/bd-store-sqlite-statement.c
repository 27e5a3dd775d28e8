/* bd-store-sqlite-statement.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running SQLite statements for BdStoreSqlite: stepping, reading columns,
 * binding bytes, transactions, and SQLite's refusals as GErrors.
 */

#define G_LOG_DOMAIN "bd-store-sqlite"

#include "config.h"

#include "bd-store-sqlite-private.h"

/* Whether the database cannot be reached now, while serving: another
 * connection held its lock past the busy timeout (SQLITE_BUSY, _LOCKED: a
 * backup, a long write of another instance; later it will be free), or the
 * file could not be read or opened again (SQLITE_IOERR, _CANTOPEN: a disk or
 * a network file system gone away, perhaps for a moment). A full disk, a
 * damaged or read-only file and a refused statement are not: waiting does
 * not mend them. At open and while migrating nothing is: a location that
 * does not open is a bad location.
 */
static gboolean
is_unavailable (sqlite3 *db,
                Doing    doing)
{
  if (db == NULL || (doing != DOING_READ && doing != DOING_WRITE))
    return FALSE;

  switch (sqlite3_errcode (db) & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Always returns FALSE, so that a caller can `return _bd_sqlite_set_error (...)`:
 * %BD_STORE_ERROR_UNAVAILABLE when the database cannot be reached now, else
 * %BD_STORE_ERROR_FAILED.
 */
gboolean
_bd_sqlite_set_error (sqlite3     *db,
                      Doing        doing,
                      GError     **error)
{
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (SQLITE_NOMEM);

  return _bd_store_set_error_code (error,
                                   is_unavailable (db, doing) ? BD_STORE_ERROR_UNAVAILABLE
                                                              : BD_STORE_ERROR_FAILED,
                                   doing, message);
}

/* Steps a statement that answers no rows. */
gboolean
_bd_sqlite_step_done (BdStoreSqlite      *self,
                      BorrowedStatement  *stmt,
                      Doing               doing,
                      GError            **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _bd_sqlite_set_error (self->db, doing, error);

  return TRUE;
}

/* Steps @stmt, which answers at most one row: %FALSE with @error set when
 * SQLite failed, else *found says whether the row is there to read.
 */
gboolean
_bd_sqlite_step_one_row (BdStoreSqlite  *self,
                         sqlite3_stmt   *stmt,
                         gboolean       *found,
                         GError        **error)
{
  int rc = sqlite3_step (stmt);

  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;

  return _bd_sqlite_set_error (self->db, DOING_READ, error);
}

const char *
_bd_sqlite_column_str (sqlite3_stmt *stmt,
                       int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

char *
_bd_sqlite_column_dup (sqlite3_stmt *stmt,
                       int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GBytes *
_bd_sqlite_column_bytes (sqlite3_stmt *stmt,
                         int           column)
{
  gconstpointer data;
  int size;

  /* The pointer first, then the size: SQLite documents this order. */
  data = sqlite3_column_blob (stmt, column);
  size = sqlite3_column_bytes (stmt, column);

  return g_bytes_new (data, size);
}

int
_bd_sqlite_bind_bytes (sqlite3_stmt *stmt,
                       int           index,
                       GBytes       *bytes)
{
  gconstpointer data = NULL;
  gsize size = 0;

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &size);

  /* SQLite binds NULL for a NULL pointer; empty is an empty BLOB here. */
  return sqlite3_bind_blob64 (stmt, index, data != NULL ? data : "", size, SQLITE_STATIC);
}

/* Runs fixed SQL that carries no values: the setup at open and the
 * migrations, which may hold several statements.
 */
gboolean
_bd_sqlite_exec (sqlite3     *db,
                 const char  *sql,
                 Doing        doing,
                 GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _bd_sqlite_set_error (db, doing, error);

  return TRUE;
}

/* Runs a statement of fixed text once and hands back its first column of its
 * first row as text (NULL when it answered no row).
 */
gboolean
_bd_sqlite_query_text (sqlite3     *db,
                       const char  *sql,
                       Doing        doing,
                       char       **value,
                       GError     **error)
{
  g_autoptr(OwnedStatement) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v3 (db, sql, -1, 0, &stmt, NULL) != SQLITE_OK)
    return _bd_sqlite_set_error (db, doing, error);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = _bd_sqlite_column_dup (stmt, 0);
  else if (rc == SQLITE_DONE)
    *value = NULL;
  else
    return _bd_sqlite_set_error (db, doing, error);

  return TRUE;
}

/*
 * Transactions
 */

/* A read of the file's header, under a read lock: what GET /v1/health asks. */
gboolean
_bd_store_sqlite_ping (BdStore  *store,
                       GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autofree char *version = NULL;

  return _bd_sqlite_query_text (self->db, "PRAGMA user_version", DOING_READ, &version, error);
}

void
_bd_store_sqlite_transaction_sql (const char **sql)
{
  /* IMMEDIATE: the write lock from the start, so that what a change reads
   * cannot change before it commits (bd-store.h).
   */
  sql[STMT_BEGIN] = "BEGIN IMMEDIATE";
  sql[STMT_COMMIT] = "COMMIT";
  sql[STMT_ROLLBACK] = "ROLLBACK";
}

gboolean
_bd_store_sqlite_begin (BdStore  *store,
                        GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_BEGIN);

  return _bd_sqlite_step_done (self, stmt, DOING_WRITE, error);
}

gboolean
_bd_store_sqlite_commit (BdStore  *store,
                         GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_COMMIT);

  return _bd_sqlite_step_done (self, stmt, DOING_WRITE, error);
}

void
_bd_store_sqlite_rollback (BdStore *store)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;

  /* SQLite may have rolled back by itself (a failed COMMIT, a full disk). */
  if (sqlite3_get_autocommit (self->db))
    return;

  stmt = borrow (self, STMT_ROLLBACK);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_debug ("Rolling back failed: %s", sqlite3_errmsg (self->db));
}
