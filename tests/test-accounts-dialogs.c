/* test-accounts-dialogs.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Add Account, Sign In Again and Manage Accounts under Xvfb, driven as a
 * person would, over a real service (and an https one with a certificate
 * of the test's own CA, and a web server that is no Billing Desk service),
 * with the settings in a keyfile under the test's own HOME and the tokens
 * in a throwaway keyring on a private bus (tests/bd-test-keyring.h). With
 * BD_TEST_SCREENSHOT_DIR set, each state is also saved there as a PNG.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "bd-add-account-window.h"
#include "bd-application.h"
#include "bd-format.h"
#include "bd-list-cache.h"
#include "bd-manage-accounts-window.h"
#include "bd-test-certs.h"
#include "bd-test-keyring.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-token.h"
#include "service-tenant.h"

#define TOKEN_SCHEMA APPLICATION_ID ".Token"

/* The settings, in a keyfile under the test's HOME: there, a file that
 * the test scans for the token.
 */
static char *
settings_keyfile (void)
{
  return g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);
}

typedef struct
{
  BdTestService    *service;
  GSettingsBackend *backend;
  GSettings        *settings;
  BdAccountList    *accounts;
  BdTokenStore     *token_store;
  GtkWindow        *parent;
  GtkWindow        *window;      /* weak: NULL once it is gone */
  BdAccount        *added;
  char             *removed;
  guint             n_added;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *keyfile = settings_keyfile ();

  f->service = bd_test_service_new (TENANT, NOW);
  f->backend = g_keyfile_settings_backend_new (keyfile, "/", NULL);
  f->settings = g_settings_new_with_backend (APPLICATION_ID, f->backend);
  g_settings_reset (f->settings, "accounts");
  f->accounts = bd_account_list_new (f->settings);
  f->token_store = bd_token_store_new (TOKEN_SCHEMA);
  f->parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->parent, 800, 600);
  gtk_window_present (f->parent);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  g_assert_null (f->window);
  gtk_window_destroy (f->parent);
  g_clear_object (&f->added);
  g_clear_pointer (&f->removed, g_free);
  g_clear_object (&f->token_store);
  g_clear_object (&f->accounts);
  g_settings_reset (f->settings, "accounts");
  g_settings_sync ();
  g_clear_object (&f->settings);
  g_clear_object (&f->backend);
  g_clear_pointer (&f->service, bd_test_service_free);
}

/* NAME-en.png, NAME-da.png, ...: bd_test_save_screenshot_in_language () */
static void
screenshot (gpointer    widget,
            const char *name)
{
  /* A window grows to new content a moment after it is shown: the picture
   * waits for that (only when pictures are asked for). */
  if (g_getenv ("BD_TEST_SCREENSHOT_DIR") != NULL)
    bd_test_settle (200);
  bd_test_save_screenshot_in_language (widget, name);
}

static void
on_added_cb (GtkWindow *window,
             BdAccount *account,
             Fixture   *f)
{
  f->n_added++;
  g_set_object (&f->added, account);
}

static void
on_removed_cb (GtkWindow  *window,
               const char *key,
               Fixture    *f)
{
  g_free (f->removed);
  f->removed = g_strdup (key);
}

static void
track (Fixture   *f,
       GtkWindow *window)
{
  f->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &f->window);
  g_assert_true (gtk_window_get_transient_for (window) == f->parent);
  g_assert_true (gtk_window_get_modal (window));
  gtk_window_present (window);
  bd_test_settle (200);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
}

static BdAddAccountWindow *
open_add_account (Fixture *f)
{
  BdAddAccountWindow *window = bd_add_account_window_new (f->parent, f->accounts,
                                                          f->token_store);

  g_signal_connect (window, "added", G_CALLBACK (on_added_cb), f);
  track (f, GTK_WINDOW (window));
  return window;
}

static GtkEditable *
url_entry (gpointer window)
{
  /* The first entry row; the token's is a password row. */
  return GTK_EDITABLE (bd_test_find_by_type (window, ADW_TYPE_ENTRY_ROW));
}

static GtkEditable *
token_entry (gpointer window)
{
  return GTK_EDITABLE (bd_test_find_by_type (window, ADW_TYPE_PASSWORD_ENTRY_ROW));
}

static void
fill_in (gpointer    window,
         const char *url,
         const char *token)
{
  gtk_editable_set_text (url_entry (window), url);
  gtk_editable_set_text (token_entry (window), token);
}

static gboolean
sign_in_is_done (gpointer window)
{
  return bd_test_action_enabled (window, "add-account.sign-in");
}

/* Sign In, and wait until it is done: Sign In is pressable again. */
static void
sign_in (gpointer window)
{
  bd_test_click (bd_test_find_by_action (window, "add-account.sign-in"));
  g_assert_true (bd_test_wait_until (sign_in_is_done, window, BD_TEST_WIDGET_WAIT_MS));
}

static gboolean
storage_is_known (gpointer window)
{
  return bd_test_action_enabled (window, "add-account.add");
}

static char *
signed_in_as (const char *tenant,
              const char *user,
              const char *role)
{
  return g_strdup_printf (_("%1$s – %2$s, %3$s"), tenant, user, role);
}

