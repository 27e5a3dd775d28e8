/* test-offline.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real window over a real service that goes away and comes back, under
 * Xvfb: each complete load is kept; unreachable, the kept list is shown
 * read-only under "Offline — the list as of …", every action off with its
 * reason; Try Again with the service back shows the live list and keeps it
 * again. Without a kept list (or with a broken one), the error page. A
 * revoked token: Signed Out, with Sign In Again. With
 * BD_TEST_SCREENSHOT_DIR set, the offline window and Signed Out are saved
 * there as PNGs.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#include "bd-action-dialog.h"
#include "bd-application.h"
#include "bd-cancel-pane.h"
#include "bd-format.h"
#include "bd-list-cache.h"
#include "bd-offline-bar.h"
#include "bd-product-row.h"
#include "bd-products-page.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

#define TITLE "Contoso A/S – Anne Berg"

typedef struct
{
  const char *token;
  const char *user_id;
} Account;

static const Account admin = { ADMIN, "u1" };
static const Account reader = { READER, "u3" };

typedef struct
{
  BdTestService  *service;
  guint16         port;
  BdWindow       *window;
  BdProductsPage *page;
  const Account  *account;
  char           *cache_path;
  char           *cache_text;  /* as first written */
} Fixture;

static gboolean
page_loaded (gpointer data)
{
  Fixture *f = data;

  return !bd_products_page_is_loading (f->page) &&
         g_list_model_get_n_items (bd_products_page_get_model (f->page)) > 0;
}

static gboolean
cache_written (gpointer data)
{
  Fixture *f = data;

  return g_file_test (f->cache_path, G_FILE_TEST_EXISTS);
}

/* Written again, with something else in it. */
static gboolean
cache_rewritten (gpointer data)
{
  Fixture *f = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (f->cache_path, &text, NULL, NULL) &&
         g_strcmp0 (text, f->cache_text) != 0;
}

static gboolean
page_offline (gpointer data)
{
  Fixture *f = data;

  return bd_products_page_is_offline (f->page);
}

static gboolean
page_live (gpointer data)
{
  Fixture *f = data;

  return !bd_products_page_is_offline (f->page) && page_loaded (f);
}

/* The page's own stack: the one with a "signed-out" page. */
static GtkStack *
find_page_stack (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "signed-out"))
    return GTK_STACK (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *stack = find_page_stack (child);

      if (stack != NULL)
        return stack;
    }

  return NULL;
}

static const char *
shown_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (find_page_stack (GTK_WIDGET (f->page)));
}

static gboolean
error_shown (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (shown_page (f), "error") == 0;
}

static gboolean
signed_out_shown (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (shown_page (f), "signed-out") == 0;
}

static void
show_account (Fixture       *f,
              const Account *account)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, account->token);

  g_free (f->cache_path);
  f->cache_path = bd_list_cache_get_path (f->service->url, account->user_id);
  f->account = account;
  bd_products_page_set_account (f->page, TITLE, f->service->url, account->user_id);
  bd_window_set_client (f->window, client);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GUri) uri = NULL;

  f->service = bd_test_service_new (TENANT, NOW);
  uri = g_uri_parse (f->service->url, G_URI_FLAGS_NONE, NULL);
  f->port = (guint16) g_uri_get_port (uri);

  f->window = g_object_new (BD_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 720, 560);
  f->page = BD_PRODUCTS_PAGE (bd_window_get_products_page (f->window));
  gtk_window_present (GTK_WINDOW (f->window));

  show_account (f, data != NULL ? data : &admin);
  g_assert_true (bd_test_wait_until (page_loaded, f, BD_TEST_WIDGET_WAIT_MS));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), APPLICATION_ID, NULL);

  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_pointer (&f->service, bd_test_service_free);
  g_clear_pointer (&f->cache_path, g_free);
  g_clear_pointer (&f->cache_text, g_free);
  bd_test_remove_tree (cache);
}

/* Nothing listens at the service's address any more. */
static void
stop_service (Fixture *f)
{
  bd_server_disconnect (f->service->server);
  g_clear_object (&f->service->server);
}

