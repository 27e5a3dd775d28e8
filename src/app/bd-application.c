/* bd-application.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "bd-application-private.h"
#include "bd-format.h"
#include "bd-preferences-window.h"
#include "bd-settings.h"
#include "bd-tls-database.h"
#include "bd-window.h"

/* Billing Desk: one instance a user (a second launch presents it, or opens
 * a window in it), any number of windows, each on an account of its own:
 * the built-in demo, whose service the app starts once and shares between
 * the windows on it, an account added with Add Account (its token in the
 * keyring), or a service named with --service/--token (or
 * BILLING_DESK_SERVICE and BILLING_DESK_TOKEN), which is added to no list:
 * its token is kept in this process's memory for the windows on it
 * (docs/design.md section 1 and "Accounts and windows").
 */
G_DEFINE_FINAL_TYPE (BdApplication, bd_application, ADW_TYPE_APPLICATION)

/* A window for the service named on a command line. */
static void
open_session_window (BdApplication *self,
                     const char    *url,
                     const char    *token,
                     const char    *ca_file)
{
  BdSession *session = g_new0 (BdSession, 1);
  g_autofree char *key = bd_account_normalize_url (url);
  BdWindow *window;

  session->token = g_strdup (token);
  session->ca_file = g_strdup (ca_file);
  g_hash_table_replace (self->sessions, g_strdup (key), session);

  window = bd_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
  bd_window_open_session (window, key);
}

/* The window an action came from, even while one of its dialogs is the
 * active one; NULL when none of the app's windows is.
 */
static BdWindow *
active_window (BdApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  while (active != NULL && !BD_IS_WINDOW (active))
    active = gtk_window_get_transient_for (active);

  return active != NULL ? BD_WINDOW (active) : NULL;
}

/*
 * Actions
 */

static void
app_new_window_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  BdApplication *self = user_data;
  BdWindow *from = active_window (self);
  BdWindow *window;

  window = bd_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
  bd_window_open_like (window, from);
}

static void
app_about_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  BdApplication *self = user_data;
  const char *developers[] = { _("The Billing Desk authors"), NULL };
  /* Translators: put your names here, one per line */
  const char *translators = _("translator-credits");
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  /* Over the window whose menu opened it, not over one of its dialogs. */
  gtk_window_set_transient_for (GTK_WINDOW (about), GTK_WINDOW (active_window (self)));
  adw_about_window_set_application_name (about, _("Billing Desk"));
  adw_about_window_set_application_icon (about, APPLICATION_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_comments (
    about, _("See your organisation’s products and cancel subscriptions safely"));
  adw_about_window_set_developer_name (about, _("The Billing Desk authors"));
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_copyright (about, _("© 2026 The Billing Desk authors"));
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  /* Untranslated (English, or a language without a catalog), the msgid
   * itself would be shown as a name. */
  if (g_strcmp0 (translators, "translator-credits") != 0)
    adw_about_window_set_translator_credits (about, translators);
  /* No website or issue address: the project is hosted nowhere yet. */
  gtk_window_present (GTK_WINDOW (about));
}

static void
app_preferences_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  BdApplication *self = user_data;
  GtkWindow *window = bd_preferences_window_new (self->settings);

  gtk_window_set_transient_for (window, GTK_WINDOW (active_window (self)));
  gtk_window_present (window);
}

/* A reminder's default action: the pane of its subscription, in the window
 * on its account, or in a new one on it when none is open (or on the
 * command line's service that the key names).
 */
static void
app_show_reminder_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  BdApplication *self = user_data;
  const char *key;
  const char *id;
  const char *space;
  g_autofree char *session_url = NULL;
  BdAccount *account;
  BdWindow *window;

  g_variant_get (parameter, "(&s&s)", &key, &id);

  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL;
       l = l->next)
    {
      g_autofree char *window_key = BD_IS_WINDOW (l->data)
                                    ? bd_window_dup_account_key (l->data) : NULL;

      if (g_strcmp0 (window_key, key) == 0)
        {
          bd_window_show_subscription (l->data, id);
          return;
        }
    }

  account = bd_account_list_lookup (self->accounts, key);
  space = strrchr (key, ' ');
  if (account == NULL && space != NULL)
    session_url = g_strndup (key, space - key);
  /* An account removed since, or a service of a launch before this one. */
  if (account == NULL && !g_hash_table_contains (self->sessions, session_url ? session_url : ""))
    return;

  if (account != NULL && bd_account_is_demo (account))
    _bd_application_start_demo (self);
  window = bd_window_new (GTK_APPLICATION (self));
  if (account != NULL)
    bd_window_open_account (window, account, NULL);
  else
    bd_window_open_session (window, session_url);
  bd_window_show_subscription (window, id);
}

/* Closing each window lets a window with a cancel in flight refuse. */
static void
app_quit_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* The list is most recently focused first: closed from its end, the
   * window used last is closed last, and its size is the one kept. */
  for (const GList *l = g_list_last (windows); l != NULL; l = l->prev)
    gtk_window_close (GTK_WINDOW (l->data));
}