static gboolean
is_added (gpointer data)
{
  Fixture *f = data;

  return f->n_added > 0 && f->window == NULL;
}

static void
press_add (Fixture  *f,
           gpointer  window)
{
  g_assert_true (bd_test_wait_until (storage_is_known, window, BD_TEST_WIDGET_WAIT_MS));
  bd_test_click (bd_test_find_by_action (window, "add-account.add"));
  /* While the token is being kept, the window stays. */
  gtk_window_close (window);
  g_assert_nonnull (f->window);
  g_assert_false (bd_test_action_enabled (window, "window.close"));
  g_assert_true (bd_test_wait_until (is_added, f, BD_TEST_WIDGET_WAIT_MS));
}

/*
 * What is kept, and where
 */

static GVariant *
saved_accounts (Fixture *f)
{
  return g_settings_get_value (f->settings, "accounts");
}

/* The token kept for @url and @user_id, as the token store reads it. */
static char *
kept_token (Fixture    *f,
            const char *url,
            const char *user_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  bd_token_store_lookup_async (f->token_store, url, user_id, NULL, bd_test_store_result_cb,
                               &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, BD_TEST_WIDGET_WAIT_MS));
  token = bd_token_store_lookup_finish (f->token_store, result, &error);
  g_assert_no_error (error);
  return token;
}

/* The secret as secret-tool finds it in the keyring, apart from the code
 * under test; NULL when there is none.
 */
static char *
keyring_secret (const char *url,
                const char *user_id)
{
  return bd_test_keyring_lookup (TOKEN_SCHEMA, url, user_id);
}

/* Nothing of the token in any file under the test's HOME: the settings'
 * keyfile, the cache, the keyring's own files.
 */
static void
assert_token_in_no_file (const char *token)
{
  g_autofree char *keyfile = settings_keyfile ();
  g_autofree char *holder = NULL;

  g_settings_sync ();
  g_assert_true (g_file_test (keyfile, G_FILE_TEST_EXISTS));
  holder = bd_test_keyring_find_in_files (token);
  g_assert_cmpstr (holder, ==, NULL);
}

/*
 * Add Account
 */

static gboolean
token_is_pasted (gpointer window)
{
  return g_strcmp0 (gtk_editable_get_text (token_entry (window)), ADMIN) == 0;
}

static void
assert_spinner_says (gpointer    window,
                     const char *label)
{
  GtkWidget *spinner = bd_test_find_by_type (window, GTK_TYPE_SPINNER);

  g_assert_true (gtk_widget_get_visible (spinner));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       label);
}

/* A valid address and token: the account shown, nothing kept before Add;
 * after Add, the account in the settings and the token in the keyring,
 * in no file.
 */
static void
test_add_valid (Fixture       *f,
                gconstpointer  data)
{
  BdAddAccountWindow *window = open_add_account (f);
  g_autofree char *found = signed_in_as ("Contoso A/S", "Anne Berg", _("Global admin"));
  g_autofree char *url = bd_account_normalize_url (f->service->url);
  g_autofree char *key = bd_account_make_key (url, "u1");
  g_autofree char *secret = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GVariant) expected = NULL;

  bd_test_assert_shows (window, _("Your administrator creates tokens with "
                                  "“billing-desk-service tokens create”."));
  g_assert_false (bd_test_action_enabled (window, "add-account.add"));
  screenshot (window, "add-account");

  /* The token as a person brings it: copied, then pasted with the
   * button, the line end of the copy dropped.
   */
  gtk_editable_set_text (url_entry (window), f->service->url);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (window)), ADMIN "\n");
  bd_test_click (bd_test_find_by_action (window, "add-account.paste-token"));
  g_assert_true (bd_test_wait_until (token_is_pasted, window, BD_TEST_WIDGET_WAIT_MS));
  bd_test_click (bd_test_find_by_action (window, "add-account.sign-in"));
  assert_spinner_says (window, _("Signing in"));
  g_assert_true (bd_test_wait_until (sign_in_is_done, window, BD_TEST_WIDGET_WAIT_MS));
  bd_test_assert_shows (window, found);
  g_assert_true (bd_test_wait_until (storage_is_known, window, BD_TEST_WIDGET_WAIT_MS));
  bd_test_assert_shows (window, _("The token will be kept in your keyring."));
  g_assert_true (gtk_widget_has_css_class (bd_test_find_by_action (window, "add-account.add"),
                                           "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (
    bd_test_find_by_action (window, "add-account.sign-in"), "suggested-action"));
  screenshot (window, "add-account-signed-in");

  /* Nothing is saved before Add. */
  saved = saved_accounts (f);
  g_assert_cmpuint (g_variant_n_children (saved), ==, 0);
  g_assert_null (keyring_secret (url, "u1"));
  g_assert_cmpuint (f->n_added, ==, 0);

  /* What a screen reader hears while Add runs. */
  g_assert_true (bd_test_wait_until (storage_is_known, window, BD_TEST_WIDGET_WAIT_MS));
  bd_test_click (bd_test_find_by_action (window, "add-account.add"));
  assert_spinner_says (window, _("Adding account"));
  g_assert_true (bd_test_wait_until (is_added, f, BD_TEST_WIDGET_WAIT_MS));
  g_assert_cmpuint (f->n_added, ==, 1);
  g_assert_cmpstr (bd_account_get_key (f->added), ==, key);
  g_clear_pointer (&saved, g_variant_unref);
  saved = saved_accounts (f);
  expected = g_variant_ref_sink (
    g_variant_new_parsed ("[(%s, 'u1', 'Contoso A/S', 'Anne Berg', '')]", url));
  g_assert_true (g_variant_equal (saved, expected));
  g_assert_nonnull (bd_account_list_lookup (f->accounts, key));

  secret = keyring_secret (url, "u1");
  g_assert_cmpstr (secret, ==, ADMIN);
  kept = kept_token (f, url, "u1");
  g_assert_cmpstr (kept, ==, ADMIN);
  assert_token_in_no_file (ADMIN);
}

