/* test-server.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "bd-api.h"
#include "bd-server.h"
#include "bd-store.h"
#include "bd-test-child.h"
#include "bd-test-utils.h"

/* Every tenant here is read, and every service runs, at this moment. */
#define NOW "2026-11-03T00:00:00Z"

#define CONTOSO_TOKEN  "demo-anne-7f3a"
#define FABRIKAM_TOKEN "demo-fabrikam-1b2c"

#define TOO_LARGE_BODY \
  "{\"error\":{\"code\":\"payloadTooLarge\"," \
  "\"message\":\"The request body is larger than 1 MiB.\"}}"

/* How long anything may take before the test fails: generous, since a
 * timeout only ever fails a test that would otherwise hang.
 */
#define WAIT_MS 10000

/* The worked example's tenant (docs/design.md section 3), one user, with the
 * name, the token and the quantity of s1 to vary.
 */
#define TENANT_FILE(display_name, token, quantity) \
  "{\n" \
  "  \"tenant\": {\"displayName\": \"" display_name "\", \"cloud\": \"worldwide\",\n" \
  "             \"currency\": \"DKK\"},\n" \
  "  \"users\": [{\"id\": \"u1\", \"displayName\": \"Anne Berg\", \"roles\": [\"globalAdmin\"],\n" \
  "             \"token\": \"" token "\"}],\n" \
  "  \"billingProfiles\": [{\"id\": \"bp1\", \"displayName\": \"Contoso invoices\",\n" \
  "                       \"paymentMethod\": \"invoice\"}],\n" \
  "  \"domains\": [{\"name\": \"contoso.dk\", \"subscriptionIds\": []}],\n" \
  "  \"subscriptions\": [{\n" \
  "    \"id\": \"s1\", \"productName\": \"Microsoft 365 Business Premium\",\n" \
  "    \"status\": \"active\", \"isTrial\": false, \"isDomainSubscription\": false,\n" \
  "    \"quantity\": " quantity ", \"assignedLicenses\": 8, \"billingProfileId\": \"bp1\",\n" \
  "    \"billingFrequency\": \"monthly\",\n" \
  "    \"unitPrice\": {\"amount\": 15900, \"currency\": \"DKK\"},\n" \
  "    \"recurringBilling\": \"on\", \"purchaseChannel\": \"direct\",\n" \
  "    \"startDate\": \"2026-11-01T00:00:00Z\", \"lastRenewalDate\": \"2026-11-01T00:00:00Z\",\n" \
  "    \"termEndDate\": \"2026-12-01T00:00:00Z\"\n" \
  "  }]\n" \
  "}\n"

static const char contoso_file[] = TENANT_FILE ("Contoso A/S", CONTOSO_TOKEN, "10");
static const char fabrikam_file[] = TENANT_FILE ("Fabrikam ApS", FABRIKAM_TOKEN, "10");
static const char bad_file[] = TENANT_FILE ("Contoso A/S", CONTOSO_TOKEN, "\"ten\"");

/*
 * Waiting
 */

/* Spins the main context until @condition holds or @timeout_ms pass. */
static gboolean
no_request_in_flight (gpointer data)
{
  return bd_server_get_n_in_flight (data) == 0;
}

static gboolean
one_request_in_flight (gpointer data)
{
  return bd_server_get_n_in_flight (data) == 1;
}

static void
sleep_ms (guint ms)
{
  gboolean done = FALSE;

  g_assert_false (bd_test_wait_until (bd_test_is_set, &done, ms));
}

/*
 * The log
 */

/* bd-server's messages, while a test collects them. */
static GPtrArray *log_lines;

static GLogWriterOutput
capture_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  if (log_lines != NULL && (log_level & G_LOG_LEVEL_MESSAGE) != 0)
    {
      const char *domain = NULL;
      const char *message = NULL;
      gsize i;

      for (i = 0; i < n_fields; i++)
        {
          if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
            domain = fields[i].value;
          else if (g_str_equal (fields[i].key, "MESSAGE"))
            message = fields[i].value;
        }

      if (g_strcmp0 (domain, "bd-server") == 0 && message != NULL)
        g_ptr_array_add (log_lines, g_strdup (message));
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static gboolean
has_log_lines (gpointer data)
{
  return log_lines->len >= GPOINTER_TO_UINT (data);
}

/*
 * Files
 */

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Removes @dir and everything in it (the tests make flat directories, or
 * one level deep).
 */
static void
assert_no_database (const char *data_dir)
{
  static const char * const names[] = {
    "billing.sqlite", "billing.sqlite-wal", "billing.sqlite-shm", "billing.sqlite-journal"
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (data_dir, names[i], NULL);

      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

/*
 * HTTP with a SoupSession
 */

typedef struct
{
  GBytes   *body;
  GError   *error;
  gboolean  done;
} Exchange;

static void
send_and_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Exchange *exchange = user_data;

  exchange->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                      &exchange->error);
  exchange->done = TRUE;
}

/* Straight to the service: no proxy from the environment in between. */
static SoupSession *
new_session (void)
{
  SoupSession *session = soup_session_new ();

  soup_session_set_proxy_resolver (session, NULL);
  return session;
}

/* Sends @msg and waits for the whole answer. */
static GBytes *
exchange_message (SoupSession *session,
                  SoupMessage *msg)
{
  Exchange exchange = { 0 };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    send_and_read_cb, &exchange);
  g_assert_true (bd_test_wait_until (bd_test_is_set, &exchange.done, WAIT_MS));
  g_assert_no_error (exchange.error);

  return exchange.body;
}

static SoupMessage *
new_message (const char *url,
             const char *method,
             const char *path,
             const char *token)
{
  g_autofree char *uri = g_strconcat (url, path, NULL);
  SoupMessage *msg;

  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", value);
    }

  return msg;
}

static JsonObject *
parse_object (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                              (gssize) g_bytes_get_size (body), &error);
  g_assert_no_error (error);

  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

/* GET /v1/me as the owner of @token: the tenant's name, or NULL for 401. */
static char *
get_tenant_name (SoupSession *session,
                 const char  *url,
                 const char  *token)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *tenant;

  msg = new_message (url, "GET", "/v1/me", token);
  body = exchange_message (session, msg);

  if (soup_message_get_status (msg) == SOUP_STATUS_UNAUTHORIZED)
    return NULL;

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  object = parse_object (body);
  tenant = json_object_get_object_member (object, "tenant");
  g_assert_nonnull (tenant);

  return g_strdup (json_object_get_string_member (tenant, "displayName"));
}

