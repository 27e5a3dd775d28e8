/* bd-tls-database.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-tls-database"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bd-tls-database.h"

/* The certificate authorities a self-hosted billing service may use: the
 * system's, and a private one from --tls-ca-file.
 *
 * A GTlsDatabase cannot be merged with another, and a file database made
 * of the system bundle and the private CA would depend on where the system
 * keeps its bundle. So this database holds two and asks them in turn: the
 * private CA's first, and when the chain does not lead to it (UNKNOWN_CA),
 * the system's. The answer of the one that knows the chain's root counts,
 * so a certificate the private CA issued is still refused when it has
 * expired or names another host. Verification itself is left to GLib's
 * TLS backend in both; nothing here accepts a certificate on its own.
 */
struct _BdTlsDatabase
{
  GTlsDatabase  parent_instance;

  GTlsDatabase *ca_database;      /* the private CA */
  GTlsDatabase *system_database;  /* (nullable): without a TLS backend */
};

G_DEFINE_FINAL_TYPE (BdTlsDatabase, bd_tls_database, G_TYPE_TLS_DATABASE)

/*
 * GTlsDatabase overrides
 */

static GTlsCertificateFlags
bd_tls_database_verify_chain (GTlsDatabase             *database,
                              GTlsCertificate          *chain,
                              const char               *purpose,
                              GSocketConnectable       *identity,
                              GTlsInteraction          *interaction,
                              GTlsDatabaseVerifyFlags   flags,
                              GCancellable             *cancellable,
                              GError                  **error)
{
  BdTlsDatabase *self = BD_TLS_DATABASE (database);
  g_autoptr(GError) local_error = NULL;
  GTlsCertificateFlags result;

  result = g_tls_database_verify_chain (self->ca_database, chain, purpose, identity,
                                        interaction, flags, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return G_TLS_CERTIFICATE_GENERIC_ERROR;
    }

  if ((result & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0 || self->system_database == NULL)
    return result;

  return g_tls_database_verify_chain (self->system_database, chain, purpose, identity,
                                      interaction, flags, cancellable, error);
}

static GTlsCertificate *
bd_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                           GTlsCertificate          *certificate,
                                           GTlsInteraction          *interaction,
                                           GTlsDatabaseLookupFlags   flags,
                                           GCancellable             *cancellable,
                                           GError                  **error)
{
  BdTlsDatabase *self = BD_TLS_DATABASE (database);
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *issuer;

  issuer = g_tls_database_lookup_certificate_issuer (self->ca_database, certificate, interaction,
                                                     flags, cancellable, &local_error);
  if (issuer != NULL || local_error != NULL || self->system_database == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return issuer;
    }

  return g_tls_database_lookup_certificate_issuer (self->system_database, certificate,
                                                   interaction, flags, cancellable, error);
}

static GList *
bd_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                               GByteArray               *issuer_raw_dn,
                                               GTlsInteraction          *interaction,
                                               GTlsDatabaseLookupFlags   flags,
                                               GCancellable             *cancellable,
                                               GError                  **error)
{
  BdTlsDatabase *self = BD_TLS_DATABASE (database);
  GList *certificates;

  certificates = g_tls_database_lookup_certificates_issued_by (self->ca_database, issuer_raw_dn,
                                                               interaction, flags, cancellable,
                                                               error);
  if (self->system_database == NULL || (error != NULL && *error != NULL))
    return certificates;

  return g_list_concat (certificates,
                        g_tls_database_lookup_certificates_issued_by (self->system_database,
                                                                      issuer_raw_dn,
                                                                      interaction, flags,
                                                                      cancellable, error));
}

static char *
bd_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                           GTlsCertificate *certificate)
{
  BdTlsDatabase *self = BD_TLS_DATABASE (database);
  char *handle;

  handle = g_tls_database_create_certificate_handle (self->ca_database, certificate);
  if (handle == NULL && self->system_database != NULL)
    handle = g_tls_database_create_certificate_handle (self->system_database, certificate);

  return handle;
}

static GTlsCertificate *
bd_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                               const char               *handle,
                                               GTlsInteraction          *interaction,
                                               GTlsDatabaseLookupFlags   flags,
                                               GCancellable             *cancellable,
                                               GError                  **error)
{
  BdTlsDatabase *self = BD_TLS_DATABASE (database);
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *certificate;

  certificate = g_tls_database_lookup_certificate_for_handle (self->ca_database, handle,
                                                              interaction, flags, cancellable,
                                                              &local_error);
  if (certificate != NULL || local_error != NULL || self->system_database == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return certificate;
    }

  return g_tls_database_lookup_certificate_for_handle (self->system_database, handle,
                                                       interaction, flags, cancellable, error);
}

/*
 * GObject overrides
 */

static void
bd_tls_database_dispose (GObject *object)
{
  BdTlsDatabase *self = (BdTlsDatabase *)object;

  g_clear_object (&self->ca_database);
  g_clear_object (&self->system_database);

  G_OBJECT_CLASS (bd_tls_database_parent_class)->dispose (object);
}

static void
bd_tls_database_class_init (BdTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->dispose = bd_tls_database_dispose;

  /* The _async variants are GTlsDatabase's own: these, in a thread. */
  database_class->verify_chain = bd_tls_database_verify_chain;
  database_class->lookup_certificate_issuer = bd_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = bd_tls_database_lookup_certificates_issued_by;
  database_class->create_certificate_handle = bd_tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = bd_tls_database_lookup_certificate_for_handle;
}

static void
bd_tls_database_init (BdTlsDatabase *self)
{
}

/*
 * Public API
 */

/**
 * bd_tls_database_new:
 * @ca_file: a file of one or more PEM certificates of certificate
 *   authorities to trust besides the system's
 *
 * Returns: (transfer full) (nullable): a database that trusts the system's
 *   certificate authorities and those in @ca_file, or %NULL with an error
 *   when @ca_file cannot be read or holds no certificate
 */
GTlsDatabase *
bd_tls_database_new (const char  *ca_file,
                     GError     **error)
{
  g_autoptr(BdTlsDatabase) self = NULL;
  g_autofree char *path = NULL;
  GList *certificates;
  GTlsBackend *backend;

  g_return_val_if_fail (ca_file != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* GTlsFileDatabase takes an absolute path only, and a file without a
   * single certificate in it as an empty list: neither is what was meant.
   */
  path = g_canonicalize_filename (ca_file, NULL);
  certificates = g_tls_certificate_list_new_from_file (path, error);
  if (certificates == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     /* Translators: %s is a file name */
                     _("%s holds no PEM certificate"), ca_file);
      return NULL;
    }
  g_list_free_full (certificates, g_object_unref);

  self = g_object_new (BD_TYPE_TLS_DATABASE, NULL);
  self->ca_database = g_tls_file_database_new (path, error);
  if (self->ca_database == NULL)
    return NULL;

  backend = g_tls_backend_get_default ();
  self->system_database = g_tls_backend_get_default_database (backend);

  return G_TLS_DATABASE (g_steal_pointer (&self));
}
