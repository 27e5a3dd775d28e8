/* test-tls.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Remote use over TLS: the real billing-desk-service serving HTTPS with a
 * certificate made at test time by openssl, BdClient verifying it (with a
 * private CA, and without), the client refusing plain http to another
 * computer, and the service refusing a remote address without TLS and bad
 * certificate files.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "bd-client.h"
#include "bd-test-certs.h"
#include "bd-test-child.h"
#include "bd-test-utils.h"
#include "bd-server.h"
#include "bd-tls-database.h"
#include "service-tenant.h"

#define WAIT_MS 20000

/* Made once for all the tests. */
static BdTestCerts *certs;
static char *tenant_path;

/*
 * Waiting
 */

/* GET /v1/me through @client: TRUE, or FALSE with @error. */
static gboolean
get_me (BdClient  *client,
        BdUser   **user,
        GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_client_get_me_async (client, NULL, bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, WAIT_MS));
  return bd_client_get_me_finish (client, result, user, NULL, NULL, error);
}

/* The certificates, and the test tenant beside them. */
static void
make_certificates (void)
{
  g_autoptr(GError) error = NULL;

  certs = bd_test_certs_new ();
  tenant_path = g_build_filename (certs->dir, "tenant.json", NULL);
  g_file_set_contents (tenant_path, TENANT, -1, &error);
  g_assert_no_error (error);
}

/*
 * The service as a child process
 */

typedef BdTestChild Child;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Child, bd_test_child_free)

/* billing-desk-service --listen @listen on a new data directory with the
 * test tenant, and then the NULL-terminated options that follow.
 */
static Child *
child_spawn (const char *listen,
             ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("billing-desk-tls-data-XXXXXX", &error);
  g_autofree char *asan_options = NULL;
  const char *asan = g_getenv ("ASAN_OPTIONS");
  const char *arg;
  Child *child;
  va_list options;

  g_assert_no_error (error);

  g_strv_builder_add (builder, "--listen");
  g_strv_builder_add (builder, listen);
  g_strv_builder_add (builder, "--data-dir");
  g_strv_builder_add (builder, data_dir);
  g_strv_builder_add (builder, "--tenant-file");
  g_strv_builder_add (builder, tenant_path);
  g_strv_builder_add (builder, "--now");
  g_strv_builder_add (builder, NOW);
  va_start (options, listen);
  while ((arg = va_arg (options, const char *)) != NULL)
    g_strv_builder_add (builder, arg);
  va_end (options);
  args = g_strv_builder_end (builder);

  /* Under build-aux/test's sanitizer pass: at the exit of a service that
   * has had a TLS connection, LeakSanitizer's tracer (GCC 12's) crashes
   * with SIGSEGV while it scans the thread-local storage of the threads
   * ("Tracer caught signal 11"), which gnutls, loaded by glib-networking
   * with dlopen (), holds; the exit status then turns 1. So the service
   * children here run without the leak check: AddressSanitizer and UBSan
   * still watch them, and the plain-HTTP service tests check its leaks.
   */
  asan_options = g_strconcat ("ASAN_OPTIONS=", asan != NULL ? asan : "",
                              asan != NULL ? ":" : "", "detect_leaks=0", NULL);

  child = bd_test_child_spawn ((const char * const *) args,
                               (const char * const []) { asan_options, NULL });
  child->data_dir = g_steal_pointer (&data_dir);
  return child;
}

/* Waits for "listening on https://HOST:PORT" and keeps the URL. */
static void
child_wait_listening (Child      *child,
                      const char *host_pattern)
{
  g_autofree char *pattern = g_strdup_printf ("https://%s:[0-9]+", host_pattern);

  bd_test_child_wait_listening (child, pattern);
}

/* Stops the service with SIGTERM if @stop, waits for its exit; answers the
 * exit status, and the whole of stderr.
 */
static int
child_finish (Child     *child,
              gboolean   stop,
              char     **stderr_text)
{
  return bd_test_child_finish (child, stop, stderr_text);
}

