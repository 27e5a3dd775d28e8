/* test-faults.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real window, its list and its Cancel Subscription pane, talking to a
 * server that misbehaves on purpose, in front of the real service: it stops
 * listening, stalls, answers 500 with an HTML page, cuts its JSON short,
 * sends JSON of another shape, sends 2 MiB or more than the client takes,
 * and drops the connection after the service has cancelled, or passes on
 * a token the service does not know, as after a revoke. Each case
 * checks the sentence a person reads (a whole msgid, so that it holds in
 * Danish too), and that the list and the pane agree with the service.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "bd-action-dialogs.h"
#include "bd-application.h"
#include "bd-cancel-pane.h"
#include "bd-format.h"
#include "bd-product-row.h"
#include "bd-products-page.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

/* Generous: a loaded 2-core machine under Xvfb. */
#define WAIT_MS 20000

#define MIB (1024 * 1024)

/* The client's request timeout: long, so that a slow machine fails no
 * request by itself; short only while an answer is meant to stall.
 */
#define LONG_TIMEOUT 60
#define STALL_TIMEOUT 2

typedef enum
{
  FAULT_NONE,         /* passed on to the service, answered as it answers */
  FAULT_STALL,        /* taken, never answered */
  FAULT_HTML_500,     /* not passed on: 500 with an HTML page */
  FAULT_TRUNCATED,    /* passed on: the answer cut in half */
  FAULT_WRONG_SHAPE,  /* passed on: the answer wrapped in another object */
  FAULT_HUGE,         /* passed on: the answer padded to 2 MiB */
  FAULT_OVER_LIMIT,   /* passed on: the answer padded past the client's limit */
  FAULT_RESET,        /* passed on: the connection closed instead of the answer */
  FAULT_STATUS,       /* not passed on: the FaultServer's status, body and Retry-After */
  FAULT_STATUS_AFTER, /* passed on, and the answer replaced by the same */
} Fault;

/* The misbehaving server. Requests to @fault_path with @fault_method meet
 * @fault; every other request goes to the service and back unchanged.
 */
typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *url;
  char        *target;        /* the real service */
  guint16      port;

  Fault        fault;
  const char  *fault_method;
  const char  *fault_path;

  const char  *refused_token; /* (nullable): sent instead of the client's token */

  /* FAULT_STATUS and FAULT_STATUS_AFTER: what a proxy (or the service
   * itself) answers instead.
   */
  guint        status;
  const char  *status_type;   /* (nullable): the body's Content-Type; NULL: no body */
  const char  *status_body;
  const char  *retry_after;   /* (nullable) */

  guint        n_faulted;     /* requests that met the fault */
  guint        n_gone;        /* stalled requests whose client went away */
  GPtrArray   *keys;          /* Idempotency-Key of every POST and DELETE, in order */
  GPtrArray   *stalled;       /* GIOStream of each stalled request */
  GCancellable *cancellable;
} FaultServer;

typedef struct
{
  BdTestService  *service;
  FaultServer    *faults;
  BdWindow       *window;
  BdProductsPage *page;
  BdCancelPane   *pane;
  guint           n_done;    /* a dialog's BdActionDoneFunc calls */
} Fixture;

/*
 * The misbehaving server
 */

typedef struct
{
  SoupServerMessage *message;
  SoupMessage       *forward;
  Fault              fault;
  FaultServer       *faults;
} Forward;

static void
set_answer (SoupServerMessage *message,
            guint              status,
            const char        *content_type,
            char              *data,
            gsize              length)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, content_type, SOUP_MEMORY_TAKE, data, length);
}

/* The FaultServer's own answer: a status, with a body or none. */
static void
set_status_answer (SoupServerMessage *message,
                   FaultServer       *faults)
{
  SoupMessageHeaders *out = soup_server_message_get_response_headers (message);

  soup_message_headers_remove (out, "ETag");
  if (faults->retry_after != NULL)
    soup_message_headers_replace (out, "Retry-After", faults->retry_after);
  if (faults->status_type != NULL)
    set_answer (message, faults->status, faults->status_type, g_strdup (faults->status_body),
                strlen (faults->status_body));
  else
    soup_server_message_set_status (message, faults->status, NULL);
}

/* The service's answer, as @fault has it reach the client. */
static void
answer_faulty (SoupServerMessage *message,
               SoupMessage       *forward,
               GBytes            *body,
               Fault              fault)
{
  SoupMessageHeaders *in = soup_message_get_response_headers (forward);
  SoupMessageHeaders *out = soup_server_message_get_response_headers (message);
  const char *etag = soup_message_headers_get_one (in, "ETag");
  guint status = soup_message_get_status (forward);
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  gsize padded;
  char *text;

  if (etag != NULL)
    soup_message_headers_replace (out, "ETag", etag);

  switch (fault)
    {
    case FAULT_TRUNCATED:
      set_answer (message, status, "application/json", g_strndup (data, length / 2), length / 2);
      break;
    case FAULT_WRONG_SHAPE:
      text = g_strdup_printf ("{\"data\":%.*s}", (int) length, data);
      set_answer (message, status, "application/json", text, strlen (text));
      break;
    case FAULT_HUGE:
    case FAULT_OVER_LIMIT:
      /* Valid JSON still: the answer, then spaces. */
      padded = fault == FAULT_HUGE ? 2 * MIB : BD_CLIENT_MAX_ANSWER + MIB;
      g_assert_cmpuint (length, <, padded);
      text = g_malloc (padded);
      memcpy (text, data, length);
      memset (text + length, ' ', padded - length);
      set_answer (message, status, "application/json", text, padded);
      break;
    case FAULT_NONE:
    case FAULT_STALL:
    case FAULT_HTML_500:
    case FAULT_RESET:
    case FAULT_STATUS:
    case FAULT_STATUS_AFTER:
    default:
      set_answer (message, status, "application/json", g_memdup2 (data, length), length);
      break;
    }
}

/* Whether the connection of a paused @message has ended: libsoup 3.2 then
 * forgets the message's I/O, and unpausing it would be a critical.
 */
static gboolean
client_went_away (SoupServerMessage *message)
{
  GSocket *socket = soup_server_message_get_socket (message);

  return socket == NULL || g_socket_is_closed (socket);
}

