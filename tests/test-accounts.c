/* test-accounts.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application with its windows and accounts, under Xvfb, on a D-Bus
 * bus of its own with a throwaway keyring and the keyfile settings backend
 * in the test's own XDG_CONFIG_HOME: the demo's windows, a restart (a second
 * BdApplication in the process) bringing back the account, its token and
 * the window's size, switching while a load and while a cancel are awaited,
 * two windows on two tenants, a revoked token, and the real binary launched
 * twice.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bd-add-account-window.h"
#include "bd-application.h"
#include "bd-cancel-pane.h"
#include "bd-list-cache.h"
#include "bd-manage-accounts-window.h"
#include "bd-products-page.h"
#include "bd-settings.h"
#include "bd-test-app.h"
#include "bd-test-child.h"
#include "bd-test-keyring.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

#define WAIT_MS BD_TEST_WIDGET_WAIT_MS
#define SCHEMA APPLICATION_ID ".Token"

/* A second tenant, with names and products the first has none of. */
#define ADMIN_B "token-fabrikam-admin-0001"
#define TENANT_B \
  "{\"tenant\":{\"displayName\":\"Fabrikam ApS\",\"cloud\":\"worldwide\",\"currency\":\"DKK\"}," \
  "\"users\":[" \
  "{\"id\":\"f1\",\"displayName\":\"Bo Lund\",\"roles\":[\"billingAdmin\"]," \
  "\"token\":\"" ADMIN_B "\"}]," \
  "\"billingProfiles\":[],\"domains\":[]," \
  "\"subscriptions\":[" \
  SUB ("f-s1", "Dynamics 365 Business Central", "\"quantity\":4") "," \
  SUB ("f-s2", "Microsoft Intune Plan 1", "\"quantity\":12") \
  "]}"

/* The application the running test drives. */
static BdApplication *app;

/*
 * A proxy in front of a service that can hold the service's answers:
 * the request is served, its answer kept from the app until released.
 */

typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *target;
  char        *url;
  gboolean     hold;
  GPtrArray   *held;  /* Held */
  guint        n_requests;
  guint        n_forwarding;  /* requests sent on to the service, not answered yet */
} Proxy;

typedef struct
{
  Proxy             *proxy;
  SoupServerMessage *message;
  SoupMessage       *forward;
  GBytes            *body;
  gboolean           gone;  /* the app hung up (its request was cancelled) */
} Held;

static void
held_free (gpointer data)
{
  Held *held = data;

  /* The message outlives this: it says "disconnected" later. */
  g_signal_handlers_disconnect_by_data (held->message, held);
  g_object_unref (held->message);
  g_object_unref (held->forward);
  g_clear_pointer (&held->body, g_bytes_unref);
  g_free (held);
}

static void
on_held_disconnected_cb (SoupServerMessage *message,
                         Held              *held)
{
  held->gone = TRUE;
}

static void
forward_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Held *held = user_data;
  g_autoptr(GError) error = NULL;

  held->proxy->n_forwarding--;
  held->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);

  if (held->proxy->hold)
    {
      g_ptr_array_add (held->proxy->held, held);
      return;
    }

  if (!held->gone)
    bd_test_forward_answer (held->message, held->forward, held->body);
  held_free (held);
}

static void
holding_handler (SoupServer        *server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Proxy *proxy = user_data;
  Held *held = g_new0 (Held, 1);

  proxy->n_requests++;
  proxy->n_forwarding++;
  held->proxy = proxy;
  held->message = g_object_ref (message);
  held->forward = bd_test_forward_request (message, proxy->target, path);
  g_signal_connect (message, "disconnected", G_CALLBACK (on_held_disconnected_cb), held);
  bd_test_forward_send (proxy->session, message, held->forward, forward_cb, held);
}

static Proxy *
proxy_new (const char *target)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  guint16 port = 0;

  proxy->target = g_strdup (target);
  proxy->held = g_ptr_array_new ();
  proxy->session = soup_session_new ();
  soup_session_set_proxy_resolver (proxy->session, NULL);
  proxy->server = bd_test_proxy_listen (holding_handler, proxy, &port);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u", port);

  return proxy;
}

/* The answers held so far reach the app (those it still waits for). */
static void
proxy_release (Proxy *proxy)
{
  proxy->hold = FALSE;
  for (guint i = 0; i < proxy->held->len; i++)
    {
      Held *held = g_ptr_array_index (proxy->held, i);

      if (!held->gone)
        bd_test_forward_answer (held->message, held->forward, held->body);
      held_free (held);
    }
  g_ptr_array_set_size (proxy->held, 0);
}

static void
proxy_free (Proxy *proxy)
{
  proxy_release (proxy);
  soup_server_disconnect (proxy->server);
  g_object_unref (proxy->server);
  g_object_unref (proxy->session);
  g_ptr_array_unref (proxy->held);
  g_free (proxy->target);
  g_free (proxy->url);
  g_free (proxy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proxy, proxy_free)

static gboolean
proxy_holds_one (gpointer data)
{
  return ((Proxy *) data)->held->len > 0;
}

static gboolean
proxy_idle (gpointer data)
{
  return ((Proxy *) data)->n_forwarding == 0;
}

static gboolean
proxy_was_asked (gpointer data)
{
  return ((Proxy *) data)->n_requests > 0;
}

typedef struct
{
  Proxy *proxy;
  guint  n_requests;
} ProxyCount;

static gboolean
proxy_was_asked_again (gpointer data)
{
  ProxyCount *count = data;

  return count->proxy->n_requests > count->n_requests;
}

/*
 * Running the application in the test process
 */

typedef BdTestAppBody Body;

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

static void
run_app_watching (const char * const *args,
                  Body                body,
                  gpointer            data,
                  GCallback           window_added,
                  gpointer            window_added_data)
{
  bd_test_app_run (&app, args, body, data, window_added, window_added_data);
}

static void
run_app (const char * const *args,
         Body                body,
         gpointer            data)
{
  run_app_watching (args, body, data, NULL, NULL);
}

/*
 * Looking at windows
 */

static BdWindow *
nth_window (guint n)
{
  guint i = 0;

  /* gtk_application_get_windows () lists the most recently focused first. */
  for (const GList *l = g_list_last (gtk_application_get_windows (GTK_APPLICATION (app)));
       l != NULL; l = l->prev)
    {
      if (BD_IS_WINDOW (l->data) && i++ == n)
        return l->data;
    }

  return NULL;
}

static guint
n_windows (void)
{
  guint n = 0;

  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = l->next)
    n += BD_IS_WINDOW (l->data);

  return n;
}

static const char *
subtitle (BdWindow *window)
{
  AdwWindowTitle *title = ADW_WINDOW_TITLE (bd_test_find_by_type (window,
                                                                  ADW_TYPE_WINDOW_TITLE));

  return adw_window_title_get_subtitle (title);
}

static BdProductsPage *
page_of (BdWindow *window)
{
  return BD_PRODUCTS_PAGE (bd_window_get_products_page (window));
}

/* The product names the window lists, one a line. */
static char *
listed (BdWindow *window)
{
  GListModel *model = bd_products_page_get_model (page_of (window));
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (model, i);

      g_string_append_printf (out, "%s\n", bd_subscription_get_product_name (subscription));
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  BdWindow   *window;
  const char *subtitle;  /* what it begins with */
  const char *product;   /* a product it lists */
} Loaded;

