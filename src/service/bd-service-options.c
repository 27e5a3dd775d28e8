/* bd-service-options.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-service-options"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-service-options.h"
#include "bd-store.h"
#include "bd-time.h"

#define DEFAULT_LISTEN "127.0.0.1:8421"
#define NOW_ENV        "BILLING_DESK_NOW"
#define DATABASE_ENV   "BILLING_DESK_DATABASE"

/*
 * Helpers
 */

/* The options of the server: @options keeps what they give, @now_text
 * what --now gives, and --version sets @version.
 */
static GOptionContext *
new_serve_context (BdServiceOptions  *options,
                   char             **now_text,
                   gboolean          *version)
{
  GOptionContext *context;
  /* N_(): GOptionContext translates them in the domain set below. */
  GOptionEntry entries[] = {
    { "listen", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &options->listen_address,
      N_("Listen on ADDRESS, an IP address and a port (default: 127.0.0.1:8421; "
         "port 0 picks a free port); without TLS only a loopback address"),
      N_("ADDRESS") },
    { "tls-certificate", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME,
      &options->tls_certificate_path,
      N_("Serve HTTPS with the PEM certificate (and its chain) in FILE; "
         "needs --tls-key, and allows a --listen address that is not a loopback address"),
      N_("FILE") },
    { "tls-key", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &options->tls_key_path,
      N_("The PEM private key of the --tls-certificate, in FILE"),
      N_("FILE") },
    { "database", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &options->database,
      N_("Keep the data in the database at LOCATION: sqlite:PATH or "
         "postgresql://USER@HOST:PORT/DBNAME, its password in PGPASSWORD or ~/.pgpass "
         "(also BILLING_DESK_DATABASE)"),
      N_("LOCATION") },
    { "data-dir", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &options->data_dir,
      N_("Keep the database in DIR (default: $XDG_DATA_HOME/billing-desk-service)"),
      N_("DIR") },
    { "tenant-file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &options->tenant_path,
      N_("Seed a new database with the tenant in FILE; "
         "a database that holds a tenant already keeps it"),
      N_("FILE") },
    { "now", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, now_text,
      N_("Freeze the service’s clock at TIME, in RFC 3339 such as 2026-11-03T00:00:00Z "
         "(for tests; also BILLING_DESK_NOW)"),
      N_("TIME") },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, version,
      N_("Print the version and exit"),
      NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Serves the Billing Desk HTTP API for one tenant, "
                                  "kept in an SQLite or PostgreSQL database: plain HTTP "
                                  "on a loopback address, or HTTPS anywhere with "
                                  "--tls-certificate and --tls-key."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return context;
}

/* The clock: --now wins over the environment; without either, the real
 * time in whole seconds.
 *
 * Returns: (transfer full) (nullable): what is wrong, or %NULL
 */
static char *
read_clock (BdServiceOptions *options,
            const char       *now_option)
{
  const char *now_text = now_option;
  const char *now_source = "--now";

  if (now_text == NULL)
    {
      now_text = g_getenv (NOW_ENV);
      now_source = NOW_ENV;
    }

  if (now_text == NULL)
    {
      options->now = g_get_real_time () / G_USEC_PER_SEC;
      return NULL;
    }

  if (!bd_time_parse_rfc3339 (now_text, &options->now))
    /* Translators: the first %s is --now or BILLING_DESK_NOW, the second its value */
    return g_strdup_printf (_("%1$s: “%2$s” is not an RFC 3339 time "
                              "such as 2026-11-03T00:00:00Z"),
                            now_source, now_text);

  options->now_frozen = TRUE;
  return NULL;
}

/* The database: --database, else BILLING_DESK_DATABASE when --data-dir is
 * not given either; a location that names no store, or a URI that carries
 * a password, is a bad command line (docs/design.md section 6). Returns
 * the message of a usage error, or %NULL.
 */
static char *
read_database (BdServiceOptions *options)
{
  const char *source = "--database";
  g_autoptr(GError) error = NULL;

  if (options->database != NULL && options->data_dir != NULL)
    return g_strdup (_("Give --database LOCATION or --data-dir DIR, not both"));

  if (options->database == NULL && options->data_dir == NULL)
    {
      options->database = g_strdup (g_getenv (DATABASE_ENV));
      source = DATABASE_ENV;
    }

  if (options->database == NULL || bd_store_check_location (options->database, &error))
    return NULL;

  return g_strdup_printf ("%s: %s", source, error->message);
}

/* The options of the server, checked, and their defaults.
 *
 * Returns: (transfer full) (nullable): what is wrong, or %NULL
 */
static char *
check_serve_options (BdServiceOptions *options,
                     const char       *now_text)
{
  char *message;

  message = read_clock (options, now_text);
  if (message != NULL)
    return message;

  /* The files themselves are read when the server starts, before anything
   * else (bd_service_serve ()).
   */
  if ((options->tls_certificate_path == NULL) != (options->tls_key_path == NULL))
    return g_strdup (_("Give both --tls-certificate FILE and --tls-key FILE, or neither"));

  if (options->listen_address == NULL)
    options->listen_address = g_strdup (DEFAULT_LISTEN);

  message = read_database (options);
  if (message != NULL)
    return message;

  if (options->data_dir == NULL && options->database == NULL)
    options->data_dir = g_build_filename (g_get_user_data_dir (), BD_SERVICE_PROGRAM_NAME,
                                          NULL);

  return NULL;
}

/*
 * Public API
 */

/**
 * bd_service_options_parse:
 * @argc: the number of arguments in @argv
 * @argv: main ()'s arguments; parsing reorders them
 *
 * Reads the command line and the environment (BILLING_DESK_NOW) and
 * checks them. --help prints the help and exits the process with 0, as
 * GOption does.
 *
 * Returns: (transfer full) (nullable): the options, or %NULL after a
 *   message on stderr for a bad command line: exit with
 *   %BD_SERVICE_EXIT_USAGE then
 */
BdServiceOptions *
bd_service_options_parse (int    argc,
                          char **argv)
{
  g_autoptr(BdServiceOptions) options = g_new0 (BdServiceOptions, 1);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *message = NULL;
  gboolean version = FALSE;

  /* The one command so far is the server, and argv[1] is an error. More
   * commands (managing the database the server serves: its users, their
   * tokens) would be told apart here, by argv[1], each with a context of
   * its own.
   */
  options->command = BD_SERVICE_COMMAND_SERVE;
  context = new_serve_context (options, &now_text, &version);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      bd_service_options_usage_error (error->message);
      return NULL;
    }

  if (argc > 1)
    /* Translators: %s is the first argument that was not expected */
    message = g_strdup_printf (_("Unexpected argument “%s”"), argv[1]);
  else if (version)
    options->command = BD_SERVICE_COMMAND_VERSION;
  else
    message = check_serve_options (options, now_text);

  if (message != NULL)
    {
      bd_service_options_usage_error (message);
      return NULL;
    }

  return g_steal_pointer (&options);
}

/**
 * bd_service_options_usage_error:
 * @message: what is wrong with the command line
 *
 * Prints @message, and where to find help, the way every bad command line
 * is answered.
 *
 * Returns: %BD_SERVICE_EXIT_USAGE, the exit status of a bad command line
 */
int
bd_service_options_usage_error (const char *message)
{
  g_return_val_if_fail (message != NULL, BD_SERVICE_EXIT_USAGE);

  g_printerr ("%s: %s\n", BD_SERVICE_PROGRAM_NAME, message);
  /* Translators: %s is the program name, billing-desk-service */
  g_printerr (_("Try “%s --help” for more information."), BD_SERVICE_PROGRAM_NAME);
  g_printerr ("\n");

  return BD_SERVICE_EXIT_USAGE;
}

void
bd_service_options_free (BdServiceOptions *options)
{
  if (options == NULL)
    return;

  g_free (options->listen_address);
  g_free (options->database);
  g_free (options->data_dir);
  g_free (options->tenant_path);
  g_free (options->tls_certificate_path);
  g_free (options->tls_key_path);
  g_free (options);
}
