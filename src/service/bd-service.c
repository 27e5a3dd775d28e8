/* bd-service.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-service"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bd-api.h"
#include "bd-server.h"
#include "bd-service.h"
#include "bd-store.h"

#define PROGRAM_NAME  BD_SERVICE_PROGRAM_NAME
#define DATABASE_NAME "billing.sqlite"

/* On SIGTERM/SIGINT: how long the requests in flight get, and how often
 * the service looks whether they are done.
 */
#define SHUTDOWN_TIMEOUT_USEC (BD_SERVER_SHUTDOWN_SECONDS * G_USEC_PER_SEC)
#define SHUTDOWN_POLL_MS      20

/* How many times a start waits out another instance's lock on a new
 * database (each wait is the store's bound): a minute on SQLite.
 */
#define SEED_WAIT_ATTEMPTS 12

/* The server while it serves, for the signal handlers. */
typedef struct
{
  GMainLoop *loop;
  BdServer  *server;
  gint64     deadline;  /* monotonic µs; 0 until a signal came */
  guint      poll_id;
} Serving;

/*
 * The store: every call that opens or seeds it is here
 */

/* Opens the database at @location and tells whether it holds a tenant. */
static BdStore *
open_store (const char  *location,
            gboolean    *seeded,
            GError     **error)
{
  g_autoptr(BdStore) store = NULL;
  g_autoptr(GError) local_error = NULL;

  store = bd_store_open (location, BD_STORE_DURABLE, error);
  if (store == NULL)
    return NULL;

  /* FALSE is also the answer on error: only the error tells them apart. */
  *seeded = bd_store_is_seeded (store, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&store);
}

/*
 * Helpers
 */

/* The certificate and key of --tls-certificate and --tls-key, read and
 * tried together; %NULL after a message on stderr.
 */
static GTlsCertificate *
load_tls_certificate (const BdServiceOptions *options)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  certificate = g_tls_certificate_new_from_files (options->tls_certificate_path,
                                                  options->tls_key_path, &error);
  if (certificate == NULL)
    {
      g_printerr ("%s: ", PROGRAM_NAME);
      /* Translators: %1$s is the certificate file, %2$s the key file, %3$s says
       * what is wrong */
      g_printerr (_("The TLS certificate %1$s and key %2$s could not be read: %3$s"),
                  options->tls_certificate_path, options->tls_key_path, error->message);
      g_printerr ("\n");
      return NULL;
    }

  if (!bd_server_check_tls_certificate (certificate, &error))
    {
      g_printerr ("%s: ", PROGRAM_NAME);
      /* Translators: %1$s is the certificate file, %2$s the key file, %3$s says
       * what went wrong */
      g_printerr (_("The TLS certificate %1$s does not work with the key %2$s; is it "
                    "the key that belongs to the certificate? (%3$s)"),
                  options->tls_certificate_path, options->tls_key_path, error->message);
      g_printerr ("\n");
      return NULL;
    }

  return g_steal_pointer (&certificate);
}

/* Reads --tenant-file, all of it; %NULL after a message on stderr (none
 * given, a file that cannot be read, a bad tenant naming its key path:
 * "subscriptions[2].quantity: ...").
 */
static BdTenantFile *
read_tenant_file (const BdServiceOptions *options,
                  const char             *where)
{
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  if (options->tenant_path == NULL)
    {
      g_printerr ("%s: ", PROGRAM_NAME);
      /* Translators: %s is the data directory */
      g_printerr (_("%s holds no tenant yet: give --tenant-file FILE to seed it"), where);
      g_printerr ("\n");
      return NULL;
    }

  if (!g_file_get_contents (options->tenant_path, &text, &length, &error))
    {
      g_printerr ("%s: %s\n", PROGRAM_NAME, error->message);
      return NULL;
    }

  file = bd_tenant_file_read (text, (gssize) length, options->now, &error);
  if (file == NULL)
    {
      g_printerr ("%s: %s: %s\n", PROGRAM_NAME, options->tenant_path, error->message);
      return NULL;
    }

  return g_steal_pointer (&file);
}

/* Where the database is: @location for bd_store_open (), @db_path the
 * SQLite file (%NULL on PostgreSQL), @where what the messages name;
 * %FALSE after a message on stderr.
 */
