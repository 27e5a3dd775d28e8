/* test-lifecycle.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-test-utils.h"

typedef struct
{
  const char         *what;
  BdStatus            stored_status;
  const char         *status_changed;
  BdRecurringBilling  recurring;
  const char         *now;
  BdStatus            status;
  const char         *expected_changed;
  const char         *last_renewal;
  const char         *term_end;
  BdRecurringBilling  expected_recurring;
} DeriveCase;

/* One monthly subscription, started 2026-01-31, first term to 2026-02-28. */
#define START "2026-01-31T00:00:00Z"
#define TERM_END "2026-02-28T00:00:00Z"

static const DeriveCase derive_cases[] = {
  /* Rule 10: Expired at termEndDate exactly, Disabled 30 days later, Deleted 90 days after that. */
  { "off: active a second before the term ends", BD_STATUS_ACTIVE, START, BD_RECURRING_BILLING_OFF,
    "2026-02-27T23:59:59Z", BD_STATUS_ACTIVE, START, START, TERM_END, BD_RECURRING_BILLING_OFF },
  { "off: expired at termEndDate", BD_STATUS_ACTIVE, START, BD_RECURRING_BILLING_OFF,
    TERM_END, BD_STATUS_EXPIRED, TERM_END, START, TERM_END, BD_RECURRING_BILLING_OFF },
  { "off: still expired 30 days less a second later", BD_STATUS_ACTIVE, START,
    BD_RECURRING_BILLING_OFF, "2026-03-29T23:59:59Z", BD_STATUS_EXPIRED, TERM_END, START, TERM_END,
    BD_RECURRING_BILLING_OFF },
  { "off: disabled 30 days after expiring", BD_STATUS_ACTIVE, START, BD_RECURRING_BILLING_OFF,
    "2026-03-30T00:00:00Z", BD_STATUS_DISABLED, "2026-03-30T00:00:00Z", START, TERM_END,
    BD_RECURRING_BILLING_OFF },
  { "off: still disabled 90 days less a second later", BD_STATUS_ACTIVE, START,
    BD_RECURRING_BILLING_OFF, "2026-06-27T23:59:59Z", BD_STATUS_DISABLED, "2026-03-30T00:00:00Z",
    START, TERM_END, BD_RECURRING_BILLING_OFF },
  { "off: deleted 90 days after disabling", BD_STATUS_ACTIVE, START, BD_RECURRING_BILLING_OFF,
    "2026-06-28T00:00:00Z", BD_STATUS_DELETED, "2026-06-28T00:00:00Z", START, TERM_END,
    BD_RECURRING_BILLING_OFF },
  { "off: deleted stays deleted", BD_STATUS_ACTIVE, START, BD_RECURRING_BILLING_OFF,
    "2030-01-01T00:00:00Z", BD_STATUS_DELETED, "2026-06-28T00:00:00Z", START, TERM_END,
    BD_RECURRING_BILLING_OFF },

  /* Rule 11: renewal on the start's grid, the day cut back in short months. */
  { "on: not renewed before the term ends", BD_STATUS_ACTIVE, START, BD_RECURRING_BILLING_ON,
    "2026-02-27T23:59:59Z", BD_STATUS_ACTIVE, START, START, TERM_END, BD_RECURRING_BILLING_ON },
  { "on: renewed at termEndDate", BD_STATUS_ACTIVE, START, BD_RECURRING_BILLING_ON, TERM_END,
    BD_STATUS_ACTIVE, START, TERM_END, "2026-03-31T00:00:00Z", BD_RECURRING_BILLING_ON },
  { "on: renewed until the term holds now", BD_STATUS_ACTIVE, START, BD_RECURRING_BILLING_ON,
    "2026-05-15T00:00:00Z", BD_STATUS_ACTIVE, START, "2026-04-30T00:00:00Z",
    "2026-05-31T00:00:00Z", BD_RECURRING_BILLING_ON },
  { "on: years later", BD_STATUS_ACTIVE, START, BD_RECURRING_BILLING_ON, "2031-02-28T12:00:00Z",
    BD_STATUS_ACTIVE, START, "2031-02-28T00:00:00Z", "2031-03-31T00:00:00Z",
    BD_RECURRING_BILLING_ON },

  /* renewOnce renews once and then becomes off. */
  { "renewOnce: renewed once", BD_STATUS_ACTIVE, START, BD_RECURRING_BILLING_RENEW_ONCE,
    "2026-03-01T00:00:00Z", BD_STATUS_ACTIVE, START, TERM_END, "2026-03-31T00:00:00Z",
    BD_RECURRING_BILLING_OFF },
  { "renewOnce: expires at the end of the renewed term", BD_STATUS_ACTIVE, START,
    BD_RECURRING_BILLING_RENEW_ONCE, "2026-03-31T00:00:00Z", BD_STATUS_EXPIRED,
    "2026-03-31T00:00:00Z", TERM_END, "2026-03-31T00:00:00Z", BD_RECURRING_BILLING_OFF },

  /* A stored Expired or Disabled counts from statusChangedDate. */
  { "stored expired: disabled 30 days after it changed", BD_STATUS_EXPIRED,
    "2026-10-01T00:00:00Z", BD_RECURRING_BILLING_OFF, "2026-10-31T00:00:00Z",
    BD_STATUS_DISABLED, "2026-10-31T00:00:00Z", START, TERM_END, BD_RECURRING_BILLING_OFF },
  { "stored expired: a second earlier", BD_STATUS_EXPIRED, "2026-10-01T00:00:00Z",
    BD_RECURRING_BILLING_OFF, "2026-10-30T23:59:59Z", BD_STATUS_EXPIRED, "2026-10-01T00:00:00Z",
    START, TERM_END, BD_RECURRING_BILLING_OFF },
  { "stored disabled: deleted 90 days after it changed", BD_STATUS_DISABLED,
    "2026-10-01T00:00:00Z", BD_RECURRING_BILLING_OFF, "2026-12-30T00:00:00Z", BD_STATUS_DELETED,
    "2026-12-30T00:00:00Z", START, TERM_END, BD_RECURRING_BILLING_OFF },
  { "stored disabled: a second earlier", BD_STATUS_DISABLED, "2026-10-01T00:00:00Z",
    BD_RECURRING_BILLING_OFF, "2026-12-29T23:59:59Z", BD_STATUS_DISABLED, "2026-10-01T00:00:00Z",
    START, TERM_END, BD_RECURRING_BILLING_OFF },
  { "stored deleted stays", BD_STATUS_DELETED, "2026-10-01T00:00:00Z", BD_RECURRING_BILLING_OFF,
    "2040-01-01T00:00:00Z", BD_STATUS_DELETED, "2026-10-01T00:00:00Z", START, TERM_END,
    BD_RECURRING_BILLING_OFF },
};

