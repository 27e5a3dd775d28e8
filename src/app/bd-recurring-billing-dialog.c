/* bd-recurring-billing-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-recurring-billing-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-format.h"
#include "bd-recurring-billing-dialog.h"

/* Edit Recurring Billing: a PATCH of recurringBilling, with If-Match. */
struct _BdRecurringBillingDialog
{
  BdActionDialog      parent_instance;

  BdRecurringBilling  requested;

  /* Indexed by BdRecurringBilling */
  AdwActionRow       *rows[3];
  GtkCheckButton     *checks[3];
};

G_DEFINE_FINAL_TYPE (BdRecurringBillingDialog, bd_recurring_billing_dialog,
                     BD_TYPE_ACTION_DIALOG)

static BdRecurringBilling
get_chosen (BdRecurringBillingDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->checks); i++)
    if (gtk_check_button_get_active (self->checks[i]))
      return (BdRecurringBilling) i;

  return bd_action_dialog_get_data (BD_ACTION_DIALOG (self))->recurring_billing;
}

static void
on_choice_toggled_cb (BdRecurringBillingDialog *self)
{
  bd_action_dialog_form_changed (BD_ACTION_DIALOG (self));
}

/*
 * BdActionDialog overrides
 */

static void
bd_recurring_billing_dialog_prepare (BdActionDialog *dialog)
{
  BdRecurringBillingDialog *self = BD_RECURRING_BILLING_DIALOG (dialog);
  const BdSubscriptionData *data = bd_action_dialog_get_data (dialog);

  /* Translators: %s is a product name */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  _("Choose what happens to %s when its current term ends."),
                                  data->product_name);
  gtk_check_button_set_active (self->checks[data->recurring_billing], TRUE);
}

static void
bd_recurring_billing_dialog_refresh (BdActionDialog *dialog)
{
  BdRecurringBillingDialog *self = BD_RECURRING_BILLING_DIALOG (dialog);
  const BdSubscriptionData *data = bd_action_dialog_get_data (dialog);
  /* The service's own rule for the renewed term (rule 11). */
  gint64 renewed_end = bd_lifecycle_next_term_end (data, data->term_end_date);
  g_autofree char *term_end = bd_format_date (data->term_end_date);
  g_autofree char *renewed_end_text = NULL;
  char *texts[3];

  if (renewed_end == BD_TIME_NONE)
    renewed_end = data->term_end_date;
  renewed_end_text = bd_format_date (renewed_end);

  /* Translators: %s is a date, the end of the current term */
  texts[BD_RECURRING_BILLING_ON] = g_strdup_printf (_("Renews on %s."), term_end);
  /* Translators: both are dates: the end of this term and of the next */
  texts[BD_RECURRING_BILLING_RENEW_ONCE] =
    g_strdup_printf (_("Renews once on %1$s, then ends on %2$s."), term_end, renewed_end_text);
  /* Translators: %s is a date, the end of the current term */
  texts[BD_RECURRING_BILLING_OFF] =
    g_strdup_printf (_("Access continues until %s; nothing more is charged."), term_end);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      adw_action_row_set_subtitle (self->rows[i], texts[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->checks[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, texts[i],
                                      -1);
      g_clear_pointer (&texts[i], g_free);
    }
}

static gboolean
bd_recurring_billing_dialog_form_is_ready (BdActionDialog *dialog)
{
  BdRecurringBillingDialog *self = BD_RECURRING_BILLING_DIALOG (dialog);

  return get_chosen (self) != bd_action_dialog_get_data (dialog)->recurring_billing;
}

static void
bd_recurring_billing_dialog_start (BdActionDialog *dialog)
{
  BdRecurringBillingDialog *self = BD_RECURRING_BILLING_DIALOG (dialog);

  self->requested = get_chosen (self);
}

static gboolean
bd_recurring_billing_dialog_request_holds (BdActionDialog *dialog)
{
  BdRecurringBillingDialog *self = BD_RECURRING_BILLING_DIALOG (dialog);

  return bd_action_dialog_get_data (dialog)->recurring_billing == self->requested;
}

static void
bd_recurring_billing_dialog_send (BdActionDialog      *dialog,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  BdRecurringBillingDialog *self = BD_RECURRING_BILLING_DIALOG (dialog);
  const BdSubscriptionData *data = bd_action_dialog_get_data (dialog);

  bd_client_update_async (bd_action_dialog_get_client (dialog), data->id, data->etag, TRUE,
                          self->requested, -1, cancellable, callback, user_data);
}

static char *
bd_recurring_billing_dialog_success_message (BdActionDialog *dialog)
{
  const BdSubscriptionData *data = bd_action_dialog_get_data (dialog);

  switch (data->recurring_billing)
    {
    case BD_RECURRING_BILLING_ON:
      /* Translators: a toast; %s is a product name */
      return g_strdup_printf (_("Recurring billing is on for %s"), data->product_name);
    case BD_RECURRING_BILLING_RENEW_ONCE:
      /* Translators: a toast; %s is a product name */
      return g_strdup_printf (_("%s renews once, then ends"), data->product_name);
    case BD_RECURRING_BILLING_OFF:
    default:
      /* Translators: a toast; %s is a product name */
      return g_strdup_printf (_("Recurring billing is off for %s"), data->product_name);
    }
}

/*
 * GObject overrides
 */

static void
bd_recurring_billing_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BD_TYPE_RECURRING_BILLING_DIALOG);

  G_OBJECT_CLASS (bd_recurring_billing_dialog_parent_class)->dispose (object);
}

