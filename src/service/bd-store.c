/* bd-store.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "bd-store.h"
#include "bd-token.h"

#define BUSY_TIMEOUT_MS        5000
#define INTEGRITY_MESSAGES_MAX 10

/* The migrations below spell these bounds out as SQL literals. */
G_STATIC_ASSERT (BD_TIME_MIN == G_GINT64_CONSTANT (-62135596800));
G_STATIC_ASSERT (BD_TIME_MAX == G_GINT64_CONSTANT (253402300799));
G_STATIC_ASSERT (BD_QUANTITY_MAX == 100000);
G_STATIC_ASSERT (BD_UNIT_PRICE_MAX == 100000000);
G_STATIC_ASSERT (BD_ROLE_USER == 3);

#define TIME_IN_RANGE(column) \
  "CHECK (" column " BETWEEN -62135596800 AND 253402300799)"

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
  /* The list's order (DESIGN.md section 3): BINARY collation compares UTF-8
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
};

#define SCHEMA_VERSION ((gint) G_N_ELEMENTS (migrations))

/* The stored fields of a subscription, in the order of its columns; the
 * insert and the update bind parameter N + 1 to column N.
 */
#define SUBSCRIPTION_COLUMNS \
  "id, product_name, status, is_trial, is_domain_subscription, quantity, " \
  "assigned_licenses, billing_profile_id, billing_frequency, unit_price_amount, " \
  "unit_price_currency, recurring_billing, purchase_channel, start_date, " \
  "last_renewal_date, term_end_date, status_changed_date"

enum {
  COL_ID,
  COL_PRODUCT_NAME,
  COL_STATUS,
  COL_IS_TRIAL,
  COL_IS_DOMAIN_SUBSCRIPTION,
  COL_QUANTITY,
  COL_ASSIGNED_LICENSES,
  COL_BILLING_PROFILE_ID,
  COL_BILLING_FREQUENCY,
  COL_UNIT_PRICE_AMOUNT,
  COL_UNIT_PRICE_CURRENCY,
  COL_RECURRING_BILLING,
  COL_PURCHASE_CHANNEL,
  COL_START_DATE,
  COL_LAST_RENEWAL_DATE,
  COL_TERM_END_DATE,
  COL_STATUS_CHANGED_DATE,
};

#define OPERATION_COLUMNS \
  "seq, id, time, user_id, subscription_id, action, idempotency_key, detail"

typedef enum
{
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_IS_SEEDED,
  STMT_INSERT_TENANT,
  STMT_INSERT_USER,
  STMT_INSERT_BILLING_PROFILE,
  STMT_INSERT_SUBSCRIPTION,
  STMT_INSERT_DOMAIN,
  STMT_INSERT_DOMAIN_SUBSCRIPTION,
  STMT_GET_TENANT,
  STMT_FIND_USER_BY_TOKEN_HASH,
  STMT_GET_SUBSCRIPTION,
  STMT_LIST_SUBSCRIPTIONS,
  STMT_LIST_SUBSCRIPTIONS_AFTER,
  STMT_UPDATE_SUBSCRIPTION,
  STMT_GET_BILLING_PROFILE,
  STMT_LIST_BILLING_PROFILES,
  STMT_LIST_DOMAINS,
  STMT_HAS_DOMAIN_ATTACHED,
  STMT_INSERT_OPERATION,
  STMT_LIST_OPERATIONS,
  STMT_LIST_OPERATIONS_OF_SUBSCRIPTION,
  STMT_GET_IDEMPOTENT_ANSWER,
  STMT_PUT_IDEMPOTENT_ANSWER,
  STMT_FORGET_IDEMPOTENT_ANSWERS,
  STMT_INTEGRITY_CHECK,
  STMT_FOREIGN_KEY_CHECK,
  N_STATEMENTS
} StatementId;

static const char * const statement_sql[N_STATEMENTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_IS_SEEDED] = "SELECT EXISTS (SELECT 1 FROM tenant)",
  [STMT_INSERT_TENANT] =
    "INSERT INTO tenant (id, display_name, cloud, currency) VALUES (1, ?1, ?2, ?3)",
  [STMT_INSERT_USER] =
    "INSERT INTO users (id, display_name, roles, token_hash) VALUES (?1, ?2, ?3, ?4)",
  [STMT_INSERT_BILLING_PROFILE] =
    "INSERT INTO billing_profiles (id, display_name, payment_method) VALUES (?1, ?2, ?3)",
  [STMT_INSERT_SUBSCRIPTION] =
    "INSERT INTO subscriptions (" SUBSCRIPTION_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
  [STMT_INSERT_DOMAIN] = "INSERT INTO domains (name) VALUES (?1)",
  [STMT_INSERT_DOMAIN_SUBSCRIPTION] =
    "INSERT INTO domain_subscriptions (domain_name, subscription_id) VALUES (?1, ?2)",
  [STMT_GET_TENANT] = "SELECT display_name, cloud, currency FROM tenant WHERE id = 1",
  [STMT_FIND_USER_BY_TOKEN_HASH] =
    "SELECT id, display_name, roles, token_hash FROM users",
  [STMT_GET_SUBSCRIPTION] =
    "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions WHERE id = ?1",
  [STMT_LIST_SUBSCRIPTIONS] =
    "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions "
    "ORDER BY product_name, id LIMIT ?1",
  [STMT_LIST_SUBSCRIPTIONS_AFTER] =
    "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions "
    "WHERE (product_name, id) > (?1, ?2) ORDER BY product_name, id LIMIT ?3",
  [STMT_UPDATE_SUBSCRIPTION] =
    "UPDATE subscriptions SET product_name = ?2, status = ?3, is_trial = ?4, "
    "is_domain_subscription = ?5, quantity = ?6, assigned_licenses = ?7, "
    "billing_profile_id = ?8, billing_frequency = ?9, unit_price_amount = ?10, "
    "unit_price_currency = ?11, recurring_billing = ?12, purchase_channel = ?13, "
    "start_date = ?14, last_renewal_date = ?15, term_end_date = ?16, "
    "status_changed_date = ?17 WHERE id = ?1",
  [STMT_GET_BILLING_PROFILE] =
    "SELECT id, display_name, payment_method FROM billing_profiles WHERE id = ?1",
  [STMT_LIST_BILLING_PROFILES] =
    "SELECT id, display_name, payment_method FROM billing_profiles ORDER BY id",
  [STMT_LIST_DOMAINS] =
    "SELECT domains.name, domain_subscriptions.subscription_id FROM domains "
    "LEFT JOIN domain_subscriptions ON domain_subscriptions.domain_name = domains.name "
    "ORDER BY domains.name, domain_subscriptions.subscription_id",
  [STMT_HAS_DOMAIN_ATTACHED] =
    "SELECT EXISTS (SELECT 1 FROM domain_subscriptions WHERE subscription_id = ?1)",
  [STMT_INSERT_OPERATION] =
    "INSERT INTO operations (id, time, user_id, subscription_id, action, idempotency_key, "
    "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  [STMT_LIST_OPERATIONS] =
    "SELECT " OPERATION_COLUMNS " FROM operations WHERE seq > ?1 ORDER BY seq LIMIT ?2",
  [STMT_LIST_OPERATIONS_OF_SUBSCRIPTION] =
    "SELECT " OPERATION_COLUMNS " FROM operations "
    "WHERE subscription_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
  [STMT_GET_IDEMPOTENT_ANSWER] =
    "SELECT fingerprint, status, body, created FROM idempotency "
    "WHERE user_id = ?1 AND endpoint = ?2 AND key = ?3",
  [STMT_PUT_IDEMPOTENT_ANSWER] =
    "INSERT INTO idempotency (user_id, endpoint, key, fingerprint, status, body, created) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  [STMT_FORGET_IDEMPOTENT_ANSWERS] = "DELETE FROM idempotency WHERE created < ?1",
  [STMT_INTEGRITY_CHECK] = "PRAGMA integrity_check",
  [STMT_FOREIGN_KEY_CHECK] = "PRAGMA foreign_key_check",
};