static BdSubscriptionData *
make_case_subscription (const DeriveCase *c)
{
  BdSubscriptionData *data = bd_test_subscription (START, START, TERM_END);

  data->status = c->stored_status;
  data->status_changed_date = bd_test_time (c->status_changed);
  data->recurring_billing = c->recurring;

  return data;
}

static void
test_derive (gconstpointer user_data)
{
  const DeriveCase *c = user_data;
  g_autoptr(BdSubscriptionData) data = make_case_subscription (c);

  bd_lifecycle_derive (data, bd_test_time (c->now));

  g_assert_cmpint (data->status, ==, c->status);
  bd_assert_time_eq (data->status_changed_date, c->expected_changed);
  bd_assert_time_eq (data->last_renewal_date, c->last_renewal);
  bd_assert_time_eq (data->term_end_date, c->term_end);
  g_assert_cmpint (data->recurring_billing, ==, c->expected_recurring);
}

/* Deriving at t1 and then at t2 equals deriving once at t2: the service may
 * derive lazily on every read, or store what it derived, and agree.
 */
static void
test_derive_is_monotonic (void)
{
  gint64 base = bd_test_time (START);
  gint64 step = 7 * BD_SECONDS_PER_DAY + 3 * BD_SECONDS_PER_HOUR + 17;

  for (guint i = 0; i < G_N_ELEMENTS (derive_cases); i++)
    {
      for (gint64 t1 = base; t1 < base + 400 * BD_SECONDS_PER_DAY; t1 += step)
        {
          gint64 t2 = t1 + 11 * BD_SECONDS_PER_DAY + 13;
          g_autoptr(BdSubscriptionData) twice = make_case_subscription (&derive_cases[i]);
          g_autoptr(BdSubscriptionData) once = make_case_subscription (&derive_cases[i]);

          bd_lifecycle_derive (twice, t1);
          bd_lifecycle_derive (twice, t2);
          bd_lifecycle_derive (once, t2);
          g_assert_true (bd_subscription_data_equal (twice, once));
          g_assert_false (bd_lifecycle_derive (once, t2));
        }
    }
}

