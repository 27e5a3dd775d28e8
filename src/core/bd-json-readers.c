/* bd-json-readers.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-json-readers"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bd-error.h"
#include "bd-json.h"
#include "bd-time.h"

/* How much of an untrusted value an error message quotes, in characters. */
#define UNKNOWN_VALUE_MAX_CHARS 64

/*
 * Paths
 */

/**
 * bd_json_path_member:
 * @parent: (nullable): the path of the object, %NULL or "" for the root
 * @key: a member name
 *
 * Returns: (transfer full): `key` or `parent.key`
 */
char *
bd_json_path_member (const char *parent,
                     const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  if (parent == NULL || *parent == '\0')
    return g_strdup (key);

  return g_strconcat (parent, ".", key, NULL);
}

/**
 * bd_json_path_index:
 * @parent: (nullable): the path of the array, %NULL or "" for the root
 * @index: an element index
 *
 * Returns: (transfer full): `parent[index]`
 */
char *
bd_json_path_index (const char *parent,
                    guint       index)
{
  return g_strdup_printf ("%s[%u]", parent != NULL ? parent : "", index);
}

/*
 * Readers
 */

static void
set_member_error (GError     **error,
                  const char  *parent,
                  const char  *key,
                  const char  *message)
{
  g_autofree char *path = bd_json_path_member (parent, key);

  bd_set_invalid_error (error, path, "%s", message);
}

/* Looks up @key. Returns FALSE with @error set when it is absent but
 * required. Otherwise returns TRUE and sets @node to the member, or to %NULL
 * when the caller has nothing to read: absent, or null and nullable (then
 * @is_null is TRUE). A null that is not nullable is returned as a node, for
 * the caller's type check to refuse.
 */
