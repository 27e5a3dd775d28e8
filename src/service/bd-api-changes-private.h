/* bd-api-changes-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-api-call-private.h"

G_BEGIN_DECLS

/* The endpoints that change a subscription, for the routing in bd-api.c;
 * each reads the subscription its path names itself, once, after the
 * checks that need no store.
 */

BdApiResponse *_bd_api_cancel     (BdApiCall *call);
BdApiResponse *_bd_api_patch      (BdApiCall *call);
BdApiResponse *_bd_api_reactivate (BdApiCall *call);
BdApiResponse *_bd_api_delete     (BdApiCall *call);

G_END_DECLS
