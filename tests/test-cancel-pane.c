/* test-cancel-pane.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Cancel Subscription pane over a real service, under Xvfb, driven as a
 * person would: what it says, the reason and feedback, Save, the blockers
 * and their alternatives, and the outcomes — success, a refusal, and an
 * answer that never comes (Check Again with the same Idempotency-Key).
 *
 * With BD_TEST_SCREENSHOT_DIR set, it also saves PNGs of the pane there.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "bd-application.h"
#include "bd-cancel-pane.h"
#include "bd-format.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "service-tenant.h"

#define WAIT_MS 15000
/* The moment s1's refund window closes. */
#define CLOSED "2026-11-08T00:00:00Z"

#define LINK_ACTIVE_USERS_WORLDWIDE "https://go.microsoft.com/fwlink/p/?linkid=834822"
#define LINK_ACTIVE_USERS_21VIANET  "https://go.microsoft.com/fwlink/p/?linkid=850628"
#define LINK_GET_SUPPORT "https://learn.microsoft.com/microsoft-365/admin/get-help-support"

/* A proxy in front of the service that can swallow a cancel: it takes the
 * request and drops the connection without a word (the outcome is unknown),
 * and records every Idempotency-Key it is sent. It can also pass a request
 * on and drop the connection instead of the service's answer, and stop
 * listening and start again on the same port, as a service that was stopped
 * and started. (Answers that stall until the client gives up are
 * test-faults.c's.)
 */
typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *url;
  char        *target;      /* the real service */
  guint16      port;
  gboolean     black_hole;    /* swallow POSTs */
  gboolean     lose_answers;  /* pass POSTs on, and drop their answers */
  GPtrArray   *keys;          /* Idempotency-Key of each POST, in order */
} Proxy;

typedef struct
{
  BdTestService *service;
  Proxy         *proxy;
  GtkWindow     *window;
  BdCancelPane  *pane;

  guint          n_close;
  guint          n_cancelled;
  char          *cancelled_message;
  guint          n_reduce;
  guint          reduce_quantity;
  guint          n_reactivate;
  guint          n_busy_notify;
} Fixture;

/*
 * The proxy
 */

/* The connection ends without a byte of an answer: the client cannot know
 * whether its request was applied.
 */
static void
drop_connection (SoupServerMessage *message)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (message);

  g_io_stream_close (stream, NULL, NULL);
}

typedef struct
{
  Proxy             *proxy;
  SoupServerMessage *message;
  SoupMessage       *forward;
} Forward;

static void
forward_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Forward *forward = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);

  if (forward->proxy->lose_answers &&
      g_str_equal (soup_server_message_get_method (forward->message), "POST"))
    {
      /* The service has done it; the answer never arrives. */
      drop_connection (forward->message);
      g_object_unref (forward->message);
      g_object_unref (forward->forward);
      g_free (forward);
      return;
    }

  bd_test_forward_answer (forward->message, forward->forward, body);

  g_object_unref (forward->message);
  g_object_unref (forward->forward);
  g_free (forward);
}

static void
proxy_handler (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Proxy *proxy = user_data;
  const char *method = soup_server_message_get_method (message);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (message);
  Forward *forward;

  if (g_str_equal (method, "POST"))
    g_ptr_array_add (proxy->keys,
                     g_strdup (soup_message_headers_get_one (in, "Idempotency-Key")));

  if (g_str_equal (method, "POST") && proxy->black_hole)
    {
      /* Taken, and never answered. */
      drop_connection (message);
      return;
    }

  forward = g_new0 (Forward, 1);
  forward->proxy = proxy;
  forward->message = g_object_ref (message);
  forward->forward = bd_test_forward_request (message, proxy->target, path);

  bd_test_forward_send (proxy->session, message, forward->forward, forward_cb, forward);
}

static Proxy *
proxy_new (const char *target)
{
  Proxy *proxy = g_new0 (Proxy, 1);

  proxy->target = g_strdup (target);
  proxy->keys = g_ptr_array_new_with_free_func (g_free);
  proxy->session = soup_session_new ();
  soup_session_set_proxy_resolver (proxy->session, NULL);
  proxy->server = bd_test_proxy_listen (proxy_handler, proxy, &proxy->port);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);

  return proxy;
}

/* Stopped: connections are refused. */
static void
proxy_stop (Proxy *proxy)
{
  soup_server_disconnect (proxy->server);
}

/* Started again, at the same address. */
static void
proxy_start (Proxy *proxy)
{
  g_autoptr(GError) error = NULL;

  soup_server_listen_local (proxy->server, proxy->port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
}

static void
proxy_free (Proxy *proxy)
{
  if (proxy == NULL)
    return;

  soup_server_disconnect (proxy->server);
  g_object_unref (proxy->server);
  g_object_unref (proxy->session);
  g_ptr_array_unref (proxy->keys);
  g_free (proxy->target);
  g_free (proxy->url);
  g_free (proxy);
}

/*
 * Looking at the pane
 */

/* What a person reads on the pane now: every label shown, joined. */
static char *
pane_text (Fixture *f)
{
  return bd_test_widget_text (f->pane);
}

static void
assert_shows (Fixture    *f,
              const char *part)
{
  bd_test_assert_shows (f->pane, part);
}

static void
assert_not_shown (Fixture    *f,
                  const char *part)
{
  bd_test_assert_not_shown (f->pane, part);
}

static void
collect_links (GtkWidget *widget,
               GPtrArray *links)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LINK_BUTTON (widget))
    g_ptr_array_add (links, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_links (child, links);
}