/* @service, on its database, at @port. */
static void
serve_at (BdTestService *service,
          guint16        port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);

  service->server = bd_server_new (service->api);
  bd_server_start_workers (service->server, service->location, BD_STORE_DURABLE,
                           BD_SERVER_N_WORKERS, &error);
  g_assert_no_error (error);
  bd_server_listen (service->server, address, &error);
  g_assert_no_error (error);
}

/* The service again, on its database and at its address. */
static void
start_service (Fixture *f)
{
  serve_at (f->service, f->port);
}

static BdListCacheEntry *
load_cache (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BdListCacheEntry *entry;

  bd_list_cache_load_async (f->service->url, f->account->user_id, NULL, bd_test_store_result_cb,
                            &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, BD_TEST_WIDGET_WAIT_MS));
  entry = bd_list_cache_load_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry;
}

static BdSubscription *
find_subscription (Fixture    *f,
                   const char *id)
{
  return bd_test_find_subscription (bd_products_page_get_model (f->page), id);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (BD_IS_PRODUCT_ROW (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

/* The items of a row's More Actions menu, as its popover makes them
 * (GtkModelButton is GTK's own, and not an actionable).
 */
static void
collect_items (GtkWidget *widget,
               GPtrArray *items)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, g_type_from_name ("GtkModelButton")))
    g_ptr_array_add (items, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_items (child, items);
}

/* With @read_only, every row on screen can be read and not acted on: its
 * menu's items are off and it says why, in one line; the pane does not
 * open. Else the rows' menus do not say so.
 */
static void
assert_rows_read_only (Fixture  *f,
                       gboolean  read_only)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  const char *reason = _("Billing Desk can’t reach the billing service");

  collect_rows (GTK_WIDGET (f->page), rows);
  g_assert_cmpuint (rows->len, >, 0);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkMenuButton *button = GTK_MENU_BUTTON (bd_test_find_by_type (row, GTK_TYPE_MENU_BUTTON));
      g_autoptr(GPtrArray) items = g_ptr_array_new ();
      guint n_sensitive = 0;
      guint n_reason = 0;

      if (bd_product_row_get_subscription (BD_PRODUCT_ROW (row)) == NULL)
        continue;

      /* The menu button stays, so that the reason can be read; its menu is
       * made when it is opened. */
      g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
      gtk_menu_button_popup (button);
      collect_items (GTK_WIDGET (gtk_menu_button_get_popover (button)), items);
      gtk_menu_button_popdown (button);
      g_assert_cmpuint (items->len, >=, 5);
      for (guint j = 0; j < items->len; j++)
        {
          GtkWidget *item = g_ptr_array_index (items, j);
          g_autofree char *text = NULL;

          g_object_get (item, "text", &text, NULL);
          n_sensitive += gtk_widget_get_sensitive (item);
          n_reason += g_strcmp0 (text, reason) == 0;
        }

      if (read_only)
        {
          /* The five actions, the one line that says why, and Show
           * Activity (the ledger can't be read offline either). */
          g_assert_cmpuint (items->len, ==, 7);
          g_assert_cmpuint (n_sensitive, ==, 0);
          g_assert_cmpuint (n_reason, ==, 1);
        }
      else
        {
          g_assert_cmpuint (n_reason, ==, 0);
        }
    }

  /* s1 is Active, and its pane would open online: not now. */
  if (read_only)
    {
      BdProductRow *row = NULL;
      AdwFlap *flap = ADW_FLAP (bd_test_find_by_type (f->window, ADW_TYPE_FLAP));
      BdCancelPane *pane = BD_CANCEL_PANE (bd_test_find_by_type (f->window, BD_TYPE_CANCEL_PANE));

      for (guint i = 0; i < rows->len && row == NULL; i++)
        {
          BdSubscription *s = bd_product_row_get_subscription (g_ptr_array_index (rows, i));

          if (s != NULL && g_str_equal (bd_subscription_get_id (s), "s1"))
            row = g_ptr_array_index (rows, i);
        }
      g_assert_nonnull (row);
      gtk_widget_activate_action (GTK_WIDGET (row), "row.cancel", NULL);
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", "s", "s1");
      g_assert_false (adw_flap_get_reveal_flap (flap));
      g_assert_null (bd_cancel_pane_get_subscription (pane));
    }
}

static void
assert_mode_0600 (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
}

