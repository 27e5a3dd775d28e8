/* bd-licenses-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-licenses-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-format.h"
#include "bd-licenses-dialog.h"

/* Buy or Remove Licenses: a PATCH of quantity, with If-Match. */
struct _BdLicensesDialog
{
  BdActionDialog  parent_instance;

  guint           suggested_quantity;
  guint           requested;

  GtkLabel       *total_label;
  GtkLabel       *assigned_label;
  GtkSpinButton  *spin;
  AdwActionRow   *difference_row;
  GtkLabel       *minimum_label;
  GtkLabel       *unassign_label;
};

G_DEFINE_FINAL_TYPE (BdLicensesDialog, bd_licenses_dialog, BD_TYPE_ACTION_DIALOG)

static guint
get_quantity (BdLicensesDialog *self)
{
  return (guint) gtk_spin_button_get_value_as_int (self->spin);
}

static char *
difference_text (BdBillingFrequency  frequency,
                 gint64              difference,
                 const char         *amount)
{
  switch (frequency)
    {
    case BD_BILLING_FREQUENCY_ANNUAL:
      return difference > 0
             /* Translators: %s is an amount of money, the price difference per term */
             ? g_strdup_printf (C_("price difference", "+%s per year"), amount)
             /* Translators: %s is an amount of money; the sign is a minus (U+2212) */
             : g_strdup_printf (C_("price difference", "−%s per year"), amount);
    case BD_BILLING_FREQUENCY_TRIENNIAL:
      return difference > 0
             /* Translators: %s is an amount of money, the price difference per term */
             ? g_strdup_printf (C_("price difference", "+%s every three years"), amount)
             /* Translators: %s is an amount of money; the sign is a minus (U+2212) */
             : g_strdup_printf (C_("price difference", "−%s every three years"), amount);
    case BD_BILLING_FREQUENCY_MONTHLY:
    default:
      return difference > 0
             /* Translators: %s is an amount of money, the price difference per term */
             ? g_strdup_printf (C_("price difference", "+%s per month"), amount)
             /* Translators: %s is an amount of money; the sign is a minus (U+2212) */
             : g_strdup_printf (C_("price difference", "−%s per month"), amount);
    }
}

static void
update_difference (BdLicensesDialog *self)
{
  const BdSubscriptionData *data = bd_action_dialog_get_data (BD_ACTION_DIALOG (self));
  gint64 difference = (gint64) get_quantity (self) - (gint64) data->quantity;
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;
  BdMoney money;

  if (difference == 0)
    {
      adw_action_row_set_subtitle (self->difference_row, _("No change"));
      return;
    }

  /* At most 100,000,000 x 100,000: far inside 64 bits. */
  bd_money_init (&money, data->unit_price.amount * ABS (difference), data->unit_price.currency);
  amount = bd_format_money (&money);
  text = difference_text (data->billing_frequency, difference, amount);
  adw_action_row_set_subtitle (self->difference_row, text);
}

/* Opened to get to the suggested number, which the assigned licenses don't
 * allow yet: say so. Otherwise say why the number stops where it does.
 */
static void
update_notes (BdLicensesDialog *self)
{
  const BdSubscriptionData *data = bd_action_dialog_get_data (BD_ACTION_DIALOG (self));
  gboolean unassign = self->suggested_quantity > 0 &&
                      data->assigned_licenses > self->suggested_quantity;
  gboolean minimum = !unassign && data->assigned_licenses > 1;
  g_autofree char *assigned = bd_format_count (data->assigned_licenses);

  if (unassign)
    {
      g_autofree char *text =
        g_strdup_printf (ngettext ("Unassign licenses first: %s is assigned.",
                                   "Unassign licenses first: %s are assigned.",
                                   data->assigned_licenses),
                         assigned);

      gtk_label_set_label (self->unassign_label, text);
    }
  else if (minimum)
    {
      g_autofree char *text =
        g_strdup_printf (ngettext ("The new quantity can’t be fewer than the %s license "
                                   "assigned to users.",
                                   "The new quantity can’t be fewer than the %s licenses "
                                   "assigned to users.",
                                   data->assigned_licenses),
                         assigned);

      gtk_label_set_label (self->minimum_label, text);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->unassign_label), unassign);
  gtk_widget_set_visible (GTK_WIDGET (self->minimum_label), minimum);
}

static void
on_spin_value_changed_cb (BdLicensesDialog *self)
{
  update_difference (self);
  bd_action_dialog_form_changed (BD_ACTION_DIALOG (self));
}

/*
 * BdActionDialog overrides
 */

static void
bd_licenses_dialog_prepare (BdActionDialog *dialog)
{
  BdLicensesDialog *self = BD_LICENSES_DIALOG (dialog);
  const BdSubscriptionData *data = bd_action_dialog_get_data (dialog);

  /* Translators: %s is a product name */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self), _("Choose how many licenses %s has."),
                                  data->product_name);

  /* Licenses assigned to users can't be removed (rule 14). */
  gtk_spin_button_set_range (self->spin, MAX (1, data->assigned_licenses), BD_QUANTITY_MAX);
  gtk_spin_button_set_value (self->spin, self->suggested_quantity > 0 ? self->suggested_quantity
                                                                      : data->quantity);
  /* The new quantity is what the dialog asks for: typed at once. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->spin));
}

static void
bd_licenses_dialog_refresh (BdActionDialog *dialog)
{
  BdLicensesDialog *self = BD_LICENSES_DIALOG (dialog);
  const BdSubscriptionData *data = bd_action_dialog_get_data (dialog);
  g_autofree char *total = bd_format_count (data->quantity);
  g_autofree char *assigned = bd_format_count (data->assigned_licenses);

  gtk_label_set_label (self->total_label, total);
  gtk_label_set_label (self->assigned_label, assigned);

  /* Licenses assigned to users can't be removed (rule 14). */
  gtk_spin_button_set_range (self->spin, MAX (1, data->assigned_licenses), BD_QUANTITY_MAX);

  update_notes (self);
  update_difference (self);
}