static const GActionEntry app_actions[] = {
  { .name = "new-window", .activate = app_new_window_action },
  { .name = "preferences", .activate = app_preferences_action },
  { .name = "show-reminder", .activate = app_show_reminder_action, .parameter_type = "(ss)" },
  { .name = "about", .activate = app_about_action },
  { .name = "quit", .activate = app_quit_action },
};

/*
 * GApplication overrides
 */

/* Runs in the process that was launched: what it was given (options or
 * environment) travels to the running instance as options, and is checked
 * here, where an error can be printed.
 */
static int
bd_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  BdApplication *self = BD_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  const char *service = NULL;
  const char *token = NULL;
  const char *ca_file = NULL;
  g_autofree char *env_token = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("billing-desk %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* A missing schema is said here, rather than as GSettings' abort. */
  self->settings = bd_settings_new (&error);
  if (self->settings == NULL)
    {
      g_printerr ("billing-desk: %s\n", error->message);
      return 1;
    }

  if (!g_variant_dict_lookup (options, "service", "&s", &service))
    service = g_getenv ("BILLING_DESK_SERVICE");
  /* The token leaves the environment at once: no child inherits it. */
  env_token = g_strdup (g_getenv ("BILLING_DESK_TOKEN"));
  g_unsetenv ("BILLING_DESK_TOKEN");
  if (!g_variant_dict_lookup (options, "token", "&s", &token))
    token = env_token;
  if (!g_variant_dict_lookup (options, "tls-ca-file", "^&ay", &ca_file))
    ca_file = g_getenv ("BILLING_DESK_TLS_CA_FILE");

  if ((service == NULL) != (token == NULL))
    {
      g_printerr ("%s\n", _("Give both a service and a token (--service URL --token TOKEN), "
                            "or neither to use the built-in demo."));
      return 2;
    }

  if (service != NULL)
    {
      g_variant_dict_insert (options, "service", "s", service);
      g_variant_dict_insert (options, "token", "s", token);
    }

  if (ca_file != NULL && *ca_file != '\0')
    {
      /* The running instance may have another working directory. */
      g_autofree char *path = g_canonicalize_filename (ca_file, NULL);
      g_autoptr(GTlsDatabase) database = bd_tls_database_new (path, &error);

      if (database == NULL)
        {
          g_printerr ("--tls-ca-file: %s\n", error->message);
          return 2;
        }
      g_variant_dict_insert_value (options, "tls-ca-file", g_variant_new_bytestring (path));
    }

  return G_APPLICATION_CLASS (bd_application_parent_class)->handle_local_options (application,
                                                                                 options);
}

/* In the running instance: a window on the service the launch named, or
 * else the instance's window presented (the last account's, at start).
 */
static int
bd_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  BdApplication *self = BD_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *service = NULL;
  const char *token = NULL;
  const char *ca_file = NULL;

  if (g_variant_dict_lookup (options, "service", "&s", &service) &&
      g_variant_dict_lookup (options, "token", "&s", &token))
    {
      g_variant_dict_lookup (options, "tls-ca-file", "^&ay", &ca_file);
      open_session_window (self, service, token, ca_file);
      return 0;
    }

  g_application_activate (application);
  return 0;
}

static void
bd_application_activate (GApplication *application)
{
  BdApplication *self = BD_APPLICATION (application);
  g_autofree char *key = NULL;
  BdAccount *account;
  BdWindow *window;

  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL;
       l = l->next)
    {
      if (BD_IS_WINDOW (l->data))
        {
          gtk_window_present (GTK_WINDOW (l->data));
          return;
        }
    }

  key = g_settings_get_string (self->settings, "last-account");
  account = bd_account_list_lookup (self->accounts, key);
  if (account == NULL)
    account = bd_account_list_lookup (self->accounts, BD_ACCOUNT_DEMO_KEY);

  /* The demo's service starts first: it gets ready in its own process while
   * the window is built and drawn here. */
  if (bd_account_is_demo (account))
    _bd_application_start_demo (self);

  window = bd_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
  bd_window_open_account (window, account, NULL);
}

static void
bd_application_startup (GApplication *application)
{
  BdApplication *self = BD_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (bd_application_parent_class)->startup (application);

  /* Before any widget is made: gtk_init, just run, took the direction from
   * GTK's catalog. */
  bd_application_set_default_direction ();

  /* Every window carries the app icon (the resources hold it under this
   * build's id: src/app/meson.build). */
  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.new-window",
                                         new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         close_accels);

  /* Registered without g_application_run () (and so without
   * handle_local_options): the settings are read here, and a missing
   * schema is said as there. */
  if (self->settings == NULL)
    self->settings = bd_settings_new (&error);
  if (self->settings == NULL)
    {
      g_printerr ("billing-desk: %s\n", error->message);
      /* startup cannot fail: nothing runs without settings (GSettings
       * itself would abort), and a launch says it as a status of 1. */
      exit (1);
    }

  self->accounts = bd_account_list_new (self->settings);
  self->token_store = bd_token_store_new (APPLICATION_ID ".Token");
  self->cancellable = g_cancellable_new ();
  self->reminders = bd_reminders_new (application, self->settings, NULL);

  if (!_bd_application_load_demo (self, &self->demo_error))
    g_warning ("%s", self->demo_error->message);
}

