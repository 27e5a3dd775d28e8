/* bd-local-service.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The embedded default (docs/design.md section 1): billing-desk-service as a
 * child process on 127.0.0.1 with a free port, a per-user database seeded
 * from the demo tenant on first start, stopped on quit; it never outlives
 * the app, even one that crashed.
 */

#define BD_TYPE_LOCAL_SERVICE (bd_local_service_get_type ())

G_DECLARE_FINAL_TYPE (BdLocalService, bd_local_service, BD, LOCAL_SERVICE, GObject)

BdLocalService *bd_local_service_new          (const char           *program,
                                               const char           *data_dir,
                                               const char           *tenant_file);
void            bd_local_service_start_async  (BdLocalService       *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        bd_local_service_start_finish (BdLocalService       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
const char     *bd_local_service_get_url      (BdLocalService       *self);
void            bd_local_service_stop         (BdLocalService       *self);

G_END_DECLS
