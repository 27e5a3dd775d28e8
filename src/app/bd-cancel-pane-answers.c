/* bd-cancel-pane-answers.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-cancel-pane"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bd-cancel-pane-private.h"
#include "bd-format.h"

/* Microsoft's links: the admin centre's differ by cloud (rule 16). */
#define LINK_ACTIVE_USERS_WORLDWIDE "https://go.microsoft.com/fwlink/p/?linkid=834822"
#define LINK_ACTIVE_USERS_21VIANET  "https://go.microsoft.com/fwlink/p/?linkid=850628"

/* What the Cancel Subscription pane shows of the service's answers: the
 * cancellation answer as what happens (with the reasons it offers) or as
 * what blocks it, one BdBlockerCard a blocker; and a cancel's answer as
 * done, with the next steps. The requests are in bd-cancel-pane-request.c.
 */

/*
 * Texts
 */

/**
 * _bd_cancel_pane_subtitle_text:
 *
 * Returns: (transfer full): the pane's subtitle: @subscription's product and
 *   licenses
 */
char *
_bd_cancel_pane_subtitle_text (BdSubscription *subscription)
{
  guint quantity = bd_subscription_get_quantity (subscription);
  g_autofree char *count = bd_format_count (quantity);

  /* Translators: the pane's subtitle: a product and its number of
   * licenses, such as "Microsoft 365 Business Premium – 10 licenses" */
  return g_strdup_printf (ngettext ("%1$s – %2$s license", "%1$s – %2$s licenses", quantity),
                          bd_subscription_get_product_name (subscription), count);
}

/**
 * _bd_cancel_pane_counter_text:
 * @n_chars: the characters of feedback written
 *
 * Returns: (transfer full): the counter under the feedback, such as
 *   "23 / 2,000"
 */
char *
_bd_cancel_pane_counter_text (guint n_chars)
{
  g_autofree char *written = bd_format_count (n_chars);
  g_autofree char *most = bd_format_count (BD_FEEDBACK_MAX_CHARS);

  /* Translators: the characters of feedback written (%1$s), of at most
   * %2$s (2000), each written as the language writes numbers */
  return g_strdup_printf (_("%1$s / %2$s"), written, most);
}

/* What comes back, and how; a trial has nothing to return. */
static char *
refund_text (BdSubscription       *subscription,
             gboolean              has_refund,
             const BdMoney        *refund,
             BdRefundMethod        method)
{
  g_autofree char *amount = NULL;

  if (bd_subscription_get_data (subscription)->is_trial)
    return g_strdup (_("This is a trial: nothing is charged or refunded."));

  if (!has_refund)
    return g_strdup (_("Nothing is refunded."));

  amount = bd_format_money (refund);
  switch (method)
    {
    case BD_REFUND_METHOD_CREDIT_NEXT_INVOICE:
      /* Translators: %s is an amount of money, such as "DKK 690.02" */
      return g_strdup_printf (_("You get %s back, credited on your next invoice."), amount);
    case BD_REFUND_METHOD_REFUND_NEXT_CYCLE:
    default:
      /* Translators: %s is an amount of money, such as "DKK 690.02" */
      return g_strdup_printf (_("You get %s back, returned in your next billing cycle."), amount);
    }
}

static char *
data_dates_text (gint64 deletable_from,
                 gint64 deleted_by)
{
  g_autofree char *from = bd_format_date (deletable_from);
  g_autofree char *by = bd_format_date (deleted_by);

  /* Translators: both are dates; rule 9's 30 and 180 days after cancelling */
  return g_strdup_printf (_("Data can be deleted from %1$s and is deleted by %2$s."), from, by);
}

static const char *
active_users_link (BdCancelPane *self)
{
  return self->cloud == BD_CLOUD_21VIANET ? LINK_ACTIVE_USERS_21VIANET
                                          : LINK_ACTIVE_USERS_WORLDWIDE;
}

/* The subscription's life: the data dates are those of a cancel today, so
 * they are shown only where it can be cancelled; a trial's refund window
 * says nothing (it can be cancelled at any time), as in what happens.
 */
