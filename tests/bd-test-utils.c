/* bd-test-utils.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bd-test-utils.h"

/* A time the test writes as text; a typo in a test fails it loudly. */
gint64
bd_test_time (const char *rfc3339)
{
  gint64 value = 0;

  if (!bd_time_parse_rfc3339 (rfc3339, &value))
    g_error ("bad time in a test: %s", rfc3339);

  return value;
}

char *
bd_test_format (gint64 value)
{
  if (value == BD_TIME_NONE)
    return g_strdup ("none");
  return bd_time_format (value);
}

/* A monthly, direct, 10-license subscription at 159.00 DKK a license,
 * recurring billing on, with the given dates and no billing profile.
 */
BdSubscriptionData *
bd_test_subscription (const char *start,
                      const char *last_renewal,
                      const char *term_end)
{
  BdSubscriptionData *data = bd_subscription_data_new ();

  data->id = g_strdup ("s1");
  data->product_name = g_strdup ("Microsoft 365 Business Premium");
  data->quantity = 10;
  bd_money_init (&data->unit_price, 15900, "DKK");
  data->start_date = bd_test_time (start);
  data->last_renewal_date = bd_test_time (last_renewal);
  data->term_end_date = bd_test_time (term_end);
  data->status_changed_date = data->start_date;

  return data;
}

/* Asserts an invalid-input error that names @path. */
void
bd_test_assert_error (GError     *error,
                      const char *path)
{
  g_assert_error (error, BD_CORE_ERROR, BD_CORE_ERROR_INVALID);
  g_assert_cmpstr (bd_core_error_get_path (error), ==, path);
  if (path != NULL)
    g_assert_true (g_str_has_prefix (error->message, path));
}

/**
 * bd_test_for_language:
 * @language: the interface's language, such as "da"
 * @table: rows whose first member is a language (const char *)
 *
 * The row of @table for @language: what a test writes out word for word in
 * each language it runs in (tests/meson.build's ui_languages), to prove that
 * the catalog is loaded. In English, the source strings, %NULL when @table
 * has no row for it; any other language without a row fails the test, so
 * one added to ui_languages cannot pass unchecked.
 */
gconstpointer
bd_test_for_language (const char    *language,
                      gconstpointer  table,
                      gsize          row_size,
                      gsize          n_rows)
{
  for (gsize i = 0; i < n_rows; i++)
    {
      const char *const *row = (const char *const *) ((const char *) table + i * row_size);

      if (g_strcmp0 (*row, language) == 0)
        return row;
    }

  if (g_strcmp0 (language, "en") != 0)
    g_error ("The test has no sentences for the language “%s”", language);
  return NULL;
}

/**
 * bd_test_add_row:
 * @paths: the paths taken so far (owned strings), to keep each one unique
 *
 * Registers @func for @row as @prefix/@name. A '/' in @name becomes '-', and
 * a path that is taken already gets " (2)", " (3)" and so on.
 */
void
bd_test_add_row (GHashTable    *paths,
                 const char    *prefix,
                 const char    *name,
                 gconstpointer  row,
                 GTestDataFunc  func)
{
  g_autofree char *base = g_strdup_printf ("%s/%s", prefix, name);
  g_autofree char *path = NULL;

  g_strdelimit (base + strlen (prefix) + 1, "/", '-');
  path = g_strdup (base);
  for (guint n = 2; g_hash_table_contains (paths, path); n++)
    {
      g_free (path);
      path = g_strdup_printf ("%s (%u)", base, n);
    }

  g_test_add_data_func (path, row, func);
  g_hash_table_add (paths, g_steal_pointer (&path));
}

/* Registers one test case per row of @table, named @prefix/description:
 * every row type starts with its description, a const char *.
 */
void
bd_test_add_table (const char    *prefix,
                   gconstpointer  table,
                   gsize          row_size,
                   gsize          n_rows,
                   GTestDataFunc  test_func)
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (gsize i = 0; i < n_rows; i++)
    {
      gconstpointer row = (const guint8 *) table + i * row_size;

      bd_test_add_row (paths, prefix, *(const char * const *) row, row, test_func);
    }
}

/* Removes @path and everything under it (symbolic links, not what they
 * point to).
 */
void
bd_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        bd_test_remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

/* A cache directory of the test's own, as $XDG_CACHE_HOME, before anything
 * reads it (GLib keeps the first value). Not G_TEST_OPTION_ISOLATE_DIRS:
 * its XDG_DATA_DIRS hides the system's settings schemas, which GIO's proxy
 * resolver reads. Returns: (transfer full): the directory, for
 * bd_test_remove_tree () at the end.
 */
char *
bd_test_make_cache_home (void)
{
  char *dir = g_dir_make_tmp ("billing-desk-cache-XXXXXX", NULL);

  g_assert_nonnull (dir);
  g_setenv ("XDG_CACHE_HOME", dir, TRUE);
  return dir;
}

/* Whether @needle is somewhere in @data: files such as a SQLite database are
 * binary, so no string search that stops at a NUL will do.
 */
