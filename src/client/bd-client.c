/* bd-client.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "bd-client-private.h"

#define USER_AGENT "billing-desk/" PACKAGE_VERSION

/* Idle keep-alive connections are closed after this long. Only GET and
 * DELETE reuse one: libsoup 3 opens a new connection for every POST and
 * PATCH (not idempotent), so a stale connection never eats a cancel.
 */
#define IDLE_TIMEOUT_SECONDS 30

/* Answers are read in pieces of this size, so that one over
 * BD_CLIENT_MAX_ANSWER is refused after at most this much more.
 */
#define READ_CHUNK_SIZE (64 * 1024)

/* An Idempotency-Key is 1..255 printable ASCII characters (docs/api.md). */
#define IDEMPOTENCY_KEY_MAX 255

/* A refund is at most unitPrice.amount x quantity. */
#define REFUND_MAX (BD_UNIT_PRICE_MAX * BD_QUANTITY_MAX)

struct _BdClient
{
  GObject      parent_instance;

  char        *base_url;
  GUri        *base_uri;       /* NULL: base_url is not an http(s) URL */
  char        *authorization;  /* "Bearer <token>", never logged; NULL: none */
  SoupSession *session;
  GTlsDatabase *tls_database;  /* NULL: libsoup's default, the system's */
  guint        connect_timeout;
  guint        request_timeout;
};

G_DEFINE_FINAL_TYPE (BdClient, bd_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_CONNECT_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_TLS_DATABASE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/*
 * Errors
 */

typedef struct
{
  BdErrorCode  api_code;
  guint        http_status;
  char        *target;
  gboolean     maybe_applied;  /* a change answered 2xx, the answer unreadable */
} BdClientErrorPrivate;

static void
bd_client_error_private_init (BdClientErrorPrivate *priv)
{
  priv->api_code = BD_ERROR_CODE_UNKNOWN;
  priv->http_status = 0;
  priv->target = NULL;
  priv->maybe_applied = FALSE;
}

static void
bd_client_error_private_copy (const BdClientErrorPrivate *src,
                              BdClientErrorPrivate       *dest)
{
  dest->api_code = src->api_code;
  dest->http_status = src->http_status;
  dest->target = g_strdup (src->target);
  dest->maybe_applied = src->maybe_applied;
}

static void
bd_client_error_private_clear (BdClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->target, g_free);
}

G_DEFINE_EXTENDED_ERROR (BdClientError, bd_client_error)

/* The one table of what the app says when a request fails: a sentence for
 * a person that says what to do next, for each of the API's error codes and
 * for each way the exchange itself can fail; never the server's text
 * (UX.md). The UI shows error->message as it is.
 */
static const char *
describe_code (BdClientError kind,
               BdErrorCode   code)
{
  switch (kind)
    {
    case BD_CLIENT_ERROR_UNREACHABLE:
      /* Nothing of the request was sent. */
      return _("The billing service could not be reached. Nothing was changed; try again.");
    case BD_CLIENT_ERROR_TIMEOUT:
      return _("The billing service did not answer in time, so the result is not known yet.");
    case BD_CLIENT_ERROR_CONNECTION_LOST:
      return _("The connection to the billing service was lost, "
               "so the result is not known yet.");
    case BD_CLIENT_ERROR_BAD_ANSWER:
      return _("The billing service sent an answer Billing Desk could not read.");
    case BD_CLIENT_ERROR_UNTRUSTED_CERTIFICATE:
      /* Nothing of the request was sent; the cancel pane adds "Nothing was changed." */
      return _("The billing service’s certificate is not trusted, so Billing Desk did not "
               "connect. If the service uses your organization’s own certificate authority, "
               "start Billing Desk with --tls-ca-file.");
    case BD_CLIENT_ERROR_INSECURE_URL:
      return _("Billing Desk does not send your sign-in unencrypted to another computer. "
               "Use an https:// address for the billing service.");
    case BD_CLIENT_ERROR_API:
    default:
      break;
    }

  switch (code)
    {
    case BD_ERROR_CODE_INVALID_REQUEST:
      return _("The billing service did not accept the request. "
               "Check what you entered and try again.");
    case BD_ERROR_CODE_UNAUTHENTICATED:
      return _("The billing service did not recognize your sign-in. Sign in again.");
    case BD_ERROR_CODE_FORBIDDEN:
      return _("You don't have permission to do this. "
               "Only Global admins and Billing admins can make changes.");
    case BD_ERROR_CODE_NOT_FOUND:
      return _("The subscription could not be found. "
               "It may have been removed; refresh the list.");
    case BD_ERROR_CODE_CANCELLATION_WINDOW_CLOSED:
      return _("The 7-day refund window has closed. "
               "You can turn off recurring billing instead.");
    case BD_ERROR_CODE_TOO_MANY_LICENSES:
      return _("A subscription with more than 25 licenses can't be cancelled. "
               "Reduce the licenses to 25 or fewer, or turn off recurring billing.");
    case BD_ERROR_CODE_CUSTOM_DOMAIN_ATTACHED:
      return _("A custom domain is attached to this subscription. "
               "Remove the domain before you cancel.");
    case BD_ERROR_CODE_DOMAIN_SUBSCRIPTION:
      return _("A domain subscription can't be cancelled. "
               "You can turn off recurring billing instead.");
    case BD_ERROR_CODE_PURCHASED_THROUGH_PARTNER:
      return _("This subscription was bought through a partner. "
               "Contact the seller to cancel it.");
    case BD_ERROR_CODE_NOT_ACTIVE:
      return _("This subscription is not active, so this can't be changed now.");
    case BD_ERROR_CODE_LICENSES_ASSIGNED:
      return _("More licenses are assigned to users than that. Unassign licenses first.");
    case BD_ERROR_CODE_QUANTITY_LOCKED:
      return _("The number of licenses of this subscription can't be changed.");
    case BD_ERROR_CODE_INVALID_STATE:
      return _("This can't be done in the subscription's current state. "
               "Refresh to see its state.");
    case BD_ERROR_CODE_PRECONDITION_FAILED:
      /* The caller reloads the subscription on this code. */
      return _("Someone else changed this subscription. It has been reloaded.");
    case BD_ERROR_CODE_PAYLOAD_TOO_LARGE:
      return _("The request was too large for the billing service. "
               "Shorten what you entered and try again.");
    case BD_ERROR_CODE_UNSUPPORTED_MEDIA_TYPE:
    case BD_ERROR_CODE_PRECONDITION_REQUIRED:
    case BD_ERROR_CODE_IDEMPOTENCY_KEY_REQUIRED:
      return _("The billing service did not understand the request. "
               "Billing Desk may need to be updated.");
    case BD_ERROR_CODE_IDEMPOTENCY_KEY_REUSED:
      return _("This request does not match the earlier attempt it repeats. "
               "Refresh the subscription and try again.");
    case BD_ERROR_CODE_INTERNAL_ERROR:
      return _("The billing service ran into a problem. Try again later.");
    case BD_ERROR_CODE_UNAVAILABLE:
      return _("The billing service is not available right now. Try again later.");
    case BD_ERROR_CODE_UNKNOWN:
    default:
      return _("The billing service refused the request for a reason "
               "this version of Billing Desk does not know.");
    }
}

