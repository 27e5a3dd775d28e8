/* bd-blocker-text.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-core.h"

G_BEGIN_DECLS

/* The app's one table of blocker sentences: why an action can't be done
 * now, in the words of the place that says it. Each place has its own
 * sentence for a blocker (a menu line is short and has no full stop, a
 * dialog names the product, the cancel pane speaks of cancelling), but
 * every sentence lives in bd-blocker-text.c, so that a blocker added to
 * core gets its words in one place.
 *
 * Users: the row menu (bd-product-row.c), the row's action dialogs
 * (bd-action-dialog.c) and the Cancel Subscription pane, whose blocker
 * cards use bd_blocker_text_for_cancel_pane ().
 */

const char *bd_blocker_text_for_menu        (const BdSubscriptionData *data,
                                             BdAction                  action,
                                             BdBlocker                 blocker);
char       *bd_blocker_text_for_dialog      (const BdSubscriptionData *data,
                                             BdAction                  action,
                                             BdBlocker                 blocker);
char       *bd_blocker_text_for_cancel_pane (const BdSubscriptionData *data,
                                             BdBlocker                 blocker,
                                             gint64                    window_end);

G_END_DECLS
