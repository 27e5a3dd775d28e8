/* bd-api-reads-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-api-call-private.h"

G_BEGIN_DECLS

/* The GET endpoints, for the routing in bd-api.c. */

BdApiResponse *_bd_api_get_me                (BdApiCall *call);
BdApiResponse *_bd_api_list_subscriptions    (BdApiCall *call);
BdApiResponse *_bd_api_get_subscription      (BdApiCall *call);
BdApiResponse *_bd_api_get_cancellation      (BdApiCall *call);
BdApiResponse *_bd_api_list_billing_profiles (BdApiCall *call);
BdApiResponse *_bd_api_list_domains          (BdApiCall *call);
BdApiResponse *_bd_api_list_operations       (BdApiCall *call);

G_END_DECLS
