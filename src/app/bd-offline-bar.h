/* bd-offline-bar.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BD_TYPE_OFFLINE_BAR (bd_offline_bar_get_type ())

G_DECLARE_FINAL_TYPE (BdOfflineBar, bd_offline_bar, BD, OFFLINE_BAR, GtkWidget)

void        bd_offline_bar_show      (BdOfflineBar *self,
                                      gint64        saved_at);
void        bd_offline_bar_hide      (BdOfflineBar *self);
gboolean    bd_offline_bar_is_shown  (BdOfflineBar *self);
const char *bd_offline_bar_get_text  (BdOfflineBar *self);

G_END_DECLS
