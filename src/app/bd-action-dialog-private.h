/* bd-action-dialog-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-action-dialog.h"
#include "bd-change-attempt.h"

G_BEGIN_DECLS

/* Between the dialog (bd-action-dialog.c: its widgets and responses) and
 * its requests (bd-action-dialog-requests.c: send, read, answer).
 */
typedef struct
{
  BdClient              *client;
  BdSubscription        *subscription;
  BdActionDoneFunc       done;
  gpointer               user_data;
  GCancellable          *cancellable;
  BdChangeAttempt       *attempt;

  char                  *primary_response;
  char                  *primary_label;
  AdwResponseAppearance  primary_appearance;
  gboolean               has_responses;      /* Cancel and the primary one */
  gboolean               finished;           /* done has been called */
  gboolean               reloading;          /* after a refusal, outside the attempt */
  gboolean               reload_shows_error; /* a failed reload replaces the message */
  char                  *sent_etag;          /* If-Match of the last PATCH or DELETE */

  GtkWidget             *form;
  GtkBox                *content_box;
  GtkSpinner            *spinner;
  GtkLabel              *error_label;
} BdActionDialogPrivate;

BdActionDialogPrivate *_bd_action_dialog_get_private  (BdActionDialog *self);
gboolean               _bd_action_dialog_form_is_ready (BdActionDialog *self);
void                   _bd_action_dialog_show_error    (BdActionDialog *self,
                                                        const char     *message);
void                   _bd_action_dialog_refresh_form  (BdActionDialog *self);
void                   _bd_action_dialog_update_busy   (BdActionDialog *self);
void                   _bd_action_dialog_start         (BdActionDialog *self);

G_END_DECLS