static void
test_annual_leap_day (void)
{
  static const struct {
    const char *now;
    const char *last_renewal;
    const char *term_end;
  } cases[] = {
    { "2025-02-28T00:00:00Z", "2025-02-28T00:00:00Z", "2026-02-28T00:00:00Z" },
    { "2027-06-01T00:00:00Z", "2027-02-28T00:00:00Z", "2028-02-29T00:00:00Z" },
    { "2028-02-29T00:00:00Z", "2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BdSubscriptionData) data =
        bd_test_subscription ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z",
                              "2025-02-28T00:00:00Z");

      data->billing_frequency = BD_BILLING_FREQUENCY_ANNUAL;
      bd_lifecycle_derive (data, bd_test_time (cases[i].now));
      bd_assert_time_eq (data->last_renewal_date, cases[i].last_renewal);
      bd_assert_time_eq (data->term_end_date, cases[i].term_end);
    }
}

/* A term that ended off the start's grid renews to a grid date at least half
 * a period away: no stub terms of a day or two.
 */
static void
test_renew_off_grid (void)
{
  g_autoptr(BdSubscriptionData) stub = NULL;
  g_autoptr(BdSubscriptionData) long_enough = NULL;

  /* Started 2026-10-29, term to 2026-11-28 (30 days): the grid's 2026-11-29
   * is a day away, so the term runs to 2026-12-29.
   */
  stub = bd_test_subscription ("2026-10-29T00:00:00Z", "2026-10-29T00:00:00Z",
                               "2026-11-28T00:00:00Z");
  stub->recurring_billing = BD_RECURRING_BILLING_RENEW_ONCE;
  bd_assert_time_eq (bd_lifecycle_next_date (stub), "2026-12-29T00:00:00Z");
  bd_lifecycle_derive (stub, bd_test_time ("2026-11-28T00:00:00Z"));
  bd_assert_time_eq (stub->last_renewal_date, "2026-11-28T00:00:00Z");
  bd_assert_time_eq (stub->term_end_date, "2026-12-29T00:00:00Z");

  /* Ended 20 days before the grid's date: that date stands. */
  long_enough = bd_test_subscription ("2026-10-29T00:00:00Z", "2026-10-29T00:00:00Z",
                                      "2026-11-09T00:00:00Z");
  bd_lifecycle_derive (long_enough, bd_test_time ("2026-11-09T00:00:00Z"));
  bd_assert_time_eq (long_enough->term_end_date, "2026-11-29T00:00:00Z");
}

/* The stub rule's boundary (rule 11, docs/design.md): a grid date exactly half a
 * period after the term's end stands; a second less than half, and the term
 * runs on to the following grid date. Started 2026-10-30 (grid on the 30th),
 * a term ending 2026-11-15 has a full period of 30 days to 2026-12-15, and
 * the grid's 2026-11-30 is 15 days away: exactly half.
 */
static void
test_renew_stub_at_half_a_period (void)
{
  static const struct
  {
    const char *term_end;
    const char *next_term_end;
  } cases[] = {
    /* a second more than half a period before the grid date: it stands */
    { "2026-11-14T23:59:59Z", "2026-11-30T00:00:00Z" },
    /* exactly half a period: it stands */
    { "2026-11-15T00:00:00Z", "2026-11-30T00:00:00Z" },
    /* a second less than half a period: a stub, so the next grid date */
    { "2026-11-15T00:00:01Z", "2026-12-30T00:00:00Z" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BdSubscriptionData) data =
        bd_test_subscription ("2026-10-30T00:00:00Z", "2026-10-30T00:00:00Z", cases[i].term_end);
      gint64 term_end = bd_test_time (cases[i].term_end);

      g_test_message ("term ending %s", cases[i].term_end);
      bd_assert_time_eq (bd_lifecycle_next_term_end (data, term_end), cases[i].next_term_end);

      /* A renewal at the term's end takes that term end. */
      data->recurring_billing = BD_RECURRING_BILLING_RENEW_ONCE;
      bd_lifecycle_derive (data, term_end);
      g_assert_cmpint (data->status, ==, BD_STATUS_ACTIVE);
      g_assert_cmpint (data->last_renewal_date, ==, term_end);
      bd_assert_time_eq (data->term_end_date, cases[i].next_term_end);
    }
}

