/* test-client.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BdClient against the real service in this process, and against servers
 * that misbehave on purpose: error mapping, strict answers, the 16 MiB cap,
 * timeouts, lost connections and cancellation (docs/design.md sections 3
 * and 4).
 */

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "bd-client.h"
#include "bd-test-service.h"
#include "service-tenant.h"

/* How long anything may take before the test fails: generous, since it only
 * ever fails a test that would otherwise hang.
 */
#define WAIT_MS 20000

#define S1_PRODUCT "Microsoft 365 Business Premium"
#define S3_PRODUCT "Microsoft 365 Business Standard"

/*
 * Waiting for answers
 */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
wait_for_result (GAsyncResult **slot)
{
  g_assert_true (bd_test_wait_until (has_result, slot, WAIT_MS));
}

static BdClient *
new_client (const char *url,
            const char *token)
{
  BdClient *client = bd_client_new (url, token);

  g_assert_true (BD_IS_CLIENT (client));
  return client;
}

static gboolean
get_me (BdClient  *client,
        BdUser   **user,
        BdTenant **tenant,
        gint64    *server_time,
        GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_client_get_me_async (client, NULL, store_result_cb, &result);
  wait_for_result (&result);
  return bd_client_get_me_finish (client, result, user, tenant, server_time, error);
}

static GPtrArray *
list_page (BdClient    *client,
           const char  *next_link,
           guint        top,
           char       **next,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_client_list_subscriptions_async (client, next_link, top, NULL, store_result_cb, &result);
  wait_for_result (&result);
  return bd_client_list_subscriptions_finish (client, result, next, error);
}

static GPtrArray *
list_operations (BdClient           *client,
                 const char         *next_link,
                 guint               top,
                 BdOperationsOrder   order,
                 const char         *subscription_id,
                 char              **next,
                 GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_client_list_operations_async (client, next_link, top, order, subscription_id, NULL,
                                   store_result_cb, &result);
  wait_for_result (&result);
  return bd_client_list_operations_finish (client, result, next, error);
}

/* Every entry of the ledger, pages of @top followed by their nextLink. */
static GPtrArray *
list_all_operations (BdClient          *client,
                     guint              top,
                     BdOperationsOrder  order,
                     const char        *subscription_id,
                     guint             *n_pages)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *next = NULL;

  *n_pages = 0;
  do
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *link = g_steal_pointer (&next);

      /* a nextLink repeats top, order and subscriptionId */
      page = list_operations (client, link, link != NULL ? 0 : top, order, subscription_id,
                              &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, top);
      g_assert_true (next == NULL || g_str_has_prefix (next, bd_client_get_base_url (client)));
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page, i)));
      (*n_pages)++;
    }
  while (next != NULL);

  return g_steal_pointer (&all);
}

static BdSubscription *
get_subscription (BdClient    *client,
                  const char  *id,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_client_get_subscription_async (client, id, NULL, store_result_cb, &result);
  wait_for_result (&result);
  return bd_client_get_subscription_finish (client, result, error);
}

static BdCancellation *
get_cancellation (BdClient    *client,
                  const char  *id,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_client_get_cancellation_async (client, id, NULL, store_result_cb, &result);
  wait_for_result (&result);
  return bd_client_get_cancellation_finish (client, result, error);
}

typedef struct
{
  gboolean       has_refund;
  BdMoney        refund;
  BdRefundMethod refund_method;
  gint64         deletable_from;
  gint64         deleted_by;
} CancelOuts;

static BdSubscription *
cancel (BdClient        *client,
        const char      *id,
        BdCancelReason   reason,
        const char      *feedback,
        const char      *key,
        CancelOuts      *outs,
        GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BdCancelAnswer) answer = NULL;

  bd_client_cancel_async (client, id, reason, feedback, key, NULL, store_result_cb, &result);
  wait_for_result (&result);
  answer = bd_client_cancel_finish (client, result, error);
  if (answer == NULL)
    return NULL;

  outs->has_refund = answer->has_refund;
  outs->refund = answer->refund;
  outs->refund_method = answer->refund_method;
  outs->deletable_from = answer->deletable_from;
  outs->deleted_by = answer->deleted_by;
  return bd_subscription_new (answer->subscription);
}

static BdSubscription *
update (BdClient            *client,
        const char          *id,
        const char          *etag,
        gboolean             set_recurring_billing,
        BdRecurringBilling   recurring_billing,
        gint64               quantity,
        GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_client_update_async (client, id, etag, set_recurring_billing, recurring_billing, quantity,
                          NULL, store_result_cb, &result);
  wait_for_result (&result);
  return bd_client_update_finish (client, result, error);
}

static BdSubscription *
reactivate (BdClient    *client,
            const char  *id,
            const char  *key,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_client_reactivate_async (client, id, key, NULL, store_result_cb, &result);
  wait_for_result (&result);
  return bd_client_reactivate_finish (client, result, error);
}

static BdSubscription *
delete (BdClient    *client,
        const char  *id,
        const char  *etag,
        const char  *confirm,
        const char  *key,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_client_delete_async (client, id, etag, confirm, key, NULL, store_result_cb, &result);
  wait_for_result (&result);
  return bd_client_delete_finish (client, result, error);
}

static char *
etag_of (BdClient   *client,
         const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BdSubscription) subscription = get_subscription (client, id, &error);

  g_assert_no_error (error);
  return g_strdup (bd_subscription_get_data (subscription)->etag);
}

static guint
count_operations (BdTestService *service,
                  const char    *id)
{
  g_autofree char *path = g_strconcat ("/v1/operations?subscriptionId=", id, NULL);
  g_autoptr(BdTestAnswer) answer = bd_test_service_request (service, "GET", path, ADMIN, NULL,
                                                            NULL);

  g_assert_cmpuint (answer->status, ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (answer->json),
                                                              "value"));
}

/* An API error with its code, status and a sentence of ours. */
static void
assert_api_error (GError      *error,
                  BdErrorCode  code,
                  guint        status)
{
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_API);
  g_assert_cmpint (bd_client_error_get_api_code (error), ==, code);
  g_assert_cmpuint (bd_client_error_get_http_status (error), ==, status);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 10);
  g_assert_false (bd_client_error_is_outcome_unknown (error));
  if (code != BD_ERROR_CODE_UNKNOWN)
    g_assert_null (strstr (error->message, bd_error_code_to_string (code)));
}

/*
 * Against the real service
 */

static void
test_idempotency_key (void)
{
  g_autofree char *a = bd_client_new_idempotency_key ();
  g_autofree char *b = bd_client_new_idempotency_key ();

  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_true (g_uuid_string_is_valid (b));
  g_assert_cmpstr (a, !=, b);
}

static void
test_base_url (void)
{
  g_autoptr(BdClient) client = new_client ("http://127.0.0.1:8421//", "t");
  g_autoptr(BdClient) plain = new_client ("https://billing.example.com/api", NULL);

  g_assert_cmpstr (bd_client_get_base_url (client), ==, "http://127.0.0.1:8421");
  g_assert_cmpstr (bd_client_get_base_url (plain), ==, "https://billing.example.com/api");
}

static void
test_me (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, BILLING);
  g_autoptr(BdUser) user = NULL;
  g_autoptr(BdTenant) tenant = NULL;
  g_autoptr(GError) error = NULL;
  gint64 server_time = 0;

  g_assert_true (get_me (client, &user, &tenant, &server_time, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bd_user_get_id (user), ==, "u2");
  g_assert_cmpstr (bd_user_get_display_name (user), ==, "Søren Kjær");
  g_assert_true (bd_user_has_role (user, BD_ROLE_BILLING_ADMIN));
  g_assert_true (bd_user_can_manage (user));
  g_assert_cmpstr (bd_tenant_get_display_name (tenant), ==, "Contoso A/S");
  g_assert_cmpint (bd_tenant_get_cloud (tenant), ==, BD_CLOUD_WORLDWIDE);
  g_assert_cmpstr (bd_tenant_get_currency (tenant), ==, "DKK");
  bd_assert_time_eq (server_time, NOW);

  /* the outs are optional */
  g_assert_true (get_me (client, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (client);
}

static void
test_unauthenticated (void)
{
  static const char * const tokens[] = { NULL, "wrong-token", "bad\r\nX-Injected: 1" };
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      BdClient *client = new_client (service->url, tokens[i]);
      g_autoptr(GError) error = NULL;

      g_assert_false (get_me (client, NULL, NULL, NULL, &error));
      assert_api_error (error, BD_ERROR_CODE_UNAUTHENTICATED, 401);
      g_assert_finalize_object (client);
    }
}

/* Pages of 3 over the 11 subscriptions that are not Deleted: nothing
 * skipped, nothing repeated, the last page without a next link.
 */
static void
test_list_pages (void)
{
  static const char * const expected[] = {
    "s7", "s5", "s6", "s8", "s1", "s2", "s3", "s4", "s12", "s9", "s10", NULL
  };
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, READER);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) unique = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *next = NULL;
  guint pages = 0;

  do
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *link = g_steal_pointer (&next);

      page = list_page (client, link, 3, &next, &error);
      g_assert_no_error (error);
      g_assert_nonnull (page);
      pages++;

      for (guint i = 0; i < page->len; i++)
        {
          BdSubscription *subscription = g_ptr_array_index (page, i);
          char *id = g_strdup (bd_subscription_get_id (subscription));

          g_assert_true (BD_IS_SUBSCRIPTION (subscription));
          g_ptr_array_add (seen, id);
          g_assert_true (g_hash_table_add (unique, id));
        }

      if (next != NULL)
        {
          g_assert_cmpuint (page->len, ==, 3);
          g_assert_true (g_str_has_prefix (next, service->url));
        }
    }
  while (next != NULL);

  g_assert_cmpuint (pages, ==, 4);
  g_ptr_array_add (seen, NULL);
  g_assert_cmpstrv ((char **) seen->pdata, expected);

  g_assert_finalize_object (client);
}

/* A small first page followed by larger ones: the client replaces top in
 * the nextLink (the skip token holds for any top), and 0 keeps the link's
 * own; nothing skipped or repeated.
 */
