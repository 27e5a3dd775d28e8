/* test-pieces.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Your Products on a tenant of a few thousand subscriptions from a real
 * service: a small first page, then pages of 500 (top replaced in each
 * nextLink), the rows going into the list a piece at a time. Every row
 * comes exactly once, in the service's order, the pieces only append, the
 * count is right once the list is complete, and a refresh or another
 * account in the middle of the pieces drops the rest.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "bd-application.h"
#include "bd-format.h"
#include "bd-products-page.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "service-tenant.h"

#define N_ROWS 2345
#define N_OTHER 1234
#define WAIT_MS 60000

typedef struct
{
  BdTestService  *service;
  GtkWindow      *window;
  BdProductsPage *page;
  GArray         *pieces;   /* the number of rows each change added */
  guint           n_removed;
  guint           n_misplaced;
} Fixture;

/* @n active subscriptions of one product, so that the service's order is
 * the ids' order: PREFIX00001, PREFIX00002, ...
 */
static char *
tenant_json (const char *prefix,
             guint       n)
{
  GString *json = g_string_new (
    "{\"tenant\":{\"displayName\":\"Pieces A/S\",\"cloud\":\"worldwide\",\"currency\":\"DKK\"},"
    "\"users\":[{\"id\":\"u1\",\"displayName\":\"Anne Berg\",\"roles\":[\"globalAdmin\"],"
    "\"token\":\"" ADMIN "\"}],\"billingProfiles\":[],\"domains\":[],\"subscriptions\":[");

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (json,
                            "%s{\"id\":\"%s%05u\",\"productName\":\"Microsoft 365 E3\","
                            "\"status\":\"active\",\"quantity\":%u,\"billingFrequency\":\"monthly\","
                            "\"unitPrice\":{\"amount\":27050,\"currency\":\"DKK\"},"
                            "\"startDate\":\"2026-11-01T00:00:00Z\","
                            "\"lastRenewalDate\":\"2026-11-01T00:00:00Z\","
                            "\"termEndDate\":\"2026-12-01T00:00:00Z\"}",
                            i > 1 ? "," : "", prefix, i, 1 + i % 25);
  g_string_append (json, "]}");

  return g_string_free (json, FALSE);
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Fixture    *f)
{
  f->n_removed += removed;
  /* A piece goes at the end of the rows already in. */
  if (added > 0 && position + added != g_list_model_get_n_items (model))
    f->n_misplaced++;
  if (added > 0)
    g_array_append_val (f->pieces, added);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *tenant = tenant_json ("s", N_ROWS);

  f->service = bd_test_service_new (tenant, NOW);
  f->pieces = g_array_new (FALSE, FALSE, sizeof (guint));
  f->window = GTK_WINDOW (gtk_window_new ());
  f->page = g_object_new (BD_TYPE_PRODUCTS_PAGE, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_set_default_size (f->window, 960, 680);
  g_signal_connect (bd_products_page_get_model (f->page), "items-changed",
                    G_CALLBACK (on_items_changed_cb), f);
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_pointer (&f->pieces, g_array_unref);
  g_clear_pointer (&f->service, bd_test_service_free);
}

static gboolean
some_rows_in (gpointer data)
{
  Fixture *f = data;
  guint n = g_list_model_get_n_items (bd_products_page_get_model (f->page));

  return n > 0 && bd_products_page_is_loading (f->page);
}

/* The list holds PREFIX00001 .. PREFIXn, each once, in order. */
static void
assert_rows (Fixture    *f,
             const char *prefix,
             guint       n)
{
  GListModel *model = bd_products_page_get_model (f->page);
  g_autofree char *number = bd_format_count (n);
  g_autofree char *count = g_strdup_printf (ngettext ("%s product", "%s products", n), number);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BdSubscription) s = g_list_model_get_item (model, i);
      g_autofree char *id = g_strdup_printf ("%s%05u", prefix, i + 1);

      g_assert_cmpstr (bd_subscription_get_id (s), ==, id);
    }
  bd_test_assert_shows (f->page, count);
}

/* A first piece of at most 12 (what a window shows), pieces of at most 4
 * while GTK makes a widget for each new row (the first 200), then larger
 * ones; only appends.
 */
