/* test-token-store.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BdTokenStore on a private bus (tests/bd-test-keyring.c), which
 * BD_TEST_KEYRING chooses: "keyring" (a throwaway gnome-keyring, looked at
 * with secret-tool apart from the store), "none" (no Secret Service, none
 * to activate), "hanging" (a Secret Service that never answers) or
 * "locked-lookup" and "locked-store" (the throwaway keyring, its
 * collection locked, its prompts never answered).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bd-test-keyring.h"
#include "bd-test-utils.h"
#include "bd-token-store.h"

#include <libsecret/secret.h>

#define SCHEMA "io.github.billingdesk.BillingDesk.Test.Token"
#define WAIT_MS 20000
/* The store's own timeout is 5 s: a hanging Secret Service takes that
 * long, a missing one far less.
 */
#define TIMEOUT_US (5 * G_USEC_PER_SEC)

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  g_assert_true (bd_test_wait_until (bd_test_has_result, slot, WAIT_MS));

  return *slot;
}

static gboolean
check (BdTokenStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  bd_token_store_check_async (store, NULL, bd_test_store_result_cb, &result);
  ok = bd_token_store_check_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);

  return ok;
}

/* Returns: whether the token was kept for this session only */
static gboolean
store_token (BdTokenStore *store,
             const char   *url,
             const char   *user_id,
             const char   *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strdup_printf ("Billing Desk: %s – %s", url, user_id);
  gboolean session_only = -1;

  bd_token_store_store_async (store, url, user_id, label, token, NULL, bd_test_store_result_cb,
                              &result);
  g_assert_true (bd_token_store_store_finish (store, wait_result (&result), &session_only,
                                              &error));
  g_assert_no_error (error);
  g_assert_true (session_only == TRUE || session_only == FALSE);

  return session_only;
}

static char *
lookup_token (BdTokenStore *store,
              const char   *url,
              const char   *user_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  bd_token_store_lookup_async (store, url, user_id, NULL, bd_test_store_result_cb, &result);
  token = bd_token_store_lookup_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);

  return token;
}

static void
clear_token (BdTokenStore *store,
             const char   *url,
             const char   *user_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bd_token_store_clear_async (store, url, user_id, NULL, bd_test_store_result_cb, &result);
  g_assert_true (bd_token_store_clear_finish (store, wait_result (&result), &error));
  g_assert_no_error (error);
}

static void
assert_lookup (BdTokenStore *store,
               const char   *url,
               const char   *user_id,
               const char   *expected)
{
  g_autofree char *token = lookup_token (store, url, user_id);

  g_assert_cmpstr (token, ==, expected);
}

static void
assert_in_no_file (const char *token)
{
  g_autofree char *path = bd_test_keyring_find_in_files (token);

  g_assert_cmpstr (path, ==, NULL);
}

/* The scan finds what a file holds, deep under HOME. */
static void
test_scan_finds (void)
{
  g_autofree char *dir = g_build_filename (bd_test_keyring_get_dir (), "home", ".config",
                                           "a", "b", NULL);
  g_autofree char *path = g_build_filename (dir, "c.json", NULL);
  g_autofree char *found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "{\"x\": \"before tok-scan-7e31 after\"}", -1, &error);
  g_assert_no_error (error);
  found = bd_test_keyring_find_in_files ("tok-scan-7e31");
  g_assert_cmpstr (found, ==, path);
  g_assert_cmpint (g_unlink (path), ==, 0);
  assert_in_no_file ("tok-scan-7e31");
}

static void
assert_keyring_holds (const char *url,
                      const char *user_id,
                      const char *expected)
{
  g_autofree char *secret = bd_test_keyring_lookup (SCHEMA, url, user_id);

  g_assert_cmpstr (secret, ==, expected);
}

static guint
count_items (const char *search)
{
  guint n = 0;

  for (const char *p = strstr (search, "\nlabel = "); p != NULL; p = strstr (p + 1, "\nlabel = "))
    n++;

  return n;
}

/*
 * With a keyring
 */

