/* bd-server-workers.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A request's way through the worker threads. SoupServer is not
 * thread-safe, so a message is touched on the server's main context only:
 * the handler copies the request out of it and pauses it, a worker answers
 * the copy on its own store (bd_api_handle_on_store ()), and the answer, a
 * BdApiResponse, comes back to the main context, which writes it into the
 * message and unpauses it — unless the client or the server went away
 * meanwhile.
 */

#define G_LOG_DOMAIN "bd-server"

#include "config.h"

#include <libsoup/soup.h>

#include "bd-server-private.h"

/* One request, copied out of its message for a worker. */
typedef struct
{
  GWeakRef           server;   /* it may be gone when the answer comes */
  BdApi             *api;
  SoupServerMessage *msg;      /* held, and touched on the main context only */
  gboolean           paused;

  char              *method;
  char              *path;
  char              *query;
  char              *authorization;
  char              *content_type;
  char              *if_match;
  char              *idempotency_key;
  char              *host;
  char              *forwarded_proto;
  char              *forwarded_host;
  GBytes            *body;
  gboolean           body_too_large;

  BdApiResponse     *response; /* the worker's */
} RequestJob;

/*
 * Helpers
 */

static RequestJob *
request_job_new (BdServer          *self,
                 SoupServerMessage *msg)
{
  RequestJob *job = g_new0 (RequestJob, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);

  g_weak_ref_init (&job->server, self);
  job->api = g_object_ref (self->api);
  job->msg = g_object_ref (msg);

  job->method = g_strdup (soup_server_message_get_method (msg));
  job->path = g_strdup (g_uri_get_path (uri));
  job->query = g_strdup (g_uri_get_query (uri));
  job->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  job->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  job->if_match = g_strdup (soup_message_headers_get_one (headers, "If-Match"));
  job->idempotency_key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  job->host = g_strdup (soup_message_headers_get_one (headers, "Host"));
  job->forwarded_proto = g_strdup (soup_message_headers_get_one (headers, "X-Forwarded-Proto"));
  job->forwarded_host = g_strdup (soup_message_headers_get_one (headers, "X-Forwarded-Host"));

  /* got-headers and got-chunk refuse a longer body before it is read; this
   * only keeps the promise of BD_API_MAX_BODY should one slip through.
   */
  job->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (job->body) > BD_API_MAX_BODY)
    job->body_too_large = TRUE;

  return job;
}

static void
request_job_free (RequestJob *job)
{
  g_weak_ref_clear (&job->server);
  g_clear_object (&job->api);
  g_clear_object (&job->msg);
  g_free (job->method);
  g_free (job->path);
  g_free (job->query);
  g_free (job->authorization);
  g_free (job->content_type);
  g_free (job->if_match);
  g_free (job->idempotency_key);
  g_free (job->host);
  g_free (job->forwarded_proto);
  g_free (job->forwarded_host);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_clear_pointer (&job->response, bd_api_response_free);
  g_free (job);
}

/* The answer into the message: every header a BdApiResponse carries is
 * written here.
 */
static void
write_response (BdServer            *self,
                SoupServerMessage   *msg,
                const BdApiResponse *response)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, response->status, NULL);

  if (response->etag != NULL)
    soup_message_headers_replace (headers, "ETag", response->etag);
  if (response->retry_after_seconds > 0)
    {
      char seconds[16];

      g_snprintf (seconds, sizeof seconds, "%u", response->retry_after_seconds);
      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  if (self->stopping)
    soup_message_headers_replace (headers, "Connection", "close");

  if (response->body != NULL)
    {
      gsize length = 0;
      const char *data = g_bytes_get_data (response->body, &length);

      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, length);
    }
}

/*
 * The work and its end
 */

/* On a worker, with its store; or on the main context with none, when the
 * server has no workers: then on the API's own store.
 */
