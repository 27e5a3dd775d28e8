/* bd-service-options.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-service-options"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bd-core.h"
#include "bd-service-options.h"
#include "bd-store.h"

#define DEFAULT_LISTEN "127.0.0.1:8421"
#define NOW_ENV        "BILLING_DESK_NOW"
#define DATABASE_ENV   "BILLING_DESK_DATABASE"

/* --database, which the server and the commands take alike. */
#define DATABASE_ENTRY(options) \
  { "database", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &(options)->database, \
    N_("Keep the data in the database at LOCATION: sqlite:PATH or " \
       "postgresql://USER@HOST:PORT/DBNAME, its password in PGPASSWORD or ~/.pgpass " \
       "(also BILLING_DESK_DATABASE)"), \
    N_("LOCATION") }

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
    { "trust-forwarded", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &options->trust_forwarded,
      N_("Build the links between pages from X-Forwarded-Proto and X-Forwarded-Host, as a "
         "proxy in front of the service sets them (else from Host)"),
      NULL },
    DATABASE_ENTRY (options),
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
  g_option_context_set_description (context,
                                    _("Commands: serve (the default, these options), "
                                      "users (list, add, set-roles, disable, enable) and "
                                      "tokens (create, list, revoke), which manage who may "
                                      "use the service; “billing-desk-service users list "
                                      "--help” shows a command’s options."));
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
 * The users and tokens commands
 */

/* The options a command takes, besides --data-dir and --now. */
typedef enum
{
  TAKES_NAME       = 1 << 0,
  TAKES_ROLE       = 1 << 1,
  TAKES_USER       = 1 << 2,
  TAKES_EXPIRES_IN = 1 << 3,
} Takes;

typedef struct
{
  const char       *group;
  const char       *action;
  BdServiceCommand  command;
  const char       *argument;  /* the one argument it needs, or NULL */
  Takes             takes;
  Takes             needs;     /* of @takes, the options it cannot do without */
} CommandSpec;

static const CommandSpec command_specs[] = {
  { "users", "list", BD_SERVICE_COMMAND_USERS_LIST, NULL, 0, 0 },
  { "users", "add", BD_SERVICE_COMMAND_USERS_ADD, "ID", TAKES_NAME | TAKES_ROLE,
    TAKES_NAME | TAKES_ROLE },
  { "users", "set-roles", BD_SERVICE_COMMAND_USERS_SET_ROLES, "ID", TAKES_ROLE, TAKES_ROLE },
  { "users", "disable", BD_SERVICE_COMMAND_USERS_DISABLE, "ID", 0, 0 },
  { "users", "enable", BD_SERVICE_COMMAND_USERS_ENABLE, "ID", 0, 0 },
  { "tokens", "create", BD_SERVICE_COMMAND_TOKENS_CREATE, NULL,
    TAKES_USER | TAKES_NAME | TAKES_EXPIRES_IN, TAKES_USER },
  { "tokens", "list", BD_SERVICE_COMMAND_TOKENS_LIST, NULL, TAKES_USER, 0 },
  { "tokens", "revoke", BD_SERVICE_COMMAND_TOKENS_REVOKE, "TOKEN-ID", 0, 0 },
};

/* What the command line gave, before it is checked. */
typedef struct
{
  char  *now;
  char **roles;
  char  *expires_in;
} CommandText;

static void
command_text_clear (CommandText *text)
{
  g_free (text->now);
  g_strfreev (text->roles);
  g_free (text->expires_in);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CommandText, command_text_clear)

static const CommandSpec *
find_command_spec (const char *group,
                   const char *action)
{
  for (gsize i = 0; i < G_N_ELEMENTS (command_specs); i++)
    {
      if (g_strcmp0 (command_specs[i].group, group) == 0 &&
          g_strcmp0 (command_specs[i].action, action) == 0)
        return &command_specs[i];
    }

  return NULL;
}

static GOptionContext *
new_command_context (const CommandSpec *spec,
                     BdServiceOptions  *options,
                     CommandText       *text)
{
  GOptionEntry all[] = {
    DATABASE_ENTRY (options),
    { "data-dir", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &options->data_dir,
      N_("Keep the database in DIR (default: $XDG_DATA_HOME/billing-desk-service)"),
      N_("DIR") },
    { "now", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &text->now,
      N_("Take TIME, in RFC 3339, for the time now (for tests; also BILLING_DESK_NOW)"),
      N_("TIME") },
    { "name", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &options->name,
      N_("The user’s name, or the token’s label"), N_("NAME") },
    { "role", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &text->roles,
      N_("A role: globalAdmin, billingAdmin, globalReader or user (repeat for more)"),
      N_("ROLE") },
    { "user", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &options->user_id,
      N_("The user whose token it is"), N_("ID") },
    { "expires-in", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &text->expires_in,
      N_("Let the token expire after DURATION: a number and s, m, h or d, such as 90d"),
      N_("DURATION") },
  };
  const Takes entry_takes[] = {
    0, 0, 0, TAKES_NAME, TAKES_ROLE, TAKES_USER, TAKES_EXPIRES_IN
  };
  g_autofree char *parameter = NULL;
  GOptionEntry entries[G_N_ELEMENTS (all) + 1] = { { NULL } };
  GOptionContext *context;
  guint n = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (all) == G_N_ELEMENTS (entry_takes));
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      if (entry_takes[i] == 0 || (spec->takes & entry_takes[i]) != 0)
        entries[n++] = all[i];
    }

  parameter = g_strjoin (" ", spec->group, spec->action, spec->argument, NULL);
  context = g_option_context_new (parameter);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return context;
}

