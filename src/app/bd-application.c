/* bd-application.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-application"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-application.h"
#include "bd-client.h"
#include "bd-local-service.h"
#include "bd-tls-database.h"
#include "bd-window.h"

/* Billing Desk: with --service/--token (or BILLING_DESK_SERVICE and
 * BILLING_DESK_TOKEN) it talks to that service; with neither, it starts
 * its own on the demo tenant and signs in as the demo Global admin, with
 * "Sign In As" for the demo tenant's other users (docs/design.md section 1).
 * --tls-ca-file (or BILLING_DESK_TLS_CA_FILE) adds a private certificate
 * authority for an https service.
 */
struct _BdApplication
{
  AdwApplication  parent_instance;

  char           *service_url;
  char           *token;
  GTlsDatabase   *tls_database;  /* (nullable): the system's CAs and --tls-ca-file */
  BdLocalService *local_service;
  BdTenantFile   *demo_tenant;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (BdApplication, bd_application, ADW_TYPE_APPLICATION)

/* The main window, even while a dialog or About is the active one. */
static BdWindow *
get_window (BdApplication *self)
{
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL;
       l = l->next)
    {
      if (BD_IS_WINDOW (l->data))
        return BD_WINDOW (l->data);
    }

  return NULL;
}

static const char *
demo_tenant_path (void)
{
  const char *path = g_getenv ("BILLING_DESK_DEMO_TENANT");

  return path != NULL ? path : DATADIR "/billing-desk/demo-tenant.json";
}

static const char *
service_program (void)
{
  const char *program = g_getenv ("BILLING_DESK_SERVICE_PROGRAM");

  return program != NULL ? program : BINDIR "/billing-desk-service";
}

/* The demo tenant's users and their demo tokens, for Sign In As. */
static gboolean
load_demo_tenant (BdApplication  *self,
                  GError        **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  if (!g_file_get_contents (demo_tenant_path (), &text, &length, error))
    return FALSE;

  self->demo_tenant = bd_tenant_file_read (text, (gssize) length,
                                           g_get_real_time () / G_USEC_PER_SEC, error);
  return self->demo_tenant != NULL;
}

static GMenuModel *
build_users_menu (BdApplication *self)
{
  GMenu *menu = g_menu_new ();

  for (guint i = 0; i < self->demo_tenant->users->len; i++)
    {
      BdUser *user = g_ptr_array_index (self->demo_tenant->users, i);
      g_autoptr(GMenuItem) item = NULL;

      /* A user the tenant file gives no token can't be signed in as. */
      if (g_ptr_array_index (self->demo_tenant->tokens, i) == NULL)
        continue;

      item = g_menu_item_new (bd_user_get_display_name (user), NULL);
      g_menu_item_set_action_and_target_value (item, "app.sign-in-as",
                                               g_variant_new_string (bd_user_get_id (user)));
      g_menu_append_item (menu, item);
    }

  return G_MENU_MODEL (menu);
}

static void
sign_in (BdApplication *self,
         const char    *url,
         const char    *token)
{
  g_autoptr(BdClient) client = NULL;
  g_autoptr(GError) error = NULL;
  BdWindow *window = get_window (self);

  client = g_object_new (BD_TYPE_CLIENT,
                         "base-url", url,
                         "token", token,
                         "tls-database", self->tls_database,
                         NULL);

  if (window == NULL)
    return;

  /* An http URL the client will not send the token to is said at once, in
   * the window, rather than after the first request. (One that is no URL
   * at all fails as unreachable, as before.)
   */
  if (!bd_client_check_base_url (client, &error) &&
      g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_INSECURE_URL))
    {
      bd_window_show_error (window, _("Can’t Connect Safely"), error->message);
      return;
    }

  bd_window_set_client (window, client);
}

