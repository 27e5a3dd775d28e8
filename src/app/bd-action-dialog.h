/* bd-action-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-client.h"

G_BEGIN_DECLS

/* Called once when a row action's dialog closes: @message is a translated
 * toast text on success, %NULL when the dialog was dismissed.
 */
typedef void (*BdActionDoneFunc) (BdSubscription *subscription,
                                  const char     *message,
                                  gpointer        user_data);

#define BD_TYPE_ACTION_DIALOG (bd_action_dialog_get_type ())

G_DECLARE_DERIVABLE_TYPE (BdActionDialog, bd_action_dialog, BD, ACTION_DIALOG, AdwMessageDialog)

/* The base of the row menu's other actions (all but Cancel Subscription),
 * each an AdwMessageDialog that sends its own request. It holds what they
 * share: the blocked state (why, and only Close), the Cancel and primary
 * responses, the busy state (a spinner, the form insensitive, closing
 * refused), errors shown inside the dialog with the form kept, and the
 * unknown outcome (a BdChangeAttempt: Check Again repeats a POST with the
 * same Idempotency-Key, or reads a PATCH's subscription first).
 *
 * A subclass's template sets the heading used when the action is blocked,
 * the primary response (primary-response, primary-label,
 * primary-appearance) and its form (the "form" property); its class sets
 * what the request is and fills the vfuncs:
 *
 * @action: the action, for its blocker
 * @keyed: the request is a POST with an Idempotency-Key
 * @needs_etag: the request needs the subscription's ETag (read first
 *   when it has none)
 * @prepare: once, when not blocked: the heading and body, the form's
 *   first values
 * @refresh: shows the subscription as it is now (after a read)
 * @form_is_ready: whether the form says something to send
 * @start: the user confirmed: remember what the form asks for
 * @request_holds: after no answer, whether the subscription read shows
 *   what was asked (PATCH; a DELETE: it is Deleted). A keyed request with
 *   one reads first on Check Again too
 * @send: sends the request; @callback gets @user_data
 * @success_message: the toast, from the updated subscription
 */
struct _BdActionDialogClass
{
  AdwMessageDialogClass parent_class;

  BdAction action;
  gboolean keyed;
  gboolean needs_etag;

  void       (*prepare)         (BdActionDialog      *self);
  void       (*refresh)         (BdActionDialog      *self);
  gboolean   (*form_is_ready)   (BdActionDialog      *self);
  void       (*start)           (BdActionDialog      *self);
  gboolean   (*request_holds)   (BdActionDialog      *self);
  void       (*send)            (BdActionDialog      *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  char      *(*success_message) (BdActionDialog      *self);
};

BdActionDialog           *bd_action_dialog_new                   (GType             type,
                                                                  GtkWindow        *parent,
                                                                  BdClient         *client,
                                                                  BdSubscription   *subscription);
GtkWindow                *bd_action_dialog_present               (BdActionDialog   *self,
                                                                  BdActionDoneFunc  done,
                                                                  gpointer          user_data);
BdClient                 *bd_action_dialog_get_client            (BdActionDialog   *self);
const BdSubscriptionData *bd_action_dialog_get_data              (BdActionDialog   *self);
const char               *bd_action_dialog_get_idempotency_key   (BdActionDialog   *self);
gboolean                  bd_action_dialog_get_busy              (BdActionDialog   *self);
void                      bd_action_dialog_form_changed          (BdActionDialog   *self);
void                      bd_action_dialog_confirm               (BdActionDialog   *self);

gboolean                  bd_action_dialogs_busy_for             (GtkWindow        *parent);

G_END_DECLS