static void
assert_no_database (const char *data_dir)
{
  g_autofree char *path = g_build_filename (data_dir, "billing.sqlite", NULL);

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static BdClient *
new_client (const char   *url,
            GTlsDatabase *database)
{
  return g_object_new (BD_TYPE_CLIENT,
                       "base-url", url,
                       "token", ADMIN,
                       "tls-database", database,
                       NULL);
}

/*
 * Tests
 */

/* The service serves HTTPS; the client with the private CA gets /v1/me. */
static void
test_https_with_ca (void)
{
  g_autoptr(Child) child = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(BdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stderr_text = NULL;
  BdClient *client;

  child = child_spawn ("127.0.0.1:0", "--tls-certificate", certs->server_pem,
                       "--tls-key", certs->server_key, NULL);
  child_wait_listening (child, "127\\.0\\.0\\.1");

  database = bd_tls_database_new (certs->ca_pem, &error);
  g_assert_no_error (error);
  client = new_client (child->url, database);
  g_assert_true (bd_client_check_base_url (client, &error));
  g_assert_no_error (error);

  g_assert_true (get_me (client, &user, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bd_user_get_id (user), ==, "u1");
  g_assert_finalize_object (client);

  /* "localhost" is in the certificate too. */
  {
    g_autofree char *url = g_strdup_printf ("https://localhost:%s",
                                            strrchr (child->url, ':') + 1);

    client = new_client (url, database);
    g_assert_true (get_me (client, NULL, &error));
    g_assert_no_error (error);
    g_assert_finalize_object (client);
  }

  g_assert_cmpint (child_finish (child, TRUE, &stderr_text), ==, 0);
  g_assert_nonnull (strstr (stderr_text, "GET /v1/me 200"));
}

/* Without the CA, the certificate is not trusted: a clear error of its
 * own, and the service never sees the request.
 */
static void
test_untrusted (void)
{
  g_autoptr(Child) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stderr_text = NULL;
  BdClient *client;

  child = child_spawn ("127.0.0.1:0", "--tls-certificate", certs->server_pem,
                       "--tls-key", certs->server_key, NULL);
  child_wait_listening (child, "127\\.0\\.0\\.1");

  client = new_client (child->url, NULL);
  g_assert_false (get_me (client, NULL, &error));
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNTRUSTED_CERTIFICATE);
  g_assert_false (bd_client_error_is_outcome_unknown (error));
  g_assert_nonnull (strstr (error->message, "certificate"));
  g_assert_nonnull (strstr (error->message, "--tls-ca-file"));
  g_assert_finalize_object (client);

  g_assert_cmpint (child_finish (child, TRUE, &stderr_text), ==, 0);
  g_assert_null (strstr (stderr_text, "/v1/me"));
}

/* A CA that did not issue the certificate does not make it trusted. */
static void
test_other_ca (void)
{
  g_autoptr(Child) child = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stderr_text = NULL;
  BdClient *client;

  child = child_spawn ("127.0.0.1:0", "--tls-certificate", certs->server_pem,
                       "--tls-key", certs->server_key, NULL);
  child_wait_listening (child, "127\\.0\\.0\\.1");

  {
    const char * const self_signed[] = {
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
      "-keyout", "stranger.key", "-out", "stranger.pem", "-days", "2",
      "-subj", "/CN=Stranger CA", "-addext", "basicConstraints=critical,CA:TRUE", NULL
    };
    g_autofree char *stranger = g_build_filename (certs->dir, "stranger.pem", NULL);

    bd_test_certs_openssl (certs, self_signed);
    database = bd_tls_database_new (stranger, &error);
    g_assert_no_error (error);
  }

  client = new_client (child->url, database);
  g_assert_false (get_me (client, NULL, &error));
  g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNTRUSTED_CERTIFICATE);
  g_assert_finalize_object (client);

  g_assert_cmpint (child_finish (child, TRUE, &stderr_text), ==, 0);
  g_assert_null (strstr (stderr_text, "/v1/me"));
}

/* Plain http to another computer is refused before any connection; to
 * this computer it is allowed, and https is allowed anywhere.
 */
static void
test_insecure_url (void)
{
  static const char * const refused[] = {
    "http://192.0.2.1:8421", "http://example.invalid", "HTTP://billing.example.com/api",
    "http://[2001:db8::1]:8421", "http://0.0.0.0:8421", "http://localhost.example.com:1",
    "http://[::ffff:127.0.0.1]:1",
  };
  static const char * const allowed[] = {
    "http://127.0.0.1:1", "http://127.10.0.1:1", "http://localhost:1", "http://LOCALHOST:1",
    "http://[::1]:1", "https://192.0.2.1:8421", "https://example.invalid",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      BdClient *client = new_client (refused[i], NULL);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gint64 started = g_get_monotonic_time ();

      g_test_message ("refused: %s", refused[i]);
      g_assert_false (bd_client_check_base_url (client, &error));
      g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_INSECURE_URL);
      g_assert_nonnull (strstr (error->message, "https://"));
      g_clear_error (&error);

      /* A request fails with it at once: no name is looked up, no
       * connection is tried (192.0.2.1 would take the connect timeout).
       */
      g_object_set (client, "connect-timeout", 30, NULL);
      bd_client_get_me_async (client, NULL, bd_test_store_result_cb, &result);
      g_assert_true (bd_test_wait_until (bd_test_has_result, &result, WAIT_MS));
      g_assert_false (bd_client_get_me_finish (client, result, NULL, NULL, NULL, &error));
      g_assert_error (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_INSECURE_URL);
      g_assert_false (bd_client_error_is_outcome_unknown (error));
      g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
      g_clear_object (&result);
      g_assert_finalize_object (client);
    }

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      BdClient *client = new_client (allowed[i], NULL);
      g_autoptr(GError) error = NULL;

      g_test_message ("allowed: %s", allowed[i]);
      g_assert_true (bd_client_check_base_url (client, &error));
      g_assert_no_error (error);
      g_assert_finalize_object (client);
    }
}

