/* bd-cancellation.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-core-types.h"
#include "bd-money.h"
#include "bd-rules.h"

G_BEGIN_DECLS

#define BD_TYPE_CANCELLATION (bd_cancellation_get_type ())

G_DECLARE_FINAL_TYPE (BdCancellation, bd_cancellation, BD, CANCELLATION, GObject)

BdCancellation      *bd_cancellation_evaluate           (const BdSubscriptionData  *data,
                                                         const BdRuleContext       *ctx);
BdCancellation      *bd_cancellation_new_from_json      (JsonNode                  *node,
                                                         const char                *path,
                                                         GError                   **error);
void                 bd_cancellation_to_json            (BdCancellation            *self,
                                                         JsonBuilder               *builder);
gboolean             bd_cancellation_get_allowed        (BdCancellation            *self);
gint64               bd_cancellation_get_window_end     (BdCancellation            *self);
gboolean             bd_cancellation_get_refund         (BdCancellation            *self,
                                                         BdMoney                   *amount,
                                                         BdRefundMethod            *method);
guint                bd_cancellation_get_n_blockers     (BdCancellation            *self);
BdBlocker            bd_cancellation_get_blocker        (BdCancellation            *self,
                                                         guint                      index);
const BdAlternative *bd_cancellation_get_alternatives   (BdCancellation            *self,
                                                         guint                      index,
                                                         guint                     *n_alternatives);
const BdCancelReason *bd_cancellation_get_reasons       (BdCancellation            *self,
                                                         guint                     *n_reasons);
gint64               bd_cancellation_get_deletable_from (BdCancellation            *self);
gint64               bd_cancellation_get_deleted_by     (BdCancellation            *self);

G_END_DECLS
