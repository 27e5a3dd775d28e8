/* test-local-service.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The embedded default (docs/design.md section 1): BdLocalService starts the
 * real billing-desk-service (BD_SERVICE_PATH) as a child, reads where it
 * listens, reports its failures, stops it, and never lets it outlive the
 * app. The test binary doubles as a fake service and as an app that
 * crashes (see main).
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "bd-local-service.h"
#include "bd-test-utils.h"
#include "service-tenant.h"

/* The domain of BdLocalService's log, which carries the child's stderr. */
#define LOG_DOMAIN "bd-local-service"

/* Longer than BdLocalService's own 20 s start timeout. */
#define WAIT_MS 30000

#define FAKE_ENV      "BD_TEST_FAKE_SERVICE"
#define FAKE_PID_ENV  "BD_TEST_FAKE_PID_FILE"
#define HELPER_OPTION "--parent-death-helper"

#define BAD_TENANT \
  "{\"tenant\":{\"displayName\":\"Contoso A/S\",\"cloud\":\"worldwide\",\"currency\":\"DKK\"," \
  "\"bogus\":1}}"

typedef struct
{
  char      *dir;
  char      *data_dir;
  char      *tenant_file;
  GPtrArray *log;          /* BdLocalService's debug messages */
  guint      log_handler;
} Fixture;

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Start;

/*
 * Helpers
 */

static void
capture_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->log, g_strdup (message));
  g_test_message ("%s: %s", domain, message);
}

static gboolean
log_has_pattern (Fixture    *f,
                 const char *pattern)
{
  guint i;

  for (i = 0; i < f->log->len; i++)
    if (g_pattern_match_simple (pattern, g_ptr_array_index (f->log, i)))
      return TRUE;

  return FALSE;
}

typedef struct
{
  Fixture    *f;
  const char *pattern;
} LogWait;

static gboolean
log_seen (gpointer data)
{
  LogWait *wait = data;

  return log_has_pattern (wait->f, wait->pattern);
}

/* Killed while starting, or stopped had it got ready first. */
static gboolean
child_ended (gpointer data)
{
  Fixture *f = data;

  return log_has_pattern (f, "The service (pid *) was killed by signal 9*") ||
         log_has_pattern (f, "The service (pid *) exited with status 0");
}

static const char *
service_path (void)
{
  const char *path = g_getenv ("BD_SERVICE_PATH");

  if (path == NULL)
    g_test_skip ("BD_SERVICE_PATH is not set");

  return path;
}

static void
start_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Start *start = user_data;

  start->ok = bd_local_service_start_finish (BD_LOCAL_SERVICE (object), result, &start->error);
  start->done = TRUE;
}

/* Starts @service and waits for the outcome. */
static gboolean
start_service (BdLocalService  *service,
               GCancellable    *cancellable,
               gboolean         cancel_at_once,
               GError         **error)
{
  Start start = { 0 };

  bd_local_service_start_async (service, cancellable, start_cb, &start);
  if (cancel_at_once)
    g_cancellable_cancel (cancellable);
  g_assert_true (bd_test_wait_until (bd_test_is_set, &start.done, WAIT_MS));

  if (start.error != NULL)
    g_propagate_error (error, start.error);
  g_assert_true (start.ok == (start.error == NULL));

  return start.ok;
}

/* The pid of a running child of this process with the command name
 * @comm (cut to 15 bytes, as the kernel keeps it), or 0.
 */
static pid_t
find_child (const char *comm)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  g_autofree char *short_comm = g_strndup (comm, 15);
  const char *name;

  g_assert_nonnull (dir);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stat_path = NULL;
      g_autofree char *text = NULL;
      g_autofree char *child_comm = NULL;
      const char *open;
      const char *close;
      char state = 0;
      int ppid = 0;

      if (!g_ascii_isdigit (name[0]))
        continue;

      stat_path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (stat_path, &text, NULL, NULL))
        continue;

      /* "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses. */
      open = strchr (text, '(');
      close = strrchr (text, ')');
      if (open == NULL || close == NULL || close < open ||
          sscanf (close + 1, " %c %d", &state, &ppid) != 2)
        continue;

      child_comm = g_strndup (open + 1, close - open - 1);
      if (ppid == getpid () && state != 'Z' && g_str_equal (child_comm, short_comm))
        return (pid_t) atoi (name);
    }

  return 0;
}

