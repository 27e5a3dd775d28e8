/* bd-reminders.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-reminders"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bd-format.h"
#include "bd-reminders.h"

/* Reminders (docs/design.md "Reminders"): a notification once per account,
 * subscription and refund window, when a window the user can still use
 * closes within 24 hours by the service's clock. What was reminded is kept
 * in the state directory, so that a restart does not remind again; an entry
 * goes once its window has closed.
 */
struct _BdReminders
{
  GObject       parent_instance;

  GApplication *application;  /* (unowned): it owns this */
  GSettings    *settings;
  char         *path;
  GHashTable   *sent;         /* "account\nsubscription\nwindow end" → Sent */
};

typedef struct
{
  char   *account;
  char   *subscription;
  gint64  window_end;
} Sent;

G_DEFINE_FINAL_TYPE (BdReminders, bd_reminders, G_TYPE_OBJECT)

static void
sent_free (gpointer data)
{
  Sent *sent = data;

  g_free (sent->account);
  g_free (sent->subscription);
  g_free (sent);
}

static char *
sent_key (const char *account,
          const char *subscription,
          gint64      window_end)
{
  return g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT, account, subscription, window_end);
}

static gboolean
remember (BdReminders *self,
          const char  *account,
          const char  *subscription,
          gint64       window_end)
{
  char *key = sent_key (account, subscription, window_end);
  Sent *sent;

  if (g_hash_table_contains (self->sent, key))
    {
      g_free (key);
      return FALSE;
    }

  sent = g_new0 (Sent, 1);
  sent->account = g_strdup (account);
  sent->subscription = g_strdup (subscription);
  sent->window_end = window_end;
  g_hash_table_insert (self->sent, key, sent);
  return TRUE;
}

/* A member that is a string, or NULL: any other node is not one (json-glib's
 * _with_default () getters are critical about an object or an array). */
static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* One entry of the file, remembered, or FALSE when it is not one. */
static gboolean
read_entry (BdReminders *self,
            JsonNode    *node)
{
  JsonObject *object;
  const char *account;
  const char *subscription;
  const char *end;
  gint64 window_end;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  account = get_string (object, "account");
  subscription = get_string (object, "subscription");
  end = get_string (object, "windowEnd");
  if (account == NULL || subscription == NULL || end == NULL ||
      !bd_time_parse_rfc3339 (end, &window_end))
    return FALSE;

  remember (self, account, subscription, window_end);
  return TRUE;
}

static gboolean
read_file (BdReminders  *self,
           GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *text = NULL;
  gsize length = 0;
  JsonNode *root;
  JsonArray *entries;

  if (!g_file_get_contents (self->path, &text, &length, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, text, length, error))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "reminded") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "reminded")))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "not an object with an array “reminded”");
      return FALSE;
    }

  entries = json_object_get_array_member (json_node_get_object (root), "reminded");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      if (!read_entry (self, json_array_get_element (entries, i)))
        {
          g_hash_table_remove_all (self->sent);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "entry %u is not an account, a subscription and a window's end", i);
          return FALSE;
        }
    }

  return TRUE;
}

/* Written whole or not at all (g_file_set_contents () renames a
 * temporary file into place): a few hundred bytes, at most once a check.
 */
static void
write_file (BdReminders *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer value;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reminded");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, self->sent);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Sent *sent = value;
      g_autofree char *end = bd_time_format (sent->window_end);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "account");
      json_builder_add_string_value (builder, sent->account);
      json_builder_set_member_name (builder, "subscription");
      json_builder_add_string_value (builder, sent->subscription);
      json_builder_set_member_name (builder, "windowEnd");
      json_builder_add_string_value (builder, end);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (self->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    g_warning ("%s: %s", self->path,
               error != NULL ? error->message : g_strerror (errno));
}

/* The account's entries whose window has closed by its service's clock. */
static gboolean
prune (BdReminders *self,
       const char  *account,
       gint64       now)
{
  GHashTableIter iter;
  gpointer value;
  gboolean pruned = FALSE;

  g_hash_table_iter_init (&iter, self->sent);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Sent *sent = value;

      if (g_str_equal (sent->account, account) && sent->window_end <= now)
        {
          g_hash_table_iter_remove (&iter);
          pruned = TRUE;
        }
    }

  return pruned;
}

static void
send_reminder (BdReminders    *self,
               const char     *account,
               BdSubscription *subscription,
               gint64          window_end,
               gint64          now)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Refund Window Closing"));
  g_autofree char *body = bd_reminders_dup_body (bd_subscription_get_product_name (subscription),
                                                 window_end, now);
  g_autofree char *id = g_strdup_printf ("reminder-%s-%s", account,
                                         bd_subscription_get_id (subscription));

  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target_value (
    notification, "app.show-reminder",
    g_variant_new ("(ss)", account, bd_subscription_get_id (subscription)));
  g_application_send_notification (self->application, id, notification);
}

/*
 * GObject overrides
 */

