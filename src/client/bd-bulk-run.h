/* bd-bulk-run.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bd-client.h"

G_BEGIN_DECLS

/* What became of one subscription of a bulk Turn Off Recurring Billing. */
typedef enum
{
  BD_BULK_OUTCOME_WAITING,     /* not sent yet */
  BD_BULK_OUTCOME_SENDING,     /* sent, its answer awaited */
  BD_BULK_OUTCOME_CHANGED,     /* the service turned recurring billing off */
  BD_BULK_OUTCOME_SKIPPED,     /* not sent: a blocker, or already off */
  BD_BULK_OUTCOME_FAILED,      /* refused by the service */
  BD_BULK_OUTCOME_UNKNOWN,     /* a 5xx or no answer: it may or may not be off */
  BD_BULK_OUTCOME_NOT_STARTED, /* the run was stopped before it was sent */
} BdBulkOutcome;

#define BD_BULK_RUN_MAX_IN_FLIGHT 4

#define BD_TYPE_BULK_RUN (bd_bulk_run_get_type ())

G_DECLARE_FINAL_TYPE (BdBulkRun, bd_bulk_run, BD, BULK_RUN, GObject)

BdBulkRun      *bd_bulk_run_new              (BdClient      *client,
                                              GPtrArray     *subscriptions,
                                              guint          max_in_flight);
void            bd_bulk_run_start_async      (BdBulkRun     *self,
                                              GCancellable  *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer       user_data);
gboolean        bd_bulk_run_start_finish     (BdBulkRun     *self,
                                              GAsyncResult  *result,
                                              GError       **error);
void            bd_bulk_run_stop             (BdBulkRun     *self);
gboolean        bd_bulk_run_get_stopping     (BdBulkRun     *self);
guint           bd_bulk_run_get_n_items      (BdBulkRun     *self);
guint           bd_bulk_run_get_n_to_send    (BdBulkRun     *self);
guint           bd_bulk_run_get_n_sent       (BdBulkRun     *self);
guint           bd_bulk_run_get_n_answered   (BdBulkRun     *self);
guint           bd_bulk_run_count            (BdBulkRun     *self,
                                              BdBulkOutcome  outcome);
BdSubscription *bd_bulk_run_get_subscription (BdBulkRun     *self,
                                              guint          index);
BdBulkOutcome   bd_bulk_run_get_outcome      (BdBulkRun     *self,
                                              guint          index);
BdBlocker       bd_bulk_run_get_blocker      (BdBulkRun     *self,
                                              guint          index);
const GError   *bd_bulk_run_get_error        (BdBulkRun     *self,
                                              guint          index);

G_END_DECLS
