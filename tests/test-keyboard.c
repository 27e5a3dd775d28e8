/* test-keyboard.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app as a keyboard-only person uses it: a BdApplication in the test
 * process on its demo (the embedded service, started from the demo tenant
 * as a user's first start does), under Xvfb, driven by real key events
 * sent through the X server (bd-test-keys.c) and nothing else — no
 * pointer, no action called, no signal emitted, no focus moved by the test
 * but the window's X input focus at the start. A whole cancel (Tab and the
 * arrows to a row, Shift+F10, the menu, the pane, the reason, Save, Escape
 * back to the row), F6 between the list and the pane, the focus back on the
 * row after a refresh, and Ctrl+W. Then, on a window of the test's own over a
 * service in the test process behind a proxy that can hold a request: a
 * refused cancel, Escape while the pane loads, F6 while a cancel is in
 * flight, and going offline after the pane closed.
 *
 * With BD_TEST_SCREENSHOT_DIR set, it also saves PNGs of the window there.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "bd-application.h"
#include "bd-blocker-card.h"
#include "bd-cancel-pane.h"
#include "bd-product-row.h"
#include "bd-products-page.h"
#include "bd-test-keys.h"
#include "bd-test-service.h"
#include "bd-test-utils.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

#define WAIT_MS BD_TEST_WIDGET_WAIT_MS

/* The demo subscription the cancel is walked to: Microsoft 365 Business
 * Premium, renewed two days ago (its refund window open), a few rows down
 * the list (sorted by product). */
#define TARGET_ID "s01"

/* The others, each a test's own (the demo's database is the tests'):
 * Microsoft 365 Business Standard, renewed long ago (it can't be cancelled
 * online); Microsoft 365 Copilot, the only "cop"; Visio Plan 2.
 */
#define BLOCKED_ID   "s14"
#define REFRESHED_ID "s16"
#define CLOSED_ID    "s11"

typedef void (*Body) (BdWindow *window);

static BdApplication *app;

static void
screenshot (BdWindow   *window,
            const char *name)
{
  g_autofree char *file = g_strdup_printf ("keyboard-%s", name);

  bd_test_save_screenshot_in_language (window, file);
}

/*
 * Looking at the window
 */

static BdProductsPage *
page_of (BdWindow *window)
{
  return BD_PRODUCTS_PAGE (bd_window_get_products_page (window));
}

static BdCancelPane *
pane_of (BdWindow *window)
{
  return BD_CANCEL_PANE (bd_test_find_by_type (window, BD_TYPE_CANCEL_PANE));
}

static gboolean
pane_shown (BdWindow *window)
{
  AdwFlap *flap = ADW_FLAP (bd_test_find_by_type (window, ADW_TYPE_FLAP));

  return adw_flap_get_reveal_flap (flap);
}

static GtkWidget *
focus_of (BdWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

/* The row the focus is in (on the list item around it, or on a widget
 * inside it), or NULL.
 */
static BdProductRow *
row_of (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      GtkWidget *child = gtk_widget_get_first_child (w);

      if (BD_IS_PRODUCT_ROW (w))
        return BD_PRODUCT_ROW (w);
      if (child != NULL && BD_IS_PRODUCT_ROW (child))
        return BD_PRODUCT_ROW (child);
    }

  return NULL;
}

/* The id of the subscription whose row has the focus, or NULL. */
static const char *
focused_row_id (BdWindow *window)
{
  BdProductRow *row = row_of (focus_of (window));
  BdSubscription *subscription = row != NULL ? bd_product_row_get_subscription (row) : NULL;

  return subscription != NULL ? bd_subscription_get_id (subscription) : NULL;
}

/* Where the focus is, for the log and for failures. */
static char *
describe_focus (BdWindow *window)
{
  GtkWidget *focus = focus_of (window);
  g_autofree char *text = NULL;

  if (focus == NULL)
    return g_strdup ("nothing");

  text = bd_test_widget_text (focus);
  return g_strdup_printf ("%s “%s” in %s, row %s", G_OBJECT_TYPE_NAME (focus), text,
                          G_OBJECT_TYPE_NAME (gtk_widget_get_parent (focus)),
                          focused_row_id (window) != NULL ? focused_row_id (window) : "none");
}

