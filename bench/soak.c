/* soak.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench/soak: the kill -9 soak of billing-desk-service (see bench/README.md).
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "bd-soak.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *service_path = NULL;
  g_autofree char *summary = NULL;
  BdSoakReport report = { 0 };
  BdSoakOptions options = { 0 };
  int operations = 1000;
  int clients = 4;
  int kill_every = 100;
  int seed = 1;
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
  if (argc > 1 || operations < 1 || clients < 1 || clients > 64 || kill_every < 0 || seed < 0)
    {
      g_printerr ("soak: --operations >= 1, --clients 1..64, --kill-every >= 0, --seed >= 0\n");
      return 2;
    }

  if (service_path == NULL)
    service_path = g_strdup (g_getenv ("BD_SERVICE_PATH"));
  if (service_path == NULL)
    service_path = g_strdup (BD_SOAK_SERVICE_PATH);

  options.service_path = service_path;
  options.n_operations = (guint) operations;
  options.n_clients = (guint) clients;
  options.kill_every = (guint) kill_every;
  options.seed = (guint32) seed;
  options.keep_data = keep;
  options.verbose = verbose;

  g_printerr ("soak: %d operations, %d clients, a kill about every %d, seed %d, %s\n",
              operations, clients, kill_every, seed, service_path);

  ran = bd_soak_run (&options, &report, &error);
  summary = bd_soak_report_format (&report);
  clean = ran && bd_soak_report_is_clean (&report);

  for (guint i = 0; i < report.problems->len; i++)
    g_printerr ("soak: %s\n", (const char *) g_ptr_array_index (report.problems, i));
  if (!ran)
    g_printerr ("soak: %s\n", error->message);

  printf ("%s", summary);
  printf ("result          %s\n", clean ? "ok" : "FAILED");
  bd_soak_report_clear (&report);

  return clean ? EXIT_SUCCESS : EXIT_FAILURE;
}
