/* bd-store-pg-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libpq-fe.h>

#include "bd-store-pg.h"
#include "bd-store-private.h"

G_BEGIN_DECLS

/* Between the files of BdStorePg. Arrows, one way:
 *   bd-store-pg.c (the object, open, the interface's table)
 *     -> -schema.c (migrations), -tenant.c (seed, tenant, profiles, domains),
 *        -users.c (users and tokens), -subscriptions.c, -ledger.c
 *     -> -statement.c (running statements, resets, transactions, errors)
 */

/* Every statement a connection prepares (at open and after a reset); each
 * file that runs some fills in their SQL next to the code that binds them.
 */
typedef enum
{
  STMT_IS_SEEDED,
  STMT_LOCK_SEED,
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
  STMT_GET_SUBSCRIPTION_FOR_UPDATE,
  STMT_LIST_SUBSCRIPTIONS,
  STMT_LIST_SUBSCRIPTIONS_AFTER,
  STMT_UPDATE_SUBSCRIPTION,
  STMT_GET_BILLING_PROFILE,
  STMT_LIST_BILLING_PROFILES,
  STMT_LIST_DOMAINS,
  STMT_HAS_DOMAIN_ATTACHED,
  STMT_LOCK_LEDGER,
  STMT_INSERT_OPERATION,
  STMT_LIST_OPERATIONS,
  STMT_LIST_OPERATIONS_OF_SUBSCRIPTION,
  STMT_LIST_OPERATIONS_NEWEST,
  STMT_LIST_OPERATIONS_OF_SUBSCRIPTION_NEWEST,
  STMT_GET_IDEMPOTENT_ANSWER,
  STMT_PUT_IDEMPOTENT_ANSWER,
  STMT_FORGET_IDEMPOTENT_ANSWERS,
  STMT_CLAIM_IDEMPOTENCY_KEY,
  N_STATEMENTS
} StatementId;

/* Keys of the transaction-level advisory locks (pg_advisory_xact_lock):
 * arbitrary, but fixed for every version, so that all instances agree.
 */
#define BD_PG_LOCK_SCHEMA "7252116201"
#define BD_PG_LOCK_SEED   "7252116202"
#define BD_PG_LOCK_LEDGER "7252116203"

/* One connection and what belongs to it alone (bd-store.h). */
struct _BdStorePg
{
  GObject            parent_instance;

  PGconn            *conn;
  BdStoreDurability  durability;
  gint               schema_version;
  gboolean           in_transaction;
  /* each statement's SQL (static strings), to prepare again after a reset */
  const char        *sql[N_STATEMENTS];
};

/* A statement's values, as text (libpq's text format), except the ones
 * whose format is 1 (binary: bytea).
 */
#define BD_PG_PARAMS_MAX 17  /* a subscription's columns */

typedef struct
{
  int         n;
  const char *values[BD_PG_PARAMS_MAX];
  int         lengths[BD_PG_PARAMS_MAX];
  int         formats[BD_PG_PARAMS_MAX];
  char        numbers[BD_PG_PARAMS_MAX][24];
} Params;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* bd-store-pg-statement.c */
void        _bd_pg_params_text    (Params          *params,
                                   const char      *value);
void        _bd_pg_params_int     (Params          *params,
                                   gint64           value);
void        _bd_pg_params_bool    (Params          *params,
                                   gboolean         value);
void        _bd_pg_params_bytes   (Params          *params,
                                   gconstpointer    data,
                                   gsize            size);
gboolean    _bd_pg_set_error      (PGconn          *conn,
                                   const PGresult  *result,
                                   Doing            doing,
                                   GError         **error);
gboolean    _bd_pg_prepare_all    (BdStorePg       *self,
                                   GError         **error);
PGresult   *_bd_pg_run            (BdStorePg       *self,
                                   StatementId      id,
                                   const Params    *params,
                                   Doing            doing,
                                   GError         **error);
gboolean    _bd_pg_run_done       (BdStorePg       *self,
                                   StatementId      id,
                                   const Params    *params,
                                   Doing            doing,
                                   GError         **error);
gboolean    _bd_pg_exec           (PGconn          *conn,
                                   const char      *sql,
                                   Doing            doing,
                                   GError         **error);
const char *_bd_pg_str            (const PGresult  *result,
                                   int              row,
                                   int              column);
char       *_bd_pg_dup            (const PGresult  *result,
                                   int              row,
                                   int              column);
gint64      _bd_pg_int            (const PGresult  *result,
                                   int              row,
                                   int              column);
gboolean    _bd_pg_bool           (const PGresult  *result,
                                   int              row,
                                   int              column);
GBytes     *_bd_pg_bytes          (const PGresult  *result,
                                   int              row,
                                   int              column);
gint64      _bd_pg_changes        (const PGresult  *result);
gboolean    _bd_store_pg_begin    (BdStore         *store,
                                   GError         **error);
gboolean    _bd_store_pg_commit   (BdStore         *store,
                                   GError         **error);
