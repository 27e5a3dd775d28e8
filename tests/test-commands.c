/* test-commands.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The users and tokens commands of the real billing-desk-service binary,
 * and what they change for a running service (docs/design.md, "Users and
 * tokens").
 */

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "bd-test-child.h"
#include "bd-test-utils.h"

#define NOW "2026-11-03T00:00:00Z"

#define ANNE_TOKEN "demo-anne-7f3a"

/* Anne with a tenant file's token, Bo without one. */
static const char tenant_file[] =
  "{\n"
  "  \"tenant\": {\"displayName\": \"Contoso A/S\", \"cloud\": \"worldwide\",\n"
  "             \"currency\": \"DKK\"},\n"
  "  \"users\": [{\"id\": \"u1\", \"displayName\": \"Anne Berg\", \"roles\": [\"globalAdmin\"],\n"
  "              \"token\": \"" ANNE_TOKEN "\"},\n"
  "            {\"id\": \"u2\", \"displayName\": \"Bo Holm\", \"roles\": [\"globalReader\"]}],\n"
  "  \"billingProfiles\": [],\n"
  "  \"domains\": [],\n"
  "  \"subscriptions\": []\n"
  "}\n";

typedef struct
{
  char       *dir;
  char       *data_dir;
  /* the database the commands name: --data-dir DIR, or --database with a
   * PostgreSQL database (bd_test_database_new ()) in the -pg run */
  const char *option;
  char       *location;
} Fixture;

/* What one run of a command gave. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs billing-desk-service with @args (NULL-terminated) to its end. */
static void
run_service (Run                *run,
             const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;

  g_strv_builder_add (builder, g_getenv ("BD_SERVICE_PATH"));
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "BILLING_DESK_NOW");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d, stdout «%s», stderr «%s»", run->status, run->out, run->err);
}

/* Runs a command on the fixture's database: @args, then --data-dir or --database. */
#define RUN(run, f, ...) \
  run_service ((run), (const char * const []) { __VA_ARGS__, (f)->option, (f)->location, NULL })

static void
assert_ok (Run *run)
{
  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (run->err, ==, "");
}

/* A failure: @status, a message on stderr holding @message, nothing on stdout. */
static void
assert_failed (Run        *run,
               int         status,
               const char *message)
{
  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "billing-desk-service: "));
  g_assert_nonnull (strstr (run->err, message));
}

/* Starts the service on the data directory, its clock at @now. */
static BdTestChild *
start_service (Fixture    *f,
               const char *now)
{
  g_autofree char *tenant_path = g_build_filename (f->dir, "tenant.json", NULL);
  const char * const args[] = {
    f->option, f->location, "--tenant-file", tenant_path,
    "--listen", "127.0.0.1:0", "--now", now, NULL
  };
  BdTestChild *child = bd_test_child_spawn (args, (const char * const []) {
                                              "BILLING_DESK_NOW", NULL });

  bd_test_child_wait_listening (child, "http://127\\.0\\.0\\.1:[0-9]+");
  return child;
}

static void
stop_service (BdTestChild *child)
{
  g_autofree char *stderr_text = NULL;

  g_assert_cmpint (bd_test_child_finish (child, TRUE, &stderr_text), ==, 0);
  bd_test_child_free (child);
}

/* GET /v1/me with @token: the status. */
static guint
get_me (BdTestChild *child,
        const char  *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strconcat (child->url, "/v1/me", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

  soup_session_set_proxy_resolver (session, NULL);
  msg = soup_message_new ("GET", uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  if (soup_message_get_status (msg) == 401)
    g_assert_true (bd_test_bytes_contain (g_bytes_get_data (body, NULL),
                                          g_bytes_get_size (body), "\"unauthenticated\""));

  return soup_message_get_status (msg);
}

/* tokens create: the one line on stdout, checked; the token without its newline. */
static char *
create_token (Fixture            *f,
              const char * const *more)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_auto(Run) run = { 0 };
  g_autoptr(GRegex) format = g_regex_new ("^bdt_[A-Za-z0-9_-]{43}\n$", 0, 0, NULL);

  g_strv_builder_add_many (builder, "tokens", "create", NULL);
  g_strv_builder_addv (builder, (const char **) more);
  g_strv_builder_add_many (builder, f->option, f->location, NULL);
  args = g_strv_builder_end (builder);

  run_service (&run, (const char * const *) args);
  assert_ok (&run);
  g_assert_true (g_regex_match (format, run.out, 0, NULL));

  return g_strndup (run.out, strlen (run.out) - 1);
}

/* The line of `tokens list` for the token of @user labelled @label. */
static char *
find_token_line (Fixture    *f,
                 const char *user,
                 const char *label)
{
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autofree char *start = g_strdup_printf ("\t%s\t%s\t", user, label);

  RUN (&run, f, "tokens", "list");
  assert_ok (&run);

  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], start) != NULL)
        return g_strdup (lines[i]);
    }

  return NULL;
}

