/* bd-action-dialogs.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-action-dialogs"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-action-dialogs.h"
#include "bd-blocker-text.h"
#include "bd-format.h"

/* One dialog's state, owned by the dialog (freed when it is finalized).
 *
 * AdwMessageDialog closes itself whenever a response is activated (1.2
 * closes it before emitting "response") and on Escape. These dialogs must
 * stay open while a request is in flight and after a refusal, so every
 * close-request is refused (connected after the class handler, which still
 * turns Escape into the close response) and the dialog is destroyed only
 * here: when it is dismissed, or after a success.
 */
typedef struct
{
  BdAction          action;
  AdwMessageDialog *dialog;             /* unowned: it owns this */
  BdClient         *client;
  BdSubscription   *subscription;
  BdActionDoneFunc  done;
  gpointer          user_data;
  GCancellable     *cancellable;
  gint64            now;

  const char       *primary;            /* the response that sends; NULL when blocked */
  const char       *primary_label;
  GtkWidget        *form;
  GtkWidget        *spinner;
  GtkWidget        *error_label;

  gboolean          busy;
  gboolean          finished;           /* done has been called */
  gboolean          outcome_unknown;    /* the last request got no answer */
  gboolean          reload_shows_error; /* a failed reload replaces the message */
  char             *idempotency_key;    /* kept for Check Again only */
  char             *sent_etag;          /* If-Match of the last PATCH */
  BdRecurringBilling requested_recurring_billing;
  guint             requested_quantity;

  /* Edit Recurring Billing, indexed by BdRecurringBilling */
  GtkCheckButton   *choices[3];
  AdwActionRow     *choice_rows[3];

  /* Buy or Remove Licenses */
  guint             suggested_quantity;
  GtkSpinButton    *spin;
  GtkLabel         *total_label;
  GtkLabel         *assigned_label;
  AdwActionRow     *difference_row;
  GtkWidget        *minimum_label;
  GtkWidget        *unassign_label;

  /* Delete Subscription */
  GtkEditable      *entry;
} ActionDialog;

static void send_request (ActionDialog *self);

static void
action_dialog_free (gpointer data)
{
  ActionDialog *self = data;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->subscription);
  g_free (self->idempotency_key);
  g_free (self->sent_etag);
  g_free (self);
}

static const BdSubscriptionData *
get_data (ActionDialog *self)
{
  return bd_subscription_get_data (self->subscription);
}

static const char *
action_title (BdAction action)
{
  switch (action)
    {
    case BD_ACTION_CHANGE_RECURRING_BILLING:
      return _("Edit Recurring Billing");
    case BD_ACTION_CHANGE_QUANTITY:
      return _("Buy or Remove Licenses");
    case BD_ACTION_REACTIVATE:
      return _("Reactivate Subscription");
    case BD_ACTION_DELETE:
      return _("Delete Subscription");
    case BD_ACTION_CANCEL:
    default:
      return _("Cancel Subscription");
    }
}

static BdRecurringBilling
get_chosen_recurring_billing (ActionDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->choices); i++)
    if (gtk_check_button_get_active (self->choices[i]))
      return (BdRecurringBilling) i;

  return get_data (self)->recurring_billing;
}

/* Whether the primary response may be sent: allowed now, and the form says
 * something to send.
 */
static gboolean
form_is_ready (ActionDialog *self)
{
  const BdSubscriptionData *data = get_data (self);

  if (bd_subscription_get_action_blocker (self->subscription, self->action) != BD_BLOCKER_NONE)
    return FALSE;

  switch (self->action)
    {
    case BD_ACTION_CHANGE_RECURRING_BILLING:
      return get_chosen_recurring_billing (self) != data->recurring_billing;
    case BD_ACTION_CHANGE_QUANTITY:
      return (guint) gtk_spin_button_get_value_as_int (self->spin) != data->quantity;
    case BD_ACTION_REACTIVATE:
      return TRUE;
    case BD_ACTION_DELETE:
      return g_strcmp0 (gtk_editable_get_text (self->entry), data->product_name) == 0;
    case BD_ACTION_CANCEL:
    default:
      return FALSE;
    }
}

