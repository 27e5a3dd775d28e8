/* bd-bulk-run.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-bulk-run"

#include "config.h"

#include "bd-bulk-run.h"

/* Turn Off Recurring Billing on many subscriptions (docs/design.md,
 * "Selection and bulk"): each that the rules allow (rule 13) is sent a
 * PATCH of its own, with its own ETag as If-Match, a few at a time. The
 * rest are skipped, with the blocker that stops them, or because recurring
 * billing is already off. Stopping lets what was sent finish and be
 * counted, and sends nothing more. Nothing is sent twice: a request whose
 * answer did not come (a 5xx, a lost connection) is "unknown", never
 * retried. A PATCH refused as stale (412) or for the state the
 * subscription is in (409) is read again, so that what shows is what the
 * service has.
 */
typedef struct
{
  BdSubscription *subscription;
  BdBulkOutcome   outcome;
  BdBlocker       blocker;
  GError         *error;
} Item;

struct _BdBulkRun
{
  GObject    parent_instance;

  BdClient  *client;
  GArray    *items;          /* of Item */
  guint      max_in_flight;
  guint      next;           /* the first item that may still be waiting */
  guint      in_flight;      /* requests sent (and reads after a refusal) awaited */
  guint      n_to_send;
  guint      n_sent;
  guint      n_answered;
  gboolean   stopping;
  GTask     *task;           /* while running */
};

G_DEFINE_FINAL_TYPE (BdBulkRun, bd_bulk_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_SENT,
  PROP_N_ANSWERED,
  PROP_STOPPING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

typedef struct
{
  BdBulkRun *self;
  guint      index;
} Request;

static void send_more (BdBulkRun *self);

static Item *
get_item (BdBulkRun *self,
          guint      index)
{
  return &g_array_index (self->items, Item, index);
}

static void
clear_item (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->subscription);
  g_clear_error (&item->error);
}

static Request *
request_new (BdBulkRun *self,
             guint      index)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->index = index;
  return request;
}

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_free (request);
}

/* Skipped (before anything is sent) unless the rules allow the change and
 * there is something to change.
 */
static void
classify (BdBulkRun *self)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = get_item (self, i);
      const BdSubscriptionData *data = bd_subscription_get_data (item->subscription);

      if (!bd_subscription_is_action_allowed (item->subscription,
                                              BD_ACTION_CHANGE_RECURRING_BILLING))
        {
          item->outcome = BD_BULK_OUTCOME_SKIPPED;
          item->blocker = bd_subscription_get_action_blocker (item->subscription,
                                                              BD_ACTION_CHANGE_RECURRING_BILLING);
          /* Not allowed, though no blocker says why: as for a reader. */
          if (item->blocker == BD_BLOCKER_NONE)
            item->blocker = BD_BLOCKER_INSUFFICIENT_ROLE;
        }
      else if (data->recurring_billing == BD_RECURRING_BILLING_OFF)
        {
          item->outcome = BD_BULK_OUTCOME_SKIPPED;
          item->blocker = BD_BLOCKER_NONE;
        }
      else
        self->n_to_send++;
    }
}

/* Nothing is in flight: what was not sent will not be, and the run is
 * over.
 */