static void
forward_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Forward *forward = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  /* The test ended first: the fault server went, and the service with it. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_assert_no_error (error);

  if (error != NULL || client_went_away (forward->message))
    {
      /* The client gave up (a reload cancels the load before it): no one
       * to answer.
       */
    }
  else if (forward->fault == FAULT_RESET)
    {
      /* The service has done it; the client's connection ends here,
       * without a byte of the answer.
       */
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (forward->message);

      g_io_stream_close (stream, NULL, NULL);
    }
  else if (forward->fault == FAULT_STATUS_AFTER)
    {
      /* The service has done it; the client hears of a failure. */
      set_status_answer (forward->message, forward->faults);
      soup_server_message_unpause (forward->message);
    }
  else
    {
      answer_faulty (forward->message, forward->forward, body, forward->fault);
      soup_server_message_unpause (forward->message);
    }

  g_object_unref (forward->message);
  g_object_unref (forward->forward);
  g_free (forward);
}

/* A stalled request's connection: a read that ends when the client closes
 * it (EOF, or an error such as a reset).
 */
static void
stalled_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FaultServer *faults = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A GET has no body: nothing more comes but the end. */
  g_assert_true (bytes == NULL || g_bytes_get_size (bytes) == 0);
  faults->n_gone++;
}

static void
fault_handler (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  static const char * const headers[] = {
    "Authorization", "Idempotency-Key", "If-Match", "Accept", NULL
  };
  FaultServer *faults = user_data;
  const char *method = soup_server_message_get_method (message);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (message);
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  GUri *uri = soup_server_message_get_uri (message);
  Fault fault = FAULT_NONE;
  g_autofree char *target = NULL;
  Forward *forward;

  if (g_str_equal (method, "POST") || g_str_equal (method, "DELETE"))
    g_ptr_array_add (faults->keys,
                     g_strdup (soup_message_headers_get_one (in, "Idempotency-Key")));

  if (faults->fault_path != NULL && g_str_equal (path, faults->fault_path) &&
      g_str_equal (method, faults->fault_method))
    {
      fault = faults->fault;
      if (fault != FAULT_NONE)
        faults->n_faulted++;
    }

  if (fault == FAULT_STALL)
    {
      /* Taken from the server, never answered, and watched. */
      GIOStream *stream = soup_server_message_steal_connection (message);

      g_ptr_array_add (faults->stalled, stream);
      g_input_stream_read_bytes_async (g_io_stream_get_input_stream (stream), 1,
                                       G_PRIORITY_DEFAULT, faults->cancellable, stalled_read_cb,
                                       faults);
      return;
    }

  if (fault == FAULT_HTML_500)
    {
      const char *page = "<!DOCTYPE html><html><head><title>500 Internal Server Error</title>"
                         "</head><body><h1>Internal Server Error</h1><p>upstream exploded</p>"
                         "</body></html>";

      set_answer (message, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/html", g_strdup (page),
                  strlen (page));
      return;
    }

  if (fault == FAULT_STATUS)
    {
      set_status_answer (message, faults);
      return;
    }

  target = g_strconcat (faults->target, path, g_uri_get_query (uri) != NULL ? "?" : NULL,
                        g_uri_get_query (uri), NULL);
  forward = g_new0 (Forward, 1);
  forward->message = g_object_ref (message);
  forward->forward = soup_message_new (method, target);
  forward->fault = fault;
  forward->faults = faults;
  g_assert_nonnull (forward->forward);

  for (guint i = 0; headers[i] != NULL; i++)
    {
      const char *value = soup_message_headers_get_one (in, headers[i]);

      if (value != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (forward->forward),
                                      headers[i], value);
    }

  if (faults->refused_token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", faults->refused_token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (forward->forward),
                                    "Authorization", authorization);
    }

  if (body->length > 0)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

      soup_message_set_request_body_from_bytes (forward->forward, "application/json", bytes);
    }

  soup_server_message_pause (message);
  soup_session_send_and_read_async (faults->session, forward->forward, G_PRIORITY_DEFAULT,
                                    faults->cancellable, forward_cb, forward);
}

static FaultServer *
fault_server_new (const char *target)
{
  FaultServer *faults = g_new0 (FaultServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  faults->target = g_strdup (target);
  faults->keys = g_ptr_array_new_with_free_func (g_free);
  faults->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  faults->cancellable = g_cancellable_new ();
  faults->session = soup_session_new ();
  soup_session_set_proxy_resolver (faults->session, NULL);

  faults->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (faults->server, NULL, fault_handler, faults, NULL);
  soup_server_listen_local (faults->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (faults->server);
  g_assert_nonnull (uris);
  faults->port = g_uri_get_port (uris->data);
  faults->url = g_strdup_printf ("http://127.0.0.1:%u", faults->port);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return faults;
}

static void
fault_server_set (FaultServer *faults,
                  Fault        fault,
                  const char  *method,
                  const char  *path)
{
  faults->fault = fault;
  faults->fault_method = method;
  faults->fault_path = path;
}

/* Stopped: nothing listens, connections are refused. */
static void
fault_server_stop (FaultServer *faults)
{
  soup_server_disconnect (faults->server);
}

/* Listening again, at the same address. */
static void
fault_server_start (FaultServer *faults)
{
  g_autoptr(GError) error = NULL;

  soup_server_listen_local (faults->server, faults->port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
}

static void
fault_server_free (FaultServer *faults)
{
  if (faults == NULL)
    return;

  g_cancellable_cancel (faults->cancellable);
  g_object_unref (faults->cancellable);
  soup_server_disconnect (faults->server);
  g_ptr_array_unref (faults->stalled);
  g_object_unref (faults->server);
  g_object_unref (faults->session);
  g_ptr_array_unref (faults->keys);
  g_free (faults->target);
  g_free (faults->url);
  g_free (faults);
}

/* Instead of the server, a socket at its port that takes no connection:
 * its one-place queue is filled, so the kernel drops every further
 * connection attempt, and connecting never completes.
 */
static GPtrArray *
hang_connections (FaultServer *faults)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, faults->port);
  GPtrArray *sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GSocket *listener;

  fault_server_stop (faults);
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (listener, 0);
  g_socket_bind (listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  g_ptr_array_add (sockets, listener);

  /* Fill the queue: these connect, and nothing after them does. */
  for (guint i = 0; i < 3; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, &error);

      g_assert_no_error (error);
      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, address, NULL, NULL);
      g_ptr_array_add (sockets, filler);
    }

  return sockets;
}

static BdSubscription *
find_subscription (Fixture    *f,
                   const char *id)
{
  return bd_test_find_subscription (bd_products_page_get_model (f->page), id);
}

static BdProductRow *
find_row (GtkWidget      *widget,
          BdSubscription *subscription)
{
  if (BD_IS_PRODUCT_ROW (widget) &&
      bd_product_row_get_subscription (BD_PRODUCT_ROW (widget)) == subscription)
    return BD_PRODUCT_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      BdProductRow *row = find_row (child, subscription);

      if (row != NULL)
        return row;
    }

  return NULL;
}

