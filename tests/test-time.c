/* test-time.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-test-utils.h"

static void
test_rfc3339_valid (void)
{
  static const struct {
    const char *text;
    const char *utc;
  } cases[] = {
    { "2026-11-03T00:00:00Z", "2026-11-03T00:00:00Z" },
    { "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z" },
    { "2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z" },
    { "2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z" },
    { "2026-11-03T01:00:00+01:00", "2026-11-03T00:00:00Z" },
    { "2026-11-02T19:30:00-04:30", "2026-11-03T00:00:00Z" },
    { "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z" },
    { "9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z" },
    { "1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = 0;

      g_test_message ("%s", cases[i].text);
      g_assert_true (bd_time_parse_rfc3339 (cases[i].text, &value));
      bd_assert_time_eq (value, cases[i].utc);
    }

  g_assert_cmpint (bd_test_time ("1970-01-01T00:00:00Z"), ==, 0);
  g_assert_cmpint (bd_test_time ("2026-11-03T00:00:00Z"), ==, 1793664000);
  g_assert_cmpint (bd_test_time ("0001-01-01T00:00:00Z"), ==, BD_TIME_MIN);
  g_assert_cmpint (bd_test_time ("9999-12-31T23:59:59Z"), ==, BD_TIME_MAX);
}

static void
test_rfc3339_invalid (void)
{
  static const char * const cases[] = {
    "",
    "2026-11-03",
    "2026-11-03 00:00:00Z",
    "2026-11-03t00:00:00Z",
    "2026-11-03T00:00:00z",
    "2026-11-03T00:00:00",
    "2026-11-03T00:00:00.5Z",
    "2026-02-29T00:00:00Z",
    "2100-02-29T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-00-01T00:00:00Z",
    "2026-11-00T00:00:00Z",
    "2026-11-03T24:00:00Z",
    "2026-11-03T23:60:00Z",
    "2026-12-31T23:59:60Z",
    "0000-01-01T00:00:00Z",
    "2026-11-03T00:00:00+24:00",
    "2026-11-03T00:00:00+0100",
    "+2026-11-03T00:00:00Z",
    "2026-11-03T00:00:00Zjunk",
    "0001-01-01T00:00:00+00:01",
    "9999-12-31T23:59:59-00:01",
    "２０２６-11-03T00:00:00Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = 42;

      g_test_message ("%s", cases[i]);
      g_assert_false (bd_time_parse_rfc3339 (cases[i], &value));
      g_assert_cmpint (value, ==, 42);
    }
}

static void
test_relative (void)
{
  static const struct {
    const char *text;
    const char *expected;  /* NULL: refused */
  } cases[] = {
    { "now", "2026-11-03T00:00:00Z" },
    { "now-3d", "2026-10-31T00:00:00Z" },
    { "now+27d12h", "2026-11-30T12:00:00Z" },
    { "now+90m", "2026-11-03T01:30:00Z" },
    { "now-1d2h3m", "2026-11-01T21:57:00Z" },
    { "now+0d", "2026-11-03T00:00:00Z" },
    { "now+", NULL },
    { "now-", NULL },
    { "now3d", NULL },
    { "now+3", NULL },
    { "now+3x", NULL },
    { "now+3h2d", NULL },
    { "now+3d3d", NULL },
    { "now+d", NULL },
    { "now +3d", NULL },
    { "Now", NULL },
    { "now+9999999999d", NULL },
    { "now+3000000d", NULL },
    { "now-800000d", NULL },
    { "yesterday", NULL },
  };
  gint64 now = bd_test_time ("2026-11-03T00:00:00Z");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = 42;

      g_test_message ("%s", cases[i].text);
      if (cases[i].expected == NULL)
        {
          g_assert_false (bd_time_parse_relative (cases[i].text, now, &value));
          g_assert_cmpint (value, ==, 42);
        }
      else
        {
          g_assert_true (bd_time_parse_relative (cases[i].text, now, &value));
          bd_assert_time_eq (value, cases[i].expected);
        }
    }
}

