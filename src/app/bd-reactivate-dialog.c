/* bd-reactivate-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-reactivate-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-format.h"
#include "bd-reactivate-dialog.h"

/* Reactivate Subscription: a POST with an Idempotency-Key. */
struct _BdReactivateDialog
{
  BdActionDialog parent_instance;

  gint64         now;
};

G_DEFINE_FINAL_TYPE (BdReactivateDialog, bd_reactivate_dialog, BD_TYPE_ACTION_DIALOG)

/* Rule 12: a term that has ended starts a new commitment now. */
static char *
new_term_body (const BdSubscriptionData *data,
               const char               *price)
{
  switch (data->billing_frequency)
    {
    case BD_BILLING_FREQUENCY_ANNUAL:
      /* Translators: %s is the price of one license for one year */
      return g_strdup_printf (_("A new annual term starts today, and recurring billing is "
                                "turned on. You pay %s per license per year."), price);
    case BD_BILLING_FREQUENCY_TRIENNIAL:
      /* Translators: %s is the price of one license for three years */
      return g_strdup_printf (_("A new three-year term starts today, and recurring billing "
                                "is turned on. You pay %s per license every three years."),
                              price);
    case BD_BILLING_FREQUENCY_MONTHLY:
    default:
      /* Translators: %s is the price of one license for one month */
      return g_strdup_printf (_("A new monthly term starts today, and recurring billing is "
                                "turned on. You pay %s per license per month."), price);
    }
}

static char *
current_term_body (const BdSubscriptionData *data,
                   const char               *price)
{
  g_autofree char *term_end = bd_format_date (data->term_end_date);

  switch (data->billing_frequency)
    {
    case BD_BILLING_FREQUENCY_ANNUAL:
      /* Translators: %1$s is a date, %2$s the price of one license for one year */
      return g_strdup_printf (_("Recurring billing is turned on, and the current term continues "
                                "until %1$s. You pay %2$s per license per year."),
                              term_end, price);
    case BD_BILLING_FREQUENCY_TRIENNIAL:
      /* Translators: %1$s is a date, %2$s the price of one license for three years */
      return g_strdup_printf (_("Recurring billing is turned on, and the current term continues "
                                "until %1$s. You pay %2$s per license every three years."),
                              term_end, price);
    case BD_BILLING_FREQUENCY_MONTHLY:
    default:
      /* Translators: %1$s is a date, %2$s the price of one license for one month */
      return g_strdup_printf (_("Recurring billing is turned on, and the current term continues "
                                "until %1$s. You pay %2$s per license per month."),
                              term_end, price);
    }
}

/*
 * BdActionDialog overrides
 */

static void
bd_reactivate_dialog_prepare (BdActionDialog *dialog)
{
  BdReactivateDialog *self = BD_REACTIVATE_DIALOG (dialog);
  const BdSubscriptionData *data = bd_action_dialog_get_data (dialog);
  g_autofree char *price = bd_format_money (&data->unit_price);
  g_autofree char *body = NULL;

  /* Translators: a dialog heading; %s is a product name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (self), _("Reactivate %s?"),
                                     data->product_name);
  if (self->now == BD_TIME_NONE || data->term_end_date <= self->now)
    body = new_term_body (data, price);
  else
    body = current_term_body (data, price);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);
}

static void
bd_reactivate_dialog_send (BdActionDialog      *dialog,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  bd_client_reactivate_async (bd_action_dialog_get_client (dialog),
                              bd_action_dialog_get_data (dialog)->id,
                              bd_action_dialog_get_idempotency_key (dialog),
                              cancellable, callback, user_data);
}

static char *
bd_reactivate_dialog_success_message (BdActionDialog *dialog)
{
  /* Translators: a toast; %s is a product name */
  return g_strdup_printf (_("%s reactivated"), bd_action_dialog_get_data (dialog)->product_name);
}

/*
 * GObject overrides
 */

static void
bd_reactivate_dialog_class_init (BdReactivateDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BdActionDialogClass *dialog_class = BD_ACTION_DIALOG_CLASS (klass);

  dialog_class->action = BD_ACTION_REACTIVATE;
  dialog_class->keyed = TRUE;
  dialog_class->needs_etag = FALSE;
  dialog_class->prepare = bd_reactivate_dialog_prepare;
  dialog_class->send = bd_reactivate_dialog_send;
  dialog_class->success_message = bd_reactivate_dialog_success_message;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billingdesk/BillingDesk/"
                                               "bd-reactivate-dialog.ui");
}

static void
bd_reactivate_dialog_init (BdReactivateDialog *self)
{
  self->now = BD_TIME_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * bd_reactivate_dialog_present:
 * @now: the service's clock, to tell whether a new term starts
 *
 * Reactivate Subscription: what it costs and when the new term starts.
 *
 * Returns: (transfer none): the dialog, shown
 */
GtkWindow *
bd_reactivate_dialog_present (GtkWindow        *parent,
                              BdClient         *client,
                              BdSubscription   *subscription,
                              gint64            now,
                              BdActionDoneFunc  done,
                              gpointer          user_data)
{
  BdReactivateDialog *self;

  self = (BdReactivateDialog *) bd_action_dialog_new (BD_TYPE_REACTIVATE_DIALOG, parent, client, subscription);
  if (self == NULL)
    return NULL;
  self->now = now;

  return bd_action_dialog_present (BD_ACTION_DIALOG (self), done, user_data);
}