static void
test_list_growing_pages (void)
{
  static const char * const expected[] = {
    "s7", "s5", "s6", "s8", "s1", "s2", "s3", "s4", "s12", "s9", "s10", NULL
  };
  /* The size asked for each page, and how many rows it holds. */
  static const guint tops[] = { 2, 0, 4, 500 };
  static const guint lengths[] = { 2, 2, 4, 3 };
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, READER);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = NULL;

  for (guint n = 0; n < G_N_ELEMENTS (tops); n++)
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *link = g_steal_pointer (&next);

      g_assert_true (n == 0 || link != NULL);
      page = list_page (client, link, tops[n], &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, lengths[n]);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (seen, g_strdup (bd_subscription_get_id (g_ptr_array_index (page, i))));
    }

  g_assert_null (next);
  g_ptr_array_add (seen, NULL);
  g_assert_cmpstrv ((char **) seen->pdata, expected);

  g_assert_finalize_object (client);
}

static void
test_list_bad_top (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, READER);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  char *next = (char *) "untouched";

  page = list_page (client, NULL, 0, &next, &error);
  g_assert_null (page);
  g_assert_null (next);
  assert_api_error (error, BD_ERROR_CODE_INVALID_REQUEST, 400);
  g_assert_cmpstr (bd_client_error_get_target (error), ==, "top");

  g_assert_finalize_object (client);
}

static void
test_get (void)
{
  static const char * const odd_ids[] = { "s1?x=1", "s 1", "..", ".", "s1#x", "s1%2F" };
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  g_autoptr(BdSubscription) subscription = NULL;
  g_autoptr(BdTestAnswer) raw = NULL;
  g_autoptr(GError) error = NULL;

  subscription = get_subscription (client, "s1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_subscription_get_id (subscription), ==, "s1");
  g_assert_cmpstr (bd_subscription_get_product_name (subscription), ==, S1_PRODUCT);
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_ACTIVE);
  g_assert_cmpuint (bd_subscription_get_quantity (subscription), ==, 10);
  g_assert_true (bd_subscription_is_action_allowed (subscription, BD_ACTION_CANCEL));

  raw = bd_test_service_request (service, "GET", "/v1/subscriptions/s1", ADMIN, NULL, NULL);
  g_assert_cmpstr (bd_subscription_get_data (subscription)->etag, ==, raw->etag);

  /* each id is one escaped path segment: never another route */
  for (guint i = 0; i < G_N_ELEMENTS (odd_ids); i++)
    {
      g_autoptr(BdSubscription) none = NULL;
      g_autoptr(GError) not_found = NULL;

      g_test_message ("id “%s”", odd_ids[i]);
      none = get_subscription (client, odd_ids[i], &not_found);
      g_assert_null (none);
      assert_api_error (not_found, BD_ERROR_CODE_NOT_FOUND, 404);
    }

  g_assert_finalize_object (client);
}

static void
test_get_cancellation (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  g_autoptr(BdCancellation) allowed = NULL;
  g_autoptr(BdCancellation) blocked = NULL;
  g_autoptr(GError) error = NULL;
  BdRefundMethod method;
  BdMoney refund;

  allowed = get_cancellation (client, "s1", &error);
  g_assert_no_error (error);
  g_assert_true (bd_cancellation_get_allowed (allowed));
  g_assert_true (bd_cancellation_get_refund (allowed, &refund, &method));
  /* 159.00 kr. x 10 licenses x 28 of 30 days */
  g_assert_cmpint (refund.amount, ==, 148400);
  g_assert_cmpstr (refund.currency, ==, "DKK");
  g_assert_cmpint (method, ==, BD_REFUND_METHOD_CREDIT_NEXT_INVOICE);
  bd_assert_time_eq (bd_cancellation_get_window_end (allowed), "2026-11-08T00:00:00Z");

  blocked = get_cancellation (client, "s4", &error);
  g_assert_no_error (error);
  g_assert_false (bd_cancellation_get_allowed (blocked));
  g_assert_cmpuint (bd_cancellation_get_n_blockers (blocked), ==, 1);
  g_assert_cmpint (bd_cancellation_get_blocker (blocked, 0), ==, BD_BLOCKER_TOO_MANY_LICENSES);

  g_assert_finalize_object (client);
}

/* A cancel, then Check Again with the same key: the first answer again,
 * and one change in the ledger.
 */
static void
test_cancel_replay (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autoptr(BdSubscription) first = NULL;
  g_autoptr(BdSubscription) again = NULL;
  g_autoptr(BdTestAnswer) ledger = NULL;
  g_autoptr(GError) error = NULL;
  CancelOuts outs = { 0 };
  CancelOuts outs_again = { 0 };

  first = cancel (client, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE, "Vi samler licenserne i E3.",
                  key, &outs, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_subscription_get_id (first), ==, "s1");
  g_assert_cmpint (bd_subscription_get_status (first), ==, BD_STATUS_DISABLED);
  g_assert_cmpint (bd_subscription_get_recurring_billing (first), ==, BD_RECURRING_BILLING_OFF);
  g_assert_true (outs.has_refund);
  g_assert_cmpint (outs.refund.amount, ==, 148400);
  g_assert_cmpstr (outs.refund.currency, ==, "DKK");
  g_assert_cmpint (outs.refund_method, ==, BD_REFUND_METHOD_CREDIT_NEXT_INVOICE);
  bd_assert_time_eq (outs.deletable_from, "2026-12-03T00:00:00Z");
  bd_assert_time_eq (outs.deleted_by, "2027-05-02T00:00:00Z");

  again = cancel (client, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE, "Vi samler licenserne i E3.",
                  key, &outs_again, &error);
  g_assert_no_error (error);
  g_assert_true (bd_subscription_data_equal (bd_subscription_get_data (first),
                                             bd_subscription_get_data (again)));
  g_assert_true (outs_again.has_refund);
  g_assert_true (bd_money_equal (&outs.refund, &outs_again.refund));
  g_assert_cmpint (outs_again.deleted_by, ==, outs.deleted_by);

  ledger = bd_test_service_request (service, "GET", "/v1/operations?subscriptionId=s1", ADMIN,
                                    NULL, NULL);
  g_assert_cmpuint (ledger->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_node_get_object (ledger->json), "value")), ==, 1);
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].action"), ==, "cancel");
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].idempotencyKey"), ==, key);
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].detail.feedback"), ==,
                   "Vi samler licenserne i E3.");

  g_assert_finalize_object (client);
}

/* A trial: no refund, and no feedback key sent. */
static void
test_cancel_trial (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, BILLING);
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autoptr(BdSubscription) subscription = NULL;
  g_autoptr(BdTestAnswer) ledger = NULL;
  g_autoptr(GError) error = NULL;
  CancelOuts outs = { .has_refund = TRUE };

  subscription = cancel (client, "s5", BD_CANCEL_REASON_NO_LONGER_NEEDED, NULL, key, &outs,
                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_DISABLED);
  g_assert_false (outs.has_refund);

  ledger = bd_test_service_request (service, "GET", "/v1/operations?subscriptionId=s5", ADMIN,
                                    NULL, NULL);
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].detail.reason"), ==,
                   "noLongerNeeded");
  g_assert_null (bd_test_answer_string (ledger, "value[0].detail.feedback"));

  g_assert_finalize_object (client);
}

/* 409 notActive: our sentence, never the service's English message. */
static void
test_api_error (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  BdClient *reader = new_client (service->url, READER);
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autoptr(BdSubscription) none = NULL;
  g_autoptr(BdSubscription) forbidden_none = NULL;
  g_autoptr(BdTestAnswer) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) forbidden = NULL;
  const char *server_message;
  CancelOuts outs = { 0 };

  none = cancel (client, "s9", BD_CANCEL_REASON_TOO_EXPENSIVE, NULL, key, &outs, &error);
  g_assert_null (none);
  assert_api_error (error, BD_ERROR_CODE_NOT_ACTIVE, 409);
  g_assert_null (bd_client_error_get_target (error));

  raw = bd_test_service_request (service, "POST", "/v1/subscriptions/s9/cancel", ADMIN,
                                 "{\"reason\":\"tooExpensive\"}",
                                 "Idempotency-Key", "another-key", NULL);
  bd_test_assert_api_error (raw, 409, "notActive");
  server_message = bd_test_answer_string (raw, "error.message");
  g_assert_cmpstr (server_message, !=, "");
  g_assert_null (strstr (error->message, server_message));
  g_assert_cmpstr (error->message, !=, server_message);

  /* a copy keeps the API's code, status and target */
  {
    g_autoptr(GError) copy = g_error_copy (error);

    g_assert_cmpint (bd_client_error_get_api_code (copy), ==, BD_ERROR_CODE_NOT_ACTIVE);
    g_assert_cmpuint (bd_client_error_get_http_status (copy), ==, 409);
    g_assert_cmpstr (copy->message, ==, error->message);
  }

  forbidden_none = cancel (reader, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE, NULL, key, &outs,
                           &forbidden);
  g_assert_null (forbidden_none);
  assert_api_error (forbidden, BD_ERROR_CODE_FORBIDDEN, 403);
  g_assert_cmpstr (forbidden->message, !=, error->message);

  g_assert_cmpuint (count_operations (service, "s9"), ==, 0);
  g_assert_finalize_object (reader);
  g_assert_finalize_object (client);
}

static void
test_update (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  g_autofree char *etag = etag_of (client, "s2");
  g_autoptr(BdSubscription) both = NULL;
  g_autoptr(BdSubscription) quantity = NULL;
  g_autoptr(BdSubscription) stale = NULL;
  g_autoptr(GError) error = NULL;

  both = update (client, "s2", etag, TRUE, BD_RECURRING_BILLING_OFF, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bd_subscription_get_recurring_billing (both), ==, BD_RECURRING_BILLING_OFF);
  g_assert_cmpuint (bd_subscription_get_quantity (both), ==, 6);
  g_assert_cmpstr (bd_subscription_get_data (both)->etag, !=, etag);
  g_assert_cmpuint (count_operations (service, "s2"), ==, 2);

  quantity = update (client, "s2", bd_subscription_get_data (both)->etag, FALSE,
                     BD_RECURRING_BILLING_ON, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bd_subscription_get_quantity (quantity), ==, 7);
  g_assert_cmpint (bd_subscription_get_recurring_billing (quantity), ==,
                   BD_RECURRING_BILLING_OFF);
  g_assert_cmpuint (count_operations (service, "s2"), ==, 3);

  /* 412 with the first, stale, ETag */
  stale = update (client, "s2", etag, FALSE, BD_RECURRING_BILLING_ON, 8, &error);
  g_assert_null (stale);
  assert_api_error (error, BD_ERROR_CODE_PRECONDITION_FAILED, 412);
  g_assert_cmpstr (bd_client_error_get_target (error), ==, "If-Match");
  g_assert_cmpuint (count_operations (service, "s2"), ==, 3);

  g_assert_finalize_object (client);
}