/*
 * HTTP over a bare connection, for what a SoupSession will not do: send
 * headers and hold the body back
 */

typedef struct
{
  GSocketConnection *connection;
  GByteArray        *received;
  GError            *read_error;
  gboolean           eof;
  GQueue             writes;        /* GBytes, the first one being written */
  guint8             buffer[16 * 1024];
} RawClient;

static void raw_client_read (RawClient *client);

static void
raw_client_read_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RawClient *client = user_data;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &client->read_error);
  if (n_read > 0)
    {
      g_byte_array_append (client->received, client->buffer, (guint) n_read);
      raw_client_read (client);
    }
  else
    client->eof = TRUE;
}

static void
raw_client_read (RawClient *client)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (client->connection)),
                             client->buffer, sizeof client->buffer, G_PRIORITY_DEFAULT, NULL,
                             raw_client_read_cb, client);
}

static GSocketConnection *
connect_to (const char  *url,
            GError     **error)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GUri) uri = NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  g_socket_client_set_enable_proxy (socket_client, FALSE);

  /* The server runs in this thread, but the kernel completes a connection
   * to a listening socket by itself: a blocking connect is fine.
   */
  return g_socket_client_connect_to_host (socket_client, g_uri_get_host (uri),
                                          (guint16) g_uri_get_port (uri), NULL, error);
}

static RawClient *
raw_client_new (const char *url)
{
  g_autoptr(GError) error = NULL;
  RawClient *client = g_new0 (RawClient, 1);

  client->connection = connect_to (url, &error);
  g_assert_no_error (error);
  client->received = g_byte_array_new ();
  raw_client_read (client);

  return client;
}

static void raw_client_write_next (RawClient *client);

static void
raw_client_write_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RawClient *client = user_data;
  g_autoptr(GError) error = NULL;

  /* The server may close before it has all: that is what it is for. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    g_test_message ("write: %s", error->message);

  g_bytes_unref (g_queue_pop_head (&client->writes));
  raw_client_write_next (client);
}

static void
raw_client_write_next (RawClient *client)
{
  GBytes *bytes = g_queue_peek_head (&client->writes);

  if (bytes == NULL)
    return;

  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (client->connection)),
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, NULL, raw_client_write_cb, client);
}

/* Writes asynchronously, in order: the server reads in this very thread. */
static void
raw_client_send (RawClient  *client,
                 const void *data,
                 gsize       length)
{
  g_queue_push_tail (&client->writes, g_bytes_new (data, length));
  if (g_queue_get_length (&client->writes) == 1)
    raw_client_write_next (client);
}

static gboolean
raw_client_is_idle (gpointer data)
{
  RawClient *client = data;

  return g_queue_is_empty (&client->writes);
}

static void
raw_client_free (RawClient *client)
{
  /* Closing with writes pending would fail them: finish them first. */
  g_assert_true (bd_test_wait_until (raw_client_is_idle, client, WAIT_MS));
  g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  g_assert_true (bd_test_wait_until (bd_test_is_set, &client->eof, WAIT_MS));
  g_clear_error (&client->read_error);
  g_object_unref (client->connection);
  g_byte_array_unref (client->received);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawClient, raw_client_free)

/* A complete answer in the bytes received: status, headers and, after the
 * first that is not 1xx, as much body as Content-Length says.
 */
typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *body;
} RawAnswer;

static void
raw_answer_free (RawAnswer *answer)
{
  g_clear_pointer (&answer->headers, soup_message_headers_unref);
  g_free (answer->body);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawAnswer, raw_answer_free)

static RawAnswer *
raw_client_get_answer (RawClient *client,
                       gboolean   informational)
{
  const char *data = (const char *) client->received->data;
  gsize length = client->received->len;
  gsize offset = 0;

  while (offset < length)
    {
      g_autoptr(SoupMessageHeaders) headers = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *head = NULL;
      const char *start = data + offset;
      const char *end;
      RawAnswer *answer;
      guint status = 0;
      goffset body_length;
      gsize head_length;

      end = g_strstr_len (start, (gssize) (length - offset), "\r\n\r\n");
      if (end == NULL)
        return NULL;
      head_length = (gsize) (end - start) + 4;

      /* libsoup reads the status code with strtoul: a string that ends. */
      head = g_strndup (start, head_length - 2);
      headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      g_assert_true (soup_headers_parse_response (head, (int) head_length - 2, headers,
                                                  NULL, &status, &reason));

      if (SOUP_STATUS_IS_INFORMATIONAL (status) && !informational)
        {
          offset += head_length;
          continue;
        }

      body_length = soup_message_headers_get_content_length (headers);
      if (offset + head_length + (gsize) body_length > length)
        return NULL;

      answer = g_new0 (RawAnswer, 1);
      answer->status = status;
      answer->headers = g_steal_pointer (&headers);
      answer->body = g_strndup (start + head_length, (gsize) body_length);
      return answer;
    }

  return NULL;
}

static gboolean
raw_client_has_answer (gpointer data)
{
  g_autoptr(RawAnswer) answer = raw_client_get_answer (data, FALSE);

  return answer != NULL;
}

static gboolean
raw_client_has_informational (gpointer data)
{
  g_autoptr(RawAnswer) answer = raw_client_get_answer (data, TRUE);

  return answer != NULL;
}

static void
assert_too_large (RawAnswer *answer)
{
  SoupMessageHeaders *headers = answer->headers;

  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==, "application/json");
  g_assert_true (soup_message_headers_header_contains (headers, "Connection", "close"));
  g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, strlen (TOO_LARGE_BODY));
  g_assert_cmpstr (answer->body, ==, TOO_LARGE_BODY);
}

/*
 * In-process: a BdServer over a seeded temporary store
 */