/* The settings bd_store_get_pragma () may read; none of them changes anything. */
static const char * const readable_pragmas[] = {
  "busy_timeout", "foreign_keys", "journal_mode", "synchronous", "user_version",
};

/* What the store was doing when SQLite said no: it picks the message. */
typedef enum
{
  DOING_OPEN,
  DOING_MIGRATE,
  DOING_READ,
  DOING_WRITE,
} Doing;

struct _BdStore
{
  GObject       parent_instance;

  sqlite3      *db;
  sqlite3_stmt *statements[N_STATEMENTS];
  gint          schema_version;
};

G_DEFINE_FINAL_TYPE (BdStore, bd_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (bd-store-error-quark, bd_store_error)

/* A cached statement is only lent out: leaving the scope resets it, so that
 * it holds no read transaction open and steps afresh next time, and clears
 * its bindings, so that no pointer to a caller's string outlives the call.
 */
typedef sqlite3_stmt BorrowedStatement;

static void
release_statement (BorrowedStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BorrowedStatement, release_statement)

/* A statement run once (at open, or a diagnostic): finalized with its scope. */
typedef sqlite3_stmt OwnedStatement;

static void
finalize_statement (OwnedStatement *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwnedStatement, finalize_statement)

/*
 * Helpers
 */

/* Always returns FALSE, so that a caller can `return set_error (...)`. */
static gboolean
set_error (sqlite3     *db,
           Doing        doing,
           GError     **error)
{
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (SQLITE_NOMEM);

  switch (doing)
    {
    case DOING_OPEN:
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be opened: %s"), message);
      break;

    case DOING_MIGRATE:
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be upgraded: %s"), message);
      break;

    case DOING_READ:
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be read: %s"), message);
      break;

    case DOING_WRITE:
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be changed: %s"), message);
      break;

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* A row that passed the CHECKs of this version cannot fail to read back, but
 * a file edited by hand or by a newer service can.
 */
static gboolean
set_unreadable_row_error (const char  *table,
                          GError     **error)
{
  g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
               _("The billing database holds a value this version cannot read, in table “%s”"),
               table);
  return FALSE;
}

static BorrowedStatement *
borrow (BdStore     *self,
        StatementId  id)
{
  return self->statements[id];
}

/* Steps a statement that answers no rows. */
static gboolean
step_done (BdStore            *self,
           BorrowedStatement  *stmt,
           Doing               doing,
           GError            **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_error (self->db, doing, error);

  return TRUE;
}

static const char *
column_str (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           column)
{
  gconstpointer data;
  int size;

  /* The pointer first, then the size: SQLite documents this order. */
  data = sqlite3_column_blob (stmt, column);
  size = sqlite3_column_bytes (stmt, column);

  return g_bytes_new (data, size);
}

static int
bind_bytes (sqlite3_stmt *stmt,
            int           index,
            GBytes       *bytes)
{
  gconstpointer data = NULL;
  gsize size = 0;

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &size);

  /* SQLite binds NULL for a NULL pointer; empty is an empty BLOB here. */
  return sqlite3_bind_blob64 (stmt, index, data != NULL ? data : "", size, SQLITE_STATIC);
}

/* Runs fixed SQL that carries no values: the setup at open and the
 * migrations, which may hold several statements.
 */
static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          Doing        doing,
          GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_error (db, doing, error);

  return TRUE;
}

/* Runs a statement of fixed text once and hands back its first column of its
 * first row as text (NULL when it answered no row).
 */
static gboolean
query_text (sqlite3     *db,
            const char  *sql,
            Doing        doing,
            char       **value,
            GError     **error)
{
  g_autoptr(OwnedStatement) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v3 (db, sql, -1, 0, &stmt, NULL) != SQLITE_OK)
    return set_error (db, doing, error);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = column_dup (stmt, 0);
  else if (rc == SQLITE_DONE)
    *value = NULL;
  else
    return set_error (db, doing, error);

  return TRUE;
}

