/* bd-test-keyring.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The private bus is a dbus-daemon with a configuration of its own: a
 * <listen> and a <policy>, and no service directories, so that nothing is
 * ever activated on it (D-Bus would otherwise start a gnome-keyring on
 * demand, which then waits on a prompt nobody sees). The keyring is
 * gnome-keyring-daemon in the foreground, a child of the test: --login
 * with a password on stdin makes its login keyring (no prompt), --start
 * then starts its Secret Service. Both children get SIGKILL when the test
 * ends (PR_SET_PDEATHSIG), and a guard process in a session of its own
 * removes the temporary directory then.
 */

#define G_LOG_DOMAIN "bd-test-keyring"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/stat.h>

#include "bd-test-child.h"
#include "bd-test-keyring.h"
#include "bd-test-utils.h"

#define WAIT_MS 20000

static struct
{
  char            *dir;
  char            *address;
  GSubprocess     *guard;
  GSubprocess     *bus;
  GSubprocess     *keyring;
  GDBusConnection *hanging;   /* bd_test_keyring_hang_secret_service () or _prompter () */
} test_keyring;

static const char bus_config[] =
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
  "<busconfig>\n"
  "  <listen>unix:path=%s</listen>\n"
  "  <policy context=\"default\">\n"
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
  "    <allow eavesdrop=\"true\"/>\n"
  "    <allow own=\"*\"/>\n"
  "  </policy>\n"
  "</busconfig>\n";

static char *
make_dir (const char *name,
          const char *env)
{
  char *path = g_build_filename (test_keyring.dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  if (env != NULL)
    g_setenv (env, path, TRUE);

  return path;
}

/* Removes the directory once the test process is gone: the guard's stdin
 * is a pipe that only this process holds.
 */
static void
start_guard (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  test_keyring.guard = g_subprocess_launcher_spawn (launcher, &error, "setsid", "sh", "-c",
                                                    "cat > /dev/null; rm -rf \"$1\"", "guard",
                                                    test_keyring.dir, NULL);
  g_assert_no_error (error);
}

static void
start_bus (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stdout_stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = g_build_filename (test_keyring.dir, "bus.conf", NULL);
  g_autofree char *socket_path = g_build_filename (test_keyring.dir, "bus", NULL);
  g_autofree char *socket_markup = g_markup_escape_text (socket_path, -1);
  g_autofree char *config = g_strdup_printf (bus_config, socket_markup);
  g_autofree char *config_arg = g_strconcat ("--config-file=", config_path, NULL);

  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  bd_test_child_die_with_parent (launcher, SIGKILL);
  test_keyring.bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", config_arg,
                                                  "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);

  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (test_keyring.bus));
  test_keyring.address = g_data_input_stream_read_line_utf8 (stdout_stream, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (test_keyring.address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", test_keyring.address, TRUE);
}

static gboolean
name_has_owner (GDBusConnection *connection,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

static GDBusConnection *
connect_to_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (
    test_keyring.address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);

  return connection;
}

/* Polls, without a main loop (the test's has not begun). */
static gboolean
wait_for (gboolean (*done) (gpointer),
          gpointer   data)
{
  gint64 end = g_get_monotonic_time () + (gint64) WAIT_MS * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_usleep (20000);
    }

  return TRUE;
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
secret_service_is_up (gpointer connection)
{
  return name_has_owner (connection, "org.freedesktop.secrets");
}

static void
start_keyring (const char *runtime_dir)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) start = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *control = g_build_filename (runtime_dir, "keyring", "control", NULL);
  g_autofree char *out = NULL;

  /* In the foreground, so that it stays this process's child and dies
   * with it: a daemonized one would outlive a test that aborts.
   */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  bd_test_child_die_with_parent (launcher, SIGKILL);
  test_keyring.keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                                      "--foreground", "--login", NULL);
  g_assert_no_error (error);
  /* The login keyring's password, read to the end of stdin. */
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (test_keyring.keyring), "test", 4, NULL,
                             NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (test_keyring.keyring), NULL, &error);
  g_assert_no_error (error);

  /* --start before the control socket is there would start a daemon of
   * its own, in the background.
   */
  g_assert_true (wait_for (file_exists, control));
  start = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error, "gnome-keyring-daemon", "--start", "--components=secrets",
                            NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (start, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (start));

  connection = connect_to_bus ();
  g_assert_true (wait_for (secret_service_is_up, connection));
  g_dbus_connection_close_sync (connection, NULL, NULL);
}

