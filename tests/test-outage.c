/* test-outage.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outage rule (docs/design.md, "Outages"): GET /v1/health answers 200
 * only when the database does; while it cannot be reached every request is
 * 503 `unavailable` with Retry-After, never 500 or 401, and nothing is half
 * applied; when it is back, the same instance serves again by itself, and a
 * change retried with its Idempotency-Key applies once.
 *
 * On PostgreSQL (outage-pg) the real billing-desk-service runs on a cluster
 * of the test's own, which it stops with `pg_ctlcluster ... stop -m
 * immediate` and starts again: the shared cluster of the other -pg tests
 * must not go down under them.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bd-pg-cluster.h"
#include "bd-test-child.h"
#include "bd-test-service.h"
#include "service-tenant.h"

#define CANCEL_BODY "{\"reason\":\"tooExpensive\"}"
/* Three times the service's workers (BD_SERVER_N_WORKERS), each with its connection. */
#define LATE_REQUESTS 12

/*
 * Health, on the store of the run
 */

static void
test_health (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(BdApiResponse) response = NULL;
  BdApiRequest request = { .method = "GET", .path = "/v1/health" };

  answer = bd_test_service_request (service, "GET", "/v1/health", NULL, NULL, NULL);
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpstr (answer->text, ==, "{\"status\":\"ok\"}");

  response = bd_api_handle (service->api, &request);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (response->retry_after_seconds, ==, 0);
}

/*
 * SQLite: its write lock held past the busy timeout
 */

static BdApiResponse *
cancel_in_process (BdApi      *api,
                   const char *id,
                   const char *key)
{
  g_autofree char *path = g_strdup_printf ("/v1/subscriptions/%s/cancel", id);
  BdApiRequest request = {
    .method = "POST",
    .path = path,
    .authorization = "Bearer " ADMIN,
    .content_type = "application/json",
    .idempotency_key = key,
    .body = CANCEL_BODY,
    .body_length = strlen (CANCEL_BODY),
  };

  return bd_api_handle (api, &request);
}

/* Another connection (a backup, another instance's long write) holds the
 * write lock longer than the store waits for it: the change is 409
 * requestInProgress with Retry-After (a lock timeout, not an outage: the
 * database answers), not 500, and changed nothing; asked again with its key
 * once the lock is free, it applies once.
 */
static void
test_sqlite_locked (void)
{
  g_autoptr(BdTestService) service = NULL;
  g_autoptr(BdApiResponse) refused = NULL;
  g_autoptr(BdApiResponse) applied = NULL;
  g_autoptr(BdApiResponse) replayed = NULL;
  g_autofree char *path = NULL;
  sqlite3 *db = NULL;

  if (bd_test_database_is_postgresql ())
    {
      g_test_skip ("SQLite's write lock only");
      return;
    }

  service = bd_test_service_new (TENANT, NOW);
  path = g_build_filename (service->dir, "billing.sqlite", NULL);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  refused = cancel_in_process (service->api, "s3", "locked-1");
  g_assert_cmpuint (refused->status, ==, 409);
  g_assert_cmpuint (refused->retry_after_seconds, >, 0);
  g_assert_true (bd_test_bytes_contain (g_bytes_get_data (refused->body, NULL),
                                        g_bytes_get_size (refused->body),
                                        "\"code\":\"requestInProgress\""));

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* Nothing of it was written: s3 is as it was, no ledger entry. */
  bd_test_service_assert_says (service, ADMIN, "s3", "status", "active");
  g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s3", NULL), ==, 0);

  applied = cancel_in_process (service->api, "s3", "locked-1");
  g_assert_cmpuint (applied->status, ==, 200);
  g_assert_cmpuint (applied->retry_after_seconds, ==, 0);
  replayed = cancel_in_process (service->api, "s3", "locked-1");
  g_assert_cmpuint (replayed->status, ==, 200);
  g_assert_true (g_bytes_equal (applied->body, replayed->body));
  g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s3", "locked-1"), ==, 1);
  bd_test_service_assert_says (service, ADMIN, "s3", "status", "disabled");
}

/*
 * PostgreSQL: a cluster of the test's own (bench/bd-pg-cluster.c)
 */

static BdPgCluster *
cluster_new (void)
{
  g_autoptr(GError) error = NULL;
  BdPgCluster *cluster = bd_pg_cluster_new ("bd_outage", &error);

  g_assert_no_error (error);
  return cluster;
}

static void
cluster_stop (BdPgCluster *cluster)
{
  g_autoptr(GError) error = NULL;

  bd_pg_cluster_stop (cluster, &error);
  g_assert_no_error (error);
}

static void
cluster_start (BdPgCluster *cluster)
{
  g_autoptr(GError) error = NULL;

  bd_pg_cluster_start (cluster, &error);
  g_assert_no_error (error);
}

