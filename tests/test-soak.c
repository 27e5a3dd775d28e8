/* test-soak.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The short kill -9 soaks (bench/bd-soak.c, which bench/soak runs long),
 * against the real billing-desk-service (BD_SERVICE_PATH): nothing
 * acknowledged may be lost or applied twice, every replay answers what was
 * acknowledged, and the ledger is gap-free and in one order. No timing is
 * asserted: a slow machine only makes them take longer.
 *
 * /soak/short: 100 operations by 4 clients on one instance, killed with
 * SIGKILL 3 times and started again on the same data.
 * /soak/instances: 300 operations by 4 clients spread over 2 instances on
 * one database, one of them killed once; on PostgreSQL, on a cluster of
 * the test's own (bench/bd-pg-cluster.c) that is also stopped at once and
 * started again half-way. When the test cannot make a cluster of its own
 * (not root), it runs on a database of the shared cluster without the
 * restart, and /soak/instances/restart-database says why it skipped.
 *
 * As soak-pg, on PostgreSQL (bd_test_database_new ()).
 */

#include "config.h"

#include <glib.h>

#include "bd-pg-cluster.h"
#include "bd-soak.h"
#include "bd-test-utils.h"

/* Runs the soak (on PostgreSQL, in a database of its own unless on a
 * cluster of its own) and asserts that all was well.
 */
static void
run_soak (BdSoakOptions *options,
          guint          kills,
          guint          database_restarts)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *database = NULL;
  BdSoakReport report = { 0 };
  gboolean ran;

  options->service_path = g_getenv ("BD_SERVICE_PATH");
  options->n_clients = 4;
  if (bd_test_database_is_postgresql () && !options->own_cluster)
    options->database = database = bd_test_database_new (NULL);

  ran = bd_soak_run (options, &report, &error);
  bd_test_database_drop (database);
  summary = bd_soak_report_format (&report);
  g_test_message ("%s", summary);
  for (guint i = 0; i < report.problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (report.problems, i));

  g_assert_no_error (error);
  g_assert_true (ran);
  g_assert_cmpuint (report.operations, ==, options->n_operations);
  g_assert_cmpuint (report.kills, ==, kills);
  g_assert_cmpuint (report.database_restarts, ==, database_restarts);
  g_assert_cmpuint (report.lost, ==, 0);
  g_assert_cmpuint (report.doubled, ==, 0);
  g_assert_cmpuint (report.mismatched, ==, 0);
  g_assert_cmpuint (report.unexpected, ==, 0);
  g_assert_cmpstr (report.integrity, ==, "ok");
  g_assert_true (report.stopped_cleanly);
  g_assert_cmpuint (report.problems->len, ==, 0);
  /* The ledger holds every acknowledged change, once, and every instance
   * pages it in the same order; every keyed change replays.
   */
  g_assert_cmpuint (report.ledger_entries, ==, report.acknowledged);
  g_assert_cmpuint (report.ledger_views, ==, MAX (options->n_instances, 1u));
  g_assert_cmpuint (report.replays, >, 0);
  g_assert_true (bd_soak_report_is_clean (&report));

  bd_soak_report_clear (&report);
}

static void
test_soak_short (void)
{
  BdSoakOptions options = { .n_operations = 100, .kill_every = 33, .seed = 20261103 };

  run_soak (&options, 3, 0);
}

/* 300 operations with a kill planned every 300: exactly one, somewhere in
 * operations 75..224.
 */
static void
test_soak_instances (void)
{
  BdSoakOptions options = {
    .n_instances = 2, .n_operations = 300, .kill_every = 300, .seed = 20261203,
  };

  /* A cluster of its own, to restart; else a database of the shared one. */
  if (bd_test_database_is_postgresql () && bd_pg_cluster_why_not () == NULL)
    options.own_cluster = options.restart_database = TRUE;

  run_soak (&options, 1, options.restart_database ? 1 : 0);
}

static void
test_soak_restart_skipped (void)
{
  g_autofree char *why = g_strdup_printf ("PostgreSQL's restart: %s", bd_pg_cluster_why_not ());

  g_test_skip (why);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("BD_SERVICE_PATH") == NULL)
    {
      g_test_skip ("BD_SERVICE_PATH is not set");
      return g_test_run ();
    }

  if (bd_test_database_skip_all ())
    return g_test_run ();

  g_test_add_func ("/soak/short", test_soak_short);
  g_test_add_func ("/soak/instances", test_soak_instances);
  if (bd_test_database_is_postgresql () && bd_pg_cluster_why_not () != NULL)
    g_test_add_func ("/soak/instances/restart-database", test_soak_restart_skipped);

  return g_test_run ();
}
