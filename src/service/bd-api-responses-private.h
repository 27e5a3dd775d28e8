/* bd-api-responses-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-api.h"

G_BEGIN_DECLS

/* The answers of the API: JSON documents, errors and subscriptions. The
 * lowest layer of bd-api*.c: it calls none of the others.
 */

/* How long a client waits before it asks again while the database cannot
 * be reached: a restarting server is back within a few seconds.
 */
#define BD_API_RETRY_AFTER_SECONDS 5

BdApiResponse *_bd_api_response_new      (guint                     status,
                                          GBytes                   *body,
                                          const char               *etag);
BdApiResponse *_bd_api_json              (guint                     status,
                                          JsonNode                 *node,
                                          const char               *etag);
BdApiResponse *_bd_api_error             (BdErrorCode               code,
                                          const char               *target,
                                          const char               *format,
                                          ...) G_GNUC_PRINTF (3, 4);
BdApiResponse *_bd_api_store_error       (const GError             *error);
BdApiResponse *_bd_api_invalid_json      (const GError             *error);
BdApiResponse *_bd_api_not_found         (void);
JsonNode      *_bd_api_subscription_node (const BdSubscriptionData *data);
BdApiResponse *_bd_api_subscription      (const BdSubscriptionData *data);

G_END_DECLS