/* The link shown to @uri, or NULL. */
static GtkWidget *
find_link (Fixture    *f,
           const char *uri)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new ();

  collect_links (GTK_WIDGET (f->pane), links);
  for (guint i = 0; i < links->len; i++)
    {
      GtkLinkButton *link = g_ptr_array_index (links, i);

      if (g_strcmp0 (gtk_link_button_get_uri (link), uri) == 0)
        return GTK_WIDGET (link);
    }
  return NULL;
}

static gboolean
shows_link (Fixture    *f,
            const char *uri)
{
  return find_link (f, uri) != NULL;
}

static GtkWidget *
save_button (Fixture *f)
{
  return bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.save");
}

/* Chooses the reason whose label is @label, as from the dropdown's list. */
static void
choose_reason (Fixture    *f,
               const char *label)
{
  GtkWidget *found = bd_test_find_shown_by_type (f->pane, GTK_TYPE_DROP_DOWN);
  GtkDropDown *dropdown = GTK_DROP_DOWN (found);
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
  GtkWidget *view = bd_test_find_shown_by_type (GTK_WIDGET (f->pane), GTK_TYPE_TEXT_VIEW);

  g_assert_nonnull (view);
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static void
type_feedback (Fixture    *f,
               const char *text)
{
  gtk_text_buffer_insert_at_cursor (feedback_buffer (f), text, -1);
}

static char *
feedback_text (Fixture *f)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (feedback_buffer (f), &start, &end);
  return gtk_text_buffer_get_text (feedback_buffer (f), &start, &end, FALSE);
}

static gboolean
not_busy (gpointer data)
{
  return !bd_cancel_pane_get_busy (((Fixture *) data)->pane);
}

static void
wait_not_busy (Fixture *f)
{
  g_assert_true (bd_test_wait_until (not_busy, f, WAIT_MS));
}