static gboolean
locate_database (const BdServiceOptions  *options,
                 char                   **location,
                 char                   **db_path,
                 const char             **where)
{
  if (options->database != NULL)
    {
      *location = g_strdup (options->database);
      *where = options->database;
      if (g_str_has_prefix (options->database, "sqlite:"))
        *db_path = g_strdup (options->database + strlen ("sqlite:"));
      return TRUE;
    }

  if (g_mkdir_with_parents (options->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_printerr ("%s: %s: %s\n", PROGRAM_NAME, options->data_dir, g_strerror (saved_errno));
      return FALSE;
    }

  *db_path = g_build_filename (options->data_dir, DATABASE_NAME, NULL);
  /* A location, not a path: a data directory named `sqlite:x` or
   * `postgresql:x` is still a directory. */
  *location = g_strconcat ("sqlite:", *db_path, NULL);
  *where = options->data_dir;
  return TRUE;
}

/* Opens the database and seeds it from @file (read from --tenant-file
 * when it is not read yet and the database holds no tenant).
 *
 * Returns: (transfer full): the store holding a tenant, or %NULL with
 *   @error set, or with neither (after a message on stderr: no or a bad
 *   --tenant-file)
 */
static BdStore *
open_and_seed (const BdServiceOptions  *options,
               const char              *location,
               const char              *where,
               BdTenantFile           **file,
               GError                 **error)
{
  g_autoptr(BdStore) store = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean seeded = FALSE;

  store = open_store (location, &seeded, error);
  if (store == NULL)
    return NULL;

  if (!seeded)
    {
      if (*file == NULL && (*file = read_tenant_file (options, where)) == NULL)
        return NULL;
      if (bd_store_seed (store, *file, &local_error))
        return g_steal_pointer (&store);

      /* Another instance seeded the empty database first (the store's lock
       * let it go first): this one serves what it stored.
       */
      if (!g_error_matches (local_error, BD_STORE_ERROR, BD_STORE_ERROR_SEEDED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  if (options->tenant_path != NULL)
    {
      g_printerr ("%s: ", PROGRAM_NAME);
      /* Translators: %1$s is the data directory, %2$s the tenant file */
      g_printerr (_("%1$s holds a tenant already; %2$s is ignored"),
                  where, options->tenant_path);
      g_printerr ("\n");
    }

  return g_steal_pointer (&store);
}

/* The database of --database or the data directory, holding a tenant, and
 * its @location for the workers' stores; %NULL after a message on stderr.
 *
 * Nothing is removed, ever: an SQLite file another instance started at the
 * same time may have created and seeded (or be seeding) is not this one's
 * to delete. A start that cannot seed (no or a bad --tenant-file) finds out
 * before it creates a file; a seed that failed in the database leaves it
 * without a tenant, and the next start seeds it.
 */
static BdStore *
open_seeded_store (const BdServiceOptions  *options,
                   char                   **location)
{
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  const char *where = NULL;

  if (!locate_database (options, location, &db_path, &where))
    return NULL;

  if (db_path != NULL && !g_file_test (db_path, G_FILE_TEST_EXISTS) &&
      (file = read_tenant_file (options, where)) == NULL)
    return NULL;

  /* Instances started together on one new SQLite file wait for each
   * other's schema and seed, each wait bounded by the busy timeout: the
   * loser waits again rather than fail while the winner is still seeding
   * a large tenant. SQLite also answers "busy" at once, without waiting,
   * while another connection recovers or cleans up the write-ahead log
   * (its WAL documentation says so): hence a short pause, longer each
   * time and a little random, before the next attempt.
   */
  for (guint attempt = 1; attempt <= SEED_WAIT_ATTEMPTS; attempt++)
    {
      BdStore *store;

      g_clear_error (&error);
      store = open_and_seed (options, *location, where, &file, &error);
      if (store != NULL)
        return store;
      if (error == NULL)
        return NULL;
      if (!g_error_matches (error, BD_STORE_ERROR, BD_STORE_ERROR_LOCK_TIMEOUT))
        break;
      g_usleep ((guint64) attempt * g_random_int_range (25, 75) * 1000);
    }

  g_printerr ("%s: %s: %s\n", PROGRAM_NAME, db_path != NULL ? db_path : *location,
              error->message);
  return NULL;
}

/* A bad or remote --listen is a usage error; a port in use is not.
 *
 * Returns: the exit status
 */
static int
report_listen_error (const char   *listen_address,
                     const GError *error)
{
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

      return bd_service_options_usage_error (message);
    }

  if (error->domain == BD_SERVER_ERROR)
    return bd_service_options_usage_error (error->message);

  g_printerr ("%s: %s\n", PROGRAM_NAME, error->message);
  return EXIT_FAILURE;
}

/*
 * Callbacks
 */

static gboolean
on_shutdown_poll_cb (gpointer user_data)
{
  Serving *serving = user_data;
  guint n_in_flight = bd_server_get_n_in_flight (serving->server);

  if (n_in_flight > 0 && g_get_monotonic_time () < serving->deadline)
    return G_SOURCE_CONTINUE;

  if (n_in_flight > 0)
    {
      g_printerr ("%s: ", PROGRAM_NAME);
      g_printerr (g_dngettext (NULL,
                               "%u request still in flight after %u seconds; stopping anyway",
                               "%u requests still in flight after %u seconds; stopping anyway",
                               n_in_flight),
                  n_in_flight, (guint) BD_SERVER_SHUTDOWN_SECONDS);
      g_printerr ("\n");
    }

  serving->poll_id = 0;
  g_main_loop_quit (serving->loop);

  return G_SOURCE_REMOVE;
}

/* The first SIGTERM or SIGINT stops accepting connections and lets the
 * requests in flight finish; a second one stops at once.
 */
static gboolean
on_signal_cb (gpointer user_data)
{
  Serving *serving = user_data;

  if (serving->deadline != 0)
    {
      g_main_loop_quit (serving->loop);
      return G_SOURCE_CONTINUE;
    }

  serving->deadline = g_get_monotonic_time () + SHUTDOWN_TIMEOUT_USEC;
  bd_server_disconnect (serving->server);

  if (on_shutdown_poll_cb (serving) == G_SOURCE_CONTINUE)
    serving->poll_id = g_timeout_add (SHUTDOWN_POLL_MS, on_shutdown_poll_cb, serving);

  return G_SOURCE_CONTINUE;
}

/*
 * Serving
 */

/* Listens on @listen_address, says so on stdout and serves until a signal
 * ends it.
 *
 * Returns: the exit status
 */
static int
serve (BdServer   *server,
       const char *listen_address)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Serving serving = { .loop = loop, .server = server };
  guint sigterm_id;
  guint sigint_id;

  /* Before the line on stdout: whoever reads it may send SIGTERM at once. */
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, &serving);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, &serving);

  if (!bd_server_listen (server, listen_address, &error))
    {
      g_source_remove (sigterm_id);
      g_source_remove (sigint_id);
      return report_listen_error (listen_address, error);
    }

  /* The one line on stdout: whoever started the service waits for it. */
  url = bd_server_get_url (server);
  g_print ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_clear_handle_id (&serving.poll_id, g_source_remove);

  return EXIT_SUCCESS;
}