static char *
screenshot_name (const char *what)
{
  return g_strdup_printf ("%s-%s", what, bd_format_get_language ());
}

/* Loaded: kept. Unreachable: the kept list, read-only, and when it is
 * from. Back: Try Again shows the live list, which is kept in turn.
 */
static void
test_offline_and_back (Fixture       *f,
                       gconstpointer  data)
{
  BdOfflineBar *bar = BD_OFFLINE_BAR (bd_test_find_by_type (f->page, BD_TYPE_OFFLINE_BAR));
  g_autoptr(BdListCacheEntry) kept = NULL;
  g_autoptr(BdListCacheEntry) kept_again = NULL;
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autofree char *when = NULL;
  g_autofree char *line = NULL;
  g_autofree char *shot = NULL;
  guint n = g_list_model_get_n_items (bd_products_page_get_model (f->page));
  GtkWidget *try_again;

  /* Loaded: kept, 0600, every row. */
  g_assert_true (bd_test_wait_until (cache_written, f, BD_TEST_WIDGET_WAIT_MS));
  assert_mode_0600 (f->cache_path);
  g_assert_true (g_file_get_contents (f->cache_path, &f->cache_text, NULL, NULL));
  kept = load_cache (f);
  g_assert_cmpuint (kept->subscriptions->len, ==, n);
  g_assert_false (bd_products_page_is_offline (f->page));
  g_assert_false (bd_offline_bar_is_shown (bar));

  /* Meanwhile s1 is cancelled elsewhere: the kept list says Active still. */
  answer = bd_test_service_request (f->service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                    "{\"reason\":\"tooExpensive\"}", "Idempotency-Key",
                                    "offline-1", NULL);
  g_assert_cmpuint (answer->status, ==, 200);

  stop_service (f);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
  g_assert_true (bd_test_wait_until (page_offline, f, BD_TEST_WIDGET_WAIT_MS));

  when = bd_format_date_time (kept->saved_at);
  line = g_strdup_printf (_("Offline — the list as of %s"), when);
  g_assert_true (bd_offline_bar_is_shown (bar));
  g_assert_cmpstr (bd_offline_bar_get_text (bar), ==, line);
  bd_test_wait_for_text (f->page, line);
  g_assert_cmpstr (shown_page (f), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, n);
  g_assert_cmpint (bd_subscription_get_status (find_subscription (f, "s1")), ==,
                   BD_STATUS_ACTIVE);
  assert_rows_read_only (f, TRUE);
  shot = screenshot_name ("offline-window");
  bd_test_save_screenshot (f->window, shot);

  /* Still unreachable: Try Again leaves it as it is. */
  try_again = bd_test_find_by_action (bar, "page.reload");
  g_assert_nonnull (try_again);
  bd_test_click (try_again);
  g_assert_true (bd_products_page_is_loading (f->page));
  g_assert_true (bd_test_wait_until (page_loaded, f, BD_TEST_WIDGET_WAIT_MS));
  g_assert_true (bd_test_wait_until (page_offline, f, BD_TEST_WIDGET_WAIT_MS));
  g_assert_cmpstr (bd_offline_bar_get_text (bar), ==, line);

  /* Back, at the same address: the live list, and it is kept. */
  start_service (f);
  bd_test_click (bd_test_find_by_action (bar, "page.reload"));
  g_assert_true (bd_test_wait_until (page_live, f, BD_TEST_WIDGET_WAIT_MS));
  g_assert_false (bd_offline_bar_is_shown (bar));
  g_assert_cmpint (bd_subscription_get_status (find_subscription (f, "s1")), ==,
                   BD_STATUS_DISABLED);
  assert_rows_read_only (f, FALSE);

  /* The kept list is the new one. */
  g_assert_true (bd_test_wait_until (cache_rewritten, f, BD_TEST_WIDGET_WAIT_MS));
  kept_again = load_cache (f);
  g_assert_cmpuint (kept_again->subscriptions->len, ==,
                    g_list_model_get_n_items (bd_products_page_get_model (f->page)));
  for (guint i = 0; i < kept_again->subscriptions->len; i++)
    {
      BdSubscription *s = g_ptr_array_index (kept_again->subscriptions, i);

      if (g_str_equal (bd_subscription_get_id (s), "s1"))
        g_assert_cmpint (bd_subscription_get_status (s), ==, BD_STATUS_DISABLED);
    }
  assert_mode_0600 (f->cache_path);
}