/* Dropped, its directory gone. */
static void
cluster_drop (BdPgCluster *cluster)
{
  g_autoptr(GError) error = NULL;

  bd_pg_cluster_drop (cluster, &error);
  g_assert_no_error (error);
  bd_pg_cluster_free (cluster);
}

/* SQL on the cluster, behind the service's back. */
static char *
psql (BdPgCluster *cluster,
      const char  *sql)
{
  return bd_test_database_query (bd_pg_cluster_get_uri (cluster), sql);
}

/*
 * PostgreSQL: the real service over HTTP
 */

typedef struct
{
  guint  status;
  char  *retry_after;  /* (nullable) */
  char  *text;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->retry_after);
  g_free (answer->text);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

/* As the admin; @key: (nullable): a cancel's body and this Idempotency-Key */
static Answer *
http (const char *url,
      const char *method,
      const char *path,
      const char *key)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strconcat (url, path, NULL);
  SoupMessageHeaders *headers;
  Answer *answer = g_new0 (Answer, 1);

  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_timeout (session, 30);
  msg = soup_message_new (method, uri);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Authorization", "Bearer " ADMIN);
  if (key != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (CANCEL_BODY, strlen (CANCEL_BODY));

      soup_message_headers_replace (headers, "Idempotency-Key", key);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  answer->status = soup_message_get_status (msg);
  answer->retry_after = g_strdup (soup_message_headers_get_one (
    soup_message_get_response_headers (msg), "Retry-After"));
  answer->text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_test_message ("%s %s: %u %s", method, path, answer->status, answer->text);

  return answer;
}

/* A cancel of s3 that waits for its answer on a thread of its own (with a
 * session of its own), while the test goes on. Returns its Answer.
 */
static gpointer
cancel_thread (gpointer url)
{
  return http (url, "POST", "/v1/subscriptions/s3/cancel", "outage-1");
}

/* A cancel announcing a body over 1 MiB, which the server answers from the
 * headers (after checking the token) without reading it: the whole answer,
 * as raw text, up to the end of the stream the server half-closes.
 */
static char *
too_large_answer (const char *url)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  const char *head =
    "POST /v1/subscriptions/s3/cancel HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Authorization: Bearer " ADMIN "\r\n"
    "Content-Type: application/json\r\n"
    "Idempotency-Key: outage-large\r\n"
    "Content-Length: 2097152\r\n"
    "\r\n";
  guint8 buffer[4096];
  gssize n;

  g_socket_client_set_timeout (socket_client, 30);
  connection = g_socket_client_connect_to_uri (socket_client, url, 0, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), head,
                             strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);

  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (answer, buffer, (guint) n);
  g_assert_no_error (error);

  g_byte_array_append (answer, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&answer), FALSE);
}

/* 503 `unavailable` with a Retry-After of a few seconds. */
static void
assert_unavailable (Answer *answer)
{
  guint64 seconds = 0;

  g_assert_cmpuint (answer->status, ==, 503);
  g_assert_nonnull (answer->retry_after);
  g_assert_true (g_ascii_string_to_unsigned (answer->retry_after, 10, 1, 60, &seconds, NULL));
  g_assert_nonnull (strstr (answer->text, "\"code\":\"unavailable\""));
}

/* What the database holds of s3, behind the service's back: its status,
 * its ledger entries, the stored answers to its key.
 */
static void
assert_s3_holds (BdPgCluster *cluster,
                 const char *status,
                 const char *n_operations,
                 const char *n_answers)
{
  g_autofree char *stored_status = NULL;
  g_autofree char *operations = NULL;
  g_autofree char *answers = NULL;

  stored_status = psql (cluster, "SELECT status FROM subscriptions WHERE id = 's3'");
  operations = psql (cluster, "SELECT count(*) FROM operations WHERE subscription_id = 's3'");
  answers = psql (cluster, "SELECT count(*) FROM idempotency WHERE key = 'outage-1'");

  g_assert_cmpstr (stored_status, ==, status);
  g_assert_cmpstr (operations, ==, n_operations);
  g_assert_cmpstr (answers, ==, n_answers);
}

/* Writes the tenant file and starts the service on the cluster, through
 * @uri (the cluster's own over TCP, or another way to the same cluster).
 */
static BdTestChild *
start_service (BdPgCluster *cluster,
               const char  *uri)
{
  const char *dir = bd_pg_cluster_get_dir (cluster);
  g_autofree char *tenant_path = g_build_filename (dir, "tenant.json", NULL);
  g_autoptr(GError) error = NULL;
  BdTestChild *child;

  g_file_set_contents (tenant_path, TENANT, -1, &error);
  g_assert_no_error (error);

  child = bd_test_child_spawn ((const char * const []) {
                                 "--database", uri, "--tenant-file", tenant_path,
                                 "--listen", "127.0.0.1:0", "--now", NOW, NULL },
                               (const char * const []) { "BILLING_DESK_NOW", NULL });
  bd_test_child_wait_listening (child, "http://127\\.0\\.0\\.1:[0-9]+");

  return child;
}

