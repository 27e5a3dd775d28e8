/* bd-store-sqlite-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "bd-store-private.h"
#include "bd-store-sqlite.h"

G_BEGIN_DECLS

/* Between the files of BdStoreSqlite. Arrows, one way:
 *   bd-store-sqlite.c (the object, open, the interface's table)
 *     -> -schema.c (migrations), -seed.c, -subscriptions.c, -tenant.c, -users.c,
 *        -ledger.c
 *     -> -statement.c (running statements, transactions, errors)
 * (-seed.c also inserts the subscriptions through -subscriptions.c, and the
 * users and their tokens through -users.c.)
 */

/* Every statement a connection prepares at open; each file that runs some
 * fills in their SQL (the _sql () functions below), next to the code that
 * binds them.
 */
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
  STMT_TOUCH_TOKEN,
  STMT_LIST_USERS,
  STMT_SET_USER_ROLES,
  STMT_SET_USER_DISABLED,
  STMT_INSERT_TOKEN,
  STMT_LIST_TOKENS,
  STMT_LIST_TOKENS_OF_USER,
  STMT_REVOKE_TOKEN,
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
  STMT_LIST_OPERATIONS_NEWEST,
  STMT_LIST_OPERATIONS_OF_SUBSCRIPTION_NEWEST,
  STMT_GET_IDEMPOTENT_ANSWER,
  STMT_PUT_IDEMPOTENT_ANSWER,
  STMT_FORGET_IDEMPOTENT_ANSWERS,
  STMT_CLAIM_IDEMPOTENCY_KEY,
  STMT_INTEGRITY_CHECK,
  STMT_FOREIGN_KEY_CHECK,
  N_STATEMENTS
} StatementId;

/* How long a connection waits for another's write lock. */
#define BD_STORE_SQLITE_BUSY_TIMEOUT_MS 5000

/* One connection and what belongs to it alone (bd-store.h: no state is
 * shared between two stores).
 */
struct _BdStoreSqlite
{
  GObject       parent_instance;

  sqlite3      *db;
  sqlite3_stmt *statements[N_STATEMENTS];
  gint          schema_version;
};

/* A prepared statement is only lent out: leaving the scope resets it, so
 * that it holds no read transaction open and steps afresh next time, and
 * clears its bindings, so that no pointer to a caller's string outlives the
 * call.
 */
typedef sqlite3_stmt BorrowedStatement;

static inline void
release_statement (BorrowedStatement *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BorrowedStatement, release_statement)

/* A statement run once (at open, or a diagnostic): finalized with its scope. */
typedef sqlite3_stmt OwnedStatement;

static inline void
finalize_statement (OwnedStatement *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwnedStatement, finalize_statement)

static inline BorrowedStatement *
borrow (BdStoreSqlite *self,
        StatementId    id)
{
  return self->statements[id];
}

/* bd-store-sqlite-statement.c */
gboolean    _bd_sqlite_set_error                (sqlite3            *db,
                                                 Doing               doing,
                                                 GError            **error);
gboolean    _bd_sqlite_step_done                (BdStoreSqlite      *self,
                                                 BorrowedStatement  *stmt,
                                                 Doing               doing,
                                                 GError            **error);
gboolean    _bd_sqlite_step_one_row             (BdStoreSqlite      *self,
                                                 sqlite3_stmt       *stmt,
                                                 gboolean           *found,
                                                 GError            **error);
const char *_bd_sqlite_column_str               (sqlite3_stmt       *stmt,
                                                 int                 column);
char       *_bd_sqlite_column_dup               (sqlite3_stmt       *stmt,
                                                 int                 column);
GBytes     *_bd_sqlite_column_bytes             (sqlite3_stmt       *stmt,
                                                 int                 column);
int         _bd_sqlite_bind_bytes               (sqlite3_stmt       *stmt,
                                                 int                 index,
                                                 GBytes             *bytes);
gboolean    _bd_sqlite_exec                     (sqlite3            *db,
                                                 const char         *sql,
                                                 Doing               doing,
                                                 GError            **error);
gboolean    _bd_sqlite_query_text               (sqlite3            *db,
                                                 const char         *sql,
                                                 Doing               doing,
                                                 char              **value,
                                                 GError            **error);
void        _bd_store_sqlite_transaction_sql    (const char        **sql);
gboolean    _bd_store_sqlite_begin              (BdStore            *store,
                                                 GError            **error);
gboolean    _bd_store_sqlite_commit             (BdStore            *store,
                                                 GError            **error);
void        _bd_store_sqlite_rollback           (BdStore            *store);
gboolean    _bd_store_sqlite_ping               (BdStore            *store,
                                                 GError            **error);

/* bd-store-sqlite-schema.c */
gboolean _bd_store_sqlite_migrate (sqlite3  *db,
                                   gint     *version,
                                   GError  **error);

