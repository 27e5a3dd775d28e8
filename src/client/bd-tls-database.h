/* bd-tls-database.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BD_TYPE_TLS_DATABASE (bd_tls_database_get_type ())

G_DECLARE_FINAL_TYPE (BdTlsDatabase, bd_tls_database, BD, TLS_DATABASE, GTlsDatabase)

GTlsDatabase *bd_tls_database_new (const char  *ca_file,
                                   GError     **error);

G_END_DECLS
