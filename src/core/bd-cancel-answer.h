/* bd-cancel-answer.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-core-types.h"
#include "bd-money.h"
#include "bd-subscription-data.h"

G_BEGIN_DECLS

/* The answer of POST /v1/subscriptions/{id}/cancel: the subscription after
 * the cancel, the refund it returned and when its data goes. The service
 * may fill one on the stack; a copy is a g_new0 () block.
 */
typedef struct _BdCancelAnswer
{
  BdSubscriptionData *subscription;   /* owned */
  gboolean            has_refund;
  BdMoney             refund;         /* when has_refund */
  BdRefundMethod      refund_method;  /* when has_refund */
  gint64              deletable_from;
  gint64              deleted_by;
} BdCancelAnswer;

#define BD_TYPE_CANCEL_ANSWER (bd_cancel_answer_get_type ())

GType           bd_cancel_answer_get_type      (void) G_GNUC_CONST;
BdCancelAnswer *bd_cancel_answer_copy          (const BdCancelAnswer  *self);
void            bd_cancel_answer_free          (BdCancelAnswer        *self);
BdCancelAnswer *bd_cancel_answer_new_from_json (JsonNode              *node,
                                                const char            *path,
                                                GError               **error);
void            bd_cancel_answer_to_json       (const BdCancelAnswer  *self,
                                                JsonBuilder           *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdCancelAnswer, bd_cancel_answer_free)

G_END_DECLS