static gboolean
bd_licenses_dialog_form_is_ready (BdActionDialog *dialog)
{
  BdLicensesDialog *self = BD_LICENSES_DIALOG (dialog);

  return get_quantity (self) != bd_action_dialog_get_data (dialog)->quantity;
}

static void
bd_licenses_dialog_start (BdActionDialog *dialog)
{
  BdLicensesDialog *self = BD_LICENSES_DIALOG (dialog);

  self->requested = get_quantity (self);
}

static gboolean
bd_licenses_dialog_request_holds (BdActionDialog *dialog)
{
  BdLicensesDialog *self = BD_LICENSES_DIALOG (dialog);

  return bd_action_dialog_get_data (dialog)->quantity == self->requested;
}

static void
bd_licenses_dialog_send (BdActionDialog      *dialog,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  BdLicensesDialog *self = BD_LICENSES_DIALOG (dialog);
  const BdSubscriptionData *data = bd_action_dialog_get_data (dialog);

  bd_client_update_async (bd_action_dialog_get_client (dialog), data->id, data->etag, FALSE,
                          BD_RECURRING_BILLING_ON, self->requested, cancellable,
                          callback, user_data);
}

static char *
bd_licenses_dialog_success_message (BdActionDialog *dialog)
{
  const BdSubscriptionData *data = bd_action_dialog_get_data (dialog);
  g_autofree char *count = bd_format_count (data->quantity);

  /* Translators: a toast; %1$s is a number of licenses, %2$s a product name */
  return g_strdup_printf (ngettext ("%2$s now has %1$s license",
                                    "%2$s now has %1$s licenses", data->quantity),
                          count, data->product_name);
}

/*
 * GObject overrides
 */

static void
bd_licenses_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BD_TYPE_LICENSES_DIALOG);

  G_OBJECT_CLASS (bd_licenses_dialog_parent_class)->dispose (object);
}

static void
bd_licenses_dialog_class_init (BdLicensesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BdActionDialogClass *dialog_class = BD_ACTION_DIALOG_CLASS (klass);

  object_class->dispose = bd_licenses_dialog_dispose;

  dialog_class->action = BD_ACTION_CHANGE_QUANTITY;
  dialog_class->keyed = FALSE;
  dialog_class->needs_etag = TRUE;
  dialog_class->prepare = bd_licenses_dialog_prepare;
  dialog_class->refresh = bd_licenses_dialog_refresh;
  dialog_class->form_is_ready = bd_licenses_dialog_form_is_ready;
  dialog_class->start = bd_licenses_dialog_start;
  dialog_class->request_holds = bd_licenses_dialog_request_holds;
  dialog_class->send = bd_licenses_dialog_send;
  dialog_class->success_message = bd_licenses_dialog_success_message;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billingdesk/BillingDesk/"
                                               "bd-licenses-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BdLicensesDialog, total_label);
  gtk_widget_class_bind_template_child (widget_class, BdLicensesDialog, assigned_label);
  gtk_widget_class_bind_template_child (widget_class, BdLicensesDialog, spin);
  gtk_widget_class_bind_template_child (widget_class, BdLicensesDialog, difference_row);
  gtk_widget_class_bind_template_child (widget_class, BdLicensesDialog, minimum_label);
  gtk_widget_class_bind_template_child (widget_class, BdLicensesDialog, unassign_label);
  gtk_widget_class_bind_template_callback (widget_class, on_spin_value_changed_cb);
}

static void
bd_licenses_dialog_init (BdLicensesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * bd_licenses_dialog_present:
 * @suggested_quantity: the number to start from (the tooManyLicenses
 *   blocker's 25), or 0 for the current one
 *
 * Buy or Remove Licenses: the current and assigned numbers, the new one
 * (never below the assigned licenses) and the price difference per term,
 * then Save. Trials, prepaid and reseller purchases say why they can't.
 *
 * Returns: (transfer none): the dialog, shown
 */
GtkWindow *
bd_licenses_dialog_present (GtkWindow        *parent,
                            BdClient         *client,
                            BdSubscription   *subscription,
                            guint             suggested_quantity,
                            BdActionDoneFunc  done,
                            gpointer          user_data)
{
  BdLicensesDialog *self;

  self = (BdLicensesDialog *) bd_action_dialog_new (BD_TYPE_LICENSES_DIALOG, parent, client, subscription);
  if (self == NULL)
    return NULL;
  self->suggested_quantity = MIN (suggested_quantity, BD_QUANTITY_MAX);

  return bd_action_dialog_present (BD_ACTION_DIALOG (self), done, user_data);
}
