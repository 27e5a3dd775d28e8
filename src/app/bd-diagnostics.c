/* bd-diagnostics.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-diagnostics"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gtk/gtk.h>

#include "bd-diagnostics.h"

/* The diagnostics switch: BILLING_DESK_DIAGNOSTICS=frames[,stall=MS] makes
 * the app write to stderr, one line each (bench/app-scroll reads them):
 *
 *   bd-diagnostics: frame window=N start=T work=W
 *     each frame of each window: T, CLOCK_MONOTONIC µs at before-paint;
 *     W, µs from before-paint to after-paint (update, layout and paint);
 *   bd-diagnostics: stall at=T late=L longest=M
 *     each time a 1 ms G_PRIORITY_HIGH timeout ran L µs later than due,
 *     L over the threshold (MS, 2 ms by default); M, the longest so far.
 *
 * Unset (the default), nothing is connected and no timer runs: the one cost
 * is the getenv () in main ().
 */

#define STALL_INTERVAL_MS 1
#define DEFAULT_THRESHOLD_US 2000

typedef struct
{
  guint  number;
  gint64 started;
} FrameWatch;

static gint64 stall_threshold;
static gint64 stall_due;
static gint64 stall_longest;
static guint  windows_watched;

static void
on_frame_clock_before_paint_cb (GdkFrameClock *clock,
                                FrameWatch    *watch)
{
  watch->started = g_get_monotonic_time ();
}

static void
on_frame_clock_after_paint_cb (GdkFrameClock *clock,
                               FrameWatch    *watch)
{
  if (watch->started == 0)
    return;

  fprintf (stderr, "bd-diagnostics: frame window=%u start=%" G_GINT64_FORMAT
           " work=%" G_GINT64_FORMAT "\n",
           watch->number, watch->started, g_get_monotonic_time () - watch->started);
  watch->started = 0;
}

static void
on_window_realize_cb (GtkWidget *window,
                      gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  FrameWatch *watch;

  if (clock == NULL || g_object_get_data (G_OBJECT (clock), "bd-diagnostics") != NULL)
    return;

  watch = g_new0 (FrameWatch, 1);
  watch->number = ++windows_watched;
  g_object_set_data_full (G_OBJECT (clock), "bd-diagnostics", watch, g_free);
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_frame_clock_before_paint_cb), watch);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_frame_clock_after_paint_cb), watch);
}

static void
on_toplevels_items_changed_cb (GListModel *toplevels,
                               guint       position,
                               guint       removed,
                               guint       added,
                               gpointer    user_data)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_object_get_data (G_OBJECT (window), "bd-diagnostics") != NULL)
        continue;
      g_object_set_data (G_OBJECT (window), "bd-diagnostics", GINT_TO_POINTER (TRUE));
      g_signal_connect (window, "realize", G_CALLBACK (on_window_realize_cb), NULL);
      if (gtk_widget_get_realized (window))
        on_window_realize_cb (window, NULL);
    }
}

/* GLib sets a timeout's next expiry from the time it is dispatched: how late
 * it runs is how long the main loop was kept from it.
 */
static gboolean
stall_probe_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - stall_due;

  if (late > stall_longest)
    stall_longest = late;
  if (late > stall_threshold)
    fprintf (stderr, "bd-diagnostics: stall at=%" G_GINT64_FORMAT " late=%" G_GINT64_FORMAT
             " longest=%" G_GINT64_FORMAT "\n", now, late, stall_longest);
  stall_due = now + STALL_INTERVAL_MS * 1000;

  return G_SOURCE_CONTINUE;
}

/**
 * bd_diagnostics_start:
 * @spec: "frames", optionally followed by ",stall=MS"
 *
 * Watches every window's frames, from now on, and starts the stall probe
 * on the default main context. Call it once, after gtk_init () or from
 * main () before the application runs (the windows are found as they come).
 *
 * Returns: whether @spec was understood (and the diagnostics started)
 */
gboolean
bd_diagnostics_start (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  gint64 threshold = DEFAULT_THRESHOLD_US;
  GListModel *toplevels;

  if (parts[0] == NULL || strcmp (parts[0], "frames") != 0)
    return FALSE;
  for (guint i = 1; parts[i] != NULL; i++)
    {
      guint64 ms;

      if (!g_str_has_prefix (parts[i], "stall=") ||
          !g_ascii_string_to_unsigned (parts[i] + strlen ("stall="), 10, 0, 1000, &ms, NULL))
        return FALSE;
      threshold = ms * 1000;
    }

  stall_threshold = threshold;
  stall_due = g_get_monotonic_time () + STALL_INTERVAL_MS * 1000;
  g_timeout_add_full (G_PRIORITY_HIGH, STALL_INTERVAL_MS, stall_probe_cb, NULL, NULL);

  toplevels = gtk_window_get_toplevels ();
  g_signal_connect (toplevels, "items-changed", G_CALLBACK (on_toplevels_items_changed_cb), NULL);
  on_toplevels_items_changed_cb (toplevels, 0, 0, g_list_model_get_n_items (toplevels), NULL);

  return TRUE;
}

/**
 * bd_diagnostics_start_from_env:
 *
 * Starts the diagnostics if BILLING_DESK_DIAGNOSTICS asks for them; a value
 * it does not understand is said on stderr and ignored.
 *
 * Returns: whether they were started
 */
gboolean
bd_diagnostics_start_from_env (void)
{
  const char *spec = g_getenv ("BILLING_DESK_DIAGNOSTICS");

  if (spec == NULL || *spec == '\0')
    return FALSE;
  if (bd_diagnostics_start (spec))
    return TRUE;

  g_printerr ("BILLING_DESK_DIAGNOSTICS=%s: expected frames or frames,stall=MS\n", spec);
  return FALSE;
}
