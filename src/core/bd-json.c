/* bd-json.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bd-error.h"
#include "bd-json.h"
#include "bd-time.h"

/* How much of an untrusted value an error message quotes, in characters. */
#define UNKNOWN_VALUE_MAX_CHARS 64

/* One step of the path from the root to the value being parsed: a member
 * name (borrowed from the parsing frame that owns it) or an array index.
 */
typedef struct
{
  const char *key;
  guint       index;
} PathStep;

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
  guint       depth;
  guint       n_steps;
  PathStep    steps[BD_JSON_MAX_DEPTH];
} Parser;

static JsonNode *parse_value (Parser  *self,
                              GError **error);

/*
 * Parser errors
 */

/* Built only when an error is reported, so that parsing costs nothing per
 * value and a long key does not get copied once for every value below it.
 */
static char *
build_path (Parser *self)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < self->n_steps; i++)
    {
      const PathStep *step = &self->steps[i];

      if (step->key != NULL)
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append (path, step->key);
        }
      else
        {
          g_string_append_printf (path, "[%u]", step->index);
        }
    }

  return g_string_free (path, FALSE);
}

/* 1-based; the column counts characters, not bytes. Everything before @pos
 * has been checked by the time an error is reported there, but the count
 * does not rely on it: it only looks at each byte once.
 */
static void
get_line_column (Parser *self,
                 gsize   pos,
                 guint  *line,
                 guint  *column)
{
  gsize l = 1;
  gsize c = 1;

  for (gsize i = 0; i < pos && i < self->length; i++)
    {
      guchar b = (guchar) self->data[i];

      if (b == '\n')
        {
          l++;
          c = 1;
        }
      else if ((b & 0xC0) != 0x80)
        {
          c++;
        }
    }

  *line = (guint) MIN (l, G_MAXUINT);
  *column = (guint) MIN (c, G_MAXUINT);
}

static void set_parse_error (Parser     *self,
                             gsize       pos,
                             GError    **error,
                             const char *format,
                             ...) G_GNUC_PRINTF (4, 5);

static void
set_parse_error (Parser     *self,
                 gsize       pos,
                 GError    **error,
                 const char *format,
                 ...)
{
  g_autofree char *path = NULL;
  g_autofree char *what = NULL;
  guint line;
  guint column;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  path = build_path (self);
  get_line_column (self, pos, &line, &column);

  /* Translators: the position of a mistake in a JSON document, followed by
   * what is wrong there, such as “line 12, column 19: expected a value”.
   */
  bd_set_invalid_error (error, path, _("line %1$u, column %2$u: %3$s"), line, column, what);
}

/* Reports what stands at the current position when it is not what the
 * grammar wants there; @expected says what was wanted.
 */
static void
set_unexpected_error (Parser     *self,
                      GError    **error,
                      const char *expected)
{
  const char *p = self->data + self->pos;
  gsize avail = self->length - self->pos;

  if (avail == 0)
    set_parse_error (self, self->pos, error, _("unexpected end of input"));
  else if (*p == '\0')
    set_parse_error (self, self->pos, error, _("unexpected NUL byte"));
  else if ((guchar) *p >= 0x80 && (gint32) g_utf8_get_char_validated (p, (gssize) avail) < 0)
    set_parse_error (self, self->pos, error, _("not valid UTF-8"));
  else
    set_parse_error (self, self->pos, error, "%s", expected);
}

/*
 * Parser
 */

