/* bd-client-changes.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-client-changes"

#include "config.h"

#include "bd-client-private.h"

/* The requests that change a subscription, as the service's
 * bd-api-changes.c answers them: cancel, update (PATCH), reactivate and
 * delete. Each change that may be repeated carries the Idempotency-Key of
 * the user's action; each that must not overwrite another's carries the
 * ETag it was based on as If-Match.
 */

/*
 * Public API
 */

/**
 * bd_client_cancel_async:
 * @feedback: (nullable): the feedback, left out when %NULL
 * @idempotency_key: the key of this user action (bd_client_new_idempotency_key ());
 *   Check Again resends with the same key
 *
 * `POST /v1/subscriptions/{id}/cancel`.
 */
void
bd_client_cancel_async (BdClient            *self,
                        const char          *id,
                        BdCancelReason       reason,
                        const char          *feedback,
                        const char          *idempotency_key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *reason_word = bd_cancel_reason_to_string (reason);
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (reason_word != NULL);
  g_return_if_fail (idempotency_key != NULL);
  g_return_if_fail (_bd_client_is_header_value (idempotency_key, BD_CLIENT_IDEMPOTENCY_KEY_MAX));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason_word);
  if (feedback != NULL)
    {
      json_builder_set_member_name (builder, "feedback");
      json_builder_add_string_value (builder, feedback);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  task = _bd_client_new_task (self, cancellable, callback, user_data, bd_client_cancel_async);
  uri = _bd_client_subscription_uri (self, id, "/cancel");
  _bd_client_send_request (self, task, SOUP_METHOD_POST, uri, body, idempotency_key, NULL,
                           BD_CLIENT_ANSWER_CANCEL, id);
}

/**
 * bd_client_cancel_finish:
 *
 * Returns: (transfer full) (nullable): the answer: the cancelled
 *   subscription (the one asked for), the refund if money comes back, and
 *   when the customer's data may be and will be deleted
 */
BdCancelAnswer *
bd_client_cancel_finish (BdClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return _bd_client_propagate (self, result, bd_client_cancel_async, error);
}

/**
 * bd_client_update_async:
 * @etag: the subscription's ETag as read, sent as If-Match
 * @set_recurring_billing: whether to change recurring billing
 * @quantity: the new number of licenses, or -1 to leave it
 *
 * `PATCH /v1/subscriptions/{id}` with at least one change.
 */
void
bd_client_update_async (BdClient            *self,
                        const char          *id,
                        const char          *etag,
                        gboolean             set_recurring_billing,
                        BdRecurringBilling   recurring_billing,
                        gint64               quantity,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (etag != NULL && _bd_client_is_header_value (etag, G_MAXSIZE));
  g_return_if_fail (set_recurring_billing || quantity >= 0);
  g_return_if_fail (!set_recurring_billing ||
                    bd_recurring_billing_to_string (recurring_billing) != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (set_recurring_billing)
    {
      json_builder_set_member_name (builder, "recurringBilling");
      json_builder_add_string_value (builder, bd_recurring_billing_to_string (recurring_billing));
    }
  if (quantity >= 0)
    {
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, quantity);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  task = _bd_client_new_task (self, cancellable, callback, user_data, bd_client_update_async);
  uri = _bd_client_subscription_uri (self, id, NULL);
  _bd_client_send_request (self, task, "PATCH", uri, body, NULL, etag,
                           BD_CLIENT_ANSWER_SUBSCRIPTION, id);
}

/**
 * bd_client_update_finish:
 *
 * Returns: (transfer full) (nullable): the updated subscription
 */
BdSubscription *
bd_client_update_finish (BdClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return _bd_client_propagate (self, result, bd_client_update_async, error);
}

/**
 * bd_client_reactivate_async:
 * @idempotency_key: (nullable): the key of this user action
 *
 * `POST /v1/subscriptions/{id}/reactivate`, without a body.
 */
void
bd_client_reactivate_async (BdClient            *self,
                            const char          *id,
                            const char          *idempotency_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (idempotency_key == NULL ||
                    _bd_client_is_header_value (idempotency_key, BD_CLIENT_IDEMPOTENCY_KEY_MAX));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _bd_client_new_task (self, cancellable, callback, user_data, bd_client_reactivate_async);
  uri = _bd_client_subscription_uri (self, id, "/reactivate");
  _bd_client_send_request (self, task, SOUP_METHOD_POST, uri, NULL, idempotency_key, NULL,
                           BD_CLIENT_ANSWER_SUBSCRIPTION, id);
}

/**
 * bd_client_reactivate_finish:
 *
 * Returns: (transfer full) (nullable): the reactivated subscription
 */
BdSubscription *
bd_client_reactivate_finish (BdClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return _bd_client_propagate (self, result, bd_client_reactivate_async, error);
}

/**
 * bd_client_delete_async:
 * @etag: the subscription's ETag as read, sent as If-Match
 * @confirm: the product name as the admin typed it
 * @idempotency_key: (nullable): the key of this user action
 *
 * `DELETE /v1/subscriptions/{id}` with `{"confirm": …}`.
 */
void
bd_client_delete_async (BdClient            *self,
                        const char          *id,
                        const char          *etag,
                        const char          *confirm,
                        const char          *idempotency_key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (etag != NULL && _bd_client_is_header_value (etag, G_MAXSIZE));
  g_return_if_fail (confirm != NULL);
  g_return_if_fail (idempotency_key == NULL ||
                    _bd_client_is_header_value (idempotency_key, BD_CLIENT_IDEMPOTENCY_KEY_MAX));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "confirm");
  json_builder_add_string_value (builder, confirm);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  task = _bd_client_new_task (self, cancellable, callback, user_data, bd_client_delete_async);
  uri = _bd_client_subscription_uri (self, id, NULL);
  _bd_client_send_request (self, task, SOUP_METHOD_DELETE, uri, body, idempotency_key, etag,
                           BD_CLIENT_ANSWER_SUBSCRIPTION, id);
}

/**
 * bd_client_delete_finish:
 *
 * Returns: (transfer full) (nullable): the deleted subscription
 */
BdSubscription *
bd_client_delete_finish (BdClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return _bd_client_propagate (self, result, bd_client_delete_async, error);
}