/*
 * Public API
 */

/**
 * bd_service_serve:
 * @options: the checked command line of the server
 *
 * Runs the service until SIGTERM or SIGINT: the TLS certificate first, so
 * that bad files leave no database behind; then the store, seeded from
 * --tenant-file when it is new; then the server on --listen, announced by
 * the one "listening on URL" line on stdout. Every failure is said on
 * stderr.
 *
 * Returns: the exit status: 0 after a signal, 2 for a bad --listen, 1 for
 *   any other failure
 */
int
bd_service_serve (const BdServiceOptions *options)
{
  g_autoptr(GTlsCertificate) tls_certificate = NULL;
  g_autoptr(BdStore) store = NULL;
  g_autoptr(BdApi) api = NULL;
  g_autoptr(BdServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  g_return_val_if_fail (options != NULL, EXIT_FAILURE);
  g_return_val_if_fail (options->command == BD_SERVICE_COMMAND_SERVE, EXIT_FAILURE);

  if (options->tls_certificate_path != NULL)
    {
      tls_certificate = load_tls_certificate (options);
      if (tls_certificate == NULL)
        return EXIT_FAILURE;
    }

  store = open_seeded_store (options, &location);
  if (store == NULL)
    return EXIT_FAILURE;

  api = bd_api_new (store);
  if (options->now_frozen)
    bd_api_set_frozen_now (api, options->now);
  bd_api_set_trust_forwarded (api, options->trust_forwarded);

  server = bd_server_new (api);
  if (tls_certificate != NULL)
    bd_server_set_tls_certificate (server, tls_certificate);

  /* The store above seeded the database; each worker answers on one of
   * its own.
   */
  if (!bd_server_start_workers (server, location, BD_STORE_DURABLE, BD_SERVER_N_WORKERS,
                                &error))
    {
      g_printerr ("%s: %s: %s\n", PROGRAM_NAME, location, error->message);
      return EXIT_FAILURE;
    }

  return serve (server, options->listen_address);
}
