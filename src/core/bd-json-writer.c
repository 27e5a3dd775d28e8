/* bd-json-writer.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-json-writer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "bd-json.h"
#include "bd-time.h"

/*
 * Writer
 */

/* json-glib 1.6's JsonGenerator writes U+001F raw inside strings and turns
 * a double such as 5e50 into `5e+50.0`: both are invalid JSON that
 * bd_json_parse refuses. So the writer is ours too.
 */

/* The bytes a JSON string must escape: '"', '\\' and the controls. */
static inline gboolean
needs_escape (guchar c)
{
  return c < 0x20 || c == '"' || c == '\\';
}

static void
write_string (GString    *out,
              const char *str)
{
  const char *run = str;
  const char *p;

  bd_json_put (out, "\"", 1);

  for (p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;
      char buf[8];

      if (G_LIKELY (!needs_escape (c)))
        continue;

      switch (c)
        {
        case '"':
          escape = "\\\"";
          break;
        case '\\':
          escape = "\\\\";
          break;
        case '\b':
          escape = "\\b";
          break;
        case '\f':
          escape = "\\f";
          break;
        case '\n':
          escape = "\\n";
          break;
        case '\r':
          escape = "\\r";
          break;
        case '\t':
          escape = "\\t";
          break;
        default:
          g_snprintf (buf, sizeof buf, "\\u%04x", (guint) c);
          escape = buf;
          break;
        }

      bd_json_put (out, run, p - run);
      g_string_append (out, escape);
      run = p + 1;
    }

  bd_json_put (out, run, p - run);
  bd_json_put (out, "\"", 1);
}

/* The shortest of %.15g, %.16g and %.17g that reads back as the same
 * double, always with a fraction or an exponent so that it stays a double.
 */
static void
write_double (GString *out,
              double   value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      /* JSON has no NaN or infinity; bd_json_parse never produces them. */
      g_string_append (out, "null");
      return;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void write_node (GString  *out,
                        JsonNode *node);

static void
write_object (GString    *out,
              JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      write_string (out, name);
      g_string_append_c (out, ':');
      write_node (out, member);
    }
  g_string_append_c (out, '}');
}

static void
write_array (GString   *out,
             JsonArray *array)
{
  guint n = json_array_get_length (array);

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      write_node (out, json_array_get_element (array, i));
    }
  g_string_append_c (out, ']');
}

static void
write_value (GString  *out,
             JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_INT64)
    bd_json_append_int (out, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    write_double (out, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
  else if (type == G_TYPE_STRING && json_node_get_string (node) != NULL)
    write_string (out, json_node_get_string (node));
  else
    g_string_append (out, "null");
}

static void
write_node (GString  *out,
            JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      if (json_node_get_object (node) != NULL)
        write_object (out, json_node_get_object (node));
      else
        g_string_append (out, "null");
      break;

    case JSON_NODE_ARRAY:
      if (json_node_get_array (node) != NULL)
        write_array (out, json_node_get_array (node));
      else
        g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      write_value (out, node);
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/**
 * bd_json_to_data:
 * @node: a node
 * @length: (out) (optional): the length of the result in bytes
 *
 * Writes @node as compact JSON that bd_json_parse () reads back as the same
 * tree. Strings are expected to be valid UTF-8 without NUL, as everywhere
 * in json-glib.
 *
 * Returns: (transfer full): @node as compact JSON
 */
char *
bd_json_to_data (JsonNode *node,
                 gsize    *length)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_new (NULL);
  write_node (out, node);

  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}


/**
 * bd_json_append_string:
 * @str: UTF-8 text
 *
 * Appends @str as a JSON string, escaped exactly as bd_json_to_data ()
 * writes strings: for writers that build a document as text.
 */
void
bd_json_append_string (GString    *out,
                       const char *str)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (str != NULL);

  write_string (out, str);
}

/**
 * bd_json_append_int:
 *
 * Appends @value in decimal, as `"%" G_GINT64_FORMAT` writes it, without
 * printf: the service's list writes a few a row.
 */
void
bd_json_append_int (GString *out,
                    gint64   value)
{
  char digits[24];
  char *p = digits + sizeof digits;
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  g_return_if_fail (out != NULL);

  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    *--p = '-';

  bd_json_put (out, p, digits + sizeof digits - p);
}

/**
 * bd_json_add_time_member:
 * @value: a time, or %BD_TIME_NONE for null
 *
 * Adds the member @key to the object @builder is in: @value in RFC 3339.
 */
void
bd_json_add_time_member (JsonBuilder *builder,
                         const char  *key,
                         gint64       value)
{
  json_builder_set_member_name (builder, key);
  if (value == BD_TIME_NONE)
    {
      json_builder_add_null_value (builder);
    }
  else
    {
      g_autofree char *text = bd_time_format (value);

      json_builder_add_string_value (builder, text);
    }
}
