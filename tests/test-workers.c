/* test-workers.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The service's worker threads (docs/design.md section 6, "Concurrency
 * inside an instance"): a request waiting on a row lock does not hold up
 * the others, many requests at once from several clients are all answered
 * right, a client or a server that goes away mid-request leaves nothing
 * behind, and SIGTERM lets the requests in hand finish.
 *
 * The row lock is held the way another instance's change holds it: a
 * store of the test's own on the same database, inside a transaction,
 * reads the subscription (SQLite: the write lock of BEGIN IMMEDIATE;
 * PostgreSQL: SELECT ... FOR UPDATE).
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "bd-test-child.h"
#include "bd-test-service.h"
#include "service-tenant.h"

#define CANCEL_BODY "{\"reason\":\"tooExpensive\"}"

/* Generous: a bound only ever fails a test that would otherwise hang. */
#define WAIT_MS 20000

/* Long enough for a worker to have taken a request and to be waiting on
 * the lock; what the tests check holds however long it is.
 */
#define SETTLE_MS 300

/*
 * Requests that the test waits for later
 */

typedef struct
{
  SoupMessage *msg;
  GBytes      *body;
  GError      *error;
  gboolean     done;
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_object (&pending->msg);
  g_clear_pointer (&pending->body, g_bytes_unref);
  g_clear_error (&pending->error);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static void
pending_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pending *pending = user_data;

  pending->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                     &pending->error);
  pending->done = TRUE;
}

static gboolean
pending_done (gpointer data)
{
  return ((Pending *) data)->done;
}

/* Sends a request on @session; @body and @key may be %NULL. */
static Pending *
send_request (SoupSession *session,
              const char  *url,
              const char  *method,
              const char  *path,
              const char  *token,
              const char  *body,
              const char  *key)
{
  g_autofree char *uri = g_strconcat (url, path, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  Pending *pending = g_new0 (Pending, 1);
  SoupMessageHeaders *headers;

  pending->msg = soup_message_new (method, uri);
  headers = soup_message_get_request_headers (pending->msg);
  soup_message_headers_replace (headers, "Authorization", authorization);
  if (key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (pending->msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (session, pending->msg, G_PRIORITY_DEFAULT, NULL,
                                    pending_cb, pending);
  return pending;
}

static void
wait_for (Pending *pending)
{
  g_assert_true (bd_test_wait_until (pending_done, pending, WAIT_MS));
  g_assert_no_error (pending->error);
}

static guint
status_of (Pending *pending)
{
  return soup_message_get_status (pending->msg);
}

/* The body's string member at @path, such as "user.id". */
static char *
string_of (Pending    *pending,
           const char *path)
{
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) names = g_strsplit (path, ".", -1);
  JsonNode *member;

  node = bd_json_parse (g_bytes_get_data (pending->body, NULL),
                        (gssize) g_bytes_get_size (pending->body), NULL);
  g_assert_nonnull (node);
  member = node;
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (member) ||
          !json_object_has_member (json_node_get_object (member), names[i]))
        g_error ("no “%s” in %.*s", path, (int) g_bytes_get_size (pending->body),
                 (const char *) g_bytes_get_data (pending->body, NULL));
      member = json_object_get_member (json_node_get_object (member), names[i]);
    }

  return g_strdup (json_node_get_string (member));
}

static SoupSession *
new_session (void)
{
  SoupSession *session = soup_session_new ();

  soup_session_set_timeout (session, WAIT_MS / 1000);
  /* Loopback only: no proxy from the environment (libproxy also trips ASan). */
  soup_session_set_proxy_resolver (session, NULL);
  return session;
}

static void
sleep_ms (guint ms)
{
  gboolean done = FALSE;

  g_assert_false (bd_test_wait_until (bd_test_is_set, &done, ms));
}

/*
 * The lock another connection holds
 */

