/* bd-tenant-file.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-tenant-file"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bd-error.h"
#include "bd-json.h"
#include "bd-lifecycle.h"
#include "bd-tenant-file.h"

static const char * const file_keys[] = {
  "tenant", "users", "billingProfiles", "domains", "subscriptions", NULL
};

static BdTenantFile *
tenant_file_new (void)
{
  BdTenantFile *self = g_new0 (BdTenantFile, 1);

  self->users = g_ptr_array_new_with_free_func (g_object_unref);
  self->tokens = g_ptr_array_new_with_free_func (g_free);
  self->billing_profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->domains = g_ptr_array_new_with_free_func (g_object_unref);
  self->subscriptions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) bd_subscription_data_free);
  self->profile_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->domain_of = g_hash_table_new (g_str_hash, g_str_equal);
  self->token_set = g_hash_table_new (g_str_hash, g_str_equal);

  return self;
}

void
bd_tenant_file_free (BdTenantFile *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->tenant);
  g_ptr_array_unref (self->users);
  g_ptr_array_unref (self->tokens);
  g_ptr_array_unref (self->billing_profiles);
  g_ptr_array_unref (self->domains);
  g_ptr_array_unref (self->subscriptions);
  g_hash_table_unref (self->profile_by_id);
  g_hash_table_unref (self->domain_of);
  g_hash_table_unref (self->token_set);
  g_free (self);
}

/* Refuses a key seen before in @seen, naming the path of the repeat. */
static gboolean
check_unique (GHashTable  *seen,
              const char  *key,
              const char  *path,
              GError     **error)
{
  if (g_hash_table_contains (seen, key))
    {
      bd_set_invalid_error (error, path, _("duplicate “%s”"), key);
      return FALSE;
    }

  g_hash_table_add (seen, g_strdup (key));
  return TRUE;
}

typedef gboolean (*ReadItem) (BdTenantFile  *self,
                              JsonNode      *node,
                              const char    *path,
                              gint64         now,
                              GHashTable    *seen,
                              GError       **error);

