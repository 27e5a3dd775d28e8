/* bd-token-store-keyring.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BdTokenStore's calls to the Secret Service (libsecret, asynchronous
 * only). Each call has a GCancellable of its own, cancelled by a timeout;
 * the caller's is not handed to libsecret (see bd-token-store.c). Only
 * unlocking is not timed: it may show a password prompt, which waits for
 * the user (the caller's GCancellable still stops it: an unlock changes
 * nothing to undo). So the search does not unlock, and a store checks
 * that the default collection is unlocked first.
 */

#define G_LOG_DOMAIN "bd-token-store"

#include "config.h"

#include "bd-token-store-private.h"

static gboolean
on_timeout_cb (gpointer user_data)
{
  Op *op = user_data;

  op->timeout_id = 0;
  op->timed_out = TRUE;
  g_cancellable_cancel (op->call_cancellable);

  return G_SOURCE_REMOVE;
}

/* A cancellable for the next keyring call of @op, with its timeout. */
static GCancellable *
begin_call (Op *op)
{
  g_clear_handle_id (&op->timeout_id, g_source_remove);
  g_clear_object (&op->call_cancellable);
  op->call_cancellable = g_cancellable_new ();
  op->timed_out = FALSE;
  op->timeout_id = g_timeout_add (BD_TOKEN_STORE_TIMEOUT_SECONDS * 1000, on_timeout_cb, op);

  return op->call_cancellable;
}

/* Stores @value under @op's attributes, or clears them when @value is NULL. */
static void
change (GTask               *task,
        const char          *label,
        SecretValue         *value,
        GAsyncReadyCallback  callback)
{
  BdTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GCancellable *cancellable = begin_call (op);

  if (value != NULL)
    secret_service_store (self->service, self->schema, op->attributes, SECRET_COLLECTION_DEFAULT,
                          label, value, cancellable, callback, task);
  else
    secret_service_clear (self->service, self->schema, op->attributes, cancellable, callback,
                          task);
}

static void
change_finish (GObject       *object,
               GAsyncResult  *result,
               gboolean       stored,
               GError       **error)
{
  if (stored)
    secret_service_store_finish (SECRET_SERVICE (object), result, error);
  else
    secret_service_clear_finish (SECRET_SERVICE (object), result, error);
}

static void
undo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  change_finish (object, result, op->previous != NULL, &error);
  /* The call says it was cancelled either way: an item that could not
   * be put back is only logged.
   */
  if (error != NULL)
    g_message ("Could not undo a cancelled change in the keyring: %s", error->message);

  _bd_token_store_finish (task, FALSE, NULL);
}

/* The caller cancelled a store or clear that the keyring carried out: the
 * item goes back to what it was.
 */
static void
undo (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  g_debug ("Undoing a cancelled change of the token of %s at %s", op->user_id, op->service_url);
  change (task, op->previous_label, op->previous, undo_cb);
}

static void
changed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  BdTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  change_finish (object, result, op->kind == OP_STORE, &error);

  if (error != NULL)
    {
      _bd_token_store_fall_back (task, error);
      return;
    }
  if (_bd_token_store_caller_cancelled (task))
    {
      undo (task);
      return;
    }

  g_debug ("%s the token of %s at %s in the keyring", op->kind == OP_STORE ? "Stored" : "Cleared",
           op->user_id, op->service_url);
  g_hash_table_remove (self->session, op->session_key);
  op->session_only = FALSE;
  _bd_token_store_finish (task, TRUE, NULL);
}

static void search (GTask *task);
static void store  (GTask *task);

/* After the user was asked to unlock: the search again, or the store. */
static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Dismissed, the prompt unlocks nothing and is no error: what follows
   * finds the item or collection still locked, as without a keyring. */
  secret_service_unlock_finish (SECRET_SERVICE (object), result, NULL, &error);
  if (_bd_token_store_caller_cancelled (task))
    {
      _bd_token_store_finish (task, FALSE, NULL);
      return;
    }
  if (error != NULL)
    {
      _bd_token_store_fall_back (task, error);
      return;
    }
  g_debug ("Asked to unlock the keyring for the token of %s at %s", op->user_id,
           op->service_url);
  if (op->kind == OP_STORE && op->searched)
    store (task);
  else
    search (task);
}

