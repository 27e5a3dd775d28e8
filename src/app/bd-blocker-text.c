/* bd-blocker-text.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-blocker-text"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-blocker-text.h"
#include "bd-format.h"

/* What the user reads about a blocker: the blocker itself, or for some
 * blockers the case behind it (a Reactivate refused because there is
 * nothing to reactivate; licenses locked by a trial, a reseller or a
 * prepayment; a refund window that closed on a known date).
 */
typedef enum
{
  CASE_OTHER,
  CASE_INSUFFICIENT_ROLE,
  CASE_DELETED,
  CASE_NOTHING_TO_REACTIVATE,
  CASE_NOT_ACTIVE,
  CASE_TRIAL,
  CASE_RESELLER,
  CASE_PREPAID,
  CASE_DOMAIN_SUBSCRIPTION,
  CASE_PURCHASED_THROUGH_PARTNER,
  CASE_CUSTOM_DOMAIN_ATTACHED,
  CASE_WINDOW_CLOSED,
  CASE_WINDOW_CLOSED_ON,
  CASE_TOO_MANY_LICENSES,
  N_CASES
} Case;

/* The sentences, one row a case; NULL where that place says nothing of
 * its own. menu: a disabled row-menu item's reason, no full stop. dialog:
 * an action dialog's body; a %s is the product name. pane: a blocker card
 * of the cancel pane; a %s is the date the refund window closed.
 * tooManyLicenses has a plural, so its pane sentence is in
 * bd_blocker_text_for_cancel_pane ().
 */
static const struct
{
  const char *menu;
  const char *dialog;
  const char *pane;
} sentences[N_CASES] = {
  [CASE_OTHER] = {
    NULL,
    N_("This can’t be done in the subscription’s current state."),
    NULL,
  },
  [CASE_INSUFFICIENT_ROLE] = {
    N_("Only Global admins and Billing admins can make changes"),
    N_("Only Global admins and Billing admins can make changes."),
    N_("Only Global admins and Billing admins can cancel subscriptions."),
  },
  [CASE_DELETED] = {
    N_("Not possible in this subscription’s state"),
    /* Translators: %s is a product name */
    N_("%s has been deleted, so it can’t be changed."),
    N_("This subscription has been deleted, so it can’t be changed."),
  },
  [CASE_NOTHING_TO_REACTIVATE] = {
    N_("Only expired or disabled subscriptions can be reactivated"),
    /* Translators: %s is a product name */
    N_("%s is active, so there is nothing to reactivate."),
    NULL,
  },
  [CASE_NOT_ACTIVE] = {
    N_("Only an active subscription can be changed"),
    /* Translators: %s is a product name */
    N_("%s is not active. Only an active subscription can be changed; reactivate it first."),
    N_("Only an active subscription can be cancelled, and this one is not active now."),
  },
  [CASE_TRIAL] = {
    N_("Trials, prepaid and reseller purchases keep their licenses"),
    /* Translators: %s is a product name */
    N_("%s is a trial, and the number of licenses of a trial can’t be changed."),
    NULL,
  },
  [CASE_RESELLER] = {
    N_("Trials, prepaid and reseller purchases keep their licenses"),
    /* Translators: %s is a product name */
    N_("%s was bought through a reseller. Contact the seller to buy or remove licenses."),
    NULL,
  },
  [CASE_PREPAID] = {
    N_("Trials, prepaid and reseller purchases keep their licenses"),
    /* Translators: %s is a product name */
    N_("%s was prepaid, and the number of licenses of a prepaid subscription can’t be "
       "changed."),
    NULL,
  },
  [CASE_DOMAIN_SUBSCRIPTION] = {
    NULL,
    NULL,
    N_("A domain subscription can’t be cancelled."),
  },
  [CASE_PURCHASED_THROUGH_PARTNER] = {
    NULL,
    NULL,
    N_("This subscription was bought through a partner, so only the partner can cancel it."),
  },
  [CASE_CUSTOM_DOMAIN_ATTACHED] = {
    NULL,
    NULL,
    N_("A custom domain is attached to this subscription, so it can’t be cancelled while the "
       "domain is there."),
  },
  [CASE_WINDOW_CLOSED] = {
    NULL,
    NULL,
    N_("The 7-day refund window after the latest renewal has closed."),
  },
  [CASE_WINDOW_CLOSED_ON] = {
    NULL,
    NULL,
    /* Translators: %s is a date */
    N_("The 7-day refund window after the latest renewal closed on %s."),
  },
  [CASE_TOO_MANY_LICENSES] = { NULL, NULL, NULL },
};