/* Locks @id's row on a connection of its own, until released. */
static BdStore *
lock_row (const char *location,
          const char *id)
{
  g_autoptr(BdStore) store = NULL;
  g_autoptr(BdSubscriptionData) data = NULL;
  g_autoptr(GError) error = NULL;

  store = bd_store_open (location, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  g_assert_true (bd_store_begin (store, &error));
  g_assert_no_error (error);
  data = bd_store_get_subscription (store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);

  return g_steal_pointer (&store);
}

static void
release_row (BdStore *store)
{
  bd_store_rollback (store);
  g_object_unref (store);
}

static gboolean
in_flight_at_least_one (gpointer data)
{
  return bd_server_get_n_in_flight (data) >= 1;
}

static gboolean
nothing_in_flight (gpointer data)
{
  return bd_server_get_n_in_flight (data) == 0;
}

/* How many changes the workers began, and how many clients the server saw
 * go away, in this process: the server says so at debug level.
 */
static gint n_begun;  /* atomic */
static gint n_gone;   /* atomic */

static void
count_begun_cb (const char     *log_domain,
                GLogLevelFlags  log_level,
                const char     *message,
                gpointer        user_data)
{
  if (g_str_has_prefix (message, "Working on POST "))
    g_atomic_int_inc (&n_begun);
  else if (g_str_has_prefix (message, "The client of "))
    g_atomic_int_inc (&n_gone);
}

static gboolean
one_gone (gpointer data)
{
  return g_atomic_int_get (&n_gone) >= 1;
}

static gboolean
begun_at_least (gpointer data)
{
  return g_atomic_int_get (&n_begun) >= GPOINTER_TO_INT (data);
}

static gboolean
in_flight_at_least (BdServer *server,
                    guint     n)
{
  return bd_server_get_n_in_flight (server) >= n;
}

static gboolean
in_flight_at_least_workers (gpointer data)
{
  return in_flight_at_least (data, BD_SERVER_N_WORKERS);
}

/*
 * In one process: the real server with its workers
 */

static BdTestService *
start (void)
{
  return bd_test_service_new (TENANT, NOW);
}

/* While a cancel of s1 waits on s1's row lock, the same instance reads s2:
 * the answers are not one after another. What is checked is the order of
 * events, not a time: s2 comes back while the cancel is still waiting.
 */
static void
test_lock_does_not_stall (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(SoupSession) reader = new_session ();
  g_autoptr(Pending) cancel = NULL;
  g_autoptr(Pending) read = NULL;
  g_autofree char *id = NULL;
  gint64 started;
  BdStore *lock;

  lock = lock_row (service->location, "s1");

  cancel = send_request (service->session, service->url, "POST", "/v1/subscriptions/s1/cancel",
                         ADMIN, CANCEL_BODY, "stall-1");
  g_assert_true (bd_test_wait_until (in_flight_at_least_one, service->server, WAIT_MS));
  sleep_ms (SETTLE_MS);
  g_assert_false (cancel->done);

  started = g_get_monotonic_time ();
  read = send_request (reader, service->url, "GET", "/v1/subscriptions/s2", READER, NULL, NULL);
  wait_for (read);
  g_test_message ("s2 read in %.1f ms while the cancel of s1 waited",
                  (double) (g_get_monotonic_time () - started) / 1000.0);
  g_assert_cmpuint (status_of (read), ==, 200);
  id = string_of (read, "id");
  g_assert_cmpstr (id, ==, "s2");

  /* Still waiting for the lock, behind which nothing else had to wait. */
  g_assert_false (cancel->done);

  release_row (lock);
  wait_for (cancel);
  g_assert_cmpuint (status_of (cancel), ==, 200);
  g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s1", "stall-1"), ==, 1);
}

/* A connection of the test's own, to hang up on. */
static GIOStream *
send_raw_cancel (const char *url,
                 const char *key)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;

  connection = g_socket_client_connect_to_uri (client, url, 0, NULL, &error);
  g_assert_no_error (error);

  request = g_strdup_printf ("POST /v1/subscriptions/s1/cancel HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\n"
                             "Authorization: Bearer " ADMIN "\r\n"
                             "Idempotency-Key: %s\r\n"
                             "Content-Type: application/json\r\n"
                             "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                             "\r\n"
                             CANCEL_BODY,
                             key, strlen (CANCEL_BODY));
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  return G_IO_STREAM (g_steal_pointer (&connection));
}