/* Editing a field after Sign In forgets its answer: no Add with what was
 * not checked.
 */
static void
test_edit_clears (Fixture       *f,
                  gconstpointer  data)
{
  BdAddAccountWindow *window = open_add_account (f);
  g_autofree char *found = signed_in_as ("Contoso A/S", "Anne Berg", _("Global admin"));

  fill_in (window, f->service->url, ADMIN);
  sign_in (window);
  bd_test_assert_shows (window, found);
  g_assert_true (bd_test_wait_until (storage_is_known, window, BD_TEST_WIDGET_WAIT_MS));

  gtk_editable_set_text (token_entry (window), BILLING);
  bd_test_assert_not_shown (window, found);
  g_assert_false (bd_test_action_enabled (window, "add-account.add"));

  /* Signed in again, it is the other user. */
  sign_in (window);
  g_free (found);
  found = signed_in_as ("Contoso A/S", "Søren Kjær", _("Billing admin"));
  bd_test_assert_shows (window, found);

  gtk_editable_set_text (url_entry (window), "https://billing.example.dk");
  bd_test_assert_not_shown (window, found);
  g_assert_false (bd_test_action_enabled (window, "add-account.add"));
  g_assert_cmpuint (f->n_added, ==, 0);
}

/* A web server that is no Billing Desk service: every path answers
 * @status with a page.
 */
static void
foreign_handler (SoupServer        *server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  static const char page[] = "<!DOCTYPE html><html><body><h1>It works!</h1></body></html>";

  soup_server_message_set_status (message, GPOINTER_TO_UINT (user_data), NULL);
  soup_server_message_set_response (message, "text/html", SOUP_MEMORY_STATIC, page,
                                    strlen (page));
}

static SoupServer *
foreign_server_new (guint   status,
                    char  **url)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, foreign_handler, GUINT_TO_POINTER (status), NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  *url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}

/* An address where nothing listens: a port taken and given back. */
static char *
closed_port_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

typedef enum
{
  ADDRESS_SERVICE,
  ADDRESS_WEB_PAGE,
  ADDRESS_NOT_FOUND,
  ADDRESS_CLOSED_PORT,
  ADDRESS_TYPED,
} AddressKind;

typedef struct
{
  const char  *name;
  AddressKind  address;
  const char  *typed;      /* ADDRESS_TYPED */
  const char  *token;
  const char  *message;    /* the msgid said */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "empty-address", ADDRESS_TYPED, "  ", ADMIN,
    N_("Enter the address of the billing service, such as https://billing.example.dk.") },
  /* NULL: the sentence that names the address (test_error ()) */
  { "malformed-address", ADDRESS_TYPED, "ftp://billing.example.dk", ADMIN, NULL },
  { "empty-token", ADDRESS_SERVICE, NULL, "",
    N_("Enter the access token your administrator gave you.") },
  { "unreachable", ADDRESS_CLOSED_PORT, NULL, ADMIN,
    N_("Nothing answers at this address. Check the address and your network connection, "
       "then sign in again.") },
  { "not-billing-desk", ADDRESS_WEB_PAGE, NULL, ADMIN,
    N_("This address does not answer as a Billing Desk service. Check that it is the address "
       "your administrator gave you.") },
  { "not-found", ADDRESS_NOT_FOUND, NULL, ADMIN,
    N_("This address does not answer as a Billing Desk service. Check that it is the address "
       "your administrator gave you.") },
  { "token-refused", ADDRESS_SERVICE, NULL, "token-nobody-has-0009",
    N_("The service did not accept this token. Check that it was copied whole, or ask your "
       "administrator for a new one.") },
  /* TEST-NET-1: never reached, and never tried. */
  { "plain-http", ADDRESS_TYPED, "http://192.0.2.1:8421", ADMIN,
    N_("Billing Desk does not send a token unencrypted to another computer. Use the service’s "
       "https:// address.") },
};

