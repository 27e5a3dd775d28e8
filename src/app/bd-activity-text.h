/* bd-activity-text.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-core.h"

G_BEGIN_DECLS

/* A ledger entry in words, as the Activity page shows it: who did what to
 * which subscription (and why), what changed or came back, and when; and
 * the row that says them.
 */

char      *bd_activity_text_sentence (BdOperation *operation);
char      *bd_activity_text_detail   (BdOperation *operation);
char      *bd_activity_text_time     (BdOperation *operation);
GtkWidget *bd_activity_text_new_row  (BdOperation *operation);

G_END_DECLS