/* Saves what the pane looks like, when asked to (BD_TEST_SCREENSHOT_DIR). */
static void
screenshot (Fixture    *f,
            const char *name)
{
  const char *dir = g_getenv ("BD_TEST_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;

  /* A few frames, for the layout and the fonts. */
  for (gint64 end = g_get_monotonic_time () + 300 * 1000; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);

  paintable = gtk_widget_paintable_new (GTK_WIDGET (f->window));
  width = gtk_widget_get_width (GTK_WIDGET (f->window));
  height = gtk_widget_get_height (GTK_WIDGET (f->window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s-%s.png", name, bd_format_get_language ());
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/*
 * Fixture
 */

static void
on_close_cb (BdCancelPane *pane,
             Fixture      *f)
{
  f->n_close++;
}

static void
on_cancelled_cb (BdCancelPane *pane,
                 const char   *message,
                 Fixture      *f)
{
  f->n_cancelled++;
  g_free (f->cancelled_message);
  f->cancelled_message = g_strdup (message);
}

static void
on_reduce_licenses_cb (BdCancelPane *pane,
                       guint         quantity,
                       Fixture      *f)
{
  f->n_reduce++;
  f->reduce_quantity = quantity;
}

static void
on_reactivate_cb (BdCancelPane *pane,
                  Fixture      *f)
{
  f->n_reactivate++;
}

static void
on_busy_cb (BdCancelPane *pane,
            GParamSpec   *pspec,
            Fixture      *f)
{
  f->n_busy_notify++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->service = bd_test_service_new (TENANT, NOW);
  f->proxy = proxy_new (f->service->url);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_decorated (f->window, FALSE);
  /* Tall enough to show the whole pane in a screenshot. */
  gtk_window_set_default_size (f->window, 420, 1180);
  f->pane = bd_cancel_pane_new ();
  gtk_window_set_child (f->window, GTK_WIDGET (f->pane));

  g_signal_connect (f->pane, "close", G_CALLBACK (on_close_cb), f);
  g_signal_connect (f->pane, "cancelled", G_CALLBACK (on_cancelled_cb), f);
  g_signal_connect (f->pane, "reduce-licenses", G_CALLBACK (on_reduce_licenses_cb), f);
  g_signal_connect (f->pane, "reactivate", G_CALLBACK (on_reactivate_cb), f);
  g_signal_connect (f->pane, "notify::busy", G_CALLBACK (on_busy_cb), f);

  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_pointer (&f->proxy, proxy_free);
  g_clear_pointer (&f->service, bd_test_service_free);
  g_free (f->cancelled_message);
}

typedef struct
{
  GAsyncResult *result;
} Result;

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ((Result *) user_data)->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Result *) data)->result != NULL;
}

/* The subscription as the window would hand it over: from the service. */
static BdSubscription *
fetch_subscription (BdClient   *client,
                    const char *id)
{
  Result result = { NULL };
  g_autoptr(GError) error = NULL;
  BdSubscription *subscription;

  bd_client_get_subscription_async (client, id, NULL, store_result_cb, &result);
  g_assert_true (bd_test_wait_until (has_result, &result, WAIT_MS));
  subscription = bd_client_get_subscription_finish (client, result.result, &error);
  g_assert_no_error (error);
  g_object_unref (result.result);

  return subscription;
}

static gboolean
is_loaded (gpointer data)
{
  Fixture *f = data;
  g_autofree char *what = bd_test_without_mnemonic (_("What happens"));
  g_autofree char *blocked =
    bd_test_without_mnemonic (_("You can’t cancel this subscription online"));
  g_autofree char *text = pane_text (f);

  return strstr (text, what) != NULL || strstr (text, blocked) != NULL;
}

/* Opens the pane on @id as @client's user, and waits for its answer.
 * Returns the subscription handed over, which the pane updates in place.
 */
static BdSubscription *
open_pane_at (Fixture    *f,
              BdClient   *client,
              const char *id,
              const char *now)
{
  BdSubscription *subscription = fetch_subscription (client, id);

  bd_cancel_pane_open (f->pane, client, subscription, BD_CLOUD_WORLDWIDE, bd_test_time (now));
  g_assert_true (bd_cancel_pane_get_subscription (f->pane) == subscription);
  g_assert_true (bd_test_wait_until (is_loaded, f, WAIT_MS));

  return subscription;
}

/* open_pane_at () with the service's clock at NOW. */
static BdSubscription *
open_pane (Fixture    *f,
           BdClient   *client,
           const char *id)
{
  return open_pane_at (f, client, id, NOW);
}

static BdClient *
proxy_client (Fixture    *f,
              const char *token)
{
  return bd_client_new (f->proxy->url, token);
}

/*
 * Tests
 */

/* s1, allowed: the refund and the dates, a reason, Save, and done. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  g_autoptr(BdSubscription) subscription = open_pane (f, client, "s1");
  g_autofree char *blocked =
    bd_test_without_mnemonic (_("You can’t cancel this subscription online"));
  g_autofree char *amount = NULL;
  g_autofree char *refund = NULL;
  g_autofree char *window_end = NULL;
  g_autofree char *window = NULL;
  g_autofree char *from = NULL;
  g_autofree char *by = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *others = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *toast = NULL;
  g_autofree char *save_label = bd_test_without_mnemonic (C_("cancel subscription", "_Save"));
  g_autofree char *done_label = bd_test_without_mnemonic (_("_Done"));
  BdMoney money;
  GtkWidget *save;

  /* Rule 4: 159.00 x 10 licenses x 28 of 30 days = 1484.00. */
  bd_money_init (&money, 148400, "DKK");
  amount = bd_format_money (&money);
  refund = g_strdup_printf (_("You get %s back, credited on your next invoice."), amount);
  assert_shows (f, refund);

  window_end = bd_format_date_time (bd_test_time ("2026-11-08T00:00:00Z"));
  window = g_strdup_printf (_("The refund window closes on %s."), window_end);
  assert_shows (f, window);
  assert_shows (f, _("The subscription becomes Disabled at once; users lose access."));

  from = bd_format_date (bd_test_time ("2026-12-03T00:00:00Z"));
  by = bd_format_date (bd_test_time ("2027-05-02T00:00:00Z"));
  dates = g_strdup_printf (_("Data can be deleted from %1$s and is deleted by %2$s."), from, by);
  assert_shows (f, dates);

  others = g_strdup_printf (_("Your other %s subscriptions are not affected."),
                            "Microsoft 365 Business Premium");
  assert_shows (f, others);

  subtitle = g_strdup_printf (ngettext ("%1$s – %2$s license", "%1$s – %2$s licenses", 10),
                              "Microsoft 365 Business Premium", bd_test_count (10));
  assert_shows (f, subtitle);

  assert_shows (f, _("Users have saved their data"));
  assert_shows (f, _("No custom domain is attached"));
  assert_shows (f, _("You are signed in as an admin who can cancel"));
  g_assert_true (shows_link (f, "https://support.microsoft.com/office/"
                                "14252b52-3075-4e9b-be4e-ff9ef1068f91"));
  assert_not_shown (f, blocked);

  /* Save waits for a reason. */
  save = save_button (f);
  g_assert_nonnull (save);
  assert_shows (f, save_label);
  g_assert_false (gtk_widget_is_sensitive (save));
  assert_shows (f, _("Choose a reason"));

  choose_reason (f, _("Too expensive"));
  g_assert_true (gtk_widget_is_sensitive (save));
  screenshot (f, "allowed");

  bd_test_click (save);

  /* While it is on its way: busy, and the pane can't be closed. */
  g_assert_true (bd_cancel_pane_get_busy (f->pane));
  g_assert_cmpuint (f->n_busy_notify, ==, 1);
  g_assert_false (bd_cancel_pane_request_close (f->pane));
  g_assert_cmpuint (f->n_close, ==, 0);
  g_assert_false (gtk_widget_is_sensitive (bd_test_find_by_action (f->pane, "pane.close")));
  g_assert_false (gtk_widget_get_sensitive (bd_test_find_shown_by_type (GTK_WIDGET (f->pane),
                                                          GTK_TYPE_DROP_DOWN)));

  wait_not_busy (f);
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  toast = g_strdup_printf (_("%s cancelled"), "Microsoft 365 Business Premium");
  g_assert_cmpstr (f->cancelled_message, ==, toast);

  /* The object the list shows, updated in place; the service agrees. */
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_DISABLED);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "disabled");
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1", NULL), ==, 1);

  /* Subscription Cancelled, with the refund again and the next steps. */
  assert_shows (f, _("Subscription Cancelled"));
  assert_shows (f, refund);
  assert_shows (f, dates);
  assert_shows (f, _("Move users to another subscription"));
  g_assert_true (shows_link (f, LINK_ACTIVE_USERS_WORLDWIDE));
  g_assert_true (shows_link (f, "https://learn.microsoft.com/microsoft-365/commerce/"
                                "close-your-account"));
  assert_shows (f, done_label);
  screenshot (f, "done");

  bd_test_click (bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.close"));
  g_assert_cmpuint (f->n_close, ==, 1);
}

