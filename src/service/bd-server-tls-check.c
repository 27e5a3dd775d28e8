/* bd-server-tls-check.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-server"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bd-server.h"

/* How long the check of a TLS certificate and its key may take. */
#define TLS_CHECK_SECONDS 10

typedef struct
{
  GCancellable *cancellable;  /* ends the other side when one fails */
  GError       *server_error;
  GError       *client_error;
  guint         n_done;
} TlsCheck;

/* The check is about the key, not about who issued the certificate: the
 * client side accepts exactly the certificate the server side was given,
 * and nothing else.
 */
static gboolean
on_check_accept_certificate_cb (GTlsConnection       *connection,
                                GTlsCertificate      *peer_certificate,
                                GTlsCertificateFlags  errors,
                                gpointer              user_data)
{
  return g_tls_certificate_is_same (peer_certificate, G_TLS_CERTIFICATE (user_data));
}

static void
check_handshake_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TlsCheck *check = user_data;
  GError **error;

  error = G_IS_TLS_SERVER_CONNECTION (object) ? &check->server_error : &check->client_error;
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, error))
    g_cancellable_cancel (check->cancellable);

  check->n_done++;
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static GIOStream *
new_socket_stream (int      fd,
                   GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, error);

  if (socket == NULL)
    {
      close (fd);
      return NULL;
    }

  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

/* The two ends of a connected pair of sockets. */
static gboolean
new_socket_pair (GIOStream **server_stream,
                 GIOStream **client_stream,
                 GError    **error)
{
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }

  *server_stream = new_socket_stream (fds[0], error);
  if (*server_stream == NULL)
    {
      close (fds[1]);
      return FALSE;
    }

  *client_stream = new_socket_stream (fds[1], error);
  if (*client_stream == NULL)
    {
      g_clear_object (server_stream);
      return FALSE;
    }

  return TRUE;
}

/* One TLS handshake of @certificate with itself, over a socket pair: it
 * only succeeds when the key signs for the certificate.
 */
static gboolean
check_tls_certificate (GTlsCertificate  *certificate,
                       GError          **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GIOStream) server_stream = NULL;
  g_autoptr(GIOStream) client_stream = NULL;
  g_autoptr(GIOStream) server = NULL;
  g_autoptr(GIOStream) client = NULL;
  g_autoptr(GSource) timeout = NULL;
  TlsCheck check = { 0 };
  gboolean ok = FALSE;

  if (!new_socket_pair (&server_stream, &client_stream, error))
    return FALSE;

  server = g_tls_server_connection_new (server_stream, certificate, error);
  if (server == NULL)
    return FALSE;
  client = g_tls_client_connection_new (client_stream, NULL, error);
  if (client == NULL)
    return FALSE;
  g_signal_connect (client, "accept-certificate",
                    G_CALLBACK (on_check_accept_certificate_cb), certificate);

  g_main_context_push_thread_default (context);

  check.cancellable = g_cancellable_new ();
  timeout = g_timeout_source_new_seconds (TLS_CHECK_SECONDS);
  g_source_set_callback (timeout, check_timeout_cb, check.cancellable, NULL);
  g_source_attach (timeout, context);

  g_tls_connection_handshake_async (G_TLS_CONNECTION (server), G_PRIORITY_DEFAULT,
                                    check.cancellable, check_handshake_cb, &check);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (client), G_PRIORITY_DEFAULT,
                                    check.cancellable, check_handshake_cb, &check);
  while (check.n_done < 2)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  /* The side that failed first says why; the other one was cancelled. */
  if (check.server_error != NULL &&
      !g_error_matches (check.server_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&check.server_error));
  else if (check.client_error != NULL)
    g_propagate_error (error, g_steal_pointer (&check.client_error));
  else if (check.server_error != NULL)
    g_propagate_error (error, g_steal_pointer (&check.server_error));
  else
    ok = TRUE;

  g_clear_error (&check.server_error);
  g_clear_error (&check.client_error);
  g_clear_object (&check.cancellable);

  return ok;
}

/*
 * Public API
 */

/**
 * bd_server_check_tls_certificate:
 * @certificate: a server certificate, with its private key
 *
 * GLib loads a certificate and a key that do not belong together without a
 * word; the mismatch would only show when the first client connects. This
 * tries them in a TLS handshake with themselves first.
 *
 * Returns: %TRUE when @certificate and its key work together; else %FALSE
 *   with a #GTlsError or #GIOError
 */
gboolean
bd_server_check_tls_certificate (GTlsCertificate  *certificate,
                                 GError          **error)
{
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_tls_certificate (certificate, error);
}
