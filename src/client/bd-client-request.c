/* bd-client-request.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-client-request"

#include "config.h"

#include <libsoup/soup.h>

#include "bd-client-private.h"

/* Answers are read in pieces of this size, so that one over
 * BD_CLIENT_MAX_ANSWER is refused after at most this much more.
 */
#define READ_CHUNK_SIZE (64 * 1024)

/* One exchange: the task data of its GTask. */
typedef struct
{
  SoupMessage  *message;
  BdClientAnswerKind answer_kind;
  char         *expected_id;          /* the subscription asked for, or NULL */

  /* Cancelled by the caller's cancellable or by the connect timer; every
   * step of the exchange uses it.
   */
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong        caller_cancelled_id;

  gulong        network_event_id;
  gulong        wrote_headers_id;
  GSource      *connect_timer;
  GSource      *request_timer;        /* the whole exchange (docs/design.md section 4) */
  gboolean      connected;            /* the request may have reached the service */
  gboolean      connect_timed_out;
  gboolean      request_timed_out;

  GInputStream *stream;
  GByteArray   *body;
} Request;

static void
clear_timer (GSource **timer)
{
  if (*timer != NULL)
    {
      g_source_destroy (*timer);
      g_clear_pointer (timer, g_source_unref);
    }
}

static void
clear_connect_timer (Request *request)
{
  clear_timer (&request->connect_timer);
}

static void
close_stream (Request *request)
{
  if (request->stream == NULL)
    return;

  /* Read to the end, a close lets the connection be reused. Otherwise the
   * request's cancellable has been cancelled, and the close drops the
   * connection instead of reading the rest of the answer.
   */
  if (!g_input_stream_is_closed (request->stream))
    g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, request->cancellable,
                                NULL, NULL);
  g_clear_object (&request->stream);
}

static void
request_free (gpointer data)
{
  Request *request = data;

  clear_connect_timer (request);
  clear_timer (&request->request_timer);
  g_clear_signal_handler (&request->network_event_id, request->message);
  g_clear_signal_handler (&request->wrote_headers_id, request->message);
  if (request->caller_cancellable != NULL)
    g_cancellable_disconnect (request->caller_cancellable, request->caller_cancelled_id);

  if (request->stream != NULL)
    {
      g_cancellable_cancel (request->cancellable);
      close_stream (request);
    }

  g_clear_object (&request->caller_cancellable);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->message);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_free (request->expected_id);
  g_free (request);
}

static void
mark_connected (Request *request)
{
  request->connected = TRUE;
  clear_connect_timer (request);
}

/* Ends the request early: no more reading, the connection is dropped. */
static void
abort_request (Request *request)
{
  clear_connect_timer (request);
  clear_timer (&request->request_timer);
  g_cancellable_cancel (request->cancellable);
  close_stream (request);
}

/* A failure of the exchange itself: no answer, so no status and no code. */
static GError *
new_error (BdClientError kind)
{
  return _bd_client_error_new (kind, BD_ERROR_CODE_UNKNOWN, 0, NULL);
}

static GError *
new_unreadable_error (Request *request)
{
  return _bd_client_error_new_unreadable (soup_message_get_status (request->message),
                                          soup_message_get_method (request->message));
}

static GError *
map_transport_error (Request *request,
                     GError  *error)
{
  if (request->request_timed_out && request->connected)
    {
      /* Sent, and no whole answer in time: it may have been applied. */
      g_debug ("%s %s: no answer in time", soup_message_get_method (request->message),
               g_uri_get_path (soup_message_get_uri (request->message)));
      return new_error (BD_CLIENT_ERROR_TIMEOUT);
    }

  if (request->connect_timed_out || request->request_timed_out)
    {
      g_debug ("%s %s: no connection in time", soup_message_get_method (request->message),
               g_uri_get_path (soup_message_get_uri (request->message)));
      return new_error (BD_CLIENT_ERROR_UNREACHABLE);
    }

  g_debug ("%s %s failed: %s (%s %d)", soup_message_get_method (request->message),
           g_uri_get_path (soup_message_get_uri (request->message)), error->message,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (request->caller_cancellable))
    return g_error_copy (error);

  /* The handshake refused the service's certificate: no byte of the
   * request went out.
   */
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      g_debug ("Certificate errors: 0x%x",
               (guint) soup_message_get_tls_peer_certificate_errors (request->message));
      return new_error (BD_CLIENT_ERROR_UNTRUSTED_CERTIFICATE);
    }

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
      !request->connected)
    {
      /* Nothing of the request was sent: its outcome is known. */
      return new_error (BD_CLIENT_ERROR_UNREACHABLE);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return new_error (BD_CLIENT_ERROR_TIMEOUT);

  /* G_IO_ERROR_CONNECTION_CLOSED, _BROKEN_PIPE, _PARTIAL_INPUT ("Connection
   * terminated unexpectedly"), SOUP_SESSION_ERROR_* (an answer that is not
   * HTTP) and anything else after the request went out: it may have been
   * applied.
   */
  return new_error (BD_CLIENT_ERROR_CONNECTION_LOST);
}

