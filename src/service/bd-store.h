/* bd-store.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-core.h"

G_BEGIN_DECLS

/* The service's storage, as the API sees it: an interface, so that the API
 * code names no database. BdStoreSqlite (bd-store-sqlite*.c, the only files
 * that include sqlite3.h) is the one implementation today; another one sits
 * beside it and is chosen by bd_store_open () from the database's location.
 *
 * Every change goes inside bd_store_begin () ... bd_store_commit (); reads
 * may stand alone. Inside a transaction, what a read answers stays as it was
 * read until the commit: bd_store_get_subscription () locks the row against
 * every other connection's change (SQLite: BEGIN IMMEDIATE holds the write
 * lock; a server database: SELECT ... FOR UPDATE), so a check made on it
 * holds when the change is written.
 *
 * Concurrency: a store object is one connection to the database, used by one
 * thread at a time. The service calls a store synchronously; with several
 * worker threads, each opens a store of its own (bd_store_open () once per
 * worker) and keeps it. So an implementation holds everything per object
 * (its connection, its prepared statements): no process-wide statement
 * cache, no global connection, no static mutable state. Two stores on one
 * database, in one process or in several, see each other's commits.
 *
 * Outages: whatever the call, a database that cannot be reached now (a
 * server down or restarting, a connection lost, SQLite's lock held past its
 * wait) is BD_STORE_ERROR_UNAVAILABLE. A transaction it cut short is gone
 * as after any other error (call bd_store_rollback ()); the next call
 * outside a transaction connects again by itself.
 */

#define BD_STORE_ERROR (bd_store_error_quark ())

typedef enum
{
  BD_STORE_ERROR_FAILED,        /* the database said no: the message says why */
  BD_STORE_ERROR_NEWER_SCHEMA,  /* written by a newer version of the service */
  BD_STORE_ERROR_NOT_SEEDED,    /* the database holds no tenant yet */
  BD_STORE_ERROR_SEEDED,        /* the database holds a tenant already */
  BD_STORE_ERROR_NOT_FOUND,     /* no user or token of that id */
  BD_STORE_ERROR_EXISTS,        /* a user of that id exists already */
  BD_STORE_ERROR_UNAVAILABLE,   /* the database cannot be reached now: try again later */
  BD_STORE_ERROR_LOCK_TIMEOUT,  /* another transaction held a lock past the wait's bound */
} BdStoreError;

/* How long a change waits for a lock another transaction holds (the same
 * Idempotency-Key on another instance, the same subscription) before it
 * fails with %BD_STORE_ERROR_LOCK_TIMEOUT: PostgreSQL's lock_timeout of a
 * change's transaction. SQLite's busy timeout (5 s, bd-store-sqlite*) is
 * its own bound.
 */
#define BD_STORE_LOCK_TIMEOUT_SECONDS 10

/* A time that is not there: a token that never expires or was never used. */
#define BD_STORE_NEVER G_MININT64

typedef enum
{
  BD_STORE_DURABLE,   /* a commit survives a power cut */
  BD_STORE_SCRATCH,   /* commits may be lost: for fuzzers and benchmarks only */
} BdStoreDurability;

/* One entry of the audit ledger (GET /v1/operations). */
typedef struct
{
  gint64  seq;              /* its place in the ledger: 1, 2, 3 ... */
  char   *id;               /* opaque and unique */
  gint64  time;
  char   *user_id;
  char   *subscription_id;
  char   *action;           /* an allowedActions word */
  char   *idempotency_key;  /* NULL when the request had none */
  char   *detail;           /* a JSON object, as text (NULL is stored as "{}") */
  /* Read only: the user's display name and the product's name when the
   * entry was written (the store takes them from its users and
   * subscriptions then); NULL where they could not be known.
   */
  char   *user_display_name;
  char   *product_name;
} BdStoredOperation;

/* A stored answer to a request with an Idempotency-Key. It is kept for a
 * retention the API decides: the API passes the oldest time still kept
 * (`kept_since`) to the lookup and to the put, so that an answer past the
 * retention is as absent even before it is pruned. The API prunes with
 * bd_store_forget_idempotent_answers () after a put, in the change's
 * transaction; an implementation whose bulk delete would make concurrent
 * changes wait on each other's row locks (a server database) may make that
 * call cheap and prune elsewhere (a periodic job): nothing depends on the
 * expired rows being gone.
 */
typedef struct
{
  GBytes *fingerprint;  /* of the method, path and body */
  guint   status;
  GBytes *body;         /* NULL is stored as empty */
  gint64  created;
} BdIdempotentAnswer;

/* A user as the `users` commands see it. */
typedef struct
{
  BdUser   *user;
  gboolean  disabled;
} BdStoredUser;

/* A bearer token as the `tokens` commands see it: never the token itself,
 * which is not stored (only its SHA-256 hash is).
 */
