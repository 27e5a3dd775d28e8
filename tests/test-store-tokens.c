/* test-store-tokens.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Users and tokens in the store: what the users and tokens commands change
 * and what signing in sees of it, and the migration of a database of the
 * first schema, whose tokens lived in the users table.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "bd-store-sqlite.h"
#include "bd-token.h"
#include "bd-test-utils.h"

#define NOW "2026-11-03T00:00:00Z"

#define ANNE_TOKEN "tok-anne-5e1f0c2a9b7d"
#define BO_TOKEN   "tok-bo-77d3e4a1c0"

/* Anne with a token from the file, Bo without one. */
static const char tenant_file[] =
  "{\n"
  "  \"tenant\": {\"displayName\": \"Contoso A/S\", \"cloud\": \"worldwide\",\n"
  "             \"currency\": \"DKK\"},\n"
  "  \"users\": [{\"id\": \"u1\", \"displayName\": \"Anne Berg\", \"roles\": [\"globalAdmin\"],\n"
  "              \"token\": \"" ANNE_TOKEN "\"},\n"
  "            {\"id\": \"u2\", \"displayName\": \"Bo Holm\", \"roles\": [\"globalReader\"]}],\n"
  "  \"billingProfiles\": [],\n"
  "  \"domains\": [],\n"
  "  \"subscriptions\": []\n"
  "}\n";

/* The first schema (user_version 1) as the service of issue 9 made it,
 * spelled out here so that the test does not depend on the migration it
 * tests; and a few rows, with tokens in the users table and rows that
 * refer to the users.
 */
static const char schema_1[] =
  "CREATE TABLE tenant (\n"
  "  id           INTEGER PRIMARY KEY CHECK (id = 1),\n"
  "  display_name TEXT NOT NULL,\n"
  "  cloud        TEXT NOT NULL CHECK (cloud IN ('worldwide', '21vianet')),\n"
  "  currency     TEXT NOT NULL CHECK (currency GLOB '[A-Z][A-Z][A-Z]')\n"
  ") STRICT;\n"
  "CREATE TABLE users (\n"
  "  id           TEXT NOT NULL PRIMARY KEY,\n"
  "  display_name TEXT NOT NULL,\n"
  "  roles        INTEGER NOT NULL CHECK (roles BETWEEN 0 AND 15),\n"
  "  token_hash   BLOB NOT NULL UNIQUE CHECK (length (token_hash) = 32)\n"
  ") STRICT;\n"
  "CREATE TABLE billing_profiles (\n"
  "  id             TEXT NOT NULL PRIMARY KEY,\n"
  "  display_name   TEXT NOT NULL,\n"
  "  payment_method TEXT NOT NULL CHECK (payment_method IN ('invoice', 'card'))\n"
  ") STRICT;\n"
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
  "  start_date             INTEGER NOT NULL,\n"
  "  last_renewal_date      INTEGER NOT NULL,\n"
  "  term_end_date          INTEGER NOT NULL,\n"
  "  status_changed_date    INTEGER NOT NULL\n"
  ") STRICT;\n"
  "CREATE INDEX subscriptions_by_product_name ON subscriptions (product_name, id);\n"
  "CREATE TABLE domains (name TEXT NOT NULL PRIMARY KEY) STRICT;\n"
  "CREATE TABLE domain_subscriptions (\n"
  "  domain_name     TEXT NOT NULL REFERENCES domains (name),\n"
  "  subscription_id TEXT NOT NULL REFERENCES subscriptions (id),\n"
  "  PRIMARY KEY (domain_name, subscription_id)\n"
  ") STRICT, WITHOUT ROWID;\n"
  "CREATE INDEX domain_subscriptions_by_subscription ON domain_subscriptions (subscription_id);\n"
  "CREATE TABLE operations (\n"
  "  seq             INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  id              TEXT NOT NULL UNIQUE,\n"
  "  time            INTEGER NOT NULL,\n"
  "  user_id         TEXT NOT NULL REFERENCES users (id),\n"
  "  subscription_id TEXT NOT NULL REFERENCES subscriptions (id),\n"
  "  action          TEXT NOT NULL CHECK (action IN ('cancel', 'changeRecurringBilling',\n"
  "                                                  'changeQuantity', 'reactivate', 'delete')),\n"
  "  idempotency_key TEXT,\n"
  "  detail          TEXT NOT NULL CHECK (json_valid (detail))\n"
  ") STRICT;\n"
  "CREATE INDEX operations_by_subscription ON operations (subscription_id, seq);\n"
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
  "CREATE INDEX idempotency_by_created ON idempotency (created);\n"
  "INSERT INTO tenant VALUES (1, 'Contoso A/S', 'worldwide', 'DKK');\n"
  "INSERT INTO billing_profiles VALUES ('bp1', 'Contoso invoices', 'invoice');\n"
  "INSERT INTO subscriptions VALUES ('s1', 'Microsoft 365 E3', 'disabled', 0, 0, 10, 8, 'bp1',\n"
  "  'monthly', 15900, 'DKK', 'on', 'direct', 1793491200, 1793491200, 1796083200, 1793664000);\n"
  "INSERT INTO operations (id, time, user_id, subscription_id, action, idempotency_key, detail)\n"
  "  VALUES ('op1', 1793664000, 'u1', 's1', 'cancel', 'key-1', '{}');\n"
  "INSERT INTO idempotency VALUES ('u1', 'POST /v1/subscriptions/s1/cancel', 'key-1', x'00',\n"
  "  200, x'7b7d', 1793664000);\n";

