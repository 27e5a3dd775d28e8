/* bd-format.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-core.h"

G_BEGIN_DECLS

/* Money, counts, dates and "in N days" in the interface language, through ICU:
 * the language is the first of g_get_language_names () for which the app
 * has a catalog (or "en"), not ICU's default locale, which ignores
 * LANGUAGE.
 */

const char *bd_format_get_language      (void);
void        bd_format_set_language      (const char    *language);
gboolean    bd_format_is_right_to_left  (void);
char       *bd_format_money             (const BdMoney *money);
char       *bd_format_count             (guint          n);
guint       bd_format_currency_digits   (const char    *currency);
gboolean    bd_format_uses_decimal_comma (void);
char       *bd_format_language_name     (void);
char       *bd_format_date              (gint64         time);
char       *bd_format_date_time         (gint64         time);
char       *bd_format_time_until        (gint64         time,
                                         gint64         now);
const char *bd_format_role              (guint          roles);
const char *bd_format_status            (BdStatus       status);
const char *bd_format_cancel_reason     (BdCancelReason reason);
const char *bd_format_recurring_billing (BdRecurringBilling value);

G_END_DECLS