static void
test_update_refused (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  g_autofree char *etag = etag_of (client, "s1");
  g_autoptr(BdSubscription) none = NULL;
  g_autoptr(GError) error = NULL;

  /* 8 licenses are assigned */
  none = update (client, "s1", etag, FALSE, BD_RECURRING_BILLING_ON, 7, &error);
  g_assert_null (none);
  assert_api_error (error, BD_ERROR_CODE_LICENSES_ASSIGNED, 409);

  g_assert_finalize_object (client);
}

static void
test_reactivate (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autoptr(BdSubscription) expired = NULL;
  g_autoptr(BdSubscription) replayed = NULL;
  g_autoptr(BdSubscription) disabled = NULL;
  g_autoptr(BdSubscription) active = NULL;
  g_autoptr(GError) error = NULL;

  expired = reactivate (client, "s9", key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_subscription_get_id (expired), ==, "s9");
  g_assert_cmpint (bd_subscription_get_status (expired), ==, BD_STATUS_ACTIVE);
  g_assert_cmpint (bd_subscription_get_recurring_billing (expired), ==, BD_RECURRING_BILLING_ON);

  replayed = reactivate (client, "s9", key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_subscription_get_data (replayed)->etag, ==,
                   bd_subscription_get_data (expired)->etag);
  g_assert_cmpuint (count_operations (service, "s9"), ==, 1);

  disabled = reactivate (client, "s10", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bd_subscription_get_status (disabled), ==, BD_STATUS_ACTIVE);

  active = reactivate (client, "s1", NULL, &error);
  g_assert_null (active);
  assert_api_error (error, BD_ERROR_CODE_INVALID_STATE, 409);

  g_assert_finalize_object (client);
}

static void
test_delete (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  g_autofree char *etag = etag_of (client, "s3");
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autoptr(BdSubscription) wrong = NULL;
  g_autoptr(BdSubscription) deleted = NULL;
  g_autoptr(BdSubscription) again = NULL;
  g_autoptr(GError) error = NULL;

  wrong = delete (client, "s3", etag, "microsoft 365 business standard", NULL, &error);
  g_assert_null (wrong);
  assert_api_error (error, BD_ERROR_CODE_INVALID_REQUEST, 400);
  g_assert_cmpstr (bd_client_error_get_target (error), ==, "confirm");
  g_clear_error (&error);

  deleted = delete (client, "s3", etag, S3_PRODUCT, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bd_subscription_get_status (deleted), ==, BD_STATUS_DELETED);
  g_assert_cmpint (bd_subscription_get_recurring_billing (deleted), ==, BD_RECURRING_BILLING_OFF);

  again = delete (client, "s3", etag, S3_PRODUCT, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_subscription_get_data (again)->etag, ==,
                   bd_subscription_get_data (deleted)->etag);
  g_assert_cmpuint (count_operations (service, "s3"), ==, 1);

  g_assert_finalize_object (client);
}

/* One of each change, then the ledger read back through the client, pages
 * of 2 oldest first: each entry's kind, who, what and its detail.
 */
static void
test_operations (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autofree char *s2_etag = etag_of (client, "s2");
  g_autofree char *s3_etag = etag_of (client, "s3");
  g_autoptr(BdSubscription) changed = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) of_s2 = NULL;
  g_autoptr(GError) error = NULL;
  CancelOuts outs = { 0 };
  BdOperation *operation;
  BdCancelReason reason;
  BdRefundMethod method;
  BdRecurringBilling recurring_from, recurring_to;
  BdStatus status_from, status_to;
  BdMoney refund;
  gint64 from, to;
  guint n_pages;

  changed = cancel (client, "s1", BD_CANCEL_REASON_OTHER, "Vi samler licenserne i E3.", key,
                    &outs, &error);
  g_assert_no_error (error);
  g_clear_object (&changed);
  changed = update (client, "s2", s2_etag, TRUE, BD_RECURRING_BILLING_OFF, 6, &error);
  g_assert_no_error (error);
  g_clear_object (&changed);
  changed = reactivate (client, "s9", NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&changed);
  changed = delete (client, "s3", s3_etag, S3_PRODUCT, NULL, &error);
  g_assert_no_error (error);

  all = list_all_operations (client, 2, BD_OPERATIONS_ORDER_OLDEST, NULL, &n_pages);
  g_assert_cmpuint (all->len, ==, 5);
  g_assert_cmpuint (n_pages, ==, 3);

  operation = g_ptr_array_index (all, 0);
  g_assert_cmpint (bd_operation_get_action (operation), ==, BD_ACTION_CANCEL);
  g_assert_cmpstr (bd_operation_get_subscription_id (operation), ==, "s1");
  g_assert_cmpstr (bd_operation_get_user_id (operation), ==, "u1");
  g_assert_cmpstr (bd_operation_get_idempotency_key (operation), ==, key);
  g_assert_cmpint (bd_operation_get_time (operation), ==, bd_test_time (NOW));
  g_assert_true (bd_operation_has_detail (operation));
  g_assert_true (bd_operation_get_cancel_reason (operation, &reason));
  g_assert_cmpint (reason, ==, BD_CANCEL_REASON_OTHER);
  g_assert_cmpstr (bd_operation_get_feedback (operation), ==, "Vi samler licenserne i E3.");
  g_assert_true (bd_operation_get_refund (operation, &refund, &method));
  g_assert_true (bd_money_equal (&refund, &outs.refund));
  g_assert_cmpint (method, ==, outs.refund_method);
  g_assert_false (bd_operation_get_quantity_change (operation, NULL, NULL));

  operation = g_ptr_array_index (all, 1);
  g_assert_cmpint (bd_operation_get_action (operation), ==, BD_ACTION_CHANGE_RECURRING_BILLING);
  g_assert_cmpstr (bd_operation_get_subscription_id (operation), ==, "s2");
  g_assert_null (bd_operation_get_idempotency_key (operation));
  g_assert_true (bd_operation_get_recurring_billing_change (operation, &recurring_from,
                                                            &recurring_to));
  g_assert_cmpint (recurring_from, ==, BD_RECURRING_BILLING_ON);
  g_assert_cmpint (recurring_to, ==, BD_RECURRING_BILLING_OFF);
  g_assert_false (bd_operation_get_cancel_reason (operation, NULL));
  g_assert_false (bd_operation_get_refund (operation, NULL, NULL));

  operation = g_ptr_array_index (all, 2);
  g_assert_cmpint (bd_operation_get_action (operation), ==, BD_ACTION_CHANGE_QUANTITY);
  g_assert_true (bd_operation_get_quantity_change (operation, &from, &to));
  g_assert_cmpint (to, ==, 6);
  g_assert_cmpint (from, !=, 6);

  operation = g_ptr_array_index (all, 3);
  g_assert_cmpint (bd_operation_get_action (operation), ==, BD_ACTION_REACTIVATE);
  g_assert_cmpstr (bd_operation_get_subscription_id (operation), ==, "s9");
  g_assert_true (bd_operation_get_status_change (operation, &status_from, &status_to));
  g_assert_cmpint (status_from, ==, BD_STATUS_EXPIRED);
  g_assert_cmpint (status_to, ==, BD_STATUS_ACTIVE);

  operation = g_ptr_array_index (all, 4);
  g_assert_cmpint (bd_operation_get_action (operation), ==, BD_ACTION_DELETE);
  g_assert_cmpstr (bd_operation_get_subscription_id (operation), ==, "s3");
  g_assert_true (bd_operation_get_status_change (operation, NULL, &status_to));
  g_assert_cmpint (status_to, ==, BD_STATUS_DELETED);

  /* the names of then, on each entry */
  g_assert_cmpstr (bd_operation_get_user_display_name (g_ptr_array_index (all, 0)), ==,
                   "Anne Berg");
  g_assert_cmpstr (bd_operation_get_product_name (g_ptr_array_index (all, 0)), ==, S1_PRODUCT);
  g_assert_cmpstr (bd_operation_get_product_name (g_ptr_array_index (all, 4)), ==, S3_PRODUCT);

  /* newest first: the same entries the other way round */
  {
    g_autoptr(GPtrArray) newest = NULL;

    newest = list_all_operations (client, 3, BD_OPERATIONS_ORDER_NEWEST, NULL, &n_pages);
    g_assert_cmpuint (newest->len, ==, all->len);
    g_assert_cmpuint (n_pages, ==, 2);
    for (guint i = 0; i < all->len; i++)
      g_assert_cmpstr (bd_operation_get_id (g_ptr_array_index (newest, i)), ==,
                       bd_operation_get_id (g_ptr_array_index (all, all->len - 1 - i)));
  }

  /* ids are unique */
  for (guint i = 0; i < all->len; i++)
    for (guint j = i + 1; j < all->len; j++)
      g_assert_cmpstr (bd_operation_get_id (g_ptr_array_index (all, i)), !=,
                       bd_operation_get_id (g_ptr_array_index (all, j)));

  /* one subscription's, its nextLink keeping the filter */
  of_s2 = list_all_operations (client, 1, BD_OPERATIONS_ORDER_OLDEST, "s2", &n_pages);
  g_assert_cmpuint (of_s2->len, ==, 2);
  g_assert_cmpuint (n_pages, ==, 2);
  for (guint i = 0; i < of_s2->len; i++)
    g_assert_cmpstr (bd_operation_get_subscription_id (g_ptr_array_index (of_s2, i)), ==, "s2");

  g_assert_finalize_object (client);
}

/* A reader is refused (403), an unknown subscription is 404 on its target, a
 * nextLink elsewhere never gets the token.
 */
