/* bd-local-service-child.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-local-service-child"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "bd-local-service-private.h"

/* The one line the service prints on stdout once it accepts connections. */
#define LISTENING_PREFIX "listening on "

/* Lines from the child quoted in an error message are cut to this. */
#define MAX_QUOTED_CHARS 300

/* The child process of a BdLocalService, without the object: BdLocalService
 * keeps the state, and logs what the child says and how it ends (in the log
 * domain "bd-local-service").
 */

/*
 * Helpers
 */

static char *
find_program (const char *program)
{
  char *path;

  if (program != NULL)
    return g_strdup (program);

  /* The app passes the installed program's path; NULL is for a caller
   * that means "the one on the PATH".
   */
  path = g_find_program_in_path (BD_LOCAL_SERVICE_PROGRAM);
  if (path != NULL)
    return path;

  /* Not found: spawning the bare name fails with an error that names it. */
  return g_strdup (BD_LOCAL_SERVICE_PROGRAM);
}

#ifdef __linux__
/* Runs in the child between fork and exec: async-signal-safe calls only. */
static void
child_setup (gpointer user_data)
{
  pid_t parent = GPOINTER_TO_INT (user_data);

  /* The child must not outlive the app, even one that crashed or was
   * killed: Linux sends it SIGTERM when the thread that forked it ends.
   * start_async runs on the main thread, which ends only with the app.
   * This cannot fail for a valid signal number.
   */
  (void) prctl (PR_SET_PDEATHSIG, SIGTERM);

  /* The app may have died between the fork and the prctl: then no signal
   * comes, but the child has another parent already.
   */
  if (getppid () != parent)
    _exit (EXIT_FAILURE);
}
#endif

typedef struct
{
  gboolean done;
  gboolean exited;
} ExitWait;

static void
exit_wait_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ExitWait *wait = user_data;

  wait->exited = g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  wait->done = TRUE;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_REMOVE;
}

/*
 * Private API
 */

/**
 * _bd_local_service_spawn:
 * @program: (nullable): the service's executable; %NULL for the one on the PATH
 *
 * Starts the service on 127.0.0.1 with a free port, its stdout and stderr
 * piped. The child inherits the app's environment: BILLING_DESK_NOW (the
 * frozen clock of the tests), G_MESSAGES_DEBUG and the locale, so that its
 * messages come in the user's language; but not BILLING_DESK_DATABASE, so
 * that the demo never opens an office's database (docs/design.md section 6). stdin is /dev/null. On Linux it
 * gets SIGTERM when the thread that spawned it ends: call this on the main
 * thread, which ends only with the app.
 *
 * Returns: (transfer full) (nullable): the child, or %NULL with @error set
 */
GSubprocess *
_bd_local_service_spawn (const char  *program,
                         const char  *data_dir,
                         const char  *tenant_file,
                         GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) spawn_error = NULL;
  g_autofree char *path = find_program (program);
  GSubprocess *process;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "BILLING_DESK_DATABASE");
  g_subprocess_launcher_unsetenv (launcher, "BILLING_DESK_TOKEN");
#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, child_setup, GINT_TO_POINTER (getpid ()),
                                         NULL);
#endif

  process = g_subprocess_launcher_spawn (launcher, &spawn_error,
                                         path,
                                         "--listen", "127.0.0.1:0",
                                         "--data-dir", data_dir,
                                         "--tenant-file", tenant_file,
                                         NULL);
  if (process == NULL)
    {
      g_set_error (error, spawn_error->domain, spawn_error->code,
                   /* Translators: %s says why, and names the program */
                   _("Could not start the local billing service: %s"),
                   spawn_error->message);
      return NULL;
    }

  g_debug ("Started %s (pid %s)", path, g_subprocess_get_identifier (process));
  return process;
}

/**
 * _bd_local_service_parse_listening:
 *
 * "listening on http://127.0.0.1:PORT" (or http://[::1]:PORT), nothing
 * more or less: anything else is not the service we meant to start.
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL
 */
char *
_bd_local_service_parse_listening (const char *line)
{
  static const char * const hosts[] = { "http://127.0.0.1:", "http://[::1]:" };
  const char *url;
  const char *port = NULL;
  gsize n_digits;
  guint i;

  if (!g_str_has_prefix (line, LISTENING_PREFIX))
    return NULL;
  url = line + strlen (LISTENING_PREFIX);

  for (i = 0; i < G_N_ELEMENTS (hosts) && port == NULL; i++)
    if (g_str_has_prefix (url, hosts[i]))
      port = url + strlen (hosts[i]);

  if (port == NULL)
    return NULL;

  n_digits = strspn (port, "0123456789");
  if (n_digits == 0 || n_digits > 5 || port[n_digits] != '\0' || port[0] == '0' ||
      g_ascii_strtoull (port, NULL, 10) > G_MAXUINT16)
    return NULL;

  return g_strdup (url);
}

