/* main.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "bd-application.h"
#include "bd-diagnostics.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BdApplication) app = NULL;
  const char *localedir = g_getenv ("BILLING_DESK_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  bd_diagnostics_start_from_env ();

  app = bd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
