/* bd-store-pg-tenant.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tenant of BdStorePg around its subscriptions: seeding it from a
 * tenant file in one transaction, and reading the tenant, its users (by
 * token), billing profiles and domains.
 */

#define G_LOG_DOMAIN "bd-store-pg"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bd-store-pg-private.h"

void
_bd_store_pg_tenant_sql (const char **sql)
{
  sql[STMT_IS_SEEDED] = "SELECT EXISTS (SELECT 1 FROM tenant)";
  sql[STMT_LOCK_SEED] = "SELECT pg_advisory_xact_lock (" BD_PG_LOCK_SEED ")";
  sql[STMT_INSERT_TENANT] =
    "INSERT INTO tenant (id, display_name, cloud, currency) VALUES (1, $1, $2, $3)";
  sql[STMT_INSERT_BILLING_PROFILE] =
    "INSERT INTO billing_profiles (id, display_name, payment_method) VALUES ($1, $2, $3)";
  sql[STMT_INSERT_DOMAIN] = "INSERT INTO domains (name) VALUES ($1)";
  sql[STMT_INSERT_DOMAIN_SUBSCRIPTION] =
    "INSERT INTO domain_subscriptions (domain_name, subscription_id) VALUES ($1, $2)";
  sql[STMT_GET_TENANT] = "SELECT display_name, cloud, currency FROM tenant WHERE id = 1";
  sql[STMT_GET_BILLING_PROFILE] =
    "SELECT id, display_name, payment_method FROM billing_profiles WHERE id = $1";
  sql[STMT_LIST_BILLING_PROFILES] =
    "SELECT id, display_name, payment_method FROM billing_profiles ORDER BY id";
  sql[STMT_LIST_DOMAINS] =
    "SELECT domains.name, domain_subscriptions.subscription_id FROM domains "
    "LEFT JOIN domain_subscriptions ON domain_subscriptions.domain_name = domains.name "
    "ORDER BY domains.name, domain_subscriptions.subscription_id";
  sql[STMT_HAS_DOMAIN_ATTACHED] =
    "SELECT EXISTS (SELECT 1 FROM domain_subscriptions WHERE subscription_id = $1)";
}

/*
 * The seed
 */

static gboolean
query_is_seeded (BdStorePg  *self,
                 gboolean   *seeded,
                 GError    **error)
{
  Params params = { 0 };
  g_autoptr(PGresult) result = _bd_pg_run (self, STMT_IS_SEEDED, &params, DOING_READ, error);

  if (result == NULL)
    return FALSE;

  *seeded = _bd_pg_bool (result, 0, 0);
  return TRUE;
}

static gboolean
seed_billing_profile (BdStorePg         *self,
                      BdBillingProfile  *profile,
                      GError           **error)
{
  Params params = { 0 };

  _bd_pg_params_text (&params, bd_billing_profile_get_id (profile));
  _bd_pg_params_text (&params, bd_billing_profile_get_display_name (profile));
  _bd_pg_params_text (&params, bd_payment_method_to_string (
                                 bd_billing_profile_get_payment_method (profile)));

  return _bd_pg_run_done (self, STMT_INSERT_BILLING_PROFILE, &params, DOING_WRITE, error);
}

static gboolean
seed_domain (BdStorePg  *self,
             BdDomain   *domain,
             GError    **error)
{
  const char *name = bd_domain_get_name (domain);
  const char * const *ids = bd_domain_get_subscription_ids (domain);
  Params params = { 0 };

  _bd_pg_params_text (&params, name);
  if (!_bd_pg_run_done (self, STMT_INSERT_DOMAIN, &params, DOING_WRITE, error))
    return FALSE;

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      Params link = { 0 };

      _bd_pg_params_text (&link, name);
      _bd_pg_params_text (&link, ids[i]);
      if (!_bd_pg_run_done (self, STMT_INSERT_DOMAIN_SUBSCRIPTION, &link, DOING_WRITE, error))
        return FALSE;
    }

  return TRUE;
}

/* Everything but the transaction around it, in the foreign keys' order. */
static gboolean
seed_all (BdStorePg     *self,
          BdTenantFile  *file,
          GError       **error)
{
  BdTenant *tenant = file->tenant;
  Params params = { 0 };

  _bd_pg_params_text (&params, bd_tenant_get_display_name (tenant));
  _bd_pg_params_text (&params, bd_cloud_to_string (bd_tenant_get_cloud (tenant)));
  _bd_pg_params_text (&params, bd_tenant_get_currency (tenant));
  if (!_bd_pg_run_done (self, STMT_INSERT_TENANT, &params, DOING_WRITE, error))
    return FALSE;

  for (guint i = 0; i < file->users->len; i++)
    if (!_bd_store_seed_user (BD_STORE (self), g_ptr_array_index (file->users, i),
                              g_ptr_array_index (file->tokens, i), error))
      return FALSE;

  for (guint i = 0; i < file->billing_profiles->len; i++)
    if (!seed_billing_profile (self, g_ptr_array_index (file->billing_profiles, i), error))
      return FALSE;

  for (guint i = 0; i < file->subscriptions->len; i++)
    if (!_bd_store_pg_insert_subscription (self, g_ptr_array_index (file->subscriptions, i),
                                           error))
      return FALSE;

  for (guint i = 0; i < file->domains->len; i++)
    if (!seed_domain (self, g_ptr_array_index (file->domains, i), error))
      return FALSE;

  return TRUE;
}

