/* test-export.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export… of Your Products: the real window over a real service, under
 * Xvfb. The file written is read back by the tests' own CSV reader
 * (bd-test-csv.c, written apart from the app's writer) and compared field by
 * field with the list as filtered; a file that cannot be written is said in
 * a toast, and nothing is left behind.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "bd-application.h"
#include "bd-export.h"
#include "bd-format.h"
#include "bd-products-export.h"
#include "bd-products-page.h"
#include "bd-test-csv.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

/* Names a spreadsheet or a CSV reader could get wrong. */
#define EXPORT_TENANT \
  "{\"tenant\":{\"displayName\":\"Contoso A/S\",\"cloud\":\"worldwide\",\"currency\":\"DKK\"}," \
  "\"users\":[" \
  "{\"id\":\"u1\",\"displayName\":\"Anne Berg\",\"roles\":[\"globalAdmin\"],\"token\":\"" ADMIN "\"}]," \
  "\"subscriptions\":[" \
  SUB ("s1", "Microsoft 365 Business Premium", "\"quantity\":10,\"assignedLicenses\":8") "," \
  SUB ("s2", "=HYPERLINK(\\\"x\\\")", "\"quantity\":5,\"assignedLicenses\":5") "," \
  SUB ("s3", "-5", "\"quantity\":25,\"assignedLicenses\":20") "," \
  SUB ("s4", "Quotes \\\"inside\\\", commas; semicolons", "\"quantity\":2") "," \
  SUB ("s5", "Two\\r\\nlines\\nand a third", "\"quantity\":3,\"isTrial\":true") "," \
  SUB ("s6", "Blåbærgrød Æ Ø Å", "\"quantity\":4,\"recurringBilling\":\"renewOnce\"") "," \
  SUB ("s7", "+45 @home", "\"quantity\":1") "," \
  "{\"id\":\"s9\",\"productName\":\"Project Plan 3\",\"status\":\"expired\",\"quantity\":2," \
  "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":22385,\"currency\":\"DKK\"}," \
  "\"recurringBilling\":\"off\",\"startDate\":\"2026-09-30T00:00:00Z\"," \
  "\"lastRenewalDate\":\"2026-09-30T00:00:00Z\",\"termEndDate\":\"2026-10-30T00:00:00Z\"," \
  "\"statusChangedDate\":\"2026-10-30T00:00:00Z\"}" \
  "]}"

#define N_PRODUCTS 8

typedef struct
{
  BdTestService  *service;
  BdWindow       *window;
  BdProductsPage *page;
  char           *dir;
} Fixture;