/* The list's object and its row both say @status. */
static void
assert_row_status (Fixture    *f,
                   const char *id,
                   BdStatus    status)
{
  BdSubscription *subscription = find_subscription (f, id);
  BdProductRow *row;
  const char *label;

  g_assert_nonnull (subscription);
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, status);

  row = find_row (GTK_WIDGET (f->window), subscription);
  g_assert_nonnull (row);
  label = status == BD_STATUS_ACTIVE ? C_("subscription status", "Active")
                                     : C_("subscription status", "Disabled");
  bd_test_assert_shows (row, label);
}

/*
 * The service
 */

/*
 * Fixture
 */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->service = bd_test_service_new (TENANT, NOW);
  f->faults = fault_server_new (f->service->url);

  f->window = g_object_new (BD_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 900);
  f->page = BD_PRODUCTS_PAGE (bd_window_get_products_page (f->window));
  f->pane = BD_CANCEL_PANE (bd_test_find_by_type (GTK_WIDGET (f->window), BD_TYPE_CANCEL_PANE));
  g_assert_nonnull (f->pane);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_pointer (&f->faults, fault_server_free);
  g_clear_pointer (&f->service, bd_test_service_free);
}

/* A client of the misbehaving server. */
static BdClient *
fault_client (Fixture *f,
              guint    request_timeout)
{
  return g_object_new (BD_TYPE_CLIENT, "base-url", f->faults->url, "token", ADMIN,
                       "request-timeout", request_timeout, NULL);
}

static gboolean
not_loading (gpointer data)
{
  return !bd_products_page_is_loading (((Fixture *) data)->page);
}

static void
set_request_timeout (Fixture *f,
                     guint    seconds)
{
  g_object_set (bd_window_get_client (f->window), "request-timeout", seconds, NULL);
}

static void
wait_list_settled (Fixture *f)
{
  g_assert_true (bd_test_wait_until (not_loading, f, WAIT_MS));
}

static void
load_list (Fixture *f,
           guint    request_timeout)
{
  g_autoptr(BdClient) client = fault_client (f, request_timeout);

  bd_window_set_client (f->window, client);
  wait_list_settled (f);
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 11);
}

static gboolean
pane_shows_options (gpointer data)
{
  Fixture *f = data;
  g_autofree char *what = bd_test_without_mnemonic (_("What happens"));

  return bd_test_widget_shows (f->pane, what) &&
         bd_test_find_by_action (f->pane, "pane.save") != NULL;
}

/* The row's Cancel Subscription, and the pane's options shown. */
static void
open_pane (Fixture    *f,
           const char *id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", "s", id));
  if (!bd_test_wait_until (pane_shows_options, f, WAIT_MS))
    {
      g_autofree char *text = bd_test_widget_text (f->pane);

      g_error ("The pane shows no options: “%s”", text);
    }
}

static void
choose_reason (Fixture    *f,
               const char *label)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (bd_test_find_by_type (f->pane, GTK_TYPE_DROP_DOWN));
  GListModel *model;

  g_assert_nonnull (dropdown);
  model = gtk_drop_down_get_model (dropdown);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), label))
        {
          gtk_drop_down_set_selected (dropdown, i);
          return;
        }
    }

  g_error ("No reason “%s”", label);
}

static GtkTextBuffer *
feedback_buffer (Fixture *f)
{
  GtkWidget *view = bd_test_find_by_type (GTK_WIDGET (f->pane), GTK_TYPE_TEXT_VIEW);

  g_assert_nonnull (view);
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static void
fill_form (Fixture *f)
{
  choose_reason (f, _("No longer needed"));
  gtk_text_buffer_insert_at_cursor (feedback_buffer (f), "Moving to Business Standard", -1);
}

/* The form exactly as fill_form () typed it. */
static void
assert_form_kept (Fixture *f)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (feedback_buffer (f), &start, &end);
  text = gtk_text_buffer_get_text (feedback_buffer (f), &start, &end, FALSE);
  g_assert_cmpstr (text, ==, "Moving to Business Standard");
  bd_test_assert_shows (f->pane, _("No longer needed"));
}

static gboolean
pane_not_busy (gpointer data)
{
  return !bd_cancel_pane_get_busy (((Fixture *) data)->pane);
}

static void
save (Fixture *f)
{
  bd_test_click (bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.save"));
  g_assert_true (bd_test_wait_until (pane_not_busy, f, WAIT_MS));
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* What the pane says when nothing is known of a cancel's result. */
static const char *
unknown_text (void)
{
  return _("The billing service did not answer, so the result is not known yet. "
           "Asking again is safe: the subscription is never cancelled twice.");
}

/* ... and when its answer to a cancel could not be read. */
static const char *
bad_answer_unknown_text (void)
{
  return _("The billing service sent an answer Billing Desk could not read, so the result is "
           "not known yet. Asking again is safe: the subscription is never cancelled twice.");
}

/* ... and when the service, or a proxy before it, answered with a 5xx. */
static const char *
problem_text (void)
{
  return _("The billing service had a problem, so the result is not known yet. "
           "Asking again is safe: the subscription is never cancelled twice.");
}

static char *
refused_text (const char *why)
{
  /* Translators' whole sentence, with the client's reason in it. */
  return g_strdup_printf (_("The subscription was not cancelled: %s Nothing was changed."), why);
}

/* Check Again succeeds with the first key: cancelled once, the row Disabled. */
static void
check_again_cancels_once (Fixture *f)
{
  g_autofree char *check_again = bd_test_without_mnemonic (_("_Check Again"));
  guint n_keys = f->faults->keys->len;

  bd_test_assert_shows (f->pane, check_again);
  fault_server_set (f->faults, FAULT_NONE, NULL, NULL);
  set_request_timeout (f, LONG_TIMEOUT);
  save (f);

  g_assert_cmpuint (f->faults->keys->len, ==, n_keys + 1);
  g_assert_cmpstr (g_ptr_array_index (f->faults->keys, n_keys), ==,
                   g_ptr_array_index (f->faults->keys, 0));
  bd_test_assert_shows (f->pane, _("Subscription Cancelled"));
  assert_row_status (f, "s1", BD_STATUS_DISABLED);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "disabled");
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1",
                                                   g_ptr_array_index (f->faults->keys, 0)),
                    ==, 1);
}

/* The page of the pane's stack shown, mapped or not. */
static const char *
pane_page (Fixture *f)
{
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (f->pane)); w != NULL;)
    {
      GtkWidget *stack = bd_test_find_by_type (w, GTK_TYPE_STACK);

      if (stack != NULL && gtk_stack_get_child_by_name (GTK_STACK (stack), "load-error") != NULL)
        return gtk_stack_get_visible_child_name (GTK_STACK (stack));
      w = gtk_widget_get_next_sibling (w);
    }

  g_assert_not_reached ();
}

