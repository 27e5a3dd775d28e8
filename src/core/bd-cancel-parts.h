/* bd-cancel-parts.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-core-types.h"
#include "bd-money.h"

G_BEGIN_DECLS

/* What the two cancel answers (GET …/cancellation, POST …/cancel) share:
 * the refund, `{"amount", "currency", "method"}` or null, and the data
 * retention, `"dataRetention": {"deletableFrom", "deletedBy"}`.
 */

/* A refund's members, `{"amount", "currency", "method"}`, for
 * bd_json_read_object ()'s known keys.
 */
extern const char * const bd_refund_keys[];

gboolean bd_refund_read_members    (JsonObject      *object,
                                   const char      *path,
                                   BdMoney         *amount,
                                   BdRefundMethod  *method,
                                   GError         **error);
void     bd_refund_to_json         (const BdMoney   *amount,
                                   BdRefundMethod   method,
                                   JsonBuilder     *builder);
gboolean bd_data_retention_read    (JsonObject      *object,
                                   const char      *path,
                                   gint64          *deletable_from,
                                   gint64          *deleted_by,
                                   GError         **error);
void     bd_data_retention_to_json (gint64           deletable_from,
                                   gint64           deleted_by,
                                   JsonBuilder     *builder);

G_END_DECLS
