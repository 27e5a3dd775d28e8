/* bd-store.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The BdStore interface: each public function checks its arguments and
 * calls the implementation's. Opening one is in bd-store-open.c, which
 * knows the implementations; this file knows none.
 */

#define G_LOG_DOMAIN "bd-store"

#include "config.h"

#include "bd-store.h"

G_DEFINE_INTERFACE (BdStore, bd_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (bd-store-error-quark, bd_store_error)

static void
bd_store_default_init (BdStoreInterface *iface)
{
}

/**
 * bd_store_get_schema_version:
 *
 * Returns: the version of the database's schema
 */
gint
bd_store_get_schema_version (BdStore *self)
{
  g_return_val_if_fail (BD_IS_STORE (self), 0);

  return BD_STORE_GET_IFACE (self)->get_schema_version (self);
}

/**
 * bd_store_check_integrity:
 *
 * Runs the database's own consistency checks.
 *
 * Returns: whether the database is sound; if not, the error says where not
 */
gboolean
bd_store_check_integrity (BdStore  *self,
                          GError  **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  return BD_STORE_GET_IFACE (self)->check_integrity (self, error);
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
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  return BD_STORE_GET_IFACE (self)->is_seeded (self, error);
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
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (file != NULL && file->tenant != NULL, FALSE);
  g_return_val_if_fail (file->users->len == file->tokens->len, FALSE);

  return BD_STORE_GET_IFACE (self)->seed (self, file, error);
}

/**
 * bd_store_begin:
 *
 * Starts a transaction that holds what it reads from the start, so that it
 * cannot change before the transaction commits (see bd-store.h).
 */
gboolean
bd_store_begin (BdStore  *self,
                GError  **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  return BD_STORE_GET_IFACE (self)->begin (self, error);
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
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  return BD_STORE_GET_IFACE (self)->commit (self, error);
}

/**
 * bd_store_rollback:
 *
 * Discards the open transaction, if there is one; safe to call after a
 * failed commit or when the database already rolled back by itself.
 */
void
bd_store_rollback (BdStore *self)
{
  g_return_if_fail (BD_IS_STORE (self));

  BD_STORE_GET_IFACE (self)->rollback (self);
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
  g_return_val_if_fail (BD_IS_STORE (self), NULL);

  return BD_STORE_GET_IFACE (self)->get_tenant (self, error);
}

/**
 * bd_store_find_user_by_token:
 * @now: the service's clock, to tell an expired token
 *
 * Finds the user of a token that is neither revoked nor expired at @now,
 * of a user who is not disabled; nothing is cached, so a change by the
 * commands holds from the next call on. Every candidate's hash is compared,
 * in constant time. The token's last use is written, to the minute, when
 * the minute changed since it was written last.
 *
 * Returns: (transfer full) (nullable): the user whose token @token is, or
 *   %NULL: with no error when no user has it
 */
BdUser *
bd_store_find_user_by_token (BdStore     *self,
                             const char  *token,
                             gint64       now,
                             GError     **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  return BD_STORE_GET_IFACE (self)->find_user_by_token (self, token, now, error);
}

/**
 * bd_store_list_users:
 *
 * Returns: (transfer full) (element-type BdStoredUser): every user, by id
 */
GPtrArray *
bd_store_list_users (BdStore  *self,
                     GError  **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), NULL);

  return BD_STORE_GET_IFACE (self)->list_users (self, error);
}

/**
 * bd_store_add_user:
 *
 * Adds an enabled user, without a token.
 *
 * Returns: whether it was added; %BD_STORE_ERROR_EXISTS when a user has its id
 */
gboolean
bd_store_add_user (BdStore  *self,
                   BdUser   *user,
                   GError  **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (BD_IS_USER (user), FALSE);

  return BD_STORE_GET_IFACE (self)->add_user (self, user, error);
}

/**
 * bd_store_set_user_roles:
 *
 * Returns: whether they were set; %BD_STORE_ERROR_NOT_FOUND for no such user
 */
gboolean
bd_store_set_user_roles (BdStore     *self,
                         const char  *id,
                         guint        roles,
                         GError     **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return BD_STORE_GET_IFACE (self)->set_user_roles (self, id, roles, error);
}

/**
 * bd_store_set_user_disabled:
 *
 * A disabled user's tokens stop working; enabled again, they work unless
 * revoked or expired.
 *
 * Returns: whether it was set; %BD_STORE_ERROR_NOT_FOUND for no such user
 */
gboolean
bd_store_set_user_disabled (BdStore     *self,
                            const char  *id,
                            gboolean     disabled,
                            GError     **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return BD_STORE_GET_IFACE (self)->set_user_disabled (self, id, disabled, error);
}