static void
test_keyring_check (void)
{
  g_autoptr(BdTokenStore) store = bd_token_store_new (SCHEMA);

  g_assert_false (bd_token_store_is_session_only (store));
  g_assert_true (check (store));
  g_assert_false (bd_token_store_is_session_only (store));
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_keyring_store_lookup (void)
{
  g_autoptr(BdTokenStore) store = bd_token_store_new (SCHEMA);
  const char *url = "https://billing.example.com";
  g_autofree char *search = NULL;
  g_autofree char *label_line = NULL;

  g_assert_false (store_token (store, url, "u-anne", "tok-anne-5c1f9e"));
  assert_lookup (store, url, "u-anne", "tok-anne-5c1f9e");
  g_assert_false (bd_token_store_is_session_only (store));

  /* secret-tool sees it, with the schema, both attributes and the label. */
  assert_keyring_holds (url, "u-anne", "tok-anne-5c1f9e");
  search = bd_test_keyring_search (SCHEMA);
  g_test_message ("%s", search);
  g_assert_cmpuint (count_items (search), ==, 1);
  g_assert_nonnull (strstr (search, "\nschema = " SCHEMA "\n"));
  g_assert_nonnull (strstr (search, "attribute.service-url = https://billing.example.com\n"));
  g_assert_nonnull (strstr (search, "attribute.user-id = u-anne\n"));
  label_line = g_strdup_printf ("\nlabel = Billing Desk: %s – u-anne\n", url);
  g_assert_nonnull (strstr (search, label_line));

  /* Another user of the same service is another item. */
  g_assert_false (store_token (store, url, "u-bo", "tok-bo-77aa01"));
  assert_lookup (store, url, "u-anne", "tok-anne-5c1f9e");
  assert_lookup (store, url, "u-bo", "tok-bo-77aa01");
  assert_keyring_holds (url, "u-bo", "tok-bo-77aa01");
  assert_lookup (store, "https://other.example.com", "u-anne", NULL);

  /* A second store replaces the first: one item, the new token. */
  g_assert_false (store_token (store, url, "u-anne", "tok-anne-second-93b2"));
  assert_lookup (store, url, "u-anne", "tok-anne-second-93b2");
  assert_keyring_holds (url, "u-anne", "tok-anne-second-93b2");
  g_clear_pointer (&search, g_free);
  search = bd_test_keyring_search (SCHEMA);
  g_assert_cmpuint (count_items (search), ==, 2);
  g_assert_null (strstr (search, "tok-anne-5c1f9e"));

  /* Clear: gone from the store and from the keyring; the other stays. */
  clear_token (store, url, "u-anne");
  assert_lookup (store, url, "u-anne", NULL);
  assert_keyring_holds (url, "u-anne", NULL);
  assert_keyring_holds (url, "u-bo", "tok-bo-77aa01");
  clear_token (store, url, "u-anne");
  clear_token (store, url, "u-bo");
  assert_keyring_holds (url, "u-bo", NULL);
  g_clear_pointer (&search, g_free);
  search = bd_test_keyring_search (SCHEMA);
  g_assert_cmpuint (count_items (search), ==, 0);

  assert_in_no_file ("tok-anne-5c1f9e");
  assert_in_no_file ("tok-anne-second-93b2");
  assert_in_no_file ("tok-bo-77aa01");
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* A second store (another process of the app) finds what the first kept. */
static void
test_keyring_other_store (void)
{
  g_autoptr(BdTokenStore) first = bd_token_store_new (SCHEMA);
  g_autoptr(BdTokenStore) second = bd_token_store_new (SCHEMA);
  g_autoptr(BdTokenStore) other_schema = bd_token_store_new (SCHEMA ".Other");
  const char *url = "https://restart.example.com";

  g_assert_false (store_token (first, url, "u-1", "tok-restart-41d0"));
  g_assert_finalize_object (g_steal_pointer (&first));
  assert_lookup (second, url, "u-1", "tok-restart-41d0");
  assert_lookup (other_schema, url, "u-1", NULL);
  clear_token (second, url, "u-1");
  g_assert_finalize_object (g_steal_pointer (&second));
  g_assert_finalize_object (g_steal_pointer (&other_schema));
}

static gboolean
cancel_cb (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);

  return G_SOURCE_REMOVE;
}

/* Starts a store (or a clear, @token NULL) and cancels it after @delay_ms.
 * Returns: whether the call says it was done; else it was cancelled.
 */
static gboolean
store_or_clear_cancelled_after (BdTokenStore *store,
                                const char   *url,
                                const char   *token,
                                guint         delay_ms)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done;

  g_timeout_add (delay_ms, cancel_cb, cancellable);
  if (token != NULL)
    bd_token_store_store_async (store, url, "u-c", "Billing Desk: cancelled", token, cancellable,
                                bd_test_store_result_cb, &result);
  else
    bd_token_store_clear_async (store, url, "u-c", cancellable, bd_test_store_result_cb,
                                &result);
  wait_result (&result);
  if (token != NULL)
    done = bd_token_store_store_finish (store, result, NULL, &error);
  else
    done = bd_token_store_clear_finish (store, result, &error);
  if (!done)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The timeout has fired or comes now: the cancellable is freed after it. */
  g_assert_true (bd_test_wait_until ((gboolean (*) (gpointer)) g_cancellable_is_cancelled,
                                     cancellable, WAIT_MS));

  return done;
}

