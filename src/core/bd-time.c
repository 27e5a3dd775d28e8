/* bd-time.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-time"

#include "config.h"

#include "bd-time.h"

/* Calendar arithmetic on the proleptic Gregorian calendar, after Howard
 * Hinnant's days_from_civil / civil_from_days: exact, no time zone, no
 * system clock, and no GDateTime allocation on the hot path of every read.
 */

static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  guint yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (guint) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static void
civil_from_days (gint64  z,
                 gint64 *y,
                 guint  *m,
                 guint  *d)
{
  gint64 era;
  guint doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (guint) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (gint64) yoe + era * 400 + (*m <= 2);
}

static gboolean
is_leap_year (gint64 y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static guint
days_in_month (gint64 y,
               guint  m)
{
  static const guint days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (m == 2 && is_leap_year (y))
    return 29;
  return days[m - 1];
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static void
split (gint64  value,
       gint64 *y,
       guint  *m,
       guint  *d,
       gint64 *seconds_of_day)
{
  gint64 days = floor_div (value, BD_SECONDS_PER_DAY);

  *seconds_of_day = value - days * BD_SECONDS_PER_DAY;
  civil_from_days (days, y, m, d);
}

static gboolean
read_digits (const char **p,
             guint        n,
             guint       *value)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    {
      char c = (*p)[i];

      if (c < '0' || c > '9')
        return FALSE;
      v = v * 10 + (guint) (c - '0');
    }

  *p += n;
  *value = v;
  return TRUE;
}

static gboolean
expect_char (const char **p,
             char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/**
 * bd_time_parse_rfc3339:
 * @str: such as `2026-11-03T00:00:00Z` or `2026-11-03T01:00:00+01:00`
 *
 * Reads an RFC 3339 date-time in whole seconds. Impossible dates
 * (`2026-02-30`), leap seconds, fractions of a second, lowercase `t`/`z` and
 * years outside 0001..9999 are refused.
 */
gboolean
bd_time_parse_rfc3339 (const char *str,
                       gint64     *value)
{
  const char *p = str;
  guint year, month, day, hour, minute, second;
  gint64 offset = 0;
  gint64 result;

  g_return_val_if_fail (value != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  if (!read_digits (&p, 4, &year) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &month) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &day) || !expect_char (&p, 'T') ||
      !read_digits (&p, 2, &hour) || !expect_char (&p, ':') ||
      !read_digits (&p, 2, &minute) || !expect_char (&p, ':') ||
      !read_digits (&p, 2, &second))
    return FALSE;

  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month (year, month) ||
      hour > 23 || minute > 59 || second > 59)
    return FALSE;

  if (*p == 'Z')
    {
      p++;
    }
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      guint off_hour, off_minute;

      p++;
      if (!read_digits (&p, 2, &off_hour) || !expect_char (&p, ':') ||
          !read_digits (&p, 2, &off_minute) || off_hour > 23 || off_minute > 59)
        return FALSE;
      offset = sign * ((gint64) off_hour * BD_SECONDS_PER_HOUR +
                       (gint64) off_minute * BD_SECONDS_PER_MINUTE);
    }
  else
    {
      return FALSE;
    }

  if (*p != '\0')
    return FALSE;

  result = days_from_civil (year, month, day) * BD_SECONDS_PER_DAY +
           (gint64) hour * BD_SECONDS_PER_HOUR + (gint64) minute * BD_SECONDS_PER_MINUTE +
           (gint64) second - offset;

  if (result < BD_TIME_MIN || result > BD_TIME_MAX)
    return FALSE;

  *value = result;
  return TRUE;
}

/**
 * bd_time_parse_relative:
 * @str: `now`, or `now` followed by a sign and days, hours and minutes in
 *   that order, each at most once: `now-3d`, `now+27d12h`, `now+90m`
 *
 * Reads a time written relative to @now, as tenant files may.
 */
gboolean
bd_time_parse_relative (const char *str,
                        gint64      now,
                        gint64     *value)
{
  static const struct {
    char   unit;
    gint64 seconds;
  } units[] = {
    { 'd', BD_SECONDS_PER_DAY },
    { 'h', BD_SECONDS_PER_HOUR },
    { 'm', BD_SECONDS_PER_MINUTE },
  };
  const char *p;
  gint64 delta = 0;
  guint next_unit = 0;
  int sign;

  g_return_val_if_fail (value != NULL, FALSE);

  if (str == NULL || !g_str_has_prefix (str, "now") || now == BD_TIME_NONE)
    return FALSE;

  p = str + 3;
  if (*p == '\0')
    {
      *value = now;
      return TRUE;
    }

  if (*p != '+' && *p != '-')
    return FALSE;
  sign = *p == '-' ? -1 : 1;
  p++;

  while (*p != '\0')
    {
      gint64 n = 0;
      guint n_digits = 0;
      gboolean found = FALSE;

      while (*p >= '0' && *p <= '9')
        {
          /* Ten digits of days already reach far beyond year 9999. */
          if (++n_digits > 9)
            return FALSE;
          n = n * 10 + (*p - '0');
          p++;
        }

      if (n_digits == 0)
        return FALSE;

      for (; next_unit < G_N_ELEMENTS (units) && !found; next_unit++)
        {
          if (units[next_unit].unit == *p)
            {
              delta += n * units[next_unit].seconds;
              found = TRUE;
            }
        }

      if (!found)
        return FALSE;
      p++;
    }

  if (next_unit == 0)
    return FALSE;

  if (sign < 0 ? now - delta < BD_TIME_MIN : now + delta > BD_TIME_MAX)
    return FALSE;

  *value = now + sign * delta;
  return TRUE;
}