typedef struct
{
  char        *dir;
  BdApi       *api;
  BdServer    *server;
  char        *url;
  SoupSession *session;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(BdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("bd-test-server-XXXXXX", &error);
  g_assert_no_error (error);

  path = g_build_filename (f->dir, "billing.sqlite", NULL);
  store = bd_store_open (path, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  file = bd_tenant_file_read (contoso_file, -1, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  bd_store_seed (store, file, &error);
  g_assert_no_error (error);

  f->api = bd_api_new (store);
  bd_api_set_frozen_now (f->api, bd_test_time (NOW));

  f->server = bd_server_new (f->api);
  /* As the service answers: on worker threads, a store each. */
  bd_server_start_workers (f->server, path, BD_STORE_DURABLE, BD_SERVER_N_WORKERS, &error);
  g_assert_no_error (error);
  bd_server_listen (f->server, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  f->url = bd_server_get_url (f->server);

  f->session = new_session ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  soup_session_abort (f->session);
  g_clear_object (&f->session);

  /* A refused connection may still be closing. */
  g_assert_true (bd_test_wait_until (no_request_in_flight, f->server, WAIT_MS));
  g_assert_finalize_object (f->server);
  g_assert_finalize_object (f->api);

  bd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->url);
}

static void
test_health (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;

  msg = new_message (f->url, "GET", "/v1/health", NULL);
  body = exchange_message (f->session, msg);

  headers = soup_message_get_response_headers (msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Server"), ==,
                   "billing-desk-service/" PACKAGE_VERSION);

  /* A kept-alive connection between requests is not a request in flight,
   * or it would hold up every exit.
   */
  g_assert_cmpuint (bd_server_get_n_in_flight (f->server), ==, 0);
}

static void
test_me (Fixture       *f,
         gconstpointer  data)
{
  g_autofree char *contoso = NULL;
  g_autofree char *nobody = NULL;

  /* The Authorization header reaches the API... */
  contoso = get_tenant_name (f->session, f->url, CONTOSO_TOKEN);
  g_assert_cmpstr (contoso, ==, "Contoso A/S");

  /* ... and so does its absence. */
  nobody = get_tenant_name (f->session, f->url, NULL);
  g_assert_null (nobody);
}

static void
test_etag (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *etag;

  msg = new_message (f->url, "GET", "/v1/subscriptions/s1", CONTOSO_TOKEN);
  body = exchange_message (f->session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);

  etag = soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag");
  g_assert_nonnull (etag);
  object = parse_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "etag"), ==, etag);
}

static void
test_url_is_loopback (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *expected = NULL;

  uri = g_uri_parse (f->url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "http");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);

  /* No path: nextLink is the base URL plus an absolute path. */
  expected = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
  g_assert_cmpstr (f->url, ==, expected);
}

/* 401 before 413 (docs/design.md section 3), even when the body is never read. */
static void
test_too_large_unauthenticated (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(RawClient) client = NULL;
  g_autoptr(RawAnswer) answer = NULL;
  static const char head[] =
    "POST /v1/subscriptions/s1/cancel HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Authorization: Bearer not-a-token\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 2097152\r\n"
    "\r\n";

  client = raw_client_new (f->url);
  raw_client_send (client, head, strlen (head));

  g_assert_true (bd_test_wait_until (raw_client_has_answer, client, 1000));
  answer = raw_client_get_answer (client, FALSE);
  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_UNAUTHORIZED);
  g_assert_true (soup_message_headers_header_contains (answer->headers, "Connection", "close"));
  g_assert_nonnull (strstr (answer->body, "\"code\":\"unauthenticated\""));
}

/* A Content-Length over 1 MiB is answered from the headers alone. With
 * @data, some of the body is on its way already: the answer must survive it.
 */
static void
test_too_large_announced (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(RawClient) client = NULL;
  g_autoptr(RawAnswer) answer = NULL;
  gboolean some_body = GPOINTER_TO_INT (data);
  static const char head[] =
    "POST /v1/subscriptions/s1/cancel HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Authorization: Bearer " CONTOSO_TOKEN "\r\n"
    "Content-Type: application/json\r\n"
    "Idempotency-Key: k1\r\n"
    "Content-Length: 2097152\r\n"
    "\r\n";
  gint64 sent;

  client = raw_client_new (f->url);
  raw_client_send (client, head, strlen (head));
  if (some_body)
    {
      g_autofree char *part = g_malloc0 (64 * 1024);

      memset (part, ' ', 64 * 1024);
      raw_client_send (client, part, 64 * 1024);
    }
  sent = g_get_monotonic_time ();

  /* The rest of the 2 MiB never comes: only an answer from the headers
   * arrives in time.
   */
  g_assert_true (bd_test_wait_until (raw_client_has_answer, client, 1000));
  g_test_message ("413 after %" G_GINT64_FORMAT " µs", g_get_monotonic_time () - sent);

  answer = raw_client_get_answer (client, FALSE);
  assert_too_large (answer);

  /* The server half-closed: the client sees the end of the stream. */
  g_assert_true (bd_test_wait_until (bd_test_is_set, &client->eof, 1000));
  g_assert_no_error (client->read_error);
}

/* A chunked body has no announced length: it is cut off past 1 MiB. */
static void
test_too_large_chunked (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RawClient) client = NULL;
  g_autoptr(RawAnswer) answer = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  static const char head[] =
    "POST /v1/subscriptions/s1/cancel HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Authorization: Bearer " CONTOSO_TOKEN "\r\n"
    "Content-Type: application/json\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n";
  guint i;

  /* 24 chunks of 64 KiB: 1.5 MiB. */
  for (i = 0; i < 24; i++)
    {
      gsize before;

      g_string_append (body, "10000\r\n");
      before = body->len;
      g_string_set_size (body, before + 65536);
      memset (body->str + before, ' ', 65536);
      g_string_append (body, "\r\n");
    }
  g_string_append (body, "0\r\n\r\n");

  client = raw_client_new (f->url);
  raw_client_send (client, head, strlen (head));
  raw_client_send (client, body->str, body->len);

  g_assert_true (bd_test_wait_until (raw_client_has_answer, client, WAIT_MS));
  answer = raw_client_get_answer (client, FALSE);
  assert_too_large (answer);
}

/* What a real client sees that sends a large body whole. */
static void
test_too_large_session (Fixture       *f,
                        gconstpointer  data)
{
  gsize size = GPOINTER_TO_SIZE (data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) request_body = NULL;
  g_autoptr(GBytes) body = NULL;
  char *text;

  text = g_malloc (size);
  memset (text, ' ', size);
  request_body = g_bytes_new_take (text, size);

  msg = new_message (f->url, "POST", "/v1/subscriptions/s1/cancel", CONTOSO_TOKEN);
  soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  body = exchange_message (f->session, msg);

  if (size > BD_API_MAX_BODY)
    {
      g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
      g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                       TOO_LARGE_BODY, strlen (TOO_LARGE_BODY));
    }
  else
    {
      /* Exactly 1 MiB reaches the API, which has its own say. */
      g_assert_cmpuint (soup_message_get_status (msg), !=, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
      g_assert_cmpuint (soup_message_get_status (msg), >=, 400);
    }
}

