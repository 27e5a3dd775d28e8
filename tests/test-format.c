/* test-format.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "bd-format.h"
#include "bd-test-utils.h"

/* The strings are ICU 72's (CLDR 42), byte for byte: ICU puts a no-break
 * space (U+00A0) between amount and currency, and English puts a narrow
 * no-break space (U+202F) before AM/PM; French groups digits with a narrow
 * no-break space, Swedish, Norwegian, Finnish and Polish with a no-break
 * space.
 */
#define NBSP "\u00a0"
#define NNBSP "\u202f"

#define MINUTE BD_SECONDS_PER_MINUTE
#define HOUR BD_SECONDS_PER_HOUR
#define DAY BD_SECONDS_PER_DAY

typedef struct
{
  const char *description;
  const char *language;
  gint64 amount;
  const char *currency;
  const char *expected;
} MoneyCase;

static const MoneyCase money_cases[] = {
  { "da zero", "da", 0, "DKK", "0,00" NBSP "kr." },
  { "da one øre", "da", 1, "DKK", "0,01" NBSP "kr." },
  { "da one krone", "da", 100, "DKK", "1,00" NBSP "kr." },
  { "da refund", "da", 69002, "DKK", "690,02" NBSP "kr." },
  { "da grouping", "da", 148400, "DKK", "1.484,00" NBSP "kr." },
  { "da ten million", "da", 1000000000, "DKK", "10.000.000,00" NBSP "kr." },
  { "da negative", "da", -69002, "DKK", "-690,02" NBSP "kr." },
  { "da negative below one", "da", -5, "DKK", "-0,05" NBSP "kr." },
  { "da EUR", "da", 69002, "EUR", "690,02" NBSP "€" },
  { "da USD", "da", 69002, "USD", "690,02" NBSP "US$" },
  { "da JPY", "da", 1234, "JPY", "1.234" NBSP "JP¥" },
  { "en zero", "en", 0, "DKK", "DKK" NBSP "0.00" },
  { "en one øre", "en", 1, "DKK", "DKK" NBSP "0.01" },
  { "en one krone", "en", 100, "DKK", "DKK" NBSP "1.00" },
  { "en refund", "en", 69002, "DKK", "DKK" NBSP "690.02" },
  { "en grouping", "en", 148400, "DKK", "DKK" NBSP "1,484.00" },
  { "en ten million", "en", 1000000000, "DKK", "DKK" NBSP "10,000,000.00" },
  { "en negative", "en", -69002, "DKK", "-DKK" NBSP "690.02" },
  { "en EUR", "en", 69002, "EUR", "€690.02" },
  { "en USD", "en", 69002, "USD", "$690.02" },
  /* No decimals: the currency's own digits, then back to two for DKK. */
  { "en JPY", "en", 1234, "JPY", "¥1,234" },
  { "en negative JPY", "en", -1234, "JPY", "-¥1,234" },
  { "en DKK after JPY", "en", 1234, "DKK", "DKK" NBSP "12.34" },
  { "en KWD three decimals", "en", 1234, "KWD", "KWD" NBSP "1.234" },
  { "de zero", "de", 0, "DKK", "0,00" NBSP "DKK" },
  { "de one øre", "de", 1, "DKK", "0,01" NBSP "DKK" },
  { "de one krone", "de", 100, "DKK", "1,00" NBSP "DKK" },
  { "de refund", "de", 69002, "DKK", "690,02" NBSP "DKK" },
  { "de grouping", "de", 148400, "DKK", "1.484,00" NBSP "DKK" },
  { "de ten million", "de", 1000000000, "DKK", "10.000.000,00" NBSP "DKK" },
  { "de negative", "de", -69002, "DKK", "-690,02" NBSP "DKK" },
  { "de EUR", "de", 69002, "EUR", "690,02" NBSP "€" },
  { "de USD", "de", 69002, "USD", "690,02" NBSP "$" },
  { "de JPY", "de", 1234, "JPY", "1.234" NBSP "¥" },
  /* Exact through a decimal string: a double would lose the last digits. */
  { "en largest", "en", G_MAXINT64, "DKK", "DKK" NBSP "92,233,720,368,547,758.07" },
  { "en smallest", "en", G_MININT64, "DKK", "-DKK" NBSP "92,233,720,368,547,758.08" },
};

typedef struct
{
  const char *description;
  const char *language;
  guint n;
  const char *expected;
} CountCase;

