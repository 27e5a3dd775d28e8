/* bd-test-csv.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bd-test-csv.h"

/* A CSV reader for the tests, written apart from the app's writer
 * (src/core/bd-csv-writer.c) and sharing nothing with it, so that a mistake
 * in one is not repeated in the other: an RFC 4180 state machine, strict
 * where the writer promises (a byte-order mark first, CRLF after every row,
 * no bare CR or LF outside quotes, quotes only around a whole field, the
 * text valid UTF-8).
 */

typedef enum
{
  FIELD_START,     /* nothing of the field read yet */
  UNQUOTED,        /* in a field that did not begin with a quote */
  QUOTED,          /* in a quoted field */
  QUOTED_QUOTE,    /* a quote in a quoted field: its end, or the first of two */
  ROW_CR,          /* a CR outside quotes: a LF must follow */
} State;

static gboolean
fail (GError    **error,
      gsize       offset,
      const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "CSV byte %" G_GSIZE_FORMAT ": %s",
               offset, what);
  return FALSE;
}

static void
end_field (GPtrArray *row,
           GString   *field)
{
  g_ptr_array_add (row, g_strndup (field->str, field->len));
  g_string_truncate (field, 0);
}

/* The row's fields go into @rows as a GStrv; @row is left empty. */
static void
end_row (GPtrArray *rows,
         GPtrArray *row)
{
  g_ptr_array_add (row, NULL);
  g_ptr_array_add (rows, g_ptr_array_steal (row, NULL));
}

/* Runs the machine over the bytes; the rows go into @rows. */
static gboolean
read_rows (const char *data,
           gsize       length,
           gsize       start,
           char        separator,
           GPtrArray  *rows,
           GError    **error)
{
  g_autoptr(GString) field = g_string_new (NULL);
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  State state = FIELD_START;
  gboolean row_open = FALSE;

  for (gsize i = start; i < length; i++)
    {
      char c = data[i];

      switch (state)
        {
        case FIELD_START:
        case UNQUOTED:
          row_open = TRUE;
          if (c == '"' && state == FIELD_START)
            state = QUOTED;
          else if (c == '"')
            return fail (error, i, "a quote inside an unquoted field");
          else if (c == separator)
            {
              end_field (row, field);
              state = FIELD_START;
            }
          else if (c == '\r')
            state = ROW_CR;
          else if (c == '\n')
            return fail (error, i, "a LF without its CR");
          else
            {
              g_string_append_c (field, c);
              state = UNQUOTED;
            }
          break;

        case QUOTED:
          if (c == '"')
            state = QUOTED_QUOTE;
          else
            g_string_append_c (field, c);
          break;

        case QUOTED_QUOTE:
          if (c == '"')
            {
              g_string_append_c (field, '"');
              state = QUOTED;
            }
          else if (c == separator)
            {
              end_field (row, field);
              state = FIELD_START;
            }
          else if (c == '\r')
            state = ROW_CR;
          else
            return fail (error, i, "text after a quoted field's closing quote");
          break;

        case ROW_CR:
          if (c != '\n')
            return fail (error, i, "a CR without its LF outside quotes");
          end_field (row, field);
          end_row (rows, row);
          row_open = FALSE;
          state = FIELD_START;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (state == QUOTED)
    return fail (error, length, "a quoted field not closed");
  if (row_open || state != FIELD_START)
    return fail (error, length, "the last row without its CRLF");

  return TRUE;
}

/**
 * bd_test_csv_parse:
 * @separator: ',' or ';'
 *
 * Reads CSV as RFC 4180 writes it, after a UTF-8 byte-order mark.
 *
 * Returns: (transfer full): the rows, each a GStrv of its fields (free with
 *   g_ptr_array_unref), or %NULL and @error set
 */
GPtrArray *
bd_test_csv_parse (const char  *data,
                   gsize        length,
                   char         separator,
                   GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (length < 3 || memcmp (data, "\xef\xbb\xbf", 3) != 0)
    {
      fail (error, 0, "no UTF-8 byte-order mark");
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      fail (error, 0, "not UTF-8");
      return NULL;
    }
  if (!read_rows (data, length, 3, separator, rows, error))
    return NULL;

  return g_steal_pointer (&rows);
}
