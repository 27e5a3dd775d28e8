/* soak.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench/soak: the kill -9 soak of billing-desk-service (see bench/README.md).
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bd-soak.h"

static void
on_signal (int signum)
{
  bd_soak_interrupt ();
}

/* SIGINT, SIGTERM, SIGHUP: the soak stops, kills its instances and drops
 * its cluster (and a SIGKILL: bd-soak.c's instances die with it, and the
 * cluster's guard drops it).
 */
static void
catch_signals (void)
{
  struct sigaction action;

  memset (&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  sigaction (SIGHUP, &action, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *service_path = NULL;
  g_autofree char *database = NULL;
  g_autofree char *summary = NULL;
  BdSoakReport report = { 0 };
  BdSoakOptions options = { 0 };
  int operations = 1000;
  int clients = 4;
  int kill_every = 100;
  int seed = 1;
  int instances = 1;
  gboolean restart_database = FALSE;
  gboolean keep = FALSE;
  gboolean verbose = FALSE;
  gboolean ran;
  gboolean clean;
  GOptionEntry entries[] = {
    { "operations", 'n', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &operations,
      "Operations in all (default 1000)", "N" },
    { "clients", 'c', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &clients,
      "Concurrent clients (default 4)", "N" },
    { "kill-every", 'k', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &kill_every,
      "Kill the service about every N operations (default 100; 0: never)", "N" },
    { "database", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &database,
      "sqlite:PATH (a new file), postgresql://… (an empty database), or postgresql (a cluster "
      "of its own; root). Default: an SQLite file in a temporary directory", "URI" },
    { "instances", 'i', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &instances,
      "billing-desk-service instances on the one database (default 1)", "N" },
    { "restart-database", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &restart_database,
      "Stop PostgreSQL at once and start it again, once, half-way (--database postgresql only)",
      NULL },
    { "seed", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &seed,
      "Seed of the operations and the kill moments (default 1)", "N" },
    { "service", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &service_path,
      "The billing-desk-service binary (default: $BD_SERVICE_PATH, else the one of this build)",
      "PATH" },
    { "keep", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &keep,
      "Keep the temporary directory (kept anyway on a discrepancy)", NULL },
    { "verbose", 'v', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &verbose,
      "Report every failed request and every kill on stderr", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_set_prgname ("soak");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Runs concurrent clients against billing-desk-service, kills it "
                                "with SIGKILL now and then,\nand checks that no acknowledged "
                                "change was lost or applied twice.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("soak: %s\n", error->message);
      return 2;
    }
  if (argc > 1 || operations < 1 || clients < 1 || clients > 64 || kill_every < 0 || seed < 0 ||
      instances < 1 || instances > 16)
    {
      g_printerr ("soak: --operations >= 1, --clients 1..64, --kill-every >= 0, --seed >= 0, "
                  "--instances 1..16\n");
      return 2;
    }
  options.own_cluster = g_strcmp0 (database, "postgresql") == 0;
  if (database != NULL && !options.own_cluster && !g_str_has_prefix (database, "sqlite:") &&
      !g_str_has_prefix (database, "postgresql://") && !g_str_has_prefix (database, "postgres://"))
    {
      g_printerr ("soak: --database takes sqlite:PATH, postgresql://… or postgresql\n");
      return 2;
    }
  if (restart_database && !options.own_cluster)
    {
      g_printerr ("soak: --restart-database stops only a cluster of the soak's own: "
                  "--database postgresql\n");
      return 2;
    }

  if (service_path == NULL)
    service_path = g_strdup (g_getenv ("BD_SERVICE_PATH"));
  if (service_path == NULL)
    service_path = g_strdup (BD_SOAK_SERVICE_PATH);

  options.service_path = service_path;
  options.database = options.own_cluster ? NULL : database;
  options.n_instances = (guint) instances;
  options.restart_database = restart_database;
  options.n_operations = (guint) operations;
  options.n_clients = (guint) clients;
  options.kill_every = (guint) kill_every;
  options.seed = (guint32) seed;
  options.keep_data = keep;
  options.verbose = verbose;

  g_printerr ("soak: %d operations, %d clients, %d instance%s on %s, a kill about every %d, "
              "%sseed %d, %s\n", operations, clients, instances, instances == 1 ? "" : "s",
              database != NULL ? database : "sqlite (temporary)", kill_every,
              restart_database ? "PostgreSQL restarted once, " : "", seed, service_path);

  catch_signals ();
  ran = bd_soak_run (&options, &report, &error);
  summary = bd_soak_report_format (&report);
  clean = ran && bd_soak_report_is_clean (&report);

  for (guint i = 0; i < report.problems->len; i++)
    g_printerr ("soak: %s\n", (const char *) g_ptr_array_index (report.problems, i));
  if (!ran && error != NULL)
    g_printerr ("soak: %s\n", error->message);

  printf ("%s", summary);
  printf ("result          %s\n", clean ? "ok" : "FAILED");
  bd_soak_report_clear (&report);

  return clean ? EXIT_SUCCESS : EXIT_FAILURE;
}