static void
setup (gboolean with_keyring)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *runtime = NULL;

  g_assert_null (test_keyring.dir);
  test_keyring.dir = g_dir_make_tmp ("bd-test-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  start_guard ();

  home = make_dir ("home", "HOME");
  g_free (make_dir ("home/.local/share", "XDG_DATA_HOME"));
  g_free (make_dir ("home/.local/state", "XDG_STATE_HOME"));
  g_free (make_dir ("home/.config", "XDG_CONFIG_HOME"));
  g_free (make_dir ("home/.cache", "XDG_CACHE_HOME"));
  runtime = make_dir ("runtime", "XDG_RUNTIME_DIR");
  g_unsetenv ("GNOME_KEYRING_CONTROL");
  g_unsetenv ("DBUS_STARTER_ADDRESS");

  start_bus ();
  if (with_keyring)
    start_keyring (runtime);
}

/**
 * bd_test_keyring_setup:
 *
 * A private bus with a throwaway gnome-keyring on it, its login keyring
 * unlocked: libsecret stores and finds items there without a prompt.
 */
void
bd_test_keyring_setup (void)
{
  setup (TRUE);
}

/**
 * bd_test_keyring_setup_without_keyring:
 *
 * A private bus with no Secret Service on it, and none to activate.
 */
void
bd_test_keyring_setup_without_keyring (void)
{
  setup (FALSE);
}

/**
 * bd_test_keyring_get_dir:
 *
 * Returns: the temporary directory that holds HOME ("home"), every XDG
 *   directory (under "home") and the bus's socket
 */
const char *
bd_test_keyring_get_dir (void)
{
  g_assert_nonnull (test_keyring.dir);

  return test_keyring.dir;
}

const char *
bd_test_keyring_get_bus_address (void)
{
  g_assert_nonnull (test_keyring.address);

  return test_keyring.address;
}