/* Past year 9999 nothing renews: an Active subscription expires at its term's end. */
static void
test_next_date_at_the_end_of_time (void)
{
  g_autoptr(BdSubscriptionData) data =
    bd_test_subscription ("9999-11-15T00:00:00Z", "9999-11-15T00:00:00Z", "9999-12-15T00:00:00Z");

  bd_assert_time_eq (bd_lifecycle_next_date (data), "9999-12-15T00:00:00Z");
  data->recurring_billing = BD_RECURRING_BILLING_RENEW_ONCE;
  bd_assert_time_eq (bd_lifecycle_next_date (data), "9999-12-15T00:00:00Z");

  bd_lifecycle_derive (data, bd_test_time ("9999-12-15T00:00:00Z"));
  g_assert_cmpint (data->status, ==, BD_STATUS_EXPIRED);
  bd_assert_time_eq (data->status_changed_date, "9999-12-15T00:00:00Z");
}

static void
test_next_date (void)
{
  static const struct {
    BdStatus status;
    BdRecurringBilling recurring;
    const char *expected;
  } cases[] = {
    { BD_STATUS_ACTIVE, BD_RECURRING_BILLING_ON, "none" },
    { BD_STATUS_ACTIVE, BD_RECURRING_BILLING_OFF, TERM_END },
    { BD_STATUS_ACTIVE, BD_RECURRING_BILLING_RENEW_ONCE, "2026-03-31T00:00:00Z" },
    { BD_STATUS_EXPIRED, BD_RECURRING_BILLING_OFF, "2026-03-05T00:00:00Z" },
    { BD_STATUS_DISABLED, BD_RECURRING_BILLING_OFF, "2026-05-04T00:00:00Z" },
    { BD_STATUS_DELETED, BD_RECURRING_BILLING_OFF, "none" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BdSubscriptionData) data = bd_test_subscription (START, START, TERM_END);

      data->status = cases[i].status;
      data->recurring_billing = cases[i].recurring;
      data->status_changed_date = bd_test_time ("2026-02-03T00:00:00Z");
      bd_assert_time_eq (bd_lifecycle_next_date (data), cases[i].expected);
    }
}

/* Rule 9: Disabled at once, term ends at the cancel, Deleted 90 days later. */
static void
test_cancel (void)
{
  g_autoptr(BdSubscriptionData) data =
    bd_test_subscription ("2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");
  gint64 cancelled = bd_test_time ("2026-11-03T00:00:00Z");
  gint64 deletable_from, deleted_by;

  bd_lifecycle_cancel (data, cancelled);
  g_assert_cmpint (data->status, ==, BD_STATUS_DISABLED);
  g_assert_cmpint (data->status_changed_date, ==, cancelled);
  g_assert_cmpint (data->term_end_date, ==, cancelled);
  g_assert_cmpint (data->recurring_billing, ==, BD_RECURRING_BILLING_OFF);
  bd_assert_time_eq (bd_lifecycle_next_date (data), "2027-02-01T00:00:00Z");

  bd_lifecycle_derive (data, bd_test_time ("2027-01-31T23:59:59Z"));
  g_assert_cmpint (data->status, ==, BD_STATUS_DISABLED);
  bd_lifecycle_derive (data, bd_test_time ("2027-02-01T00:00:00Z"));
  g_assert_cmpint (data->status, ==, BD_STATUS_DELETED);

  /* The data dates of the worked example (docs/design.md section 3). */
  bd_lifecycle_data_retention (cancelled, &deletable_from, &deleted_by);
  bd_assert_time_eq (deletable_from, "2026-12-03T00:00:00Z");
  bd_assert_time_eq (deleted_by, "2027-05-02T00:00:00Z");
}