static gboolean
process_gone (gpointer data)
{
  pid_t pid = GPOINTER_TO_INT (data);

  return kill (pid, 0) != 0 && errno == ESRCH;
}

typedef struct
{
  GBytes   *body;
  GError   *error;
  gboolean  done;
} Exchange;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Exchange *exchange = user_data;

  exchange->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                      &exchange->error);
  exchange->done = TRUE;
}

/* One HTTP exchange with the service; returns the body as JSON. */
static JsonNode *
request (const char *url,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  Exchange exchange = { 0 };
  JsonNode *json;

  g_assert_nonnull (message);
  headers = soup_message_get_request_headers (message);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_headers_replace (headers, "If-Match", "*");
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  /* Straight to the service: no proxy from the environment in between. */
  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_timeout (session, 10);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, send_cb,
                                    &exchange);
  g_assert_true (bd_test_wait_until (bd_test_is_set, &exchange.done, WAIT_MS));
  g_assert_no_error (exchange.error);

  *status = soup_message_get_status (message);
  json = json_from_string (g_bytes_get_data (exchange.body, NULL) != NULL
                           ? g_bytes_get_data (exchange.body, NULL) : "", &error);
  g_bytes_unref (exchange.body);
  g_assert_no_error (error);
  g_assert_nonnull (json);

  return json;
}

/* A string member of @json's root object, or of an object member of it
 * (@object_name not NULL).
 */
static const char *
json_string (JsonNode   *json,
             const char *object_name,
             const char *member_name)
{
  JsonObject *object = json_node_get_object (json);

  if (object_name != NULL)
    object = json_object_get_object_member (object, object_name);
  g_assert_nonnull (object);

  return json_object_get_string_member_with_default (object, member_name, NULL);
}

/* Lets the readers of a finalized BdLocalService see their cancellation. */
static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/*
 * Fixture
 */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("bd-test-local-service-XXXXXX", &error);
  g_assert_no_error (error);

  /* Not there yet, nor its parent: BdLocalService makes them. */
  f->data_dir = g_build_filename (f->dir, "billing-desk", "local", NULL);
  f->tenant_file = g_build_filename (f->dir, "tenant.json", NULL);
  g_file_set_contents (f->tenant_file, data != NULL ? data : TENANT, -1, &error);
  g_assert_no_error (error);

  /* Inherited by the child, which reads its clock from it. */
  g_setenv ("BILLING_DESK_NOW", NOW, TRUE);
  /* Not inherited: BdLocalService removes it (test_start_and_stop). */
  g_setenv ("BILLING_DESK_DATABASE", "postgresql://office@db.example.com/billing", TRUE);

  f->log = g_ptr_array_new_with_free_func (g_free);
  f->log_handler = g_log_set_handler (LOG_DOMAIN,
                                      G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE,
                                      capture_log, f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  drain_main_context ();
  g_log_remove_handler (LOG_DOMAIN, f->log_handler);
  g_clear_pointer (&f->log, g_ptr_array_unref);
  g_unsetenv ("BILLING_DESK_NOW");
  g_unsetenv ("BILLING_DESK_DATABASE");
  bd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->tenant_file);
}

/* Whether /proc/PID/environ holds an entry NAME=... */
static gboolean
child_has_env (pid_t       pid,
               const char *name)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/environ", (int) pid);
  g_autofree char *prefix = g_strconcat (name, "=", NULL);
  g_autofree char *text = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  for (gsize at = 0; at < length; at += strlen (text + at) + 1)
    if (g_str_has_prefix (text + at, prefix))
      return TRUE;

  return FALSE;
}

/*
 * Tests
 */