/* secret-tool on the private bus, bounded in time. */
static int
run_secret_tool (const char * const  *args,
                 GSubprocessFlags     stderr_flag,
                 char               **out)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *err = NULL;

  g_strv_builder_add_many (builder, "timeout", "20", "secret-tool", NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  process = g_subprocess_newv ((const char * const *) argv,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | stderr_flag, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (err != NULL && *err != '\0')
    g_test_message ("secret-tool: %s", err);

  return g_subprocess_get_exit_status (process);
}

/**
 * bd_test_keyring_lookup:
 *
 * Asks the keyring with secret-tool, apart from the code under test.
 *
 * Returns: (transfer full) (nullable): the secret of the item with these
 *   attributes, %NULL when there is none
 */
char *
bd_test_keyring_lookup (const char *schema_name,
                        const char *service_url,
                        const char *user_id)
{
  g_autofree char *out = NULL;
  int status;

  status = run_secret_tool ((const char * const []) {
                              "lookup", "xdg:schema", schema_name, "service-url", service_url,
                              "user-id", user_id, NULL }, G_SUBPROCESS_FLAGS_STDERR_PIPE, &out);
  if (status != 0)
    {
      g_assert_cmpstr (out, ==, "");
      return NULL;
    }

  return g_steal_pointer (&out);
}

/**
 * bd_test_keyring_search:
 *
 * Returns: (transfer full): what `secret-tool search --all xdg:schema
 *   NAME` prints of every item of the schema ("" when there is none):
 *   its label, secret and attributes
 */
char *
bd_test_keyring_search (const char *schema_name)
{
  g_autofree char *out = NULL;

  /* secret-tool prints the attributes on stderr, the rest on stdout, and
   * exits 1 when there is no item.
   */
  run_secret_tool ((const char * const []) {
                     "search", "--all", "--unlock", "xdg:schema", schema_name, NULL },
                   G_SUBPROCESS_FLAGS_STDERR_MERGE, &out);

  return g_steal_pointer (&out);
}

static char *
find_in_tree (const char *path,
              const char *needle)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf info;

  if (g_lstat (path, &info) != 0)
    return NULL;
  if (S_ISREG (info.st_mode))
    {
      g_autofree char *contents = NULL;
      gsize size;

      if (g_file_get_contents (path, &contents, &size, NULL) &&
          bd_test_bytes_contain (contents, size, needle))
        return g_strdup (path);
      return NULL;
    }
  if (!S_ISDIR (info.st_mode))
    return NULL;

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      char *found = find_in_tree (child, needle);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * bd_test_keyring_find_in_files:
 * @needle: such as a token
 *
 * Reads every regular file under the temporary directory (HOME, the XDG
 * directories, the keyring's files).
 *
 * Returns: (transfer full) (nullable): the path of a file that holds
 *   @needle, %NULL when none does
 */
char *
bd_test_keyring_find_in_files (const char *needle)
{
  g_assert_nonnull (test_keyring.dir);
  g_assert_true (*needle != '\0');

  return find_in_tree (test_keyring.dir, needle);
}

/* Drops every method call to this connection: no answer, ever. */
static GDBusMessage *
swallow_calls (GDBusConnection *connection,
               GDBusMessage    *message,
               gboolean         incoming,
               gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }

  return message;
}

/* A connection of its own owns @name on the private bus and drops every
 * call it gets.
 */
static void
own_and_hang (const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 result;

  g_assert_null (test_keyring.hanging);
  test_keyring.hanging = connect_to_bus ();
  reply = g_dbus_connection_call_sync (test_keyring.hanging, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName", g_variant_new ("(su)", name, 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);  /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
  g_dbus_connection_add_filter (test_keyring.hanging, swallow_calls, NULL, NULL);
}

/**
 * bd_test_keyring_hang_secret_service:
 *
 * After bd_test_keyring_setup_without_keyring (): a Secret Service that
 * never answers.
 */
void
bd_test_keyring_hang_secret_service (void)
{
  g_assert_null (test_keyring.keyring);
  own_and_hang ("org.freedesktop.secrets");
}

/**
 * bd_test_keyring_hang_prompter:
 *
 * After bd_test_keyring_setup (): the keyring's password prompts are shown
 * and never answered, as when the user takes their time. gnome-keyring
 * asks the system prompter on the bus to show them; without one, a prompt
 * fails at once. Here one owns its name and never answers.
 */
void
bd_test_keyring_hang_prompter (void)
{
  g_assert_nonnull (test_keyring.keyring);
  own_and_hang ("org.gnome.keyring.SystemPrompter");
}

/**
 * bd_test_keyring_dismiss_prompts:
 *
 * After bd_test_keyring_hang_prompter (): the prompter goes away, and
 * with it the prompt it held, as when the user presses Cancel.
 */
void
bd_test_keyring_dismiss_prompts (void)
{
  g_assert_nonnull (test_keyring.hanging);
  g_dbus_connection_close_sync (test_keyring.hanging, NULL, NULL);
  g_clear_object (&test_keyring.hanging);
}

static gboolean
has_exited (gpointer process)
{
  return g_subprocess_get_identifier (process) == NULL;
}

static gboolean
secret_service_is_gone (gpointer connection)
{
  return !name_has_owner (connection, "org.freedesktop.secrets");
}

/**
 * bd_test_keyring_stop:
 *
 * After bd_test_keyring_setup (): the keyring goes away (SIGKILL), as when
 * it crashes; the bus stays, and activates nothing in its place.
 */
void
bd_test_keyring_stop (void)
{
  g_autoptr(GDBusConnection) connection = connect_to_bus ();

  g_assert_nonnull (test_keyring.keyring);
  g_subprocess_force_exit (test_keyring.keyring);
  g_assert_true (wait_for (has_exited, test_keyring.keyring));
  g_assert_true (wait_for (secret_service_is_gone, connection));
  g_dbus_connection_close_sync (connection, NULL, NULL);
}