/* Another account: the first one's kept list goes with it. */
static void
test_switch_clears (Fixture       *f,
                    gconstpointer  data)
{
  g_assert_true (bd_test_wait_until (cache_written, f, BD_TEST_WIDGET_WAIT_MS));
  stop_service (f);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
  g_assert_true (bd_test_wait_until (page_offline, f, BD_TEST_WIDGET_WAIT_MS));

  bd_products_page_set_account (f->page, "Fabrikam – Ib Holm", "https://billing.example.com",
                                "u1");
  g_assert_false (bd_products_page_is_offline (f->page));
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 0);
  g_assert_false (bd_offline_bar_is_shown (BD_OFFLINE_BAR (bd_test_find_by_type (
    f->page, BD_TYPE_OFFLINE_BAR))));
}

/* Unreachable with nothing kept, or with a file that is not a kept list:
 * the error page and Try Again, as before; nothing else.
 */
static void
test_nothing_kept (Fixture       *f,
                   gconstpointer  data)
{
  const Account other = { READER, "u3" };
  const char *broken[] = { NULL, "{\"version\":1,\"subscr", "{\"version\":99}" };

  stop_service (f);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_test_message ("kept: %s", broken[i] != NULL ? broken[i] : "nothing");
      bd_window_set_client (f->window, NULL);
      g_free (f->cache_path);
      f->cache_path = bd_list_cache_get_path (f->service->url, other.user_id);
      if (broken[i] != NULL)
        {
          g_autofree char *dir = g_path_get_dirname (f->cache_path);

          g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
          g_assert_true (g_file_set_contents_full (f->cache_path, broken[i], -1,
                                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL));
        }

      show_account (f, &other);
      g_assert_true (bd_test_wait_until (error_shown, f, BD_TEST_WIDGET_WAIT_MS));
      g_assert_false (bd_products_page_is_offline (f->page));
      g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 0);
      bd_test_assert_shows (f->page, _("Can’t Reach the Billing Service"));
      g_assert_nonnull (bd_test_find_by_action (f->page, "page.reload"));
      g_assert_false (bd_offline_bar_is_shown (BD_OFFLINE_BAR (bd_test_find_by_type (
        f->page, BD_TYPE_OFFLINE_BAR))));
    }
}

typedef struct
{
  guint       status;
  const char *type;
  const char *body;
  gboolean    offline;
} Answer;

static const Answer answers[] = {
  /* The service without its database. */
  { 503, "application/json",
    "{\"error\":{\"code\":\"unavailable\",\"message\":\"The billing database is not "
    "reachable.\"}}", TRUE },
  /* A proxy with no instance behind it. */
  { 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", TRUE },
  { 504, "text/html", "<html><body><h1>504 Gateway Time-out</h1></body></html>", TRUE },
  { 503, "text/html", "<html><body><h1>503 Service Unavailable</h1></body></html>", TRUE },
  /* Reached, and failing: not offline. */
  { 500, "application/json",
    "{\"error\":{\"code\":\"internalError\",\"message\":\"It failed.\"}}", FALSE },
};

static void
answer_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const Answer *answer = user_data;

  soup_server_message_set_status (msg, answer->status, NULL);
  soup_server_message_set_response (msg, answer->type, SOUP_MEMORY_STATIC, answer->body,
                                    strlen (answer->body));
}

/* The load over, however it ended. */
static gboolean
load_done (gpointer data)
{
  Fixture *f = data;

  return !bd_products_page_is_loading (f->page);
}

/* At the service's address, what answers instead of it when it is down
 * or broken: a 503, a proxy's 502 or 504 are offline; a 500 is a failure
 * of a service that was reached, and the live rows stay as they were.
 */
