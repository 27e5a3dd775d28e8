/* test-list-cache.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline list of each account: where it is, what it keeps (the demo
 * tenant's subscriptions as a real service lists them), its mode, and what
 * becomes of a file that is not what the app wrote.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/stat.h>

#include "bd-client.h"
#include "bd-list-cache.h"
#include "bd-test-service.h"
#include "service-tenant.h"

#define URL "https://billing.example.dk"
#define USER_ID "u1"

static char *
expected_path (const char *normalized_url,
               const char *user_id)
{
  g_autofree char *key = g_strconcat (normalized_url, "\n", user_id, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *name = g_strconcat (hash, ".json", NULL);

  return g_build_filename (g_get_user_cache_dir (), APPLICATION_ID, "lists", name, NULL);
}

static void
test_path (void)
{
  const char *same[] = {
    "https://billing.example.dk", "https://billing.example.dk/", "HTTPS://Billing.Example.DK",
    "Https://BILLING.example.dk/", "https://billing.example.dk:443",
  };
  g_autofree char *expected = expected_path (URL, USER_ID);
  g_autofree char *other_user = bd_list_cache_get_path (URL, "u2");
  g_autofree char *other_port = bd_list_cache_get_path ("https://billing.example.dk:8443",
                                                        USER_ID);

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *path = bd_list_cache_get_path (same[i], USER_ID);

      g_assert_cmpstr (path, ==, expected);
    }
  g_assert_cmpstr (other_user, !=, expected);
  g_assert_cmpstr (other_port, !=, expected);
}

/*
 * A real list: the demo tenant through a real service
 */

typedef struct
{
  BdTestService *service;
  char          *token;
  GListStore    *subscriptions;
  GPtrArray     *billing_profiles;
} Fixture;

static void
load_list (Fixture *f)
{
  g_autoptr(BdClient) client = bd_client_new (f->service->url, f->token);
  g_autoptr(GAsyncResult) profiles_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_link = NULL;

  f->subscriptions = g_list_store_new (BD_TYPE_SUBSCRIPTION);
  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autofree char *link = g_steal_pointer (&next_link);

      /* Small pages, so that the list is followed over several. */
      bd_client_list_subscriptions_async (client, link, 5, NULL, bd_test_store_result_cb,
                                          &result);
      g_assert_true (bd_test_wait_until (bd_test_has_result, &result, 10000));
      page = bd_client_list_subscriptions_finish (client, result, &next_link, &error);
      g_assert_no_error (error);
      g_list_store_splice (f->subscriptions,
                           g_list_model_get_n_items (G_LIST_MODEL (f->subscriptions)), 0,
                           page->pdata, page->len);
    }
  while (next_link != NULL);

  bd_client_list_billing_profiles_async (client, NULL, bd_test_store_result_cb,
                                         &profiles_result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &profiles_result, 10000));
  f->billing_profiles = bd_client_list_billing_profiles_finish (client, profiles_result, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-tenant.json",
                                                 NULL);
  g_autofree char *text = NULL;
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  file = bd_tenant_file_read (text, -1, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  f->token = g_strdup (g_ptr_array_index (file->tokens, 0));
  f->service = bd_test_service_new (text, NOW);
  load_list (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->subscriptions)), >=, 10);
  g_assert_cmpuint (f->billing_profiles->len, >=, 1);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *lists = g_build_filename (g_get_user_cache_dir (), APPLICATION_ID, NULL);

  bd_test_remove_tree (lists);
  g_clear_object (&f->subscriptions);
  g_clear_pointer (&f->billing_profiles, g_ptr_array_unref);
  g_clear_pointer (&f->service, bd_test_service_free);
  g_clear_pointer (&f->token, g_free);
}

static void
save (Fixture    *f,
      const char *url,
      const char *user_id,
      gint64      saved_at)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bd_list_cache_save_async (url, user_id, G_LIST_MODEL (f->subscriptions), f->billing_profiles,
                            saved_at, NULL, bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, 10000));
  g_assert_true (bd_list_cache_save_finish (result, &error));
  g_assert_no_error (error);
}

static BdListCacheEntry *
load (const char    *url,
      const char    *user_id,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_list_cache_load_async (url, user_id, cancellable, bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, 10000));
  return bd_list_cache_load_finish (result, error);
}

static void
assert_only_file (const char *path)
{
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_cmpstr (name, ==, base);
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
}

