/* bd-store-pg-schema.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PostgreSQL schema of BdStorePg and its migrations, versioned by the
 * one row of the table schema_version.
 */

#define G_LOG_DOMAIN "bd-store-pg"

#include "config.h"

#include "bd-store-pg-private.h"

/* migrations[n] takes a database from version n to n + 1. As in SQLite
 * (bd-store-sqlite-schema.c): a shipped step is never edited, enums are
 * stored as their API words, and the CHECKs keep out what the service could
 * not read back. Text that is ordered or compared is COLLATE "C": code-point
 * order, as the API's paging promises (docs/design.md section 3), whatever
 * the database's locale.
 */
static const char * const migrations[] = {
  /* 0 -> 1: the first schema, the same as SQLite's. */
  "CREATE TABLE tenant (\n"
  "  id           INTEGER PRIMARY KEY CHECK (id = 1),\n"
  "  display_name TEXT NOT NULL,\n"
  "  cloud        TEXT NOT NULL CHECK (cloud IN ('worldwide', '21vianet')),\n"
  "  currency     TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$')\n"
  ");\n"
  "CREATE TABLE users (\n"
  "  id           TEXT COLLATE \"C\" NOT NULL PRIMARY KEY,\n"
  "  display_name TEXT NOT NULL,\n"
  "  roles        INTEGER NOT NULL CHECK (roles BETWEEN 0 AND 15),\n"
  "  token_hash   BYTEA NOT NULL UNIQUE CHECK (length (token_hash) = 32)\n"
  ");\n"
  "CREATE TABLE billing_profiles (\n"
  "  id             TEXT COLLATE \"C\" NOT NULL PRIMARY KEY,\n"
  "  display_name   TEXT NOT NULL,\n"
  "  payment_method TEXT NOT NULL CHECK (payment_method IN ('invoice', 'card'))\n"
  ");\n"
  "CREATE TABLE subscriptions (\n"
  "  id                     TEXT COLLATE \"C\" NOT NULL PRIMARY KEY,\n"
  "  product_name           TEXT COLLATE \"C\" NOT NULL,\n"
  "  status                 TEXT NOT NULL\n"
  "                         CHECK (status IN ('active', 'expired', 'disabled', 'deleted')),\n"
  "  is_trial               BOOLEAN NOT NULL,\n"
  "  is_domain_subscription BOOLEAN NOT NULL,\n"
  "  quantity               BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 100000),\n"
  "  assigned_licenses      BIGINT NOT NULL\n"
  "                         CHECK (assigned_licenses BETWEEN 0 AND quantity),\n"
  "  billing_profile_id     TEXT COLLATE \"C\" REFERENCES billing_profiles (id),\n"
  "  billing_frequency      TEXT NOT NULL\n"
  "                         CHECK (billing_frequency IN ('monthly', 'annual', 'triennial')),\n"
  "  unit_price_amount      BIGINT NOT NULL\n"
  "                         CHECK (unit_price_amount BETWEEN 0 AND 100000000),\n"
  "  unit_price_currency    TEXT NOT NULL CHECK (unit_price_currency ~ '^[A-Z]{3}$'),\n"
  "  recurring_billing      TEXT NOT NULL\n"
  "                         CHECK (recurring_billing IN ('on', 'renewOnce', 'off')),\n"
  "  purchase_channel       TEXT NOT NULL\n"
  "                         CHECK (purchase_channel IN ('direct', 'prepaid', 'reseller')),\n"
  "  start_date             BIGINT NOT NULL " TIME_IN_RANGE ("start_date") ",\n"
  "  last_renewal_date      BIGINT NOT NULL " TIME_IN_RANGE ("last_renewal_date") ",\n"
  "  term_end_date          BIGINT NOT NULL " TIME_IN_RANGE ("term_end_date") ",\n"
  "  status_changed_date    BIGINT NOT NULL " TIME_IN_RANGE ("status_changed_date") "\n"
  ");\n"
  "CREATE INDEX subscriptions_by_product_name ON subscriptions (product_name, id);\n"
  "CREATE TABLE domains (\n"
  "  name TEXT COLLATE \"C\" NOT NULL PRIMARY KEY\n"
  ");\n"
  "CREATE TABLE domain_subscriptions (\n"
  "  domain_name     TEXT COLLATE \"C\" NOT NULL REFERENCES domains (name),\n"
  "  subscription_id TEXT COLLATE \"C\" NOT NULL REFERENCES subscriptions (id),\n"
  "  PRIMARY KEY (domain_name, subscription_id)\n"
  ");\n"
  "CREATE INDEX domain_subscriptions_by_subscription\n"
  "  ON domain_subscriptions (subscription_id);\n"
  /* seq is the last one plus one, taken under the ledger's advisory lock
   * (bd-store-pg-ledger.c): 1, 2, 3 ... in commit order, with no gap where
   * an insert failed (a sequence would leave one).
   */
  "CREATE TABLE operations (\n"
  "  seq             BIGINT PRIMARY KEY CHECK (seq > 0),\n"
  "  id              TEXT NOT NULL UNIQUE,\n"
  "  time            BIGINT NOT NULL " TIME_IN_RANGE ("time") ",\n"
  "  user_id         TEXT COLLATE \"C\" NOT NULL REFERENCES users (id),\n"
  "  subscription_id TEXT COLLATE \"C\" NOT NULL REFERENCES subscriptions (id),\n"
  "  action          TEXT NOT NULL CHECK (action IN ('cancel', 'changeRecurringBilling',\n"
  "                                                  'changeQuantity', 'reactivate', 'delete')),\n"
  "  idempotency_key TEXT,\n"
  "  detail          TEXT NOT NULL CHECK ((detail::json) IS NOT NULL)\n"
  ");\n"
  "CREATE INDEX operations_by_subscription ON operations (subscription_id, seq);\n"
  "CREATE TABLE idempotency (\n"
  "  user_id     TEXT COLLATE \"C\" NOT NULL REFERENCES users (id),\n"
  "  endpoint    TEXT NOT NULL,\n"
  "  key         TEXT NOT NULL,\n"
  "  fingerprint BYTEA NOT NULL,\n"
  "  status      INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),\n"
  "  body        BYTEA NOT NULL,\n"
  "  created     BIGINT NOT NULL,\n"
  "  PRIMARY KEY (user_id, endpoint, key)\n"
  ");\n"
  "CREATE INDEX idempotency_by_created ON idempotency (created);\n",

  /* 1 -> 2, as SQLite's: tokens of their own, several per user, that an
   * administrator creates, lists and revokes, and users that can be
   * disabled. The tenant file's tokens move into the tokens table (label
   * "tenant file", a random id).
   */
  "ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;\n"
  "CREATE TABLE tokens (\n"
  "  id         TEXT COLLATE \"C\" NOT NULL PRIMARY KEY,\n"
  "  user_id    TEXT COLLATE \"C\" NOT NULL REFERENCES users (id),\n"
  "  label      TEXT NOT NULL,\n"
  "  token_hash BYTEA NOT NULL UNIQUE CHECK (length (token_hash) = 32),\n"
  "  created    BIGINT NOT NULL " TIME_IN_RANGE ("created") ",\n"
  "  expires    BIGINT " TIME_IN_RANGE ("expires") ",\n"
  "  last_used  BIGINT " TIME_IN_RANGE ("last_used") ",\n"
  "  revoked    BOOLEAN NOT NULL DEFAULT FALSE\n"
  ");\n"
  "INSERT INTO tokens (id, user_id, label, token_hash, created)\n"
  "  SELECT substr (md5 (random ()::text || clock_timestamp ()::text || id), 1, 12),\n"
  "         id, 'tenant file', token_hash, EXTRACT (EPOCH FROM now ())::bigint\n"
  "  FROM users;\n"
  "ALTER TABLE users DROP COLUMN token_hash;\n"
  "CREATE INDEX tokens_by_user ON tokens (user_id, created);\n",

  /* 2 -> 3, as SQLite's: each ledger entry keeps the user's display name
   * and the product's name as they were when it was written; entries
   * written before get the names of now.
   */
  "ALTER TABLE operations ADD COLUMN user_display_name TEXT;\n"
  "ALTER TABLE operations ADD COLUMN product_name TEXT;\n"
  "UPDATE operations SET\n"
  "  user_display_name = (SELECT display_name FROM users WHERE users.id = operations.user_id),\n"
  "  product_name = (SELECT product_name FROM subscriptions\n"
  "                  WHERE subscriptions.id = operations.subscription_id);\n",
};

