/* bd-token-store.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The accounts' tokens, in the keyring through libsecret: schema
 * "<app id>.Token", attributes "service-url" and "user-id". With no Secret
 * Service on the bus (or one that fails or does not answer in time), a
 * token is kept in this process's memory instead, for this session only,
 * and the store says so. A token is never written to a file, GSettings,
 * a log or an argument list. Every call is asynchronous and cancellable.
 * The calls of one store run one after the other, in the order they were
 * made; each waits at most 5 s for the Secret Service to answer (not for a
 * password prompt the user sees: unlocking the keyring waits as long as
 * the user takes). A cancelled call returns G_IO_ERROR_CANCELLED once
 * nothing of it is left half-done: a store or clear that the keyring
 * carried out is undone. A clear has one more error, BD_TOKEN_STORE_ERROR_KEYRING.
 */

#define BD_TYPE_TOKEN_STORE (bd_token_store_get_type ())
#define BD_TOKEN_STORE_ERROR (bd_token_store_error_quark ())

typedef enum
{
  /* A clear that the keyring did not confirm, once the store had used the
   * keyring: the token may still be in it. The message is translated. */
  BD_TOKEN_STORE_ERROR_KEYRING,
} BdTokenStoreError;

G_DECLARE_FINAL_TYPE (BdTokenStore, bd_token_store, BD, TOKEN_STORE, GObject)

GQuark        bd_token_store_error_quark        (void);
BdTokenStore *bd_token_store_new                (const char           *schema_name);
gboolean      bd_token_store_is_session_only    (BdTokenStore         *self);

/* Whether tokens will go to the keyring (TRUE) or be kept for this session
 * only (FALSE, no error): asks the Secret Service once. The only error is
 * G_IO_ERROR_CANCELLED, as for every call here. */
void          bd_token_store_check_async        (BdTokenStore         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      bd_token_store_check_finish       (BdTokenStore         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* @label: what the keyring shows, such as "Billing Desk: Contoso A/S – Anne Berg".
 * @session_only: (out) (optional): TRUE when the token was kept in memory only. */
void          bd_token_store_store_async        (BdTokenStore         *self,
                                                 const char           *service_url,
                                                 const char           *user_id,
                                                 const char           *label,
                                                 const char           *token,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      bd_token_store_store_finish       (BdTokenStore         *self,
                                                 GAsyncResult         *result,
                                                 gboolean             *session_only,
                                                 GError              **error);

/* Returns: (transfer full) (nullable): the token; NULL without an error when none is kept. */
void          bd_token_store_lookup_async       (BdTokenStore         *self,
                                                 const char           *service_url,
                                                 const char           *user_id,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char         *bd_token_store_lookup_finish      (BdTokenStore         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Forgets the token, in the keyring and in memory. Once the store has used
 * the keyring, a clear the keyring did not confirm (it failed, went away or
 * did not answer in time) is BD_TOKEN_STORE_ERROR_KEYRING, and the token is
 * kept in memory: it may still be in the keyring. */
void          bd_token_store_clear_async        (BdTokenStore         *self,
                                                 const char           *service_url,
                                                 const char           *user_id,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      bd_token_store_clear_finish       (BdTokenStore         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
