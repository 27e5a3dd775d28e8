/* bd-list-cache.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bd-core.h"

G_BEGIN_DECLS

/* The last list each account loaded, for showing offline:
 * $XDG_CACHE_HOME/<app id>/lists/<hex SHA-256 of "URL\nuser-id">.json, the
 * URL as bd_account_normalize_url () gives it, mode 0600, written to a
 * temporary file and renamed, no token in it.
 */

typedef struct
{
  GPtrArray *subscriptions;     /* BdSubscription, in the order they were listed */
  GPtrArray *billing_profiles;  /* BdBillingProfile */
  gint64     saved_at;          /* Unix seconds, this computer's clock */
} BdListCacheEntry;

void              bd_list_cache_entry_free  (BdListCacheEntry     *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdListCacheEntry, bd_list_cache_entry_free)

char             *bd_list_cache_get_path    (const char           *service_url,
                                             const char           *user_id);
void              bd_list_cache_save_async  (const char           *service_url,
                                             const char           *user_id,
                                             GListModel           *subscriptions,
                                             GPtrArray            *billing_profiles,
                                             gint64                saved_at,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean          bd_list_cache_save_finish (GAsyncResult         *result,
                                             GError              **error);
/* Returns: (nullable): NULL without an error when nothing is cached. */
void              bd_list_cache_load_async  (const char           *service_url,
                                             const char           *user_id,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
BdListCacheEntry *bd_list_cache_load_finish (GAsyncResult         *result,
                                             GError              **error);
gboolean          bd_list_cache_delete      (const char           *service_url,
                                             const char           *user_id,
                                             GError              **error);

G_END_DECLS
