/* bd-store-open.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which implementation of BdStore a database location asks for: the one
 * file that knows them all.
 */

#define G_LOG_DOMAIN "bd-store-open"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bd-store.h"
#include "bd-store-pg.h"
#include "bd-store-sqlite.h"

#define SQLITE_PREFIX "sqlite:"

/* The URI schemes libpq takes (docs/design.md section 6). */
static const char * const postgresql_schemes[] = { "postgresql", "postgres", NULL };

/**
 * bd_store_open:
 * @location: where the database is: `sqlite:PATH`, a plain PATH (an SQLite
 *   file, created with its schema when missing), or a PostgreSQL URI
 *   `postgresql://USER@HOST:PORT/DBNAME?...` without a password
 * @durability: %BD_STORE_SCRATCH only for fuzzers and benchmarks
 *
 * Opens a connection to the database and brings its schema up to this
 * version's. Each worker thread opens its own (see bd-store.h).
 *
 * Returns: (transfer full): the store, or %NULL with
 *   %BD_STORE_ERROR_NEWER_SCHEMA when a newer service wrote the database, or
 *   %BD_STORE_ERROR_FAILED
 */
BdStore *
bd_store_open (const char         *location,
               BdStoreDurability   durability,
               GError            **error)
{
  const char *scheme;

  g_return_val_if_fail (location != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_str_has_prefix (location, SQLITE_PREFIX))
    return bd_store_sqlite_open (location + strlen (SQLITE_PREFIX), durability, error);

  scheme = g_uri_peek_scheme (location);
  if (scheme != NULL && g_strv_contains (postgresql_schemes, scheme))
    return bd_store_pg_open (location, durability, error);

  return bd_store_sqlite_open (location, durability, error);
}

/**
 * bd_store_check_location:
 * @location: a database location as the command line gives it
 *
 * Whether @location names a store (`sqlite:PATH`, or a PostgreSQL URI that
 * libpq reads and that carries no password), without opening anything: a
 * bad one is a bad command line.
 *
 * Returns: %FALSE with %BD_STORE_ERROR_FAILED and a message that says why
 */
gboolean
bd_store_check_location (const char  *location,
                         GError     **error)
{
  const char *scheme;

  g_return_val_if_fail (location != NULL, FALSE);

  if (g_str_has_prefix (location, SQLITE_PREFIX) && location[strlen (SQLITE_PREFIX)] != '\0')
    return TRUE;

  scheme = g_uri_peek_scheme (location);
  if (scheme != NULL && g_strv_contains (postgresql_schemes, scheme))
    return bd_store_pg_check_uri (location, error);

  g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
               /* Translators: %s is what was given; sqlite:PATH and the URI are examples
                * of the syntax, not to be translated */
               _("“%s” is not a database location: give sqlite:PATH or "
                 "postgresql://USER@HOST:PORT/DBNAME"),
               location);
  return FALSE;
}