/* Sends a cancel of s1 with @key on a session of its own (a session keeps
 * two connections to a host), which @sessions holds.
 */
static Pending *
send_cancel (BdTestService *service,
             GPtrArray     *sessions,
             const char    *key)
{
  SoupSession *session = new_session ();

  g_ptr_array_add (sessions, session);
  return send_request (session, service->url, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                       CANCEL_BODY, key);
}

/* As many cancels of s1 as there are workers wait on its row lock: changes
 * hold all workers but one, so /v1/health and a read of s2 are answered
 * while every cancel still waits. Then one cancel is done, the others are
 * 409 notActive.
 */
static void
test_changes_leave_a_worker (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) cancels = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  g_autoptr(SoupSession) reader = new_session ();
  g_autoptr(Pending) health = NULL;
  g_autoptr(Pending) read = NULL;
  g_autofree char *id = NULL;
  guint n_done = 0;
  BdStore *lock;

  lock = lock_row (service->location, "s1");

  for (guint i = 0; i < BD_SERVER_N_WORKERS; i++)
    {
      g_autofree char *key = g_strdup_printf ("full-%u", i);

      g_ptr_array_add (cancels, send_cancel (service, sessions, key));
    }
  g_assert_true (bd_test_wait_until (in_flight_at_least_workers, service->server, WAIT_MS));
  /* Lets the cancels reach the workers' queue first: without it the test
   * could pass without the rule it checks, never fail with it.
   */
  sleep_ms (SETTLE_MS);

  health = send_request (reader, service->url, "GET", "/v1/health", READER, NULL, NULL);
  read = send_request (reader, service->url, "GET", "/v1/subscriptions/s2", READER, NULL, NULL);
  wait_for (health);
  wait_for (read);
  g_assert_cmpuint (status_of (health), ==, 200);
  g_assert_cmpuint (status_of (read), ==, 200);
  id = string_of (read, "id");
  g_assert_cmpstr (id, ==, "s2");

  for (guint i = 0; i < cancels->len; i++)
    g_assert_false (((Pending *) cancels->pdata[i])->done);

  release_row (lock);
  for (guint i = 0; i < cancels->len; i++)
    {
      Pending *cancel = cancels->pdata[i];
      g_autofree char *key = g_strdup_printf ("full-%u", i);

      wait_for (cancel);
      if (status_of (cancel) != 200)
        g_assert_cmpuint (status_of (cancel), ==, 409);
      else
        {
          n_done++;
          /* One ledger entry, and it is this cancel's. */
          g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s1", key), ==, 1);
        }
    }
  g_assert_cmpuint (n_done, ==, 1);
}

/* A cancel waits for a worker behind the other changes (all workers but
 * one wait on s1's lock) when its client hangs up: it is never done, and
 * the ones that were under way are.
 */
static void
test_gone_before_begun (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) cancels = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  g_autoptr(GIOStream) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done_key = NULL;
  guint n_handler;
  BdStore *lock;

  n_handler = g_log_set_handler ("bd-server", G_LOG_LEVEL_DEBUG, count_begun_cb, NULL);
  g_atomic_int_set (&n_begun, 0);
  g_atomic_int_set (&n_gone, 0);
  lock = lock_row (service->location, "s1");

  for (guint i = 0; i < BD_SERVER_N_WORKERS - 1; i++)
    {
      g_autofree char *key = g_strdup_printf ("ahead-%u", i);

      g_ptr_array_add (cancels, send_cancel (service, sessions, key));
    }
  g_assert_true (bd_test_wait_until (begun_at_least,
                                     GINT_TO_POINTER (BD_SERVER_N_WORKERS - 1), WAIT_MS));

  connection = send_raw_cancel (service->url, "gone-queued");
  g_assert_true (bd_test_wait_until (in_flight_at_least_workers, service->server, WAIT_MS));
  g_io_stream_close (connection, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bd_test_wait_until (one_gone, NULL, WAIT_MS));

  release_row (lock);
  for (guint i = 0; i < cancels->len; i++)
    {
      g_autofree char *key = g_strdup_printf ("ahead-%u", i);

      wait_for (cancels->pdata[i]);
      if (status_of (cancels->pdata[i]) == 200)
        done_key = g_steal_pointer (&key);
    }
  g_assert_true (bd_test_wait_until (nothing_in_flight, service->server, WAIT_MS));
  /* One ledger entry, and it is a cancel's that was under way. */
  g_assert_nonnull (done_key);
  g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s1", done_key), ==, 1);
  /* Only the cancels ahead began. */
  g_assert_cmpint (g_atomic_int_get (&n_begun), ==, BD_SERVER_N_WORKERS - 1);

  g_log_remove_handler ("bd-server", n_handler);
}