static void
return_transport_error (GTask  *task,
                        GError *error)
{
  Request *request = g_task_get_task_data (task);

  abort_request (request);
  g_task_return_error (task, map_transport_error (request, error));
}

static void
return_bad_answer (GTask  *task,
                   GError *reason)
{
  Request *request = g_task_get_task_data (task);

  g_debug ("%s %s: unreadable answer: %s", soup_message_get_method (request->message),
           g_uri_get_path (soup_message_get_uri (request->message)),
           reason != NULL ? reason->message : "");
  abort_request (request);
  g_task_return_error (task, new_unreadable_error (request));
}

/* What the thread that reads a large answer needs: nothing of the
 * request, which stays on the main context.
 */
typedef struct
{
  BdClientAnswerKind  kind;
  GUri               *base_uri;
  char               *expected_id;
  guint               status;
  GByteArray         *body;
  char               *what;
  GDestroyNotify      value_free;
  GError             *error;
} Answer;

static void
answer_free (gpointer data)
{
  Answer *answer = data;

  g_clear_pointer (&answer->base_uri, g_uri_unref);
  g_free (answer->expected_id);
  g_clear_pointer (&answer->body, g_byte_array_unref);
  g_free (answer->what);
  g_clear_error (&answer->error);
  g_free (answer);
}

/* Returns the answer's value, or NULL with answer->error set. */
static gpointer
read_answer (Answer *answer)
{
  return _bd_client_read_answer (answer->kind, answer->base_uri, answer->expected_id,
                                 answer->status, (const char *) answer->body->data,
                                 answer->body->len, answer->what, &answer->value_free,
                                 &answer->error);
}

/* Returns @answer's value or error through @task, on the task's context. */
static void
return_answer (GTask   *task,
               Answer  *answer,
               gpointer value)
{
  Request *request = g_task_get_task_data (task);
  GError *error;

  if (value != NULL)
    {
      g_task_return_pointer (task, value, answer->value_free);

      /* A change the service applied (or replayed): whoever shows what the
       * service holds learns of it, after the caller had the answer.
       */
      if (request->expected_id != NULL &&
          g_strcmp0 (soup_message_get_method (request->message), SOUP_METHOD_GET) != 0)
        _bd_client_emit_subscription_changed (g_task_get_source_object (task),
                                              request->expected_id);
      return;
    }

  /* An unreadable answer ends the exchange, as one too large does; to a
   * change, it may hide that the change was applied.
   */
  error = g_steal_pointer (&answer->error);
  if (g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER))
    {
      abort_request (request);
      g_clear_error (&error);
      error = new_unreadable_error (request);
    }
  g_task_return_error (task, _bd_client_error_for_change (
                               error, soup_message_get_method (request->message)));
}

/* In the reader thread: @data is the thread's task, whose reference it drops. */
static void
read_answer_thread (gpointer data,
                    gpointer user_data)
{
  GTask *thread_task = data;

  g_task_return_pointer (thread_task, read_answer (g_task_get_task_data (thread_task)), NULL);
  g_object_unref (thread_task);
}

/* One thread for every client's list pages, started with the first: the
 * pages' trees and objects come from one malloc arena, not one per thread
 * of GLib's pool (2-3 MiB less at the peak of 100,000 rows), and they are
 * read in the order they came.
 */
static GThreadPool *
get_reader_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (read_answer_thread, NULL, 1, TRUE, NULL));

  return pool;
}

