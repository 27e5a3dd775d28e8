/* bd-store-sqlite-schema.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite schema of BdStoreSqlite and its migrations, versioned by
 * PRAGMA user_version.
 */

#define G_LOG_DOMAIN "bd-store-sqlite"

#include "config.h"

#include "bd-store-sqlite-private.h"

/* migrations[n] takes a database from user_version n to n + 1, in one
 * transaction. A step is never edited once it has shipped: a change to the
 * schema is a new step at the end, so that every existing database can
 * follow. Enums are stored as their API words so that the file reads on its
 * own and a reordered C enum cannot change what a row means; the CHECKs keep
 * out anything the service could not read back.
 */
static const char * const migrations[] = {
  /* 0 -> 1: the first schema. */
  "CREATE TABLE tenant (\n"
  "  id           INTEGER PRIMARY KEY CHECK (id = 1),\n"
  "  display_name TEXT NOT NULL,\n"
  "  cloud        TEXT NOT NULL CHECK (cloud IN ('worldwide', '21vianet')),\n"
  "  currency     TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]')\n"
  ") STRICT;\n"
  "\n"
  /* Only a hash of each token: a copy of the file gives no one a way in. */
  "CREATE TABLE users (\n"
  "  id           TEXT NOT NULL PRIMARY KEY,\n"
  "  display_name TEXT NOT NULL,\n"
  "  roles        INTEGER NOT NULL CHECK (roles BETWEEN 0 AND 15),\n"
  "  token_hash   BLOB NOT NULL UNIQUE CHECK (length (token_hash) = 32)\n"
  ") STRICT;\n"
  "\n"
  "CREATE TABLE billing_profiles (\n"
  "  id             TEXT NOT NULL PRIMARY KEY,\n"
  "  display_name   TEXT NOT NULL,\n"
  "  payment_method TEXT NOT NULL CHECK (payment_method IN ('invoice', 'card'))\n"
  ") STRICT;\n"
  "\n"
  /* Only the stored fields: the API's annotations are derived on every read.
   * The rules' own relations between the dates are left to the rules: a
   * cancel may end a term at the very moment it was renewed.
   */
  "CREATE TABLE subscriptions (\n"
  "  id                     TEXT NOT NULL PRIMARY KEY,\n"
  "  product_name           TEXT NOT NULL,\n"
  "  status                 TEXT NOT NULL\n"
  "                         CHECK (status IN ('active', 'expired', 'disabled', 'deleted')),\n"
  "  is_trial               INTEGER NOT NULL CHECK (is_trial IN (0, 1)),\n"
  "  is_domain_subscription INTEGER NOT NULL CHECK (is_domain_subscription IN (0, 1)),\n"
  "  quantity               INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100000),\n"
  "  assigned_licenses      INTEGER NOT NULL\n"
  "                         CHECK (assigned_licenses BETWEEN 0 AND quantity),\n"
  "  billing_profile_id     TEXT REFERENCES billing_profiles (id),\n"
  "  billing_frequency      TEXT NOT NULL\n"
  "                         CHECK (billing_frequency IN ('monthly', 'annual', 'triennial')),\n"
  "  unit_price_amount      INTEGER NOT NULL\n"
  "                         CHECK (unit_price_amount BETWEEN 0 AND 100000000),\n"
  "  unit_price_currency    TEXT NOT NULL CHECK (unit_price_currency GLOB '[A-Z][A-Z][A-Z]'),\n"
  "  recurring_billing      TEXT NOT NULL\n"
  "                         CHECK (recurring_billing IN ('on', 'renewOnce', 'off')),\n"
  "  purchase_channel       TEXT NOT NULL\n"
  "                         CHECK (purchase_channel IN ('direct', 'prepaid', 'reseller')),\n"
  "  start_date             INTEGER NOT NULL " TIME_IN_RANGE ("start_date") ",\n"
  "  last_renewal_date      INTEGER NOT NULL " TIME_IN_RANGE ("last_renewal_date") ",\n"
  "  term_end_date          INTEGER NOT NULL " TIME_IN_RANGE ("term_end_date") ",\n"
  "  status_changed_date    INTEGER NOT NULL " TIME_IN_RANGE ("status_changed_date") "\n"
  ") STRICT;\n"
  "\n"
  /* The list's order (docs/design.md section 3): BINARY collation compares UTF-8
   * bytes, which is code-point order; a page is one range scan of this index.
   */
  "CREATE INDEX subscriptions_by_product_name ON subscriptions (product_name, id);\n"
  "\n"
  "CREATE TABLE domains (\n"
  "  name TEXT NOT NULL PRIMARY KEY\n"
  ") STRICT;\n"
  "\n"
  "CREATE TABLE domain_subscriptions (\n"
  "  domain_name     TEXT NOT NULL REFERENCES domains (name),\n"
  "  subscription_id TEXT NOT NULL REFERENCES subscriptions (id),\n"
  "  PRIMARY KEY (domain_name, subscription_id)\n"
  ") STRICT, WITHOUT ROWID;\n"
  "\n"
  /* Rule 5 asks whether any domain holds a subscription. */
  "CREATE INDEX domain_subscriptions_by_subscription\n"
  "  ON domain_subscriptions (subscription_id);\n"
  "\n"
  /* AUTOINCREMENT: a seq is never reused, even after the last entry went. */
  "CREATE TABLE operations (\n"
  "  seq             INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  id              TEXT NOT NULL UNIQUE,\n"
  "  time            INTEGER NOT NULL " TIME_IN_RANGE ("time") ",\n"
  "  user_id         TEXT NOT NULL REFERENCES users (id),\n"
  "  subscription_id TEXT NOT NULL REFERENCES subscriptions (id),\n"
  "  action          TEXT NOT NULL CHECK (action IN ('cancel', 'changeRecurringBilling',\n"
  "                                                  'changeQuantity', 'reactivate', 'delete')),\n"
  "  idempotency_key TEXT,\n"
  "  detail          TEXT NOT NULL CHECK (json_valid (detail))\n"
  ") STRICT;\n"
  "\n"
  /* GET /v1/operations?subscriptionId=ID, oldest first. */
  "CREATE INDEX operations_by_subscription ON operations (subscription_id, seq);\n"
  "\n"
  /* A rowid table: the stored bodies are too large for WITHOUT ROWID. */
  "CREATE TABLE idempotency (\n"
  "  user_id     TEXT NOT NULL REFERENCES users (id),\n"
  "  endpoint    TEXT NOT NULL,\n"
  "  key         TEXT NOT NULL,\n"
  "  fingerprint BLOB NOT NULL,\n"
  "  status      INTEGER NOT NULL CHECK (status BETWEEN 100 AND 599),\n"
  "  body        BLOB NOT NULL,\n"
  "  created     INTEGER NOT NULL,\n"
  "  PRIMARY KEY (user_id, endpoint, key)\n"
  ") STRICT;\n"
  "\n"
  /* Forgetting old answers is a range delete. */
  "CREATE INDEX idempotency_by_created ON idempotency (created);\n",

  /* 1 -> 2: tokens of their own, several per user, that an administrator
   * creates, lists and revokes, and users that can be disabled. The
   * tenant file's tokens move into the tokens table (label "tenant file"),
   * so that one lookup, one list and one revoke serve both kinds. SQLite
   * cannot drop users.token_hash's NOT NULL, so users is rebuilt (with
   * foreign keys off, as _bd_store_sqlite_migrate () runs every step; the
   * references to "users" then name the new table).
   */
  "CREATE TABLE users_new (\n"
  "  id           TEXT NOT NULL PRIMARY KEY,\n"
  "  display_name TEXT NOT NULL,\n"
  "  roles        INTEGER NOT NULL CHECK (roles BETWEEN 0 AND 15),\n"
  "  disabled     INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))\n"
  ") STRICT;\n"
  "\n"
  "INSERT INTO users_new (id, display_name, roles) SELECT id, display_name, roles FROM users;\n"
  "\n"
  /* The id is short, random and public: it names the token in `tokens
   * list` and `tokens revoke`, and says nothing of the token itself.
   * Times in seconds; last_used to the minute.
   */
  "CREATE TABLE tokens (\n"
  "  id         TEXT NOT NULL PRIMARY KEY,\n"
  "  user_id    TEXT NOT NULL REFERENCES users (id),\n"
  "  label      TEXT NOT NULL,\n"
  "  token_hash BLOB NOT NULL UNIQUE CHECK (length (token_hash) = 32),\n"
  "  created    INTEGER NOT NULL " TIME_IN_RANGE ("created") ",\n"
  "  expires    INTEGER " TIME_IN_RANGE ("expires") ",\n"
  "  last_used  INTEGER " TIME_IN_RANGE ("last_used") ",\n"
  "  revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))\n"
  ") STRICT;\n"
  "\n"
  "INSERT INTO tokens (id, user_id, label, token_hash, created)\n"
  "  SELECT lower (hex (randomblob (6))), id, 'tenant file', token_hash,\n"
  "         CAST (strftime ('%s', 'now') AS INTEGER)\n"
  "  FROM users;\n"
  "\n"
  "DROP TABLE users;\n"
  "ALTER TABLE users_new RENAME TO users;\n"
  "\n"
  "CREATE INDEX tokens_by_user ON tokens (user_id, created);\n",

  /* 2 -> 3: each ledger entry keeps the user's display name and the
   * product's name as they were when it was written (GET /v1/operations
   * answers them). Entries written before get the names of now: users and
   * subscriptions are never removed, only disabled or deleted, so both are
   * found.
   */
  "ALTER TABLE operations ADD COLUMN user_display_name TEXT;\n"
  "ALTER TABLE operations ADD COLUMN product_name TEXT;\n"
  "UPDATE operations SET\n"
  "  user_display_name = (SELECT display_name FROM users WHERE users.id = operations.user_id),\n"
  "  product_name = (SELECT product_name FROM subscriptions\n"
  "                  WHERE subscriptions.id = operations.subscription_id);\n",
};