static GError *
new_error (BdClientError  kind,
           BdErrorCode    api_code,
           guint          http_status,
           const char    *target)
{
  GError *error = g_error_new_literal (BD_CLIENT_ERROR, kind, describe_code (kind, api_code));
  BdClientErrorPrivate *priv = bd_client_error_get_private (error);

  priv->api_code = api_code;
  priv->http_status = http_status;
  priv->target = g_strdup (target);

  return error;
}

static GError *
new_bad_answer_error (void)
{
  return new_error (BD_CLIENT_ERROR_BAD_ANSWER, BD_ERROR_CODE_UNKNOWN, 0, NULL);
}

/* The answer to @message could not be read (not JSON, the wrong shape, too
 * large). A change the service answered with success has been applied, or
 * may have been: its outcome is unknown, as after a lost connection, and
 * the same request with the same key is what tells.
 */
static GError *
new_unreadable_answer_error (SoupMessage *message)
{
  guint status = soup_message_get_status (message);
  const char *method = soup_message_get_method (message);
  GError *error;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || g_str_equal (method, "GET") ||
      g_str_equal (method, "HEAD"))
    {
      error = new_bad_answer_error ();
      bd_client_error_get_private (error)->http_status = status;
      return error;
    }

  error = g_error_new_literal (BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER,
                               _("The billing service sent an answer Billing Desk could not "
                                 "read, so the result is not known yet."));
  bd_client_error_get_private (error)->http_status = status;
  bd_client_error_get_private (error)->maybe_applied = TRUE;
  return error;
}

/*
 * Requests
 */

typedef struct _Request Request;

/* Reads a 2xx answer and returns its value, or fails with a BD_CORE_ERROR
 * (logged, and turned into BD_CLIENT_ERROR_BAD_ANSWER).
 */
typedef gpointer (*AnswerFunc) (JsonNode        *node,
                                GUri            *base_uri,
                                const char      *expected_id,
                                GDestroyNotify  *value_free,
                                GError         **error);

struct _Request
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
  GSource      *request_timer;        /* the whole exchange, DESIGN.md section 4 */
  gboolean      connected;            /* the request may have reached the service */
  gboolean      connect_timed_out;
  gboolean      request_timed_out;

  GInputStream *stream;
  GByteArray   *body;
};

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

static GError *
map_transport_error (Request *request,
                     GError  *error)
{
  if (request->request_timed_out && request->connected)
    {
      /* Sent, and no whole answer in time: it may have been applied. */
      g_debug ("%s %s: no answer in time", soup_message_get_method (request->message),
               g_uri_get_path (soup_message_get_uri (request->message)));
      return new_error (BD_CLIENT_ERROR_TIMEOUT, BD_ERROR_CODE_UNKNOWN, 0, NULL);
    }

  if (request->connect_timed_out || request->request_timed_out)
    {
      g_debug ("%s %s: no connection in time", soup_message_get_method (request->message),
               g_uri_get_path (soup_message_get_uri (request->message)));
      return new_error (BD_CLIENT_ERROR_UNREACHABLE, BD_ERROR_CODE_UNKNOWN, 0, NULL);
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
      return new_error (BD_CLIENT_ERROR_UNTRUSTED_CERTIFICATE, BD_ERROR_CODE_UNKNOWN, 0, NULL);
    }

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
      !request->connected)
    {
      /* Nothing of the request was sent: its outcome is known. */
      return new_error (BD_CLIENT_ERROR_UNREACHABLE, BD_ERROR_CODE_UNKNOWN, 0, NULL);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return new_error (BD_CLIENT_ERROR_TIMEOUT, BD_ERROR_CODE_UNKNOWN, 0, NULL);

  /* G_IO_ERROR_CONNECTION_CLOSED, _BROKEN_PIPE, _PARTIAL_INPUT ("Connection
   * terminated unexpectedly"), SOUP_SESSION_ERROR_* (an answer that is not
   * HTTP) and anything else after the request went out: it may have been
   * applied.
   */
  return new_error (BD_CLIENT_ERROR_CONNECTION_LOST, BD_ERROR_CODE_UNKNOWN, 0, NULL);
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
  g_task_return_error (task, new_unreadable_answer_error (request->message));
}

static void
answer_received (GTask *task)
{
  BdClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autofree char *what = NULL;
  GDestroyNotify value_free = NULL;
  GError *error = NULL;
  gpointer value;

  close_stream (request);

  what = g_strdup_printf ("%s %s", soup_message_get_method (request->message),
                          g_uri_get_path (soup_message_get_uri (request->message)));
  value = _bd_client_read_answer (request->answer_kind, self->base_uri, request->expected_id,
                                  soup_message_get_status (request->message),
                                  (const char *) request->body->data, request->body->len,
                                  what, &value_free, &error);
  if (value == NULL)
    {
      /* An unreadable answer ends the exchange, as one too large does; to
       * a change, it may hide that the change was applied.
       */
      if (g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER))
        {
          abort_request (request);
          g_clear_error (&error);
          error = new_unreadable_answer_error (request->message);
        }
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, value, value_free);
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