/* Whether @sql (a count) answers more than 0 within 20 seconds. */
static gboolean
wait_for_count (BdPgCluster *cluster,
                const char *sql)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *count = psql (cluster, sql);

      if (g_strcmp0 (count, "0") != 0)
        return TRUE;
      g_usleep (100 * 1000);
    }

  return FALSE;
}

/* The outage strikes in the middle of a change: a psql session holds s3's
 * row, the cancel waits for it inside its transaction (subscription read
 * FOR UPDATE), and PostgreSQL stops there. The cancel is 503, and nothing
 * of its transaction stays (checked once PostgreSQL is back).
 */
static void
stop_during_change (BdPgCluster *cluster,
                    BdTestChild *child)
{
  g_autoptr(GSubprocess) locker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Answer) cancel = NULL;
  GThread *thread;
  const char *lock = "BEGIN;\nSELECT id FROM subscriptions WHERE id = 's3' FOR UPDATE;\n";

  locker = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                             G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             "psql", "-X", "-q", "-d", bd_pg_cluster_get_uri (cluster),
                             NULL);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (locker), lock, strlen (lock), NULL,
                             NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (g_subprocess_get_stdin_pipe (locker), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wait_for_count (cluster, "SELECT count(*) FROM pg_stat_activity "
                                          "WHERE query LIKE '%FOR UPDATE;' "
                                          "AND state = 'idle in transaction'"));

  thread = g_thread_new ("cancel", cancel_thread, child->url);
  g_assert_true (wait_for_count (cluster, "SELECT count(*) FROM pg_stat_activity "
                                          "WHERE wait_event_type = 'Lock'"));
  cluster_stop (cluster);

  cancel = g_thread_join (thread);
  assert_unavailable (cancel);
  /* The locker's session went with the server. */
  g_subprocess_force_exit (locker);
  g_assert_true (g_subprocess_wait (locker, NULL, &error));
  g_assert_no_error (error);
}

/* During the outage: health 503, a read 503, a change 503, signing in
 * 503 (never 401 or 500); the change left nothing behind.
 */
static void
check_outage (BdPgCluster *cluster,
              BdTestChild *child)
{
  g_autoptr(Answer) health = NULL;
  g_autoptr(Answer) list = NULL;
  g_autoptr(Answer) me = NULL;
  g_autoptr(Answer) cancel = NULL;
  g_autofree char *too_large = NULL;

  health = http (child->url, "GET", "/v1/health", NULL);
  g_assert_cmpuint (health->status, ==, 503);
  g_assert_cmpstr (health->text, ==, "{\"status\":\"unavailable\"}");
  g_assert_nonnull (health->retry_after);

  list = http (child->url, "GET", "/v1/subscriptions?top=2", NULL);
  assert_unavailable (list);
  me = http (child->url, "GET", "/v1/me", NULL);
  assert_unavailable (me);
  cancel = http (child->url, "POST", "/v1/subscriptions/s3/cancel", "outage-1");
  assert_unavailable (cancel);

  /* The 413 path checks the token itself, from the headers: 503 too. */
  too_large = too_large_answer (child->url);
  g_test_message ("%s", too_large);
  g_assert_true (g_str_has_prefix (too_large, "HTTP/1.1 503 "));
  g_assert_nonnull (strstr (too_large, "\r\nRetry-After: 5\r\n"));
  g_assert_nonnull (strstr (too_large, "\"code\":\"unavailable\""));
}

/* PostgreSQL stopped at once under a running instance, and started again:
 * the same process serves again, and the cancel retried with its key
 * applies once.
 */
