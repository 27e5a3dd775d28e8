/* bd-test-widgets.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Looking at widgets as a person does: the text shown, the button of an
 * action, a click.
 */

#include "config.h"

#include <string.h>

#include "bd-application.h"
#include "bd-format.h"
#include "bd-product-row.h"
#include "bd-products-page.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s|", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

/* What a person reads in @widget now: every label shown, joined by '|'. */
char *
bd_test_widget_text (gpointer widget)
{
  GString *out = g_string_new (NULL);

  collect_text (GTK_WIDGET (widget), out);
  return g_string_free (out, FALSE);
}

gboolean
bd_test_widget_shows (gpointer    widget,
                      const char *part)
{
  g_autofree char *text = bd_test_widget_text (widget);

  return strstr (text, part) != NULL;
}

void
bd_test_assert_shows (gpointer    widget,
                      const char *part)
{
  g_autofree char *text = bd_test_widget_text (widget);

  if (strstr (text, part) == NULL)
    g_error ("“%s” is not shown: “%s”", part, text);
}

void
bd_test_assert_not_shown (gpointer    widget,
                          const char *part)
{
  g_autofree char *text = bd_test_widget_text (widget);

  if (strstr (text, part) != NULL)
    g_error ("“%s” is shown: “%s”", part, text);
}

typedef struct
{
  gpointer    widget;
  const char *text;
} TextWait;

static gboolean
text_is_shown (gpointer data)
{
  TextWait *wait = data;

  return bd_test_widget_shows (wait->widget, wait->text);
}

void
bd_test_wait_for_text (gpointer    widget,
                       const char *part)
{
  TextWait wait = { widget, part };

  if (!bd_test_wait_until (text_is_shown, &wait, BD_TEST_WIDGET_WAIT_MS))
    {
      g_autofree char *text = bd_test_widget_text (widget);

      g_error ("“%s” never shown: “%s”", part, text);
    }
}

/* A label's text as shown: its mnemonic underscore gone. */
char *
bd_test_without_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '_')
        continue;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static GtkWidget *