static void
update_responses (ActionDialog *self)
{
  if (self->primary == NULL)
    return;

  adw_message_dialog_set_response_enabled (self->dialog, "cancel", !self->busy);
  adw_message_dialog_set_response_enabled (self->dialog, self->primary,
                                           !self->busy && form_is_ready (self));
}

static void
set_busy (ActionDialog *self,
          gboolean      busy)
{
  self->busy = busy;
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  if (self->form != NULL)
    gtk_widget_set_sensitive (self->form, !busy);
  update_responses (self);
}

static void
show_error (ActionDialog *self,
            const char   *message)
{
  gtk_label_set_label (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}

/* After no answer, the primary response checks what happened: it resends
 * the same request (same key), or for a PATCH reads the subscription first.
 */
static void
set_outcome_unknown (ActionDialog *self,
                     gboolean      outcome_unknown)
{
  self->outcome_unknown = outcome_unknown;
  adw_message_dialog_set_response_label (self->dialog, self->primary,
                                         outcome_unknown ? C_("response", "_Check Again")
                                                         : self->primary_label);
}

static void
update_difference (ActionDialog *self)
{
  const BdSubscriptionData *data = get_data (self);
  gint64 quantity = gtk_spin_button_get_value_as_int (self->spin);
  gint64 difference = quantity - (gint64) data->quantity;
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

  switch (data->billing_frequency)
    {
    case BD_BILLING_FREQUENCY_ANNUAL:
      text = difference > 0
             /* Translators: %s is an amount of money, the price difference per term */
             ? g_strdup_printf (C_("price difference", "+%s per year"), amount)
             /* Translators: %s is an amount of money; the sign is a minus (U+2212) */
             : g_strdup_printf (C_("price difference", "−%s per year"), amount);
      break;
    case BD_BILLING_FREQUENCY_TRIENNIAL:
      text = difference > 0
             /* Translators: %s is an amount of money, the price difference per term */
             ? g_strdup_printf (C_("price difference", "+%s every three years"), amount)
             /* Translators: %s is an amount of money; the sign is a minus (U+2212) */
             : g_strdup_printf (C_("price difference", "−%s every three years"), amount);
      break;
    case BD_BILLING_FREQUENCY_MONTHLY:
    default:
      text = difference > 0
             /* Translators: %s is an amount of money, the price difference per term */
             ? g_strdup_printf (C_("price difference", "+%s per month"), amount)
             /* Translators: %s is an amount of money; the sign is a minus (U+2212) */
             : g_strdup_printf (C_("price difference", "−%s per month"), amount);
      break;
    }

  adw_action_row_set_subtitle (self->difference_row, text);
}

static void
refresh_recurring_billing (ActionDialog *self)
{
  const BdSubscriptionData *data = get_data (self);
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
      adw_action_row_set_subtitle (self->choice_rows[i], texts[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->choices[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, texts[i],
                                      -1);
      g_clear_pointer (&texts[i], g_free);
    }
}

static void
refresh_licenses (ActionDialog *self)
{
  const BdSubscriptionData *data = get_data (self);
  g_autofree char *total = g_strdup_printf ("%u", data->quantity);
  g_autofree char *assigned = g_strdup_printf ("%u", data->assigned_licenses);

  gtk_label_set_label (self->total_label, total);
  gtk_label_set_label (self->assigned_label, assigned);

  /* Licenses assigned to users can't be removed (rule 14). */
  gtk_spin_button_set_range (self->spin, MAX (1, data->assigned_licenses), BD_QUANTITY_MAX);

  /* Opened to get to the suggested number, which the assigned licenses
   * don't allow yet: say so. Otherwise say why the number stops where it
   * does.
   */
  if (self->suggested_quantity > 0 && data->assigned_licenses > self->suggested_quantity)
    {
      g_autofree char *unassign =
        g_strdup_printf (ngettext ("Unassign licenses first: %u is assigned.",
                                   "Unassign licenses first: %u are assigned.",
                                   data->assigned_licenses),
                         data->assigned_licenses);

      gtk_label_set_label (GTK_LABEL (self->unassign_label), unassign);
      gtk_widget_set_visible (self->unassign_label, TRUE);
      gtk_widget_set_visible (self->minimum_label, FALSE);
    }
  else if (data->assigned_licenses > 1)
    {
      g_autofree char *minimum =
        g_strdup_printf (ngettext ("The new quantity can’t be fewer than the %u license "
                                   "assigned to users.",
                                   "The new quantity can’t be fewer than the %u licenses "
                                   "assigned to users.",
                                   data->assigned_licenses),
                         data->assigned_licenses);

      gtk_label_set_label (GTK_LABEL (self->minimum_label), minimum);
      gtk_widget_set_visible (self->minimum_label, TRUE);
      gtk_widget_set_visible (self->unassign_label, FALSE);
    }
  else
    {
      gtk_widget_set_visible (self->minimum_label, FALSE);
      gtk_widget_set_visible (self->unassign_label, FALSE);
    }

  update_difference (self);
}

/* Shows the subscription as it is now: after opening, and after a reload. */
static void
refresh_form (ActionDialog *self)
{
  switch (self->action)
    {
    case BD_ACTION_CHANGE_RECURRING_BILLING:
      refresh_recurring_billing (self);
      break;
    case BD_ACTION_CHANGE_QUANTITY:
      refresh_licenses (self);
      break;
    case BD_ACTION_CANCEL:
    case BD_ACTION_REACTIVATE:
    case BD_ACTION_DELETE:
    default:
      break;
    }

  update_responses (self);
}

static char *
success_message (ActionDialog *self)
{
  const BdSubscriptionData *data = get_data (self);

  switch (self->action)
    {
    case BD_ACTION_CHANGE_RECURRING_BILLING:
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

    case BD_ACTION_CHANGE_QUANTITY:
      /* Translators: a toast; %1$u is a number of licenses, %2$s a product name */
      return g_strdup_printf (ngettext ("%2$s now has %1$u license",
                                        "%2$s now has %1$u licenses", data->quantity),
                              data->quantity, data->product_name);

    case BD_ACTION_REACTIVATE:
      /* Translators: a toast; %s is a product name */
      return g_strdup_printf (_("%s reactivated"), data->product_name);

    case BD_ACTION_DELETE:
      /* Translators: a toast; %s is a product name */
      return g_strdup_printf (_("%s deleted"), data->product_name);

    case BD_ACTION_CANCEL:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The subscription has what the form asked for (after no answer). */
static gboolean
request_holds (ActionDialog *self)
{
  const BdSubscriptionData *data = get_data (self);

  switch (self->action)
    {
    case BD_ACTION_CHANGE_RECURRING_BILLING:
      return data->recurring_billing == self->requested_recurring_billing;
    case BD_ACTION_CHANGE_QUANTITY:
      return data->quantity == self->requested_quantity;
    case BD_ACTION_CANCEL:
    case BD_ACTION_REACTIVATE:
    case BD_ACTION_DELETE:
    default:
      return FALSE;
    }
}

static void
finish_with_success (ActionDialog   *self,
                     BdSubscription *answer)
{
  /* done () may destroy the dialog, and this state with it. */
  g_autoptr(AdwMessageDialog) dialog = g_object_ref (self->dialog);
  g_autofree char *message = NULL;

  bd_subscription_update (self->subscription, bd_subscription_get_data (answer));
  message = success_message (self);

  self->finished = TRUE;
  if (self->done != NULL)
    self->done (self->subscription, message, self->user_data);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/*
 * Callbacks
 */

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BdSubscription) fresh = NULL;
  g_autoptr(GError) error = NULL;
  ActionDialog *self;

  fresh = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;

  if (fresh == NULL)
    {
      g_debug ("Reloading %s failed: %s", bd_subscription_get_id (self->subscription),
               error->message);
      /* "It has been reloaded" would not be true. */
      if (self->reload_shows_error)
        show_error (self, error->message);
      set_busy (self, FALSE);
      return;
    }

  bd_subscription_update (self->subscription, bd_subscription_get_data (fresh));
  set_busy (self, FALSE);
  refresh_form (self);
}

static void
reload (ActionDialog *self,
        gboolean      shows_error)
{
  self->reload_shows_error = shows_error;
  bd_client_get_subscription_async (self->client, bd_subscription_get_id (self->subscription),
                                    self->cancellable, reload_cb, self);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  BdClient *client = BD_CLIENT (object);
  g_autoptr(BdSubscription) answer = NULL;
  g_autoptr(GError) error = NULL;
  ActionDialog *self;
  guint status;

  if (g_async_result_is_tagged (result, bd_client_update_async))
    answer = bd_client_update_finish (client, result, &error);
  else if (g_async_result_is_tagged (result, bd_client_reactivate_async))
    answer = bd_client_reactivate_finish (client, result, &error);
  else
    answer = bd_client_delete_finish (client, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;

  if (answer != NULL)
    {
      finish_with_success (self, answer);
      return;
    }

  show_error (self, error->message);

  if (bd_client_error_is_outcome_unknown (error))
    {
      set_outcome_unknown (self, TRUE);
      set_busy (self, FALSE);
      return;
    }

  /* A definite answer: the next attempt is a new confirmation. */
  set_outcome_unknown (self, FALSE);
  g_clear_pointer (&self->idempotency_key, g_free);

  /* Stale (412) or refused for the state it is in (409): show it as it is
   * now, so the form and the row match the service.
   */
  status = bd_client_error_get_http_status (error);
  if (status == 409 || status == 412)
    reload (self, status == 412);
  else
    set_busy (self, FALSE);
}

/* Read the subscription before sending: it has no ETag yet, or the last
 * PATCH got no answer and may have been applied.
 */
static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BdSubscription) fresh = NULL;
  g_autoptr(GError) error = NULL;
  ActionDialog *self;
  const BdSubscriptionData *data;

  fresh = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;

  if (fresh == NULL)
    {
      show_error (self, error->message);
      set_busy (self, FALSE);
      return;
    }

  bd_subscription_update (self->subscription, bd_subscription_get_data (fresh));
  data = get_data (self);

  if (self->outcome_unknown && request_holds (self))
    {
      finish_with_success (self, fresh);
      return;
    }

  if (self->outcome_unknown && self->sent_etag != NULL &&
      g_strcmp0 (self->sent_etag, data->etag) != 0)
    {
      /* Changed, but not to what was asked: not by this dialog. */
      set_outcome_unknown (self, FALSE);
      show_error (self, _("Someone else changed this subscription. It has been reloaded."));
      set_busy (self, FALSE);
      refresh_form (self);
      return;
    }

  refresh_form (self);
  if (data->etag == NULL || !form_is_ready (self))
    {
      set_busy (self, FALSE);
      return;
    }

  if (self->outcome_unknown)
    set_outcome_unknown (self, FALSE);
  send_request (self);
}

static void
check_first (ActionDialog *self)
{
  bd_client_get_subscription_async (self->client, bd_subscription_get_id (self->subscription),
                                    self->cancellable, check_cb, self);
}

static void
send_request (ActionDialog *self)
{
  const BdSubscriptionData *data = get_data (self);

  switch (self->action)
    {
    case BD_ACTION_CHANGE_RECURRING_BILLING:
      g_free (self->sent_etag);
      self->sent_etag = g_strdup (data->etag);
      bd_client_update_async (self->client, data->id, data->etag, TRUE,
                              self->requested_recurring_billing, -1, self->cancellable,
                              sent_cb, self);
      break;

    case BD_ACTION_CHANGE_QUANTITY:
      g_free (self->sent_etag);
      self->sent_etag = g_strdup (data->etag);
      bd_client_update_async (self->client, data->id, data->etag, FALSE,
                              BD_RECURRING_BILLING_ON, self->requested_quantity,
                              self->cancellable, sent_cb, self);
      break;

    case BD_ACTION_REACTIVATE:
      bd_client_reactivate_async (self->client, data->id, self->idempotency_key,
                                  self->cancellable, sent_cb, self);
      break;

    case BD_ACTION_DELETE:
      bd_client_delete_async (self->client, data->id, data->etag, data->product_name,
                              self->idempotency_key, self->cancellable, sent_cb, self);
      break;

    case BD_ACTION_CANCEL:
    default:
      g_return_if_reached ();
    }
}

/* The user confirmed: send, or read first where that is needed. */
static void
start (ActionDialog *self)
{
  const BdSubscriptionData *data = get_data (self);

  show_error (self, NULL);
  set_busy (self, TRUE);

  switch (self->action)
    {
    case BD_ACTION_CHANGE_RECURRING_BILLING:
    case BD_ACTION_CHANGE_QUANTITY:
      if (self->action == BD_ACTION_CHANGE_RECURRING_BILLING)
        self->requested_recurring_billing = get_chosen_recurring_billing (self);
      else
        self->requested_quantity = (guint) gtk_spin_button_get_value_as_int (self->spin);
      if (self->outcome_unknown || data->etag == NULL)
        check_first (self);
      else
        send_request (self);
      break;

    case BD_ACTION_REACTIVATE:
    case BD_ACTION_DELETE:
      /* One key per confirmation, kept for Check Again. */
      if (self->idempotency_key == NULL)
        self->idempotency_key = bd_client_new_idempotency_key ();
      if (self->action == BD_ACTION_DELETE && data->etag == NULL)
        check_first (self);
      else
        send_request (self);
      break;

    case BD_ACTION_CANCEL:
    default:
      g_return_if_reached ();
    }
}

static void
on_dialog_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       gpointer          user_data)
{
  ActionDialog *self = user_data;

  /* Escape while a request is in flight: it is never abandoned. */
  if (self->busy)
    return;

  if (self->primary != NULL && g_strcmp0 (response, self->primary) == 0)
    {
      if (form_is_ready (self))
        start (self);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
on_dialog_close_request_cb (GtkWindow *window,
                            gpointer   user_data)
{
  /* on_dialog_response_cb () decides, and destroys the dialog itself. */
  return TRUE;
}

static void
on_dialog_destroy_cb (GtkWidget *widget,
                      gpointer   user_data)
{
  ActionDialog *self = user_data;

  g_cancellable_cancel (self->cancellable);

  if (!self->finished)
    {
      self->finished = TRUE;
      if (self->done != NULL)
        self->done (self->subscription, NULL, self->user_data);
    }
}

static void
on_choice_toggled_cb (GtkCheckButton *button,
                      gpointer        user_data)
{
  update_responses (user_data);
}

static void
on_spin_value_changed_cb (GtkSpinButton *spin,
                          gpointer       user_data)
{
  update_difference (user_data);
  update_responses (user_data);
}

static void
on_entry_changed_cb (GtkEditable *editable,
                     gpointer     user_data)
{
  update_responses (user_data);
}

static void
on_entry_activate_cb (GtkEntry *entry,
                      gpointer  user_data)
{
  ActionDialog *self = user_data;

  if (!self->busy && form_is_ready (self))
    adw_message_dialog_response (self->dialog, self->primary);
}

/*
 * Building
 */

static ActionDialog *
action_dialog_new (GtkWindow        *parent,
                   BdClient         *client,
                   BdSubscription   *subscription,
                   BdAction          action,
                   BdActionDoneFunc  done,
                   gpointer          user_data)
{
  ActionDialog *self = g_new0 (ActionDialog, 1);

  self->action = action;
  self->client = g_object_ref (client);
  self->subscription = g_object_ref (subscription);
  self->done = done;
  self->user_data = user_data;
  self->cancellable = g_cancellable_new ();

  self->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, NULL, NULL));
  gtk_window_set_modal (GTK_WINDOW (self->dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self->dialog), TRUE);
  g_object_set_data_full (G_OBJECT (self->dialog), "bd-action-dialog", self, action_dialog_free);

  g_signal_connect (self->dialog, "response", G_CALLBACK (on_dialog_response_cb), self);
  g_signal_connect_after (self->dialog, "close-request",
                          G_CALLBACK (on_dialog_close_request_cb), self);
  g_signal_connect (self->dialog, "destroy", G_CALLBACK (on_dialog_destroy_cb), self);

  return self;
}

/* The action is not possible now: say why, and offer only Close. */
static gboolean
build_blocked (ActionDialog *self)
{
  BdBlocker blocker = bd_subscription_get_action_blocker (self->subscription, self->action);
  g_autofree char *why = NULL;

  if (blocker == BD_BLOCKER_NONE)
    return FALSE;

  why = bd_blocker_text_for_dialog (get_data (self), self->action, blocker);
  adw_message_dialog_set_heading (self->dialog, action_title (self->action));
  adw_message_dialog_set_body (self->dialog, why);
  adw_message_dialog_add_response (self->dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (self->dialog, "close");
  adw_message_dialog_set_close_response (self->dialog, "close");

  return TRUE;
}

/* Cancel and the primary response; the form (nullable) above a spinner
 * and the place for errors.
 */
static void
build_responses_and_form (ActionDialog          *self,
                          const char            *primary,
                          const char            *primary_label,
                          AdwResponseAppearance  appearance,
                          GtkWidget             *form)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->primary = primary;
  self->primary_label = primary_label;
  adw_message_dialog_add_responses (self->dialog,
                                    "cancel", _("_Cancel"),
                                    primary, primary_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (self->dialog, primary, appearance);
  adw_message_dialog_set_default_response (self->dialog,
                                           appearance == ADW_RESPONSE_DESTRUCTIVE ? "cancel"
                                                                                  : primary);
  adw_message_dialog_set_close_response (self->dialog, "cancel");

  self->form = form;
  if (form != NULL)
    gtk_box_append (GTK_BOX (box), form);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sending"),
                                  -1);
  gtk_box_append (GTK_BOX (box), self->spinner);

  self->error_label = g_object_new (GTK_TYPE_LABEL,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_ALERT,
                                    "wrap", TRUE,
                                    "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                    "max-width-chars", 30,
                                    "xalign", 0.0f,
                                    "visible", FALSE,
                                    NULL);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_box_append (GTK_BOX (box), self->error_label);

  adw_message_dialog_set_extra_child (self->dialog, box);
}

static GtkWidget *
new_boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  return list;
}