/* Start, answer on the URL it printed, stop: exit status 0. */
static void
test_start_and_stop (Fixture       *f,
                     gconstpointer  data)
{
  const char *path = service_path ();
  g_autoptr(BdLocalService) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(JsonNode) me = NULL;
  LogWait wait = { f, "*exited with status 0" };
  GStatBuf info;
  guint status = 0;
  pid_t pid;

  if (path == NULL)
    return;

  service = bd_local_service_new (path, f->data_dir, f->tenant_file);
  g_assert_null (bd_local_service_get_url (service));

  g_assert_true (start_service (service, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^http://127\\.0\\.0\\.1:[1-9][0-9]*$",
                                       bd_local_service_get_url (service), 0, 0));

  /* A per-user database: nobody else may read it. */
  g_assert_cmpint (g_stat (f->data_dir, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0700);
  g_assert_true (g_file_test (f->data_dir, G_FILE_TEST_IS_DIR));

  health = request (bd_local_service_get_url (service), "GET", "/v1/health", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_string (health, NULL, "status"), ==, "ok");

  /* Seeded from the tenant file, on the clock from the environment. */
  me = request (bd_local_service_get_url (service), "GET", "/v1/me", ADMIN, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_string (me, "tenant", "displayName"), ==, "Contoso A/S");
  g_assert_cmpstr (json_string (me, NULL, "serverTime"), ==, NOW);

  pid = find_child ("billing-desk-service");
  g_assert_cmpint (pid, >, 0);

  /* The app's environment, but never an office's database. */
  g_assert_true (child_has_env (pid, "BILLING_DESK_NOW"));
  g_assert_false (child_has_env (pid, "BILLING_DESK_DATABASE"));

  bd_local_service_stop (service);
  g_assert_null (bd_local_service_get_url (service));
  bd_local_service_stop (service);

  g_assert_true (bd_test_wait_until (log_seen, &wait, WAIT_MS));
  g_assert_true (bd_test_wait_until (process_gone, GINT_TO_POINTER (pid), WAIT_MS));
  g_assert_finalize_object (g_steal_pointer (&service));
}

/* A second start on the same data dir keeps the tenant and its changes,
 * and ignores the tenant file, which the service says on stderr.
 */
static void
test_restart_keeps_data (Fixture       *f,
                         gconstpointer  data)
{
  const char *path = service_path ();
  g_autoptr(BdLocalService) first = NULL;
  g_autoptr(BdLocalService) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) read = NULL;
  g_autofree char *missing = NULL;
  guint status = 0;

  if (path == NULL)
    return;

  first = bd_local_service_new (path, f->data_dir, f->tenant_file);
  g_assert_true (start_service (first, NULL, FALSE, &error));
  g_assert_no_error (error);

  patched = request (bd_local_service_get_url (first), "PATCH", "/v1/subscriptions/s1", ADMIN,
                     "{\"recurringBilling\":\"off\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_string (patched, NULL, "recurringBilling"), ==, "off");

  /* No stop: the last unref stops the child as well. */
  g_assert_finalize_object (g_steal_pointer (&first));
  g_assert_true (log_has_pattern (f, "*exited with status 0"));

  /* A tenant file that is not there: a service that read it would fail. */
  missing = g_build_filename (f->dir, "missing.json", NULL);
  second = bd_local_service_new (path, f->data_dir, missing);
  g_assert_true (start_service (second, NULL, FALSE, &error));
  g_assert_no_error (error);

  read = request (bd_local_service_get_url (second), "GET", "/v1/subscriptions/s1", ADMIN, NULL,
                  &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_string (read, NULL, "recurringBilling"), ==, "off");

  /* The child's stderr, line by line, in the app's debug log. */
  g_assert_true (log_has_pattern (f, "*holds a tenant already*missing.json is ignored"));

  g_assert_finalize_object (g_steal_pointer (&second));
}

/* A bad tenant file: the service's own message, naming the key path. */
static void
test_bad_tenant (Fixture       *f,
                 gconstpointer  data)
{
  const char *path = service_path ();
  g_autoptr(BdLocalService) service = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;

  service = bd_local_service_new (path, f->data_dir, f->tenant_file);
  g_assert_false (start_service (service, NULL, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "tenant.bogus"));
  g_assert_nonnull (strstr (error->message, "tenant.json"));
  g_assert_null (strstr (error->message, "billing-desk-service:"));
  g_assert_null (bd_local_service_get_url (service));

  /* One start per object. */
  g_clear_error (&error);
  g_assert_false (start_service (service, NULL, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);

  g_assert_finalize_object (g_steal_pointer (&service));
}

/* No such program: the spawn error, naming it. */
static void
test_no_program (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BdLocalService) service = NULL;
  g_autoptr(BdLocalService) default_service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved_path = g_strdup (g_getenv ("PATH"));

  service = bd_local_service_new ("/nonexistent/billing-desk-service", f->data_dir,
                                  f->tenant_file);
  g_assert_false (start_service (service, NULL, FALSE, &error));
  g_assert_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Could not start the local billing service: "));
  g_assert_nonnull (strstr (error->message, "/nonexistent/billing-desk-service"));
  g_assert_null (bd_local_service_get_url (service));
  g_assert_finalize_object (g_steal_pointer (&service));
  g_clear_error (&error);

  /* NULL: the installed one, through the PATH; here there is none. */
  g_setenv ("PATH", f->dir, TRUE);
  default_service = bd_local_service_new (NULL, f->data_dir, f->tenant_file);
  g_assert_false (start_service (default_service, NULL, FALSE, &error));
  g_setenv ("PATH", saved_path, TRUE);
  g_assert_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "billing-desk-service"));
  g_assert_finalize_object (g_steal_pointer (&default_service));
}

