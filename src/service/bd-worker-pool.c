/* bd-worker-pool.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-worker-pool"

#include "config.h"

#include "bd-server.h"
#include "bd-worker-pool-private.h"

/* How long _bd_worker_pool_free () waits for the jobs in hand: as long as
 * a stopping service waits for its requests. A store call is bounded by
 * its own timeouts (SQLite's busy timeout, PostgreSQL's lock_timeout, both
 * shorter); this only keeps a stuck one from holding up the exit.
 */
#define STOP_TIMEOUT_USEC (BD_SERVER_SHUTDOWN_SECONDS * G_USEC_PER_SEC)

typedef struct
{
  BdWorkerFunc     work;  /* NULL: the worker that takes this stops */
  BdWorkerDoneFunc done;
  gpointer         data;
  gboolean         change;
} Job;

/* One queue, in order, with one exception: a change may wait for locks
 * (another request's or instance's row, Idempotency-Key), for as long as
 * the store's lock bound, and changes of one subscription would take every
 * worker and stall the instance, /v1/health included. So changes hold at
 * most all workers but one at a time: while they do, a free worker passes
 * over the queued changes and takes the first read. Changes still start in
 * the order they came, and so do reads.
 */
struct _BdWorkerPool
{
  gint          ref_count;  /* atomic: the owner's, and one per running worker */
  GMainContext *context;
  GPtrArray    *threads;    /* of GThread; the owner's alone */
  GMutex        mutex;
  GCond         cond;       /* a worker stopped */
  GCond         queued;     /* a job came, or a change ended */
  GQueue        queue;      /* of Job, under the mutex */
  guint         n_running;  /* under the mutex */
  guint         n_changes;  /* running, under the mutex */
  guint         max_changes;
};

/* What one thread owns: its store, which no other thread touches. */
typedef struct
{
  BdWorkerPool *pool;
  BdStore      *store;
} Worker;

/*
 * Helpers
 */

static BdWorkerPool *
pool_ref (BdWorkerPool *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

static void
pool_unref (BdWorkerPool *self)
{
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_main_context_unref (self->context);
  g_ptr_array_unref (self->threads);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_cond_clear (&self->queued);
  g_queue_clear_full (&self->queue, g_free);
  g_free (self);
}

static gboolean
deliver_cb (gpointer user_data)
{
  Job *job = user_data;

  job->done (job->data, TRUE);

  return G_SOURCE_REMOVE;
}

/* Hands a job that ran back to the main context. Not with
 * g_main_context_invoke (): on a thread whose default context is the
 * pool's (the global default context, in the service), it runs the
 * function right there whenever the context is free to acquire — on the
 * worker. An idle source always runs where the context is iterated.
 */
static void
deliver (BdWorkerPool *self,
         Job          *job)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, job, g_free);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* Takes the next job a worker may start (see _BdWorkerPool), waiting for
 * one; a stop mark is always taken.
 */
static Job *
take_job (BdWorkerPool *self)
{
  Job *job = NULL;

  g_mutex_lock (&self->mutex);
  while (job == NULL)
    {
      for (GList *l = self->queue.head; l != NULL; l = l->next)
        {
          Job *queued = l->data;

          /* Out of the loop at once: the link is freed. */
          if (!queued->change || self->n_changes < self->max_changes)
            {
              job = queued;
              g_queue_delete_link (&self->queue, l);
              break;
            }
        }
      if (job == NULL)
        g_cond_wait (&self->queued, &self->mutex);
    }
  if (job->change)
    self->n_changes++;
  g_mutex_unlock (&self->mutex);

  return job;
}

static void
end_change (BdWorkerPool *self)
{
  g_mutex_lock (&self->mutex);
  self->n_changes--;
  g_cond_broadcast (&self->queued);
  g_mutex_unlock (&self->mutex);
}

static gpointer
run_worker (gpointer user_data)
{
  Worker *worker = user_data;
  BdWorkerPool *self = worker->pool;
  Job *job;

  while ((job = take_job (self))->work != NULL)
    {
      gboolean change = job->change;

      job->work (worker->store, job->data);
      deliver (self, job);
      if (change)
        end_change (self);

      /* What the store put off (SQLite's checkpoint): no answer waits for it. */
      bd_store_maintain (worker->store);
    }
  g_free (job);

  /* The connection closes on the thread that used it, and before the
   * owner hears that this worker stopped: a database may then be dropped.
   */
  g_clear_object (&worker->store);
  g_free (worker);

  g_mutex_lock (&self->mutex);
  self->n_running--;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  pool_unref (self);

  return NULL;
}

/* Waits, up to the deadline, for every worker to stop.
 *
 * Returns: the workers still running
 */