#define N_CLIENTS 4
#define N_ROUNDS  6

/* What each client asks in each round, and what the answer must say. */
typedef struct
{
  const char *token;
  const char *path;
  const char *member;  /* a string member of the answer ... */
  const char *value;   /* ... and its value */
} Read;

static const Read reads[] = {
  { ADMIN, "/v1/subscriptions/s4", "id", "s4" },
  { READER, "/v1/subscriptions/s8", "purchaseChannel", "reseller" },
  { BILLING, "/v1/me", "user.id", "u2" },
  { USER, "/v1/me", "user.id", "u4" },
  { READER, "/v1/subscriptions/s6", "productName", "Exchange Online (Plan 2)" },
  { ADMIN, "/v1/subscriptions/s12", "purchaseChannel", "prepaid" },
};

/* Several clients, each with connections of its own, send their requests
 * all at once: reads of every kind by every role, and one cancel each of a
 * subscription of its own. Every answer is its own request's.
 */
static void
test_many_at_once (void)
{
  static const char * const cancelled[N_CLIENTS] = { "s1", "s2", "s3", "s5" };
  g_autoptr(BdTestService) service = start ();
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) pendings = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  g_autoptr(GPtrArray) cancels = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);

  for (guint c = 0; c < N_CLIENTS; c++)
    {
      SoupSession *session = new_session ();
      g_autofree char *path = g_strdup_printf ("/v1/subscriptions/%s/cancel", cancelled[c]);
      g_autofree char *key = g_strdup_printf ("many-%u", c);

      g_ptr_array_add (sessions, session);
      for (guint r = 0; r < N_ROUNDS; r++)
        {
          const Read *read = &reads[(c + r) % G_N_ELEMENTS (reads)];

          g_ptr_array_add (pendings, send_request (session, service->url, "GET", read->path,
                                                   read->token, NULL, NULL));
        }
      g_ptr_array_add (cancels, send_request (session, service->url, "POST", path, ADMIN,
                                              CANCEL_BODY, key));
    }

  for (guint i = 0; i < pendings->len; i++)
    {
      Pending *pending = pendings->pdata[i];
      const Read *read = &reads[(i / N_ROUNDS + i % N_ROUNDS) % G_N_ELEMENTS (reads)];
      g_autofree char *value = NULL;

      wait_for (pending);
      g_assert_cmpuint (status_of (pending), ==, 200);
      value = string_of (pending, read->member);
      g_assert_cmpstr (value, ==, read->value);
    }

  for (guint c = 0; c < N_CLIENTS; c++)
    {
      Pending *pending = cancels->pdata[c];
      g_autofree char *id = NULL;
      g_autofree char *key = g_strdup_printf ("many-%u", c);

      wait_for (pending);
      g_assert_cmpuint (status_of (pending), ==, 200);
      id = string_of (pending, "subscription.id");
      g_assert_cmpstr (id, ==, cancelled[c]);
      g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, cancelled[c], key), ==, 1);
      bd_test_service_assert_says (service, ADMIN, cancelled[c], "status", "disabled");
    }

  g_assert_true (bd_test_wait_until (nothing_in_flight, service->server, WAIT_MS));
}

/* A client that hangs up while its cancel waits for the lock: the cancel
 * still happens, once (the work was under way), its answer goes nowhere,
 * and the service goes on serving.
 */
