/* bd-api-call-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-api.h"

G_BEGIN_DECLS

/* One request on its way through bd_api_handle (): who asks, at what time,
 * and the subscription its path names, read once for the whole request.
 */
typedef struct
{
  BdStore            *store;
  const BdApiRequest *request;
  const char         *base_url;        /* (nullable): of this answer's links */
  BdUser             *user;            /* the authenticated user */
  gint64              now;
  const char         *subscription_id; /* from the path, when it names one */
  BdSubscriptionData *subscription;    /* its stored fields, once read */
  BdRuleContext       ctx;             /* what the rules need of it, once loaded */
  gboolean            has_ctx;
  gboolean            in_transaction;  /* a change: rolled back unless committed */
} BdApiCall;

void           _bd_api_call_clear             (BdApiCall          *call);
BdApiResponse *_bd_api_call_begin             (BdApiCall          *call);
BdApiResponse *_bd_api_call_read_subscription (BdApiCall          *call,
                                               gboolean            for_change);
gboolean       _bd_api_call_load_context      (BdApiCall          *call,
                                               GError            **error);
void           _bd_api_call_derive            (BdApiCall          *call,
                                               BdSubscriptionData *data);
gboolean       _bd_api_call_commit            (BdApiCall          *call,
                                               GError            **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BdApiCall, _bd_api_call_clear)

G_END_DECLS