/* Printable ASCII only, so that a value cannot end the header line. */
static gboolean
is_header_value (const char *value,
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

/* Sends the request of @task (whose source tag is set) and reads its answer
 * as @answer_kind. @uri of NULL: the base URL is not usable.
 */
static void
send_request (BdClient   *self,
              GTask      *task,
              const char *method,
              GUri       *uri,
              JsonNode   *body,
              const char *idempotency_key,
              const char *if_match,
              BdClientAnswerKind answer_kind,
              const char *expected_id)
{
  g_autoptr(GError) error = NULL;
  Request *request;
  SoupMessageHeaders *headers;

  if (uri == NULL || !bd_client_check_base_url (self, &error))
    {
      if (error == NULL)
        error = new_error (BD_CLIENT_ERROR_UNREACHABLE, BD_ERROR_CODE_UNKNOWN, 0, NULL);
      g_debug ("No request: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  request = g_new0 (Request, 1);
  request->message = soup_message_new_from_uri (method, uri);
  request->answer_kind = answer_kind;
  request->expected_id = g_strdup (expected_id);
  request->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, request, request_free);

  /* A redirect is an answer like any other: following it could carry the
   * token to another server.
   */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (request->message);
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
      soup_message_set_request_body_from_bytes (request->message, "application/json", bytes);
    }

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
    {
      request->connect_timer = g_timeout_source_new_seconds (self->connect_timeout);
      g_source_set_callback (request->connect_timer, connect_timeout_cb, request, NULL);
      g_source_attach (request->connect_timer, g_task_get_context (task));
    }
  if (self->request_timeout > 0)
    {
      request->request_timer = g_timeout_source_new_seconds (self->request_timeout);
      g_source_set_callback (request->request_timer, request_timeout_cb, request, NULL);
      g_source_attach (request->request_timer, g_task_get_context (task));
    }

  g_debug ("%s %s", method, g_uri_get_path (uri));

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->cancellable, send_cb, task);
}

/* {base}{path}?{query}. Built, not parsed: parsing would normalize
 * "%2E%2E" to ".." and remove it as a dot segment.
 */
static GUri *
build_uri (BdClient   *self,
           const char *path,
           const char *query)
{
  g_autofree char *full_path = NULL;
  gsize length;

  if (self->base_uri == NULL)
    return NULL;

  /* the base path without its trailing slash ("/" for no path) */
  full_path = g_strconcat (g_uri_get_path (self->base_uri), path, NULL);
  length = strlen (g_uri_get_path (self->base_uri));
  if (length > 0 && full_path[length - 1] == '/')
    memmove (full_path + length - 1, full_path + length, strlen (full_path + length) + 1);
  return g_uri_build (g_uri_get_flags (self->base_uri), g_uri_get_scheme (self->base_uri), NULL,
                      g_uri_get_host (self->base_uri), g_uri_get_port (self->base_uri),
                      full_path, query, NULL);
}

/* {base}/v1/subscriptions/{id}{suffix}, the id escaped as one path segment. */
static GUri *
subscription_uri (BdClient   *self,
                  const char *id,
                  const char *suffix)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  /* "." and ".." are no ids to the service, but path segments to libsoup */
  if (g_str_equal (id, "."))
    escaped = g_strdup ("%2E");
  else if (g_str_equal (id, ".."))
    escaped = g_strdup ("%2E%2E");
  else
    escaped = g_uri_escape_string (id, NULL, FALSE);

  path = g_strconcat ("/v1/subscriptions/", escaped, suffix, NULL);
  return build_uri (self, path, NULL);
}

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/* Whether @url may be sent the token: the base URL's scheme, host and port. */
static GUri *
parse_same_origin (GUri       *base_uri,
                   const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (base_uri == NULL)
    return NULL;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL ||
      g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_host (uri) == NULL ||
      g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (base_uri)) != 0 ||
      g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (base_uri)) != 0 ||
      effective_port (uri) != effective_port (base_uri))
    return NULL;

  return g_steal_pointer (&uri);
}

/* Whether @host is this computer: "localhost", 127.0.0.0/8 or ::1. Names
 * other than "localhost" are not resolved: what they resolve to can change
 * between this check and the connection.
 */
static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/*
 * Answers
 */

/* The member @key of @object, which must be an object. */
static JsonNode *
get_object_member (JsonObject  *object,
                   const char  *key,
                   GError     **error)
{
  JsonObject *member = NULL;

  if (!bd_json_read_object (object, NULL, key, BD_JSON_REQUIRED, NULL, &member, error))
    return NULL;

  return json_object_get_member (object, key);
}

static BdSubscription *
read_subscription (JsonNode    *node,
                   const char  *path,
                   const char  *expected_id,
                   GError     **error)
{
  g_autoptr(BdSubscription) subscription = NULL;

  subscription = bd_subscription_new_from_json (node, path, error);
  if (subscription == NULL)
    return NULL;

  if (expected_id != NULL && g_strcmp0 (bd_subscription_get_id (subscription), expected_id) != 0)
    {
      g_autofree char *id_path = bd_json_path_member (path, "id");

      bd_set_invalid_error (error, id_path, "another subscription than the one asked for");
      return NULL;
    }

  return g_steal_pointer (&subscription);
}

static gpointer
read_subscription_answer (JsonNode        *node,
                          GUri            *base_uri,
                          const char      *expected_id,
                          GDestroyNotify  *value_free,
                          GError         **error)
{
  *value_free = g_object_unref;
  return read_subscription (node, NULL, expected_id, error);
}

static gpointer
read_cancellation_answer (JsonNode        *node,
                          GUri            *base_uri,
                          const char      *expected_id,
                          GDestroyNotify  *value_free,
                          GError         **error)
{
  *value_free = g_object_unref;
  return bd_cancellation_new_from_json (node, NULL, error);
}

static void
me_answer_free (gpointer data)
{
  BdClientMeAnswer *answer = data;

  g_clear_object (&answer->user);
  g_clear_object (&answer->tenant);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdClientMeAnswer, me_answer_free)

