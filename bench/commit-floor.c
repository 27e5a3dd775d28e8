/* commit-floor.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The floor of a durable cancel, for bench/service-load: N bare inserts,
 * each in a transaction of its own that commits durably, timed one by one
 * from BEGIN to the end of COMMIT, with the same pause between them as the
 * cancels have. It prints one line for the script:
 *
 *   FLOOR {"commits":N,"p50_us":…,"p99_us":…,"max_us":…}
 *
 * commit-floor sqlite:PATH N PAUSE_MS
 *   a new SQLite file at PATH (it must not exist; removed at the end with its
 *   -wal and -shm), as the service's store opens it: WAL, synchronous=FULL.
 * commit-floor postgresql://… N PAUSE_MS
 *   a table of its own (dropped at the end) in the database the URI names,
 *   through libpq; the server's fsync and synchronous_commit decide, as for
 *   the service (the script shows them).
 *
 * Prepared statements on one connection: what is left is the commit itself.
 */

#define G_LOG_DOMAIN "commit-floor"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define PAYLOAD "{\"reason\":\"tooExpensive\"}"

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The nearest-rank percentile, as wrk reports its own. */
static gint64
percentile (const gint64 *sorted,
            guint         n,
            double        p)
{
  guint rank = (guint) (p / 100.0 * n + 0.5);

  if (rank < 1)
    rank = 1;
  if (rank > n)
    rank = n;
  return sorted[rank - 1];
}

static gboolean
sqlite_ok (sqlite3 *db,
           int      rc,
           int      expected,
           const char *what)
{
  if (rc == expected)
    return TRUE;
  g_printerr ("commit-floor: %s: %s\n", what, sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
sqlite_floor (const char *path,
              guint       n,
              guint       pause_ms,
              gint64     *times)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmts[3] = { NULL, NULL, NULL };
  const char *sql[3] = { "BEGIN IMMEDIATE", "INSERT INTO floor (body) VALUES (?1)", "COMMIT" };
  gboolean ok = FALSE;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("commit-floor: %s exists\n", path);
      return FALSE;
    }
  if (!sqlite_ok (db, sqlite3_open (path, &db), SQLITE_OK, "open") ||
      !sqlite_ok (db, sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                                    "CREATE TABLE floor (id INTEGER PRIMARY KEY, body TEXT)",
                                    NULL, NULL, NULL), SQLITE_OK, "setup"))
    goto out;
  for (guint i = 0; i < 3; i++)
    if (!sqlite_ok (db, sqlite3_prepare_v3 (db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                            &stmts[i], NULL), SQLITE_OK, sql[i]))
      goto out;

  /* As the service's database after its seed: one large transaction first,
   * checkpointed, so that the timed commits overwrite a WAL file that is
   * there already, as the cancels do, rather than grow a new one (on ext4
   * an append costs a journal commit of its own besides the flush).
   */
  if (!sqlite_ok (db, sqlite3_exec (db, "BEGIN; WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL "
                                    "SELECT i + 1 FROM n WHERE i < 10000) "
                                    "INSERT INTO floor (body) SELECT printf ('%0200d', i) "
                                    "FROM n; COMMIT; PRAGMA wal_checkpoint (PASSIVE)",
                                    NULL, NULL, NULL), SQLITE_OK, "seed"))
    goto out;

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();

      for (guint s = 0; s < 3; s++)
        {
          if (s == 1)
            sqlite3_bind_text (stmts[1], 1, PAYLOAD, -1, SQLITE_STATIC);
          if (!sqlite_ok (db, sqlite3_step (stmts[s]), SQLITE_DONE, sql[s]))
            goto out;
          sqlite3_reset (stmts[s]);
        }
      times[i] = g_get_monotonic_time () - start;
      g_usleep (pause_ms * 1000);
    }
  ok = TRUE;

out:
  for (guint i = 0; i < 3; i++)
    sqlite3_finalize (stmts[i]);
  sqlite3_close (db);
  for (guint i = 0; i < 4; i++)
    {
      const char *suffix[] = { "", "-wal", "-shm", "-journal" };
      g_autofree char *file = g_strconcat (path, suffix[i], NULL);

      g_unlink (file);
    }
  return ok;
}

