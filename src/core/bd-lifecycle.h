/* bd-lifecycle.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-subscription-data.h"

G_BEGIN_DECLS

/* Rules 9-12: how the dates and a clock move a subscription along
 * Active -> Expired (30 days) -> Disabled (90 days) -> Deleted, renew it, and
 * what cancelling, reactivating and deleting do to it. These functions apply
 * changes; whether a change is allowed is for bd-rules.h to say.
 */

#define BD_EXPIRED_DAYS         30
#define BD_DISABLED_DAYS        90
#define BD_DATA_DELETABLE_DAYS  30
#define BD_DATA_DELETED_DAYS   180

gboolean bd_lifecycle_derive              (BdSubscriptionData       *data,
                                           gint64                    now);
gboolean bd_lifecycle_import              (BdSubscriptionData       *data,
                                           gint64                    now);
gint64   bd_lifecycle_next_term_end       (const BdSubscriptionData *data,
                                           gint64                    term_end);
gint64   bd_lifecycle_next_date           (const BdSubscriptionData *data);
void     bd_lifecycle_cancel              (BdSubscriptionData       *data,
                                           gint64                    now);
void     bd_lifecycle_reactivate          (BdSubscriptionData       *data,
                                           gint64                    now);
void     bd_lifecycle_delete              (BdSubscriptionData       *data,
                                           gint64                    now);
void     bd_lifecycle_data_retention      (gint64                    cancelled,
                                           gint64                   *deletable_from,
                                           gint64                   *deleted_by);

G_END_DECLS
