/* bd-window-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-cancel-pane.h"
#include "bd-products-page.h"
#include "bd-window.h"

G_BEGIN_DECLS

/* What bd-window.c (the list, the pane, the dialogs) and
 * bd-window-accounts.c (the account shown, switching, the main menu's
 * Accounts and Sign In As, the window's size) share.
 */
struct _BdWindow
{
  AdwApplicationWindow  parent_instance;

  BdClient             *client;
  GCancellable         *cancellable;

  AdwWindowTitle       *window_title;
  GtkSpinner           *header_spinner;
  GtkToggleButton      *search_button;
  AdwToastOverlay      *toast_overlay;
  BdProductsPage       *products_page;
  GMenu                *accounts_section;
  GMenu                *sign_in_as_section;
  AdwFlap              *flap;
  BdCancelPane         *cancel_pane;

  BdCloud               cloud;
  gint64                server_time;     /* the service's clock ... */
  gint64                server_time_at;  /* ... as read at this monotonic time */
  char                 *pane_subscription_id;
  gboolean              me_failed;       /* /v1/me did not answer: asked again when live */

  /* The account shown: the demo or one added, or else (account NULL) a
   * service named on the command line. */
  BdAccount            *account;
  char                 *session_url;
  char                 *demo_user_id;    /* on the demo, the user signed in as */
  GCancellable         *connect_cancellable;

  /* A switch that waits for a change's answer (docs/design.md "Accounts and windows"). */
  BdAccount            *pending_account;
  char                 *pending_session_url;
  char                 *pending_demo_user_id;
  guint                 pending_id;
  AdwToast             *pending_toast;   /* (nullable): says the switch waits, until it is done */

  /* Activity (bd-window-activity.c). */
  BdUser               *user;             /* (nullable): as /v1/me said */
  GtkWidget            *activity_page;    /* (nullable): made when first shown */
  GtkWidget            *products_content; /* (nullable): Your Products, while Activity is shown */

  /* Reminders (bd-window-reminders.c). */
  guint                 reminders_id;     /* the check every 15 minutes */
  char                 *reminder_pane_id; /* (nullable): a pane to open once the list is loaded */
};

void     _bd_window_accounts_init        (BdWindow *self);
void     _bd_window_accounts_dispose     (BdWindow *self);
void     _bd_window_save_size            (BdWindow *self);
void     _bd_window_sign_in_again        (BdWindow *self);
void     _bd_window_show_saved_title     (BdWindow *self);
gboolean _bd_window_is_busy              (BdWindow *self);
void     _bd_window_close_action_dialogs (BdWindow *self);
char    *_bd_window_dup_tenant_name      (BdWindow *self,
                                          BdTenant *tenant);

void     _bd_window_activity_class_init  (GtkWidgetClass *widget_class);
void     _bd_window_activity_dispose     (BdWindow       *self);
void     _bd_window_activity_set_client  (BdWindow       *self);
void     _bd_window_activity_set_user    (BdWindow       *self,
                                          BdUser         *user);

gint64   _bd_window_service_now          (BdWindow       *self);
void     _bd_window_reminders_init       (BdWindow       *self);
void     _bd_window_reminders_dispose    (BdWindow       *self);
void     _bd_window_reminders_check      (BdWindow       *self);

G_END_DECLS