static gboolean
has_stalled (gpointer data)
{
  return ((FaultServer *) data)->stalled->len > 0;
}

static gboolean
client_gone (gpointer data)
{
  return ((FaultServer *) data)->n_gone > 0;
}

static AdwWindowTitle *
window_title (Fixture *f)
{
  return ADW_WINDOW_TITLE (bd_test_find_by_type (f->window, ADW_TYPE_WINDOW_TITLE));
}

static gboolean
has_subtitle (gpointer data)
{
  return *adw_window_title_get_subtitle (window_title (data)) != '\0';
}

static gboolean
has_no_subtitle (gpointer data)
{
  return !has_subtitle (data);
}

/* What the administrator reads, word for word, in each language the test
 * runs in besides English (from po/xx.po): a catalog that is not loaded
 * fails. */
typedef struct
{
  const char *language;
  const char *token_refused;      /* the client's sentence */
  const char *not_cancelled;      /* the pane's sentence around it */
  const char *nothing_changed;
  const char *signed_out;         /* the page: its title, the sentence, its button */
  const char *try_again;
} Words;

static const Words words_by_language[] = {
  { "da",
    "Faktureringstjenesten accepterer ikke længere denne kontos token. Bed din administrator "
    "om et nyt token, og start derefter Billing Desk med det.",
    "Abonnementet blev ikke annulleret: ", " Intet blev ændret.", "Logget af", "Prøv igen" },
  { "de",
    "Der Abrechnungsdienst akzeptiert das Token dieses Kontos nicht mehr. Bitten Sie Ihren "
    "Administrator um ein neues Token und starten Sie Billing Desk dann damit.",
    "Das Abonnement wurde nicht gekündigt: ", " Es wurde nichts geändert.", "Abgemeldet",
    "Erneut versuchen" },
  { "ar",
    "لم تعد خدمة الفوترة تقبل الرمز المميز لهذا الحساب. اطلب رمزًا مميزًا جديدًا من المسؤول، "
    "ثم ابدأ تشغيل Billing Desk به.",
    "لم يتم إلغاء الاشتراك: ", " لم يتم تغيير أي شيء.", "تم تسجيل الخروج", "إعادة المحاولة" },
};

/* The row for the interface's language; NULL in English. */
static const Words *
words (void)
{
  return bd_test_for_language (bd_format_get_language (), words_by_language, sizeof (Words),
                               G_N_ELEMENTS (words_by_language));
}

/*
 * Tests
 */

/* Nothing listens: the list says it can't reach the service, with Try
 * Again; once it listens, Try Again loads the list. Stopped again, Save
 * says that nothing was changed, and the row stays Active.
 */
static void
test_refused_connections (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BdClient) client = fault_client (f, LONG_TIMEOUT);
  g_autofree char *refused = NULL;
  g_autofree char *try_again = bd_test_without_mnemonic (_("_Try Again"));
  const char *unreachable = _("The billing service could not be reached. "
                              "Nothing was changed; try again.");

  fault_server_stop (f->faults);
  bd_window_set_client (f->window, client);
  wait_list_settled (f);

  bd_test_wait_for_text (f->page, _("Can’t Reach the Billing Service"));
  bd_test_assert_shows (f->page, unreachable);
  bd_test_assert_shows (f->page, try_again);
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 0);

  fault_server_start (f->faults);
  bd_test_click (bd_test_find_by_action (GTK_WIDGET (f->page), "page.reload"));
  wait_list_settled (f);
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 11);
  bd_test_assert_not_shown (f->page, _("Can’t Reach the Billing Service"));

  open_pane (f, "s1");
  fill_form (f);
  fault_server_stop (f->faults);
  save (f);

  /* Translators' sentence for "nothing was sent" already says so. */
  refused = g_strdup_printf (_("The subscription was not cancelled: %s"), unreachable);
  bd_test_assert_shows (f->pane, refused);
  bd_test_assert_shows (f->pane, try_again);
  assert_form_kept (f);
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "active");
  g_assert_cmpuint (f->faults->keys->len, ==, 0);
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1", NULL), ==, 0);
}

/* The options never come and the user closes the pane: the request is
 * cancelled, so its connection goes; nothing shows up on the closed pane
 * afterwards, and the pane opens on another subscription as usual.
 */
static void
test_options_stall_close (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *subtitle = NULL;
  AdwFlap *flap = ADW_FLAP (bd_test_find_by_type (GTK_WIDGET (f->window), ADW_TYPE_FLAP));

  /* No timeout of the client's own may end the request: only the close. */
  load_list (f, 0);
  fault_server_set (f->faults, FAULT_STALL, "GET", "/v1/subscriptions/s1/cancellation");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", "s", "s1"));
  g_assert_true (adw_flap_get_reveal_flap (flap));
  g_assert_true (bd_test_wait_until (has_stalled, f->faults, WAIT_MS));
  bd_test_wait_until (never, NULL, 300);
  g_assert_cmpuint (f->faults->n_gone, ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->pane), "pane.close", NULL));
  g_assert_false (adw_flap_get_reveal_flap (flap));

  /* The server sees the client go. */
  g_assert_true (bd_test_wait_until (client_gone, f->faults, WAIT_MS));

  /* Nothing lands on the closed pane: neither options nor an error. */
  bd_test_wait_until (never, NULL, 1500);
  g_assert_cmpstr (pane_page (f), ==, "loading");
  g_assert_false (bd_cancel_pane_get_busy (f->pane));
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);

  /* Another subscription, answered: only it is shown. */
  open_pane (f, "s2");
  g_assert_true (bd_cancel_pane_get_subscription (f->pane) == find_subscription (f, "s2"));
  subtitle = g_strdup_printf (ngettext ("%1$s – %2$s license", "%1$s – %2$s licenses", 5),
                              "Microsoft 365 Business Premium", bd_test_count (5));
  bd_test_assert_shows (f->pane, subtitle);
  g_assert_cmpuint (f->faults->n_faulted, ==, 1);
}

/* The answer to a cancel never comes: the result is unknown, the form is
 * kept and the row stays Active; Check Again sends the same key (again
 * unanswered, then answered), and the service cancels once.
 */
