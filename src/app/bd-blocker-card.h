/* bd-blocker-card.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bd-core.h"

G_BEGIN_DECLS

/* One reason a subscription can't be cancelled, on the Cancel Subscription
 * pane: its sentence, and the alternatives offered in its place.
 * The buttons activate the pane's actions ("pane.reduce-licenses",
 * "pane.turn-off-recurring-billing", "pane.reactivate").
 */

#define BD_TYPE_BLOCKER_CARD (bd_blocker_card_get_type ())

G_DECLARE_FINAL_TYPE (BdBlockerCard, bd_blocker_card, BD, BLOCKER_CARD, GtkWidget)

BdBlockerCard *bd_blocker_card_new                 (BdBlocker                 blocker,
                                                    const BdSubscriptionData *data,
                                                    gint64                    window_end,
                                                    BdCloud                   cloud);
void           bd_blocker_card_add_alternative     (BdBlockerCard            *self,
                                                    BdAlternative             alternative,
                                                    gboolean                  suggested);
gboolean       bd_blocker_card_get_offers_turn_off (BdBlockerCard            *self);
void           bd_blocker_card_set_turning_off     (BdBlockerCard            *self,
                                                    gboolean                  turning_off);
void           bd_blocker_card_show_turned_off     (BdBlockerCard            *self,
                                                    gint64                    term_end);
void           bd_blocker_card_show_turn_off_error (BdBlockerCard            *self,
                                                    const char               *message);

G_END_DECLS