static char *
token_id_of (const char *line)
{
  return g_strndup (line, strcspn (line, "\t"));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tenant_path = NULL;
  BdTestChild *child;

  f->dir = g_dir_make_tmp ("bd-test-commands-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->option = bd_test_database_is_postgresql () ? "--database" : "--data-dir";
  f->location = bd_test_database_new (f->data_dir);
  tenant_path = g_build_filename (f->dir, "tenant.json", NULL);
  g_file_set_contents (tenant_path, tenant_file, -1, &error);
  g_assert_no_error (error);

  /* Seeded by the service, as an administrator would. */
  child = start_service (f, NOW);
  stop_service (child);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  bd_test_remove_tree (f->dir);
  bd_test_database_drop (f->location);
  g_free (f->location);
  g_free (f->dir);
  g_free (f->data_dir);
}

/*
 * Tests
 */

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Run) list = { 0 };
  g_auto(Run) add = { 0 };
  g_auto(Run) set = { 0 };
  g_auto(Run) disable = { 0 };
  g_auto(Run) again = { 0 };

  RUN (&list, f, "users", "list");
  assert_ok (&list);
  g_assert_cmpstr (list.out, ==,
                   "u1\tAnne Berg\tglobalAdmin\tenabled\n"
                   "u2\tBo Holm\tglobalReader\tenabled\n");

  RUN (&add, f, "users", "add", "u3", "--name", "Cecilie Dam", "--role", "user",
       "--role", "billingAdmin");
  assert_ok (&add);
  g_assert_cmpstr (add.out, ==, "");

  RUN (&set, f, "users", "set-roles", "u2", "--role", "globalAdmin", "--role", "globalReader");
  assert_ok (&set);
  RUN (&disable, f, "users", "disable", "u1");
  assert_ok (&disable);

  RUN (&again, f, "users", "list");
  assert_ok (&again);
  g_assert_cmpstr (again.out, ==,
                   "u1\tAnne Berg\tglobalAdmin\tdisabled\n"
                   "u2\tBo Holm\tglobalAdmin,globalReader\tenabled\n"
                   "u3\tCecilie Dam\tbillingAdmin,user\tenabled\n");
}

/* A new token works at once against a running service; the list never
 * shows it; revoked, it is refused from the next request on.
 */
static void
test_create_and_revoke (Fixture       *f,
                        gconstpointer  data)
{
  BdTestChild *child = start_service (f, NOW);
  g_autofree char *token = NULL;
  g_autofree char *line = NULL;
  g_autofree char *used = NULL;
  g_autofree char *id = NULL;
  g_autofree char *anne = NULL;
  g_auto(Run) list = { 0 };
  g_auto(Run) revoke = { 0 };

  g_assert_cmpuint (get_me (child, ANNE_TOKEN), ==, 200);

  token = create_token (f, (const char * const []) { "--user", "u2", "--name", "laptop",
                                                     "--now", NOW, NULL });
  g_assert_cmpuint (get_me (child, token), ==, 200);

  RUN (&list, f, "tokens", "list");
  assert_ok (&list);
  g_assert_null (strstr (list.out, token));
  g_assert_null (strstr (list.out, ANNE_TOKEN));
  g_assert_null (strstr (list.out, token + strlen ("bdt_")));

  /* Its use is kept, to the minute of the service's clock. */
  line = find_token_line (f, "u2", "laptop");
  g_assert_nonnull (line);
  id = token_id_of (line);
  used = g_strdup_printf ("%s\tu2\tlaptop\t%s\tnever\t%s\tactive", id, NOW, NOW);
  g_assert_cmpstr (line, ==, used);
  anne = find_token_line (f, "u1", "tenant file");
  g_assert_nonnull (anne);

  RUN (&revoke, f, "tokens", "revoke", id);
  assert_ok (&revoke);
  g_assert_cmpstr (revoke.out, ==, "");
  g_assert_cmpuint (get_me (child, token), ==, 401);
  g_assert_cmpuint (get_me (child, ANNE_TOKEN), ==, 200);

  g_clear_pointer (&line, g_free);
  line = find_token_line (f, "u2", "laptop");
  g_assert_true (g_str_has_suffix (line, "\trevoked"));

  stop_service (child);
}