static void
run_request (BdStore  *store,
             gpointer  data)
{
  RequestJob *job = data;
  BdApiRequest request = { 0 };

  request.method = job->method;
  request.path = job->path;
  request.query = job->query;
  request.authorization = job->authorization;
  request.content_type = job->content_type;
  request.if_match = job->if_match;
  request.idempotency_key = job->idempotency_key;
  request.host = job->host;
  request.forwarded_proto = job->forwarded_proto;
  request.forwarded_host = job->forwarded_host;
  request.body_too_large = job->body_too_large;
  if (!job->body_too_large)
    request.body = g_bytes_get_data (job->body, &request.body_length);

  if (store != NULL)
    job->response = bd_api_handle_on_store (job->api, store, &request);
  else
    job->response = bd_api_handle (job->api, &request);
}

/* On the main context. */
static void
request_done (gpointer data,
              gboolean ran)
{
  RequestJob *job = data;
  g_autoptr(BdServer) self = NULL;
  BdServerRequestState *state;

  /* Only a pool that stopped with the server leaves work undone: the
   * connections are gone with the server.
   */
  if (!ran)
    {
      request_job_free (job);
      return;
    }

  self = g_weak_ref_get (&job->server);
  state = g_object_get_data (G_OBJECT (job->msg), REQUEST_STATE_KEY);

  /* The work is done and its effect stays; only its answer has nobody to
   * go to. A paused message is not unpaused once disconnected.
   */
  if (self != NULL && state != NULL && !state->disconnected)
    {
      write_response (self, job->msg, job->response);
      if (job->paused)
        soup_server_message_unpause (job->msg);
    }

  request_job_free (job);
}

/*
 * Private API
 */

/* Runs @work on a worker and then @done on the main context; without
 * workers, both at once on the main context, @work with no store.
 */
void
_bd_server_run (BdServer         *self,
                BdWorkerFunc      work,
                BdWorkerDoneFunc  done,
                gpointer          data)
{
  if (self->workers != NULL)
    {
      _bd_worker_pool_push (self->workers, work, done, data);
      return;
    }

  work (NULL, data);
  done (data, TRUE);
}

/* Answers @msg, a whole request, from the handler. */
void
_bd_server_answer (BdServer          *self,
                   SoupServerMessage *msg)
{
  RequestJob *job = request_job_new (self, msg);

  if (self->workers != NULL)
    {
      soup_server_message_pause (msg);
      job->paused = TRUE;
    }

  _bd_server_run (self, run_request, request_done, job);
}

/*
 * Public API
 */

/**
 * bd_server_start_workers:
 * @location: the database, as bd_store_open () takes it: the one the API's
 *   store is on
 * @durability: as bd_store_open () takes it
 * @n_workers: how many threads, each with a connection of its own;
 *   %BD_SERVER_N_WORKERS in the service
 *
 * Answers requests on @n_workers threads from now on, each with its own
 * store on @location, opened here and kept; the main context only reads
 * requests and writes answers. Without workers, a server answers on its
 * main context, on the API's own store, one request at a time. Call it
 * once, before bd_server_listen ().
 *
 * Returns: %TRUE, or %FALSE with the error of the store that did not open
 */
gboolean
bd_server_start_workers (BdServer           *self,
                         const char         *location,
                         BdStoreDurability   durability,
                         guint               n_workers,
                         GError            **error)
{
  g_autoptr(GPtrArray) stores = NULL;

  g_return_val_if_fail (BD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (location != NULL, FALSE);
  g_return_val_if_fail (n_workers > 0, FALSE);
  g_return_val_if_fail (self->workers == NULL, FALSE);
  g_return_val_if_fail (self->url == NULL, FALSE);

  stores = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_workers; i++)
    {
      BdStore *store = bd_store_open (location, durability, error);

      if (store == NULL)
        return FALSE;
      g_ptr_array_add (stores, store);
    }

  self->workers = _bd_worker_pool_new (stores, self->context);

  return TRUE;
}
