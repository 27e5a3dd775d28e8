/* bd-store-sqlite.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BdStoreSqlite, the object: one SQLite connection, opened and set up, its
 * statements prepared, and the table of the BdStore interface. What the
 * statements do is in the other bd-store-sqlite-*.c files.
 */

#define G_LOG_DOMAIN "bd-store-sqlite"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bd-store-sqlite-private.h"

#define INTEGRITY_MESSAGES_MAX 10

/* The settings bd_store_sqlite_get_pragma () may read; none of them changes anything. */
static const char * const readable_pragmas[] = {
  "busy_timeout", "foreign_keys", "journal_mode", "synchronous", "user_version",
};

static void bd_store_iface_init (BdStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BdStoreSqlite, bd_store_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BD_TYPE_STORE, bd_store_iface_init))

/* WAL pages after which a checkpoint is due (SQLite's own default), and
 * past which a commit checkpoints at once even when maintained: the
 * maintenance did not keep up, and the WAL must not grow without bound.
 */
#define CHECKPOINT_PAGES 1000
#define CHECKPOINT_PAGES_AT_ONCE (8 * CHECKPOINT_PAGES)

/*
 * Helpers
 */

/* Copies the WAL's committed pages into the database file, as far as no
 * reader needs them, without waiting for any: an fsync of the WAL, the
 * writes, an fsync of the file. Another connection's checkpoint under
 * way (SQLITE_BUSY) does the same work.
 */
static void
checkpoint (BdStoreSqlite *self)
{
  int rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    g_debug ("The WAL's checkpoint failed: %s", sqlite3_errmsg (self->db));
}

/* After each commit, in place of SQLite's automatic checkpoint, which runs
 * inside the COMMIT that crosses its mark: one cancel in 70 to 100 (each
 * writes about ten pages) then paid two more fsyncs and the copy, and
 * that was the cancels' p99. A maintained connection leaves it
 * to bd_store_maintain (), which its worker calls after it handed the
 * answer on.
 */
static int
on_wal_commit_cb (void       *user_data,
                  sqlite3    *db,
                  const char *name,
                  int         n_pages)
{
  BdStoreSqlite *self = user_data;

  if (n_pages < CHECKPOINT_PAGES)
    return SQLITE_OK;

  if (self->maintained && n_pages < CHECKPOINT_PAGES_AT_ONCE)
    self->checkpoint_due = TRUE;
  else
    checkpoint (self);

  return SQLITE_OK;
}

/* The connection's settings: a file that is not a database fails here, at
 * the first read.
 */
static gboolean
set_up_connection (BdStoreSqlite      *self,
                   BdStoreDurability   durability,
                   GError            **error)
{
  g_autofree char *journal_mode = NULL;
  const char *synchronous;

  /* Wait out another connection's write (a backup, an upgrade) rather than fail. */
  sqlite3_busy_timeout (self->db, BD_STORE_SQLITE_BUSY_TIMEOUT_MS);

  if (!_bd_sqlite_query_text (self->db, "PRAGMA journal_mode = WAL", DOING_OPEN, &journal_mode,
                              error))
    return FALSE;

  /* An in-memory database (":memory:") has no WAL; anything else must. */
  if (g_strcmp0 (journal_mode, "wal") != 0 && g_strcmp0 (journal_mode, "memory") != 0)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be opened: %s"),
                   "write-ahead logging is not available");
      return FALSE;
    }

  synchronous = durability == BD_STORE_SCRATCH ? "PRAGMA synchronous = OFF"
                                               : "PRAGMA synchronous = FULL";

  /* Replaces the automatic checkpoint (sqlite3_wal_autocheckpoint ()). */
  sqlite3_wal_hook (self->db, on_wal_commit_cb, self);

  /* A page cache of 16 MiB rather than 2: a large tenant's indexes stay in
   * memory, which makes seeding 100,000 subscriptions a third faster.
   */
  return _bd_sqlite_exec (self->db, synchronous, DOING_OPEN, error) &&
         _bd_sqlite_exec (self->db, "PRAGMA foreign_keys = ON", DOING_OPEN, error) &&
         _bd_sqlite_exec (self->db, "PRAGMA cache_size = -16384", DOING_OPEN, error);
}

static void
integrity_sql (const char **sql)
{
  sql[STMT_INTEGRITY_CHECK] = "PRAGMA integrity_check";
  sql[STMT_FOREIGN_KEY_CHECK] = "PRAGMA foreign_key_check";
}

/* Every statement is prepared now, for this connection alone: a schema this
 * code does not match fails at open, not in the middle of a request.
 */
