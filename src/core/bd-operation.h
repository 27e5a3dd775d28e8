/* bd-operation.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-core-types.h"
#include "bd-money.h"

G_BEGIN_DECLS

#define BD_TYPE_OPERATION (bd_operation_get_type ())

G_DECLARE_FINAL_TYPE (BdOperation, bd_operation, BD, OPERATION, GObject)

BdOperation    *bd_operation_new_from_json                (JsonNode            *node,
                                                           const char          *path,
                                                           GError             **error);
const char     *bd_operation_get_id                       (BdOperation         *self);
gint64          bd_operation_get_time                     (BdOperation         *self);
const char     *bd_operation_get_user_id                  (BdOperation         *self);
const char     *bd_operation_get_user_display_name        (BdOperation         *self);
const char     *bd_operation_get_subscription_id          (BdOperation         *self);
const char     *bd_operation_get_product_name             (BdOperation         *self);
BdAction        bd_operation_get_action                   (BdOperation         *self);
const char     *bd_operation_get_idempotency_key          (BdOperation         *self);
gboolean        bd_operation_has_detail                   (BdOperation         *self);
gboolean        bd_operation_get_cancel_reason            (BdOperation         *self,
                                                           BdCancelReason      *reason);
const char     *bd_operation_get_feedback                 (BdOperation         *self);
gboolean        bd_operation_get_refund                   (BdOperation         *self,
                                                           BdMoney             *amount,
                                                           BdRefundMethod      *method);
gboolean        bd_operation_get_recurring_billing_change (BdOperation         *self,
                                                           BdRecurringBilling  *from,
                                                           BdRecurringBilling  *to);
gboolean        bd_operation_get_quantity_change          (BdOperation         *self,
                                                           gint64              *from,
                                                           gint64              *to);
gboolean        bd_operation_get_status_change            (BdOperation         *self,
                                                           BdStatus            *from,
                                                           BdStatus            *to);

G_END_DECLS
