/* bd-store-pg.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BdStorePg, the object: one libpq connection, opened, its schema migrated,
 * its statements prepared, and the table of the BdStore interface. What the
 * statements do is in the other bd-store-pg-*.c files.
 */

#define G_LOG_DOMAIN "bd-store-pg"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bd-store-pg-private.h"

/* Seconds: a server on a working network answers in far less. */
#define DEFAULT_CONNECT_TIMEOUT "5"

static void bd_store_iface_init (BdStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BdStorePg, bd_store_pg, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BD_TYPE_STORE, bd_store_iface_init))

/*
 * BdStore
 */

static gint
bd_store_pg_get_schema_version (BdStore *store)
{
  return BD_STORE_PG (store)->schema_version;
}

/* The server keeps its own constraints (foreign keys, CHECKs) on every
 * write, and has no whole-database check like SQLite's: what is left to
 * ask is whether it answers and holds this version's schema.
 */
static gboolean
bd_store_pg_check_integrity (BdStore  *store,
                             GError  **error)
{
  BdStorePg *self = BD_STORE_PG (store);
  g_autoptr(PGresult) result = NULL;

  result = PQexec (self->conn, "SELECT version FROM schema_version WHERE id = 1");
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    return _bd_pg_set_error (self->conn, result, DOING_READ, error);

  if (PQntuples (result) != 1 ||
      g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10) != self->schema_version)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database is damaged: %s"),
                   "its schema version changed while it was open");
      return FALSE;
    }

  return TRUE;
}

/* A change's transaction: its waits for a lock another transaction holds
 * (a subscription's row, an Idempotency-Key, the ledger) end after the
 * bound (docs/design.md section 6), with SQLSTATE 55P03, which
 * _bd_pg_set_error () says as %BD_STORE_ERROR_LOCK_TIMEOUT. The seed's own
 * transaction (bd-store-pg-tenant.c) waits for another instance's seed
 * without a bound.
 */
static gboolean
bd_store_pg_begin (BdStore  *store,
                   GError  **error)
{
  g_autofree char *sql = g_strdup_printf ("BEGIN; SET LOCAL lock_timeout = '%ds'",
                                          BD_STORE_LOCK_TIMEOUT_SECONDS);

  /* One round trip for both, not two: a change makes few enough. */
  return _bd_store_pg_begin_with (store, sql, error);
}

static void
bd_store_iface_init (BdStoreInterface *iface)
{
  iface->get_schema_version = bd_store_pg_get_schema_version;
  iface->check_integrity = bd_store_pg_check_integrity;
  iface->is_seeded = _bd_store_pg_is_seeded;
  iface->seed = _bd_store_pg_seed;
  iface->begin = bd_store_pg_begin;
  iface->commit = _bd_store_pg_commit;
  iface->rollback = _bd_store_pg_rollback;
  iface->get_tenant = _bd_store_pg_get_tenant;
  iface->find_user_by_token = _bd_store_pg_find_user_by_token;
  iface->list_users = _bd_store_pg_list_users;
  iface->add_user = _bd_store_pg_add_user;
  iface->set_user_roles = _bd_store_pg_set_user_roles;
  iface->set_user_disabled = _bd_store_pg_set_user_disabled;
  iface->add_token = _bd_store_pg_add_token;
  iface->list_tokens = _bd_store_pg_list_tokens;
  iface->revoke_token = _bd_store_pg_revoke_token;
  iface->get_subscription = _bd_store_pg_get_subscription;
  iface->list_subscriptions = _bd_store_pg_list_subscriptions;
  iface->put_subscription = _bd_store_pg_put_subscription;
  iface->get_billing_profile = _bd_store_pg_get_billing_profile;
  iface->list_billing_profiles = _bd_store_pg_list_billing_profiles;
  iface->list_domains = _bd_store_pg_list_domains;
  iface->has_domain_attached = _bd_store_pg_has_domain_attached;
  iface->add_operation = _bd_store_pg_add_operation;
  iface->list_operations = _bd_store_pg_list_operations;
  iface->get_idempotent_answer = _bd_store_pg_get_idempotent_answer;
  iface->put_idempotent_answer = _bd_store_pg_put_idempotent_answer;
  iface->forget_idempotent_answers = _bd_store_pg_forget_idempotent_answers;
  iface->ping = _bd_store_pg_ping;
  iface->claim_idempotency_key = _bd_store_pg_claim_idempotency_key;
}

/*
 * GObject overrides
 */

