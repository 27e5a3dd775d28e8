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
 * meanwhile. The work of a client that went away before a worker took it
 * is not done at all.
 */

#define G_LOG_DOMAIN "bd-server"

#include "config.h"

#include <errno.h>
#include <libsoup/soup.h>
#include <sys/socket.h>

#include "bd-server-private.h"

/* One request, copied out of its message for a worker. */
typedef struct
{
  GWeakRef           server;   /* it may be gone when the answer comes */
  BdApi             *api;
  SoupServerMessage *msg;      /* held, and touched on the main context only */
  gboolean           paused;
  gint               gone;     /* atomic: the client went away */
  GSource           *watch;    /* (nullable): on the client's socket */

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
  BdServerRequestState *state;

  g_weak_ref_init (&job->server, self);
  job->api = g_object_ref (self->api);
  job->msg = g_object_ref (msg);
  state = g_object_get_data (G_OBJECT (msg), REQUEST_STATE_KEY);
  if (state != NULL)
    {
      state->gone = &job->gone;
      job->gone = state->disconnected;
    }

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

/* On the main context, like the disconnected handler that sets the flag. */
static void
request_job_free (RequestJob *job)
{
  BdServerRequestState *state = g_object_get_data (G_OBJECT (job->msg), REQUEST_STATE_KEY);

  if (state != NULL && state->gone == &job->gone)
    state->gone = NULL;

  if (job->watch != NULL)
    {
      g_source_destroy (job->watch);
      g_source_unref (job->watch);
    }
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

  /* The body's bytes themselves, not a copy (a page is some 70 kB):
   * soup_server_message_set_response () less its copy.
   */
  if (response->body != NULL)
    {
      soup_message_headers_replace (headers, "Content-Type", "application/json");
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg),
                                      response->body);
    }
}

/* A paused message does not hear its client hang up: libsoup reads the
 * socket again only once unpaused. So the socket is watched meanwhile: an
 * end of stream there means the client went away. Bytes there (a request
 * sent ahead) end the watch, the client still being there.
 */
static gboolean
on_client_socket_cb (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      user_data)
{
  RequestJob *job = user_data;
  char byte;
  gssize n;

  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n <= 0)
    {
      g_debug ("The client of %s %s went away", job->method, job->path);
      g_atomic_int_set (&job->gone, TRUE);
    }

  return G_SOURCE_REMOVE;
}

static void
watch_client (BdServer   *self,
              RequestJob *job)
{
  GSocket *socket = soup_server_message_get_socket (job->msg);

  if (socket == NULL)
    return;

  job->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (job->watch, G_SOURCE_FUNC (on_client_socket_cb), job, NULL);
  g_source_attach (job->watch, self->context);
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

  /* Nobody waits for the answer: the work is dropped. A change not begun
   * may be, as its client never heard of it and retries with its key.
   */
  if (g_atomic_int_get (&job->gone))
    {
      g_debug ("Dropping %s %s: the client went away", job->method, job->path);
      return;
    }
  g_debug ("Working on %s %s", job->method, job->path);

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
      /* Dropped before it began, its client gone: libsoup finds that out
       * writing this.
       */
      if (job->response == NULL)
        {
          soup_server_message_set_status (job->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
          soup_message_headers_replace (soup_server_message_get_response_headers (job->msg),
                                        "Connection", "close");
        }
      else
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
 * workers, both at once on the main context, @work with no store. @change
 * says that @work may wait for locks (_bd_worker_pool_push ()).
 */
void
_bd_server_run (BdServer         *self,
                BdWorkerFunc      work,
                BdWorkerDoneFunc  done,
                gpointer          data,
                gboolean          change)
{
  if (self->workers != NULL)
    {
      _bd_worker_pool_push (self->workers, work, done, data, change);
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
  gboolean change;

  if (self->workers != NULL)
    {
      soup_server_message_pause (msg);
      job->paused = TRUE;
      watch_client (self, job);
    }

  /* Whatever is not a read may wait for a lock. */
  change = g_strcmp0 (job->method, "GET") != 0 && g_strcmp0 (job->method, "HEAD") != 0;
  _bd_server_run (self, run_request, request_done, job, change);
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