static void
test_log (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) newline = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) newline_body = NULL;
  SoupMessageHeaders *headers;
  guint i;

  log_lines = g_ptr_array_new_with_free_func (g_free);

  msg = new_message (f->url, "GET", "/v1/me?skipToken=secret-query-value", CONTOSO_TOKEN);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Idempotency-Key", "secret-key-value");
  soup_message_headers_replace (headers, "If-Match", "\"secret-etag-value\"");
  body = exchange_message (f->session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);

  /* A decoded %0A must not start a line of its own. */
  newline = new_message (f->url, "GET", "/v1/forged%0Aline", NULL);
  newline_body = exchange_message (f->session, newline);

  g_assert_true (bd_test_wait_until (has_log_lines, GUINT_TO_POINTER (2), WAIT_MS));
  g_assert_cmpuint (log_lines->len, ==, 2);

  for (i = 0; i < log_lines->len; i++)
    {
      const char *line = log_lines->pdata[i];

      g_test_message ("logged: %s", line);
      g_assert_null (strstr (line, CONTOSO_TOKEN));
      g_assert_null (strstr (line, "Bearer"));
      g_assert_null (strstr (line, "secret"));
      g_assert_null (strchr (line, '\n'));
      g_assert_true (g_regex_match_simple ("^[A-Z]+ /\\S* [0-9]{3} [0-9]+\\.[0-9] ms$",
                                           line, 0, 0));
    }

  g_assert_true (g_regex_match_simple ("^GET /v1/me 200 [0-9]+\\.[0-9] ms$",
                                       log_lines->pdata[0], 0, 0));
  g_assert_true (g_str_has_prefix (log_lines->pdata[1], "GET /v1/forged"));

  g_clear_pointer (&log_lines, g_ptr_array_unref);
}

static void
test_log_too_large (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(RawClient) client = NULL;
  static const char head[] =
    "PATCH /v1/subscriptions/s1 HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Authorization: Bearer " CONTOSO_TOKEN "\r\n"
    "Content-Length: 1048577\r\n"
    "\r\n";

  log_lines = g_ptr_array_new_with_free_func (g_free);

  client = raw_client_new (f->url);
  raw_client_send (client, head, strlen (head));
  g_assert_true (bd_test_wait_until (raw_client_has_answer, client, WAIT_MS));

  g_assert_cmpuint (log_lines->len, ==, 1);
  g_assert_true (g_regex_match_simple ("^PATCH /v1/subscriptions/s1 413 [0-9]+\\.[0-9] ms$",
                                       log_lines->pdata[0], 0, 0));

  g_clear_pointer (&log_lines, g_ptr_array_unref);
}

/* bd_server_disconnect () stops accepting, and the request in flight still
 * gets its answer.
 */
static void
test_disconnect (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(RawClient) client = NULL;
  g_autoptr(RawAnswer) answer = NULL;
  g_autoptr(GSocketConnection) late = NULL;
  g_autoptr(GError) error = NULL;
  static const char head[] =
    "POST /v1/subscriptions/s1/cancel HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 2\r\n"
    "\r\n"
    "{";

  client = raw_client_new (f->url);
  raw_client_send (client, head, strlen (head));
  g_assert_true (bd_test_wait_until (one_request_in_flight, f->server, WAIT_MS));

  bd_server_disconnect (f->server);

  late = connect_to (f->url, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_null (late);

  /* Let the main loop run: the request stays in flight, unanswered. */
  sleep_ms (100);
  g_assert_cmpuint (bd_server_get_n_in_flight (f->server), ==, 1);
  g_assert_cmpuint (client->received->len, ==, 0);

  raw_client_send (client, "}", 1);
  g_assert_true (bd_test_wait_until (raw_client_has_answer, client, WAIT_MS));
  answer = raw_client_get_answer (client, FALSE);
  g_assert_cmpuint (answer->status, >=, 400);
  g_assert_true (soup_message_headers_header_contains (answer->headers, "Connection", "close"));

  g_assert_true (bd_test_wait_until (no_request_in_flight, f->server, WAIT_MS));
}

/*
 * Addresses
 */

/* A second server over the fixture's API, not listening yet. */
static void
test_refuses_remote (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const remote[] = {
    "0.0.0.0:0", "0.0.0.0:8421", "192.0.2.10:8421", "10.1.2.3:80", "[::]:0",
    "[2001:db8::1]:8421", "[::ffff:127.0.0.1]:8421",
  };
  static const char * const invalid[] = {
    "", "127.0.0.1", "127.0.0.1:", ":8421", "127.0.0.1:65536", "127.0.0.1:-1",
    "127.0.0.1:+1", "127.0.0.1:84x", "localhost:8421", "127.1:8421", "::1:8421",
    "[::1]8421", "[::1]:", "[127.0.0.1]:8421", "[::1:8421", "http://127.0.0.1:8421",
  };
  g_autoptr(BdServer) server = bd_server_new (f->api);
  g_autoptr(GError) error = NULL;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (remote); i++)
    {
      g_test_message ("remote: %s", remote[i]);
      g_assert_false (bd_server_listen (server, remote[i], &error));
      g_assert_error (error, BD_SERVER_ERROR, BD_SERVER_ERROR_NOT_LOOPBACK);
      g_assert_nonnull (strstr (error->message, remote[i]));
      g_clear_error (&error);
    }

  for (i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("invalid: “%s”", invalid[i]);
      g_assert_false (bd_server_listen (server, invalid[i], &error));
      g_assert_error (error, BD_SERVER_ERROR, BD_SERVER_ERROR_INVALID_ADDRESS);
      g_clear_error (&error);
    }

  /* Allowed, a remote address gets as far as the kernel, which has no
   * such address to bind: nothing is opened to the network here.
   */
  bd_server_set_allow_remote (server, TRUE);
  g_assert_false (bd_server_listen (server, "192.0.2.10:8421", &error));
  g_assert_true (error->domain == G_IO_ERROR);
  g_clear_error (&error);

  g_assert_null (bd_server_get_url (server));
}

static void
test_ipv6 (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(BdServer) server = bd_server_new (f->api);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (!bd_server_listen (server, "[::1]:0", &error))
    {
      g_test_skip_printf ("no IPv6 loopback here: %s", error->message);
      return;
    }

  url = bd_server_get_url (server);
  g_assert_true (g_str_has_prefix (url, "http://[::1]:"));

  session = new_session ();
  msg = new_message (url, "GET", "/v1/health", NULL);
  body = exchange_message (session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
}

/*
 * The billing-desk-service binary
 */

typedef BdTestChild Child;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Child, bd_test_child_free)