static gboolean
read_user_version (sqlite3     *db,
                   gint        *version,
                   GError     **error)
{
  g_autoptr(OwnedStatement) stmt = NULL;

  if (sqlite3_prepare_v3 (db, "PRAGMA user_version", -1, 0, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return set_error (db, DOING_OPEN, error);

  *version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
set_newer_schema_error (gint     version,
                        GError **error)
{
  g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NEWER_SCHEMA,
               /* Translators: the numbers are versions of the database's layout */
               _("The billing database was written by a newer version of the service "
                 "(layout %1$d; this version knows up to %2$d)"),
               version, SCHEMA_VERSION);
  return FALSE;
}

/* Brings the schema up to SCHEMA_VERSION, one step per transaction, so that
 * an interrupted upgrade leaves a database at some whole version. The version
 * is read again under the write lock: another process may have upgraded it
 * while this one waited.
 */
static gboolean
migrate (sqlite3  *db,
         gint     *version,
         GError  **error)
{
  if (!read_user_version (db, version, error))
    return FALSE;

  while (*version < SCHEMA_VERSION)
    {
      g_autofree char *set_version = NULL;

      if (!exec_sql (db, "BEGIN IMMEDIATE", DOING_MIGRATE, error))
        return FALSE;

      if (!read_user_version (db, version, error))
        goto fail;

      if (*version >= SCHEMA_VERSION)
        {
          if (!exec_sql (db, "COMMIT", DOING_MIGRATE, error))
            goto fail;
          break;
        }

      /* PRAGMA takes no bound parameters; the number is the store's own. */
      set_version = g_strdup_printf ("PRAGMA user_version = %d", *version + 1);

      if (!exec_sql (db, migrations[*version], DOING_MIGRATE, error) ||
          !exec_sql (db, set_version, DOING_MIGRATE, error) ||
          !exec_sql (db, "COMMIT", DOING_MIGRATE, error))
        goto fail;

      g_debug ("Upgraded the billing database to layout %d", *version + 1);
      *version += 1;
    }

  if (*version > SCHEMA_VERSION)
    return set_newer_schema_error (*version, error);

  return TRUE;

fail:
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
bind_subscription (BorrowedStatement        *stmt,
                   const BdSubscriptionData *data)
{
  return sqlite3_bind_text (stmt, COL_ID + 1, data->id, -1, SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_PRODUCT_NAME + 1, data->product_name, -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_STATUS + 1, bd_status_to_string (data->status), -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_int (stmt, COL_IS_TRIAL + 1, data->is_trial ? 1 : 0) == SQLITE_OK &&
         sqlite3_bind_int (stmt, COL_IS_DOMAIN_SUBSCRIPTION + 1,
                           data->is_domain_subscription ? 1 : 0) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_QUANTITY + 1, data->quantity) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_ASSIGNED_LICENSES + 1,
                             data->assigned_licenses) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_BILLING_PROFILE_ID + 1, data->billing_profile_id, -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_BILLING_FREQUENCY + 1,
                            bd_billing_frequency_to_string (data->billing_frequency), -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_UNIT_PRICE_AMOUNT + 1,
                             data->unit_price.amount) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_UNIT_PRICE_CURRENCY + 1, data->unit_price.currency, -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_RECURRING_BILLING + 1,
                            bd_recurring_billing_to_string (data->recurring_billing), -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_PURCHASE_CHANNEL + 1,
                            bd_purchase_channel_to_string (data->purchase_channel), -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_START_DATE + 1, data->start_date) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_LAST_RENEWAL_DATE + 1,
                             data->last_renewal_date) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_TERM_END_DATE + 1, data->term_end_date) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_STATUS_CHANGED_DATE + 1,
                             data->status_changed_date) == SQLITE_OK;
}

/* A row of SUBSCRIPTION_COLUMNS; the API's annotations stay at "none". */
static BdSubscriptionData *
read_subscription (sqlite3_stmt  *stmt,
                   GError       **error)
{
  g_autoptr(BdSubscriptionData) data = bd_subscription_data_new ();
  const char *currency = column_str (stmt, COL_UNIT_PRICE_CURRENCY);
  gint64 quantity = sqlite3_column_int64 (stmt, COL_QUANTITY);
  gint64 assigned = sqlite3_column_int64 (stmt, COL_ASSIGNED_LICENSES);

  if (!bd_status_from_string (column_str (stmt, COL_STATUS), &data->status) ||
      !bd_billing_frequency_from_string (column_str (stmt, COL_BILLING_FREQUENCY),
                                         &data->billing_frequency) ||
      !bd_recurring_billing_from_string (column_str (stmt, COL_RECURRING_BILLING),
                                         &data->recurring_billing) ||
      !bd_purchase_channel_from_string (column_str (stmt, COL_PURCHASE_CHANNEL),
                                        &data->purchase_channel) ||
      !bd_currency_is_valid (currency) ||
      quantity < 0 || quantity > G_MAXUINT || assigned < 0 || assigned > G_MAXUINT)
    {
      set_unreadable_row_error ("subscriptions", error);
      return NULL;
    }

  data->id = column_dup (stmt, COL_ID);
  data->product_name = column_dup (stmt, COL_PRODUCT_NAME);
  data->is_trial = sqlite3_column_int (stmt, COL_IS_TRIAL) != 0;
  data->is_domain_subscription = sqlite3_column_int (stmt, COL_IS_DOMAIN_SUBSCRIPTION) != 0;
  data->quantity = (guint) quantity;
  data->assigned_licenses = (guint) assigned;
  data->billing_profile_id = column_dup (stmt, COL_BILLING_PROFILE_ID);
  bd_money_init (&data->unit_price, sqlite3_column_int64 (stmt, COL_UNIT_PRICE_AMOUNT),
                 currency);
  data->start_date = sqlite3_column_int64 (stmt, COL_START_DATE);
  data->last_renewal_date = sqlite3_column_int64 (stmt, COL_LAST_RENEWAL_DATE);
  data->term_end_date = sqlite3_column_int64 (stmt, COL_TERM_END_DATE);
  data->status_changed_date = sqlite3_column_int64 (stmt, COL_STATUS_CHANGED_DATE);

  return g_steal_pointer (&data);
}

/* Columns id, display_name, payment_method. */
static BdBillingProfile *
read_billing_profile (sqlite3_stmt  *stmt,
                      GError       **error)
{
  BdPaymentMethod payment_method;

  if (!bd_payment_method_from_string (column_str (stmt, 2), &payment_method))
    {
      set_unreadable_row_error ("billing_profiles", error);
      return NULL;
    }

  return bd_billing_profile_new (column_str (stmt, 0), column_str (stmt, 1), payment_method);
}