#define SCHEMA_VERSION ((gint) G_N_ELEMENTS (migrations))

/* The version, 0 for a database without the table or its row. */
static gboolean
read_version (PGconn  *conn,
              gint    *version,
              GError **error)
{
  g_autoptr(PGresult) result = NULL;

  result = PQexec (conn, "SELECT version FROM schema_version WHERE id = 1");
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    return _bd_pg_set_error (conn, result, DOING_MIGRATE, error);

  *version = PQntuples (result) == 0 ? 0 : (gint) g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  return TRUE;
}

static gboolean
write_version (PGconn  *conn,
               gint     version,
               GError **error)
{
  const char *sql = "INSERT INTO schema_version (id, version) VALUES (1, $1) "
                    "ON CONFLICT (id) DO UPDATE SET version = excluded.version";
  g_autofree char *text = g_strdup_printf ("%d", version);
  const char *values[1] = { text };
  g_autoptr(PGresult) result = NULL;

  result = PQexecParams (conn, sql, 1, NULL, values, NULL, NULL, 0);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    return _bd_pg_set_error (conn, result, DOING_MIGRATE, error);

  return TRUE;
}

/* Everything inside the one transaction: the version read under the lock,
 * so that of two instances opening an empty database at once, one creates
 * the schema and the other waits, then finds it there.
 */