static gboolean
is_loaded (gpointer data)
{
  Loaded *loaded = data;
  g_autofree char *products = NULL;

  if (loaded->window == NULL || bd_products_page_is_loading (page_of (loaded->window)) ||
      !g_str_has_prefix (subtitle (loaded->window), loaded->subtitle))
    return FALSE;

  products = listed (loaded->window);
  return strstr (products, loaded->product) != NULL;
}

static void
wait_loaded (BdWindow   *window,
             const char *subtitle_start,
             const char *product)
{
  Loaded loaded = { window, subtitle_start, product };

  if (!bd_test_wait_until (is_loaded, &loaded, WAIT_MS))
    {
      g_autofree char *products = listed (window);

      g_error ("the window says “%s” and lists\n%s\nnot “%s” and %s", subtitle (window),
               products, subtitle_start, product);
    }
}

static void
assert_lists_none_of (BdWindow            *window,
                      const char * const  *products)
{
  g_autofree char *names = listed (window);

  for (guint i = 0; products[i] != NULL; i++)
    if (strstr (names, products[i]) != NULL)
      g_error ("“%s” is listed under “%s”:\n%s", products[i], subtitle (window), names);
}

/* The header's subtitle for an account's user with a role. */
static char *
expected_subtitle (const char *tenant,
                   const char *user,
                   const char *role)
{
  return g_strdup_printf (_("%1$s – %2$s, %3$s"), tenant, user, role);
}

/* Every label of a menu model and its submenus and sections, one a line. */
static void
collect_labels (GMenuModel *menu,
                GString    *out)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (menu, i);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        g_string_append_printf (out, "%s\n", label);
      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (links);

          collect_labels (link, out);
        }
    }
}

static char *
main_menu_labels (BdWindow *window)
{
  GtkWidget *button = bd_test_find_by_type (window, GTK_TYPE_MENU_BUTTON);
  GString *out = g_string_new (NULL);

  /* The main menu is the header's last menu button: the one with a model. */
  for (GtkWidget *w = button; w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (w)) != NULL)
      collect_labels (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (w)), out);
  if (out->len == 0 && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)) != NULL)
    collect_labels (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)), out);

  return g_string_free (out, FALSE);
}

static char *
action_state (BdWindow   *window,
              const char *name)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), name);

  return g_variant_dup_string (state, NULL);
}

/* The whole X screen, menus included, when BD_TEST_SCREENSHOT_DIR is set. */
static void
screenshot_screen (const char *name)
{
  const char *dir = g_getenv ("BD_TEST_SCREENSHOT_DIR");
  g_autofree char *full = bd_test_name_in_language (name);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;

  bd_test_settle (500);
  path = g_strdup_printf ("%s/%s.png", dir, full);
  g_spawn_sync (NULL, (char *[]) { "import", "-window", "root", path, NULL }, NULL,
                G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/*
 * Accounts in the keyring and the list
 */

static void
store_token (const char *url,
             const char *user_id,
             const char *token)
{
  BdTokenStore *store = bd_application_get_token_store (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bd_token_store_store_async (store, url, user_id, "Billing Desk test", token, NULL,
                              bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, WAIT_MS));
  g_assert_true (bd_token_store_store_finish (store, result, NULL, &error));
  g_assert_no_error (error);
}

/* An account added as Add Account adds one: its token in the keyring. */
static BdAccount *
add_account (const char *url,
             const char *user_id,
             const char *tenant,
             const char *user,
             const char *token)
{
  g_autoptr(BdAccount) account = bd_account_new (url, user_id, tenant, user, NULL);

  store_token (url, user_id, token);
  bd_account_list_add (bd_application_get_accounts (app), account);
  return bd_account_list_lookup (bd_application_get_accounts (app),
                                 bd_account_get_key (account));
}

static void
switch_to (BdWindow  *window,
           BdAccount *account)
{
  g_action_group_change_action_state (G_ACTION_GROUP (window), "account",
                                      g_variant_new_string (bd_account_get_key (account)));
}

/*
 * Fixture: two services on two tenants, A behind a proxy that can hold
 * its answers.
 */

typedef struct
{
  BdTestService *service_a;
  BdTestService *service_b;
  Proxy         *proxy;
  char          *title_a;  /* the subtitles' beginnings */
  char          *title_b;
} Fixture;

/* Each test begins as a first start: no accounts, the demo, the default size. */
static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = bd_settings_new (NULL);
  const char * const keys[] = {
    "accounts", "last-account", "window-width", "window-height", "window-maximized", NULL
  };

  g_assert_nonnull (settings);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  g_settings_sync ();
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  reset_settings ();
  f->service_a = bd_test_service_new (TENANT, NOW);
  f->service_b = bd_test_service_new (TENANT_B, NOW);
  f->proxy = proxy_new (f->service_a->url);
  f->title_a = expected_subtitle ("Contoso A/S", "Anne Berg", _("Global admin"));
  f->title_b = expected_subtitle ("Fabrikam ApS", "Bo Lund", _("Billing admin"));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  proxy_free (f->proxy);
  bd_test_service_free (f->service_a);
  bd_test_service_free (f->service_b);
  g_free (f->title_a);
  g_free (f->title_b);
}

static const char * const products_a[] = {
  "Microsoft 365 Business Premium", "Exchange Online (Plan 1)", "Project Plan 3", NULL
};
static const char * const products_b[] = {
  "Dynamics 365 Business Central", "Microsoft Intune Plan 1", NULL
};

/*
 * Tests
 */

/* The demo: a first start opens it and says "Demo"; New Window opens it
 * again with a client of its own on the one demo service; Sign In As is
 * each window's own.
 */
static void
demo_body (gpointer data)
{
  g_autofree char *demo_title = expected_subtitle (_("Demo"), "Anne Berg", _("Global admin"));
  g_autofree char *menu = NULL;
  g_autofree char *state = NULL;
  g_autofree char *url_1 = NULL;
  g_autofree char *url_2 = NULL;
  g_auto(GStrv) accels = NULL;
  BdWindow *first;
  BdWindow *second;

  g_assert_cmpuint (n_windows (), ==, 1);
  first = nth_window (0);
  wait_loaded (first, demo_title, "Microsoft 365");
  g_assert_true (bd_account_is_demo (bd_window_get_account (first)));
  state = action_state (first, "account");
  g_assert_cmpstr (state, ==, "demo");

  menu = main_menu_labels (first);
  g_assert_nonnull (strstr (menu, _("_Accounts")));
  g_assert_nonnull (strstr (menu, _("Demo")));
  g_assert_nonnull (strstr (menu, _("_Add Account…")));
  g_assert_nonnull (strstr (menu, _("_Manage Accounts…")));
  g_assert_nonnull (strstr (menu, _("_New Window")));
  g_assert_nonnull (strstr (menu, _("_Sign In As")));
  g_assert_nonnull (strstr (menu, "Mette Ågård"));

  /* New Window is Ctrl+N (and says so in the shortcuts window, help-overlay.ui). */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.new-window");
  g_assert_cmpstr (accels[0], ==, "<Control>n");
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  g_assert_cmpuint (n_windows (), ==, 2);
  second = nth_window (1);
  wait_loaded (second, demo_title, "Microsoft 365");
  g_assert_true (bd_window_get_client (first) != bd_window_get_client (second));
  g_object_get (bd_window_get_client (first), "base-url", &url_1, NULL);
  g_object_get (bd_window_get_client (second), "base-url", &url_2, NULL);
  g_assert_cmpstr (url_1, ==, url_2);

  /* The second window signs in as the reader; the first stays the admin's. */
  g_action_group_change_action_state (G_ACTION_GROUP (second), "sign-in-as",
                                      g_variant_new_string ("u3"));
  {
    g_autofree char *reader = expected_subtitle (_("Demo"), "Mette Ågård", _("Global reader"));

    wait_loaded (second, reader, "Microsoft 365");
  }
  g_assert_true (g_str_has_prefix (subtitle (first), demo_title));
  bd_test_save_screenshot_in_language (second, "demo-reader");
}

static void
test_demo_windows (void)
{
  reset_settings ();
  run_app (NULL, demo_body, NULL);
}

/* Everything the app names after its id follows this build's (the
 * profile's): the application, the settings schema (its id and path, so
 * a .Devel build keeps settings of its own), the icon, which the icon
 * theme finds uninstalled, as here, in the resources under that id, the
 * offline lists' directory and a development build's demo data.
 */
static void
named_after_app_id_body (gpointer data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GtkIconPaintable) icon = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdelimit (g_strdup_printf ("/%s/", APPLICATION_ID), ".", '/');
  g_autofree char *uri = NULL;
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autofree char *demo_title = expected_subtitle (_("Demo"), "Anne Berg", _("Global admin"));
  BdWindow *window = nth_window (0);
  g_autofree char *cache = bd_list_cache_get_path ("https://billing.example", "u1");
  g_autofree char *cache_dir = g_strconcat (g_get_user_cache_dir (), G_DIR_SEPARATOR_S,
                                            APPLICATION_ID, G_DIR_SEPARATOR_S, NULL);
  const char *demo_parent = DEVELOPMENT_BUILD ? APPLICATION_ID : "billing-desk";
  const char *other_parent = DEVELOPMENT_BUILD ? "billing-desk" : APPLICATION_ID ".Devel";
  g_autofree char *demo_dir = g_build_filename (g_get_user_data_dir (), demo_parent, "local",
                                                NULL);
  g_autofree char *other_demo_dir = g_build_filename (g_get_user_data_dir (), other_parent,
                                                      "local", NULL);

  wait_loaded (window, demo_title, "Microsoft 365");
  g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, APPLICATION_ID);
  g_object_get (bd_application_get_settings (app), "settings-schema", &schema, NULL);
  g_assert_cmpstr (g_settings_schema_get_id (schema), ==, APPLICATION_ID);
  g_assert_cmpstr (g_settings_schema_get_path (schema), ==, path);

  g_assert_cmpstr (gtk_window_get_default_icon_name (), ==, APPLICATION_ID);
  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID "-symbolic"));
  /* Not the missing-image icon a lookup falls back to. */
  icon = gtk_icon_theme_lookup_icon (theme, APPLICATION_ID, NULL, 128, 1, GTK_TEXT_DIR_NONE, 0);
  g_assert_cmpstr (gtk_icon_paintable_get_icon_name (icon), ==, APPLICATION_ID);
  file = gtk_icon_paintable_get_file (icon);
  g_assert_nonnull (file);
  uri = g_file_get_uri (file);
  g_assert_true (g_str_has_suffix (uri, "/scalable/apps/" APPLICATION_ID ".svg"));
  /* A picture that loads (an SVG loader is installed), not only a name. */
  texture = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >, 0);

  /* Development builds mark their windows. */
  g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"), ==,
                   DEVELOPMENT_BUILD);

  /* The offline lists, and a development build's demo data, are its own. */
  g_assert_true (g_str_has_prefix (cache, cache_dir));
  g_assert_true (g_file_test (demo_dir, G_FILE_TEST_IS_DIR));
  g_assert_false (g_file_test (other_demo_dir, G_FILE_TEST_EXISTS));
}