static void
test_client_gone (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(GIOStream) connection = NULL;
  g_autoptr(BdTestAnswer) read = NULL;
  g_autoptr(GError) error = NULL;
  BdStore *lock;

  lock = lock_row (service->location, "s1");

  connection = send_raw_cancel (service->url, "gone-1");
  g_assert_true (bd_test_wait_until (in_flight_at_least_one, service->server, WAIT_MS));
  sleep_ms (SETTLE_MS);

  g_io_stream_close (connection, NULL, &error);
  g_assert_no_error (error);
  sleep_ms (SETTLE_MS);

  release_row (lock);
  g_assert_true (bd_test_wait_until (nothing_in_flight, service->server, WAIT_MS));

  g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s1", "gone-1"), ==, 1);
  read = bd_test_service_request (service, "GET", "/v1/subscriptions/s2", READER, NULL, NULL);
  g_assert_cmpuint (read->status, ==, 200);
}

/* Holds s1's row lock on a thread of its own for a while. */
typedef struct
{
  const char *location;
  guint       hold_ms;
  gint        locked;  /* atomic */
} Holder;

static gpointer
hold_row (gpointer data)
{
  Holder *holder = data;
  BdStore *lock = lock_row (holder->location, "s1");

  g_atomic_int_set (&holder->locked, TRUE);
  g_usleep (holder->hold_ms * 1000);
  release_row (lock);

  return NULL;
}

static gboolean
holder_locked (gpointer data)
{
  return g_atomic_int_get (&((Holder *) data)->locked);
}

/* The server goes away while a worker waits on the lock: the worker
 * finishes what it holds before the server is gone, and its answer, which
 * comes back after, finds nobody and is dropped.
 */
static void
test_server_gone (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(GIOStream) connection = NULL;
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GError) error = NULL;
  Holder holder = { .location = service->location, .hold_ms = 1000 };
  GThread *thread;
  guint n_handler;

  n_handler = g_log_set_handler ("bd-server", G_LOG_LEVEL_DEBUG, count_begun_cb, NULL);
  g_atomic_int_set (&n_begun, 0);
  thread = g_thread_new ("holder", hold_row, &holder);
  g_assert_true (bd_test_wait_until (holder_locked, &holder, WAIT_MS));

  connection = send_raw_cancel (service->url, "gone-2");
  g_assert_true (bd_test_wait_until (begun_at_least, GINT_TO_POINTER (1), WAIT_MS));

  g_clear_object (&service->server);
  g_thread_join (thread);

  /* The answer's way back to the main context, to nobody. */
  sleep_ms (SETTLE_MS);

  operations = bd_store_list_operations (service->store, "s1", BD_OPERATIONS_ORDER_OLDEST, 0, 10,
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (operations->len, ==, 1);
  g_assert_cmpstr (((BdStoredOperation *) operations->pdata[0])->idempotency_key, ==, "gone-2");

  g_log_remove_handler ("bd-server", n_handler);
}

/*
 * The binary: SIGTERM with requests in hand
 */

static void
assert_closes (Pending *pending)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (pending->msg);

  g_assert_true (soup_message_headers_header_contains (headers, "Connection", "close"));
}

/* Both cancels are on workers: the child said so on stderr (bd-server's
 * debug lines, G_MESSAGES_DEBUG), which the test reads as it comes.
 */
static gboolean
both_begun (gpointer data)
{
  BdTestChild *child = data;
  g_autofree char *text = g_strndup (g_memory_output_stream_get_data (child->stderr_buffer),
                                     g_memory_output_stream_get_data_size (child->stderr_buffer));
  const char *at = text;
  guint n = 0;

  while (at != NULL && (at = strstr (at, "Working on POST /v1/subscriptions/s1/cancel")) != NULL)
    {
      n++;
      at++;
    }

  return n >= 2;
}

/* Two cancels of s1 wait on its lock when SIGTERM comes: the service
 * stops accepting but answers both once the lock is gone (one 200, one
 * 409 notActive), each with Connection: close, and exits 0.
 */