static void
bd_recurring_billing_dialog_class_init (BdRecurringBillingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BdActionDialogClass *dialog_class = BD_ACTION_DIALOG_CLASS (klass);
  /* The template's choices, indexed by BdRecurringBilling */
  static const char *row_names[] = {
    [BD_RECURRING_BILLING_ON] = "on_row",
    [BD_RECURRING_BILLING_RENEW_ONCE] = "renew_once_row",
    [BD_RECURRING_BILLING_OFF] = "off_row",
  };
  static const char *check_names[] = {
    [BD_RECURRING_BILLING_ON] = "on_check",
    [BD_RECURRING_BILLING_RENEW_ONCE] = "renew_once_check",
    [BD_RECURRING_BILLING_OFF] = "off_check",
  };

  object_class->dispose = bd_recurring_billing_dialog_dispose;

  dialog_class->action = BD_ACTION_CHANGE_RECURRING_BILLING;
  dialog_class->keyed = FALSE;
  dialog_class->needs_etag = TRUE;
  dialog_class->prepare = bd_recurring_billing_dialog_prepare;
  dialog_class->refresh = bd_recurring_billing_dialog_refresh;
  dialog_class->form_is_ready = bd_recurring_billing_dialog_form_is_ready;
  dialog_class->start = bd_recurring_billing_dialog_start;
  dialog_class->request_holds = bd_recurring_billing_dialog_request_holds;
  dialog_class->send = bd_recurring_billing_dialog_send;
  dialog_class->success_message = bd_recurring_billing_dialog_success_message;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billingdesk/BillingDesk/"
                                               "bd-recurring-billing-dialog.ui");
  for (guint i = 0; i < G_N_ELEMENTS (row_names); i++)
    {
      gtk_widget_class_bind_template_child_full (widget_class, row_names[i], FALSE,
                                                 G_STRUCT_OFFSET (BdRecurringBillingDialog, rows)
                                                 + i * sizeof (gpointer));
      gtk_widget_class_bind_template_child_full (widget_class, check_names[i], FALSE,
                                                 G_STRUCT_OFFSET (BdRecurringBillingDialog, checks)
                                                 + i * sizeof (gpointer));
    }
  gtk_widget_class_bind_template_callback (widget_class, on_choice_toggled_cb);
}

static void
bd_recurring_billing_dialog_init (BdRecurringBillingDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * bd_edit_recurring_billing_dialog_present:
 * @parent: the window the dialog is transient for
 * @client: the client that sends the PATCH
 * @subscription: the subscription, updated in place on success
 * @done: (nullable): called once, when the dialog closes
 *
 * Edit Recurring Billing: On, On but renew once, or Off, each with what it
 * means for the next charge, then Save.
 *
 * Returns: (transfer none): the dialog, shown
 */
GtkWindow *
bd_edit_recurring_billing_dialog_present (GtkWindow        *parent,
                                          BdClient         *client,
                                          BdSubscription   *subscription,
                                          BdActionDoneFunc  done,
                                          gpointer          user_data)
{
  BdActionDialog *self;

  self = bd_action_dialog_new (BD_TYPE_RECURRING_BILLING_DIALOG, parent, client, subscription);
  if (self == NULL)
    return NULL;

  return bd_action_dialog_present (self, done, user_data);
}