static void
start_local_service_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(BdApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  BdWindow *window;

  if (!bd_local_service_start_finish (BD_LOCAL_SERVICE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      window = get_window (self);
      if (window != NULL)
        bd_window_show_error (window, _("The Billing Service Did Not Start"), error->message);
      return;
    }

  /* The first Global admin of the demo tenant. */
  for (guint i = 0; i < self->demo_tenant->users->len; i++)
    {
      BdUser *user = g_ptr_array_index (self->demo_tenant->users, i);

      if (bd_user_has_role (user, BD_ROLE_GLOBAL_ADMIN) &&
          g_ptr_array_index (self->demo_tenant->tokens, i) != NULL)
        {
          g_action_group_change_action_state (G_ACTION_GROUP (self), "sign-in-as",
                                              g_variant_new_string (bd_user_get_id (user)));
          break;
        }
    }
}

static void
on_local_service_exited_cb (BdApplication *self)
{
  BdWindow *window = get_window (self);

  if (window != NULL)
    bd_window_show_error (window, _("The Billing Service Stopped"),
                          _("The built-in billing service ended unexpectedly. Restart Billing "
                            "Desk to start it again."));
}

static void
start_local_service (BdApplication *self,
                     BdWindow      *window)
{
  g_autoptr(GMenuModel) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;

  if (!load_demo_tenant (self, &error))
    {
      /* Translators: %s says what is wrong with the file */
      g_autofree char *message = g_strdup_printf (_("The demo tenant could not be read: %s"),
                                                  error->message);

      bd_window_show_error (window, _("The Billing Service Did Not Start"), message);
      return;
    }

  users = build_users_menu (self);
  bd_window_set_users (window, users);

  data_dir = g_build_filename (g_get_user_data_dir (), "billing-desk", "local", NULL);
  self->local_service = bd_local_service_new (service_program (), data_dir, demo_tenant_path ());
  g_signal_connect_object (self->local_service, "exited",
                           G_CALLBACK (on_local_service_exited_cb), self, G_CONNECT_SWAPPED);
  self->cancellable = g_cancellable_new ();
  bd_local_service_start_async (self->local_service, self->cancellable, start_local_service_cb,
                                g_object_ref (self));
}

/*
 * Actions
 */

static void
app_sign_in_as_action (GSimpleAction *action,
                       GVariant      *state,
                       gpointer       user_data)
{
  BdApplication *self = user_data;
  const char *id = g_variant_get_string (state, NULL);

  if (self->demo_tenant == NULL || self->local_service == NULL ||
      bd_local_service_get_url (self->local_service) == NULL)
    return;

  for (guint i = 0; i < self->demo_tenant->users->len; i++)
    {
      BdUser *user = g_ptr_array_index (self->demo_tenant->users, i);

      if (g_strcmp0 (bd_user_get_id (user), id) == 0 &&
          g_ptr_array_index (self->demo_tenant->tokens, i) != NULL)
        {
          g_simple_action_set_state (action, state);
          sign_in (self, bd_local_service_get_url (self->local_service),
                   g_ptr_array_index (self->demo_tenant->tokens, i));
          return;
        }
    }
}

static void
app_about_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  BdApplication *self = user_data;
  static const char *developers[] = { "The Billing Desk authors", NULL };
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  adw_about_window_set_application_name (about, _("Billing Desk"));
  adw_about_window_set_application_icon (about, APPLICATION_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  /* Translators: put your names here, one per line */
  adw_about_window_set_translator_credits (about, _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

/* Closing each window lets a window with a cancel in flight refuse. */
static void
app_quit_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static const GActionEntry app_actions[] = {
  { .name = "sign-in-as", .parameter_type = "s", .state = "''",
    .change_state = app_sign_in_as_action },
  { .name = "about", .activate = app_about_action },
  { .name = "quit", .activate = app_quit_action },
};

/*
 * GApplication overrides
 */

static int
bd_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  BdApplication *self = BD_APPLICATION (application);
  const char *service = NULL;
  const char *token = NULL;
  const char *ca_file = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("billing-desk %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (!g_variant_dict_lookup (options, "service", "&s", &service))
    service = g_getenv ("BILLING_DESK_SERVICE");
  if (!g_variant_dict_lookup (options, "token", "&s", &token))
    token = g_getenv ("BILLING_DESK_TOKEN");

  if ((service == NULL) != (token == NULL))
    {
      g_printerr ("%s\n", _("Give both a service and a token (--service URL --token TOKEN), "
                            "or neither to use the built-in demo."));
      return 2;
    }

  if (!g_variant_dict_lookup (options, "tls-ca-file", "^&ay", &ca_file))
    ca_file = g_getenv ("BILLING_DESK_TLS_CA_FILE");

  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autoptr(GError) error = NULL;

      self->tls_database = bd_tls_database_new (ca_file, &error);
      if (self->tls_database == NULL)
        {
          g_printerr ("--tls-ca-file: %s\n", error->message);
          return 2;
        }
    }

  self->service_url = g_strdup (service);
  self->token = g_strdup (token);

  return G_APPLICATION_CLASS (bd_application_parent_class)->handle_local_options (application,
                                                                                 options);
}

static void
bd_application_activate (GApplication *application)
{
  BdApplication *self = BD_APPLICATION (application);
  BdWindow *window = get_window (self);

  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  window = bd_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));

  if (self->service_url != NULL)
    sign_in (self, self->service_url, self->token);
  else
    start_local_service (self, window);
}

static void
bd_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (bd_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
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
  g_clear_object (&self->tls_database);
  g_clear_object (&self->local_service);
  g_clear_pointer (&self->demo_tenant, bd_tenant_file_free);
  g_free (self->service_url);
  g_free (self->token);

  G_OBJECT_CLASS (bd_application_parent_class)->finalize (object);
}

static void
bd_application_class_init (BdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = bd_application_finalize;

  app_class->handle_local_options = bd_application_handle_local_options;
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

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

/*
 * Public API
 */

BdApplication *
bd_application_new (void)
{
  return g_object_new (BD_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/billingdesk/BillingDesk",
                       NULL);
}