static char *
self_path (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_file_read_link ("/proc/self/exe", &error);

  g_assert_no_error (error);
  return path;
}

/* Starts this binary as a fake service in @mode, given @start_timeout
 * seconds (0: BdLocalService's default); returns its pid once it has
 * written it.
 */
static gboolean
start_fake (Fixture     *f,
            const char  *mode,
            guint        start_timeout,
            pid_t       *pid,
            GError     **error)
{
  g_autoptr(BdLocalService) service = NULL;
  g_autofree char *program = self_path ();
  g_autofree char *pid_file = g_build_filename (f->dir, "fake.pid", NULL);
  g_autofree char *text = NULL;
  gboolean ok;

  g_setenv (FAKE_ENV, mode, TRUE);
  g_setenv (FAKE_PID_ENV, pid_file, TRUE);
  service = bd_local_service_new (program, f->data_dir, f->tenant_file);
  if (start_timeout > 0)
    g_object_set (service, "start-timeout", start_timeout, NULL);
  ok = start_service (service, NULL, FALSE, error);
  g_unsetenv (FAKE_ENV);
  g_unsetenv (FAKE_PID_ENV);

  g_assert_true (g_file_get_contents (pid_file, &text, NULL, NULL));
  *pid = (pid_t) atoi (text);
  g_assert_cmpint (*pid, >, 0);

  g_assert_finalize_object (g_steal_pointer (&service));
  return ok;
}

/* Not the line of the service: refused, and the child killed. */
static void
test_bad_line (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  pid_t pid = 0;

  g_assert_false (start_fake (f, "bad-line", 0, &pid, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "“listening on http://192.0.2.1:8421”"));
  g_assert_true (bd_test_wait_until (process_gone, GINT_TO_POINTER (pid), WAIT_MS));
}

/* An exit without a word: the exit status. */
static void
test_silent_exit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  pid_t pid = 0;

  g_assert_false (start_fake (f, "exit-3", 0, &pid, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "exited with status 3"));
}

/* Silent and stuck: given up after the start timeout, shortened to 1 s,
 * with the child's last words; the child killed.
 */
static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BdLocalService) service = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 elapsed;
  guint seconds = 0;
  pid_t pid = 0;

  /* Shortened here only: the default stays 20 s (test_timeout_default). */
  service = bd_local_service_new (NULL, f->data_dir, f->tenant_file);
  g_object_get (service, "start-timeout", &seconds, NULL);
  g_assert_cmpuint (seconds, ==, 20);
  g_assert_finalize_object (g_steal_pointer (&service));

  g_assert_false (start_fake (f, "hang", 1, &pid, &error));
  elapsed = g_get_monotonic_time () - started;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_test_message ("%s (after %" G_GINT64_FORMAT " ms)", error->message, elapsed / 1000);
  g_assert_nonnull (strstr (error->message, "within 1 second: still thinking"));
  g_assert_cmpint (elapsed, >=, 1 * G_USEC_PER_SEC);
  /* The timeout given, not the default of 20 s. */
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  g_assert_true (bd_test_wait_until (process_gone, GINT_TO_POINTER (pid), WAIT_MS));
}