static void
bd_application_shutdown (GApplication *application)
{
  BdApplication *self = BD_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->local_service != NULL)
    bd_local_service_stop (self->local_service);

  G_APPLICATION_CLASS (bd_application_parent_class)->shutdown (application);
}

/*
 * GObject overrides
 */

static void
bd_application_finalize (GObject *object)
{
  BdApplication *self = (BdApplication *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->local_service);
  g_clear_pointer (&self->demo_waiters, g_ptr_array_unref);
  g_clear_error (&self->demo_error);
  g_clear_pointer (&self->demo_tenant, bd_tenant_file_free);
  g_clear_object (&self->demo_users);
  g_clear_object (&self->accounts);
  g_clear_object (&self->token_store);
  g_clear_object (&self->reminders);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->sessions, g_hash_table_unref);

  G_OBJECT_CLASS (bd_application_parent_class)->finalize (object);
}

static void
bd_application_class_init (BdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = bd_application_finalize;

  app_class->handle_local_options = bd_application_handle_local_options;
  app_class->command_line = bd_application_command_line;
  app_class->activate = bd_application_activate;
  app_class->startup = bd_application_startup;
  app_class->shutdown = bd_application_shutdown;
}

static void
bd_application_init (BdApplication *self)
{
  static const GOptionEntry entries[] = {
    { "service", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Use the billing service at URL instead of the built-in demo"), N_("URL") },
    { "token", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Sign in to that service with TOKEN"), N_("TOKEN") },
    { "tls-ca-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Trust the certificate authorities in FILE (PEM) as well as the system’s, "
         "for an https service"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };

  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _bd_session_free);
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

/*
 * Public API
 */

/**
 * bd_application_new:
 *
 * Returns: (transfer full): the application; a second launch presents the
 *   running instance (or opens a window there on the service it names)
 */
BdApplication *
bd_application_new (void)
{
  return g_object_new (BD_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/billingdesk/BillingDesk",
                       NULL);
}

/**
 * bd_application_get_settings:
 *
 * Returns: (transfer none): the app's settings (set up at startup)
 */
GSettings *
bd_application_get_settings (BdApplication *self)
{
  g_return_val_if_fail (BD_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * bd_application_get_accounts:
 *
 * Returns: (transfer none): the accounts: the demo first, then those added
 */
BdAccountList *
bd_application_get_accounts (BdApplication *self)
{
  g_return_val_if_fail (BD_IS_APPLICATION (self), NULL);

  return self->accounts;
}

/**
 * bd_application_get_token_store:
 *
 * Returns: (transfer none): where the accounts' tokens are kept
 */
BdTokenStore *
bd_application_get_token_store (BdApplication *self)
{
  g_return_val_if_fail (BD_IS_APPLICATION (self), NULL);

  return self->token_store;
}

/**
 * bd_application_get_demo_users:
 *
 * Returns: (transfer none) (nullable): "win.sign-in-as" items, one per
 *   demo user, or NULL when the demo tenant could not be read
 */
GMenuModel *
bd_application_get_demo_users (BdApplication *self)
{
  g_return_val_if_fail (BD_IS_APPLICATION (self), NULL);

  return self->demo_users;
}

/**
 * bd_application_get_reminders:
 *
 * Returns: (transfer none): the reminders (set up at startup)
 */
BdReminders *
bd_application_get_reminders (BdApplication *self)
{
  g_return_val_if_fail (BD_IS_APPLICATION (self), NULL);

  return self->reminders;
}

/**
 * bd_application_set_default_direction:
 *
 * Sets the default direction of widgets made from now on from the language
 * of the app's own catalog in use (bd_format_is_right_to_left ()), right to
 * left for Arabic. gtk_init () sets it from GTK's catalog, which under
 * LANGUAGE=he:da (Hebrew, which GTK has and the app has not, then Danish)
 * would mirror a Danish interface. (Under LANGUAGE=he alone GLib's
 * g_dgettext () already keeps GTK's messages, and so its direction, in
 * English, as the app has no catalog for any of the user's languages.)
 * Call it after gtk_init () and before any widget is
 * made: the application's startup does; tests that make widgets without
 * the application call it themselves.
 */
void
bd_application_set_default_direction (void)
{
  gtk_widget_set_default_direction (bd_format_is_right_to_left () ? GTK_TEXT_DIR_RTL
                                                                   : GTK_TEXT_DIR_LTR);
}
