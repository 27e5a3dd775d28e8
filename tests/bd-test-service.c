/* bd-test-service.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bd-test-service.h"

BdTestService *
bd_test_service_new (const char *tenant_json,
                     const char *now)
{
  BdTestService *service = g_new0 (BdTestService, 1);
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  service->dir = g_dir_make_tmp ("billing-desk-test-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (service->dir, "billing.sqlite", NULL);

  file = bd_tenant_file_read (tenant_json, -1, bd_test_time (now), &error);
  g_assert_no_error (error);

  service->location = bd_test_database_new (db);
  service->store = bd_store_open (service->location, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  bd_store_seed (service->store, file, &error);
  g_assert_no_error (error);

  service->api = bd_api_new (service->store);
  bd_api_set_frozen_now (service->api, bd_test_time (now));
  service->server = bd_server_new (service->api);
  /* As the service answers: on worker threads, a store each. */
  bd_server_start_workers (service->server, service->location, BD_STORE_DURABLE,
                           BD_SERVER_N_WORKERS, &error);
  g_assert_no_error (error);
  bd_server_listen (service->server, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  service->url = bd_server_get_url (service->server);

  service->session = soup_session_new ();
  soup_session_set_timeout (service->session, 10);
  /* Loopback only: no proxy from the environment (libproxy also trips ASan). */
  soup_session_set_proxy_resolver (service->session, NULL);

  return service;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

void
bd_test_service_free (BdTestService *service)
{
  if (service == NULL)
    return;

  g_clear_object (&service->session);
  g_clear_object (&service->server);
  g_clear_object (&service->api);
  g_clear_object (&service->store);
  bd_test_database_drop (service->location);
  g_free (service->location);
  remove_dir (service->dir);
  g_free (service->dir);
  g_free (service->url);
  g_free (service);
}

void
bd_test_service_set_now (BdTestService *service,
                         const char    *now)
{
  bd_api_set_frozen_now (service->api, bd_test_time (now));
}

typedef struct
{
  SoupMessage *message;
  GBytes      *body;
  GError      *error;
  gboolean     done;
} Exchange;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Exchange *exchange = user_data;

  exchange->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                      &exchange->error);
  exchange->done = TRUE;
}

static gboolean
exchange_done (gpointer data)
{
  return ((Exchange *) data)->done;
}

/**
 * bd_test_service_request:
 * @token: (nullable): sent as `Authorization: Bearer`
 * @body: (nullable): sent as application/json
 * @...: header name and value pairs, then %NULL
 *
 * One HTTP exchange with the service, over the socket.
 */
BdTestAnswer *
bd_test_service_request (BdTestService *service,
                         const char    *method,
                         const char    *path,
                         const char    *token,
                         const char    *body,
                         ...)
{
  g_autofree char *uri = g_strconcat (service->url, path, NULL);
  BdTestAnswer *answer = g_new0 (BdTestAnswer, 1);
  Exchange exchange = { 0 };
  SoupMessageHeaders *headers;
  const char *name;
  va_list args;
  gsize length = 0;
  const char *data;

  exchange.message = soup_message_new (method, uri);
  g_assert_nonnull (exchange.message);
  headers = soup_message_get_request_headers (exchange.message);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (exchange.message, "application/json", bytes);
    }

  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_replace (headers, name, va_arg (args, const char *));
  va_end (args);

  soup_session_send_and_read_async (service->session, exchange.message, G_PRIORITY_DEFAULT,
                                    NULL, send_cb, &exchange);
  g_assert_true (bd_test_wait_until (exchange_done, &exchange, 20000));
  g_assert_no_error (exchange.error);

  answer->status = soup_message_get_status (exchange.message);
  answer->etag = g_strdup (soup_message_headers_get_one (
    soup_message_get_response_headers (exchange.message), "ETag"));
  data = g_bytes_get_data (exchange.body, &length);
  answer->text = g_strndup (data != NULL ? data : "", length);
  answer->json = bd_json_parse (answer->text, -1, NULL);

  g_bytes_unref (exchange.body);
  g_object_unref (exchange.message);

  return answer;
}

