/* bd-domain.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-domain"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "bd-domain.h"
#include "bd-error.h"
#include "bd-json.h"

#define NAME_MAX_LENGTH 253

struct _BdDomain
{
  GObject   parent_instance;

  char     *name;
  GStrv     subscription_ids;
};

G_DEFINE_FINAL_TYPE (BdDomain, bd_domain, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SUBSCRIPTION_IDS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* ASCII letters, digits and '-' in labels joined by dots: at least two
 * labels, none empty, at most 253 characters in all.
 */
static gboolean
domain_name_is_valid (const char *name)
{
  gsize label_length = 0;
  gboolean has_dot = FALSE;

  if (strlen (name) > NAME_MAX_LENGTH)
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (label_length == 0)
            return FALSE;
          has_dot = TRUE;
          label_length = 0;
        }
      else if (g_ascii_isalnum (*p) || *p == '-')
        {
          label_length++;
        }
      else
        {
          return FALSE;
        }
    }

  return has_dot && label_length > 0;
}

static GStrv
read_subscription_ids (JsonObject  *object,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *ids_path = NULL;
  JsonArray *array = NULL;
  guint n;

  if (!bd_json_read_array (object, path, "subscriptionIds", BD_JSON_REQUIRED, &array, error))
    return NULL;

  ids_path = bd_json_path_member (path, "subscriptionIds");
  n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_path = bd_json_path_index (ids_path, i);
      const char *id;

      id = bd_json_expect_string (json_array_get_element (array, i), item_path, error);
      if (id == NULL)
        return NULL;

      if (*id == '\0')
        {
          bd_set_invalid_error (error, item_path, _("must not be empty"));
          return NULL;
        }

      if (!g_hash_table_add (seen, (gpointer) id))
        {
          bd_set_invalid_error (error, item_path, _("listed twice"));
          return NULL;
        }

      g_strv_builder_add (builder, id);
    }

  return g_strv_builder_end (builder);
}

/*
 * GObject overrides
 */

static void
bd_domain_finalize (GObject *object)
{
  BdDomain *self = (BdDomain *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->subscription_ids, g_strfreev);

  G_OBJECT_CLASS (bd_domain_parent_class)->finalize (object);
}

static void
bd_domain_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BdDomain *self = BD_DOMAIN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_SUBSCRIPTION_IDS:
      g_value_set_boxed (value, self->subscription_ids);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_domain_class_init (BdDomainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bd_domain_finalize;
  object_class->get_property = bd_domain_get_property;

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_SUBSCRIPTION_IDS] =
    g_param_spec_boxed ("subscription-ids", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_domain_init (BdDomain *self)
{
  /* Never NULL, so that no caller has to check. */
  self->subscription_ids = g_new0 (char *, 1);
}

/*
 * Public API
 */

/**
 * bd_domain_new:
 * @name: the domain name, such as `contoso.dk`
 * @subscription_ids: (nullable) (array zero-terminated=1): the ids of the
 *   subscriptions that use the domain; %NULL for none
 *
 * Returns: (transfer full): a new #BdDomain
 */
BdDomain *
bd_domain_new (const char         *name,
               const char * const *subscription_ids)
{
  BdDomain *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (BD_TYPE_DOMAIN, NULL);
  self->name = g_strdup (name);
  if (subscription_ids != NULL)
    {
      g_strfreev (self->subscription_ids);
      self->subscription_ids = g_strdupv ((char **) subscription_ids);
    }

  return self;
}

/**
 * bd_domain_new_from_json:
 * @node: a `{"name", "subscriptionIds"}` object
 * @path: the path of @node, such as `domains[0]`, for error messages
 * @error: return location for a %BD_CORE_ERROR_INVALID
 *
 * Reads a domain as the API and tenant files write it. Unknown keys are
 * refused, and so are duplicate subscription ids.
 *
 * Returns: (transfer full): a new #BdDomain, or %NULL with @error set
 */
BdDomain *
bd_domain_new_from_json (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  static const char * const known_keys[] = { "name", "subscriptionIds", NULL };
  g_auto(GStrv) subscription_ids = NULL;
  JsonObject *object;
  const char *name = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = bd_json_expect_object (node, path, known_keys, error);
  if (object == NULL)
    return NULL;

  if (!bd_json_read_string (object, path, "name", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY,
                            &name, error))
    return NULL;

  if (!domain_name_is_valid (name))
    {
      g_autofree char *name_path = bd_json_path_member (path, "name");

      bd_set_invalid_error (error, name_path, _("is not a valid domain name"));
      return NULL;
    }

  subscription_ids = read_subscription_ids (object, path, error);
  if (subscription_ids == NULL)
    return NULL;

  return bd_domain_new (name, (const char * const *) subscription_ids);
}

/**
 * bd_domain_get_name:
 *
 * Returns: the domain name, such as `contoso.dk`
 */
const char *
bd_domain_get_name (BdDomain *self)
{
  g_return_val_if_fail (BD_IS_DOMAIN (self), NULL);

  return self->name;
}

/**
 * bd_domain_get_subscription_ids:
 *
 * Returns: (transfer none) (array zero-terminated=1): the ids of the
 *   subscriptions that use the domain, maybe none
 */
const char * const *
bd_domain_get_subscription_ids (BdDomain *self)
{
  g_return_val_if_fail (BD_IS_DOMAIN (self), NULL);

  return (const char * const *) self->subscription_ids;
}

gboolean
bd_domain_has_subscription (BdDomain   *self,
                            const char *id)
{
  g_return_val_if_fail (BD_IS_DOMAIN (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->subscription_ids, id);
}

/**
 * bd_domain_to_json:
 * @builder: a builder where a value is expected
 *
 * Adds @self to @builder as one `{"name", "subscriptionIds"}` object.
 */
void
bd_domain_to_json (BdDomain    *self,
                   JsonBuilder *builder)
{
  g_return_if_fail (BD_IS_DOMAIN (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "subscriptionIds");
  json_builder_begin_array (builder);
  for (guint i = 0; self->subscription_ids[i] != NULL; i++)
    json_builder_add_string_value (builder, self->subscription_ids[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}