static void
finish_if_done (BdBulkRun *self)
{
  g_autoptr(GTask) task = NULL;
  gboolean cancelled;

  if (self->in_flight > 0 || self->task == NULL)
    return;

  for (guint i = 0; i < self->items->len; i++)
    if (get_item (self, i)->outcome == BD_BULK_OUTCOME_WAITING)
      {
        if (!self->stopping && !g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
          return;
        get_item (self, i)->outcome = BD_BULK_OUTCOME_NOT_STARTED;
      }

  task = g_steal_pointer (&self->task);
  cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (task));
  if (cancelled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The run was abandoned");
  else
    g_task_return_boolean (task, TRUE);
}

static void
reload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *request = user_data;
  BdBulkRun *self = request->self;
  g_autoptr(BdSubscription) fresh = NULL;
  g_autoptr(GError) error = NULL;

  fresh = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  if (fresh != NULL)
    bd_subscription_update (get_item (self, request->index)->subscription,
                            bd_subscription_get_data (fresh));
  else
    g_debug ("Reading %s again failed: %s",
             bd_subscription_get_id (get_item (self, request->index)->subscription),
             error->message);

  self->in_flight--;
  send_more (self);
  finish_if_done (self);
  request_free (request);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *request = user_data;
  BdBulkRun *self = request->self;
  Item *item = get_item (self, request->index);
  g_autoptr(BdSubscription) answer = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = self->task != NULL ? g_task_get_cancellable (self->task) : NULL;
  guint status;

  answer = bd_client_update_finish (BD_CLIENT (object), result, &error);
  self->n_answered++;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_ANSWERED]);

  if (answer != NULL)
    {
      item->outcome = BD_BULK_OUTCOME_CHANGED;
      bd_subscription_update (item->subscription, bd_subscription_get_data (answer));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           bd_client_error_is_outcome_unknown (error))
    {
      /* Abandoned with its owner, or not answered: it may have been applied. */
      item->outcome = BD_BULK_OUTCOME_UNKNOWN;
      item->error = g_steal_pointer (&error);
    }
  else
    {
      item->outcome = BD_BULK_OUTCOME_FAILED;
      status = bd_client_error_get_http_status (error);
      item->error = g_steal_pointer (&error);
      if ((status == 409 || status == 412) && !g_cancellable_is_cancelled (cancellable))
        {
          /* Still in flight until it is read again. */
          bd_client_get_subscription_async (self->client,
                                            bd_subscription_get_id (item->subscription),
                                            cancellable, reload_cb,
                                            request_new (self, request->index));
          request_free (request);
          return;
        }
    }

  self->in_flight--;
  send_more (self);
  finish_if_done (self);
  request_free (request);
}

static void
send_more (BdBulkRun *self)
{
  GCancellable *cancellable;

  if (self->task == NULL)
    return;

  cancellable = g_task_get_cancellable (self->task);
  while (!self->stopping && !g_cancellable_is_cancelled (cancellable) &&
         self->in_flight < self->max_in_flight && self->next < self->items->len)
    {
      Item *item = get_item (self, self->next);
      const BdSubscriptionData *data = bd_subscription_get_data (item->subscription);

      if (item->outcome != BD_BULK_OUTCOME_WAITING)
        {
          self->next++;
          continue;
        }

      item->outcome = BD_BULK_OUTCOME_SENDING;
      self->in_flight++;
      self->n_sent++;
      bd_client_update_async (self->client, data->id, data->etag, TRUE,
                              BD_RECURRING_BILLING_OFF, -1, cancellable, update_cb,
                              request_new (self, self->next));
      self->next++;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_SENT]);
    }
}

/*
 * GObject overrides
 */

static void
bd_bulk_run_finalize (GObject *object)
{
  BdBulkRun *self = (BdBulkRun *)object;

  g_clear_object (&self->client);
  g_clear_pointer (&self->items, g_array_unref);

  G_OBJECT_CLASS (bd_bulk_run_parent_class)->finalize (object);
}

