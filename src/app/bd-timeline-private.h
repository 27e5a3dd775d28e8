/* bd-timeline-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-timeline.h"

G_BEGIN_DECLS

/* The marks, in the order of a subscription's life. */
typedef enum
{
  BD_TIMELINE_TODAY,
  BD_TIMELINE_WINDOW_END,
  BD_TIMELINE_TERM_END,
  BD_TIMELINE_DELETABLE,
  BD_TIMELINE_DELETED,
} BdTimelineMark;

#define BD_TIMELINE_N_MARKS (BD_TIMELINE_DELETED + 1)

/* For the tests: a mark's label, and where its mark is drawn. */
GtkLabel *_bd_timeline_get_mark_label (BdTimeline     *self,
                                       BdTimelineMark  mark);
double    _bd_timeline_get_mark_x     (BdTimeline     *self,
                                       BdTimelineMark  mark);

G_END_DECLS