static void
assert_mode_0600 (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  gint64 saved_at = bd_test_time ("2026-12-03T10:42:00Z");
  g_autofree char *path = bd_list_cache_get_path (URL, USER_ID);
  g_autoptr(BdListCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->subscriptions));

  save (f, URL "/", USER_ID, saved_at);
  assert_only_file (path);
  assert_mode_0600 (path);

  /* Nothing that signs in is kept. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_null (strstr (text, f->token));

  entry = load ("HTTPS://BILLING.example.dk", USER_ID, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->saved_at, ==, saved_at);
  g_assert_cmpuint (entry->subscriptions->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BdSubscription) listed = g_list_model_get_item (G_LIST_MODEL (f->subscriptions), i);
      BdSubscription *cached = g_ptr_array_index (entry->subscriptions, i);

      g_assert_true (bd_subscription_data_equal (bd_subscription_get_data (listed),
                                                 bd_subscription_get_data (cached)));
    }
  g_assert_cmpuint (entry->billing_profiles->len, ==, f->billing_profiles->len);
  for (guint i = 0; i < f->billing_profiles->len; i++)
    {
      BdBillingProfile *listed = g_ptr_array_index (f->billing_profiles, i);
      BdBillingProfile *cached = g_ptr_array_index (entry->billing_profiles, i);

      g_assert_cmpstr (bd_billing_profile_get_id (cached), ==, bd_billing_profile_get_id (listed));
      g_assert_cmpstr (bd_billing_profile_get_display_name (cached), ==,
                       bd_billing_profile_get_display_name (listed));
      g_assert_cmpint (bd_billing_profile_get_payment_method (cached), ==,
                       bd_billing_profile_get_payment_method (listed));
    }
}

/* A second save replaces the first, through a new file: 0600 from its
 * first byte whatever the umask, and an old file of another mode is not
 * kept.
 */
