/* bd-products-page.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-client.h"

G_BEGIN_DECLS

#define BD_TYPE_PRODUCTS_PAGE (bd_products_page_get_type ())

G_DECLARE_FINAL_TYPE (BdProductsPage, bd_products_page, BD, PRODUCTS_PAGE, GtkWidget)

void        bd_products_page_set_account     (BdProductsPage *self,
                                              const char     *title,
                                              const char     *service_url,
                                              const char     *user_id);
void        bd_products_page_set_client      (BdProductsPage *self,
                                              BdClient       *client);
void        bd_products_page_reload          (BdProductsPage *self);
gboolean    bd_products_page_is_loading      (BdProductsPage *self);
gboolean    bd_products_page_is_offline      (BdProductsPage *self);
void        bd_products_page_show_signed_out (BdProductsPage *self,
                                              const char     *reason);
void        bd_products_page_stop_caching    (BdProductsPage *self);
GListModel *bd_products_page_get_model       (BdProductsPage *self);
void        bd_products_page_set_server_time (BdProductsPage *self,
                                              gint64          server_time);
void        bd_products_page_show_error      (BdProductsPage *self,
                                              const char     *title,
                                              const char     *description);
void        bd_products_page_focus_search    (BdProductsPage *self);
GtkSearchBar *bd_products_page_get_search_bar (BdProductsPage *self);
GListModel   *bd_products_page_get_shown      (BdProductsPage *self);
void          bd_products_page_set_search     (BdProductsPage *self,
                                               const char     *text);
void          bd_products_page_set_selection_mode (BdProductsPage *self,
                                                   gboolean        selection_mode);
gboolean      bd_products_page_get_selection_mode (BdProductsPage *self);
GtkSelectionModel *bd_products_page_get_selection (BdProductsPage *self);
gboolean      bd_products_page_is_busy        (BdProductsPage *self);

G_END_DECLS
