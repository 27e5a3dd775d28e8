/* bd-billing-profile.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-billing-profile"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bd-billing-profile.h"
#include "bd-core-enums.h"
#include "bd-error.h"
#include "bd-json.h"

struct _BdBillingProfile
{
  GObject          parent_instance;

  char            *id;
  char            *display_name;
  BdPaymentMethod  payment_method;
};

G_DEFINE_FINAL_TYPE (BdBillingProfile, bd_billing_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_PAYMENT_METHOD,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/*
 * GObject overrides
 */

static void
bd_billing_profile_finalize (GObject *object)
{
  BdBillingProfile *self = (BdBillingProfile *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);

  G_OBJECT_CLASS (bd_billing_profile_parent_class)->finalize (object);
}

static void
bd_billing_profile_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BdBillingProfile *self = BD_BILLING_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_PAYMENT_METHOD:
      g_value_set_enum (value, self->payment_method);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_billing_profile_class_init (BdBillingProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bd_billing_profile_finalize;
  object_class->get_property = bd_billing_profile_get_property;

  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_PAYMENT_METHOD] =
    g_param_spec_enum ("payment-method", NULL, NULL,
                       BD_TYPE_PAYMENT_METHOD,
                       BD_PAYMENT_METHOD_INVOICE,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_billing_profile_init (BdBillingProfile *self)
{
  self->payment_method = BD_PAYMENT_METHOD_INVOICE;
}

/*
 * Public API
 */

/**
 * bd_billing_profile_new:
 * @id: the billing profile's id
 * @display_name: the billing profile's name
 * @payment_method: how the billing profile pays
 *
 * Returns: (transfer full): a new #BdBillingProfile
 */
BdBillingProfile *
bd_billing_profile_new (const char      *id,
                        const char      *display_name,
                        BdPaymentMethod  payment_method)
{
  BdBillingProfile *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (bd_payment_method_to_string (payment_method) != NULL, NULL);

  self = g_object_new (BD_TYPE_BILLING_PROFILE, NULL);
  self->id = g_strdup (id);
  self->display_name = g_strdup (display_name);
  self->payment_method = payment_method;

  return self;
}

/**
 * bd_billing_profile_new_from_json:
 * @node: a `{"id", "displayName", "paymentMethod"}` object
 * @path: the path of @node, such as `billingProfiles[0]`, for error messages
 * @error: return location for a %BD_CORE_ERROR_INVALID
 *
 * Reads a billing profile as the API and tenant files write it. Unknown keys
 * are refused.
 *
 * Returns: (transfer full): a new #BdBillingProfile, or %NULL with @error set
 */
BdBillingProfile *
bd_billing_profile_new_from_json (JsonNode    *node,
                                  const char  *path,
                                  GError     **error)
{
  static const char * const known_keys[] = { "id", "displayName", "paymentMethod", NULL };
  JsonObject *object;
  const char *id = NULL;
  const char *display_name = NULL;
  const char *method_word = NULL;
  BdPaymentMethod payment_method;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = bd_json_expect_object (node, path, known_keys, error);
  if (object == NULL)
    return NULL;

  if (!bd_json_read_string (object, path, "id", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY,
                            &id, error) ||
      !bd_json_read_string (object, path, "displayName", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY,
                            &display_name, error) ||
      !bd_json_read_string (object, path, "paymentMethod", BD_JSON_REQUIRED,
                            &method_word, error))
    return NULL;

  if (!bd_payment_method_from_string (method_word, &payment_method))
    {
      g_autofree char *method_path = bd_json_path_member (path, "paymentMethod");

      bd_json_set_unknown_value (error, method_path, method_word);
      return NULL;
    }

  return bd_billing_profile_new (id, display_name, payment_method);
}

const char *
bd_billing_profile_get_id (BdBillingProfile *self)
{
  g_return_val_if_fail (BD_IS_BILLING_PROFILE (self), NULL);

  return self->id;
}

const char *
bd_billing_profile_get_display_name (BdBillingProfile *self)
{
  g_return_val_if_fail (BD_IS_BILLING_PROFILE (self), NULL);

  return self->display_name;
}

BdPaymentMethod
bd_billing_profile_get_payment_method (BdBillingProfile *self)
{
  g_return_val_if_fail (BD_IS_BILLING_PROFILE (self), BD_PAYMENT_METHOD_INVOICE);

  return self->payment_method;
}

/**
 * bd_billing_profile_to_json:
 * @builder: a builder where a value is expected
 *
 * Adds @self to @builder as one `{"id", "displayName", "paymentMethod"}` object.
 */
void
bd_billing_profile_to_json (BdBillingProfile *self,
                            JsonBuilder      *builder)
{
  g_return_if_fail (BD_IS_BILLING_PROFILE (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "displayName");
  json_builder_add_string_value (builder, self->display_name);
  json_builder_set_member_name (builder, "paymentMethod");
  json_builder_add_string_value (builder, bd_payment_method_to_string (self->payment_method));
  json_builder_end_object (builder);
}
