/* test-account.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "bd-account-list.h"

/* BdAccount and BdAccountList over the app's real schema (compiled in the
 * build directory) and the memory backend.
 */

static void
test_normalize_url (void)
{
  static const struct { const char *url; const char *expected; } cases[] = {
    { "https://billing.example.dk", "https://billing.example.dk" },
    { "HTTPS://Billing.Example.DK/", "https://billing.example.dk" },
    { "https://billing.example.dk:8443//", "https://billing.example.dk:8443" },
    { "https://billing.example.dk/Desk/", "https://billing.example.dk/Desk" },
    { "http://127.0.0.1:8080/", "http://127.0.0.1:8080" },
    /* The default port is no part of the account's URL. */
    { "https://billing.example.dk:443", "https://billing.example.dk" },
    { "HTTPS://Billing.Example.DK:443/Desk/", "https://billing.example.dk/Desk" },
    { "http://127.0.0.1:80/", "http://127.0.0.1" },
    { "http://127.0.0.1:443", "http://127.0.0.1:443" },
    { "https://billing.example.dk:80", "https://billing.example.dk:80" },
    { "not a url/", "not a url" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = bd_account_normalize_url (cases[i].url);

      g_assert_cmpstr (normalized, ==, cases[i].expected);
    }
}

static void
test_account (void)
{
  g_autoptr(BdAccount) demo = bd_account_new_demo ();
  g_autoptr(BdAccount) account = NULL;
  g_autoptr(BdAccount) again = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autofree char *title = NULL;
  g_autofree char *key = bd_account_make_key ("HTTPS://Billing.Example.DK/", "u-1");

  g_assert_true (bd_account_is_demo (demo));
  g_assert_cmpstr (bd_account_get_key (demo), ==, "demo");
  g_assert_null (bd_account_get_service_url (demo));

  account = bd_account_new ("HTTPS://Billing.Example.DK/", "u-1", "Contoso A/S", "Anne Berg", "");
  g_assert_false (bd_account_is_demo (account));
  g_assert_cmpstr (bd_account_get_key (account), ==, "https://billing.example.dk u-1");
  g_assert_cmpstr (bd_account_get_key (account), ==, key);
  g_clear_pointer (&key, g_free);
  key = bd_account_make_key ("https://billing.example.dk:443/", "u-1");
  g_assert_cmpstr (bd_account_get_key (account), ==, key);
  g_assert_null (bd_account_get_ca_file (account));
  title = bd_account_dup_title (account);
  g_assert_cmpstr (title, ==, "Contoso A/S – Anne Berg");

  value = g_variant_ref_sink (bd_account_to_variant (account));
  g_assert_cmpstr (g_variant_get_type_string (value), ==, "(sssss)");
  again = bd_account_new_from_variant (value);
  g_assert_cmpstr (bd_account_get_key (again), ==, bd_account_get_key (account));
  g_assert_cmpstr (bd_account_get_user_name (again), ==, "Anne Berg");

  /* An edited setting that names no service or no user is no account. */
  g_clear_pointer (&value, g_variant_unref);
  value = g_variant_ref_sink (g_variant_new ("(sssss)", "", "u-1", "", "", ""));
  g_assert_null (bd_account_new_from_variant (value));
}

static GSettings *
new_settings (GSettingsBackend *backend)
{
  return g_settings_new_with_backend (APPLICATION_ID, backend);
}

static guint changes;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added)
{
  changes++;
}

static void
test_list (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = new_settings (backend);
  g_autoptr(GSettings) other = new_settings (backend);
  g_autoptr(BdAccountList) list = bd_account_list_new (settings);
  g_autoptr(BdAccount) a = bd_account_new ("https://a.example", "u-1", "A", "Anne", "");
  g_autoptr(BdAccount) a2 = bd_account_new ("https://A.example/", "u-1", "A2", "Anne", "/ca.pem");
  g_autoptr(BdAccount) b = bd_account_new ("https://b.example", "u-2", "B", "Bo", "");
  g_autoptr(BdAccount) first = NULL;
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *saved_text = NULL;
  g_autoptr(BdAccountList) reread = NULL;

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (bd_account_is_demo (first));
  g_assert_false (bd_account_list_remove (list, "demo"));

  bd_account_list_add (list, a);
  bd_account_list_add (list, b);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  /* The same key replaces the account where it is. */
  bd_account_list_add (list, a2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_true (bd_account_list_lookup (list, "https://a.example u-1") == a2);
  g_assert_cmpuint (changes, ==, 3);

  saved = g_settings_get_value (other, "accounts");
  saved_text = g_variant_print (saved, FALSE);
  g_assert_cmpstr (saved_text, ==,
                   "[('https://a.example', 'u-1', 'A2', 'Anne', '/ca.pem'), "
                   "('https://b.example', 'u-2', 'B', 'Bo', '')]");

  /* Another window's change (through another GSettings) shows here; an
   * entry naming no user and a second entry for a key are left out. */
  g_settings_set_value (other, "accounts",
                        g_variant_new_parsed ("[('https://b.example', 'u-2', 'B', 'Bo', ''), "
                                              "('https://c.example', '', 'C', '', ''), "
                                              "('https://B.example/', 'u-2', 'B', 'Bo', '')]"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_null (bd_account_list_lookup (list, "https://a.example u-1"));
  g_assert_nonnull (bd_account_list_lookup (list, "https://b.example u-2"));

  g_assert_true (bd_account_list_remove (list, "https://b.example u-2"));
  g_assert_false (bd_account_list_remove (list, "https://b.example u-2"));
  reread = bd_account_list_new (other);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reread)), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account/normalize-url", test_normalize_url);
  g_test_add_func ("/account/account", test_account);
  g_test_add_func ("/account/list", test_list);

  return g_test_run ();
}