static void
test_named_after_app_id (void)
{
  reset_settings ();
  run_app (NULL, named_after_app_id_body, NULL);
}

/* A restart brings back the account, its token (from the keyring, never
 * from a file), the last account and the window's size; an account whose
 * token the keyring no longer has opens Signed Out.
 */
static void
restart_first_body (gpointer data)
{
  Fixture *f = data;
  BdWindow *window = nth_window (0);
  BdAccount *account;

  account = add_account (f->service_a->url, "u1", "Contoso A/S", "Anne Berg", ADMIN);
  switch_to (window, account);
  wait_loaded (window, f->title_a, "Project Plan 3");
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
}

/* An account's title as the interface writes it (in Arabic with a
 * right-to-left mark and its values isolated). */
static char *
account_title (const char *tenant,
               const char *user)
{
  return g_strdup_printf (_("%1$s – %2$s"), tenant, user);
}

static void
restart_second_body (gpointer data)
{
  Fixture *f = data;
  g_autofree char *contoso = account_title ("Contoso A/S", "Anne Berg");
  BdWindow *window = nth_window (0);
  g_autofree char *menu = NULL;
  int width = 0;
  int height = 0;

  wait_loaded (window, f->title_a, "Project Plan 3");
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);
  menu = main_menu_labels (window);
  g_assert_nonnull (strstr (menu, contoso));
  /* Sign In As is the demo's only. */
  g_assert_null (strstr (menu, _("_Sign In As")));
  bd_test_save_screenshot_in_language (window, "restarted");
}

static gboolean
shows_signed_out (gpointer data)
{
  return bd_test_widget_shows (page_of (data), _("Signed Out"));
}

static void
restart_signed_out_body (gpointer data)
{
  Fixture *f = data;
  BdWindow *window = nth_window (0);
  g_autofree char *state = action_state (window, "account");
  g_autofree char *key = bd_account_make_key (f->service_a->url, "u1");

  g_assert_cmpstr (state, ==, key);
  g_assert_true (bd_test_wait_until (shows_signed_out, window, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (page_of (window))), ==,
                    0);
  /* Why: no token kept, not the service refusing one. */
  bd_test_assert_shows (page_of (window), _("Billing Desk has no token for this account any "
                                            "more: it was kept for one session only, or the "
                                            "keyring no longer has it."));
  bd_test_assert_not_shown (page_of (window), _("The billing service no longer accepts this "
                                                "account’s token."));
  bd_test_save_screenshot_in_language (window, "signed-out");
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings",
                                               "keyfile", NULL);
  g_autofree char *text = NULL;
  g_autofree char *in_keyring = NULL;
  g_autofree char *in_files = NULL;
  g_autofree char *key = bd_account_make_key (f->service_a->url, "u1");
  g_autoptr(GError) error = NULL;

  run_app (NULL, restart_first_body, f);

  /* What was kept, and where. */
  g_file_get_contents (keyfile, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "window-width=700"));
  g_assert_nonnull (strstr (text, "window-height=500"));
  g_assert_nonnull (strstr (text, key));
  in_keyring = bd_test_keyring_lookup (SCHEMA, f->service_a->url, "u1");
  g_assert_cmpstr (in_keyring, ==, ADMIN);
  in_files = bd_test_keyring_find_in_files (ADMIN);
  g_assert_null (in_files);

  run_app (NULL, restart_second_body, f);

  /* The token gone from the keyring (as seahorse or secret-tool would
   * remove it): the account opens Signed Out. */
  g_spawn_sync (NULL, (char *[]) { "secret-tool", "clear", "service-url",
                                   f->service_a->url, "user-id", "u1", NULL },
                NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&in_keyring, g_free);
  in_keyring = bd_test_keyring_lookup (SCHEMA, f->service_a->url, "u1");
  g_assert_null (in_keyring);
  run_app (NULL, restart_signed_out_body, f);
}