static gpointer
read_me_answer (JsonNode        *node,
                GUri            *base_uri,
                const char      *expected_id,
                GDestroyNotify  *value_free,
                GError         **error)
{
  static const char * const keys[] = { "user", "tenant", "serverTime", NULL };
  g_autoptr(BdClientMeAnswer) answer = g_new0 (BdClientMeAnswer, 1);
  JsonObject *object;
  JsonNode *member;

  object = bd_json_expect_object (node, NULL, keys, error);
  if (object == NULL)
    return NULL;

  if ((member = get_object_member (object, "user", error)) == NULL ||
      (answer->user = bd_user_new_from_json (member, "user", NULL, error)) == NULL ||
      (member = get_object_member (object, "tenant", error)) == NULL ||
      (answer->tenant = bd_tenant_new_from_json (member, "tenant", error)) == NULL ||
      !bd_json_read_time (object, NULL, "serverTime", BD_JSON_REQUIRED, BD_TIME_NONE,
                          &answer->server_time, error))
    return NULL;

  *value_free = me_answer_free;
  return g_steal_pointer (&answer);
}

/* {"value": [{"id", "displayName", "paymentMethod"}, ...]} */
static gpointer
read_billing_profiles_answer (JsonNode        *node,
                              GUri            *base_uri,
                              const char      *expected_id,
                              GDestroyNotify  *value_free,
                              GError         **error)
{
  static const char * const keys[] = { "value", NULL };
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *value = NULL;
  JsonObject *object;

  object = bd_json_expect_object (node, NULL, keys, error);
  if (object == NULL ||
      !bd_json_read_array (object, NULL, "value", BD_JSON_REQUIRED, &value, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      g_autofree char *path = bd_json_path_index ("value", i);
      BdBillingProfile *profile;

      profile = bd_billing_profile_new_from_json (json_array_get_element (value, i), path, error);
      if (profile == NULL)
        return NULL;
      g_ptr_array_add (profiles, profile);
    }

  *value_free = (GDestroyNotify) g_ptr_array_unref;
  return g_steal_pointer (&profiles);
}

static void
list_answer_free (gpointer data)
{
  BdClientListAnswer *answer = data;

  g_clear_pointer (&answer->subscriptions, g_ptr_array_unref);
  g_free (answer->next_link);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdClientListAnswer, list_answer_free)

static gpointer
read_list_answer (JsonNode        *node,
                  GUri            *base_uri,
                  const char      *expected_id,
                  GDestroyNotify  *value_free,
                  GError         **error)
{
  static const char * const keys[] = { "value", "nextLink", NULL };
  g_autoptr(BdClientListAnswer) answer = g_new0 (BdClientListAnswer, 1);
  JsonObject *object;
  JsonArray *value = NULL;
  const char *next_link = NULL;
  guint length;

  object = bd_json_expect_object (node, NULL, keys, error);
  if (object == NULL ||
      !bd_json_read_array (object, NULL, "value", BD_JSON_REQUIRED, &value, error) ||
      !bd_json_read_string (object, NULL, "nextLink",
                            BD_JSON_REQUIRED | BD_JSON_NULLABLE | BD_JSON_NON_EMPTY,
                            &next_link, error))
    return NULL;

  if (next_link != NULL)
    {
      g_autoptr(GUri) uri = parse_same_origin (base_uri, next_link);

      if (uri == NULL)
        {
          bd_set_invalid_error (error, "nextLink", "not on the service's scheme, host and port");
          return NULL;
        }
    }

  length = json_array_get_length (value);
  answer->subscriptions = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    {
      g_autofree char *path = bd_json_path_index ("value", i);
      BdSubscription *subscription;

      subscription = read_subscription (json_array_get_element (value, i), path, NULL, error);
      if (subscription == NULL)
        return NULL;
      g_ptr_array_add (answer->subscriptions, subscription);
    }

  answer->next_link = g_strdup (next_link);
  *value_free = list_answer_free;
  return g_steal_pointer (&answer);
}

static void
cancel_answer_free (gpointer data)
{
  BdClientCancelAnswer *answer = data;

  g_clear_object (&answer->subscription);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdClientCancelAnswer, cancel_answer_free)

static gpointer
read_cancel_answer (JsonNode        *node,
                    GUri            *base_uri,
                    const char      *expected_id,
                    GDestroyNotify  *value_free,
                    GError         **error)
{
  static const char * const keys[] = { "subscription", "refund", "dataRetention", NULL };
  static const char * const refund_keys[] = { "amount", "currency", "method", NULL };
  static const char * const retention_keys[] = { "deletableFrom", "deletedBy", NULL };
  g_autoptr(BdClientCancelAnswer) answer = g_new0 (BdClientCancelAnswer, 1);
  JsonObject *object;
  JsonObject *refund = NULL;
  JsonObject *retention = NULL;
  JsonNode *member;

  object = bd_json_expect_object (node, NULL, keys, error);
  if (object == NULL ||
      (member = get_object_member (object, "subscription", error)) == NULL ||
      (answer->subscription = read_subscription (member, "subscription", expected_id,
                                                 error)) == NULL ||
      !bd_json_read_object (object, NULL, "refund", BD_JSON_REQUIRED | BD_JSON_NULLABLE,
                            refund_keys, &refund, error) ||
      !bd_json_read_object (object, NULL, "dataRetention", BD_JSON_REQUIRED, retention_keys,
                            &retention, error) ||
      !bd_json_read_time (retention, "dataRetention", "deletableFrom", BD_JSON_REQUIRED,
                          BD_TIME_NONE, &answer->deletable_from, error) ||
      !bd_json_read_time (retention, "dataRetention", "deletedBy", BD_JSON_REQUIRED,
                          BD_TIME_NONE, &answer->deleted_by, error))
    return NULL;

  if (refund != NULL)
    {
      const char *method = NULL;

      if (!bd_json_read_string (refund, "refund", "method", BD_JSON_REQUIRED, &method, error))
        return NULL;
      if (!bd_refund_method_from_string (method, &answer->refund_method))
        {
          bd_json_set_unknown_value (error, "refund.method", method);
          return NULL;
        }
      if (!bd_money_read_members (refund, "refund", REFUND_MAX, &answer->refund, error))
        return NULL;
      answer->has_refund = TRUE;
    }

  *value_free = cancel_answer_free;
  return g_steal_pointer (&answer);
}

static const AnswerFunc answer_funcs[BD_CLIENT_N_ANSWER_KINDS] = {
  [BD_CLIENT_ANSWER_ME] = read_me_answer,
  [BD_CLIENT_ANSWER_BILLING_PROFILES] = read_billing_profiles_answer,
  [BD_CLIENT_ANSWER_LIST] = read_list_answer,
  [BD_CLIENT_ANSWER_SUBSCRIPTION] = read_subscription_answer,
  [BD_CLIENT_ANSWER_CANCELLATION] = read_cancellation_answer,
  [BD_CLIENT_ANSWER_CANCEL] = read_cancel_answer,
};

/* A non-2xx answer: the error document's code, or one from the status. */
static GError *
read_api_error (guint       status,
                JsonNode   *node,
                const char *what)
{
  g_autoptr(GError) read_error = NULL;
  g_autofree char *code_word = NULL;
  g_autofree char *message = NULL;
  g_autofree char *target = NULL;
  BdErrorCode code = BD_ERROR_CODE_UNKNOWN;

  if (node == NULL ||
      !bd_api_error_read (node, &code, &code_word, &message, &target, &read_error))
    {
      g_debug ("%s: %u without an error document", what, status);

      switch (status)
        {
        case SOUP_STATUS_INTERNAL_SERVER_ERROR:
          code = BD_ERROR_CODE_INTERNAL_ERROR;
          break;
        case SOUP_STATUS_BAD_GATEWAY:
        case SOUP_STATUS_SERVICE_UNAVAILABLE:
          code = BD_ERROR_CODE_UNAVAILABLE;
          break;
        case SOUP_STATUS_GATEWAY_TIMEOUT:
          /* A proxy gave up waiting for the service: the request may
           * have been applied.
           */
          return new_error (BD_CLIENT_ERROR_TIMEOUT, BD_ERROR_CODE_UNKNOWN, status, NULL);
        default:
          code = BD_ERROR_CODE_UNKNOWN;
          break;
        }

      return new_error (BD_CLIENT_ERROR_API, code, status, NULL);
    }

  /* The service's English message is for logs and developers. */
  g_debug ("%s: %u %s%s%s: %s", what, status, code_word,
           target != NULL ? " at " : "", target != NULL ? target : "", message);

  return new_error (BD_CLIENT_ERROR_API, code, status, target);
}

/**
 * _bd_client_read_answer:
 * @base_uri: (nullable): the client's base URL, which a `nextLink` must share
 * @expected_id: (nullable): the subscription asked for
 * @status: the HTTP status
 * @data: the answer's body, @length bytes, not necessarily nul-terminated
 * @what: (nullable): the request, such as "GET /v1/me", for the debug log
 * @value_free: (out): frees the value
 *
 * Reads one answer of the service as the shape @kind. A non-2xx answer fails
 * with %BD_CLIENT_ERROR_API (%BD_CLIENT_ERROR_TIMEOUT for 504), a 2xx one
 * that is not JSON or not of the shape with %BD_CLIENT_ERROR_BAD_ANSWER.
 *
 * Returns: (transfer full) (nullable): the value, as the `_finish` functions take it
 */
gpointer
_bd_client_read_answer (BdClientAnswerKind   kind,
                        GUri                *base_uri,
                        const char          *expected_id,
                        guint                status,
                        const char          *data,
                        gsize                length,
                        const char          *what,
                        GDestroyNotify      *value_free,
                        GError             **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) reason = NULL;
  gpointer value = NULL;

  g_return_val_if_fail ((guint) kind < BD_CLIENT_N_ANSWER_KINDS, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (value_free != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (what == NULL)
    what = "answer";

  *value_free = NULL;
  node = bd_json_parse (data != NULL ? data : "", length, &reason);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_propagate_error (error, read_api_error (status, node, what));
      return NULL;
    }

  if (node != NULL)
    value = answer_funcs[kind] (node, base_uri, expected_id, value_free, &reason);
  if (value == NULL)
    {
      g_debug ("%s: unreadable answer: %s", what, reason != NULL ? reason->message : "");
      *value_free = NULL;
      g_propagate_error (error, new_bad_answer_error ());
      return NULL;
    }

  return value;
}

/*
 * GObject overrides
 */

static void
bd_client_dispose (GObject *object)
{
  BdClient *self = (BdClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (bd_client_parent_class)->dispose (object);
}

static void
bd_client_finalize (GObject *object)
{
  BdClient *self = (BdClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->authorization, g_free);

  G_OBJECT_CLASS (bd_client_parent_class)->finalize (object);
}

static void
bd_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BdClient *self = BD_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;

    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;

    case PROP_TLS_DATABASE:
      g_value_set_object (value, self->tls_database);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_base_url (BdClient   *self,
              const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  gsize length;

  self->base_url = g_strdup (base_url != NULL ? base_url : "");
  length = strlen (self->base_url);
  while (length > 0 && self->base_url[length - 1] == '/')
    self->base_url[--length] = '\0';

  uri = g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri != NULL &&
      (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 ||
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0) &&
      g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
      g_uri_get_userinfo (uri) == NULL &&
      g_uri_get_query (uri) == NULL &&
      g_uri_get_fragment (uri) == NULL)
    self->base_uri = g_steal_pointer (&uri);
  else
    g_debug ("Not an http(s) base URL: %s", self->base_url);
}

static void
set_token (BdClient   *self,
           const char *token)
{
  if (token == NULL)
    return;

  /* A token that could break the header line is never sent; the service
   * then answers 401 as for any unknown token.
   */
  if (!is_header_value (token, G_MAXSIZE) || strchr (token, ' ') != NULL)
    {
      g_debug ("Token not sent: it is not printable ASCII without spaces");
      return;
    }

  self->authorization = g_strconcat ("Bearer ", token, NULL);
}

static void
bd_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BdClient *self = BD_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      set_base_url (self, g_value_get_string (value));
      break;

    case PROP_TOKEN:
      set_token (self, g_value_get_string (value));
      break;

    case PROP_CONNECT_TIMEOUT:
      if (self->connect_timeout != g_value_get_uint (value))
        {
          self->connect_timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_REQUEST_TIMEOUT:
      if (self->request_timeout != g_value_get_uint (value))
        {
          self->request_timeout = g_value_get_uint (value);
          soup_session_set_timeout (self->session, self->request_timeout);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_TLS_DATABASE:
      /* NULL keeps libsoup's default: the system's certificate authorities. */
      self->tls_database = g_value_dup_object (value);
      if (self->tls_database != NULL)
        soup_session_set_tls_database (self->session, self->tls_database);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_client_class_init (BdClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bd_client_dispose;
  object_class->finalize = bd_client_finalize;
  object_class->get_property = bd_client_get_property;
  object_class->set_property = bd_client_set_property;

  /**
   * BdClient:base-url:
   *
   * The service's URL, such as `http://127.0.0.1:8421`, without trailing
   * slashes.
   */
  properties [PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * BdClient:token:
   *
   * The bearer token, sent with every request. Write-only: it is never
   * read back or logged.
   */
  properties [PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * BdClient:connect-timeout:
   *
   * Seconds a request may wait for its connection; 0 for no limit. Tests
   * shorten it.
   */
  properties [PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       0, G_MAXUINT, BD_CLIENT_CONNECT_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * BdClient:request-timeout:
   *
   * Seconds each read or write of a request may wait (the session's
   * "timeout"); 0 for no limit. Tests shorten it.
   */
  properties [PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL,
                       0, G_MAXUINT, BD_CLIENT_REQUEST_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * BdClient:tls-database:
   *
   * The certificate authorities an https service's certificate is verified
   * against, such as a #BdTlsDatabase with a private CA; %NULL for the
   * system's. Verification is never turned off.
   */
  properties [PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL,
                         G_TYPE_TLS_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_client_init (BdClient *self)
{
  self->connect_timeout = BD_CLIENT_CONNECT_TIMEOUT_SECONDS;
  self->request_timeout = BD_CLIENT_REQUEST_TIMEOUT_SECONDS;
  self->session = soup_session_new_with_options ("timeout", self->request_timeout,
                                                 "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                                 "user-agent", USER_AGENT,
                                                 NULL);
}

/*
 * Public API
 */

/**
 * bd_client_error_get_api_code:
 * @error: (nullable): an error
 *
 * Returns: the API's error code of a %BD_CLIENT_ERROR_API, else
 *   %BD_ERROR_CODE_UNKNOWN
 */
BdErrorCode
bd_client_error_get_api_code (const GError *error)
{
  if (error == NULL || error->domain != BD_CLIENT_ERROR)
    return BD_ERROR_CODE_UNKNOWN;

  return bd_client_error_get_private (error)->api_code;
}

/**
 * bd_client_error_get_http_status:
 * @error: (nullable): an error
 *
 * Returns: the HTTP status of the answer the error is about, or 0
 */
guint
bd_client_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != BD_CLIENT_ERROR)
    return 0;

  return bd_client_error_get_private (error)->http_status;
}

/**
 * bd_client_error_get_target:
 * @error: (nullable): an error
 *
 * Returns: (nullable): the error document's `target` (a body field, query
 *   parameter or header), or %NULL
 */
const char *
bd_client_error_get_target (const GError *error)
{
  if (error == NULL || error->domain != BD_CLIENT_ERROR)
    return NULL;

  return bd_client_error_get_private (error)->target;
}

/**
 * bd_client_error_is_outcome_unknown:
 * @error: (nullable): an error
 *
 * Whether the request may or may not have been applied: it timed out or its
 * connection dropped after it was sent, or the service answered a change
 * with success in words that could not be read. Check Again resends it with
 * the same Idempotency-Key (DESIGN.md section 4).
 */
gboolean
bd_client_error_is_outcome_unknown (const GError *error)
{
  return g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_TIMEOUT) ||
         g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_CONNECTION_LOST) ||
         (g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER) &&
          bd_client_error_get_private (error)->maybe_applied);
}

/**
 * bd_client_new_idempotency_key:
 *
 * Returns: (transfer full): a new random key for one user action
 */
char *
bd_client_new_idempotency_key (void)
{
  return g_uuid_string_random ();
}

/**
 * bd_client_new:
 * @base_url: the service's URL, such as `http://127.0.0.1:8421`
 * @token: (nullable): the bearer token
 *
 * A @base_url that is not an http(s) URL is not refused here: every request
 * then fails with %BD_CLIENT_ERROR_UNREACHABLE; one of plain http to another
 * computer fails every request with %BD_CLIENT_ERROR_INSECURE_URL (see
 * bd_client_check_base_url ()).
 *
 * Returns: (transfer full): a new client
 */
BdClient *
bd_client_new (const char *base_url,
               const char *token)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (BD_TYPE_CLIENT,
                       "base-url", base_url,
                       "token", token,
                       NULL);
}

/**
 * bd_client_get_base_url:
 *
 * Returns: the base URL, without trailing slashes
 */
const char *
bd_client_get_base_url (BdClient *self)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * bd_client_check_base_url:
 *
 * Whether the client may send requests, with its token, to its base URL:
 * https to any host, plain http only to this computer ("localhost",
 * 127.0.0.0/8 or ::1), where no one else can read the token. Every request
 * checks this first; the app also asks before it shows anything.
 *
 * Returns: %TRUE if so; else %FALSE with %BD_CLIENT_ERROR_INSECURE_URL, or
 *   %BD_CLIENT_ERROR_UNREACHABLE for a base URL that is not http(s)
 */
gboolean
bd_client_check_base_url (BdClient  *self,
                          GError   **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->base_uri == NULL)
    {
      g_propagate_error (error, new_error (BD_CLIENT_ERROR_UNREACHABLE, BD_ERROR_CODE_UNKNOWN,
                                           0, NULL));
      return FALSE;
    }

  if (g_ascii_strcasecmp (g_uri_get_scheme (self->base_uri), "http") == 0 &&
      !is_loopback_host (g_uri_get_host (self->base_uri)))
    {
      g_propagate_error (error, new_error (BD_CLIENT_ERROR_INSECURE_URL, BD_ERROR_CODE_UNKNOWN,
                                           0, NULL));
      return FALSE;
    }

  return TRUE;
}

static GTask *
new_task (BdClient            *self,
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
 * bd_client_get_me_async:
 *
 * `GET /v1/me`: who the token belongs to, the tenant and the service's clock.
 */
void
bd_client_get_me_async (BdClient            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, cancellable, callback, user_data, bd_client_get_me_async);
  uri = build_uri (self, "/v1/me", NULL);
  send_request (self, task, SOUP_METHOD_GET, uri, NULL, NULL, NULL, BD_CLIENT_ANSWER_ME, NULL);
}

void
bd_client_list_billing_profiles_async (BdClient            *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, cancellable, callback, user_data, bd_client_list_billing_profiles_async);
  uri = build_uri (self, "/v1/billing-profiles", NULL);
  send_request (self, task, SOUP_METHOD_GET, uri, NULL, NULL, NULL,
                BD_CLIENT_ANSWER_BILLING_PROFILES, NULL);
}

/**
 * bd_client_list_billing_profiles_finish:
 *
 * Returns: (transfer container) (element-type BdBillingProfile) (nullable):
 *   the tenant's billing profiles
 */
GPtrArray *
bd_client_list_billing_profiles_finish (BdClient      *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        bd_client_list_billing_profiles_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bd_client_get_me_finish:
 * @user: (out) (optional) (transfer full): the user
 * @tenant: (out) (optional) (transfer full): the tenant
 * @server_time: (out) (optional): the service's clock, seconds since the epoch
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
bd_client_get_me_finish (BdClient      *self,
                         GAsyncResult  *result,
                         BdUser       **user,
                         BdTenant     **tenant,
                         gint64        *server_time,
                         GError       **error)
{
  g_autoptr(BdClientMeAnswer) answer = NULL;

  g_return_val_if_fail (BD_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bd_client_get_me_async, FALSE);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return FALSE;

  if (user != NULL)
    *user = g_steal_pointer (&answer->user);
  if (tenant != NULL)
    *tenant = g_steal_pointer (&answer->tenant);
  if (server_time != NULL)
    *server_time = answer->server_time;

  return TRUE;
}

/**
 * bd_client_list_subscriptions_async:
 * @next_link: (nullable): the `nextLink` of the previous page, or %NULL for
 *   the first page
 * @top: the page size (1..500) of the first page
 *
 * `GET /v1/subscriptions?top=N`, or the absolute @next_link as given. A
 * @next_link that is not on the base URL's scheme, host and port fails with
 * %BD_CLIENT_ERROR_BAD_ANSWER: the token never goes anywhere else.
 */
void
bd_client_list_subscriptions_async (BdClient            *self,
                                    const char          *next_link,
                                    guint                top,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, cancellable, callback, user_data, bd_client_list_subscriptions_async);

  if (next_link != NULL && self->base_uri != NULL)
    {
      uri = parse_same_origin (self->base_uri, next_link);
      if (uri == NULL)
        {
          g_debug ("nextLink not on the service's scheme, host and port refused");
          g_task_return_error (task, new_bad_answer_error ());
          g_object_unref (task);
          return;
        }
    }
  else if (next_link == NULL)
    {
      g_autofree char *query = g_strdup_printf ("top=%u", top);

      uri = build_uri (self, "/v1/subscriptions", query);
    }

  send_request (self, task, SOUP_METHOD_GET, uri, NULL, NULL, NULL, BD_CLIENT_ANSWER_LIST, NULL);
}

/**
 * bd_client_list_subscriptions_finish:
 * @next_link: (out) (optional) (nullable) (transfer full): the next page's
 *   link, %NULL on the last page
 *
 * Returns: (transfer full) (element-type BdSubscription) (nullable): the page
 */
GPtrArray *
bd_client_list_subscriptions_finish (BdClient      *self,
                                     GAsyncResult  *result,
                                     char         **next_link,
                                     GError       **error)
{
  g_autoptr(BdClientListAnswer) answer = NULL;

  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        bd_client_list_subscriptions_async, NULL);

  if (next_link != NULL)
    *next_link = NULL;

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return NULL;

  if (next_link != NULL)
    *next_link = g_steal_pointer (&answer->next_link);

  return g_steal_pointer (&answer->subscriptions);
}