/* Cancelled at points ever later in the call: whatever it says, the
 * keyring holds what it says (the old token when cancelled).
 */
static void
test_keyring_cancel (void)
{
  g_autoptr(BdTokenStore) store = bd_token_store_new (SCHEMA);
  const guint delays_ms[] = { 0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144 };
  const char *url = "https://cancel.example.com";
  guint cancelled = 0;
  guint done = 0;

  g_assert_true (check (store));
  for (guint i = 0; i < G_N_ELEMENTS (delays_ms); i++)
    {
      g_autofree char *old = g_strdup_printf ("tok-old-%u", i);
      g_autofree char *new = g_strdup_printf ("tok-new-%u", i);
      gboolean stored;
      gboolean cleared;

      store_token (store, url, "u-c", old);
      stored = store_or_clear_cancelled_after (store, url, new, delays_ms[i]);
      g_test_message ("store cancelled after %u ms: %s", delays_ms[i],
                      stored ? "done" : "cancelled");
      assert_keyring_holds (url, "u-c", stored ? new : old);
      assert_lookup (store, url, "u-c", stored ? new : old);

      cleared = store_or_clear_cancelled_after (store, url, NULL, delays_ms[i]);
      g_test_message ("clear cancelled after %u ms: %s", delays_ms[i],
                      cleared ? "done" : "cancelled");
      assert_keyring_holds (url, "u-c", cleared ? NULL : (stored ? new : old));
      cancelled += !stored + !cleared;
      done += stored + cleared;
    }
  g_test_message ("%u cancelled, %u done", cancelled, done);
  /* Cancelled at once, a call is cancelled. */
  g_assert_cmpuint (cancelled, >, 0);

  clear_token (store, url, "u-c");
  assert_keyring_holds (url, "u-c", NULL);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* The keyring goes away while the store uses it: the next call keeps its
 * token for this session only, and a clear is an error (the keyring may
 * still hold the token: nothing says it is gone). Run last: the keyring
 * does not come back.
 */
static void
test_keyring_gone (void)
{
  g_autoptr(BdTokenStore) store = bd_token_store_new (SCHEMA);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = "https://gone.example.com";

  g_assert_false (store_token (store, url, "u-g", "tok-gone-before"));
  g_assert_false (bd_token_store_is_session_only (store));

  bd_test_keyring_stop ();
  g_assert_true (store_token (store, url, "u-g", "tok-gone-after"));
  g_assert_true (bd_token_store_is_session_only (store));
  assert_lookup (store, url, "u-g", "tok-gone-after");
  bd_token_store_clear_async (store, url, "u-g", NULL, bd_test_store_result_cb, &result);
  g_assert_false (bd_token_store_clear_finish (store, wait_result (&result), &error));
  g_assert_error (error, BD_TOKEN_STORE_ERROR, BD_TOKEN_STORE_ERROR_KEYRING);
  g_test_message ("clear: %s", error->message);
  /* Not removed: the account keeps its token for this session. */
  assert_lookup (store, url, "u-g", "tok-gone-after");
  assert_in_no_file ("tok-gone-after");
  /* The result holds the store. */
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* The keyring's collection locked (as after a screen lock): the store asks
 * the Secret Service to unlock it and waits for the user, not for its
 * 5 s timeout. No real prompt can be shown and answered here: the test's
 * prompter takes the prompt and never answers (bd_test_keyring_hang_prompter ()),
 * as a user who takes their time. The call is still waiting well after the
 * timeout, and the store has not fallen back to session-only. Then the
 * prompter goes, as when the user presses Cancel. (Not tested: the
 * caller's GCancellable during the prompt. libsecret then dismisses the
 * prompt, and gnome-keyring 42 aborts on it under this test's prompter.)
 */
static void
lock_default_collection (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList collections = { NULL, NULL, NULL };

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  collections.data = collection;
  secret_service_lock_sync (service, &collections, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));
}

/* An item of the store's, then the collection locked. */
static void
test_locked_store_first (void)
{
  g_autoptr(BdTokenStore) store = bd_token_store_new (SCHEMA);

  g_assert_false (store_token (store, "https://locked.example.com", "u-l", "tok-locked-old"));
  g_assert_finalize_object (g_steal_pointer (&store));
  lock_default_collection ();
  bd_test_keyring_hang_prompter ();
}

static void
test_keyring_locked (gconstpointer data)
{
  gboolean lookup = GPOINTER_TO_INT (data);
  g_autoptr(BdTokenStore) store = bd_token_store_new (SCHEMA);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = "https://locked.example.com";

  g_assert_true (check (store));
  if (lookup)
    bd_token_store_lookup_async (store, url, "u-l", NULL, bd_test_store_result_cb, &result);
  else
    bd_token_store_store_async (store, url, "u-l", "Billing Desk", "tok-locked", NULL,
                                bd_test_store_result_cb, &result);
  /* Twice the store's timeout: still waiting for the user. */
  g_assert_false (bd_test_wait_until (bd_test_has_result, &result, 2 * TIMEOUT_US / 1000));
  g_assert_false (bd_token_store_is_session_only (store));

  /* Dismissed: a lookup finds no token it can read, the keyring still
   * used; a store's own prompt fails too, and the token is kept for this
   * session only, which it says. */
  bd_test_keyring_dismiss_prompts ();
  wait_result (&result);
  if (lookup)
    {
      g_autofree char *token = bd_token_store_lookup_finish (store, result, &error);

      g_assert_no_error (error);
      g_assert_null (token);
      g_assert_false (bd_token_store_is_session_only (store));
    }
  else
    {
      gboolean session_only = FALSE;

      g_assert_true (bd_token_store_store_finish (store, result, &session_only, &error));
      g_assert_no_error (error);
      g_assert_true (session_only);
    }
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Cancelled before it began: nothing is asked or changed. */
static void
test_cancel_before (void)
{
  g_autoptr(BdTokenStore) store = bd_token_store_new (SCHEMA);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = "https://before.example.com";

  store_token (store, url, "u-b", "tok-before-old");
  g_cancellable_cancel (cancellable);
  bd_token_store_store_async (store, url, "u-b", "Billing Desk", "tok-before-new", cancellable,
                              bd_test_store_result_cb, &result);
  g_assert_false (bd_token_store_store_finish (store, wait_result (&result), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  bd_token_store_lookup_async (store, url, "u-b", cancellable, bd_test_store_result_cb, &result);
  g_assert_null (bd_token_store_lookup_finish (store, wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  bd_token_store_check_async (store, cancellable, bd_test_store_result_cb, &result);
  g_assert_false (bd_token_store_check_finish (store, wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  bd_token_store_clear_async (store, url, "u-b", cancellable, bd_test_store_result_cb, &result);
  g_assert_false (bd_token_store_clear_finish (store, wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Each result holds the store. */
  g_clear_object (&result);

  assert_lookup (store, url, "u-b", "tok-before-old");
  clear_token (store, url, "u-b");
  assert_lookup (store, url, "u-b", NULL);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Calls made at once run one after the other, in order. */
static void
test_in_order (void)
{
  g_autoptr(BdTokenStore) store = bd_token_store_new (SCHEMA);
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GAsyncResult) looked_up = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  const char *url = "https://order.example.com";

  bd_token_store_store_async (store, url, "u-o", "Billing Desk", "tok-order-1", NULL,
                              bd_test_store_result_cb, &stored);
  bd_token_store_clear_async (store, url, "u-o", NULL, bd_test_store_result_cb, &cleared);
  bd_token_store_lookup_async (store, url, "u-o", NULL, bd_test_store_result_cb, &looked_up);
  token = bd_token_store_lookup_finish (store, wait_result (&looked_up), &error);
  g_assert_no_error (error);
  g_assert_null (token);
  g_assert_nonnull (stored);
  g_assert_nonnull (cleared);
  g_assert_true (bd_token_store_store_finish (store, stored, NULL, &error));
  g_assert_true (bd_token_store_clear_finish (store, cleared, &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  g_clear_object (&cleared);
  g_clear_object (&looked_up);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/*
 * Without a keyring, and with one that never answers
 */

static void
test_session_only (void)
{
  g_autoptr(BdTokenStore) store = bd_token_store_new (SCHEMA);
  const char *url = "https://session.example.com";
  gint64 start = g_get_monotonic_time ();

  g_assert_false (check (store));
  g_test_message ("check: %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  g_assert_true (bd_token_store_is_session_only (store));
  if (g_strcmp0 (g_getenv ("BD_TEST_KEYRING"), "none") == 0)
    g_assert_cmpint (g_get_monotonic_time () - start, <, TIMEOUT_US);

  g_assert_true (store_token (store, url, "u-s", "tok-session-a1"));
  g_assert_true (store_token (store, url, "u-t", "tok-session-b2"));
  assert_lookup (store, url, "u-s", "tok-session-a1");
  assert_lookup (store, url, "u-t", "tok-session-b2");
  g_assert_true (store_token (store, url, "u-s", "tok-session-a3"));
  assert_lookup (store, url, "u-s", "tok-session-a3");
  clear_token (store, url, "u-s");
  assert_lookup (store, url, "u-s", NULL);
  assert_lookup (store, url, "u-t", "tok-session-b2");

  /* Kept in this store only: another one (the next session) has none. */
  {
    g_autoptr(BdTokenStore) next = bd_token_store_new (SCHEMA);

    assert_lookup (next, url, "u-t", NULL);
    g_assert_true (bd_token_store_is_session_only (next));
    g_assert_finalize_object (g_steal_pointer (&next));
  }

  assert_in_no_file ("tok-session-");
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* The first call of all is a store: it waits for the timeout, then keeps
 * the token in memory; the calls after it do not wait again.
 */
static void
test_hanging_store_first (void)
{
  g_autoptr(BdTokenStore) store = bd_token_store_new (SCHEMA);
  const char *url = "https://hanging.example.com";
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  g_assert_true (store_token (store, url, "u-h", "tok-hanging-c3"));
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("store: %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpint (elapsed, >=, TIMEOUT_US - G_USEC_PER_SEC / 10);
  g_assert_cmpint (elapsed, <, TIMEOUT_US + 10 * G_USEC_PER_SEC);
  g_assert_true (bd_token_store_is_session_only (store));

  start = g_get_monotonic_time ();
  g_assert_false (check (store));
  assert_lookup (store, url, "u-h", "tok-hanging-c3");
  g_assert_cmpint (g_get_monotonic_time () - start, <, TIMEOUT_US / 2);
  assert_in_no_file ("tok-hanging-c3");
  g_assert_finalize_object (g_steal_pointer (&store));
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = g_getenv ("BD_TEST_KEYRING");

  if (g_strcmp0 (mode, "keyring") == 0 || g_str_has_prefix (mode, "locked-"))
    bd_test_keyring_setup ();
  else
    bd_test_keyring_setup_without_keyring ();
  if (g_strcmp0 (mode, "hanging") == 0)
    bd_test_keyring_hang_secret_service ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/token-store/scan-finds", test_scan_finds);
  if (g_strcmp0 (mode, "keyring") == 0)
    {
      g_test_add_func ("/token-store/keyring/check", test_keyring_check);
      g_test_add_func ("/token-store/keyring/store-lookup-clear", test_keyring_store_lookup);
      g_test_add_func ("/token-store/keyring/other-store", test_keyring_other_store);
      g_test_add_func ("/token-store/keyring/cancel", test_keyring_cancel);
      g_test_add_func ("/token-store/keyring/cancel-before", test_cancel_before);
      g_test_add_func ("/token-store/keyring/in-order", test_in_order);
      g_test_add_func ("/token-store/keyring/gone", test_keyring_gone);
    }
  else if (g_str_has_prefix (mode, "locked-"))
    {
      /* One case a process: the keyring stays locked after it. */
      gboolean lookup = g_strcmp0 (mode, "locked-lookup") == 0;

      g_test_add_func ("/token-store/locked/store-first", test_locked_store_first);
      g_test_add_data_func (lookup ? "/token-store/locked/lookup" : "/token-store/locked/store",
                            GINT_TO_POINTER (lookup), test_keyring_locked);
    }
  else if (g_strcmp0 (mode, "hanging") == 0)
    {
      g_test_add_func ("/token-store/hanging/store-first", test_hanging_store_first);
      g_test_add_func ("/token-store/hanging/session-only", test_session_only);
    }
  else
    {
      g_assert_cmpstr (mode, ==, "none");
      g_test_add_func ("/token-store/none/session-only", test_session_only);
      g_test_add_func ("/token-store/none/cancel-before", test_cancel_before);
      g_test_add_func ("/token-store/none/in-order", test_in_order);
    }

  return g_test_run ();
}
