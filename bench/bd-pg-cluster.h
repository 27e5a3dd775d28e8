/* bd-pg-cluster.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BdPgCluster BdPgCluster;

const char  *bd_pg_cluster_why_not (void);
BdPgCluster *bd_pg_cluster_new     (const char   *prefix,
                                    GError      **error);
const char  *bd_pg_cluster_get_uri        (BdPgCluster  *cluster);
const char  *bd_pg_cluster_get_socket_uri (BdPgCluster  *cluster);
const char  *bd_pg_cluster_get_dir        (BdPgCluster  *cluster);
gboolean     bd_pg_cluster_stop    (BdPgCluster  *cluster,
                                    GError      **error);
gboolean     bd_pg_cluster_start   (BdPgCluster  *cluster,
                                    GError      **error);
gboolean     bd_pg_cluster_drop    (BdPgCluster  *cluster,
                                    GError      **error);
void         bd_pg_cluster_free    (BdPgCluster  *cluster);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdPgCluster, bd_pg_cluster_free)

G_END_DECLS
