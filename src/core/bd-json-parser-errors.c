/* bd-json-parser-errors.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-json-parser-errors"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bd-error.h"
#include "bd-json-parser-private.h"

/* A parse error names the path of the value being parsed and the line and
 * column of the mistake: both are worked out here, only when it happens.
 */

/* Built only when an error is reported, so that parsing costs nothing per
 * value and a long key does not get copied once for every value below it.
 */
static char *
build_path (BdJsonParser *self)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < self->n_steps; i++)
    {
      const BdJsonPathStep *step = &self->steps[i];

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
get_line_column (BdJsonParser *self,
                 gsize         pos,
                 guint        *line,
                 guint        *column)
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

/**
 * _bd_json_parser_set_error:
 * @pos: where the mistake is, a byte offset
 *
 * Sets a %BD_CORE_ERROR_INVALID naming the path of the value being parsed
 * and the line and column of @pos.
 */
void
_bd_json_parser_set_error (BdJsonParser  *self,
                           gsize          pos,
                           GError       **error,
                           const char    *format,
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
