/* bd-action-dialogs.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-client.h"

G_BEGIN_DECLS

/* The row menu's other actions (UX.md "Other actions"), each an
 * AdwMessageDialog that sends its own request: Edit Recurring Billing, Buy
 * or Remove Licenses, Reactivate Subscription and Delete Subscription.
 *
 * A dialog stays open while its request is in flight and shows a refusal
 * inside itself, with the form kept; it closes on success, after updating
 * @subscription in place with the service's answer (so the row follows), or
 * when the user dismisses it. Either way @done is called exactly once:
 * @message is a translated toast text on success, %NULL when dismissed.
 * Destroying the dialog cancels its request.
 */
typedef void (*BdActionDoneFunc) (BdSubscription *subscription,
                                  const char     *message,
                                  gpointer        user_data);

GtkWindow *bd_edit_recurring_billing_dialog_present (GtkWindow        *parent,
                                                     BdClient         *client,
                                                     BdSubscription   *subscription,
                                                     BdActionDoneFunc  done,
                                                     gpointer          user_data);
GtkWindow *bd_licenses_dialog_present               (GtkWindow        *parent,
                                                     BdClient         *client,
                                                     BdSubscription   *subscription,
                                                     guint             suggested_quantity,
                                                     BdActionDoneFunc  done,
                                                     gpointer          user_data);
GtkWindow *bd_reactivate_dialog_present             (GtkWindow        *parent,
                                                     BdClient         *client,
                                                     BdSubscription   *subscription,
                                                     gint64            now,
                                                     BdActionDoneFunc  done,
                                                     gpointer          user_data);
GtkWindow *bd_delete_dialog_present                 (GtkWindow        *parent,
                                                     BdClient         *client,
                                                     BdSubscription   *subscription,
                                                     BdActionDoneFunc  done,
                                                     gpointer          user_data);

gboolean bd_action_dialogs_busy_for (GtkWindow *parent);

G_END_DECLS
