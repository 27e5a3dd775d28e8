/* test-i18n.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "bd-test-utils.h"

/* Run with LANGUAGE=da LANG=C.UTF-8: core's messages come from the Danish
 * catalog built in the build directory, with the path of the bad value kept
 * as it is.
 */
static void
test_danish_error (void)
{
  static const char *text =
    "{\"tenant\": {\"displayName\": \"Contoso A/S\", \"cloud\": \"worldwide\","
    " \"currency\": \"dkk\"}, \"users\": [], \"subscriptions\": []}";
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = bd_tenant_file_read (text, -1, bd_test_time ("2026-11-03T00:00:00Z"), &error);
  g_assert_null (file);
  bd_test_assert_error (error, "tenant.currency");
  g_assert_cmpstr (error->message, ==,
                   "tenant.currency: forventede en valutakode på tre store bogstaver, f.eks. DKK");
}

static void
test_danish_position (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = bd_json_parse ("{\"quantity\": }", -1, &error);
  g_assert_null (node);
  g_assert_nonnull (strstr (error->message, "linje 1, kolonne 14: forventede en værdi"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/i18n/danish/error", test_danish_error);
  g_test_add_func ("/i18n/danish/position", test_danish_position);

  return g_test_run ();
}
