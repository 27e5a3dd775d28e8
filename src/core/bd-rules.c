/* bd-rules.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-rules"

#include "config.h"

#include "bd-lifecycle.h"
#include "bd-rules.h"

/**
 * bd_roles_can_manage:
 * @roles: a mask of BD_ROLE_MASK ()
 *
 * Rule 1: only a Global admin or a Billing admin changes anything.
 */
gboolean
bd_roles_can_manage (guint roles)
{
  return (roles & (BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN) |
                   BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN))) != 0;
}

/**
 * bd_rules_window_end:
 *
 * Rule 2: the 7-day window after the start or the latest renewal, for
 * subscriptions with a billing profile (trials included).
 *
 * Returns: `lastRenewalDate` + 168 hours, or %BD_TIME_NONE without a
 *   billing profile
 */
gint64
bd_rules_window_end (const BdSubscriptionData *data)
{
  g_return_val_if_fail (data != NULL, BD_TIME_NONE);

  if (data->billing_profile_id == NULL)
    return BD_TIME_NONE;

  return data->last_renewal_date + BD_WINDOW_HOURS * BD_SECONDS_PER_HOUR;
}

/**
 * bd_rules_cancel_blockers:
 * @blockers: (out caller-allocates) (array fixed-size=8): filled in rule 7's order
 *
 * Rule 7 and the rules it orders: insufficientRole, invalidState (Deleted),
 * notActive; when the subscription is not Active these are the only ones;
 * otherwise domainSubscription, purchasedThroughPartner,
 * customDomainAttached, cancellationWindowClosed, tooManyLicenses — every
 * one that applies.
 *
 * Returns: the number of blockers; 0 means the cancel is allowed
 */
guint
bd_rules_cancel_blockers (const BdSubscriptionData *data,
                          const BdRuleContext      *ctx,
                          BdBlocker                *blockers)
{
  guint n = 0;

  g_return_val_if_fail (data != NULL && ctx != NULL && blockers != NULL, 0);

  if (!bd_roles_can_manage (ctx->roles))
    blockers[n++] = BD_BLOCKER_INSUFFICIENT_ROLE;

  if (data->status == BD_STATUS_DELETED)
    {
      blockers[n++] = BD_BLOCKER_INVALID_STATE;
      return n;
    }

  if (data->status != BD_STATUS_ACTIVE)
    {
      blockers[n++] = BD_BLOCKER_NOT_ACTIVE;
      return n;
    }

  if (data->is_domain_subscription)
    blockers[n++] = BD_BLOCKER_DOMAIN_SUBSCRIPTION;

  if (data->purchase_channel == BD_PURCHASE_CHANNEL_RESELLER)
    blockers[n++] = BD_BLOCKER_PURCHASED_THROUGH_PARTNER;

  if (ctx->custom_domain_attached)
    blockers[n++] = BD_BLOCKER_CUSTOM_DOMAIN_ATTACHED;

  /* Rule 6: trials are cancelled at any time, window or licenses aside. */
  if (!data->is_trial)
    {
      if (data->billing_profile_id != NULL)
        {
          if (ctx->now >= bd_rules_window_end (data))
            blockers[n++] = BD_BLOCKER_CANCELLATION_WINDOW_CLOSED;
        }
      else if (data->quantity > BD_MAX_LICENSES_TO_CANCEL)
        {
          blockers[n++] = BD_BLOCKER_TOO_MANY_LICENSES;
        }
    }

  g_assert (n <= BD_MAX_BLOCKERS);
  return n;
}

/* Rule 14: trials, prepaid and reseller purchases keep their quantity. */
static gboolean
quantity_can_change (const BdSubscriptionData *data)
{
  return !data->is_trial && data->purchase_channel == BD_PURCHASE_CHANNEL_DIRECT;
}

/**
 * bd_rules_alternatives:
 * @alternatives: (out caller-allocates) (array fixed-size=3): what to do instead
 *
 * What the user can do instead when @blocker stops a cancel. Turning off
 * recurring billing is offered only while it is not off already; reducing
 * licenses only while 25 or fewer are assigned (rule 3) and the quantity
 * can change at all (rule 14).
 *
 * Returns: the number of alternatives
 */
