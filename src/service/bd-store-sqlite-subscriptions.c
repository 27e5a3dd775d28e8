/* bd-store-sqlite-subscriptions.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The subscriptions of BdStoreSqlite: their rows read, paged, inserted
 * (by the seed) and written back (by a change).
 */

#define G_LOG_DOMAIN "bd-store-sqlite"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-store-sqlite-private.h"

void
_bd_store_sqlite_subscriptions_sql (const char **sql)
{
  sql[STMT_INSERT_SUBSCRIPTION] =
    "INSERT INTO subscriptions (" SUBSCRIPTION_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
  sql[STMT_GET_SUBSCRIPTION] =
    "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions WHERE id = ?1";
  sql[STMT_LIST_SUBSCRIPTIONS] =
    "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions "
    "ORDER BY product_name, id LIMIT ?1";
  sql[STMT_LIST_SUBSCRIPTIONS_AFTER] =
    "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions "
    "WHERE (product_name, id) > (?1, ?2) ORDER BY product_name, id LIMIT ?3";
  sql[STMT_UPDATE_SUBSCRIPTION] =
    "UPDATE subscriptions SET product_name = ?2, status = ?3, is_trial = ?4, "
    "is_domain_subscription = ?5, quantity = ?6, assigned_licenses = ?7, "
    "billing_profile_id = ?8, billing_frequency = ?9, unit_price_amount = ?10, "
    "unit_price_currency = ?11, recurring_billing = ?12, purchase_channel = ?13, "
    "start_date = ?14, last_renewal_date = ?15, term_end_date = ?16, "
    "status_changed_date = ?17 WHERE id = ?1";
}

static gboolean
bind_subscription (BorrowedStatement        *stmt,
                   const BdSubscriptionData *data)
{
  return sqlite3_bind_text (stmt, COL_ID + 1, data->id, -1, SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_PRODUCT_NAME + 1, data->product_name, -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_STATUS + 1, bd_status_to_string (data->status), -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_int (stmt, COL_IS_TRIAL + 1, data->is_trial ? 1 : 0) == SQLITE_OK &&
         sqlite3_bind_int (stmt, COL_IS_DOMAIN_SUBSCRIPTION + 1,
                           data->is_domain_subscription ? 1 : 0) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_QUANTITY + 1, data->quantity) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_ASSIGNED_LICENSES + 1,
                             data->assigned_licenses) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_BILLING_PROFILE_ID + 1, data->billing_profile_id, -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_BILLING_FREQUENCY + 1,
                            bd_billing_frequency_to_string (data->billing_frequency), -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_UNIT_PRICE_AMOUNT + 1,
                             data->unit_price.amount) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_UNIT_PRICE_CURRENCY + 1, data->unit_price.currency, -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_RECURRING_BILLING + 1,
                            bd_recurring_billing_to_string (data->recurring_billing), -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_text (stmt, COL_PURCHASE_CHANNEL + 1,
                            bd_purchase_channel_to_string (data->purchase_channel), -1,
                            SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_START_DATE + 1, data->start_date) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_LAST_RENEWAL_DATE + 1,
                             data->last_renewal_date) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_TERM_END_DATE + 1, data->term_end_date) == SQLITE_OK &&
         sqlite3_bind_int64 (stmt, COL_STATUS_CHANGED_DATE + 1,
                             data->status_changed_date) == SQLITE_OK;
}