/* Rule 12: Active with recurring billing on; a new commitment starts now. */
static void
test_reactivate (void)
{
  g_autoptr(BdSubscriptionData) data = bd_test_subscription (START, START, TERM_END);
  gint64 now = bd_test_time ("2026-03-10T09:30:00Z");

  data->recurring_billing = BD_RECURRING_BILLING_OFF;
  bd_lifecycle_derive (data, now);
  g_assert_cmpint (data->status, ==, BD_STATUS_EXPIRED);

  bd_lifecycle_reactivate (data, now);
  g_assert_cmpint (data->status, ==, BD_STATUS_ACTIVE);
  g_assert_cmpint (data->recurring_billing, ==, BD_RECURRING_BILLING_ON);
  g_assert_cmpint (data->start_date, ==, now);
  g_assert_cmpint (data->last_renewal_date, ==, now);
  bd_assert_time_eq (data->term_end_date, "2026-04-10T09:30:00Z");
  g_assert_cmpint (data->status_changed_date, ==, now);

  /* The new term renews on its own grid. */
  bd_lifecycle_derive (data, bd_test_time ("2026-04-10T09:30:00Z"));
  bd_assert_time_eq (data->last_renewal_date, "2026-04-10T09:30:00Z");
  bd_assert_time_eq (data->term_end_date, "2026-05-10T09:30:00Z");
}

/* Rule 12's boundary: at termEndDate exactly the term has ended, so a new
 * commitment starts now; a second before it, the term runs on as it was.
 */
static void
test_reactivate_at_term_end (void)
{
  static const struct
  {
    const char *now;
    gboolean    new_commitment;
  } cases[] = {
    { "2026-02-27T23:59:59Z", FALSE },
    { TERM_END, TRUE },
    { "2026-02-28T00:00:01Z", TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BdSubscriptionData) data = bd_test_subscription (START, START, TERM_END);
      gint64 now = bd_test_time (cases[i].now);

      g_test_message ("reactivated at %s", cases[i].now);

      /* Disabled before its term ended (a tenant file may say so), or
       * Expired at its end.
       */
      data->recurring_billing = BD_RECURRING_BILLING_OFF;
      bd_lifecycle_derive (data, now);
      if (data->status == BD_STATUS_ACTIVE)
        {
          data->status = BD_STATUS_DISABLED;
          data->status_changed_date = now;
        }
      g_assert_cmpint (data->status, !=, BD_STATUS_ACTIVE);

      bd_lifecycle_reactivate (data, now);
      g_assert_cmpint (data->status, ==, BD_STATUS_ACTIVE);
      g_assert_cmpint (data->recurring_billing, ==, BD_RECURRING_BILLING_ON);
      g_assert_cmpint (data->status_changed_date, ==, now);

      if (cases[i].new_commitment)
        {
          g_assert_cmpint (data->start_date, ==, now);
          g_assert_cmpint (data->last_renewal_date, ==, now);
          g_assert_cmpint (data->term_end_date, ==,
                           bd_time_add_periods (now, BD_BILLING_FREQUENCY_MONTHLY, 1));
        }
      else
        {
          bd_assert_time_eq (data->start_date, START);
          bd_assert_time_eq (data->last_renewal_date, START);
          bd_assert_time_eq (data->term_end_date, TERM_END);
        }
    }
}

static void
test_reactivate_after_cancel (void)
{
  g_autoptr(BdSubscriptionData) data = bd_test_subscription (START, START, TERM_END);

  bd_lifecycle_cancel (data, bd_test_time ("2026-02-02T00:00:00Z"));
  bd_lifecycle_reactivate (data, bd_test_time ("2026-02-05T00:00:00Z"));
  g_assert_cmpint (data->status, ==, BD_STATUS_ACTIVE);
  bd_assert_time_eq (data->start_date, "2026-02-05T00:00:00Z");
  bd_assert_time_eq (data->term_end_date, "2026-03-05T00:00:00Z");
}

static void
test_delete (void)
{
  g_autoptr(BdSubscriptionData) data = bd_test_subscription (START, START, TERM_END);
  gint64 now = bd_test_time ("2026-02-02T00:00:00Z");

  bd_lifecycle_delete (data, now);
  g_assert_cmpint (data->status, ==, BD_STATUS_DELETED);
  g_assert_cmpint (data->status_changed_date, ==, now);
  g_assert_cmpint (data->recurring_billing, ==, BD_RECURRING_BILLING_OFF);
  g_assert_cmpint (bd_lifecycle_next_date (data), ==, BD_TIME_NONE);
}

