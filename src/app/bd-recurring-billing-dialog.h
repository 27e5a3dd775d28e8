/* bd-recurring-billing-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-action-dialog.h"

G_BEGIN_DECLS

#define BD_TYPE_RECURRING_BILLING_DIALOG (bd_recurring_billing_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BdRecurringBillingDialog, bd_recurring_billing_dialog,
                      BD, RECURRING_BILLING_DIALOG, BdActionDialog)

GtkWindow *bd_edit_recurring_billing_dialog_present (GtkWindow        *parent,
                                                     BdClient         *client,
                                                     BdSubscription   *subscription,
                                                     BdActionDoneFunc  done,
                                                     gpointer          user_data);

G_END_DECLS