/**
 * bd_store_add_token:
 * @token: its id, user, label, creation and expiry (the rest is ignored)
 * @token_hash: the SHA-256 hash of the token, %BD_TOKEN_HASH_LENGTH bytes
 *
 * Returns: whether it was added; %BD_STORE_ERROR_NOT_FOUND for no such user
 */
gboolean
bd_store_add_token (BdStore              *self,
                    const BdStoredToken  *token,
                    const guint8         *token_hash,
                    GError              **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (token != NULL && token->id != NULL && token->user_id != NULL &&
                        token->label != NULL, FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);

  return BD_STORE_GET_IFACE (self)->add_token (self, token, token_hash, error);
}

/**
 * bd_store_list_tokens:
 * @user_id: (nullable): only this user's tokens
 *
 * Returns: (transfer full) (element-type BdStoredToken): the tokens, by
 *   user, then creation, then id
 */
GPtrArray *
bd_store_list_tokens (BdStore     *self,
                      const char  *user_id,
                      GError     **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), NULL);

  return BD_STORE_GET_IFACE (self)->list_tokens (self, user_id, error);
}

/**
 * bd_store_revoke_token:
 *
 * Revoking a revoked token again succeeds.
 *
 * Returns: whether it is revoked; %BD_STORE_ERROR_NOT_FOUND for no such token
 */
gboolean
bd_store_revoke_token (BdStore     *self,
                       const char  *id,
                       GError     **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return BD_STORE_GET_IFACE (self)->revoke_token (self, id, error);
}

/**
 * bd_store_get_subscription:
 *
 * Inside a transaction, the row stays locked until it ends (bd-store.h).
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
  g_return_val_if_fail (BD_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return BD_STORE_GET_IFACE (self)->get_subscription (self, id, error);
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
  g_return_val_if_fail (BD_IS_STORE (self), NULL);
  g_return_val_if_fail ((after_product_name == NULL) == (after_id == NULL), NULL);

  return BD_STORE_GET_IFACE (self)->list_subscriptions (self, after_product_name, after_id,
                                                         limit, error);
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
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (data != NULL && data->id != NULL, FALSE);

  return BD_STORE_GET_IFACE (self)->put_subscription (self, data, error);
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
  g_return_val_if_fail (BD_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return BD_STORE_GET_IFACE (self)->get_billing_profile (self, id, error);
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
  g_return_val_if_fail (BD_IS_STORE (self), NULL);

  return BD_STORE_GET_IFACE (self)->list_billing_profiles (self, error);
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
  g_return_val_if_fail (BD_IS_STORE (self), NULL);

  return BD_STORE_GET_IFACE (self)->list_domains (self, error);
}

/**
 * bd_store_has_domain_attached:
 * @attached: (out): whether a domain lists @subscription_id (rule 5)
 *
 * What the rules need of the domains for one subscription, without reading
 * every domain.
 */
gboolean
bd_store_has_domain_attached (BdStore     *self,
                              const char  *subscription_id,
                              gboolean    *attached,
                              GError     **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (subscription_id != NULL, FALSE);
  g_return_val_if_fail (attached != NULL, FALSE);

  return BD_STORE_GET_IFACE (self)->has_domain_attached (self, subscription_id, attached, error);
}

/**
 * bd_store_add_operation:
 * @operation: the entry; its `seq` is set, and its `id` when it was %NULL
 *
 * Appends an entry to the ledger. A %NULL `detail` is stored as `{}`.
 */
gboolean
bd_store_add_operation (BdStore            *self,
                        BdStoredOperation  *operation,
                        GError            **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (operation != NULL, FALSE);
  g_return_val_if_fail (operation->user_id != NULL, FALSE);
  g_return_val_if_fail (operation->subscription_id != NULL, FALSE);
  g_return_val_if_fail (operation->action != NULL, FALSE);

  return BD_STORE_GET_IFACE (self)->add_operation (self, operation, error);
}

/**
 * bd_store_list_operations:
 * @subscription_id: (nullable): only this subscription's entries, or %NULL
 *   for the whole ledger
 * @order: oldest or newest first
 * @after_seq: answer entries after this one in @order (0: from the start,
 *   the first entry or the last)
 * @limit: the most entries to answer
 *
 * Returns: (transfer container) (element-type BdStoredOperation): the entries,
 *   in @order
 */
GPtrArray *
bd_store_list_operations (BdStore           *self,
                          const char        *subscription_id,
                          BdOperationsOrder  order,
                          gint64             after_seq,
                          guint              limit,
                          GError           **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), NULL);

  return BD_STORE_GET_IFACE (self)->list_operations (self, subscription_id, order, after_seq,
                                                      limit, error);
}

