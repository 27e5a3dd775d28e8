/* bd-lifecycle.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-lifecycle"

#include "config.h"

#include "bd-lifecycle.h"
#include "bd-time.h"

/* Adds days, saturating at the end of the supported range. */
static gint64
add_days (gint64 value,
          gint64 days)
{
  if (value == BD_TIME_NONE || value > BD_TIME_MAX - days * BD_SECONDS_PER_DAY)
    return BD_TIME_MAX;
  return value + days * BD_SECONDS_PER_DAY;
}

/**
 * bd_lifecycle_next_term_end:
 * @term_end: when the current term ends
 *
 * The end of the term that starts at @term_end: the next date of the start's
 * grid. A term that ended off the grid (a tenant file may say so) would
 * leave a stub of a few days before that date; it runs on to the following
 * grid date instead, so no term is shorter than half a billing period.
 *
 * Returns: the renewed term's end, or %BD_TIME_NONE past year 9999
 */
gint64
bd_lifecycle_next_term_end (const BdSubscriptionData *data,
                            gint64                    term_end)
{
  gint64 end = bd_time_next_on_grid (data->start_date, data->billing_frequency, term_end);
  gint64 full = bd_time_add_periods (term_end, data->billing_frequency, 1);

  if (end != BD_TIME_NONE && full != BD_TIME_NONE && (end - term_end) * 2 < full - term_end)
    end = bd_time_next_on_grid (data->start_date, data->billing_frequency, end);

  return end;
}

/* Renews into the term that holds @now (rule 11); with renewOnce, once. */
static void
renew (BdSubscriptionData *data,
       gint64              now)
{
  gint64 last = data->term_end_date;
  gint64 end = bd_lifecycle_next_term_end (data, last);

  if (data->recurring_billing == BD_RECURRING_BILLING_RENEW_ONCE)
    {
      data->recurring_billing = BD_RECURRING_BILLING_OFF;
    }
  else
    {
      /* Several terms may have passed unseen; each step is one grid date. */
      while (end != BD_TIME_NONE && end <= now)
        {
          last = end;
          end = bd_time_next_on_grid (data->start_date, data->billing_frequency, end);
        }
    }

  if (end == BD_TIME_NONE)
    {
      /* Beyond year 9999 the subscription stops renewing, and expires. */
      data->recurring_billing = BD_RECURRING_BILLING_OFF;
      return;
    }

  data->last_renewal_date = last;
  data->term_end_date = end;
}

/**
 * bd_lifecycle_derive:
 * @data: the stored state
 * @now: the clock
 *
 * Moves @data to what the dates make of it at @now (rules 10 and 11):
 * renewals while recurring billing is on (once with renewOnce), then
 * Expired at `termEndDate`, Disabled 30 days later, Deleted 90 days after
 * that. Deriving twice, or at an earlier and then a later time, gives the
 * same result as deriving once at the later time.
 *
 * Returns: whether anything changed
 */
gboolean
bd_lifecycle_derive (BdSubscriptionData *data,
                     gint64              now)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (data != NULL, FALSE);

  for (;;)
    {
      switch (data->status)
        {
        case BD_STATUS_ACTIVE:
          if (now < data->term_end_date)
            return changed;
          if (data->recurring_billing != BD_RECURRING_BILLING_OFF)
            {
              renew (data, now);
            }
          else
            {
              data->status = BD_STATUS_EXPIRED;
              data->status_changed_date = data->term_end_date;
            }
          changed = TRUE;
          break;

        case BD_STATUS_EXPIRED:
          if (now < add_days (data->status_changed_date, BD_EXPIRED_DAYS))
            return changed;
          data->status = BD_STATUS_DISABLED;
          data->status_changed_date = add_days (data->status_changed_date, BD_EXPIRED_DAYS);
          changed = TRUE;
          break;

        case BD_STATUS_DISABLED:
          if (now < add_days (data->status_changed_date, BD_DISABLED_DAYS))
            return changed;
          data->status = BD_STATUS_DELETED;
          data->status_changed_date = add_days (data->status_changed_date, BD_DISABLED_DAYS);
          data->recurring_billing = BD_RECURRING_BILLING_OFF;
          changed = TRUE;
          break;

        case BD_STATUS_DELETED:
        default:
          return changed;
        }
    }
}

/**
 * bd_lifecycle_import:
 * @data: a subscription as a tenant file states it
 * @now: the clock at import
 *
 * A tenant file states a stored state; where the dates give a later one
 * (rule 10 counted from `termEndDate`: Expired at it, Disabled 30 days
 * later, Deleted 90 days after that), the later state wins, from the date
 * the dates give it. A subscription that is not Active does not renew, so
 * its recurring billing is off. Active ones are left to
 * bd_lifecycle_derive (), which renews them.
 *
 * Returns: whether anything changed
 */