/* A row of OPERATION_COLUMNS. */
static BdOperation *
read_operation (sqlite3_stmt *stmt)
{
  BdOperation *operation = g_new0 (BdOperation, 1);

  operation->seq = sqlite3_column_int64 (stmt, 0);
  operation->id = column_dup (stmt, 1);
  operation->time = sqlite3_column_int64 (stmt, 2);
  operation->user_id = column_dup (stmt, 3);
  operation->subscription_id = column_dup (stmt, 4);
  operation->action = column_dup (stmt, 5);
  operation->idempotency_key = column_dup (stmt, 6);
  operation->detail = column_dup (stmt, 7);

  return operation;
}

static void
add_domain (GPtrArray *domains,
            char      *name,
            GPtrArray *ids)
{
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (domains, bd_domain_new (name, (const char * const *) ids->pdata));
}

/* Whether the tenant row exists, apart from whether the question failed. */
static gboolean
query_is_seeded (BdStore   *self,
                 gboolean  *seeded,
                 GError   **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_IS_SEEDED);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_error (self->db, DOING_READ, error);

  *seeded = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

static gboolean
seed_tenant (BdStore   *self,
             BdTenant  *tenant,
             GError   **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_TENANT);

  if (sqlite3_bind_text (stmt, 1, bd_tenant_get_display_name (tenant), -1,
                         SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, bd_cloud_to_string (bd_tenant_get_cloud (tenant)), -1,
                         SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, bd_tenant_get_currency (tenant), -1,
                         SQLITE_STATIC) != SQLITE_OK)
    return set_error (self->db, DOING_WRITE, error);

  return step_done (self, stmt, DOING_WRITE, error);
}

static gboolean
seed_user (BdStore     *self,
           BdUser      *user,
           const char  *token,
           GError     **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_USER);
  guint8 token_hash[BD_TOKEN_HASH_LENGTH];

  bd_token_hash (token, token_hash);

  if (sqlite3_bind_text (stmt, 1, bd_user_get_id (user), -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, bd_user_get_display_name (user), -1,
                         SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 3, bd_user_get_roles (user)) != SQLITE_OK ||
      sqlite3_bind_blob (stmt, 4, token_hash, sizeof token_hash, SQLITE_TRANSIENT) != SQLITE_OK)
    return set_error (self->db, DOING_WRITE, error);

  return step_done (self, stmt, DOING_WRITE, error);
}

static gboolean
seed_billing_profile (BdStore           *self,
                      BdBillingProfile  *profile,
                      GError           **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_BILLING_PROFILE);
  BdPaymentMethod payment_method = bd_billing_profile_get_payment_method (profile);

  if (sqlite3_bind_text (stmt, 1, bd_billing_profile_get_id (profile), -1,
                         SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, bd_billing_profile_get_display_name (profile), -1,
                         SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, bd_payment_method_to_string (payment_method), -1,
                         SQLITE_STATIC) != SQLITE_OK)
    return set_error (self->db, DOING_WRITE, error);

  return step_done (self, stmt, DOING_WRITE, error);
}

static gboolean
seed_subscription (BdStore                   *self,
                   const BdSubscriptionData  *data,
                   GError                   **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_SUBSCRIPTION);

  if (!bind_subscription (stmt, data))
    return set_error (self->db, DOING_WRITE, error);

  return step_done (self, stmt, DOING_WRITE, error);
}

static gboolean
seed_domain (BdStore   *self,
             BdDomain  *domain,
             GError   **error)
{
  const char *name = bd_domain_get_name (domain);
  const char * const *ids = bd_domain_get_subscription_ids (domain);

  {
    g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_DOMAIN);

    if (sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC) != SQLITE_OK)
      return set_error (self->db, DOING_WRITE, error);

    if (!step_done (self, stmt, DOING_WRITE, error))
      return FALSE;
  }

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_DOMAIN_SUBSCRIPTION);

      if (sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC) != SQLITE_OK ||
          sqlite3_bind_text (stmt, 2, ids[i], -1, SQLITE_STATIC) != SQLITE_OK)
        return set_error (self->db, DOING_WRITE, error);

      if (!step_done (self, stmt, DOING_WRITE, error))
        return FALSE;
    }

  return TRUE;
}

/* Everything but the transaction around it; the order follows the foreign
 * keys: subscriptions name billing profiles, domain links name subscriptions.
 */
static gboolean
seed_all (BdStore       *self,
          BdTenantFile  *file,
          GError       **error)
{
  if (!seed_tenant (self, file->tenant, error))
    return FALSE;

  for (guint i = 0; i < file->users->len; i++)
    {
      if (!seed_user (self, g_ptr_array_index (file->users, i),
                      g_ptr_array_index (file->tokens, i), error))
        return FALSE;
    }

  for (guint i = 0; i < file->billing_profiles->len; i++)
    {
      if (!seed_billing_profile (self, g_ptr_array_index (file->billing_profiles, i), error))
        return FALSE;
    }

  for (guint i = 0; i < file->subscriptions->len; i++)
    {
      if (!seed_subscription (self, g_ptr_array_index (file->subscriptions, i), error))
        return FALSE;
    }

  for (guint i = 0; i < file->domains->len; i++)
    {
      if (!seed_domain (self, g_ptr_array_index (file->domains, i), error))
        return FALSE;
    }

  return TRUE;
}

/*
 * GObject overrides
 */

static void
bd_store_dispose (GObject *object)
{
  BdStore *self = (BdStore *) object;

  for (guint i = 0; i < N_STATEMENTS; i++)
    {
      sqlite3_finalize (self->statements[i]);
      self->statements[i] = NULL;
    }

  /* Closing the last connection checkpoints the WAL into the file. */
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("The billing database did not close cleanly: %s", sqlite3_errmsg (self->db));
  self->db = NULL;

  G_OBJECT_CLASS (bd_store_parent_class)->dispose (object);
}

static void
bd_store_class_init (BdStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bd_store_dispose;
}

static void
bd_store_init (BdStore *self)
{
}

/*
 * Public API
 */

