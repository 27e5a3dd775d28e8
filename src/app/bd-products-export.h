/* bd-products-export.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-products-page.h"

G_BEGIN_DECLS

void bd_products_export_choose  (BdProductsPage *page);
void bd_products_export_to_file (BdProductsPage *page,
                                 GFile          *file,
                                 BdCsvFlavour    flavour);

G_END_DECLS