/**
 * bd_store_get_idempotent_answer:
 * @kept_since: an answer created before it is past the retention: as absent
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
                                gint64               kept_since,
                                BdIdempotentAnswer **answer,
                                GError             **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL && endpoint != NULL && key != NULL, FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);

  *answer = NULL;

  return BD_STORE_GET_IFACE (self)->get_idempotent_answer (self, user_id, endpoint, key,
                                                            kept_since, answer, error);
}

/**
 * bd_store_put_idempotent_answer:
 * @kept_since: an answer under the same key created before it is past the
 *   retention: it is replaced
 *
 * Stores the answer under (@user_id, @endpoint, @key); storing a second
 * answer under the same key while the first is kept is an error. A %NULL
 * body is stored as empty.
 */
gboolean
bd_store_put_idempotent_answer (BdStore                   *self,
                                const char                *user_id,
                                const char                *endpoint,
                                const char                *key,
                                gint64                     kept_since,
                                const BdIdempotentAnswer  *answer,
                                GError                   **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL && endpoint != NULL && key != NULL, FALSE);
  g_return_val_if_fail (answer != NULL && answer->fingerprint != NULL, FALSE);

  return BD_STORE_GET_IFACE (self)->put_idempotent_answer (self, user_id, endpoint, key,
                                                            kept_since, answer, error);
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
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  return BD_STORE_GET_IFACE (self)->forget_idempotent_answers (self, created_before, error);
}

/**
 * bd_store_claim_idempotency_key:
 * @kept_since: an answer under the key created before it is past the
 *   retention: it is as absent, and the claim takes its place
 * @fingerprint: of the request that claims the key
 * @answer: (out) (transfer full) (nullable): the answer kept under the key
 *
 * Inside a change's transaction, before the change is applied: claims
 * (@user_id, @endpoint, @key) for this transaction, so that the same key in
 * another transaction, on this instance or on another, waits for this one
 * to end (docs/design.md section 6). The claim is a row under the key's
 * unique index that no other transaction sees before the commit; the
 * change replaces it with its answer (bd_store_put_idempotent_answer ()),
 * and a rollback takes it away: nothing "in progress" is ever committed.
 *
 * When another transaction holds the key, this one waits for it to end,
 * at most %BD_STORE_LOCK_TIMEOUT_SECONDS (SQLite: its busy timeout, at the
 * transaction's start), and then finds its answer.
 *
 * Returns: %TRUE with *@answer %NULL when the key is this transaction's
 *   now; %TRUE with *@answer set when an answer is kept under it (the
 *   caller compares the fingerprints); %FALSE with
 *   %BD_STORE_ERROR_LOCK_TIMEOUT when the wait timed out, or another error
 */
gboolean
bd_store_claim_idempotency_key (BdStore             *self,
                                const char          *user_id,
                                const char          *endpoint,
                                const char          *key,
                                gint64               kept_since,
                                GBytes              *fingerprint,
                                BdIdempotentAnswer **answer,
                                GError             **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL && endpoint != NULL && key != NULL, FALSE);
  g_return_val_if_fail (fingerprint != NULL && answer != NULL, FALSE);

  *answer = NULL;

  return BD_STORE_GET_IFACE (self)->claim_idempotency_key (self, user_id, endpoint, key,
                                                            kept_since, fingerprint, answer,
                                                            error);
}

/**
 * bd_store_ping:
 *
 * Asks the database for the cheapest answer it gives (GET /v1/health):
 * on a server database one round trip, on a connection opened again first
 * when the last one broke. Call it outside a transaction.
 *
 * Returns: whether the database answered; if not, %BD_STORE_ERROR_UNAVAILABLE
 *   (or %BD_STORE_ERROR_FAILED) says why
 */
gboolean
bd_store_ping (BdStore  *self,
               GError  **error)
{
  g_return_val_if_fail (BD_IS_STORE (self), FALSE);

  return BD_STORE_GET_IFACE (self)->ping (self, error);
}

void
bd_stored_operation_free (BdStoredOperation *operation)
{
  if (operation == NULL)
    return;

  g_free (operation->id);
  g_free (operation->user_id);
  g_free (operation->subscription_id);
  g_free (operation->action);
  g_free (operation->idempotency_key);
  g_free (operation->detail);
  g_free (operation->user_display_name);
  g_free (operation->product_name);
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

void
bd_stored_user_free (BdStoredUser *user)
{
  if (user == NULL)
    return;

  g_clear_object (&user->user);
  g_free (user);
}

void
bd_stored_token_free (BdStoredToken *token)
{
  if (token == NULL)
    return;

  g_free (token->id);
  g_free (token->user_id);
  g_free (token->label);
  g_free (token);
}