static const char *
service_path (void)
{
  const char *path = g_getenv ("BD_SERVICE_PATH");

  if (path == NULL)
    g_test_skip ("BD_SERVICE_PATH is not set");

  return path;
}

/* Starts billing-desk-service with @args after the program name, with
 * BILLING_DESK_NOW set to @now_env, or unset.
 */
static Child *
child_spawn (const char * const *args,
             const char         *now_env)
{
  g_autofree char *now = now_env != NULL ? g_strconcat ("BILLING_DESK_NOW=", now_env, NULL)
                                         : g_strdup ("BILLING_DESK_NOW");
  const char * const env[] = { now, NULL };

  return bd_test_child_spawn (args, env);
}

static void
child_wait_listening (Child *child)
{
  bd_test_child_wait_listening (child, "http://127\\.0\\.0\\.1:[0-9]+");
}

/* Waits for the exit; answers the exit status, and the whole of stderr. */
static int
child_finish (Child  *child,
              char  **stderr_text)
{
  return bd_test_child_finish (child, FALSE, stderr_text);
}

static int
child_stop (Child  *child,
            char  **stderr_text)
{
  return bd_test_child_finish (child, TRUE, stderr_text);
}

typedef struct
{
  char *dir;
  char *data_dir;
  char *tenant_path;
} BinaryFixture;

static void
binary_set_up (BinaryFixture *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("bd-test-service-XXXXXX", &error);
  g_assert_no_error (error);

  /* Not there yet: the service makes it. */
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->tenant_path = g_build_filename (f->dir, "tenant.json", NULL);
  write_file (f->tenant_path, data != NULL ? data : contoso_file);
}

static void
binary_tear_down (BinaryFixture *f,
                  gconstpointer  data)
{
  bd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->tenant_path);
}

