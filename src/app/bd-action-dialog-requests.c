/* bd-action-dialog-requests.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-action-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-action-dialog-private.h"

/* A dialog's request: sent, read first, its answer or the lack of one.
 * Callbacks get the dialog unreferenced: it cancels its requests when it
 * goes (dispose), and a cancelled callback returns before it touches it.
 */

static void send_request (BdActionDialog *self);

static void
finish_with_success (BdActionDialog *self,
                     BdSubscription *answer)
{
  BdActionDialogPrivate *priv = _bd_action_dialog_get_private (self);
  BdActionDialog *dialog = self;
  g_autofree char *message = NULL;

  bd_subscription_update (priv->subscription, bd_subscription_get_data (answer));
  message = BD_ACTION_DIALOG_GET_CLASS (self)->success_message (self);

  /* done () may destroy the dialog. A weak pointer, not a reference: a
   * second dispose would tear the template down twice, which GTK 4.8
   * refuses (gtk_widget_dispose_template () asserts).
   */
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &dialog);
  priv->finished = TRUE;
  if (priv->done != NULL)
    priv->done (priv->subscription, message, priv->user_data);

  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

static void
set_reloading (BdActionDialog *self,
               gboolean        reloading)
{
  BdActionDialogPrivate *priv = _bd_action_dialog_get_private (self);

  priv->reloading = reloading;
  _bd_action_dialog_update_busy (self);
}

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BdSubscription) fresh = NULL;
  g_autoptr(GError) error = NULL;
  BdActionDialogPrivate *priv;
  BdActionDialog *self;

  fresh = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_ACTION_DIALOG (user_data);
  priv = _bd_action_dialog_get_private (self);

  if (fresh == NULL)
    {
      g_debug ("Reloading %s failed: %s", bd_subscription_get_id (priv->subscription),
               error->message);
      /* "It has been reloaded" would not be true. */
      if (priv->reload_shows_error)
        _bd_action_dialog_show_error (self, error->message);
      set_reloading (self, FALSE);
      return;
    }

  bd_subscription_update (priv->subscription, bd_subscription_get_data (fresh));
  set_reloading (self, FALSE);
  _bd_action_dialog_refresh_form (self);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  BdClient *client = BD_CLIENT (object);
  g_autoptr(BdSubscription) answer = NULL;
  g_autoptr(GError) error = NULL;
  BdActionDialogPrivate *priv;
  BdActionDialog *self;
  guint status;

  if (g_async_result_is_tagged (result, bd_client_update_async))
    answer = bd_client_update_finish (client, result, &error);
  else if (g_async_result_is_tagged (result, bd_client_reactivate_async))
    answer = bd_client_reactivate_finish (client, result, &error);
  else
    answer = bd_client_delete_finish (client, result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_ACTION_DIALOG (user_data);
  priv = _bd_action_dialog_get_private (self);

  if (answer != NULL)
    {
      bd_change_attempt_finish (priv->attempt, NULL);
      finish_with_success (self, answer);
      return;
    }

  /* First, so that the message shows whether the outcome is unknown. */
  bd_change_attempt_finish (priv->attempt, error);
  _bd_action_dialog_show_error (self, error->message);

  /* Stale (412) or refused for the state it is in (409): show it as it is
   * now, so that the form and the row match the service. The dialog stays
   * busy until then.
   */
  status = bd_client_error_get_http_status (error);
  if (!bd_client_error_is_outcome_unknown (error) && (status == 409 || status == 412))
    {
      priv->reload_shows_error = status == 412;
      set_reloading (self, TRUE);
      bd_client_get_subscription_async (priv->client, bd_subscription_get_id (priv->subscription),
                                        priv->cancellable, reload_cb, self);
    }
}

/* The read before sending: the subscription has no ETag yet, or the last
 * PATCH got no answer and may have been applied.
 */
static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BdSubscription) fresh = NULL;
  g_autoptr(GError) error = NULL;
  BdActionDialogPrivate *priv;
  BdActionDialogClass *klass;
  BdActionDialog *self;
  const BdSubscriptionData *data;
  gboolean unknown;

  fresh = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_ACTION_DIALOG (user_data);
  priv = _bd_action_dialog_get_private (self);
  klass = BD_ACTION_DIALOG_GET_CLASS (self);

  if (fresh == NULL)
    {
      _bd_action_dialog_show_error (self, error->message);
      bd_change_attempt_stop (priv->attempt);
      return;
    }

  bd_subscription_update (priv->subscription, bd_subscription_get_data (fresh));
  data = bd_subscription_get_data (priv->subscription);
  unknown = bd_change_attempt_get_outcome_unknown (priv->attempt);

  if (unknown && klass->request_holds != NULL && klass->request_holds (self))
    {
      bd_change_attempt_succeeded (priv->attempt);
      finish_with_success (self, fresh);
      return;
    }

  if (unknown && priv->sent_etag != NULL && g_strcmp0 (priv->sent_etag, data->etag) != 0)
    {
      /* Changed, but not to what was asked: not by this dialog. */
      bd_change_attempt_refused (priv->attempt);
      _bd_action_dialog_show_error (self, _("Someone else changed this subscription. "
                                            "It has been reloaded."));
      _bd_action_dialog_refresh_form (self);
      return;
    }

  _bd_action_dialog_refresh_form (self);
  if (data->etag == NULL || !_bd_action_dialog_form_is_ready (self))
    {
      bd_change_attempt_stop (priv->attempt);
      return;
    }

  bd_change_attempt_send (priv->attempt);
  send_request (self);
}

static void
send_request (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = _bd_action_dialog_get_private (self);
  BdActionDialogClass *klass = BD_ACTION_DIALOG_GET_CLASS (self);

  if (klass->needs_etag)
    {
      g_free (priv->sent_etag);
      priv->sent_etag = g_strdup (bd_subscription_get_data (priv->subscription)->etag);
    }

  klass->send (self, priv->cancellable, sent_cb, self);
}

/* The user confirmed: send, or read first where that is needed. */
void
_bd_action_dialog_start (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = _bd_action_dialog_get_private (self);
  BdActionDialogClass *klass = BD_ACTION_DIALOG_GET_CLASS (self);
  gboolean must_read;

  _bd_action_dialog_show_error (self, NULL);
  if (klass->start != NULL)
    klass->start (self);

  /* Check Again of a change whose result shows in the subscription (a
   * delete: gone is done) looks first, then resends with the same key.
   */
  must_read = (klass->needs_etag && bd_subscription_get_data (priv->subscription)->etag == NULL) ||
              (klass->request_holds != NULL && bd_change_attempt_get_check_again (priv->attempt));
  if (bd_change_attempt_start (priv->attempt, must_read) == BD_CHANGE_STEP_READ_FIRST)
    bd_client_get_subscription_async (priv->client, bd_subscription_get_id (priv->subscription),
                                      priv->cancellable, check_cb, self);
  else
    send_request (self);
}