/* Rule 8: "Other" needs feedback with more than white space, and feedback
 * is at most 2,000 characters.
 */
static void
test_other_needs_feedback (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  g_autofree char *refund = NULL;
  g_autofree char *counter = NULL;
  g_autofree char *long_text = NULL;
  /* 2,000 and 2,001 as the language writes them: "2.000" in Danish */
  g_autofree char *most = bd_format_count (2000);
  g_autofree char *too_many = bd_format_count (2001);
  g_autofree char *required = bd_test_without_mnemonic (_("_Feedback (required)"));
  g_autofree char *optional = bd_test_without_mnemonic (_("_Feedback (optional)"));
  g_autoptr(BdSubscription) subscription = open_pane (f, client, "s2");
  g_autoptr(BdSubscription) again = NULL;
  GtkWidget *save;
  GtkWidget *counter_label;
  BdMoney money;

  /* No billing profile: returned in the next billing cycle, no window. */
  bd_money_init (&money, 74200, "DKK");
  {
    g_autofree char *amount = bd_format_money (&money);

    refund = g_strdup_printf (_("You get %s back, returned in your next billing cycle."), amount);
  }
  assert_shows (f, refund);
  assert_shows (f, optional);

  save = save_button (f);
  choose_reason (f, _("Other (please tell us why)"));
  assert_shows (f, required);
  g_assert_false (gtk_widget_is_sensitive (save));

  /* White space, VT and NEL included, is not feedback. */
  type_feedback (f, " \t\n\v\xc2\x85\xe3\x80\x80");
  g_assert_false (gtk_widget_is_sensitive (save));

  gtk_text_buffer_set_text (feedback_buffer (f), "", -1);
  type_feedback (f, "We moved to øther tools");
  g_assert_true (gtk_widget_is_sensitive (save));
  counter = g_strdup_printf (_("%1$s / %2$s"), bd_test_count (23), most);
  assert_shows (f, counter);

  /* 2,001 characters: refused, and the counter says so. */
  long_text = g_strnfill (2001, 'a');
  gtk_text_buffer_set_text (feedback_buffer (f), long_text, -1);
  g_assert_false (gtk_widget_is_sensitive (save));
  g_clear_pointer (&counter, g_free);
  counter = g_strdup_printf (_("%1$s / %2$s"), too_many, most);
  assert_shows (f, counter);
  counter_label = NULL;
  {
    GtkWidget *view = bd_test_find_shown_by_type (GTK_WIDGET (f->pane), GTK_TYPE_TEXT_VIEW);

    /* The counter follows the feedback's frame. */
    counter_label = gtk_widget_get_next_sibling (gtk_widget_get_ancestor (view, GTK_TYPE_FRAME));
  }
  g_assert_true (GTK_IS_LABEL (counter_label));
  g_assert_true (gtk_widget_has_css_class (counter_label, "error"));

  /* 2,000 are fine; another reason doesn't need any. */
  gtk_text_buffer_set_text (feedback_buffer (f), long_text + 1, -1);
  g_assert_true (gtk_widget_is_sensitive (save));
  g_assert_false (gtk_widget_has_css_class (counter_label, "error"));
  gtk_text_buffer_set_text (feedback_buffer (f), "", -1);
  g_assert_false (gtk_widget_is_sensitive (save));
  choose_reason (f, _("No longer needed"));
  g_assert_true (gtk_widget_is_sensitive (save));

  /* Reopening starts afresh. */
  type_feedback (f, "something");
  again = open_pane (f, client, "s2");
  g_assert_false (gtk_widget_is_sensitive (save_button (f)));
  {
    g_autofree char *text = feedback_text (f);

    g_assert_cmpstr (text, ==, "");
  }

  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_ACTIVE);
}

