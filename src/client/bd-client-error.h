/* bd-client-error.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bd-core.h"

G_BEGIN_DECLS

/* How a request to the billing service failed. Each error's message is the
 * sentence the app shows as it is: what happened and what to do next, never
 * the service's own text, which is English and for logs.
 */

#define BD_CLIENT_ERROR (bd_client_error_quark ())

typedef enum
{
  BD_CLIENT_ERROR_API,              /* the service answered an error document */
  BD_CLIENT_ERROR_UNREACHABLE,      /* no connection: refused, no route, no name */
  BD_CLIENT_ERROR_TIMEOUT,          /* no answer in time: the outcome is unknown */
  BD_CLIENT_ERROR_CONNECTION_LOST,  /* the connection dropped mid-way: outcome unknown */
  BD_CLIENT_ERROR_BAD_ANSWER,       /* not JSON, the wrong shape, or over 16 MiB */
  BD_CLIENT_ERROR_UNTRUSTED_CERTIFICATE, /* https: the certificate did not verify; nothing sent */
  BD_CLIENT_ERROR_INSECURE_URL,     /* plain http to a host that is not this computer */
} BdClientError;

GQuark          bd_client_error_quark               (void);
BdErrorCode     bd_client_error_get_api_code        (const GError         *error);
guint           bd_client_error_get_http_status     (const GError         *error);
const char     *bd_client_error_get_target          (const GError         *error);
gboolean        bd_client_error_is_outcome_unknown  (const GError         *error);

G_END_DECLS