static void
show_timeline (BdCancelPane *self)
{
  const BdSubscriptionData *data = bd_subscription_get_data (self->subscription);
  gboolean allowed = bd_cancellation_get_allowed (self->cancellation);
  gint64 now = self->now != BD_TIME_NONE ? self->now : g_get_real_time () / G_USEC_PER_SEC;

  bd_timeline_set_dates (self->timeline, now,
                         data->is_trial ? BD_TIME_NONE
                                        : bd_cancellation_get_window_end (self->cancellation),
                         data->term_end_date,
                         allowed ? bd_cancellation_get_deletable_from (self->cancellation)
                                 : BD_TIME_NONE,
                         allowed ? bd_cancellation_get_deleted_by (self->cancellation)
                                 : BD_TIME_NONE);
}

/* The reasons of the answer; the one chosen stays chosen when it is still
 * offered, so that a reload keeps the form as typed.
 */
static void
set_reasons (BdCancelPane *self)
{
  g_autoptr(GtkStringList) strings = NULL;
  const BdCancelReason *reasons;
  BdCancelReason chosen;
  gboolean had_reason;
  guint selected = 0;
  guint n = 0;

  reasons = bd_cancellation_get_reasons (self->cancellation, &n);
  n = MIN (n, N_REASONS);
  if (n == self->n_reasons && memcmp (reasons, self->reasons, n * sizeof *reasons) == 0 &&
      gtk_drop_down_get_model (self->reason_dropdown) != NULL)
    return;

  had_reason = _bd_cancel_pane_get_selected_reason (self, &chosen);

  strings = gtk_string_list_new (NULL);
  gtk_string_list_append (strings, _("Choose a reason"));
  for (guint i = 0; i < n; i++)
    {
      self->reasons[i] = reasons[i];
      gtk_string_list_append (strings, bd_format_cancel_reason (reasons[i]));
      if (had_reason && reasons[i] == chosen)
        selected = i + 1;
    }
  self->n_reasons = n;

  gtk_drop_down_set_model (self->reason_dropdown, G_LIST_MODEL (strings));
  gtk_drop_down_set_selected (self->reason_dropdown, selected);
}

/*
 * Allowed: what happens, before you begin
 */

static void
show_allowed (BdCancelPane *self)
{
  const BdSubscriptionData *data = bd_subscription_get_data (self->subscription);
  g_autofree char *refund = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *others = NULL;
  gint64 window_end = bd_cancellation_get_window_end (self->cancellation);
  gboolean has_refund;
  gboolean domain_attached = FALSE;
  BdRefundMethod method = BD_REFUND_METHOD_CREDIT_NEXT_INVOICE;
  BdMoney money = { 0 };

  has_refund = bd_cancellation_get_refund (self->cancellation, &money, &method);
  refund = refund_text (self->subscription, has_refund, &money, method);
  adw_preferences_row_set_title (self->refund_row, refund);

  /* A trial can be cancelled at any time: its window says nothing. */
  gtk_widget_set_visible (GTK_WIDGET (self->window_row),
                          window_end != BD_TIME_NONE && !data->is_trial);
  if (window_end != BD_TIME_NONE)
    {
      g_autofree char *when = bd_format_date_time (window_end);
      /* Translators: %s is a date and time, such as "Nov 20, 2026, 12:01 PM" */
      g_autofree char *text = g_strdup_printf (_("The refund window closes on %s."), when);

      adw_preferences_row_set_title (self->window_row, text);
    }

  dates = data_dates_text (bd_cancellation_get_deletable_from (self->cancellation),
                           bd_cancellation_get_deleted_by (self->cancellation));
  adw_preferences_row_set_title (self->data_row, dates);

  /* Translators: %s is a product name; rule 7: cancelling one subscription
   * never touches another of the same product */
  others = g_strdup_printf (_("Your other %s subscriptions are not affected."), data->product_name);
  adw_preferences_row_set_title (self->others_row, others);

  /* Before you begin informs; only blockers stop Save. */
  for (guint i = 0; i < bd_cancellation_get_n_blockers (self->cancellation); i++)
    domain_attached |= bd_cancellation_get_blocker (self->cancellation, i) ==
                       BD_BLOCKER_CUSTOM_DOMAIN_ATTACHED;
  adw_preferences_row_set_title (self->domain_row,
                                 domain_attached ? _("A custom domain is attached")
                                                 : _("No custom domain is attached"));
  gtk_image_set_from_icon_name (self->domain_icon, domain_attached ? "dialog-warning-symbolic"
                                                                   : "object-select-symbolic");
  if (domain_attached)
    gtk_widget_add_css_class (GTK_WIDGET (self->domain_icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->domain_icon), "warning");

  set_reasons (self);
  _bd_cancel_pane_set_state (self, STATE_ALLOWED);
  /* bench/app-scroll fills the form once it shows. */
  g_debug ("Cancel form shown at %" G_GINT64_FORMAT " µs", g_get_monotonic_time ());
}