/**
 * _bd_local_service_quote_line:
 *
 * Text from the child fit for a message shown to the user: valid UTF-8,
 * no control characters, at most 300 characters.
 *
 * Returns: (transfer full): the text
 */
char *
_bd_local_service_quote_line (const char *line)
{
  g_autofree char *valid = g_utf8_make_valid (line, -1);
  GString *text = g_string_new (NULL);
  const char *p;
  glong n = 0;

  for (p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n == MAX_QUOTED_CHARS)
        {
          g_string_append (text, "…");
          break;
        }

      if (g_unichar_iscntrl (c))
        g_string_append_c (text, ' ');
      else
        g_string_append_unichar (text, c);
      n++;
    }

  return g_string_free (text, FALSE);
}

/**
 * _bd_local_service_new_exit_error:
 * @last_line: (nullable): the child's last message, quoted
 *
 * The child ended before it was ready.
 *
 * Returns: (transfer full): an error that says why, in the service's
 *   words if it had any
 */
GError *
_bd_local_service_new_exit_error (GSubprocess *process,
                                  const char  *last_line)
{
  if (last_line != NULL)
    return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                        /* Translators: %s is the service's own message, such as
                         * "/usr/share/billing-desk/demo-tenant.json: users[0].roles: unknown role"
                         */
                        _("The local billing service could not start: %s"),
                        last_line);

  if (g_subprocess_get_if_exited (process))
    return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                        _("The local billing service could not start: "
                          "it exited with status %d"),
                        g_subprocess_get_exit_status (process));

  return g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                      _("The local billing service could not start: "
                        "it was stopped by signal %d"),
                      g_subprocess_get_term_sig (process));
}

/**
 * _bd_local_service_new_line_error:
 * @line: what the child printed first, instead of where it listens
 * @last_line: (nullable): the child's last message, quoted
 *
 * Returns: (transfer full): an error that quotes @line
 */
GError *
_bd_local_service_new_line_error (const char *line,
                                  const char *last_line)
{
  g_autofree char *quoted = _bd_local_service_quote_line (line);

  if (last_line != NULL)
    return g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                        /* Translators: %1$s is what the program printed instead of
                         * "listening on http://127.0.0.1:PORT", %2$s its last message
                         */
                        _("The local billing service printed “%1$s” instead of its "
                          "address: %2$s"),
                        quoted, last_line);

  return g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                      /* Translators: %s is what the program printed instead of
                       * "listening on http://127.0.0.1:PORT"
                       */
                      _("The local billing service printed “%s” instead of its address"),
                      quoted);
}

/**
 * _bd_local_service_new_timeout_error:
 * @seconds: how long the child was given
 * @last_line: (nullable): the child's last message, quoted
 *
 * Returns: (transfer full): an error that says the child was not ready in time
 */
GError *
_bd_local_service_new_timeout_error (guint       seconds,
                                     const char *last_line)
{
  if (last_line != NULL)
    return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                        g_dngettext (GETTEXT_PACKAGE,
                                     /* Translators: %2$s is the service's last message */
                                     "The local billing service was not ready "
                                     "within %1$d second: %2$s",
                                     "The local billing service was not ready "
                                     "within %1$d seconds: %2$s",
                                     seconds),
                        (int) seconds, last_line);

  return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "The local billing service was not ready within %d second",
                                   "The local billing service was not ready within %d seconds",
                                   seconds),
                      (int) seconds);
}

/**
 * _bd_local_service_describe_exit:
 *
 * Returns: (transfer full): how @process ended, for the log, not for the user
 */
char *
_bd_local_service_describe_exit (GSubprocess *process)
{
  int signum;

  if (g_subprocess_get_if_exited (process))
    return g_strdup_printf ("exited with status %d", g_subprocess_get_exit_status (process));

  signum = g_subprocess_get_term_sig (process);
  return g_strdup_printf ("was killed by signal %d (%s)", signum, g_strsignal (signum));
}

/**
 * _bd_local_service_wait_for_exit:
 *
 * Waits at most @timeout_ms for @process to exit, on a private main
 * context: nothing of the app's runs meanwhile, as it may be half torn
 * down. The exit itself is seen by GLib's worker thread, not this one.
 *
 * Returns: whether it exited
 */
gboolean
_bd_local_service_wait_for_exit (GSubprocess *process,
                                 guint        timeout_ms)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new (timeout_ms);
  ExitWait wait = { FALSE, FALSE };

  g_main_context_push_thread_default (context);

  g_source_set_callback (timeout, cancel_cb, cancellable, NULL);
  g_source_attach (timeout, context);
  g_subprocess_wait_async (process, cancellable, exit_wait_cb, &wait);

  /* Done either way: on the exit, or cancelled by the timeout. */
  while (!wait.done)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  return wait.exited;
}