static gboolean
focus_in (BdWindow  *window,
          GtkWidget *widget)
{
  GtkWidget *focus = focus_of (window);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
assert_focus_in (BdWindow   *window,
                 GtkWidget  *widget,
                 const char *what)
{
  if (!focus_in (window, widget))
    {
      g_autofree char *where = describe_focus (window);

      g_error ("the focus is not on %s but on %s", what, where);
    }
}

typedef struct
{
  BdWindow  *window;
  GtkWidget *widget;
} FocusWait;

static gboolean
focus_arrived (gpointer data)
{
  FocusWait *wait = data;

  return focus_in (wait->window, wait->widget);
}

/* Where GTK moves the focus a moment after the key (a popover opens or
 * closes, and its X window with it) or the app does once a page is laid
 * out: waited for, and failed if it never comes.
 */
static void
wait_focus_in (BdWindow   *window,
               GtkWidget  *widget,
               const char *what)
{
  FocusWait wait = { window, widget };

  if (!bd_test_wait_until (focus_arrived, &wait, WAIT_MS))
    assert_focus_in (window, widget, what);
}

static void
assert_focus_on_row (BdWindow   *window,
                     const char *id)
{
  if (g_strcmp0 (focused_row_id (window), id) != 0)
    {
      g_autofree char *where = describe_focus (window);

      g_error ("the focus is not on the row of %s but on %s", id, where);
    }
}

static void
log_focus (BdWindow   *window,
           const char *after)
{
  g_autofree char *where = describe_focus (window);

  g_test_message ("after %s: %s", after, where);
}

static GtkDropDown *
reason_dropdown (BdWindow *window)
{
  return GTK_DROP_DOWN (bd_test_find_by_type (pane_of (window), GTK_TYPE_DROP_DOWN));
}

static gboolean
form_shown (gpointer data)
{
  BdWindow *window = data;

  return gtk_widget_get_mapped (GTK_WIDGET (reason_dropdown (window))) &&
         bd_test_find_by_action (pane_of (window), "pane.save") != NULL;
}

static gboolean
loaded (gpointer data)
{
  BdWindow *window = data;
  AdwWindowTitle *title = ADW_WINDOW_TITLE (bd_test_find_by_type (window,
                                                                  ADW_TYPE_WINDOW_TITLE));

  return !bd_products_page_is_loading (page_of (window)) &&
         g_list_model_get_n_items (bd_products_page_get_shown (page_of (window))) > 0 &&
         *adw_window_title_get_subtitle (title) != '\0';
}

static guint
position_of (BdWindow   *window,
             const char *id)
{
  GListModel *shown = bd_products_page_get_shown (page_of (window));

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (shown, i);

      if (g_str_equal (bd_subscription_get_id (subscription), id))
        return i;
    }

  g_error ("%s is not listed", id);
}

static const char *
id_at (BdWindow *window,
       guint     position)
{
  GListModel *shown = bd_products_page_get_shown (page_of (window));
  g_autoptr(BdSubscription) subscription = g_list_model_get_item (shown, position);

  g_assert_nonnull (subscription);
  return bd_subscription_get_id (subscription);
}

/*
 * Keys
 */

static void
press (BdWindow *window,
       guint     keyval)
{
  bd_test_keys_press (GTK_WINDOW (window), keyval, 0);
  log_focus (window, gdk_keyval_name (keyval));
}

static void
press_with (BdWindow        *window,
            guint            keyval,
            GdkModifierType  modifiers)
{
  g_autofree char *name = gtk_accelerator_name (keyval, modifiers);
  BdWindow *alive = window;

  /* Ctrl+W leaves no window to look at. */
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &alive);
  bd_test_keys_press (GTK_WINDOW (window), keyval, modifiers);
  if (alive == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (window), (gpointer *) &alive);
  log_focus (window, name);
}

/* From the window's first focus, Tab until the focus is on a row of the
 * list; then Down, row by row, to @id's row. Returns how many Tabs it took.
 */
static guint
walk_to_row (BdWindow   *window,
             const char *id)
{
  guint tabs = 0;
  guint from;
  guint to = position_of (window, id);

  log_focus (window, "the start");
  while (focused_row_id (window) == NULL)
    {
      g_assert_cmpuint (tabs, <, 12);
      press (window, GDK_KEY_Tab);
      tabs++;
    }

  /* Tab enters the list on its first row. */
  g_assert_cmpstr (focused_row_id (window), ==, id_at (window, 0));
  from = position_of (window, focused_row_id (window));
  for (guint i = from; i < to; i++)
    {
      press (window, GDK_KEY_Down);
      assert_focus_on_row (window, id_at (window, i + 1));
    }

  assert_focus_on_row (window, id);
  return tabs;
}