static void
test_stand_in (Fixture       *f,
               gconstpointer  data)
{
  g_assert_true (bd_test_wait_until (cache_written, f, BD_TEST_WIDGET_WAIT_MS));
  stop_service (f);

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      g_autoptr(GError) error = NULL;

      g_test_message ("%u %s", answers[i].status, answers[i].type);
      soup_server_add_handler (server, NULL, answer_cb, (gpointer) &answers[i], NULL);
      soup_server_listen_local (server, f->port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
      g_assert_no_error (error);

      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
      g_assert_true (bd_test_wait_until (load_done, f, BD_TEST_WIDGET_WAIT_MS));
      if (answers[i].offline)
        g_assert_true (bd_test_wait_until (page_offline, f, BD_TEST_WIDGET_WAIT_MS));
      else
        g_assert_false (bd_products_page_is_offline (f->page));
      g_assert_cmpstr (shown_page (f), ==, "list");
      assert_rows_read_only (f, answers[i].offline);

      soup_server_disconnect (server);
      if (!answers[i].offline)
        continue;

      /* Live again, for the next answer. */
      start_service (f);
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
      g_assert_true (bd_test_wait_until (page_live, f, BD_TEST_WIDGET_WAIT_MS));
      stop_service (f);
    }
}

/* Signed Out with no client (the keyring has no token for the account),
 * or an error with none (Can't Connect Safely, Did Not Start): another
 * account shows neither under its title, but "loading" until its client.
 */
static void
test_switch_from_stopped (Fixture       *f,
                          gconstpointer  data)
{
  const char *reason = "No token for this account, in this test.";
  g_autoptr(BdClient) client = NULL;

  bd_window_set_client (f->window, NULL);
  bd_products_page_show_signed_out (f->page, reason);
  g_assert_cmpstr (shown_page (f), ==, "signed-out");
  bd_test_assert_shows (f->page, reason);
  bd_test_assert_not_shown (f->page, _("The billing service no longer accepts this "
                                       "account’s token."));

  bd_products_page_set_account (f->page, "Fabrikam – Ib Holm", "https://billing.example.com",
                                "u1");
  g_assert_cmpstr (shown_page (f), ==, "loading");
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 0);

  bd_window_show_error (f->window, "Can’t Connect Safely", "Not in this test.");
  g_assert_cmpstr (shown_page (f), ==, "error");
  bd_products_page_set_account (f->page, TITLE, f->service->url, f->account->user_id);
  g_assert_cmpstr (shown_page (f), ==, "loading");

  client = bd_client_new (f->service->url, f->account->token);
  bd_window_set_client (f->window, client);
  g_assert_true (bd_test_wait_until (page_loaded, f, BD_TEST_WIDGET_WAIT_MS));
}

/* An account being removed: a reload while its window waits to leave it
 * does not write its list again.
 */
static void
test_stop_caching (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_true (bd_test_wait_until (cache_written, f, BD_TEST_WIDGET_WAIT_MS));
  g_assert_cmpint (g_unlink (f->cache_path), ==, 0);
  bd_products_page_stop_caching (f->page);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
  g_assert_true (bd_test_wait_until (page_loaded, f, BD_TEST_WIDGET_WAIT_MS));
  /* Both parts of the list in, and time for a save's thread. */
  bd_test_settle (500);
  g_assert_false (g_file_test (f->cache_path, G_FILE_TEST_EXISTS));

  /* Another account's list is kept again. */
  show_account (f, &reader);
  g_assert_true (bd_test_wait_until (cache_written, f, BD_TEST_WIDGET_WAIT_MS));
}

static const char *
subtitle (Fixture *f)
{
  GtkWidget *title = bd_test_find_by_type (f->window, ADW_TYPE_WINDOW_TITLE);

  return adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title));
}

static gboolean
subtitle_has_role (gpointer data)
{
  Fixture *f = data;
  /* Translators' format, as the window fills it in for Anne Berg. */
  g_autofree char *expected = g_strdup_printf (_("%1$s – %2$s, %3$s"), "Contoso A/S",
                                               "Anne Berg",
                                               bd_format_role (BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN)));

  return g_strcmp0 (subtitle (f), expected) == 0;
}

/* A window opened while the service is down shows the kept list; the
 * offline bar's Try Again with the service back asks /v1/me too: the
 * subtitle says the role.
 */