/* bd-store-sqlite-seed.c */
void     _bd_store_sqlite_seed_sql  (const char   **sql);
gboolean _bd_store_sqlite_is_seeded (BdStore       *store,
                                     GError       **error);
gboolean _bd_store_sqlite_seed      (BdStore       *store,
                                     BdTenantFile  *file,
                                     GError       **error);

/* bd-store-sqlite-subscriptions.c */
void                _bd_store_sqlite_subscriptions_sql   (const char               **sql);
gboolean            _bd_store_sqlite_insert_subscription (BdStoreSqlite             *self,
                                                          const BdSubscriptionData  *data,
                                                          GError                   **error);
BdSubscriptionData *_bd_store_sqlite_get_subscription    (BdStore                   *store,
                                                          const char                *id,
                                                          GError                   **error);
gboolean            _bd_store_sqlite_put_subscription    (BdStore                   *store,
                                                          const BdSubscriptionData  *data,
                                                          GError                   **error);

GPtrArray *_bd_store_sqlite_list_subscriptions (BdStore     *store,
                                                const char  *after_product_name,
                                                const char  *after_id,
                                                guint        limit,
                                                GError     **error);

/* bd-store-sqlite-tenant.c */
void              _bd_store_sqlite_tenant_sql            (const char **sql);
BdTenant         *_bd_store_sqlite_get_tenant            (BdStore     *store,
                                                          GError     **error);
BdBillingProfile *_bd_store_sqlite_get_billing_profile   (BdStore     *store,
                                                          const char  *id,
                                                          GError     **error);
GPtrArray        *_bd_store_sqlite_list_billing_profiles (BdStore     *store,
                                                          GError     **error);
GPtrArray        *_bd_store_sqlite_list_domains          (BdStore     *store,
                                                          GError     **error);
gboolean          _bd_store_sqlite_has_domain_attached   (BdStore     *store,
                                                          const char  *subscription_id,
                                                          gboolean    *attached,
                                                          GError     **error);

/* bd-store-sqlite-users.c */
void       _bd_store_sqlite_users_sql          (const char           **sql);
BdUser    *_bd_store_sqlite_find_user_by_token (BdStore               *store,
                                                const char            *token,
                                                gint64                 now,
                                                GError               **error);
GPtrArray *_bd_store_sqlite_list_users         (BdStore               *store,
                                                GError               **error);
gboolean   _bd_store_sqlite_add_user           (BdStore               *store,
                                                BdUser                *user,
                                                GError               **error);
gboolean   _bd_store_sqlite_set_user_roles     (BdStore               *store,
                                                const char            *id,
                                                guint                  roles,
                                                GError               **error);
gboolean   _bd_store_sqlite_set_user_disabled  (BdStore               *store,
                                                const char            *id,
                                                gboolean               disabled,
                                                GError               **error);
gboolean   _bd_store_sqlite_add_token          (BdStore               *store,
                                                const BdStoredToken   *token,
                                                const guint8          *token_hash,
                                                GError               **error);
GPtrArray *_bd_store_sqlite_list_tokens        (BdStore               *store,
                                                const char            *user_id,
                                                GError               **error);
gboolean   _bd_store_sqlite_revoke_token       (BdStore               *store,
                                                const char            *id,
                                                GError               **error);

/* bd-store-sqlite-ledger.c */
void       _bd_store_sqlite_ledger_sql                (const char               **sql);
gboolean   _bd_store_sqlite_add_operation             (BdStore                   *store,
                                                       BdStoredOperation         *operation,
                                                       GError                   **error);
GPtrArray *_bd_store_sqlite_list_operations           (BdStore                   *store,
                                                       const char                *subscription_id,
                                                       BdOperationsOrder          order,
                                                       gint64                     after_seq,
                                                       guint                      limit,
                                                       GError                   **error);
gboolean   _bd_store_sqlite_get_idempotent_answer     (BdStore                   *store,
                                                       const char                *user_id,
                                                       const char                *endpoint,
                                                       const char                *key,
                                                       gint64                     kept_since,
                                                       BdIdempotentAnswer       **answer,
                                                       GError                   **error);
gboolean   _bd_store_sqlite_put_idempotent_answer     (BdStore                   *store,
                                                       const char                *user_id,
                                                       const char                *endpoint,
                                                       const char                *key,
                                                       gint64                     kept_since,
                                                       const BdIdempotentAnswer  *answer,
                                                       GError                   **error);
gboolean   _bd_store_sqlite_forget_idempotent_answers (BdStore                   *store,
                                                       gint64                     created_before,
                                                       GError                   **error);
gboolean   _bd_store_sqlite_claim_idempotency_key     (BdStore                   *store,
                                                       const char                *user_id,
                                                       const char                *endpoint,
                                                       const char                *key,
                                                       gint64                     kept_since,
                                                       GBytes                    *fingerprint,
                                                       BdIdempotentAnswer       **answer,
                                                       GError                   **error);

G_END_DECLS
