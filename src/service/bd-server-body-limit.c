/* bd-server-body-limit.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-server"

#include "config.h"

#include <libsoup/soup.h>

#include "bd-api-error.h"
#include "bd-json.h"
#include "bd-server-private.h"

/* A connection refused with 413 is not closed at once: closing a TCP socket
 * with unread data in it makes the kernel send a reset, which can throw the
 * 413 away at the client before the client has read it. So the refusal
 * half-closes (the client sees the end of the answer), then reads and drops
 * what the client still sends, within these bounds.
 */
#define REFUSAL_SECONDS   5
#define REFUSAL_MAX_DRAIN (8 * BD_API_MAX_BODY)

/* A connection taken from libsoup to answer 413 on it. */
typedef struct
{
  BdServer     *server;         /* owned: the refusal is in flight */
  GIOStream    *stream;
  GSocket      *socket;
  GBytes       *answer;
  GCancellable *cancellable;    /* cancelled at the deadline */
  guint         deadline_id;
  guint64       drained;
  char         *method;         /* for the log */
  char         *path;
  gint64        started;
  BdApi        *api;            /* the token's check, read by a worker ... */
  char         *authorization;
  BdApiResponse *response;      /* ... and its answer, written by it */
  guint8        buffer[16 * 1024];
} Refusal;

/* The whole refusal (413, or the API's answer when the request has no
 * valid token: 401, or 503 while the database cannot be reached), as bytes
 * on the wire. The body is the API's error document, so a client reads it
 * as any other error.
 */
static GBytes *
build_refusal_answer (const BdApiResponse *response)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date = NULL;
  GString *answer;
  gsize body_length = 0;
  const char *body = g_bytes_get_data (response->body, &body_length);

  now = g_date_time_new_now_utc ();
  date = soup_date_time_to_string (now, SOUP_DATE_HTTP);

  answer = g_string_new (NULL);
  g_string_append_printf (answer,
                          "HTTP/1.1 %u %s\r\n"
                          "Date: %s\r\n"
                          "Server: %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n",
                          response->status,
                          soup_status_get_phrase (response->status),
                          date,
                          SERVER_HEADER,
                          body_length);
  if (response->retry_after_seconds > 0)
    g_string_append_printf (answer, "Retry-After: %u\r\n", response->retry_after_seconds);
  g_string_append (answer, "Connection: close\r\n\r\n");
  g_string_append_len (answer, body, body_length);

  return g_string_free_to_bytes (answer);
}

/* 413, as the API's error document. */
static BdApiResponse *
build_too_large (void)
{
  g_autoptr(JsonNode) node = NULL;
  BdApiResponse *response = g_new0 (BdApiResponse, 1);
  char *body;
  gsize body_length = 0;

  node = bd_api_error_build (BD_ERROR_CODE_PAYLOAD_TOO_LARGE,
                             "The request body is larger than 1 MiB.", NULL);
  body = bd_json_to_data (node, &body_length);
  response->status = bd_error_code_get_http_status (BD_ERROR_CODE_PAYLOAD_TOO_LARGE);
  response->body = g_bytes_new_take (body, body_length);

  return response;
}

static void
refusal_free (Refusal *refusal)
{
  g_clear_handle_id (&refusal->deadline_id, g_source_remove);
  g_clear_object (&refusal->cancellable);
  g_clear_pointer (&refusal->answer, g_bytes_unref);
  g_clear_object (&refusal->socket);
  g_clear_object (&refusal->stream);
  g_clear_object (&refusal->server);
  g_clear_object (&refusal->api);
  g_free (refusal->method);
  g_free (refusal->path);
  g_free (refusal->authorization);
  g_clear_pointer (&refusal->response, bd_api_response_free);
  g_free (refusal);
}

static void
refusal_close_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Refusal *refusal = user_data;
  BdServer *self = refusal->server;
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (object), result, &error))
    g_debug ("Closing a refused connection: %s", error->message);

  g_assert (self->n_in_flight > 0);
  self->n_in_flight--;

  refusal_free (refusal);
}

static void
refusal_close (Refusal *refusal)
{
  g_clear_handle_id (&refusal->deadline_id, g_source_remove);
  g_io_stream_close_async (refusal->stream,
                           G_PRIORITY_DEFAULT,
                           NULL,
                           refusal_close_cb,
                           refusal);
}

static void refusal_drain (Refusal *refusal);

