/* bd-domain.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-core-types.h"

G_BEGIN_DECLS

#define BD_TYPE_DOMAIN (bd_domain_get_type ())

G_DECLARE_FINAL_TYPE (BdDomain, bd_domain, BD, DOMAIN, GObject)

BdDomain           *bd_domain_new                  (const char          *name,
                                                    const char * const  *subscription_ids);
BdDomain           *bd_domain_new_from_json        (JsonNode            *node,
                                                    const char          *path,
                                                    GError             **error);
const char         *bd_domain_get_name             (BdDomain            *self);
const char * const *bd_domain_get_subscription_ids (BdDomain            *self);
gboolean            bd_domain_has_subscription     (BdDomain            *self,
                                                    const char          *id);
void                bd_domain_to_json              (BdDomain            *self,
                                                    JsonBuilder         *builder);

G_END_DECLS