/* Adds account A (its service at @url_a) and B, and shows A in @window.
 * Returns: (transfer none): B */
static BdAccount *
show_a_add_b (Fixture    *f,
              BdWindow   *window,
              const char *url_a)
{
  BdAccount *a = add_account (url_a, "u1", "Contoso A/S", "Anne Berg", ADMIN);
  BdAccount *b = add_account (f->service_b->url, "f1", "Fabrikam ApS", "Bo Lund", ADMIN_B);

  switch_to (window, a);
  wait_loaded (window, f->title_a, "Project Plan 3");
  return b;
}

/* A switch while the list is on its way: the old tenant's rows go at once,
 * and its answer, when it comes, shows nowhere.
 */
static void
switch_load_body (gpointer data)
{
  Fixture *f = data;
  g_autofree char *fabrikam = account_title ("Fabrikam ApS", "Bo Lund");
  BdWindow *window = nth_window (0);
  BdAccount *b = show_a_add_b (f, window, f->proxy->url);

  f->proxy->hold = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  g_assert_true (bd_test_wait_until (proxy_holds_one, f->proxy, WAIT_MS));

  switch_to (window, b);
  /* At once: the new account's name over no rows, never the old rows. */
  g_assert_cmpstr (subtitle (window), ==, fabrikam);
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (page_of (window))), ==,
                    0);

  proxy_release (f->proxy);
  wait_loaded (window, f->title_b, "Microsoft Intune Plan 1");
  bd_test_settle (300);
  assert_lists_none_of (window, products_a);
  g_assert_true (g_str_has_prefix (subtitle (window), f->title_b));
}

static void
test_switch_during_load (Fixture       *f,
                         gconstpointer  data)
{
  run_app (NULL, switch_load_body, f);
}

static gboolean
pane_not_busy (gpointer data)
{
  return !bd_cancel_pane_get_busy (data);
}

static gboolean
pane_save_shown (gpointer data)
{
  GtkWidget *save = bd_test_find_by_action (data, "pane.save");

  return save != NULL && gtk_widget_get_mapped (save) && gtk_widget_is_sensitive (save);
}

static gboolean
reasons_shown (gpointer data)
{
  GtkWidget *reasons = bd_test_find_by_type (data, GTK_TYPE_DROP_DOWN);

  return reasons != NULL && gtk_widget_get_mapped (reasons) &&
         g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (reasons))) > 1;
}

/* Cancels s1 in @window's pane, its answer held by @proxy; returns once
 * the request is on its way. */
static BdCancelPane *
start_cancel (BdWindow *window,
              Proxy    *proxy)
{
  BdCancelPane *pane = BD_CANCEL_PANE (bd_test_find_by_type (window, BD_TYPE_CANCEL_PANE));
  GtkDropDown *reasons;
  GListModel *model;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", "s", "s1"));
  g_assert_true (bd_test_wait_until (reasons_shown, pane, WAIT_MS));
  reasons = GTK_DROP_DOWN (bd_test_find_by_type (pane, GTK_TYPE_DROP_DOWN));
  model = gtk_drop_down_get_model (reasons);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), _("Too expensive")))
        gtk_drop_down_set_selected (reasons, i);
    }

  g_assert_true (bd_test_wait_until (pane_save_shown, pane, WAIT_MS));
  proxy->hold = TRUE;
  bd_test_click (bd_test_find_by_action (pane, "pane.save"));
  g_assert_true (bd_cancel_pane_get_busy (pane));
  g_assert_true (bd_test_wait_until (proxy_holds_one, proxy, WAIT_MS));
  return pane;
}

/* A switch while a cancel's answer is awaited waits for it, saying so,
 * and happens once it is answered: the cancel is applied once.
 */
static void
switch_cancel_body (gpointer data)
{
  Fixture *f = data;
  g_autofree char *fabrikam = account_title ("Fabrikam ApS", "Bo Lund");
  BdWindow *window = nth_window (0);
  BdAccount *b = show_a_add_b (f, window, f->proxy->url);
  g_autofree char *waiting = g_strdup_printf (_("Switching to %s once the billing service "
                                                "has answered"), fabrikam);
  g_autofree char *key_a = bd_account_make_key (f->proxy->url, "u1");
  g_autofree char *state = NULL;
  BdCancelPane *pane;

  pane = start_cancel (window, f->proxy);

  switch_to (window, b);
  bd_test_wait_for_text (window, waiting);
  bd_test_save_screenshot_in_language (window, "switch-waits");
  /* Still the old account, whole: its title, its rows, its pane. */
  bd_test_settle (300);
  g_assert_true (g_str_has_prefix (subtitle (window), f->title_a));
  g_assert_true (bd_cancel_pane_get_busy (pane));
  state = action_state (window, "account");
  g_assert_cmpstr (state, ==, key_a);

  proxy_release (f->proxy);
  g_assert_true (bd_test_wait_until (pane_not_busy, pane, WAIT_MS));
  wait_loaded (window, f->title_b, "Microsoft Intune Plan 1");
  assert_lists_none_of (window, products_a);

  g_assert_cmpuint (bd_test_service_count_cancels (f->service_a, ADMIN, "s1", NULL), ==, 1);
  bd_test_service_assert_says (f->service_a, ADMIN, "s1", "status", "disabled");
}

static void
test_switch_during_cancel (Fixture       *f,
                           gconstpointer  data)
{
  run_app (NULL, switch_cancel_body, f);
}

/* Two windows, two tenants, side by side, each its own. */
static void
two_windows_body (gpointer data)
{
  Fixture *f = data;
  g_autofree char *contoso = account_title ("Contoso A/S", "Anne Berg");
  g_autofree char *fabrikam = account_title ("Fabrikam ApS", "Bo Lund");
  BdWindow *first = nth_window (0);
  BdAccount *b = show_a_add_b (f, first, f->service_a->url);
  BdWindow *second;
  g_autofree char *menu = NULL;
  g_autofree char *label = NULL;
  g_autofree char *item = NULL;
  GtkWidget *button = NULL;
  GtkWidget *accounts;

  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  second = nth_window (1);
  wait_loaded (second, f->title_a, "Project Plan 3");
  switch_to (second, b);
  wait_loaded (second, f->title_b, "Dynamics 365 Business Central");

  g_assert_true (g_str_has_prefix (subtitle (first), f->title_a));
  assert_lists_none_of (first, products_b);
  assert_lists_none_of (second, products_a);
  g_assert_true (bd_window_get_client (first) != bd_window_get_client (second));

  menu = main_menu_labels (second);
  g_assert_nonnull (strstr (menu, contoso));
  g_assert_nonnull (strstr (menu, fabrikam));
  g_assert_null (strstr (menu, _("_Sign In As")));

  bd_test_save_screenshot_in_language (first, "tenant-a");
  bd_test_save_screenshot_in_language (second, "tenant-b");

  /* The main menu open, then its Accounts submenu (the item opens it as a
   * click does): looked at in the screenshots. */
  for (GtkWidget *w = bd_test_find_by_type (second, GTK_TYPE_MENU_BUTTON); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (w)))
      button = w;
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  screenshot_screen ("main-menu");
  /* The first item (GTK's private GtkModelButton) is Accounts. */
  accounts = bd_test_find_by_type (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)),
                                   g_type_from_name ("GtkModelButton"));
  g_assert_nonnull (accounts);
  g_object_get (accounts, "text", &item, NULL);
  label = bd_test_without_mnemonic (_("_Accounts"));
  g_assert_cmpstr (item, ==, label);
  g_signal_emit_by_name (accounts, "clicked");
  screenshot_screen ("accounts-menu");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
}

