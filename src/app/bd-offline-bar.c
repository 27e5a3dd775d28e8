/* bd-offline-bar.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-offline-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-format.h"
#include "bd-offline-bar.h"

/* The line above a list shown from the cache: "Offline — the list as of
 * …" and Try Again (page.reload, from the page around it). libadwaita
 * 1.2 has no AdwBanner.
 */
struct _BdOfflineBar
{
  GtkWidget    parent_instance;

  GtkRevealer *revealer;
  GtkLabel    *label;
};

G_DEFINE_FINAL_TYPE (BdOfflineBar, bd_offline_bar, GTK_TYPE_WIDGET)

/*
 * GObject overrides
 */

static void
bd_offline_bar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BD_TYPE_OFFLINE_BAR);

  G_OBJECT_CLASS (bd_offline_bar_parent_class)->dispose (object);
}

static void
bd_offline_bar_class_init (BdOfflineBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bd_offline_bar_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/billingdesk/BillingDesk/bd-offline-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, BdOfflineBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, BdOfflineBar, label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bdofflinebar");
}

static void
bd_offline_bar_init (BdOfflineBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/*
 * Public API
 */

/**
 * bd_offline_bar_show:
 * @saved_at: when the list shown was loaded, in Unix seconds
 *
 * Says that the list is the one loaded at @saved_at, not a live one.
 */
void
bd_offline_bar_show (BdOfflineBar *self,
                     gint64        saved_at)
{
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (BD_IS_OFFLINE_BAR (self));

  when = bd_format_date_time (saved_at);
  /* Translators: %s is a date and time in the user's language, such as
   * "3 Dec 2026, 10:42" */
  text = g_strdup_printf (_("Offline — the list as of %s"), when);
  gtk_label_set_label (self->label, text);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

void
bd_offline_bar_hide (BdOfflineBar *self)
{
  g_return_if_fail (BD_IS_OFFLINE_BAR (self));

  gtk_revealer_set_reveal_child (self->revealer, FALSE);
}

gboolean
bd_offline_bar_is_shown (BdOfflineBar *self)
{
  g_return_val_if_fail (BD_IS_OFFLINE_BAR (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

/**
 * bd_offline_bar_get_text:
 *
 * Returns: (transfer none): the line, as shown
 */
const char *
bd_offline_bar_get_text (BdOfflineBar *self)
{
  g_return_val_if_fail (BD_IS_OFFLINE_BAR (self), NULL);

  return gtk_label_get_label (self->label);
}