/**
 * bd_store_open:
 * @path: the database file; created, with its schema, when missing
 * @durability: %BD_STORE_SCRATCH only for fuzzers and benchmarks
 *
 * Opens the database in WAL mode with foreign keys on, and brings its schema
 * up to this version's.
 *
 * Returns: (transfer full): the store, or %NULL with
 *   %BD_STORE_ERROR_NEWER_SCHEMA when a newer service wrote the file, or
 *   %BD_STORE_ERROR_FAILED
 */
BdStore *
bd_store_open (const char         *path,
               BdStoreDurability   durability,
               GError            **error)
{
  g_autoptr(BdStore) self = NULL;
  g_autofree char *journal_mode = NULL;
  sqlite3 *db = NULL;
  const char *synchronous;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* One thread uses a store: SQLite's own mutexes would only cost. */
  if (sqlite3_open_v2 (path, &db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                       SQLITE_OPEN_EXRESCODE,
                       NULL) != SQLITE_OK)
    {
      set_error (db, DOING_OPEN, error);
      sqlite3_close (db);
      return NULL;
    }

  self = g_object_new (BD_TYPE_STORE, NULL);
  self->db = db;

  /* Wait out another process's write (a backup, an upgrade) rather than fail. */
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* A file that is not a database fails here, at the first read. */
  if (!query_text (self->db, "PRAGMA journal_mode = WAL", DOING_OPEN, &journal_mode, error))
    return NULL;

  /* An in-memory database (":memory:") has no WAL; anything else must. */
  if (g_strcmp0 (journal_mode, "wal") != 0 && g_strcmp0 (journal_mode, "memory") != 0)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be opened: %s"),
                   "write-ahead logging is not available");
      return NULL;
    }

  synchronous = durability == BD_STORE_SCRATCH ? "PRAGMA synchronous = OFF"
                                               : "PRAGMA synchronous = FULL";

  /* A page cache of 16 MiB rather than 2: a large tenant's indexes stay in
   * memory, which makes seeding 100,000 subscriptions a third faster.
   */
  if (!exec_sql (self->db, synchronous, DOING_OPEN, error) ||
      !exec_sql (self->db, "PRAGMA foreign_keys = ON", DOING_OPEN, error) ||
      !exec_sql (self->db, "PRAGMA cache_size = -16384", DOING_OPEN, error))
    return NULL;

  if (!migrate (self->db, &self->schema_version, error))
    return NULL;

  /* Every statement is prepared now: a schema this code does not match fails
   * at open, not in the middle of a request.
   */
  for (guint i = 0; i < N_STATEMENTS; i++)
    {
      if (sqlite3_prepare_v3 (self->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                              &self->statements[i], NULL) != SQLITE_OK)
        {
          set_error (self->db, DOING_OPEN, error);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

/**
 * bd_store_get_schema_version:
 *
 * Returns: the version of the database's schema (its `user_version`)
 */
gint
bd_store_get_schema_version (BdStore *self)
{
  g_return_val_if_fail (BD_IS_STORE (self), 0);

  return self->schema_version;
}

/**
 * bd_store_get_pragma:
 * @name: one of `busy_timeout`, `foreign_keys`, `journal_mode`,
 *   `synchronous`, `user_version`
 *
 * Reads one of the connection's settings, for diagnostics and tests.
 *
 * Returns: (transfer full): its value as SQLite answers it, as text
 *   (`synchronous` is `2` for FULL, `0` for OFF), or %NULL with an error
 */
char *
bd_store_get_pragma (BdStore     *self,
                     const char  *name,
                     GError     **error)
{
  g_autofree char *sql = NULL;
  char *value = NULL;
  gboolean known = FALSE;

  g_return_val_if_fail (BD_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (readable_pragmas); i++)
    known = known || strcmp (readable_pragmas[i], name) == 0;

  /* Only a listed name reaches the SQL: a PRAGMA takes no bound parameters. */
  g_return_val_if_fail (known, NULL);

  sql = g_strdup_printf ("PRAGMA %s", name);
  if (!query_text (self->db, sql, DOING_READ, &value, error))
    return NULL;

  return value;
}

/**
 * bd_store_is_seeded:
 *
 * Returns: whether the database holds a tenant; %FALSE with @error set when
 *   that could not be read
 */
gboolean
bd_store_is_seeded (BdStore  *self,
                    GError  **error)
{
  gboolean seeded = FALSE;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  if (!query_is_seeded (self, &seeded, error))
    return FALSE;

  return seeded;
}

/**
 * bd_store_seed:
 *
 * Stores a whole tenant file in one transaction of its own (so not inside
 * bd_store_begin ()): either all of it or, on any error, nothing.
 *
 * Returns: whether it was stored; %BD_STORE_ERROR_SEEDED when the database
 *   holds a tenant already
 */
gboolean
bd_store_seed (BdStore       *self,
               BdTenantFile  *file,
               GError       **error)
{
  gboolean seeded = FALSE;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (file != NULL && file->tenant != NULL, FALSE);
  g_return_val_if_fail (file->users->len == file->tokens->len, FALSE);

  if (!bd_store_begin (self, error))
    return FALSE;

  /* Asked under the write lock that BEGIN IMMEDIATE took, so no other
   * process can seed between the question and the inserts.
   */
  if (!query_is_seeded (self, &seeded, error))
    goto fail;

  if (seeded)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_SEEDED,
                   _("The billing database holds a tenant already"));
      goto fail;
    }

  if (!seed_all (self, file, error) || !bd_store_commit (self, error))
    goto fail;

  return TRUE;

fail:
  bd_store_rollback (self);
  return FALSE;
}

/**
 * bd_store_check_integrity:
 *
 * Runs SQLite's integrity check and its foreign key check.
 *
 * Returns: whether the database is sound; if not, the error says where not
 */