static void
test_postgresql_restart (void)
{
  g_autoptr(BdPgCluster) cluster = NULL;
  g_autoptr(BdTestChild) child = NULL;
  g_autoptr(Answer) health = NULL;
  g_autoptr(Answer) list = NULL;
  g_autoptr(Answer) cancel = NULL;
  g_autoptr(Answer) replay = NULL;
  g_autoptr(Answer) ledger = NULL;
  g_autoptr(Answer) late = NULL;
  g_autofree char *stderr_text = NULL;
  const char *why = bd_pg_cluster_why_not ();
  gint64 stop_started;

  if (why != NULL)
    {
      g_test_skip (why);
      return;
    }

  cluster = cluster_new ();
  child = start_service (cluster, bd_pg_cluster_get_uri (cluster));
  health = http (child->url, "GET", "/v1/health", NULL);
  g_assert_cmpuint (health->status, ==, 200);
  g_clear_pointer (&health, answer_free);

  stop_during_change (cluster, child);
  check_outage (cluster, child);

  cluster_start (cluster);
  /* Nothing half-applied: the refused cancel wrote nothing. */
  assert_s3_holds (cluster, "active", "0", "0");

  health = http (child->url, "GET", "/v1/health", NULL);
  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (health->text, ==, "{\"status\":\"ok\"}");
  g_assert_null (health->retry_after);
  list = http (child->url, "GET", "/v1/subscriptions?top=2", NULL);
  g_assert_cmpuint (list->status, ==, 200);

  /* The client's retry of the unknown outcome, with the same key: once. */
  cancel = http (child->url, "POST", "/v1/subscriptions/s3/cancel", "outage-1");
  g_assert_cmpuint (cancel->status, ==, 200);
  g_assert_nonnull (strstr (cancel->text, "\"status\":\"disabled\""));
  replay = http (child->url, "POST", "/v1/subscriptions/s3/cancel", "outage-1");
  g_assert_cmpuint (replay->status, ==, 200);
  g_assert_cmpstr (replay->text, ==, cancel->text);
  assert_s3_holds (cluster, "disabled", "1", "1");
  ledger = http (child->url, "GET", "/v1/operations?subscriptionId=s3", NULL);
  g_assert_cmpuint (ledger->status, ==, 200);
  g_assert_nonnull (strstr (ledger->text, "\"idempotencyKey\":\"outage-1\""));

  /* It never restarted; and stopped while PostgreSQL is down, it exits
   * as on any other day.
   */
  g_assert_false (child->exited);
  cluster_stop (cluster);
  late = http (child->url, "GET", "/v1/subscriptions?top=2", NULL);
  assert_unavailable (late);
  stop_started = g_get_monotonic_time ();
  g_assert_cmpint (bd_test_child_finish (child, TRUE, &stderr_text), ==, 0);
  g_test_message ("exited %.3f s after SIGTERM",
                  (double) (g_get_monotonic_time () - stop_started) / G_USEC_PER_SEC);
  g_assert_null (strstr (stderr_text, " 500 "));

  cluster_drop (g_steal_pointer (&cluster));
}

/* Over the Unix socket, as a service on the database's own machine
 * connects (postgresql:///billing_desk): there the first statement after
 * the server went away fails with "server closed the connection
 * unexpectedly" while libpq still calls the connection good. Every request
 * during the outage is 503 all the same, on every worker's connection, and
 * each connection is opened again once the server is back.
 */
static void
test_postgresql_unix_socket (void)
{
  g_autoptr(BdPgCluster) cluster = NULL;
  g_autoptr(BdTestChild) child = NULL;
  g_autoptr(Answer) list = NULL;
  g_autoptr(Answer) health = NULL;
  g_autofree char *stderr_text = NULL;
  const char *why = bd_pg_cluster_why_not ();

  if (why != NULL)
    {
      g_test_skip (why);
      return;
    }

  cluster = cluster_new ();
  child = start_service (cluster, bd_pg_cluster_get_socket_uri (cluster));
  list = http (child->url, "GET", "/v1/subscriptions?top=2", NULL);
  g_assert_cmpuint (list->status, ==, 200);
  g_clear_pointer (&list, answer_free);

  cluster_stop (cluster);
  for (guint i = 0; i < LATE_REQUESTS; i++)
    {
      g_autoptr(Answer) late = http (child->url, "GET", "/v1/subscriptions?top=2", NULL);

      assert_unavailable (late);
    }
  health = http (child->url, "GET", "/v1/health", NULL);
  g_assert_cmpuint (health->status, ==, 503);

  cluster_start (cluster);
  for (guint i = 0; i < LATE_REQUESTS; i++)
    {
      list = http (child->url, "GET", "/v1/subscriptions?top=2", NULL);
      g_assert_cmpuint (list->status, ==, 200);
      g_clear_pointer (&list, answer_free);
    }

  g_assert_cmpint (bd_test_child_finish (child, TRUE, &stderr_text), ==, 0);
  g_assert_null (strstr (stderr_text, " 500 "));

  cluster_drop (g_steal_pointer (&cluster));
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

  g_test_add_func ("/outage/health", test_health);
  if (bd_test_database_is_postgresql ())
    {
      g_test_add_func ("/outage/postgresql/restart", test_postgresql_restart);
      g_test_add_func ("/outage/postgresql/unix-socket", test_postgresql_unix_socket);
    }
  else
    g_test_add_func ("/outage/sqlite/locked", test_sqlite_locked);

  return g_test_run ();
}