static void
test_pieces_every_row_once (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  guint total = 0;

  bd_products_page_set_client (f->page, client);
  g_assert_true (bd_test_wait_until (bd_test_page_has_rows, f->page, WAIT_MS));

  assert_rows (f, "s", N_ROWS);
  /* The footer's count, word for word: digits grouped as the language
   * groups them (pieces-da runs this case in Danish). */
  if (g_str_equal (bd_format_get_language (), "da"))
    bd_test_assert_shows (f->page, "2.345 produkter");
  else
    bd_test_assert_shows (f->page, "2,345 products");
  g_assert_cmpuint (f->n_removed, ==, 0);
  g_assert_cmpuint (f->n_misplaced, ==, 0);
  g_assert_cmpuint (f->pieces->len, >, 1);
  for (guint i = 0; i < f->pieces->len; i++)
    {
      guint n = g_array_index (f->pieces, guint, i);

      g_assert_cmpuint (n, <=, total == 0 ? 12 : total < 200 ? 4 : 2000);
      total += n;
    }
  g_assert_cmpuint (total, ==, N_ROWS);
}

static gboolean
keep_busy (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* A main loop that is never idle below GTK's redraw (frames that take all
 * the time, as a software renderer's with a spinner turning): the pieces
 * still come, one a frame; they once waited for an idle that never ran.
 */
static void
test_pieces_busy_main_loop (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  guint busy = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, keep_busy, NULL, NULL);

  bd_products_page_set_client (f->page, client);
  g_assert_true (bd_test_wait_until (bd_test_page_has_rows, f->page, WAIT_MS));
  g_source_remove (busy);

  assert_rows (f, "s", N_ROWS);
}

/* A refresh while pieces wait: they are dropped, the rows shown stay as
 * they are until the new list is in, and then each is there once.
 */
static void
test_pieces_refresh_drops_the_rest (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  GListModel *model = bd_products_page_get_model (f->page);
  guint shown;

  bd_products_page_set_client (f->page, client);
  g_assert_true (bd_test_wait_until (some_rows_in, f, WAIT_MS));
  shown = g_list_model_get_n_items (model);
  g_assert_cmpuint (shown, <, N_ROWS);

  bd_products_page_reload (f->page);
  for (guint i = 0; i < 20 && bd_products_page_is_loading (f->page); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      if (bd_products_page_is_loading (f->page))
        g_assert_cmpuint (g_list_model_get_n_items (model), ==, shown);
    }

  g_assert_true (bd_test_wait_until (bd_test_page_has_rows, f->page, WAIT_MS));
  assert_rows (f, "s", N_ROWS);
}

/* Another account while pieces wait: none of the first account's rows
 * comes after the switch.
 */
static void
test_pieces_other_account_drops_the_rest (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  g_autofree char *other_tenant = tenant_json ("t", N_OTHER);
  BdTestService *other = bd_test_service_new (other_tenant, NOW);
  g_autoptr(BdClient) other_client = bd_client_new (other->url, ADMIN);
  GListModel *model = bd_products_page_get_model (f->page);

  bd_products_page_set_client (f->page, client);
  g_assert_true (bd_test_wait_until (some_rows_in, f, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (model), <, N_ROWS);

  bd_products_page_set_client (f->page, other_client);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  f->n_misplaced = 0;

  g_assert_true (bd_test_wait_until (bd_test_page_has_rows, f->page, WAIT_MS));
  assert_rows (f, "t", N_OTHER);
  g_assert_cmpuint (f->n_misplaced, ==, 0);

  bd_products_page_set_client (f->page, NULL);
  bd_test_service_free (other);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bd_application_set_default_direction ();

  g_test_add ("/pieces/every-row-once", Fixture, NULL, fixture_set_up,
              test_pieces_every_row_once, fixture_tear_down);
  g_test_add ("/pieces/busy-main-loop", Fixture, NULL, fixture_set_up,
              test_pieces_busy_main_loop, fixture_tear_down);
  g_test_add ("/pieces/refresh-drops-the-rest", Fixture, NULL, fixture_set_up,
              test_pieces_refresh_drops_the_rest, fixture_tear_down);
  g_test_add ("/pieces/other-account-drops-the-rest", Fixture, NULL, fixture_set_up,
              test_pieces_other_account_drops_the_rest, fixture_tear_down);

  return g_test_run ();
}