static gboolean
pg_ok (PGconn         *conn,
       PGresult       *result,
       ExecStatusType  expected,
       const char     *what)
{
  gboolean ok = PQresultStatus (result) == expected;

  if (!ok)
    g_printerr ("commit-floor: %s: %s", what, PQerrorMessage (conn));
  PQclear (result);
  return ok;
}

static gboolean
pg_floor (const char *uri,
          guint       n,
          guint       pause_ms,
          gint64     *times)
{
  g_autofree char *table = g_strdup_printf ("bd_commit_floor_%d", (int) getpid ());
  g_autofree char *create = g_strdup_printf ("CREATE TABLE %s (id BIGSERIAL PRIMARY KEY, "
                                             "body TEXT)", table);
  g_autofree char *insert = g_strdup_printf ("INSERT INTO %s (body) VALUES ($1)", table);
  g_autofree char *drop = g_strdup_printf ("DROP TABLE IF EXISTS %s", table);
  const char *names[3] = { "b", "i", "c" };
  const char *sql[3] = { "BEGIN", insert, "COMMIT" };
  const char *values[1] = { PAYLOAD };
  PGconn *conn = PQconnectdb (uri);
  gboolean ok = FALSE;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_printerr ("commit-floor: %s", PQerrorMessage (conn));
      PQfinish (conn);
      return FALSE;
    }
  if (!pg_ok (conn, PQexec (conn, create), PGRES_COMMAND_OK, "create"))
    goto out;
  for (guint i = 0; i < 3; i++)
    if (!pg_ok (conn, PQprepare (conn, names[i], sql[i], 0, NULL), PGRES_COMMAND_OK, sql[i]))
      goto out;

  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();

      for (guint s = 0; s < 3; s++)
        if (!pg_ok (conn, PQexecPrepared (conn, names[s], s == 1 ? 1 : 0, s == 1 ? values : NULL,
                                          NULL, NULL, 0),
                    PGRES_COMMAND_OK, sql[s]))
          goto out;
      times[i] = g_get_monotonic_time () - start;
      g_usleep (pause_ms * 1000);
    }
  ok = TRUE;

out:
  pg_ok (conn, PQexec (conn, drop), PGRES_COMMAND_OK, "drop");
  PQfinish (conn);
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree gint64 *times = NULL;
  guint64 n = 0;
  guint64 pause_ms = 0;
  gboolean ok;

  if (argc != 4 || !g_ascii_string_to_unsigned (argv[2], 10, 1, 1000000, &n, NULL) ||
      !g_ascii_string_to_unsigned (argv[3], 10, 0, 1000, &pause_ms, NULL))
    {
      g_printerr ("usage: commit-floor sqlite:PATH|postgresql://… N PAUSE_MS\n");
      return 2;
    }

  times = g_new0 (gint64, n);
  if (g_str_has_prefix (argv[1], "sqlite:"))
    ok = sqlite_floor (argv[1] + strlen ("sqlite:"), n, pause_ms, times);
  else if (g_str_has_prefix (argv[1], "postgresql://") || g_str_has_prefix (argv[1], "postgres://"))
    ok = pg_floor (argv[1], n, pause_ms, times);
  else
    {
      g_printerr ("commit-floor: %s is neither sqlite:PATH nor a postgresql:// URI\n", argv[1]);
      return 2;
    }
  if (!ok)
    return 1;

  qsort (times, n, sizeof times[0], compare_gint64);
  g_print ("FLOOR {\"commits\":%" G_GUINT64_FORMAT ",\"p50_us\":%" G_GINT64_FORMAT
           ",\"p99_us\":%" G_GINT64_FORMAT ",\"max_us\":%" G_GINT64_FORMAT "}\n",
           n, percentile (times, n, 50), percentile (times, n, 99), times[n - 1]);
  return 0;
}
