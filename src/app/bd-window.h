/* bd-window.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-account.h"
#include "bd-client.h"

G_BEGIN_DECLS

#define BD_TYPE_WINDOW (bd_window_get_type ())

G_DECLARE_FINAL_TYPE (BdWindow, bd_window, BD, WINDOW, AdwApplicationWindow)

BdWindow  *bd_window_new               (GtkApplication *application);
BdClient  *bd_window_get_client        (BdWindow       *self);
void       bd_window_set_client        (BdWindow       *self,
                                        BdClient       *client);
void       bd_window_show_error        (BdWindow       *self,
                                        const char     *title,
                                        const char     *description);
GtkWidget *bd_window_get_products_page (BdWindow       *self);
BdAccount *bd_window_get_account       (BdWindow       *self);
void       bd_window_open_account      (BdWindow       *self,
                                        BdAccount      *account,
                                        const char     *demo_user_id);
void       bd_window_open_session      (BdWindow       *self,
                                        const char     *service_url);
void       bd_window_open_like         (BdWindow       *self,
                                        BdWindow       *other);
char      *bd_window_dup_account_key   (BdWindow       *self);
void       bd_window_show_subscription (BdWindow       *self,
                                        const char     *id);

G_END_DECLS