static GtkPopover *
shown_popover (GtkWidget *widget)
{
  return GTK_POPOVER (bd_test_find_shown_by_type (widget, GTK_TYPE_POPOVER));
}

/* Shift+F10 on @id's row, Down to Cancel Subscription, Return. */
static void
open_pane_by_keys (BdWindow   *window,
                   const char *id)
{
  BdProductRow *row = row_of (focus_of (window));
  g_autofree char *item = bd_test_without_mnemonic (_("_Cancel Subscription"));
  GtkPopover *menu;
  guint downs = 0;

  assert_focus_on_row (window, id);
  press_with (window, GDK_KEY_F10, GDK_SHIFT_MASK);
  menu = shown_popover (GTK_WIDGET (row));
  g_assert_nonnull (menu);
  wait_focus_in (window, GTK_WIDGET (menu), "the menu");
  /* On its first item, or Down goes to it. */
  while (!bd_test_widget_shows (focus_of (window), item))
    {
      g_assert_cmpuint (downs, <, 2);
      press (window, GDK_KEY_Down);
      downs++;
    }

  press (window, GDK_KEY_Return);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (menu)));
  g_assert_true (pane_shown (window));
  g_assert_cmpstr (bd_subscription_get_id (bd_cancel_pane_get_subscription (pane_of (window))),
                   ==, id);
}

/*
 * The app
 */

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

static BdWindow *
the_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  return windows != NULL && BD_IS_WINDOW (windows->data) ? windows->data : NULL;
}

static gboolean
run_body_cb (gpointer data)
{
  Body body = (Body) data;
  BdWindow *window = the_window ();

  g_assert_nonnull (window);
  if (!bd_test_wait_until (loaded, window, WAIT_MS))
    g_error ("the demo never loaded");
  bd_test_keys_focus_window (GTK_WINDOW (window));

  body (window);

  if (the_window () != NULL)
    gtk_window_close (GTK_WINDOW (the_window ()));
  g_assert_true (bd_test_wait_until (no_windows, NULL, WAIT_MS));
  return G_SOURCE_REMOVE;
}

static void
on_startup_cb (GApplication *application,
               Body          body)
{
  /* No frame of an animation depends on how fast this machine draws, and
   * no cursor blinks (an entry whose window goes keeps its focus on Xvfb,
   * which has no window manager). */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);
  g_idle_add (run_body_cb, body);
}

/* The app as launched with no argument: its window on the demo. */
static void
test_body (gconstpointer data)
{
  g_autoptr(BdApplication) application = bd_application_new ();
  char *argv[] = { (char *) "billing-desk", NULL };

  g_application_set_flags (G_APPLICATION (application),
                           g_application_get_flags (G_APPLICATION (application)) |
                           G_APPLICATION_NON_UNIQUE);
  g_signal_connect (application, "startup", G_CALLBACK (on_startup_cb), (gpointer) data);
  app = application;
  g_assert_cmpint (g_application_run (G_APPLICATION (application), 1, argv), ==, 0);
  app = NULL;
}

/*
 * Tests
 */

static gboolean
pane_not_busy (gpointer data)
{
  return !bd_cancel_pane_get_busy (data);
}

/* The subscription as the service has it now, read through the window's
 * client.
 */
static BdStatus
service_status (BdWindow   *window,
                const char *id)
{
  BdClient *client = bd_window_get_client (window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BdSubscription) subscription = NULL;
  g_autoptr(GError) error = NULL;

  bd_client_get_subscription_async (client, id, NULL, bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, WAIT_MS));
  subscription = bd_client_get_subscription_finish (client, result, &error);
  g_assert_no_error (error);
  return bd_subscription_get_status (subscription);
}

/* On the pane's form, the focus on the Reason drop-down: Space opens the
 * reasons, Down goes to the first one, Return chooses it; Save is a few
 * Tabs away. Returns Save, focused.
 */