static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  const ErrorCase *error_case = data;
  BdAddAccountWindow *window = open_add_account (f);
  g_autoptr(SoupServer) foreign = NULL;
  g_autofree char *url = NULL;
  g_autofree char *name = g_strconcat ("add-account-error-", error_case->name, NULL);
  g_autofree char *message = NULL;
  g_autoptr(GVariant) saved = NULL;

  switch (error_case->address)
    {
    case ADDRESS_SERVICE:
      url = g_strdup (f->service->url);
      break;
    case ADDRESS_WEB_PAGE:
      foreign = foreign_server_new (SOUP_STATUS_OK, &url);
      break;
    case ADDRESS_NOT_FOUND:
      foreign = foreign_server_new (SOUP_STATUS_NOT_FOUND, &url);
      break;
    case ADDRESS_CLOSED_PORT:
      url = closed_port_url ();
      break;
    case ADDRESS_TYPED:
    default:
      url = g_strdup (error_case->typed);
      break;
    }

  fill_in (window, url, error_case->token);
  sign_in (window);

  if (error_case->message == NULL)
    message = g_strdup_printf (_("“%s” is not the address of a billing service. Enter an "
                                 "address such as https://billing.example.dk."), url);
  else
    message = g_strdup (_(error_case->message));
  bd_test_assert_shows (window, message);
  g_assert_false (bd_test_action_enabled (window, "add-account.add"));
  screenshot (window, name);

  /* The error goes with the next edit. */
  gtk_editable_set_text (token_entry (window), "x");
  bd_test_assert_not_shown (window, message);
  g_assert_cmpuint (f->n_added, ==, 0);
  saved = saved_accounts (f);
  g_assert_cmpuint (g_variant_n_children (saved), ==, 0);
}

static gboolean
chooser_is_shown (gpointer data)
{
  return bd_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
chooser_has_file (gpointer data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (data));

  return file != NULL;
}

/* Trust this CA > Choose CA File…: the file chooser (GtkFileChooserNative
 * falls back to a GtkFileChooserDialog here), @path chosen in it.
 */
static void
choose_ca_file (gpointer    window,
                const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GtkWindow *chooser;

  bd_test_click (bd_test_find_by_action (window, "add-account.choose-ca"));
  g_assert_true (bd_test_wait_until (chooser_is_shown, NULL, BD_TEST_WIDGET_WAIT_MS));
  chooser = bd_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_true (gtk_window_get_transient_for (chooser) == window);
  gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error);
  g_assert_no_error (error);
  g_assert_true (bd_test_wait_until (chooser_has_file, chooser, BD_TEST_WIDGET_WAIT_MS));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  bd_test_settle (100);
}

/* An https service whose certificate the test's own CA issued: not
 * trusted, and said so; trusted once the CA's file is chosen, and kept
 * with the account.
 */
static void
test_certificate (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BdTestCerts) certs = bd_test_certs_new ();
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(BdServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GVariant) expected = NULL;
  g_autofree char *url = NULL;
  g_autofree char *found = signed_in_as ("Contoso A/S", "Anne Berg", _("Global admin"));
  BdAddAccountWindow *window;

  certificate = g_tls_certificate_new_from_files (certs->server_pem, certs->server_key, &error);
  g_assert_no_error (error);
  server = bd_server_new (f->service->api);
  bd_server_set_tls_certificate (server, certificate);
  bd_server_listen (server, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  url = bd_server_get_url (server);
  g_assert_true (g_str_has_prefix (url, "https://"));

  window = open_add_account (f);
  fill_in (window, url, ADMIN);
  sign_in (window);
  bd_test_assert_shows (window, _("The service’s certificate is not trusted, so Billing Desk did "
                                  "not send the token. If the service uses your organization’s "
                                  "own certificate authority, choose its certificate under "
                                  "“Trust this CA”."));
  screenshot (window, "add-account-error-certificate");

  /* A file that holds no certificate is refused when chosen. */
  choose_ca_file (window, certs->server_key);
  g_assert_null (bd_add_account_window_get_ca_file (window));

  choose_ca_file (window, certs->ca_pem);
  g_assert_cmpstr (bd_add_account_window_get_ca_file (window), ==, certs->ca_pem);
  bd_test_assert_shows (window, certs->ca_pem);
  sign_in (window);
  bd_test_assert_shows (window, found);
  screenshot (window, "add-account-trusted-ca");

  press_add (f, window);
  saved = saved_accounts (f);
  expected = g_variant_ref_sink (
    g_variant_new_parsed ("[(%s, 'u1', 'Contoso A/S', 'Anne Berg', %s)]", url, certs->ca_pem));
  g_assert_true (g_variant_equal (saved, expected));
  bd_server_disconnect (server);
}

static gboolean
ca_file_is (gpointer data)
{
  const char *path = g_object_get_data (G_OBJECT (data), "bd-test-ca-file");

  return g_strcmp0 (bd_add_account_window_get_ca_file (data), path) == 0;
}

/* The CA file is read in a thread: one that does not come (a FIFO no one
 * writes to yet, as a file on a stuck network share) leaves the window
 * answering, and Sign In pressed meanwhile goes on once it is read.
 */
