/* test-bulk-run.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BdBulkRun without GTK: a bulk Turn Off Recurring Billing against the real
 * service, in process. How many requests it has out at once, what it skips
 * and why, what Stop leaves unsent, a stale ETag, and a run abandoned by its
 * owner.
 */

#include "config.h"

#include <gio/gio.h>

#include "bd-bulk-run.h"
#include "bd-test-service.h"
#include "service-tenant.h"

#define WAIT_MS 20000
#define N_ITEMS 10

/* s01..s08 Active and on (s08 a reseller's), s09 Expired, s10 Active and
 * already off. */
#define BULK_TENANT \
  "{\"tenant\":{\"displayName\":\"Contoso A/S\",\"cloud\":\"worldwide\",\"currency\":\"DKK\"}," \
  "\"users\":[" \
  "{\"id\":\"u1\",\"displayName\":\"Anne Berg\",\"roles\":[\"globalAdmin\"],\"token\":\"" ADMIN "\"}]," \
  "\"subscriptions\":[" \
  SUB ("s01", "Product 01", "\"quantity\":1") "," \
  SUB ("s02", "Product 02", "\"quantity\":2") "," \
  SUB ("s03", "Product 03", "\"quantity\":3") "," \
  SUB ("s04", "Product 04", "\"quantity\":4") "," \
  SUB ("s05", "Product 05", "\"quantity\":5") "," \
  SUB ("s06", "Product 06", "\"quantity\":6") "," \
  SUB ("s07", "Product 07", "\"quantity\":7") "," \
  SUB ("s08", "Product 08", "\"quantity\":8,\"purchaseChannel\":\"reseller\"") "," \
  "{\"id\":\"s09\",\"productName\":\"Product 09\",\"status\":\"expired\",\"quantity\":2," \
  "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":22380,\"currency\":\"DKK\"}," \
  "\"recurringBilling\":\"off\",\"startDate\":\"2026-09-30T00:00:00Z\"," \
  "\"lastRenewalDate\":\"2026-09-30T00:00:00Z\",\"termEndDate\":\"2026-10-30T00:00:00Z\"," \
  "\"statusChangedDate\":\"2026-10-30T00:00:00Z\"}," \
  SUB ("s10", "Product 10", "\"quantity\":10,\"recurringBilling\":\"off\"") \
  "]}"

typedef struct
{
  BdTestService *service;
  BdClient      *client;
  GPtrArray     *subscriptions;
  guint          most_in_flight;
  gboolean       stop_at_first_answer;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_link = NULL;

  f->service = bd_test_service_new (BULK_TENANT, NOW);
  f->client = bd_client_new (f->service->url, ADMIN);
  bd_client_list_subscriptions_async (f->client, NULL, 100, NULL, bd_test_store_result_cb,
                                      &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, WAIT_MS));
  f->subscriptions = bd_client_list_subscriptions_finish (f->client, result, &next_link, &error);
  g_assert_no_error (error);
  g_assert_null (next_link);
  g_assert_cmpuint (f->subscriptions->len, ==, N_ITEMS);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->subscriptions, g_ptr_array_unref);
  g_clear_object (&f->client);
  g_clear_pointer (&f->service, bd_test_service_free);
}

static void
on_progress_cb (BdBulkRun  *run,
                GParamSpec *pspec,
                Fixture    *f)
{
  guint in_flight = bd_bulk_run_get_n_sent (run) - bd_bulk_run_get_n_answered (run);

  f->most_in_flight = MAX (f->most_in_flight, in_flight);
  if (f->stop_at_first_answer && bd_bulk_run_get_n_answered (run) > 0)
    bd_bulk_run_stop (run);
}

/* Runs @run to its end; FALSE with @error as its finish gives it. */
static gboolean
run_to_end (Fixture       *f,
            BdBulkRun     *run,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_signal_connect (run, "notify", G_CALLBACK (on_progress_cb), f);
  bd_bulk_run_start_async (run, cancellable, bd_test_store_result_cb, &result);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, WAIT_MS));
  return bd_bulk_run_start_finish (run, result, error);
}

static BdSubscription *
item (Fixture *f,
      guint    n)
{
  return g_ptr_array_index (f->subscriptions, n - 1);
}

static void
assert_says (Fixture    *f,
             guint       n,
             const char *value)
{
  g_autofree char *id = g_strdup_printf ("s%02u", n);

  bd_test_service_assert_says (f->service, ADMIN, id, "recurringBilling", value);
}

/* Eight sent, four at a time at most (and four at once at some point),
 * each answered and updated in place; the expired one and the one already
 * off skipped with why.
 */