/* s4 has 26 licenses and no billing profile: blocked, with three ways on. */
static void
test_too_many_licenses (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  g_autofree char *sentence = NULL;
  g_autoptr(BdSubscription) subscription = NULL;
  GtkWidget *reduce;
  GtkWidget *turn_off;

  subscription = open_pane (f, client, "s4");

  assert_shows (f, _("You can’t cancel this subscription online"));
  sentence = g_strdup_printf (ngettext ("Without a billing profile, only subscriptions with 25 or "
                                        "fewer licenses can be cancelled. This one has %s.",
                                        "Without a billing profile, only subscriptions with 25 or "
                                        "fewer licenses can be cancelled. This one has %s.", 26),
                              bd_test_count (26));
  assert_shows (f, sentence);

  /* reduceLicenses (suggested), turnOffRecurringBilling, contactSupport */
  reduce = bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.reduce-licenses");
  turn_off = bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.turn-off-recurring-billing");
  g_assert_nonnull (reduce);
  g_assert_nonnull (turn_off);
  g_assert_true (gtk_widget_has_css_class (reduce, "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (turn_off, "suggested-action"));
  g_assert_true (shows_link (f, LINK_GET_SUPPORT));

  /* No reason, no feedback, no Save. */
  g_assert_null (save_button (f));
  g_assert_null (bd_test_find_shown_by_type (GTK_WIDGET (f->pane), GTK_TYPE_DROP_DOWN));
  assert_not_shown (f, _("What happens"));
  screenshot (f, "blocked");

  bd_test_click (reduce);
  g_assert_cmpuint (f->n_reduce, ==, 1);
  g_assert_cmpuint (f->reduce_quantity, ==, 25);
}

/* s1 when its window has closed: Turn Off Recurring Billing instead; a
 * stale ETag is met by reading the subscription again.
 */
static void
test_turn_off_recurring_billing (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  g_autoptr(BdTestAnswer) change = NULL;
  g_autofree char *closed_on = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *term_end = NULL;
  g_autofree char *done = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *stale = NULL;
  g_autoptr(BdSubscription) subscription = NULL;

  /* Just closed; the pane is given the service's clock, as the window
   * gives it. */
  bd_test_service_set_now (f->service, CLOSED);
  subscription = open_pane_at (f, client, "s1", CLOSED);

  closed_on = bd_format_date (bd_test_time (CLOSED));
  sentence = g_strdup_printf (_("The 7-day refund window after the latest renewal closed on %s."),
                              closed_on);
  assert_shows (f, sentence);
  /* The timeline agrees: its today is that day, the window past. */
  assert_shows (f, _("Refund window ended"));
  assert_not_shown (f, _("Refund window ends"));
  g_assert_null (save_button (f));
  g_assert_true (gtk_widget_has_css_class (bd_test_find_by_action (GTK_WIDGET (f->pane),
                                                           "pane.turn-off-recurring-billing"),
                                           "suggested-action"));

  /* Someone else changes it meanwhile: the pane's ETag is stale. */
  change = bd_test_service_request (f->service, "PATCH", "/v1/subscriptions/s1", ADMIN,
                                    "{\"quantity\": 11}", "If-Match",
                                    bd_subscription_get_data (subscription)->etag, NULL);
  g_assert_cmpuint (change->status, ==, 200);

  bd_test_click (bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.turn-off-recurring-billing"));
  g_assert_true (bd_cancel_pane_get_busy (f->pane));
  g_assert_false (bd_cancel_pane_request_close (f->pane));
  wait_not_busy (f);

  /* 412: said, and read again (the object too: 11 licenses now). */
  stale = g_strdup (_("Someone else changed this subscription. It has been reloaded."));
  bd_test_wait_for_text (f->pane, stale);
  g_assert_true (bd_test_wait_until (is_loaded, f, WAIT_MS));
  g_assert_cmpuint (bd_subscription_get_quantity (subscription), ==, 11);
  subtitle = g_strdup_printf (ngettext ("%1$s – %2$s license", "%1$s – %2$s licenses", 11),
                              "Microsoft 365 Business Premium", bd_test_count (11));
  assert_shows (f, subtitle);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "recurringBilling", "on");

  bd_test_click (bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.turn-off-recurring-billing"));
  wait_not_busy (f);

  term_end = bd_format_date (bd_test_time ("2026-12-01T00:00:00Z"));
  done = g_strdup_printf (_("Recurring billing is off. Access continues until %s; nothing more "
                            "is charged after that."), term_end);
  bd_test_wait_for_text (f->pane, done);
  g_assert_null (bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.turn-off-recurring-billing"));
  g_assert_cmpint (bd_subscription_get_recurring_billing (subscription), ==,
                   BD_RECURRING_BILLING_OFF);
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_ACTIVE);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "recurringBilling", "off");
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1", NULL), ==, 0);
  screenshot (f, "turned-off");
}

/* A Global reader is told who can cancel, and offered nothing to do. */
static void
test_reader (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, READER);
  g_autoptr(BdSubscription) subscription = open_pane (f, client, "s1");

  assert_shows (f, _("Only Global admins and Billing admins can cancel subscriptions."));
  g_assert_null (save_button (f));
  g_assert_null (bd_test_find_shown_by_type (GTK_WIDGET (f->pane), GTK_TYPE_DROP_DOWN));
  g_assert_null (bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.turn-off-recurring-billing"));
  assert_not_shown (f, _("What happens"));
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* How far down the pane @widget is drawn. */
static float
top_of (Fixture   *f,
        GtkWidget *widget)
{
  graphene_rect_t bounds;

  g_assert_nonnull (widget);
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (f->pane), &bounds));
  return bounds.origin.y;
}

/* A blocker card shows its alternatives in the answer's order, which is
 * not the order of the card's template: s4's are reduceLicenses,
 * turnOffRecurringBilling, contactSupport.
 */
static void
test_alternatives_in_order (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  g_autoptr(BdSubscription) subscription = open_pane (f, client, "s4");
  GtkWidget *reduce;
  GtkWidget *turn_off;
  GtkWidget *support;

  /* Laid out. */
  bd_test_wait_until (never, NULL, 100);

  reduce = bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.reduce-licenses");
  turn_off = bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.turn-off-recurring-billing");
  support = find_link (f, LINK_GET_SUPPORT);
  g_assert_cmpfloat (top_of (f, reduce), <, top_of (f, turn_off));
  g_assert_cmpfloat (top_of (f, turn_off), <, top_of (f, support));
  g_assert_null (bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.reactivate"));
}

/* Closing while the answer is awaited drops it; so does opening another. */
static void
test_close_while_loading (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  g_autoptr(BdSubscription) s1 = fetch_subscription (client, "s1");
  g_autoptr(BdSubscription) s2 = fetch_subscription (client, "s2");
  g_autofree char *window_end = NULL;
  g_autofree char *window = NULL;
  g_autofree char *subtitle = NULL;

  bd_cancel_pane_open (f->pane, client, s1, BD_CLOUD_WORLDWIDE, bd_test_time (NOW));
  g_assert_false (bd_cancel_pane_get_busy (f->pane));
  g_assert_true (bd_cancel_pane_request_close (f->pane));
  g_assert_cmpuint (f->n_close, ==, 1);

  /* The answer's callback runs, cancelled, and leaves the pane alone. */
  bd_test_wait_until (never, NULL, 500);
  g_assert_false (is_loaded (f));
  assert_not_shown (f, _("Can’t Show Cancellation Details"));

  /* Opening s2 while s1 loads: only s2 is shown. */
  bd_cancel_pane_open (f->pane, client, s1, BD_CLOUD_WORLDWIDE, bd_test_time (NOW));
  bd_cancel_pane_open (f->pane, client, s2, BD_CLOUD_WORLDWIDE, bd_test_time (NOW));
  g_assert_true (bd_test_wait_until (is_loaded, f, WAIT_MS));
  bd_test_wait_until (never, NULL, 300);

  window_end = bd_format_date_time (bd_test_time ("2026-11-08T00:00:00Z"));
  window = g_strdup_printf (_("The refund window closes on %s."), window_end);
  assert_not_shown (f, window);
  subtitle = g_strdup_printf (ngettext ("%1$s – %2$s license", "%1$s – %2$s licenses", 5),
                              "Microsoft 365 Business Premium", bd_test_count (5));
  assert_shows (f, subtitle);
  g_assert_true (bd_cancel_pane_get_subscription (f->pane) == s2);

  /* Escape closes it too. */
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "pane.close", NULL);
  g_assert_cmpuint (f->n_close, ==, 2);
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Closed within a frame of opening, and hidden as the window's flap hides
 * it: the pane is never laid out for the state it was opened in, and
 * nothing of it keeps the frame clock going (60 frames a second until it
 * opened again).
 */
static void
test_close_before_laid_out (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  g_autoptr(BdSubscription) s1 = fetch_subscription (client, "s1");

  g_assert_true (bd_test_wait_until (window_mapped, f->window, WAIT_MS));
  g_signal_connect (f->pane, "close", G_CALLBACK (gtk_widget_hide), NULL);
  /* What the window drew for its first frames is done. */
  bd_test_settle (200);

  bd_cancel_pane_open (f->pane, client, s1, BD_CLOUD_WORLDWIDE, bd_test_time (NOW));
  g_assert_true (bd_cancel_pane_request_close (f->pane));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (f->pane)));

  /* The window's relayout after the pane went, and nothing after it. */
  bd_test_settle (100);
  g_assert_cmpint (bd_test_count_frames (f->window, 300), <=, 2);
}