/**
 * bd_client_get_subscription_async:
 *
 * `GET /v1/subscriptions/{id}`.
 */
void
bd_client_get_subscription_async (BdClient            *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, cancellable, callback, user_data, bd_client_get_subscription_async);
  uri = subscription_uri (self, id, NULL);
  send_request (self, task, SOUP_METHOD_GET, uri, NULL, NULL, NULL,
                BD_CLIENT_ANSWER_SUBSCRIPTION, id);
}

/**
 * bd_client_get_subscription_finish:
 *
 * Returns: (transfer full) (nullable): the subscription
 */
BdSubscription *
bd_client_get_subscription_finish (BdClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        bd_client_get_subscription_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bd_client_get_cancellation_async:
 *
 * `GET /v1/subscriptions/{id}/cancellation`.
 */
void
bd_client_get_cancellation_async (BdClient            *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, cancellable, callback, user_data, bd_client_get_cancellation_async);
  uri = subscription_uri (self, id, "/cancellation");
  send_request (self, task, SOUP_METHOD_GET, uri, NULL, NULL, NULL,
                BD_CLIENT_ANSWER_CANCELLATION, NULL);
}

/**
 * bd_client_get_cancellation_finish:
 *
 * Returns: (transfer full) (nullable): the cancellation answer
 */