static gboolean
page_loaded (gpointer data)
{
  Fixture *f = data;

  return !bd_products_page_is_loading (f->page) &&
         g_list_model_get_n_items (bd_products_page_get_model (f->page)) > 0;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BdClient) client = NULL;

  f->dir = g_dir_make_tmp ("billing-desk-export-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->service = bd_test_service_new (EXPORT_TENANT, NOW);
  client = bd_client_new (f->service->url, ADMIN);

  f->window = g_object_new (BD_TYPE_WINDOW, NULL);
  f->page = BD_PRODUCTS_PAGE (bd_window_get_products_page (f->window));

  gtk_window_present (GTK_WINDOW (f->window));
  bd_window_set_client (f->window, client);
  g_assert_true (bd_test_wait_until (page_loaded, f, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==,
                    N_PRODUCTS);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_pointer (&f->service, bd_test_service_free);
  bd_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* What the administrator reads, word for word, in each language: the
 * format the chooser offers first and the file it writes. The decimal
 * comma goes with a language whose ICU decimal separator is a comma; Arabic's
 * is "٫", and its export is the standard CSV (ASCII digits, which
 * spreadsheets read as numbers), its headers in Arabic. Arabic's toast,
 * with a count, is left to the catalog comparison, as its digits are the
 * count's formatting's to choose. */
typedef struct
{
  const char   *language;
  BdCsvFlavour  flavour;
  const char   *choice;
  const char   *choice_label;
  const char   *products_file;    /* its name before the date */
  const char   *activity_file;
  const char   *exported_8;
  const char   *header;           /* the file begins so, after its BOM */
  const char   *row_s2;
  const char   *cannot_write;
} Words;

static const Words words_by_language[] = {
  { "en", BD_CSV_FLAVOUR_STANDARD, "standard", "Standard CSV",
    "Billing Desk products ", "Billing Desk activity ", "Exported 8 products",
    "Product,Status,Subscription ID,",
    "\r\n\"'=HYPERLINK(\"\"x\"\")\",Active,s2,5,5,159.00,DKK,"
    "On,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z\r\n",
    "Could not export to “products.csv”" },
  { "da", BD_CSV_FLAVOUR_DECIMAL_COMMA, "decimal-comma", "Til regneark på dansk",
    "Billing Desk produkter ", "Billing Desk aktivitet ", "Eksporterede 8 produkter",
    "Produkt;Status;Abonnements-id;",
    "\r\n\"'=HYPERLINK(\"\"x\"\")\";Aktiv;s2;5;5;159,00;DKK;"
    "Til;2026-11-01T00:00:00Z;2026-12-01T00:00:00Z\r\n",
    "Kunne ikke eksportere til »products.csv«" },
  { "de", BD_CSV_FLAVOUR_DECIMAL_COMMA, "decimal-comma", "Für Tabellenkalkulationen auf Deutsch",
    "Billing Desk Produkte ", "Billing Desk Aktivität ", "8 Produkte exportiert",
    "Produkt;Status;Abonnement-ID;",
    "\r\n\"'=HYPERLINK(\"\"x\"\")\";Aktiv;s2;5;5;159,00;DKK;"
    "Ein;2026-11-01T00:00:00Z;2026-12-01T00:00:00Z\r\n",
    "Export nach „products.csv“ nicht möglich" },
  { "ar", BD_CSV_FLAVOUR_STANDARD, "standard", "CSV قياسي",
    "منتجات Billing Desk ", "نشاط Billing Desk ", NULL,
    "المنتج,الحالة,معرّف الاشتراك,",
    "\r\n\"'=HYPERLINK(\"\"x\"\")\",نشط,s2,5,5,159.00,DKK,"
    "تشغيل,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z\r\n",
    "تعذّر التصدير إلى ”products.csv“" },
};

/* The row for the interface's language. */
static const Words *
words (void)
{
  return bd_test_for_language (bd_format_get_language (), words_by_language, sizeof (Words),
                               G_N_ELEMENTS (words_by_language));
}

static char *
done_message (guint n)
{
  g_autofree char *count = bd_format_count (n);

  return g_strdup_printf (ngettext ("Exported %s product", "Exported %s products", n), count);
}

/* The names in @dir, sorted, joined by '|'. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("|", (char **) names->pdata);
}

/* The amount as the file must hold it: minor units, two decimals. */
static char *
expected_amount (gint64 amount,
                 char   decimal_point)
{
  return g_strdup_printf ("%s%" G_GINT64_FORMAT "%c%02d", amount < 0 ? "-" : "",
                          ABS (amount) / 100, decimal_point, (int) (ABS (amount) % 100));
}

static const char *
expected_status (BdStatus status)
{
  return status == BD_STATUS_ACTIVE ? C_("subscription status", "Active")
                                    : C_("subscription status", "Expired");
}

static const char *
expected_recurring (BdRecurringBilling recurring)
{
  switch (recurring)
    {
    case BD_RECURRING_BILLING_ON:
      return C_("recurring billing state", "On");
    case BD_RECURRING_BILLING_RENEW_ONCE:
      return C_("recurring billing state", "On, but renew once");
    case BD_RECURRING_BILLING_OFF:
    default:
      return C_("recurring billing state", "Off");
    }
}

/* Waits for the toast of an export of what the page shows to @path, and
 * compares the file with the list field by field.
 */
static void
compare_export (Fixture      *f,
                const char   *path,
                BdCsvFlavour  flavour)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *toast = NULL;
  GListModel *shown = bd_products_page_get_shown (f->page);
  guint n = g_list_model_get_n_items (shown);
  char separator = flavour == BD_CSV_FLAVOUR_DECIMAL_COMMA ? ';' : ',';
  char decimal_point = flavour == BD_CSV_FLAVOUR_DECIMAL_COMMA ? ',' : '.';
  const char *header[] = {
    C_("export column", "Product"), C_("export column", "Status"),
    C_("export column", "Subscription ID"), C_("export column", "Licenses"),
    C_("export column", "Assigned licenses"), C_("export column", "Unit price"),
    C_("export column", "Currency"), C_("export column", "Recurring billing"),
    C_("export column", "Start date"), C_("export column", "Term end date"), NULL,
  };
  char **fields;
  gsize length;

  toast = done_message (n);
  bd_test_wait_for_text (f->window, toast);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  rows = bd_test_csv_parse (contents, length, separator, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, n + 1);

  fields = g_ptr_array_index (rows, 0);
  g_assert_cmpstrv (fields, header);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (shown, i);
      const BdSubscriptionData *data = bd_subscription_get_data (subscription);
      const char *name = data->product_name;
      g_autofree char *quantity = g_strdup_printf ("%u", data->quantity);
      g_autofree char *assigned = g_strdup_printf ("%u", data->assigned_licenses);
      g_autofree char *amount = expected_amount (data->unit_price.amount, decimal_point);
      g_autofree char *start = bd_test_format (data->start_date);
      g_autofree char *term_end = bd_test_format (data->term_end_date);
      g_autofree char *shown_name = NULL;

      /* A name a spreadsheet would run keeps an apostrophe before it. */
      shown_name = g_strconcat (strchr ("=+-@\t\r", name[0]) != NULL ? "'" : "", name, NULL);
      fields = g_ptr_array_index (rows, i + 1);
      g_test_message ("row %u: %s", i + 1, fields[0]);
      g_assert_cmpuint (g_strv_length (fields), ==, 10);
      g_assert_cmpstr (fields[0], ==, shown_name);
      g_assert_cmpstr (fields[1], ==, expected_status (data->status));
      g_assert_cmpstr (fields[2], ==, data->id);
      g_assert_cmpstr (fields[3], ==, quantity);
      g_assert_cmpstr (fields[4], ==, assigned);
      g_assert_cmpstr (fields[5], ==, amount);
      g_assert_cmpstr (fields[6], ==, "DKK");
      g_assert_cmpstr (fields[7], ==, expected_recurring (data->recurring_billing));
      g_assert_cmpstr (fields[8], ==, start);
      g_assert_cmpstr (fields[9], ==, term_end);
    }
}

