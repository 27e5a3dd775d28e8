/* test-csv.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bd-test-csv.h"
#include "bd-test-utils.h"

/* The CSV writer (docs/design.md, "Export"): its bytes, and what a reader
 * written apart from it (bd-test-csv.c) reads back, field by field.
 */

#define BOM "\xef\xbb\xbf"

static char *
finish (BdCsvWriter *writer,
        gsize       *length)
{
  g_autoptr(GBytes) bytes = bd_csv_writer_free_to_bytes (writer);
  const char *data = g_bytes_get_data (bytes, length);

  return g_strndup (data, *length);
}

static void
assert_bytes (BdCsvWriter *writer,
              const char  *expected)
{
  gsize length;
  g_autofree char *text = finish (writer, &length);

  g_assert_cmpuint (length, ==, strlen (expected));
  g_assert_cmpstr (text, ==, expected);
}

/* A row of every kind of field, in each flavour, byte for byte. */
static void
test_row_bytes (void)
{
  static const struct {
    BdCsvFlavour flavour;
    const char *expected;
  } cases[] = {
    { BD_CSV_FLAVOUR_STANDARD,
      BOM "Product,Licenses,Price,Currency,Renews\r\n"
      "\"Microsoft 365 Business Basic, yearly\",25,-12.50,DKK,2026-11-03T09:30:00Z\r\n"
      "Visio Plan 2,0,0.05,EUR,\r\n" },
    { BD_CSV_FLAVOUR_DECIMAL_COMMA,
      BOM "Product;Licenses;Price;Currency;Renews\r\n"
      "Microsoft 365 Business Basic, yearly;25;-12,50;DKK;2026-11-03T09:30:00Z\r\n"
      "Visio Plan 2;0;0,05;EUR;\r\n" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BdCsvWriter *writer = bd_csv_writer_new (cases[i].flavour);
      BdMoney refund;
      BdMoney price;

      bd_money_init (&refund, -1250, "DKK");
      bd_money_init (&price, 5, "EUR");
      bd_csv_writer_add_text (writer, "Product");
      bd_csv_writer_add_text (writer, "Licenses");
      bd_csv_writer_add_text (writer, "Price");
      bd_csv_writer_add_text (writer, "Currency");
      bd_csv_writer_add_text (writer, "Renews");
      bd_csv_writer_end_row (writer);
      bd_csv_writer_add_text (writer, "Microsoft 365 Business Basic, yearly");
      bd_csv_writer_add_integer (writer, 25);
      bd_csv_writer_add_money (writer, &refund, 2);
      bd_csv_writer_add_time (writer, bd_test_time ("2026-11-03T09:30:00Z"));
      bd_csv_writer_end_row (writer);
      bd_csv_writer_add_text (writer, "Visio Plan 2");
      bd_csv_writer_add_integer (writer, 0);
      bd_csv_writer_add_money (writer, &price, 2);
      bd_csv_writer_add_time (writer, BD_TIME_NONE);
      bd_csv_writer_end_row (writer);
      g_assert_cmpuint (bd_csv_writer_get_n_rows (writer), ==, 3);
      assert_bytes (writer, cases[i].expected);
    }
}

/* A text field alone on its row: how it is written in each flavour. */
static void
test_text_fields (void)
{
  static const struct {
    const char *text;
    const char *standard;
    const char *decimal_comma;
  } cases[] = {
    { "plain", "plain", "plain" },
    { "", "", "" },
    { "a,b", "\"a,b\"", "a,b" },
    { "a;b", "a;b", "\"a;b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\"" },
    { "\"", "\"\"\"\"", "\"\"\"\"" },
    { "two\r\nlines", "\"two\r\nlines\"", "\"two\r\nlines\"" },
    { "lf\nonly", "\"lf\nonly\"", "\"lf\nonly\"" },
    { "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"", "\"'=HYPERLINK(\"\"x\"\")\"" },
    { "=1+2", "'=1+2", "'=1+2" },
    { "-5", "'-5", "'-5" },
    { "+45 12 34 56 78", "'+45 12 34 56 78", "'+45 12 34 56 78" },
    { "@SUM(A1)", "'@SUM(A1)", "'@SUM(A1)" },
    { "\tindented", "'\tindented", "'\tindented" },
    { "\rreturn", "\"'\rreturn\"", "\"'\rreturn\"" },
    { "-1,5", "\"'-1,5\"", "'-1,5" },
    { "a-b=c", "a-b=c", "a-b=c" },
    { "'quoted'", "'quoted'", "'quoted'" },
    { "Blåbærgrød ÆØÅ", "Blåbærgrød ÆØÅ", "Blåbærgrød ÆØÅ" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (guint f = 0; f < 2; f++)
        {
          BdCsvWriter *writer = bd_csv_writer_new (f == 0 ? BD_CSV_FLAVOUR_STANDARD
                                                          : BD_CSV_FLAVOUR_DECIMAL_COMMA);
          g_autofree char *expected = NULL;

          bd_csv_writer_add_text (writer, cases[i].text);
          bd_csv_writer_end_row (writer);
          expected = g_strconcat (BOM, f == 0 ? cases[i].standard : cases[i].decimal_comma,
                                  "\r\n", NULL);
          assert_bytes (writer, expected);
        }
    }
}

/* Numbers are numbers: a minus stays a minus, nothing is quoted, no grouping. */
static void
test_numbers (void)
{
  static const struct {
    gint64 minor_units;
    guint digits;
    const char *standard;
    const char *decimal_comma;
  } decimals[] = {
    { 0, 2, "0.00", "0,00" },
    { 5, 2, "0.05", "0,05" },
    { -5, 2, "-0.05", "-0,05" },
    { -1250, 2, "-12.50", "-12,50" },
    { 69002, 2, "690.02", "690,02" },
    { 123456789, 2, "1234567.89", "1234567,89" },
    { 1234, 0, "1234", "1234" },
    { -1234, 0, "-1234", "-1234" },
    { 1, 3, "0.001", "0,001" },
    { G_MAXINT64, 2, "92233720368547758.07", "92233720368547758,07" },
    { G_MININT64, 2, "-92233720368547758.08", "-92233720368547758,08" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (decimals); i++)
    {
      for (guint f = 0; f < 2; f++)
        {
          BdCsvWriter *writer = bd_csv_writer_new (f == 0 ? BD_CSV_FLAVOUR_STANDARD
                                                          : BD_CSV_FLAVOUR_DECIMAL_COMMA);
          g_autofree char *expected = NULL;

          bd_csv_writer_add_decimal (writer, decimals[i].minor_units, decimals[i].digits);
          bd_csv_writer_add_integer (writer, -decimals[i].minor_units / 100);
          bd_csv_writer_end_row (writer);
          expected = g_strdup_printf (BOM "%s%c%" G_GINT64_FORMAT "\r\n",
                                      f == 0 ? decimals[i].standard : decimals[i].decimal_comma,
                                      f == 0 ? ',' : ';', -decimals[i].minor_units / 100);
          assert_bytes (writer, expected);
        }
    }
}

/* What the reader reads back is what was written, field by field. */
static void
test_read_back (void)
{
  static const char *texts[] = {
    "Microsoft 365 Business Premium",
    "Quotes \"inside\" and, commas; semicolons",
    "Two\r\nlines, with \"quotes\"",
    "LF\nonly",
    "=HYPERLINK(\"x\")",
    "-5",
    "+5",
    "@here",
    "\ttab",
    "\rcarriage return",
    "Æblegrød på østersø, Åbenrå",
    ",",
    ";",
    "",
  };

  for (guint f = 0; f < 2; f++)
    {
      BdCsvFlavour flavour = f == 0 ? BD_CSV_FLAVOUR_STANDARD : BD_CSV_FLAVOUR_DECIMAL_COMMA;
      char separator = f == 0 ? ',' : ';';
      BdCsvWriter *writer = bd_csv_writer_new (flavour);
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      gsize length;

      for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
        {
          BdMoney money;

          bd_money_init (&money, (gint64) i * 1001 - 5000, "DKK");
          bd_csv_writer_add_text (writer, texts[i]);
          bd_csv_writer_add_money (writer, &money, 2);
          bd_csv_writer_add_integer (writer, (gint64) i - 5);
          bd_csv_writer_add_time (writer, bd_test_time ("2026-12-03T10:42:00Z") + (gint64) i);
          bd_csv_writer_end_row (writer);
        }

      text = finish (writer, &length);
      rows = bd_test_csv_parse (text, length, separator, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (texts));

      for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
        {
          char **fields = g_ptr_array_index (rows, i);
          gint64 amount = (gint64) i * 1001 - 5000;
          g_autofree char *expected_text = NULL;
          g_autofree char *expected_amount = NULL;
          g_autofree char *expected_count = g_strdup_printf ("%d", (int) i - 5);
          g_autofree char *expected_time = bd_test_format (bd_test_time ("2026-12-03T10:42:00Z") +
                                                           (gint64) i);

          /* A text that a spreadsheet would run keeps its apostrophe. */
          expected_text = g_strconcat (texts[i][0] != '\0' && strchr ("=+-@\t\r", texts[i][0])
                                       ? "'" : "", texts[i], NULL);
          expected_amount = g_strdup_printf ("%s%" G_GINT64_FORMAT "%c%02d", amount < 0 ? "-" : "",
                                             ABS (amount) / 100, f == 0 ? '.' : ',',
                                             (int) (ABS (amount) % 100));

          g_assert_cmpuint (g_strv_length (fields), ==, 5);
          g_assert_cmpstr (fields[0], ==, expected_text);
          g_assert_cmpstr (fields[1], ==, expected_amount);
          g_assert_cmpstr (fields[2], ==, "DKK");
          g_assert_cmpstr (fields[3], ==, expected_count);
          g_assert_cmpstr (fields[4], ==, expected_time);
        }
    }
}

/* The reader refuses what the writer must never write. */
static void
test_reader_refuses (void)
{
  static const char *bad[] = {
    "a,b\r\n",                 /* no byte-order mark */
    BOM "a,b",                 /* the last row without its CRLF */
    BOM "a,b\n",               /* a LF alone */
    BOM "a\r,b\r\n",           /* a CR alone */
    BOM "\"a,b\r\n",           /* a quoted field not closed */
    BOM "a\"b\r\n",            /* a quote inside an unquoted field */
    BOM "\"a\"b\r\n",          /* text after the closing quote */
    BOM "\xff\r\n",            /* not UTF-8 */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = bd_test_csv_parse (bad[i], strlen (bad[i]), ',', &error);

      g_assert_null (rows);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/row-bytes", test_row_bytes);
  g_test_add_func ("/csv/text-fields", test_text_fields);
  g_test_add_func ("/csv/numbers", test_numbers);
  g_test_add_func ("/csv/read-back", test_read_back);
  g_test_add_func ("/csv/reader-refuses", test_reader_refuses);

  return g_test_run ();
}
