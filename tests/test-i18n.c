/* test-i18n.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "bd-test-utils.h"

/* Run with LANGUAGE=xx LANG=C.UTF-8 for each xx of tests/meson.build's
 * ui_languages: core's messages come from that catalog, built in the build
 * directory, with the path of the bad value kept as it is. The sentences are
 * written out whole (from po/xx.po), so a catalog that is not loaded fails.
 */
typedef struct
{
  const char *language;
  const char *currency_error;
  const char *position_error;
} Expected;

static const Expected expected_sentences[] = {
  { "da",
    "tenant.currency: forventede en valutakode på tre store bogstaver, f.eks. DKK",
    "linje 1, kolonne 14: forventede en værdi" },
  { "de",
    "tenant.currency: Währungscode aus drei Großbuchstaben erwartet, etwa DKK",
    "Zeile 1, Spalte 14: Wert erwartet" },
  { "ar",
    "tenant.currency: يُتوقع رمز عملة من ثلاثة أحرف لاتينية كبيرة، مثل DKK",
    "السطر 1، العمود 14: يُتوقع قيمة" },
};

/* The sentences of the language LANGUAGE names; English has none here. */
static const Expected *
expected (void)
{
  const Expected *row = bd_test_for_language (g_getenv ("LANGUAGE"), expected_sentences,
                                              sizeof (Expected),
                                              G_N_ELEMENTS (expected_sentences));

  g_assert_nonnull (row);
  return row;
}

static void
test_error (void)
{
  static const char *text =
    "{\"tenant\": {\"displayName\": \"Contoso A/S\", \"cloud\": \"worldwide\","
    " \"currency\": \"dkk\"}, \"users\": [], \"subscriptions\": []}";
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = bd_tenant_file_read (text, -1, bd_test_time ("2026-11-03T00:00:00Z"), &error);
  g_assert_null (file);
  bd_test_assert_error (error, "tenant.currency");
  g_assert_cmpstr (error->message, ==, expected ()->currency_error);
}

static void
test_position (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = bd_json_parse ("{\"quantity\": }", -1, &error);
  g_assert_null (node);
  if (strstr (error->message, expected ()->position_error) == NULL)
    g_error ("“%s” is not in “%s”", expected ()->position_error, error->message);
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

  g_test_add_func ("/i18n/error", test_error);
  g_test_add_func ("/i18n/position", test_position);

  return g_test_run ();
}