void
bd_test_answer_free (BdTestAnswer *answer)
{
  if (answer == NULL)
    return;

  g_free (answer->etag);
  g_free (answer->text);
  g_clear_pointer (&answer->json, json_node_unref);
  g_free (answer);
}

/* A member by a dotted path with [i] indexes: "subscription.status",
 * "value[2].id", "error.code". Fails the test when it is not there.
 */
static JsonNode *
find (BdTestAnswer *answer,
      const char   *json_path)
{
  g_auto(GStrv) steps = g_strsplit (json_path, ".", -1);
  JsonNode *node = answer->json;

  g_assert_nonnull (node);

  for (guint i = 0; steps[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup (steps[i]);
      char *bracket = strchr (name, '[');
      guint index = 0;
      gboolean indexed = bracket != NULL;

      if (indexed)
        {
          index = (guint) g_ascii_strtoull (bracket + 1, NULL, 10);
          *bracket = '\0';
        }

      if (*name != '\0')
        {
          if (!JSON_NODE_HOLDS_OBJECT (node) ||
              !json_object_has_member (json_node_get_object (node), name))
            g_error ("%s: no “%s” in %s", json_path, name, answer->text);
          node = json_object_get_member (json_node_get_object (node), name);
        }

      if (indexed)
        {
          if (!JSON_NODE_HOLDS_ARRAY (node) ||
              index >= json_array_get_length (json_node_get_array (node)))
            g_error ("%s: no item %u in %s", json_path, index, answer->text);
          node = json_array_get_element (json_node_get_array (node), index);
        }
    }

  return node;
}

/* A string member, or NULL for null. */
const char *
bd_test_answer_string (BdTestAnswer *answer,
                       const char   *json_path)
{
  JsonNode *node = find (answer, json_path);

  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  return json_node_get_string (node);
}

gint64
bd_test_answer_int (BdTestAnswer *answer,
                    const char   *json_path)
{
  JsonNode *node = find (answer, json_path);

  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  return json_node_get_int (node);
}

void
bd_test_assert_api_error (BdTestAnswer *answer,
                          guint         status,
                          const char   *code)
{
  if (answer->status != status)
    g_error ("expected %u %s, got %u: %s", status, code, answer->status, answer->text);
  g_assert_cmpstr (bd_test_answer_string (answer, "error.code"), ==, code);
}

/* How many cancels the ledger holds for subscription @id, as @token's user
 * reads it; each under @key, unless @key is %NULL.
 */
guint
bd_test_service_count_cancels (BdTestService *service,
                               const char    *token,
                               const char    *id,
                               const char    *key)
{
  return bd_test_service_count_entries (service, token, id, "cancel", key);
}

/**
 * bd_test_service_count_entries:
 * @key: (nullable): when given, every entry counted must carry it
 *
 * Returns: how many ledger entries of @action subscription @id has
 */
guint
bd_test_service_count_entries (BdTestService *service,
                               const char    *token,
                               const char    *id,
                               const char    *action,
                               const char    *key)
{
  g_autofree char *path = g_strconcat ("/v1/operations?subscriptionId=", id, NULL);
  g_autoptr(BdTestAnswer) answer = bd_test_service_request (service, "GET", path, token, NULL,
                                                            NULL);
  JsonArray *value;
  guint n = 0;

  g_assert_cmpuint (answer->status, ==, 200);
  value = json_object_get_array_member (json_node_get_object (answer->json), "value");
  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      JsonObject *entry = json_array_get_object_element (value, i);

      if (g_str_equal (json_object_get_string_member (entry, "action"), action))
        {
          n++;
          if (key != NULL)
            g_assert_cmpstr (json_object_get_string_member (entry, "idempotencyKey"), ==, key);
        }
    }

  return n;
}

