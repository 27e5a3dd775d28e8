/* bd-server.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bd-api.h"

G_BEGIN_DECLS

/* The HTTP side of the service: a thin SoupServer adapter around
 * bd_api_handle (). It owns the socket (plain HTTP on a loopback address,
 * or HTTPS anywhere), refuses bodies over 1 MiB before they are read, logs
 * one line per request and counts the requests in flight, so that main ()
 * can let them finish before it exits.
 */

#define BD_SERVER_ERROR (bd_server_error_quark ())

typedef enum
{
  BD_SERVER_ERROR_INVALID_ADDRESS,  /* not HOST:PORT with an IP address for HOST */
  BD_SERVER_ERROR_NOT_LOOPBACK,     /* a remote address without TLS, not allowed */
} BdServerError;

#define BD_TYPE_SERVER (bd_server_get_type ())

G_DECLARE_FINAL_TYPE (BdServer, bd_server, BD, SERVER, GObject)

GQuark    bd_server_error_quark           (void);

BdServer *bd_server_new                   (BdApi            *api);
void      bd_server_set_allow_remote      (BdServer         *self,
                                           gboolean          allow_remote);
gboolean  bd_server_check_tls_certificate (GTlsCertificate  *certificate,
                                           GError          **error);
void      bd_server_set_tls_certificate   (BdServer         *self,
                                           GTlsCertificate  *certificate);
gboolean  bd_server_listen                (BdServer         *self,
                                           const char       *address,
                                           GError          **error);
char     *bd_server_get_url               (BdServer         *self);
guint     bd_server_get_n_in_flight       (BdServer         *self);
void      bd_server_disconnect            (BdServer         *self);

G_END_DECLS