gboolean
bd_store_check_integrity (BdStore  *self,
                          GError  **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  int rc;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  {
    g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INTEGRITY_CHECK);

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *line = column_str (stmt, 0);

        if (strcmp (line, "ok") != 0 && problems->len < INTEGRITY_MESSAGES_MAX)
          g_ptr_array_add (problems, g_strdup (line));
      }

    if (rc != SQLITE_DONE)
      return set_error (self->db, DOING_READ, error);
  }

  {
    g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_FOREIGN_KEY_CHECK);

    /* Columns: table, rowid, parent table, foreign key index. */
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        if (problems->len < INTEGRITY_MESSAGES_MAX)
          g_ptr_array_add (problems,
                           g_strdup_printf ("row %" G_GINT64_FORMAT " of %s names a missing "
                                            "row of %s",
                                            (gint64) sqlite3_column_int64 (stmt, 1),
                                            column_str (stmt, 0), column_str (stmt, 2)));
      }

    if (rc != SQLITE_DONE)
      return set_error (self->db, DOING_READ, error);
  }

  if (problems->len == 0)
    return TRUE;

  g_ptr_array_add (problems, NULL);
  joined = g_strjoinv ("; ", (char **) problems->pdata);
  g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
               _("The billing database is damaged: %s"), joined);
  return FALSE;
}

/**
 * bd_store_begin:
 *
 * Starts a transaction that holds the write lock from the start, so that
 * what it reads cannot change before it commits.
 */
gboolean
bd_store_begin (BdStore  *self,
                GError  **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  stmt = borrow (self, STMT_BEGIN);
  return step_done (self, stmt, DOING_WRITE, error);
}

/**
 * bd_store_commit:
 *
 * On failure the transaction may still be open: call bd_store_rollback ().
 */
gboolean
bd_store_commit (BdStore  *self,
                 GError  **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  stmt = borrow (self, STMT_COMMIT);
  return step_done (self, stmt, DOING_WRITE, error);
}

/**
 * bd_store_rollback:
 *
 * Discards the open transaction, if there is one; safe to call after a
 * failed commit or when SQLite already rolled back by itself.
 */
void
bd_store_rollback (BdStore *self)
{
  g_autoptr(BorrowedStatement) stmt = NULL;

  g_return_if_fail (BD_IS_STORE (self));

  if (sqlite3_get_autocommit (self->db))
    return;

  stmt = borrow (self, STMT_ROLLBACK);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_debug ("Rolling back failed: %s", sqlite3_errmsg (self->db));
}

/* Steps @stmt, which answers at most one row: %FALSE with @error set when
 * SQLite failed, else *found says whether the row is there to read.
 */
static gboolean
step_one_row (BdStore       *self,
              sqlite3_stmt  *stmt,
              gboolean      *found,
              GError       **error)
{
  int rc = sqlite3_step (stmt);

  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;

  set_error (self->db, DOING_READ, error);
  return FALSE;
}

/**
 * bd_store_get_tenant:
 *
 * Returns: (transfer full): the tenant, or %NULL with
 *   %BD_STORE_ERROR_NOT_SEEDED or %BD_STORE_ERROR_FAILED
 */
BdTenant *
bd_store_get_tenant (BdStore  *self,
                     GError  **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;
  const char *currency;
  BdCloud cloud;
  int rc;

  g_return_val_if_fail (BD_IS_STORE (self), NULL);

  stmt = borrow (self, STMT_GET_TENANT);
  rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_SEEDED,
                   _("The billing database holds no tenant yet"));
      return NULL;
    }

  if (rc != SQLITE_ROW)
    {
      set_error (self->db, DOING_READ, error);
      return NULL;
    }

  currency = column_str (stmt, 2);
  if (!bd_cloud_from_string (column_str (stmt, 1), &cloud) || !bd_currency_is_valid (currency))
    {
      set_unreadable_row_error ("tenant", error);
      return NULL;
    }

  return bd_tenant_new (column_str (stmt, 0), cloud, currency);
}

/**
 * bd_store_find_user_by_token:
 *
 * Returns: (transfer full) (nullable): the user whose token @token is, or
 *   %NULL: with no error when no user has it
 */