static GtkWidget *
fill_form_by_keys (BdWindow *window)
{
  GtkDropDown *reasons = reason_dropdown (window);
  GtkWidget *save;
  GtkPopover *list;
  guint tabs;
  g_autoptr(GtkStringObject) chosen = NULL;

  press (window, GDK_KEY_space);
  list = shown_popover (GTK_WIDGET (reasons));
  g_assert_nonnull (list);
  wait_focus_in (window, GTK_WIDGET (list), "the reasons");
  press (window, GDK_KEY_Down);
  press (window, GDK_KEY_Return);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (list)));
  chosen = g_object_ref (gtk_drop_down_get_selected_item (reasons));
  g_assert_cmpstr (gtk_string_object_get_string (chosen), ==, _("Too expensive"));
  wait_focus_in (window, GTK_WIDGET (reasons), "the Reason drop-down");

  /* Save is a few Tabs away: the feedback, Keep Subscription, Save. */
  save = bd_test_find_by_action (pane_of (window), "pane.save");
  tabs = 0;
  while (!focus_in (window, save))
    {
      g_assert_cmpuint (tabs, <, 3);
      press (window, GDK_KEY_Tab);
      tabs++;
    }
  g_assert_true (gtk_widget_is_sensitive (save));
  return save;
}

/* Opened by keys on @id's row: the focus goes into the pane, and on to
 * the Reason drop-down once the form shows.
 */
static void
open_form_by_keys (BdWindow   *window,
                   const char *id)
{
  open_pane_by_keys (window, id);
  wait_focus_in (window, GTK_WIDGET (pane_of (window)), "the pane");

  if (!bd_test_wait_until (form_shown, window, WAIT_MS))
    g_error ("the pane never showed its form");
  /* The first thing to fill in. */
  wait_focus_in (window, GTK_WIDGET (reason_dropdown (window)), "the Reason drop-down");
}

/* The whole cancel, keys only. */
static void
cancel_body (BdWindow *window)
{
  BdCancelPane *pane = pane_of (window);
  guint tabs;

  tabs = walk_to_row (window, TARGET_ID);
  g_test_message ("%u Tabs to the list", tabs);
  screenshot (window, "row");

  open_form_by_keys (window, TARGET_ID);
  screenshot (window, "reason");

  fill_form_by_keys (window);
  screenshot (window, "save");

  press (window, GDK_KEY_Return);
  g_assert_true (bd_test_wait_until (pane_not_busy, pane, WAIT_MS));
  g_assert_cmpint (service_status (window, TARGET_ID), ==, BD_STATUS_DISABLED);
  bd_test_wait_for_text (pane, _("Subscription Cancelled"));
  screenshot (window, "done");

  /* Escape closes the pane; the focus is back on the row. */
  press (window, GDK_KEY_Escape);
  g_assert_false (pane_shown (window));
  assert_focus_on_row (window, TARGET_ID);
  screenshot (window, "back");
}

static void
test_cancel (void)
{
  test_body (cancel_body);
}

static gboolean
blocked_shown (gpointer data)
{
  BdWindow *window = data;

  return bd_test_widget_shows (pane_of (window), _("You can’t cancel this subscription online"));
}

/* The focus is on a button of what blocks the cancel: its first
 * alternative. */
static gboolean
focus_on_alternative (gpointer data)
{
  GtkWidget *focus = focus_of (data);

  return GTK_IS_BUTTON (focus) && gtk_widget_get_ancestor (focus, BD_TYPE_BLOCKER_CARD) != NULL;
}

/* F6 between the list and the pane, both ways, on a subscription that
 * can't be cancelled online: the pane's first control is then its first
 * alternative. With the pane closed, F6 does nothing.
 */
static void
f6_body (BdWindow *window)
{
  GtkWidget *focus;
  GtkWidget *card;

  walk_to_row (window, BLOCKED_ID);
  focus = focus_of (window);
  press (window, GDK_KEY_F6);
  g_assert_false (pane_shown (window));
  g_assert_true (focus_of (window) == focus);

  open_pane_by_keys (window, BLOCKED_ID);
  wait_focus_in (window, GTK_WIDGET (pane_of (window)), "the pane");
  if (!bd_test_wait_until (blocked_shown, window, WAIT_MS))
    g_error ("the pane never said why it can't be cancelled");
  bd_test_wait_until (focus_on_alternative, window, WAIT_MS);
  card = gtk_widget_get_ancestor (focus_of (window), BD_TYPE_BLOCKER_CARD);
  if (!focus_on_alternative (window))
    {
      g_autofree char *where = describe_focus (window);

      g_error ("the focus is not on the first alternative but on %s", where);
    }
  screenshot (window, "blocked");

  /* To the list, on the pane's row, and back to the same control. */
  press (window, GDK_KEY_F6);
  assert_focus_on_row (window, BLOCKED_ID);
  g_assert_true (pane_shown (window));
  press_with (window, GDK_KEY_F6, GDK_SHIFT_MASK);
  assert_focus_in (window, card, "the first alternative");
  press (window, GDK_KEY_F6);
  assert_focus_on_row (window, BLOCKED_ID);
  press (window, GDK_KEY_F6);
  assert_focus_in (window, card, "the first alternative");

  /* Escape closes the pane from the list as from the pane. */
  press (window, GDK_KEY_F6);
  assert_focus_on_row (window, BLOCKED_ID);
  press (window, GDK_KEY_Escape);
  g_assert_false (pane_shown (window));
  assert_focus_on_row (window, BLOCKED_ID);
}