static void
test_try_again_asks_me (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, f->account->token);
  GtkWidget *bar;

  g_assert_true (bd_test_wait_until (cache_written, f, BD_TEST_WIDGET_WAIT_MS));
  stop_service (f);
  bd_window_set_client (f->window, NULL);
  bd_window_set_client (f->window, client);
  g_assert_true (bd_test_wait_until (page_offline, f, BD_TEST_WIDGET_WAIT_MS));
  bd_test_settle (200);
  g_assert_false (subtitle_has_role (f));

  start_service (f);
  bar = bd_test_find_by_type (f->page, BD_TYPE_OFFLINE_BAR);
  bd_test_click (bd_test_find_by_action (bar, "page.reload"));
  g_assert_true (bd_test_wait_until (page_live, f, BD_TEST_WIDGET_WAIT_MS));
  g_assert_true (bd_test_wait_until (subtitle_has_role, f, BD_TEST_WIDGET_WAIT_MS));
}

static gboolean
pane_shown (gpointer data)
{
  Fixture *f = data;

  return adw_flap_get_reveal_flap (ADW_FLAP (bd_test_find_by_type (f->window, ADW_TYPE_FLAP)));
}

static gboolean
dialog_shown (gpointer data)
{
  return bd_test_find_toplevel (BD_TYPE_ACTION_DIALOG) != NULL;
}

/* The Cancel pane and an action dialog open, idle, when the list goes
 * offline: both close (their rows are read-only now).
 */
static void
test_offline_closes (Fixture       *f,
                     gconstpointer  data)
{
  g_assert_true (bd_test_wait_until (cache_written, f, BD_TEST_WIDGET_WAIT_MS));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", "s", "s3");
  g_assert_true (bd_test_wait_until (pane_shown, f, BD_TEST_WIDGET_WAIT_MS));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.change-licenses", "s", "s4");
  g_assert_true (bd_test_wait_until (dialog_shown, f, BD_TEST_WIDGET_WAIT_MS));
  bd_test_settle (200);

  stop_service (f);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
  g_assert_true (bd_test_wait_until (page_offline, f, BD_TEST_WIDGET_WAIT_MS));
  bd_test_settle (100);
  g_assert_false (pane_shown (f));
  g_assert_false (dialog_shown (f));
}

/* The window closed while it asks the service (/v1/me and the list, as
 * Refresh does): it goes at once, its page and rows with it, and the
 * cancelled requests' callbacks touch none of them. Kept alive unrealized
 * until its requests ended, a popover of a row had no surface left when
 * GTK's tooltip timeout looked at it (gdk_surface_get_device_position:
 * assertion 'GDK_IS_SURFACE (surface)' failed, in the case after).
 */
static void
test_closed_while_asking (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  GtkWidget *page = GTK_WIDGET (f->page);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkWidget *row;

  collect_rows (page, rows);
  g_assert_cmpuint (rows->len, >, 0);
  row = g_ptr_array_index (rows, 0);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *) &row);

  gtk_widget_activate_action (window, "win.refresh", NULL);
  g_assert_true (bd_products_page_is_loading (f->page));
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  f->page = NULL;
  g_assert_null (window);
  g_assert_null (page);
  g_assert_null (row);

  /* The requests end, cancelled, with nothing left to touch. */
  bd_test_settle (300);
}

/* New in order: from the test service's product names, their ids shuffled. */
#define NEW_SUBSCRIPTIONS \
  SUB ("n4", "Alpha Plan", "\"quantity\":1") "," \
  SUB ("n2", "Bravo Plan", "\"quantity\":1") "," \
  SUB ("n6", "Charlie Plan", "\"quantity\":1") "," \
  SUB ("n1", "Delta Plan", "\"quantity\":1") "," \
  SUB ("n5", "Echo Plan", "\"quantity\":1") "," \
  SUB ("n3", "Foxtrot Plan", "\"quantity\":1") ","

/* A reload that brings new subscriptions: the rows shown stay where they
 * are, and the new ones follow them in the service's order.
 */