static void
test_binary_start_stop (BinaryFixture *f,
                        gconstpointer  data)
{
  const char * const args[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  g_autoptr(Child) child = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *stderr_text = NULL;
  GStatBuf buf;

  if (service_path () == NULL)
    return;

  child = child_spawn (args, NULL);
  child_wait_listening (child);

  session = new_session ();
  msg = new_message (child->url, "GET", "/v1/health", NULL);
  body = exchange_message (session, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);

  tenant = get_tenant_name (session, child->url, CONTOSO_TOKEN);
  g_assert_cmpstr (tenant, ==, "Contoso A/S");

  g_assert_cmpint (child_stop (child, &stderr_text), ==, 0);
  g_assert_nonnull (strstr (stderr_text, "GET /v1/health 200 "));
  g_assert_null (strstr (stderr_text, CONTOSO_TOKEN));

  /* The data directory is the user's own. */
  g_assert_no_errno (g_stat (f->data_dir, &buf));
  g_assert_cmpint (buf.st_mode & 0777, ==, 0700);
}

/* SIGTERM lets the request in flight finish before the service exits. */
static void
test_binary_graceful (BinaryFixture *f,
                      gconstpointer  data)
{
  const char * const args[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  g_autoptr(Child) child = NULL;
  g_autoptr(RawClient) client = NULL;
  g_autoptr(RawAnswer) informational = NULL;
  g_autoptr(RawAnswer) answer = NULL;
  g_autofree char *stderr_text = NULL;
  static const char head[] =
    "POST /v1/subscriptions/s1/cancel HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 2\r\n"
    "Expect: 100-continue\r\n"
    "\r\n";

  if (service_path () == NULL)
    return;

  child = child_spawn (args, NULL);
  child_wait_listening (child);

  /* "100 Continue" says the service has the headers: the request is in
   * flight before the signal comes.
   */
  client = raw_client_new (child->url);
  raw_client_send (client, head, strlen (head));
  g_assert_true (bd_test_wait_until (raw_client_has_informational, client, WAIT_MS));
  informational = raw_client_get_answer (client, TRUE);
  g_assert_cmpuint (informational->status, ==, SOUP_STATUS_CONTINUE);

  g_subprocess_send_signal (child->process, SIGTERM);
  sleep_ms (300);
  g_assert_false (child->exited);

  raw_client_send (client, "{}", 2);
  g_assert_true (bd_test_wait_until (raw_client_has_answer, client, WAIT_MS));
  answer = raw_client_get_answer (client, FALSE);
  g_assert_cmpuint (answer->status, >=, 400);
  g_assert_true (soup_message_headers_header_contains (answer->headers, "Connection", "close"));

  g_assert_cmpint (child_finish (child, &stderr_text), ==, 0);
}

/* Nothing half-loaded: a bad file leaves no database behind. */
static void
test_binary_bad_tenant_file (BinaryFixture *f,
                             gconstpointer  data)
{
  const char * const args[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  g_autoptr(Child) child = NULL;
  g_autofree char *stderr_text = NULL;
  g_autofree char *expected = NULL;

  if (service_path () == NULL)
    return;

  child = child_spawn (args, NULL);
  g_assert_cmpint (child_finish (child, &stderr_text), ==, 1);
  g_assert_null (child->line);

  expected = g_strdup_printf ("billing-desk-service: %s: subscriptions[0].quantity: ",
                              f->tenant_path);
  g_assert_true (g_str_has_prefix (stderr_text, expected));
  assert_no_database (f->data_dir);
}

static void
test_binary_no_tenant (BinaryFixture *f,
                       gconstpointer  data)
{
  const char * const args[] = {
    "--data-dir", f->data_dir, "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  g_autoptr(Child) child = NULL;
  g_autofree char *stderr_text = NULL;

  if (service_path () == NULL)
    return;

  child = child_spawn (args, NULL);
  g_assert_cmpint (child_finish (child, &stderr_text), ==, 1);
  g_assert_nonnull (strstr (stderr_text, "--tenant-file"));
  assert_no_database (f->data_dir);
}

/* A data directory that holds a tenant keeps it. */
static void
test_binary_keeps_data (BinaryFixture *f,
                        gconstpointer  data)
{
  const char * const args[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  g_autoptr(Child) first = NULL;
  g_autoptr(Child) second = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *first_stderr = NULL;
  g_autofree char *second_stderr = NULL;
  g_autofree char *contoso = NULL;
  g_autofree char *fabrikam = NULL;

  if (service_path () == NULL)
    return;

  first = child_spawn (args, NULL);
  child_wait_listening (first);
  g_assert_cmpint (child_stop (first, &first_stderr), ==, 0);
  g_assert_null (strstr (first_stderr, "ignored"));

  /* Another tenant in the same file: ignored, with a notice. */
  write_file (f->tenant_path, fabrikam_file);
  second = child_spawn (args, NULL);
  child_wait_listening (second);

  session = new_session ();
  contoso = get_tenant_name (session, second->url, CONTOSO_TOKEN);
  g_assert_cmpstr (contoso, ==, "Contoso A/S");
  fabrikam = get_tenant_name (session, second->url, FABRIKAM_TOKEN);
  g_assert_null (fabrikam);

  g_assert_cmpint (child_stop (second, &second_stderr), ==, 0);
  g_assert_nonnull (strstr (second_stderr, f->tenant_path));
  g_assert_nonnull (strstr (second_stderr, "ignored"));
}

static void
test_binary_bad_now (BinaryFixture *f,
                     gconstpointer  data)
{
  const char * const bad_option[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", "yesterday", NULL
  };
  const char * const no_option[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", NULL
  };
  const char * const good_option[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  g_autoptr(Child) option = NULL;
  g_autoptr(Child) env = NULL;
  g_autoptr(Child) both = NULL;
  g_autofree char *option_stderr = NULL;
  g_autofree char *env_stderr = NULL;
  g_autofree char *both_stderr = NULL;

  if (service_path () == NULL)
    return;

  /* A usage error: exit status 2, before anything is written. */
  option = child_spawn (bad_option, NULL);
  g_assert_cmpint (child_finish (option, &option_stderr), ==, 2);
  g_assert_nonnull (strstr (option_stderr, "--now"));
  g_assert_nonnull (strstr (option_stderr, "yesterday"));
  g_assert_false (g_file_test (f->data_dir, G_FILE_TEST_EXISTS));

  env = child_spawn (no_option, "2026-13-01T00:00:00Z");
  g_assert_cmpint (child_finish (env, &env_stderr), ==, 2);
  g_assert_nonnull (strstr (env_stderr, "BILLING_DESK_NOW"));

  /* The option wins over the environment. */
  both = child_spawn (good_option, "2026-13-01T00:00:00Z");
  child_wait_listening (both);
  g_assert_cmpint (child_stop (both, &both_stderr), ==, 0);
}

/* --database and BILLING_DESK_DATABASE (docs/design.md section 6): a bad
 * location, a password in a URI or both options are a bad command line;
 * the environment counts only without either option; a database that does
 * not answer is exit status 1.
 */
static void
test_binary_database_option (BinaryFixture *f,
                             gconstpointer  data)
{
  g_autofree char *env_db = g_build_filename (f->dir, "env.sqlite", NULL);
  g_autofree char *env_location = g_strconcat ("BILLING_DESK_DATABASE=sqlite:", env_db, NULL);
  const char *password_env = "BILLING_DESK_DATABASE=postgresql://billing:secret@127.0.0.1/b";
  const char * const both[] = {
    "--database", "sqlite:x.sqlite", "--data-dir", f->data_dir, "--tenant-file",
    f->tenant_path, "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  const char * const password[] = {
    "--database", "postgresql://billing:secret@127.0.0.1/billing", "--tenant-file",
    f->tenant_path, "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  const char * const nonsense[] = {
    "--database", "billing.sqlite", "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  const char * const unreachable[] = {
    "--database", "postgresql://billing@127.0.0.1:1/billing?connect_timeout=5",
    "--tenant-file", f->tenant_path, "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  const char * const no_database[] = {
    "--tenant-file", f->tenant_path, "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  const char * const data_dir[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  const char * const sqlite_env[] = { env_location, NULL };
  const char * const bad_env[] = { password_env, NULL };
  const struct {
    const char * const *args;
    const char * const *env;
    int                 status;
    const char         *says;
  } refused[] = {
    { both, NULL, 2, "not both" },
    { password, NULL, 2, "PGPASSWORD" },
    { nonsense, NULL, 2, "sqlite:PATH" },
    { no_database, bad_env, 2, "BILLING_DESK_DATABASE: A password" },
    { unreachable, NULL, 1, "could not be opened" },
  };

  if (service_path () == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(Child) child = bd_test_child_spawn (refused[i].args, refused[i].env);
      g_autofree char *stderr_text = NULL;

      g_test_message ("case %u", i);
      g_assert_cmpint (child_finish (child, &stderr_text), ==, refused[i].status);
      g_assert_null (child->line);
      g_assert_nonnull (strstr (stderr_text, refused[i].says));
      g_assert_null (strstr (stderr_text, "secret"));
      g_assert_false (g_file_test (f->data_dir, G_FILE_TEST_EXISTS));
    }

  /* The environment's database, when no option names one ... */
  {
    g_autoptr(Child) child = bd_test_child_spawn (no_database, sqlite_env);
    g_autofree char *stderr_text = NULL;

    child_wait_listening (child);
    g_assert_cmpint (child_stop (child, &stderr_text), ==, 0);
    g_assert_true (g_file_test (env_db, G_FILE_TEST_IS_REGULAR));
  }

  /* ... and not when --data-dir does. */
  {
    g_autoptr(Child) child = bd_test_child_spawn (data_dir, bad_env);
    g_autofree char *stderr_text = NULL;

    child_wait_listening (child);
    g_assert_cmpint (child_stop (child, &stderr_text), ==, 0);
    g_assert_true (g_file_test (f->data_dir, G_FILE_TEST_IS_DIR));
  }
}

/* A bad or remote --listen is a usage error; a port in use is not. */
static void
test_binary_bad_listen (BinaryFixture *f,
                        gconstpointer  data)
{
  const char * const remote[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "0.0.0.0:8421", "--now", NOW, NULL
  };
  const char * const first_args[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  const char *second_args[] = {
    "--data-dir", f->data_dir, "--listen", NULL /* the port of the first */, "--now", NOW, NULL
  };
  g_autoptr(Child) refused = NULL;
  g_autoptr(Child) first = NULL;
  g_autoptr(Child) second = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *refused_stderr = NULL;
  g_autofree char *first_stderr = NULL;
  g_autofree char *second_stderr = NULL;
  g_autofree char *taken = NULL;

  if (service_path () == NULL)
    return;

  refused = child_spawn (remote, NULL);
  g_assert_cmpint (child_finish (refused, &refused_stderr), ==, 2);
  g_assert_nonnull (strstr (refused_stderr, "0.0.0.0:8421"));
  g_assert_nonnull (strstr (refused_stderr, "loopback"));

  /* The same port twice: the second start fails, and says why. */
  first = child_spawn (first_args, NULL);
  child_wait_listening (first);
  uri = g_uri_parse (first->url, G_URI_FLAGS_NONE, NULL);
  taken = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  second_args[3] = taken;

  second = child_spawn (second_args, NULL);
  g_assert_cmpint (child_finish (second, &second_stderr), ==, 1);
  g_assert_nonnull (strstr (second_stderr, taken));

  g_assert_cmpint (child_stop (first, &first_stderr), ==, 0);
}

/* Durability: kill -9 right after a 200, restart on the same data
 * directory, and the change is there — once.
 */
static void
test_binary_kill_after_commit (BinaryFixture *f,
                               gconstpointer  data)
{
  const char * const args[] = {
    "--data-dir", f->data_dir, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };
  static const char cancel_body[] = "{\"reason\":\"noLongerNeeded\"}";
  g_autoptr(Child) first = NULL;
  g_autoptr(Child) second = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) cancel = NULL;
  g_autoptr(SoupMessage) get = NULL;
  g_autoptr(SoupMessage) ledger = NULL;
  g_autoptr(GBytes) cancel_answer = NULL;
  g_autoptr(GBytes) get_answer = NULL;
  g_autoptr(GBytes) ledger_answer = NULL;
  g_autoptr(GBytes) request = g_bytes_new_static (cancel_body, strlen (cancel_body));
  g_autoptr(JsonObject) subscription = NULL;
  g_autoptr(JsonObject) operations = NULL;

  if (service_path () == NULL)
    return;

  first = child_spawn (args, NULL);
  child_wait_listening (first);

  session = new_session ();
  cancel = new_message (first->url, "POST", "/v1/subscriptions/s1/cancel", CONTOSO_TOKEN);
  soup_message_headers_replace (soup_message_get_request_headers (cancel), "Idempotency-Key",
                                "durable-1");
  soup_message_set_request_body_from_bytes (cancel, "application/json", request);
  cancel_answer = exchange_message (session, cancel);
  g_assert_cmpuint (soup_message_get_status (cancel), ==, SOUP_STATUS_OK);

  /* No chance to flush anything after the answer. */
  g_subprocess_send_signal (first->process, SIGKILL);
  g_assert_true (bd_test_wait_until (bd_test_is_set, &first->exited, WAIT_MS));
  g_assert_true (g_subprocess_get_if_signaled (first->process));
  g_clear_object (&session);

  second = child_spawn (args, NULL);
  child_wait_listening (second);
  session = new_session ();

  get = new_message (second->url, "GET", "/v1/subscriptions/s1", CONTOSO_TOKEN);
  get_answer = exchange_message (session, get);
  g_assert_cmpuint (soup_message_get_status (get), ==, SOUP_STATUS_OK);
  subscription = parse_object (get_answer);
  g_assert_cmpstr (json_object_get_string_member (subscription, "status"), ==, "disabled");

  ledger = new_message (second->url, "GET", "/v1/operations?subscriptionId=s1", CONTOSO_TOKEN);
  ledger_answer = exchange_message (session, ledger);
  g_assert_cmpuint (soup_message_get_status (ledger), ==, SOUP_STATUS_OK);
  operations = parse_object (ledger_answer);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (operations, "value")),
                    ==, 1);

  /* The same request again is the same answer, not a second cancel. */
  {
    g_autoptr(SoupMessage) replay = NULL;
    g_autoptr(GBytes) replay_answer = NULL;

    replay = new_message (second->url, "POST", "/v1/subscriptions/s1/cancel", CONTOSO_TOKEN);
    soup_message_headers_replace (soup_message_get_request_headers (replay), "Idempotency-Key",
                                  "durable-1");
    soup_message_set_request_body_from_bytes (replay, "application/json", request);
    replay_answer = exchange_message (session, replay);
    g_assert_cmpuint (soup_message_get_status (replay), ==, SOUP_STATUS_OK);
    g_assert_true (g_bytes_equal (replay_answer, cancel_answer));
  }
}

/*
 * The binary on PostgreSQL (the -pg run): each test in a database of its own
 */

typedef struct
{
  BinaryFixture  files;
  char          *location;
} PgFixture;

static void
pg_set_up (PgFixture     *f,
           gconstpointer  data)
{
  binary_set_up (&f->files, data);
  f->location = bd_test_database_new (NULL);
}

static void
pg_tear_down (PgFixture     *f,
              gconstpointer  data)
{
  bd_test_database_drop (f->location);
  g_free (f->location);
  binary_tear_down (&f->files, data);
}

static Child *
pg_spawn (PgFixture *f)
{
  const char * const args[] = {
    "--database", f->location, "--tenant-file", f->files.tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };

  return child_spawn (args, NULL);
}

/* Seeded on the first start, kept on the second, which says so. */
static void
test_pg_serve (PgFixture     *f,
               gconstpointer  data)
{
  if (service_path () == NULL)
    return;

  for (guint start = 0; start < 2; start++)
    {
      g_autoptr(Child) child = pg_spawn (f);
      g_autoptr(SoupSession) session = new_session ();
      g_autofree char *tenant = NULL;
      g_autofree char *stderr_text = NULL;

      child_wait_listening (child);
      tenant = get_tenant_name (session, child->url, CONTOSO_TOKEN);
      g_assert_cmpstr (tenant, ==, "Contoso A/S");
      g_assert_cmpint (child_stop (child, &stderr_text), ==, 0);
      g_assert_true ((strstr (stderr_text, "holds a tenant already") != NULL) == (start == 1));
    }
}

/* A database a newer service wrote: exit status 1, a clear message. */
static void
test_pg_newer_schema (PgFixture     *f,
                      gconstpointer  data)
{
  g_autoptr(Child) first = NULL;
  g_autoptr(Child) second = NULL;
  g_autofree char *first_stderr = NULL;
  g_autofree char *stderr_text = NULL;

  if (service_path () == NULL)
    return;

  first = pg_spawn (f);
  child_wait_listening (first);
  g_assert_cmpint (child_stop (first, &first_stderr), ==, 0);

  g_free (bd_test_database_query (f->location, "UPDATE schema_version SET version = 99"));
  second = pg_spawn (f);
  g_assert_cmpint (child_finish (second, &stderr_text), ==, 1);
  g_assert_null (second->line);
  g_assert_nonnull (strstr (stderr_text, "newer version of the service (layout 99"));
}

/* A failed seed leaves the database without a tenant. */
static void
test_pg_bad_tenant_file (PgFixture     *f,
                         gconstpointer  data)
{
  g_autoptr(Child) child = NULL;
  g_autofree char *stderr_text = NULL;
  g_autofree char *tenants = NULL;

  if (service_path () == NULL)
    return;

  child = pg_spawn (f);
  g_assert_cmpint (child_finish (child, &stderr_text), ==, 1);
  g_assert_nonnull (strstr (stderr_text, "subscriptions[0].quantity: "));

  tenants = bd_test_database_query (f->location, "SELECT count(*) FROM tenant");
  g_assert_cmpstr (tenants, ==, "0");
}

#define N_INSTANCES 3

/* Instances started at once on one empty database: exactly one seeds, the
 * others wait for it and say that the database holds a tenant already.
 */
static void
test_pg_seed_at_once (PgFixture     *f,
                      gconstpointer  data)
{
  Child *children[N_INSTANCES];
  guint seeded = 0;
  g_autofree char *tenants = NULL;

  if (service_path () == NULL)
    return;

  for (guint i = 0; i < N_INSTANCES; i++)
    children[i] = pg_spawn (f);

  for (guint i = 0; i < N_INSTANCES; i++)
    {
      g_autofree char *stderr_text = NULL;

      child_wait_listening (children[i]);
      g_assert_cmpint (child_stop (children[i], &stderr_text), ==, 0);
      seeded += strstr (stderr_text, "holds a tenant already") == NULL;
      bd_test_child_free (children[i]);
    }

  g_assert_cmpuint (seeded, ==, 1);
  tenants = bd_test_database_query (f->location, "SELECT count(*) FROM tenant");
  g_assert_cmpstr (tenants, ==, "1");
}

static void
add_pg_tests (void)
{
  g_test_add ("/service/pg/serve", PgFixture, NULL, pg_set_up, test_pg_serve, pg_tear_down);
  g_test_add ("/service/pg/newer-schema", PgFixture, NULL,
              pg_set_up, test_pg_newer_schema, pg_tear_down);
  g_test_add ("/service/pg/bad-tenant-file", PgFixture, bad_file,
              pg_set_up, test_pg_bad_tenant_file, pg_tear_down);
  g_test_add ("/service/pg/seed-at-once", PgFixture, NULL,
              pg_set_up, test_pg_seed_at_once, pg_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (capture_log_writer, NULL, NULL);

  /* On PostgreSQL: the binary on a database; the rest is the server's. */
  if (bd_test_database_skip_all ())
    return g_test_run ();
  if (bd_test_database_is_postgresql ())
    {
      add_pg_tests ();
      return g_test_run ();
    }

  g_test_add ("/server/health", Fixture, NULL,
              fixture_set_up, test_health, fixture_tear_down);
  g_test_add ("/server/me", Fixture, NULL,
              fixture_set_up, test_me, fixture_tear_down);
  g_test_add ("/server/etag", Fixture, NULL,
              fixture_set_up, test_etag, fixture_tear_down);
  g_test_add ("/server/url-is-loopback", Fixture, NULL,
              fixture_set_up, test_url_is_loopback, fixture_tear_down);
  g_test_add ("/server/too-large/announced", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_too_large_announced, fixture_tear_down);
  g_test_add ("/server/too-large/announced-some-sent", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_too_large_announced, fixture_tear_down);
  g_test_add ("/server/too-large/unauthenticated", Fixture, NULL,
              fixture_set_up, test_too_large_unauthenticated, fixture_tear_down);
  g_test_add ("/server/too-large/chunked", Fixture, NULL,
              fixture_set_up, test_too_large_chunked, fixture_tear_down);
  g_test_add ("/server/too-large/session-2-mib", Fixture, GSIZE_TO_POINTER (2 * BD_API_MAX_BODY),
              fixture_set_up, test_too_large_session, fixture_tear_down);
  g_test_add ("/server/too-large/session-1-mib-and-1", Fixture,
              GSIZE_TO_POINTER (BD_API_MAX_BODY + 1),
              fixture_set_up, test_too_large_session, fixture_tear_down);
  g_test_add ("/server/too-large/session-1-mib", Fixture, GSIZE_TO_POINTER (BD_API_MAX_BODY),
              fixture_set_up, test_too_large_session, fixture_tear_down);
  g_test_add ("/server/log/format", Fixture, NULL,
              fixture_set_up, test_log, fixture_tear_down);
  g_test_add ("/server/log/too-large", Fixture, NULL,
              fixture_set_up, test_log_too_large, fixture_tear_down);
  g_test_add ("/server/disconnect", Fixture, NULL,
              fixture_set_up, test_disconnect, fixture_tear_down);
  g_test_add ("/server/listen/refuses-remote", Fixture, NULL,
              fixture_set_up, test_refuses_remote, fixture_tear_down);
  g_test_add ("/server/listen/ipv6", Fixture, NULL,
              fixture_set_up, test_ipv6, fixture_tear_down);

  g_test_add ("/service/start-stop", BinaryFixture, NULL,
              binary_set_up, test_binary_start_stop, binary_tear_down);
  g_test_add ("/service/graceful-stop", BinaryFixture, NULL,
              binary_set_up, test_binary_graceful, binary_tear_down);
  g_test_add ("/service/bad-tenant-file", BinaryFixture, bad_file,
              binary_set_up, test_binary_bad_tenant_file, binary_tear_down);
  g_test_add ("/service/no-tenant", BinaryFixture, NULL,
              binary_set_up, test_binary_no_tenant, binary_tear_down);
  g_test_add ("/service/kill-after-commit", BinaryFixture, NULL,
              binary_set_up, test_binary_kill_after_commit, binary_tear_down);
  g_test_add ("/service/keeps-data", BinaryFixture, NULL,
              binary_set_up, test_binary_keeps_data, binary_tear_down);
  g_test_add ("/service/bad-now", BinaryFixture, NULL,
              binary_set_up, test_binary_bad_now, binary_tear_down);
  g_test_add ("/service/database-option", BinaryFixture, NULL,
              binary_set_up, test_binary_database_option, binary_tear_down);
  g_test_add ("/service/bad-listen", BinaryFixture, NULL,
              binary_set_up, test_binary_bad_listen, binary_tear_down);

  return g_test_run ();
}