static void
test_f6 (void)
{
  test_body (f6_body);
}

/* The pane's row is found by its subscription when the pane closes: after
 * a refresh (F5) and a search typed and cleared meanwhile, which bind the
 * list's rows again.
 */
static void
refreshed_body (BdWindow *window)
{
  walk_to_row (window, REFRESHED_ID);
  open_pane_by_keys (window, REFRESHED_ID);
  if (!bd_test_wait_until (form_shown, window, WAIT_MS))
    g_error ("the pane never showed its form");

  press (window, GDK_KEY_F5);
  if (!bd_test_wait_until (loaded, window, WAIT_MS))
    g_error ("the list never loaded again");
  wait_focus_in (window, GTK_WIDGET (pane_of (window)), "the pane");

  /* Typed anywhere, a name goes to the search. */
  press (window, GDK_KEY_c);
  press (window, GDK_KEY_o);
  press (window, GDK_KEY_p);
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_shown (page_of (window))),
                    ==, 1);
  screenshot (window, "search");
  /* Escape clears it and leaves it; F6 goes back to the pane. */
  press (window, GDK_KEY_Escape);
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_shown (page_of (window))),
                    >, 1);
  g_assert_true (pane_shown (window));
  press (window, GDK_KEY_F6);
  assert_focus_in (window, GTK_WIDGET (pane_of (window)), "the pane");

  press (window, GDK_KEY_Escape);
  g_assert_false (pane_shown (window));
  assert_focus_on_row (window, REFRESHED_ID);
}

static void
test_refreshed (void)
{
  test_body (refreshed_body);
}

/* Ctrl+W closes the window, the focus in the pane ... */
static void
close_from_pane_body (BdWindow *window)
{
  walk_to_row (window, CLOSED_ID);
  open_pane_by_keys (window, CLOSED_ID);
  if (!bd_test_wait_until (form_shown, window, WAIT_MS))
    g_error ("the pane never showed its form");
  wait_focus_in (window, GTK_WIDGET (pane_of (window)), "the pane");

  press_with (window, GDK_KEY_w, GDK_CONTROL_MASK);
  g_assert_true (bd_test_wait_until (no_windows, NULL, WAIT_MS));
}

static void
test_close_from_pane (void)
{
  test_body (close_from_pane_body);
}

/* ... and in the list. */
static void
close_from_list_body (BdWindow *window)
{
  walk_to_row (window, CLOSED_ID);
  press_with (window, GDK_KEY_w, GDK_CONTROL_MASK);
  g_assert_true (bd_test_wait_until (no_windows, NULL, WAIT_MS));
}

static void
test_close_from_list (void)
{
  test_body (close_from_list_body);
}

/*
 * A window of the test's own, on a service in the test process, behind a
 * proxy that can hold one kind of request (its method and path) until it
 * is released, as a slow service would.
 */

typedef struct
{
  BdTestService *service;
  SoupServer    *server;
  SoupSession   *session;
  char          *url;
  const char    *hold_method;
  const char    *hold_path;
  GPtrArray     *held;     /* SoupServerMessage, paused */
  BdWindow      *window;
} Fixture;

static void
holding_handler (SoupServer        *server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *f = user_data;

  if (g_strcmp0 (soup_server_message_get_method (message), f->hold_method) == 0 &&
      g_strcmp0 (path, f->hold_path) == 0)
    {
      soup_server_message_pause (message);
      g_ptr_array_add (f->held, g_object_ref (message));
      return;
    }

  bd_test_forward (f->session, message, f->service->url);
}

static gboolean
holds_one (gpointer data)
{
  return ((Fixture *) data)->held->len > 0;
}

