/* bd-list-cache.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-list-cache"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bd-account.h"
#include "bd-json.h"
#include "bd-list-cache.h"

/* The file's layout; a file of another version is not read (an older app
 * after a newer one, or the other way round: the next load rewrites it).
 */
#define CACHE_VERSION 1

/* What a save writes: plain copies, so that the thread never touches the
 * page's objects, which the main loop may change meanwhile.
 */
typedef struct
{
  char      *path;
  char      *service_url;
  char      *user_id;
  GPtrArray *subscriptions;     /* BdSubscriptionData */
  GPtrArray *billing_profiles;  /* BdBillingProfile, immutable */
  gint64     saved_at;
  guint      deletions;         /* of path, when the save began */
} SaveData;

/* A save must never bring back a list deleted after it began (an account
 * removed while its list was being written): each delete counts, per file,
 * and a save renames its file into place only if no delete came since,
 * under the lock that the delete takes too.
 */
static GMutex cache_lock;
static GHashTable *cache_deletions;  /* path -> number of deletes, as a pointer */

static guint
count_deletions (const char *path)
{
  return cache_deletions != NULL
         ? GPOINTER_TO_UINT (g_hash_table_lookup (cache_deletions, path)) : 0;
}

typedef struct
{
  char *path;
  char *service_url;
  char *user_id;
} LoadData;

static void
save_data_free (SaveData *data)
{
  g_free (data->path);
  g_free (data->service_url);
  g_free (data->user_id);
  g_clear_pointer (&data->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&data->billing_profiles, g_ptr_array_unref);
  g_free (data);
}

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data->service_url);
  g_free (data->user_id);
  g_free (data);
}

