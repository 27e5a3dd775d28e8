/* test-idempotency.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long the service remembers an answer under its Idempotency-Key
 * (docs/api.md, "Idempotency-Key": at least 24 hours; the service keeps
 * answers 48 hours by its clock). A cancel's answer is replayed after a day
 * and after other keyed writes, up to the last second of the 48 hours, and
 * is gone after them, whether or not another keyed write came in between.
 * A replay takes no lock: it is answered while another connection holds
 * the subscription's row.
 */

#include "config.h"

#include "bd-test-service.h"
#include "service-tenant.h"

#define KEY(k) "Idempotency-Key", k
#define CANCEL_BODY "{\"reason\":\"tooExpensive\"}"

/* NOW plus 24 hours, plus 48 hours, and one second after that. */
#define NOW_PLUS_24_H        "2026-11-04T00:00:00Z"
#define NOW_PLUS_48_H        "2026-11-05T00:00:00Z"
#define NOW_PLUS_48_H_AND_1S "2026-11-05T00:00:01Z"

static BdTestAnswer *
cancel (BdTestService *service,
        const char    *id,
        const char    *key)
{
  g_autofree char *path = g_strconcat ("/v1/subscriptions/", id, "/cancel", NULL);

  return bd_test_service_request (service, "POST", path, ADMIN, CANCEL_BODY, KEY (key), NULL);
}

/* @answer is @first again: status, body byte for byte, and ETag. */
static void
assert_replayed (BdTestAnswer *answer,
                 BdTestAnswer *first)
{
  g_assert_cmpuint (answer->status, ==, first->status);
  g_assert_cmpstr (answer->text, ==, first->text);
  g_assert_cmpstr (answer->etag, ==, first->etag);
}

/* A keyed write that the service evaluates and keeps under a new key: a
 * cancel of s4 (26 licenses, no billing profile), refused 409 every time.
 * Storing its answer is what forgets the answers older than the retention.
 */
static void
make_keyed_refusal (BdTestService *service,
                    const char    *key)
{
  g_autoptr(BdTestAnswer) answer = cancel (service, "s4", key);

  bd_test_assert_api_error (answer, 409, "tooManyLicenses");
}

/* The cancel of s1 at NOW under "k-s1", which every test replays. */
static BdTestAnswer *
cancel_s1 (BdTestService *service)
{
  BdTestAnswer *first = cancel (service, "s1", "k-s1");

  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (first, "subscription.status"), ==, "disabled");
  g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s1", "k-s1"), ==, 1);

  return first;
}

/* The cancel of s1 under "k-s1" answers @first again, and changes nothing. */
static void
assert_s1_replayed (BdTestService *service,
                    BdTestAnswer  *first)
{
  g_autoptr(BdTestAnswer) again = cancel (service, "s1", "k-s1");

  assert_replayed (again, first);
  g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s1", "k-s1"), ==, 1);
}

/* At @data, a day later or at exactly 48 hours (the last second of the
 * retention), after a successful cancel and a refusal under other keys
 * (each kept, each forgetting what is older than the retention), the same
 * key and body are the first answer again, and nothing changes.
 */
static void
test_replayed (gconstpointer data)
{
  const char *later = data;
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  g_autoptr(BdTestAnswer) first = cancel_s1 (service);
  g_autoptr(BdTestAnswer) other = NULL;

  bd_test_service_set_now (service, later);

  other = cancel (service, "s2", "k-s2");
  g_assert_cmpuint (other->status, ==, 200);
  make_keyed_refusal (service, "k-s4");

  assert_s1_replayed (service, first);
}

/* One second after the 48 hours, once a keyed write has been made, the key
 * is new to the service: the same cancel is evaluated afresh, and since s1
 * is Disabled by its first cancel it is 409 notActive, with no second
 * ledger entry. That refusal is kept under the key from then on. An answer
 * younger than the retention (k-s4-24h, a day old) is still replayed.
 */
