/* test-secrets.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No token reaches a log or the database in clear. The real service runs
 * as the app runs it (BdLocalService, which relays the service's stderr to
 * the app's debug log), everything at debug level; the app's client goes
 * through every endpoint, with good, bad and unprivileged tokens. Then the
 * log — the app's and the service's — and every file of the data
 * directory are searched for the tokens and for the Authorization header.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "bd-client.h"
#include "bd-local-service.h"
#include "bd-test-service.h"
#include "service-tenant.h"

#define WAIT_MS 20000
#define WRONG "token-wrong-secret-5555"

static GString *captured;

/* Keeps every message, debug ones too; shows warnings and worse as usual. */
static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        {
          if (fields[i].length < 0)
            g_string_append (captured, fields[i].value);
          else
            g_string_append_len (captured, fields[i].value, fields[i].length);
          g_string_append_c (captured, ' ');
        }
    }
  g_string_append_c (captured, '\n');

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

typedef struct
{
  GAsyncResult *result;
} Result;

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  ((Result *) user_data)->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Result *) data)->result != NULL;
}

/* Waits for the call just started with &result, and hands its result over. */
static GAsyncResult *
wait_result (Result *result)
{
  g_assert_true (bd_test_wait_until (has_result, result, WAIT_MS));
  return g_steal_pointer (&result->result);
}

static BdSubscription *
get_subscription (BdClient   *client,
                  const char *id)
{
  Result r = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BdSubscription *subscription;

  bd_client_get_subscription_async (client, id, NULL, store_cb, &r);
  result = wait_result (&r);
  subscription = bd_client_get_subscription_finish (client, result, &error);
  g_assert_no_error (error);
  return subscription;
}

static const char *
etag_of (BdSubscription *subscription)
{
  return bd_subscription_get_data (subscription)->etag;
}

/* Every call the app makes, as an admin, then with a wrong token and as a
 * reader, who is refused.
 */
static void
run_every_endpoint (const char *url)
{
  g_autoptr(BdClient) admin = bd_client_new (url, ADMIN);
  g_autoptr(BdClient) wrong = bd_client_new (url, WRONG);
  g_autoptr(BdClient) reader = bd_client_new (url, READER);
  g_autoptr(BdSubscription) s1 = NULL;
  g_autoptr(BdSubscription) s2 = NULL;
  g_autoptr(BdSubscription) s9 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = bd_client_new_idempotency_key ();
  Result r = { NULL };

  {
    g_autoptr(GAsyncResult) result = NULL;

    bd_client_get_me_async (admin, NULL, store_cb, &r);
    result = wait_result (&r);
    g_assert_true (bd_client_get_me_finish (admin, result, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) page = NULL;

    bd_client_list_subscriptions_async (admin, NULL, 100, NULL, store_cb, &r);
    result = wait_result (&r);
    page = bd_client_list_subscriptions_finish (admin, result, NULL, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) profiles = NULL;

    bd_client_list_billing_profiles_async (admin, NULL, store_cb, &r);
    result = wait_result (&r);
    profiles = bd_client_list_billing_profiles_finish (admin, result, &error);
    g_assert_no_error (error);
  }

  s1 = get_subscription (admin, "s1");
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(BdCancellation) cancellation = NULL;

    bd_client_get_cancellation_async (admin, "s1", NULL, store_cb, &r);
    result = wait_result (&r);
    cancellation = bd_client_get_cancellation_finish (admin, result, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(BdCancelAnswer) cancelled = NULL;

    bd_client_cancel_async (admin, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE, NULL, key, NULL,
                            store_cb, &r);
    result = wait_result (&r);
    cancelled = bd_client_cancel_finish (admin, result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cancelled->subscription->status, ==, BD_STATUS_DISABLED);
  }

  s2 = get_subscription (admin, "s2");
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(BdSubscription) updated = NULL;

    bd_client_update_async (admin, "s2", etag_of (s2), TRUE, BD_RECURRING_BILLING_OFF, -1, NULL,
                            store_cb, &r);
    result = wait_result (&r);
    updated = bd_client_update_finish (admin, result, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(BdSubscription) reactivated = NULL;
    g_autofree char *reactivate_key = bd_client_new_idempotency_key ();

    bd_client_reactivate_async (admin, "s10", reactivate_key, NULL, store_cb, &r);
    result = wait_result (&r);
    reactivated = bd_client_reactivate_finish (admin, result, &error);
    g_assert_no_error (error);
  }

  s9 = get_subscription (admin, "s9");
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(BdSubscription) deleted = NULL;
    g_autofree char *delete_key = bd_client_new_idempotency_key ();

    bd_client_delete_async (admin, "s9", etag_of (s9), "Project Plan 3", delete_key, NULL,
                            store_cb, &r);
    result = wait_result (&r);
    deleted = bd_client_delete_finish (admin, result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (bd_subscription_get_status (deleted), ==, BD_STATUS_DELETED);
  }

  /* A wrong token: 401. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    bd_client_get_me_async (wrong, NULL, store_cb, &r);
    result = wait_result (&r);
    g_assert_false (bd_client_get_me_finish (wrong, result, NULL, NULL, NULL, &error));
    g_assert_cmpint (bd_client_error_get_http_status (error), ==, 401);
    g_clear_error (&error);
  }

  /* A reader's cancel: 403. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(BdCancelAnswer) refused = NULL;
    g_autofree char *reader_key = bd_client_new_idempotency_key ();

    bd_client_cancel_async (reader, "s3", BD_CANCEL_REASON_TOO_EXPENSIVE, NULL, reader_key, NULL,
                            store_cb, &r);
    result = wait_result (&r);
    refused = bd_client_cancel_finish (reader, result, &error);
    g_assert_null (refused);
    g_assert_cmpint (bd_client_error_get_http_status (error), ==, 403);
    g_clear_error (&error);
  }
}

/* Every file under @dir: none holds a token. Returns how many were read. */
static guint
assert_no_token_in_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize size = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n += assert_no_token_in_files (path);
          continue;
        }

      g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
      n++;
      for (const char * const *token = (const char * const[]) { ADMIN, BILLING, READER, USER,
                                                               WRONG, NULL };
           *token != NULL; token++)
        if (bd_test_bytes_contain (contents, size, *token))
          g_error ("%s holds the token %s", path, *token);
    }

  return n;
}