static void
test_cancel_timeout (Fixture       *f,
                     gconstpointer  data)
{
  load_list (f, LONG_TIMEOUT);
  open_pane (f, "s1");
  fill_form (f);

  fault_server_set (f->faults, FAULT_STALL, "POST", "/v1/subscriptions/s1/cancel");
  set_request_timeout (f, STALL_TIMEOUT);
  save (f);
  bd_test_assert_shows (f->pane, unknown_text ());
  assert_form_kept (f);
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "active");
  g_assert_cmpuint (f->faults->keys->len, ==, 1);
  g_assert_nonnull (g_ptr_array_index (f->faults->keys, 0));

  /* Still no answer: the same request again. */
  save (f);
  bd_test_assert_shows (f->pane, unknown_text ());
  g_assert_cmpuint (f->faults->keys->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->faults->keys, 1), ==,
                   g_ptr_array_index (f->faults->keys, 0));
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);

  check_again_cancels_once (f);
}

/* The service cancels, and the connection is closed instead of its answer:
 * the result is unknown (the pane does not claim either way); Check Again
 * carries the same key and is answered with the first answer.
 */
static void
test_reset_after_commit (Fixture       *f,
                         gconstpointer  data)
{
  load_list (f, LONG_TIMEOUT);
  open_pane (f, "s1");
  fill_form (f);

  fault_server_set (f->faults, FAULT_RESET, "POST", "/v1/subscriptions/s1/cancel");
  save (f);
  g_assert_cmpuint (f->faults->n_faulted, ==, 1);
  bd_test_assert_shows (f->pane, unknown_text ());
  assert_form_kept (f);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "disabled");
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1", NULL), ==, 1);

  check_again_cancels_once (f);
}

/* The service takes no connection at all: after the connect timeout Save
 * says that nothing was changed, and nothing was.
 */
static void
test_connect_stalls (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) sockets = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *try_again = bd_test_without_mnemonic (_("_Try Again"));

  load_list (f, LONG_TIMEOUT);
  g_object_set (bd_window_get_client (f->window), "connect-timeout", 1, NULL);
  open_pane (f, "s1");
  fill_form (f);

  sockets = hang_connections (f->faults);
  save (f);

  refused = g_strdup_printf (_("The subscription was not cancelled: %s"),
                             _("The billing service could not be reached. "
                               "Nothing was changed; try again."));
  bd_test_assert_shows (f->pane, refused);
  bd_test_assert_shows (f->pane, try_again);
  assert_form_kept (f);
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "active");
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1", NULL), ==, 0);
}

/* The token worked, and from one request on the service refuses it (the
 * real service's 401 for a token no user has, as after a revoke): Save
 * says what to do now and nothing changes; a refresh shows Signed Out in
 * place of the list, without its rows. Accepted again, Try Again loads the
 * list and /v1/me.
 */
static void
test_token_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *try_again = bd_test_without_mnemonic (_("_Try Again"));
  g_autofree char *refused = NULL;
  g_autofree char *shown = NULL;
  GtkAdjustment *adjustment;
  const char *why = _("The billing service no longer accepts this account’s token. Ask your "
                      "administrator for a new token, then start Billing Desk with it.");

  load_list (f, LONG_TIMEOUT);
  open_pane (f, "s1");
  fill_form (f);

  f->faults->refused_token = "token-revoked-0009";
  save (f);
  refused = refused_text (why);
  bd_test_assert_shows (f->pane, refused);
  if (words () != NULL)
    {
      g_autofree char *sentence = g_strconcat (words ()->not_cancelled, words ()->token_refused,
                                               words ()->nothing_changed, NULL);

      bd_test_assert_shows (f->pane, sentence);
    }
  /* The sentence is at the pane's end, under the form: scrolled to, once laid out. */
  bd_test_wait_until (never, NULL, 300);
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (bd_test_find_by_type (f->pane, GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  bd_test_save_screenshot_in_language (f->window, "change-refused");
  assert_form_kept (f);
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "active");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->pane), "pane.close", NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  wait_list_settled (f);
  bd_test_wait_for_text (f->page, _("Signed Out"));
  /* The title, the sentence and the button, whole and in this order. */
  shown = g_strdup_printf ("%s|%s|%s|", _("Signed Out"), why, try_again);
  bd_test_assert_shows (f->page, shown);
  bd_test_assert_not_shown (f->page, _("Can’t Reach the Billing Service"));
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 0);
  /* /v1/me is refused too: the header no longer names the user. */
  g_assert_true (bd_test_wait_until (has_no_subtitle, f, WAIT_MS));
  if (words () != NULL)
    {
      g_autofree char *page = g_strconcat (words ()->signed_out, "|", words ()->token_refused, "|",
                                           words ()->try_again, "|", NULL);

      bd_test_assert_shows (f->page, page);
    }
  bd_test_save_screenshot_in_language (f->window, "signed-out");

  /* Still refused: Signed Out again, not the list nor the generic page. */
  bd_test_click (bd_test_find_by_action (GTK_WIDGET (f->page), "win.refresh"));
  wait_list_settled (f);
  bd_test_wait_for_text (f->page, _("Signed Out"));
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 0);

  /* The token accepted again: Try Again brings the list and the header back. */
  f->faults->refused_token = NULL;
  bd_test_click (bd_test_find_by_action (GTK_WIDGET (f->page), "win.refresh"));
  wait_list_settled (f);
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 11);
  bd_test_assert_not_shown (f->page, _("Signed Out"));
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);
  g_assert_true (bd_test_wait_until (has_subtitle, f, WAIT_MS));
}

typedef struct
{
  Fault       fault;
  const char *why;      /* msgid of the client's sentence; NULL: it works */
} Case;

static const Case html_500 = {
  FAULT_HTML_500, N_("The billing service ran into a problem. Try again later.")
};
static const Case truncated = {
  FAULT_TRUNCATED, N_("The billing service sent an answer Billing Desk could not read.")
};
static const Case wrong_shape = {
  FAULT_WRONG_SHAPE, N_("The billing service sent an answer Billing Desk could not read.")
};
static const Case huge = { FAULT_HUGE, NULL };
static const Case over_limit = {
  FAULT_OVER_LIMIT, N_("The billing service sent an answer Billing Desk could not read.")
};