static AdwActionRow *
append_row (GtkWidget  *list,
            const char *title)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_append (GTK_LIST_BOX (list), row);

  return ADW_ACTION_ROW (row);
}

static GtkLabel *
append_value_row (GtkWidget  *list,
                  const char *title)
{
  AdwActionRow *row = append_row (list, title);
  GtkWidget *value = gtk_label_new (NULL);

  gtk_widget_add_css_class (value, "numeric");
  adw_action_row_add_suffix (row, value);

  return GTK_LABEL (value);
}

static GtkWidget *
build_recurring_billing_form (ActionDialog *self)
{
  const BdSubscriptionData *data = get_data (self);
  GtkWidget *list = new_boxed_list ();
  const char *titles[3];

  titles[BD_RECURRING_BILLING_ON] = C_("recurring billing", "On");
  titles[BD_RECURRING_BILLING_RENEW_ONCE] = C_("recurring billing", "On, but renew once");
  titles[BD_RECURRING_BILLING_OFF] = C_("recurring billing", "Off");

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      GtkWidget *check = gtk_check_button_new ();

      self->choice_rows[i] = append_row (list, titles[i]);
      self->choices[i] = GTK_CHECK_BUTTON (check);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      if (i > 0)
        gtk_check_button_set_group (self->choices[i], self->choices[0]);
      gtk_check_button_set_active (self->choices[i], i == data->recurring_billing);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, titles[i],
                                      -1);
      adw_action_row_add_prefix (self->choice_rows[i], check);
      adw_action_row_set_activatable_widget (self->choice_rows[i], check);
      g_signal_connect (check, "toggled", G_CALLBACK (on_choice_toggled_cb), self);
    }

  return list;
}

