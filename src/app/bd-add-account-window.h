/* bd-add-account-window.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-account-list.h"
#include "bd-token-store.h"

G_BEGIN_DECLS

#define BD_TYPE_ADD_ACCOUNT_WINDOW (bd_add_account_window_get_type ())

G_DECLARE_FINAL_TYPE (BdAddAccountWindow, bd_add_account_window, BD, ADD_ACCOUNT_WINDOW, AdwWindow)

BdAddAccountWindow *bd_add_account_window_new               (GtkWindow          *parent,
                                                             BdAccountList      *accounts,
                                                             BdTokenStore       *token_store);
BdAddAccountWindow *bd_add_account_window_new_sign_in_again (GtkWindow          *parent,
                                                             BdAccountList      *accounts,
                                                             BdTokenStore       *token_store,
                                                             BdAccount          *account);
const char         *bd_add_account_window_get_ca_file       (BdAddAccountWindow *self);
void                bd_add_account_window_set_ca_file       (BdAddAccountWindow *self,
                                                             const char         *ca_file);

G_END_DECLS
