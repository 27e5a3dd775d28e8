/* test-reminders.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reminders (docs/design.md "Reminders"): the application in the test
 * process, on a D-Bus bus of its own on which the test is the notification
 * server, its window on a real service (a command line's --service and
 * --token) whose clock is 3 hours before refund windows close. A reminder
 * comes once for each window the user can still use (not a trial's, a
 * reseller's or a domain subscription's), in English and in Danish; never
 * for a reader; not again after a restart (a second application, the same
 * state directory, the keyfile settings backend); not while switched off in
 * Preferences; its action opens the pane; a bad reminders.json is passed
 * over.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "bd-application.h"
#include "bd-cancel-pane.h"
#include "bd-preferences-window.h"
#include "bd-products-page.h"
#include "bd-settings.h"
#include "bd-test-app.h"
#include "bd-test-keyring.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

#define WAIT_MS BD_TEST_WIDGET_WAIT_MS

/* The refund windows of the subscriptions with a billing profile close at
 * 2026-11-08T00:00:00Z (their last renewal + 168 hours): 3 hours later than
 * this. Those the user can still use are reminded of: s1, and s13 (a custom
 * domain, which an admin can remove); not s5 (a trial: cancelled at any
 * time, with no refund), s14 (a reseller's: its seller cancels it) nor s15
 * (a domain subscription: never cancelled). The others have no window (no
 * billing profile). */
#define NEAR "2026-11-07T21:00:00Z"

#define WINDOWS_TOO \
  SUB ("s13", "Microsoft 365 E3", "\"quantity\":5,\"billingProfileId\":\"bp1\"") "," \
  SUB ("s14", "Microsoft 365 E5", "\"quantity\":2,\"billingProfileId\":\"bp1\"," \
       "\"purchaseChannel\":\"reseller\"") "," \
  SUB ("s15", "Domain", "\"quantity\":1,\"billingProfileId\":\"bp1\"," \
       "\"isDomainSubscription\":true")

static BdApplication *app;

/* The reminder as the administrator reads it, word for word (from
 * po/xx.po), in English and in each language the test runs in: the product,
 * then these (Arabic's count in Arabic-Indic digits, as bd_format_count
 * writes it). Arabic's begins with a right-to-left mark and isolates the
 * product's Latin name (U+200F, U+2068…U+2069), so that the line reads
 * from the right: name_open and name_close. */
typedef struct
{
  const char *language;
  const char *title;
  const char *body_start;
  const char *three;
  const char *body_end;
  const char *name_open;
  const char *name_close;
} Words;

static const Words words_by_language[] = {
  { "en", "Refund Window Closing", ": the refund window closes in ", "3", " hours." },
  { "da", "Refusionsperioden lukker", ": refusionsperioden lukker om ", "3", " timer." },
  { "de", "Rückerstattungsfrist endet", ": Die Rückerstattungsfrist endet in ", "3",
    " Stunden." },
  { "ar", "فترة الاسترداد تُغلق", ": تُغلق فترة الاسترداد خلال ", "٣", " ساعات.",
    "\u200f\u2068", "\u2069" },
};

/* The row of the test's language (LANGUAGE). */
static const Words *
words (void)
{
  return bd_test_for_language (g_getenv ("LANGUAGE"), words_by_language, sizeof (Words),
                               G_N_ELEMENTS (words_by_language));
}

/*
 * The notification server: org.freedesktop.Notifications, as GLib 2.74's
 * GApplication uses it when nobody owns org.gtk.Notifications on the bus
 * (GNOME Shell's; its backend comes first when it is there). The test's
 * bus has neither but this.
 */

static const char server_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "  </interface>"
  "</node>";

typedef struct
{
  guint32  id;
  char    *title;
  char    *body;
  GStrv    actions;  /* key, label, key, label, … */
} Received;

static struct
{
  GDBusConnection *connection;
  GPtrArray       *received;  /* Received */
  guint32          last_id;
  gboolean         owned;
} server;

static void
received_free (gpointer data)
{
  Received *received = data;

  g_free (received->title);
  g_free (received->body);
  g_strfreev (received->actions);
  g_free (received);
}