static void
test_sigterm (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *tenant_path = NULL;
  g_autofree char *sqlite_path = NULL;
  g_autofree char *location = NULL;
  g_autofree char *database = NULL;
  g_autofree char *stderr_text = NULL;
  g_autoptr(BdTestChild) child = NULL;
  g_autoptr(SoupSession) first = new_session ();
  g_autoptr(SoupSession) second = new_session ();
  g_autoptr(Pending) warm_first = NULL;
  g_autoptr(Pending) warm_second = NULL;
  g_autoptr(Pending) cancel_first = NULL;
  g_autoptr(Pending) cancel_second = NULL;
  g_autoptr(GError) error = NULL;
  BdStore *lock;
  guint statuses;

  if (g_getenv ("BD_SERVICE_PATH") == NULL)
    {
      g_test_skip ("BD_SERVICE_PATH is not set");
      return;
    }

  dir = g_dir_make_tmp ("bd-test-workers-XXXXXX", &error);
  g_assert_no_error (error);
  tenant_path = g_build_filename (dir, "tenant.json", NULL);
  g_file_set_contents (tenant_path, TENANT, -1, &error);
  g_assert_no_error (error);
  sqlite_path = g_build_filename (dir, "billing.sqlite", NULL);
  location = bd_test_database_new (sqlite_path);
  database = bd_test_database_is_postgresql () ? g_strdup (location)
                                               : g_strconcat ("sqlite:", location, NULL);

  {
    const char * const args[] = {
      "--database", database, "--tenant-file", tenant_path,
      "--listen", "127.0.0.1:0", "--now", NOW, NULL
    };

    const char * const env[] = { "G_MESSAGES_DEBUG=bd-server", NULL };

    child = bd_test_child_spawn (args, env);
  }
  bd_test_child_wait_listening (child, "http://127\\.0\\.0\\.1:[0-9]+");

  /* A connection each, accepted before the signal: the requests come on
   * them.
   */
  warm_first = send_request (first, child->url, "GET", "/v1/health", ADMIN, NULL, NULL);
  warm_second = send_request (second, child->url, "GET", "/v1/health", ADMIN, NULL, NULL);
  wait_for (warm_first);
  wait_for (warm_second);

  lock = lock_row (location, "s1");
  cancel_first = send_request (first, child->url, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                               CANCEL_BODY, "term-1");
  cancel_second = send_request (second, child->url, "POST", "/v1/subscriptions/s1/cancel",
                                ADMIN, CANCEL_BODY, "term-2");
  /* Both are on workers, waiting for the lock. */
  g_assert_true (bd_test_wait_until (both_begun, child, WAIT_MS));

  g_subprocess_send_signal (child->process, SIGTERM);
  sleep_ms (SETTLE_MS);
  g_assert_false (child->exited);
  g_assert_false (cancel_first->done);
  g_assert_false (cancel_second->done);

  release_row (lock);
  wait_for (cancel_first);
  wait_for (cancel_second);
  statuses = status_of (cancel_first) + status_of (cancel_second);
  g_assert_cmpuint (statuses, ==, 200 + 409);
  assert_closes (cancel_first);
  assert_closes (cancel_second);

  g_assert_cmpint (bd_test_child_finish (child, FALSE, &stderr_text), ==, 0);
  g_assert_nonnull (strstr (stderr_text, "POST /v1/subscriptions/s1/cancel 200 "));
  g_assert_nonnull (strstr (stderr_text, "POST /v1/subscriptions/s1/cancel 409 "));

  g_clear_pointer (&child, bd_test_child_free);
  bd_test_database_drop (location);
  bd_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (bd_test_database_skip_all ())
    return g_test_run ();

  g_test_add_func ("/workers/lock-does-not-stall", test_lock_does_not_stall);
  g_test_add_func ("/workers/changes-leave-a-worker", test_changes_leave_a_worker);
  g_test_add_func ("/workers/gone-before-begun", test_gone_before_begun);
  g_test_add_func ("/workers/many-at-once", test_many_at_once);
  g_test_add_func ("/workers/client-gone", test_client_gone);
  g_test_add_func ("/workers/server-gone", test_server_gone);
  g_test_add_func ("/workers/sigterm", test_sigterm);

  return g_test_run ();
}