guint
bd_rules_alternatives (const BdSubscriptionData *data,
                       BdBlocker                 blocker,
                       BdAlternative            *alternatives)
{
  gboolean can_turn_off;
  guint n = 0;

  g_return_val_if_fail (data != NULL && alternatives != NULL, 0);

  can_turn_off = data->recurring_billing != BD_RECURRING_BILLING_OFF;

  switch (blocker)
    {
    case BD_BLOCKER_NOT_ACTIVE:
      if (data->status == BD_STATUS_EXPIRED || data->status == BD_STATUS_DISABLED)
        alternatives[n++] = BD_ALTERNATIVE_REACTIVATE;
      break;

    case BD_BLOCKER_DOMAIN_SUBSCRIPTION:
    case BD_BLOCKER_CANCELLATION_WINDOW_CLOSED:
      if (can_turn_off)
        alternatives[n++] = BD_ALTERNATIVE_TURN_OFF_RECURRING_BILLING;
      break;

    case BD_BLOCKER_PURCHASED_THROUGH_PARTNER:
      alternatives[n++] = BD_ALTERNATIVE_CONTACT_SELLER;
      break;

    case BD_BLOCKER_CUSTOM_DOMAIN_ATTACHED:
      alternatives[n++] = BD_ALTERNATIVE_REMOVE_DOMAIN;
      break;

    case BD_BLOCKER_TOO_MANY_LICENSES:
      if (data->assigned_licenses <= BD_MAX_LICENSES_TO_CANCEL && quantity_can_change (data))
        alternatives[n++] = BD_ALTERNATIVE_REDUCE_LICENSES;
      if (can_turn_off)
        alternatives[n++] = BD_ALTERNATIVE_TURN_OFF_RECURRING_BILLING;
      alternatives[n++] = BD_ALTERNATIVE_CONTACT_SUPPORT;
      break;

    case BD_BLOCKER_NONE:
    case BD_BLOCKER_INSUFFICIENT_ROLE:
    case BD_BLOCKER_INVALID_STATE:
    case BD_BLOCKER_LICENSES_ASSIGNED:
    case BD_BLOCKER_QUANTITY_LOCKED:
    default:
      break;
    }

  return n;
}

/**
 * bd_rules_refund:
 * @amount: (out): what a cancel now returns
 * @method: (out): how it is returned
 *
 * Rule 4: `unitPrice x quantity x remaining / term`, rounded half up;
 * credited on the next invoice for a billing profile paid by invoice, else
 * returned in the next billing cycle. No refund for a trial (rule 6) or
 * when the cancel is not allowed.
 *
 * Returns: whether a cancel now returns money
 */
gboolean
bd_rules_refund (const BdSubscriptionData *data,
                 const BdRuleContext      *ctx,
                 BdMoney                  *amount,
                 BdRefundMethod           *method)
{
  BdBlocker blockers[BD_MAX_BLOCKERS];
  gint64 term, remaining;

  g_return_val_if_fail (data != NULL && ctx != NULL, FALSE);

  if (data->is_trial || bd_rules_cancel_blockers (data, ctx, blockers) > 0)
    return FALSE;

  term = data->term_end_date - data->last_renewal_date;
  remaining = data->term_end_date - ctx->now;
  if (term <= 0)
    return FALSE;

  if (amount != NULL)
    bd_money_init (amount,
                   bd_money_prorate (data->unit_price.amount, data->quantity, remaining, term),
                   data->unit_price.currency);
  if (method != NULL)
    *method = data->billing_profile_id != NULL && ctx->paid_by_invoice
            ? BD_REFUND_METHOD_CREDIT_NEXT_INVOICE
            : BD_REFUND_METHOD_REFUND_NEXT_CYCLE;

  return TRUE;
}

static BdBlocker
state_blocker (const BdSubscriptionData *data,
               const BdRuleContext      *ctx)
{
  if (!bd_roles_can_manage (ctx->roles))
    return BD_BLOCKER_INSUFFICIENT_ROLE;
  if (data->status == BD_STATUS_DELETED)
    return BD_BLOCKER_INVALID_STATE;
  return BD_BLOCKER_NONE;
}

/**
 * bd_rules_first_blocker:
 *
 * Returns: the first blocker that stops @action now (the one a refused
 *   request answers with), or %BD_BLOCKER_NONE when it is allowed
 */
