/* bd-activity-export.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-activity-page.h"

G_BEGIN_DECLS

void bd_activity_export_choose  (BdActivityPage *page);
void bd_activity_export_to_file (BdActivityPage *page,
                                 GFile          *file,
                                 BdCsvFlavour    flavour);

G_END_DECLS
