/* bd-rules.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-subscription-data.h"

G_BEGIN_DECLS

/* Rules 1-8 and 12-15: who may do what to a subscription, now. Every
 * function takes a subscription already derived at ctx->now
 * (bd_lifecycle_derive ()), and never changes it.
 */

#define BD_WINDOW_HOURS          168
#define BD_MAX_LICENSES_TO_CANCEL 25
#define BD_FEEDBACK_MAX_CHARS   2000

/* The largest number of blockers one cancel can have: rule 7's list. */
#define BD_MAX_BLOCKERS 8
#define BD_MAX_ALTERNATIVES 3

/* What the rules need to know beyond the subscription itself. */
typedef struct
{
  guint    roles;                   /* BD_ROLE_MASK () of the acting user */
  gboolean paid_by_invoice;         /* its billing profile is paid by invoice */
  gboolean custom_domain_attached;  /* a tenant domain lists the subscription */
  gint64   now;
} BdRuleContext;

gboolean  bd_roles_can_manage              (guint                     roles);
gint64    bd_rules_window_end              (const BdSubscriptionData *data);
guint     bd_rules_cancel_blockers         (const BdSubscriptionData *data,
                                            const BdRuleContext      *ctx,
                                            BdBlocker                *blockers);
guint     bd_rules_alternatives            (const BdSubscriptionData *data,
                                            BdBlocker                 blocker,
                                            BdAlternative            *alternatives);
gboolean  bd_rules_refund                  (const BdSubscriptionData *data,
                                            const BdRuleContext      *ctx,
                                            BdMoney                  *amount,
                                            BdRefundMethod           *method);
BdBlocker bd_rules_first_blocker           (const BdSubscriptionData *data,
                                            const BdRuleContext      *ctx,
                                            BdAction                  action);
BdBlocker bd_rules_check_quantity          (const BdSubscriptionData *data,
                                            const BdRuleContext      *ctx,
                                            gint64                    quantity);
gboolean  bd_rules_feedback_is_valid       (BdCancelReason            reason,
                                            const char               *feedback);
void      bd_rules_annotate                (BdSubscriptionData       *data,
                                            const BdRuleContext      *ctx);

G_END_DECLS
