/* bd-account-list.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bd-account.h"

G_BEGIN_DECLS

/* The app's accounts as a GListModel of BdAccount: the demo always first,
 * then the services added, in the order they were added, as the GSettings
 * key "accounts" keeps them. It follows the key, so a change made by
 * another window (or another instance) shows everywhere.
 */

#define BD_TYPE_ACCOUNT_LIST (bd_account_list_get_type ())

G_DECLARE_FINAL_TYPE (BdAccountList, bd_account_list, BD, ACCOUNT_LIST, GObject)

BdAccountList *bd_account_list_new    (GSettings     *settings);
BdAccount     *bd_account_list_lookup (BdAccountList *self,
                                       const char    *key);
void           bd_account_list_add    (BdAccountList *self,
                                       BdAccount     *account);
gboolean       bd_account_list_remove (BdAccountList *self,
                                       const char    *key);

G_END_DECLS
