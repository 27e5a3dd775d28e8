/* bd-worker-pool-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-store.h"

G_BEGIN_DECLS

/* A few threads, each with a store of its own (bd-store.h: one connection,
 * used by one thread at a time), that run jobs taken in order from one
 * queue, changes holding all threads but one at most (bd-worker-pool.c). What a job found goes back to the main context the pool was made
 * on: the server's, the only one that touches a SoupServerMessage.
 */
typedef struct _BdWorkerPool BdWorkerPool;

/* Runs on a worker thread, with that worker's store. It keeps what it
 * found in @data, for the done function.
 */
typedef void (*BdWorkerFunc)     (BdStore  *store,
                                  gpointer  data);

/* Runs on the pool's main context, once per job: @ran is %FALSE when the
 * pool stopped before the job's turn came. It frees @data.
 */
typedef void (*BdWorkerDoneFunc) (gpointer  data,
                                  gboolean  ran);

BdWorkerPool *_bd_worker_pool_new           (GPtrArray        *stores,
                                             GMainContext     *context);
guint         _bd_worker_pool_get_n_workers (BdWorkerPool     *self);
void          _bd_worker_pool_push          (BdWorkerPool     *self,
                                             BdWorkerFunc      work,
                                             BdWorkerDoneFunc  done,
                                             gpointer          data,
                                             gboolean          change);
void          _bd_worker_pool_free          (BdWorkerPool     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdWorkerPool, _bd_worker_pool_free)

G_END_DECLS
