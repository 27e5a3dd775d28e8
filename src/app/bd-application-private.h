/* bd-application-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-application.h"
#include "bd-core.h"
#include "bd-local-service.h"
#include "bd-reminders.h"

G_BEGIN_DECLS

/* What bd-application.c (the instance, its windows and actions) and
 * bd-application-connect.c (a client for an account: the demo's shared
 * service, the keyring, the command line's services) share.
 */
struct _BdApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  BdAccountList  *accounts;
  BdTokenStore   *token_store;
  GHashTable     *sessions;       /* normalised URL → BdSession, from the command line */

  BdLocalService *local_service;  /* (nullable): the demo's, once a window is on the demo
                                   * (started before the first window is built) */
  GPtrArray      *demo_waiters;   /* GTask, waiting for it to start */
  GError         *demo_error;     /* why the demo can't be used, once it is known */
  BdTenantFile   *demo_tenant;
  GMenuModel     *demo_users;
  BdReminders    *reminders;
  GCancellable   *cancellable;
};

/* A service named on a command line: its token, in this process's memory only. */
typedef struct
{
  char *token;
  char *ca_file;  /* (nullable) */
} BdSession;

void     _bd_session_free              (gpointer        data);
gboolean _bd_application_load_demo     (BdApplication  *self,
                                        GError        **error);
void     _bd_application_start_demo    (BdApplication  *self);

G_END_DECLS
