/* bd-format.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-format"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>
#include <unicode/ucurr.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "bd-format.h"

G_STATIC_ASSERT (sizeof (UChar) == sizeof (gunichar2));

/* The interface language, interned (so a returned pointer stays valid);
 * NULL until looked up or after bd_format_set_language (NULL).
 */
static const char *interface_language;

/* ICU's formatters are not thread-safe. Like everything that shows text, they
 * are used from the main thread only, so one of each per language is opened
 * on first use and kept for the life of the process. Keyed by the interned
 * language's pointer: UNumberFormat * or UDateFormat *.
 */
static GHashTable *currency_formats;
static GHashTable *count_formats;
static GHashTable *date_formats;
static GHashTable *date_time_formats;

/* Whether the app has a catalog for @name in the directory gettext reads. */
static gboolean
has_catalog (const char *dir,
             const char *name)
{
  g_autofree char *path = NULL;

  path = g_build_filename (dir, name, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The language gettext shows the interface in: the first of the user's
 * languages with a catalog, else the English of the source strings.
 */
static const char *
look_up_language (void)
{
  const char * const *names = g_get_language_names ();
  const char *messages = setlocale (LC_MESSAGES, NULL);
  const char *dir = bindtextdomain (GETTEXT_PACKAGE, NULL);

  /* gettext ignores LANGUAGE while the messages locale is C (as under
   * LANGUAGE=da LANG=C), and then shows English: so must we.
   */
  if (messages == NULL || g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
    return "en";
  if (dir == NULL)
    return "en";

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "C") || g_str_equal (names[i], "POSIX"))
        break;
      if (has_catalog (dir, names[i]))
        return names[i];
    }

  return "en";
}

static char *
uchars_to_utf8 (const UChar *chars,
                int32_t      length)
{
  char *utf8 = g_utf16_to_utf8 ((const gunichar2 *) chars, length, NULL, NULL, NULL);

  /* ICU writes well-formed UTF-16; keep the caller's contract anyway. */
  return utf8 != NULL ? utf8 : g_strdup ("");
}

/* @amount minor units with @digits decimals as ICU's decimal number syntax:
 * 69002, 2 -> "690.02"; -5, 2 -> "-0.05"; 1234, 0 -> "1234". No floats.
 */
static char *
minor_units_to_decimal (gint64 amount,
                        guint  digits)
{
  guint64 magnitude = amount < 0 ? -(guint64) amount : (guint64) amount;
  const char *sign = amount < 0 ? "-" : "";
  g_autofree char *units = NULL;
  gsize length;

  /* At least one digit before the point: 5 with 2 decimals is "005". */
  units = g_strdup_printf ("%0*" G_GUINT64_FORMAT, (int) digits + 1, magnitude);
  if (digits == 0)
    return g_strconcat (sign, units, NULL);

  length = strlen (units);
  return g_strdup_printf ("%s%.*s.%s", sign, (int) (length - digits), units,
                          units + length - digits);
}

/* @language as an ICU locale ID: gettext's "sr@latin" would be read as
 * keywords and fall back to the root locale; canonicalized it is "sr__LATIN",
 * which ICU falls back to Serbian.
 */
static void
to_icu_locale (const char *language,
               char        locale[ULOC_FULLNAME_CAPACITY])
{
  UErrorCode status = U_ZERO_ERROR;

  uloc_canonicalize (language, locale, ULOC_FULLNAME_CAPACITY, &status);
  if (U_FAILURE (status) || status == U_STRING_NOT_TERMINATED_WARNING)
    g_strlcpy (locale, language, ULOC_FULLNAME_CAPACITY);
}

/* ICU's format for @language in @style: UNUM_CURRENCY for money, or
 * UNUM_DECIMAL for counts (grouped as the language groups: "100.000" in
 * Danish).
 */