static const CountCase count_cases[] = {
  { "en zero", "en", 0, "0" },
  { "en one", "en", 1, "1" },
  { "en below a thousand", "en", 999, "999" },
  { "en a thousand", "en", 1000, "1,000" },
  { "en footer", "en", 100000, "100,000" },
  { "en largest", "en", G_MAXUINT, "4,294,967,295" },
  { "da footer", "da", 100000, "100.000" },
  { "da a thousand", "da", 1000, "1.000" },
  { "da largest", "da", G_MAXUINT, "4.294.967.295" },
  { "de footer", "de", 100000, "100.000" },
  { "fr footer", "fr", 100000, "100" NNBSP "000" },
  { "sv footer", "sv", 100000, "100" NBSP "000" },
  { "nb footer", "nb", 100000, "100" NBSP "000" },
  { "fi footer", "fi", 100000, "100" NBSP "000" },
  { "nl footer", "nl", 100000, "100.000" },
  /* CLDR groups Spanish and Polish from five digits on */
  { "es footer", "es", 100000, "100.000" },
  { "es a thousand", "es", 1000, "1000" },
  { "pl footer", "pl", 100000, "100" NBSP "000" },
  { "pl a thousand", "pl", 1000, "1000" },
  /* Arabic-Indic digits and the Arabic thousands separator U+066C */
  { "ar footer", "ar", 100000, "١٠٠٬٠٠٠" },
  { "ar seven", "ar", 7, "٧" },
};

static void
test_count (gconstpointer data)
{
  const CountCase *row = data;
  g_autofree char *text = NULL;

  bd_format_set_language (row->language);
  text = bd_format_count (row->n);
  g_assert_cmpstr (text, ==, row->expected);
}

/* Money and counts have formats of their own: a count after an amount
 * (the one format would carry the currency over) and an amount after a
 * count.
 */
static void
test_count_and_money (void)
{
  g_autofree char *before = NULL;
  g_autofree char *count = NULL;
  g_autofree char *after = NULL;
  BdMoney money;

  bd_format_set_language ("da");
  bd_money_init (&money, 148400, "DKK");
  before = bd_format_money (&money);
  count = bd_format_count (1484);
  after = bd_format_money (&money);
  g_assert_cmpstr (before, ==, "1.484,00" NBSP "kr.");
  g_assert_cmpstr (count, ==, "1.484");
  g_assert_cmpstr (after, ==, before);
}

static void
test_money (gconstpointer data)
{
  const MoneyCase *row = data;
  g_autofree char *text = NULL;
  BdMoney money;

  bd_money_init (&money, row->amount, row->currency);
  bd_format_set_language (row->language);
  text = bd_format_money (&money);
  g_assert_cmpstr (text, ==, row->expected);
}

typedef struct
{
  const char *description;
  const char *language;
  const char *time;
  gboolean with_time;
  const char *expected;
} DateCase;

/* In TZ=UTC. */
static const DateCase date_cases[] = {
  { "da date", "da", "2026-11-20T00:00:00Z", FALSE, "20. nov. 2026" },
  { "da date at the end of the day", "da", "2026-11-20T23:59:59Z", FALSE, "20. nov. 2026" },
  { "da date in May", "da", "2027-05-02T10:00:00Z", FALSE, "2. maj 2027" },
  { "da date and time", "da", "2026-11-20T12:01:00Z", TRUE, "20. nov. 2026 12.01" },
  { "da date and midnight", "da", "2026-11-20T00:00:00Z", TRUE, "20. nov. 2026 00.00" },
  { "en date", "en", "2026-11-20T00:00:00Z", FALSE, "Nov 20, 2026" },
  { "en date in May", "en", "2027-05-02T10:00:00Z", FALSE, "May 2, 2027" },
  { "en date and time", "en", "2026-11-20T12:01:00Z", TRUE, "Nov 20, 2026, 12:01" NNBSP "PM" },
  { "en date and midnight", "en", "2026-11-20T00:00:00Z", TRUE, "Nov 20, 2026, 12:00" NNBSP "AM" },
  { "de date", "de", "2026-11-20T00:00:00Z", FALSE, "20.11.2026" },
  { "de date and time", "de", "2026-11-20T12:01:00Z", TRUE, "20.11.2026, 12:01" },
};

static void
test_date (gconstpointer data)
{
  const DateCase *row = data;
  g_autofree char *text = NULL;
  gint64 time = bd_test_time (row->time);

  bd_format_set_language (row->language);
  text = row->with_time ? bd_format_date_time (time) : bd_format_date (time);
  g_assert_cmpstr (text, ==, row->expected);
}

