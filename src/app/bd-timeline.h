/* bd-timeline.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A subscription's life on one line: today, the refund window's end, the
 * term's end and the data dates, each a mark with its label and date under
 * it, spaced by time; marks in the past dim; the same facts in sentences
 * for screen readers; mirrored right to left.
 */

#define BD_TYPE_TIMELINE (bd_timeline_get_type ())

G_DECLARE_FINAL_TYPE (BdTimeline, bd_timeline, BD, TIMELINE, GtkWidget)

BdTimeline *bd_timeline_new       (void);
void        bd_timeline_set_dates (BdTimeline *self,
                                   gint64      now,
                                   gint64      window_end,
                                   gint64      term_end,
                                   gint64      deletable_from,
                                   gint64      deleted_by);

G_END_DECLS