/* The same with the default: given up after 20 s. */
static void
test_timeout_default (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  pid_t pid = 0;

  if (!g_test_slow ())
    {
      g_test_skip ("Takes 20 seconds; run with -m slow");
      return;
    }

  g_assert_false (start_fake (f, "hang", 0, &pid, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "within 20 seconds: still thinking"));
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 20 * G_USEC_PER_SEC);
  g_assert_true (bd_test_wait_until (process_gone, GINT_TO_POINTER (pid), WAIT_MS));
}

static void
on_exited_cb (BdLocalService *service,
              gpointer        user_data)
{
  gboolean *exited = user_data;

  g_assert_null (bd_local_service_get_url (service));
  *exited = TRUE;
}

/* The child dies on its own later: "exited", and a warning in the log. */
static void
test_unexpected_exit (Fixture       *f,
                      gconstpointer  data)
{
  const char *path = service_path ();
  g_autoptr(BdLocalService) service = NULL;
  g_autoptr(GError) error = NULL;
  gboolean exited = FALSE;
  pid_t pid;

  if (path == NULL)
    return;

  service = bd_local_service_new (path, f->data_dir, f->tenant_file);
  g_signal_connect (service, "exited", G_CALLBACK (on_exited_cb), &exited);
  g_assert_true (start_service (service, NULL, FALSE, &error));
  g_assert_no_error (error);

  pid = find_child ("billing-desk-service");
  g_assert_cmpint (pid, >, 0);

  g_test_expect_message (LOG_DOMAIN, G_LOG_LEVEL_WARNING, "*killed by signal 9*unexpectedly");
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_true (bd_test_wait_until (bd_test_is_set, &exited, WAIT_MS));
  g_test_assert_expected_messages ();

  /* Nothing left to stop. */
  bd_local_service_stop (service);
  g_assert_finalize_object (g_steal_pointer (&service));
}

/* Cancelled at once: the start fails as cancelled, the child goes. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *path = service_path ();
  g_autoptr(BdLocalService) service = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;

  service = bd_local_service_new (path, f->data_dir, f->tenant_file);
  g_assert_false (start_service (service, cancellable, TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (bd_local_service_get_url (service));
  g_assert_true (bd_test_wait_until (child_ended, f, WAIT_MS));
  g_assert_finalize_object (g_steal_pointer (&service));
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **line = user_data;

  *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object), result, NULL,
                                                NULL);
  if (*line == NULL)
    *line = g_strdup ("");
}

static gboolean
is_non_null (gpointer data)
{
  return *(char **) data != NULL;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* An app that crashes: the service must not outlive it. This process
 * adopts the orphan (as a subreaper) to see how it ended, so that a
 * zombie nobody reaps cannot pass for a live process or a dead one.
 */
static void
test_parent_death (Fixture       *f,
                   gconstpointer  data)
{
#ifdef __linux__
  const char *path = service_path ();
  g_autoptr(GSubprocess) helper = NULL;
  g_autoptr(GDataInputStream) helper_stdout = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = NULL;
  g_autofree char *line = NULL;
  gboolean helper_done = FALSE;
  gint64 deadline;
  gint64 pid_value = 0;
  pid_t pid;
  pid_t reaped;
  int wait_status = 0;

  if (path == NULL)
    return;

  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), ==, 0);

  program = self_path ();
  helper = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             program, HELPER_OPTION, f->data_dir, f->tenant_file, NULL);
  g_assert_no_error (error);

  helper_stdout = g_data_input_stream_new (g_subprocess_get_stdout_pipe (helper));
  g_data_input_stream_read_line_async (helper_stdout, G_PRIORITY_DEFAULT, NULL, read_line_cb,
                                       &line);
  g_assert_true (bd_test_wait_until (is_non_null, &line, WAIT_MS));
  g_test_message ("service pid: %s", line);
  g_assert_true (g_ascii_string_to_signed (line, 10, 1, G_MAXINT, &pid_value, &error));
  g_assert_no_error (error);
  pid = (pid_t) pid_value;

  g_subprocess_wait_async (helper, NULL, wait_cb, &helper_done);
  g_assert_true (bd_test_wait_until (bd_test_is_set, &helper_done, WAIT_MS));
  g_assert_true (g_subprocess_get_if_signaled (helper));
  g_assert_cmpint (g_subprocess_get_term_sig (helper), ==, SIGKILL);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((reaped = waitpid (pid, &wait_status, WNOHANG)) == 0 &&
         g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);

  if (reaped == 0)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &wait_status, 0);
    }
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0), ==, 0);

  g_assert_cmpint (reaped, ==, pid);

  /* SIGTERM, which the service takes as a stop: exit status 0. The kernel
   * sends it again each time the orphan passes to another thread of the
   * dying app, and one that comes after the service has put its handler
   * away kills it; either way it is gone.
   */
  if (WIFSIGNALED (wait_status))
    {
      g_test_message ("killed by signal %d", WTERMSIG (wait_status));
      g_assert_cmpint (WTERMSIG (wait_status), ==, SIGTERM);
    }
  else
    {
      g_assert_true (WIFEXITED (wait_status));
      g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
    }