static void
test_operations_refused (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  BdClient *reader = new_client (service->url, READER);
  g_autoptr(GPtrArray) forbidden_none = NULL;
  g_autoptr(GPtrArray) unknown_none = NULL;
  g_autoptr(GPtrArray) foreign_none = NULL;
  g_autoptr(GError) forbidden = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autoptr(GError) foreign = NULL;
  g_autofree char *next = g_strdup ("stale");

  forbidden_none = list_operations (reader, NULL, 10, BD_OPERATIONS_ORDER_NEWEST, NULL, &next,
                                    &forbidden);
  g_assert_null (forbidden_none);
  g_assert_null (next);
  assert_api_error (forbidden, BD_ERROR_CODE_FORBIDDEN, 403);

  unknown_none = list_operations (client, NULL, 10, BD_OPERATIONS_ORDER_OLDEST, "s404", NULL,
                                  &unknown);
  g_assert_null (unknown_none);
  assert_api_error (unknown, BD_ERROR_CODE_NOT_FOUND, 404);
  g_assert_cmpstr (bd_client_error_get_target (unknown), ==, "subscriptionId");

  foreign_none = list_operations (client, "http://billing.example/v1/operations?skipToken=MToy",
                                  0, BD_OPERATIONS_ORDER_OLDEST, NULL, NULL, &foreign);
  g_assert_null (foreign_none);
  g_assert_error (foreign, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);

  g_assert_finalize_object (reader);
  g_assert_finalize_object (client);
}

/* The reader of an entry is strict: each bad entry is refused with the path
 * of its bad value.
 */
static void
test_operation_reader (void)
{
  static const struct {
    const char *json;
    const char *path;   /* NULL: read */
  } cases[] = {
    { "{\"id\":\"o1\",\"time\":\"2026-11-03T00:00:00Z\",\"userId\":\"u1\","
      "\"subscriptionId\":\"s1\",\"action\":\"delete\",\"idempotencyKey\":null,"
      "\"detail\":{\"from\":\"expired\",\"to\":\"deleted\"}}", NULL },
    { "{\"id\":\"o1\",\"time\":\"2026-11-03T00:00:00Z\",\"userId\":\"u1\","
      "\"userDisplayName\":null,\"productName\":\"Visio Plan 2\","
      "\"subscriptionId\":\"s1\",\"action\":\"cancel\",\"idempotencyKey\":\"k\","
      "\"detail\":null}", NULL },
    { "{\"id\":\"o1\",\"time\":\"2026-11-03T00:00:00Z\",\"userId\":\"u1\","
      "\"subscriptionId\":\"s1\",\"action\":\"rename\",\"idempotencyKey\":null,"
      "\"detail\":null}", "value[0].action" },
    { "{\"id\":\"o1\",\"time\":\"2026-11-03T00:00:00Z\",\"userId\":\"u1\","
      "\"subscriptionId\":\"s1\",\"action\":\"reactivate\",\"idempotencyKey\":null,"
      "\"detail\":{\"from\":\"expired\",\"to\":\"deleted\"}}", "value[0].detail.to" },
    { "{\"id\":\"o1\",\"time\":\"2026-11-03T00:00:00Z\",\"userId\":\"u1\","
      "\"subscriptionId\":\"s1\",\"action\":\"changeQuantity\",\"idempotencyKey\":null,"
      "\"detail\":{\"from\":\"3\",\"to\":4}}", "value[0].detail.from" },
    { "{\"id\":\"o1\",\"time\":\"2026-11-03T00:00:00Z\",\"userId\":\"u1\","
      "\"subscriptionId\":\"s1\",\"action\":\"cancel\",\"idempotencyKey\":null,"
      "\"detail\":{\"reason\":\"bored\",\"feedback\":null,\"refund\":null}}",
      "value[0].detail.reason" },
    { "{\"id\":\"o1\",\"time\":\"2026-11-03T00:00:00Z\",\"userId\":\"u1\","
      "\"subscriptionId\":\"s1\",\"action\":\"changeRecurringBilling\","
      "\"idempotencyKey\":null,\"detail\":{\"from\":\"on\",\"to\":\"off\",\"by\":1}}",
      "value[0].detail.by" },
    { "{\"id\":\"o1\",\"time\":\"2026-11-03T00:00:00Z\",\"userId\":\"u1\","
      "\"productName\":\"\",\"subscriptionId\":\"s1\",\"action\":\"delete\","
      "\"idempotencyKey\":null,\"detail\":null}", "value[0].productName" },
    { "{\"id\":\"o1\",\"time\":\"2026-11-03\",\"userId\":\"u1\","
      "\"subscriptionId\":\"s1\",\"action\":\"delete\",\"idempotencyKey\":null,"
      "\"detail\":null}", "value[0].time" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(BdOperation) operation = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%u", i);
      node = bd_json_parse (cases[i].json, -1, &error);
      g_assert_no_error (error);
      operation = bd_operation_new_from_json (node, "value[0]", &error);
      if (cases[i].path == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (BD_IS_OPERATION (operation));
          continue;
        }

      g_assert_null (operation);
      g_assert_error (error, BD_CORE_ERROR, BD_CORE_ERROR_INVALID);
      g_assert_cmpstr (bd_core_error_get_path (error), ==, cases[i].path);
    }
}

/* Cancelled right after starting, or before: G_IO_ERROR_CANCELLED as it is. */
static void
test_cancellable (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  BdClient *client = new_client (service->url, ADMIN);
  g_autofree char *key = bd_client_new_idempotency_key ();

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    bd_client_get_me_async (client, cancellable, store_result_cb, &result);
    g_cancellable_cancel (cancellable);
    wait_for_result (&result);
    g_assert_false (bd_client_get_me_finish (client, result, NULL, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (bd_client_error_is_outcome_unknown (error));
  }

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) page = NULL;
    g_autoptr(GError) error = NULL;

    g_cancellable_cancel (cancellable);
    bd_client_list_subscriptions_async (client, NULL, 3, cancellable, store_result_cb, &result);
    wait_for_result (&result);
    page = bd_client_list_subscriptions_finish (client, result, NULL, &error);
    g_assert_null (page);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(BdCancelAnswer) answer = NULL;
    g_autoptr(GError) error = NULL;

    bd_client_cancel_async (client, "s1", BD_CANCEL_REASON_OTHER, "Budget", key, cancellable,
                            store_result_cb, &result);
    g_cancellable_cancel (cancellable);
    wait_for_result (&result);
    answer = bd_client_cancel_finish (client, result, &error);
    g_assert_null (answer);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  /* the client still works */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (get_me (client, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  g_assert_finalize_object (client);
}

/*
 * Without a service
 */

static GSocket *
bind_loopback (guint16 *port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  return socket;
}

/* A port held by a socket that does not listen: connecting is refused. */
static void
test_unreachable (void)
{
  guint16 port;
  g_autoptr(GSocket) socket = bind_loopback (&port);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  BdClient *client = new_client (url, ADMIN);
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autoptr(BdSubscription) none = NULL;
  g_autoptr(GError) error = NULL;
  CancelOuts outs = { 0 };

  g_assert_false (get_me (client, NULL, NULL, NULL, &error));
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNREACHABLE);
  g_assert_false (bd_client_error_is_outcome_unknown (error));
  g_assert_cmpint (bd_client_error_get_api_code (error), ==, BD_ERROR_CODE_UNKNOWN);
  g_assert_cmpuint (bd_client_error_get_http_status (error), ==, 0);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  /* a cancel that never left: the outcome is known */
  none = cancel (client, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE, NULL, key, &outs, &error);
  g_assert_null (none);
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNREACHABLE);
  g_assert_false (bd_client_error_is_outcome_unknown (error));

  g_assert_finalize_object (client);
}

static void
test_bad_base_url (void)
{
  static const char * const urls[] = {
    "", "not a url", "ftp://127.0.0.1:21", "http://", "http://127.0.0.1:1/?q=1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      BdClient *client = new_client (urls[i], ADMIN);
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) list_error = NULL;

      g_test_message ("base URL “%s”", urls[i]);
      g_assert_false (get_me (client, NULL, NULL, NULL, &error));
      g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNREACHABLE);
      page = list_page (client, "http://127.0.0.1:1/v1/subscriptions", 3, NULL, &list_error);
      g_assert_null (page);
      g_assert_error (list_error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNREACHABLE);
      g_assert_finalize_object (client);
    }
}

static void
test_error_getters (void)
{
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "x");

  g_assert_cmpint (bd_client_error_get_api_code (io), ==, BD_ERROR_CODE_UNKNOWN);
  g_assert_cmpuint (bd_client_error_get_http_status (io), ==, 0);
  g_assert_null (bd_client_error_get_target (io));
  g_assert_false (bd_client_error_is_outcome_unknown (io));
  g_assert_false (bd_client_error_is_outcome_unknown (NULL));
  g_assert_cmpint (bd_client_error_get_api_code (NULL), ==, BD_ERROR_CODE_UNKNOWN);
}

/* A listener whose accept queue is full: SYNs are dropped and connecting
 * hangs, which the connect timeout ends.
 */
static void
test_connect_timeout (void)
{
  guint16 port;
  g_autoptr(GSocket) listener = bind_loopback (&port);
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean hangs = FALSE;
  BdClient *client;

  g_socket_set_listen_backlog (listener, 0);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);

  /* fill the queue until one more connection does not complete */
  for (guint i = 0; i < 8 && !hangs; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, &error);
      g_autoptr(GError) connect_error = NULL;

      g_assert_no_error (error);
      g_ptr_array_add (fillers, filler);
      g_socket_set_blocking (filler, FALSE);
      if (!g_socket_connect (filler, address, NULL, &connect_error))
        {
          g_assert_error (connect_error, G_IO_ERROR, G_IO_ERROR_PENDING);
          hangs = !g_socket_condition_timed_wait (filler, G_IO_OUT, 300 * 1000, NULL, NULL);
        }
    }

  if (!hangs)
    {
      g_test_skip ("connections to a full accept queue do not hang here");
      return;
    }

  client = g_object_new (BD_TYPE_CLIENT,
                         "base-url", url,
                         "token", ADMIN,
                         "connect-timeout", 1,
                         NULL);
  g_assert_cmpuint (BD_CLIENT_CONNECT_TIMEOUT_SECONDS, ==, 10);

  bd_client_get_me_async (client, NULL, store_result_cb, &result);
  wait_for_result (&result);
  g_assert_false (bd_client_get_me_finish (client, result, NULL, NULL, NULL, &error));
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNREACHABLE);
  g_assert_false (bd_client_error_is_outcome_unknown (error));
  g_clear_object (&result);

  g_assert_finalize_object (client);
}

