/* bd-activity-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-client.h"

G_BEGIN_DECLS

#define BD_TYPE_ACTIVITY_PAGE (bd_activity_page_get_type ())

G_DECLARE_FINAL_TYPE (BdActivityPage, bd_activity_page, BD, ACTIVITY_PAGE, GtkWidget)

void        bd_activity_page_set_client        (BdActivityPage *self,
                                                BdClient       *client);
void        bd_activity_page_set_user          (BdActivityPage *self,
                                                BdUser         *user);
void        bd_activity_page_set_subscriptions (BdActivityPage *self,
                                                GListModel     *subscriptions);
void        bd_activity_page_show              (BdActivityPage *self,
                                                const char     *subscription_id);
void        bd_activity_page_reload            (BdActivityPage *self);
const char *bd_activity_page_get_filter        (BdActivityPage *self);
GListModel *bd_activity_page_get_entries       (BdActivityPage *self);
gboolean    bd_activity_page_is_loading        (BdActivityPage *self);
gboolean    bd_activity_page_has_more          (BdActivityPage *self);
const char *bd_activity_page_get_state         (BdActivityPage *self);
void        bd_activity_page_load_all_async    (BdActivityPage      *self,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean    bd_activity_page_load_all_finish   (GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