typedef struct
{
  char     *id;         /* short, random, public */
  char     *user_id;
  char     *label;
  gint64    created;
  gint64    expires;    /* or BD_STORE_NEVER */
  gint64    last_used;  /* to the minute, or BD_STORE_NEVER */
  gboolean  revoked;
} BdStoredToken;

#define BD_TYPE_STORE (bd_store_get_type ())

G_DECLARE_INTERFACE (BdStore, bd_store, BD, STORE, GObject)

/* One virtual function per public function below, with its arguments; the
 * public functions check them and say what each one answers.
 */
struct _BdStoreInterface
{
  GTypeInterface parent_iface;

  gint                (*get_schema_version)        (BdStore                   *self);
  gboolean            (*check_integrity)           (BdStore                   *self,
                                                    GError                   **error);
  gboolean            (*is_seeded)                 (BdStore                   *self,
                                                    GError                   **error);
  gboolean            (*seed)                      (BdStore                   *self,
                                                    BdTenantFile              *file,
                                                    GError                   **error);

  gboolean            (*begin)                     (BdStore                   *self,
                                                    GError                   **error);
  gboolean            (*commit)                    (BdStore                   *self,
                                                    GError                   **error);
  void                (*rollback)                  (BdStore                   *self);

  BdTenant           *(*get_tenant)                (BdStore                   *self,
                                                    GError                   **error);
  BdUser             *(*find_user_by_token)        (BdStore                   *self,
                                                    const char                *token,
                                                    gint64                     now,
                                                    GError                   **error);

  GPtrArray          *(*list_users)                (BdStore                   *self,
                                                    GError                   **error);
  gboolean            (*add_user)                  (BdStore                   *self,
                                                    BdUser                    *user,
                                                    GError                   **error);
  gboolean            (*set_user_roles)            (BdStore                   *self,
                                                    const char                *id,
                                                    guint                      roles,
                                                    GError                   **error);
  gboolean            (*set_user_disabled)         (BdStore                   *self,
                                                    const char                *id,
                                                    gboolean                   disabled,
                                                    GError                   **error);
  gboolean            (*add_token)                 (BdStore                   *self,
                                                    const BdStoredToken       *token,
                                                    const guint8              *token_hash,
                                                    GError                   **error);
  GPtrArray          *(*list_tokens)               (BdStore                   *self,
                                                    const char                *user_id,
                                                    GError                   **error);
  gboolean            (*revoke_token)              (BdStore                   *self,
                                                    const char                *id,
                                                    GError                   **error);

  BdSubscriptionData *(*get_subscription)          (BdStore                   *self,
                                                    const char                *id,
                                                    GError                   **error);
  GPtrArray          *(*list_subscriptions)        (BdStore                   *self,
                                                    const char                *after_product_name,
                                                    const char                *after_id,
                                                    guint                      limit,
                                                    GError                   **error);
  gboolean            (*put_subscription)          (BdStore                   *self,
                                                    const BdSubscriptionData  *data,
                                                    GError                   **error);

  BdBillingProfile   *(*get_billing_profile)       (BdStore                   *self,
                                                    const char                *id,
                                                    GError                   **error);
  GPtrArray          *(*list_billing_profiles)     (BdStore                   *self,
                                                    GError                   **error);
  GPtrArray          *(*list_domains)              (BdStore                   *self,
                                                    GError                   **error);
  gboolean            (*has_domain_attached)       (BdStore                   *self,
                                                    const char                *subscription_id,
                                                    gboolean                  *attached,
                                                    GError                   **error);

  gboolean            (*add_operation)             (BdStore                   *self,
                                                    BdStoredOperation         *operation,
                                                    GError                   **error);
  GPtrArray          *(*list_operations)           (BdStore                   *self,
                                                    const char                *subscription_id,
                                                    BdOperationsOrder          order,
                                                    gint64                     after_seq,
                                                    guint                      limit,
                                                    GError                   **error);

  gboolean            (*get_idempotent_answer)     (BdStore                   *self,
                                                    const char                *user_id,
                                                    const char                *endpoint,
                                                    const char                *key,
                                                    gint64                     kept_since,
                                                    BdIdempotentAnswer       **answer,
                                                    GError                   **error);
  gboolean            (*put_idempotent_answer)     (BdStore                   *self,
                                                    const char                *user_id,
                                                    const char                *endpoint,
                                                    const char                *key,
                                                    gint64                     kept_since,
                                                    const BdIdempotentAnswer  *answer,
                                                    GError                   **error);
  gboolean            (*forget_idempotent_answers) (BdStore                   *self,
                                                    gint64                     created_before,
                                                    GError                   **error);
  gboolean            (*claim_idempotency_key)     (BdStore                   *self,
                                                    const char                *user_id,
                                                    const char                *endpoint,
                                                    const char                *key,
                                                    gint64                     kept_since,
                                                    GBytes                    *fingerprint,
                                                    BdIdempotentAnswer       **answer,
                                                    GError                   **error);