static gboolean
prepare_statements (BdStoreSqlite  *self,
                    GError        **error)
{
  const char *sql[N_STATEMENTS] = { NULL };

  _bd_store_sqlite_transaction_sql (sql);
  _bd_store_sqlite_seed_sql (sql);
  _bd_store_sqlite_subscriptions_sql (sql);
  _bd_store_sqlite_tenant_sql (sql);
  _bd_store_sqlite_users_sql (sql);
  _bd_store_sqlite_ledger_sql (sql);
  integrity_sql (sql);

  for (guint i = 0; i < N_STATEMENTS; i++)
    {
      g_assert (sql[i] != NULL);

      if (sqlite3_prepare_v3 (self->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                              &self->statements[i], NULL) != SQLITE_OK)
        return _bd_sqlite_set_error (self->db, DOING_OPEN, error);
    }

  return TRUE;
}

/* Lines of PRAGMA integrity_check other than "ok", at most the maximum. */
static gboolean
add_integrity_problems (BdStoreSqlite  *self,
                        GPtrArray      *problems,
                        GError        **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INTEGRITY_CHECK);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = _bd_sqlite_column_str (stmt, 0);

      if (strcmp (line, "ok") != 0 && problems->len < INTEGRITY_MESSAGES_MAX)
        g_ptr_array_add (problems, g_strdup (line));
    }

  if (rc != SQLITE_DONE)
    return _bd_sqlite_set_error (self->db, DOING_READ, error);

  return TRUE;
}

/* Rows of PRAGMA foreign_key_check, said in words, at most the maximum. */
static gboolean
add_foreign_key_problems (BdStoreSqlite  *self,
                          GPtrArray      *problems,
                          GError        **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_FOREIGN_KEY_CHECK);
  int rc;

  /* Columns: table, rowid, parent table, foreign key index. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (problems->len < INTEGRITY_MESSAGES_MAX)
        g_ptr_array_add (problems,
                         g_strdup_printf ("row %" G_GINT64_FORMAT " of %s names a missing "
                                          "row of %s",
                                          (gint64) sqlite3_column_int64 (stmt, 1),
                                          _bd_sqlite_column_str (stmt, 0),
                                          _bd_sqlite_column_str (stmt, 2)));
    }

  if (rc != SQLITE_DONE)
    return _bd_sqlite_set_error (self->db, DOING_READ, error);

  return TRUE;
}

/*
 * BdStore
 */

static gint
bd_store_sqlite_get_schema_version (BdStore *store)
{
  return BD_STORE_SQLITE (store)->schema_version;
}

/* SQLite's integrity check and its foreign key check. */
static gboolean
bd_store_sqlite_check_integrity (BdStore  *store,
                                 GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  if (!add_integrity_problems (self, problems, error) ||
      !add_foreign_key_problems (self, problems, error))
    return FALSE;

  if (problems->len == 0)
    return TRUE;

  g_ptr_array_add (problems, NULL);
  joined = g_strjoinv ("; ", (char **) problems->pdata);
  g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
               _("The billing database is damaged: %s"), joined);
  return FALSE;
}

static void
bd_store_sqlite_maintain (BdStore *store)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);

  self->maintained = TRUE;
  if (!self->checkpoint_due)
    return;

  self->checkpoint_due = FALSE;
  checkpoint (self);
}

static void
bd_store_iface_init (BdStoreInterface *iface)
{
  iface->get_schema_version = bd_store_sqlite_get_schema_version;
  iface->check_integrity = bd_store_sqlite_check_integrity;
  iface->is_seeded = _bd_store_sqlite_is_seeded;
  iface->seed = _bd_store_sqlite_seed;
  iface->begin = _bd_store_sqlite_begin;
  iface->commit = _bd_store_sqlite_commit;
  iface->rollback = _bd_store_sqlite_rollback;
  iface->get_tenant = _bd_store_sqlite_get_tenant;
  iface->find_user_by_token = _bd_store_sqlite_find_user_by_token;
  iface->list_users = _bd_store_sqlite_list_users;
  iface->add_user = _bd_store_sqlite_add_user;
  iface->set_user_roles = _bd_store_sqlite_set_user_roles;
  iface->set_user_disabled = _bd_store_sqlite_set_user_disabled;
  iface->add_token = _bd_store_sqlite_add_token;
  iface->list_tokens = _bd_store_sqlite_list_tokens;
  iface->revoke_token = _bd_store_sqlite_revoke_token;
  iface->get_subscription = _bd_store_sqlite_get_subscription;
  iface->list_subscriptions = _bd_store_sqlite_list_subscriptions;
  iface->put_subscription = _bd_store_sqlite_put_subscription;
  iface->get_billing_profile = _bd_store_sqlite_get_billing_profile;
  iface->list_billing_profiles = _bd_store_sqlite_list_billing_profiles;
  iface->list_domains = _bd_store_sqlite_list_domains;
  iface->has_domain_attached = _bd_store_sqlite_has_domain_attached;
  iface->add_operation = _bd_store_sqlite_add_operation;
  iface->list_operations = _bd_store_sqlite_list_operations;
  iface->get_idempotent_answer = _bd_store_sqlite_get_idempotent_answer;
  iface->put_idempotent_answer = _bd_store_sqlite_put_idempotent_answer;
  iface->forget_idempotent_answers = _bd_store_sqlite_forget_idempotent_answers;
  iface->ping = _bd_store_sqlite_ping;
  iface->claim_idempotency_key = _bd_store_sqlite_claim_idempotency_key;
  iface->maintain = bd_store_sqlite_maintain;
}