/* No answer: the outcome is unknown; Check Again sends the same key, and the
 * service applies the cancel once.
 */
static void
test_unknown_outcome (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BdClient) client = proxy_client (f, ADMIN);
  g_autofree char *unknown =
    g_strdup (_("The billing service did not answer, so the result is not known yet. "
                "Asking again is safe: the subscription is never cancelled twice."));
  g_autofree char *check_again = bd_test_without_mnemonic (_("_Check Again"));
  g_autofree char *text = NULL;
  g_autoptr(BdSubscription) subscription = open_pane (f, client, "s1");

  choose_reason (f, _("No longer needed"));
  type_feedback (f, "Moving to Business Standard");

  f->proxy->black_hole = TRUE;
  bd_test_click (save_button (f));
  wait_not_busy (f);

  assert_shows (f, unknown);
  assert_shows (f, check_again);
  g_assert_cmpuint (f->proxy->keys->len, ==, 1);
  g_assert_nonnull (g_ptr_array_index (f->proxy->keys, 0));
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "active");
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_ACTIVE);
  g_assert_cmpuint (f->n_cancelled, ==, 0);
  screenshot (f, "unknown");

  /* The form as typed. */
  text = feedback_text (f);
  g_assert_cmpstr (text, ==, "Moving to Business Standard");
  assert_shows (f, _("No longer needed"));

  /* Check Again, still no answer: the same key again. */
  bd_test_click (save_button (f));
  wait_not_busy (f);
  assert_shows (f, unknown);
  g_assert_cmpuint (f->proxy->keys->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->proxy->keys, 1), ==,
                   g_ptr_array_index (f->proxy->keys, 0));

  /* Check Again, answered: cancelled once, under that key. */
  f->proxy->black_hole = FALSE;
  bd_test_click (save_button (f));
  wait_not_busy (f);
  g_assert_cmpuint (f->proxy->keys->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->proxy->keys, 2), ==,
                   g_ptr_array_index (f->proxy->keys, 0));
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  assert_shows (f, _("Subscription Cancelled"));
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_DISABLED);
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1",
                                                   g_ptr_array_index (f->proxy->keys, 0)),
                    ==, 1);
}