static void
refusal_drain_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Refusal *refusal = user_data;
  g_autoptr(GError) error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n_read > 0 && refusal->drained + (guint64) n_read <= REFUSAL_MAX_DRAIN)
    {
      refusal->drained += (guint64) n_read;
      refusal_drain (refusal);
      return;
    }

  /* The client is done (0), gone or too slow (an error), or sends on and
   * on: close.
   */
  refusal_close (refusal);
}

static void
refusal_drain (Refusal *refusal)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream),
                             refusal->buffer,
                             sizeof refusal->buffer,
                             G_PRIORITY_DEFAULT,
                             refusal->cancellable,
                             refusal_drain_cb,
                             refusal);
}

static void
refusal_write_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Refusal *refusal = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_debug ("Writing a 413 answer: %s", error->message);
      refusal_close (refusal);
      return;
    }

  /* The answer is complete: send the end of the stream, so the client
   * knows, and then read what it still sends.
   */
  if (refusal->socket != NULL && !g_socket_shutdown (refusal->socket, FALSE, TRUE, &error))
    {
      g_debug ("Half-closing a refused connection: %s", error->message);
      refusal_close (refusal);
      return;
    }

  refusal_drain (refusal);
}

static gboolean
refusal_deadline_cb (gpointer user_data)
{
  Refusal *refusal = user_data;

  /* The pending write or read fails with G_IO_ERROR_CANCELLED and closes. */
  refusal->deadline_id = 0;
  g_cancellable_cancel (refusal->cancellable);

  return G_SOURCE_REMOVE;
}

/* On a worker, with its store, or with none on the main context of a
 * server without workers.
 */
static void
refusal_authenticate (BdStore  *store,
                      gpointer  data)
{
  Refusal *refusal = data;

  if (store != NULL)
    refusal->response = bd_api_check_authorization_on_store (refusal->api, store,
                                                             refusal->authorization);
  else
    refusal->response = bd_api_check_authorization (refusal->api, refusal->authorization);

  if (refusal->response == NULL)
    refusal->response = build_too_large ();
}

/* On the main context: the answer, once the token is known. */
static void
refusal_authenticated (gpointer data,
                       gboolean ran)
{
  Refusal *refusal = data;

  /* The pool stops only with the server, which the refusal holds. */
  if (!ran)
    {
      refusal_close (refusal);
      return;
    }

  _bd_server_log_request (refusal->method, refusal->path, refusal->response->status,
                          refusal->started);
  refusal->answer = build_refusal_answer (refusal->response);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream),
                                   g_bytes_get_data (refusal->answer, NULL),
                                   g_bytes_get_size (refusal->answer),
                                   G_PRIORITY_DEFAULT,
                                   refusal->cancellable,
                                   refusal_write_cb,
                                   refusal);
}

/*
 * Private API
 */

/* Answers 413 to a request whose body is over 1 MiB, without reading that
 * body: libsoup 3.2 reads a whole body before any handler runs, so the
 * connection is taken away from it (soup_server_message_steal_connection ())
 * and the whole 413 answer written to it here. A chunked body, which has no
 * length up front, is refused the same way once it passes 1 MiB.
 *
 * The API puts 401 before 413 (docs/design.md section 3), so the token is
 * checked first, from the headers, on a worker (it needs a store): a
 * request without a valid one is answered 401 the same way (503 while the
 * database cannot be reached to tell).
 */
void
_bd_server_refuse_too_large (BdServer             *self,
                             SoupServerMessage    *msg,
                             BdServerRequestState *state)
{
  g_autoptr(GIOStream) stream = NULL;
  GSocket *socket;
  Refusal *refusal;

  state->refused = TRUE;

  refusal = g_new0 (Refusal, 1);
  refusal->server = g_object_ref (self);
  refusal->cancellable = g_cancellable_new ();
  refusal->method = g_strdup (soup_server_message_get_method (msg));
  refusal->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  refusal->started = state->started;
  refusal->api = g_object_ref (self->api);
  refusal->authorization = g_strdup (soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Authorization"));
  socket = soup_server_message_get_socket (msg);
  if (socket != NULL)
    refusal->socket = g_object_ref (socket);

  /* The refusal is in flight until its connection is closed; the message
   * itself stops counting when stealing disconnects it.
   */
  self->n_in_flight++;

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      self->n_in_flight--;
      refusal_free (refusal);
      return;
    }

  /* libsoup reads no more of the body now; the client's bytes wait in the
   * socket until the answer is written and the rest drained.
   */
  refusal->stream = g_steal_pointer (&stream);
  refusal->deadline_id = g_timeout_add_seconds (REFUSAL_SECONDS, refusal_deadline_cb, refusal);

  _bd_server_run (self, refusal_authenticate, refusal_authenticated, refusal, FALSE);
}