static void
test_forgotten_after_48_hours (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  g_autoptr(BdTestAnswer) first = cancel_s1 (service);
  g_autoptr(BdTestAnswer) day_old = NULL;
  g_autoptr(BdTestAnswer) day_old_again = NULL;
  g_autoptr(BdTestAnswer) afresh = NULL;
  g_autoptr(BdTestAnswer) afresh_again = NULL;

  bd_test_service_set_now (service, NOW_PLUS_24_H);
  day_old = cancel (service, "s4", "k-s4-24h");
  bd_test_assert_api_error (day_old, 409, "tooManyLicenses");

  bd_test_service_set_now (service, NOW_PLUS_48_H_AND_1S);
  make_keyed_refusal (service, "k-s4-48h-1s");

  afresh = cancel (service, "s1", "k-s1");
  bd_test_assert_api_error (afresh, 409, "notActive");
  g_assert_cmpstr (afresh->text, !=, first->text);
  g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s1", "k-s1"), ==, 1);
  bd_test_service_assert_says (service, ADMIN, "s1", "status", "disabled");

  afresh_again = cancel (service, "s1", "k-s1");
  assert_replayed (afresh_again, afresh);

  day_old_again = cancel (service, "s4", "k-s4-24h");
  assert_replayed (day_old_again, day_old);
}

/* One second after the 48 hours, with no other keyed write since the first
 * cancel, the key is new to the service all the same: the cancel is
 * evaluated afresh (409 notActive), and the ledger still holds one cancel.
 */
static void
test_forgotten_without_other_writes (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  g_autoptr(BdTestAnswer) first = cancel_s1 (service);
  g_autoptr(BdTestAnswer) afresh = NULL;

  bd_test_service_set_now (service, NOW_PLUS_48_H_AND_1S);

  afresh = cancel (service, "s1", "k-s1");
  bd_test_assert_api_error (afresh, 409, "notActive");
  g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s1", "k-s1"), ==, 1);
}

/* Locks @id's row on a connection of its own, until rolled back. */
static BdStore *
lock_row (BdTestService *service,
          const char    *id)
{
  g_autoptr(BdStore) store = NULL;
  g_autoptr(BdSubscriptionData) data = NULL;
  g_autoptr(GError) error = NULL;

  store = bd_store_open (service->location, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  g_assert_true (bd_store_begin (store, &error));
  data = bd_store_get_subscription (store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);

  return g_steal_pointer (&store);
}

/* Another connection holds s1's row, the way another instance's change
 * does (a transaction that read it: SQLite's write lock of BEGIN
 * IMMEDIATE, PostgreSQL's SELECT ... FOR UPDATE). The replay of a cancel
 * whose answer is committed waits for neither: it is the first answer
 * again while the lock is still held, not 409 requestInProgress after the
 * lock's bound. What is checked is that order, not a time.
 */
static void
test_replayed_under_row_lock (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  g_autoptr(BdTestAnswer) first = cancel_s1 (service);
  g_autoptr(BdStore) lock = lock_row (service, "s1");
  g_autoptr(BdTestAnswer) again = NULL;

  again = cancel (service, "s1", "k-s1");
  g_assert_cmpuint (again->status, !=, 409);
  assert_replayed (again, first);

  bd_store_rollback (lock);
  g_assert_cmpuint (bd_test_service_count_cancels (service, ADMIN, "s1", "k-s1"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (bd_test_database_skip_all ())
    return g_test_run ();

  g_test_add_data_func ("/idempotency/replayed-after-24-hours", NOW_PLUS_24_H, test_replayed);
  g_test_add_data_func ("/idempotency/replayed-at-48-hours", NOW_PLUS_48_H, test_replayed);
  g_test_add_func ("/idempotency/forgotten-after-48-hours", test_forgotten_after_48_hours);
  g_test_add_func ("/idempotency/forgotten-without-other-writes",
                   test_forgotten_without_other_writes);
  g_test_add_func ("/idempotency/replayed-under-row-lock", test_replayed_under_row_lock);

  return g_test_run ();
}
