/* bd-cancel-pane-request.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-cancel-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-cancel-pane-private.h"

/* The Cancel Subscription pane's requests: loading the subscription and its
 * cancellation answer, the cancel itself with its Idempotency-Key (Check
 * Again repeats it), Turn Off Recurring Billing, and the actions that start
 * them. The widget is in bd-cancel-pane.c, what the answers show in
 * bd-cancel-pane-answers.c.
 */

/*
 * Loading
 */

static GCancellable *
new_cancellable (BdCancelPane *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

/* Callbacks get the pane unreferenced: it cancels its requests when it goes
 * (dispose) or starts another, and a cancelled callback returns before it
 * touches the pane.
 */
static void
get_cancellation_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BdCancellation) cancellation = NULL;
  g_autoptr(GError) error = NULL;
  BdCancelPane *self;

  cancellation = bd_client_get_cancellation_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);

  if (cancellation == NULL)
    {
      _bd_cancel_pane_show_load_error (self, error->message);
      return;
    }

  g_set_object (&self->cancellation, cancellation);
  _bd_cancel_pane_show_answer (self);
}

static void
reread_subscription_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(BdSubscription) subscription = NULL;
  g_autoptr(GError) error = NULL;
  BdCancelPane *self;

  subscription = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);

  if (subscription == NULL)
    {
      _bd_cancel_pane_show_load_error (self, error->message);
      return;
    }

  bd_subscription_update (self->subscription, bd_subscription_get_data (subscription));
  bd_client_get_cancellation_async (self->client, bd_subscription_get_id (self->subscription),
                                    self->cancellable, get_cancellation_cb, self);
}

/* Fetches the cancellation answer; first the subscription itself when it
 * may have changed (its ETag, its state).
 */
void
_bd_cancel_pane_load (BdCancelPane *self,
                      gboolean      reread_subscription)
{
  GCancellable *cancellable = new_cancellable (self);
  const char *id = bd_subscription_get_id (self->subscription);

  g_clear_object (&self->cancellation);
  _bd_cancel_pane_set_state (self, STATE_LOADING);

  if (reread_subscription)
    bd_client_get_subscription_async (self->client, id, cancellable, reread_subscription_cb, self);
  else
    bd_client_get_cancellation_async (self->client, id, cancellable, get_cancellation_cb, self);
}

/*
 * The cancel
 */

/* A cancel that did not succeed: refused, or its outcome unknown. */
static void
show_cancel_failure (BdCancelPane *self,
                     const GError *error)
{
  g_autofree char *message = NULL;

  /* The key stays (the attempt keeps it): Check Again repeats this very
   * request, and the service answers it as it answered the first, or
   * applies it once.
   */
  if (bd_change_attempt_get_outcome_unknown (self->attempt))
    {
      if (g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER))
        message = g_strdup (_("The billing service sent an answer Billing Desk could not read, "
                              "so the result is not known yet. Asking again is safe: the "
                              "subscription is never cancelled twice."));
      else if (bd_client_error_get_http_status (error) >= 500)
        /* Its own 500 or 503, or a proxy's 502, 503 or 504 */
        message = g_strdup (_("The billing service had a problem, so the result is not known "
                              "yet. Asking again is safe: the subscription is never cancelled "
                              "twice."));
      else
        message = g_strdup (_("The billing service did not answer, so the result is not known "
                              "yet. Asking again is safe: the subscription is never cancelled "
                              "twice."));
      _bd_cancel_pane_show_outcome (self, message, "warning");
      return;
    }

  /* An answer is final for its key (a refusal is replayed to the same
   * key), so another try is another request.
   */
  if (g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNREACHABLE))
    /* Translators: %s says why, and that nothing was changed */
    message = g_strdup_printf (_("The subscription was not cancelled: %s"), error->message);
  else
    /* Translators: %s is a sentence that says why */
    message = g_strdup_printf (_("The subscription was not cancelled: %s Nothing was changed."),
                               error->message);
  _bd_cancel_pane_show_outcome (self, message, "error");
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BdCancelAnswer) answer = NULL;
  g_autoptr(GError) error = NULL;
  BdCancelPane *self;

  answer = bd_client_cancel_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);
  bd_change_attempt_finish (self->attempt, error);

  if (answer == NULL)
    {
      show_cancel_failure (self, error);
      _bd_cancel_pane_set_busy (self, FALSE);
      _bd_cancel_pane_focus_if_here (self, self->save_button);
      return;
    }

  /* The list row follows the object it shows. */
  bd_subscription_update (self->subscription, answer->subscription);

  _bd_cancel_pane_set_busy (self, FALSE);
  _bd_cancel_pane_show_done (self, answer);
  _bd_cancel_pane_emit_cancelled (self);
  /* bench/app-scroll measures the main loop from the press to this. */
  g_debug ("Cancel answer shown at %" G_GINT64_FORMAT " µs", g_get_monotonic_time ());
}

