/* bare-list.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bare-list"

#include "config.h"

#include <stdlib.h>

#include <adwaita.h>

#include "bd-diagnostics.h"

/* bench/app-scroll's floors: a bare AdwApplicationWindow the size of Billing
 * Desk's (bare-list --rows 0: its first frame and its RSS), and the same
 * window holding a GtkListView of N rows of two labels, with nothing else
 * (bare-list --rows N), scrolled by the same keys as the app. It runs with
 * the app's diagnostics switch (BILLING_DESK_DIAGNOSTICS=frames), so its
 * frames and stalls are measured by the very same code.
 */

static guint n_rows;

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_box_append (GTK_BOX (box), gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (box), gtk_label_new (NULL));
  gtk_list_item_set_child (item, box);
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkStringObject *string = gtk_list_item_get_item (item);
  g_autofree char *second = g_strdup_printf ("Row %u", gtk_list_item_get_position (item) + 1);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)),
                       gtk_string_object_get_string (string));
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (box)), second);
}

static GtkWidget *
new_list (void)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list;

  for (guint i = 0; i < n_rows; i++)
    {
      char name[32];

      g_snprintf (name, sizeof name, "Subscription %u", i + 1);
      gtk_string_list_append (strings, name);
    }

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cb), NULL);
  list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (
                              G_LIST_MODEL (g_steal_pointer (&strings)))), factory);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_set_vexpand (scrolled, TRUE);

  return scrolled;
}

static void
on_activate_cb (GApplication *app,
                gpointer      user_data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  if (n_rows > 0)
    gtk_box_append (GTK_BOX (box), new_list ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Bare List");
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 680);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  if (argc != 3 || g_strcmp0 (argv[1], "--rows") != 0)
    {
      g_printerr ("Usage: %s --rows N\n", argv[0]);
      return 2;
    }
  n_rows = (guint) strtoul (argv[2], NULL, 10);

  bd_diagnostics_start_from_env ();
  app = adw_application_new ("io.github.billingdesk.BareList", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), 1, argv);
}