/* A tenant file's stored state; where the dates give a later one, it wins. */
typedef struct
{
  const char *what;
  BdStatus    stored;
  const char *status_changed;
  const char *term_end;
  BdStatus    status;
  const char *since;
} ImportCase;

#define IMPORT_NOW "2026-11-03T00:00:00Z"

static const ImportCase import_cases[] = {
  { "expired, term ended 10 days ago: stays", BD_STATUS_EXPIRED, IMPORT_NOW,
    "2026-10-24T00:00:00Z", BD_STATUS_EXPIRED, IMPORT_NOW },
  { "expired, term ended 30 days ago: disabled by the dates", BD_STATUS_EXPIRED, IMPORT_NOW,
    "2026-10-04T00:00:00Z", BD_STATUS_DISABLED, "2026-11-03T00:00:00Z" },
  { "expired, term ended 30 days less a second ago: stays", BD_STATUS_EXPIRED, IMPORT_NOW,
    "2026-10-04T00:00:01Z", BD_STATUS_EXPIRED, IMPORT_NOW },
  { "disabled, term ended 120 days ago: deleted by the dates", BD_STATUS_DISABLED, IMPORT_NOW,
    "2026-07-06T00:00:00Z", BD_STATUS_DELETED, "2026-11-03T00:00:00Z" },
  { "disabled, term ended 40 days ago: stays disabled from when it says", BD_STATUS_DISABLED,
    "2026-11-01T00:00:00Z", "2026-09-24T00:00:00Z", BD_STATUS_DISABLED, "2026-11-01T00:00:00Z" },
  { "expired, term ended 200 days ago: deleted", BD_STATUS_EXPIRED, "2026-10-01T00:00:00Z",
    "2026-04-17T00:00:00Z", BD_STATUS_DELETED, "2026-08-15T00:00:00Z" },
  { "deleted stays deleted", BD_STATUS_DELETED, "2026-10-01T00:00:00Z", "2026-09-01T00:00:00Z",
    BD_STATUS_DELETED, "2026-10-01T00:00:00Z" },
  { "disabled with a term still running: stays", BD_STATUS_DISABLED, "2026-11-02T00:00:00Z",
    "2026-12-01T00:00:00Z", BD_STATUS_DISABLED, "2026-11-02T00:00:00Z" },
};

static void
test_import (gconstpointer user_data)
{
  const ImportCase *c = user_data;
  g_autoptr(BdSubscriptionData) data =
    bd_test_subscription ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", c->term_end);

  data->status = c->stored;
  data->status_changed_date = bd_test_time (c->status_changed);

  bd_lifecycle_import (data, bd_test_time (IMPORT_NOW));
  g_assert_cmpint (data->status, ==, c->status);
  bd_assert_time_eq (data->status_changed_date, c->since);
  /* Not Active: it does not renew. */
  g_assert_cmpint (data->recurring_billing, ==, BD_RECURRING_BILLING_OFF);
  /* Importing again changes nothing. */
  g_assert_false (bd_lifecycle_import (data, bd_test_time (IMPORT_NOW)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  bd_test_add_table ("/lifecycle/derive", derive_cases, sizeof derive_cases[0],
                     G_N_ELEMENTS (derive_cases), test_derive);
  bd_test_add_table ("/lifecycle/import", import_cases, sizeof import_cases[0],
                     G_N_ELEMENTS (import_cases), test_import);
  g_test_add_func ("/lifecycle/derive-is-monotonic", test_derive_is_monotonic);
  g_test_add_func ("/lifecycle/annual-leap-day", test_annual_leap_day);
  g_test_add_func ("/lifecycle/next-date", test_next_date);
  g_test_add_func ("/lifecycle/renew-off-grid", test_renew_off_grid);
  g_test_add_func ("/lifecycle/renew-stub-at-half-a-period", test_renew_stub_at_half_a_period);
  g_test_add_func ("/lifecycle/next-date-at-the-end-of-time", test_next_date_at_the_end_of_time);
  g_test_add_func ("/lifecycle/cancel", test_cancel);
  g_test_add_func ("/lifecycle/reactivate", test_reactivate);
  g_test_add_func ("/lifecycle/reactivate-at-term-end", test_reactivate_at_term_end);
  g_test_add_func ("/lifecycle/reactivate-after-cancel", test_reactivate_after_cancel);
  g_test_add_func ("/lifecycle/delete", test_delete);

  return g_test_run ();
}