/* A form changed after an unknown outcome is a new intent: the pane reads
 * the subscription again, then sends with a new key.
 */
static void
test_changed_form_new_key (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BdClient) client = proxy_client (f, ADMIN);
  g_autofree char *save_label = bd_test_without_mnemonic (C_("cancel subscription", "_Save"));
  g_autofree char *check_again = bd_test_without_mnemonic (_("_Check Again"));
  g_autoptr(BdSubscription) subscription = open_pane (f, client, "s1");

  choose_reason (f, _("Too expensive"));

  f->proxy->black_hole = TRUE;
  bd_test_click (save_button (f));
  wait_not_busy (f);
  assert_shows (f, check_again);

  /* Changed: Save again, a new key. */
  type_feedback (f, "Found it cheaper.");
  assert_shows (f, save_label);
  assert_not_shown (f, check_again);
  bd_test_click (save_button (f));
  wait_not_busy (f);
  g_assert_cmpuint (f->proxy->keys->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->proxy->keys, 1), !=,
                   g_ptr_array_index (f->proxy->keys, 0));

  /* Changed back and forth to the same form: that request again. */
  choose_reason (f, _("No longer needed"));
  choose_reason (f, _("Too expensive"));
  assert_shows (f, check_again);
  f->proxy->black_hole = FALSE;
  bd_test_click (save_button (f));
  wait_not_busy (f);
  g_assert_cmpuint (f->proxy->keys->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->proxy->keys, 2), ==,
                   g_ptr_array_index (f->proxy->keys, 1));
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1",
                                                   g_ptr_array_index (f->proxy->keys, 1)),
                    ==, 1);
}

/* After an unknown outcome the earlier cancel went through after all: a
 * changed form finds the subscription Disabled and sends nothing more.
 */
static void
test_changed_form_after_applied (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(BdClient) client = proxy_client (f, ADMIN);
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(BdSubscription) subscription = open_pane (f, client, "s1");

  choose_reason (f, _("Too expensive"));
  f->proxy->black_hole = TRUE;
  bd_test_click (save_button (f));
  wait_not_busy (f);

  /* What the swallowed request would have done. */
  answer = bd_test_service_request (f->service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                    "{\"reason\":\"tooExpensive\"}", "Idempotency-Key",
                                    g_ptr_array_index (f->proxy->keys, 0), NULL);
  g_assert_cmpuint (answer->status, ==, 200);

  type_feedback (f, "Too dear.");
  bd_test_click (save_button (f));
  bd_test_wait_for_text (f->pane, _("The subscription is no longer active: the earlier attempt "
                                    "may have cancelled it. Nothing more was sent."));
  g_assert_true (bd_test_wait_until (is_loaded, f, WAIT_MS));
  g_assert_cmpuint (f->proxy->keys->len, ==, 1);
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_DISABLED);
  assert_shows (f, _("You can’t cancel this subscription online"));
  g_assert_nonnull (bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.reactivate"));
  bd_test_click (bd_test_find_by_action (GTK_WIDGET (f->pane), "pane.reactivate"));
  g_assert_cmpuint (f->n_reactivate, ==, 1);
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1", NULL), ==, 1);
}

/* A refusal: said with its reason, the form kept; Try Again is another
 * request (a refusal is replayed to its key), sent after reading again.
 */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BdClient) client = proxy_client (f, ADMIN);
  g_autofree char *refused = NULL;
  g_autofree char *try_again = bd_test_without_mnemonic (_("_Try Again"));
  g_autofree char *text = NULL;
  g_autoptr(BdSubscription) subscription = open_pane (f, client, "s1");

  choose_reason (f, _("Missing features we need"));
  type_feedback (f, "No Linux client.");

  /* The window closes while the pane is open. */
  bd_test_service_set_now (f->service, "2026-11-09T00:00:00Z");
  bd_test_click (save_button (f));
  wait_not_busy (f);

  refused = g_strdup_printf (_("The subscription was not cancelled: %s Nothing was changed."),
                             _("The 7-day refund window has closed. "
                               "You can turn off recurring billing instead."));
  assert_shows (f, refused);
  assert_shows (f, try_again);
  text = feedback_text (f);
  g_assert_cmpstr (text, ==, "No Linux client.");
  assert_shows (f, _("Missing features we need"));
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_ACTIVE);
  screenshot (f, "refused");

  bd_test_click (save_button (f));
  wait_not_busy (f);
  assert_shows (f, refused);
  g_assert_cmpuint (f->proxy->keys->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->proxy->keys, 1), !=,
                   g_ptr_array_index (f->proxy->keys, 0));
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1", NULL), ==, 0);
}

/* The service stopped before Save: nothing was sent, so it is a refusal —
 * said, the form kept; started again, Try Again cancels once.
 */
