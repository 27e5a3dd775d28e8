/* bd-store.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-core.h"

G_BEGIN_DECLS

/* The service's storage: one SQLite file, the only place that includes
 * sqlite3.h. WAL, synchronous=FULL (OFF only where a caller asks for a
 * throwaway database), a schema version with migrations, prepared
 * statements only. Every change goes inside bd_store_begin () ...
 * bd_store_commit (); reads may stand alone.
 */

#define BD_STORE_ERROR (bd_store_error_quark ())

typedef enum
{
  BD_STORE_ERROR_FAILED,        /* SQLite said no: the message says why */
  BD_STORE_ERROR_NEWER_SCHEMA,  /* written by a newer version of the service */
  BD_STORE_ERROR_NOT_SEEDED,    /* the database holds no tenant yet */
  BD_STORE_ERROR_SEEDED,        /* the database holds a tenant already */
} BdStoreError;

typedef enum
{
  BD_STORE_DURABLE,   /* synchronous=FULL: a commit survives a power cut */
  BD_STORE_SCRATCH,   /* synchronous=OFF: for fuzzers and benchmarks only */
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
} BdOperation;

/* A stored answer to a request with an Idempotency-Key. */
typedef struct
{
  GBytes *fingerprint;  /* of the method, path and body */
  guint   status;
  GBytes *body;         /* NULL is stored as empty */
  gint64  created;
} BdIdempotentAnswer;

#define BD_TYPE_STORE (bd_store_get_type ())

G_DECLARE_FINAL_TYPE (BdStore, bd_store, BD, STORE, GObject)

GQuark              bd_store_error_quark               (void);

BdStore            *bd_store_open                      (const char                *path,
                                                        BdStoreDurability          durability,
                                                        GError                   **error);
gint                bd_store_get_schema_version        (BdStore                   *self);
/* Diagnostics and tests: one of busy_timeout, foreign_keys, journal_mode,
 * synchronous, user_version, as SQLite answers it.
 */
char               *bd_store_get_pragma                (BdStore                   *self,
                                                        const char                *name,
                                                        GError                   **error);
gboolean            bd_store_is_seeded                 (BdStore                   *self,
                                                        GError                   **error);
gboolean            bd_store_seed                      (BdStore                   *self,
                                                        BdTenantFile              *file,
                                                        GError                   **error);
gboolean            bd_store_check_integrity           (BdStore                   *self,
                                                        GError                   **error);

gboolean            bd_store_begin                     (BdStore                   *self,
                                                        GError                   **error);
gboolean            bd_store_commit                    (BdStore                   *self,
                                                        GError                   **error);
void                bd_store_rollback                  (BdStore                   *self);

BdTenant           *bd_store_get_tenant                (BdStore                   *self,
                                                        GError                   **error);
BdUser             *bd_store_find_user_by_token        (BdStore                   *self,
                                                        const char                *token,
                                                        GError                   **error);
BdSubscriptionData *bd_store_get_subscription          (BdStore                   *self,
                                                        const char                *id,
                                                        GError                   **error);
GPtrArray          *bd_store_list_subscriptions        (BdStore                   *self,
                                                        const char                *after_product_name,
                                                        const char                *after_id,
                                                        guint                      limit,
                                                        GError                   **error);
gboolean            bd_store_put_subscription          (BdStore                   *self,
                                                        const BdSubscriptionData  *data,
                                                        GError                   **error);
BdBillingProfile   *bd_store_get_billing_profile       (BdStore                   *self,
                                                        const char                *id,
                                                        GError                   **error);
GPtrArray          *bd_store_list_billing_profiles     (BdStore                   *self,
                                                        GError                   **error);
GPtrArray          *bd_store_list_domains              (BdStore                   *self,
                                                        GError                   **error);
gboolean            bd_store_has_domain_attached       (BdStore                   *self,
                                                        const char                *subscription_id,
                                                        gboolean                  *attached,
                                                        GError                   **error);
gboolean            bd_store_add_operation             (BdStore                   *self,
                                                        BdOperation               *operation,
                                                        GError                   **error);
GPtrArray          *bd_store_list_operations           (BdStore                   *self,
                                                        const char                *subscription_id,
                                                        gint64                     after_seq,
                                                        guint                      limit,
                                                        GError                   **error);
gboolean            bd_store_get_idempotent_answer     (BdStore                   *self,
                                                        const char                *user_id,
                                                        const char                *endpoint,
                                                        const char                *key,
                                                        BdIdempotentAnswer       **answer,
                                                        GError                   **error);
gboolean            bd_store_put_idempotent_answer     (BdStore                   *self,
                                                        const char                *user_id,
                                                        const char                *endpoint,
                                                        const char                *key,
                                                        const BdIdempotentAnswer  *answer,
                                                        GError                   **error);
gboolean            bd_store_forget_idempotent_answers (BdStore                   *self,
                                                        gint64                     created_before,
                                                        GError                   **error);

void                bd_operation_free                  (BdOperation               *operation);
void                bd_idempotent_answer_free          (BdIdempotentAnswer        *answer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdOperation, bd_operation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdIdempotentAnswer, bd_idempotent_answer_free)

G_END_DECLS
