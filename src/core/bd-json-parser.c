/* bd-json-parser.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-json-parser"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bd-json-parser-private.h"

static JsonNode *parse_value (BdJsonParser  *self,
                              GError       **error);

/*
 * Errors
 */

/* Reports what stands at the current position when it is not what the
 * grammar wants there; @expected says what was wanted.
 */
static void
set_unexpected_error (BdJsonParser  *self,
                      GError       **error,
                      const char    *expected)
{
  const char *p = self->data + self->pos;
  gsize avail = self->length - self->pos;

  if (avail == 0)
    _bd_json_parser_set_error (self, self->pos, error, _("unexpected end of input"));
  else if (*p == '\0')
    _bd_json_parser_set_error (self, self->pos, error, _("unexpected NUL byte"));
  else if ((guchar) *p >= 0x80 && (gint32) g_utf8_get_char_validated (p, (gssize) avail) < 0)
    _bd_json_parser_set_error (self, self->pos, error, _("not valid UTF-8"));
  else
    _bd_json_parser_set_error (self, self->pos, error, "%s", expected);
}

/*
 * Position and path
 */

static void
skip_whitespace (BdJsonParser *self)
{
  while (self->pos < self->length)
    {
      char c = self->data[self->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      self->pos++;
    }
}

static void
push_key (BdJsonParser *self,
          const char   *key)
{
  g_assert (self->n_steps < BD_JSON_MAX_DEPTH);
  self->steps[self->n_steps].key = key;
  self->steps[self->n_steps].index = 0;
  self->n_steps++;
}

static void
push_index (BdJsonParser *self,
            guint         index)
{
  g_assert (self->n_steps < BD_JSON_MAX_DEPTH);
  self->steps[self->n_steps].key = NULL;
  self->steps[self->n_steps].index = index;
  self->n_steps++;
}

static void
pop_step (BdJsonParser *self)
{
  g_assert (self->n_steps > 0);
  self->n_steps--;
}

static gboolean
enter_container (BdJsonParser  *self,
                 GError       **error)
{
  if (self->depth >= BD_JSON_MAX_DEPTH)
    {
      _bd_json_parser_set_error (self, self->pos, error,
                       _("nested more than %d levels deep"), BD_JSON_MAX_DEPTH);
      return FALSE;
    }

  self->depth++;
  self->pos++;
  skip_whitespace (self);
  return TRUE;
}

/* At a member's key: reads `"key": value` into @object. */
static gboolean
parse_member (BdJsonParser  *self,
              JsonObject    *object,
              GError       **error)
{
  g_autofree char *key = NULL;
  JsonNode *child;
  gsize key_start;

  if (!_bd_json_parser_at_char (self, '"'))
    {
      set_unexpected_error (self, error, _("expected a key in double quotes"));
      return FALSE;
    }

  key_start = self->pos;
  key = _bd_json_parse_string (self, error);
  if (key == NULL)
    return FALSE;

  push_key (self, key);

  if (json_object_has_member (object, key))
    {
      _bd_json_parser_set_error (self, key_start, error, _("duplicate key"));
      return FALSE;
    }

  skip_whitespace (self);
  if (!_bd_json_parser_at_char (self, ':'))
    {
      set_unexpected_error (self, error, _("expected “:”"));
      return FALSE;
    }
  self->pos++;
  skip_whitespace (self);

  child = parse_value (self, error);
  if (child == NULL)
    return FALSE;
  json_object_set_member (object, key, child);

  pop_step (self);
  return TRUE;
}

static JsonNode *
parse_object (BdJsonParser  *self,
              GError       **error)
{
  g_autoptr(JsonObject) object = NULL;
  JsonNode *node;

  if (!enter_container (self, error))
    return NULL;

  object = json_object_new ();

  if (_bd_json_parser_at_char (self, '}'))
    {
      self->pos++;
    }
  else
    {
      for (;;)
        {
          skip_whitespace (self);
          if (!parse_member (self, object, error))
            return NULL;

          skip_whitespace (self);
          if (_bd_json_parser_at_char (self, ','))
            {
              self->pos++;
              continue;
            }
          if (_bd_json_parser_at_char (self, '}'))
            {
              self->pos++;
              break;
            }

          set_unexpected_error (self, error, _("expected “,” or “}”"));
          return NULL;
        }
    }

  self->depth--;

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, g_steal_pointer (&object));
  return node;
}