static gboolean
read_list (BdTenantFile  *self,
           JsonObject    *root,
           const char    *key,
           BdJsonFlags    flags,
           ReadItem       read_item,
           gint64         now,
           GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array = NULL;

  if (!bd_json_read_array (root, NULL, key, flags, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = bd_json_path_index (key, i);

      if (!read_item (self, json_array_get_element (array, i), path, now, seen, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_user (BdTenantFile  *self,
           JsonNode      *node,
           const char    *path,
           gint64         now,
           GHashTable    *seen,
           GError       **error)
{
  g_autoptr(BdUser) user = NULL;
  g_autofree char *id_path = bd_json_path_member (path, "id");
  g_autofree char *token_path = bd_json_path_member (path, "token");
  const char *token = NULL;

  user = bd_user_new_from_json (node, path, &token, error);
  if (user == NULL || !check_unique (seen, bd_user_get_id (user), id_path, error))
    return FALSE;

  if (token != NULL && g_hash_table_contains (self->token_set, token))
    {
      /* Never echo a token back into a message or a log. */
      bd_set_invalid_error (error, token_path, _("another user has the same token"));
      return FALSE;
    }

  g_ptr_array_add (self->users, g_steal_pointer (&user));
  g_ptr_array_add (self->tokens, g_strdup (token));
  if (token != NULL)
    g_hash_table_add (self->token_set, g_ptr_array_index (self->tokens, self->tokens->len - 1));
  return TRUE;
}

static gboolean
read_billing_profile (BdTenantFile  *self,
                      JsonNode      *node,
                      const char    *path,
                      gint64         now,
                      GHashTable    *seen,
                      GError       **error)
{
  g_autoptr(BdBillingProfile) profile = NULL;
  g_autofree char *id_path = bd_json_path_member (path, "id");

  profile = bd_billing_profile_new_from_json (node, path, error);
  if (profile == NULL ||
      !check_unique (seen, bd_billing_profile_get_id (profile), id_path, error))
    return FALSE;

  g_hash_table_insert (self->profile_by_id, (gpointer) bd_billing_profile_get_id (profile),
                       profile);
  g_ptr_array_add (self->billing_profiles, g_steal_pointer (&profile));
  return TRUE;
}

static gboolean
read_subscription (BdTenantFile  *self,
                   JsonNode      *node,
                   const char    *path,
                   gint64         now,
                   GHashTable    *seen,
                   GError       **error)
{
  g_autoptr(BdSubscriptionData) data = NULL;
  g_autofree char *id_path = bd_json_path_member (path, "id");
  g_autofree char *profile_path = bd_json_path_member (path, "billingProfileId");
  g_autofree char *price_path = bd_json_path_member (path, "unitPrice");
  g_autofree char *currency_path = bd_json_path_member (price_path, "currency");

  data = bd_subscription_data_read_json (node, path, BD_SUBSCRIPTION_JSON_TENANT_FILE, now,
                                         error);
  if (data == NULL || !check_unique (seen, data->id, id_path, error))
    return FALSE;

  bd_lifecycle_import (data, now);

  /* No domain lists it yet; the domains come after the subscriptions. */
  g_hash_table_insert (self->domain_of, data->id, NULL);

  if (data->billing_profile_id != NULL &&
      bd_tenant_file_find_billing_profile (self, data->billing_profile_id) == NULL)
    {
      bd_set_invalid_error (error, profile_path, _("there is no billing profile “%s”"),
                            data->billing_profile_id);
      return FALSE;
    }

  if (strcmp (data->unit_price.currency, bd_tenant_get_currency (self->tenant)) != 0)
    {
      bd_set_invalid_error (error, currency_path, _("must be the tenant’s currency, %s"),
                            bd_tenant_get_currency (self->tenant));
      return FALSE;
    }

  g_ptr_array_add (self->subscriptions, g_steal_pointer (&data));
  return TRUE;
}

static gboolean
read_domain (BdTenantFile  *self,
             JsonNode      *node,
             const char    *path,
             gint64         now,
             GHashTable    *seen,
             GError       **error)
{
  g_autoptr(BdDomain) domain = NULL;
  g_autofree char *name_path = bd_json_path_member (path, "name");
  g_autofree char *ids_path = bd_json_path_member (path, "subscriptionIds");
  g_autofree char *folded = NULL;
  const char * const *ids;

  domain = bd_domain_new_from_json (node, path, error);
  if (domain == NULL)
    return FALSE;

  /* Domain names do not care about case. */
  folded = g_ascii_strdown (bd_domain_get_name (domain), -1);
  if (!check_unique (seen, folded, name_path, error))
    return FALSE;

  ids = bd_domain_get_subscription_ids (domain);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      if (!g_hash_table_contains (self->domain_of, ids[i]))
        {
          g_autofree char *id_path = bd_json_path_index (ids_path, i);

          bd_set_invalid_error (error, id_path, _("there is no subscription “%s”"), ids[i]);
          return FALSE;
        }
    }

  /* The keys stay the subscriptions' own ids; the domain list owns @domain. */
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      gpointer key = NULL;

      g_hash_table_lookup_extended (self->domain_of, ids[i], &key, NULL);
      g_hash_table_insert (self->domain_of, key, domain);
    }

  g_ptr_array_add (self->domains, g_steal_pointer (&domain));
  return TRUE;
}

/**
 * bd_tenant_file_read_json:
 * @now: the clock at import: relative dates count from it
 *
 * Reads a whole tenant strictly: unknown keys, wrong types, duplicate or
 * dangling ids, impossible dates and foreign currencies are refused with
 * the path of the bad key. Nothing is half-read.
 *
 * Returns: (transfer full) (nullable): the tenant
 */
BdTenantFile *
bd_tenant_file_read_json (JsonNode  *node,
                          gint64     now,
                          GError   **error)
{
  g_autoptr(BdTenantFile) self = tenant_file_new ();
  JsonObject *root;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (now != BD_TIME_NONE, NULL);

  root = bd_json_expect_object (node, NULL, file_keys, error);
  if (root == NULL)
    return NULL;

  if (!json_object_has_member (root, "tenant"))
    {
      bd_set_invalid_error (error, "tenant", _("this key is required"));
      return NULL;
    }

  self->tenant = bd_tenant_new_from_json (json_object_get_member (root, "tenant"), "tenant", error);
  if (self->tenant == NULL ||
      !read_list (self, root, "users", BD_JSON_REQUIRED, read_user, now, error) ||
      !read_list (self, root, "billingProfiles", BD_JSON_OPTIONAL, read_billing_profile, now,
                  error) ||
      !read_list (self, root, "subscriptions", BD_JSON_REQUIRED, read_subscription, now, error) ||
      !read_list (self, root, "domains", BD_JSON_OPTIONAL, read_domain, now, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * bd_tenant_file_read:
 *
 * Parses (strictly, bd_json_parse ()) and reads a tenant file's text.
 *
 * Returns: (transfer full) (nullable): the tenant
 */
BdTenantFile *
bd_tenant_file_read (const char  *data,
                     gssize       length,
                     gint64       now,
                     GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  node = bd_json_parse (data, length, error);
  if (node == NULL)
    return NULL;

  return bd_tenant_file_read_json (node, now, error);
}

/**
 * bd_tenant_file_to_data:
 *
 * Writes the tenant as a tenant file, every date absolute.
 *
 * Returns: (transfer full): the JSON text
 */
char *
bd_tenant_file_to_data (BdTenantFile *self,
                        gsize        *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "tenant");
  bd_tenant_to_json (self->tenant, builder);

  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->users->len; i++)
    {
      g_autoptr(JsonNode) user = NULL;
      g_autoptr(JsonBuilder) user_builder = json_builder_new ();
      JsonObject *object;

      /* The user's public members, then the token that only files carry. */
      bd_user_to_json (g_ptr_array_index (self->users, i), user_builder);
      user = json_builder_get_root (user_builder);
      object = json_node_get_object (user);
      if (g_ptr_array_index (self->tokens, i) != NULL)
        json_object_set_string_member (object, "token", g_ptr_array_index (self->tokens, i));
      json_builder_add_value (builder, g_steal_pointer (&user));
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "billingProfiles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->billing_profiles->len; i++)
    bd_billing_profile_to_json (g_ptr_array_index (self->billing_profiles, i), builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "domains");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->domains->len; i++)
    bd_domain_to_json (g_ptr_array_index (self->domains, i), builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "subscriptions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->subscriptions->len; i++)
    bd_subscription_data_to_json (g_ptr_array_index (self->subscriptions, i),
                                  BD_SUBSCRIPTION_JSON_TENANT_FILE, builder);
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return bd_json_to_data (root, length);
}

/**
 * bd_tenant_file_find_billing_profile:
 *
 * Returns: (transfer none) (nullable): the billing profile with @id
 */
BdBillingProfile *
bd_tenant_file_find_billing_profile (BdTenantFile *self,
                                     const char   *id)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (id == NULL)
    return NULL;

  return g_hash_table_lookup (self->profile_by_id, id);
}

/**
 * bd_tenant_file_has_domain_attached:
 *
 * Returns: whether a custom domain of the tenant lists @subscription_id (rule 5)
 */
gboolean
bd_tenant_file_has_domain_attached (BdTenantFile *self,
                                    const char   *subscription_id)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (subscription_id != NULL, FALSE);

  return g_hash_table_lookup (self->domain_of, subscription_id) != NULL;
}

/**
 * bd_tenant_file_init_rule_context:
 * @roles: BD_ROLE_MASK () of the acting user
 *
 * Fills what the rules need to know about @data's place in the tenant.
 */
void
bd_tenant_file_init_rule_context (BdTenantFile             *self,
                                  const BdSubscriptionData *data,
                                  guint                     roles,
                                  gint64                    now,
                                  BdRuleContext            *ctx)
{
  BdBillingProfile *profile;

  g_return_if_fail (self != NULL && data != NULL && ctx != NULL);

  profile = bd_tenant_file_find_billing_profile (self, data->billing_profile_id);

  ctx->roles = roles;
  ctx->paid_by_invoice = profile != NULL &&
    bd_billing_profile_get_payment_method (profile) == BD_PAYMENT_METHOD_INVOICE;
  ctx->custom_domain_attached = bd_tenant_file_has_domain_attached (self, data->id);
  ctx->now = now;
}