static void
test_new_rows_in_order (Fixture       *f,
                        gconstpointer  data)
{
  static const char *order[] = { "n4", "n2", "n6", "n1", "n5", "n3" };
  g_auto(GStrv) parts = g_strsplit (TENANT, "\"subscriptions\":[", 2);
  g_autofree char *tenant = g_strconcat (parts[0], "\"subscriptions\":[", NEW_SUBSCRIPTIONS,
                                         parts[1], NULL);
  GListModel *model = bd_products_page_get_model (f->page);
  guint before = g_list_model_get_n_items (model);
  BdTestService *other;

  g_assert_nonnull (parts[1]);
  /* The same tenant, with more subscriptions, in place of the service. */
  other = bd_test_service_new (tenant, NOW);
  bd_server_disconnect (other->server);
  g_clear_object (&other->server);
  stop_service (f);
  serve_at (other, f->port);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
  g_assert_true (bd_test_wait_until (load_done, f, BD_TEST_WIDGET_WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, before + G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (model, before + i);

      g_assert_cmpstr (bd_subscription_get_id (subscription), ==, order[i]);
    }

  bd_test_service_free (other);
}

static void
on_sign_in_again_cb (BdProductsPage *page,
                     gpointer        user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* The account's token revoked while the window is open: Signed Out, naming
 * the account, and Sign In Again; for a reader as for an admin.
 */
static void
test_signed_out (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shot = NULL;
  GtkWidget *button;
  guint count = 0;

  tokens = bd_store_list_tokens (f->service->store, f->account->user_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, >, 0);
  for (guint i = 0; i < tokens->len; i++)
    {
      BdStoredToken *token = g_ptr_array_index (tokens, i);

      g_assert_true (bd_store_revoke_token (f->service->store, token->id, &error));
      g_assert_no_error (error);
    }

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
  g_assert_true (bd_test_wait_until (signed_out_shown, f, BD_TEST_WIDGET_WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 0);
  g_assert_false (bd_products_page_is_offline (f->page));
  bd_test_wait_for_text (f->page, _("Signed Out"));
  bd_test_assert_shows (f->page, TITLE);
  bd_test_assert_shows (f->page,
                        _("The billing service no longer accepts this account’s token."));

  button = bd_test_find_by_action (f->page, "page.sign-in-again");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, _("_Sign In Again"));
  g_assert_null (bd_test_find_by_action (f->page, "win.refresh"));

  shot = screenshot_name (f->account == &admin ? "signed-out" : "signed-out-reader");
  bd_test_save_screenshot (f->window, shot);

  g_signal_connect (f->page, "sign-in-again", G_CALLBACK (on_sign_in_again_cb), &count);
  bd_test_click (button);
  g_assert_cmpuint (count, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_home = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A cache of the test's own, emptied after each case. */
  cache_home = bd_test_make_cache_home ();

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bd_application_set_default_direction ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/offline/offline-and-back", Fixture, &admin, fixture_set_up,
              test_offline_and_back, fixture_tear_down);
  g_test_add ("/offline/stand-in", Fixture, &admin, fixture_set_up, test_stand_in,
              fixture_tear_down);
  g_test_add ("/offline/switch-clears", Fixture, &admin, fixture_set_up, test_switch_clears,
              fixture_tear_down);
  g_test_add ("/offline/nothing-kept", Fixture, &admin, fixture_set_up, test_nothing_kept,
              fixture_tear_down);
  g_test_add ("/offline/switch-from-stopped", Fixture, &admin, fixture_set_up,
              test_switch_from_stopped, fixture_tear_down);
  g_test_add ("/offline/stop-caching", Fixture, &admin, fixture_set_up, test_stop_caching,
              fixture_tear_down);
  g_test_add ("/offline/try-again-asks-me", Fixture, &admin, fixture_set_up,
              test_try_again_asks_me, fixture_tear_down);
  g_test_add ("/offline/closes-pane-and-dialogs", Fixture, &admin, fixture_set_up,
              test_offline_closes, fixture_tear_down);
  g_test_add ("/offline/closed-while-asking", Fixture, &admin, fixture_set_up,
              test_closed_while_asking, fixture_tear_down);
  g_test_add ("/offline/new-rows-in-order", Fixture, &admin, fixture_set_up,
              test_new_rows_in_order, fixture_tear_down);
  g_test_add ("/offline/signed-out/admin", Fixture, &admin, fixture_set_up, test_signed_out,
              fixture_tear_down);
  g_test_add ("/offline/signed-out/reader", Fixture, &reader, fixture_set_up, test_signed_out,
              fixture_tear_down);

  status = g_test_run ();
  bd_test_remove_tree (cache_home);
  return status;
}