BdCancellation *
bd_client_get_cancellation_finish (BdClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        bd_client_get_cancellation_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bd_client_cancel_async:
 * @feedback: (nullable): the feedback, left out when %NULL
 * @idempotency_key: the key of this user action (bd_client_new_idempotency_key ());
 *   Check Again resends with the same key
 *
 * `POST /v1/subscriptions/{id}/cancel`.
 */
void
bd_client_cancel_async (BdClient            *self,
                        const char          *id,
                        BdCancelReason       reason,
                        const char          *feedback,
                        const char          *idempotency_key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *reason_word = bd_cancel_reason_to_string (reason);
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (reason_word != NULL);
  g_return_if_fail (idempotency_key != NULL);
  g_return_if_fail (is_header_value (idempotency_key, IDEMPOTENCY_KEY_MAX));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason_word);
  if (feedback != NULL)
    {
      json_builder_set_member_name (builder, "feedback");
      json_builder_add_string_value (builder, feedback);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  task = new_task (self, cancellable, callback, user_data, bd_client_cancel_async);
  uri = subscription_uri (self, id, "/cancel");
  send_request (self, task, SOUP_METHOD_POST, uri, body, idempotency_key, NULL,
                BD_CLIENT_ANSWER_CANCEL, id);
}

/**
 * bd_client_cancel_finish:
 * @has_refund: (out) (optional): whether money comes back
 * @refund: (out) (optional): the refund; zero without one
 * @refund_method: (out) (optional): how it comes back, when @has_refund
 * @deletable_from: (out) (optional): when customer data may be deleted
 * @deleted_by: (out) (optional): when customer data is deleted at the latest
 *
 * Returns: (transfer full) (nullable): the cancelled subscription
 */
BdSubscription *
bd_client_cancel_finish (BdClient        *self,
                         GAsyncResult    *result,
                         gboolean        *has_refund,
                         BdMoney         *refund,
                         BdRefundMethod  *refund_method,
                         gint64          *deletable_from,
                         gint64          *deleted_by,
                         GError         **error)
{
  g_autoptr(BdClientCancelAnswer) answer = NULL;

  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bd_client_cancel_async, NULL);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return NULL;

  if (has_refund != NULL)
    *has_refund = answer->has_refund;
  if (refund != NULL)
    *refund = answer->refund;
  if (refund_method != NULL)
    *refund_method = answer->refund_method;
  if (deletable_from != NULL)
    *deletable_from = answer->deletable_from;
  if (deleted_by != NULL)
    *deleted_by = answer->deleted_by;

  return g_steal_pointer (&answer->subscription);
}

