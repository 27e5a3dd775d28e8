/* bd-reminders.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bd-core.h"

G_BEGIN_DECLS

#define BD_TYPE_REMINDERS (bd_reminders_get_type ())

G_DECLARE_FINAL_TYPE (BdReminders, bd_reminders, BD, REMINDERS, GObject)

/* The limit: a refund window closing within this many seconds is reminded of. */
#define BD_REMINDERS_AHEAD (24 * 60 * 60)

BdReminders *bd_reminders_new        (GApplication   *application,
                                      GSettings      *settings,
                                      const char     *path);
gint64       bd_reminders_window_end (BdSubscription *subscription);
guint        bd_reminders_check      (BdReminders    *self,
                                      const char     *account_key,
                                      GListModel     *subscriptions,
                                      gint64          now);
char        *bd_reminders_dup_body   (const char     *product_name,
                                      gint64          window_end,
                                      gint64          now);

G_END_DECLS