/* Subscription @id's @member, as the service answers it now, is @value. */
void
bd_test_service_assert_says (BdTestService *service,
                             const char    *token,
                             const char    *id,
                             const char    *member,
                             const char    *value)
{
  g_autofree char *path = g_strconcat ("/v1/subscriptions/", id, NULL);
  g_autoptr(BdTestAnswer) answer = bd_test_service_request (service, "GET", path, token, NULL,
                                                            NULL);

  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (answer, member), ==, value);
}

/*
 * Proxies in front of a service (the tests that hold, drop or lose its
 * answers)
 */

/* A server on 127.0.0.1 (a free port, set in @port) whose every request
 * goes to @handler. */
SoupServer *
bd_test_proxy_listen (SoupServerCallback handler,
                      gpointer           user_data,
                      guint16           *port)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, handler, user_data, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  *port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

/* @message, received by a proxy, as a request to @target_url: its method,
 * path and query, the headers the API reads, and its body. */
SoupMessage *
bd_test_forward_request (SoupServerMessage *message,
                         const char        *target_url,
                         const char        *path)
{
  static const char * const headers[] = {
    "Authorization", "Idempotency-Key", "If-Match", "Accept", NULL
  };
  SoupMessageHeaders *in = soup_server_message_get_request_headers (message);
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  const char *query = g_uri_get_query (soup_server_message_get_uri (message));
  g_autofree char *target = g_strconcat (target_url, path, query != NULL ? "?" : NULL, query,
                                         NULL);
  SoupMessage *forward = soup_message_new (soup_server_message_get_method (message), target);

  g_assert_nonnull (forward);
  for (guint i = 0; headers[i] != NULL; i++)
    {
      const char *value = soup_message_headers_get_one (in, headers[i]);

      if (value != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (forward), headers[i],
                                      value);
    }

  if (body->length > 0)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

      soup_message_set_request_body_from_bytes (forward, "application/json", bytes);
    }

  return forward;
}

/* Sends @forward through @session, @message paused until its answer. */
void
bd_test_forward_send (SoupSession         *session,
                      SoupServerMessage   *message,
                      SoupMessage         *forward,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  soup_server_message_pause (message);
  soup_session_send_and_read_async (session, forward, G_PRIORITY_DEFAULT, NULL, callback,
                                    user_data);
}

/* The service's answer to @forward (its status, ETag and @body) as the
 * proxy's to @message, which was paused. */
void
bd_test_forward_answer (SoupServerMessage *message,
                        SoupMessage       *forward,
                        GBytes            *body)
{
  const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (forward),
                                                   "ETag");
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  if (etag != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (message), "ETag",
                                  etag);
  soup_server_message_set_status (message, soup_message_get_status (forward), NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, data, length);
  soup_server_message_unpause (message);
}

typedef struct
{
  SoupServerMessage *message;
  SoupMessage       *forward;
} Forward;

static void
forward_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Forward *forward = user_data;
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  /* Unless the session was aborted (the test ended), or the app hung up. */
  if (body != NULL && soup_server_message_get_socket (forward->message) != NULL)
    bd_test_forward_answer (forward->message, forward->forward, body);
  g_object_unref (forward->message);
  g_object_unref (forward->forward);
  g_free (forward);
}

/* @message, received by a proxy, to @target_url through @session, and the
 * service's answer back; nothing but that. */
void
bd_test_forward (SoupSession       *session,
                 SoupServerMessage *message,
                 const char        *target_url)
{
  Forward *forward = g_new0 (Forward, 1);
  const char *path = g_uri_get_path (soup_server_message_get_uri (message));

  forward->message = g_object_ref (message);
  forward->forward = bd_test_forward_request (message, target_url, path);
  bd_test_forward_send (session, message, forward->forward, forward_cb, forward);
}
