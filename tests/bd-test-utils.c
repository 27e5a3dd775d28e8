/* bd-test-utils.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-test-utils.h"

/* A time the test writes as text; a typo in a test fails it loudly. */
gint64
bd_test_time (const char *rfc3339)
{
  gint64 value = 0;

  if (!bd_time_parse_rfc3339 (rfc3339, &value))
    g_error ("bad time in a test: %s", rfc3339);

  return value;
}

char *
bd_test_format (gint64 value)
{
  if (value == BD_TIME_NONE)
    return g_strdup ("none");
  return bd_time_format (value);
}

/* A monthly, direct, 10-license subscription at 159.00 DKK a license,
 * recurring billing on, with the given dates and no billing profile.
 */
BdSubscriptionData *
bd_test_subscription (const char *start,
                      const char *last_renewal,
                      const char *term_end)
{
  BdSubscriptionData *data = bd_subscription_data_new ();

  data->id = g_strdup ("s1");
  data->product_name = g_strdup ("Microsoft 365 Business Premium");
  data->quantity = 10;
  bd_money_init (&data->unit_price, 15900, "DKK");
  data->start_date = bd_test_time (start);
  data->last_renewal_date = bd_test_time (last_renewal);
  data->term_end_date = bd_test_time (term_end);
  data->status_changed_date = data->start_date;

  return data;
}

/* Asserts an invalid-input error that names @path. */
void
bd_test_assert_error (GError     *error,
                      const char *path)
{
  g_assert_error (error, BD_CORE_ERROR, BD_CORE_ERROR_INVALID);
  g_assert_cmpstr (bd_core_error_get_path (error), ==, path);
  if (path != NULL)
    g_assert_true (g_str_has_prefix (error->message, path));
}