static void
send_cancel (BdCancelPane *self)
{
  GCancellable *cancellable = new_cancellable (self);

  _bd_cancel_pane_show_outcome (self, NULL, NULL);
  _bd_cancel_pane_set_busy (self, TRUE);
  bd_client_cancel_async (self->client, bd_subscription_get_id (self->subscription),
                          self->sending_reason,
                          _bd_cancel_pane_feedback_to_send (self->sending_text),
                          bd_change_attempt_get_idempotency_key (self->attempt),
                          cancellable, cancel_cb, self);
  g_debug ("Cancel sent at %" G_GINT64_FORMAT " µs", g_get_monotonic_time ());
}

/* Before another attempt after a failure: the subscription as it is now. */
static void
save_reread_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BdSubscription) subscription = NULL;
  g_autoptr(GError) error = NULL;
  BdCancelPane *self;

  subscription = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);

  if (subscription == NULL)
    {
      /* Nothing was sent; the next Save reads again with a fresh key. */
      bd_change_attempt_stop (self->attempt);
      _bd_cancel_pane_show_outcome (self, error->message, "error");
      _bd_cancel_pane_set_busy (self, FALSE);
      return;
    }

  bd_subscription_update (self->subscription, bd_subscription_get_data (subscription));

  if (bd_subscription_get_status (self->subscription) != BD_STATUS_ACTIVE)
    {
      gboolean was_unknown = bd_change_attempt_get_outcome_unknown (self->attempt);

      bd_change_attempt_reset (self->attempt);
      _bd_cancel_pane_show_outcome (self, NULL, NULL);
      _bd_cancel_pane_show_notice (self, was_unknown
                                   ? _("The subscription is no longer active: the earlier "
                                       "attempt may have cancelled it. Nothing more was sent.")
                                   : _("The subscription is no longer active, so nothing was "
                                       "sent."));
      _bd_cancel_pane_set_busy (self, FALSE);
      _bd_cancel_pane_load (self, FALSE);
      return;
    }

  /* Still busy: the cancel follows at once. */
  bd_change_attempt_send (self->attempt);
  send_cancel (self);
}

/*
 * Turn Off Recurring Billing
 */

/* Turn Off Recurring Billing works while its button is shown. */
void
_bd_cancel_pane_update_turn_off_action (BdCancelPane *self)
{
  gboolean shown = self->state == STATE_BLOCKED && self->turn_off_card != NULL &&
                   bd_blocker_card_get_offers_turn_off (self->turn_off_card);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.turn-off-recurring-billing",
                                 shown && !self->busy);
}