static GtkWidget *
new_note_label (const char *style_class)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "wrap", TRUE,
                                   "max-width-chars", 30,
                                   "xalign", 0.0f,
                                   "visible", FALSE,
                                   NULL);

  gtk_widget_add_css_class (label, style_class);

  return label;
}

static GtkWidget *
build_licenses_form (ActionDialog *self)
{
  const BdSubscriptionData *data = get_data (self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = new_boxed_list ();
  AdwActionRow *quantity_row;
  GtkWidget *spin;

  self->total_label = append_value_row (list, _("Total licenses"));
  self->assigned_label = append_value_row (list, _("Assigned to users"));

  quantity_row = append_row (list, _("New quantity"));
  spin = gtk_spin_button_new_with_range (MAX (1, data->assigned_licenses), BD_QUANTITY_MAX, 1);
  self->spin = GTK_SPIN_BUTTON (spin);
  gtk_spin_button_set_numeric (self->spin, TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("New quantity"),
                                  -1);
  gtk_spin_button_set_value (self->spin, self->suggested_quantity > 0 ? self->suggested_quantity
                                                                      : data->quantity);
  adw_action_row_add_suffix (quantity_row, spin);
  adw_action_row_set_activatable_widget (quantity_row, spin);

  /* The amount as the subtitle: beside the title it would not fit the
   * dialog's width.
   */
  self->difference_row = append_row (list, _("Price difference"));
  gtk_box_append (GTK_BOX (box), list);

  self->minimum_label = new_note_label ("dim-label");
  gtk_box_append (GTK_BOX (box), self->minimum_label);
  self->unassign_label = new_note_label ("warning");
  gtk_box_append (GTK_BOX (box), self->unassign_label);

  g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_value_changed_cb), self);
  gtk_window_set_focus (GTK_WINDOW (self->dialog), spin);

  return box;
}