#define SCHEMA_VERSION ((gint) G_N_ELEMENTS (migrations))

static gboolean
read_user_version (sqlite3     *db,
                   gint        *version,
                   GError     **error)
{
  g_autoptr(OwnedStatement) stmt = NULL;

  if (sqlite3_prepare_v3 (db, "PRAGMA user_version", -1, 0, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return _bd_sqlite_set_error (db, DOING_OPEN, error);

  *version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* After a step: no row may point at one that is gone. */
static gboolean
check_foreign_keys (sqlite3  *db,
                    GError  **error)
{
  g_autoptr(OwnedStatement) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v3 (db, "PRAGMA foreign_key_check", -1, 0, &stmt, NULL) != SQLITE_OK)
    return _bd_sqlite_set_error (db, DOING_MIGRATE, error);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _bd_store_set_error (error, DOING_MIGRATE, "a row refers to one that does not exist");

  if (rc != SQLITE_DONE)
    return _bd_sqlite_set_error (db, DOING_MIGRATE, error);

  return TRUE;
}

/* Brings the schema up to SCHEMA_VERSION (at open), one step per transaction, so that
 * an interrupted upgrade leaves a database at some whole version. The version
 * is read again under the write lock: another process may have upgraded it
 * while this one waited.
 */
gboolean
_bd_store_sqlite_migrate (sqlite3  *db,
                          gint     *version,
                          GError  **error)
{
  if (!read_user_version (db, version, error))
    return FALSE;

  /* A step may rebuild a table that others reference (SQLite's own recipe
   * for a change ALTER TABLE cannot make): foreign keys are off while the
   * steps run, and checked before each commit. The PRAGMA is a no-op
   * inside a transaction, so it goes around the loop.
   */
  if (*version < SCHEMA_VERSION &&
      !_bd_sqlite_exec (db, "PRAGMA foreign_keys = OFF", DOING_MIGRATE, error))
    return FALSE;

  while (*version < SCHEMA_VERSION)
    {
      g_autofree char *set_version = NULL;

      if (!_bd_sqlite_exec (db, "BEGIN IMMEDIATE", DOING_MIGRATE, error))
        return FALSE;

      if (!read_user_version (db, version, error))
        goto fail;

      if (*version >= SCHEMA_VERSION)
        {
          if (!_bd_sqlite_exec (db, "COMMIT", DOING_MIGRATE, error))
            goto fail;
          break;
        }

      /* PRAGMA takes no bound parameters; the number is the store's own. */
      set_version = g_strdup_printf ("PRAGMA user_version = %d", *version + 1);

      if (!_bd_sqlite_exec (db, migrations[*version], DOING_MIGRATE, error) ||
          !check_foreign_keys (db, error) ||
          !_bd_sqlite_exec (db, set_version, DOING_MIGRATE, error) ||
          !_bd_sqlite_exec (db, "COMMIT", DOING_MIGRATE, error))
        goto fail;

      g_debug ("Upgraded the billing database to layout %d", *version + 1);
      *version += 1;
    }

  if (*version > SCHEMA_VERSION)
    return _bd_store_set_newer_schema_error (*version, SCHEMA_VERSION, error);

  return _bd_sqlite_exec (db, "PRAGMA foreign_keys = ON", DOING_MIGRATE, error);

fail:
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
  return FALSE;
}
