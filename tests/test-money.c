/* test-money.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-test-utils.h"

#define DAY BD_SECONDS_PER_DAY

/* Rule 4: unitPrice x quantity x remaining / term, rounded half up. */
static void
test_prorate (void)
{
  static const struct {
    const char *what;
    gint64 unit;
    guint quantity;
    gint64 remaining;
    gint64 term;
    gint64 expected;
  } cases[] = {
    /* Microsoft's worked example: $20/month, cancelled 2 days into a 28-day month. */
    { "microsoft example", 2000, 1, 26 * DAY, 28 * DAY, 1857 },
    { "design example s1", 15900, 10, 28 * DAY, 30 * DAY, 148400 },
    { "whole term", 15900, 10, 30 * DAY, 30 * DAY, 159000 },
    { "nothing left", 15900, 10, 0, 30 * DAY, 0 },
    { "half up at .5", 1, 1, 1, 2, 1 },
    { "below .5 rounds down", 1, 1, 1, 3, 0 },
    { "above .5 rounds up", 2, 1, 1, 3, 1 },
    { "exactly .5 of 3", 3, 1, 1, 2, 2 },
    { "zero price", 0, 100000, 10, 20, 0 },
    { "one second left", 100, 1, 1, 30 * DAY, 0 },
    { "overflows 64 bits", BD_UNIT_PRICE_MAX, 100000, 3 * 366 * DAY - 1, 3 * 366 * DAY,
      9999999894589 },
    { "largest whole", BD_UNIT_PRICE_MAX, 100000, 1096 * DAY, 1096 * DAY, 10000000000000 },
    { "remaining past term is clamped", 100, 1, 40 * DAY, 30 * DAY, 100 },
    { "negative remaining is clamped", 100, 1, -5, 30 * DAY, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].what);
      g_assert_cmpint (bd_money_prorate (cases[i].unit, cases[i].quantity, cases[i].remaining,
                                         cases[i].term), ==, cases[i].expected);
    }
}

static void
test_currency (void)
{
  static const struct {
    const char *code;
    gboolean valid;
  } cases[] = {
    { "DKK", TRUE }, { "USD", TRUE }, { "EUR", TRUE },
    { "dkk", FALSE }, { "DK", FALSE }, { "DKKK", FALSE }, { "", FALSE }, { "D1K", FALSE },
    { "ÆØÅ", FALSE }, { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (bd_currency_is_valid (cases[i].code), ==, cases[i].valid);
}

static void
test_json (void)
{
  static const struct {
    const char *json;
    const char *error_path;  /* NULL: valid */
  } cases[] = {
    { "{\"amount\": 15900, \"currency\": \"DKK\"}", NULL },
    { "{\"amount\": 0, \"currency\": \"DKK\"}", NULL },
    { "{\"amount\": 100000000, \"currency\": \"DKK\"}", NULL },
    { "{\"amount\": 100000001, \"currency\": \"DKK\"}", "unitPrice.amount" },
    { "{\"amount\": -1, \"currency\": \"DKK\"}", "unitPrice.amount" },
    { "{\"amount\": 159.00, \"currency\": \"DKK\"}", "unitPrice.amount" },
    { "{\"amount\": \"15900\", \"currency\": \"DKK\"}", "unitPrice.amount" },
    { "{\"currency\": \"DKK\"}", "unitPrice.amount" },
    { "{\"amount\": 15900, \"currency\": \"kr.\"}", "unitPrice.currency" },
    { "{\"amount\": 15900}", "unitPrice.currency" },
    { "{\"amount\": 15900, \"currency\": \"DKK\", \"vat\": 25}", "unitPrice.vat" },
    { "[15900, \"DKK\"]", "unitPrice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = bd_json_parse (cases[i].json, -1, &error);
      BdMoney money = { 0 };
      gboolean ok;

      g_test_message ("%s", cases[i].json);
      g_assert_no_error (error);
      ok = bd_money_read_json (node, "unitPrice", BD_UNIT_PRICE_MAX, &money, &error);

      if (cases[i].error_path == NULL)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) written = NULL;
          BdMoney again = { 0 };

          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (money.currency, ==, "DKK");

          bd_money_to_json (&money, builder);
          written = json_builder_get_root (builder);
          g_assert_true (bd_money_read_json (written, "unitPrice", BD_UNIT_PRICE_MAX, &again,
                                             &error));
          g_assert_true (bd_money_equal (&money, &again));
        }
      else
        {
          g_assert_false (ok);
          bd_test_assert_error (error, cases[i].error_path);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/prorate", test_prorate);
  g_test_add_func ("/money/currency", test_currency);
  g_test_add_func ("/money/json", test_json);

  return g_test_run ();
}
