/* test-soak.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The short kill -9 soak (bench/bd-soak.c, which bench/soak runs long):
 * 100 operations by 4 clients against the real billing-desk-service
 * (BD_SERVICE_PATH), killed with SIGKILL 3 times and started again on the
 * same data; nothing acknowledged may be lost or applied twice. No timing
 * is asserted: a slow machine only makes it take longer. As soak-pg, on a
 * PostgreSQL database of its own (bd_test_database_new ()).
 */

#include "config.h"

#include <glib.h>

#include "bd-soak.h"
#include "bd-test-utils.h"

static void
test_soak_short (void)
{
  const char *service_path = g_getenv ("BD_SERVICE_PATH");
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *database = NULL;
  BdSoakReport report = { 0 };
  BdSoakOptions options = {
    .service_path = service_path,
    .n_operations = 100,
    .n_clients = 4,
    .kill_every = 33,
    .seed = 20261103,
  };
  gboolean ran;

  if (service_path == NULL)
    {
      g_test_skip ("BD_SERVICE_PATH is not set");
      return;
    }

  if (bd_test_database_is_postgresql ())
    options.database = database = bd_test_database_new (NULL);

  ran = bd_soak_run (&options, &report, &error);
  bd_test_database_drop (database);
  summary = bd_soak_report_format (&report);
  g_test_message ("%s", summary);
  for (guint i = 0; i < report.problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (report.problems, i));

  g_assert_no_error (error);
  g_assert_true (ran);
  g_assert_cmpuint (report.operations, ==, 100);
  g_assert_cmpuint (report.kills, ==, 3);
  g_assert_cmpuint (report.lost, ==, 0);
  g_assert_cmpuint (report.doubled, ==, 0);
  g_assert_cmpuint (report.mismatched, ==, 0);
  g_assert_cmpuint (report.unexpected, ==, 0);
  g_assert_cmpstr (report.integrity, ==, "ok");
  g_assert_true (report.stopped_cleanly);
  g_assert_cmpuint (report.problems->len, ==, 0);
  /* The ledger holds every acknowledged change, once. */
  g_assert_cmpuint (report.ledger_entries, ==, report.acknowledged);
  g_assert_true (bd_soak_report_is_clean (&report));

  bd_soak_report_clear (&report);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (bd_test_database_skip_all ())
    return g_test_run ();

  g_test_add_func ("/soak/short", test_soak_short);

  return g_test_run ();
}
