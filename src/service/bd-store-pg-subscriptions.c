/* bd-store-pg-subscriptions.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The subscriptions of BdStorePg: their rows read (locked inside a
 * transaction), paged, inserted (by the seed) and written back.
 */

#define G_LOG_DOMAIN "bd-store-pg"

#include "config.h"

#include "bd-store-pg-private.h"

void
_bd_store_pg_subscriptions_sql (const char **sql)
{
  sql[STMT_INSERT_SUBSCRIPTION] =
    "INSERT INTO subscriptions (" SUBSCRIPTION_COLUMNS ") "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
  sql[STMT_GET_SUBSCRIPTION] =
    "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions WHERE id = $1";
  /* Inside a transaction: the row stays as read until the commit (bd-store.h). */
  sql[STMT_GET_SUBSCRIPTION_FOR_UPDATE] =
    "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions WHERE id = $1 FOR UPDATE";
  sql[STMT_LIST_SUBSCRIPTIONS] =
    "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions "
    "ORDER BY product_name, id LIMIT $1";
  sql[STMT_LIST_SUBSCRIPTIONS_AFTER] =
    "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions "
    "WHERE (product_name, id) > ($1, $2) ORDER BY product_name, id LIMIT $3";
  sql[STMT_UPDATE_SUBSCRIPTION] =
    "UPDATE subscriptions SET product_name = $2, status = $3, is_trial = $4, "
    "is_domain_subscription = $5, quantity = $6, assigned_licenses = $7, "
    "billing_profile_id = $8, billing_frequency = $9, unit_price_amount = $10, "
    "unit_price_currency = $11, recurring_billing = $12, purchase_channel = $13, "
    "start_date = $14, last_renewal_date = $15, term_end_date = $16, "
    "status_changed_date = $17 WHERE id = $1";
}

/* Runs the insert or the update with the subscription's values, in the
 * order of SUBSCRIPTION_COLUMNS.
 */
static PGresult *
run_write (BdStorePg                 *self,
           StatementId                id,
           const BdSubscriptionData  *data,
           GError                   **error)
{
  Params params = { 0 };

  G_STATIC_ASSERT (N_SUBSCRIPTION_COLUMNS <= BD_PG_PARAMS_MAX);

  _bd_pg_params_text (&params, data->id);
  _bd_pg_params_text (&params, data->product_name);
  _bd_pg_params_text (&params, bd_status_to_string (data->status));
  _bd_pg_params_bool (&params, data->is_trial);
  _bd_pg_params_bool (&params, data->is_domain_subscription);
  _bd_pg_params_int (&params, data->quantity);
  _bd_pg_params_int (&params, data->assigned_licenses);
  _bd_pg_params_text (&params, data->billing_profile_id);
  _bd_pg_params_text (&params, bd_billing_frequency_to_string (data->billing_frequency));
  _bd_pg_params_int (&params, data->unit_price.amount);
  _bd_pg_params_text (&params, data->unit_price.currency);
  _bd_pg_params_text (&params, bd_recurring_billing_to_string (data->recurring_billing));
  _bd_pg_params_text (&params, bd_purchase_channel_to_string (data->purchase_channel));
  _bd_pg_params_int (&params, data->start_date);
  _bd_pg_params_int (&params, data->last_renewal_date);
  _bd_pg_params_int (&params, data->term_end_date);
  _bd_pg_params_int (&params, data->status_changed_date);

  return _bd_pg_run (self, id, &params, DOING_WRITE, error);
}