static UNumberFormat *
get_number_format (const char        *language,
                   UNumberFormatStyle style)
{
  GHashTable **formats = style == UNUM_CURRENCY ? &currency_formats : &count_formats;
  UNumberFormat *format;
  UErrorCode status = U_ZERO_ERROR;
  char locale[ULOC_FULLNAME_CAPACITY];

  g_assert (style == UNUM_CURRENCY || style == UNUM_DECIMAL);

  if (*formats == NULL)
    *formats = g_hash_table_new (NULL, NULL);

  format = g_hash_table_lookup (*formats, language);
  if (format != NULL)
    return format;

  to_icu_locale (language, locale);
  format = unum_open (style, NULL, 0, locale, NULL, &status);
  if (U_FAILURE (status))
    {
      g_warning ("Could not open ICU's %s format for %s: %s",
                 style == UNUM_CURRENCY ? "currency" : "decimal", locale, u_errorName (status));
      return NULL;
    }

  /* CLDR's minimum grouping digits: Spanish and Polish write "1000" but
   * "10.000"; the old API groups from four digits on unless asked.
   */
  if (style == UNUM_DECIMAL)
    unum_setAttribute (format, UNUM_MINIMUM_GROUPING_DIGITS, UNUM_MINIMUM_GROUPING_DIGITS_AUTO);

  g_hash_table_insert (*formats, (gpointer) language, format);
  return format;
}

/* @decimal (ICU's decimal number syntax, "690.02") through @format, or NULL
 * when ICU fails.
 */
static char *
format_decimal (UNumberFormat *format,
                const char    *decimal)
{
  UErrorCode status = U_ZERO_ERROR;
  UChar buffer[128];
  g_autofree UChar *heap = NULL;
  int32_t length;

  length = unum_formatDecimal (format, decimal, -1, buffer, G_N_ELEMENTS (buffer), NULL, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR)
    {
      heap = g_new (UChar, length + 1);
      status = U_ZERO_ERROR;
      length = unum_formatDecimal (format, decimal, -1, heap, length + 1, NULL, &status);
    }
  if (U_FAILURE (status))
    {
      g_warning ("Could not format %s with ICU: %s", decimal, u_errorName (status));
      return NULL;
    }

  return uchars_to_utf8 (heap != NULL ? heap : buffer, length);
}

static UDateFormat *
get_date_format (const char *language,
                 gboolean    with_time)
{
  GHashTable **formats = with_time ? &date_time_formats : &date_formats;
  UDateFormat *format;
  UErrorCode status = U_ZERO_ERROR;
  char locale[ULOC_FULLNAME_CAPACITY];

  if (*formats == NULL)
    *formats = g_hash_table_new (NULL, NULL);

  format = g_hash_table_lookup (*formats, language);
  if (format != NULL)
    return format;

  /* No zone: ICU's default, the desktop's local one, read once (TZ or
   * /etc/localtime) at ICU's first use.
   */
  to_icu_locale (language, locale);
  format = udat_open (with_time ? UDAT_SHORT : UDAT_NONE, UDAT_MEDIUM, locale,
                      NULL, -1, NULL, -1, &status);
  if (U_FAILURE (status))
    {
      g_warning ("Could not open ICU's date format for %s: %s", locale, u_errorName (status));
      return NULL;
    }

  g_hash_table_insert (*formats, (gpointer) language, format);
  return format;
}

static char *
format_date (gint64   time,
             gboolean with_time)
{
  UDateFormat *format = get_date_format (bd_format_get_language (), with_time);
  UErrorCode status = U_ZERO_ERROR;
  UChar buffer[128];
  g_autofree UChar *heap = NULL;
  UDate date = (UDate) time * 1000.0;
  int32_t length;

  if (format == NULL)
    return bd_time_format (time);

  length = udat_format (format, date, buffer, G_N_ELEMENTS (buffer), NULL, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR)
    {
      heap = g_new (UChar, length + 1);
      status = U_ZERO_ERROR;
      length = udat_format (format, date, heap, length + 1, NULL, &status);
    }
  if (U_FAILURE (status))
    {
      g_warning ("Could not format a date with ICU: %s", u_errorName (status));
      return bd_time_format (time);
    }

  return uchars_to_utf8 (heap != NULL ? heap : buffer, length);
}

