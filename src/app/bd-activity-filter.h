/* bd-activity-filter.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-core.h"

G_BEGIN_DECLS

/* Activity's filter: a dropdown of "All Subscriptions", then the
 * subscriptions of Your Products as they were when the page was shown.
 */
typedef struct _BdActivityFilter BdActivityFilter;

BdActivityFilter *bd_activity_filter_new               (GtkDropDown      *dropdown);
void              bd_activity_filter_free              (BdActivityFilter *self);
void              bd_activity_filter_set_subscriptions (BdActivityFilter *self,
                                                        GListModel       *subscriptions);
guint             bd_activity_filter_find              (BdActivityFilter *self,
                                                        const char       *id);
const char       *bd_activity_filter_item_id           (gpointer          item);

G_END_DECLS