/* Exports what the page shows to @path, as the chooser would, and
 * compares.
 */
static void
export_and_compare (Fixture      *f,
                    const char   *path,
                    BdCsvFlavour  flavour)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  bd_products_export_to_file (f->page, file, flavour);
  compare_export (f, path, flavour);
}

/* Whether @model, or a section or submenu of it, has the item @label with
 * the action @action.
 */
static gboolean
menu_has_item (GMenuModel *model,
               const char *label,
               const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_label = NULL;
      g_autofree char *item_action = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label) &&
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action) &&
          g_str_equal (item_label, label) && g_str_equal (item_action, action))
        return TRUE;

      while (g_menu_link_iter_get_next (links, NULL, &link))
        {
          gboolean found = menu_has_item (link, label, action);

          g_object_unref (link);
          if (found)
            return TRUE;
        }
    }

  return FALSE;
}

static gboolean
is_main_menu_button (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_MENU_BUTTON (widget) &&
         g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)),
                    "open-menu-symbolic") == 0;
}

static gboolean
chooser_shown (gpointer data)
{
  return bd_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
chooser_gone (gpointer data)
{
  return !chooser_shown (data);
}

/* Export… in the window's menu: the chooser (GTK's own dialog here, where
 * no portal stands in for it) suggests the name and the interface
 * language's format. What it gives on Export is what the other cases give
 * bd_products_export_to_file (): GTK 4.8's dialog, driven from code, saves
 * beside the folder it was told (its entry reads the folder late), so this
 * case cancels it.
 */
static void
test_chooser (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");
  g_autofree char *suggested = NULL;
  g_autofree char *expected_name = NULL;
  g_autofree char *names = NULL;
  g_autofree char *toast = done_message (N_PRODUCTS);
  GtkWidget *menu_button = bd_test_find_widget (f->window, is_main_menu_button, NULL);
  GtkFileChooser *chooser;
  GtkWindow *dialog;

  g_assert_nonnull (menu_button);
  g_assert_true (menu_has_item (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)),
                                _("_Export…"), "win.export"));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export", NULL);
  g_assert_true (bd_test_wait_until (chooser_shown, NULL, BD_TEST_WIDGET_WAIT_MS));
  dialog = bd_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  chooser = GTK_FILE_CHOOSER (dialog);

  g_assert_cmpstr (gtk_window_get_title (dialog), ==, _("Export Your Products"));
  suggested = gtk_file_chooser_get_current_name (chooser);
  expected_name = g_strconcat (words ()->products_file, date, ".csv", NULL);
  g_assert_cmpstr (suggested, ==, expected_name);
  g_assert_cmpstr (gtk_file_chooser_get_choice (chooser, "format"), ==, words ()->choice);
  bd_test_assert_shows (dialog, words ()->choice_label);
  bd_test_save_screenshot (dialog, "export-dialog");

  /* Cancelled, it writes nothing and says nothing. */
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_assert_true (bd_test_wait_until (chooser_gone, NULL, BD_TEST_WIDGET_WAIT_MS));
  bd_test_settle (200);
  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "");
  bd_test_assert_not_shown (f->window, toast);
}

