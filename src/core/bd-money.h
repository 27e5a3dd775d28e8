/* bd-money.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* unitPrice.amount bounds (0..100,000,000: docs/design.md, "Tenant
 * files"), in minor units.
 */
#define BD_UNIT_PRICE_MAX ((gint64) 100000000)

/* An amount of money: integer minor units and an ISO 4217 code. No floats. */
typedef struct
{
  gint64 amount;
  char   currency[4];
} BdMoney;

gboolean bd_currency_is_valid   (const char    *currency);
void     bd_money_init          (BdMoney       *money,
                                 gint64         amount,
                                 const char    *currency);
gboolean bd_money_equal         (const BdMoney *a,
                                 const BdMoney *b);
gint64   bd_money_prorate       (gint64         unit_amount,
                                 guint          quantity,
                                 gint64         remaining,
                                 gint64         term);
gboolean bd_money_read_members  (JsonObject    *object,
                                 const char    *path,
                                 gint64         max_amount,
                                 BdMoney       *money,
                                 GError       **error);
gboolean bd_money_read_json     (JsonNode      *node,
                                 const char    *path,
                                 gint64         max_amount,
                                 BdMoney       *money,
                                 GError       **error);
void     bd_money_to_json       (const BdMoney *money,
                                 JsonBuilder   *builder);

G_END_DECLS
