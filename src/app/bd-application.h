/* bd-application.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-account-list.h"
#include "bd-client.h"
#include "bd-reminders.h"
#include "bd-token-store.h"

G_BEGIN_DECLS

#define BD_TYPE_APPLICATION (bd_application_get_type ())

G_DECLARE_FINAL_TYPE (BdApplication, bd_application, BD, APPLICATION, AdwApplication)

#define BD_APPLICATION_ERROR (bd_application_error_quark ())

typedef enum
{
  BD_APPLICATION_ERROR_SIGNED_OUT,   /* no token is kept for the account */
  BD_APPLICATION_ERROR_NO_SERVICE,   /* the demo's service did not start, or stopped */
  BD_APPLICATION_ERROR_CA_FILE,      /* the account's CA file can't be read */
} BdApplicationError;

GQuark         bd_application_error_quark       (void);
void           bd_application_set_default_direction (void);
BdApplication *bd_application_new               (void);
GSettings     *bd_application_get_settings      (BdApplication       *self);
BdAccountList *bd_application_get_accounts      (BdApplication       *self);
BdTokenStore  *bd_application_get_token_store   (BdApplication       *self);
GMenuModel    *bd_application_get_demo_users    (BdApplication       *self);
BdReminders   *bd_application_get_reminders     (BdApplication       *self);
void           bd_application_connect_async     (BdApplication       *self,
                                                 BdAccount           *account,
                                                 const char          *session_url,
                                                 const char          *demo_user_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
BdClient      *bd_application_connect_finish    (BdApplication       *self,
                                                 GAsyncResult        *result,
                                                 char               **demo_user_id,
                                                 GError             **error);

G_END_DECLS