BdBlocker
bd_rules_first_blocker (const BdSubscriptionData *data,
                        const BdRuleContext      *ctx,
                        BdAction                  action)
{
  BdBlocker blockers[BD_MAX_BLOCKERS];
  BdBlocker blocker;

  g_return_val_if_fail (data != NULL && ctx != NULL, BD_BLOCKER_NONE);

  blocker = state_blocker (data, ctx);
  if (blocker != BD_BLOCKER_NONE)
    return blocker;

  switch (action)
    {
    case BD_ACTION_CANCEL:
      return bd_rules_cancel_blockers (data, ctx, blockers) > 0 ? blockers[0] : BD_BLOCKER_NONE;

    case BD_ACTION_CHANGE_RECURRING_BILLING:
      /* Rule 13. */
      return data->status == BD_STATUS_ACTIVE ? BD_BLOCKER_NONE : BD_BLOCKER_NOT_ACTIVE;

    case BD_ACTION_CHANGE_QUANTITY:
      /* Rule 14. */
      if (data->status != BD_STATUS_ACTIVE)
        return BD_BLOCKER_NOT_ACTIVE;
      if (!quantity_can_change (data))
        return BD_BLOCKER_QUANTITY_LOCKED;
      return BD_BLOCKER_NONE;

    case BD_ACTION_REACTIVATE:
      /* Rule 12: from Expired or Disabled only. */
      if (data->status == BD_STATUS_EXPIRED || data->status == BD_STATUS_DISABLED)
        return BD_BLOCKER_NONE;
      return BD_BLOCKER_INVALID_STATE;

    case BD_ACTION_DELETE:
      /* Rule 15: from Active, Expired and Disabled. */
      return BD_BLOCKER_NONE;

    default:
      g_return_val_if_reached (BD_BLOCKER_INVALID_STATE);
    }
}

/**
 * bd_rules_check_quantity:
 * @quantity: the quantity asked for
 *
 * Rule 14 for one request: the action's own blockers, then
 * `licensesAssigned` when @quantity is below the assigned licenses. A
 * quantity outside 1..100000 is bad input, not a blocker: check it first.
 *
 * Returns: the first blocker, or %BD_BLOCKER_NONE
 */
BdBlocker
bd_rules_check_quantity (const BdSubscriptionData *data,
                         const BdRuleContext      *ctx,
                         gint64                    quantity)
{
  BdBlocker blocker = bd_rules_first_blocker (data, ctx, BD_ACTION_CHANGE_QUANTITY);

  if (blocker != BD_BLOCKER_NONE)
    return blocker;
  if (quantity < data->assigned_licenses)
    return BD_BLOCKER_LICENSES_ASSIGNED;
  return BD_BLOCKER_NONE;
}

/**
 * bd_rules_feedback_is_valid:
 * @feedback: (nullable): the feedback; %NULL when absent
 *
 * Rule 8: at most 2,000 Unicode characters, valid UTF-8; for `other` it must
 * hold a character that is not white space.
 */
gboolean
bd_rules_feedback_is_valid (BdCancelReason  reason,
                            const char     *feedback)
{
  gboolean has_text = FALSE;

  if (feedback != NULL)
    {
      if (!g_utf8_validate (feedback, -1, NULL) ||
          g_utf8_strlen (feedback, -1) > BD_FEEDBACK_MAX_CHARS)
        return FALSE;

      for (const char *p = feedback; *p != '\0' && !has_text; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          /* Unicode's White_Space: g_unichar_isspace () plus VT and NEL. */
          has_text = !g_unichar_isspace (c) && c != 0x0B && c != 0x85;
        }
    }

  return reason != BD_CANCEL_REASON_OTHER || has_text;
}

/**
 * bd_rules_annotate:
 *
 * Fills what the API adds to a subscription for the user of @ctx:
 * `etag`, `nextLifecycleDate`, `cancellationWindowEnd`, `allowedActions`
 * and `actionBlockers`.
 */
void
bd_rules_annotate (BdSubscriptionData  *data,
                   const BdRuleContext *ctx)
{
  g_return_if_fail (data != NULL && ctx != NULL);

  g_free (data->etag);
  data->etag = bd_subscription_data_compute_etag (data);
  data->next_lifecycle_date = bd_lifecycle_next_date (data);
  data->cancellation_window_end = bd_rules_window_end (data);
  data->allowed_actions = 0;

  for (guint action = 0; action < BD_N_ACTIONS; action++)
    {
      BdBlocker blocker = bd_rules_first_blocker (data, ctx, action);

      data->action_blockers[action] = blocker;
      if (blocker == BD_BLOCKER_NONE)
        data->allowed_actions |= BD_ACTION_MASK (action);
    }
}
