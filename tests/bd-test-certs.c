/* bd-test-certs.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-test-certs.h"
#include "bd-test-utils.h"

/* The tests that make certificates are TLS clients, and at the exit of a
 * process that had TLS client threads, LeakSanitizer's tracer (GCC 12's)
 * now and then crashes while it scans their thread-local storage, which
 * gnutls holds: no leak check for them. The client's and the service's own
 * leaks are checked in test-client and the service tests, over plain HTTP.
 */
int __lsan_is_turned_off (void);

int
__lsan_is_turned_off (void)
{
  return 1;
}

/**
 * bd_test_certs_openssl:
 * @args: what follows "openssl"
 *
 * Runs openssl in the certificates' directory; it must succeed.
 */
void
bd_test_certs_openssl (BdTestCerts        *certs,
                       const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_strv_builder_add (builder, "openssl");
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  g_spawn_sync (certs->dir, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_test_message ("openssl %s: %s", args[0], err);
  g_assert_no_error (error);
}

/**
 * bd_test_certs_new:
 *
 * A private CA, a server certificate it issued for localhost and 127.0.0.1
 * with its key, and a key of no certificate.
 */
BdTestCerts *
bd_test_certs_new (void)
{
  const char * const ca[] = {
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Billing Desk Test CA",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL
  };
  const char * const request[] = {
    "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", NULL
  };
  const char * const sign[] = {
    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
    "-set_serial", "2", "-days", "2", "-extfile", "server.ext", "-out", "server.pem", NULL
  };
  const char * const other[] = {
    "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
    "-out", "other.key", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *ext = NULL;
  BdTestCerts *certs = g_new0 (BdTestCerts, 1);

  certs->dir = g_dir_make_tmp ("billing-desk-tls-XXXXXX", &error);
  g_assert_no_error (error);

  ext = g_build_filename (certs->dir, "server.ext", NULL);
  g_file_set_contents (ext,
                       "basicConstraints=CA:FALSE\n"
                       "keyUsage=critical,digitalSignature\n"
                       "extendedKeyUsage=serverAuth\n"
                       "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
                       -1, &error);
  g_assert_no_error (error);

  bd_test_certs_openssl (certs, ca);
  bd_test_certs_openssl (certs, request);
  bd_test_certs_openssl (certs, sign);
  bd_test_certs_openssl (certs, other);

  certs->ca_pem = g_build_filename (certs->dir, "ca.pem", NULL);
  certs->server_pem = g_build_filename (certs->dir, "server.pem", NULL);
  certs->server_key = g_build_filename (certs->dir, "server.key", NULL);
  certs->other_key = g_build_filename (certs->dir, "other.key", NULL);

  return certs;
}

/* Removes the directory with the certificates. */
void
bd_test_certs_free (BdTestCerts *certs)
{
  if (certs == NULL)
    return;

  bd_test_remove_tree (certs->dir);
  g_free (certs->dir);
  g_free (certs->ca_pem);
  g_free (certs->server_pem);
  g_free (certs->server_key);
  g_free (certs->other_key);
  g_free (certs);
}