/**
 * bd_time_format:
 *
 * Returns: (transfer full): @value as RFC 3339 UTC, `2026-11-03T00:00:00Z`
 */
char *
bd_time_format (gint64 value)
{
  char buf[BD_TIME_FORMAT_SIZE];

  g_return_val_if_fail (value >= BD_TIME_MIN && value <= BD_TIME_MAX, NULL);

  bd_time_format_to (value, buf);
  return g_strdup (buf);
}

/* @n as @width decimal digits, zero-padded, at @p. */
static char *
put_digits (char  *p,
            guint  n,
            guint  width)
{
  for (guint i = width; i > 0; i--)
    {
      p[i - 1] = (char) ('0' + n % 10);
      n /= 10;
    }
  return p + width;
}

/**
 * bd_time_format_to:
 * @buf: (out caller-allocates): where the text and its NUL go
 *
 * bd_time_format () without an allocation (and without printf): for the
 * service's list, which writes six times a row.
 */
void
bd_time_format_to (gint64 value,
                   char   buf[BD_TIME_FORMAT_SIZE])
{
  gint64 y, sod;
  guint m, d;
  char *p = buf;

  g_return_if_fail (value >= BD_TIME_MIN && value <= BD_TIME_MAX);

  split (value, &y, &m, &d, &sod);
  p = put_digits (p, (guint) y, 4);
  *p++ = '-';
  p = put_digits (p, m, 2);
  *p++ = '-';
  p = put_digits (p, d, 2);
  *p++ = 'T';
  p = put_digits (p, (guint) (sod / BD_SECONDS_PER_HOUR), 2);
  *p++ = ':';
  p = put_digits (p, (guint) (sod / BD_SECONDS_PER_MINUTE % 60), 2);
  *p++ = ':';
  p = put_digits (p, (guint) (sod % 60), 2);
  *p++ = 'Z';
  *p = '\0';
}

/**
 * bd_time_add_months:
 *
 * Adds calendar months, cutting the day back in shorter months (Jan 31 + 1
 * month is Feb 28 or 29) and keeping the time of day.
 *
 * Returns: the new time, or %BD_TIME_NONE past year 9999 or before year 1
 */
gint64
bd_time_add_months (gint64 value,
                    gint   months)
{
  gint64 y, sod, month_index, result;
  guint m, d, new_m, new_d;

  if (value < BD_TIME_MIN || value > BD_TIME_MAX)
    return BD_TIME_NONE;

  split (value, &y, &m, &d, &sod);
  month_index = y * 12 + (m - 1) + months;
  y = floor_div (month_index, 12);
  new_m = (guint) (month_index - y * 12) + 1;

  if (y < 1 || y > 9999)
    return BD_TIME_NONE;

  new_d = MIN (d, days_in_month (y, new_m));
  result = days_from_civil (y, new_m, new_d) * BD_SECONDS_PER_DAY + sod;

  return result;
}

static gint
months_per_period (BdBillingFrequency frequency)
{
  switch (frequency)
    {
    case BD_BILLING_FREQUENCY_MONTHLY:
      return 1;
    case BD_BILLING_FREQUENCY_ANNUAL:
      return 12;
    case BD_BILLING_FREQUENCY_TRIENNIAL:
      return 36;
    default:
      g_return_val_if_reached (1);
    }
}

/**
 * bd_time_add_periods:
 *
 * Returns: @start plus @n billing periods (the start's grid, rule 11), or
 *   %BD_TIME_NONE outside years 0001..9999
 */
gint64
bd_time_add_periods (gint64             start,
                     BdBillingFrequency frequency,
                     gint               n)
{
  gint64 months = (gint64) n * months_per_period (frequency);

  if (months > 12 * 10000 || months < -12 * 10000)
    return BD_TIME_NONE;

  return bd_time_add_months (start, (gint) months);
}

/**
 * bd_time_next_on_grid:
 *
 * Returns: the first date of the start's grid (@start + n periods, n >= 1)
 *   after @after, or %BD_TIME_NONE past year 9999
 */
gint64
bd_time_next_on_grid (gint64             start,
                      BdBillingFrequency frequency,
                      gint64             after)
{
  gint64 sy, ay, sod;
  guint sm, sd, am, ad;
  gint64 months, n;
  gint period = months_per_period (frequency);
  gint64 candidate;

  if (after < start)
    return bd_time_add_periods (start, frequency, 1);

  split (start, &sy, &sm, &sd, &sod);
  split (after, &ay, &am, &ad, &sod);

  /* Jump close to the answer, then step: at most a couple of iterations. */
  months = (ay - sy) * 12 + ((gint64) am - (gint64) sm);
  n = MAX (1, months / period);

  while (n > 1)
    {
      candidate = bd_time_add_periods (start, frequency, (gint) (n - 1));
      if (candidate == BD_TIME_NONE || candidate <= after)
        break;
      n--;
    }

  for (;;)
    {
      candidate = bd_time_add_periods (start, frequency, (gint) n);
      if (candidate == BD_TIME_NONE || candidate > after)
        return candidate;
      n++;
    }
}