/* A row of SUBSCRIPTION_COLUMNS; the API's annotations stay at "none". */
static BdSubscriptionData *
read_subscription (const PGresult  *result,
                   int              row,
                   GError         **error)
{
  g_autoptr(BdSubscriptionData) data = bd_subscription_data_new ();
  const char *currency = _bd_pg_str (result, row, COL_UNIT_PRICE_CURRENCY);
  gint64 quantity = _bd_pg_int (result, row, COL_QUANTITY);
  gint64 assigned = _bd_pg_int (result, row, COL_ASSIGNED_LICENSES);

  if (!bd_status_from_string (_bd_pg_str (result, row, COL_STATUS), &data->status) ||
      !bd_billing_frequency_from_string (_bd_pg_str (result, row, COL_BILLING_FREQUENCY),
                                         &data->billing_frequency) ||
      !bd_recurring_billing_from_string (_bd_pg_str (result, row, COL_RECURRING_BILLING),
                                         &data->recurring_billing) ||
      !bd_purchase_channel_from_string (_bd_pg_str (result, row, COL_PURCHASE_CHANNEL),
                                        &data->purchase_channel) ||
      !bd_currency_is_valid (currency) ||
      quantity < 0 || quantity > G_MAXUINT || assigned < 0 || assigned > G_MAXUINT)
    {
      _bd_store_set_unreadable_row_error ("subscriptions", error);
      return NULL;
    }

  data->id = _bd_pg_dup (result, row, COL_ID);
  data->product_name = _bd_pg_dup (result, row, COL_PRODUCT_NAME);
  data->is_trial = _bd_pg_bool (result, row, COL_IS_TRIAL);
  data->is_domain_subscription = _bd_pg_bool (result, row, COL_IS_DOMAIN_SUBSCRIPTION);
  data->quantity = (guint) quantity;
  data->assigned_licenses = (guint) assigned;
  data->billing_profile_id = _bd_pg_dup (result, row, COL_BILLING_PROFILE_ID);
  bd_money_init (&data->unit_price, _bd_pg_int (result, row, COL_UNIT_PRICE_AMOUNT), currency);
  data->start_date = _bd_pg_int (result, row, COL_START_DATE);
  data->last_renewal_date = _bd_pg_int (result, row, COL_LAST_RENEWAL_DATE);
  data->term_end_date = _bd_pg_int (result, row, COL_TERM_END_DATE);
  data->status_changed_date = _bd_pg_int (result, row, COL_STATUS_CHANGED_DATE);

  return g_steal_pointer (&data);
}

/* For the seed: a new row. */
gboolean
_bd_store_pg_insert_subscription (BdStorePg                 *self,
                                  const BdSubscriptionData  *data,
                                  GError                   **error)
{
  g_autoptr(PGresult) result = run_write (self, STMT_INSERT_SUBSCRIPTION, data, error);

  return result != NULL;
}

BdSubscriptionData *
_bd_store_pg_get_subscription (BdStore     *store,
                               const char  *id,
                               GError     **error)
{
  BdStorePg *self = BD_STORE_PG (store);
  Params params = { 0 };
  g_autoptr(PGresult) result = NULL;

  _bd_pg_params_text (&params, id);
  result = _bd_pg_run (self, self->in_transaction ? STMT_GET_SUBSCRIPTION_FOR_UPDATE
                                                  : STMT_GET_SUBSCRIPTION,
                       &params, DOING_READ, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;

  return read_subscription (result, 0, error);
}

GPtrArray *
_bd_store_pg_list_subscriptions (BdStore     *store,
                                 const char  *after_product_name,
                                 const char  *after_id,
                                 guint        limit,
                                 GError     **error)
{
  BdStorePg *self = BD_STORE_PG (store);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };
  StatementId id = STMT_LIST_SUBSCRIPTIONS;

  page = g_ptr_array_new_with_free_func ((GDestroyNotify) bd_subscription_data_free);

  if (after_product_name != NULL)
    {
      id = STMT_LIST_SUBSCRIPTIONS_AFTER;
      _bd_pg_params_text (&params, after_product_name);
      _bd_pg_params_text (&params, after_id);
    }
  _bd_pg_params_int (&params, limit);

  result = _bd_pg_run (self, id, &params, DOING_READ, error);
  if (result == NULL)
    return NULL;

  for (int row = 0; row < PQntuples (result); row++)
    {
      BdSubscriptionData *data = read_subscription (result, row, error);

      if (data == NULL)
        return NULL;
      g_ptr_array_add (page, data);
    }

  return g_steal_pointer (&page);
}

gboolean
_bd_store_pg_put_subscription (BdStore                   *store,
                               const BdSubscriptionData  *data,
                               GError                   **error)
{
  g_autoptr(PGresult) result = NULL;

  result = run_write (BD_STORE_PG (store), STMT_UPDATE_SUBSCRIPTION, data, error);
  if (result == NULL)
    return FALSE;

  if (_bd_pg_changes (result) == 0)
    return _bd_store_set_error (error, DOING_WRITE, "no such subscription");

  return TRUE;
}