static char *
build_document (SaveData *data,
                gsize    *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, CACHE_VERSION);
  json_builder_set_member_name (builder, "serviceUrl");
  json_builder_add_string_value (builder, data->service_url);
  json_builder_set_member_name (builder, "userId");
  json_builder_add_string_value (builder, data->user_id);
  bd_json_add_time_member (builder, "savedAt", data->saved_at);

  json_builder_set_member_name (builder, "subscriptions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < data->subscriptions->len; i++)
    bd_subscription_data_to_json (g_ptr_array_index (data->subscriptions, i),
                                  BD_SUBSCRIPTION_JSON_API, builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "billingProfiles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < data->billing_profiles->len; i++)
    bd_billing_profile_to_json (g_ptr_array_index (data->billing_profiles, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return bd_json_to_data (root, length);
}

static gboolean
make_lists_dir (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   /* Translators: %1$s is a folder, %2$s why it could not be created */
                   _("Could not create the folder %1$s for offline lists: %2$s"), dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveData *data = task_data;
  g_autofree char *text = NULL;
  g_autofree char *temp = NULL;
  gboolean stopped;
  gsize length;
  GError *error = NULL;
  int fd;

  if (g_task_return_error_if_cancelled (task))
    return;

  text = build_document (data, &length);

  /* The list goes into a file of its own beside the cache, created 0600
   * (never readable by others, even for a moment), then is renamed over
   * the old one: never half a list.
   */
  if (!make_lists_dir (data->path, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  temp = g_strconcat (data->path, ".XXXXXX", NULL);
  fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                               "%s: %s", temp, g_strerror (saved_errno));
      return;
    }
  close (fd);
  if (!g_file_set_contents_full (temp, text, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &error))
    {
      g_unlink (temp);
      g_task_return_error (task, error);
      return;
    }

  /* Cancelled, or the list deleted, while it was being written: dropped. */
  g_mutex_lock (&cache_lock);
  stopped = g_cancellable_is_cancelled (cancellable) ||
            count_deletions (data->path) != data->deletions;
  if (!stopped && g_rename (temp, data->path) != 0)
    {
      int saved_errno = errno;

      g_set_error (&error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", data->path, g_strerror (saved_errno));
    }
  g_mutex_unlock (&cache_lock);

  if (stopped || error != NULL)
    g_unlink (temp);
  if (error != NULL)
    g_task_return_error (task, error);
  else if (stopped)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "The list was removed while it was being saved");
  else
    g_task_return_boolean (task, TRUE);
}

typedef gpointer (*ReadFunc) (JsonNode    *node,
                              const char  *path,
                              GError     **error);

static gpointer
read_subscription (JsonNode    *node,
                   const char  *path,
                   GError     **error)
{
  return bd_subscription_new_from_json (node, path, error);
}

static gpointer
read_billing_profile (JsonNode    *node,
                      const char  *path,
                      GError     **error)
{
  return bd_billing_profile_new_from_json (node, path, error);
}

static gboolean
read_objects (JsonObject  *object,
              const char  *key,
              ReadFunc     read,
              GPtrArray   *objects,
              GError     **error)
{
  JsonArray *array = NULL;

  if (!bd_json_read_array (object, NULL, key, BD_JSON_REQUIRED, &array, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = bd_json_path_index (key, i);
      gpointer item = read (json_array_get_element (array, i), path, error);

      if (item == NULL)
        return FALSE;
      g_ptr_array_add (objects, item);
    }

  return TRUE;
}

/* Reads what save_thread () wrote, as strictly as an answer of the service. */
static BdListCacheEntry *
read_document (const char  *text,
               gsize        length,
               LoadData    *data,
               GError     **error)
{
  static const char * const known_keys[] = {
    "version", "serviceUrl", "userId", "savedAt", "subscriptions", "billingProfiles", NULL
  };
  g_autoptr(BdListCacheEntry) entry = g_new0 (BdListCacheEntry, 1);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  gint64 version = 0;
  const char *service_url = NULL;
  const char *user_id = NULL;

  entry->subscriptions = g_ptr_array_new_with_free_func (g_object_unref);
  entry->billing_profiles = g_ptr_array_new_with_free_func (g_object_unref);

  root = bd_json_parse (text, (gssize) length, error);
  if (root == NULL || (object = bd_json_expect_object (root, NULL, NULL, error)) == NULL)
    return NULL;

  /* The version first: another version's keys are not this one's. */
  if (!bd_json_read_int (object, NULL, "version", BD_JSON_REQUIRED, G_MININT64, G_MAXINT64,
                         &version, error))
    return NULL;
  if (version != CACHE_VERSION)
    {
      bd_set_invalid_error (error, "version", _("not a version this app reads"));
      return NULL;
    }

  if (bd_json_expect_object (root, NULL, known_keys, error) == NULL ||
      !bd_json_read_string (object, NULL, "serviceUrl", BD_JSON_REQUIRED, &service_url, error) ||
      !bd_json_read_string (object, NULL, "userId", BD_JSON_REQUIRED, &user_id, error) ||
      !bd_json_read_time (object, NULL, "savedAt", BD_JSON_REQUIRED, BD_TIME_NONE,
                          &entry->saved_at, error))
    return NULL;

  /* The name is a hash: a list of another account is never taken for this one's. */
  if (g_strcmp0 (service_url, data->service_url) != 0 || g_strcmp0 (user_id, data->user_id) != 0)
    {
      bd_set_invalid_error (error, NULL, _("the list of another account"));
      return NULL;
    }

  if (!read_objects (object, "subscriptions", read_subscription, entry->subscriptions, error) ||
      !read_objects (object, "billingProfiles", read_billing_profile, entry->billing_profiles,
                     error))
    return NULL;

  return g_steal_pointer (&entry);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autofree char *text = NULL;
  gsize length;
  GError *error = NULL;
  BdListCacheEntry *entry;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!g_file_get_contents (data->path, &text, &length, &error))
    {
      /* Nothing cached yet: not an error. */
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_clear_error (&error);
          g_task_return_pointer (task, NULL, NULL);
        }
      else
        g_task_return_error (task, error);
      return;
    }

  entry = read_document (text, length, data, &error);
  if (entry == NULL)
    {
      /* Translators: %s is a file; what is wrong with it follows */
      g_prefix_error (&error, _("The offline list %s is unusable: "), data->path);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, entry, (GDestroyNotify) bd_list_cache_entry_free);
}

/*
 * Public API
 */

void
bd_list_cache_entry_free (BdListCacheEntry *entry)
{
  if (entry == NULL)
    return;

  g_clear_pointer (&entry->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&entry->billing_profiles, g_ptr_array_unref);
  g_free (entry);
}

/**
 * bd_list_cache_get_path:
 * @service_url: the service's URL, as the account has it
 * @user_id: the id of the user its token signs in as
 *
 * Returns: (transfer full): where the account's list is cached
 */
char *
bd_list_cache_get_path (const char *service_url,
                        const char *user_id)
{
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (service_url != NULL, NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  url = bd_account_normalize_url (service_url);
  key = g_strconcat (url, "\n", user_id, NULL);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  name = g_strconcat (hash, ".json", NULL);

  return g_build_filename (g_get_user_cache_dir (), APPLICATION_ID, "lists", name, NULL);
}

/**
 * bd_list_cache_save_async:
 * @subscriptions: a model of #BdSubscription, as listed
 * @billing_profiles: (element-type BdBillingProfile): the tenant's profiles
 * @saved_at: when the list was loaded, in Unix seconds
 *
 * Replaces the account's cached list. The rows are copied before this
 * returns; the file is written in a thread.
 */
void
bd_list_cache_save_async (const char          *service_url,
                          const char          *user_id,
                          GListModel          *subscriptions,
                          GPtrArray           *billing_profiles,
                          gint64               saved_at,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;
  guint n;

  g_return_if_fail (service_url != NULL);
  g_return_if_fail (user_id != NULL);
  g_return_if_fail (G_IS_LIST_MODEL (subscriptions));
  g_return_if_fail (billing_profiles != NULL);

  n = g_list_model_get_n_items (subscriptions);
  data = g_new0 (SaveData, 1);
  data->path = bd_list_cache_get_path (service_url, user_id);
  data->service_url = bd_account_normalize_url (service_url);
  data->user_id = g_strdup (user_id);
  data->saved_at = saved_at;
  g_mutex_lock (&cache_lock);
  data->deletions = count_deletions (data->path);
  g_mutex_unlock (&cache_lock);
  data->subscriptions = g_ptr_array_new_full (n, (GDestroyNotify) bd_subscription_data_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (subscriptions, i);

      g_ptr_array_add (data->subscriptions,
                       bd_subscription_data_copy (bd_subscription_get_data (subscription)));
    }
  data->billing_profiles = g_ptr_array_new_full (billing_profiles->len, g_object_unref);
  for (guint i = 0; i < billing_profiles->len; i++)
    g_ptr_array_add (data->billing_profiles,
                     g_object_ref (g_ptr_array_index (billing_profiles, i)));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bd_list_cache_save_async);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
bd_list_cache_save_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * bd_list_cache_load_async:
 *
 * Reads the account's cached list in a thread.
 */
void
bd_list_cache_load_async (const char          *service_url,
                          const char          *user_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (service_url != NULL);
  g_return_if_fail (user_id != NULL);

  data = g_new0 (LoadData, 1);
  data->path = bd_list_cache_get_path (service_url, user_id);
  data->service_url = bd_account_normalize_url (service_url);
  data->user_id = g_strdup (user_id);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bd_list_cache_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * bd_list_cache_load_finish:
 *
 * Returns: (transfer full) (nullable): the cached list; %NULL without an
 *   error when nothing is cached, with one when the file is not a list
 *   this app wrote (truncated, another version, not JSON)
 */
BdListCacheEntry *
bd_list_cache_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bd_list_cache_delete:
 *
 * Removes the account's cached list, if there is one.
 *
 * Returns: %FALSE with @error set when a cached list is there and stays
 */
gboolean
bd_list_cache_delete (const char  *service_url,
                      const char  *user_id,
                      GError     **error)
{
  g_autofree char *path = NULL;
  gboolean removed;
  int saved_errno;

  g_return_val_if_fail (service_url != NULL, FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);

  path = bd_list_cache_get_path (service_url, user_id);

  /* Saves begun before this one do not write the list again. */
  g_mutex_lock (&cache_lock);
  if (cache_deletions == NULL)
    cache_deletions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_replace (cache_deletions, g_strdup (path),
                        GUINT_TO_POINTER (count_deletions (path) + 1));
  removed = g_unlink (path) == 0 || errno == ENOENT;
  saved_errno = errno;
  g_mutex_unlock (&cache_lock);

  if (!removed)
    {

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   /* Translators: %1$s is a file, %2$s why it could not be removed */
                   _("The offline list %1$s could not be removed: %2$s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}
