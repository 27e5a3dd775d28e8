/* bd-server.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-server"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "bd-server-private.h"

/* Paths longer than this are cut short in the log. */
#define LOG_PATH_MAX 256

G_DEFINE_FINAL_TYPE (BdServer, bd_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (bd-server-error-quark, bd_server_error)

enum {
  PROP_0,
  PROP_API,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/*
 * Helpers
 */

/* The path as a log may show it: printable ASCII only, so that a decoded
 * "%0A" cannot forge a log line, and not longer than LOG_PATH_MAX.
 */
static char *
format_log_path (const char *path)
{
  g_autofree char *escaped = NULL;

  if (path == NULL)
    return g_strdup ("-");

  escaped = g_strescape (path, NULL);
  if (strlen (escaped) > LOG_PATH_MAX)
    return g_strdup_printf ("%.*s...", LOG_PATH_MAX, escaped);

  return g_steal_pointer (&escaped);
}

/* One line per request. Never the query (it may hold a skipToken) and never
 * a header value (Authorization holds the bearer token).
 */
void
_bd_server_log_request (const char *method,
                        const char *path,
                        guint       status,
                        gint64      started)
{
  g_autofree char *safe_method = NULL;
  g_autofree char *safe_path = NULL;
  char ms[G_ASCII_DTOSTR_BUF_SIZE];

  safe_method = format_log_path (method);
  safe_path = format_log_path (path);

  /* "%.1f" under a Danish locale would print "0,3": logs are for machines
   * too, so the decimal point is always a point.
   */
  g_ascii_formatd (ms, sizeof ms, "%.1f",
                   (double) (g_get_monotonic_time () - started) / 1000.0);

  g_message ("%s %s %u %s ms", safe_method, safe_path, status, ms);
}

static void
request_done (BdServer             *self,
              BdServerRequestState *state)
{
  if (!state->counted)
    return;

  state->counted = FALSE;
  g_assert (self->n_in_flight > 0);
  self->n_in_flight--;
}

/* HOST:PORT, where HOST is an IPv4 address or an IPv6 address in brackets.
 * Names ("localhost") are not resolved: the service binds exactly the
 * address it was given.
 */
static gboolean
parse_address (const char    *address,
               GInetAddress **host,
               guint16       *port,
               GError       **error)
{
  g_autoptr(GInetAddress) inet_address = NULL;
  g_autofree char *host_part = NULL;
  const char *port_part;
  gboolean bracketed = FALSE;
  guint64 value = 0;

  if (address[0] == '[')
    {
      const char *end = strchr (address, ']');

      if (end != NULL && end[1] == ':')
        {
          host_part = g_strndup (address + 1, end - address - 1);
          port_part = end + 2;
          bracketed = TRUE;
        }
      else
        port_part = NULL;
    }
  else
    {
      const char *colon = strrchr (address, ':');

      if (colon != NULL)
        {
          host_part = g_strndup (address, colon - address);
          port_part = colon + 1;
        }
      else
        port_part = NULL;
    }

  if (port_part != NULL &&
      g_ascii_string_to_unsigned (port_part, 10, 0, G_MAXUINT16, &value, NULL))
    inet_address = g_inet_address_new_from_string (host_part);

  /* An IPv6 address must be in brackets, and only an IPv6 address may be. */
  if (inet_address == NULL ||
      bracketed != (g_inet_address_get_family (inet_address) == G_SOCKET_FAMILY_IPV6))
    {
      g_set_error (error, BD_SERVER_ERROR, BD_SERVER_ERROR_INVALID_ADDRESS,
                   /* Translators: %s is what the user gave, such as "localhost:80" */
                   _("“%s” is not an address to listen on: give an IP address and a port, "
                     "such as 127.0.0.1:8421 or [::1]:8421"),
                   address);
      return FALSE;
    }

  *host = g_steal_pointer (&inet_address);
  *port = (guint16) value;
  return TRUE;
}

/* The base URL that nextLink is built on, such as http://127.0.0.1:8421
 * or https://[::1]:8443,
 * from the socket listened on (soup_server_get_uris () in libsoup 3.2
 * leaks the address it reads).
 */
static char *
base_url_of (SoupServer *soup)
{
  GSList *listeners = soup_server_get_listeners (soup);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  GInetSocketAddress *inet;

  g_return_val_if_fail (listeners != NULL, NULL);

  local = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (local), NULL);

  inet = G_INET_SOCKET_ADDRESS (local);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  uri = g_uri_build (G_URI_FLAGS_NONE, soup_server_is_https (soup) ? "https" : "http", NULL, host,
                     g_inet_socket_address_get_port (inet), "", NULL, NULL);

  return g_uri_to_string (uri);
}

/*
 * Callbacks
 */

static void
on_message_got_headers_cb (SoupServerMessage *msg,
                           BdServer          *self)
{
  BdServerRequestState *state = g_object_get_data (G_OBJECT (msg), REQUEST_STATE_KEY);
  SoupMessageHeaders *headers;

  g_return_if_fail (state != NULL);

  /* A request is in flight from its headers on, not from request-started:
   * libsoup starts the next message of a kept-alive connection as soon as
   * the last one is done, and an idle connection must not hold up exit.
   */
  state->started = g_get_monotonic_time ();
  state->counted = TRUE;
  self->n_in_flight++;

  if (self->stopping)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");

  /* libsoup refused it already (a bad request line, say). */
  if (soup_server_message_get_status (msg) != 0)
    return;

  headers = soup_server_message_get_request_headers (msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > BD_API_MAX_BODY)
    _bd_server_refuse_too_large (self, msg, state);
}

/* A chunked body has no length up front: count it as it comes. */
static void
on_message_got_chunk_cb (SoupServerMessage *msg,
                         GBytes            *chunk,
                         BdServer          *self)
{
  BdServerRequestState *state = g_object_get_data (G_OBJECT (msg), REQUEST_STATE_KEY);

  g_return_if_fail (state != NULL);

  state->body_bytes += g_bytes_get_size (chunk);
  if (!state->refused && state->body_bytes > BD_API_MAX_BODY)
    _bd_server_refuse_too_large (self, msg, state);
}

static void
on_message_finished_cb (SoupServerMessage *msg,
                        BdServer          *self)
{
  BdServerRequestState *state = g_object_get_data (G_OBJECT (msg), REQUEST_STATE_KEY);

  g_return_if_fail (state != NULL);

  if (!state->counted)
    return;

  _bd_server_log_request (soup_server_message_get_method (msg),
                          g_uri_get_path (soup_server_message_get_uri (msg)),
                          soup_server_message_get_status (msg),
                          state->started);
  request_done (self, state);
}

static void
on_message_disconnected_cb (SoupServerMessage *msg,
                            BdServer          *self)
{
  BdServerRequestState *state = g_object_get_data (G_OBJECT (msg), REQUEST_STATE_KEY);

  g_return_if_fail (state != NULL);

  state->disconnected = TRUE;
  /* A job not begun is dropped (bd-server-workers.c). */
  if (state->gone != NULL)
    g_atomic_int_set (state->gone, TRUE);

  /* A refused message was logged when it was refused. */
  if (state->counted && !state->refused)
    _bd_server_log_request (soup_server_message_get_method (msg),
                            g_uri_get_path (soup_server_message_get_uri (msg)),
                            soup_server_message_get_status (msg),
                            state->started);
  request_done (self, state);
}

static void
on_soup_request_started_cb (SoupServer        *soup,
                            SoupServerMessage *msg,
                            BdServer          *self)
{
  g_object_set_data_full (G_OBJECT (msg), REQUEST_STATE_KEY,
                          g_new0 (BdServerRequestState, 1), g_free);

  /* The message may outlive self (libsoup holds it until its connection
   * closes): the handlers go away with self.
   */
  g_signal_connect_object (msg, "got-headers",
                           G_CALLBACK (on_message_got_headers_cb), self, G_CONNECT_DEFAULT);
  g_signal_connect_object (msg, "got-chunk",
                           G_CALLBACK (on_message_got_chunk_cb), self, G_CONNECT_DEFAULT);
  g_signal_connect_object (msg, "finished",
                           G_CALLBACK (on_message_finished_cb), self, G_CONNECT_DEFAULT);
  g_signal_connect_object (msg, "disconnected",
                           G_CALLBACK (on_message_disconnected_cb), self, G_CONNECT_DEFAULT);
}

/* Every path: the routes are bd_api_handle ()'s business. */
static void
handle_message_cb (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  BdServer *self = user_data;

  _bd_server_answer (self, msg);
}

/*
 * GObject overrides
 */

static void
bd_server_dispose (GObject *object)
{
  BdServer *self = (BdServer *)object;

  /* The connections first, so that no answer is waited for; then the
   * workers, who finish what they hold and close their stores.
   */
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_pointer (&self->workers, _bd_worker_pool_free);
  g_clear_object (&self->soup);
  g_clear_object (&self->api);
  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (bd_server_parent_class)->dispose (object);
}

static void
bd_server_finalize (GObject *object)
{
  BdServer *self = (BdServer *)object;

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (bd_server_parent_class)->finalize (object);
}

static void
bd_server_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BdServer *self = BD_SERVER (object);

  switch (prop_id)
    {
    case PROP_API:
      g_value_set_object (value, self->api);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_server_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BdServer *self = BD_SERVER (object);

  switch (prop_id)
    {
    case PROP_API:
      self->api = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_server_class_init (BdServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bd_server_dispose;
  object_class->finalize = bd_server_finalize;
  object_class->get_property = bd_server_get_property;
  object_class->set_property = bd_server_set_property;

  properties [PROP_API] =
    g_param_spec_object ("api", NULL, NULL,
                         BD_TYPE_API,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_server_init (BdServer *self)
{
  /* SoupServer's sources go to the thread-default context of the thread
   * that makes it: answers come back to that one.
   */
  self->context = g_main_context_ref_thread_default ();

  /* No trailing space: libsoup would append its own name and version. */
  self->soup = soup_server_new ("server-header", SERVER_HEADER, NULL);

  g_signal_connect (self->soup, "request-started",
                    G_CALLBACK (on_soup_request_started_cb), self);
  soup_server_add_handler (self->soup, NULL, handle_message_cb, self, NULL);
}

/*
 * Public API
 */

/**
 * bd_server_new:
 * @api: the API to serve
 *
 * Returns: (transfer full): a new server, not yet listening
 */
BdServer *
bd_server_new (BdApi *api)
{
  g_return_val_if_fail (BD_IS_API (api), NULL);

  return g_object_new (BD_TYPE_SERVER,
                       "api", api,
                       NULL);
}

/**
 * bd_server_set_allow_remote:
 * @allow_remote: whether bd_server_listen () may bind an address that is
 *   not a loopback address without TLS
 *
 * Plain HTTP carries the bearer tokens in the clear, so by default a
 * server without a TLS certificate only listens where nobody else can
 * listen in. Tests use this to bind a remote address on purpose.
 */
void
bd_server_set_allow_remote (BdServer *self,
                            gboolean  allow_remote)
{
  g_return_if_fail (BD_IS_SERVER (self));

  self->allow_remote = !!allow_remote;
}

/**
 * bd_server_set_tls_certificate:
 * @certificate: the server's certificate, with its private key, checked
 *   with bd_server_check_tls_certificate ()
 *
 * Serves HTTPS with @certificate from bd_server_listen () on, which may
 * then bind any address. Call it before bd_server_listen ().
 */
void
bd_server_set_tls_certificate (BdServer        *self,
                               GTlsCertificate *certificate)
{
  g_return_if_fail (BD_IS_SERVER (self));
  g_return_if_fail (G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (self->url == NULL);

  g_set_object (&self->tls_certificate, certificate);
  soup_server_set_tls_certificate (self->soup, certificate);
}

/**
 * bd_server_listen:
 * @address: `HOST:PORT`, such as `127.0.0.1:8421` or `[::1]:0` (port 0
 *   picks a free port)
 *
 * Starts listening on @address, over HTTPS when the server has a TLS
 * certificate, and tells the API its base URL. Call it once.
 *
 * Returns: %TRUE on success; %FALSE with %BD_SERVER_ERROR for a bad
 *   address or a remote one without TLS, or a #GIOError when the address
 *   cannot be bound
 */
gboolean
bd_server_listen (BdServer    *self,
                  const char  *address,
                  GError     **error)
{
  g_autoptr(GInetAddress) host = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  guint16 port = 0;

  g_return_val_if_fail (BD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (self->url == NULL, FALSE);
  g_return_val_if_fail (!self->stopping, FALSE);

  if (!parse_address (address, &host, &port, error))
    return FALSE;

  if (self->tls_certificate == NULL && !self->allow_remote &&
      !g_inet_address_get_is_loopback (host))
    {
      g_set_error (error, BD_SERVER_ERROR, BD_SERVER_ERROR_NOT_LOOPBACK,
                   /* Translators: %s is an address such as 0.0.0.0:8421 */
                   _("Refusing to listen on %s: without TLS the service speaks plain HTTP, "
                     "so it listens only on a loopback address such as 127.0.0.1 or [::1]"),
                   address);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (host, port);
  if (!soup_server_listen (self->soup, socket_address,
                           self->tls_certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;

  self->url = base_url_of (self->soup);
  bd_api_set_base_url (self->api, self->url);

  return TRUE;
}

/**
 * bd_server_get_url:
 *
 * Returns: (transfer full) (nullable): the base URL, such as
 *   `http://127.0.0.1:8421` or `https://0.0.0.0:8443`, or %NULL before
 *   bd_server_listen ()
 */
char *
bd_server_get_url (BdServer *self)
{
  g_return_val_if_fail (BD_IS_SERVER (self), NULL);

  return g_strdup (self->url);
}

/**
 * bd_server_get_n_in_flight:
 *
 * Returns: the requests whose headers have arrived and whose answer is not
 *   yet sent, refused connections not yet closed included
 */
guint
bd_server_get_n_in_flight (BdServer *self)
{
  g_return_val_if_fail (BD_IS_SERVER (self), 0);

  return self->n_in_flight;
}

/**
 * bd_server_disconnect:
 *
 * Stops accepting connections; the requests in flight go on and are
 * answered with `Connection: close`. Dispose the server to drop the
 * connections that are left.
 */
void
bd_server_disconnect (BdServer *self)
{
  GSList *listeners;
  const GSList *l;

  g_return_if_fail (BD_IS_SERVER (self));

  if (self->stopping)
    return;

  self->stopping = TRUE;

  /* soup_server_disconnect () would drop the connections of the requests in
   * flight as well, so only the listening sockets are closed here; libsoup's
   * accept source then finds its socket closed and goes away.
   */
  listeners = soup_server_get_listeners (self->soup);
  for (l = listeners; l != NULL; l = l->next)
    {
      g_autoptr(GError) error = NULL;

      if (!g_socket_close (l->data, &error))
        g_warning ("Closing a listening socket: %s", error->message);
    }
  g_slist_free (listeners);
}