/*
 * Blocked: why, and what to do instead
 */

static void
show_blocked (BdCancelPane *self)
{
  const BdSubscriptionData *data = bd_subscription_get_data (self->subscription);
  guint n_blockers = bd_cancellation_get_n_blockers (self->cancellation);
  gint64 window_end = bd_cancellation_get_window_end (self->cancellation);
  gboolean reader;
  gboolean first = TRUE;
  guint shown = 0;
  GtkWidget *child;

  self->turn_off_card = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->blockers_box))) != NULL)
    gtk_box_remove (self->blockers_box, child);

  /* A Global reader can do none of the alternatives: the blockers say why
   * it can't be cancelled, and nothing is offered that would be refused.
   */
  reader = n_blockers > 0 &&
           bd_cancellation_get_blocker (self->cancellation, 0) == BD_BLOCKER_INSUFFICIENT_ROLE;

  for (guint i = 0; i < n_blockers; i++)
    {
      BdBlocker blocker = bd_cancellation_get_blocker (self->cancellation, i);
      BdBlockerCard *card = bd_blocker_card_new (blocker, data, window_end, self->cloud);
      const BdAlternative *alternatives;
      guint n_alternatives = 0;

      gtk_box_append (self->blockers_box, GTK_WIDGET (card));
      if (reader)
        continue;

      /* An alternative that several blockers offer is offered once. */
      alternatives = bd_cancellation_get_alternatives (self->cancellation, i, &n_alternatives);
      for (guint j = 0; j < n_alternatives; j++)
        {
          if (shown & (1u << alternatives[j]))
            continue;
          shown |= 1u << alternatives[j];
          bd_blocker_card_add_alternative (card, alternatives[j], first);
          first = FALSE;
          if (alternatives[j] == BD_ALTERNATIVE_TURN_OFF_RECURRING_BILLING)
            self->turn_off_card = card;
        }
    }

  _bd_cancel_pane_set_state (self, STATE_BLOCKED);
}

/* The cancellation answer as it came: what happens, or what blocks it. */
void
_bd_cancel_pane_show_answer (BdCancelPane *self)
{
  show_timeline (self);
  if (bd_cancellation_get_allowed (self->cancellation))
    show_allowed (self);
  else
    show_blocked (self);
}

void
_bd_cancel_pane_show_load_error (BdCancelPane *self,
                                 const char   *message)
{
  adw_status_page_set_description (self->load_error_page, message);
  _bd_cancel_pane_set_state (self, STATE_LOAD_ERROR);
}

/*
 * Done: the outcome and the next steps
 */

void
_bd_cancel_pane_show_done (BdCancelPane         *self,
                           const BdCancelAnswer *answer)
{
  g_autofree char *refund_line = refund_text (self->subscription, answer->has_refund,
                                              &answer->refund, answer->refund_method);
  g_autofree char *dates = data_dates_text (answer->deletable_from, answer->deleted_by);

  gtk_label_set_label (self->done_refund_label, refund_line);
  gtk_label_set_label (self->done_data_label, dates);
  gtk_link_button_set_uri (self->active_users_link, active_users_link (self));

  _bd_cancel_pane_set_state (self, STATE_DONE);
}