static void
test_two_windows (Fixture       *f,
                  gconstpointer  data)
{
  run_app (NULL, two_windows_body, f);
}

/*
 * A token revoked while the window is open
 */

/* billing-desk-service @args (at most 6) on service A's database: its stdout. */
static char *
run_command (Fixture            *f,
             const char * const *args)
{
  const char *argv[9] = { NULL };
  g_autofree char *err = NULL;
  char *out = NULL;
  guint n;

  for (n = 0; args[n] != NULL; n++)
    {
      g_assert_cmpuint (n, <, 6);
      argv[n] = args[n];
    }
  argv[n++] = "--data-dir";
  argv[n] = f->service_a->dir;

  g_assert_cmpint (bd_test_child_run (argv, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return out;
}

/* tokens create, as an administrator makes one for Anne Berg: the token. */
static char *
create_token (Fixture    *f,
              const char *name)
{
  g_autofree char *out = run_command (f, (const char * const []) {
                                        "tokens", "create", "--user", "u1", "--name", name,
                                        NULL });

  g_assert_true (g_str_has_prefix (out, "bdt_"));
  return g_strstrip (g_strdup (out));
}

/* tokens list, then tokens revoke of the one named @name. */
static void
revoke_token (Fixture    *f,
              const char *name)
{
  g_autofree char *list = run_command (f, (const char * const []) { "tokens", "list", NULL });
  g_autofree char *needle = g_strdup_printf ("\tu1\t%s\t", name);
  g_auto(GStrv) lines = g_strsplit (list, "\n", -1);
  g_autofree char *id = NULL;
  g_autofree char *out = NULL;

  for (guint i = 0; lines[i] != NULL && id == NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      id = g_strndup (lines[i], strcspn (lines[i], "\t"));
  g_assert_nonnull (id);

  out = run_command (f, (const char * const []) { "tokens", "revoke", id, NULL });
}

static gboolean
add_account_window_shown (gpointer data)
{
  return bd_test_find_toplevel (BD_TYPE_ADD_ACCOUNT_WINDOW) != NULL;
}

static gboolean
add_account_window_gone (gpointer data)
{
  return bd_test_find_toplevel (BD_TYPE_ADD_ACCOUNT_WINDOW) == NULL;
}

static gboolean
can_add (gpointer window)
{
  return bd_test_action_enabled (window, "add-account.add");
}

/* Revoked with `tokens revoke` while the window shows the account: the
 * next load says Signed Out; Sign In Again with a token from `tokens
 * create` shows the rows again, and the keyring keeps the new token.
 */
static void
revoked_body (gpointer data)
{
  Fixture *f = data;
  g_autofree char *contoso = account_title ("Contoso A/S", "Anne Berg");
  BdWindow *window = nth_window (0);
  g_autofree char *first = create_token (f, "first");
  g_autofree char *second = NULL;
  g_autofree char *kept = NULL;
  BdAccount *account = add_account (f->service_a->url, "u1", "Contoso A/S", "Anne Berg", first);
  BdAddAccountWindow *sign_in_again;

  switch_to (window, account);
  wait_loaded (window, f->title_a, "Project Plan 3");

  revoke_token (f, "first");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  g_assert_true (bd_test_wait_until (shows_signed_out, window, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (page_of (window))), ==,
                    0);
  bd_test_assert_shows (page_of (window), contoso);
  bd_test_save_screenshot_in_language (window, "revoked");

  second = create_token (f, "second");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (window)), "page.sign-in-again",
                                             NULL));
  g_assert_true (bd_test_wait_until (add_account_window_shown, NULL, WAIT_MS));
  sign_in_again = BD_ADD_ACCOUNT_WINDOW (bd_test_find_toplevel (BD_TYPE_ADD_ACCOUNT_WINDOW));
  gtk_editable_set_text (GTK_EDITABLE (bd_test_find_by_type (sign_in_again,
                                                             ADW_TYPE_PASSWORD_ENTRY_ROW)),
                         second);
  bd_test_click (bd_test_find_by_action (sign_in_again, "add-account.sign-in"));
  g_assert_true (bd_test_wait_until (can_add, sign_in_again, WAIT_MS));
  bd_test_save_screenshot_in_language (sign_in_again, "sign-in-again");
  bd_test_click (bd_test_find_by_action (sign_in_again, "add-account.add"));
  g_assert_true (bd_test_wait_until (add_account_window_gone, NULL, WAIT_MS));

  wait_loaded (window, f->title_a, "Project Plan 3");
  kept = bd_test_keyring_lookup (SCHEMA, f->service_a->url, "u1");
  g_assert_cmpstr (kept, ==, second);
}

static void
test_revoked (Fixture       *f,
              gconstpointer  data)
{
  run_app (NULL, revoked_body, f);
}

static gboolean
is_labelled (GtkWidget     *widget,
             gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
confirmation_shown (gpointer data)
{
  return bd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Removed with Manage Accounts: every window that showed the account
 * shows the demo, and its token and its kept list are gone (no window
 * on it, nor a save in flight, writes the list again). */
static void
removed_body (gpointer data)
{
  Fixture *f = data;
  BdWindow *first = nth_window (0);
  BdAccount *b = show_a_add_b (f, first, f->service_a->url);
  g_autofree char *key_a = bd_account_make_key (f->service_a->url, "u1");
  g_autofree char *demo_title = expected_subtitle (_("Demo"), "Anne Berg", _("Global admin"));
  g_autofree char *in_keyring = NULL;
  g_autofree char *cache_a = bd_list_cache_get_path (f->service_a->url, "u1");
  GtkWindow *manage;
  GtkWindow *confirm;
  GtkWidget *remove;
  BdWindow *second;
  BdWindow *third;

  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  second = nth_window (1);
  wait_loaded (second, f->title_a, "Project Plan 3");
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  third = nth_window (2);
  switch_to (third, b);
  wait_loaded (third, f->title_b, "Microsoft Intune Plan 1");
  g_assert_true (bd_test_wait_until (file_exists, cache_a, WAIT_MS));
  /* A's list is being loaded again (and then saved) as it is removed. */
  g_action_group_activate_action (G_ACTION_GROUP (second), "refresh", NULL);

  g_action_group_activate_action (G_ACTION_GROUP (first), "manage-accounts", NULL);
  manage = bd_test_find_toplevel (BD_TYPE_MANAGE_ACCOUNTS_WINDOW);
  g_assert_nonnull (manage);
  bd_test_settle (300);
  /* The first account's Remove: A's, as the list keeps the order they were added in. */
  remove = bd_test_find_by_action (manage, "manage.remove");
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (
                     GTK_ACTIONABLE (remove)), NULL), ==, key_a);
  bd_test_click (remove);
  g_assert_true (bd_test_wait_until (confirmation_shown, NULL, WAIT_MS));
  confirm = bd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  bd_test_click (bd_test_find_widget (confirm, is_labelled, _("_Remove")));

  wait_loaded (first, demo_title, "Microsoft 365");
  wait_loaded (second, demo_title, "Microsoft 365");
  g_assert_true (g_str_has_prefix (subtitle (third), f->title_b));
  g_assert_null (bd_account_list_lookup (bd_application_get_accounts (app), key_a));
  in_keyring = bd_test_keyring_lookup (SCHEMA, f->service_a->url, "u1");
  g_assert_null (in_keyring);
  bd_test_settle (300);
  g_assert_false (g_file_test (cache_a, G_FILE_TEST_EXISTS));
  gtk_window_destroy (manage);
}

