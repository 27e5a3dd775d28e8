/* bd-client.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bd-client-error.h"
#include "bd-core.h"

G_BEGIN_DECLS

/* The app's only way to the billing service: HTTP/JSON over one SoupSession,
 * always asynchronous (no request blocks the main loop), every request
 * cancellable. Timeouts and limits of docs/design.md section 4: connect
 * 10 s, request 30 s, answers over 16 MiB refused. The token goes over https to any host, over
 * plain http only to this computer (a loopback address or "localhost");
 * https certificates are verified, against the system's certificate
 * authorities or the BdClient:tls-database.
 */

#define BD_CLIENT_CONNECT_TIMEOUT_SECONDS 10
#define BD_CLIENT_REQUEST_TIMEOUT_SECONDS 30
#define BD_CLIENT_MAX_ANSWER (16 * 1024 * 1024)

#define BD_TYPE_CLIENT (bd_client_get_type ())

G_DECLARE_FINAL_TYPE (BdClient, bd_client, BD, CLIENT, GObject)

char           *bd_client_new_idempotency_key       (void);

BdClient       *bd_client_new                       (const char           *base_url,
                                                     const char           *token);
const char     *bd_client_get_base_url              (BdClient             *self);
gboolean        bd_client_check_base_url            (BdClient             *self,
                                                     GError              **error);

void            bd_client_get_me_async              (BdClient             *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean        bd_client_get_me_finish             (BdClient             *self,
                                                     GAsyncResult         *result,
                                                     BdUser              **user,
                                                     BdTenant            **tenant,
                                                     gint64               *server_time,
                                                     GError              **error);
void            bd_client_list_billing_profiles_async  (BdClient          *self,
                                                        GCancellable      *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer           user_data);
GPtrArray      *bd_client_list_billing_profiles_finish (BdClient          *self,
                                                        GAsyncResult      *result,
                                                        GError           **error);
void            bd_client_list_subscriptions_async  (BdClient             *self,
                                                     const char           *next_link,
                                                     guint                 top,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray      *bd_client_list_subscriptions_finish (BdClient             *self,
                                                     GAsyncResult         *result,
                                                     char                **next_link,
                                                     GError              **error);
void            bd_client_list_operations_async     (BdClient             *self,
                                                     const char           *next_link,
                                                     guint                 top,
                                                     BdOperationsOrder     order,
                                                     const char           *subscription_id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray      *bd_client_list_operations_finish    (BdClient             *self,
                                                     GAsyncResult         *result,
                                                     char                **next_link,
                                                     GError              **error);
void            bd_client_get_subscription_async    (BdClient             *self,
                                                     const char           *id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
BdSubscription *bd_client_get_subscription_finish   (BdClient             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void            bd_client_get_cancellation_async    (BdClient             *self,
                                                     const char           *id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
BdCancellation *bd_client_get_cancellation_finish   (BdClient             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void            bd_client_cancel_async              (BdClient             *self,
                                                     const char           *id,
                                                     BdCancelReason        reason,
                                                     const char           *feedback,
                                                     const char           *idempotency_key,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
BdCancelAnswer *bd_client_cancel_finish             (BdClient             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void            bd_client_update_async              (BdClient             *self,
                                                     const char           *id,
                                                     const char           *etag,
                                                     gboolean              set_recurring_billing,
                                                     BdRecurringBilling    recurring_billing,
                                                     gint64                quantity,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
BdSubscription *bd_client_update_finish             (BdClient             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void            bd_client_reactivate_async          (BdClient             *self,
                                                     const char           *id,
                                                     const char           *idempotency_key,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
BdSubscription *bd_client_reactivate_finish         (BdClient             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void            bd_client_delete_async              (BdClient             *self,
                                                     const char           *id,
                                                     const char           *etag,
                                                     const char           *confirm,
                                                     const char           *idempotency_key,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
BdSubscription *bd_client_delete_finish             (BdClient             *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