/* --expires-in 1m: the token works until the minute is over. */
static void
test_expiry (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *token = NULL;
  g_autofree char *line = NULL;
  BdTestChild *child;

  token = create_token (f, (const char * const []) { "--user", "u2", "--expires-in", "1m",
                                                     "--now", NOW, NULL });
  line = find_token_line (f, "u2", "");
  g_assert_nonnull (strstr (line, "\t" NOW "\t2026-11-03T00:01:00Z\tnever\tactive"));

  child = start_service (f, "2026-11-03T00:00:59Z");
  g_assert_cmpuint (get_me (child, token), ==, 200);
  stop_service (child);

  child = start_service (f, "2026-11-03T00:01:00Z");
  g_assert_cmpuint (get_me (child, token), ==, 401);
  g_assert_cmpuint (get_me (child, ANNE_TOKEN), ==, 200);
  stop_service (child);
}

/* A disabled user's tokens, all of them, stop working at once; enabled
 * again, they work.
 */
static void
test_disable_enable (Fixture       *f,
                     gconstpointer  data)
{
  BdTestChild *child = start_service (f, NOW);
  g_autofree char *token = NULL;
  g_auto(Run) disable = { 0 };
  g_auto(Run) enable = { 0 };

  token = create_token (f, (const char * const []) { "--user", "u1", NULL });
  g_assert_cmpuint (get_me (child, token), ==, 200);
  g_assert_cmpuint (get_me (child, ANNE_TOKEN), ==, 200);

  RUN (&disable, f, "users", "disable", "u1");
  assert_ok (&disable);
  g_assert_cmpuint (get_me (child, token), ==, 401);
  g_assert_cmpuint (get_me (child, ANNE_TOKEN), ==, 401);

  RUN (&enable, f, "users", "enable", "u1");
  assert_ok (&enable);
  g_assert_cmpuint (get_me (child, token), ==, 200);
  g_assert_cmpuint (get_me (child, ANNE_TOKEN), ==, 200);

  stop_service (child);
}

/* Bad command lines: exit status 2, a message, nothing on stdout. */
typedef struct
{
  const char *name;
  const char *args[10];
  const char *message;
} BadCase;

