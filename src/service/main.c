/* main.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "billing-desk-service"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "bd-service.h"
#include "bd-service-commands.h"
#include "bd-service-options.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BdServiceOptions) options = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname (BD_SERVICE_PROGRAM_NAME);
  /* stdout carries only the "listening on" line that the app reads; the
   * log, debug messages too (GLib writes them to stdout by default), goes
   * to stderr.
   */
  g_log_writer_default_set_use_stderr (TRUE);

  options = bd_service_options_parse (argc, argv);
  if (options == NULL)
    return BD_SERVICE_EXIT_USAGE;

  switch (options->command)
    {
    case BD_SERVICE_COMMAND_VERSION:
      g_print ("%s %s\n", BD_SERVICE_PROGRAM_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;

    case BD_SERVICE_COMMAND_USERS_LIST:
    case BD_SERVICE_COMMAND_USERS_ADD:
    case BD_SERVICE_COMMAND_USERS_SET_ROLES:
    case BD_SERVICE_COMMAND_USERS_DISABLE:
    case BD_SERVICE_COMMAND_USERS_ENABLE:
    case BD_SERVICE_COMMAND_TOKENS_CREATE:
    case BD_SERVICE_COMMAND_TOKENS_LIST:
    case BD_SERVICE_COMMAND_TOKENS_REVOKE:
      return bd_service_run_command (options);

    case BD_SERVICE_COMMAND_SERVE:
    default:
      return bd_service_serve (options);
    }
}