static void
test_replace (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = bd_list_cache_get_path (URL, USER_ID);
  g_autoptr(BdListCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  mode_t old_umask;

  save (f, URL, USER_ID, bd_test_time ("2026-12-01T08:00:00Z"));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  g_list_store_remove (f->subscriptions, 0);
  old_umask = umask (0);
  save (f, URL, USER_ID, bd_test_time ("2026-12-03T10:42:00Z"));
  umask (old_umask);

  assert_only_file (path);
  assert_mode_0600 (path);
  entry = load (URL, USER_ID, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entry->subscriptions->len, ==,
                    g_list_model_get_n_items (G_LIST_MODEL (f->subscriptions)));
  bd_assert_time_eq (entry->saved_at, "2026-12-03T10:42:00Z");
}

static void
test_none (void)
{
  g_autoptr(BdListCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  entry = load (URL, USER_ID, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (entry);
}

typedef struct
{
  const char *name;
  const char *from;     /* replaced in the file as written ... */
  const char *to;       /* ... by this; NULL: the whole file is `from` */
} Corruption;

static const Corruption corruptions[] = {
  { "empty", "", NULL },
  { "garbage", "\x7f" "ELF\x02\x01\x01", NULL },
  { "not-an-object", "[1, 2, 3]", NULL },
  { "no-version", "{\"subscriptions\": [], \"billingProfiles\": []}", NULL },
  { "version-2", "\"version\":1", "\"version\":2" },
  { "version-string", "\"version\":1", "\"version\":\"1\"" },
  { "unknown-key", "\"version\":1", "\"version\":1,\"token\":\"x\"" },
  { "another-account", "\"userId\":\"u1\"", "\"userId\":\"u2\"" },
  { "bad-saved-at", "\"savedAt\":\"", "\"savedAt\":\"yesterday" },
  { "bad-status", "\"status\":\"active\"", "\"status\":\"asleep\"" },
  { "subscriptions-object",
    "{\"version\":1,\"serviceUrl\":\"" URL "\",\"userId\":\"" USER_ID "\","
    "\"savedAt\":\"2026-12-03T10:42:00Z\",\"subscriptions\":{},\"billingProfiles\":[]}", NULL },
  { "profile-unknown-key", "\"displayName\":\"", "\"displayName\":0,\"x\":\"" },
  { "duplicate-key", "\"version\":1", "\"version\":1,\"version\":1" },
};

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = bd_list_cache_get_path (URL, USER_ID);
  g_autofree char *written = NULL;
  gsize length;

  save (f, URL, USER_ID, bd_test_time ("2026-12-03T10:42:00Z"));
  g_assert_true (g_file_get_contents (path, &written, &length, NULL));

  for (guint i = 0; i <= G_N_ELEMENTS (corruptions); i++)
    {
      g_autoptr(BdListCacheEntry) entry = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      if (i == G_N_ELEMENTS (corruptions))
        {
          /* Truncated: half of what was written. */
          text = g_strndup (written, length / 2);
          g_test_message ("truncated");
        }
      else if (corruptions[i].to == NULL)
        {
          text = g_strdup (corruptions[i].from);
          g_test_message ("%s", corruptions[i].name);
        }
      else
        {
          g_autoptr(GString) s = g_string_new (written);

          g_test_message ("%s", corruptions[i].name);
          g_assert_cmpuint (g_string_replace (s, corruptions[i].from, corruptions[i].to, 1),
                            ==, 1);
          text = g_string_free (g_steal_pointer (&s), FALSE);
        }
      g_assert_true (g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                               NULL));

      entry = load (URL, USER_ID, NULL, &error);
      g_assert_null (entry);
      g_assert_error (error, BD_CORE_ERROR, BD_CORE_ERROR_INVALID);
      g_test_message ("  %s", error->message);
      g_assert_nonnull (strstr (error->message, path));
    }
}

/* Another account's list, copied under this one's name, is refused. */
static void
test_other_account (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path_a = bd_list_cache_get_path (URL, USER_ID);
  g_autofree char *path_b = bd_list_cache_get_path ("https://billing.example.com", USER_ID);
  g_autoptr(BdListCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  save (f, URL, USER_ID, bd_test_time ("2026-12-03T10:42:00Z"));
  g_assert_true (g_file_get_contents (path_a, &text, NULL, NULL));
  g_assert_true (g_file_set_contents_full (path_b, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                           NULL));

  entry = load ("https://billing.example.com", USER_ID, NULL, &error);
  g_assert_error (error, BD_CORE_ERROR, BD_CORE_ERROR_INVALID);
  g_assert_null (entry);
}

static gboolean
save_finish (GAsyncResult **result,
             GError       **error)
{
  g_assert_true (bd_test_wait_until (bd_test_has_result, result, 10000));
  return bd_list_cache_save_finish (*result, error);
}

static gint64
kept_saved_at (void)
{
  g_autoptr(BdListCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  entry = load (URL, USER_ID, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry->saved_at;
}

/* Cancelled before they begin: a save writes nothing (the list kept stays
 * as it was), a load gives nothing.
 */
static void
test_cancelled_before (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BdListCacheEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first = bd_test_time ("2026-12-03T10:42:00Z");

  save (f, URL, USER_ID, first);
  g_cancellable_cancel (cancellable);

  bd_list_cache_save_async (URL, USER_ID, G_LIST_MODEL (f->subscriptions), f->billing_profiles,
                            first + 60, cancellable, bd_test_store_result_cb, &result);
  g_assert_false (save_finish (&result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (kept_saved_at (), ==, first);

  entry = load (URL, USER_ID, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (entry);
}

/* The list deleted (its account removed) while a save of it is on its
 * way: the save does not bring it back, whenever its thread runs; a save
 * begun after the delete writes it.
 */
static void
test_deleted_while_saving (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = bd_list_cache_get_path (URL, USER_ID);
  gint64 first = bd_test_time ("2026-12-03T10:42:00Z");

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      bd_list_cache_save_async (URL, USER_ID, G_LIST_MODEL (f->subscriptions),
                                f->billing_profiles, first, NULL, bd_test_store_result_cb,
                                &result);
      g_assert_true (bd_list_cache_delete (URL, USER_ID, &error));
      g_assert_no_error (error);
      /* Whether it was written before the delete or stopped after. */
      if (!save_finish (&result, &error))
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }

  /* Nothing else is left beside it (the file each save writes first). */
  {
    g_autofree char *dir = g_path_get_dirname (path);
    g_autoptr(GDir) lists = g_dir_open (dir, 0, NULL);

    g_assert_true (lists == NULL || g_dir_read_name (lists) == NULL);
  }

  save (f, URL, USER_ID, first);
  g_assert_cmpint (kept_saved_at (), ==, first);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = bd_list_cache_get_path (URL, USER_ID);
  g_autofree char *other = bd_list_cache_get_path (URL, "u2");
  g_autoptr(BdListCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  save (f, URL, USER_ID, bd_test_time ("2026-12-03T10:42:00Z"));
  save (f, URL, "u2", bd_test_time ("2026-12-03T10:42:00Z"));

  g_assert_true (bd_list_cache_delete (URL "/", USER_ID, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* Only that account's. */
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));

  entry = load (URL, USER_ID, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (entry);

  /* Nothing to delete is not an error. */
  g_assert_true (bd_list_cache_delete (URL, USER_ID, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_home = NULL;
  int status;

  setlocale (LC_ALL, "");
  /* A cache of the test's own, emptied after each case. */
  cache_home = bd_test_make_cache_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/list-cache/path", test_path);
  g_test_add_func ("/list-cache/none", test_none);
  g_test_add ("/list-cache/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/list-cache/replace", Fixture, NULL, fixture_set_up, test_replace,
              fixture_tear_down);
  g_test_add ("/list-cache/corrupt", Fixture, NULL, fixture_set_up, test_corrupt,
              fixture_tear_down);
  g_test_add ("/list-cache/other-account", Fixture, NULL, fixture_set_up, test_other_account,
              fixture_tear_down);
  g_test_add ("/list-cache/cancelled-before", Fixture, NULL, fixture_set_up,
              test_cancelled_before, fixture_tear_down);
  g_test_add ("/list-cache/deleted-while-saving", Fixture, NULL, fixture_set_up,
              test_deleted_while_saving, fixture_tear_down);
  g_test_add ("/list-cache/delete", Fixture, NULL, fixture_set_up, test_delete,
              fixture_tear_down);

  status = g_test_run ();
  bd_test_remove_tree (cache_home);
  return status;
}
