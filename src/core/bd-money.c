/* bd-money.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-money"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bd-error.h"
#include "bd-json.h"
#include "bd-money.h"

/**
 * bd_currency_is_valid:
 *
 * Returns: whether @currency has the shape of an ISO 4217 code: three ASCII
 *   capital letters
 */
gboolean
bd_currency_is_valid (const char *currency)
{
  if (currency == NULL || strlen (currency) != 3)
    return FALSE;

  for (guint i = 0; i < 3; i++)
    {
      if (currency[i] < 'A' || currency[i] > 'Z')
        return FALSE;
    }

  return TRUE;
}

void
bd_money_init (BdMoney    *money,
               gint64      amount,
               const char *currency)
{
  g_return_if_fail (money != NULL);
  g_return_if_fail (bd_currency_is_valid (currency));

  money->amount = amount;
  memcpy (money->currency, currency, 4);
}

gboolean
bd_money_equal (const BdMoney *a,
                const BdMoney *b)
{
  return a->amount == b->amount && strcmp (a->currency, b->currency) == 0;
}

/**
 * bd_money_prorate:
 * @unit_amount: the price of one license for one term, in minor units
 * @quantity: the number of licenses
 * @remaining: seconds from now to the end of the term
 * @term: seconds from the term's start to its end
 *
 * Rule 4: `unit_amount x quantity x remaining / term`, rounded half up to the
 * minor unit. The product reaches 10^8 x 10^5 x 10^8 and overflows 64 bits,
 * so it is computed in 128 bits. @remaining is clamped to 0..@term.
 *
 * Returns: the prorated amount, in minor units
 */
gint64
bd_money_prorate (gint64 unit_amount,
                  guint  quantity,
                  gint64 remaining,
                  gint64 term)
{
  unsigned __int128 numerator;
  unsigned __int128 denominator;

  g_return_val_if_fail (unit_amount >= 0, 0);
  g_return_val_if_fail (term > 0, 0);

  remaining = CLAMP (remaining, 0, term);

  /* Half up: floor ((2 x n + d) / (2 x d)). */
  numerator = (unsigned __int128) unit_amount * quantity * (unsigned __int128) remaining;
  denominator = (unsigned __int128) term;

  return (gint64) ((2 * numerator + denominator) / (2 * denominator));
}

/**
 * bd_money_read_members:
 * @object: an object holding `amount` and `currency` among its members
 * @max_amount: the largest amount accepted
 *
 * Reads the amount (0..@max_amount) and the currency of @object, leaving its
 * other members to the caller.
 */
gboolean
bd_money_read_members (JsonObject  *object,
                       const char  *path,
                       gint64       max_amount,
                       BdMoney     *money,
                       GError     **error)
{
  const char *currency = NULL;
  gint64 amount = 0;

  if (!bd_json_read_int (object, path, "amount", BD_JSON_REQUIRED, 0, max_amount, &amount, error) ||
      !bd_json_read_string (object, path, "currency", BD_JSON_REQUIRED, &currency, error))
    return FALSE;

  if (!bd_currency_is_valid (currency))
    {
      g_autofree char *currency_path = bd_json_path_member (path, "currency");

      bd_set_invalid_error (error, currency_path,
                            _("expected a currency code of three capital letters, such as DKK"));
      return FALSE;
    }

  bd_money_init (money, amount, currency);
  return TRUE;
}

/**
 * bd_money_read_json:
 * @max_amount: the largest amount accepted
 *
 * Reads `{"amount": 15900, "currency": "DKK"}` and nothing more.
 */
gboolean
bd_money_read_json (JsonNode    *node,
                    const char  *path,
                    gint64       max_amount,
                    BdMoney     *money,
                    GError     **error)
{
  static const char * const keys[] = { "amount", "currency", NULL };
  JsonObject *object;

  object = bd_json_expect_object (node, path, keys, error);
  if (object == NULL)
    return FALSE;

  return bd_money_read_members (object, path, max_amount, money, error);
}

/**
 * bd_money_to_json:
 *
 * Writes @money as one object value.
 */
void
bd_money_to_json (const BdMoney *money,
                  JsonBuilder   *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, money->amount);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, money->currency);
  json_builder_end_object (builder);
}
