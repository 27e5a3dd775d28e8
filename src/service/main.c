/* main.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "billing-desk-service"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "bd-api.h"
#include "bd-server.h"
#include "bd-store.h"
#include "bd-time.h"

#define PROGRAM_NAME     "billing-desk-service"
#define DEFAULT_LISTEN   "127.0.0.1:8421"
#define DATABASE_NAME    "billing.sqlite"
#define NOW_ENV          "BILLING_DESK_NOW"

/* On SIGTERM/SIGINT: how long the requests in flight get, and how often
 * the service looks whether they are done.
 */
#define SHUTDOWN_TIMEOUT_USEC (10 * G_USEC_PER_SEC)
#define SHUTDOWN_POLL_MS      20

#define EXIT_USAGE 2

typedef struct
{
  GMainLoop *loop;
  BdServer  *server;
  gint64     deadline;  /* monotonic µs; 0 until a signal came */
  guint      poll_id;
} Service;

static int
usage_error (const char *message)
{
  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  /* Translators: %s is the program name, billing-desk-service */
  g_printerr (_("Try “%s --help” for more information."), PROGRAM_NAME);
  g_printerr ("\n");

  return EXIT_USAGE;
}

/* Removes the database files a failed first start has created, so that the
 * next start seeds afresh: SQLite's WAL and shared-memory files as well,
 * should the store not have removed them on closing.
 */
static void
remove_database (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        g_printerr ("%s: %s: %s\n", PROGRAM_NAME, file, g_strerror (errno));
    }
}

/* Reads and stores the tenant file: all of it, or nothing. */
static gboolean
seed_store (BdStore     *store,
            const char  *tenant_path,
            gint64       now,
            GError     **error)
{
  g_autoptr(BdTenantFile) file = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  if (!g_file_get_contents (tenant_path, &text, &length, error))
    return FALSE;

  file = bd_tenant_file_read (text, (gssize) length, now, error);
  if (file == NULL)
    return FALSE;

  return bd_store_seed (store, file, error);
}

static gboolean
on_shutdown_poll_cb (gpointer user_data)
{
  Service *service = user_data;
  guint n_in_flight = bd_server_get_n_in_flight (service->server);

  if (n_in_flight > 0 && g_get_monotonic_time () < service->deadline)
    return G_SOURCE_CONTINUE;

  if (n_in_flight > 0)
    {
      g_printerr ("%s: ", PROGRAM_NAME);
      g_printerr (g_dngettext (NULL,
                               "%u request still in flight after 10 seconds; stopping anyway",
                               "%u requests still in flight after 10 seconds; stopping anyway",
                               n_in_flight),
                  n_in_flight);
      g_printerr ("\n");
    }

  service->poll_id = 0;
  g_main_loop_quit (service->loop);

  return G_SOURCE_REMOVE;
}

/* The first SIGTERM or SIGINT stops accepting connections and lets the
 * requests in flight finish; a second one stops at once.
 */