/* What was held goes on to the service, and its answers to the app. */
static void
release (Fixture *f)
{
  f->hold_method = NULL;
  for (guint i = 0; i < f->held->len; i++)
    {
      SoupServerMessage *message = g_ptr_array_index (f->held, i);

      /* Passed on as it is answered: bd_test_forward () pauses it again. */
      soup_server_message_unpause (message);
      bd_test_forward (f->session, message, f->service->url);
    }
  g_ptr_array_set_size (f->held, 0);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  guint16 port = 0;
  g_autoptr(BdClient) client = NULL;

  /* As the app does at its start (these tests may run first), and as the
   * app's tests set it: no animation, no blinking cursor. */
  adw_init ();
  bd_application_set_default_direction ();
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);
  f->service = bd_test_service_new (TENANT, NOW);
  f->held = g_ptr_array_new_with_free_func (g_object_unref);
  f->session = soup_session_new ();
  soup_session_set_proxy_resolver (f->session, NULL);
  f->server = bd_test_proxy_listen (holding_handler, f, &port);
  f->url = g_strdup_printf ("http://127.0.0.1:%u", port);

  client = bd_client_new (f->url, ADMIN);
  f->window = g_object_new (BD_TYPE_WINDOW, NULL);
  /* An account's: its list kept for when it goes offline. */
  bd_products_page_set_account (page_of (f->window), "Contoso A/S – Anne Berg", f->url, "u1");
  bd_window_set_client (f->window, client);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  if (!bd_test_wait_until (loaded, f->window, WAIT_MS))
    g_error ("the list never loaded");
  bd_test_keys_focus_window (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  soup_session_abort (f->session);
  soup_server_disconnect (f->server);
  g_ptr_array_unref (f->held);
  g_object_unref (f->server);
  g_object_unref (f->session);
  g_free (f->url);
  g_clear_pointer (&f->service, bd_test_service_free);
}

static gboolean
focus_on_done (gpointer data)
{
  g_autofree char *done = bd_test_without_mnemonic (_("_Done"));
  GtkWidget *focus = focus_of (data);

  return GTK_IS_BUTTON (focus) && bd_test_widget_shows (focus, done);
}

/* The service refuses the cancel (the refund window closed meanwhile):
 * the pane says so, the focus back on Save (now Try Again); Escape, back
 * on the row.
 */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *try_again = bd_test_without_mnemonic (_("_Try Again"));
  GtkWidget *save;

  walk_to_row (f->window, "s1");
  open_form_by_keys (f->window, "s1");
  save = fill_form_by_keys (f->window);

  bd_test_service_set_now (f->service, "2026-11-09T00:00:00Z");
  press (f->window, GDK_KEY_Return);
  g_assert_true (bd_test_wait_until (pane_not_busy, pane_of (f->window), WAIT_MS));
  bd_test_wait_for_text (pane_of (f->window), try_again);
  wait_focus_in (f->window, save, "Try Again");
  screenshot (f->window, "refused");

  press (f->window, GDK_KEY_Escape);
  g_assert_false (pane_shown (f->window));
  assert_focus_on_row (f->window, "s1");
  bd_test_service_assert_says (f->service, ADMIN, "s1", "status", "active");
}

/* Escape while the pane still loads (its answer held): the focus back on
 * the row, and nothing left to keep the frame clock going.
 */
static void
test_close_while_loading (Fixture       *f,
                          gconstpointer  data)
{
  f->hold_method = "GET";
  f->hold_path = "/v1/subscriptions/s1/cancellation";
  walk_to_row (f->window, "s1");
  open_pane_by_keys (f->window, "s1");
  g_assert_true (bd_test_wait_until (holds_one, f, WAIT_MS));
  wait_focus_in (f->window, GTK_WIDGET (pane_of (f->window)), "the pane");

  press (f->window, GDK_KEY_Escape);
  g_assert_false (pane_shown (f->window));
  assert_focus_on_row (f->window, "s1");

  /* The relayout after the pane went, and nothing after it. */
  bd_test_settle (200);
  g_assert_cmpint (bd_test_count_frames (f->window, 300), <=, 2);
}

/* While the cancel is on its way (its answer held), Save and Close take
 * no focus, but F6 still goes to the pane and back; the answer comes, the
 * focus goes on to Done.
 */