void        _bd_store_pg_rollback (BdStore         *store);
gboolean    _bd_store_pg_ping     (BdStore         *store,
                                   GError         **error);

/* bd-store-pg-schema.c */
gboolean _bd_store_pg_migrate (PGconn   *conn,
                               gint     *version,
                               GError  **error);

/* bd-store-pg-tenant.c */
void              _bd_store_pg_tenant_sql            (const char **sql);
gboolean          _bd_store_pg_is_seeded             (BdStore     *store,
                                                      GError     **error);
gboolean          _bd_store_pg_seed                  (BdStore      *store,
                                                      BdTenantFile *file,
                                                      GError      **error);
BdTenant         *_bd_store_pg_get_tenant            (BdStore     *store,
                                                      GError     **error);
BdBillingProfile *_bd_store_pg_get_billing_profile   (BdStore     *store,
                                                      const char  *id,
                                                      GError     **error);
GPtrArray        *_bd_store_pg_list_billing_profiles (BdStore     *store,
                                                      GError     **error);
GPtrArray        *_bd_store_pg_list_domains          (BdStore     *store,
                                                      GError     **error);
gboolean          _bd_store_pg_has_domain_attached   (BdStore     *store,
                                                      const char  *subscription_id,
                                                      gboolean    *attached,
                                                      GError     **error);

/* bd-store-pg-users.c */
void       _bd_store_pg_users_sql          (const char           **sql);
BdUser    *_bd_store_pg_find_user_by_token (BdStore               *store,
                                            const char            *token,
                                            gint64                 now,
                                            GError               **error);
GPtrArray *_bd_store_pg_list_users         (BdStore               *store,
                                            GError               **error);
gboolean   _bd_store_pg_add_user           (BdStore               *store,
                                            BdUser                *user,
                                            GError               **error);
gboolean   _bd_store_pg_set_user_roles     (BdStore               *store,
                                            const char            *id,
                                            guint                  roles,
                                            GError               **error);
gboolean   _bd_store_pg_set_user_disabled  (BdStore               *store,
                                            const char            *id,
                                            gboolean               disabled,
                                            GError               **error);
gboolean   _bd_store_pg_add_token          (BdStore               *store,
                                            const BdStoredToken   *token,
                                            const guint8          *token_hash,
                                            GError               **error);
GPtrArray *_bd_store_pg_list_tokens        (BdStore               *store,
                                            const char            *user_id,
                                            GError               **error);
gboolean   _bd_store_pg_revoke_token       (BdStore               *store,
                                            const char            *id,
                                            GError               **error);

/* bd-store-pg-subscriptions.c */
void                _bd_store_pg_subscriptions_sql   (const char               **sql);
gboolean            _bd_store_pg_insert_subscription (BdStorePg                 *self,
                                                      const BdSubscriptionData  *data,
                                                      GError                   **error);
BdSubscriptionData *_bd_store_pg_get_subscription    (BdStore                   *store,
                                                      const char                *id,
                                                      GError                   **error);
GPtrArray          *_bd_store_pg_list_subscriptions  (BdStore                   *store,
                                                      const char                *after_product_name,
                                                      const char                *after_id,
                                                      guint                      limit,
                                                      GError                   **error);
gboolean            _bd_store_pg_put_subscription    (BdStore                   *store,
                                                      const BdSubscriptionData  *data,
                                                      GError                   **error);

/* bd-store-pg-ledger.c */
void       _bd_store_pg_ledger_sql                (const char               **sql);
gboolean   _bd_store_pg_add_operation             (BdStore                   *store,
                                                   BdStoredOperation         *operation,
                                                   GError                   **error);
GPtrArray *_bd_store_pg_list_operations           (BdStore                   *store,
                                                   const char                *subscription_id,
                                                   BdOperationsOrder          order,
                                                   gint64                     after_seq,
                                                   guint                      limit,
                                                   GError                   **error);
gboolean   _bd_store_pg_get_idempotent_answer     (BdStore                   *store,
                                                   const char                *user_id,
                                                   const char                *endpoint,
                                                   const char                *key,
                                                   gint64                     kept_since,
                                                   BdIdempotentAnswer       **answer,
                                                   GError                   **error);
gboolean   _bd_store_pg_put_idempotent_answer     (BdStore                   *store,
                                                   const char                *user_id,
                                                   const char                *endpoint,
                                                   const char                *key,
                                                   gint64                     kept_since,
                                                   const BdIdempotentAnswer  *answer,
                                                   GError                   **error);
gboolean   _bd_store_pg_forget_idempotent_answers (BdStore                   *store,
                                                   gint64                     created_before,
                                                   GError                   **error);
gboolean   _bd_store_pg_claim_idempotency_key     (BdStore                   *store,
                                                   const char                *user_id,
                                                   const char                *endpoint,
                                                   const char                *key,
                                                   gint64                     kept_since,
                                                   GBytes                    *fingerprint,
                                                   BdIdempotentAnswer       **answer,
                                                   GError                   **error);

G_END_DECLS