BdUser *
bd_store_find_user_by_token (BdStore     *self,
                             const char  *token,
                             GError     **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;
  g_autoptr(BdUser) found = NULL;
  guint8 token_hash[BD_TOKEN_HASH_LENGTH];
  int rc;

  g_return_val_if_fail (BD_IS_STORE (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  bd_token_hash (token, token_hash);

  /* Every user's hash is compared in constant time, and the loop goes on
   * after a match: how long it takes says nothing of how close a guess
   * came (an index lookup would compare byte by byte). A tenant has few
   * users with tokens.
   */
  stmt = borrow (self, STMT_FIND_USER_BY_TOKEN_HASH);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const guint8 *stored = sqlite3_column_blob (stmt, 3);
      gboolean equal;

      if (stored == NULL || sqlite3_column_bytes (stmt, 3) != BD_TOKEN_HASH_LENGTH)
        {
          set_unreadable_row_error ("users", error);
          return NULL;
        }

      equal = bd_token_hash_equal (stored, token_hash);
      if (equal && found == NULL)
        found = bd_user_new (column_str (stmt, 0), column_str (stmt, 1),
                             (guint) sqlite3_column_int64 (stmt, 2));
    }

  if (rc != SQLITE_DONE)
    {
      set_error (self->db, DOING_READ, error);
      return NULL;
    }

  return g_steal_pointer (&found);
}

/**
 * bd_store_get_subscription:
 *
 * Returns: (transfer full) (nullable): the stored fields of subscription @id,
 *   its API annotations at their "none" values; %NULL with no error when
 *   there is no such subscription
 */
BdSubscriptionData *
bd_store_get_subscription (BdStore     *self,
                           const char  *id,
                           GError     **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;
  gboolean found;

  g_return_val_if_fail (BD_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = borrow (self, STMT_GET_SUBSCRIPTION);
  if (sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
    {
      set_error (self->db, DOING_READ, error);
      return NULL;
    }

  if (!step_one_row (self, stmt, &found, error) || !found)
    return NULL;

  return read_subscription (stmt, error);
}

/**
 * bd_store_list_subscriptions:
 * @after_product_name: (nullable): the product name of the last row of the
 *   previous page, or %NULL for the first page
 * @after_id: (nullable): that row's id; %NULL exactly when @after_product_name is
 * @limit: the most rows to answer
 *
 * A page of subscriptions in the order of the list: product name, then id,
 * by code point. Rows strictly after the cursor, so that a page never repeats
 * or skips a row, whatever changed since the previous one.
 *
 * Returns: (transfer container) (element-type BdSubscriptionData): the page
 */
GPtrArray *
bd_store_list_subscriptions (BdStore     *self,
                             const char  *after_product_name,
                             const char  *after_id,
                             guint        limit,
                             GError     **error)
{
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(BorrowedStatement) stmt = NULL;
  gboolean bound;
  int rc;

  g_return_val_if_fail (BD_IS_STORE (self), NULL);
  g_return_val_if_fail ((after_product_name == NULL) == (after_id == NULL), NULL);

  page = g_ptr_array_new_with_free_func ((GDestroyNotify) bd_subscription_data_free);

  if (after_product_name == NULL)
    {
      stmt = borrow (self, STMT_LIST_SUBSCRIPTIONS);
      bound = sqlite3_bind_int64 (stmt, 1, limit) == SQLITE_OK;
    }
  else
    {
      stmt = borrow (self, STMT_LIST_SUBSCRIPTIONS_AFTER);
      bound = sqlite3_bind_text (stmt, 1, after_product_name, -1, SQLITE_STATIC) == SQLITE_OK &&
              sqlite3_bind_text (stmt, 2, after_id, -1, SQLITE_STATIC) == SQLITE_OK &&
              sqlite3_bind_int64 (stmt, 3, limit) == SQLITE_OK;
    }

  if (!bound)
    {
      set_error (self->db, DOING_READ, error);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BdSubscriptionData *data = read_subscription (stmt, error);

      if (data == NULL)
        return NULL;

      g_ptr_array_add (page, data);
    }

  if (rc != SQLITE_DONE)
    {
      set_error (self->db, DOING_READ, error);
      return NULL;
    }

  return g_steal_pointer (&page);
}

/**
 * bd_store_put_subscription:
 *
 * Writes every stored field of the subscription with @data's id, which must
 * exist; the API annotations of @data are not stored.
 */
gboolean
bd_store_put_subscription (BdStore                   *self,
                           const BdSubscriptionData  *data,
                           GError                   **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (data != NULL && data->id != NULL, FALSE);

  stmt = borrow (self, STMT_UPDATE_SUBSCRIPTION);
  if (!bind_subscription (stmt, data))
    return set_error (self->db, DOING_WRITE, error);

  if (!step_done (self, stmt, DOING_WRITE, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be changed: %s"),
                   "no such subscription");
      return FALSE;
    }

  return TRUE;
}

/**
 * bd_store_get_billing_profile:
 *
 * Returns: (transfer full) (nullable): billing profile @id, or %NULL: with
 *   no error when there is none
 */
BdBillingProfile *
bd_store_get_billing_profile (BdStore     *self,
                              const char  *id,
                              GError     **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;
  gboolean found;

  g_return_val_if_fail (BD_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = borrow (self, STMT_GET_BILLING_PROFILE);
  if (sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
    {
      set_error (self->db, DOING_READ, error);
      return NULL;
    }

  if (!step_one_row (self, stmt, &found, error) || !found)
    return NULL;

  return read_billing_profile (stmt, error);
}

/**
 * bd_store_list_billing_profiles:
 *
 * Returns: (transfer container) (element-type BdBillingProfile): every
 *   billing profile, ordered by id
 */
GPtrArray *
bd_store_list_billing_profiles (BdStore  *self,
                                GError  **error)
{
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(BorrowedStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (BD_IS_STORE (self), NULL);

  profiles = g_ptr_array_new_with_free_func (g_object_unref);
  stmt = borrow (self, STMT_LIST_BILLING_PROFILES);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BdBillingProfile *profile = read_billing_profile (stmt, error);

      if (profile == NULL)
        return NULL;

      g_ptr_array_add (profiles, profile);
    }

  if (rc != SQLITE_DONE)
    {
      set_error (self->db, DOING_READ, error);
      return NULL;
    }

  return g_steal_pointer (&profiles);
}

/**
 * bd_store_list_domains:
 *
 * Returns: (transfer container) (element-type BdDomain): every domain,
 *   ordered by name, each with its subscription ids in order
 */
GPtrArray *
bd_store_list_domains (BdStore  *self,
                       GError  **error)
{
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(BorrowedStatement) stmt = NULL;
  g_autofree char *name = NULL;
  int rc;

  g_return_val_if_fail (BD_IS_STORE (self), NULL);

  domains = g_ptr_array_new_with_free_func (g_object_unref);
  stmt = borrow (self, STMT_LIST_DOMAINS);

  /* One row per link, or one with a NULL id for a domain with none. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *row_name = column_str (stmt, 0);

      if (name == NULL || strcmp (name, row_name) != 0)
        {
          if (name != NULL)
            add_domain (domains, name, ids);

          g_free (name);
          name = g_strdup (row_name);
          g_clear_pointer (&ids, g_ptr_array_unref);
          ids = g_ptr_array_new_with_free_func (g_free);
        }

      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        g_ptr_array_add (ids, column_dup (stmt, 1));
    }

  if (rc != SQLITE_DONE)
    {
      set_error (self->db, DOING_READ, error);
      return NULL;
    }

  if (name != NULL)
    add_domain (domains, name, ids);

  return g_steal_pointer (&domains);
}

/**
 * bd_store_has_domain_attached:
 * @attached: (out): whether a domain lists @subscription_id (rule 5)
 */
gboolean
bd_store_has_domain_attached (BdStore     *self,
                              const char  *subscription_id,
                              gboolean    *attached,
                              GError     **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (subscription_id != NULL, FALSE);
  g_return_val_if_fail (attached != NULL, FALSE);

  stmt = borrow (self, STMT_HAS_DOMAIN_ATTACHED);
  if (sqlite3_bind_text (stmt, 1, subscription_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return set_error (self->db, DOING_READ, error);

  *attached = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

/**
 * bd_store_add_operation:
 * @operation: the entry; its `seq` is set, and its `id` when it was %NULL
 *
 * Appends an entry to the ledger. A %NULL `detail` is stored as `{}`.
 */
gboolean
bd_store_add_operation (BdStore      *self,
                        BdOperation  *operation,
                        GError      **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;
  g_autofree char *generated_id = NULL;
  const char *id;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (operation != NULL, FALSE);
  g_return_val_if_fail (operation->user_id != NULL, FALSE);
  g_return_val_if_fail (operation->subscription_id != NULL, FALSE);
  g_return_val_if_fail (operation->action != NULL, FALSE);

  if (operation->id == NULL)
    generated_id = g_uuid_string_random ();
  id = operation->id != NULL ? operation->id : generated_id;

  stmt = borrow (self, STMT_INSERT_OPERATION);
  if (sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 2, operation->time) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, operation->user_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 4, operation->subscription_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 5, operation->action, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 6, operation->idempotency_key, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 7, operation->detail != NULL ? operation->detail : "{}", -1,
                         SQLITE_STATIC) != SQLITE_OK)
    return set_error (self->db, DOING_WRITE, error);

  if (!step_done (self, stmt, DOING_WRITE, error))
    return FALSE;

  /* Only a stored entry gets its id and place. */
  operation->seq = sqlite3_last_insert_rowid (self->db);
  if (generated_id != NULL)
    operation->id = g_steal_pointer (&generated_id);

  return TRUE;
}

/**
 * bd_store_list_operations:
 * @subscription_id: (nullable): only this subscription's entries, or %NULL
 *   for the whole ledger
 * @after_seq: answer entries after this one (0: from the start)
 * @limit: the most entries to answer
 *
 * Returns: (transfer container) (element-type BdOperation): the entries,
 *   oldest first
 */
GPtrArray *
bd_store_list_operations (BdStore     *self,
                          const char  *subscription_id,
                          gint64       after_seq,
                          guint        limit,
                          GError     **error)
{
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(BorrowedStatement) stmt = NULL;
  gboolean bound;
  int rc;

  g_return_val_if_fail (BD_IS_STORE (self), NULL);

  operations = g_ptr_array_new_with_free_func ((GDestroyNotify) bd_operation_free);

  /* Two statements rather than `?1 IS NULL OR ...`, which no index serves. */
  if (subscription_id == NULL)
    {
      stmt = borrow (self, STMT_LIST_OPERATIONS);
      bound = sqlite3_bind_int64 (stmt, 1, after_seq) == SQLITE_OK &&
              sqlite3_bind_int64 (stmt, 2, limit) == SQLITE_OK;
    }
  else
    {
      stmt = borrow (self, STMT_LIST_OPERATIONS_OF_SUBSCRIPTION);
      bound = sqlite3_bind_text (stmt, 1, subscription_id, -1, SQLITE_STATIC) == SQLITE_OK &&
              sqlite3_bind_int64 (stmt, 2, after_seq) == SQLITE_OK &&
              sqlite3_bind_int64 (stmt, 3, limit) == SQLITE_OK;
    }

  if (!bound)
    {
      set_error (self->db, DOING_READ, error);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (operations, read_operation (stmt));

  if (rc != SQLITE_DONE)
    {
      set_error (self->db, DOING_READ, error);
      return NULL;
    }

  return g_steal_pointer (&operations);
}

/**
 * bd_store_get_idempotent_answer:
 * @answer: (out) (transfer full) (nullable): the stored answer, or %NULL
 *   when there is none
 *
 * Returns: %FALSE only on error
 */
gboolean
bd_store_get_idempotent_answer (BdStore             *self,
                                const char          *user_id,
                                const char          *endpoint,
                                const char          *key,
                                BdIdempotentAnswer **answer,
                                GError             **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;
  BdIdempotentAnswer *found;
  gboolean row;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL && endpoint != NULL && key != NULL, FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);

  *answer = NULL;

  stmt = borrow (self, STMT_GET_IDEMPOTENT_ANSWER);
  if (sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, endpoint, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, key, -1, SQLITE_STATIC) != SQLITE_OK)
    return set_error (self->db, DOING_READ, error);

  if (!step_one_row (self, stmt, &row, error))
    return FALSE;
  if (!row)
    return TRUE;

  found = g_new0 (BdIdempotentAnswer, 1);
  found->fingerprint = column_bytes (stmt, 0);
  found->status = (guint) sqlite3_column_int (stmt, 1);
  found->body = column_bytes (stmt, 2);
  found->created = sqlite3_column_int64 (stmt, 3);

  *answer = found;
  return TRUE;
}

/**
 * bd_store_put_idempotent_answer:
 *
 * Stores the answer under (@user_id, @endpoint, @key); storing a second
 * answer under the same key is an error. A %NULL body is stored as empty.
 */
gboolean
bd_store_put_idempotent_answer (BdStore                   *self,
                                const char                *user_id,
                                const char                *endpoint,
                                const char                *key,
                                const BdIdempotentAnswer  *answer,
                                GError                   **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL && endpoint != NULL && key != NULL, FALSE);
  g_return_val_if_fail (answer != NULL && answer->fingerprint != NULL, FALSE);

  stmt = borrow (self, STMT_PUT_IDEMPOTENT_ANSWER);
  if (sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, endpoint, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, key, -1, SQLITE_STATIC) != SQLITE_OK ||
      bind_bytes (stmt, 4, answer->fingerprint) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 5, answer->status) != SQLITE_OK ||
      bind_bytes (stmt, 6, answer->body) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 7, answer->created) != SQLITE_OK)
    return set_error (self->db, DOING_WRITE, error);

  return step_done (self, stmt, DOING_WRITE, error);
}

/**
 * bd_store_forget_idempotent_answers:
 * @created_before: answers stored before this time go
 */
gboolean
bd_store_forget_idempotent_answers (BdStore  *self,
                                    gint64    created_before,
                                    GError  **error)
{
  g_autoptr(BorrowedStatement) stmt = NULL;

  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  stmt = borrow (self, STMT_FORGET_IDEMPOTENT_ANSWERS);
  if (sqlite3_bind_int64 (stmt, 1, created_before) != SQLITE_OK)
    return set_error (self->db, DOING_WRITE, error);

  return step_done (self, stmt, DOING_WRITE, error);
}

void
bd_operation_free (BdOperation *operation)
{
  if (operation == NULL)
    return;

  g_free (operation->id);
  g_free (operation->user_id);
  g_free (operation->subscription_id);
  g_free (operation->action);
  g_free (operation->idempotency_key);
  g_free (operation->detail);
  g_free (operation);
}

void
bd_idempotent_answer_free (BdIdempotentAnswer *answer)
{
  if (answer == NULL)
    return;

  g_clear_pointer (&answer->fingerprint, g_bytes_unref);
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer);
}