static const BadCase bad_cases[] = {
  { "users without an action", { "users", NULL }, "give one of list, add" },
  { "unknown users action", { "users", "remove", "u1", NULL }, "give one of list, add" },
  { "unknown tokens action", { "tokens", "delete", NULL }, "give one of create, list" },
  { "users list with an argument", { "users", "list", "u1", NULL }, "Unexpected argument" },
  { "users add without an id", { "users", "add", "--name", "X", "--role", "user", NULL },
    "Give the ID" },
  { "users add without a name", { "users", "add", "u9", "--role", "user", NULL },
    "Give --name NAME" },
  { "users add without a role", { "users", "add", "u9", "--name", "X", NULL },
    "Give at least one --role" },
  { "users add with an unknown role", { "users", "add", "u9", "--name", "X", "--role", "boss",
    NULL }, "“boss” is not one of" },
  { "users add with a role twice", { "users", "add", "u9", "--name", "X", "--role", "user",
    "--role", "user", NULL }, "given twice" },
  { "users set-roles without a role", { "users", "set-roles", "u1", NULL },
    "Give at least one --role" },
  { "users disable without an id", { "users", "disable", NULL }, "Give the ID" },
  { "users enable with two ids", { "users", "enable", "u1", "u2", NULL },
    "Unexpected argument “u2”" },
  { "users list with --user", { "users", "list", "--user", "u1", NULL }, "--user" },
  { "tokens create without --user", { "tokens", "create", NULL }, "Give --user ID" },
  { "tokens create with a bad duration", { "tokens", "create", "--user", "u1",
    "--expires-in", "10", NULL }, "not a duration" },
  { "tokens create with a unit unknown", { "tokens", "create", "--user", "u1",
    "--expires-in", "1w", NULL }, "not a duration" },
  { "tokens create with zero", { "tokens", "create", "--user", "u1",
    "--expires-in", "0d", NULL }, "not a duration" },
  { "tokens create past the year 9999", { "tokens", "create", "--user", "u1",
    "--expires-in", "9999999d", NULL }, "not a duration" },
  { "tokens create with a bad --now", { "tokens", "create", "--user", "u1", "--now",
    "yesterday", NULL }, "not an RFC 3339 time" },
  { "tokens list with a role", { "tokens", "list", "--role", "user", NULL }, "--role" },
  { "tokens revoke without an id", { "tokens", "revoke", NULL }, "Give the TOKEN-ID" },
  { "users add with an empty id", { "users", "add", "", "--name", "X", "--role", "user", NULL },
    "Give the ID" },
  { "users add with a tab in the name", { "users", "add", "u9", "--name", "Dora\tDahl",
    "--role", "user", NULL }, "control character" },
  { "users disable with a line break in the id", { "users", "disable", "u1\nu2", NULL },
    "control character" },
  { "tokens create with a tab in the label", { "tokens", "create", "--user", "u1", "--name",
    "a\tb", NULL }, "control character" },
  { "tokens revoke with --name", { "tokens", "revoke", "abc", "--name", "x", NULL },
    "--name" },
};

static void
test_bad_command_line (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_auto(Run) run = { 0 };

  g_strv_builder_addv (builder, (const char **) c->args);
  g_strv_builder_add_many (builder, "--data-dir", "/nonexistent", NULL);
  args = g_strv_builder_end (builder);

  run_service (&run, (const char * const *) args);
  assert_failed (&run, 2, c->message);
}

/* Every other failure: exit status 1, a message, nothing on stdout; and
 * nothing changed.
 */
static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Run) exists = { 0 };
  g_auto(Run) set_roles = { 0 };
  g_auto(Run) disable = { 0 };
  g_auto(Run) enable = { 0 };
  g_auto(Run) create = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) revoke = { 0 };
  g_auto(Run) nowhere = { 0 };
  g_auto(Run) users = { 0 };
  g_auto(Run) tokens = { 0 };
  g_autofree char *missing = g_build_filename (f->dir, "missing", NULL);

  RUN (&exists, f, "users", "add", "u1", "--name", "Anne", "--role", "user");
  assert_failed (&exists, 1, "There is a user “u1” already");
  RUN (&set_roles, f, "users", "set-roles", "ghost", "--role", "user");
  assert_failed (&set_roles, 1, "There is no user “ghost”");
  RUN (&disable, f, "users", "disable", "ghost");
  assert_failed (&disable, 1, "There is no user “ghost”");
  RUN (&enable, f, "users", "enable", "ghost");
  assert_failed (&enable, 1, "There is no user “ghost”");
  RUN (&create, f, "tokens", "create", "--user", "ghost");
  assert_failed (&create, 1, "There is no user “ghost”");
  RUN (&list, f, "tokens", "list", "--user", "ghost");
  assert_failed (&list, 1, "There is no user “ghost”");
  RUN (&revoke, f, "tokens", "revoke", "0123456789ab");
  assert_failed (&revoke, 1, "There is no token “0123456789ab”");

  /* A data directory without a database: none is made. */
  run_service (&nowhere, (const char * const []) { "users", "list", "--data-dir", missing,
                                                   NULL });
  assert_failed (&nowhere, 1, "holds no billing database");
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  RUN (&users, f, "users", "list");
  assert_ok (&users);
  g_assert_cmpstr (users.out, ==,
                   "u1\tAnne Berg\tglobalAdmin\tenabled\n"
                   "u2\tBo Holm\tglobalReader\tenabled\n");
  RUN (&tokens, f, "tokens", "list");
  assert_ok (&tokens);
  /* Anne's token from the tenant file, alone. */
  g_assert_true (g_str_has_suffix (tokens.out, "\tnever\tnever\tactive\n"));
  g_assert_true (strchr (tokens.out, '\n') == tokens.out + strlen (tokens.out) - 1);
}