/**
 * bd_format_get_language:
 *
 * The language the interface is shown in: the first of
 * g_get_language_names () for which the app's gettext domain has a catalog
 * in the directory bound with bindtextdomain (), or "en" (the source
 * strings) when there is none, under the C locale, or for "C"/"POSIX". Looked
 * up once; give it to ICU, whose default locale ignores LANGUAGE.
 *
 * Returns: (transfer none): a language such as "da" or "en", valid for the
 *   life of the process
 */
const char *
bd_format_get_language (void)
{
  if (interface_language == NULL)
    interface_language = g_intern_string (look_up_language ());

  return interface_language;
}

/**
 * bd_format_set_language:
 * @language: (nullable): a language such as "da", or %NULL to look it up
 *   again on the next use
 *
 * Overrides the interface language, for tests.
 */
void
bd_format_set_language (const char *language)
{
  interface_language = language != NULL ? g_intern_string (language) : NULL;
}

/**
 * bd_format_is_right_to_left:
 *
 * Whether the interface language (bd_format_get_language ()) is written
 * right to left, as ICU's data says (ar, he, fa, ur, ...). The window's
 * direction follows the app's own catalog, not GTK's: under LANGUAGE=he:da
 * (Hebrew, which GTK has and the app has not, then Danish) GTK's would
 * mirror a Danish interface.
 *
 * Returns: %TRUE for a right-to-left interface language
 */
gboolean
bd_format_is_right_to_left (void)
{
  char locale[ULOC_FULLNAME_CAPACITY];

  to_icu_locale (bd_format_get_language (), locale);
  return uloc_isRightToLeft (locale);
}

/**
 * bd_format_money:
 * @money: an amount in minor units and its currency
 *
 * Formats @money in the interface language with its currency's decimals,
 * through ICU: "690,02 kr." in Danish, "DKK 690.02" in English.
 *
 * Returns: (transfer full): the amount as the user reads it
 */
char *
bd_format_money (const BdMoney *money)
{
  UNumberFormat *format;
  UErrorCode status = U_ZERO_ERROR;
  UChar currency[4];
  g_autofree char *decimal = NULL;
  char *text = NULL;
  guint digits;

  g_return_val_if_fail (money != NULL, NULL);
  g_return_val_if_fail (bd_currency_is_valid (money->currency), NULL);

  u_charsToUChars (money->currency, currency, G_N_ELEMENTS (currency));

  digits = bd_format_currency_digits (money->currency);
  decimal = minor_units_to_decimal (money->amount, digits);

  format = get_number_format (bd_format_get_language (), UNUM_CURRENCY);
  if (format == NULL)
    return g_strdup_printf ("%s %s", money->currency, decimal);

  /* The shared format takes each amount's currency, and with it the
   * currency's decimals and symbol.
   */
  unum_setTextAttribute (format, UNUM_CURRENCY_CODE, currency, 3, &status);
  if (U_SUCCESS (status))
    text = format_decimal (format, decimal);
  else
    g_warning ("Could not set the currency %s in ICU: %s", money->currency, u_errorName (status));

  return text != NULL ? text : g_strdup_printf ("%s %s", money->currency, decimal);
}

/**
 * bd_format_count:
 * @n: a count of things, such as products
 *
 * Formats @n in the interface language, through ICU, grouped as that
 * language groups digits: "100,000" in English, "100.000" in Danish and
 * German, "100 000" in French (with a narrow no-break space), "١٠٠٬٠٠٠" in
 * Arabic. Put it in a message with %s, and choose the message's plural form
 * with @n itself. Main thread only, as bd_format_money ().
 *
 * Returns: (transfer full): the count as the user reads it
 */
char *
bd_format_count (guint n)
{
  UNumberFormat *format = get_number_format (bd_format_get_language (), UNUM_DECIMAL);
  char decimal[16];
  char *text = NULL;

  g_snprintf (decimal, sizeof decimal, "%u", n);
  if (format != NULL)
    text = format_decimal (format, decimal);

  return text != NULL ? text : g_strdup (decimal);
}