static char *
reactivate_body (const BdSubscriptionData *data,
                 gint64                    now)
{
  g_autofree char *price = bd_format_money (&data->unit_price);
  g_autofree char *term_end = NULL;

  /* Rule 12: a term that has ended starts a new commitment now. */
  if (now == BD_TIME_NONE || data->term_end_date <= now)
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

  term_end = bd_format_date (data->term_end_date);
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

static GtkWidget *
build_delete_form (ActionDialog *self)
{
  GtkWidget *entry = gtk_entry_new ();

  self->entry = GTK_EDITABLE (entry);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Product name"),
                                  -1);
  g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed_cb), self);
  g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate_cb), self);
  gtk_window_set_focus (GTK_WINDOW (self->dialog), entry);

  return entry;
}

static GtkWindow *
present (ActionDialog *self)
{
  gtk_window_present (GTK_WINDOW (self->dialog));

  return GTK_WINDOW (self->dialog);
}

/*
 * Public API
 */

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
  ActionDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BD_IS_CLIENT (client), NULL);
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (subscription), NULL);

  self = action_dialog_new (parent, client, subscription, BD_ACTION_CHANGE_RECURRING_BILLING,
                            done, user_data);
  if (build_blocked (self))
    return present (self);

  adw_message_dialog_set_heading (self->dialog, action_title (self->action));
  /* Translators: %s is a product name */
  adw_message_dialog_format_body (self->dialog,
                                  _("Choose what happens to %s when its current term ends."),
                                  get_data (self)->product_name);
  build_responses_and_form (self, "save", _("_Save"), ADW_RESPONSE_SUGGESTED,
                            build_recurring_billing_form (self));
  refresh_form (self);

  return present (self);
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
  ActionDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BD_IS_CLIENT (client), NULL);
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (subscription), NULL);

  self = action_dialog_new (parent, client, subscription, BD_ACTION_CHANGE_QUANTITY,
                            done, user_data);
  self->suggested_quantity = MIN (suggested_quantity, BD_QUANTITY_MAX);
  if (build_blocked (self))
    return present (self);

  adw_message_dialog_set_heading (self->dialog, action_title (self->action));
  /* Translators: %s is a product name */
  adw_message_dialog_format_body (self->dialog, _("Choose how many licenses %s has."),
                                  get_data (self)->product_name);
  build_responses_and_form (self, "save", _("_Save"), ADW_RESPONSE_SUGGESTED,
                            build_licenses_form (self));
  refresh_form (self);

  return present (self);
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
  ActionDialog *self;
  g_autofree char *body = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BD_IS_CLIENT (client), NULL);
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (subscription), NULL);

  self = action_dialog_new (parent, client, subscription, BD_ACTION_REACTIVATE,
                            done, user_data);
  self->now = now;
  if (build_blocked (self))
    return present (self);

  /* Translators: a dialog heading; %s is a product name */
  adw_message_dialog_format_heading (self->dialog, _("Reactivate %s?"),
                                     get_data (self)->product_name);
  body = reactivate_body (get_data (self), now);
  adw_message_dialog_set_body (self->dialog, body);
  build_responses_and_form (self, "reactivate", _("_Reactivate"), ADW_RESPONSE_SUGGESTED, NULL);
  refresh_form (self);

  return present (self);
}

