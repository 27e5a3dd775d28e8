/* bd-activity-text.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-activity-text"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-activity-text.h"
#include "bd-format.h"

/* The pane's words, but "Other" alone: the feedback follows it. */
static const char *
reason_text (BdCancelReason reason)
{
  if (reason == BD_CANCEL_REASON_OTHER)
    return C_("cancel reason", "Other");
  return bd_format_cancel_reason (reason);
}

/* Who: the name stored with the entry; an entry older than the names has
 * the user's id only.
 */
static const char *
who (BdOperation *operation)
{
  const char *name = bd_operation_get_user_display_name (operation);

  return name != NULL && *name != '\0' ? name : bd_operation_get_user_id (operation);
}

static const char *
product (BdOperation *operation)
{
  const char *name = bd_operation_get_product_name (operation);

  return name != NULL && *name != '\0' ? name : bd_operation_get_subscription_id (operation);
}

/**
 * bd_activity_text_sentence:
 *
 * Returns: (transfer full): who did what, such as "Anne Berg cancelled
 *   Microsoft 365 Business Premium — Too expensive"
 */
char *
bd_activity_text_sentence (BdOperation *operation)
{
  BdCancelReason reason;

  g_return_val_if_fail (BD_IS_OPERATION (operation), NULL);

  switch (bd_operation_get_action (operation))
    {
    case BD_ACTION_CANCEL:
      if (bd_operation_get_cancel_reason (operation, &reason))
        /* Translators: an Activity entry: a user, a product and the reason
         * chosen, such as "Anne Berg cancelled Microsoft 365 Business
         * Premium — Too expensive" */
        return g_strdup_printf (_("%1$s cancelled %2$s — %3$s"), who (operation),
                                product (operation), reason_text (reason));
      /* Translators: an Activity entry whose reason could not be read */
      return g_strdup_printf (_("%1$s cancelled %2$s"), who (operation), product (operation));
    case BD_ACTION_CHANGE_RECURRING_BILLING:
      /* Translators: an Activity entry, such as "Anne Berg changed recurring
       * billing of Microsoft 365 Business Premium" */
      return g_strdup_printf (_("%1$s changed recurring billing of %2$s"), who (operation),
                              product (operation));
    case BD_ACTION_CHANGE_QUANTITY:
      /* Translators: an Activity entry, such as "Anne Berg changed the
       * licenses of Microsoft 365 Business Premium" */
      return g_strdup_printf (_("%1$s changed the licenses of %2$s"), who (operation),
                              product (operation));
    case BD_ACTION_REACTIVATE:
      /* Translators: an Activity entry, such as "Anne Berg reactivated
       * Exchange Online (Plan 1)" */
      return g_strdup_printf (_("%1$s reactivated %2$s"), who (operation), product (operation));
    case BD_ACTION_DELETE:
      /* Translators: an Activity entry, such as "Anne Berg deleted Exchange
       * Online (Plan 1)" */
      return g_strdup_printf (_("%1$s deleted %2$s"), who (operation), product (operation));
    default:
      g_return_val_if_reached (NULL);
    }
}

/* A cancel's refund and feedback, one a line. */
static char *
cancel_detail (BdOperation *operation)
{
  GString *text = g_string_new (NULL);
  const char *feedback = bd_operation_get_feedback (operation);
  BdRefundMethod method;
  BdMoney refund;

  if (bd_operation_get_refund (operation, &refund, &method))
    {
      g_autofree char *amount = bd_format_money (&refund);

      /* Translators: under a cancel in Activity: the money that came back */
      g_string_append_printf (text, _("Refund: %s"), amount);
    }

  if (feedback != NULL && *feedback != '\0')
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: under a cancel in Activity: what the user wrote */
      g_string_append_printf (text, _("Feedback: %s"), feedback);
    }

  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

static char *
quantity_detail (guint from,
                 guint to)
{
  g_autofree char *from_count = bd_format_count (from);
  g_autofree char *to_count = bd_format_count (to);

  /* Translators: under an Activity entry, such as "Licenses: 10 → 5";
   * %1$s and %2$s are the numbers of licenses before and after */
  return g_strdup_printf (_("Licenses: %1$s → %2$s"), from_count, to_count);
}

/**
 * bd_activity_text_detail:
 *
 * Returns: (transfer full) (nullable): what changed or came back, such as
 *   "Recurring billing: On → Off", "Licenses: 10 → 5" or "Refund: DKK
 *   1,514.80"; %NULL when there is nothing to say
 */
char *
bd_activity_text_detail (BdOperation *operation)
{
  BdRecurringBilling billing_from, billing_to;
  BdStatus status_from, status_to;
  gint64 quantity_from, quantity_to;

  g_return_val_if_fail (BD_IS_OPERATION (operation), NULL);

  switch (bd_operation_get_action (operation))
    {
    case BD_ACTION_CANCEL:
      return cancel_detail (operation);
    case BD_ACTION_CHANGE_RECURRING_BILLING:
      if (!bd_operation_get_recurring_billing_change (operation, &billing_from, &billing_to))
        return NULL;
      /* Translators: under an Activity entry, such as "Recurring billing:
       * On → Off" */
      return g_strdup_printf (_("Recurring billing: %1$s → %2$s"),
                              bd_format_recurring_billing (billing_from),
                              bd_format_recurring_billing (billing_to));
    case BD_ACTION_CHANGE_QUANTITY:
      if (!bd_operation_get_quantity_change (operation, &quantity_from, &quantity_to))
        return NULL;
      return quantity_detail ((guint) quantity_from, (guint) quantity_to);
    case BD_ACTION_REACTIVATE:
    case BD_ACTION_DELETE:
      if (!bd_operation_get_status_change (operation, &status_from, &status_to))
        return NULL;
      /* Translators: under an Activity entry, such as "Status: Expired →
       * Active" */
      return g_strdup_printf (_("Status: %1$s → %2$s"), bd_format_status (status_from),
                              bd_format_status (status_to));
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * bd_activity_text_time:
 *
 * Returns: (transfer full): when, in the user's time zone, such as
 *   "3 Dec 2026, 10:42"
 */
char *
bd_activity_text_time (BdOperation *operation)
{
  g_return_val_if_fail (BD_IS_OPERATION (operation), NULL);

  return bd_format_date_time (bd_operation_get_time (operation));
}

/**
 * bd_activity_text_new_row:
 *
 * Returns: (transfer floating): @operation as a row of the Activity list:
 *   the sentence, what changed under it, and when beside it
 */
GtkWidget *
bd_activity_text_new_row (BdOperation *operation)
{
  g_autofree char *sentence = bd_activity_text_sentence (operation);
  g_autofree char *detail = bd_activity_text_detail (operation);
  g_autofree char *when = bd_activity_text_time (operation);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *time_label = gtk_label_new (when);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sentence);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (detail != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), detail);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  gtk_widget_add_css_class (time_label, "dim-label");
  gtk_widget_add_css_class (time_label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), time_label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, sentence,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  detail != NULL ? detail : when,
                                  -1);

  return row;
}
