/* bd-cancel-pane.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-client.h"

G_BEGIN_DECLS

/* The Cancel Subscription pane: what will happen, before you begin,
 * the blockers with their alternatives, the reason and feedback, Save, and
 * the outcome — a refusal, an unknown outcome with Check Again, or success
 * with the next steps.
 */

#define BD_TYPE_CANCEL_PANE (bd_cancel_pane_get_type ())

G_DECLARE_FINAL_TYPE (BdCancelPane, bd_cancel_pane, BD, CANCEL_PANE, GtkWidget)

BdCancelPane   *bd_cancel_pane_new              (void);
void            bd_cancel_pane_open             (BdCancelPane   *self,
                                                 BdClient       *client,
                                                 BdSubscription *subscription,
                                                 BdCloud         cloud,
                                                 gint64          now);
BdSubscription *bd_cancel_pane_get_subscription (BdCancelPane   *self);
gboolean        bd_cancel_pane_get_busy         (BdCancelPane   *self);
gboolean        bd_cancel_pane_request_close    (BdCancelPane   *self);
gboolean        bd_cancel_pane_has_focus        (BdCancelPane   *self);

G_END_DECLS
