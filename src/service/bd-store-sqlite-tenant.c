/* bd-store-sqlite-tenant.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What BdStoreSqlite reads of the tenant around the subscriptions: the
 * tenant itself, billing profiles and domains.
 */

#define G_LOG_DOMAIN "bd-store-sqlite"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bd-store-sqlite-private.h"

void
_bd_store_sqlite_tenant_sql (const char **sql)
{
  sql[STMT_GET_TENANT] = "SELECT display_name, cloud, currency FROM tenant WHERE id = 1";
  sql[STMT_GET_BILLING_PROFILE] =
    "SELECT id, display_name, payment_method FROM billing_profiles WHERE id = ?1";
  sql[STMT_LIST_BILLING_PROFILES] =
    "SELECT id, display_name, payment_method FROM billing_profiles ORDER BY id";
  sql[STMT_LIST_DOMAINS] =
    "SELECT domains.name, domain_subscriptions.subscription_id FROM domains "
    "LEFT JOIN domain_subscriptions ON domain_subscriptions.domain_name = domains.name "
    "ORDER BY domains.name, domain_subscriptions.subscription_id";
  sql[STMT_HAS_DOMAIN_ATTACHED] =
    "SELECT EXISTS (SELECT 1 FROM domain_subscriptions WHERE subscription_id = ?1)";
}

/* Columns id, display_name, payment_method. */
static BdBillingProfile *
read_billing_profile (sqlite3_stmt  *stmt,
                      GError       **error)
{
  BdPaymentMethod payment_method;

  if (!bd_payment_method_from_string (_bd_sqlite_column_str (stmt, 2), &payment_method))
    {
      _bd_store_set_unreadable_row_error ("billing_profiles", error);
      return NULL;
    }

  return bd_billing_profile_new (_bd_sqlite_column_str (stmt, 0),
                                 _bd_sqlite_column_str (stmt, 1), payment_method);
}

static void
add_domain (GPtrArray *domains,
            char      *name,
            GPtrArray *ids)
{
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (domains, bd_domain_new (name, (const char * const *) ids->pdata));
}

BdTenant *
_bd_store_sqlite_get_tenant (BdStore  *store,
                             GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;
  const char *currency;
  BdCloud cloud;
  int rc;

  stmt = borrow (self, STMT_GET_TENANT);
  rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_SEEDED,
                   _("The billing database holds no tenant yet"));
      return NULL;
    }

  if (rc != SQLITE_ROW)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  currency = _bd_sqlite_column_str (stmt, 2);
  if (!bd_cloud_from_string (_bd_sqlite_column_str (stmt, 1), &cloud) ||
      !bd_currency_is_valid (currency))
    {
      _bd_store_set_unreadable_row_error ("tenant", error);
      return NULL;
    }

  return bd_tenant_new (_bd_sqlite_column_str (stmt, 0), cloud, currency);
}

BdBillingProfile *
_bd_store_sqlite_get_billing_profile (BdStore     *store,
                                      const char  *id,
                                      GError     **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;
  gboolean found;

  stmt = borrow (self, STMT_GET_BILLING_PROFILE);
  if (sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC) != SQLITE_OK)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  if (!_bd_sqlite_step_one_row (self, stmt, &found, error) || !found)
    return NULL;

  return read_billing_profile (stmt, error);
}

GPtrArray *
_bd_store_sqlite_list_billing_profiles (BdStore  *store,
                                        GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(BorrowedStatement) stmt = NULL;
  int rc;

  profiles = g_ptr_array_new_with_free_func (g_object_unref);
  stmt = borrow (self, STMT_LIST_BILLING_PROFILES);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BdBillingProfile *profile = read_billing_profile (stmt, error);

      if (profile == NULL)
        return NULL;

      g_ptr_array_add (profiles, profile);
    }

  if (rc != SQLITE_DONE)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  return g_steal_pointer (&profiles);
}

GPtrArray *
_bd_store_sqlite_list_domains (BdStore  *store,
                               GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(BorrowedStatement) stmt = NULL;
  g_autofree char *name = NULL;
  int rc;

  domains = g_ptr_array_new_with_free_func (g_object_unref);
  stmt = borrow (self, STMT_LIST_DOMAINS);

  /* One row per link, or one with a NULL id for a domain with none. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *row_name = _bd_sqlite_column_str (stmt, 0);

      if (name == NULL || strcmp (name, row_name) != 0)
        {
          if (name != NULL)
            add_domain (domains, name, ids);

          g_free (name);
          name = g_strdup (row_name);
          g_clear_pointer (&ids, g_ptr_array_unref);
          ids = g_ptr_array_new_with_free_func (g_free);
        }

      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        g_ptr_array_add (ids, _bd_sqlite_column_dup (stmt, 1));
    }

  if (rc != SQLITE_DONE)
    {
      _bd_sqlite_set_error (self->db, DOING_READ, error);
      return NULL;
    }

  if (name != NULL)
    add_domain (domains, name, ids);

  return g_steal_pointer (&domains);
}

gboolean
_bd_store_sqlite_has_domain_attached (BdStore     *store,
                                      const char  *subscription_id,
                                      gboolean    *attached,
                                      GError     **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  g_autoptr(BorrowedStatement) stmt = NULL;

  stmt = borrow (self, STMT_HAS_DOMAIN_ATTACHED);
  if (sqlite3_bind_text (stmt, 1, subscription_id, -1, SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return _bd_sqlite_set_error (self->db, DOING_READ, error);

  *attached = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