static void
test_all (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(BdBulkRun) run = bd_bulk_run_new (f->client, f->subscriptions,
                                              BD_BULK_RUN_MAX_IN_FLIGHT);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (bd_bulk_run_get_n_items (run), ==, N_ITEMS);
  g_assert_cmpuint (bd_bulk_run_get_n_to_send (run), ==, 8);
  g_assert_true (run_to_end (f, run, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (f->most_in_flight, ==, BD_BULK_RUN_MAX_IN_FLIGHT);
  g_assert_cmpuint (bd_bulk_run_get_n_sent (run), ==, 8);
  g_assert_cmpuint (bd_bulk_run_get_n_answered (run), ==, 8);
  g_assert_cmpuint (bd_bulk_run_count (run, BD_BULK_OUTCOME_CHANGED), ==, 8);
  for (guint n = 1; n <= 8; n++)
    {
      g_assert_cmpint (bd_bulk_run_get_outcome (run, n - 1), ==, BD_BULK_OUTCOME_CHANGED);
      g_assert_cmpint (bd_subscription_get_data (item (f, n))->recurring_billing, ==,
                       BD_RECURRING_BILLING_OFF);
      assert_says (f, n, "off");
    }
  g_assert_cmpint (bd_bulk_run_get_outcome (run, 8), ==, BD_BULK_OUTCOME_SKIPPED);
  g_assert_cmpint (bd_bulk_run_get_blocker (run, 8), ==, BD_BLOCKER_NOT_ACTIVE);
  g_assert_cmpint (bd_bulk_run_get_outcome (run, 9), ==, BD_BULK_OUTCOME_SKIPPED);
  g_assert_cmpint (bd_bulk_run_get_blocker (run, 9), ==, BD_BLOCKER_NONE);
  g_assert_null (bd_bulk_run_get_error (run, 9));
}

/* Stop at the first answer: the four sent are answered and changed, the
 * other four never sent, and on at the service.
 */
static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(BdBulkRun) run = bd_bulk_run_new (f->client, f->subscriptions,
                                              BD_BULK_RUN_MAX_IN_FLIGHT);
  g_autoptr(GError) error = NULL;

  f->stop_at_first_answer = TRUE;
  g_assert_true (run_to_end (f, run, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (bd_bulk_run_get_stopping (run));
  g_assert_cmpuint (bd_bulk_run_get_n_sent (run), ==, BD_BULK_RUN_MAX_IN_FLIGHT);
  g_assert_cmpuint (bd_bulk_run_get_n_answered (run), ==, bd_bulk_run_get_n_sent (run));
  g_assert_cmpuint (bd_bulk_run_count (run, BD_BULK_OUTCOME_CHANGED), ==, 4);
  g_assert_cmpuint (bd_bulk_run_count (run, BD_BULK_OUTCOME_NOT_STARTED), ==, 4);
  g_assert_cmpuint (bd_bulk_run_count (run, BD_BULK_OUTCOME_SKIPPED), ==, 2);
  for (guint n = 1; n <= 8; n++)
    assert_says (f, n, n <= 4 ? "off" : "on");
}

/* A subscription changed by someone else after it was read: 412, not
 * retried; read again, so that it holds what the service has.
 */
static void
test_stale (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BdBulkRun) run = NULL;
  g_autoptr(BdTestAnswer) behind = NULL;
  g_autoptr(GError) error = NULL;
  const GError *failure;

  behind = bd_test_service_request (f->service, "PATCH", "/v1/subscriptions/s02", ADMIN,
                                    "{\"quantity\":12}", "If-Match",
                                    bd_subscription_get_data (item (f, 2))->etag, NULL);
  g_assert_cmpuint (behind->status, ==, 200);

  run = bd_bulk_run_new (f->client, f->subscriptions, BD_BULK_RUN_MAX_IN_FLIGHT);
  g_assert_true (run_to_end (f, run, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (bd_bulk_run_get_outcome (run, 1), ==, BD_BULK_OUTCOME_FAILED);
  failure = bd_bulk_run_get_error (run, 1);
  g_assert_nonnull (failure);
  g_assert_cmpuint (bd_client_error_get_http_status (failure), ==, 412);
  g_assert_false (bd_client_error_is_outcome_unknown (failure));
  g_assert_cmpuint (bd_bulk_run_get_n_sent (run), ==, 8);
  g_assert_cmpuint (bd_bulk_run_count (run, BD_BULK_OUTCOME_CHANGED), ==, 7);
  g_assert_cmpint (bd_subscription_get_data (item (f, 2))->quantity, ==, 12);
  g_assert_cmpint (bd_subscription_get_data (item (f, 2))->recurring_billing, ==,
                   BD_RECURRING_BILLING_ON);
  assert_says (f, 2, "on");
}

/* Its owner gone (the cancellable): the run ends cancelled; what was sent
 * has no known outcome, the rest was not sent.
 */
static void
test_abandoned (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BdBulkRun) run = bd_bulk_run_new (f->client, f->subscriptions,
                                              BD_BULK_RUN_MAX_IN_FLIGHT);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (run_to_end (f, run, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (bd_bulk_run_get_n_sent (run), ==, BD_BULK_RUN_MAX_IN_FLIGHT);
  g_assert_cmpuint (bd_bulk_run_count (run, BD_BULK_OUTCOME_UNKNOWN), ==, 4);
  g_assert_cmpuint (bd_bulk_run_count (run, BD_BULK_OUTCOME_NOT_STARTED), ==, 4);
  g_assert_cmpuint (bd_bulk_run_count (run, BD_BULK_OUTCOME_CHANGED), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bulk-run/all", Fixture, NULL, fixture_set_up, test_all, fixture_tear_down);
  g_test_add ("/bulk-run/stop", Fixture, NULL, fixture_set_up, test_stop, fixture_tear_down);
  g_test_add ("/bulk-run/stale", Fixture, NULL, fixture_set_up, test_stale, fixture_tear_down);
  g_test_add ("/bulk-run/abandoned", Fixture, NULL, fixture_set_up, test_abandoned,
              fixture_tear_down);

  return g_test_run ();
}