/*
 * A raw TCP server: silent, or an answer that breaks off
 */

typedef enum
{
  RAW_SILENT,      /* accepts and never answers */
  RAW_HUGE_LENGTH, /* headers announcing more than 16 MiB, and no body */
  RAW_BREAK_OFF,   /* a body shorter than announced, then the connection closes */
  RAW_RECORD,      /* keeps the request head, answers 404 */
  RAW_TRICKLE,     /* the head of an answer, then a byte every 200 ms, for ever */
} RawMode;

typedef struct
{
  GSocketService *service;
  RawMode         mode;
  char           *url;
  GPtrArray      *connections;
  guint           n_connections;
  char           *head;        /* RAW_RECORD: the last request head */
} RawServer;

typedef struct
{
  RawServer         *raw;
  GSocketConnection *connection;
  RawMode            mode;
  GString           *head;
  char               buffer[1024];
} RawExchange;

static void
raw_exchange_free (RawExchange *exchange)
{
  g_object_unref (exchange->connection);
  g_string_free (exchange->head, TRUE);
  g_free (exchange);
}

/* Keeps the connection busy, each read well inside libsoup's own timeout. */
static gboolean
trickle_cb (gpointer user_data)
{
  GSocketConnection *connection = user_data;
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  if (g_io_stream_is_closed (G_IO_STREAM (connection)) ||
      g_output_stream_write (output, " ", 1, NULL, NULL) != 1)
    return G_SOURCE_REMOVE;

  return G_SOURCE_CONTINUE;
}

static void
raw_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawExchange *exchange = user_data;
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (exchange->connection));
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  const char *answer;

  if (n <= 0)
    {
      raw_exchange_free (exchange);
      return;
    }

  g_string_append_len (exchange->head, exchange->buffer, n);
  if (strstr (exchange->head->str, "\r\n\r\n") == NULL)
    {
      g_input_stream_read_async (G_INPUT_STREAM (object), exchange->buffer,
                                 sizeof exchange->buffer, G_PRIORITY_DEFAULT, NULL,
                                 raw_read_cb, exchange);
      return;
    }

  if (exchange->mode == RAW_HUGE_LENGTH)
    answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
             "Content-Length: 100000000\r\n\r\n{\"value\": [";
  else if (exchange->mode == RAW_RECORD)
    answer = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
             "Content-Length: 62\r\nConnection: close\r\n\r\n"
             "{\"error\": {\"code\": \"notFound\", \"message\": \"No such thing.\"}}";
  else
    answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
             "Content-Length: 1000\r\n\r\n{\"user\": {\"id\": \"u1\", ";

  if (exchange->mode == RAW_RECORD)
    {
      g_free (exchange->raw->head);
      exchange->raw->head = g_strdup (exchange->head->str);
    }

  g_output_stream_write_all (output, answer, strlen (answer), NULL, NULL, NULL);
  if (exchange->mode == RAW_TRICKLE)
    g_timeout_add_full (G_PRIORITY_DEFAULT, 200, trickle_cb, g_object_ref (exchange->connection),
                        g_object_unref);
  if (exchange->mode == RAW_BREAK_OFF || exchange->mode == RAW_RECORD)
    g_io_stream_close (G_IO_STREAM (exchange->connection), NULL, NULL);

  raw_exchange_free (exchange);
}

static gboolean
on_raw_incoming_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source_object,
                    gpointer           user_data)
{
  RawServer *raw = user_data;
  RawExchange *exchange;

  raw->n_connections++;
  g_ptr_array_add (raw->connections, g_object_ref (connection));
  if (raw->mode == RAW_SILENT)
    return TRUE;

  exchange = g_new0 (RawExchange, 1);
  exchange->raw = raw;
  exchange->connection = g_object_ref (connection);
  exchange->mode = raw->mode;
  exchange->head = g_string_new (NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                             exchange->buffer, sizeof exchange->buffer, G_PRIORITY_DEFAULT,
                             NULL, raw_read_cb, exchange);
  return TRUE;
}

static RawServer *
raw_server_new (RawMode mode)
{
  RawServer *raw = g_new0 (RawServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  raw->mode = mode;
  raw->connections = g_ptr_array_new_with_free_func (g_object_unref);
  raw->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (raw->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (raw->service, "incoming", G_CALLBACK (on_raw_incoming_cb), raw);
  g_socket_service_start (raw->service);
  raw->url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (
    G_INET_SOCKET_ADDRESS (effective)));

  return raw;
}

static void
raw_server_free (RawServer *raw)
{
  g_socket_service_stop (raw->service);
  g_socket_listener_close (G_SOCKET_LISTENER (raw->service));
  g_signal_handlers_disconnect_by_data (raw->service, raw);
  g_object_unref (raw->service);
  for (guint i = 0; i < raw->connections->len; i++)
    g_io_stream_close (g_ptr_array_index (raw->connections, i), NULL, NULL);
  g_ptr_array_unref (raw->connections);
  g_free (raw->head);
  g_free (raw->url);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawServer, raw_server_free)

/* No answer within the (shortened) request timeout: the outcome of a cancel
 * is unknown, and Check Again is offered.
 */
static void
test_timeout (void)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_SILENT);
  BdClient *client = g_object_new (BD_TYPE_CLIENT,
                                   "base-url", raw->url,
                                   "token", ADMIN,
                                   "request-timeout", 1,
                                   NULL);
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autoptr(BdSubscription) none = NULL;
  g_autoptr(GError) error = NULL;
  CancelOuts outs = { 0 };
  guint request_timeout = 0;

  g_object_get (client, "request-timeout", &request_timeout, NULL);
  g_assert_cmpuint (request_timeout, ==, 1);

  none = cancel (client, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE, NULL, key, &outs, &error);
  g_assert_null (none);
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_TIMEOUT);
  g_assert_true (bd_client_error_is_outcome_unknown (error));
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpuint (raw->n_connections, >=, 1);

  g_assert_finalize_object (client);
}

/* A service that trickles a byte now and then never trips libsoup's
 * per-read timeout; the request timeout still ends the whole exchange.
 */
static void
test_timeout_trickle (void)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_TRICKLE);
  BdClient *client = g_object_new (BD_TYPE_CLIENT,
                                   "base-url", raw->url,
                                   "token", ADMIN,
                                   "request-timeout", 1,
                                   NULL);
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autoptr(BdSubscription) none = NULL;
  g_autoptr(GError) error = NULL;
  CancelOuts outs = { 0 };
  gint64 start = g_get_monotonic_time ();

  none = cancel (client, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE, NULL, key, &outs, &error);
  g_assert_null (none);
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_TIMEOUT);
  g_assert_true (bd_client_error_is_outcome_unknown (error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  g_assert_finalize_object (client);
}

static gboolean
raw_has_connection (gpointer data)
{
  return ((RawServer *) data)->n_connections > 0;
}

/* Cancelling while the answer is awaited. */
static void
test_timeout_cancelled (void)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_SILENT);
  BdClient *client = new_client (raw->url, ADMIN);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bd_client_get_me_async (client, cancellable, store_result_cb, &result);
  g_assert_true (bd_test_wait_until (raw_has_connection, raw, WAIT_MS));
  g_cancellable_cancel (cancellable);
  wait_for_result (&result);
  g_assert_false (bd_client_get_me_finish (client, result, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);

  g_assert_finalize_object (client);
}

static void
test_connection_lost (void)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_BREAK_OFF);
  BdClient *client = new_client (raw->url, ADMIN);
  g_autoptr(GError) error = NULL;

  g_assert_false (get_me (client, NULL, NULL, NULL, &error));
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_CONNECTION_LOST);
  g_assert_true (bd_client_error_is_outcome_unknown (error));

  g_assert_finalize_object (client);
}