/* Dates are in the desktop's zone: main () gives this test's subprocess
 * TZ=Europe/Copenhagen, where 23:30 UTC is already the next day.
 */
static void
test_date_local_zone (void)
{
  static const DateCase cases[] = {
    { "winter date", "da", "2026-11-20T23:30:00Z", FALSE, "21. nov. 2026" },
    { "winter date and time", "da", "2026-11-20T23:30:00Z", TRUE, "21. nov. 2026 00.30" },
    { "summer date and time", "da", "2026-07-01T22:30:00Z", TRUE, "2. jul. 2026 00.30" },
    { "en date and time", "en", "2026-11-20T11:01:00Z", TRUE, "Nov 20, 2026, 12:01" NNBSP "PM" },
  };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  g_assert_cmpstr (g_getenv ("TZ"), ==, "Europe/Copenhagen");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].description);
      test_date (&cases[i]);
    }
}

typedef struct
{
  const char *description;
  gint64 ahead;  /* seconds from now */
  const char *expected;
} TimeUntilCase;

/* English: LANGUAGE is unset and the locale is C, so gettext gives the
 * source strings.
 */
static const TimeUntilCase time_until_cases[] = {
  { "past", -1, NULL },
  { "now", 0, NULL },
  { "one second", 1, "in 1 minute" },
  { "59 seconds", 59, "in 1 minute" },
  { "one minute", MINUTE, "in 1 minute" },
  { "one minute and a second", MINUTE + 1, "in 2 minutes" },
  { "59 minutes", 59 * MINUTE, "in 59 minutes" },
  { "59 minutes and a second", 59 * MINUTE + 1, "in 1 hour" },
  { "one hour", HOUR, "in 1 hour" },
  { "one hour and a second", HOUR + 1, "in 2 hours" },
  { "23 hours", 23 * HOUR, "in 23 hours" },
  { "23 hours and a second", 23 * HOUR + 1, "in 1 day" },
  { "a day less a second", DAY - 1, "in 1 day" },
  { "one day", DAY, "in 1 day" },
  { "one day and a second", DAY + 1, "in 2 days" },
  { "seven days", 7 * DAY, "in 7 days" },
  { "30 days", 30 * DAY, "in 30 days" },
};

static void
test_time_until (gconstpointer data)
{
  const TimeUntilCase *row = data;
  gint64 now = bd_test_time ("2026-11-20T12:01:00Z");
  g_autofree char *text = NULL;

  bd_format_set_language ("en");
  text = bd_format_time_until (now + row->ahead, now);
  g_assert_cmpstr (text, ==, row->expected);
}

static void
test_time_until_extremes (void)
{
  gint64 now = bd_test_time ("2026-11-20T12:01:00Z");
  g_autofree char *widest = NULL;
  g_autofree char *overflowing = NULL;
  g_autofree char *none = NULL;

  bd_format_set_language ("en");

  /* 315537897599 s: 3652058.99... days, grouped as counts are */
  widest = bd_format_time_until (BD_TIME_MAX, BD_TIME_MIN);
  g_assert_cmpstr (widest, ==, "in 3,652,059 days");

  /* Beyond gint64's differences: no overflow, a count clamped to guint */
  overflowing = bd_format_time_until (G_MAXINT64, G_MININT64);
  g_assert_cmpstr (overflowing, ==, "in 4,294,967,295 days");

  none = bd_format_time_until (BD_TIME_NONE, now);
  g_assert_null (none);
}

typedef struct
{
  const char *description;
  const char *messages_locale;
  const char *language;      /* LANGUAGE; NULL: unset */
  const char *lang;          /* LANG; NULL: unset */
  const char *expected;
} LanguageCase;

/* The first of the user's languages with a catalog, as gettext picks it, in
 * a textdomain directory that holds a catalog for "da" only.
 */
