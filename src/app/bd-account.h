/* bd-account.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One account of the app: the built-in demo, or a billing service with the
 * user its token signs in as. What is kept of it in GSettings ("accounts",
 * a(sssss)): the service URL, the user id, the tenant's and the user's
 * names as the service gave them when it was added, and a CA file to trust
 * for that service ("" for none). Never the token: that is in the keyring
 * (BdTokenStore).
 */

#define BD_TYPE_ACCOUNT (bd_account_get_type ())

G_DECLARE_FINAL_TYPE (BdAccount, bd_account, BD, ACCOUNT, GObject)

#define BD_ACCOUNT_DEMO_KEY "demo"

BdAccount  *bd_account_new_demo        (void);
BdAccount  *bd_account_new             (const char *service_url,
                                        const char *user_id,
                                        const char *tenant_name,
                                        const char *user_name,
                                        const char *ca_file);
BdAccount  *bd_account_new_from_variant (GVariant  *value);
GVariant   *bd_account_to_variant      (BdAccount  *self);
gboolean    bd_account_is_demo         (BdAccount  *self);
const char *bd_account_get_key         (BdAccount  *self);
const char *bd_account_get_service_url (BdAccount  *self);
const char *bd_account_get_user_id     (BdAccount  *self);
const char *bd_account_get_tenant_name (BdAccount  *self);
const char *bd_account_get_user_name   (BdAccount  *self);
const char *bd_account_get_ca_file     (BdAccount  *self);
char       *bd_account_dup_title       (BdAccount  *self);

char       *bd_account_normalize_url   (const char *url);
char       *bd_account_make_key        (const char *service_url,
                                        const char *user_id);

G_END_DECLS