static void
server_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      Received *received = g_new0 (Received, 1);
      const char *title;
      const char *body;
      guint32 replaces;

      g_variant_get (parameters, "(&su&s&s&s^as@a{sv}i)", NULL, &replaces, NULL, &title, &body,
                     &received->actions, NULL, NULL);
      received->id = replaces != 0 ? replaces : ++server.last_id;
      received->title = g_strdup (title);
      received->body = g_strdup (body);
      g_ptr_array_add (server.received, received);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", received->id));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "billing-desk",
                                                          "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_name_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  server.owned = TRUE;
}

static gboolean
server_owns_name (gpointer data)
{
  return server.owned;
}

static void
server_start (void)
{
  static const GDBusInterfaceVTable vtable = { server_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (server_xml, NULL);
  g_autoptr(GDBusConnection) session = NULL;
  g_autoptr(GVariant) owner = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner = TRUE;

  server.connection = g_dbus_connection_new_for_address_sync (
    bd_test_keyring_get_bus_address (),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
  server.received = g_ptr_array_new_with_free_func (received_free);

  g_dbus_connection_register_object (server.connection, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (server.connection, "org.freedesktop.Notifications",
                                G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired_cb, NULL, NULL,
                                NULL);
  g_assert_true (bd_test_wait_until (server_owns_name, NULL, WAIT_MS));

  /* The backend GApplication picks: the freedesktop one, since nobody owns
   * org.gtk.Notifications here. */
  session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  owner = g_dbus_connection_call_sync (session, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.gtk.Notifications"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (owner, "(b)", &has_owner);
  g_assert_false (has_owner);
}

/* What the server received, as a person would read it, one notification
 * after another: kept under docs/screenshots as reminder-en.txt and
 * reminder-da.txt when the test saves screenshots.
 */
static char *
server_transcript (void)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < server.received->len; i++)
    {
      Received *received = g_ptr_array_index (server.received, i);

      g_string_append_printf (out, "%sorg.freedesktop.Notifications.Notify\n"
                              "Title: %s\nBody: %s\nActions:", i > 0 ? "\n" : "",
                              received->title, received->body);
      for (guint j = 0; received->actions[j] != NULL && received->actions[j + 1] != NULL; j += 2)
        g_string_append_printf (out, " %s \"%s\"", received->actions[j], received->actions[j + 1]);
      g_string_append (out, "\n");
    }

  return g_string_free (out, FALSE);
}

/* The reminder as ActionInvoked asks the app for its default action. */
static void
server_invoke_default (Received *received)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (server.connection, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", received->id, "default"), &error);
  g_assert_no_error (error);
}

/*
 * The application
 */

/* A BdApplication launched on @service as @token, @body called once its
 * window is opened; it ends when @body's windows are closed.
 */
static void
run_app (BdTestService *service,
         const char    *token,
         BdTestAppBody  body,
         gpointer       data)
{
  const char *args[] = { "--service", service->url, "--token", token, NULL };

  bd_test_app_run (&app, args, body, data, NULL, NULL);
}

static BdWindow *
the_window (void)
{
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = l->next)
    if (BD_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static gboolean
no_window (gpointer data)
{
  return the_window () == NULL;
}

static BdProductsPage *
page_of (BdWindow *window)
{
  return BD_PRODUCTS_PAGE (bd_window_get_products_page (window));
}

/* Loaded, and /v1/me answered: the subtitle names the user. */
static gboolean
is_loaded (gpointer data)
{
  BdWindow *window = data;
  AdwWindowTitle *title = ADW_WINDOW_TITLE (bd_test_find_by_type (window,
                                                                  ADW_TYPE_WINDOW_TITLE));
  const char *subtitle = adw_window_title_get_subtitle (title);

  return !bd_products_page_is_loading (page_of (window)) &&
         g_list_model_get_n_items (bd_products_page_get_model (page_of (window))) > 0 &&
         subtitle != NULL && strstr (subtitle, "Contoso A/S") != NULL;
}

static void
wait_loaded (BdWindow *window)
{
  g_assert_true (bd_test_wait_until (is_loaded, window, WAIT_MS));
}

/* s1's and s13's reminders, or more. */
static gboolean
received_both (gpointer data)
{
  return server.received->len >= 2;
}

/* The reminder's body up to the end of @product's name. */
static char *
body_named (const char *product)
{
  const Words *w = words ();

  return g_strconcat (w->name_open != NULL ? w->name_open : "", product,
                      w->name_close != NULL ? w->name_close : "", NULL);
}

/* The reminder whose body names @product. */
static Received *
received_for (const char *product)
{
  g_autofree char *name = body_named (product);
  g_autofree char *start = g_strconcat (name, ":", NULL);

  for (guint i = 0; i < server.received->len; i++)
    {
      Received *received = g_ptr_array_index (server.received, i);

      if (g_str_has_prefix (received->body, start))
        return received;
    }

  g_error ("no reminder for %s", product);
}

/* Nothing comes: the app's window loaded (list and /v1/me), and a while
 * for a notification to travel, as long as one took when it came. */
static void
assert_none_received (void)
{
  bd_test_settle (1000);
  g_assert_cmpuint (server.received->len, ==, 0);
}

static void
refresh (BdWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  wait_loaded (window);
}

/* The two reminders, whole, in the test's language, and no other. */
static void
assert_reminders (void)
{
  const char *products[] = { "Microsoft 365 Business Premium", "Microsoft 365 E3" };

  g_assert_cmpuint (server.received->len, ==, G_N_ELEMENTS (products));
  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    {
      Received *received = received_for (products[i]);
      g_autofree char *name = body_named (products[i]);
      g_autofree char *start = g_strconcat (name, words ()->body_start, NULL);
      g_autofree char *body = g_strconcat (start, words ()->three, words ()->body_end, NULL);

      g_assert_cmpstr (received->title, ==, words ()->title);
      g_assert_cmpstr (received->body, ==, body);
      /* Its default action, and no button. */
      g_assert_cmpuint (g_strv_length (received->actions), ==, 2);
      g_assert_cmpstr (received->actions[0], ==, "default");
    }
}

static char *
reminders_file (void)
{
  return g_build_filename (g_get_user_state_dir (), APPLICATION_ID, "reminders.json", NULL);
}

static void
save_transcript (void)
{
  const char *dir = g_getenv ("BD_TEST_SCREENSHOT_DIR");
  g_autofree char *text = server_transcript ();
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;

  name = g_strdup_printf ("reminder-%s.txt", words ()->language);
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/*
 * Fixtures
 */

typedef struct
{
  BdTestService *service;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = bd_settings_new (NULL);
  g_autofree char *path = reminders_file ();
  g_autoptr(GString) tenant = g_string_new (TENANT);

  g_assert_nonnull (settings);
  g_settings_reset (settings, "reminders");
  g_settings_sync ();
  g_remove (path);
  g_ptr_array_set_size (server.received, 0);
  /* The tenant of the service tests, with three windows more. */
  g_string_truncate (tenant, tenant->len - strlen ("]}"));
  g_string_append (tenant, "," WINDOWS_TOO "]}");
  g_assert_cmpuint (g_string_replace (tenant, "\"subscriptionIds\":[\"s6\"]",
                                      "\"subscriptionIds\":[\"s6\",\"s13\"]", 1), ==, 1);
  f->service = bd_test_service_new (tenant->str, NEAR);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  bd_test_service_free (f->service);
}

/*
 * Tests
 */

/* Once: a refresh, and a second window on the same account, send nothing
 * more; what was reminded is in the state directory. */
static void
once_body (gpointer data)
{
  BdWindow *window = the_window ();

  wait_loaded (window);
  g_assert_true (bd_test_wait_until (received_both, NULL, WAIT_MS));
  bd_test_settle (1000);
  assert_reminders ();
  save_transcript ();

  refresh (window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  g_assert_nonnull (the_window ());
  bd_test_settle (1000);
  g_assert_cmpuint (server.received->len, ==, 2);
}

static void
restart_body (gpointer data)
{
  wait_loaded (the_window ());
  assert_none_received ();
}

static void
test_once (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *path = reminders_file ();
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  run_app (f->service, ADMIN, once_body, f);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "\"subscription\" : \"s1\""));
  g_assert_nonnull (strstr (text, "\"windowEnd\" : \"2026-11-08T00:00:00Z\""));
  g_assert_nonnull (strstr (text, "\"subscription\" : \"s13\""));
  g_assert_null (strstr (text, "\"s5\""));
  g_assert_null (strstr (text, "\"s14\""));
  g_assert_null (strstr (text, "\"s15\""));

  /* A restart remembers it. */
  g_ptr_array_set_size (server.received, 0);
  run_app (f->service, ADMIN, restart_body, f);
}

/* A reader is never reminded; the Billing admin is. */
static void
reader_body (gpointer data)
{
  wait_loaded (the_window ());
  assert_none_received ();
}

static void
test_reader (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = reminders_file ();

  run_app (f->service, READER, reader_body, f);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static GtkSwitch *
preferences_switch (GtkWindow **preferences)
{
  *preferences = bd_test_find_toplevel (BD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (*preferences);
  return GTK_SWITCH (bd_test_find_by_type (*preferences, GTK_TYPE_SWITCH));
}

static gboolean
preferences_shown (gpointer data)
{
  GtkWindow *preferences = bd_test_find_toplevel (BD_TYPE_PREFERENCES_WINDOW);

  return preferences != NULL && gtk_widget_get_mapped (GTK_WIDGET (preferences));
}

/* Switched off in Preferences (main menu > Preferences): a window that
 * comes within 24 hours is not reminded; switched on again, it is. */
static void
switched_off_body (gpointer data)
{
  Fixture *f = data;
  BdWindow *window = the_window ();
  g_autoptr(GSettings) settings = bd_settings_new (NULL);
  GtkWindow *preferences;
  GtkSwitch *toggle;

  wait_loaded (window);
  g_assert_cmpuint (server.received->len, ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  g_assert_true (bd_test_wait_until (preferences_shown, NULL, WAIT_MS));
  toggle = preferences_switch (&preferences);
  g_assert_true (gtk_window_get_modal (preferences));
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));
  g_assert_true (gtk_switch_get_active (toggle));
  {
    g_autofree char *label = bd_test_without_mnemonic (_("_Reminders"));

    bd_test_assert_shows (preferences, label);
  }
  bd_test_assert_shows (preferences, _("Send a notification when a refund window that you can "
                                       "still use closes within 24 hours"));
  bd_test_save_screenshot_in_language (preferences, "preferences");
  /* As a click on the row does (its activatable widget). */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (toggle)));
  g_assert_false (gtk_switch_get_active (toggle));
  g_assert_false (g_settings_get_boolean (settings, "reminders"));
  gtk_window_close (preferences);

  bd_test_service_set_now (f->service, NEAR);
  refresh (window);
  assert_none_received ();

  g_settings_set_boolean (settings, "reminders", TRUE);
  refresh (window);
  g_assert_true (bd_test_wait_until (received_both, NULL, WAIT_MS));
  bd_test_settle (1000);
  assert_reminders ();
}

static void
test_switched_off (Fixture       *f,
                   gconstpointer  data)
{
  /* Four days before: nothing to remind of yet. */
  bd_test_service_set_now (f->service, NOW);
  run_app (f->service, ADMIN, switched_off_body, f);
}

/* The reminder's action, as the notification server invokes it: the pane
 * on its subscription, in its account's window, over Activity. */
static gboolean
pane_shows_s1 (gpointer data)
{
  GtkWidget *pane = bd_test_find_by_type (data, BD_TYPE_CANCEL_PANE);
  BdSubscription *subscription;
  AdwFlap *flap = ADW_FLAP (bd_test_find_by_type (data, ADW_TYPE_FLAP));

  /* Not in the window while Activity is shown. */
  if (pane == NULL)
    return FALSE;

  subscription = bd_cancel_pane_get_subscription (BD_CANCEL_PANE (pane));
  return subscription != NULL && g_str_equal (bd_subscription_get_id (subscription), "s1") &&
         flap != NULL && adw_flap_get_reveal_flap (flap);
}

static void
action_body (gpointer data)
{
  BdWindow *window = the_window ();

  wait_loaded (window);
  g_assert_true (bd_test_wait_until (received_both, NULL, WAIT_MS));
  g_assert_false (pane_shows_s1 (window));

  /* The window shows Activity meanwhile: the pane is Your Products'. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-activity", "s", ""));
  server_invoke_default (received_for ("Microsoft 365 Business Premium"));
  g_assert_true (bd_test_wait_until (pane_shows_s1, window, WAIT_MS));
  bd_test_assert_shows (window, "Microsoft 365 Business Premium");
}

static void
test_action (Fixture       *f,
             gconstpointer  data)
{
  run_app (f->service, ADMIN, action_body, f);
}

/* With no window on the account any more (the app still running), the
 * action opens one on it, with the pane. */
static gboolean
a_window_shows_s1 (gpointer data)
{
  BdWindow *window = the_window ();

  return window != NULL && pane_shows_s1 (window);
}

static void
action_new_window_body (gpointer data)
{
  BdWindow *window = the_window ();

  wait_loaded (window);
  g_assert_true (bd_test_wait_until (received_both, NULL, WAIT_MS));

  g_application_hold (G_APPLICATION (app));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (bd_test_wait_until (no_window, NULL, WAIT_MS));
  server_invoke_default (received_for ("Microsoft 365 Business Premium"));
  g_assert_true (bd_test_wait_until (a_window_shows_s1, NULL, WAIT_MS));
  g_application_release (G_APPLICATION (app));
  /* The new window's load sent nothing again. */
  g_assert_cmpuint (server.received->len, ==, 2);
}

static void
test_action_new_window (Fixture       *f,
                        gconstpointer  data)
{
  run_app (f->service, ADMIN, action_new_window_body, f);
}

/* A file that is not what the app writes: passed over with a warning, the
 * reminder sent, the file written anew. */
static void
bad_file_body (gpointer data)
{
  wait_loaded (the_window ());
  g_assert_true (bd_test_wait_until (received_both, NULL, WAIT_MS));
  bd_test_settle (1000);
  assert_reminders ();
}

static void
test_bad_file (Fixture       *f,
               gconstpointer  data)
{
  const char *bad[] = { "{\"reminded\": [{\"account\": 4", "[]",
                        "{\"reminded\": [{\"account\": \"a\", \"subscription\": \"s1\"}]}",
                        "{\"reminded\": [{\"account\": {}, \"subscription\": [\"s1\"], "
                        "\"windowEnd\": \"2026-11-08T00:00:00Z\"}]}",
                        "\xff\xfe", NULL };
  g_autofree char *path = reminders_file ();
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;

      g_ptr_array_set_size (server.received, 0);
      g_file_set_contents (path, bad[i], -1, &error);
      g_assert_no_error (error);
      g_test_expect_message ("bd-reminders", G_LOG_LEVEL_WARNING,
                             "*reminders.json can't be read*no reminder is remembered as sent");
      run_app (f->service, ADMIN, bad_file_body, f);
      g_test_assert_expected_messages ();

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (text, "\"subscription\" : \"s1\""));
    }
}

int
main (int   argc,
      char *argv[])
{
  /* Before GIO reads them: a bus of the test's own (with no keyring: the
   * command line's token is kept in memory), the keyfile settings backend
   * and the state directory in the test's own HOME. */
  bd_test_keyring_setup_without_keyring ();
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  server_start ();

  g_test_add ("/reminders/once", Fixture, NULL, fixture_set_up, test_once, fixture_tear_down);
  g_test_add ("/reminders/reader", Fixture, NULL, fixture_set_up, test_reader,
              fixture_tear_down);
  g_test_add ("/reminders/switched-off", Fixture, NULL, fixture_set_up, test_switched_off,
              fixture_tear_down);
  g_test_add ("/reminders/action", Fixture, NULL, fixture_set_up, test_action,
              fixture_tear_down);
  g_test_add ("/reminders/action-new-window", Fixture, NULL, fixture_set_up,
              test_action_new_window, fixture_tear_down);
  g_test_add ("/reminders/bad-file", Fixture, NULL, fixture_set_up, test_bad_file,
              fixture_tear_down);

  return g_test_run ();
}