gboolean
bd_test_bytes_contain (gconstpointer  data,
                       gsize          size,
                       const char    *needle)
{
  gsize length = strlen (needle);

  for (gsize i = 0; i + length <= size; i++)
    if (memcmp ((const guint8 *) data + i, needle, length) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Spins the main context until @done says so, or fails after @timeout_ms. */
gboolean
bd_test_wait_until (gboolean (*done) (gpointer),
                    gpointer   data,
                    guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint source = g_timeout_add (10, tick, NULL);
  gboolean ok;

  while (!(ok = done (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (source);
  return ok;
}

/* For bd_test_wait_until (): whether the gboolean @flag points to is set. */
gboolean
bd_test_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}

/* An async call's callback: keeps its result in the GAsyncResult * that
 * @user_data points to, which bd_test_has_result () then waits for.
 */
void
bd_test_store_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

gboolean
bd_test_has_result (gpointer slot)
{
  return *(GAsyncResult **) slot != NULL;
}

/*
 * The database of the service tests
 *
 * A test registered with BD_TEST_STORE=postgresql (the -pg tests) runs on
 * PostgreSQL: each fixture gets a fresh, empty database, created in the
 * cluster that BILLING_DESK_TEST_DATABASE names (a libpq URI of a database
 * the tests may connect to, such as postgresql:///postgres; build-aux/test
 * gives one from `pg_virtualenv -t`, whose PG* variables say the rest) and
 * dropped afterwards. Without that variable, the -pg tests are one skipped
 * case that says why.
 */

#define STORE_ENV    "BD_TEST_STORE"
#define DATABASE_ENV "BILLING_DESK_TEST_DATABASE"

gboolean
bd_test_database_is_postgresql (void)
{
  return g_strcmp0 (g_getenv (STORE_ENV), "postgresql") == 0;
}

static void
skip_without_cluster (void)
{
  g_test_skip ("no PostgreSQL cluster: set " DATABASE_ENV " (build-aux/test runs these "
               "tests in a throwaway one, pg_virtualenv -t)");
}

/* Call after g_test_init (): TRUE when the tests want PostgreSQL and have
 * none, after adding the one skipped case; main () then runs only that.
 */
gboolean
bd_test_database_skip_all (void)
{
  if (!bd_test_database_is_postgresql () || g_getenv (DATABASE_ENV) != NULL)
    return FALSE;

  g_test_add_func ("/postgresql/unavailable", skip_without_cluster);
  return TRUE;
}

/* Runs SQL with psql on @uri; its answer, unaligned, without headers. */
static char *
run_psql (const char *uri,
          const char *sql)
{
  const char *argv[] = { "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", uri,
                         "-c", sql, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("psql -c '%s': %s", sql, err);

  return g_strchomp (out);
}

/* Runs SQL on a database of bd_test_database_new (), for what a test sets
 * up or checks behind the store's back. Returns: (transfer full): psql's
 * answer, one line per row, columns joined by |.
 */
char *
bd_test_database_query (const char *location,
                        const char *sql)
{
  g_assert_true (bd_test_database_is_postgresql ());
  return run_psql (location, sql);
}

/* The URI of the maintenance database with its database name replaced. */
static char *
uri_with_database (const char *name)
{
  const char *uri = g_getenv (DATABASE_ENV);
  const char *authority = strstr (uri, "://");
  const char *path;
  const char *query;

  g_assert_nonnull (authority);
  authority += 3;
  query = strchr (authority, '?');
  path = strchr (authority, '/');
  if (path == NULL || (query != NULL && path > query))
    path = query != NULL ? query : authority + strlen (authority);

  return g_strdup_printf ("%.*s/%s%s", (int) (path - uri), uri, name,
                          query != NULL ? query : "");
}

/* The database of one fixture: @sqlite_path itself, or the URI of a new,
 * empty PostgreSQL database. (transfer full)
 */
char *
bd_test_database_new (const char *sqlite_path)
{
  g_autofree char *uuid = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;

  if (!bd_test_database_is_postgresql ())
    return g_strdup (sqlite_path);

  g_assert_nonnull (g_getenv (DATABASE_ENV));
  uuid = g_uuid_string_random ();
  g_strdelimit (uuid, "-", '_');
  name = g_strconcat ("bd_test_", uuid, NULL);
  sql = g_strdup_printf ("CREATE DATABASE %s", name);
  g_free (run_psql (g_getenv (DATABASE_ENV), sql));

  return uri_with_database (name);
}

/* Drops what bd_test_database_new () created: a PostgreSQL database, with
 * any connection a failed test left; an SQLite file stays to its directory.
 */
void
bd_test_database_drop (const char *location)
{
  g_autofree char *sql = NULL;
  const char *name;

  if (location == NULL || !bd_test_database_is_postgresql ())
    return;

  name = strrchr (location, '/') + 1;
  sql = g_strdup_printf ("DROP DATABASE IF EXISTS %.*s WITH (FORCE)",
                         (int) strcspn (name, "?"), name);
  g_free (run_psql (g_getenv (DATABASE_ENV), sql));
}
