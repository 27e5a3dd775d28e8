/* bd-tenant.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-tenant"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bd-core-enums.h"
#include "bd-error.h"
#include "bd-json.h"
#include "bd-money.h"
#include "bd-tenant.h"

struct _BdTenant
{
  GObject  parent_instance;

  char    *display_name;
  BdCloud  cloud;
  char    *currency;
};

G_DEFINE_FINAL_TYPE (BdTenant, bd_tenant, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DISPLAY_NAME,
  PROP_CLOUD,
  PROP_CURRENCY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/*
 * GObject overrides
 */

static void
bd_tenant_finalize (GObject *object)
{
  BdTenant *self = (BdTenant *) object;

  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (bd_tenant_parent_class)->finalize (object);
}

static void
bd_tenant_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BdTenant *self = BD_TENANT (object);

  switch (prop_id)
    {
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_CLOUD:
      g_value_set_enum (value, self->cloud);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_tenant_class_init (BdTenantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bd_tenant_finalize;
  object_class->get_property = bd_tenant_get_property;

  properties [PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_CLOUD] =
    g_param_spec_enum ("cloud", NULL, NULL,
                       BD_TYPE_CLOUD,
                       BD_CLOUD_WORLDWIDE,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_tenant_init (BdTenant *self)
{
  self->cloud = BD_CLOUD_WORLDWIDE;
}

/*
 * Public API
 */

/**
 * bd_tenant_new:
 * @display_name: the tenant's name
 * @cloud: the cloud the tenant lives in
 * @currency: the tenant's ISO 4217 currency, such as `DKK`
 *
 * Returns: (transfer full): a new #BdTenant
 */
BdTenant *
bd_tenant_new (const char *display_name,
               BdCloud     cloud,
               const char *currency)
{
  BdTenant *self;

  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (bd_cloud_to_string (cloud) != NULL, NULL);
  g_return_val_if_fail (bd_currency_is_valid (currency), NULL);

  self = g_object_new (BD_TYPE_TENANT, NULL);
  self->display_name = g_strdup (display_name);
  self->cloud = cloud;
  self->currency = g_strdup (currency);

  return self;
}

/**
 * bd_tenant_new_from_json:
 * @node: a `{"displayName", "cloud", "currency"}` object
 * @path: the path of @node, such as `tenant`, for error messages
 * @error: return location for a %BD_CORE_ERROR_INVALID
 *
 * Reads a tenant as the API and tenant files write it. Unknown keys are
 * refused.
 *
 * Returns: (transfer full): a new #BdTenant, or %NULL with @error set
 */
BdTenant *
bd_tenant_new_from_json (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  static const char * const known_keys[] = { "displayName", "cloud", "currency", NULL };
  JsonObject *object;
  const char *display_name = NULL;
  const char *cloud_word = NULL;
  const char *currency = NULL;
  BdCloud cloud;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = bd_json_expect_object (node, path, known_keys, error);
  if (object == NULL)
    return NULL;

  if (!bd_json_read_string (object, path, "displayName", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY,
                            &display_name, error))
    return NULL;

  if (!bd_json_read_string (object, path, "cloud", BD_JSON_REQUIRED, &cloud_word, error))
    return NULL;

  if (!bd_cloud_from_string (cloud_word, &cloud))
    {
      g_autofree char *cloud_path = bd_json_path_member (path, "cloud");

      bd_json_set_unknown_value (error, cloud_path, cloud_word);
      return NULL;
    }

  if (!bd_json_read_string (object, path, "currency", BD_JSON_REQUIRED, &currency, error))
    return NULL;

  if (!bd_currency_is_valid (currency))
    {
      g_autofree char *currency_path = bd_json_path_member (path, "currency");

      bd_set_invalid_error (error, currency_path,
                            _("expected a currency code of three capital letters, such as DKK"));
      return NULL;
    }

  return bd_tenant_new (display_name, cloud, currency);
}

const char *
bd_tenant_get_display_name (BdTenant *self)
{
  g_return_val_if_fail (BD_IS_TENANT (self), NULL);

  return self->display_name;
}

BdCloud
bd_tenant_get_cloud (BdTenant *self)
{
  g_return_val_if_fail (BD_IS_TENANT (self), BD_CLOUD_WORLDWIDE);

  return self->cloud;
}

/**
 * bd_tenant_get_currency:
 *
 * Returns: the tenant's ISO 4217 currency code, such as `DKK`
 */
const char *
bd_tenant_get_currency (BdTenant *self)
{
  g_return_val_if_fail (BD_IS_TENANT (self), NULL);

  return self->currency;
}

/**
 * bd_tenant_to_json:
 * @builder: a builder where a value is expected
 *
 * Adds @self to @builder as one object, the shape bd_tenant_new_from_json () reads.
 */
void
bd_tenant_to_json (BdTenant    *self,
                   JsonBuilder *builder)
{
  g_return_if_fail (BD_IS_TENANT (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "displayName");
  json_builder_add_string_value (builder, self->display_name);
  json_builder_set_member_name (builder, "cloud");
  json_builder_add_string_value (builder, bd_cloud_to_string (self->cloud));
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, self->currency);
  json_builder_end_object (builder);
}
