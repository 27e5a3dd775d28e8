/* bd-store-sqlite.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-store.h"

G_BEGIN_DECLS

/* BdStore on one SQLite file: WAL, synchronous=FULL (OFF only where a
 * caller asks for a throwaway database), a schema version with migrations
 * (PRAGMA user_version), prepared statements only, each connection's own.
 */

#define BD_TYPE_STORE_SQLITE (bd_store_sqlite_get_type ())

G_DECLARE_FINAL_TYPE (BdStoreSqlite, bd_store_sqlite, BD, STORE_SQLITE, GObject)

BdStore *bd_store_sqlite_open       (const char         *path,
                                     BdStoreDurability   durability,
                                     GError            **error);
/* Diagnostics and tests: one of busy_timeout, foreign_keys, journal_mode,
 * synchronous, user_version, as SQLite answers it.
 */
char    *bd_store_sqlite_get_pragma (BdStoreSqlite      *self,
                                     const char         *name,
                                     GError            **error);

G_END_DECLS