/* An id is one path segment on the wire, whatever it holds. */
static void
test_escaped_path (void)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_RECORD);
  BdClient *client = new_client (raw->url, ADMIN);
  g_autoptr(BdSubscription) none = NULL;
  g_autoptr(GError) error = NULL;

  none = get_subscription (client, "a/b c?d#e%", &error);
  g_assert_null (none);
  assert_api_error (error, BD_ERROR_CODE_NOT_FOUND, 404);
  g_assert_true (g_str_has_prefix (raw->head,
                                   "GET /v1/subscriptions/a%2Fb%20c%3Fd%23e%25 HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (raw->head, "\r\nAuthorization: Bearer " ADMIN "\r\n"));
  g_clear_object (&none);
  g_clear_error (&error);

  /* not a dot segment that GUri would remove */
  none = get_subscription (client, "..", &error);
  g_assert_null (none);
  assert_api_error (error, BD_ERROR_CODE_NOT_FOUND, 404);
  g_assert_true (g_str_has_prefix (raw->head, "GET /v1/subscriptions/%2E%2E HTTP/1.1\r\n"));

  g_assert_finalize_object (client);
}

/* Refused from its Content-Length, without waiting for the body, which
 * never comes: waiting would end in a timeout instead.
 */
static void
test_too_large_from_headers (void)
{
  g_autoptr(RawServer) raw = raw_server_new (RAW_HUGE_LENGTH);
  BdClient *client = new_client (raw->url, ADMIN);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  page = list_page (client, NULL, 3, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);
  g_assert_false (bd_client_error_is_outcome_unknown (error));

  g_assert_finalize_object (client);
}

/*
 * A SoupServer that misbehaves: the first path segment picks how
 */

typedef struct
{
  SoupServer *server;
  char       *url;
  guint       n_requests;
  guint       n_chunks;
  gboolean    endless_finished;
  char       *canned;   /* what "canned" answers */
  char       *method;
  char       *path;
  char       *body;
  SoupMessageHeaders *headers;
} Rogue;

static const char html_body[] =
  "<html><body><h1>Internal Server Error</h1><p>Traceback: secret detail</p></body></html>";

static void
set_text (SoupServerMessage *message,
          guint              status,
          const char        *content_type,
          const char        *text)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

static void
on_endless_wrote_chunk_cb (SoupServerMessage *message,
                           gpointer           user_data)
{
  static char spaces[64 * 1024];
  Rogue *rogue = user_data;

  if (spaces[0] != ' ')
    memset (spaces, ' ', sizeof spaces);

  rogue->n_chunks++;
  soup_message_body_append (soup_server_message_get_response_body (message), SOUP_MEMORY_STATIC,
                            spaces, sizeof spaces);
}

static void
on_endless_finished_cb (SoupServerMessage *message,
                        gpointer           user_data)
{
  Rogue *rogue = user_data;

  rogue->endless_finished = TRUE;
}

static void
rogue_handler (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Rogue *rogue = user_data;
  g_auto(GStrv) segments = g_strsplit (path + 1, "/", 2);
  const char *mode = segments[0] != NULL ? segments[0] : "";
  SoupMessageBody *request_body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);

  rogue->n_requests++;
  g_free (rogue->method);
  rogue->method = g_strdup (soup_server_message_get_method (message));
  g_free (rogue->path);
  rogue->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (message)));
  g_free (rogue->body);
  rogue->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_clear_pointer (&rogue->headers, soup_message_headers_unref);
  rogue->headers = soup_message_headers_ref (soup_server_message_get_request_headers (message));

  if (g_str_equal (mode, "html500"))
    set_text (message, 500, "text/html", html_body);
  else if (g_str_equal (mode, "html503"))
    set_text (message, 503, "text/html", html_body);
  else if (g_str_equal (mode, "html504"))
    set_text (message, 504, "text/html", html_body);
  else if (g_str_equal (mode, "html502"))
    set_text (message, 502, "text/html", html_body);
  else if (g_str_equal (mode, "empty502") || g_str_equal (mode, "empty503") ||
           g_str_equal (mode, "empty504") || g_str_equal (mode, "empty500"))
    soup_server_message_set_status (message, (guint) atoi (mode + strlen ("empty")), NULL);
  else if (g_str_equal (mode, "json500"))
    set_text (message, 500, "application/json",
              "{\"error\": {\"code\": \"internalError\", \"message\": \"Db failed.\"}}");
  else if (g_str_equal (mode, "json503"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Retry-After", "2");
      set_text (message, 503, "application/json",
                "{\"error\": {\"code\": \"unavailable\", \"message\": \"Db down.\"}}");
    }
  else if (g_str_equal (mode, "in-progress"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Retry-After", "1");
      set_text (message, 409, "application/json",
                "{\"error\": {\"code\": \"requestInProgress\", \"message\": \"Busy.\"}}");
    }
  else if (g_str_equal (mode, "teapot"))
    set_text (message, 418, "text/plain", "I'm a teapot");
  else if (g_str_equal (mode, "json-not-error"))
    set_text (message, 409, "application/json", "{\"error\": \"notActive\"}");
  else if (g_str_equal (mode, "unknown-code"))
    set_text (message, 409, "application/json",
              "{\"error\": {\"code\": \"somethingNew\", \"message\": \"Server words here.\","
              " \"target\": \"quantity\"}}");
  else if (g_str_equal (mode, "truncated"))
    set_text (message, 200, "application/json", "{\"value\": [{\"id\": \"s1\", \"produ");
  else if (g_str_equal (mode, "shape"))
    set_text (message, 200, "application/json", "{\"value\": 3, \"nextLink\": null}");
  else if (g_str_equal (mode, "array"))
    set_text (message, 200, "application/json", "[]");
  else if (g_str_equal (mode, "empty"))
    set_text (message, 200, "application/json", "");
  else if (g_str_equal (mode, "duplicate"))
    set_text (message, 200, "application/json",
              "{\"value\": [], \"nextLink\": null, \"nextLink\": null}");
  else if (g_str_equal (mode, "redirect"))
    {
      g_autofree char *location = g_strconcat (rogue->url, "/echo/v1/me", NULL);

      soup_server_message_set_redirect (message, 307, location);
    }
  else if (g_str_equal (mode, "foreign-host") || g_str_equal (mode, "foreign-port") ||
           g_str_equal (mode, "foreign-scheme") || g_str_equal (mode, "foreign-user"))
    {
      GUri *uri = soup_server_message_get_uri (message);
      g_autofree char *link = NULL;
      g_autofree char *text = NULL;

      if (g_str_equal (mode, "foreign-host"))
        link = g_strdup_printf ("http://203.0.113.7:%d/v1/subscriptions?top=3",
                                g_uri_get_port (uri));
      else if (g_str_equal (mode, "foreign-port"))
        link = g_strdup_printf ("http://127.0.0.1:%d/v1/subscriptions?top=3",
                                g_uri_get_port (uri) == 1 ? 2 : 1);
      else if (g_str_equal (mode, "foreign-scheme"))
        link = g_strdup_printf ("https://127.0.0.1:%d/v1/subscriptions?top=3",
                                g_uri_get_port (uri));
      else
        link = g_strdup_printf ("http://user:pw@127.0.0.1:%d/v1/subscriptions?top=3",
                                g_uri_get_port (uri));
      text = g_strdup_printf ("{\"value\": [], \"nextLink\": \"%s\"}", link);
      set_text (message, 200, "application/json", text);
    }
  else if (g_str_equal (mode, "canned"))
    set_text (message, 200, "application/json", rogue->canned);
  else if (g_str_equal (mode, "last-page"))
    set_text (message, 200, "application/json", "{\"value\": [], \"nextLink\": null}");
  else if (g_str_equal (mode, "endless") || g_str_equal (mode, "endless502"))
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

      soup_server_message_set_status (message, g_str_equal (mode, "endless") ? 200 : 502, NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      g_signal_connect (message, "wrote-chunk", G_CALLBACK (on_endless_wrote_chunk_cb), rogue);
      g_signal_connect (message, "finished", G_CALLBACK (on_endless_finished_cb), rogue);
      on_endless_wrote_chunk_cb (message, rogue);
      rogue->n_chunks = 0;
    }
  else
    set_text (message, 404, "application/json",
              "{\"error\": {\"code\": \"notFound\", \"message\": \"No such thing.\"}}");
}

static Rogue *
rogue_new (void)
{
  Rogue *rogue = g_new0 (Rogue, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  rogue->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (rogue->server, NULL, rogue_handler, rogue, NULL);
  soup_server_listen_local (rogue->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (rogue->server);
  g_assert_nonnull (uris);
  rogue->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return rogue;
}

static void
rogue_free (Rogue *rogue)
{
  soup_server_disconnect (rogue->server);
  g_object_unref (rogue->server);
  g_clear_pointer (&rogue->headers, soup_message_headers_unref);
  g_free (rogue->method);
  g_free (rogue->path);
  g_free (rogue->body);
  g_free (rogue->canned);
  g_free (rogue->url);
  g_free (rogue);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rogue, rogue_free)

static BdClient *
rogue_client (Rogue      *rogue,
              const char *mode)
{
  g_autofree char *url = g_strconcat (rogue->url, "/", mode, NULL);

  return new_client (url, "rogue-token");
}

static const char *
rogue_header (Rogue      *rogue,
              const char *name)
{
  return soup_message_headers_get_one (rogue->headers, name);
}

/* What goes over the wire: method, escaped path, headers, bodies. */
static void
test_requests_on_the_wire (void)
{
  g_autoptr(Rogue) rogue = rogue_new ();
  BdClient *client = rogue_client (rogue, "echo");
  g_autoptr(GError) error = NULL;
  CancelOuts outs = { 0 };

  g_assert_false (get_me (client, NULL, NULL, NULL, &error));
  assert_api_error (error, BD_ERROR_CODE_NOT_FOUND, 404);
  g_clear_error (&error);
  g_assert_cmpstr (rogue->method, ==, "GET");
  g_assert_cmpstr (rogue->path, ==, "/echo/v1/me");
  g_assert_cmpstr (rogue_header (rogue, "Authorization"), ==, "Bearer rogue-token");
  g_assert_cmpstr (rogue_header (rogue, "Accept"), ==, "application/json");
  g_assert_cmpstr (rogue_header (rogue, "User-Agent"), ==, "billing-desk/" PACKAGE_VERSION);
  g_assert_null (rogue_header (rogue, "Idempotency-Key"));
  g_assert_null (rogue_header (rogue, "If-Match"));
  g_assert_cmpstr (rogue->body, ==, "");

  /* a base URL with a path, and trailing slashes */
  {
    g_autofree char *url = g_strconcat (rogue->url, "/echo//", NULL);
    BdClient *slashes = new_client (url, NULL);

    g_assert_false (get_me (slashes, NULL, NULL, NULL, &error));
    g_clear_error (&error);
    g_assert_cmpstr (rogue->path, ==, "/echo/v1/me");
    g_assert_null (rogue_header (rogue, "Authorization"));
    g_assert_finalize_object (slashes);
  }

  g_assert_null (cancel (client, "a/b c", BD_CANCEL_REASON_OTHER, "Für \"uns\" zu teuer",
                         "key-1", &outs, &error));
  g_clear_error (&error);
  g_assert_cmpstr (rogue->method, ==, "POST");
  /* SoupServer shows the path decoded; test_escaped_path sees the wire */
  g_assert_cmpstr (rogue->path, ==, "/echo/v1/subscriptions/a/b c/cancel");
  g_assert_cmpstr (rogue_header (rogue, "Idempotency-Key"), ==, "key-1");
  g_assert_cmpstr (rogue_header (rogue, "Content-Type"), ==, "application/json");
  g_assert_cmpstr (rogue->body, ==,
                   "{\"reason\":\"other\",\"feedback\":\"Für \\\"uns\\\" zu teuer\"}");

  g_assert_null (cancel (client, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE, NULL, "key-2", &outs,
                         &error));
  g_clear_error (&error);
  g_assert_cmpstr (rogue->body, ==, "{\"reason\":\"tooExpensive\"}");

  g_assert_null (update (client, "s1", "\"e1\"", TRUE, BD_RECURRING_BILLING_RENEW_ONCE, 25,
                         &error));
  g_clear_error (&error);
  g_assert_cmpstr (rogue->method, ==, "PATCH");
  g_assert_cmpstr (rogue->path, ==, "/echo/v1/subscriptions/s1");
  g_assert_cmpstr (rogue_header (rogue, "If-Match"), ==, "\"e1\"");
  g_assert_null (rogue_header (rogue, "Idempotency-Key"));
  g_assert_cmpstr (rogue->body, ==, "{\"recurringBilling\":\"renewOnce\",\"quantity\":25}");

  g_assert_null (update (client, "s1", "\"e1\"", FALSE, BD_RECURRING_BILLING_ON, 3, &error));
  g_clear_error (&error);
  g_assert_cmpstr (rogue->body, ==, "{\"quantity\":3}");

  g_assert_null (update (client, "s1", "\"e1\"", TRUE, BD_RECURRING_BILLING_OFF, -1, &error));
  g_clear_error (&error);
  g_assert_cmpstr (rogue->body, ==, "{\"recurringBilling\":\"off\"}");

  g_assert_null (reactivate (client, "s9", NULL, &error));
  g_clear_error (&error);
  g_assert_cmpstr (rogue->method, ==, "POST");
  g_assert_cmpstr (rogue->path, ==, "/echo/v1/subscriptions/s9/reactivate");
  g_assert_null (rogue_header (rogue, "Idempotency-Key"));
  g_assert_cmpstr (rogue->body, ==, "");

  g_assert_null (reactivate (client, "s9", "key-3", &error));
  g_clear_error (&error);
  g_assert_cmpstr (rogue_header (rogue, "Idempotency-Key"), ==, "key-3");

  g_assert_null (delete (client, "s3", "\"e3\"", "Visio Plan 2", "key-4", &error));
  g_clear_error (&error);
  g_assert_cmpstr (rogue->method, ==, "DELETE");
  g_assert_cmpstr (rogue->path, ==, "/echo/v1/subscriptions/s3");
  g_assert_cmpstr (rogue_header (rogue, "If-Match"), ==, "\"e3\"");
  g_assert_cmpstr (rogue_header (rogue, "Idempotency-Key"), ==, "key-4");
  g_assert_cmpstr (rogue->body, ==, "{\"confirm\":\"Visio Plan 2\"}");

  g_assert_null (get_cancellation (client, "s3", &error));
  g_clear_error (&error);
  g_assert_cmpstr (rogue->path, ==, "/echo/v1/subscriptions/s3/cancellation");

  g_assert_null (list_page (client, NULL, 42, NULL, &error));
  g_clear_error (&error);
  g_assert_cmpstr (rogue->path, ==, "/echo/v1/subscriptions");

  g_assert_finalize_object (client);
}

typedef struct
{
  const char    *mode;
  BdClientError  error;
  BdErrorCode    code;
  guint          status;
} StatusCase;

/* Non-2xx answers without an error document: a code from the status, and
 * our sentence, never the page's text.
 */
static void
test_status_without_document (void)
{
  static const StatusCase cases[] = {
    { "html500", BD_CLIENT_ERROR_API, BD_ERROR_CODE_INTERNAL_ERROR, 500 },
    { "html503", BD_CLIENT_ERROR_API, BD_ERROR_CODE_UNAVAILABLE, 503 },
    { "html504", BD_CLIENT_ERROR_API, BD_ERROR_CODE_UNAVAILABLE, 504 },
    { "teapot", BD_CLIENT_ERROR_API, BD_ERROR_CODE_UNKNOWN, 418 },
    { "json-not-error", BD_CLIENT_ERROR_API, BD_ERROR_CODE_UNKNOWN, 409 },
    { "redirect", BD_CLIENT_ERROR_API, BD_ERROR_CODE_UNKNOWN, 307 },
  };
  g_autoptr(Rogue) rogue = rogue_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BdClient *client = rogue_client (rogue, cases[i].mode);
      g_autoptr(GError) error = NULL;
      guint before = rogue->n_requests;

      g_test_message ("%s", cases[i].mode);
      g_assert_false (get_me (client, NULL, NULL, NULL, &error));
      g_assert_error (error, BD_CLIENT_ERROR, (gint) cases[i].error);
      g_assert_cmpint (bd_client_error_get_api_code (error), ==, cases[i].code);
      g_assert_cmpuint (bd_client_error_get_http_status (error), ==, cases[i].status);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_null (strstr (error->message, "secret"));
      g_assert_null (strstr (error->message, "teapot"));
      g_assert_null (strstr (error->message, "Internal Server Error"));
      /* a redirect is not followed */
      g_assert_cmpuint (rogue->n_requests, ==, before + 1);
      g_assert_finalize_object (client);
    }

  {
    BdClient *client = rogue_client (rogue, "unknown-code");
    g_autoptr(BdSubscription) none = NULL;
    g_autoptr(GError) error = NULL;

    none = update (client, "s1", "\"e\"", FALSE, BD_RECURRING_BILLING_ON, 3, &error);
    g_assert_null (none);
    assert_api_error (error, BD_ERROR_CODE_UNKNOWN, 409);
    g_assert_cmpstr (bd_client_error_get_target (error), ==, "quantity");
    g_assert_null (strstr (error->message, "Server words"));
    g_assert_null (strstr (error->message, "somethingNew"));
    g_assert_finalize_object (client);
  }
}

typedef struct
{
  const char  *mode;
  BdErrorCode  code;
  guint        status;
  const char  *sentence;
} UnknownCase;

/* Any 5xx to a change (the service's own with its error document, a
 * proxy's with a page or no body) and 409 requestInProgress: the change
 * may have been applied, so its outcome is unknown, and the sentence says
 * so; never "nothing was changed". The same answers to a read are the
 * read's failure, and nothing is unknown about them.
 */
static void
test_change_outcome_unknown (void)
{
  const char *problem = "The billing service had a problem, so the result is not known yet.";
  const char *no_answer = "The billing service did not answer, so the result is not known yet.";
  const UnknownCase cases[] = {
    { "html500", BD_ERROR_CODE_INTERNAL_ERROR, 500, problem },
    { "empty500", BD_ERROR_CODE_INTERNAL_ERROR, 500, problem },
    { "json500", BD_ERROR_CODE_INTERNAL_ERROR, 500, problem },
    { "html502", BD_ERROR_CODE_UNAVAILABLE, 502, problem },
    { "empty502", BD_ERROR_CODE_UNAVAILABLE, 502, problem },
    { "html503", BD_ERROR_CODE_UNAVAILABLE, 503, problem },
    { "empty503", BD_ERROR_CODE_UNAVAILABLE, 503, problem },
    { "json503", BD_ERROR_CODE_UNAVAILABLE, 503, problem },
    { "html504", BD_ERROR_CODE_UNAVAILABLE, 504, problem },
    { "empty504", BD_ERROR_CODE_UNAVAILABLE, 504, problem },
    { "in-progress", BD_ERROR_CODE_REQUEST_IN_PROGRESS, 409, no_answer },
  };
  g_autoptr(Rogue) rogue = rogue_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BdClient *client = rogue_client (rogue, cases[i].mode);
      GError *errors[4] = { NULL, };
      g_autoptr(GError) read_error = NULL;
      g_autoptr(BdSubscription) none = NULL;
      CancelOuts outs;

      g_test_message ("%s", cases[i].mode);
      g_assert_null (cancel (client, "s1", BD_CANCEL_REASON_OTHER, "x", "key-1", &outs,
                             &errors[0]));
      g_assert_null (update (client, "s1", "\"e\"", TRUE, BD_RECURRING_BILLING_OFF, -1,
                             &errors[1]));
      g_assert_null (delete (client, "s1", "\"e\"", "Visio Plan 2", "key-2", &errors[2]));
      g_assert_null (reactivate (client, "s1", "key-3", &errors[3]));

      for (guint j = 0; j < G_N_ELEMENTS (errors); j++)
        {
          g_assert_error (errors[j], BD_CLIENT_ERROR, BD_CLIENT_ERROR_API);
          g_assert_true (bd_client_error_is_outcome_unknown (errors[j]));
          g_assert_cmpint (bd_client_error_get_api_code (errors[j]), ==, cases[i].code);
          g_assert_cmpuint (bd_client_error_get_http_status (errors[j]), ==, cases[i].status);
          g_assert_cmpstr (errors[j]->message, ==, cases[i].sentence);
          g_clear_error (&errors[j]);
        }

      /* A read: a failure like any other, to be tried again. */
      none = get_subscription (client, "s1", &read_error);
      g_assert_null (none);
      g_assert_false (bd_client_error_is_outcome_unknown (read_error));
      g_assert_null (strstr (read_error->message, "not known"));
      g_assert_finalize_object (client);
    }
}

/* 2xx answers that are not what was asked for. */
static void
test_bad_answers (void)
{
  static const char * const modes[] = {
    "truncated", "shape", "array", "empty", "duplicate",
  };
  g_autoptr(Rogue) rogue = rogue_new ();

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      BdClient *client = rogue_client (rogue, modes[i]);
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(BdSubscription) subscription = NULL;
      g_autoptr(BdCancellation) cancellation = NULL;
      g_autoptr(GError) list_error = NULL;
      g_autoptr(GError) get_error = NULL;
      g_autoptr(GError) me_error = NULL;
      g_autoptr(GError) cancellation_error = NULL;
      g_autoptr(GError) operations_error = NULL;
      g_autoptr(GPtrArray) operations = NULL;

      g_test_message ("%s", modes[i]);
      operations = list_operations (client, NULL, 3, BD_OPERATIONS_ORDER_NEWEST, NULL, NULL,
                                    &operations_error);
      g_assert_null (operations);
      g_assert_error (operations_error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);

      page = list_page (client, NULL, 3, NULL, &list_error);
      g_assert_null (page);
      g_assert_error (list_error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);
      g_assert_false (bd_client_error_is_outcome_unknown (list_error));
      g_assert_cmpstr (list_error->message, !=, "");

      g_assert_false (get_me (client, NULL, NULL, NULL, &me_error));
      g_assert_error (me_error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);

      cancellation = get_cancellation (client, "s1", &cancellation_error);
      g_assert_null (cancellation);
      g_assert_error (cancellation_error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);

      subscription = get_subscription (client, "s1", &get_error);
      g_assert_null (subscription);
      g_assert_error (get_error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);
      g_assert_finalize_object (client);
    }
}