static void
test_f6_while_busy (Fixture       *f,
                    gconstpointer  data)
{
  BdCancelPane *pane;

  f->hold_method = "POST";
  f->hold_path = "/v1/subscriptions/s1/cancel";
  walk_to_row (f->window, "s1");
  open_form_by_keys (f->window, "s1");
  fill_form_by_keys (f->window);
  pane = pane_of (f->window);

  press (f->window, GDK_KEY_Return);
  g_assert_true (bd_test_wait_until (holds_one, f, WAIT_MS));
  g_assert_true (bd_cancel_pane_get_busy (pane));

  press (f->window, GDK_KEY_F6);
  assert_focus_on_row (f->window, "s1");
  press (f->window, GDK_KEY_F6);
  assert_focus_in (f->window, GTK_WIDGET (pane), "the pane");
  press_with (f->window, GDK_KEY_F6, GDK_SHIFT_MASK);
  assert_focus_on_row (f->window, "s1");
  press_with (f->window, GDK_KEY_F6, GDK_SHIFT_MASK);
  assert_focus_in (f->window, GTK_WIDGET (pane), "the pane");

  release (f);
  g_assert_true (bd_test_wait_until (pane_not_busy, pane, WAIT_MS));
  bd_test_wait_for_text (pane, _("Subscription Cancelled"));
  if (!bd_test_wait_until (focus_on_done, f->window, WAIT_MS))
    {
      g_autofree char *where = describe_focus (f->window);

      g_error ("the focus is not on Done but on %s", where);
    }
  press (f->window, GDK_KEY_Escape);
  assert_focus_on_row (f->window, "s1");
}

static gboolean
offline (gpointer data)
{
  return bd_products_page_is_offline (page_of (data));
}

/* The pane closed, the person on another row: going offline closes the
 * pane again, which leaves the focus alone.
 */
static void
test_offline_after_close (Fixture       *f,
                          gconstpointer  data)
{
  walk_to_row (f->window, "s1");
  open_form_by_keys (f->window, "s1");
  press (f->window, GDK_KEY_Escape);
  assert_focus_on_row (f->window, "s1");
  press (f->window, GDK_KEY_Down);
  g_assert_cmpstr (focused_row_id (f->window), !=, "s1");

  soup_server_disconnect (f->server);
  press (f->window, GDK_KEY_F5);
  g_assert_true (bd_test_wait_until (offline, f->window, WAIT_MS));
  bd_test_keys_wait_frames (GTK_WINDOW (f->window));
  log_focus (f->window, "going offline");
  g_assert_cmpstr (focused_row_id (f->window), !=, "s1");
}

int
main (int   argc,
      char *argv[])
{
  const char *dirs[] = { "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME" };
  g_autofree char *home = NULL;
  g_autofree char *demo = NULL;
  int status;

  g_setenv ("BILLING_DESK_SERVICE_PROGRAM", g_getenv ("BD_SERVICE_PATH"), TRUE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The demo's database and the app's files in directories of the test's
   * own, shared by its cases (each walks a subscription of its own); not
   * G_TEST_OPTION_ISOLATE_DIRS, which hides the MIME database that GTK
   * reads its SVG icons with. */
  home = g_dir_make_tmp ("billing-desk-keyboard-XXXXXX", NULL);
  g_assert_nonnull (home);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (home, dirs[i], NULL);

      g_setenv (dirs[i], dir, TRUE);
    }

  g_test_init (&argc, &argv, NULL);
  demo = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-tenant.json", NULL);
  g_setenv ("BILLING_DESK_DEMO_TENANT", demo, TRUE);

  g_test_add_func ("/keyboard/cancel", test_cancel);
  g_test_add_func ("/keyboard/f6", test_f6);
  g_test_add_func ("/keyboard/refreshed", test_refreshed);
  g_test_add_func ("/keyboard/close-from-pane", test_close_from_pane);
  g_test_add_func ("/keyboard/close-from-list", test_close_from_list);
  /* Run apart from the app's (meson runs each half in a process of its
   * own): after g_application_run (), a window shown without the app
   * loses 16 KiB to LeakSanitizer once its form has been shown. */
#define ADD(path, func) \
  g_test_add ("/keyboard-window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("refused", test_refused);
  ADD ("close-while-loading", test_close_while_loading);
  ADD ("f6-while-busy", test_f6_while_busy);
  ADD ("offline-after-close", test_offline_after_close);
#undef ADD

  status = g_test_run ();
  bd_test_remove_tree (home);
  return status;
}
