/* bd-store-sqlite-seed.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seeding BdStoreSqlite from a tenant file: the tenant, its users, billing
 * profiles, subscriptions and domains, all in one transaction.
 */

#define G_LOG_DOMAIN "bd-store-sqlite"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-store-sqlite-private.h"

void
_bd_store_sqlite_seed_sql (const char **sql)
{
  sql[STMT_IS_SEEDED] = "SELECT EXISTS (SELECT 1 FROM tenant)";
  sql[STMT_INSERT_TENANT] =
    "INSERT INTO tenant (id, display_name, cloud, currency) VALUES (1, ?1, ?2, ?3)";
  sql[STMT_INSERT_BILLING_PROFILE] =
    "INSERT INTO billing_profiles (id, display_name, payment_method) VALUES (?1, ?2, ?3)";
  sql[STMT_INSERT_DOMAIN] = "INSERT INTO domains (name) VALUES (?1)";
  sql[STMT_INSERT_DOMAIN_SUBSCRIPTION] =
    "INSERT INTO domain_subscriptions (domain_name, subscription_id) VALUES (?1, ?2)";
}

/* Whether the tenant row exists, apart from whether the question failed. */
static gboolean
query_is_seeded (BdStoreSqlite  *self,
                 gboolean       *seeded,
                 GError        **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_IS_SEEDED);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _bd_sqlite_set_error (self->db, DOING_READ, error);

  *seeded = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

static gboolean
seed_tenant (BdStoreSqlite  *self,
             BdTenant       *tenant,
             GError        **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_TENANT);

  if (sqlite3_bind_text (stmt, 1, bd_tenant_get_display_name (tenant), -1,
                         SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, bd_cloud_to_string (bd_tenant_get_cloud (tenant)), -1,
                         SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, bd_tenant_get_currency (tenant), -1,
                         SQLITE_STATIC) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  return _bd_sqlite_step_done (self, stmt, DOING_WRITE, error);
}

static gboolean
seed_billing_profile (BdStoreSqlite     *self,
                      BdBillingProfile  *profile,
                      GError           **error)
{
  g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_BILLING_PROFILE);
  BdPaymentMethod payment_method = bd_billing_profile_get_payment_method (profile);

  if (sqlite3_bind_text (stmt, 1, bd_billing_profile_get_id (profile), -1,
                         SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 2, bd_billing_profile_get_display_name (profile), -1,
                         SQLITE_STATIC) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 3, bd_payment_method_to_string (payment_method), -1,
                         SQLITE_STATIC) != SQLITE_OK)
    return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

  return _bd_sqlite_step_done (self, stmt, DOING_WRITE, error);
}

static gboolean
seed_domain (BdStoreSqlite  *self,
             BdDomain       *domain,
             GError        **error)
{
  const char *name = bd_domain_get_name (domain);
  const char * const *ids = bd_domain_get_subscription_ids (domain);

  {
    g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_DOMAIN);

    if (sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC) != SQLITE_OK)
      return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

    if (!_bd_sqlite_step_done (self, stmt, DOING_WRITE, error))
      return FALSE;
  }

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autoptr(BorrowedStatement) stmt = borrow (self, STMT_INSERT_DOMAIN_SUBSCRIPTION);

      if (sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC) != SQLITE_OK ||
          sqlite3_bind_text (stmt, 2, ids[i], -1, SQLITE_STATIC) != SQLITE_OK)
        return _bd_sqlite_set_error (self->db, DOING_WRITE, error);

      if (!_bd_sqlite_step_done (self, stmt, DOING_WRITE, error))
        return FALSE;
    }

  return TRUE;
}

/* Everything but the transaction around it; the order follows the foreign
 * keys: subscriptions name billing profiles, domain links name subscriptions.
 */
static gboolean
seed_all (BdStoreSqlite  *self,
          BdTenantFile   *file,
          GError        **error)
{
  if (!seed_tenant (self, file->tenant, error))
    return FALSE;

  for (guint i = 0; i < file->users->len; i++)
    {
      if (!_bd_store_seed_user (BD_STORE (self), g_ptr_array_index (file->users, i),
                                g_ptr_array_index (file->tokens, i), error))
        return FALSE;
    }

  for (guint i = 0; i < file->billing_profiles->len; i++)
    {
      if (!seed_billing_profile (self, g_ptr_array_index (file->billing_profiles, i), error))
        return FALSE;
    }

  for (guint i = 0; i < file->subscriptions->len; i++)
    {
      if (!_bd_store_sqlite_insert_subscription (self,
                                                 g_ptr_array_index (file->subscriptions, i),
                                                 error))
        return FALSE;
    }

  for (guint i = 0; i < file->domains->len; i++)
    {
      if (!seed_domain (self, g_ptr_array_index (file->domains, i), error))
        return FALSE;
    }

  return TRUE;
}

gboolean
_bd_store_sqlite_is_seeded (BdStore  *store,
                            GError  **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  gboolean seeded = FALSE;

  if (!query_is_seeded (self, &seeded, error))
    return FALSE;

  return seeded;
}

gboolean
_bd_store_sqlite_seed (BdStore       *store,
                       BdTenantFile  *file,
                       GError       **error)
{
  BdStoreSqlite *self = BD_STORE_SQLITE (store);
  gboolean seeded = FALSE;

  if (!_bd_store_sqlite_begin (store, error))
    return FALSE;

  /* Asked under the write lock that BEGIN IMMEDIATE took, so no other
   * process can seed between the question and the inserts.
   */
  if (!query_is_seeded (self, &seeded, error))
    goto fail;

  if (seeded)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_SEEDED,
                   _("The billing database holds a tenant already"));
      goto fail;
    }

  if (!seed_all (self, file, error) || !_bd_store_sqlite_commit (store, error))
    goto fail;

  return TRUE;

fail:
  _bd_store_sqlite_rollback (store);
  return FALSE;
}

