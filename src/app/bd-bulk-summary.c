/* bd-bulk-summary.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-bulk-summary"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-blocker-text.h"
#include "bd-bulk-summary.h"
#include "bd-format.h"

/* The lists' order: what needs a look first (failed, not known, skipped,
 * not sent), what was done last: the heading already says how many were
 * turned off, and a list of thirty of them would push the rest out of
 * sight.
 */
static const BdBulkOutcome order[] = {
  BD_BULK_OUTCOME_FAILED,
  BD_BULK_OUTCOME_UNKNOWN,
  BD_BULK_OUTCOME_SKIPPED,
  BD_BULK_OUTCOME_NOT_STARTED,
  BD_BULK_OUTCOME_CHANGED,
};

static char *
section_title (BdBulkOutcome outcome,
               guint         n)
{
  g_autofree char *count = bd_format_count (n);

  switch (outcome)
    {
    case BD_BULK_OUTCOME_CHANGED:
      return g_strdup_printf (ngettext ("Turned off for %s subscription:",
                                        "Turned off for %s subscriptions:", n), count);
    case BD_BULK_OUTCOME_SKIPPED:
      return g_strdup_printf (ngettext ("Skipped %s subscription:",
                                        "Skipped %s subscriptions:", n), count);
    case BD_BULK_OUTCOME_FAILED:
      return g_strdup_printf (ngettext ("Failed for %s subscription:",
                                        "Failed for %s subscriptions:", n), count);
    case BD_BULK_OUTCOME_UNKNOWN:
      return g_strdup_printf (ngettext ("Result not known for %s subscription — check it "
                                        "before trying again:",
                                        "Result not known for %s subscriptions — check them "
                                        "before trying again:", n), count);
    case BD_BULK_OUTCOME_NOT_STARTED:
      return g_strdup_printf (ngettext ("Not sent for %s subscription, as the run was "
                                        "cancelled:",
                                        "Not sent for %s subscriptions, as the run was "
                                        "cancelled:", n), count);
    case BD_BULK_OUTCOME_WAITING:
    case BD_BULK_OUTCOME_SENDING:
    default:
      return g_strdup ("");
    }
}

/**
 * bd_bulk_summary_skip_reason:
 *
 * Why a skipped subscription was not sent: the rules' reason as a row's
 * menu says it, or that its recurring billing was already off.
 *
 * Returns: (transfer none): a translated line, no full stop
 */
const char *
bd_bulk_summary_skip_reason (BdBulkRun *run,
                             guint      index)
{
  BdBlocker blocker = bd_bulk_run_get_blocker (run, index);
  BdSubscription *subscription = bd_bulk_run_get_subscription (run, index);
  const char *reason;

  if (blocker == BD_BLOCKER_NONE)
    return _("Recurring billing is already off");

  reason = bd_blocker_text_for_menu (bd_subscription_get_data (subscription),
                                     BD_ACTION_CHANGE_RECURRING_BILLING, blocker);
  return reason != NULL ? reason : _("Not possible in this subscription’s state");
}

static char *
item_line (BdBulkRun     *run,
           guint          index,
           BdBulkOutcome  outcome)
{
  const char *name = bd_subscription_get_product_name (bd_bulk_run_get_subscription (run, index));
  const GError *error = bd_bulk_run_get_error (run, index);
  const char *why = NULL;

  if (outcome == BD_BULK_OUTCOME_SKIPPED)
    why = bd_bulk_summary_skip_reason (run, index);
  else if (error != NULL)
    why = error->message;

  /* Translators: a line of the bulk summary: a product name (in a
   * right-to-left language, begin with a right-to-left mark, so that the
   * line, which may start with a Latin name, reads from the right) */
  if (why == NULL)
    return g_strdup_printf (_("• %s"), name);

  /* Translators: a line of the bulk summary: a product name, then why it
   * was skipped, failed or has no known result */
  return g_strdup_printf (_("• %1$s — %2$s"), name, why);
}

/**
 * bd_bulk_summary_heading:
 *
 * Returns: (transfer full): the summary's heading: how many changed
 */
char *
bd_bulk_summary_heading (BdBulkRun *run)
{
  guint changed;
  g_autofree char *count = NULL;

  g_return_val_if_fail (BD_IS_BULK_RUN (run), NULL);

  changed = bd_bulk_run_count (run, BD_BULK_OUTCOME_CHANGED);
  if (changed == 0)
    return g_strdup (_("Recurring Billing Not Turned Off"));

  count = bd_format_count (changed);
  return g_strdup_printf (ngettext ("Recurring Billing Turned Off for %s Subscription",
                                    "Recurring Billing Turned Off for %s Subscriptions",
                                    changed), count);
}

/**
 * bd_bulk_summary_text:
 *
 * Returns: (transfer full): each outcome that happened, with how many and
 *   a line a subscription, in the order selected; a blank line between;
 *   failures first
 */
char *
bd_bulk_summary_text (BdBulkRun *run)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (BD_IS_BULK_RUN (run), NULL);

  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    {
      guint n = bd_bulk_run_count (run, order[o]);
      g_autofree char *title = NULL;

      if (n == 0)
        continue;

      title = section_title (order[o], n);
      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, title);
      for (guint i = 0; i < bd_bulk_run_get_n_items (run); i++)
        {
          g_autofree char *line = NULL;

          if (bd_bulk_run_get_outcome (run, i) != order[o])
            continue;
          line = item_line (run, i, order[o]);
          g_string_append_c (text, '\n');
          g_string_append (text, line);
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
