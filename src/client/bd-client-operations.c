/* bd-client-operations.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The audit ledger, GET /v1/operations, page by page.
 */

#define G_LOG_DOMAIN "bd-client"

#include "config.h"

#include "bd-client-private.h"

/* The first page's query: the default order (oldest) is not sent, so that
 * a service from before `order` answers it too.
 */
static char *
first_page_query (guint              top,
                  BdOperationsOrder  order,
                  const char        *subscription_id)
{
  GString *query = g_string_new (NULL);

  g_string_append_printf (query, "top=%u", top);
  if (order != BD_OPERATIONS_ORDER_OLDEST)
    g_string_append_printf (query, "&order=%s", bd_operations_order_to_string (order));
  if (subscription_id != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (subscription_id, NULL, FALSE);

      g_string_append_printf (query, "&subscriptionId=%s", escaped);
    }

  return g_string_free (query, FALSE);
}

/**
 * bd_client_list_operations_async:
 * @next_link: (nullable): the `nextLink` of the previous page, or %NULL for
 *   the first page
 * @top: the page size (1..500) of the first page, and of the page that
 *   @next_link names (its `top` replaced); 0 with @next_link: its own
 * @order: oldest or newest first; the first page's only (a @next_link
 *   holds its own)
 * @subscription_id: (nullable): only this subscription's entries; the
 *   first page's only, as @order
 *
 * `GET /v1/operations?top=N[&order=newest][&subscriptionId=ID]`, or the
 * absolute @next_link, which is followed as bd_client_list_subscriptions_async ()
 * follows one: only on the base URL's scheme, host and port, else
 * %BD_CLIENT_ERROR_BAD_ANSWER. Admins only: others get %BD_CLIENT_ERROR_API
 * with %BD_ERROR_CODE_FORBIDDEN; an unknown @subscription_id
 * %BD_ERROR_CODE_NOT_FOUND.
 */
void
bd_client_list_operations_async (BdClient            *self,
                                 const char          *next_link,
                                 guint                top,
                                 BdOperationsOrder    order,
                                 const char          *subscription_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *query = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (next_link != NULL || (top >= 1 && top <= 500));
  g_return_if_fail (bd_operations_order_to_string (order) != NULL);
  g_return_if_fail (subscription_id == NULL || *subscription_id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _bd_client_new_task (self, cancellable, callback, user_data,
                              bd_client_list_operations_async);
  if (next_link == NULL)
    query = first_page_query (top, order, subscription_id);
  _bd_client_send_page (self, task, next_link, top, "/v1/operations", query,
                        BD_CLIENT_ANSWER_OPERATIONS);
}

/**
 * bd_client_list_operations_finish:
 * @next_link: (out) (optional) (nullable) (transfer full): the next page's
 *   link, %NULL on the last page
 *
 * Returns: (transfer full) (element-type BdOperation) (nullable): the page
 */
GPtrArray *
bd_client_list_operations_finish (BdClient      *self,
                                  GAsyncResult  *result,
                                  char         **next_link,
                                  GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return _bd_client_page_finish (self, result, bd_client_list_operations_async, next_link,
                                 error);
}