static gboolean
migrate_locked (PGconn  *conn,
                gint    *version,
                GError **error)
{
  if (!_bd_pg_exec (conn, "SELECT pg_advisory_xact_lock (" BD_PG_LOCK_SCHEMA ")",
                    DOING_MIGRATE, error) ||
      !_bd_pg_exec (conn, "SET LOCAL client_min_messages = warning", DOING_MIGRATE, error) ||
      !_bd_pg_exec (conn,
                    "CREATE TABLE IF NOT EXISTS schema_version (\n"
                    "  id      INTEGER PRIMARY KEY CHECK (id = 1),\n"
                    "  version INTEGER NOT NULL\n"
                    ")", DOING_MIGRATE, error) ||
      !read_version (conn, version, error))
    return FALSE;

  if (*version > SCHEMA_VERSION)
    return _bd_store_set_newer_schema_error (*version, SCHEMA_VERSION, error);

  if (*version == SCHEMA_VERSION)
    return TRUE;

  for (; *version < SCHEMA_VERSION; *version += 1)
    {
      if (!_bd_pg_exec (conn, migrations[*version], DOING_MIGRATE, error))
        return FALSE;
      g_debug ("Upgraded the billing database to layout %d", *version + 1);
    }

  return write_version (conn, *version, error);
}

/* Brings the schema up to SCHEMA_VERSION (at open), in one transaction
 * under a transaction-level advisory lock: an interrupted upgrade leaves
 * the database as it was, and two instances never migrate at once.
 */
gboolean
_bd_store_pg_migrate (PGconn   *conn,
                      gint     *version,
                      GError  **error)
{
  if (!_bd_pg_exec (conn, "BEGIN", DOING_MIGRATE, error))
    return FALSE;

  if (!migrate_locked (conn, version, error))
    {
      _bd_pg_exec (conn, "ROLLBACK", DOING_MIGRATE, NULL);
      return FALSE;
    }

  return _bd_pg_exec (conn, "COMMIT", DOING_MIGRATE, error);
}
