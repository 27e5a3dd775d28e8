/* bd-json-parser-scalars.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-json-parser-scalars"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "bd-json-parser-private.h"

/* The parser's strings and numbers: the two values whose text needs more
 * than a look at the first character.
 */

static gboolean
read_hex4 (BdJsonParser *self,
           gsize         pos,
           gunichar     *value)
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

/* At the `u` of `\uXXXX` (@start at its backslash): appends the character,
 * reading the low half of a surrogate pair too. Leaves the position at the
 * last hex digit read.
 */
static gboolean
parse_unicode_escape (BdJsonParser  *self,
                      gsize          start,
                      GString       *out,
                      GError       **error)
{
  gunichar ch;
  gunichar low;

  if (!read_hex4 (self, self->pos + 1, &ch))
    {
      _bd_json_parser_set_error (self, start, error, _("invalid escape sequence"));
      return FALSE;
    }
  self->pos += 4;

  /* Every string ends up NUL-terminated in GLib. */
  if (ch == 0)
    {
      _bd_json_parser_set_error (self, start, error, _("“\\u0000” is not supported"));
      return FALSE;
    }

  if (ch >= 0xDC00 && ch <= 0xDFFF)
    {
      _bd_json_parser_set_error (self, start, error, _("unpaired surrogate in “\\u” escape"));
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
          _bd_json_parser_set_error (self, start, error,
                                     _("unpaired surrogate in “\\u” escape"));
          return FALSE;
        }

      ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
      self->pos += 6;
    }

  g_string_append_unichar (out, ch);
  return TRUE;
}

/* At a backslash inside a string: appends the character it stands for. */
static gboolean
parse_escape (BdJsonParser  *self,
              gsize          string_start,
              GString       *out,
              GError       **error)
{
  gsize start = self->pos;

  self->pos++;
  if (self->pos >= self->length)
    {
      _bd_json_parser_set_error (self, string_start, error, _("unterminated string"));
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
      if (!parse_unicode_escape (self, start, out, error))
        return FALSE;
      break;
    default:
      _bd_json_parser_set_error (self, start, error, _("invalid escape sequence"));
      return FALSE;
    }

  self->pos++;
  return TRUE;
}

/* Most strings (keys, ids, dates) are plain ASCII without an escape: at
 * an opening quote, such a string in one copy, without a GString (a page
 * of the list has ~20,000); NULL, and nothing read, for any other.
 */
static char *
parse_plain_string (BdJsonParser *self)
{
  gsize start = self->pos;
  gsize end = start + 1;

  while (end < self->length && (guchar) self->data[end] >= 0x20 &&
         (guchar) self->data[end] < 0x80 && self->data[end] != '"' && self->data[end] != '\\')
    end++;
  if (end >= self->length || self->data[end] != '"')
    return NULL;

  self->pos = end + 1;
  return g_strndup (self->data + start + 1, end - start - 1);
}

/**
 * _bd_json_parse_string:
 *
 * At an opening quote: the decoded string, valid UTF-8.
 *
 * Returns: (transfer full) (nullable): the string
 */
char *
_bd_json_parse_string (BdJsonParser  *self,
                       GError       **error)
{
  g_autoptr(GString) out = NULL;
  gsize start = self->pos;
  char *plain = parse_plain_string (self);

  if (plain != NULL)
    return plain;

  out = g_string_new (NULL);
  self->pos++;

  for (;;)
    {
      const char *p;
      gsize avail;
      guchar c;

      if (self->pos >= self->length)
        {
          _bd_json_parser_set_error (self, start, error, _("unterminated string"));
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
          _bd_json_parser_set_error (self, self->pos, error, _("unexpected NUL byte"));
          return NULL;
        }
      else if (c < 0x20)
        {
          _bd_json_parser_set_error (self, self->pos, error,
                                     _("control characters must be escaped"));
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
              _bd_json_parser_set_error (self, self->pos, error, _("not valid UTF-8"));
              return NULL;
            }
          g_string_append_len (out, p, g_utf8_skip[c]);
          self->pos += g_utf8_skip[c];
        }
    }
}

