/* bd-user.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-core-types.h"

G_BEGIN_DECLS

#define BD_TYPE_USER (bd_user_get_type ())

G_DECLARE_FINAL_TYPE (BdUser, bd_user, BD, USER, GObject)

BdUser     *bd_user_new              (const char   *id,
                                      const char   *display_name,
                                      guint         roles);
BdUser     *bd_user_new_from_json    (JsonNode     *node,
                                      const char   *path,
                                      const char  **token,
                                      GError      **error);
const char *bd_user_get_id           (BdUser       *self);
const char *bd_user_get_display_name (BdUser       *self);
guint       bd_user_get_roles        (BdUser       *self);
gboolean    bd_user_has_role         (BdUser       *self,
                                      BdRole        role);
gboolean    bd_user_can_manage       (BdUser       *self);
void        bd_user_to_json          (BdUser       *self,
                                      JsonBuilder  *builder);

G_END_DECLS
