/* test-rtl.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The direction of the interface, under Xvfb: the real application's
 * startup sets it from the language of the app's own catalog, not from
 * GTK's. Run as rtl-ar (LANGUAGE=ar: right to left), rtl-he
 * (LANGUAGE=he:da, Hebrew, which GTK has and the app has not, then Danish:
 * a Danish window, left to right, though GTK's own catalog says right to
 * left) and rtl (English). BD_TEST_DIRECTION says which direction the
 * window must have, BD_TEST_GTK_DIRECTION which one gtk_init () took from
 * GTK's catalog ("rtl" or "ltr"). Each case checks where something sits:
 * a row's menu button, Activity's back button and its arrow, the Cancel
 * Subscription pane; with BD_TEST_SCREENSHOT_DIR set it saves
 * rtl-products-, rtl-activity- and rtl-cancel-pane-LANGUAGE.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "bd-activity-page.h"
#include "bd-application.h"
#include "bd-cancel-pane.h"
#include "bd-product-row-private.h"
#include "bd-products-page.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

/* One application for the whole run, registered (its startup run) but
 * never run: the tests make its windows. */
static BdApplication *app;

/* The default direction gtk_init () set, before the app's startup. */
static GtkTextDirection gtk_direction;

typedef struct
{
  BdTestService *service;
  BdClient      *client;
  BdWindow      *window;
} Fixture;

static GtkTextDirection
direction_from_env (const char *variable)
{
  const char *value = g_getenv (variable);

  g_assert_nonnull (value);
  g_assert_true (g_str_equal (value, "rtl") || g_str_equal (value, "ltr"));
  return g_str_equal (value, "rtl") ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->window = bd_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 600);
  gtk_window_present (GTK_WINDOW (f->window));

  f->service = bd_test_service_new (TENANT, NOW);
  f->client = bd_client_new (f->service->url, ADMIN);
  bd_window_set_client (f->window, f->client);
  g_assert_true (bd_test_wait_until (bd_test_page_has_rows, bd_window_get_products_page (f->window),
                                     BD_TEST_WIDGET_WAIT_MS));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->client);
  g_clear_pointer (&f->service, bd_test_service_free);
}

/* The screenshot NAME-LANGUAGE, when BD_TEST_SCREENSHOT_DIR is set. */
static void
save_screenshot (Fixture    *f,
                 const char *name)
{
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *full = g_strdup_printf ("%s-%s", name, language != NULL ? language : "en");

  g_strdelimit (full, ":", '-');

  bd_test_save_screenshot (f->window, full);
}

/* @widget's left edge, in @window's coordinates. */
static double
left_in_window (GtkWidget *widget,
                BdWindow  *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &bounds));
  return bounds.origin.x;
}

static gboolean
is_laid_out (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

/* The window takes the direction of the app's catalog in use, whatever
 * GTK's catalog said. */
static void
test_window_direction (Fixture       *f,
                       gconstpointer  data)
{
  GtkTextDirection expected = direction_from_env ("BD_TEST_DIRECTION");

  g_assert_cmpint (gtk_direction, ==, direction_from_env ("BD_TEST_GTK_DIRECTION"));
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, expected);
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (f->window)), ==, expected);
  g_assert_cmpint (gtk_widget_get_direction (bd_window_get_products_page (f->window)), ==,
                   expected);
}

/* A product row reads from the start side: its name there, its menu
 * button at the other end. */
static void
test_row_mirrors (Fixture       *f,
                  gconstpointer  data)
{
  BdProductRow *row = BD_PRODUCT_ROW (bd_test_find_row (f->window, "s1"));
  double name_x, button_x;

  g_assert_nonnull (row);
  g_assert_true (bd_test_wait_until (is_laid_out, row->menu_button, BD_TEST_WIDGET_WAIT_MS));
  name_x = left_in_window (GTK_WIDGET (row->product_label), f->window);
  button_x = left_in_window (GTK_WIDGET (row->menu_button), f->window);
  g_test_message ("name at x = %.0f, menu button at x = %.0f", name_x, button_x);
  if (direction_from_env ("BD_TEST_DIRECTION") == GTK_TEXT_DIR_RTL)
    g_assert_cmpfloat (button_x, <, name_x);
  else
    g_assert_cmpfloat (button_x, >, name_x);

  save_screenshot (f, "rtl-products");
}

static gboolean
activity_settled (gpointer data)
{
  BdActivityPage *page = data;

  return !bd_activity_page_is_loading (page) &&
         g_strcmp0 (bd_activity_page_get_state (page), "loading") != 0;
}

