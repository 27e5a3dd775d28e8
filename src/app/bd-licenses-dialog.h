/* bd-licenses-dialog.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-action-dialog.h"

G_BEGIN_DECLS

#define BD_TYPE_LICENSES_DIALOG (bd_licenses_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BdLicensesDialog, bd_licenses_dialog, BD, LICENSES_DIALOG, BdActionDialog)

GtkWindow *bd_licenses_dialog_present (GtkWindow        *parent,
                                       BdClient         *client,
                                       BdSubscription   *subscription,
                                       guint             suggested_quantity,
                                       BdActionDoneFunc  done,
                                       gpointer          user_data);

G_END_DECLS