static JsonNode *
parse_array (BdJsonParser  *self,
             GError       **error)
{
  g_autoptr(JsonArray) array = NULL;
  JsonNode *node;

  if (!enter_container (self, error))
    return NULL;

  array = json_array_new ();

  if (_bd_json_parser_at_char (self, ']'))
    {
      self->pos++;
    }
  else
    {
      for (guint index = 0; ; index++)
        {
          JsonNode *child;

          push_index (self, index);

          skip_whitespace (self);
          child = parse_value (self, error);
          if (child == NULL)
            return NULL;
          json_array_add_element (array, child);

          pop_step (self);

          skip_whitespace (self);
          if (_bd_json_parser_at_char (self, ','))
            {
              self->pos++;
              continue;
            }
          if (_bd_json_parser_at_char (self, ']'))
            {
              self->pos++;
              break;
            }

          set_unexpected_error (self, error, _("expected “,” or “]”"));
          return NULL;
        }
    }

  self->depth--;

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, g_steal_pointer (&array));
  return node;
}

static gboolean
at_literal (BdJsonParser *self,
            const char   *literal)
{
  gsize len = strlen (literal);

  return self->length - self->pos >= len
         && memcmp (self->data + self->pos, literal, len) == 0;
}

/* At the first character of a value (whitespace already skipped). */
static JsonNode *
parse_value (BdJsonParser  *self,
             GError       **error)
{
  JsonNode *node;

  if (self->pos >= self->length)
    {
      set_unexpected_error (self, error, _("expected a value"));
      return NULL;
    }

  switch (self->data[self->pos])
    {
    case '{':
      return parse_object (self, error);
    case '[':
      return parse_array (self, error);
    case '"':
      {
        g_autofree char *str = _bd_json_parse_string (self, error);

        if (str == NULL)
          return NULL;
        node = json_node_alloc ();
        return json_node_init_string (node, str);
      }
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return _bd_json_parse_number (self, error);
    default:
      break;
    }

  if (at_literal (self, "true") || at_literal (self, "false"))
    {
      gboolean value = self->data[self->pos] == 't';

      self->pos += value ? 4 : 5;
      node = json_node_alloc ();
      return json_node_init_boolean (node, value);
    }

  if (at_literal (self, "null"))
    {
      self->pos += 4;
      node = json_node_alloc ();
      return json_node_init_null (node);
    }

  set_unexpected_error (self, error, _("expected a value"));
  return NULL;
}

/**
 * bd_json_parse:
 * @data: the document
 * @length: the length of @data in bytes, or -1 if it is NUL-terminated
 * @error: return location for a %BD_CORE_ERROR_INVALID
 *
 * Parses exactly one RFC 8259 JSON value, more strictly than json-glib:
 * duplicate keys, integers outside gint64, `\u0000`, unpaired surrogates,
 * invalid UTF-8, a byte order mark and nesting deeper than
 * %BD_JSON_MAX_DEPTH are errors. The error names the path of the value
 * and the line and column of the mistake.
 *
 * Returns: (transfer full) (nullable): the root node, or %NULL on error
 */
JsonNode *
bd_json_parse (const char  *data,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  BdJsonParser parser = { 0, };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser.data = data != NULL ? data : "";
  parser.length = length < 0 ? strlen (data) : (gsize) length;

  if (parser.length >= 3 && memcmp (parser.data, "\xEF\xBB\xBF", 3) == 0)
    {
      _bd_json_parser_set_error (&parser, 0, error, _("a byte order mark is not allowed"));
      return NULL;
    }

  skip_whitespace (&parser);
  root = parse_value (&parser, error);
  if (root == NULL)
    return NULL;

  skip_whitespace (&parser);
  if (parser.pos < parser.length)
    {
      set_unexpected_error (&parser, error, _("unexpected text after the value"));
      return NULL;
    }

  return g_steal_pointer (&root);
}
