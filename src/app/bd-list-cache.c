/* bd-list-cache.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-list-cache"

#include "config.h"

#include <errno.h>
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
} SaveData;

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
                   _("Could not create the folder %1$s for offline lists: %2$s"), dir, g_strerror (saved_errno));
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
  gsize length;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  text = build_document (data, &length);

  /* g_file_set_contents_full () writes a temporary file beside the cache,
   * created with the mode given (never readable by others, even for a
   * moment), and renames it over the old one: never half a list.
   */
  if (!make_lists_dir (data->path, &error) ||
      !g_file_set_contents_full (data->path, text, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_error (task, error);
      return;
    }

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

  g_return_val_if_fail (service_url != NULL, FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);

  path = bd_list_cache_get_path (service_url, user_id);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   /* Translators: %1$s is a file, %2$s why it could not be removed */
                   _("The offline list %1$s could not be removed: %2$s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}