static void
bd_store_pg_dispose (GObject *object)
{
  BdStorePg *self = (BdStorePg *) object;

  g_clear_pointer (&self->conn, PQfinish);

  G_OBJECT_CLASS (bd_store_pg_parent_class)->dispose (object);
}

static void
bd_store_pg_class_init (BdStorePgClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bd_store_pg_dispose;
}

static void
bd_store_pg_init (BdStorePg *self)
{
  _bd_store_pg_tenant_sql (self->sql);
  _bd_store_pg_users_sql (self->sql);
  _bd_store_pg_subscriptions_sql (self->sql);
  _bd_store_pg_ledger_sql (self->sql);
}

/* Connects with a connect_timeout of DEFAULT_CONNECT_TIMEOUT seconds unless
 * the URI or PGCONNECT_TIMEOUT gives one: without any, libpq waits for a
 * server that does not answer (a host gone from the network) as long as
 * the system's TCP does, minutes, and so would every request during such
 * an outage (a reset connects again), and an exit on SIGTERM behind them.
 * The URI's own value wins: its parameters come after this one.
 */
static PGconn *
connect_to (const char *uri)
{
  const char * const keywords[] = { "connect_timeout", "dbname", NULL };
  const char * const values[] = { DEFAULT_CONNECT_TIMEOUT, uri, NULL };

  if (g_getenv ("PGCONNECT_TIMEOUT") != NULL)
    return PQconnectdb (uri);

  return PQconnectdbParams (keywords, values, 1);
}

/* The server's notices (NOTICE, WARNING) go to the debug log, not stderr. */
static void
log_notice (void       *data,
            const char *message)
{
  g_debug ("%s", message);
}

/*
 * Public API
 */

/**
 * bd_store_pg_check_uri:
 * @uri: a libpq connection URI
 *
 * Whether libpq can read @uri, and that it carries no password
 * (`postgresql://user:secret@host/db` or `?password=`): one there would
 * show in the process list and the shell's history, so it is refused.
 *
 * Returns: %FALSE with %BD_STORE_ERROR_FAILED and a message that says why
 */
gboolean
bd_store_pg_check_uri (const char  *uri,
                       GError     **error)
{
  PQconninfoOption *options;
  char *parse_error = NULL;
  gboolean has_password = FALSE;

  g_return_val_if_fail (uri != NULL, FALSE);

  options = PQconninfoParse (uri, &parse_error);
  if (options == NULL)
    {
      g_autofree char *why = g_strchomp (g_strdup (parse_error != NULL ? parse_error
                                                                       : "out of memory"));

      PQfreemem (parse_error);
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   /* Translators: %1$s is what was given, %2$s says what is wrong */
                   _("“%1$s” is not a PostgreSQL URI: %2$s"), uri, why);
      return FALSE;
    }

  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    if (strcmp (option->keyword, "password") == 0 && option->val != NULL)
      has_password = TRUE;
  PQconninfoFree (options);

  if (has_password)
    {
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("A password in the database URI is refused: give it in PGPASSWORD "
                     "or ~/.pgpass"));
      return FALSE;
    }

  return TRUE;
}

/**
 * bd_store_pg_open:
 * @uri: a libpq URI, `postgresql://USER@HOST:PORT/DBNAME?...`, without a
 *   password (it comes from PGPASSWORD or ~/.pgpass)
 * @durability: %BD_STORE_SCRATCH (synchronous_commit off) only for fuzzers
 *   and benchmarks
 *
 * Connects, brings the schema up to this version's (under an advisory
 * lock) and prepares every statement. Callers go through bd_store_open ().
 *
 * Returns: (transfer full): the store, or %NULL with
 *   %BD_STORE_ERROR_NEWER_SCHEMA or %BD_STORE_ERROR_FAILED
 */
BdStore *
bd_store_pg_open (const char         *uri,
                  BdStoreDurability   durability,
                  GError            **error)
{
  g_autoptr(BdStorePg) self = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!bd_store_pg_check_uri (uri, error))
    return NULL;

  self = g_object_new (BD_TYPE_STORE_PG, NULL);
  self->durability = durability;
  self->conn = connect_to (uri);

  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      _bd_pg_set_error (self->conn, NULL, DOING_OPEN, error);
      return NULL;
    }

  PQsetNoticeProcessor (self->conn, log_notice, NULL);

  if ((durability == BD_STORE_SCRATCH &&
       !_bd_pg_exec (self->conn, "SET synchronous_commit = off", DOING_OPEN, error)) ||
      !_bd_store_pg_migrate (self->conn, &self->schema_version, error) ||
      !_bd_pg_prepare_all (self, error))
    return NULL;

  return BD_STORE (g_steal_pointer (&self));
}
