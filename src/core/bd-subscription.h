/* bd-subscription.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-subscription-data.h"

G_BEGIN_DECLS

#define BD_TYPE_SUBSCRIPTION (bd_subscription_get_type ())

G_DECLARE_FINAL_TYPE (BdSubscription, bd_subscription, BD, SUBSCRIPTION, GObject)

BdSubscription           *bd_subscription_new                   (const BdSubscriptionData  *data);
BdSubscription           *bd_subscription_new_from_json         (JsonNode                  *node,
                                                                 const char                *path,
                                                                 GError                   **error);
const BdSubscriptionData *bd_subscription_get_data              (BdSubscription            *self);
void                      bd_subscription_update                (BdSubscription            *self,
                                                                 const BdSubscriptionData  *data);
const char               *bd_subscription_get_id                (BdSubscription            *self);
const char               *bd_subscription_get_product_name      (BdSubscription            *self);
BdStatus                  bd_subscription_get_status            (BdSubscription            *self);
guint                     bd_subscription_get_quantity          (BdSubscription            *self);
guint                     bd_subscription_get_assigned_licenses (BdSubscription            *self);
BdRecurringBilling        bd_subscription_get_recurring_billing (BdSubscription            *self);
gboolean                  bd_subscription_is_action_allowed     (BdSubscription            *self,
                                                                 BdAction                   action);
BdBlocker                 bd_subscription_get_action_blocker    (BdSubscription            *self,
                                                                 BdAction                   action);

G_END_DECLS