static void
read_answer_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Answer *answer = g_task_get_task_data (G_TASK (result));
  gpointer value = g_task_propagate_pointer (G_TASK (result), NULL);

  return_answer (task, answer, value);
}

static void
answer_received (GTask *task)
{
  BdClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GTask) thread_task = NULL;
  Answer *answer;

  close_stream (request);

  answer = g_new0 (Answer, 1);
  answer->kind = request->answer_kind;
  answer->base_uri = self->base_uri != NULL ? g_uri_ref (self->base_uri) : NULL;
  answer->expected_id = g_strdup (request->expected_id);
  answer->status = soup_message_get_status (request->message);
  answer->body = g_byte_array_ref (request->body);
  answer->what = g_strdup_printf ("%s %s", soup_message_get_method (request->message),
                                  g_uri_get_path (soup_message_get_uri (request->message)));

  /* A page of the list (500 subscriptions, ~350 kB) is parsed and its
   * objects made in a thread, so that the main thread only splices them;
   * the other answers are small.
   */
  if (answer->kind != BD_CLIENT_ANSWER_LIST)
    {
      gpointer value = read_answer (answer);

      return_answer (task, answer, value);
      answer_free (answer);
      return;
    }

  /* Without a source object: the thread drops its reference to the task
   * after the callback ran, which must not keep the client alive.
   */
  thread_task = g_task_new (NULL, NULL, read_answer_cb, g_object_ref (task));
  g_task_set_source_tag (thread_task, answer_received);
  g_task_set_task_data (thread_task, answer, answer_free);
  g_thread_pool_push (get_reader_pool (), g_steal_pointer (&thread_task), NULL);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      answer_received (task);
      return;
    }

  if (size > BD_CLIENT_MAX_ANSWER - request->body->len)
    {
      g_debug ("Answer over %d bytes refused", BD_CLIENT_MAX_ANSWER);
      return_bad_answer (task, NULL);
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (bytes, NULL), size);

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   request->cancellable, read_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  /* An answer came, so the request was sent, even if no signal said so. */
  mark_connected (request);

  headers = soup_message_get_response_headers (request->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > BD_CLIENT_MAX_ANSWER)
    {
      g_debug ("Answer of %" G_GINT64_FORMAT " bytes refused from its headers",
               soup_message_headers_get_content_length (headers));
      return_bad_answer (task, NULL);
      return;
    }

  request->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   request->cancellable, read_cb, g_steal_pointer (&task));
}

static void
on_caller_cancelled_cb (GCancellable *caller_cancellable,
                        gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* libsoup 3.2 has no connect timeout of its own: its "timeout" only limits
 * each read and write. Until the connection is made (G_SOCKET_CLIENT_COMPLETE,
 * after any TLS handshake) or the request is written on a reused one, this
 * timer may end the request.
 */
static gboolean
connect_timeout_cb (gpointer user_data)
{
  Request *request = user_data;

  g_clear_pointer (&request->connect_timer, g_source_unref);
  request->connect_timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);

  return G_SOURCE_REMOVE;
}

/* libsoup's "timeout" limits each read and write: a service that trickles
 * a byte now and then would keep a request going for ever. This limits the
 * whole exchange.
 */
static gboolean
request_timeout_cb (gpointer user_data)
{
  Request *request = user_data;

  g_clear_pointer (&request->request_timer, g_source_unref);
  request->request_timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);

  return G_SOURCE_REMOVE;
}

static void
on_message_network_event_cb (SoupMessage        *message,
                             GSocketClientEvent  event,
                             GIOStream          *connection,
                             gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    mark_connected (user_data);
}

static void
on_message_wrote_headers_cb (SoupMessage *message,
                             gpointer     user_data)
{
  mark_connected (user_data);
}

/* The message of @request: its headers and its JSON body. */
static SoupMessage *
new_message (BdClient   *self,
             const char *method,
             GUri       *uri,
             JsonNode   *body,
             const char *idempotency_key,
             const char *if_match)
{
  SoupMessage *message = soup_message_new_from_uri (method, uri);
  SoupMessageHeaders *headers;

  /* A redirect is an answer like any other: following it could carry the
   * token to another server.
   */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", self->authorization);
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", if_match);

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;
      char *data;
      gsize length;

      data = bd_json_to_data (body, &length);
      bytes = g_bytes_new_take (data, length);
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  return message;
}