/* Unlocks @object (an item or a collection) once per call, without our
 * timeout: the user may be typing the keyring's password.
 */
static void
unlock (GTask    *task,
        gpointer  object)
{
  BdTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GList objects = { object, NULL, NULL };

  op->unlocked = TRUE;
  secret_service_unlock (self->service, &objects, g_task_get_cancellable (task), unlock_cb,
                         task);
}

/* What the keyring holds now is known: a lookup's answer, or the item to
 * put back if the caller cancels a store or clear, which comes next. (A
 * search rather than secret_service_lookup (), which in libsecret 0.20.5
 * leaks a GVariant of each item it finds: LeakSanitizer shows it.)
 */
static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  items = secret_service_search_finish (SECRET_SERVICE (object), result, &error);
  if (error != NULL)
    {
      _bd_token_store_fall_back (task, error);
      return;
    }
  if (items != NULL && secret_item_get_locked (items->data) && !op->unlocked)
    {
      unlock (task, items->data);
      g_list_free_full (items, g_object_unref);
      return;
    }
  op->searched = TRUE;
  if (items != NULL)
    {
      op->previous_label = secret_item_get_label (items->data);
      op->previous = secret_item_get_secret (items->data);
    }
  g_list_free_full (items, g_object_unref);

  if (op->kind == OP_LOOKUP)
    {
      /* An item that is not text is no token of ours. */
      const char *text = op->previous != NULL ? secret_value_get_text (op->previous) : NULL;

      g_debug ("The keyring holds %s token of %s at %s", text != NULL ? "a" : "no", op->user_id,
               op->service_url);
      _bd_token_store_finish (task, TRUE, g_strdup (text));
      return;
    }
  if (_bd_token_store_caller_cancelled (task))
    {
      _bd_token_store_finish (task, FALSE, NULL);
      return;
    }

  if (op->kind == OP_STORE)
    store (task);
  else
    change (task, op->label, NULL, changed_cb);
}

static void
collection_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(SecretValue) value = NULL;

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL)
    {
      _bd_token_store_fall_back (task, error);
      return;
    }
  if (_bd_token_store_caller_cancelled (task))
    {
      _bd_token_store_finish (task, FALSE, NULL);
      return;
    }
  if (collection != NULL && secret_collection_get_locked (collection) && !op->unlocked)
    {
      unlock (task, collection);
      return;
    }

  value = secret_value_new (op->token, -1, "text/plain");
  change (task, op->label, value, changed_cb);
}

/* A store into a locked collection would prompt under our timeout: the
 * collection is unlocked first, then the store is timed.
 */
static void
store (GTask *task)
{
  BdTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  secret_collection_for_alias (self->service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                               begin_call (op), collection_cb, task);
}

static void
search (GTask *task)
{
  BdTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  secret_service_search (self->service, self->schema, op->attributes,
                         SECRET_SEARCH_LOAD_SECRETS, begin_call (op), search_cb, task);
}

void
_bd_token_store_run_in_keyring (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (_bd_token_store_caller_cancelled (task))
    {
      _bd_token_store_finish (task, FALSE, NULL);
      return;
    }

  switch (op->kind)
    {
    case OP_CHECK:
      _bd_token_store_finish (task, TRUE, NULL);
      break;

    case OP_LOOKUP:
    case OP_STORE:
    case OP_CLEAR:
      search (task);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
get_service_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  BdTokenStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  self->service = secret_service_get_finish (result, &error);
  if (self->service == NULL)
    {
      _bd_token_store_fall_back (task, error);
      return;
    }

  g_debug ("The Secret Service answered: tokens go to the keyring");
  self->state = STATE_KEYRING;
  self->used_keyring = TRUE;
  _bd_token_store_run_in_keyring (task);
}

/* The first call asks the Secret Service for a session. */
void
_bd_token_store_connect (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  secret_service_get (SECRET_SERVICE_OPEN_SESSION, begin_call (op), get_service_cb, task);
}