/* A bad answer to the list: the error page says why, with Try Again, and
 * no rows; Try Again loads it. A bad answer to a refresh: the rows stay as
 * they were, and a toast says why.
 */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  const Case *c = data;
  g_autoptr(BdClient) client = fault_client (f, LONG_TIMEOUT);
  g_autofree char *try_again = bd_test_without_mnemonic (_("_Try Again"));
  GListModel *model = bd_products_page_get_model (f->page);

  fault_server_set (f->faults, c->fault, "GET", "/v1/subscriptions");
  bd_window_set_client (f->window, client);
  wait_list_settled (f);
  g_assert_cmpuint (f->faults->n_faulted, ==, 1);

  if (c->why == NULL)
    {
      g_assert_cmpuint (g_list_model_get_n_items (model), ==, 11);
      assert_row_status (f, "s1", BD_STATUS_ACTIVE);
      return;
    }

  bd_test_wait_for_text (f->page, _("Can’t Reach the Billing Service"));
  bd_test_assert_shows (f->page, _(c->why));
  bd_test_assert_shows (f->page, try_again);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  fault_server_set (f->faults, FAULT_NONE, NULL, NULL);
  bd_test_click (bd_test_find_by_action (GTK_WIDGET (f->page), "page.reload"));
  wait_list_settled (f);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 11);
  bd_test_assert_not_shown (f->page, _("Can’t Reach the Billing Service"));

  fault_server_set (f->faults, c->fault, "GET", "/v1/subscriptions");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  wait_list_settled (f);
  g_assert_cmpuint (f->faults->n_faulted, ==, 2);
  bd_test_wait_for_text (f->window, _(c->why));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 11);
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);
}

/* A bad answer to the options: the pane says why, with Try Again. */
static void
test_options (Fixture       *f,
              gconstpointer  data)
{
  const Case *c = data;

  load_list (f, LONG_TIMEOUT);
  fault_server_set (f->faults, c->fault, "GET", "/v1/subscriptions/s1/cancellation");
  if (c->why == NULL)
    {
      open_pane (f, "s1");
      g_assert_cmpuint (f->faults->n_faulted, ==, 1);
      return;
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", "s", "s1"));
  bd_test_wait_for_text (f->pane, _("Can’t Show Cancellation Details"));
  bd_test_assert_shows (f->pane, _(c->why));

  fault_server_set (f->faults, FAULT_NONE, NULL, NULL);
  bd_test_click (bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.reload"));
  g_assert_true (bd_test_wait_until (pane_shows_options, f, WAIT_MS));
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);
}

/* A bad answer to Save. A 500 with a page says nothing of the cancel, and
 * a 2xx answer that cannot be read comes after the service cancelled:
 * either way the result is unknown, and Check Again repeats the request.
 */
static void
test_save (Fixture       *f,
           gconstpointer  data)
{
  const Case *c = data;
  g_autofree char *refused = NULL;
  g_autofree char *try_again = bd_test_without_mnemonic (_("_Try Again"));

  load_list (f, LONG_TIMEOUT);
  open_pane (f, "s1");
  fill_form (f);

  fault_server_set (f->faults, c->fault, "POST", "/v1/subscriptions/s1/cancel");
  save (f);
  g_assert_cmpuint (f->faults->n_faulted, ==, 1);

  if (c->why == NULL)
    {
      bd_test_assert_shows (f->pane, _("Subscription Cancelled"));
      assert_row_status (f, "s1", BD_STATUS_DISABLED);
      g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1",
                                                       g_ptr_array_index (f->faults->keys, 0)),
                        ==, 1);
      return;
    }

  assert_form_kept (f);
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);

  if (c->fault == FAULT_HTML_500)
    {
      /* Not passed on, so the service has not been asked; but a 500 to a
       * change says nothing of it: the result is unknown, and Check Again
       * is the very request again, which the service applies once.
       */
      bd_test_assert_shows (f->pane, problem_text ());
      refused = refused_text (_(c->why));
      bd_test_assert_not_shown (f->pane, refused);
      bd_test_assert_not_shown (f->pane, try_again);
      bd_test_assert_not_shown (f->pane, "upstream exploded");
      bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "active");
      g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1", NULL), ==, 0);
      check_again_cancels_once (f);
      return;
    }

  /* Passed on: the service has cancelled; the pane must not say that
   * nothing was changed.
   */
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "disabled");
  bd_test_assert_shows (f->pane, bad_answer_unknown_text ());
  refused = refused_text (_(c->why));
  bd_test_assert_not_shown (f->pane, refused);
  check_again_cancels_once (f);
}

/*
 * A 5xx or 409 requestInProgress to a change: its result is unknown
 */

typedef struct
{
  const char *name;         /* of the case, for the screenshots */
  Fault       fault;        /* FAULT_STATUS or FAULT_STATUS_AFTER */
  guint       status;
  const char *type;         /* (nullable): no body */
  const char *body;
  const char *retry_after;  /* (nullable) */
} StatusCase;

static const char nginx_502[] =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
  "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n"
  "</body>\r\n</html>\r\n";
static const char nginx_503[] =
  "<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
  "<h1>503 Service Temporarily Unavailable</h1></body></html>";
static const char nginx_504[] =
  "<html><head><title>504 Gateway Time-out</title></head><body>"
  "<h1>504 Gateway Time-out</h1></body></html>";
static const char unavailable_json[] =
  "{\"error\":{\"code\":\"unavailable\",\"message\":\"The billing database is not "
  "reachable.\"}}";
static const char internal_json[] =
  "{\"error\":{\"code\":\"internalError\",\"message\":\"The billing database failed.\"}}";
static const char in_progress_json[] =
  "{\"error\":{\"code\":\"requestInProgress\",\"message\":\"A request with this "
  "Idempotency-Key is in progress.\"}}";

static const StatusCase status_cases[] = {
  { "502-page", FAULT_STATUS, 502, "text/html", nginx_502, NULL },
  { "502-page-after", FAULT_STATUS_AFTER, 502, "text/html", nginx_502, NULL },
  { "502-empty", FAULT_STATUS, 502, NULL, NULL, NULL },
  { "502-empty-after", FAULT_STATUS_AFTER, 502, NULL, NULL, NULL },
  { "503-page", FAULT_STATUS, 503, "text/html", nginx_503, NULL },
  { "503-empty-after", FAULT_STATUS_AFTER, 503, NULL, NULL, NULL },
  { "503-unavailable", FAULT_STATUS, 503, "application/json", unavailable_json, "5" },
  { "503-unavailable-after", FAULT_STATUS_AFTER, 503, "application/json", unavailable_json, "5" },
  { "504-page-after", FAULT_STATUS_AFTER, 504, "text/html", nginx_504, NULL },
  { "504-empty", FAULT_STATUS, 504, NULL, NULL, NULL },
  { "504-empty-after", FAULT_STATUS_AFTER, 504, NULL, NULL, NULL },
  { "500-internal-after", FAULT_STATUS_AFTER, 500, "application/json", internal_json, NULL },
  { "409-in-progress", FAULT_STATUS, 409, "application/json", in_progress_json, "1" },
  { "409-in-progress-after", FAULT_STATUS_AFTER, 409, "application/json", in_progress_json,
    "1" },
};

