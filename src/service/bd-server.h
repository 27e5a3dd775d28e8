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
 * can let them finish before it exits. With bd_server_start_workers (),
 * requests are answered on worker threads, each with its own store, while
 * the main context goes on reading and writing the others.
 */

/* The service's workers. A request spends its time waiting on the
 * database (a row lock held by another request or instance, a commit's
 * fsync), not on the CPU, so a few more threads than the 2 cores of a
 * small machine let a read be answered while changes wait for their
 * locks. Each holds a connection of its own: with the one the service
 * seeded with, five an instance, far below PostgreSQL's default of 100
 * even for several instances; SQLite writes one at a time whatever their
 * number, and reads beside them (WAL).
 */
#define BD_SERVER_N_WORKERS 4

/* How long a stopping service lets the requests in hand finish: longer
 * than a store call may wait for a lock (%BD_STORE_LOCK_TIMEOUT_SECONDS),
 * so that no worker is still inside the database when the process exits.
 */
#define BD_SERVER_SHUTDOWN_SECONDS (BD_STORE_LOCK_TIMEOUT_SECONDS + 5)

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
gboolean  bd_server_start_workers         (BdServer         *self,
                                           const char       *location,
                                           BdStoreDurability durability,
                                           guint             n_workers,
                                           GError          **error);
gboolean  bd_server_listen                (BdServer         *self,
                                           const char       *address,
                                           GError          **error);
char     *bd_server_get_url               (BdServer         *self);
guint     bd_server_get_n_in_flight       (BdServer         *self);
void      bd_server_disconnect            (BdServer         *self);

G_END_DECLS