static guint
wait_for_workers (BdWorkerPool *self,
                  gint64        deadline)
{
  guint n_running;

  g_mutex_lock (&self->mutex);
  while (self->n_running > 0)
    {
      if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
        break;
    }
  n_running = self->n_running;
  g_mutex_unlock (&self->mutex);

  return n_running;
}

/*
 * Private API
 */

/**
 * _bd_worker_pool_new:
 * @stores: (element-type BdStore): one store per worker, each used by
 *   its worker alone from now on
 * @context: where the done functions run
 *
 * Returns: (transfer full): the pool, its threads started
 */
BdWorkerPool *
_bd_worker_pool_new (GPtrArray    *stores,
                     GMainContext *context)
{
  BdWorkerPool *self;

  g_return_val_if_fail (stores != NULL && stores->len > 0, NULL);
  g_return_val_if_fail (context != NULL, NULL);

  for (guint i = 0; i < stores->len; i++)
    g_return_val_if_fail (BD_IS_STORE (stores->pdata[i]), NULL);

  self = g_new0 (BdWorkerPool, 1);
  self->ref_count = 1;
  self->context = g_main_context_ref (context);
  self->threads = g_ptr_array_new ();
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_cond_init (&self->queued);
  g_queue_init (&self->queue);
  self->max_changes = MAX (stores->len - 1, 1u);

  for (guint i = 0; i < stores->len; i++)
    {
      Worker *worker = g_new0 (Worker, 1);

      worker->pool = pool_ref (self);
      worker->store = g_object_ref (stores->pdata[i]);
      self->n_running++;
      g_ptr_array_add (self->threads, g_thread_new ("bd-worker", run_worker, worker));
    }

  return self;
}

guint
_bd_worker_pool_get_n_workers (BdWorkerPool *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->threads->len;
}

/**
 * _bd_worker_pool_push:
 * @work: runs on the first free worker
 * @done: runs on the pool's main context afterwards, or from
 *   _bd_worker_pool_free () when @work never ran
 * @change: whether @work may wait for locks (a POST, PATCH or DELETE)
 *
 * Queues a job; changes start in the order they were pushed, and so do
 * the others, but a read may pass changes that wait for a worker (see
 * _BdWorkerPool).
 */
void
_bd_worker_pool_push (BdWorkerPool     *self,
                      BdWorkerFunc      work,
                      BdWorkerDoneFunc  done,
                      gpointer          data,
                      gboolean          change)
{
  Job *job;

  g_return_if_fail (self != NULL);
  g_return_if_fail (work != NULL && done != NULL);

  job = g_new0 (Job, 1);
  job->work = work;
  job->done = done;
  job->data = data;
  job->change = change;

  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->queue, job);
  g_cond_broadcast (&self->queued);
  g_mutex_unlock (&self->mutex);
}

/**
 * _bd_worker_pool_free:
 *
 * Stops the pool: each worker finishes the job in hand (waited for, up to
 * a bound) and closes its store; the queued jobs that never started are
 * done with @ran %FALSE, here. Jobs that ran are still delivered to the
 * main context afterwards, so their done functions must not count on
 * whoever owned the pool.
 */
void
_bd_worker_pool_free (BdWorkerPool *self)
{
  g_autoptr(GPtrArray) not_started = g_ptr_array_new ();
  guint n_threads;
  guint n_running;
  guint n_marks = 0;
  Job *job;

  if (self == NULL)
    return;

  /* Ahead of the queued jobs: every worker takes one of these next. */
  n_threads = self->threads->len;
  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < n_threads; i++)
    g_queue_push_head (&self->queue, g_new0 (Job, 1));
  g_cond_broadcast (&self->queued);
  g_mutex_unlock (&self->mutex);

  n_running = wait_for_workers (self, g_get_monotonic_time () + STOP_TIMEOUT_USEC);
  if (n_running > 0)
    g_warning ("%u of %u worker threads still busy after %d seconds; leaving them",
               n_running, n_threads, (int) (STOP_TIMEOUT_USEC / G_USEC_PER_SEC));

  for (guint i = 0; i < n_threads; i++)
    {
      if (n_running == 0)
        g_thread_join (self->threads->pdata[i]);
      else
        g_thread_unref (self->threads->pdata[i]);
    }
  g_ptr_array_set_size (self->threads, 0);

  /* A busy worker still finds its stop mark when it is done. */
  g_mutex_lock (&self->mutex);
  while ((job = g_queue_pop_head (&self->queue)) != NULL)
    {
      if (job->work != NULL)
        g_ptr_array_add (not_started, job);
      else
        {
          n_marks++;
          g_free (job);
        }
    }
  for (guint i = 0; i < n_marks; i++)
    g_queue_push_tail (&self->queue, g_new0 (Job, 1));
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; i < not_started->len; i++)
    {
      job = not_started->pdata[i];
      job->done (job->data, FALSE);
      g_free (job);
    }

  pool_unref (self);
}
