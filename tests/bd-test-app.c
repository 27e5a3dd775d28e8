/* bd-test-app.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-test-app.h"
#include "bd-test-utils.h"
#include "bd-test-widgets.h"

typedef struct
{
  BdApplication *application;
  BdTestAppBody  body;
  gpointer       data;
} Run;

static gboolean
no_windows (gpointer data)
{
  Run *run = data;

  return gtk_application_get_windows (GTK_APPLICATION (run->application)) == NULL;
}

static gboolean
run_body_cb (gpointer data)
{
  Run *run = data;
  g_autoptr(GList) windows = NULL;

  run->body (run->data);

  /* Closed as a person closes them: each saves its size. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (run->application)));
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_assert_true (bd_test_wait_until (no_windows, run, BD_TEST_WIDGET_WAIT_MS));

  return G_SOURCE_REMOVE;
}

static void
on_startup_cb (GApplication *application,
               Run          *run)
{
  /* As in test-action-dialogs: no animation frame depends on this
   * machine's speed, and no cursor blinks (Xvfb has no window manager: an
   * entry whose window goes keeps its focus without a focus-out, and
   * GTK 4.8 warns, fatally here, when the blink fires then). */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);
  g_idle_add (run_body_cb, run);
}

/**
 * bd_test_app_run:
 * @app: (out): the application while it runs, NULL again afterwards
 * @args: (nullable): the arguments after the program's name
 * @window_added: (nullable): connected to its ::window-added
 *
 * Runs a BdApplication with @args as a launch would give them, @body
 * called once its windows are opened; it ends when @body's windows are
 * closed. Not unique: tests never meet another instance on the bus.
 */
void
bd_test_app_run (BdApplication      **app,
                 const char * const  *args,
                 BdTestAppBody        body,
                 gpointer             data,
                 GCallback            window_added,
                 gpointer             window_added_data)
{
  g_autoptr(BdApplication) application = bd_application_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  Run run = { application, body, data };

  /* The demo's tenant, which the app reads at startup, from the sources. */
  if (g_getenv ("BILLING_DESK_DEMO_TENANT") == NULL)
    {
      g_autofree char *demo = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                    "demo-tenant.json", NULL);

      g_setenv ("BILLING_DESK_DEMO_TENANT", demo, TRUE);
    }

  g_strv_builder_add (builder, "billing-desk");
  if (args != NULL)
    g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  g_application_set_flags (G_APPLICATION (application),
                           g_application_get_flags (G_APPLICATION (application)) |
                           G_APPLICATION_NON_UNIQUE);
  g_signal_connect (application, "startup", G_CALLBACK (on_startup_cb), &run);
  if (window_added != NULL)
    g_signal_connect (application, "window-added", window_added, window_added_data);
  *app = application;
  g_assert_cmpint (g_application_run (G_APPLICATION (application), g_strv_length (argv), argv),
                   ==, 0);
  *app = NULL;
}