static void
bd_bulk_run_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BdBulkRun *self = BD_BULK_RUN (object);

  switch (prop_id)
    {
    case PROP_N_SENT:
      g_value_set_uint (value, self->n_sent);
      break;
    case PROP_N_ANSWERED:
      g_value_set_uint (value, self->n_answered);
      break;
    case PROP_STOPPING:
      g_value_set_boolean (value, self->stopping);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_bulk_run_class_init (BdBulkRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bd_bulk_run_finalize;
  object_class->get_property = bd_bulk_run_get_property;

  properties [PROP_N_SENT] =
    g_param_spec_uint ("n-sent", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_N_ANSWERED] =
    g_param_spec_uint ("n-answered", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_STOPPING] =
    g_param_spec_boolean ("stopping", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_bulk_run_init (BdBulkRun *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (self->items, clear_item);
}

/*
 * Public API
 */

/**
 * bd_bulk_run_new:
 * @client: the client that sends the requests
 * @subscriptions: (element-type BdSubscription): the selected
 *   subscriptions, in the order they are shown; each is updated in place
 *   as its answer comes
 * @max_in_flight: how many requests at a time, at least 1
 *   (%BD_BULK_RUN_MAX_IN_FLIGHT)
 *
 * Returns: (transfer full): a run, not started
 */
BdBulkRun *
bd_bulk_run_new (BdClient  *client,
                 GPtrArray *subscriptions,
                 guint      max_in_flight)
{
  BdBulkRun *self;

  g_return_val_if_fail (BD_IS_CLIENT (client), NULL);
  g_return_val_if_fail (subscriptions != NULL, NULL);
  g_return_val_if_fail (max_in_flight > 0, NULL);

  self = g_object_new (BD_TYPE_BULK_RUN, NULL);
  self->client = g_object_ref (client);
  self->max_in_flight = max_in_flight;
  for (guint i = 0; i < subscriptions->len; i++)
    {
      Item item = { g_object_ref (g_ptr_array_index (subscriptions, i)),
                    BD_BULK_OUTCOME_WAITING, BD_BLOCKER_NONE, NULL };

      g_array_append_val (self->items, item);
    }
  classify (self);

  return self;
}

/**
 * bd_bulk_run_start_async:
 * @cancellable: (nullable): cancelled when the run's owner goes: requests
 *   in flight are abandoned (their outcome unknown), nothing more is sent
 *
 * Sends the changes, @max_in_flight at a time; @callback is called once
 * every request sent has its answer (or once bd_bulk_run_stop () let
 * those in flight finish).
 */
void
bd_bulk_run_start_async (BdBulkRun           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (BD_IS_BULK_RUN (self));
  g_return_if_fail (self->task == NULL && self->n_sent == 0);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, bd_bulk_run_start_async);
  send_more (self);
  finish_if_done (self);
}

gboolean
bd_bulk_run_start_finish (BdBulkRun     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * bd_bulk_run_stop:
 *
 * Sends nothing more: the requests in flight finish and are counted, the
 * rest are "not started".
 */
void
bd_bulk_run_stop (BdBulkRun *self)
{
  g_return_if_fail (BD_IS_BULK_RUN (self));

  if (self->stopping)
    return;

  self->stopping = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STOPPING]);
  finish_if_done (self);
}

gboolean
bd_bulk_run_get_stopping (BdBulkRun *self)
{
  g_return_val_if_fail (BD_IS_BULK_RUN (self), FALSE);

  return self->stopping;
}

guint
bd_bulk_run_get_n_items (BdBulkRun *self)
{
  g_return_val_if_fail (BD_IS_BULK_RUN (self), 0);

  return self->items->len;
}

/* How many the rules allow to change: what a whole run sends. */
guint
bd_bulk_run_get_n_to_send (BdBulkRun *self)
{
  g_return_val_if_fail (BD_IS_BULK_RUN (self), 0);

  return self->n_to_send;
}

guint
bd_bulk_run_get_n_sent (BdBulkRun *self)
{
  g_return_val_if_fail (BD_IS_BULK_RUN (self), 0);

  return self->n_sent;
}

guint
bd_bulk_run_get_n_answered (BdBulkRun *self)
{
  g_return_val_if_fail (BD_IS_BULK_RUN (self), 0);

  return self->n_answered;
}

guint
bd_bulk_run_count (BdBulkRun     *self,
                   BdBulkOutcome  outcome)
{
  guint n = 0;

  g_return_val_if_fail (BD_IS_BULK_RUN (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    if (get_item (self, i)->outcome == outcome)
      n++;

  return n;
}

/**
 * bd_bulk_run_get_subscription:
 *
 * Returns: (transfer none): the subscription at @index
 */
BdSubscription *
bd_bulk_run_get_subscription (BdBulkRun *self,
                              guint      index)
{
  g_return_val_if_fail (BD_IS_BULK_RUN (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  return get_item (self, index)->subscription;
}

BdBulkOutcome
bd_bulk_run_get_outcome (BdBulkRun *self,
                         guint      index)
{
  g_return_val_if_fail (BD_IS_BULK_RUN (self), BD_BULK_OUTCOME_WAITING);
  g_return_val_if_fail (index < self->items->len, BD_BULK_OUTCOME_WAITING);

  return get_item (self, index)->outcome;
}

/**
 * bd_bulk_run_get_blocker:
 *
 * Returns: for a skipped subscription, the blocker that stopped it, or
 *   %BD_BLOCKER_NONE when its recurring billing was already off
 */
BdBlocker
bd_bulk_run_get_blocker (BdBulkRun *self,
                         guint      index)
{
  g_return_val_if_fail (BD_IS_BULK_RUN (self), BD_BLOCKER_NONE);
  g_return_val_if_fail (index < self->items->len, BD_BLOCKER_NONE);

  return get_item (self, index)->blocker;
}

/**
 * bd_bulk_run_get_error:
 *
 * Returns: (transfer none) (nullable): why a failed or unknown one is so,
 *   a sentence to show (#BdClientError)
 */
const GError *
bd_bulk_run_get_error (BdBulkRun *self,
                       guint      index)
{
  g_return_val_if_fail (BD_IS_BULK_RUN (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  return get_item (self, index)->error;
}