gboolean
bd_lifecycle_import (BdSubscriptionData *data,
                     gint64              now)
{
  gint64 expired = data->term_end_date;
  gint64 disabled = add_days (expired, BD_EXPIRED_DAYS);
  gint64 deleted = add_days (disabled, BD_DISABLED_DAYS);
  gboolean changed = FALSE;
  BdStatus by_dates;
  gint64 since;

  g_return_val_if_fail (data != NULL, FALSE);

  if (data->status == BD_STATUS_ACTIVE)
    return FALSE;

  if (data->recurring_billing != BD_RECURRING_BILLING_OFF)
    {
      data->recurring_billing = BD_RECURRING_BILLING_OFF;
      changed = TRUE;
    }

  if (now < expired)
    return changed;

  if (now >= deleted)
    {
      by_dates = BD_STATUS_DELETED;
      since = deleted;
    }
  else if (now >= disabled)
    {
      by_dates = BD_STATUS_DISABLED;
      since = disabled;
    }
  else
    {
      by_dates = BD_STATUS_EXPIRED;
      since = expired;
    }

  /* The enum follows the lifecycle's order. */
  if (by_dates > data->status)
    {
      data->status = by_dates;
      data->status_changed_date = since;
      changed = TRUE;
    }

  return changed;
}

/**
 * bd_lifecycle_next_date:
 *
 * Returns: when the derived state changes next if nothing is done
 *   (`nextLifecycleDate`), or %BD_TIME_NONE
 */
gint64
bd_lifecycle_next_date (const BdSubscriptionData *data)
{
  g_return_val_if_fail (data != NULL, BD_TIME_NONE);

  switch (data->status)
    {
    case BD_STATUS_ACTIVE:
      {
        gint64 renewed_end;

        if (data->recurring_billing == BD_RECURRING_BILLING_OFF)
          return data->term_end_date;

        /* Past year 9999 there is no renewal: it expires at the term's end. */
        renewed_end = bd_lifecycle_next_term_end (data, data->term_end_date);
        if (renewed_end == BD_TIME_NONE)
          return data->term_end_date;
        if (data->recurring_billing == BD_RECURRING_BILLING_RENEW_ONCE)
          return renewed_end;
        return BD_TIME_NONE;
      }
    case BD_STATUS_EXPIRED:
      return add_days (data->status_changed_date, BD_EXPIRED_DAYS);
    case BD_STATUS_DISABLED:
      return add_days (data->status_changed_date, BD_DISABLED_DAYS);
    case BD_STATUS_DELETED:
    default:
      return BD_TIME_NONE;
    }
}

/**
 * bd_lifecycle_cancel:
 *
 * Rule 9: Disabled at once, skipping Expired; the term ends now (the refund
 * paid back the rest) and recurring billing is off.
 */
void
bd_lifecycle_cancel (BdSubscriptionData *data,
                     gint64              now)
{
  g_return_if_fail (data != NULL);

  data->status = BD_STATUS_DISABLED;
  data->status_changed_date = now;
  data->term_end_date = MAX (now, data->last_renewal_date);
  data->recurring_billing = BD_RECURRING_BILLING_OFF;
}

/**
 * bd_lifecycle_reactivate:
 *
 * Rule 12: Active with recurring billing on; when the term has ended, a new
 * commitment starts now.
 */
void
bd_lifecycle_reactivate (BdSubscriptionData *data,
                         gint64              now)
{
  g_return_if_fail (data != NULL);

  data->status = BD_STATUS_ACTIVE;
  data->status_changed_date = now;
  data->recurring_billing = BD_RECURRING_BILLING_ON;

  if (data->term_end_date <= now)
    {
      gint64 term_end = bd_time_add_periods (now, data->billing_frequency, 1);

      data->start_date = now;
      data->last_renewal_date = now;
      data->term_end_date = term_end != BD_TIME_NONE ? term_end : BD_TIME_MAX;
    }
}

/**
 * bd_lifecycle_delete:
 *
 * Rule 15: Deleted at once, skipping Expired and Disabled.
 */
void
bd_lifecycle_delete (BdSubscriptionData *data,
                     gint64              now)
{
  g_return_if_fail (data != NULL);

  data->status = BD_STATUS_DELETED;
  data->status_changed_date = now;
  data->recurring_billing = BD_RECURRING_BILLING_OFF;
}

/**
 * bd_lifecycle_data_retention:
 * @cancelled: when the subscription is (or would be) cancelled
 *
 * Rule 9: customer data may be deleted from 30 days after cancelling and is
 * deleted no later than 180 days after it.
 */
void
bd_lifecycle_data_retention (gint64  cancelled,
                             gint64 *deletable_from,
                             gint64 *deleted_by)
{
  if (deletable_from != NULL)
    *deletable_from = add_days (cancelled, BD_DATA_DELETABLE_DAYS);
  if (deleted_by != NULL)
    *deleted_by = add_days (cancelled, BD_DATA_DELETED_DAYS);
}