static void
test_ca_file_in_thread (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BdTestCerts) certs = bd_test_certs_new ();
  g_autofree char *fifo = g_build_filename (certs->dir, "slow-ca.pem", NULL);
  g_autofree char *pem = NULL;
  g_autofree char *found = signed_in_as ("Contoso A/S", "Anne Berg", _("Global admin"));
  g_autoptr(GError) error = NULL;
  BdAddAccountWindow *window;
  gint64 deadline;
  gsize length;
  int fd;

  g_file_get_contents (certs->ca_pem, &pem, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  window = open_add_account (f);
  fill_in (window, f->service->url, ADMIN);
  /* Read on the main thread, this would not return until the FIFO is
   * written to, below. */
  choose_ca_file (window, fifo);
  g_assert_null (bd_add_account_window_get_ca_file (window));
  g_assert_false (bd_test_action_enabled (window, "add-account.choose-ca"));
  bd_test_click (bd_test_find_by_action (window, "add-account.sign-in"));
  bd_test_settle (100);
  g_assert_false (sign_in_is_done (window));
  bd_test_assert_not_shown (window, found);

  /* The file comes: whenever a reader waits on the FIFO (the file is read
   * more than once), it gets the CA's certificate. */
  g_object_set_data_full (G_OBJECT (window), "bd-test-ca-file", g_strdup (fifo), g_free);
  deadline = g_get_monotonic_time () + BD_TEST_WIDGET_WAIT_MS * 1000;
  while (!ca_file_is (window) && g_get_monotonic_time () < deadline)
    {
      fd = open (fifo, O_WRONLY | O_NONBLOCK);
      if (fd >= 0)
        {
          g_assert_cmpint (write (fd, pem, length), ==, (gssize) length);
          g_assert_cmpint (close (fd), ==, 0);
        }
      bd_test_settle (10);
    }
  g_assert_true (ca_file_is (window));
  g_assert_true (bd_test_wait_until (sign_in_is_done, window, BD_TEST_WIDGET_WAIT_MS));
  bd_test_assert_shows (window, found);
  bd_test_assert_shows (window, fifo);
  g_assert_true (bd_test_action_enabled (window, "add-account.choose-ca"));
  g_assert_cmpint (g_unlink (fifo), ==, 0);
}

/*
 * Sign In Again
 */

static void
store_token (Fixture    *f,
             const char *url,
             const char *user_id,
             const char *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bd_token_store_store_async (f->token_store, url, user_id, "Billing Desk test", token, NULL,
                              bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, BD_TEST_WIDGET_WAIT_MS));
  g_assert_true (bd_token_store_store_finish (f->token_store, result, NULL, &error));
  g_assert_no_error (error);
}

/* A saved account, as Add Account leaves it: in the list, its token kept,
 * and a list cached for offline use.
 */
static BdAccount *
save_account (Fixture    *f,
              const char *user_id,
              const char *user_name,
              const char *token)
{
  g_autoptr(BdAccount) account = bd_account_new (f->service->url, user_id, "Contoso A/S",
                                                 user_name, "");
  g_autoptr(GListStore) subscriptions = g_list_store_new (BD_TYPE_SUBSCRIPTION);
  g_autoptr(GPtrArray) profiles = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = bd_account_get_service_url (account);

  bd_account_list_add (f->accounts, account);
  store_token (f, url, user_id, token);
  bd_list_cache_save_async (url, user_id, G_LIST_MODEL (subscriptions), profiles,
                            bd_test_time (NOW), NULL, bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, BD_TEST_WIDGET_WAIT_MS));
  g_assert_true (bd_list_cache_save_finish (result, &error));
  g_assert_no_error (error);

  return bd_account_list_lookup (f->accounts, bd_account_get_key (account));
}

/* A new token of @user_id, as `billing-desk-service tokens create` makes one. */
static char *
create_token (Fixture    *f,
              const char *user_id)
{
  g_autofree char *token = bd_token_new ();
  g_autofree char *id = bd_token_new_id ();
  guint8 hash[BD_TOKEN_HASH_LENGTH];
  BdStoredToken stored = { NULL };
  g_autoptr(GError) error = NULL;

  bd_token_hash (token, hash);
  stored.id = id;
  stored.user_id = (char *) user_id;
  stored.label = (char *) "Sign In Again";
  stored.created = bd_test_time (NOW);
  stored.expires = BD_STORE_NEVER;
  g_assert_true (bd_store_add_token (f->service->store, &stored, hash, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&token);
}

/* The account's address filled in, the token asked for; a token of someone
 * else refused, one of the same user replacing the old one.
 */
static void
test_sign_in_again (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BdAccount) account = g_object_ref (save_account (f, "u1", "Anne Berg", ADMIN));
  const char *url = bd_account_get_service_url (account);
  g_autofree char *refused = NULL;
  g_autofree char *found = signed_in_as ("Contoso A/S", "Anne Berg", _("Global admin"));
  g_autofree char *token = create_token (f, "u1");
  g_autofree char *title = bd_account_dup_title (account);
  g_autofree char *secret = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GVariant) saved = NULL;
  BdAddAccountWindow *window;

  window = bd_add_account_window_new_sign_in_again (f->parent, f->accounts, f->token_store,
                                                    account);
  g_signal_connect (window, "added", G_CALLBACK (on_added_cb), f);
  track (f, GTK_WINDOW (window));
  bd_test_assert_shows (window, _("Sign In Again"));
  bd_test_assert_shows (window, title);
  g_assert_cmpstr (gtk_editable_get_text (url_entry (window)), ==, url);
  g_assert_false (gtk_editable_get_editable (url_entry (window)));
  g_assert_cmpstr (gtk_editable_get_text (token_entry (window)), ==, "");
  screenshot (window, "sign-in-again");

  /* Søren Kjær's token does not sign in as Anne Berg. */
  gtk_editable_set_text (token_entry (window), BILLING);
  sign_in (window);
  refused = g_strdup_printf (_("This token signs in as %1$s, not as %2$s. Sign in with a token "
                               "of %2$s, or add %1$s as an account of its own."),
                             "Søren Kjær", "Anne Berg");
  bd_test_assert_shows (window, refused);
  g_assert_false (bd_test_action_enabled (window, "add-account.add"));
  screenshot (window, "sign-in-again-other-user");

  gtk_editable_set_text (token_entry (window), token);
  sign_in (window);
  bd_test_assert_shows (window, found);
  press_add (f, window);
  g_assert_cmpstr (bd_account_get_key (f->added), ==, bd_account_get_key (account));

  /* The same account, its token replaced under the same key. */
  secret = keyring_secret (url, "u1");
  g_assert_cmpstr (secret, ==, token);
  kept = kept_token (f, url, "u1");
  g_assert_cmpstr (kept, ==, token);
  saved = saved_accounts (f);
  g_assert_cmpuint (g_variant_n_children (saved), ==, 1);
  assert_token_in_no_file (token);
}