static void
test_service_stopped (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BdClient) client = proxy_client (f, ADMIN);
  g_autofree char *refused = NULL;
  g_autofree char *try_again = bd_test_without_mnemonic (_("_Try Again"));
  g_autofree char *text = NULL;
  g_autoptr(BdSubscription) subscription = open_pane (f, client, "s1");

  choose_reason (f, _("Switching to another Microsoft product"));
  type_feedback (f, "Business Basic is enough.");

  proxy_stop (f->proxy);
  bd_test_click (save_button (f));
  wait_not_busy (f);

  refused = g_strdup_printf (_("The subscription was not cancelled: %s"),
                             _("The billing service could not be reached. "
                               "Nothing was changed; try again."));
  assert_shows (f, refused);
  assert_shows (f, try_again);
  text = feedback_text (f);
  g_assert_cmpstr (text, ==, "Business Basic is enough.");
  assert_shows (f, _("Switching to another Microsoft product"));
  g_assert_cmpuint (f->proxy->keys->len, ==, 0);
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_ACTIVE);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "active");

  proxy_start (f->proxy);
  bd_test_click (save_button (f));
  wait_not_busy (f);
  assert_shows (f, _("Subscription Cancelled"));
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_DISABLED);
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "disabled");
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1",
                                                   g_ptr_array_index (f->proxy->keys, 0)),
                    ==, 1);
}

/* The service cancelled, and its answer was lost: the result is unknown;
 * Check Again sends the same key and is answered with the first answer —
 * the ledger holds one cancel.
 */
static void
test_answer_lost (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BdClient) client = proxy_client (f, ADMIN);
  g_autofree char *check_again = bd_test_without_mnemonic (_("_Check Again"));
  g_autoptr(BdSubscription) subscription = open_pane (f, client, "s1");

  choose_reason (f, _("No longer needed"));

  f->proxy->lose_answers = TRUE;
  bd_test_click (save_button (f));
  wait_not_busy (f);

  assert_shows (f, _("The billing service did not answer, so the result is not known yet. "
                     "Asking again is safe: the subscription is never cancelled twice."));
  assert_shows (f, check_again);
  /* The service did it; the pane does not claim either way. */
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "disabled");
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_ACTIVE);
  g_assert_cmpuint (f->n_cancelled, ==, 0);

  f->proxy->lose_answers = FALSE;
  bd_test_click (save_button (f));
  wait_not_busy (f);
  g_assert_cmpuint (f->proxy->keys->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->proxy->keys, 1), ==,
                   g_ptr_array_index (f->proxy->keys, 0));
  assert_shows (f, _("Subscription Cancelled"));
  g_assert_cmpuint (f->n_cancelled, ==, 1);
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_DISABLED);
  g_assert_cmpuint (bd_test_service_count_cancels (f->service, ADMIN, "s1",
                                                   g_ptr_array_index (f->proxy->keys, 0)),
                    ==, 1);
}

/* A trial says that nothing is refunded; the other cloud has its links. */
static void
test_trial_and_cloud (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  g_autoptr(BdSubscription) s5 = fetch_subscription (client, "s5");
  g_autofree char *window_end = NULL;
  g_autofree char *window = NULL;

  bd_cancel_pane_open (f->pane, client, s5, BD_CLOUD_21VIANET, bd_test_time (NOW));
  g_assert_true (bd_test_wait_until (is_loaded, f, WAIT_MS));

  assert_shows (f, _("This is a trial: nothing is charged or refunded."));
  window_end = bd_format_date_time (bd_test_time ("2026-11-08T00:00:00Z"));
  window = g_strdup_printf (_("The refund window closes on %s."), window_end);
  assert_not_shown (f, window);

  choose_reason (f, _("The project it was for has ended"));
  bd_test_click (save_button (f));
  wait_not_busy (f);
  assert_shows (f, _("Subscription Cancelled"));
  assert_shows (f, _("This is a trial: nothing is charged or refunded."));
  g_assert_true (shows_link (f, LINK_ACTIVE_USERS_21VIANET));
  g_assert_false (shows_link (f, LINK_ACTIVE_USERS_WORLDWIDE));
}

/* Disposed while the answer is awaited: nothing runs on the gone pane. */
static void
test_dispose_while_loading (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, ADMIN);
  g_autoptr(BdSubscription) s1 = fetch_subscription (client, "s1");
  BdCancelPane *pane = bd_cancel_pane_new ();

  g_object_ref_sink (pane);
  bd_cancel_pane_open (pane, client, s1, BD_CLOUD_WORLDWIDE, bd_test_time (NOW));
  g_assert_finalize_object (pane);
  bd_test_wait_until (never, NULL, 500);
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

#define ADD(path, func) \
  g_test_add ("/cancel-pane/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("cancel", test_cancel);
  ADD ("other-needs-feedback", test_other_needs_feedback);
  ADD ("too-many-licenses", test_too_many_licenses);
  ADD ("turn-off-recurring-billing", test_turn_off_recurring_billing);
  ADD ("reader", test_reader);
  ADD ("alternatives-in-order", test_alternatives_in_order);
  ADD ("close-while-loading", test_close_while_loading);
  ADD ("close-before-laid-out", test_close_before_laid_out);
  ADD ("unknown-outcome", test_unknown_outcome);
  ADD ("changed-form-new-key", test_changed_form_new_key);
  ADD ("changed-form-after-applied", test_changed_form_after_applied);
  ADD ("refused", test_refused);
  ADD ("service-stopped", test_service_stopped);
  ADD ("answer-lost", test_answer_lost);
  ADD ("trial-and-cloud", test_trial_and_cloud);
  ADD ("dispose-while-loading", test_dispose_while_loading);

#undef ADD

  return g_test_run ();
}