find_by_type (GtkWidget *widget,
              GType      type,
              gboolean   shown_only)
{
  if (shown_only && !gtk_widget_get_mapped (widget))
    return NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_type (child, type, shown_only);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The first widget of @type in @widget, shown or not. */
GtkWidget *
bd_test_find_by_type (gpointer widget,
                      GType    type)
{
  return find_by_type (GTK_WIDGET (widget), type, FALSE);
}

/* The first widget of @type in @widget that is on screen. */
GtkWidget *
bd_test_find_shown_by_type (gpointer widget,
                            GType    type)
{
  return find_by_type (GTK_WIDGET (widget), type, TRUE);
}

/* The widget on screen that activates @action_name, such as "pane.save". */
GtkWidget *
bd_test_find_by_action (gpointer    widget,
                        const char *action_name)
{
  GtkWidget *self = GTK_WIDGET (widget);

  if (!gtk_widget_get_mapped (self))
    return NULL;

  if (GTK_IS_ACTIONABLE (self) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (self)), action_name) == 0)
    return self;

  for (GtkWidget *child = gtk_widget_get_first_child (self); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bd_test_find_by_action (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

void
bd_test_click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
never_done (gpointer data)
{
  return FALSE;
}

/* @widget as drawn, to look at, when BD_TEST_SCREENSHOT_DIR is set:
 * $BD_TEST_SCREENSHOT_DIR/NAME.png.
 */
void
bd_test_save_screenshot (gpointer    widget,
                         const char *name)
{
  const char *dir = g_getenv ("BD_TEST_SCREENSHOT_DIR");
  int width, height;
  GtkSnapshot *snapshot;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  /* A few frames, so that what was just shown is laid out and drawn. */
  bd_test_wait_until (never_done, NULL, 300);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_strdup_printf ("%s" G_DIR_SEPARATOR_S "%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* NAME-xx, xx the interface's language ("en", "da", ...): a name for each
 * language's picture beside the others'. */
char *
bd_test_name_in_language (const char *name)
{
  return g_strdup_printf ("%s-%s", name, bd_format_get_language ());
}

/* bd_test_save_screenshot () as NAME-xx.png (bd_test_name_in_language ()) */
void
bd_test_save_screenshot_in_language (gpointer    widget,
                                     const char *name)
{
  g_autofree char *full = bd_test_name_in_language (name);

  bd_test_save_screenshot (widget, full);
}

/* The subscription @id in @model (of #BdSubscription), or %NULL; the model
 * keeps it.
 */
BdSubscription *
bd_test_find_subscription (GListModel *model,
                           const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (model, i);

      if (g_strcmp0 (bd_subscription_get_id (subscription), id) == 0)
        return subscription;
    }

  return NULL;
}

/* The first widget in @widget, itself included, for which @match holds. */
GtkWidget *
bd_test_find_widget (gpointer           widget,
                     BdTestWidgetMatch  match,
                     gconstpointer      data)
{
  if (match (GTK_WIDGET (widget), data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bd_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A window of @type on screen, such as a dialog that opened by itself. */
GtkWindow *
bd_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
is_time_up (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* Lets what was just shown map, lay out and draw, for @ms. */
void
bd_test_settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  bd_test_wait_until (is_time_up, &end, ms + 1000);
}

/* How many frames @widget's window draws in @ms: none when nothing is to
 * be shown and nothing (a tick callback, an animation) keeps its frame
 * clock going.
 */
gint64
bd_test_count_frames (gpointer widget,
                      guint    ms)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 start;

  g_assert_nonnull (clock);
  start = gdk_frame_clock_get_frame_counter (clock);
  bd_test_settle (ms);
  return gdk_frame_clock_get_frame_counter (clock) - start;
}

/* Whether the button that activates @action in @widget is there and can be pressed. */
gboolean
bd_test_action_enabled (gpointer    widget,
                        const char *action)
{
  GtkWidget *button = bd_test_find_by_action (widget, action);

  return button != NULL && gtk_widget_is_sensitive (button);
}

/* Whether @page (a #BdProductsPage) is done loading and lists rows: for
 * bd_test_wait_until (). */
gboolean
bd_test_page_has_rows (gpointer page)
{
  return !bd_products_page_is_loading (page) &&
         g_list_model_get_n_items (bd_products_page_get_model (page)) > 0;
}

static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  data)
{
  BdSubscription *subscription;

  if (!BD_IS_PRODUCT_ROW (widget))
    return FALSE;
  subscription = bd_product_row_get_subscription (BD_PRODUCT_ROW (widget));
  return subscription != NULL && g_strcmp0 (bd_subscription_get_id (subscription), data) == 0;
}

/* The row that shows subscription @id among those the list under @widget
 * made, or NULL. */
GtkWidget *
bd_test_find_row (gpointer    widget,
                  const char *id)
{
  return bd_test_find_widget (widget, is_row_of, id);
}

/* @n as the interface writes a count (bd_format_count: "2,345", "2.345",
 * Arabic-Indic digits in Arabic), interned: for the expected text of a
 * message that takes a count, with no string to free. */
const char *
bd_test_count (guint n)
{
  g_autofree char *count = bd_format_count (n);

  return g_intern_string (count);
}

/* The real application, registered (its startup run: the accels, the help
 * overlay, the direction) but never run: a test makes its windows. Not
 * unique: the test never meets another instance on the bus. Its startup
 * reads the demo tenant (never started here) from the source tree. */
BdApplication *
bd_test_register_application (void)
{
  g_autoptr(BdApplication) app = bd_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *demo = NULL;

  demo = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-tenant.json", NULL);
  g_setenv ("BILLING_DESK_DEMO_TENANT", demo, TRUE);

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&app);
}