/*
 * Manage Accounts
 */

static BdManageAccountsWindow *
open_manage_accounts (Fixture *f)
{
  BdManageAccountsWindow *window = bd_manage_accounts_window_new (f->parent, f->accounts,
                                                                  f->token_store);

  g_signal_connect (window, "removed", G_CALLBACK (on_removed_cb), f);
  track (f, GTK_WINDOW (window));
  return window;
}

static gboolean
message_dialog_is_shown (gpointer data)
{
  return bd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
is_removed (gpointer data)
{
  return ((Fixture *) data)->removed != NULL;
}

static gboolean
is_labelled (GtkWidget     *widget,
             gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* The Remove button of the account with key @data. */
static gboolean
removes (GtkWidget     *widget,
         gconstpointer  key)
{
  GVariant *target;

  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                    "manage.remove") == 0 &&
         (target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget))) != NULL &&
         g_strcmp0 (g_variant_get_string (target, NULL), key) == 0;
}

static void
remove_account (Fixture                *f,
                BdManageAccountsWindow *window,
                const char             *key,
                const char             *screenshot_name)
{
  GtkWidget *button = bd_test_find_widget (window, removes, key);
  AdwMessageDialog *dialog;

  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, _("Remove Account"));
  g_clear_pointer (&f->removed, g_free);
  bd_test_click (button);
  g_assert_true (bd_test_wait_until (message_dialog_is_shown, NULL, BD_TEST_WIDGET_WAIT_MS));
  dialog = ADW_MESSAGE_DIALOG (bd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Remove Account?"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  if (screenshot_name != NULL)
    screenshot (dialog, screenshot_name);
  bd_test_click (bd_test_find_widget (dialog, is_labelled, _("_Remove")));
  /* While the token is being cleared, the window stays. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (f->window);
  g_assert_true (bd_test_wait_until (is_removed, f, BD_TEST_WIDGET_WAIT_MS));
  g_assert_cmpstr (f->removed, ==, key);
}

static void
assert_account_gone (Fixture    *f,
                     BdAccount  *account)
{
  const char *url = bd_account_get_service_url (account);
  const char *user_id = bd_account_get_user_id (account);
  g_autofree char *cache = bd_list_cache_get_path (url, user_id);
  g_autofree char *kept = kept_token (f, url, user_id);
  g_autofree char *secret = keyring_secret (url, user_id);

  g_assert_null (bd_account_list_lookup (f->accounts, bd_account_get_key (account)));
  g_assert_null (kept);
  g_assert_null (secret);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
}

/* Remove: asked first; then the secret, the cached list and the account
 * are gone, and the other account keeps all of its own.
 */
static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BdAccount) anne = g_object_ref (save_account (f, "u1", "Anne Berg", ADMIN));
  g_autoptr(BdAccount) soren = g_object_ref (save_account (f, "u2", "Søren Kjær", BILLING));
  g_autofree char *soren_cache = bd_list_cache_get_path (bd_account_get_service_url (soren), "u2");
  g_autofree char *soren_secret = NULL;
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GVariant) expected = NULL;
  g_autofree char *anne_title = bd_account_dup_title (anne);
  g_autofree char *soren_title = bd_account_dup_title (soren);
  BdManageAccountsWindow *window = open_manage_accounts (f);

  bd_test_assert_shows (window, anne_title);
  bd_test_assert_shows (window, soren_title);
  bd_test_assert_shows (window, bd_account_get_service_url (anne));
  bd_test_assert_not_shown (window, _("Demo"));
  screenshot (window, "manage-accounts");

  remove_account (f, window, bd_account_get_key (anne), "remove-account");
  assert_account_gone (f, anne);
  bd_test_assert_not_shown (window, anne_title);
  bd_test_assert_shows (window, soren_title);

  soren_secret = keyring_secret (bd_account_get_service_url (soren), "u2");
  g_assert_cmpstr (soren_secret, ==, BILLING);
  g_assert_true (g_file_test (soren_cache, G_FILE_TEST_EXISTS));
  saved = saved_accounts (f);
  expected = g_variant_ref_sink (g_variant_new_parsed (
    "[(%s, 'u2', 'Contoso A/S', 'Søren Kjær', '')]", bd_account_get_service_url (soren)));
  g_assert_true (g_variant_equal (saved, expected));

  /* The last one gone, only the demo is left: the empty state. */
  remove_account (f, window, bd_account_get_key (soren), NULL);
  assert_account_gone (f, soren);
  bd_test_assert_shows (window, _("No Accounts"));
  screenshot (window, "manage-accounts-empty");
}

