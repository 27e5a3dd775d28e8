/* bd-tenant-file.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-billing-profile.h"
#include "bd-domain.h"
#include "bd-rules.h"
#include "bd-subscription-data.h"
#include "bd-tenant.h"
#include "bd-user.h"

G_BEGIN_DECLS

/* A whole tenant, as a tenant file holds it (docs/design.md, "Tenant files"). */
struct _BdTenantFile
{
  BdTenant  *tenant;
  GPtrArray *users;             /* BdUser */
  GPtrArray *tokens;            /* char * (nullable): the token of users[i] */
  GPtrArray *billing_profiles;  /* BdBillingProfile */
  GPtrArray *domains;           /* BdDomain */
  GPtrArray *subscriptions;     /* BdSubscriptionData, as stored at import */

  /*< private >*/
  GHashTable *profile_by_id;    /* billing profile id -> BdBillingProfile */
  GHashTable *domain_of;        /* subscription id -> its BdDomain, or NULL */
  GHashTable *token_set;        /* the tokens, to refuse a repeat at once */
};

BdTenantFile     *bd_tenant_file_read_json             (JsonNode                  *node,
                                                        gint64                     now,
                                                        GError                   **error);
BdTenantFile     *bd_tenant_file_read                  (const char                *data,
                                                        gssize                     length,
                                                        gint64                     now,
                                                        GError                   **error);
char             *bd_tenant_file_to_data               (BdTenantFile              *self,
                                                        gsize                     *length);
void              bd_tenant_file_free                  (BdTenantFile              *self);
BdBillingProfile *bd_tenant_file_find_billing_profile  (BdTenantFile              *self,
                                                        const char                *id);
gboolean          bd_tenant_file_has_domain_attached   (BdTenantFile              *self,
                                                        const char                *subscription_id);
void              bd_tenant_file_init_rule_context     (BdTenantFile              *self,
                                                        const BdSubscriptionData  *data,
                                                        guint                      roles,
                                                        gint64                     now,
                                                        BdRuleContext             *ctx);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdTenantFile, bd_tenant_file_free)

G_END_DECLS