/* The integer part of a number, after its sign: one 0, or digits without a
 * leading zero. @magnitude gets their value unless it passes @limit.
 */
static gboolean
scan_integer_part (BdJsonParser  *self,
                   guint64        limit,
                   guint64       *magnitude,
                   gboolean      *overflow,
                   GError       **error)
{
  if (_bd_json_parser_at_char (self, '0'))
    {
      self->pos++;
      if (!_bd_json_parser_at_digit (self))
        return TRUE;
    }
  else if (_bd_json_parser_at_digit (self))
    {
      while (_bd_json_parser_at_digit (self))
        {
          guint digit = (guint) (self->data[self->pos] - '0');

          if (*magnitude > (limit - digit) / 10)
            *overflow = TRUE;
          else
            *magnitude = *magnitude * 10 + digit;
          self->pos++;
        }
      return TRUE;
    }

  _bd_json_parser_set_error (self, self->pos, error, _("invalid number"));
  return FALSE;
}

/* At least one digit. */
static gboolean
scan_digits (BdJsonParser  *self,
             GError       **error)
{
  if (!_bd_json_parser_at_digit (self))
    {
      _bd_json_parser_set_error (self, self->pos, error, _("invalid number"));
      return FALSE;
    }
  while (_bd_json_parser_at_digit (self))
    self->pos++;
  return TRUE;
}

/* The optional fraction and exponent; @is_integer stays TRUE without both. */
static gboolean
scan_fraction_and_exponent (BdJsonParser  *self,
                            gboolean      *is_integer,
                            GError       **error)
{
  if (_bd_json_parser_at_char (self, '.'))
    {
      *is_integer = FALSE;
      self->pos++;
      if (!scan_digits (self, error))
        return FALSE;
    }

  if (_bd_json_parser_at_char (self, 'e') || _bd_json_parser_at_char (self, 'E'))
    {
      *is_integer = FALSE;
      self->pos++;
      if (_bd_json_parser_at_char (self, '+') || _bd_json_parser_at_char (self, '-'))
        self->pos++;
      if (!scan_digits (self, error))
        return FALSE;
    }

  return TRUE;
}

/* The double that the text from @start to the current position stands for. */
static JsonNode *
make_double_node (BdJsonParser  *self,
                  gsize          start,
                  GError       **error)
{
  g_autofree char *text = g_strndup (self->data + start, self->pos - start);
  double value = g_ascii_strtod (text, NULL);
  JsonNode *node;

  if (!isfinite (value))
    {
      _bd_json_parser_set_error (self, start, error, _("number out of range"));
      return NULL;
    }

  node = json_node_alloc ();
  return json_node_init_double (node, value);
}

/**
 * _bd_json_parse_number:
 *
 * At a minus sign or a digit: the RFC 8259 number grammar. A number without
 * fraction or exponent is an integer and must fit in a gint64.
 *
 * Returns: (transfer full) (nullable): the number
 */
JsonNode *
_bd_json_parse_number (BdJsonParser  *self,
                       GError       **error)
{
  JsonNode *node;
  gsize start = self->pos;
  gboolean negative = FALSE;
  gboolean is_integer = TRUE;
  gboolean overflow = FALSE;
  guint64 magnitude = 0;
  guint64 limit;
  gint64 value;

  if (_bd_json_parser_at_char (self, '-'))
    {
      negative = TRUE;
      self->pos++;
    }
  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;

  if (!scan_integer_part (self, limit, &magnitude, &overflow, error) ||
      !scan_fraction_and_exponent (self, &is_integer, error))
    return NULL;

  if (!is_integer)
    return make_double_node (self, start, error);

  if (overflow)
    {
      _bd_json_parser_set_error (self, start, error, _("number out of range"));
      return NULL;
    }

  if (!negative)
    value = (gint64) magnitude;
  else if (magnitude == (guint64) G_MAXINT64 + 1)
    value = G_MININT64;
  else
    value = -(gint64) magnitude;

  node = json_node_alloc ();
  return json_node_init_int (node, value);
}
