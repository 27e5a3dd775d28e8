/* bd-window-reminders.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-window-reminders"

#include "config.h"

#include "bd-application.h"
#include "bd-window-private.h"

/* The window's part in reminders (docs/design.md "Reminders"): its list is
 * checked after each load and every 15 minutes while the window is open,
 * when its user is an admin; a reminder's action shows the pane of its
 * subscription here, at once or once the list is loaded.
 */

#define CHECK_INTERVAL_S (15 * 60)

static gboolean
list_is_live (BdWindow *self)
{
  return self->client != NULL && !bd_products_page_is_loading (self->products_page) &&
         !bd_products_page_is_offline (self->products_page);
}

/* A pane asked for by a reminder, once the list it is in is loaded. */
static void
open_pending_pane (BdWindow *self)
{
  g_autofree char *id = NULL;

  if (self->reminder_pane_id == NULL || !list_is_live (self))
    return;

  id = g_steal_pointer (&self->reminder_pane_id);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-products", NULL);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.cancel", "s", id);
}

static gboolean
check_cb (gpointer user_data)
{
  _bd_window_reminders_check (user_data);
  return G_SOURCE_CONTINUE;
}

void
_bd_window_reminders_init (BdWindow *self)
{
  self->reminders_id = g_timeout_add_seconds (CHECK_INTERVAL_S, check_cb, self);
}

void
_bd_window_reminders_dispose (BdWindow *self)
{
  g_clear_handle_id (&self->reminders_id, g_source_remove);
  g_clear_pointer (&self->reminder_pane_id, g_free);
}

/* The list loaded, /v1/me answered, or 15 minutes went by: a live list,
 * an admin's, by the service's clock (not the desktop's).
 */
void
_bd_window_reminders_check (BdWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *key = NULL;

  open_pending_pane (self);

  if (!BD_IS_APPLICATION (app) || !list_is_live (self) || self->user == NULL ||
      !bd_roles_can_manage (bd_user_get_roles (self->user)) || self->server_time == BD_TIME_NONE)
    return;

  key = bd_window_dup_account_key (self);
  if (key != NULL)
    bd_reminders_check (bd_application_get_reminders (BD_APPLICATION (app)), key,
                        bd_products_page_get_model (self->products_page),
                        _bd_window_service_now (self));
}

/**
 * bd_window_dup_account_key:
 *
 * Returns: (transfer full) (nullable): the key of the account shown, or
 *   for a service named on the command line its URL and user (once
 *   /v1/me said who); NULL when there is none yet
 */
char *
bd_window_dup_account_key (BdWindow *self)
{
  g_return_val_if_fail (BD_IS_WINDOW (self), NULL);

  if (self->account != NULL)
    return g_strdup (bd_account_get_key (self->account));
  if (self->session_url != NULL && self->user != NULL)
    return bd_account_make_key (self->session_url, bd_user_get_id (self->user));
  return NULL;
}

/**
 * bd_window_show_subscription:
 * @id: a subscription's id
 *
 * Presents the window and opens the Cancel Subscription pane on @id, now
 * if the list is loaded, else once it is.
 */
void
bd_window_show_subscription (BdWindow   *self,
                             const char *id)
{
  g_return_if_fail (BD_IS_WINDOW (self));
  g_return_if_fail (id != NULL);

  gtk_window_present (GTK_WINDOW (self));
  g_free (self->reminder_pane_id);
  self->reminder_pane_id = g_strdup (id);
  open_pending_pane (self);
}
