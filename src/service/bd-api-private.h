/* bd-api-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-api.h"

G_BEGIN_DECLS

/* One request on its way through bd_api_handle (). */
typedef struct
{
  BdApi              *api;
  BdStore            *store;
  const BdApiRequest *request;
  BdUser             *user;           /* the authenticated user */
  gint64              now;
  const char         *subscription_id; /* from the path, when it names one */
  GHashTable         *profiles;       /* billing profile id -> BdBillingProfile */
  GHashTable         *attached;       /* ids of subscriptions a domain lists */
} BdApiCall;

BdApiResponse *_bd_api_error             (BdErrorCode              code,
                                          const char              *target,
                                          const char              *format,
                                          ...) G_GNUC_PRINTF (3, 4);
BdApiResponse *_bd_api_store_error       (const GError            *error);
BdApiResponse *_bd_api_json              (guint                    status,
                                          JsonNode                *node,
                                          const char              *etag);
BdApiResponse *_bd_api_invalid_json      (const GError            *error);
gboolean       _bd_api_load_context      (BdApiCall               *call,
                                          GError                 **error);
void           _bd_api_rule_context      (BdApiCall               *call,
                                          const BdSubscriptionData *data,
                                          BdRuleContext           *ctx);
void           _bd_api_derive            (BdApiCall               *call,
                                          BdSubscriptionData      *data);
JsonNode      *_bd_api_subscription_node (const BdSubscriptionData *data);

BdApiResponse *_bd_api_cancel            (BdApiCall               *call);
BdApiResponse *_bd_api_patch             (BdApiCall               *call);
BdApiResponse *_bd_api_reactivate        (BdApiCall               *call);
BdApiResponse *_bd_api_delete            (BdApiCall               *call);

G_END_DECLS
