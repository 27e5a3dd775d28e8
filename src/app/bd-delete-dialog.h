/* bd-delete-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-action-dialog.h"

G_BEGIN_DECLS

#define BD_TYPE_DELETE_DIALOG (bd_delete_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BdDeleteDialog, bd_delete_dialog, BD, DELETE_DIALOG, BdActionDialog)

GtkWindow *bd_delete_dialog_present (GtkWindow        *parent,
                                     BdClient         *client,
                                     BdSubscription   *subscription,
                                     BdActionDoneFunc  done,
                                     gpointer          user_data);

G_END_DECLS