typedef struct
{
  char *dir;
  char *path;
  char *location;  /* path, or a PostgreSQL database (bd_test_database_new ()) */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("bd-store-tokens-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "billing.sqlite", NULL);
  f->location = bd_test_database_new (f->path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  bd_test_remove_tree (f->dir);
  bd_test_database_drop (f->location);
  g_free (f->location);
  g_free (f->dir);
  g_free (f->path);
}

static BdStore *
open_seeded (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(BdStore) store = NULL;

  store = bd_store_open (f->location, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  file = bd_tenant_file_read (tenant_file, -1, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  g_assert_true (bd_store_seed (store, file, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

/* The user id of @token at @now, or NULL. */
static char *
signed_in (BdStore    *store,
           const char *token,
           gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BdUser) user = bd_store_find_user_by_token (store, token, now, &error);

  g_assert_no_error (error);
  return user != NULL ? g_strdup (bd_user_get_id (user)) : NULL;
}

/* The one token of @user_id. */
static BdStoredToken *
only_token (BdStore    *store,
            const char *user_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = bd_store_list_tokens (store, user_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 1);
  return g_ptr_array_steal_index (tokens, 0);
}

/* Adds a token for @user_id, created at NOW, expiring at @expires. */
static gboolean
add_token (BdStore     *store,
           const char  *user_id,
           const char  *id,
           const char  *token,
           gint64       expires,
           GError     **error)
{
  guint8 hash[BD_TOKEN_HASH_LENGTH];
  BdStoredToken stored = { NULL };

  bd_token_hash (token, hash);
  stored.id = (char *) id;
  stored.user_id = (char *) user_id;
  stored.label = (char *) "laptop";
  stored.created = bd_test_time (NOW);
  stored.expires = expires;

  return bd_store_add_token (store, &stored, hash, error);
}

/*
 * Tests
 */

static void
test_new_token (void)
{
  g_autofree char *a = bd_token_new ();
  g_autofree char *b = bd_token_new ();
  g_autofree char *id = bd_token_new_id ();
  g_autoptr(GRegex) format = g_regex_new ("^bdt_[A-Za-z0-9_-]{43}$", 0, 0, NULL);
  g_autoptr(GRegex) id_format = g_regex_new ("^[0-9a-f]{12}$", 0, 0, NULL);

  g_assert_true (g_regex_match (format, a, 0, NULL));
  g_assert_true (g_regex_match (format, b, 0, NULL));
  g_assert_cmpstr (a, !=, b);
  g_assert_true (g_regex_match (id_format, id, 0, NULL));
}

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BdStore) store = open_seeded (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(BdUser) cecilie = bd_user_new ("u3", "Cecilie Dam", BD_ROLE_MASK (BD_ROLE_USER));
  g_autoptr(BdUser) again = bd_user_new ("u1", "Anne", BD_ROLE_MASK (BD_ROLE_USER));
  BdStoredUser *u1;

  g_assert_true (bd_store_add_user (store, cecilie, &error));
  g_assert_no_error (error);
  g_assert_false (bd_store_add_user (store, again, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (bd_store_set_user_roles (store, "u1", BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN),
                                          &error));
  g_assert_false (bd_store_set_user_roles (store, "ghost", 1, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (bd_store_set_user_disabled (store, "u1", TRUE, &error));
  g_assert_false (bd_store_set_user_disabled (store, "ghost", TRUE, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  users = bd_store_list_users (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 3);
  u1 = g_ptr_array_index (users, 0);
  g_assert_cmpstr (bd_user_get_id (u1->user), ==, "u1");
  g_assert_cmpuint (bd_user_get_roles (u1->user), ==, BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN));
  g_assert_true (u1->disabled);
  g_assert_false (((BdStoredUser *) g_ptr_array_index (users, 1))->disabled);
  g_assert_cmpstr (bd_user_get_id (((BdStoredUser *) g_ptr_array_index (users, 2))->user), ==,
                   "u3");
}

/* What signing in sees: a token of the file, a new one, their states. */
static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BdStore) store = open_seeded (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(BdStoredToken) anne = only_token (store, "u1");
  gint64 now = bd_test_time (NOW);
  g_autofree char *id = NULL;

  g_assert_cmpstr (anne->label, ==, "tenant file");
  g_assert_cmpint (anne->expires, ==, BD_STORE_NEVER);
  g_assert_cmpint (anne->last_used, ==, BD_STORE_NEVER);
  g_assert_false (anne->revoked);

  g_assert_false (add_token (store, "ghost", "000000000001", "bdt_x", BD_STORE_NEVER, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (add_token (store, "u2", "000000000002", "bdt_bo", now + 60, &error));
  g_assert_no_error (error);

  /* Expiry: until the second before. */
  id = signed_in (store, "bdt_bo", now + 59);
  g_assert_cmpstr (id, ==, "u2");
  g_clear_pointer (&id, g_free);
  g_assert_null (signed_in (store, "bdt_bo", now + 60));
  g_assert_null (signed_in (store, "bdt_b", now));

  /* A disabled user's tokens, then enabled again. */
  g_assert_true (bd_store_set_user_disabled (store, "u2", TRUE, &error));
  g_assert_null (signed_in (store, "bdt_bo", now));
  g_assert_true (bd_store_set_user_disabled (store, "u2", FALSE, &error));
  id = signed_in (store, "bdt_bo", now);
  g_assert_cmpstr (id, ==, "u2");
  g_clear_pointer (&id, g_free);

  /* Revoked, for good; revoking again is no error. */
  g_assert_true (bd_store_revoke_token (store, "000000000002", &error));
  g_assert_true (bd_store_revoke_token (store, "000000000002", &error));
  g_assert_no_error (error);
  g_assert_null (signed_in (store, "bdt_bo", now));
  g_assert_false (bd_store_revoke_token (store, "ghost", &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  id = signed_in (store, ANNE_TOKEN, now);
  g_assert_cmpstr (id, ==, "u1");
}

/* The last use, to the minute, written only when the minute changed. */
static void
test_last_used (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BdStore) store = open_seeded (f);
  gint64 now = bd_test_time (NOW);
  const struct { gint64 at; gint64 kept; } uses[] = {
    { now + 30, now },        /* the minute it falls in */
    { now + 59, now },        /* the same minute: not written again */
    { now + 61, now + 60 },
    { now + 30, now + 60 },   /* a clock set back writes nothing older */
    { now + 3600, now + 3600 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (uses); i++)
    {
      g_autofree char *id = signed_in (store, ANNE_TOKEN, uses[i].at);
      g_autoptr(BdStoredToken) token = only_token (store, "u1");

      g_assert_cmpstr (id, ==, "u1");
      g_assert_cmpint (token->last_used, ==, uses[i].kept);
    }
}

/* While another connection holds the write lock, signing in neither waits
 * nor fails: the last use waits for a later request.
 */
static void
test_last_used_while_locked (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(BdStore) store = open_seeded (f);
  g_autoptr(BdStoredToken) token = NULL;
  g_autofree char *id = NULL;
  gint64 start = g_get_monotonic_time ();
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  id = signed_in (store, ANNE_TOKEN, bd_test_time (NOW));
  g_assert_cmpstr (id, ==, "u1");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  token = only_token (store, "u1");
  g_assert_cmpint (token->last_used, ==, BD_STORE_NEVER);
}

/* A database of the first schema opens and is migrated: its users and
 * their tokens sign in as before, now as tokens labelled "tenant file",
 * what refers to the users still does, and its ledger entry has the names.
 */
static void
test_migrate_from_1 (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BdStore) store = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(BdIdempotentAnswer) answer = NULL;
  g_autoptr(BdStoredToken) bo = NULL;
  g_autofree char *insert_users = NULL;
  g_autofree char *anne = NULL;
  g_autofree char *foreign_keys = NULL;
  g_autofree char *anne_hex = NULL;
  g_autofree char *bo_hex = NULL;
  sqlite3 *db = NULL;

  anne_hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ANNE_TOKEN, -1);
  bo_hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, BO_TOKEN, -1);
  insert_users = g_strdup_printf ("INSERT INTO users VALUES ('u1', 'Anne Berg', 1, x'%s'),"
                                  " ('u2', 'Bo Holm', 4, x'%s');", anne_hex, bo_hex);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = WAL; BEGIN", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, schema_1, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, insert_users, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 1; COMMIT", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  store = bd_store_open (f->path, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bd_store_get_schema_version (store), ==, 3);
  foreign_keys = bd_store_sqlite_get_pragma (BD_STORE_SQLITE (store), "foreign_keys", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (foreign_keys, ==, "1");
  g_assert_true (bd_store_check_integrity (store, &error));
  g_assert_no_error (error);

  anne = signed_in (store, ANNE_TOKEN, bd_test_time (NOW));
  g_assert_cmpstr (anne, ==, "u1");

  users = bd_store_list_users (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_false (((BdStoredUser *) g_ptr_array_index (users, 1))->disabled);

  tokens = bd_store_list_tokens (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 2);
  bo = only_token (store, "u2");
  g_assert_cmpstr (bo->label, ==, "tenant file");
  g_assert_cmpuint (strlen (bo->id), ==, 12);
  g_assert_cmpint (bo->expires, ==, BD_STORE_NEVER);
  g_assert_false (bo->revoked);

  /* The ledger and the kept answer still name their user. */
  operations = bd_store_list_operations (store, NULL, BD_OPERATIONS_ORDER_OLDEST, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (operations->len, ==, 1);
  g_assert_cmpstr (((BdStoredOperation *) g_ptr_array_index (operations, 0))->user_id, ==, "u1");
  /* and has the names of now: the schema of then kept none */
  g_assert_cmpstr (((BdStoredOperation *) g_ptr_array_index (operations, 0))->user_display_name,
                   ==, "Anne Berg");
  g_assert_cmpstr (((BdStoredOperation *) g_ptr_array_index (operations, 0))->product_name, ==,
                   "Microsoft 365 E3");
  g_assert_true (bd_store_get_idempotent_answer (store, "u1", "POST /v1/subscriptions/s1/cancel",
                                                 "key-1", 0, &answer, &error));
  g_assert_no_error (error);
  g_assert_nonnull (answer);
}

/* On PostgreSQL, a database of the first schema (made here from a new one,
 * taken back to it) is migrated: its users' tokens sign in as before, now
 * as tokens labelled "tenant file", and the ledger still names its user.
 */
static void
test_pg_migrate_from_1 (Fixture       *f,
                        gconstpointer  data)
{
  static const char back_to_1[] =
    "BEGIN;"
    "ALTER TABLE users ADD COLUMN token_hash BYTEA;"
    "UPDATE users SET token_hash = tokens.token_hash FROM tokens "
    "  WHERE tokens.user_id = users.id;"
    /* The first schema had no user without a token. */
    "DELETE FROM users WHERE token_hash IS NULL;"
    "ALTER TABLE users ALTER COLUMN token_hash SET NOT NULL;"
    "ALTER TABLE users ADD UNIQUE (token_hash);"
    "DROP TABLE tokens;"
    "ALTER TABLE users DROP COLUMN disabled;"
    "ALTER TABLE operations DROP COLUMN user_display_name;"
    "ALTER TABLE operations DROP COLUMN product_name;"
    "UPDATE schema_version SET version = 1;"
    "COMMIT";
  g_autoptr(BdStore) store = open_seeded (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(BdStoredToken) token = NULL;
  g_autofree char *anne = NULL;
  g_autofree char *version = NULL;

  g_assert_finalize_object (g_steal_pointer (&store));
  g_free (bd_test_database_query (f->location, back_to_1));

  store = bd_store_open (f->location, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bd_store_get_schema_version (store), ==, 3);
  version = bd_test_database_query (f->location, "SELECT version FROM schema_version");
  g_assert_cmpstr (version, ==, "3");

  anne = signed_in (store, ANNE_TOKEN, bd_test_time (NOW));
  g_assert_cmpstr (anne, ==, "u1");
  token = only_token (store, "u1");
  g_assert_cmpstr (token->label, ==, "tenant file");
  g_assert_cmpuint (strlen (token->id), ==, 12);
  g_assert_cmpint (token->expires, ==, BD_STORE_NEVER);
  g_assert_false (token->revoked);

  users = bd_store_list_users (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);
  g_assert_false (((BdStoredUser *) g_ptr_array_index (users, 0))->disabled);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (bd_test_database_skip_all ())
    return g_test_run ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/store-tokens/new-token", test_new_token);
  ADD ("/store-tokens/users", test_users);
  ADD ("/store-tokens/sign-in", test_sign_in);
  ADD ("/store-tokens/last-used", test_last_used);
  /* SQLite's write lock and its first schema's file. */
  if (!bd_test_database_is_postgresql ())
    {
      ADD ("/store-tokens/last-used-while-locked", test_last_used_while_locked);
      ADD ("/store-tokens/migrate-from-1", test_migrate_from_1);
    }
  else
    ADD ("/store-tokens/pg/migrate-from-1", test_pg_migrate_from_1);

#undef ADD

  return g_test_run ();
}
