/* bd-api-call.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One request on its way: the one read of the subscription its path names
 * (inside the change's transaction when it is a change), and what the rules
 * need to know around it: its billing profile and whether a domain holds it,
 * nothing more of the tenant.
 */

#define G_LOG_DOMAIN "bd-api"

#include "config.h"

#include "bd-api-call-private.h"
#include "bd-api-responses-private.h"

void
_bd_api_call_clear (BdApiCall *call)
{
  if (call->in_transaction)
    bd_store_rollback (call->store);
  call->in_transaction = FALSE;
  g_clear_pointer (&call->subscription, bd_subscription_data_free);
}

/* Opens the change's transaction; %NULL when it is open, else the 500. */
BdApiResponse *
_bd_api_call_begin (BdApiCall *call)
{
  g_autoptr(GError) error = NULL;

  g_assert (!call->in_transaction);

  if (!bd_store_begin (call->store, &error))
    return _bd_api_store_error (error);

  call->in_transaction = TRUE;
  return NULL;
}

/**
 * _bd_api_call_read_subscription:
 * @for_change: whether the request changes it and passed the checks that
 *   need no store: then the transaction of the change opens first (unless
 *   _bd_api_call_begin () opened it already), so that
 *   the row read is the row written; a refused request reads without it and
 *   so never waits for the write lock
 *
 * Reads the subscription the path names, once for the whole request.
 *
 * Returns: (nullable): %NULL when it was read, else the answer: 404 or 500
 */
BdApiResponse *
_bd_api_call_read_subscription (BdApiCall *call,
                                gboolean   for_change)
{
  g_autoptr(GError) error = NULL;

  g_assert (call->subscription == NULL && call->subscription_id != NULL);

  if (for_change && !call->in_transaction)
    {
      BdApiResponse *response = _bd_api_call_begin (call);

      if (response != NULL)
        return response;
    }

  call->subscription = bd_store_get_subscription (call->store, call->subscription_id, &error);
  if (call->subscription == NULL && error != NULL)
    return _bd_api_store_error (error);
  if (call->subscription == NULL)
    return _bd_api_not_found ();

  return NULL;
}

/* The rule context of the subscription read: only its own billing profile
 * and its own domain links are asked for.
 */
gboolean
_bd_api_call_load_context (BdApiCall  *call,
                           GError    **error)
{
  const BdSubscriptionData *data = call->subscription;
  g_autoptr(BdBillingProfile) profile = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean attached = FALSE;

  g_assert (data != NULL);

  if (call->has_ctx)
    return TRUE;

  if (data->billing_profile_id != NULL)
    {
      profile = bd_store_get_billing_profile (call->store, data->billing_profile_id,
                                              &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (!bd_store_has_domain_attached (call->store, data->id, &attached, error))
    return FALSE;

  call->ctx.roles = bd_user_get_roles (call->user);
  call->ctx.paid_by_invoice = profile != NULL &&
    bd_billing_profile_get_payment_method (profile) == BD_PAYMENT_METHOD_INVOICE;
  call->ctx.custom_domain_attached = attached;
  call->ctx.now = call->now;
  call->has_ctx = TRUE;

  return TRUE;
}

/* The subscription as the API shows it to this user now: derived (rule 10,
 * lazily, on every read) and annotated. @data is the call's subscription,
 * or a copy of it; the context is loaded.
 */
void
_bd_api_call_derive (BdApiCall          *call,
                     BdSubscriptionData *data)
{
  g_assert (call->has_ctx);

  bd_lifecycle_derive (data, call->now);
  bd_rules_annotate (data, &call->ctx);
}

/* Ends the change's transaction; on failure the call's clear rolls back. */
gboolean
_bd_api_call_commit (BdApiCall  *call,
                     GError    **error)
{
  g_assert (call->in_transaction);

  if (!bd_store_commit (call->store, error))
    return FALSE;

  call->in_transaction = FALSE;
  return TRUE;
}
