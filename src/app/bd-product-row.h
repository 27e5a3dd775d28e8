/* bd-product-row.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bd-core.h"

G_BEGIN_DECLS

#define BD_TYPE_PRODUCT_ROW (bd_product_row_get_type ())

G_DECLARE_FINAL_TYPE (BdProductRow, bd_product_row, BD, PRODUCT_ROW, GtkWidget)

BdProductRow   *bd_product_row_new              (void);
BdSubscription *bd_product_row_get_subscription (BdProductRow   *self);
void            bd_product_row_set_subscription (BdProductRow   *self,
                                                 BdSubscription *subscription,
                                                 const char     *profile_name,
                                                 gint64          now);
void            bd_product_row_set_unavailable  (BdProductRow   *self,
                                                 const char     *reason);
void            bd_product_row_set_selection    (BdProductRow   *self,
                                                 gboolean        selection_mode,
                                                 gboolean        selected);

void            bd_product_row_popup_menu       (BdProductRow   *self);

G_END_DECLS