/* Activity's back button sits at the start of its header bar, and its
 * arrow points back: to the right in a right-to-left window, which the
 * icon theme's -rtl variant draws. */
static void
test_back_arrow (Fixture       *f,
                 gconstpointer  data)
{
  gboolean rtl = direction_from_env ("BD_TEST_DIRECTION") == GTK_TEXT_DIR_RTL;
  GtkWidget *content, *back;
  g_autoptr(GtkIconPaintable) icon = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *basename = NULL;
  double back_x;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-activity", "s",
                                             ""));
  content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window));
  g_assert_true (BD_IS_ACTIVITY_PAGE (content));
  g_assert_true (bd_test_wait_until (activity_settled, content, BD_TEST_WIDGET_WAIT_MS));

  back = bd_test_find_by_action (content, "win.show-products");
  g_assert_nonnull (back);
  g_assert_true (bd_test_wait_until (is_laid_out, back, BD_TEST_WIDGET_WAIT_MS));
  back_x = left_in_window (back, f->window);
  g_test_message ("back button at x = %.0f of %d", back_x, gtk_widget_get_width (content));
  if (rtl)
    g_assert_cmpfloat (back_x, >, gtk_widget_get_width (content) / 2.0);
  else
    g_assert_cmpfloat (back_x, <, gtk_widget_get_width (content) / 2.0);

  /* The icon as GTK looks it up for the button (GtkIconHelper passes the
   * widget's direction): the theme's file for this direction. */
  icon = gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (back)),
                                     gtk_button_get_icon_name (GTK_BUTTON (back)), NULL, 16, 1,
                                     gtk_widget_get_direction (back), 0);
  file = gtk_icon_paintable_get_file (icon);
  g_assert_nonnull (file);
  basename = g_file_get_basename (file);
  g_test_message ("back arrow: %s", basename);
  g_assert_true (g_str_has_prefix (basename, "go-previous-symbolic"));
  g_assert_cmpint (strstr (basename, "-rtl") != NULL, ==, rtl);

  save_screenshot (f, "rtl-activity");
}

static gboolean
pane_loaded (gpointer data)
{
  g_autofree char *what = bd_test_without_mnemonic (_("What happens"));

  return bd_test_widget_shows (data, what);
}

/* The Cancel Subscription pane slides in at the end side of the list: at
 * its left in a right-to-left window. */
static void
test_pane_side (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *row = bd_test_find_row (f->window, "s1");
  GtkWidget *page = bd_window_get_products_page (f->window);
  GtkWidget *pane;
  double pane_x, page_x;

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (row, "row.cancel", NULL));
  pane = bd_test_find_shown_by_type (f->window, BD_TYPE_CANCEL_PANE);
  g_assert_nonnull (pane);
  g_assert_true (bd_test_wait_until (pane_loaded, pane, BD_TEST_WIDGET_WAIT_MS));

  /* Laid out at its place (the flap allocates it once revealed). */
  g_assert_true (bd_test_wait_until (is_laid_out, pane, BD_TEST_WIDGET_WAIT_MS));
  bd_test_settle (200);
  pane_x = left_in_window (pane, f->window) + gtk_widget_get_width (pane) / 2.0;
  page_x = left_in_window (page, f->window) + gtk_widget_get_width (page) / 2.0;
  g_test_message ("pane's centre at x = %.0f (%d wide), list's at x = %.0f (%d wide)", pane_x,
                  gtk_widget_get_width (pane), page_x, gtk_widget_get_width (page));
  if (direction_from_env ("BD_TEST_DIRECTION") == GTK_TEXT_DIR_RTL)
    g_assert_cmpfloat (pane_x, <, page_x);
  else
    g_assert_cmpfloat (pane_x, >, page_x);

  save_screenshot (f, "rtl-cancel-pane");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  gtk_direction = gtk_widget_get_default_direction ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* Its startup sets the direction the windows take. */
  app = bd_test_register_application ();

  g_test_add ("/rtl/window-direction", Fixture, NULL, fixture_set_up, test_window_direction,
              fixture_tear_down);
  g_test_add ("/rtl/row-mirrors", Fixture, NULL, fixture_set_up, test_row_mirrors,
              fixture_tear_down);
  g_test_add ("/rtl/back-arrow", Fixture, NULL, fixture_set_up, test_back_arrow,
              fixture_tear_down);
  g_test_add ("/rtl/pane-side", Fixture, NULL, fixture_set_up, test_pane_side,
              fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