/**
 * bd_client_update_async:
 * @etag: the subscription's ETag as read, sent as If-Match
 * @set_recurring_billing: whether to change recurring billing
 * @quantity: the new number of licenses, or -1 to leave it
 *
 * `PATCH /v1/subscriptions/{id}` with at least one change.
 */
void
bd_client_update_async (BdClient            *self,
                        const char          *id,
                        const char          *etag,
                        gboolean             set_recurring_billing,
                        BdRecurringBilling   recurring_billing,
                        gint64               quantity,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (etag != NULL && is_header_value (etag, G_MAXSIZE));
  g_return_if_fail (set_recurring_billing || quantity >= 0);
  g_return_if_fail (!set_recurring_billing ||
                    bd_recurring_billing_to_string (recurring_billing) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (set_recurring_billing)
    {
      json_builder_set_member_name (builder, "recurringBilling");
      json_builder_add_string_value (builder, bd_recurring_billing_to_string (recurring_billing));
    }
  if (quantity >= 0)
    {
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, quantity);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  task = new_task (self, cancellable, callback, user_data, bd_client_update_async);
  uri = subscription_uri (self, id, NULL);
  send_request (self, task, "PATCH", uri, body, NULL, etag, BD_CLIENT_ANSWER_SUBSCRIPTION, id);
}

/**
 * bd_client_update_finish:
 *
 * Returns: (transfer full) (nullable): the updated subscription
 */
BdSubscription *
bd_client_update_finish (BdClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bd_client_update_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bd_client_reactivate_async:
 * @idempotency_key: (nullable): the key of this user action
 *
 * `POST /v1/subscriptions/{id}/reactivate`, without a body.
 */
void
bd_client_reactivate_async (BdClient            *self,
                            const char          *id,
                            const char          *idempotency_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (idempotency_key == NULL ||
                    is_header_value (idempotency_key, IDEMPOTENCY_KEY_MAX));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, cancellable, callback, user_data, bd_client_reactivate_async);
  uri = subscription_uri (self, id, "/reactivate");
  send_request (self, task, SOUP_METHOD_POST, uri, NULL, idempotency_key, NULL,
                BD_CLIENT_ANSWER_SUBSCRIPTION, id);
}

/**
 * bd_client_reactivate_finish:
 *
 * Returns: (transfer full) (nullable): the reactivated subscription
 */
BdSubscription *
bd_client_reactivate_finish (BdClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        bd_client_reactivate_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bd_client_delete_async:
 * @etag: the subscription's ETag as read, sent as If-Match
 * @confirm: the product name as the admin typed it
 * @idempotency_key: (nullable): the key of this user action
 *
 * `DELETE /v1/subscriptions/{id}` with `{"confirm": …}`.
 */
void
bd_client_delete_async (BdClient            *self,
                        const char          *id,
                        const char          *etag,
                        const char          *confirm,
                        const char          *idempotency_key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (etag != NULL && is_header_value (etag, G_MAXSIZE));
  g_return_if_fail (confirm != NULL);
  g_return_if_fail (idempotency_key == NULL ||
                    is_header_value (idempotency_key, IDEMPOTENCY_KEY_MAX));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "confirm");
  json_builder_add_string_value (builder, confirm);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  task = new_task (self, cancellable, callback, user_data, bd_client_delete_async);
  uri = subscription_uri (self, id, NULL);
  send_request (self, task, SOUP_METHOD_DELETE, uri, body, idempotency_key, etag,
                BD_CLIENT_ANSWER_SUBSCRIPTION, id);
}

/**
 * bd_client_delete_finish:
 *
 * Returns: (transfer full) (nullable): the deleted subscription
 */
BdSubscription *
bd_client_delete_finish (BdClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bd_client_delete_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