/*
 * GObject overrides
 */

static void
bd_store_sqlite_dispose (GObject *object)
{
  BdStoreSqlite *self = (BdStoreSqlite *) object;

  for (guint i = 0; i < N_STATEMENTS; i++)
    {
      sqlite3_finalize (self->statements[i]);
      self->statements[i] = NULL;
    }

  /* Closing the last connection checkpoints the WAL into the file. */
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("The billing database did not close cleanly: %s", sqlite3_errmsg (self->db));
  self->db = NULL;

  G_OBJECT_CLASS (bd_store_sqlite_parent_class)->dispose (object);
}

static void
bd_store_sqlite_class_init (BdStoreSqliteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bd_store_sqlite_dispose;
}

static void
bd_store_sqlite_init (BdStoreSqlite *self)
{
}

/*
 * Public API
 */

/**
 * bd_store_sqlite_open:
 * @path: the database file; created, with its schema, when missing
 * @durability: %BD_STORE_SCRATCH (synchronous=OFF) only for fuzzers and
 *   benchmarks
 *
 * Opens a connection in WAL mode with foreign keys on, brings the schema up
 * to this version's and prepares every statement. Callers go through
 * bd_store_open (), which picks this for an SQLite location.
 *
 * Returns: (transfer full): the store, or %NULL with
 *   %BD_STORE_ERROR_NEWER_SCHEMA when a newer service wrote the file, or
 *   %BD_STORE_ERROR_FAILED
 */
BdStore *
bd_store_sqlite_open (const char         *path,
                      BdStoreDurability   durability,
                      GError            **error)
{
  g_autoptr(BdStoreSqlite) self = NULL;
  sqlite3 *db = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* One thread at a time uses a connection (bd-store.h): SQLite's own
   * mutexes would only cost.
   */
  if (sqlite3_open_v2 (path, &db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                       SQLITE_OPEN_EXRESCODE,
                       NULL) != SQLITE_OK)
    {
      _bd_sqlite_set_error (db, DOING_OPEN, error);
      sqlite3_close (db);
      return NULL;
    }

  self = g_object_new (BD_TYPE_STORE_SQLITE, NULL);
  self->db = db;

  if (!set_up_connection (self, durability, error) ||
      !_bd_store_sqlite_migrate (self->db, &self->schema_version, error) ||
      !prepare_statements (self, error))
    return NULL;

  return BD_STORE (g_steal_pointer (&self));
}

/**
 * bd_store_sqlite_get_pragma:
 * @name: one of `busy_timeout`, `foreign_keys`, `journal_mode`,
 *   `synchronous`, `user_version`
 *
 * Reads one of the connection's settings, for diagnostics and tests.
 *
 * Returns: (transfer full): its value as SQLite answers it, as text
 *   (`synchronous` is `2` for FULL, `0` for OFF), or %NULL with an error
 */
char *
bd_store_sqlite_get_pragma (BdStoreSqlite  *self,
                            const char     *name,
                            GError        **error)
{
  g_autofree char *sql = NULL;
  char *value = NULL;
  gboolean known = FALSE;

  g_return_val_if_fail (BD_IS_STORE_SQLITE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (readable_pragmas); i++)
    known = known || strcmp (readable_pragmas[i], name) == 0;

  /* Only a listed name reaches the SQL: a PRAGMA takes no bound parameters. */
  g_return_val_if_fail (known, NULL);

  sql = g_strdup_printf ("PRAGMA %s", name);
  if (!_bd_sqlite_query_text (self->db, sql, DOING_READ, &value, error))
    return NULL;

  return value;
}