/* Every users and tokens command, with what it needs besides the database. */
static const char * const database_commands[][8] = {
  { "users", "list", NULL },
  { "users", "add", "u9", "--name", "Dora Dahl", "--role", "user", NULL },
  { "users", "set-roles", "u1", "--role", "user", NULL },
  { "users", "disable", "u1", NULL },
  { "users", "enable", "u1", NULL },
  { "tokens", "create", "--user", "u1", NULL },
  { "tokens", "list", NULL },
  { "tokens", "revoke", "0123456789ab", NULL },
};

/* A database nobody answers for (port 1 on loopback) is exit status 1 for
 * every command, with a message and nothing on stdout; a URI with a
 * password, given as --database or in BILLING_DESK_DATABASE, is a bad
 * command line (2) that points to PGPASSWORD and ~/.pgpass, and the
 * password shows nowhere.
 */
static void
test_database_failures (void)
{
  const char *unreachable = "postgresql://billing@127.0.0.1:1/billing?connect_timeout=5";
  const char *password = "postgresql://billing:secret@127.0.0.1:1/billing";

  for (guint i = 0; i < G_N_ELEMENTS (database_commands); i++)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) command = NULL;
      g_auto(GStrv) with_unreachable = NULL;
      g_auto(GStrv) with_password = NULL;
      g_auto(Run) refused = { 0 };
      g_auto(Run) bad_uri = { 0 };
      g_auto(Run) bad_env = { 0 };

      g_strv_builder_addv (builder, (const char **) database_commands[i]);
      command = g_strv_builder_end (builder);
      g_test_message ("%s %s", command[0], command[1]);

      g_strv_builder_addv (builder, (const char **) command);
      g_strv_builder_add_many (builder, "--database", unreachable, NULL);
      with_unreachable = g_strv_builder_end (builder);
      run_service (&refused, (const char * const *) with_unreachable);
      assert_failed (&refused, 1, "The billing database could not be opened");

      g_strv_builder_addv (builder, (const char **) command);
      g_strv_builder_add_many (builder, "--database", password, NULL);
      with_password = g_strv_builder_end (builder);
      run_service (&bad_uri, (const char * const *) with_password);
      assert_failed (&bad_uri, 2, "PGPASSWORD or ~/.pgpass");
      g_assert_null (strstr (bad_uri.err, "secret"));

      g_setenv ("BILLING_DESK_DATABASE", password, TRUE);
      run_service (&bad_env, (const char * const *) command);
      g_unsetenv ("BILLING_DESK_DATABASE");
      assert_failed (&bad_env, 2, "BILLING_DESK_DATABASE: A password");
      g_assert_null (strstr (bad_env.err, "secret"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("BD_SERVICE_PATH") == NULL)
    {
      g_test_skip ("BD_SERVICE_PATH is not set");
      return g_test_run ();
    }

  if (bd_test_database_skip_all ())
    return g_test_run ();

  g_test_add ("/commands/users", Fixture, NULL, fixture_set_up, test_users, fixture_tear_down);
  g_test_add ("/commands/create-and-revoke", Fixture, NULL, fixture_set_up,
              test_create_and_revoke, fixture_tear_down);
  g_test_add ("/commands/expiry", Fixture, NULL, fixture_set_up, test_expiry,
              fixture_tear_down);
  g_test_add ("/commands/disable-enable", Fixture, NULL, fixture_set_up, test_disable_enable,
              fixture_tear_down);
  g_test_add ("/commands/failures", Fixture, NULL, fixture_set_up, test_failures,
              fixture_tear_down);
  g_test_add_func ("/commands/database-failures", test_database_failures);
  bd_test_add_table ("/commands/bad-command-line", bad_cases, sizeof bad_cases[0],
                     G_N_ELEMENTS (bad_cases), test_bad_command_line);

  return g_test_run ();
}