static void
fault_server_set_status (FaultServer      *faults,
                         const StatusCase *c,
                         const char       *method,
                         const char       *path)
{
  fault_server_set (faults, c->fault, method, path);
  faults->status = c->status;
  faults->status_type = c->type;
  faults->status_body = c->body;
  faults->retry_after = c->retry_after;
}

/* What the pane or a dialog says of @c. */
static const char *
status_unknown_text (const StatusCase *c,
                     gboolean          pane)
{
  if (c->status >= 500)
    return pane ? problem_text ()
                : _("The billing service had a problem, so the result is not known yet.");

  return pane ? unknown_text ()
              : _("The billing service did not answer, so the result is not known yet.");
}

/* Save meets @c: the result is unknown, whether or not the service
 * cancelled; never "nothing was changed". Check Again reaches the service
 * with the same key, and the subscription is cancelled once.
 */
static void
test_save_status (Fixture       *f,
                  gconstpointer  data)
{
  const StatusCase *c = data;
  g_autofree char *check_again = bd_test_without_mnemonic (_("_Check Again"));
  g_autofree char *try_again = bd_test_without_mnemonic (_("_Try Again"));
  gboolean applied = c->fault == FAULT_STATUS_AFTER;

  load_list (f, LONG_TIMEOUT);
  open_pane (f, "s1");
  fill_form (f);

  fault_server_set_status (f->faults, c, "POST", "/v1/subscriptions/s1/cancel");
  save (f);
  g_assert_cmpuint (f->faults->n_faulted, ==, 1);

  bd_test_assert_shows (f->pane, status_unknown_text (c, TRUE));
  bd_test_assert_shows (f->pane, check_again);
  bd_test_assert_not_shown (f->pane, try_again);
  bd_test_assert_not_shown (f->pane, "Gateway");
  bd_test_assert_not_shown (f->pane, "database");
  assert_form_kept (f);
  assert_row_status (f, "s1", BD_STATUS_ACTIVE);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status",
                               applied ? "disabled" : "active");
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1", NULL), ==,
                    applied ? 1 : 0);

  if (g_str_equal (c->name, "502-page-after"))
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
        GTK_SCROLLED_WINDOW (bd_test_find_by_type (f->pane, GTK_TYPE_SCROLLED_WINDOW)));

      bd_test_wait_until (never, NULL, 300);
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      bd_test_save_screenshot_in_language (f->window, "client5xx-cancel-unknown");
    }

  check_again_cancels_once (f);
}

static void
dialog_done_cb (BdSubscription *subscription,
                const char     *message,
                gpointer        user_data)
{
  ((Fixture *) user_data)->n_done++;
}

static gboolean
dialog_done (gpointer data)
{
  return ((Fixture *) data)->n_done > 0;
}

static gboolean
dialog_not_busy (gpointer data)
{
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (data), "cancel");
}

/* The ledger's entries of @action for s1. */
static guint
count_entries (Fixture    *f,
               const char *action)
{
  return bd_test_service_count_entries (f->service, ADMIN, "s1", action, NULL);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

/* A PATCH (Buy or Remove Licenses) meets @c: the dialog says the result is
 * unknown and offers Check Again, which reads the subscription: changed as
 * asked, it is done; unchanged, the PATCH goes again with the same ETag.
 * Either way the quantity changes once, and the row shows it.
 */
static void
test_patch_status (Fixture       *f,
                   gconstpointer  data)
{
  const StatusCase *c = data;
  g_autoptr(BdTestAnswer) answer = NULL;
  BdSubscription *s1;
  GtkWindow *dialog;
  GtkWidget *spin;
  guint n_faulted_gets;
  gboolean applied = c->fault == FAULT_STATUS_AFTER;

  load_list (f, LONG_TIMEOUT);
  s1 = find_subscription (f, "s1");
  dialog = bd_licenses_dialog_present (GTK_WINDOW (f->window), bd_window_get_client (f->window),
                                       s1, 0, dialog_done_cb, f);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  spin = bd_test_find_by_type (dialog, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 12);

  fault_server_set_status (f->faults, c, "PATCH", "/v1/subscriptions/s1");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_assert_true (bd_test_wait_until (dialog_not_busy, dialog, WAIT_MS));
  g_assert_cmpuint (f->faults->n_faulted, ==, 1);

  bd_test_assert_shows (dialog, status_unknown_text (c, FALSE));
  g_assert_cmpstr (adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), "save"),
                   ==, C_("response", "_Check Again"));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 12);
  g_assert_cmpint (bd_subscription_get_data (s1)->quantity, ==, 10);
  g_assert_cmpuint (count_entries (f, "changeQuantity"), ==, applied ? 1 : 0);
  g_assert_cmpuint (f->n_done, ==, 0);
  if (g_str_equal (c->name, "504-page-after"))
    {
      /* Drawn at least once, so that it has a size. */
      g_assert_true (bd_test_wait_until (has_size, dialog, WAIT_MS));
      bd_test_save_screenshot_in_language (dialog, "client5xx-licenses-unknown");
    }

  /* Check Again: the read reaches the service, and what is true shows. */
  fault_server_set (f->faults, FAULT_NONE, NULL, NULL);
  n_faulted_gets = f->faults->n_faulted;
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_assert_true (bd_test_wait_until (dialog_done, f, WAIT_MS));
  g_assert_cmpuint (f->faults->n_faulted, ==, n_faulted_gets);
  g_assert_null (dialog);
  g_assert_cmpint (bd_subscription_get_data (s1)->quantity, ==, 12);
  answer = bd_test_service_request (f->service, "GET", "/v1/subscriptions/s1", ADMIN, NULL, NULL);
  g_assert_cmpint (bd_test_answer_int (answer, "quantity"), ==, 12);
  g_assert_cmpuint (count_entries (f, "changeQuantity"), ==, 1);
}

/* A DELETE meets @c: Check Again reads first; Deleted is done, else the
 * same request again with the same key. Deleted once either way.
 */