/* The whole list, in the interface language's flavour. */
static void
test_whole_list (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "products.csv", NULL);
  g_autofree char *names = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *header = NULL;

  /* Danish and German write decimals with a comma, English with a point. */
  g_assert_cmpint (bd_export_get_default_flavour (), ==, words ()->flavour);

  export_and_compare (f, path, bd_export_get_default_flavour ());
  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "products.csv");

  /* What the administrator reads, word for word. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  if (words ()->exported_8 != NULL)
    bd_test_assert_shows (f->window, words ()->exported_8);
  header = g_strconcat ("\xef\xbb\xbf", words ()->header, NULL);
  g_assert_true (g_str_has_prefix (contents, header));
  g_assert_nonnull (strstr (contents, words ()->row_s2));
  bd_test_save_screenshot (f->window, "export-toast");
}

/* The rows the search lets through, in each flavour; a second export
 * replaces the first whole.
 */
static void
test_filtered (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "filtered.csv", NULL);
  g_autofree char *names = NULL;

  g_assert_true (g_file_set_contents (path, "an older, longer file that must go entirely\n", -1,
                                      NULL));

  bd_products_page_set_search (f->page, "e");
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_shown (f->page)), ==, 6);
  export_and_compare (f, path, BD_CSV_FLAVOUR_STANDARD);

  bd_products_page_set_search (f->page, "lines");
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_shown (f->page)), ==, 1);
  export_and_compare (f, path, BD_CSV_FLAVOUR_DECIMAL_COMMA);

  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "filtered.csv");
}

/* A path whose parent is a regular file cannot be written, even as root:
 * a toast with the file's name, and nothing left behind.
 */
static void
test_cannot_write (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *plain = g_build_filename (f->dir, "plain", NULL);
  g_autofree char *path = g_build_filename (plain, "products.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *message = NULL;
  g_autofree char *names = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (plain, "a file, not a folder", -1, NULL));

  bd_products_export_to_file (f->page, file, bd_export_get_default_flavour ());
  message = g_strdup_printf (_("Could not export to “%1$s”: %2$s"), "products.csv",
                             g_strerror (ENOTDIR));
  bd_test_wait_for_text (f->window, message);
  bd_test_assert_shows (f->window, words ()->cannot_write);
  bd_test_save_screenshot (f->window, "export-error-toast");

  names = list_dir (f->dir);
  g_assert_cmpstr (names, ==, "plain");
  g_assert_true (g_file_get_contents (plain, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "a file, not a folder");
}

/* Both exports suggest a name with today's date, in the interface
 * language, from the one place that builds it.
 */
static void
test_suggested_names (void)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");
  g_autofree char *products = bd_export_suggest_name (BD_EXPORT_LIST_PRODUCTS);
  g_autofree char *activity = bd_export_suggest_name (BD_EXPORT_LIST_ACTIVITY);
  g_autofree char *expected_products = NULL;
  g_autofree char *expected_activity = NULL;

  expected_products = g_strconcat (words ()->products_file, date, ".csv", NULL);
  expected_activity = g_strconcat (words ()->activity_file, date, ".csv", NULL);
  g_assert_cmpstr (products, ==, expected_products);
  g_assert_cmpstr (activity, ==, expected_activity);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bd_application_set_default_direction ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/export/suggested-names", test_suggested_names);
  g_test_add ("/export/products/whole-list", Fixture, NULL, fixture_set_up, test_whole_list,
              fixture_tear_down);
  g_test_add ("/export/products/filtered", Fixture, NULL, fixture_set_up, test_filtered,
              fixture_tear_down);
  g_test_add ("/export/products/chooser", Fixture, NULL, fixture_set_up, test_chooser,
              fixture_tear_down);
  g_test_add ("/export/products/cannot-write", Fixture, NULL, fixture_set_up,
              test_cannot_write, fixture_tear_down);

  return g_test_run ();
}