/* After a Turn Off Recurring Billing whose outcome is unknown. */
static void
turn_off_reread_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BdSubscription) fresh = NULL;
  g_autoptr(GError) error = NULL;
  const BdSubscriptionData *data;
  BdCancelPane *self;

  fresh = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);
  _bd_cancel_pane_set_busy (self, FALSE);

  /* Not read: the card still says that the result is not known. */
  if (fresh == NULL)
    return;

  bd_subscription_update (self->subscription, bd_subscription_get_data (fresh));
  data = bd_subscription_get_data (self->subscription);
  if (self->turn_off_card == NULL)
    return;

  if (data->recurring_billing == BD_RECURRING_BILLING_OFF)
    bd_blocker_card_show_turned_off (self->turn_off_card, data->term_end_date);
  else
    bd_blocker_card_show_turn_off_error (self->turn_off_card,
                                         _("Recurring billing is still on: the billing service "
                                           "did not turn it off. Try again."));
  _bd_cancel_pane_update_turn_off_action (self);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BdSubscription) updated = NULL;
  g_autoptr(GError) error = NULL;
  BdCancelPane *self;

  updated = bd_client_update_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);
  _bd_cancel_pane_set_busy (self, FALSE);

  if (updated != NULL)
    {
      const BdSubscriptionData *data = bd_subscription_get_data (updated);

      bd_subscription_update (self->subscription, data);
      if (self->turn_off_card != NULL)
        bd_blocker_card_show_turned_off (self->turn_off_card, data->term_end_date);
      _bd_cancel_pane_update_turn_off_action (self);
      return;
    }

  /* No answer that says (a timeout, any 5xx): what is true now shows on
   * the card once the subscription is read again.
   */
  if (bd_client_error_is_outcome_unknown (error))
    {
      if (self->turn_off_card != NULL)
        bd_blocker_card_show_turn_off_error (self->turn_off_card, error->message);
      _bd_cancel_pane_set_busy (self, TRUE);
      bd_client_get_subscription_async (self->client, bd_subscription_get_id (self->subscription),
                                        new_cancellable (self), turn_off_reread_cb, self);
      return;
    }

  /* Someone else changed it: read it again, with its new ETag. */
  if (bd_client_error_get_api_code (error) == BD_ERROR_CODE_PRECONDITION_FAILED)
    {
      _bd_cancel_pane_show_notice (self, error->message);
      _bd_cancel_pane_load (self, TRUE);
      return;
    }

  if (self->turn_off_card != NULL)
    bd_blocker_card_show_turn_off_error (self->turn_off_card, error->message);
}

/*
 * Actions
 */

static void
pane_reload_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);

  if (self->subscription != NULL && !self->busy)
    _bd_cancel_pane_load (self, TRUE);
}

static void
pane_save_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);
  BdCancelReason reason;

  if (self->busy || self->state != STATE_ALLOWED ||
      !_bd_cancel_pane_get_selected_reason (self, &reason))
    return;

  /* An earlier notice is about an earlier step. */
  _bd_cancel_pane_show_notice (self, NULL);

  /* The form as typed now; Check Again finds it as it was sent. */
  self->sending_reason = reason;
  g_free (self->sending_text);
  self->sending_text = _bd_cancel_pane_get_feedback_text (self);

  /* Check Again keeps the key; a new intent gets a new one. */
  if (bd_change_attempt_start (self->attempt, FALSE) == BD_CHANGE_STEP_SEND)
    {
      send_cancel (self);
      return;
    }

  /* After a failure the subscription may have changed, or an earlier
   * attempt may have cancelled it after all: read it first (docs/design.md
   * section 4).
   */
  _bd_cancel_pane_set_busy (self, TRUE);
  bd_client_get_subscription_async (self->client, bd_subscription_get_id (self->subscription),
                                    new_cancellable (self), save_reread_cb, self);
}

static void
pane_turn_off_recurring_billing_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);
  const BdSubscriptionData *data;

  if (self->busy || self->state != STATE_BLOCKED)
    return;

  data = bd_subscription_get_data (self->subscription);

  /* Without its ETag the change can't be made safely: read it first. */
  if (data->etag == NULL)
    {
      _bd_cancel_pane_load (self, TRUE);
      return;
    }

  if (self->turn_off_card != NULL)
    bd_blocker_card_show_turn_off_error (self->turn_off_card, NULL);
  _bd_cancel_pane_show_notice (self, NULL);
  _bd_cancel_pane_set_busy (self, TRUE);
  bd_client_update_async (self->client, data->id, data->etag, TRUE, BD_RECURRING_BILLING_OFF, -1,
                          new_cancellable (self), update_cb, self);
}

/*
 * Class
 */

void
_bd_cancel_pane_class_actions_init (BdCancelPaneClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "pane.reload", NULL, pane_reload_action);
  gtk_widget_class_install_action (widget_class, "pane.save", NULL, pane_save_action);
  gtk_widget_class_install_action (widget_class, "pane.turn-off-recurring-billing", NULL,
                                   pane_turn_off_recurring_billing_action);
}