static void
test_language_lookup (void)
{
  static const LanguageCase cases[] = {
    { "LANGUAGE da", "C.UTF-8", "da", NULL, "da" },
    { "LANGUAGE with a region", "C.UTF-8", "da_DK", NULL, "da" },
    { "first without a catalog is skipped", "C.UTF-8", "fr:da", NULL, "da" },
    /* English has no catalog either, so gettext shows Danish, and so do we */
    { "en before da", "C.UTF-8", "en:da", NULL, "da" },
    { "no catalog", "C.UTF-8", "fr:sv", NULL, "en" },
    { "LANG da", "C.UTF-8", NULL, "da_DK.UTF-8", "da" },
    { "LANG C", "C.UTF-8", NULL, "C", "en" },
    { "LANG POSIX", "C.UTF-8", NULL, "POSIX", "en" },
    { "nothing set", "C.UTF-8", NULL, NULL, "en" },
    /* gettext ignores LANGUAGE under the C locale and shows English */
    { "LANGUAGE da under C", "C", "da", NULL, "en" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *catalog = NULL;

  if (setlocale (LC_MESSAGES, "C.UTF-8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }

  dir = g_dir_make_tmp ("test-format-XXXXXX", &error);
  g_assert_no_error (error);
  messages = g_build_filename (dir, "da", "LC_MESSAGES", NULL);
  catalog = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  g_file_set_contents (catalog, "", 0, &error);
  g_assert_no_error (error);
  bindtextdomain (GETTEXT_PACKAGE, dir);

  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].description);
      g_assert_nonnull (setlocale (LC_MESSAGES, cases[i].messages_locale));
      if (cases[i].language != NULL)
        g_setenv ("LANGUAGE", cases[i].language, TRUE);
      else
        g_unsetenv ("LANGUAGE");
      if (cases[i].lang != NULL)
        g_setenv ("LANG", cases[i].lang, TRUE);
      else
        g_unsetenv ("LANG");

      bd_format_set_language (NULL);
      g_assert_cmpstr (bd_format_get_language (), ==, cases[i].expected);
    }

  /* Looked up once: a change after that is not seen until a reset */
  g_setenv ("LANGUAGE", "da", TRUE);
  g_assert_cmpstr (bd_format_get_language (), ==, "en");

  setlocale (LC_MESSAGES, "C");
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LANG");
  bd_format_set_language (NULL);
  g_assert_cmpint (g_remove (catalog), ==, 0);
  g_assert_cmpint (g_rmdir (messages), ==, 0);
  *strrchr (messages, G_DIR_SEPARATOR) = '\0';
  g_assert_cmpint (g_rmdir (messages), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_language_override (void)
{
  const char *language;

  bd_format_set_language ("de");
  language = bd_format_get_language ();
  g_assert_cmpstr (language, ==, "de");

  /* The answer stays valid after the next override */
  bd_format_set_language ("da");
  g_assert_cmpstr (language, ==, "de");
  g_assert_cmpstr (bd_format_get_language (), ==, "da");

  bd_format_set_language (NULL);
  g_assert_nonnull (bd_format_get_language ());
}

/* The direction of the interface language, from ICU's data: right to left
 * for the scripts written so, whatever the form of the language's name. */
static void
test_right_to_left (void)
{
  static const struct { const char *language; gboolean rtl; } cases[] = {
    { "ar", TRUE }, { "ar_EG", TRUE }, { "he", TRUE }, { "fa", TRUE }, { "ur", TRUE },
    { "en", FALSE }, { "da", FALSE }, { "de_AT", FALSE }, { "sr@latin", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].language);
      bd_format_set_language (cases[i].language);
      g_assert_cmpint (bd_format_is_right_to_left (), ==, cases[i].rtl);
    }
  bd_format_set_language (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* ICU reads the zone once, at its first use: the desktop's zone is UTC
   * here, and Copenhagen in the subprocess of /format/date/local-zone.
   */
  g_setenv ("TZ", g_test_subprocess () ? "Europe/Copenhagen" : "UTC", TRUE);
  g_unsetenv ("LANGUAGE");

  bd_test_add_table ("/format/money", money_cases, sizeof (MoneyCase),
                     G_N_ELEMENTS (money_cases), test_money);
  bd_test_add_table ("/format/count", count_cases, sizeof (CountCase),
                     G_N_ELEMENTS (count_cases), test_count);
  g_test_add_func ("/format/count/after-money", test_count_and_money);
  bd_test_add_table ("/format/date", date_cases, sizeof (DateCase),
                     G_N_ELEMENTS (date_cases), test_date);
  g_test_add_func ("/format/date/local-zone", test_date_local_zone);
  bd_test_add_table ("/format/time-until", time_until_cases, sizeof (TimeUntilCase),
                     G_N_ELEMENTS (time_until_cases), test_time_until);
  g_test_add_func ("/format/time-until/extremes", test_time_until_extremes);
  g_test_add_func ("/format/language/lookup", test_language_lookup);
  g_test_add_func ("/format/language/override", test_language_override);
  g_test_add_func ("/format/language/right-to-left", test_right_to_left);

  return g_test_run ();
}