static void
test_removed (Fixture       *f,
              gconstpointer  data)
{
  run_app (NULL, removed_body, f);
}

/*
 * Settings written at once, and switches that no longer apply
 */

static char *
read_keyfile (void)
{
  g_autofree char *keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings",
                                               "keyfile", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_settings_sync ();
  g_file_get_contents (keyfile, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static gboolean
one_window (gpointer data)
{
  return n_windows () == 1;
}

/* Runs the app on the demo with the body given as the test's data. */
static void
test_body (Fixture       *f,
           gconstpointer  body)
{
  run_app (NULL, (Body) body, f);
}

/* What a window says while its switch to B waits. */
static char *
waiting_for_b (void)
{
  g_autofree char *fabrikam = account_title ("Fabrikam ApS", "Bo Lund");

  return g_strdup_printf (_("Switching to %s once the billing service has answered"),
                          fabrikam);
}

/* A window closed (its size saved) holds no later write back: an account
 * added and chosen in the other window is in the keyfile at once, not at
 * the last window's close (a crash meanwhile lost it).
 */
static void
written_at_once_body (gpointer data)
{
  Fixture *f = data;
  BdWindow *second;
  BdAccount *account;
  g_autofree char *key = bd_account_make_key (f->service_a->url, "u1");
  g_autoptr(GVariant) value = g_variant_new_string (key);
  g_autofree char *printed = g_variant_print (value, FALSE);
  g_autofree char *last = g_strdup_printf ("last-account=%s\n", printed);
  g_autofree char *text = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  second = nth_window (1);
  gtk_window_set_default_size (GTK_WINDOW (nth_window (0)), 640, 480);
  gtk_window_close (GTK_WINDOW (nth_window (0)));
  g_assert_true (bd_test_wait_until (one_window, NULL, WAIT_MS));

  account = add_account (f->service_a->url, "u1", "Contoso A/S", "Anne Berg", ADMIN);
  switch_to (second, account);
  wait_loaded (second, f->title_a, "Project Plan 3");

  text = read_keyfile ();
  g_assert_nonnull (strstr (text, "window-width=640"));
  g_assert_nonnull (strstr (text, key));
  g_assert_nonnull (strstr (text, last));
}

/* Quit (Ctrl+Q) closes the window used last last: its size is kept. */
static void
quit_body (gpointer data)
{
  g_autofree char *text = NULL;

  gtk_window_set_default_size (GTK_WINDOW (nth_window (0)), 640, 480);
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  /* The list is most recently focused first: the new window heads it. */
  g_assert_true (gtk_application_get_windows (GTK_APPLICATION (app))->data == nth_window (1));
  gtk_window_set_default_size (GTK_WINDOW (nth_window (1)), 720, 540);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_true (bd_test_wait_until (no_windows, NULL, WAIT_MS));

  text = read_keyfile ();
  g_assert_nonnull (strstr (text, "window-width=720\n"));
  g_assert_nonnull (strstr (text, "window-height=540\n"));
}

/* The app quits while the demo's service is still starting: the window
 * that waited for it is answered (cancelled) and goes, not kept forever.
 */
static void
quit_while_starting_body (gpointer data)
{
  BdWindow **window = data;

  *window = nth_window (0);
  g_object_add_weak_pointer (G_OBJECT (*window), (gpointer *) window);
}

/* The demo's service program made one that never says where it listens,
 * in @dir.
 */
static void
use_never_listening_service (const char *dir)
{
  g_autofree char *program = g_build_filename (dir, "never-listens", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (program, "#!/bin/sh\nexec sleep 60\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (program, 0700), ==, 0);
  g_setenv ("BILLING_DESK_SERVICE_PROGRAM", program, TRUE);
}

/* @body run while the demo's service is still starting (it never says
 * where it listens); the window it names in its data must be gone after.
 */
static void
run_while_starting (Body body)
{
  g_autofree char *dir = g_dir_make_tmp ("bd-test-accounts-XXXXXX", NULL);
  g_autofree char *real = g_strdup (g_getenv ("BILLING_DESK_SERVICE_PROGRAM"));
  BdWindow *window = NULL;

  use_never_listening_service (dir);
  reset_settings ();
  run_app (NULL, body, &window);
  g_setenv ("BILLING_DESK_SERVICE_PROGRAM", real, TRUE);
  bd_test_settle (500);
  g_assert_null (window);
  bd_test_remove_tree (dir);
}

static void
test_quit_while_starting (void)
{
  run_while_starting (quit_while_starting_body);
}

/* A window closed while it waits for the demo's service goes at once: the
 * request does not hold it, and the service's start is not waited for.
 */
static void
closed_while_starting_body (gpointer data)
{
  BdWindow **window = data;

  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  *window = nth_window (1);
  g_assert_nonnull (*window);
  g_object_add_weak_pointer (G_OBJECT (*window), (gpointer *) window);
  gtk_window_destroy (GTK_WINDOW (*window));
  g_assert_null (*window);
}

static void
test_closed_while_starting (void)
{
  run_while_starting (closed_while_starting_body);
}

/* The processes this test process (its main thread) has started and not
 * yet reaped.
 */
static guint
n_children (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/task/%d/children", (int) getpid ());
  g_autofree char *text = NULL;
  g_auto(GStrv) pids = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  pids = g_strsplit_set (g_strstrip (text), " ", -1);
  return *text == '\0' ? 0 : g_strv_length (pids);
}

static void
on_window_added_cb (GtkApplication *application,
                    GtkWindow      *window,
                    guint          *n_at_first_window)
{
  if (*n_at_first_window == G_MAXUINT)
    *n_at_first_window = n_children ();
}

static void
nothing_body (gpointer data)
{
}

/* A launch on the demo starts the demo's service before it builds its
 * window (the service gets ready in its own process meanwhile): the
 * service's process is there when the first window is added.
 */
static void
test_demo_service_first (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bd-test-accounts-XXXXXX", NULL);
  g_autofree char *real = g_strdup (g_getenv ("BILLING_DESK_SERVICE_PROGRAM"));
  guint before = n_children ();
  guint n_at_first_window = G_MAXUINT;

  use_never_listening_service (dir);
  reset_settings ();
  run_app_watching (NULL, nothing_body, NULL, G_CALLBACK (on_window_added_cb),
                    &n_at_first_window);
  g_setenv ("BILLING_DESK_SERVICE_PROGRAM", real, TRUE);
  g_assert_cmpuint (n_at_first_window, ==, before + 1);
  /* Stopped with the app, as ever. */
  bd_test_settle (500);
  g_assert_cmpuint (n_children (), ==, before);
  bd_test_remove_tree (dir);
}

/* B is removed while the switch to it waits for a cancel's answer: the
 * window goes to the demo, never to B (nor is B the last account).
 */
static void
switch_to_removed_body (gpointer data)
{
  Fixture *f = data;
  BdWindow *window = nth_window (0);
  BdAccount *b = show_a_add_b (f, window, f->proxy->url);
  g_autofree char *key_b = g_strdup (bd_account_get_key (b));
  g_autofree char *demo_title = expected_subtitle (_("Demo"), "Anne Berg", _("Global admin"));
  g_autofree char *waiting = waiting_for_b ();
  g_autofree char *state = NULL;
  g_autofree char *last = NULL;
  BdCancelPane *pane = start_cancel (window, f->proxy);

  switch_to (window, b);
  bd_test_wait_for_text (window, waiting);
  g_assert_true (bd_account_list_remove (bd_application_get_accounts (app), key_b));

  proxy_release (f->proxy);
  g_assert_true (bd_test_wait_until (pane_not_busy, pane, WAIT_MS));
  wait_loaded (window, demo_title, "Microsoft 365");
  assert_lists_none_of (window, products_b);
  state = action_state (window, "account");
  g_assert_cmpstr (state, ==, "demo");
  last = g_settings_get_string (bd_application_get_settings (app), "last-account");
  g_assert_cmpstr (last, ==, "demo");
  bd_test_settle (300);
  bd_test_assert_not_shown (window, waiting);
}

/* The account shown chosen again while a switch waits: the switch is
 * dropped (and its toast), the window stays on A once the cancel is done.
 */
static void
switch_back_body (gpointer data)
{
  Fixture *f = data;
  BdWindow *window = nth_window (0);
  BdAccount *b = show_a_add_b (f, window, f->proxy->url);
  BdAccount *a = bd_window_get_account (window);
  g_autofree char *key_a = g_strdup (bd_account_get_key (a));
  g_autofree char *waiting = waiting_for_b ();
  g_autofree char *state = NULL;
  BdCancelPane *pane = start_cancel (window, f->proxy);

  switch_to (window, b);
  bd_test_wait_for_text (window, waiting);
  switch_to (window, a);
  bd_test_settle (300);
  bd_test_assert_not_shown (window, waiting);

  proxy_release (f->proxy);
  g_assert_true (bd_test_wait_until (pane_not_busy, pane, WAIT_MS));
  bd_test_settle (500);
  g_assert_true (g_str_has_prefix (subtitle (window), f->title_a));
  state = action_state (window, "account");
  g_assert_cmpstr (state, ==, key_a);
  assert_lists_none_of (window, products_b);
  g_assert_cmpuint (bd_test_service_count_cancels (f->service_a, ADMIN, "s1", NULL), ==, 1);
}

/* The last account no longer listed (removed by another instance, or the
 * settings edited): the demo opens.
 */
static void
last_gone_body (gpointer data)
{
  g_autofree char *demo_title = expected_subtitle (_("Demo"), "Anne Berg", _("Global admin"));
  g_autofree char *state = NULL;

  g_assert_cmpuint (n_windows (), ==, 1);
  wait_loaded (nth_window (0), demo_title, "Microsoft 365");
  state = action_state (nth_window (0), "account");
  g_assert_cmpstr (state, ==, "demo");
}

static void
test_last_account_gone (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GSettings) settings = bd_settings_new (NULL);
  g_autofree char *key = bd_account_make_key (f->service_a->url, "u1");

  g_settings_set_string (settings, "last-account", key);
  g_settings_sync ();
  run_app (NULL, last_gone_body, f);
}

/* The processes whose parent is this one, named @comm (as /proc shows it,
 * 15 bytes at most): their ids. */
static GArray *
children_named (const char *comm)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  const char *name;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree char *stat = NULL;
      g_autofree char *prefix = g_strdup_printf ("%s (%s) ", name, comm);
      int pid = atoi (name);
      int ppid = 0;

      if (pid <= 0 || !g_file_get_contents (path, &stat, NULL, NULL) ||
          !g_str_has_prefix (stat, prefix))
        continue;
      /* "PID (COMM) STATE PPID ..." */
      if (sscanf (stat + strlen (prefix), "%*c %d", &ppid) == 1 && ppid == getpid ())
        g_array_append_val (pids, pid);
    }

  return pids;
}

static void
assert_environ_without (int         pid,
                        const char *variable)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/environ", pid);
  g_autofree char *prefix = g_strconcat (variable, "=", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < length; i += strlen (text + i) + 1)
    if (g_str_has_prefix (text + i, prefix))
      g_error ("process %d has %s in its environment", pid, variable);
}