/**
 * bd_delete_dialog_present:
 *
 * Delete Subscription: destructive; SharePoint Online and OneDrive data go
 * at once, so Delete is enabled only once the product name is typed
 * exactly.
 *
 * Returns: (transfer none): the dialog, shown
 */
GtkWindow *
bd_delete_dialog_present (GtkWindow        *parent,
                          BdClient         *client,
                          BdSubscription   *subscription,
                          BdActionDoneFunc  done,
                          gpointer          user_data)
{
  ActionDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BD_IS_CLIENT (client), NULL);
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (subscription), NULL);

  self = action_dialog_new (parent, client, subscription, BD_ACTION_DELETE, done, user_data);
  if (build_blocked (self))
    return present (self);

  /* Translators: a dialog heading; %s is a product name */
  adw_message_dialog_format_heading (self->dialog, _("Delete %s?"),
                                     get_data (self)->product_name);
  adw_message_dialog_set_body (self->dialog,
                               _("SharePoint Online and OneDrive data are deleted at once, and "
                                 "this cannot be undone. Type the product name to confirm."));
  build_responses_and_form (self, "delete", _("_Delete"), ADW_RESPONSE_DESTRUCTIVE,
                            build_delete_form (self));
  refresh_form (self);

  return present (self);
}

/**
 * bd_action_dialogs_busy_for:
 * @parent: a window the dialogs are transient for
 *
 * Returns: whether a dialog of @parent has a request in flight, which must
 *   not be abandoned by closing @parent (DESIGN.md section 4)
 */
gboolean
bd_action_dialogs_busy_for (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_return_val_if_fail (GTK_IS_WINDOW (parent), FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      ActionDialog *dialog = g_object_get_data (G_OBJECT (window), "bd-action-dialog");

      if (dialog != NULL && dialog->busy && gtk_window_get_transient_for (window) == parent)
        return TRUE;
    }

  return FALSE;
}