/**
 * bd_format_currency_digits:
 * @currency: an ISO 4217 code
 *
 * The decimals @currency is written with, from ICU: 2 for DKK, 0 for JPY.
 * ICU's data is read-only: any thread may ask.
 *
 * Returns: the number of decimals, 2 when ICU does not know
 */
guint
bd_format_currency_digits (const char *currency)
{
  UErrorCode status = U_ZERO_ERROR;
  UChar code[4];
  int32_t digits;

  g_return_val_if_fail (bd_currency_is_valid (currency), 2);

  u_charsToUChars (currency, code, G_N_ELEMENTS (code));
  digits = ucurr_getDefaultFractionDigits (code, &status);
  if (U_FAILURE (status) || digits < 0 || digits > 9)
    return 2;

  return (guint) digits;
}

/**
 * bd_format_uses_decimal_comma:
 *
 * Whether the interface language writes decimals with a comma (da, de, fr,
 * ...), from ICU's decimal symbol for it: a CSV export for spreadsheets in
 * that language then separates its fields with `;`. Main thread only, as
 * bd_format_money ().
 *
 * Returns: %TRUE for a decimal comma
 */
gboolean
bd_format_uses_decimal_comma (void)
{
  UNumberFormat *format = get_number_format (bd_format_get_language (), UNUM_CURRENCY);
  UErrorCode status = U_ZERO_ERROR;
  UChar symbol[8];
  int32_t length;

  if (format == NULL)
    return FALSE;

  length = unum_getSymbol (format, UNUM_DECIMAL_SEPARATOR_SYMBOL, symbol, G_N_ELEMENTS (symbol),
                           &status);
  return U_SUCCESS (status) && length == 1 && symbol[0] == ',';
}

/**
 * bd_format_language_name:
 *
 * Returns: (transfer full): the interface language's name, in that
 *   language, as a sentence would hold it: "dansk" in Danish
 */
char *
bd_format_language_name (void)
{
  const char *language = bd_format_get_language ();
  UErrorCode status = U_ZERO_ERROR;
  char locale[ULOC_FULLNAME_CAPACITY];
  UChar buffer[128];
  int32_t length;

  to_icu_locale (language, locale);
  length = uloc_getDisplayLanguage (locale, locale, buffer, G_N_ELEMENTS (buffer), &status);
  if (U_FAILURE (status) || length <= 0 || length >= (int32_t) G_N_ELEMENTS (buffer))
    return g_strdup (language);

  return uchars_to_utf8 (buffer, length);
}

/**
 * bd_format_date:
 * @time: a time, not %BD_TIME_NONE
 *
 * Formats the day of @time in the desktop's time zone, medium length, in the
 * interface language: "20. nov. 2026" in Danish, "Nov 20, 2026" in English.
 *
 * Returns: (transfer full): the date
 */
char *
bd_format_date (gint64 time)
{
  g_return_val_if_fail (time != BD_TIME_NONE, NULL);

  return format_date (time, FALSE);
}

/**
 * bd_format_date_time:
 * @time: a time, not %BD_TIME_NONE
 *
 * Like bd_format_date (), with the time of day, short: "20. nov. 2026 12.01"
 * in Danish.
 *
 * Returns: (transfer full): the date and time
 */
char *
bd_format_date_time (gint64 time)
{
  g_return_val_if_fail (time != BD_TIME_NONE, NULL);

  return format_date (time, TRUE);
}

/**
 * bd_format_time_until:
 * @time: when something happens
 * @now: the service's clock now
 *
 * How long until @time, rounded up: whole days; under a day, hours; under an
 * hour, minutes. A count that rounds up to the next unit is said in that unit:
 * 23 hours and a second is "in 1 day", 59 minutes and a second "in 1 hour".
 *
 * Returns: (transfer full) (nullable): a phrase to place in a sentence, such
 *   as "in 3 days", or %NULL when @time is not after @now (the caller words
 *   the past)
 */
