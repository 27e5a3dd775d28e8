/* bd-bulk-summary.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-bulk-run.h"

G_BEGIN_DECLS

/* What a bulk Turn Off Recurring Billing did, in words: the summary
 * dialog's heading and its lists (changed; skipped and why; failed and
 * why; result not known; not sent after Cancel). No widgets: the products
 * page shows them (bd-products-page-selection.c).
 */

char       *bd_bulk_summary_heading     (BdBulkRun *run);
char       *bd_bulk_summary_text        (BdBulkRun *run);
const char *bd_bulk_summary_skip_reason (BdBulkRun *run,
                                         guint      index);

G_END_DECLS