/* A well-formed subscription, but not the one asked for. */
static void
test_wrong_subscription (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  g_autoptr(BdTestAnswer) s2 = bd_test_service_request (service, "GET", "/v1/subscriptions/s2",
                                                        ADMIN, NULL, NULL);
  g_autoptr(Rogue) rogue = rogue_new ();
  BdClient *client = rogue_client (rogue, "canned");
  g_autoptr(BdSubscription) right = NULL;
  g_autoptr(BdSubscription) wrong = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (s2->status, ==, 200);
  rogue->canned = g_strdup (s2->text);

  right = get_subscription (client, "s2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_subscription_get_id (right), ==, "s2");

  wrong = get_subscription (client, "s1", &error);
  g_assert_null (wrong);
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);

  g_assert_finalize_object (client);
}

/* The answer to a cancel, but of another subscription than the one asked
 * for: not read as a success.
 */
static void
test_wrong_cancelled_subscription (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  g_autoptr(BdTestAnswer) s1 = bd_test_service_request (service, "POST",
                                                        "/v1/subscriptions/s1/cancel", ADMIN,
                                                        "{\"reason\":\"tooExpensive\"}",
                                                        "Idempotency-Key", "cancel-s1", NULL);
  g_autoptr(Rogue) rogue = rogue_new ();
  BdClient *client = rogue_client (rogue, "canned");
  g_autoptr(BdSubscription) right = NULL;
  g_autoptr(BdSubscription) wrong = NULL;
  g_autoptr(GError) error = NULL;
  CancelOuts outs = { 0 };

  g_assert_cmpuint (s1->status, ==, 200);
  rogue->canned = g_strdup (s1->text);

  right = cancel (client, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE, NULL, "key-1", &outs, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_subscription_get_id (right), ==, "s1");

  wrong = cancel (client, "s2", BD_CANCEL_REASON_TOO_EXPENSIVE, NULL, "key-2", &outs, &error);
  g_assert_null (wrong);
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);

  g_assert_finalize_object (client);
}

