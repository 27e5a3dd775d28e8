/* bd-token-store.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The calls run one at a time, in the order they were made (a queue of
 * GTasks), so that a store and a clear of the same account never cross in
 * the Secret Service. Each keyring call has a GCancellable of its own,
 * cancelled by a timeout: a Secret Service that does not answer turns the
 * store into a session-only one, and the call is done in memory instead
 * (but a clear, once the keyring was used: see run_in_memory ()). Only an
 * unlock, which may show the user a password prompt, is not timed. The
 * caller's GCancellable is not handed to libsecret (but for an unlock): a
 * D-Bus call once sent may still be carried out, so a store or clear that
 * the caller cancelled is let finish, then undone (the item as it was
 * before is put back), and only then returns G_IO_ERROR_CANCELLED: a
 * cancelled call leaves nothing half-done.
 *
 * A token is never logged: the debug lines name the account only.
 */

#define G_LOG_DOMAIN "bd-token-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bd-token-store-private.h"

G_DEFINE_FINAL_TYPE (BdTokenStore, bd_token_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (bd-token-store-error-quark, bd_token_store_error)

/* Overwrites a token before its memory goes back to the allocator. */
static void
wipe_free (gpointer data)
{
  char *token = data;

  if (token == NULL)
    return;
  explicit_bzero (token, strlen (token));
  g_free (token);
}

static void
op_free (gpointer data)
{
  Op *op = data;

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  g_clear_object (&op->call_cancellable);
  g_free (op->service_url);
  g_free (op->session_key);
  g_free (op->user_id);
  g_free (op->label);
  wipe_free (op->token);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_free (op->previous_label);
  g_clear_pointer (&op->previous, secret_value_unref);
  g_free (op);
}

static void run_next (BdTokenStore *self);

/* Returns @task's result (a lookup's @token, else @ok; or
 * G_IO_ERROR_CANCELLED when the caller cancelled), takes it off the queue
 * and runs the next call.
 */
/* Takes @task, which returned, off the queue and runs the next call. */
static void
dequeue (GTask *task)
{
  BdTokenStore *self = g_object_ref (g_task_get_source_object (task));
  GTask *head;

  head = g_queue_pop_head (&self->queue);
  g_assert (head == task);
  self->busy = FALSE;
  g_object_unref (task);
  run_next (self);
  g_object_unref (self);
}

void
_bd_token_store_finish (GTask    *task,
                        gboolean  ok,
                        char     *token)
{
  Op *op = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    wipe_free (token);
  else if (op->kind == OP_LOOKUP)
    g_task_return_pointer (task, token, wipe_free);
  else
    g_task_return_boolean (task, ok);
  dequeue (task);
}

gboolean
_bd_token_store_caller_cancelled (GTask *task)
{
  return g_cancellable_is_cancelled (g_task_get_cancellable (task));
}

/* A clear the keyring did not confirm: an error, the token kept. */
static void
fail_clear (GTask *task)
{
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_new_error (task, BD_TOKEN_STORE_ERROR, BD_TOKEN_STORE_ERROR_KEYRING,
                             _("The keyring did not confirm that the token was removed."));
  dequeue (task);
}

/* The call in memory: the store is session-only. */
static void
run_in_memory (GTask *task)
{
  BdTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (_bd_token_store_caller_cancelled (task))
    {
      _bd_token_store_finish (task, FALSE, NULL);
      return;
    }

  switch (op->kind)
    {
    case OP_CHECK:
      _bd_token_store_finish (task, FALSE, NULL);
      break;

    case OP_STORE:
      g_hash_table_replace (self->session, g_strdup (op->session_key), g_strdup (op->token));
      op->session_only = TRUE;
      _bd_token_store_finish (task, TRUE, NULL);
      break;

    case OP_LOOKUP:
      _bd_token_store_finish (task, TRUE,
                              g_strdup (g_hash_table_lookup (self->session, op->session_key)));
      break;

    case OP_CLEAR:
      /* The keyring may still hold a token it held once (or one a store
       * that timed out put there later): forgetting the copy in memory
       * would say the token is gone when it may not be. */
      if (self->used_keyring)
        {
          fail_clear (task);
          break;
        }
      g_hash_table_remove (self->session, op->session_key);
      _bd_token_store_finish (task, TRUE, NULL);
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
run_in_memory_cb (gpointer user_data)
{
  run_in_memory (user_data);

  return G_SOURCE_REMOVE;
}

/* The Secret Service failed or did not answer: from now on, this session
 * keeps its tokens in memory.
 */
void
_bd_token_store_fall_back (GTask        *task,
                           const GError *error)
{
  BdTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (op->timed_out)
    g_message ("The Secret Service did not answer within %d seconds: "
               "tokens are kept for this session only",
               BD_TOKEN_STORE_TIMEOUT_SECONDS);
  else if (self->state == STATE_KEYRING)
    g_message ("The Secret Service failed (%s): tokens are kept for this session only",
               error->message);
  else
    g_debug ("No Secret Service (%s): tokens are kept for this session only", error->message);

  self->state = STATE_SESSION_ONLY;
  g_clear_object (&self->service);
  run_in_memory (task);
}

static void
run_next (BdTokenStore *self)
{
  GTask *task;

  if (self->busy || g_queue_is_empty (&self->queue))
    return;

  self->busy = TRUE;
  task = g_queue_peek_head (&self->queue);
  switch (self->state)
    {
    case STATE_UNKNOWN:
      _bd_token_store_connect (task);
      break;

    case STATE_KEYRING:
      _bd_token_store_run_in_keyring (task);
      break;

    case STATE_SESSION_ONLY:
      /* In an idle, so that the call never returns before its _async
       * function did.
       */
      g_idle_add (run_in_memory_cb, task);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
enqueue (BdTokenStore        *self,
         OpKind               kind,
         const char          *service_url,
         const char          *user_id,
         const char          *label,
         const char          *token,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         gpointer             source_tag)
{
  GTask *task;
  Op *op;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  op = g_new0 (Op, 1);
  g_task_set_source_tag (task, source_tag);
  op->kind = kind;
  if (kind != OP_CHECK)
    {
      op->service_url = g_strdup (service_url);
      op->user_id = g_strdup (user_id);
      op->session_key = g_strconcat (service_url, "\n", user_id, NULL);
      op->attributes = secret_attributes_build (self->schema,
                                                "service-url", service_url,
                                                "user-id", user_id,
                                                NULL);
    }
  op->label = g_strdup (label);
  op->token = g_strdup (token);
  g_task_set_task_data (task, op, op_free);
  g_queue_push_tail (&self->queue, task);
  run_next (self);
}

/*
 * GObject overrides
 */

static void
bd_token_store_finalize (GObject *object)
{
  BdTokenStore *self = BD_TOKEN_STORE (object);

  /* Each call holds a reference on the store until it returned. */
  g_assert (g_queue_is_empty (&self->queue));
  g_clear_pointer (&self->schema, secret_schema_unref);
  g_clear_object (&self->service);
  g_clear_pointer (&self->session, g_hash_table_unref);

  G_OBJECT_CLASS (bd_token_store_parent_class)->finalize (object);
}

static void
bd_token_store_class_init (BdTokenStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bd_token_store_finalize;
}

static void
bd_token_store_init (BdTokenStore *self)
{
  self->session = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  g_queue_init (&self->queue);
}

/*
 * Public API
 */

/**
 * bd_token_store_new:
 * @schema_name: the libsecret schema's name, the application id and ".Token"
 *
 * Returns: (transfer full): a store that has not asked the Secret Service yet
 */
BdTokenStore *
bd_token_store_new (const char *schema_name)
{
  BdTokenStore *self;

  g_return_val_if_fail (schema_name != NULL, NULL);

  self = g_object_new (BD_TYPE_TOKEN_STORE, NULL);
  self->schema = secret_schema_new (schema_name, SECRET_SCHEMA_NONE,
                                    "service-url", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                    "user-id", SECRET_SCHEMA_ATTRIBUTE_STRING,
                                    NULL);

  return self;
}

/**
 * bd_token_store_is_session_only:
 *
 * Returns: %TRUE once the store found no keyring (or it failed): tokens are
 *   kept in memory, for this session only; %FALSE before it asked
 */
gboolean
bd_token_store_is_session_only (BdTokenStore *self)
{
  g_return_val_if_fail (BD_IS_TOKEN_STORE (self), FALSE);

  return self->state == STATE_SESSION_ONLY;
}

void
bd_token_store_check_async (BdTokenStore        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BD_IS_TOKEN_STORE (self));

  enqueue (self, OP_CHECK, NULL, NULL, NULL, NULL, cancellable, callback, user_data,
           bd_token_store_check_async);
}

/**
 * bd_token_store_check_finish:
 *
 * Returns: %TRUE when tokens go to the keyring, %FALSE when they are kept
 *   for this session only (@error unset) or the call was cancelled
 */
gboolean
bd_token_store_check_finish (BdTokenStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bd_token_store_store_async (BdTokenStore        *self,
                            const char          *service_url,
                            const char          *user_id,
                            const char          *label,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BD_IS_TOKEN_STORE (self));
  g_return_if_fail (service_url != NULL && user_id != NULL && label != NULL);
  g_return_if_fail (token != NULL && *token != '\0');

  enqueue (self, OP_STORE, service_url, user_id, label, token, cancellable, callback, user_data,
           bd_token_store_store_async);
}

gboolean
bd_token_store_store_finish (BdTokenStore  *self,
                             GAsyncResult  *result,
                             gboolean      *session_only,
                             GError       **error)
{
  Op *op;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  op = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (session_only != NULL)
    *session_only = op->session_only;

  return TRUE;
}

void
bd_token_store_lookup_async (BdTokenStore        *self,
                             const char          *service_url,
                             const char          *user_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BD_IS_TOKEN_STORE (self));
  g_return_if_fail (service_url != NULL && user_id != NULL);

  enqueue (self, OP_LOOKUP, service_url, user_id, NULL, NULL, cancellable, callback, user_data,
           bd_token_store_lookup_async);
}

char *
bd_token_store_lookup_finish (BdTokenStore  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bd_token_store_clear_async (BdTokenStore        *self,
                            const char          *service_url,
                            const char          *user_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BD_IS_TOKEN_STORE (self));
  g_return_if_fail (service_url != NULL && user_id != NULL);

  enqueue (self, OP_CLEAR, service_url, user_id, NULL, NULL, cancellable, callback, user_data,
           bd_token_store_clear_async);
}

gboolean
bd_token_store_clear_finish (BdTokenStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
