/* bd-tenant.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-core-types.h"

G_BEGIN_DECLS

#define BD_TYPE_TENANT (bd_tenant_get_type ())

G_DECLARE_FINAL_TYPE (BdTenant, bd_tenant, BD, TENANT, GObject)

BdTenant   *bd_tenant_new              (const char   *display_name,
                                        BdCloud       cloud,
                                        const char   *currency);
BdTenant   *bd_tenant_new_from_json    (JsonNode     *node,
                                        const char   *path,
                                        GError      **error);
const char *bd_tenant_get_display_name (BdTenant     *self);
BdCloud     bd_tenant_get_cloud        (BdTenant     *self);
const char *bd_tenant_get_currency     (BdTenant     *self);
void        bd_tenant_to_json          (BdTenant     *self,
                                        JsonBuilder  *builder);

G_END_DECLS
