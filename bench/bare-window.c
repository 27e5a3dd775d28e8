/* bare-window.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bare-window"

#include <adwaita.h>
#include <stdio.h>

/* The floor of bench/app-launch: a bare AdwApplication whose window, a
 * header bar over an empty status page, the app's default size, is the
 * least a libadwaita app shows. It
 * prints "first frame at N µs" (g_get_monotonic_time, CLOCK_MONOTONIC, the
 * clock of the app's "First rows shown at N µs") when its frame clock has
 * painted the window's first frame, and quits.
 */

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWindow     *window)
{
  printf ("first frame at %" G_GINT64_FORMAT " µs\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, window);
  gtk_window_destroy (window);
}

static void
realize_cb (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), window);
}

static void
activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *status = adw_status_page_new ();

  gtk_window_set_title (GTK_WINDOW (window), "Bare Window");
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 680);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  /* One instance on the bus, as the app is. */
  app = adw_application_new ("io.github.billingdesk.BenchBareWindow", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