/* A nextLink elsewhere is refused, in an answer and when given: the token
 * never leaves the service's scheme, host and port.
 */
static void
test_foreign_next_link (void)
{
  static const char * const modes[] = {
    "foreign-host", "foreign-port", "foreign-scheme", "foreign-user",
  };
  g_autoptr(Rogue) rogue = rogue_new ();

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      BdClient *client = rogue_client (rogue, modes[i]);
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      char *next = NULL;

      g_test_message ("%s", modes[i]);
      page = list_page (client, NULL, 3, &next, &error);
      g_assert_null (page);
      g_assert_null (next);
      g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);
      g_assert_finalize_object (client);
    }

  {
    BdClient *client = rogue_client (rogue, "last-page");
    g_autofree char *same_origin = g_strconcat (rogue->url, "/last-page/v1/subscriptions?top=3"
                                                "&skipToken=abc", NULL);
    g_autofree char *host = g_strdup_printf ("http://localhost:%s", strrchr (rogue->url, ':') + 1);
    const char *elsewhere[] = {
      "http://203.0.113.7/v1/subscriptions?top=3", host, "https://127.0.0.1/v1/subscriptions",
      "not a link", "",
    };
    guint before;

    for (guint i = 0; i < G_N_ELEMENTS (elsewhere); i++)
      {
        g_autoptr(GPtrArray) page = NULL;
        g_autoptr(GError) error = NULL;

        before = rogue->n_requests;
        g_test_message ("given nextLink “%s”", elsewhere[i]);
        page = list_page (client, elsewhere[i], 3, NULL, &error);
        g_assert_null (page);
        g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);
        g_assert_cmpuint (rogue->n_requests, ==, before);
      }

    /* the same origin is followed as given, and the last page has no next */
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      char *next = (char *) "untouched";

      page = list_page (client, same_origin, 3, &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, 0);
      g_assert_null (next);
      g_assert_cmpstr (rogue->path, ==, "/last-page/v1/subscriptions");
      g_assert_cmpstr (rogue_header (rogue, "Authorization"), ==, "Bearer rogue-token");
    }

    g_assert_finalize_object (client);
  }
}

static gboolean
endless_is_flowing (gpointer data)
{
  return ((Rogue *) data)->n_chunks >= 8;
}

static gboolean
endless_has_finished (gpointer data)
{
  return ((Rogue *) data)->endless_finished;
}

/* An answer that never ends is refused once past 16 MiB, and its
 * connection dropped.
 */
static void
test_too_large_body (void)
{
  g_autoptr(Rogue) rogue = rogue_new ();
  BdClient *client = rogue_client (rogue, "endless");
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  page = list_page (client, NULL, 3, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);
  g_assert_false (bd_client_error_is_outcome_unknown (error));
  g_assert_cmpuint (rogue->n_chunks, >=, BD_CLIENT_MAX_ANSWER / (64 * 1024) - 1);

  g_assert_true (bd_test_wait_until (endless_has_finished, rogue, WAIT_MS));

  g_assert_finalize_object (client);
}

/* A proxy's 502 whose body is over the limit: to a change, an unknown
 * outcome (Check Again with the same key), as any 5xx is; to a read, the
 * read's failure.
 */
static void
test_too_large_5xx (void)
{
  g_autoptr(Rogue) rogue = rogue_new ();
  BdClient *client = rogue_client (rogue, "endless502");
  CancelOuts outs;
  g_autoptr(BdSubscription) cancelled = NULL;
  g_autoptr(GError) change_error = NULL;
  g_autoptr(BdSubscription) read = NULL;
  g_autoptr(GError) read_error = NULL;

  cancelled = cancel (client, "s1", BD_CANCEL_REASON_OTHER, "x", "key-1", &outs, &change_error);
  g_assert_null (cancelled);
  g_assert_cmpstr (rogue->method, ==, "POST");
  g_assert_error (change_error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);
  g_assert_true (bd_client_error_is_outcome_unknown (change_error));
  g_assert_cmpuint (bd_client_error_get_http_status (change_error), ==, 502);
  g_assert_cmpstr (change_error->message, ==,
                   "The billing service had a problem, so the result is not known yet.");
  g_assert_true (bd_test_wait_until (endless_has_finished, rogue, WAIT_MS));

  rogue->endless_finished = FALSE;
  read = get_subscription (client, "s1", &read_error);
  g_assert_null (read);
  g_assert_cmpstr (rogue->method, ==, "GET");
  g_assert_error (read_error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER);
  g_assert_false (bd_client_error_is_outcome_unknown (read_error));
  g_assert_null (strstr (read_error->message, "not known"));
  g_assert_true (bd_test_wait_until (endless_has_finished, rogue, WAIT_MS));

  g_assert_finalize_object (client);
}

/* Cancelling while the body is being read. */
static void
test_cancel_while_reading (void)
{
  g_autoptr(Rogue) rogue = rogue_new ();
  BdClient *client = rogue_client (rogue, "endless");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  bd_client_list_subscriptions_async (client, NULL, 3, cancellable, store_result_cb, &result);
  g_assert_true (bd_test_wait_until (endless_is_flowing, rogue, WAIT_MS));
  g_assert_null (result);
  g_cancellable_cancel (cancellable);
  wait_for_result (&result);
  page = bd_client_list_subscriptions_finish (client, result, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);

  g_assert_true (bd_test_wait_until (endless_has_finished, rogue, WAIT_MS));

  g_assert_finalize_object (client);
}

int
main (int   argc,
      char *argv[])
{
  /* Loopback only: no system proxy in between (libproxy would also throw
   * C++ exceptions that AddressSanitizer cannot intercept).
   */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/idempotency-key", test_idempotency_key);
  g_test_add_func ("/client/base-url", test_base_url);
  g_test_add_func ("/client/error-getters", test_error_getters);
  g_test_add_func ("/client/me", test_me);
  g_test_add_func ("/client/unauthenticated", test_unauthenticated);
  g_test_add_func ("/client/list/pages", test_list_pages);
  g_test_add_func ("/client/list/bad-top", test_list_bad_top);
  g_test_add_func ("/client/list/growing-pages", test_list_growing_pages);
  g_test_add_func ("/client/get", test_get);
  g_test_add_func ("/client/get-cancellation", test_get_cancellation);
  g_test_add_func ("/client/cancel/replay", test_cancel_replay);
  g_test_add_func ("/client/cancel/trial", test_cancel_trial);
  g_test_add_func ("/client/api-error", test_api_error);
  g_test_add_func ("/client/update", test_update);
  g_test_add_func ("/client/update/refused", test_update_refused);
  g_test_add_func ("/client/reactivate", test_reactivate);
  g_test_add_func ("/client/delete", test_delete);
  g_test_add_func ("/client/operations", test_operations);
  g_test_add_func ("/client/operations/refused", test_operations_refused);
  g_test_add_func ("/client/operations/reader", test_operation_reader);
  g_test_add_func ("/client/cancellable", test_cancellable);
  g_test_add_func ("/client/network/unreachable", test_unreachable);
  g_test_add_func ("/client/network/bad-base-url", test_bad_base_url);
  g_test_add_func ("/client/network/connect-timeout", test_connect_timeout);
  g_test_add_func ("/client/network/timeout", test_timeout);
  g_test_add_func ("/client/network/timeout-cancelled", test_timeout_cancelled);
  g_test_add_func ("/client/timeout/trickle", test_timeout_trickle);
  g_test_add_func ("/client/network/connection-lost", test_connection_lost);
  g_test_add_func ("/client/answer/requests-on-the-wire", test_requests_on_the_wire);
  g_test_add_func ("/client/answer/escaped-path", test_escaped_path);
  g_test_add_func ("/client/answer/status-without-document", test_status_without_document);
  g_test_add_func ("/client/answer/change-outcome-unknown", test_change_outcome_unknown);
  g_test_add_func ("/client/answer/bad", test_bad_answers);
  g_test_add_func ("/client/answer/wrong-subscription", test_wrong_subscription);
  g_test_add_func ("/client/answer/wrong-cancelled-subscription",
                   test_wrong_cancelled_subscription);
  g_test_add_func ("/client/answer/foreign-next-link", test_foreign_next_link);
  g_test_add_func ("/client/answer/too-large-from-headers", test_too_large_from_headers);
  g_test_add_func ("/client/answer/too-large-body", test_too_large_body);
  g_test_add_func ("/client/answer/too-large-5xx", test_too_large_5xx);
  g_test_add_func ("/client/answer/cancel-while-reading", test_cancel_while_reading);

  return g_test_run ();
}