/* DURATION: a whole number of seconds, minutes, hours or days, at least 1. */
static gboolean
parse_duration (const char *text,
                gint64     *seconds)
{
  static const struct { char unit; gint64 seconds; } units[] = {
    { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
  };
  gsize length = strlen (text);
  guint64 number;

  if (length < 2 || length > 10 || !g_ascii_isdigit (text[0]))
    return FALSE;

  for (gsize i = 0; i + 1 < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }

  number = g_ascii_strtoull (text, NULL, 10);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      if (text[length - 1] == units[i].unit && number > 0)
        {
          *seconds = (gint64) number * units[i].seconds;
          return TRUE;
        }
    }

  return FALSE;
}

/* The --role words as a mask; %NULL, or what is wrong. */
static char *
read_roles (char  **words,
            guint  *roles)
{
  *roles = 0;
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      BdRole role;

      if (!bd_role_from_string (words[i], &role) || (*roles & BD_ROLE_MASK (role)) != 0)
        /* Translators: %s is what --role gave; keep the role names as they are */
        return g_strdup_printf (_("--role: “%s” is not one of globalAdmin, billingAdmin, "
                                  "globalReader and user, or it is given twice"), words[i]);

      *roles |= BD_ROLE_MASK (role);
    }

  return NULL;
}

/* Whether @text would break a tab-separated line of `users list` or
 * `tokens list`: a tab, a line break or another control character.
 */
static gboolean
has_control_character (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return TRUE;
    }

  return FALSE;
}

/* The options of a users or tokens command, checked; %NULL, or what is wrong. */
static char *
check_command_options (const CommandSpec *spec,
                       BdServiceOptions  *options,
                       CommandText       *text,
                       int                argc,
                       char             **argv)
{
  char *message;

  if (spec->argument != NULL && argc < 2)
    /* Translators: %s is what the command needs, ID or TOKEN-ID */
    return g_strdup_printf (_("Give the %s"), spec->argument);

  if (argc > (spec->argument != NULL ? 2 : 1))
    return g_strdup_printf (_("Unexpected argument “%s”"), argv[spec->argument != NULL ? 2 : 1]);

  if (spec->argument != NULL && argv[1][0] == '\0')
    return g_strdup_printf (_("Give the %s"), spec->argument);

  options->target = spec->argument != NULL ? g_strdup (argv[1]) : NULL;
  if (has_control_character (options->target) || has_control_character (options->name) ||
      has_control_character (options->user_id))
    return g_strdup (_("An id, a name or a label may not hold a tab, a line break or another "
                       "control character"));

  if ((message = read_clock (options, text->now)) != NULL ||
      (message = read_roles (text->roles, &options->roles)) != NULL)
    return message;

  if ((spec->needs & TAKES_NAME) != 0 && (options->name == NULL || options->name[0] == '\0'))
    return g_strdup (_("Give --name NAME"));
  if ((spec->needs & TAKES_ROLE) != 0 && options->roles == 0)
    return g_strdup (_("Give at least one --role ROLE"));
  if ((spec->needs & TAKES_USER) != 0 && options->user_id == NULL)
    return g_strdup (_("Give --user ID"));

  if (text->expires_in != NULL &&
      (!parse_duration (text->expires_in, &options->expires_in) ||
       options->expires_in > BD_TIME_MAX - options->now))
    /* Translators: %s is what --expires-in gave */
    return g_strdup_printf (_("--expires-in: “%s” is not a duration such as 30s, 15m, 12h "
                              "or 90d"), text->expires_in);

  if ((message = read_database (options)) != NULL)
    return message;

  if (options->data_dir == NULL && options->database == NULL)
    options->data_dir = g_build_filename (g_get_user_data_dir (), BD_SERVICE_PROGRAM_NAME,
                                          NULL);

  return NULL;
}

/* Parses "GROUP ACTION [OPTION...] [ARGUMENT]" from argv[1] on.
 *
 * Returns: (transfer full) (nullable): what is wrong, or %NULL
 */
static char *
parse_command (BdServiceOptions  *options,
               int                argc,
               char             **argv)
{
  const CommandSpec *spec = find_command_spec (argv[1], argc > 2 ? argv[2] : NULL);
  g_auto(CommandText) text = { NULL };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char **rest = NULL;
  int rest_count = argc - 2;

  if (spec == NULL)
    /* Translators: %s is users or tokens; keep the words after the colon */
    return g_strdup_printf (g_strcmp0 (argv[1], "users") == 0
                            ? _("%s: give one of list, add, set-roles, disable and enable")
                            : _("%s: give one of create, list and revoke"), argv[1]);

  /* argv[0], then what follows the action; parsing rearranges the copy. */
  rest = g_new0 (char *, rest_count + 1);
  rest[0] = argv[0];
  for (int i = 3; i < argc; i++)
    rest[i - 2] = argv[i];

  options->command = spec->command;
  context = new_command_context (spec, options, &text);
  if (!g_option_context_parse (context, &rest_count, &rest, &error))
    return g_strdup (error->message);

  return check_command_options (spec, options, &text, rest_count, rest);
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

  /* The commands that manage the database, told apart by argv[1]; the
   * server is the default, or "serve" by name.
   */
  if (argc > 1 && (strcmp (argv[1], "users") == 0 || strcmp (argv[1], "tokens") == 0))
    {
      message = parse_command (options, argc, argv);
      if (message != NULL)
        {
          bd_service_options_usage_error (message);
          return NULL;
        }
      return g_steal_pointer (&options);
    }

  if (argc > 1 && strcmp (argv[1], "serve") == 0)
    {
      argv[1] = argv[0];
      argv++;
      argc--;
    }

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
  g_free (options->target);
  g_free (options->name);
  g_free (options->user_id);
  g_free (options);
}