gboolean
_bd_store_pg_is_seeded (BdStore  *store,
                        GError  **error)
{
  gboolean seeded = FALSE;

  if (!query_is_seeded (BD_STORE_PG (store), &seeded, error))
    return FALSE;

  return seeded;
}

gboolean
_bd_store_pg_seed (BdStore       *store,
                   BdTenantFile  *file,
                   GError       **error)
{
  BdStorePg *self = BD_STORE_PG (store);
  Params none = { 0 };
  gboolean seeded = FALSE;

  if (!_bd_store_pg_begin (store, error))
    return FALSE;

  /* Asked under the seed's lock: of several instances starting on one
   * empty database, one seeds and the others then find its tenant.
   */
  if (!_bd_pg_run_done (self, STMT_LOCK_SEED, &none, DOING_WRITE, error) ||
      !query_is_seeded (self, &seeded, error))
    goto fail;

  if (seeded)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_SEEDED,
                   _("The billing database holds a tenant already"));
      goto fail;
    }

  if (!seed_all (self, file, error) || !_bd_store_pg_commit (store, error))
    goto fail;

  return TRUE;

fail:
  _bd_store_pg_rollback (store);
  return FALSE;
}

/*
 * Reads
 */

/* Columns id, display_name, payment_method of @row. */
static BdBillingProfile *
read_billing_profile (const PGresult  *result,
                      int              row,
                      GError         **error)
{
  BdPaymentMethod payment_method;

  if (!bd_payment_method_from_string (_bd_pg_str (result, row, 2), &payment_method))
    {
      _bd_store_set_unreadable_row_error ("billing_profiles", error);
      return NULL;
    }

  return bd_billing_profile_new (_bd_pg_str (result, row, 0), _bd_pg_str (result, row, 1),
                                 payment_method);
}

BdTenant *
_bd_store_pg_get_tenant (BdStore  *store,
                         GError  **error)
{
  Params params = { 0 };
  g_autoptr(PGresult) result = NULL;
  const char *currency;
  BdCloud cloud;

  result = _bd_pg_run (BD_STORE_PG (store), STMT_GET_TENANT, &params, DOING_READ, error);
  if (result == NULL)
    return NULL;

  if (PQntuples (result) == 0)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_SEEDED,
                   _("The billing database holds no tenant yet"));
      return NULL;
    }

  currency = _bd_pg_str (result, 0, 2);
  if (!bd_cloud_from_string (_bd_pg_str (result, 0, 1), &cloud) ||
      !bd_currency_is_valid (currency))
    {
      _bd_store_set_unreadable_row_error ("tenant", error);
      return NULL;
    }

  return bd_tenant_new (_bd_pg_str (result, 0, 0), cloud, currency);
}

BdBillingProfile *
_bd_store_pg_get_billing_profile (BdStore     *store,
                                  const char  *id,
                                  GError     **error)
{
  Params params = { 0 };
  g_autoptr(PGresult) result = NULL;

  _bd_pg_params_text (&params, id);
  result = _bd_pg_run (BD_STORE_PG (store), STMT_GET_BILLING_PROFILE, &params, DOING_READ,
                       error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;

  return read_billing_profile (result, 0, error);
}

GPtrArray *
_bd_store_pg_list_billing_profiles (BdStore  *store,
                                    GError  **error)
{
  Params params = { 0 };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);

  result = _bd_pg_run (BD_STORE_PG (store), STMT_LIST_BILLING_PROFILES, &params, DOING_READ,
                       error);
  if (result == NULL)
    return NULL;

  for (int row = 0; row < PQntuples (result); row++)
    {
      BdBillingProfile *profile = read_billing_profile (result, row, error);

      if (profile == NULL)
        return NULL;
      g_ptr_array_add (profiles, profile);
    }

  return g_steal_pointer (&profiles);
}

static void
add_domain (GPtrArray  *domains,
            const char *name,
            GPtrArray  *ids)
{
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (domains, bd_domain_new (name, (const char * const *) ids->pdata));
}

GPtrArray *
_bd_store_pg_list_domains (BdStore  *store,
                           GError  **error)
{
  Params params = { 0 };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ids = NULL;
  const char *name = NULL;

  result = _bd_pg_run (BD_STORE_PG (store), STMT_LIST_DOMAINS, &params, DOING_READ, error);
  if (result == NULL)
    return NULL;

  /* One row per link, or one with a NULL id for a domain with none. */
  for (int row = 0; row < PQntuples (result); row++)
    {
      const char *row_name = _bd_pg_str (result, row, 0);

      if (name == NULL || strcmp (name, row_name) != 0)
        {
          if (name != NULL)
            add_domain (domains, name, ids);

          name = row_name;
          g_clear_pointer (&ids, g_ptr_array_unref);
          ids = g_ptr_array_new_with_free_func (g_free);
        }

      if (!PQgetisnull (result, row, 1))
        g_ptr_array_add (ids, _bd_pg_dup (result, row, 1));
    }

  if (name != NULL)
    add_domain (domains, name, ids);

  return g_steal_pointer (&domains);
}

gboolean
_bd_store_pg_has_domain_attached (BdStore     *store,
                                  const char  *subscription_id,
                                  gboolean    *attached,
                                  GError     **error)
{
  Params params = { 0 };
  g_autoptr(PGresult) result = NULL;

  _bd_pg_params_text (&params, subscription_id);
  result = _bd_pg_run (BD_STORE_PG (store), STMT_HAS_DOMAIN_ATTACHED, &params, DOING_READ,
                       error);
  if (result == NULL)
    return FALSE;

  *attached = _bd_pg_bool (result, 0, 0);
  return TRUE;
}