static void
test_add_months (void)
{
  static const struct {
    const char *start;
    int months;
    const char *expected;
  } cases[] = {
    { "2026-01-31T10:00:00Z", 1, "2026-02-28T10:00:00Z" },
    { "2028-01-31T10:00:00Z", 1, "2028-02-29T10:00:00Z" },
    { "2026-01-31T10:00:00Z", 2, "2026-03-31T10:00:00Z" },
    { "2026-01-31T10:00:00Z", 3, "2026-04-30T10:00:00Z" },
    { "2026-11-01T00:00:00Z", 1, "2026-12-01T00:00:00Z" },
    { "2026-12-15T00:00:00Z", 1, "2027-01-15T00:00:00Z" },
    { "2024-02-29T00:00:00Z", 12, "2025-02-28T00:00:00Z" },
    { "2024-02-29T00:00:00Z", 48, "2028-02-29T00:00:00Z" },
    { "2026-03-31T00:00:00Z", -1, "2026-02-28T00:00:00Z" },
    { "2026-01-15T00:00:00Z", -13, "2024-12-15T00:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    bd_assert_time_eq (bd_time_add_months (bd_test_time (cases[i].start), cases[i].months),
                       cases[i].expected);

  g_assert_cmpint (bd_time_add_months (bd_test_time ("9999-12-01T00:00:00Z"), 1), ==,
                   BD_TIME_NONE);
  g_assert_cmpint (bd_time_add_months (bd_test_time ("0001-01-01T00:00:00Z"), -1), ==,
                   BD_TIME_NONE);
}

/* Rule 11: the start's grid, the day cut back in shorter months. */
static void
test_grid (void)
{
  static const struct {
    const char *start;
    BdBillingFrequency frequency;
    const char *after;
    const char *expected;
  } cases[] = {
    { "2026-01-31T00:00:00Z", BD_BILLING_FREQUENCY_MONTHLY, "2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z" },
    { "2026-01-31T00:00:00Z", BD_BILLING_FREQUENCY_MONTHLY, "2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z" },
    { "2026-01-31T00:00:00Z", BD_BILLING_FREQUENCY_MONTHLY, "2026-03-31T00:00:00Z", "2026-04-30T00:00:00Z" },
    { "2026-01-31T00:00:00Z", BD_BILLING_FREQUENCY_MONTHLY, "2026-04-30T00:00:00Z", "2026-05-31T00:00:00Z" },
    { "2026-01-31T00:00:00Z", BD_BILLING_FREQUENCY_MONTHLY, "2026-04-29T23:59:59Z", "2026-04-30T00:00:00Z" },
    { "2026-01-31T00:00:00Z", BD_BILLING_FREQUENCY_MONTHLY, "2031-06-15T00:00:00Z", "2031-06-30T00:00:00Z" },
    { "2026-11-01T00:00:00Z", BD_BILLING_FREQUENCY_MONTHLY, "2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z" },
    { "2024-02-29T00:00:00Z", BD_BILLING_FREQUENCY_ANNUAL, "2024-02-29T00:00:00Z", "2025-02-28T00:00:00Z" },
    { "2024-02-29T00:00:00Z", BD_BILLING_FREQUENCY_ANNUAL, "2027-03-01T00:00:00Z", "2028-02-29T00:00:00Z" },
    { "2026-05-10T08:00:00Z", BD_BILLING_FREQUENCY_TRIENNIAL, "2026-05-10T08:00:00Z", "2029-05-10T08:00:00Z" },
    { "2026-05-10T08:00:00Z", BD_BILLING_FREQUENCY_TRIENNIAL, "2029-05-10T08:00:00Z", "2032-05-10T08:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s after %s", cases[i].start, cases[i].after);
      bd_assert_time_eq (bd_time_next_on_grid (bd_test_time (cases[i].start), cases[i].frequency,
                                               bd_test_time (cases[i].after)),
                         cases[i].expected);
    }
}

/* bd_time_format () and bd_time_format_to (), which writes without
 * printf, against what printf writes, at both ends of the range too.
 */
static void
test_format (void)
{
  static const struct { gint64 value; const char *text; } cases[] = {
    { BD_TIME_MIN, "0001-01-01T00:00:00Z" },
    { BD_TIME_MAX, "9999-12-31T23:59:59Z" },
    { -1, "1969-12-31T23:59:59Z" },
    { 0, "1970-01-01T00:00:00Z" },
    { 951782400, "2000-02-29T00:00:00Z" },
    { 1796342399, "2026-12-03T23:59:59Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = bd_time_format (cases[i].value);
      char buf[BD_TIME_FORMAT_SIZE];
      gint64 back = 0;

      bd_time_format_to (cases[i].value, buf);
      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpstr (buf, ==, cases[i].text);
      g_assert_true (bd_time_parse_rfc3339 (buf, &back));
      g_assert_cmpint (back, ==, cases[i].value);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/rfc3339/valid", test_rfc3339_valid);
  g_test_add_func ("/time/rfc3339/invalid", test_rfc3339_invalid);
  g_test_add_func ("/time/relative", test_relative);
  g_test_add_func ("/time/add-months", test_add_months);
  g_test_add_func ("/time/grid", test_grid);

  return g_test_run ();
}
