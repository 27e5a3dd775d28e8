/* bd-service-options.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The command line of billing-desk-service and the environment it reads,
 * parsed and checked: what main () hands to the command it runs.
 */

#define BD_SERVICE_PROGRAM_NAME "billing-desk-service"

/* The exit status of a bad command line; every other failure is 1. */
#define BD_SERVICE_EXIT_USAGE 2

/* What the command line asks for: the server (the default, or "serve"),
 * or one of the commands that manage the database it serves, "users ACTION"
 * and "tokens ACTION" (docs/design.md, "Users and tokens"), each with
 * options of its own.
 */
typedef enum
{
  BD_SERVICE_COMMAND_SERVE,            /* the default */
  BD_SERVICE_COMMAND_VERSION,          /* --version */
  BD_SERVICE_COMMAND_USERS_LIST,
  BD_SERVICE_COMMAND_USERS_ADD,        /* target, name, roles */
  BD_SERVICE_COMMAND_USERS_SET_ROLES,  /* target, roles */
  BD_SERVICE_COMMAND_USERS_DISABLE,    /* target */
  BD_SERVICE_COMMAND_USERS_ENABLE,     /* target */
  BD_SERVICE_COMMAND_TOKENS_CREATE,    /* user_id, name, expires_in */
  BD_SERVICE_COMMAND_TOKENS_LIST,      /* user_id */
  BD_SERVICE_COMMAND_TOKENS_REVOKE,    /* target */
} BdServiceCommand;

typedef struct
{
  BdServiceCommand  command;

  /* serve */
  char             *listen_address;        /* HOST:PORT, as given or the default */
  char             *database;              /* (nullable): --database or BILLING_DESK_DATABASE,
                                            * a location bd_store_open () takes */
  char             *data_dir;              /* (nullable): as given, or the default when
                                            * no database is given */
  char             *tenant_path;           /* (nullable): --tenant-file */
  char             *tls_certificate_path;  /* (nullable): both, or neither */
  char             *tls_key_path;          /* (nullable) */
  gboolean          trust_forwarded;       /* --trust-forwarded: X-Forwarded-* make nextLink */

  /* users, tokens (and data_dir, now) */
  char             *target;                /* (nullable): the ID or TOKEN-ID argument */
  char             *name;                  /* (nullable): --name */
  guint             roles;                 /* --role: BD_ROLE_MASK () bits */
  char             *user_id;               /* (nullable): --user */
  gint64            expires_in;            /* seconds, or 0: --expires-in */

  /* the clock, from --now or BILLING_DESK_NOW, else the time of the start */
  gint64            now;                   /* seconds since 1970 */
  gboolean          now_frozen;            /* TRUE when --now or BILLING_DESK_NOW set it */
} BdServiceOptions;

BdServiceOptions *bd_service_options_parse       (int                argc,
                                                  char             **argv);
int               bd_service_options_usage_error (const char        *message);
void              bd_service_options_free        (BdServiceOptions  *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdServiceOptions, bd_service_options_free)

G_END_DECLS
