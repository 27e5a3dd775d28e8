/* bd-soak.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BD_SOAK_CANCEL,
  BD_SOAK_RECURRING_BILLING,
  BD_SOAK_QUANTITY,
  BD_SOAK_REACTIVATE,
  BD_SOAK_DELETE,
  BD_SOAK_READ,
  BD_SOAK_N_KINDS
} BdSoakKind;

typedef struct
{
  const char *service_path;  /* the billing-desk-service binary */
  const char *database;      /* (nullable): "sqlite:PATH" (a new file), or an empty
                              * PostgreSQL database's URI; NULL: an SQLite file in a
                              * temporary directory (--data-dir), or with @own_cluster the
                              * postgres database of a cluster of the soak's own */
  gboolean    own_cluster;   /* make a PostgreSQL cluster of its own (root; see
                              * bd_pg_cluster_why_not ()), dropped at the end */
  gboolean    restart_database; /* with @own_cluster: stop it (-m immediate) and start it
                                 * again once, half-way through */
  guint       n_instances;   /* billing-desk-service processes on the one database; 0 is 1 */
  guint       n_operations;
  guint       n_clients;
  guint       kill_every;    /* operations between two SIGKILLs, on average; 0: never */
  guint32     seed;
  gboolean    keep_data;     /* keep the temporary directory even when all is well */
  gboolean    verbose;       /* every failed request and every kill on stderr */
} BdSoakOptions;

typedef struct
{
  guint      operations;
  guint      by_kind[BD_SOAK_N_KINDS];
  guint      subscriptions;
  guint      instances;
  guint      database_restarts; /* PostgreSQL stopped at once and started again */
  guint      kills;            /* while the operations ran */
  guint      kills_in_flight;  /* of those, with a change request in flight */
  guint      retries;          /* requests sent again after no definite answer */
  guint      changes_retried;  /* changes that took more than one request */
  guint      applied_unanswered; /* of those, applied already when sent again */
  guint      acknowledged;     /* changes the service answered 2xx */
  guint      ledger_entries;
  guint      ledger_views;     /* instances the whole ledger was read through, in one order */
  guint      replays;          /* keyed changes sent again at the end, answered the same */
  guint      lost;             /* acknowledged, but not in the ledger */
  guint      doubled;          /* in the ledger more often than acknowledged, or never */
  guint      mismatched;       /* a read or the final state disagrees with the acknowledgements */
  guint      unexpected;       /* a definite answer the sequence did not allow */
  char      *integrity;        /* PRAGMA integrity_check's answer, "ok" when all is well */
  char      *store;            /* what the instances ran on, in words */
  gboolean   stopped_cleanly;  /* every last instance exited 0 on SIGTERM */
  double     wall_seconds;
  char      *dir;              /* the temporary directory, when it was kept */
  GPtrArray *problems;         /* of char *: one line per discrepancy */
} BdSoakReport;

gboolean bd_soak_run             (const BdSoakOptions  *options,
                                  BdSoakReport         *report,
                                  GError              **error);
void     bd_soak_interrupt       (void);
gboolean bd_soak_report_is_clean (const BdSoakReport   *report);
char    *bd_soak_report_format   (const BdSoakReport   *report);
void     bd_soak_report_clear    (BdSoakReport         *report);

G_END_DECLS
