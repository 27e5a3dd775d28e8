/* bd-test-child.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "bd-test-child.h"
#include "bd-test-utils.h"

#define WAIT_MS 20000

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  BdTestChild *child = user_data;

  child->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                           result, NULL, NULL);
  child->line_done = TRUE;
}

static void
splice_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BdTestChild *child = user_data;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, NULL);
  child->stderr_done = TRUE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  BdTestChild *child = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  child->exited = TRUE;
}

static pid_t parent_pid;
static int   parent_death_signal;

static void
die_with_parent_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, parent_death_signal);
  /* The parent may have gone before the call. */
  if (getppid () != parent_pid)
    _exit (1);
}

/**
 * bd_test_child_die_with_parent:
 * @signal: what the child gets when the test ends
 *
 * Makes the children of @launcher get @signal when the test process ends,
 * however it ends (a failed assertion aborts it before any tear-down).
 * Spawn them from the main thread: the signal comes when the thread that
 * spawned them ends.
 */
void
bd_test_child_die_with_parent (GSubprocessLauncher *launcher,
                               int                  signal)
{
  parent_pid = getpid ();
  parent_death_signal = signal;
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent_setup, NULL, NULL);
}

/**
 * bd_test_child_spawn:
 * @args: what follows the program name
 * @env: (nullable): "NAME=VALUE" to set, or "NAME" to unset, for the child
 *
 * Starts billing-desk-service.
 */
BdTestChild *
bd_test_child_spawn (const char * const *args,
                     const char * const *env)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  BdTestChild *child = g_new0 (BdTestChild, 1);

  g_assert_nonnull (g_getenv ("BD_SERVICE_PATH"));
  g_strv_builder_add (builder, g_getenv ("BD_SERVICE_PATH"));
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  bd_test_child_die_with_parent (launcher, SIGKILL);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *equals = strchr (env[i], '=');

      if (equals != NULL)
        {
          g_autofree char *name = g_strndup (env[i], (gsize) (equals - env[i]));

          g_subprocess_launcher_setenv (launcher, name, equals + 1, TRUE);
        }
      else
        g_subprocess_launcher_unsetenv (launcher, env[i]);
    }

  child->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);

  child->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  g_data_input_stream_read_line_async (child->stdout_stream, G_PRIORITY_DEFAULT, NULL,
                                       read_line_cb, child);

  child->stderr_buffer = G_MEMORY_OUTPUT_STREAM (g_memory_output_stream_new_resizable ());
  g_output_stream_splice_async (G_OUTPUT_STREAM (child->stderr_buffer),
                                g_subprocess_get_stderr_pipe (child->process),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, splice_cb, child);

  g_subprocess_wait_async (child->process, NULL, wait_cb, child);

  return child;
}

/**
 * bd_test_child_wait_listening:
 * @url_pattern: a regular expression for the URL, such as
 *   `http://127\.0\.0\.1:[0-9]+`
 *
 * Waits for "listening on URL" and keeps the URL.
 */
const char *
bd_test_child_wait_listening (BdTestChild *child,
                              const char  *url_pattern)
{
  g_autofree char *pattern = g_strdup_printf ("^listening on %s$", url_pattern);

  g_assert_true (bd_test_wait_until (bd_test_is_set, &child->line_done, WAIT_MS));
  /* It ended without listening: what it said is the reason. */
  if (child->line == NULL)
    {
      bd_test_wait_until (bd_test_is_set, &child->stderr_done, WAIT_MS);
      g_error ("the service ended without listening; its stderr: %.*s",
               (int) g_memory_output_stream_get_data_size (child->stderr_buffer),
               (const char *) g_memory_output_stream_get_data (child->stderr_buffer));
    }
  g_test_message ("%s", child->line);
  g_assert_true (g_regex_match_simple (pattern, child->line, 0, 0));
  g_free (child->url);
  child->url = g_strdup (child->line + strlen ("listening on "));

  return child->url;
}

/**
 * bd_test_child_finish:
 * @stop: whether to stop the service first (SIGTERM)
 * @stderr_text: (out): the whole of its stderr
 *
 * Waits for the exit, which must be a normal one, and checks that stdout
 * held at most one line.
 *
 * Returns: the exit status
 */
int
bd_test_child_finish (BdTestChild  *child,
                      gboolean      stop,
                      char        **stderr_text)
{
  if (stop && !child->exited)
    g_subprocess_send_signal (child->process, SIGTERM);

  g_assert_true (bd_test_wait_until (bd_test_is_set, &child->exited, WAIT_MS));
  g_assert_true (bd_test_wait_until (bd_test_is_set, &child->stderr_done, WAIT_MS));
  /* The read of the first line ends at the latest with stdout's end, which
   * may come after the exit and stderr's end.
   */
  g_assert_true (bd_test_wait_until (bd_test_is_set, &child->line_done, WAIT_MS));
  if (g_subprocess_get_if_signaled (child->process))
    g_test_message ("killed by signal %d", g_subprocess_get_term_sig (child->process));
  g_assert_true (g_subprocess_get_if_exited (child->process));

  if (child->line_done && child->line != NULL)
    {
      g_autofree char *rest = g_data_input_stream_read_line_utf8 (child->stdout_stream, NULL,
                                                                  NULL, NULL);

      g_assert_null (rest);
    }

  *stderr_text = g_strndup (g_memory_output_stream_get_data (child->stderr_buffer),
                            g_memory_output_stream_get_data_size (child->stderr_buffer));
  if (*stderr_text == NULL)
    *stderr_text = g_strdup ("");
  g_test_message ("stderr: %s", *stderr_text);

  return g_subprocess_get_exit_status (child->process);
}

void
bd_test_child_free (BdTestChild *child)
{
  if (child == NULL)
    return;

  if (child->process != NULL && !child->exited)
    {
      g_subprocess_force_exit (child->process);
      g_assert_true (bd_test_wait_until (bd_test_is_set, &child->exited, WAIT_MS));
    }

  g_assert_true (bd_test_wait_until (bd_test_is_set, &child->stderr_done, WAIT_MS));
  if (child->data_dir != NULL)
    bd_test_remove_tree (child->data_dir);
  g_free (child->data_dir);
  g_clear_object (&child->process);
  g_clear_object (&child->stdout_stream);
  g_clear_object (&child->stderr_buffer);
  g_free (child->line);
  g_free (child->url);
  g_free (child);
}

/**
 * bd_test_child_run:
 * @args: what follows the program name
 * @out: (out): its whole stdout
 * @err: (out): its whole stderr
 *
 * Runs billing-desk-service to its end (a command: users, tokens), its
 * clock not taken from BILLING_DESK_NOW.
 *
 * Returns: its exit status
 */
int
bd_test_child_run (const char * const  *args,
                   char               **out,
                   char               **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_strv_builder_add (builder, g_getenv ("BD_SERVICE_PATH"));
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "BILLING_DESK_NOW");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d, stdout «%s», stderr «%s»", status, *out, *err);

  return status;
}