typedef struct
{
  Fixture    *f;
  const char *token;
  char       *keyring_before;  /* what the keyring held before the launch */
} Session;

/* A window on a service named on the command line adds nothing: no
 * account, no last account, nothing in the keyring or any file; its
 * subtitle is the tenant's. The token is in no environment: not the app's,
 * not the demo's service's (a window on the demo opened next).
 */
static void
session_body (gpointer data)
{
  Session *session = data;
  Fixture *f = session->f;
  BdWindow *window = nth_window (0);
  GSettings *settings = bd_application_get_settings (app);
  g_autofree char *demo_title = expected_subtitle (_("Demo"), "Anne Berg", _("Global admin"));
  g_autofree char *menu = NULL;
  g_autofree char *last = NULL;
  g_autofree char *in_keyring = NULL;
  g_autofree char *all = NULL;
  g_autofree char *in_files = NULL;
  g_autoptr(GVariant) accounts = NULL;
  g_autoptr(GArray) services = NULL;

  g_assert_null (g_getenv ("BILLING_DESK_TOKEN"));
  wait_loaded (window, f->title_a, "Project Plan 3");
  g_assert_null (bd_window_get_account (window));
  menu = main_menu_labels (window);
  g_assert_null (strstr (menu, "Contoso"));

  accounts = g_settings_get_user_value (settings, "accounts");
  g_assert_null (accounts);
  last = g_settings_get_string (settings, "last-account");
  g_assert_cmpstr (last, ==, "demo");
  in_keyring = bd_test_keyring_lookup (SCHEMA, f->service_a->url, "u1");
  g_assert_null (in_keyring);
  all = bd_test_keyring_search (SCHEMA);
  g_assert_null (strstr (all, session->token));
  /* Nothing added: an earlier test's item for another service that had the
   * same port would hold this URL too, so the keyring is compared whole. */
  g_assert_cmpstr (all, ==, session->keyring_before);
  in_files = bd_test_keyring_find_in_files (session->token);
  g_assert_null (in_files);

  /* The demo in a new window (which opens on the same service). */
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  switch_to (nth_window (1), bd_account_list_lookup (bd_application_get_accounts (app),
                                                     BD_ACCOUNT_DEMO_KEY));
  wait_loaded (nth_window (1), demo_title, "Microsoft 365");
  services = children_named ("billing-desk-se");
  g_assert_cmpuint (services->len, ==, 1);
  assert_environ_without (g_array_index (services, int, 0), "BILLING_DESK_TOKEN");
}

static void
test_session_adds_nothing (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *token = create_token (f, "session");
  g_autofree char *keyring_before = bd_test_keyring_search (SCHEMA);
  Session session = { f, token, keyring_before };

  /* As a launch with the token in its environment would have it. */
  g_setenv ("BILLING_DESK_TOKEN", token, TRUE);
  run_app ((const char * const []) { "--service", f->service_a->url, "--token", token, NULL },
           session_body, &session);
  g_assert_null (g_getenv ("BILLING_DESK_TOKEN"));
}

/*
 * The real binary, launched twice on the test's bus
 */

static GSubprocess *
launch (const char * const *args,
        const char         *service,
        const char         *token)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  g_autofree char *program = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src", "app",
                                               "billing-desk", NULL);

  g_strv_builder_add (builder, program);
  if (args != NULL)
    g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  /* Its stdout (--version) is no part of the test's TAP. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "BILLING_DESK_LOCALEDIR", BUILD_LOCALEDIR, TRUE);
  if (service != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "BILLING_DESK_SERVICE", service, TRUE);
      g_subprocess_launcher_setenv (launcher, "BILLING_DESK_TOKEN", token, TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  return process;
}

/* A second launch ends as soon as the running instance has its command
 * line, or at once (@status) when it has nothing to send it. */
