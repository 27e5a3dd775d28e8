/* bd-token-store-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsecret/secret.h>

#include "bd-token-store.h"

G_BEGIN_DECLS

/* How long the Secret Service has to answer one call before the store
 * keeps tokens for this session only.
 */
#define BD_TOKEN_STORE_TIMEOUT_SECONDS 5

typedef enum
{
  STATE_UNKNOWN,
  STATE_KEYRING,
  STATE_SESSION_ONLY,
} State;

typedef enum
{
  OP_CHECK,
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} OpKind;

struct _BdTokenStore
{
  GObject        parent_instance;

  SecretSchema  *schema;
  SecretService *service;    /* once the state is STATE_KEYRING */
  GHashTable    *session;    /* "URL\nuser id" -> token, when session-only */
  GQueue         queue;      /* of GTask: the calls not yet returned, the first one running */
  State          state;
  gboolean       used_keyring; /* the keyring answered once: a clear in memory is not enough */
  gboolean       busy;       /* the first call of the queue is running */
};

typedef struct
{
  OpKind        kind;
  char         *service_url;
  char         *session_key;       /* "URL\nuser id" */
  char         *user_id;
  char         *label;
  char         *token;
  GHashTable   *attributes;
  GCancellable *call_cancellable;  /* the keyring call's own, cancelled by the timeout */
  guint         timeout_id;
  gboolean      timed_out;
  gboolean      session_only;      /* the result of a store */
  gboolean      unlocked;          /* the user was asked to unlock the keyring once */
  gboolean      searched;          /* the search is done: a store's unlock was the collection's */
  /* What the keyring holds (a lookup's answer), or held before a store
   * or clear, put back when the caller cancels: */
  char         *previous_label;
  SecretValue  *previous;
} Op;

/* bd-token-store.c */
gboolean      _bd_token_store_caller_cancelled (GTask        *task);
void          _bd_token_store_finish           (GTask        *task,
                                                gboolean      ok,
                                                char         *token);
void          _bd_token_store_fall_back        (GTask        *task,
                                                const GError *error);

/* bd-token-store-keyring.c */
void          _bd_token_store_connect          (GTask        *task);
void          _bd_token_store_run_in_keyring   (GTask        *task);

G_END_DECLS