static gboolean
on_signal_cb (gpointer user_data)
{
  Service *service = user_data;

  if (service->deadline != 0)
    {
      g_main_loop_quit (service->loop);
      return G_SOURCE_CONTINUE;
    }

  service->deadline = g_get_monotonic_time () + SHUTDOWN_TIMEOUT_USEC;
  bd_server_disconnect (service->server);

  if (on_shutdown_poll_cb (service) == G_SOURCE_CONTINUE)
    service->poll_id = g_timeout_add (SHUTDOWN_POLL_MS, on_shutdown_poll_cb, service);

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BdStore) store = NULL;
  g_autoptr(BdApi) api = NULL;
  g_autoptr(BdServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen_address = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *tenant_path = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *tls_certificate_path = NULL;
  g_autofree char *tls_key_path = NULL;
  g_autoptr(GTlsCertificate) tls_certificate = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *url = NULL;
  const char *now_source = NULL;
  gboolean version = FALSE;
  gboolean existed;
  gboolean seeded;
  gint64 now = 0;
  guint sigterm_id;
  guint sigint_id;
  Service service = { 0 };

  /* N_(): GOptionContext translates them in the domain set below. */
  GOptionEntry entries[] = {
    { "listen", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &listen_address,
      N_("Listen on ADDRESS, an IP address and a port (default: 127.0.0.1:8421; "
         "port 0 picks a free port); without TLS only a loopback address"),
      N_("ADDRESS") },
    { "tls-certificate", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &tls_certificate_path,
      N_("Serve HTTPS with the PEM certificate (and its chain) in FILE; "
         "needs --tls-key, and allows a --listen address that is not a loopback address"),
      N_("FILE") },
    { "tls-key", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &tls_key_path,
      N_("The PEM private key of the --tls-certificate, in FILE"),
      N_("FILE") },
    { "data-dir", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &data_dir,
      N_("Keep the database in DIR (default: $XDG_DATA_HOME/billing-desk-service)"),
      N_("DIR") },
    { "tenant-file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &tenant_path,
      N_("Seed a new database with the tenant in FILE; "
         "a database that holds a tenant already keeps it"),
      N_("FILE") },
    { "now", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &now_text,
      N_("Freeze the service’s clock at TIME, in RFC 3339 such as 2026-11-03T00:00:00Z "
         "(for tests; also BILLING_DESK_NOW)"),
      N_("TIME") },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"),
      NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname (PROGRAM_NAME);
  /* stdout carries only the "listening on" line that the app reads; the
   * log, debug messages too (GLib writes them to stdout by default), goes
   * to stderr.
   */
  g_log_writer_default_set_use_stderr (TRUE);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Serves the Billing Desk HTTP API for one tenant, "
                                  "kept in an SQLite database: plain HTTP on a loopback "
                                  "address, or HTTPS anywhere with --tls-certificate and "
                                  "--tls-key."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (argc > 1)
    {
      /* Translators: %s is the first argument that was not expected */
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”"), argv[1]);

      return usage_error (message);
    }

  if (version)
    {
      g_print ("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  /* The clock: --now wins over the environment; without either, the real
   * time in whole seconds.
   */
  if (now_text != NULL)
    now_source = "--now";
  else if (g_getenv (NOW_ENV) != NULL)
    {
      now_text = g_strdup (g_getenv (NOW_ENV));
      now_source = NOW_ENV;
    }

  if (now_text != NULL && !bd_time_parse_rfc3339 (now_text, &now))
    {
      /* Translators: the first %s is --now or BILLING_DESK_NOW, the second its value */
      g_autofree char *message = g_strdup_printf (_("%1$s: “%2$s” is not an RFC 3339 time "
                                                    "such as 2026-11-03T00:00:00Z"),
                                                  now_source, now_text);

      return usage_error (message);
    }

  if (now_text == NULL)
    now = g_get_real_time () / G_USEC_PER_SEC;

  /* TLS before anything is opened: bad files leave no database behind. */
  if ((tls_certificate_path == NULL) != (tls_key_path == NULL))
    return usage_error (_("Give both --tls-certificate FILE and --tls-key FILE, or neither"));

  if (tls_certificate_path != NULL)
    {
      tls_certificate = g_tls_certificate_new_from_files (tls_certificate_path, tls_key_path,
                                                          &error);
      if (tls_certificate == NULL)
        {
          g_printerr ("%s: ", PROGRAM_NAME);
          /* Translators: %1$s is the certificate file, %2$s the key file, %3$s says
           * what is wrong */
          g_printerr (_("The TLS certificate %1$s and key %2$s could not be read: %3$s"),
                      tls_certificate_path, tls_key_path, error->message);
          g_printerr ("\n");
          return EXIT_FAILURE;
        }

      if (!bd_server_check_tls_certificate (tls_certificate, &error))
        {
          g_printerr ("%s: ", PROGRAM_NAME);
          /* Translators: %1$s is the certificate file, %2$s the key file, %3$s says
           * what went wrong */
          g_printerr (_("The TLS certificate %1$s does not work with the key %2$s; is it "
                        "the key that belongs to the certificate? (%3$s)"),
                      tls_certificate_path, tls_key_path, error->message);
          g_printerr ("\n");
          return EXIT_FAILURE;
        }
    }

  if (listen_address == NULL)
    listen_address = g_strdup (DEFAULT_LISTEN);

  if (data_dir == NULL)
    data_dir = g_build_filename (g_get_user_data_dir (), PROGRAM_NAME, NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_printerr ("%s: %s: %s\n", PROGRAM_NAME, data_dir, g_strerror (saved_errno));
      return EXIT_FAILURE;
    }

  db_path = g_build_filename (data_dir, DATABASE_NAME, NULL);
  existed = g_file_test (db_path, G_FILE_TEST_EXISTS);

  store = bd_store_open (db_path, BD_STORE_DURABLE, &error);
  if (store == NULL)
    {
      g_printerr ("%s: %s: %s\n", PROGRAM_NAME, db_path, error->message);
      return EXIT_FAILURE;
    }

  seeded = bd_store_is_seeded (store, &error);
  if (error != NULL)
    {
      g_printerr ("%s: %s: %s\n", PROGRAM_NAME, db_path, error->message);
      return EXIT_FAILURE;
    }

  if (!seeded)
    {
      if (tenant_path == NULL)
        {
          g_printerr ("%s: ", PROGRAM_NAME);
          /* Translators: %s is the data directory */
          g_printerr (_("%s holds no tenant yet: give --tenant-file FILE to seed it"),
                      data_dir);
          g_printerr ("\n");
        }
      else if (!seed_store (store, tenant_path, now, &error))
        {
          /* A file error names the file itself; a bad tenant names the key
           * path: "subscriptions[2].quantity: ...".
           */
          if (error->domain == G_FILE_ERROR)
            g_printerr ("%s: %s\n", PROGRAM_NAME, error->message);
          else
            g_printerr ("%s: %s: %s\n", PROGRAM_NAME, tenant_path, error->message);
        }

      if (tenant_path == NULL || error != NULL)
        {
          /* Nothing half-loaded: a database this start created goes again. */
          g_clear_object (&store);
          if (!existed)
            remove_database (db_path);
          return EXIT_FAILURE;
        }
    }
  else if (tenant_path != NULL)
    {
      g_printerr ("%s: ", PROGRAM_NAME);
      /* Translators: %1$s is the data directory, %2$s the tenant file */
      g_printerr (_("%1$s holds a tenant already; %2$s is ignored"), data_dir, tenant_path);
      g_printerr ("\n");
    }

  api = bd_api_new (store);
  if (now_text != NULL)
    bd_api_set_frozen_now (api, now);

  server = bd_server_new (api);

  if (tls_certificate != NULL)
    bd_server_set_tls_certificate (server, tls_certificate);

  /* Before the line on stdout: whoever reads it may send SIGTERM at once. */
  loop = g_main_loop_new (NULL, FALSE);
  service.loop = loop;
  service.server = server;
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, &service);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, &service);

  if (!bd_server_listen (server, listen_address, &error))
    {
      g_source_remove (sigterm_id);
      g_source_remove (sigint_id);

      /* A bad or remote --listen is a usage error; a port in use is not. */
      if (g_error_matches (error, BD_SERVER_ERROR, BD_SERVER_ERROR_NOT_LOOPBACK))
        {
          /* Translators: %s is an address such as 0.0.0.0:8421 */
          g_autofree char *message = g_strdup_printf (_("Refusing to listen on %s without "
                                                        "TLS: plain HTTP would carry the "
                                                        "tokens in the clear. Give "
                                                        "--tls-certificate FILE and --tls-key "
                                                        "FILE, or listen on a loopback "
                                                        "address such as 127.0.0.1"),
                                                      listen_address);

          return usage_error (message);
        }
      if (error->domain == BD_SERVER_ERROR)
        return usage_error (error->message);

      g_printerr ("%s: %s\n", PROGRAM_NAME, error->message);
      return EXIT_FAILURE;
    }

  /* The one line on stdout: whoever started the service waits for it. */
  url = bd_server_get_url (server);
  g_print ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_clear_handle_id (&service.poll_id, g_source_remove);

  return EXIT_SUCCESS;
}
