/* bd-store-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-store.h"

G_BEGIN_DECLS

/* What the implementations of BdStore (bd-store-sqlite*, bd-store-pg*)
 * share, so that both say and store the same: the words of their errors,
 * the stored fields of a subscription, the bounds their schemas spell out,
 * a tenant file's token.
 * Not for the API code, which sees bd-store.h only.
 */

/* What a store was doing when its database said no: it picks the message. */
typedef enum
{
  DOING_OPEN,
  DOING_MIGRATE,
  DOING_READ,
  DOING_WRITE,
} Doing;

/* The schemas spell these bounds out as SQL literals. */
G_STATIC_ASSERT (BD_TIME_MIN == G_GINT64_CONSTANT (-62135596800));
G_STATIC_ASSERT (BD_TIME_MAX == G_GINT64_CONSTANT (253402300799));
G_STATIC_ASSERT (BD_QUANTITY_MAX == 100000);
G_STATIC_ASSERT (BD_UNIT_PRICE_MAX == 100000000);
G_STATIC_ASSERT (BD_ROLE_USER == 3);

#define TIME_IN_RANGE(column) \
  "CHECK (" column " BETWEEN -62135596800 AND 253402300799)"

/* The stored fields of a subscription, in the order of its columns; an
 * insert and an update bind parameter N + 1 to column N.
 */
#define SUBSCRIPTION_COLUMNS \
  "id, product_name, status, is_trial, is_domain_subscription, quantity, " \
  "assigned_licenses, billing_profile_id, billing_frequency, unit_price_amount, " \
  "unit_price_currency, recurring_billing, purchase_channel, start_date, " \
  "last_renewal_date, term_end_date, status_changed_date"

enum {
  COL_ID,
  COL_PRODUCT_NAME,
  COL_STATUS,
  COL_IS_TRIAL,
  COL_IS_DOMAIN_SUBSCRIPTION,
  COL_QUANTITY,
  COL_ASSIGNED_LICENSES,
  COL_BILLING_PROFILE_ID,
  COL_BILLING_FREQUENCY,
  COL_UNIT_PRICE_AMOUNT,
  COL_UNIT_PRICE_CURRENCY,
  COL_RECURRING_BILLING,
  COL_PURCHASE_CHANNEL,
  COL_START_DATE,
  COL_LAST_RENEWAL_DATE,
  COL_TERM_END_DATE,
  COL_STATUS_CHANGED_DATE,
  N_SUBSCRIPTION_COLUMNS
};

/* bd-store-common.c */
gboolean _bd_store_seed_user                 (BdStore       *store,
                                              BdUser        *user,
                                              const char    *token,
                                              GError       **error);

/* bd-store-common.c; each always returns FALSE */
gboolean _bd_store_set_error                 (GError      **error,
                                              Doing         doing,
                                              const char   *message);
gboolean _bd_store_set_error_code            (GError      **error,
                                              BdStoreError  code,
                                              Doing         doing,
                                              const char   *message);
gboolean _bd_store_set_unreadable_row_error  (const char   *table,
                                              GError      **error);
gboolean _bd_store_set_newer_schema_error    (gint          version,
                                              gint          known,
                                              GError      **error);

G_END_DECLS