static void
launch_and_wait_for (const char * const *args,
                     const char         *service,
                     const char         *token,
                     int                 status)
{
  g_autoptr(GSubprocess) process = launch (args, service, token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_async (process, NULL, bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, WAIT_MS));
  g_assert_true (g_subprocess_wait_finish (process, result, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, status);
}

static void
launch_and_wait (const char * const *args,
                 const char         *service,
                 const char         *token)
{
  launch_and_wait_for (args, service, token, 0);
}

static gboolean
name_owned (gpointer data)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APPLICATION_ID),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* The X windows titled Billing Desk, each as its process id. */
static GStrv
billing_desk_windows (void)
{
  g_autoptr(GStrvBuilder) pids = g_strv_builder_new ();
  g_autofree char *tree = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_spawn_sync (NULL, (char *[]) { "xwininfo", "-root", "-tree", NULL }, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &tree, NULL, NULL,
                &error);
  g_assert_no_error (error);

  lines = g_strsplit (tree, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *pid = NULL;

      if (strstr (lines[i], "\"" "Billing Desk" "\":") == NULL)
        continue;
      id = g_strndup (g_strstrip (lines[i]), strcspn (g_strstrip (lines[i]), " "));
      g_spawn_sync (NULL, (char *[]) { "xprop", "-id", id, "-notype", "_NET_WM_PID", NULL }, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, NULL,
                    NULL, &error);
      g_assert_no_error (error);
      g_strv_builder_add (pids, g_strstrip (pid));
    }

  return g_strv_builder_end (pids);
}

typedef struct
{
  guint       n;
  const char *pid;  /* "_NET_WM_PID = N" */
} WindowsWait;

static gboolean
has_windows (gpointer data)
{
  WindowsWait *wait = data;
  g_auto(GStrv) pids = billing_desk_windows ();

  if (g_strv_length (pids) != wait->n)
    return FALSE;
  for (guint i = 0; pids[i] != NULL; i++)
    g_assert_cmpstr (pids[i], ==, wait->pid);
  return TRUE;
}

/* The second launch presents the running instance; with a service (as
 * options or in its environment) it opens a window on it there, in the
 * first process, whose windows they all are.
 */
static void
test_second_launch (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(Proxy) proxy_b = proxy_new (f->service_b->url);
  g_autofree char *pid = NULL;
  WindowsWait wait = { 1, NULL };
  guint n_requests;

  first = launch (NULL, NULL, NULL);
  pid = g_strdup_printf ("_NET_WM_PID = %s", g_subprocess_get_identifier (first));
  wait.pid = pid;
  g_assert_true (bd_test_wait_until (name_owned, NULL, WAIT_MS));
  g_assert_true (bd_test_wait_until (has_windows, &wait, WAIT_MS));

  /* Presented: no second window, no second instance. */
  launch_and_wait (NULL, NULL, NULL);
  bd_test_settle (500);
  g_assert_true (has_windows (&wait));

  /* What the launch answers itself, as it would alone: no window. */
  launch_and_wait_for ((const char * const []) { "--version", NULL }, NULL, NULL, 0);
  launch_and_wait_for ((const char * const []) { "--no-such-option", NULL }, NULL, NULL, 1);
  launch_and_wait_for ((const char * const []) { "--service", proxy_b->url, NULL }, NULL, NULL,
                       2);
  bd_test_settle (500);
  g_assert_true (has_windows (&wait));
  g_assert_cmpuint (proxy_b->n_requests, ==, 0);

  launch_and_wait ((const char * const []) { "--service", proxy_b->url, "--token", ADMIN_B, NULL },
                   NULL, NULL);
  wait.n = 2;
  g_assert_true (bd_test_wait_until (has_windows, &wait, WAIT_MS));
  g_assert_true (bd_test_wait_until (proxy_was_asked, proxy_b, WAIT_MS));
  n_requests = proxy_b->n_requests;

  /* The same from the launching process's environment. */
  launch_and_wait (NULL, proxy_b->url, ADMIN_B);
  wait.n = 3;
  g_assert_true (bd_test_wait_until (has_windows, &wait, WAIT_MS));
  g_assert_true (bd_test_wait_until (proxy_was_asked_again, &(ProxyCount) { proxy_b, n_requests },
                                     WAIT_MS));

  g_subprocess_send_signal (first, SIGTERM);
  g_subprocess_wait (first, NULL, NULL);
  /* The requests its windows made are answered before B's service goes. */
  g_assert_true (bd_test_wait_until (proxy_idle, proxy_b, WAIT_MS));
}

int
main (int   argc,
      char *argv[])
{
  /* Before GIO reads them: the keyfile backend in the test's own config
   * directory (bd_test_keyring_setup () points XDG_CONFIG_HOME there). */
  bd_test_keyring_setup ();
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("BILLING_DESK_SERVICE_PROGRAM", g_getenv ("BD_SERVICE_PATH"), TRUE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  {
    g_autofree char *demo = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-tenant.json",
                                                  NULL);

    g_setenv ("BILLING_DESK_DEMO_TENANT", demo, TRUE);
  }

  g_test_add_func ("/accounts/demo-windows", test_demo_windows);
  g_test_add_func ("/accounts/demo-service-first", test_demo_service_first);
  g_test_add_func ("/accounts/named-after-app-id", test_named_after_app_id);
  g_test_add ("/accounts/restart", Fixture, NULL, fixture_set_up, test_restart,
              fixture_tear_down);
  g_test_add ("/accounts/switch-during-load", Fixture, NULL, fixture_set_up,
              test_switch_during_load, fixture_tear_down);
  g_test_add ("/accounts/switch-during-cancel", Fixture, NULL, fixture_set_up,
              test_switch_during_cancel, fixture_tear_down);
  g_test_add ("/accounts/two-windows", Fixture, NULL, fixture_set_up, test_two_windows,
              fixture_tear_down);
  g_test_add ("/accounts/revoked", Fixture, NULL, fixture_set_up, test_revoked,
              fixture_tear_down);
  g_test_add ("/accounts/removed", Fixture, NULL, fixture_set_up, test_removed,
              fixture_tear_down);
  g_test_add ("/accounts/second-launch", Fixture, NULL, fixture_set_up, test_second_launch,
              fixture_tear_down);
  g_test_add ("/accounts/written-at-once", Fixture, written_at_once_body, fixture_set_up,
              test_body, fixture_tear_down);
  g_test_add ("/accounts/switch-to-removed", Fixture, switch_to_removed_body, fixture_set_up,
              test_body, fixture_tear_down);
  g_test_add_func ("/accounts/quit-while-starting", test_quit_while_starting);
  g_test_add_func ("/accounts/closed-while-starting", test_closed_while_starting);
  g_test_add ("/accounts/quit", Fixture, quit_body, fixture_set_up, test_body,
              fixture_tear_down);
  g_test_add ("/accounts/switch-back", Fixture, switch_back_body, fixture_set_up, test_body,
              fixture_tear_down);
  g_test_add ("/accounts/last-account-gone", Fixture, NULL, fixture_set_up,
              test_last_account_gone, fixture_tear_down);
  g_test_add ("/accounts/session-adds-nothing", Fixture, NULL, fixture_set_up,
              test_session_adds_nothing, fixture_tear_down);

  return g_test_run ();
}
