/* bd-user.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-user"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bd-core-enums.h"
#include "bd-error.h"
#include "bd-json.h"
#include "bd-rules.h"
#include "bd-user.h"

/* BD_ROLE_USER is the last role. */
#define ALL_ROLES (BD_ROLE_MASK (BD_ROLE_USER + 1) - 1)

#define TOKEN_MAX_LENGTH 512

struct _BdUser
{
  GObject  parent_instance;

  char    *id;
  char    *display_name;
  guint    roles;
};

G_DEFINE_FINAL_TYPE (BdUser, bd_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_ROLES,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static GStrv
roles_to_strv (guint roles)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint role = 0; role <= BD_ROLE_USER; role++)
    {
      if ((roles & BD_ROLE_MASK (role)) != 0)
        g_strv_builder_add (builder, bd_role_to_string ((BdRole) role));
    }

  return g_strv_builder_end (builder);
}

static gboolean
read_roles (JsonObject  *object,
            const char  *path,
            guint       *roles,
            GError     **error)
{
  g_autofree char *roles_path = NULL;
  JsonArray *array = NULL;
  guint mask = 0;
  guint n;

  if (!bd_json_read_array (object, path, "roles", BD_JSON_REQUIRED, &array, error))
    return FALSE;

  roles_path = bd_json_path_member (path, "roles");
  n = json_array_get_length (array);

  if (n == 0)
    {
      bd_set_invalid_error (error, roles_path, _("must not be empty"));
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_path = bd_json_path_index (roles_path, i);
      const char *word;
      BdRole role;

      word = bd_json_expect_string (json_array_get_element (array, i), item_path, error);
      if (word == NULL)
        return FALSE;

      if (!bd_role_from_string (word, &role))
        {
          bd_json_set_unknown_value (error, item_path, word);
          return FALSE;
        }

      if ((mask & BD_ROLE_MASK (role)) != 0)
        {
          bd_set_invalid_error (error, item_path, _("listed twice"));
          return FALSE;
        }

      mask |= BD_ROLE_MASK (role);
    }

  *roles = mask;
  return TRUE;
}

/* A bearer token: 1..512 printable ASCII characters, no spaces. */
static gboolean
token_is_valid (const char *token)
{
  gsize length = 0;

  for (const char *p = token; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
        return FALSE;
      length++;
    }

  return length >= 1 && length <= TOKEN_MAX_LENGTH;
}

/*
 * GObject overrides
 */

static void
bd_user_finalize (GObject *object)
{
  BdUser *self = (BdUser *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);

  G_OBJECT_CLASS (bd_user_parent_class)->finalize (object);
}

static void
bd_user_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  BdUser *self = BD_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_ROLES:
      g_value_take_boxed (value, roles_to_strv (self->roles));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_user_class_init (BdUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bd_user_finalize;
  object_class->get_property = bd_user_get_property;

  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /* The API words of the roles, in the order of #BdRole. */
  properties [PROP_ROLES] =
    g_param_spec_boxed ("roles", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_user_init (BdUser *self)
{
  self->roles = 0;
}

/*
 * Public API
 */

/**
 * bd_user_new:
 * @id: the user's id
 * @display_name: the user's name
 * @roles: a mask of BD_ROLE_MASK () bits
 *
 * Returns: (transfer full): a new #BdUser
 */
BdUser *
bd_user_new (const char *id,
             const char *display_name,
             guint       roles)
{
  BdUser *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail ((roles & ~ALL_ROLES) == 0, NULL);

  self = g_object_new (BD_TYPE_USER, NULL);
  self->id = g_strdup (id);
  self->display_name = g_strdup (display_name);
  self->roles = roles;

  return self;
}

/**
 * bd_user_new_from_json:
 * @node: a `{"id", "displayName", "roles"}` object
 * @path: the path of @node, such as `users[0]`, for error messages
 * @token: (out) (optional) (transfer none): return location for the user's
 *   bearer token, owned by @node
 * @error: return location for a %BD_CORE_ERROR_INVALID
 *
 * Reads a user as the API writes it, or, when @token is given, as a tenant
 * file writes it: then `token` may be there (1..512 printable ASCII characters
 * without spaces), and *@token is %NULL when it is not (a user who gets a
 * token from `billing-desk-service tokens create`). Without @token a `token`
 * key is refused like any unknown key.
 *
 * Returns: (transfer full): a new #BdUser, or %NULL with @error set
 */
BdUser *
bd_user_new_from_json (JsonNode     *node,
                       const char   *path,
                       const char  **token,
                       GError      **error)
{
  static const char * const api_keys[] = { "id", "displayName", "roles", NULL };
  static const char * const file_keys[] = { "id", "displayName", "roles", "token", NULL };
  JsonObject *object;
  const char *id = NULL;
  const char *display_name = NULL;
  const char *token_value = NULL;
  guint roles = 0;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = bd_json_expect_object (node, path, token != NULL ? file_keys : api_keys, error);
  if (object == NULL)
    return NULL;

  if (!bd_json_read_string (object, path, "id", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY,
                            &id, error) ||
      !bd_json_read_string (object, path, "displayName", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY,
                            &display_name, error) ||
      !read_roles (object, path, &roles, error))
    return NULL;

  if (token != NULL)
    {
      if (!bd_json_read_string (object, path, "token", BD_JSON_OPTIONAL, &token_value, error))
        return NULL;

      if (token_value != NULL && !token_is_valid (token_value))
        {
          g_autofree char *token_path = bd_json_path_member (path, "token");

          bd_set_invalid_error (error, token_path,
                                _("must be 1 to %d printable ASCII characters without spaces"),
                                TOKEN_MAX_LENGTH);
          return NULL;
        }

      *token = token_value;
    }

  return bd_user_new (id, display_name, roles);
}

const char *
bd_user_get_id (BdUser *self)
{
  g_return_val_if_fail (BD_IS_USER (self), NULL);

  return self->id;
}

const char *
bd_user_get_display_name (BdUser *self)
{
  g_return_val_if_fail (BD_IS_USER (self), NULL);

  return self->display_name;
}

/**
 * bd_user_get_roles:
 *
 * Returns: the user's roles, a mask of BD_ROLE_MASK () bits
 */
guint
bd_user_get_roles (BdUser *self)
{
  g_return_val_if_fail (BD_IS_USER (self), 0);

  return self->roles;
}

gboolean
bd_user_has_role (BdUser *self,
                  BdRole  role)
{
  g_return_val_if_fail (BD_IS_USER (self), FALSE);
  g_return_val_if_fail ((guint) role <= BD_ROLE_USER, FALSE);

  return (self->roles & BD_ROLE_MASK (role)) != 0;
}

/**
 * bd_user_can_manage:
 *
 * Returns: whether the user may change subscriptions: a Global or a Billing admin
 */
gboolean
bd_user_can_manage (BdUser *self)
{
  g_return_val_if_fail (BD_IS_USER (self), FALSE);

  return bd_roles_can_manage (self->roles);
}

/**
 * bd_user_to_json:
 * @builder: a builder where a value is expected
 *
 * Adds @self to @builder as one `{"id", "displayName", "roles"}` object.
 * The token is never written.
 */
void
bd_user_to_json (BdUser      *self,
                 JsonBuilder *builder)
{
  g_return_if_fail (BD_IS_USER (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "displayName");
  json_builder_add_string_value (builder, self->display_name);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint role = 0; role <= BD_ROLE_USER; role++)
    {
      if ((self->roles & BD_ROLE_MASK (role)) != 0)
        json_builder_add_string_value (builder, bd_role_to_string ((BdRole) role));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}