static gboolean
lookup_member (JsonObject   *object,
               const char   *parent,
               const char   *key,
               BdJsonFlags   flags,
               JsonNode    **node,
               gboolean     *is_null,
               GError      **error)
{
  JsonNode *member = json_object_get_member (object, key);

  *node = NULL;
  *is_null = FALSE;

  if (member == NULL)
    {
      if (flags & BD_JSON_REQUIRED)
        {
          set_member_error (error, parent, key, _("this key is required"));
          return FALSE;
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_NULL (member) && (flags & BD_JSON_NULLABLE))
    {
      *is_null = TRUE;
      return TRUE;
    }

  *node = member;
  return TRUE;
}

static gboolean
holds_value_type (JsonNode *node,
                  GType     type)
{
  return node != NULL
         && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == type;
}

static gboolean
check_known_keys (JsonObject         *object,
                  const char         *path,
                  const char * const *known_keys,
                  GError            **error)
{
  JsonObjectIter iter;
  const char *name;

  if (known_keys == NULL)
    return TRUE;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, NULL))
    {
      if (!g_strv_contains (known_keys, name))
        {
          g_autofree char *member_path = bd_json_path_member (path, name);

          bd_set_invalid_error (error, member_path, _("unknown key"));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * bd_json_expect_object:
 * @node: (nullable): a node
 * @path: (nullable): the path of @node
 * @known_keys: (nullable) (array zero-terminated=1): the only member names
 *   allowed, or %NULL to allow any
 * @error: return location for a %BD_CORE_ERROR_INVALID
 *
 * Returns: (transfer none) (nullable): the object held by @node
 */
JsonObject *
bd_json_expect_object (JsonNode            *node,
                       const char          *path,
                       const char * const  *known_keys,
                       GError             **error)
{
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      bd_set_invalid_error (error, path, _("expected an object"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (!check_known_keys (object, path, known_keys, error))
    return NULL;

  return object;
}

/**
 * bd_json_read_string:
 * @value: (out) (transfer none): the string, set to %NULL for a nullable null
 *   and left alone when the member is absent
 *
 * Reads the string member @key of @object, whose path is @parent.
 */
gboolean
bd_json_read_string (JsonObject   *object,
                     const char   *parent,
                     const char   *key,
                     BdJsonFlags   flags,
                     const char  **value,
                     GError      **error)
{
  JsonNode *node;
  gboolean is_null;
  const char *str;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!lookup_member (object, parent, key, flags, &node, &is_null, error))
    return FALSE;
  if (is_null)
    *value = NULL;
  if (node == NULL)
    return TRUE;

  if (!holds_value_type (node, G_TYPE_STRING))
    {
      set_member_error (error, parent, key, _("expected a string"));
      return FALSE;
    }

  str = json_node_get_string (node);
  if ((flags & BD_JSON_NON_EMPTY) && (str == NULL || *str == '\0'))
    {
      set_member_error (error, parent, key, _("must not be empty"));
      return FALSE;
    }

  *value = str;
  return TRUE;
}

/**
 * bd_json_read_int:
 * @value: (out): the integer, left alone when the member is absent or a
 *   nullable null
 *
 * Reads the integer member @key of @object, from @min to @max. A number with
 * a fraction or an exponent (`3.0`, `1e2`) is not an integer.
 */
gboolean
bd_json_read_int (JsonObject   *object,
                  const char   *parent,
                  const char   *key,
                  BdJsonFlags   flags,
                  gint64        min,
                  gint64        max,
                  gint64       *value,
                  GError      **error)
{
  JsonNode *node;
  gboolean is_null;
  gint64 v;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!lookup_member (object, parent, key, flags, &node, &is_null, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!holds_value_type (node, G_TYPE_INT64))
    {
      set_member_error (error, parent, key, _("expected an integer"));
      return FALSE;
    }

  v = json_node_get_int (node);
  if (v < min || v > max)
    {
      g_autofree char *path = bd_json_path_member (parent, key);
      g_autofree char *min_str = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *max_str = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      /* Translators: the allowed range of a number, such as “must be from 1
       * to 100000”.
       */
      bd_set_invalid_error (error, path, _("must be from %1$s to %2$s"), min_str, max_str);
      return FALSE;
    }

  *value = v;
  return TRUE;
}

/**
 * bd_json_read_bool:
 * @value: (out): the boolean, left alone when the member is absent or a
 *   nullable null
 */
gboolean
bd_json_read_bool (JsonObject   *object,
                   const char   *parent,
                   const char   *key,
                   BdJsonFlags   flags,
                   gboolean     *value,
                   GError      **error)
{
  JsonNode *node;
  gboolean is_null;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!lookup_member (object, parent, key, flags, &node, &is_null, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!holds_value_type (node, G_TYPE_BOOLEAN))
    {
      set_member_error (error, parent, key, _("expected true or false"));
      return FALSE;
    }

  *value = json_node_get_boolean (node);
  return TRUE;
}

/**
 * bd_json_read_time:
 * @now: the time that `now` stands for, with %BD_JSON_RELATIVE
 * @value: (out): seconds since the epoch, left alone when the member is
 *   absent or a nullable null
 *
 * Reads a time string: RFC 3339 UTC, or with %BD_JSON_RELATIVE also a time
 * relative to @now such as `now-3d`.
 */
gboolean
bd_json_read_time (JsonObject   *object,
                   const char   *parent,
                   const char   *key,
                   BdJsonFlags   flags,
                   gint64        now,
                   gint64       *value,
                   GError      **error)
{
  JsonNode *node;
  gboolean is_null;
  const char *str = NULL;
  gboolean ok = FALSE;
  gint64 v = 0;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!lookup_member (object, parent, key, flags, &node, &is_null, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (holds_value_type (node, G_TYPE_STRING))
    str = json_node_get_string (node);

  if (str != NULL)
    {
      if ((flags & BD_JSON_RELATIVE) && g_str_has_prefix (str, "now"))
        ok = bd_time_parse_relative (str, now, &v);
      else
        ok = bd_time_parse_rfc3339 (str, &v);
    }

  if (!ok)
    {
      if (flags & BD_JSON_RELATIVE)
        set_member_error (error, parent, key,
                          _("not a valid time (such as 2026-11-03T00:00:00Z or now-3d)"));
      else
        set_member_error (error, parent, key,
                          _("not a valid time (RFC 3339 UTC, such as 2026-11-03T00:00:00Z)"));
      return FALSE;
    }

  *value = v;
  return TRUE;
}

/**
 * bd_json_read_array:
 * @value: (out) (transfer none): the array, set to %NULL for a nullable null
 *   and left alone when the member is absent
 */
gboolean
bd_json_read_array (JsonObject   *object,
                    const char   *parent,
                    const char   *key,
                    BdJsonFlags   flags,
                    JsonArray   **value,
                    GError      **error)
{
  JsonNode *node;
  gboolean is_null;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!lookup_member (object, parent, key, flags, &node, &is_null, error))
    return FALSE;
  if (is_null)
    *value = NULL;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_member_error (error, parent, key, _("expected an array"));
      return FALSE;
    }

  *value = json_node_get_array (node);
  return TRUE;
}

/**
 * bd_json_read_object:
 * @known_keys: (nullable) (array zero-terminated=1): the only member names
 *   the object may have, or %NULL to allow any
 * @value: (out) (transfer none): the object, set to %NULL for a nullable
 *   null and left alone when the member is absent
 */
gboolean
bd_json_read_object (JsonObject          *object,
                     const char          *parent,
                     const char          *key,
                     BdJsonFlags          flags,
                     const char * const  *known_keys,
                     JsonObject         **value,
                     GError             **error)
{
  g_autofree char *path = NULL;
  JsonNode *node;
  gboolean is_null;
  JsonObject *result;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!lookup_member (object, parent, key, flags, &node, &is_null, error))
    return FALSE;
  if (is_null)
    *value = NULL;
  if (node == NULL)
    return TRUE;

  path = bd_json_path_member (parent, key);
  result = bd_json_expect_object (node, path, known_keys, error);
  if (result == NULL)
    return FALSE;

  *value = result;
  return TRUE;
}

/**
 * bd_json_expect_string:
 * @node: (nullable): a node
 * @path: (nullable): the path of @node
 *
 * Returns: (transfer none) (nullable): the string held by @node
 */
const char *
bd_json_expect_string (JsonNode    *node,
                       const char  *path,
                       GError     **error)
{
  if (!holds_value_type (node, G_TYPE_STRING))
    {
      bd_set_invalid_error (error, path, _("expected a string"));
      return NULL;
    }

  return json_node_get_string (node);
}

/**
 * bd_json_set_unknown_value:
 * @path: (nullable): the path of the value
 * @value: (nullable): the value as read, untrusted
 *
 * Sets an error for a string that is not one of the words allowed there,
 * quoting the start of it with anything unprintable escaped.
 */
void
bd_json_set_unknown_value (GError     **error,
                           const char  *path,
                           const char  *value)
{
  g_autofree char *head = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *shown = NULL;
  gboolean cut = FALSE;

  if (value == NULL)
    value = "";

  if (g_utf8_validate (value, -1, NULL))
    {
      char exceptions[129];

      /* Cut on a character boundary before escaping, so that no escape is
       * cut in half; keep the non-ASCII characters themselves.
       */
      if (g_utf8_strlen (value, -1) > UNKNOWN_VALUE_MAX_CHARS)
        {
          head = g_utf8_substring (value, 0, UNKNOWN_VALUE_MAX_CHARS);
          cut = TRUE;
        }
      else
        {
          head = g_strdup (value);
        }

      for (guint i = 0; i < 128; i++)
        exceptions[i] = (char) (0x80 + i);
      exceptions[128] = '\0';

      escaped = g_strescape (head, exceptions);
    }
  else
    {
      cut = strlen (value) > UNKNOWN_VALUE_MAX_CHARS;
      head = g_strndup (value, UNKNOWN_VALUE_MAX_CHARS);
      escaped = g_strescape (head, NULL);
    }

  shown = cut ? g_strconcat (escaped, "…", NULL) : g_steal_pointer (&escaped);

  bd_set_invalid_error (error, path, _("unknown value “%s”"), shown);
}
