/* bd-window-activity.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-window-activity"

#include "config.h"

#include "bd-activity-page.h"
#include "bd-window-private.h"

/* The window's Activity page (main menu > Activity, a row's Show Activity):
 * made when first shown, then kept. It takes the window's whole content,
 * header bar included, as a page pushed over Your Products; Back (the
 * header's button, or Escape) puts Your Products back as it was.
 */

static gboolean
activity_shown (BdWindow *self)
{
  return self->products_content != NULL;
}

static void
win_show_activity_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  BdWindow *self = BD_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  BdActivityPage *page;

  if (self->activity_page == NULL)
    {
      self->activity_page = g_object_ref_sink (g_object_new (BD_TYPE_ACTIVITY_PAGE, NULL));
      bd_activity_page_set_client (BD_ACTIVITY_PAGE (self->activity_page), self->client);
      bd_activity_page_set_user (BD_ACTIVITY_PAGE (self->activity_page), self->user);
    }
  page = BD_ACTIVITY_PAGE (self->activity_page);

  bd_activity_page_set_subscriptions (page, bd_products_page_get_model (self->products_page));
  if (!activity_shown (self))
    {
      self->products_content =
        g_object_ref (adw_application_window_get_content (ADW_APPLICATION_WINDOW (self)));
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), self->activity_page);
    }

  bd_activity_page_show (page, *id != '\0' ? id : NULL);
  gtk_widget_child_focus (self->activity_page, GTK_DIR_TAB_FORWARD);
}

static void
win_show_products_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  BdWindow *self = BD_WINDOW (widget);
  g_autoptr(GtkWidget) content = NULL;

  if (!activity_shown (self))
    return;

  content = g_steal_pointer (&self->products_content);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), content);
  gtk_widget_child_focus (GTK_WIDGET (self->products_page), GTK_DIR_TAB_FORWARD);
}

void
_bd_window_activity_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (BD_TYPE_ACTIVITY_PAGE);

  gtk_widget_class_install_action (widget_class, "win.show-activity", "s",
                                   win_show_activity_action);
  gtk_widget_class_install_action (widget_class, "win.show-products", NULL,
                                   win_show_products_action);
}

/* Your Products goes back in its place before the window's template is
 * torn down, so that it goes as it came.
 */
void
_bd_window_activity_dispose (BdWindow *self)
{
  if (activity_shown (self))
    {
      g_autoptr(GtkWidget) content = g_steal_pointer (&self->products_content);

      adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), content);
    }
  g_clear_object (&self->activity_page);
  g_clear_object (&self->user);
}

/* Another client: another user, maybe another service. */
void
_bd_window_activity_set_client (BdWindow *self)
{
  g_clear_object (&self->user);
  if (self->activity_page != NULL)
    bd_activity_page_set_client (BD_ACTIVITY_PAGE (self->activity_page), self->client);
}

/* /v1/me answered: whether the user may read the ledger. */
void
_bd_window_activity_set_user (BdWindow *self,
                              BdUser   *user)
{
  g_set_object (&self->user, user);
  if (self->activity_page != NULL)
    bd_activity_page_set_user (BD_ACTIVITY_PAGE (self->activity_page), user);
}