char *
bd_format_time_until (gint64 time,
                      gint64 now)
{
  guint64 seconds;
  guint64 minutes;
  guint64 hours;
  guint days;
  g_autofree char *count = NULL;

  if (time <= now)
    return NULL;

  /* Unsigned: exact for any two gint64 values with time > now. */
  seconds = (guint64) time - (guint64) now;
  minutes = seconds / 60 + (seconds % 60 != 0);
  hours = seconds / 3600 + (seconds % 3600 != 0);

  if (minutes < 60)
    {
      guint n = (guint) minutes;

      count = bd_format_count (n);

      /* Translators: how long until a deadline, rounded up, placed in a
       * sentence such as "The refund window closes in 5 minutes"; %s is
       * the number, written as the language writes numbers.
       */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %s minute", "in %s minutes", n),
                              count);
    }

  if (hours < 24)
    {
      guint n = (guint) hours;

      count = bd_format_count (n);

      /* Translators: how long until a deadline, rounded up, placed in a
       * sentence such as "The refund window closes in 5 hours"; %s is the
       * number.
       */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %s hour", "in %s hours", n),
                              count);
    }

  days = (guint) MIN (seconds / 86400 + (seconds % 86400 != 0), G_MAXUINT);
  count = bd_format_count (days);

  /* Translators: how long until a deadline, rounded up to whole days, placed
   * in a sentence such as "The refund window closes in 2 days"; %s is the
   * number.
   */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %s day", "in %s days", days), count);
}

/**
 * bd_format_role:
 * @roles: a user's roles, a mask of BD_ROLE_MASK ()
 *
 * Returns: the name of the strongest of @roles, such as "Global admin"
 */
const char *
bd_format_role (guint roles)
{
  if (roles & BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN))
    return _("Global admin");
  if (roles & BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN))
    return _("Billing admin");
  if (roles & BD_ROLE_MASK (BD_ROLE_GLOBAL_READER))
    return _("Global reader");
  return _("User");
}

/**
 * bd_format_status:
 *
 * Returns: the name of @status, such as "Active"
 */
const char *
bd_format_status (BdStatus status)
{
  switch (status)
    {
    case BD_STATUS_ACTIVE:
      return C_("subscription status", "Active");
    case BD_STATUS_EXPIRED:
      return C_("subscription status", "Expired");
    case BD_STATUS_DISABLED:
      return C_("subscription status", "Disabled");
    case BD_STATUS_DELETED:
      return C_("subscription status", "Deleted");
    default:
      return "";
    }
}

/**
 * bd_format_recurring_billing:
 *
 * Returns: the state @value names, such as "Off" (a state, not the verb
 *   the recurring billing dialog offers)
 */
const char *
bd_format_recurring_billing (BdRecurringBilling value)
{
  switch (value)
    {
    case BD_RECURRING_BILLING_ON:
      return C_("recurring billing state", "On");
    case BD_RECURRING_BILLING_RENEW_ONCE:
      return C_("recurring billing state", "On, but renew once");
    case BD_RECURRING_BILLING_OFF:
      return C_("recurring billing state", "Off");
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * bd_format_cancel_reason:
 *
 * Returns: the words of @reason as the cancel pane offers it, such as
 *   "Too expensive"
 */
const char *
bd_format_cancel_reason (BdCancelReason reason)
{
  switch (reason)
    {
    case BD_CANCEL_REASON_TOO_EXPENSIVE:
      return _("Too expensive");
    case BD_CANCEL_REASON_NO_LONGER_NEEDED:
      return _("No longer needed");
    case BD_CANCEL_REASON_SWITCHING_TO_OTHER_MICROSOFT_PRODUCT:
      return _("Switching to another Microsoft product");
    case BD_CANCEL_REASON_SWITCHING_TO_COMPETITOR:
      return _("Switching to another provider");
    case BD_CANCEL_REASON_MISSING_FEATURES:
      return _("Missing features we need");
    case BD_CANCEL_REASON_TOO_DIFFICULT:
      return _("Too difficult to use");
    case BD_CANCEL_REASON_TEMPORARY_PROJECT_ENDED:
      return _("The project it was for has ended");
    case BD_CANCEL_REASON_OTHER:
      return _("Other (please tell us why)");
    default:
      return "";
    }
}