/* 0.0.0.0 only with TLS; then it serves on every address, 127.0.0.1 too. */
static void
test_remote_address (void)
{
  g_autoptr(Child) refused = NULL;
  g_autoptr(Child) child = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stderr_text = NULL;
  g_autofree char *url = NULL;
  BdClient *client;

  refused = child_spawn ("0.0.0.0:0", NULL);
  g_assert_cmpint (child_finish (refused, FALSE, &stderr_text), ==, 2);
  g_assert_nonnull (strstr (stderr_text, "0.0.0.0:0"));
  g_assert_nonnull (strstr (stderr_text, "--tls-certificate"));
  g_assert_nonnull (strstr (stderr_text, "--tls-key"));
  g_assert_null (refused->line);
  g_clear_pointer (&stderr_text, g_free);

  child = child_spawn ("0.0.0.0:0", "--tls-certificate", certs->server_pem,
                       "--tls-key", certs->server_key, NULL);
  child_wait_listening (child, "0\\.0\\.0\\.0");

  url = g_strdup_printf ("https://127.0.0.1:%s", strrchr (child->url, ':') + 1);
  database = bd_tls_database_new (certs->ca_pem, &error);
  g_assert_no_error (error);
  client = new_client (url, database);
  g_assert_true (get_me (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (client);

  g_assert_cmpint (child_finish (child, TRUE, &stderr_text), ==, 0);
}

/* Bad files: a clear error, a non-zero exit, no "listening" line and no
 * database left behind.
 */
static void
test_bad_files (void)
{
  g_autofree char *missing = g_build_filename (certs->dir, "missing.pem", NULL);
  struct
  {
    const char *certificate;
    const char *key;
    int         status;
    const char *says;
  } cases[] = {
    { certs->server_pem, certs->other_key, 1, "does not work with the key" },
    { certs->server_pem, missing, 1, "missing.pem" },
    { missing, certs->server_key, 1, "missing.pem" },
    { certs->server_key, certs->server_key, 1, "could not be read" },
    { certs->server_pem, NULL, 2, "--tls-key" },
    { NULL, certs->server_key, 2, "--tls-certificate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Child) child = NULL;
      g_autofree char *stderr_text = NULL;

      g_test_message ("certificate %s, key %s", cases[i].certificate, cases[i].key);
      if (cases[i].certificate == NULL)
        child = child_spawn ("0.0.0.0:0", "--tls-key", cases[i].key, NULL);
      else if (cases[i].key == NULL)
        child = child_spawn ("0.0.0.0:0", "--tls-certificate", cases[i].certificate, NULL);
      else
        child = child_spawn ("0.0.0.0:0", "--tls-certificate", cases[i].certificate,
                             "--tls-key", cases[i].key, NULL);

      g_assert_cmpint (child_finish (child, FALSE, &stderr_text), ==, cases[i].status);
      g_assert_nonnull (strstr (stderr_text, cases[i].says));
      g_assert_true (child->line_done);
      g_assert_null (child->line);
      assert_no_database (child->data_dir);
    }
}

/* The same check in-process: a key of another certificate fails it. */
static void
test_check_certificate (void)
{
  g_autoptr(GTlsCertificate) good = NULL;
  g_autoptr(GTlsCertificate) mismatched = NULL;
  g_autoptr(GError) error = NULL;

  good = g_tls_certificate_new_from_files (certs->server_pem, certs->server_key, &error);
  g_assert_no_error (error);
  g_assert_true (bd_server_check_tls_certificate (good, &error));
  g_assert_no_error (error);

  /* GLib itself takes the pair without a word. */
  mismatched = g_tls_certificate_new_from_files (certs->server_pem, certs->other_key, &error);
  g_assert_no_error (error);
  g_assert_false (bd_server_check_tls_certificate (mismatched, &error));
  g_assert_nonnull (error);
}

/* --tls-ca-file must hold a certificate. */
static void
test_bad_ca_file (void)
{
  g_autofree char *missing = g_build_filename (certs->dir, "missing.pem", NULL);
  g_autofree char *junk = g_build_filename (certs->dir, "junk.pem", NULL);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  database = bd_tls_database_new (missing, &error);
  g_assert_null (database);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "missing.pem"));
  g_clear_error (&error);

  g_file_set_contents (junk, "not a certificate\n", -1, &error);
  g_assert_no_error (error);
  database = bd_tls_database_new (junk, &error);
  g_assert_null (database);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A relative path is fine (GTlsFileDatabase alone wants an absolute one). */
  {
    g_autofree char *cwd = g_get_current_dir ();

    g_assert_cmpint (g_chdir (certs->dir), ==, 0);
    database = bd_tls_database_new ("ca.pem", &error);
    g_assert_cmpint (g_chdir (cwd), ==, 0);
    g_assert_no_error (error);
    g_assert_nonnull (database);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("BD_SERVICE_PATH") == NULL)
    g_error ("BD_SERVICE_PATH is not set");

  make_certificates ();

  g_test_add_func ("/tls/service/https-with-ca", test_https_with_ca);
  g_test_add_func ("/tls/client/untrusted", test_untrusted);
  g_test_add_func ("/tls/client/other-ca", test_other_ca);
  g_test_add_func ("/tls/client/insecure-url", test_insecure_url);
  g_test_add_func ("/tls/client/bad-ca-file", test_bad_ca_file);
  g_test_add_func ("/tls/service/remote-address", test_remote_address);
  g_test_add_func ("/tls/service/bad-files", test_bad_files);
  g_test_add_func ("/tls/service/check-certificate", test_check_certificate);

  status = g_test_run ();

  g_free (tenant_path);
  bd_test_certs_free (certs);

  return status;
}