/* The message dialog shown over @window but @except: not one of an
 * earlier test's windows, on its way out. */
static AdwMessageDialog *
other_message_dialog (gpointer          window,
                      AdwMessageDialog *except)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) dialog = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (dialog) && (gpointer) dialog != except &&
          gtk_window_get_transient_for (dialog) == window &&
          gtk_widget_get_visible (GTK_WIDGET (dialog)))
        return ADW_MESSAGE_DIALOG (dialog);
    }

  return NULL;
}

static gboolean
second_message_dialog_is_shown (gpointer data)
{
  return other_message_dialog (data, g_object_get_data (data, "bd-test-first")) != NULL;
}

/* Two Remove dialogs open, both confirmed: the first runs, the second is
 * said, not silently dropped, and its account stays.
 */
static void
test_remove_while_removing (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BdAccount) anne = g_object_ref (save_account (f, "u1", "Anne Berg", ADMIN));
  g_autoptr(BdAccount) soren = g_object_ref (save_account (f, "u2", "Søren Kjær", BILLING));
  BdManageAccountsWindow *window = open_manage_accounts (f);
  AdwMessageDialog *first;
  AdwMessageDialog *second;

  bd_test_click (bd_test_find_widget (window, removes, bd_account_get_key (anne)));
  g_assert_true (bd_test_wait_until (second_message_dialog_is_shown, window,
                                     BD_TEST_WIDGET_WAIT_MS));
  first = other_message_dialog (window, NULL);
  g_object_set_data (G_OBJECT (window), "bd-test-first", first);
  bd_test_click (bd_test_find_widget (window, removes, bd_account_get_key (soren)));
  g_assert_true (bd_test_wait_until (second_message_dialog_is_shown, window,
                                     BD_TEST_WIDGET_WAIT_MS));
  second = other_message_dialog (window, first);

  bd_test_click (bd_test_find_widget (first, is_labelled, _("_Remove")));
  bd_test_click (bd_test_find_widget (second, is_labelled, _("_Remove")));
  bd_test_assert_shows (window, _("Another account is being removed. Remove this one again "
                                  "once it is done."));
  g_assert_true (bd_test_wait_until (is_removed, f, BD_TEST_WIDGET_WAIT_MS));
  /* Still said once the first is done: the second is to be done again. */
  bd_test_assert_shows (window, _("Another account is being removed. Remove this one again "
                                  "once it is done."));
  bd_test_settle (100);
  screenshot (window, "manage-accounts-removing");
  g_assert_cmpstr (f->removed, ==, bd_account_get_key (anne));
  assert_account_gone (f, anne);
  g_assert_nonnull (bd_account_list_lookup (f->accounts, bd_account_get_key (soren)));
}

static void
test_manage_empty (Fixture       *f,
                   gconstpointer  data)
{
  BdManageAccountsWindow *window = open_manage_accounts (f);

  bd_test_assert_shows (window, _("No Accounts"));
  g_assert_null (bd_test_find_by_action (window, "manage.remove"));
}

/*
 * No keyring
 */

/* No Secret Service on the bus: the window says the token is kept for this
 * session only, and it is: in memory, in no file.
 */
static void
test_session_only (Fixture       *f,
                   gconstpointer  data)
{
  BdAddAccountWindow *window = open_add_account (f);
  g_autofree char *url = bd_account_normalize_url (f->service->url);
  g_autofree char *kept = NULL;
  g_autoptr(GVariant) saved = NULL;

  fill_in (window, f->service->url, ADMIN);
  sign_in (window);
  g_assert_true (bd_test_wait_until (storage_is_known, window, BD_TEST_WIDGET_WAIT_MS));
  bd_test_assert_shows (window, _("There is no keyring, so the token will be kept for this "
                                  "session only."));
  screenshot (window, "add-account-session-only");

  press_add (f, window);
  g_assert_true (bd_token_store_is_session_only (f->token_store));
  kept = kept_token (f, url, "u1");
  g_assert_cmpstr (kept, ==, ADMIN);
  saved = saved_accounts (f);
  g_assert_cmpuint (g_variant_n_children (saved), ==, 1);
  assert_token_in_no_file (ADMIN);
}

/*
 * The keyring goes away
 */

static gboolean
is_added_once (gpointer data)
{
  return ((Fixture *) data)->n_added == 1;
}

/* The keyring goes away between Sign In (which said "keyring") and Add:
 * the account is added, the window stays and says the token is kept for
 * this session only, with Done. Then Remove cannot confirm that the
 * keyring let go of the token: it says so and keeps the account. Run last:
 * the keyring does not come back.
 */
