/* bd-manage-accounts-window.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-account-list.h"
#include "bd-token-store.h"

G_BEGIN_DECLS

#define BD_TYPE_MANAGE_ACCOUNTS_WINDOW (bd_manage_accounts_window_get_type ())

G_DECLARE_FINAL_TYPE (BdManageAccountsWindow, bd_manage_accounts_window, BD,
                      MANAGE_ACCOUNTS_WINDOW, AdwWindow)

BdManageAccountsWindow *bd_manage_accounts_window_new (GtkWindow     *parent,
                                                       BdAccountList *accounts,
                                                       BdTokenStore  *token_store);

G_END_DECLS
