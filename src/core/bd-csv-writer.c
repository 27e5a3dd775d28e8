/* bd-csv-writer.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-csv-writer"

#include "config.h"

#include <string.h>

#include "bd-core-types.h"
#include "bd-csv-writer.h"
#include "bd-json.h"
#include "bd-time.h"

/* CSV as an export writes it (docs/design.md, "Export"): RFC 4180 with CRLF
 * line ends, UTF-8 after a byte-order mark (so that spreadsheet programs read
 * Danish letters right), a field quoted when it holds the separator, a quote,
 * a CR or a LF, its quotes doubled. A text field that begins with `=`, `+`,
 * `-`, `@`, a tab or a CR gets a leading apostrophe, so that no spreadsheet
 * takes it for a formula; numbers are written as numbers and never escaped.
 */

struct _BdCsvWriter
{
  GString *out;
  char     separator;
  char     decimal_point;
  gboolean row_started;  /* a field of the row is written: the next needs a separator */
  guint    n_rows;
};

#define BYTE_ORDER_MARK "\xef\xbb\xbf"

static void
start_field (BdCsvWriter *self)
{
  if (self->row_started)
    g_string_append_c (self->out, self->separator);
  self->row_started = TRUE;
}

/* Whether a spreadsheet would read @text as a formula (or strip what starts it). */
static gboolean
starts_like_formula (const char *text)
{
  return text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL;
}

static gboolean
needs_quotes (const char *text,
              char        separator)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == separator || *p == '"' || *p == '\r' || *p == '\n')
        return TRUE;
    }

  return FALSE;
}

/**
 * bd_csv_writer_new:
 * @flavour: which separators to write
 *
 * Starts a CSV text: its byte-order mark, no row yet.
 *
 * Returns: (transfer full): a writer, for bd_csv_writer_free_to_bytes ()
 */
BdCsvWriter *
bd_csv_writer_new (BdCsvFlavour flavour)
{
  BdCsvWriter *self = g_new0 (BdCsvWriter, 1);

  self->out = g_string_new (BYTE_ORDER_MARK);
  self->separator = flavour == BD_CSV_FLAVOUR_DECIMAL_COMMA ? ';' : ',';
  self->decimal_point = flavour == BD_CSV_FLAVOUR_DECIMAL_COMMA ? ',' : '.';

  return self;
}

void
bd_csv_writer_free (BdCsvWriter *self)
{
  if (self == NULL)
    return;

  g_string_free (self->out, TRUE);
  g_free (self);
}

/**
 * bd_csv_writer_free_to_bytes:
 *
 * Frees @self and gives what it wrote. A row not ended with
 * bd_csv_writer_end_row () is left without its line end.
 *
 * Returns: (transfer full): the CSV text, byte-order mark first
 */
GBytes *
bd_csv_writer_free_to_bytes (BdCsvWriter *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = self->out;
  g_free (self);
  return g_string_free_to_bytes (out);
}

/**
 * bd_csv_writer_add_text:
 * @text: (nullable): UTF-8 text; %NULL writes an empty field
 *
 * Adds a text field to the row: quoted when it holds the separator, a quote,
 * a CR or a LF, its quotes doubled; after an apostrophe when it begins with
 * `=`, `+`, `-`, `@`, a tab or a CR.
 */
void
bd_csv_writer_add_text (BdCsvWriter *self,
                        const char  *text)
{
  gboolean quoted;

  g_return_if_fail (self != NULL);

  start_field (self);
  if (text == NULL || *text == '\0')
    return;

  quoted = needs_quotes (text, self->separator);
  if (quoted)
    g_string_append_c (self->out, '"');
  if (starts_like_formula (text))
    g_string_append_c (self->out, '\'');

  if (quoted)
    {
      const char *run = text;
      const char *quote;

      while ((quote = strchr (run, '"')) != NULL)
        {
          g_string_append_len (self->out, run, quote + 1 - run);
          g_string_append_c (self->out, '"');
          run = quote + 1;
        }
      g_string_append (self->out, run);
      g_string_append_c (self->out, '"');
    }
  else
    g_string_append (self->out, text);
}

/**
 * bd_csv_writer_add_integer:
 *
 * Adds @value to the row as a number: `-5`, never quoted or escaped.
 */
void
bd_csv_writer_add_integer (BdCsvWriter *self,
                           gint64       value)
{
  g_return_if_fail (self != NULL);

  start_field (self);
  bd_json_append_int (self->out, value);
}

/**
 * bd_csv_writer_add_decimal:
 * @minor_units: the value times 10^@digits
 * @digits: the decimals to write, at most 18
 *
 * Adds a decimal number to the row, from an integer so that no float rounds
 * it: 1250 with 2 digits is `12.50` (`12,50` in the decimal-comma flavour),
 * -1250 is `-12.50`, 5 is `0.05`; no grouping, never quoted or escaped.
 */
void
bd_csv_writer_add_decimal (BdCsvWriter *self,
                           gint64       minor_units,
                           guint        digits)
{
  guint64 magnitude = minor_units < 0 ? -(guint64) minor_units : (guint64) minor_units;
  char buf[48];
  char *p = buf + sizeof buf;

  g_return_if_fail (self != NULL);
  g_return_if_fail (digits <= 18);

  /* The digits from the last, the point after @digits of them, and at least
   * one digit before the point.
   */
  for (guint i = 0; i < digits; i++)
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  if (digits > 0)
    *--p = self->decimal_point;
  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (minor_units < 0)
    *--p = '-';

  start_field (self);
  g_string_append_len (self->out, p, buf + sizeof buf - p);
}

/**
 * bd_csv_writer_add_money:
 * @money: an amount in minor units and its currency
 * @digits: the currency's decimals (2 for DKK, 0 for JPY)
 *
 * Adds two fields: the amount as a plain decimal (bd_csv_writer_add_decimal
 * ()), and its ISO 4217 code.
 */
void
bd_csv_writer_add_money (BdCsvWriter   *self,
                         const BdMoney *money,
                         guint          digits)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (money != NULL);

  bd_csv_writer_add_decimal (self, money->amount, digits);
  bd_csv_writer_add_text (self, money->currency);
}

/**
 * bd_csv_writer_add_time:
 * @time: a time, or %BD_TIME_NONE for an empty field
 *
 * Adds @time in ISO 8601, UTC: `2026-11-03T09:30:00Z`.
 */
void
bd_csv_writer_add_time (BdCsvWriter *self,
                        gint64       time)
{
  char buf[BD_TIME_FORMAT_SIZE];

  g_return_if_fail (self != NULL);

  start_field (self);
  /* None, or a time outside what the service stores (none is). */
  if (time == BD_TIME_NONE || time < BD_TIME_MIN || time > BD_TIME_MAX)
    return;

  bd_time_format_to (time, buf);
  g_string_append (self->out, buf);
}

/**
 * bd_csv_writer_end_row:
 *
 * Ends the row with CRLF.
 */
void
bd_csv_writer_end_row (BdCsvWriter *self)
{
  g_return_if_fail (self != NULL);

  g_string_append (self->out, "\r\n");
  self->row_started = FALSE;
  self->n_rows++;
}

/**
 * bd_csv_writer_get_n_rows:
 *
 * Returns: the rows ended so far, a header row included
 */
guint
bd_csv_writer_get_n_rows (BdCsvWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_rows;
}