static void
test_delete_status (Fixture       *f,
                    gconstpointer  data)
{
  const StatusCase *c = data;
  BdSubscription *s1;
  GtkWindow *dialog;
  GtkWidget *entry;
  gboolean applied = c->fault == FAULT_STATUS_AFTER;
  guint n_keys;

  load_list (f, LONG_TIMEOUT);
  s1 = find_subscription (f, "s1");
  dialog = bd_delete_dialog_present (GTK_WINDOW (f->window), bd_window_get_client (f->window),
                                     s1, dialog_done_cb, f);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  entry = bd_test_find_by_type (dialog, GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Microsoft 365 Business Premium");

  fault_server_set_status (f->faults, c, "DELETE", "/v1/subscriptions/s1");
  n_keys = f->faults->keys->len;
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  g_assert_true (bd_test_wait_until (dialog_not_busy, dialog, WAIT_MS));
  g_assert_cmpuint (f->faults->n_faulted, ==, 1);
  bd_test_assert_shows (dialog, status_unknown_text (c, FALSE));
  g_assert_cmpint (bd_subscription_get_status (s1), !=, BD_STATUS_DELETED);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status",
                               applied ? "deleted" : "active");

  fault_server_set (f->faults, FAULT_NONE, NULL, NULL);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  g_assert_true (bd_test_wait_until (dialog_done, f, WAIT_MS));
  g_assert_null (dialog);
  g_assert_cmpint (bd_subscription_get_status (s1), ==, BD_STATUS_DELETED);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "deleted");
  g_assert_cmpuint (count_entries (f, "delete"), ==, 1);
  /* Check Again read first: with the first DELETE applied, none follows;
   * else the very request again, with the same key.
   */
  g_assert_cmpuint (f->faults->keys->len, ==, n_keys + (applied ? 1 : 2));
  g_assert_nonnull (g_ptr_array_index (f->faults->keys, n_keys));
  if (!applied)
    g_assert_cmpstr (g_ptr_array_index (f->faults->keys, n_keys + 1), ==,
                     g_ptr_array_index (f->faults->keys, n_keys));
}

static gboolean
pane_offers_turn_off (gpointer data)
{
  Fixture *f = data;

  return bd_test_find_by_action (f->pane, "pane.turn-off-recurring-billing") != NULL;
}

/* The pane's Turn Off Recurring Billing (a PATCH) meets @c: the pane reads
 * the subscription at once and shows what is true. Applied, it says that
 * recurring billing is off; not, that it is still on, and the button
 * turns it off once.
 */
static void
test_turn_off_status (Fixture       *f,
                      gconstpointer  data)
{
  const StatusCase *c = data;
  gboolean applied = c->fault == FAULT_STATUS_AFTER;
  g_autofree char *term_end = bd_format_date (bd_test_time ("2026-12-01T00:00:00Z"));
  g_autofree char *done = g_strdup_printf (_("Recurring billing is off. Access continues until "
                                             "%s; nothing more is charged after that."),
                                           term_end);
  const char *still_on = _("Recurring billing is still on: the billing service did not turn "
                           "it off. Try again.");
  BdSubscription *s4;

  load_list (f, LONG_TIMEOUT);
  s4 = find_subscription (f, "s4");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", "s", "s4"));
  g_assert_true (bd_test_wait_until (pane_offers_turn_off, f, WAIT_MS));

  fault_server_set_status (f->faults, c, "PATCH", "/v1/subscriptions/s4");
  bd_test_click (bd_test_find_by_action (f->pane, "pane.turn-off-recurring-billing"));
  g_assert_true (bd_test_wait_until (pane_not_busy, f, WAIT_MS));
  g_assert_cmpuint (f->faults->n_faulted, ==, 1);
  bd_test_service_assert_says (f->service, ADMIN, "s4", "recurringBilling",
                               applied ? "off" : "on");

  if (applied)
    {
      bd_test_wait_for_text (f->pane, done);
      g_assert_null (bd_test_find_by_action (f->pane, "pane.turn-off-recurring-billing"));
    }
  else
    {
      bd_test_wait_for_text (f->pane, still_on);
      g_assert_cmpint (bd_subscription_get_recurring_billing (s4), ==, BD_RECURRING_BILLING_ON);
      fault_server_set (f->faults, FAULT_NONE, NULL, NULL);
      bd_test_click (bd_test_find_by_action (f->pane, "pane.turn-off-recurring-billing"));
      g_assert_true (bd_test_wait_until (pane_not_busy, f, WAIT_MS));
      bd_test_wait_for_text (f->pane, done);
    }

  g_assert_cmpint (bd_subscription_get_recurring_billing (s4), ==, BD_RECURRING_BILLING_OFF);
  bd_test_service_assert_says (f->service, ADMIN, "s4", "recurringBilling", "off");
  g_assert_cmpuint (bd_test_service_count_entries (f->service, ADMIN, "s4",
                                                   "changeRecurringBilling", NULL), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bd_application_set_default_direction ();
  /* Panes and dialogs appear at once: no frame of an animation depends on
   * how fast this machine draws (AdwFlap 1.2 may allocate a negative width
   * in the middle of one on a slow frame).
   */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* GTK 4.8's GtkText warns from its blink timer when its entry went
   * insensitive (a busy dialog) with the focus in it.
   */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

#define ADD(path, func, data) \
  g_test_add ("/faults/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("refused-connections", test_refused_connections, NULL);
  ADD ("options-stall-close", test_options_stall_close, NULL);
  ADD ("cancel-timeout", test_cancel_timeout, NULL);
  ADD ("connect-stalls", test_connect_stalls, NULL);
  ADD ("reset-after-commit", test_reset_after_commit, NULL);
  ADD ("token-refused", test_token_refused, NULL);
  ADD ("list/html-500", test_list, &html_500);
  ADD ("list/truncated", test_list, &truncated);
  ADD ("list/wrong-shape", test_list, &wrong_shape);
  ADD ("list/2-mib", test_list, &huge);
  ADD ("list/over-limit", test_list, &over_limit);
  ADD ("options/html-500", test_options, &html_500);
  ADD ("options/truncated", test_options, &truncated);
  ADD ("options/wrong-shape", test_options, &wrong_shape);
  ADD ("options/2-mib", test_options, &huge);
  ADD ("options/over-limit", test_options, &over_limit);
  ADD ("save/html-500", test_save, &html_500);
  ADD ("save/truncated", test_save, &truncated);
  ADD ("save/wrong-shape", test_save, &wrong_shape);
  ADD ("save/2-mib", test_save, &huge);
  ADD ("save/over-limit", test_save, &over_limit);

  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++)
    {
      const StatusCase *c = &status_cases[i];
      g_autofree char *save_path = g_strconcat ("/faults/save-status/", c->name, NULL);
      g_autofree char *patch_path = g_strconcat ("/faults/patch-status/", c->name, NULL);

      g_test_add (save_path, Fixture, c, fixture_set_up, test_save_status, fixture_tear_down);
      g_test_add (patch_path, Fixture, c, fixture_set_up, test_patch_status, fixture_tear_down);
    }
  ADD ("delete-status/502-page", test_delete_status, &status_cases[0]);
  ADD ("delete-status/504-page-after", test_delete_status, &status_cases[8]);
  ADD ("turn-off-status/502-empty", test_turn_off_status, &status_cases[2]);
  ADD ("turn-off-status/503-unavailable-after", test_turn_off_status, &status_cases[7]);

#undef ADD

  return g_test_run ();
}