static gboolean
log_has (gpointer data)
{
  return strstr (captured->str, data) != NULL;
}

static void
test_no_token_in_logs_or_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bd-secrets-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *tenant_file = g_build_filename (dir, "tenant.json", NULL);
  g_autofree char *lowered = NULL;
  g_autoptr(BdLocalService) service = NULL;
  g_autoptr(GError) error = NULL;
  const char *program = g_getenv ("BD_SERVICE_PATH");
  Result r = { NULL };

  g_assert_nonnull (program);
  g_assert_true (g_file_set_contents (tenant_file, TENANT, -1, NULL));

  service = bd_local_service_new (program, data_dir, tenant_file);
  {
    g_autoptr(GAsyncResult) result = NULL;

    bd_local_service_start_async (service, NULL, store_cb, &r);
    result = wait_result (&r);
    bd_local_service_start_finish (service, result, &error);
    g_assert_no_error (error);
  }

  run_every_endpoint (bd_local_service_get_url (service));

  bd_local_service_stop (service);
  g_assert_true (bd_test_wait_until (log_has, (gpointer) "exited with status 0", WAIT_MS));

  /* The search means something: the log holds both sides' lines. */
  g_assert_nonnull (strstr (captured->str, "POST /v1/subscriptions/s1/cancel 200"));
  g_assert_nonnull (strstr (captured->str, "GET /v1/me 401"));
  g_assert_nonnull (strstr (captured->str, "POST /v1/subscriptions/s3/cancel 403"));
  g_assert_nonnull (strstr (captured->str, "bd-client"));

  for (const char * const *token = (const char * const[]) { ADMIN, READER, WRONG, NULL };
       *token != NULL; token++)
    if (strstr (captured->str, *token) != NULL)
      g_error ("The log holds the token %s:\n%s", *token, captured->str);

  /* Nor the header, in any spelling ("A valid bearer token is required."
   * from a 401 is fine).
   */
  lowered = g_ascii_strdown (captured->str, -1);
  g_assert_null (strstr (lowered, "authorization"));
  g_assert_null (strstr (lowered, "bearer token-"));

  g_assert_cmpuint (assert_no_token_in_files (data_dir), >=, 1);
  g_test_message ("searched %" G_GSIZE_FORMAT " bytes of log", captured->len);

  bd_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* Everything at debug level, here and in the service, which inherits it;
   * the service's clock is the test tenant's.
   */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_setenv ("BILLING_DESK_NOW", NOW, TRUE);
  captured = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secrets/no-token-in-logs-or-files", test_no_token_in_logs_or_files);

  return g_test_run ();
}
