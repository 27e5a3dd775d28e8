/* bd-store-pg.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-store.h"

G_BEGIN_DECLS

/* BdStore on a PostgreSQL database (libpq): one connection per object, its
 * statements prepared on it (and again after a reset), a schema version in
 * a one-row table, migrated under an advisory lock.
 */

#define BD_TYPE_STORE_PG (bd_store_pg_get_type ())

G_DECLARE_FINAL_TYPE (BdStorePg, bd_store_pg, BD, STORE_PG, GObject)

BdStore  *bd_store_pg_open         (const char         *uri,
                                    BdStoreDurability   durability,
                                    GError            **error);
gboolean  bd_store_pg_check_uri    (const char         *uri,
                                    GError            **error);

G_END_DECLS