#else
  g_test_skip ("The parent-death signal is Linux only");
#endif
}

/*
 * The other roles of this binary
 */

/* A child in @mode in place of billing-desk-service. */
static int
fake_service (const char *mode)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());

  if (!g_file_set_contents (g_getenv (FAKE_PID_ENV), pid, -1, NULL))
    return 100;

  if (g_str_equal (mode, "exit-3"))
    return 3;

  if (g_str_equal (mode, "hang"))
    {
      fprintf (stderr, "billing-desk-service: still thinking\n");
      fflush (stderr);
      for (;;)
        pause ();
    }

  if (g_str_equal (mode, "bad-line"))
    {
      printf ("listening on http://192.0.2.1:8421\n");
      fflush (stdout);
      for (;;)
        pause ();
    }

  return 100;
}

static void
helper_start_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Start *start = user_data;

  start->ok = bd_local_service_start_finish (BD_LOCAL_SERVICE (object), result, &start->error);
  start->done = TRUE;
}

/* An app that starts the service, says its pid, and crashes. */
static int
parent_death_helper (const char *data_dir,
                     const char *tenant_file)
{
  g_autoptr(BdLocalService) service = NULL;
  Start start = { 0 };
  pid_t pid;

  service = bd_local_service_new (g_getenv ("BD_SERVICE_PATH"), data_dir, tenant_file);
  bd_local_service_start_async (service, NULL, helper_start_cb, &start);
  while (!start.done)
    g_main_context_iteration (NULL, TRUE);

  if (!start.ok)
    {
      g_printerr ("%s\n", start.error->message);
      return EXIT_FAILURE;
    }

  pid = find_child ("billing-desk-service");
  printf ("%d\n", (int) pid);
  fflush (stdout);

  /* No dispose, no stop: nothing of this process runs any more. */
  kill (getpid (), SIGKILL);
  return EXIT_FAILURE;
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv (FAKE_ENV) != NULL)
    return fake_service (g_getenv (FAKE_ENV));

  if (argc == 4 && g_str_equal (argv[1], HELPER_OPTION))
    return parent_death_helper (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, test, tenant) \
  g_test_add (path, Fixture, tenant, fixture_set_up, test, fixture_tear_down)

  ADD ("/local-service/start-and-stop", test_start_and_stop, NULL);
  ADD ("/local-service/restart-keeps-data", test_restart_keeps_data, NULL);
  ADD ("/local-service/bad-tenant", test_bad_tenant, BAD_TENANT);
  ADD ("/local-service/no-program", test_no_program, NULL);
  ADD ("/local-service/bad-line", test_bad_line, NULL);
  ADD ("/local-service/silent-exit", test_silent_exit, NULL);
  ADD ("/local-service/timeout", test_timeout, NULL);
  ADD ("/local-service/timeout-default", test_timeout_default, NULL);
  ADD ("/local-service/unexpected-exit", test_unexpected_exit, NULL);
  ADD ("/local-service/cancel", test_cancel, NULL);
  ADD ("/local-service/parent-death", test_parent_death, NULL);

#undef ADD

  return g_test_run ();
}
