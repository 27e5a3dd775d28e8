/* bd-time.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "bd-core-types.h"

G_BEGIN_DECLS

/* Times are gint64 seconds since the Unix epoch, UTC, years 0001..9999.
 * Nothing here reads the system clock: `now` is always passed in.
 */

#define BD_TIME_MIN ((gint64) -62135596800)  /* 0001-01-01T00:00:00Z */
#define BD_TIME_MAX ((gint64) 253402300799)  /* 9999-12-31T23:59:59Z */

/* bd_time_format_to ()'s buffer: `2026-11-03T00:00:00Z` and its NUL. */
#define BD_TIME_FORMAT_SIZE 21

gboolean bd_time_parse_rfc3339  (const char         *str,
                                 gint64             *value);
gboolean bd_time_parse_relative (const char         *str,
                                 gint64              now,
                                 gint64             *value);
char    *bd_time_format         (gint64              value);
void     bd_time_format_to      (gint64              value,
                                 char                buf[BD_TIME_FORMAT_SIZE]);
gint64   bd_time_add_months     (gint64              value,
                                 gint                months);
gint64   bd_time_add_periods    (gint64              start,
                                 BdBillingFrequency  frequency,
                                 gint                n);
gint64   bd_time_next_on_grid   (gint64              start,
                                 BdBillingFrequency  frequency,
                                 gint64              after);

G_END_DECLS