static void
test_keyring_gone (Fixture       *f,
                   gconstpointer  data)
{
  BdAddAccountWindow *window = open_add_account (f);
  g_autofree char *url = bd_account_normalize_url (f->service->url);
  g_autofree char *key = bd_account_make_key (url, "u1");
  g_autofree char *kept = NULL;
  g_autofree char *title = NULL;
  g_autofree char *not_removed = NULL;
  BdManageAccountsWindow *manage;
  GtkWidget *done;

  fill_in (window, f->service->url, ADMIN);
  sign_in (window);
  g_assert_true (bd_test_wait_until (storage_is_known, window, BD_TEST_WIDGET_WAIT_MS));
  bd_test_assert_shows (window, _("The token will be kept in your keyring."));

  bd_test_keyring_stop ();
  bd_test_click (bd_test_find_by_action (window, "add-account.add"));
  g_assert_true (bd_test_wait_until (is_added_once, f, BD_TEST_WIDGET_WAIT_MS));
  g_assert_nonnull (f->window);
  bd_test_wait_for_text (window, _("The account was added, but the keyring did not answer, so "
                                   "its token is kept for this session only. After you restart "
                                   "Billing Desk, sign in to it again."));
  bd_test_assert_not_shown (window, _("The token will be kept in your keyring."));
  done = bd_test_find_by_action (window, "add-account.add");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (done)), ==, _("_Done"));
  g_assert_false (bd_test_action_enabled (window, "add-account.sign-in"));
  /* The window grows to the longer sentence. */
  bd_test_settle (200);
  screenshot (window, "add-account-session-only-after-add");
  g_assert_true (bd_token_store_is_session_only (f->token_store));
  g_assert_nonnull (bd_account_list_lookup (f->accounts, key));
  kept = kept_token (f, url, "u1");
  g_assert_cmpstr (kept, ==, ADMIN);
  bd_test_click (done);
  g_assert_null (f->window);
  g_assert_cmpuint (f->n_added, ==, 1);

  /* Remove: the token may still be in the keyring, so the account stays. */
  manage = open_manage_accounts (f);
  title = bd_account_dup_title (f->added);
  not_removed = g_strdup_printf (_("The token of %s could not be removed from the keyring, "
                                   "so the account was kept. Try again."), title);
  bd_test_click (bd_test_find_widget (manage, removes, key));
  g_assert_true (bd_test_wait_until (message_dialog_is_shown, NULL, BD_TEST_WIDGET_WAIT_MS));
  bd_test_click (bd_test_find_widget (bd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG),
                                      is_labelled, _("_Remove")));
  bd_test_wait_for_text (manage, not_removed);
  screenshot (manage, "manage-accounts-not-removed");
  g_assert_null (f->removed);
  g_assert_nonnull (bd_account_list_lookup (f->accounts, key));
  bd_test_assert_shows (manage, title);
  g_clear_pointer (&kept, g_free);
  kept = kept_token (f, url, "u1");
  g_assert_cmpstr (kept, ==, ADMIN);
  assert_token_in_no_file (ADMIN);
}

int
main (int   argc,
      char *argv[])
{
  /* BD_TEST_KEYRING=none: a bus with no Secret Service, none to activate. */
  gboolean with_keyring = g_strcmp0 (g_getenv ("BD_TEST_KEYRING"), "none") != 0;

  if (with_keyring)
    bd_test_keyring_setup ();
  else
    bd_test_keyring_setup_without_keyring ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* GTK's own accessibility context, in place of none: what a screen
   * reader would hear is read with gtk_test_accessible_assert_property (). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bd_application_set_default_direction ();
  /* As test-action-dialogs.c: no animation, no cursor blink. */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);

  if (!with_keyring)
    {
      g_test_add ("/accounts-dialogs/add/session-only", Fixture, NULL, fixture_set_up,
                  test_session_only, fixture_tear_down);
      return g_test_run ();
    }

  g_test_add ("/accounts-dialogs/add/valid", Fixture, NULL, fixture_set_up,
              test_add_valid, fixture_tear_down);
  g_test_add ("/accounts-dialogs/add/edit-clears", Fixture, NULL, fixture_set_up,
              test_edit_clears, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/accounts-dialogs/error/", error_cases[i].name, NULL);

      g_test_add (path, Fixture, &error_cases[i], fixture_set_up, test_error, fixture_tear_down);
    }
  g_test_add ("/accounts-dialogs/add/certificate", Fixture, NULL, fixture_set_up,
              test_certificate, fixture_tear_down);
  g_test_add ("/accounts-dialogs/add/ca-file-in-thread", Fixture, NULL, fixture_set_up,
              test_ca_file_in_thread, fixture_tear_down);
  g_test_add ("/accounts-dialogs/sign-in-again", Fixture, NULL, fixture_set_up,
              test_sign_in_again, fixture_tear_down);
  g_test_add ("/accounts-dialogs/manage/remove", Fixture, NULL, fixture_set_up,
              test_remove, fixture_tear_down);
  g_test_add ("/accounts-dialogs/manage/remove-while-removing", Fixture, NULL, fixture_set_up,
              test_remove_while_removing, fixture_tear_down);
  g_test_add ("/accounts-dialogs/manage/empty", Fixture, NULL, fixture_set_up,
              test_manage_empty, fixture_tear_down);
  /* Last (a suite of its own, after the others): the keyring does not come back. */
  g_test_add ("/accounts-dialogs/keyring-gone/add-remove", Fixture, NULL, fixture_set_up,
              test_keyring_gone, fixture_tear_down);

  return g_test_run ();
}
