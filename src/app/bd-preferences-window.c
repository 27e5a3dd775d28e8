/* bd-preferences-window.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-preferences-window"

#include "config.h"

#include "bd-preferences-window.h"

/* Preferences (main menu > Preferences): the reminders switch, bound to
 * the "reminders" setting. An AdwActionRow with a GtkSwitch: AdwSwitchRow
 * is libadwaita 1.4.
 */
struct _BdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSwitch            *reminders_switch;
};

G_DEFINE_FINAL_TYPE (BdPreferencesWindow, bd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
bd_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BD_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (bd_preferences_window_parent_class)->dispose (object);
}

static void
bd_preferences_window_class_init (BdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bd_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/billingdesk/BillingDesk/bd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BdPreferencesWindow, reminders_switch);
}

static void
bd_preferences_window_init (BdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * bd_preferences_window_new:
 * @settings: the app's settings
 *
 * Returns: (transfer floating): a modal Preferences window, its switches
 *   bound to @settings
 */
GtkWindow *
bd_preferences_window_new (GSettings *settings)
{
  BdPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BD_TYPE_PREFERENCES_WINDOW, NULL);
  g_settings_bind (settings, "reminders", self->reminders_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  return GTK_WINDOW (self);
}
