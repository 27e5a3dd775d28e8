/* bd-reactivate-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-action-dialog.h"

G_BEGIN_DECLS

#define BD_TYPE_REACTIVATE_DIALOG (bd_reactivate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BdReactivateDialog, bd_reactivate_dialog, BD, REACTIVATE_DIALOG,
                      BdActionDialog)

GtkWindow *bd_reactivate_dialog_present (GtkWindow        *parent,
                                         BdClient         *client,
                                         BdSubscription   *subscription,
                                         gint64            now,
                                         BdActionDoneFunc  done,
                                         gpointer          user_data);

G_END_DECLS