static void
skip_whitespace (Parser *self)
{
  while (self->pos < self->length)
    {
      char c = self->data[self->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      self->pos++;
    }
}

static gboolean
at_char (Parser *self,
         char    c)
{
  return self->pos < self->length && self->data[self->pos] == c;
}

static gboolean
at_digit (Parser *self)
{
  return self->pos < self->length && g_ascii_isdigit (self->data[self->pos]);
}

static void
push_key (Parser     *self,
          const char *key)
{
  g_assert (self->n_steps < BD_JSON_MAX_DEPTH);
  self->steps[self->n_steps].key = key;
  self->steps[self->n_steps].index = 0;
  self->n_steps++;
}

static void
push_index (Parser *self,
            guint   index)
{
  g_assert (self->n_steps < BD_JSON_MAX_DEPTH);
  self->steps[self->n_steps].key = NULL;
  self->steps[self->n_steps].index = index;
  self->n_steps++;
}

static void
pop_step (Parser *self)
{
  g_assert (self->n_steps > 0);
  self->n_steps--;
}

static gboolean
read_hex4 (Parser   *self,
           gsize     pos,
           gunichar *value)
{
  gunichar v = 0;

  if (self->length - pos < 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (self->data[pos + i]);

      if (digit < 0)
        return FALSE;
      v = (v << 4) | (gunichar) digit;
    }

  *value = v;
  return TRUE;
}

/* At a backslash inside a string: appends the character it stands for. */
static gboolean
parse_escape (Parser   *self,
              gsize     string_start,
              GString  *out,
              GError  **error)
{
  gsize start = self->pos;
  gunichar ch;
  gunichar low;

  self->pos++;
  if (self->pos >= self->length)
    {
      set_parse_error (self, string_start, error, _("unterminated string"));
      return FALSE;
    }

  switch (self->data[self->pos])
    {
    case '"':
    case '\\':
    case '/':
      g_string_append_c (out, self->data[self->pos]);
      break;
    case 'b':
      g_string_append_c (out, '\b');
      break;
    case 'f':
      g_string_append_c (out, '\f');
      break;
    case 'n':
      g_string_append_c (out, '\n');
      break;
    case 'r':
      g_string_append_c (out, '\r');
      break;
    case 't':
      g_string_append_c (out, '\t');
      break;
    case 'u':
      if (!read_hex4 (self, self->pos + 1, &ch))
        {
          set_parse_error (self, start, error, _("invalid escape sequence"));
          return FALSE;
        }
      self->pos += 4;

      /* Every string ends up NUL-terminated in GLib. */
      if (ch == 0)
        {
          set_parse_error (self, start, error, _("“\\u0000” is not supported"));
          return FALSE;
        }

      if (ch >= 0xDC00 && ch <= 0xDFFF)
        {
          set_parse_error (self, start, error, _("unpaired surrogate in “\\u” escape"));
          return FALSE;
        }

      if (ch >= 0xD800 && ch <= 0xDBFF)
        {
          gsize next = self->pos + 1;

          if (self->length - next < 2
              || self->data[next] != '\\'
              || self->data[next + 1] != 'u'
              || !read_hex4 (self, next + 2, &low)
              || low < 0xDC00 || low > 0xDFFF)
            {
              set_parse_error (self, start, error, _("unpaired surrogate in “\\u” escape"));
              return FALSE;
            }

          ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
          self->pos += 6;
        }

      g_string_append_unichar (out, ch);
      break;
    default:
      set_parse_error (self, start, error, _("invalid escape sequence"));
      return FALSE;
    }

  self->pos++;
  return TRUE;
}

/* At an opening quote: returns the decoded string, valid UTF-8. */
static char *
parse_string (Parser  *self,
              GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize start = self->pos;

  self->pos++;

  for (;;)
    {
      const char *p;
      gsize avail;
      guchar c;

      if (self->pos >= self->length)
        {
          set_parse_error (self, start, error, _("unterminated string"));
          return NULL;
        }

      p = self->data + self->pos;
      avail = self->length - self->pos;
      c = (guchar) *p;

      if (c == '"')
        {
          self->pos++;
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
      else if (c == '\\')
        {
          if (!parse_escape (self, start, out, error))
            return NULL;
        }
      else if (c == '\0')
        {
          set_parse_error (self, self->pos, error, _("unexpected NUL byte"));
          return NULL;
        }
      else if (c < 0x20)
        {
          set_parse_error (self, self->pos, error, _("control characters must be escaped"));
          return NULL;
        }
      else if (c < 0x80)
        {
          gsize n = 1;

          /* Copy a run of plain characters at once. */
          while (n < avail && (guchar) p[n] >= 0x20 && (guchar) p[n] < 0x80
                 && p[n] != '"' && p[n] != '\\')
            n++;
          g_string_append_len (out, p, (gssize) n);
          self->pos += n;
        }
      else
        {
          /* Rejects overlong forms, surrogates and anything past U+10FFFF. */
          if ((gint32) g_utf8_get_char_validated (p, (gssize) avail) < 0)
            {
              set_parse_error (self, self->pos, error, _("not valid UTF-8"));
              return NULL;
            }
          g_string_append_len (out, p, g_utf8_skip[c]);
          self->pos += g_utf8_skip[c];
        }
    }
}

/* At a minus sign or a digit: the RFC 8259 number grammar. A number without
 * fraction or exponent is an integer and must fit in a gint64.
 */
static JsonNode *
parse_number (Parser  *self,
              GError **error)
{
  JsonNode *node;
  gsize start = self->pos;
  gboolean negative = FALSE;
  gboolean is_integer = TRUE;
  gboolean overflow = FALSE;
  guint64 magnitude = 0;
  guint64 limit;

  if (at_char (self, '-'))
    {
      negative = TRUE;
      self->pos++;
    }
  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;

  if (at_char (self, '0'))
    {
      self->pos++;
      if (at_digit (self))
        {
          set_parse_error (self, self->pos, error, _("invalid number"));
          return NULL;
        }
    }
  else if (at_digit (self))
    {
      while (at_digit (self))
        {
          guint digit = (guint) (self->data[self->pos] - '0');

          if (magnitude > (limit - digit) / 10)
            overflow = TRUE;
          else
            magnitude = magnitude * 10 + digit;
          self->pos++;
        }
    }
  else
    {
      set_parse_error (self, self->pos, error, _("invalid number"));
      return NULL;
    }

  if (at_char (self, '.'))
    {
      is_integer = FALSE;
      self->pos++;
      if (!at_digit (self))
        {
          set_parse_error (self, self->pos, error, _("invalid number"));
          return NULL;
        }
      while (at_digit (self))
        self->pos++;
    }

  if (at_char (self, 'e') || at_char (self, 'E'))
    {
      is_integer = FALSE;
      self->pos++;
      if (at_char (self, '+') || at_char (self, '-'))
        self->pos++;
      if (!at_digit (self))
        {
          set_parse_error (self, self->pos, error, _("invalid number"));
          return NULL;
        }
      while (at_digit (self))
        self->pos++;
    }

  if (is_integer)
    {
      gint64 value;

      if (overflow)
        {
          set_parse_error (self, start, error, _("number out of range"));
          return NULL;
        }

      if (!negative)
        value = (gint64) magnitude;
      else if (magnitude == (guint64) G_MAXINT64 + 1)
        value = G_MININT64;
      else
        value = -(gint64) magnitude;

      node = json_node_alloc ();
      json_node_init_int (node, value);
    }
  else
    {
      g_autofree char *text = g_strndup (self->data + start, self->pos - start);
      double value = g_ascii_strtod (text, NULL);

      if (!isfinite (value))
        {
          set_parse_error (self, start, error, _("number out of range"));
          return NULL;
        }

      node = json_node_alloc ();
      json_node_init_double (node, value);
    }

  return node;
}

static gboolean
enter_container (Parser  *self,
                 GError **error)
{
  if (self->depth >= BD_JSON_MAX_DEPTH)
    {
      set_parse_error (self, self->pos, error,
                       _("nested more than %d levels deep"), BD_JSON_MAX_DEPTH);
      return FALSE;
    }

  self->depth++;
  self->pos++;
  skip_whitespace (self);
  return TRUE;
}

static JsonNode *
parse_object (Parser  *self,
              GError **error)
{
  g_autoptr(JsonObject) object = NULL;
  JsonNode *node;

  if (!enter_container (self, error))
    return NULL;

  object = json_object_new ();

  if (at_char (self, '}'))
    {
      self->pos++;
    }
  else
    {
      for (;;)
        {
          g_autofree char *key = NULL;
          JsonNode *child;
          gsize key_start;

          skip_whitespace (self);
          if (!at_char (self, '"'))
            {
              set_unexpected_error (self, error, _("expected a key in double quotes"));
              return NULL;
            }

          key_start = self->pos;
          key = parse_string (self, error);
          if (key == NULL)
            return NULL;

          push_key (self, key);

          if (json_object_has_member (object, key))
            {
              set_parse_error (self, key_start, error, _("duplicate key"));
              return NULL;
            }

          skip_whitespace (self);
          if (!at_char (self, ':'))
            {
              set_unexpected_error (self, error, _("expected “:”"));
              return NULL;
            }
          self->pos++;
          skip_whitespace (self);

          child = parse_value (self, error);
          if (child == NULL)
            return NULL;
          json_object_set_member (object, key, child);

          pop_step (self);

          skip_whitespace (self);
          if (at_char (self, ','))
            {
              self->pos++;
              continue;
            }
          if (at_char (self, '}'))
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
parse_array (Parser  *self,
             GError **error)
{
  g_autoptr(JsonArray) array = NULL;
  JsonNode *node;

  if (!enter_container (self, error))
    return NULL;

  array = json_array_new ();

  if (at_char (self, ']'))
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
          if (at_char (self, ','))
            {
              self->pos++;
              continue;
            }
          if (at_char (self, ']'))
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
at_literal (Parser     *self,
            const char *literal)
{
  gsize len = strlen (literal);

  return self->length - self->pos >= len
         && memcmp (self->data + self->pos, literal, len) == 0;
}

/* At the first character of a value (whitespace already skipped). */
static JsonNode *
parse_value (Parser  *self,
             GError **error)
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
        g_autofree char *str = parse_string (self, error);

        if (str == NULL)
          return NULL;
        node = json_node_alloc ();
        return json_node_init_string (node, str);
      }
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return parse_number (self, error);
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
  Parser parser = { 0, };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser.data = data != NULL ? data : "";
  parser.length = length < 0 ? strlen (data) : (gsize) length;

  if (parser.length >= 3 && memcmp (parser.data, "\xEF\xBB\xBF", 3) == 0)
    {
      set_parse_error (&parser, 0, error, _("a byte order mark is not allowed"));
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

/*
 * Writer
 */

/* json-glib 1.6's JsonGenerator writes U+001F raw inside strings and turns
 * a double such as 5e50 into `5e+50.0`: both are invalid JSON that
 * bd_json_parse refuses. So the writer is ours too.
 */

static void
write_string (GString    *out,
              const char *str)
{
  const char *run = str;
  const char *p;

  g_string_append_c (out, '"');

  for (p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;
      char buf[8];

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
          if (c < 0x20)
            {
              g_snprintf (buf, sizeof buf, "\\u%04x", (guint) c);
              escape = buf;
            }
          break;
        }

      if (escape != NULL)
        {
          g_string_append_len (out, run, p - run);
          g_string_append (out, escape);
          run = p + 1;
        }
    }

  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
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

static void
write_node (GString  *out,
            JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        if (object == NULL)
          {
            g_string_append (out, "null");
            break;
          }

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
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n;

        if (array == NULL)
          {
            g_string_append (out, "null");
            break;
          }

        n = json_array_get_length (array);
        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          write_double (out, json_node_get_double (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_STRING && json_node_get_string (node) != NULL)
          write_string (out, json_node_get_string (node));
        else
          g_string_append (out, "null");
      }
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