/* A row of SUBSCRIPTION_COLUMNS; the API's annotations stay at "none". */
static BdSubscriptionData *
read_subscription (sqlite3_stmt  *stmt,
                   GError       **error)
{
  g_autoptr(BdSubscriptionData) data = bd_subscription_data_new ();
  const char *currency = _bd_sqlite_column_str (stmt, COL_UNIT_PRICE_CURRENCY);
  gint64 quantity = sqlite3_column_int64 (stmt, COL_QUANTITY);
  gint64 assigned = sqlite3_column_int64 (stmt, COL_ASSIGNED_LICENSES);

  if (!bd_status_from_string (_bd_sqlite_column_str (stmt, COL_STATUS), &data->status) ||
      !bd_billing_frequency_from_string (_bd_sqlite_column_str (stmt, COL_BILLING_FREQUENCY),
                                         &data->billing_frequency) ||
      !bd_recurring_billing_from_string (_bd_sqlite_column_str (stmt, COL_RECURRING_BILLING),
                                         &data->recurring_billing) ||
      !bd_purchase_channel_from_string (_bd_sqlite_column_str (stmt, COL_PURCHASE_CHANNEL),
                                        &data->purchase_channel) ||
      !bd_currency_is_valid (currency) ||
      quantity < 0 || quantity > G_MAXUINT || assigned < 0 || assigned > G_MAXUINT)
    {
      _bd_store_set_unreadable_row_error ("subscriptions", error);
      return NULL;
    }

  data->id = _bd_sqlite_column_dup (stmt, COL_ID);
  data->product_name = _bd_sqlite_column_dup (stmt, COL_PRODUCT_NAME);
  data->is_trial = sqlite3_column_int (stmt, COL_IS_TRIAL) != 0;
  data->is_domain_subscription = sqlite3_column_int (stmt, COL_IS_DOMAIN_SUBSCRIPTION) != 0;
  data->quantity = (guint) quantity;
  data->assigned_licenses = (guint) assigned;
  data->billing_profile_id = _bd_sqlite_column_dup (stmt, COL_BILLING_PROFILE_ID);
  bd_money_init (&data->unit_price, sqlite3_column_int64 (stmt, COL_UNIT_PRICE_AMOUNT),
                 currency);
  data->start_date = sqlite3_column_int64 (stmt, COL_START_DATE);
  data->last_renewal_date = sqlite3_column_int64 (stmt, COL_LAST_RENEWAL_DATE);
  data->term_end_date = sqlite3_column_int64 (stmt, COL_TERM_END_DATE);
  data->status_changed_date = sqlite3_column_int64 (stmt, COL_STATUS_CHANGED_DATE);

  return g_steal_pointer (&data);
}

/* For the seed: a new row. */
gboolean
_bd_store_sqlite_insert_subscription (BdStoreSqlite             *self,
                                      const BdSubscriptionData  *data,
                                      GError                   **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_SUBSCRIPTION);

  if (!bind_subscription (stmt, data))
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  return _bd_sqlite_step_done (self, stmt, DOING_WRITE, error);
}

/* Inside a transaction the row is locked already: BEGIN IMMEDIATE took the
 * write lock of the whole file.
 */
BdSubscriptionData *
_bd_store_sqlite_get_subscription (BdStore     *store,
                                   const char  *id,
                                   GError     **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;
  gboolean found;

  stmt = borrow (self, STMT_GET_SUBSCRIPTION);
  if (sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  if (!_bd_sqlite_step_one_row (self, stmt, &found, error) || !found)
    return NULL;

  return read_subscription (stmt, error);
}

GPtrArray *
_bd_store_sqlite_list_subscriptions (BdStore     *store,
                                     const char  *after_product_name,
                                     const char  *after_id,
                                     guint        limit,
                                     GError     **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(BorrowedStatement) stmt = NULL;
  gboolean bound;
  int rc;

  page = g_ptr_array_new_with_free_func ((GDestroyNotify) bd_subscription_data_free);

  if (after_product_name == NULL)
    {
      stmt = borrow (self, STMT_LIST_SUBSCRIPTIONS);
      bound = sqlite3_bind_int64 (stmt, 1, limit) == SQLITE_OK;
    }
  else
    {
      stmt = borrow (self, STMT_LIST_SUBSCRIPTIONS_AFTER);
      bound = sqlite3_bind_text (stmt, 1, after_product_name, -1, SQLITE_STATIC) == SQLITE_OK &&
              sqlite3_bind_text (stmt, 2, after_id, -1, SQLITE_STATIC) == SQLITE_OK &&
              sqlite3_bind_int64 (stmt, 3, limit) == SQLITE_OK;
    }

  if (!bound)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BdSubscriptionData *data = read_subscription (stmt, error);

      if (data == NULL)
        return NULL;

      g_ptr_array_add (page, data);
    }

  if (rc != SQLITE_DONE)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  return g_steal_pointer (&page);
}

gboolean
_bd_store_sqlite_put_subscription (BdStore                   *store,
                                   const BdSubscriptionData  *data,
                                   GError                   **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;

  stmt = borrow (self, STMT_UPDATE_SUBSCRIPTION);
  if (!bind_subscription (stmt, data))
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  if (!_bd_sqlite_step_done (self, stmt, DOING_WRITE, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be changed: %s"),
                   "no such subscription");
      return FALSE;
    }

  return TRUE;
}

