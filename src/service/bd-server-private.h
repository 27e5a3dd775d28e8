/* bd-server-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "bd-server.h"
#include "bd-worker-pool-private.h"

G_BEGIN_DECLS

/* What bd-server.c (the object, the requests and their log) shares with
 * bd-server-workers.c (the work of a request, on a worker thread, and its
 * answer) and bd-server-body-limit.c (the 413 path). The TLS self-check,
 * bd-server-tls-check.c, needs nothing of it.
 */

#define SERVER_HEADER "billing-desk-service/" PACKAGE_VERSION

#define REQUEST_STATE_KEY "bd-server-request-state"

struct _BdServer
{
  GObject     parent_instance;

  BdApi      *api;
  SoupServer *soup;
  char       *url;
  GTlsCertificate *tls_certificate;  /* NULL: plain HTTP */
  GMainContext *context;   /* SoupServer's: the only one that touches a message */
  BdWorkerPool *workers;   /* NULL: the API's own store, on the main context */
  guint       n_in_flight;
  guint       allow_remote : 1;
  guint       stopping : 1;
};

/* What the server keeps about one message, on the message itself. */
typedef struct
{
  gint64  started;     /* monotonic time of got-headers, in µs */
  guint64 body_bytes;  /* of the request body, read so far */
  guint   counted : 1; /* counted in n_in_flight */
  guint   refused : 1; /* its connection was taken for a 413 */
  guint   disconnected : 1; /* nobody is left to read an answer */
  gint   *gone;        /* (nullable): its job's flag, set on disconnecting */
} BdServerRequestState;

void _bd_server_log_request      (const char           *method,
                                  const char           *path,
                                  guint                 status,
                                  gint64                started);
void _bd_server_refuse_too_large (BdServer             *self,
                                  SoupServerMessage    *msg,
                                  BdServerRequestState *state);
void _bd_server_run              (BdServer             *self,
                                  BdWorkerFunc          work,
                                  BdWorkerDoneFunc      done,
                                  gpointer              data,
                                  gboolean              change);
void _bd_server_answer           (BdServer             *self,
                                  SoupServerMessage    *msg);

G_END_DECLS