static GSource *
start_timer (guint        seconds,
             GSourceFunc  callback,
             Request     *request,
             GTask       *task)
{
  GSource *timer = g_timeout_source_new_seconds (seconds);

  g_source_set_callback (timer, callback, request, NULL);
  g_source_attach (timer, g_task_get_context (task));
  return timer;
}

/* What may end @request before its answer: the caller's cancellable, the
 * connect timeout and the request timeout; and what says it is connected.
 */
static void
watch_request (BdClient *self,
               Request  *request,
               GTask    *task)
{
  if (g_task_get_cancellable (task) != NULL)
    {
      request->caller_cancellable = g_object_ref (g_task_get_cancellable (task));
      request->caller_cancelled_id =
        g_cancellable_connect (request->caller_cancellable,
                               G_CALLBACK (on_caller_cancelled_cb),
                               g_object_ref (request->cancellable), g_object_unref);
    }

  request->network_event_id =
    g_signal_connect (request->message, "network-event",
                      G_CALLBACK (on_message_network_event_cb), request);
  request->wrote_headers_id =
    g_signal_connect (request->message, "wrote-headers",
                      G_CALLBACK (on_message_wrote_headers_cb), request);
  if (self->connect_timeout > 0)
    request->connect_timer = start_timer (self->connect_timeout, connect_timeout_cb,
                                          request, task);
  if (self->request_timeout > 0)
    request->request_timer = start_timer (self->request_timeout, request_timeout_cb,
                                          request, task);
}

/*
 * Private API
 */

/**
 * _bd_client_new_task:
 *
 * Returns: (transfer full): the task of one request, with @source_tag
 */
GTask *
_bd_client_new_task (BdClient            *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data,
                     gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/**
 * _bd_client_propagate:
 * @result: the result of a request whose task came from _bd_client_new_task ()
 * @source_tag: the `_async` function that made it
 *
 * The `_finish` step every request shares.
 *
 * Returns: (transfer full) (nullable): the answer's value, as its reader
 *   made it, or %NULL with @error set
 */
gpointer
_bd_client_propagate (BdClient      *self,
                      GAsyncResult  *result,
                      gpointer       source_tag,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * _bd_client_send_request:
 * @task: (transfer full): the request's task, from _bd_client_new_task ()
 * @uri: (nullable): where to send it; %NULL: the base URL is not usable
 * @body: (nullable): the JSON body
 * @idempotency_key: (nullable): sent as Idempotency-Key
 * @if_match: (nullable): sent as If-Match
 * @expected_id: (nullable): the subscription the answer must be about
 *
 * Sends the request of @task and returns its answer, read as @answer_kind,
 * through @task.
 */
void
_bd_client_send_request (BdClient           *self,
                         GTask              *task,
                         const char         *method,
                         GUri               *uri,
                         JsonNode           *body,
                         const char         *idempotency_key,
                         const char         *if_match,
                         BdClientAnswerKind  answer_kind,
                         const char         *expected_id)
{
  g_autoptr(GError) error = NULL;
  Request *request;

  if (uri == NULL || !bd_client_check_base_url (self, &error))
    {
      if (error == NULL)
        error = new_error (BD_CLIENT_ERROR_UNREACHABLE);
      g_debug ("No request: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  request = g_new0 (Request, 1);
  request->message = new_message (self, method, uri, body, idempotency_key, if_match);
  request->answer_kind = answer_kind;
  request->expected_id = g_strdup (expected_id);
  request->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, request, request_free);

  watch_request (self, request, task);

  g_debug ("%s %s", method, g_uri_get_path (uri));

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->cancellable, send_cb, task);
}

/**
 * _bd_client_is_header_value:
 * @max_length: the longest value allowed
 *
 * Printable ASCII only, so that a value cannot end the header line.
 */
gboolean
_bd_client_is_header_value (const char *value,
                            gsize       max_length)
{
  gsize i;

  for (i = 0; value[i] != '\0'; i++)
    {
      if (value[i] < 0x20 || value[i] > 0x7e || i >= max_length)
        return FALSE;
    }

  return i > 0;
}