static Case
get_case (const BdSubscriptionData *data,
          BdAction                  action,
          BdBlocker                 blocker,
          gint64                    window_end)
{
  switch (blocker)
    {
    case BD_BLOCKER_INSUFFICIENT_ROLE:
      return CASE_INSUFFICIENT_ROLE;
    case BD_BLOCKER_INVALID_STATE:
      if (action == BD_ACTION_REACTIVATE && data->status != BD_STATUS_DELETED)
        return CASE_NOTHING_TO_REACTIVATE;
      return CASE_DELETED;
    case BD_BLOCKER_NOT_ACTIVE:
      return CASE_NOT_ACTIVE;
    case BD_BLOCKER_QUANTITY_LOCKED:
      if (data->is_trial)
        return CASE_TRIAL;
      if (data->purchase_channel == BD_PURCHASE_CHANNEL_RESELLER)
        return CASE_RESELLER;
      return CASE_PREPAID;
    case BD_BLOCKER_DOMAIN_SUBSCRIPTION:
      return CASE_DOMAIN_SUBSCRIPTION;
    case BD_BLOCKER_PURCHASED_THROUGH_PARTNER:
      return CASE_PURCHASED_THROUGH_PARTNER;
    case BD_BLOCKER_CUSTOM_DOMAIN_ATTACHED:
      return CASE_CUSTOM_DOMAIN_ATTACHED;
    case BD_BLOCKER_CANCELLATION_WINDOW_CLOSED:
      return window_end != BD_TIME_NONE ? CASE_WINDOW_CLOSED_ON : CASE_WINDOW_CLOSED;
    case BD_BLOCKER_TOO_MANY_LICENSES:
      return CASE_TOO_MANY_LICENSES;
    case BD_BLOCKER_LICENSES_ASSIGNED:
    case BD_BLOCKER_NONE:
    default:
      return CASE_OTHER;
    }
}

/* Every format here comes from the table above, each with one %s; gcc
 * cannot see that through the table.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static char *
format_one (const char *format,
            const char *argument)
{
  return g_strdup_printf (format, argument);
}
#pragma GCC diagnostic pop

/**
 * bd_blocker_text_for_menu:
 * @data: the subscription
 * @action: the action that is not offered
 * @blocker: its blocker
 *
 * Why a row-menu item is disabled: a short line, no full stop.
 *
 * Returns: (transfer none) (nullable): the translated reason, or %NULL
 *   when the menu says nothing for @blocker
 */
const char *
bd_blocker_text_for_menu (const BdSubscriptionData *data,
                          BdAction                  action,
                          BdBlocker                 blocker)
{
  const char *menu;

  g_return_val_if_fail (data != NULL, NULL);

  menu = sentences[get_case (data, action, blocker, BD_TIME_NONE)].menu;
  return menu != NULL ? _(menu) : NULL;
}

/**
 * bd_blocker_text_for_dialog:
 * @data: the subscription
 * @action: the dialog's action
 * @blocker: its blocker
 *
 * Why a row action's dialog can't do its action now, as a sentence that
 * says what to do.
 *
 * Returns: (transfer full): the translated sentence
 */
char *
bd_blocker_text_for_dialog (const BdSubscriptionData *data,
                            BdAction                  action,
                            BdBlocker                 blocker)
{
  Case c;

  g_return_val_if_fail (data != NULL, NULL);

  c = get_case (data, action, blocker, BD_TIME_NONE);
  switch (c)
    {
    case CASE_DELETED:
    case CASE_NOTHING_TO_REACTIVATE:
    case CASE_NOT_ACTIVE:
    case CASE_TRIAL:
    case CASE_RESELLER:
    case CASE_PREPAID:
      return format_one (_(sentences[c].dialog), data->product_name);
    case CASE_INSUFFICIENT_ROLE:
      return g_strdup (_(sentences[c].dialog));
    case CASE_OTHER:
    case CASE_DOMAIN_SUBSCRIPTION:
    case CASE_PURCHASED_THROUGH_PARTNER:
    case CASE_CUSTOM_DOMAIN_ATTACHED:
    case CASE_WINDOW_CLOSED:
    case CASE_WINDOW_CLOSED_ON:
    case CASE_TOO_MANY_LICENSES:
    case N_CASES:
    default:
      return g_strdup (_(sentences[CASE_OTHER].dialog));
    }
}

/**
 * bd_blocker_text_for_cancel_pane:
 * @data: the subscription
 * @blocker: one of its cancellation's blockers
 * @window_end: when the refund window closed, or %BD_TIME_NONE
 *
 * A blocker card's sentence on the Cancel Subscription pane.
 *
 * Returns: (transfer full): the translated sentence; empty for a blocker
 *   that never stops a cancel (bd_blocker_can_stop ())
 */
char *
bd_blocker_text_for_cancel_pane (const BdSubscriptionData *data,
                                 BdBlocker                 blocker,
                                 gint64                    window_end)
{
  Case c;

  g_return_val_if_fail (data != NULL, NULL);

  c = get_case (data, BD_ACTION_CANCEL, blocker, window_end);
  if (c == CASE_WINDOW_CLOSED_ON)
    {
      g_autofree char *date = bd_format_date (window_end);

      return format_one (_(sentences[c].pane), date);
    }

  if (c == CASE_TOO_MANY_LICENSES)
    {
      g_autofree char *count = bd_format_count (data->quantity);

      /* Translators: %s is the number of licenses the subscription has */
      return g_strdup_printf (ngettext ("Without a billing profile, only subscriptions with 25 "
                                        "or fewer licenses can be cancelled. This one has %s.",
                                        "Without a billing profile, only subscriptions with 25 "
                                        "or fewer licenses can be cancelled. This one has %s.",
                                        data->quantity),
                              count);
    }

  return g_strdup (sentences[c].pane != NULL ? _(sentences[c].pane) : "");
}