static void
bd_reminders_finalize (GObject *object)
{
  BdReminders *self = (BdReminders *)object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->sent, g_hash_table_unref);

  G_OBJECT_CLASS (bd_reminders_parent_class)->finalize (object);
}

static void
bd_reminders_class_init (BdRemindersClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bd_reminders_finalize;
}

static void
bd_reminders_init (BdReminders *self)
{
  self->sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, sent_free);
}

/*
 * Public API
 */

/**
 * bd_reminders_new:
 * @application: sends the notifications; owns what this returns
 * @settings: the app's settings, whose "reminders" turns them off
 * @path: (nullable): the file kept; NULL for reminders.json in the app's
 *   state directory
 *
 * Reads what was reminded before. A file that can't be read as one is
 * passed over with a warning: at worst a reminder comes again.
 *
 * Returns: (transfer full): the reminders
 */
BdReminders *
bd_reminders_new (GApplication *application,
                  GSettings    *settings,
                  const char   *path)
{
  BdReminders *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BD_TYPE_REMINDERS, NULL);
  self->application = application;
  self->settings = g_object_ref (settings);
  self->path = path != NULL ? g_strdup (path)
                            : g_build_filename (g_get_user_state_dir (), APPLICATION_ID,
                                                "reminders.json", NULL);

  if (!read_file (self, &error) && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("%s can't be read (%s): no reminder is remembered as sent", self->path,
               error->message);

  return self;
}

/**
 * bd_reminders_window_end:
 *
 * The refund window that the user can still use (rule 2): an Active
 * subscription's, not a trial's (a trial is cancelled at any time, with no
 * refund), and only while nothing but a custom domain, which an admin can
 * remove, stands in the way of a cancel. The window's end comes from the
 * service, with the blockers for the user who asked.
 *
 * Returns: the end of that window, or %BD_TIME_NONE when there is none
 */
gint64
bd_reminders_window_end (BdSubscription *subscription)
{
  const BdSubscriptionData *data = bd_subscription_get_data (subscription);
  BdBlocker blocker = data->action_blockers[BD_ACTION_CANCEL];

  if (data->status != BD_STATUS_ACTIVE || data->is_trial)
    return BD_TIME_NONE;
  if (blocker != BD_BLOCKER_NONE && blocker != BD_BLOCKER_CUSTOM_DOMAIN_ATTACHED)
    return BD_TIME_NONE;

  return data->cancellation_window_end;
}

/**
 * bd_reminders_dup_body:
 * @window_end: when the refund window closes, after @now
 * @now: the service's clock
 *
 * Returns: (transfer full): a reminder's text, such as "Microsoft 365
 *   Business Premium: the refund window closes in 3 hours."
 */
char *
bd_reminders_dup_body (const char *product_name,
                       gint64      window_end,
                       gint64      now)
{
  g_autofree char *until = bd_format_time_until (window_end, now);

  g_return_val_if_fail (until != NULL, NULL);

  /* Translators: a notification's text: %1$s is a product's name, %2$s a
   * time to come, such as "in 3 hours" */
  return g_strdup_printf (_("%1$s: the refund window closes %2$s."), product_name, until);
}

/**
 * bd_reminders_check:
 * @account_key: the account the subscriptions are listed in, as a window
 *   shows it (its key, or a command line service's URL and user)
 * @subscriptions: (element-type BdSubscription): the list as loaded, for an
 *   admin of the account
 * @now: the service's clock
 *
 * Sends a notification for each refund window the user can still use that
 * closes within 24 hours and was not reminded of for this account, unless
 * the "reminders" setting is off (or the application is not on a session
 * bus); remembers them.
 *
 * Returns: how many were sent
 */
guint
bd_reminders_check (BdReminders *self,
                    const char  *account_key,
                    GListModel  *subscriptions,
                    gint64       now)
{
  gboolean changed;
  guint n_sent = 0;

  g_return_val_if_fail (BD_IS_REMINDERS (self), 0);
  g_return_val_if_fail (account_key != NULL, 0);
  g_return_val_if_fail (G_IS_LIST_MODEL (subscriptions), 0);

  changed = prune (self, account_key, now);

  /* With no session bus (GApplication not on D-Bus), no notification can
   * go anywhere: none is sent, nor remembered as sent. */
  if (g_settings_get_boolean (self->settings, "reminders") &&
      g_application_get_dbus_connection (self->application) != NULL)
    {
      for (guint i = 0; i < g_list_model_get_n_items (subscriptions); i++)
        {
          g_autoptr(BdSubscription) subscription = g_list_model_get_item (subscriptions, i);
          gint64 end = bd_reminders_window_end (subscription);

          if (end == BD_TIME_NONE || end <= now || end - now > BD_REMINDERS_AHEAD ||
              !remember (self, account_key, bd_subscription_get_id (subscription), end))
            continue;

          send_reminder (self, account_key, subscription, end, now);
          n_sent++;
        }
    }

  if (changed || n_sent > 0)
    write_file (self);

  return n_sent;
}