  gboolean            (*ping)                      (BdStore                   *self,
                                                    GError                   **error);
};

GQuark bd_store_error_quark (void);

BdStore *bd_store_open           (const char         *location,
                                  BdStoreDurability   durability,
                                  GError            **error);
gboolean bd_store_check_location (const char         *location,
                                  GError            **error);

gint     bd_store_get_schema_version (BdStore       *self);
gboolean bd_store_check_integrity    (BdStore       *self,
                                      GError       **error);
gboolean bd_store_is_seeded          (BdStore       *self,
                                      GError       **error);
gboolean bd_store_seed               (BdStore       *self,
                                      BdTenantFile  *file,
                                      GError       **error);

gboolean bd_store_begin    (BdStore  *self,
                            GError  **error);
gboolean bd_store_commit   (BdStore  *self,
                            GError  **error);
void     bd_store_rollback (BdStore  *self);

BdTenant *bd_store_get_tenant         (BdStore     *self,
                                       GError     **error);
BdUser   *bd_store_find_user_by_token (BdStore     *self,
                                       const char  *token,
                                       gint64       now,
                                       GError     **error);

GPtrArray *bd_store_list_users        (BdStore              *self,
                                       GError              **error);
gboolean   bd_store_add_user          (BdStore              *self,
                                       BdUser               *user,
                                       GError              **error);
gboolean   bd_store_set_user_roles    (BdStore              *self,
                                       const char           *id,
                                       guint                 roles,
                                       GError              **error);
gboolean   bd_store_set_user_disabled (BdStore              *self,
                                       const char           *id,
                                       gboolean              disabled,
                                       GError              **error);
gboolean   bd_store_add_token         (BdStore              *self,
                                       const BdStoredToken  *token,
                                       const guint8         *token_hash,
                                       GError              **error);
GPtrArray *bd_store_list_tokens       (BdStore              *self,
                                       const char           *user_id,
                                       GError              **error);
gboolean   bd_store_revoke_token      (BdStore              *self,
                                       const char           *id,
                                       GError              **error);

BdSubscriptionData *bd_store_get_subscription   (BdStore                   *self,
                                                 const char                *id,
                                                 GError                   **error);
GPtrArray          *bd_store_list_subscriptions (BdStore                   *self,
                                                 const char                *after_product_name,
                                                 const char                *after_id,
                                                 guint                      limit,
                                                 GError                   **error);
gboolean            bd_store_put_subscription   (BdStore                   *self,
                                                 const BdSubscriptionData  *data,
                                                 GError                   **error);

BdBillingProfile *bd_store_get_billing_profile   (BdStore     *self,
                                                  const char  *id,
                                                  GError     **error);
GPtrArray        *bd_store_list_billing_profiles (BdStore     *self,
                                                  GError     **error);
GPtrArray        *bd_store_list_domains          (BdStore     *self,
                                                  GError     **error);
gboolean          bd_store_has_domain_attached   (BdStore     *self,
                                                  const char  *subscription_id,
                                                  gboolean    *attached,
                                                  GError     **error);

gboolean   bd_store_add_operation   (BdStore            *self,
                                     BdStoredOperation  *operation,
                                     GError            **error);
GPtrArray *bd_store_list_operations (BdStore            *self,
                                     const char         *subscription_id,
                                     BdOperationsOrder   order,
                                     gint64              after_seq,
                                     guint               limit,
                                     GError            **error);

gboolean bd_store_get_idempotent_answer     (BdStore                   *self,
                                             const char                *user_id,
                                             const char                *endpoint,
                                             const char                *key,
                                             gint64                     kept_since,
                                             BdIdempotentAnswer       **answer,
                                             GError                   **error);
gboolean bd_store_put_idempotent_answer     (BdStore                   *self,
                                             const char                *user_id,
                                             const char                *endpoint,
                                             const char                *key,
                                             gint64                     kept_since,
                                             const BdIdempotentAnswer  *answer,
                                             GError                   **error);
gboolean bd_store_forget_idempotent_answers (BdStore                   *self,
                                             gint64                     created_before,
                                             GError                   **error);
gboolean bd_store_claim_idempotency_key     (BdStore                   *self,
                                             const char                *user_id,
                                             const char                *endpoint,
                                             const char                *key,
                                             gint64                     kept_since,
                                             GBytes                    *fingerprint,
                                             BdIdempotentAnswer       **answer,
                                             GError                   **error);

gboolean bd_store_ping (BdStore  *self,
                        GError  **error);

void bd_stored_operation_free  (BdStoredOperation  *operation);
void bd_idempotent_answer_free (BdIdempotentAnswer *answer);
void bd_stored_user_free       (BdStoredUser       *user);
void bd_stored_token_free      (BdStoredToken      *token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdStoredUser, bd_stored_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdStoredToken, bd_stored_token_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdStoredOperation, bd_stored_operation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdIdempotentAnswer, bd_idempotent_answer_free)

G_END_DECLS
