/* bd-subscription.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-subscription"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bd-core-enums.h"
#include "bd-error.h"
#include "bd-json.h"
#include "bd-rules.h"
#include "bd-subscription.h"
#include "bd-time.h"

struct _BdSubscription
{
  GObject             parent_instance;
  BdSubscriptionData *data;
};

G_DEFINE_FINAL_TYPE (BdSubscription, bd_subscription, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (BdSubscriptionData, bd_subscription_data,
                     bd_subscription_data_copy, bd_subscription_data_free)

enum {
  PROP_0,
  PROP_ID,
  PROP_PRODUCT_NAME,
  PROP_STATUS,
  PROP_IS_TRIAL,
  PROP_IS_DOMAIN_SUBSCRIPTION,
  PROP_QUANTITY,
  PROP_ASSIGNED_LICENSES,
  PROP_BILLING_PROFILE_ID,
  PROP_BILLING_FREQUENCY,
  PROP_UNIT_PRICE_AMOUNT,
  PROP_CURRENCY,
  PROP_RECURRING_BILLING,
  PROP_PURCHASE_CHANNEL,
  PROP_START_DATE,
  PROP_LAST_RENEWAL_DATE,
  PROP_TERM_END_DATE,
  PROP_STATUS_CHANGED_DATE,
  PROP_ETAG,
  PROP_NEXT_LIFECYCLE_DATE,
  PROP_CANCELLATION_WINDOW_END,
  PROP_ALLOWED_ACTIONS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char * const tenant_file_keys[] = {
  "id", "productName", "status", "isTrial", "isDomainSubscription", "quantity",
  "assignedLicenses", "billingProfileId", "billingFrequency", "unitPrice",
  "recurringBilling", "purchaseChannel", "startDate", "lastRenewalDate",
  "termEndDate", "statusChangedDate", NULL
};

static const char * const api_keys[] = {
  "id", "productName", "status", "isTrial", "isDomainSubscription", "quantity",
  "assignedLicenses", "billingProfileId", "billingFrequency", "unitPrice",
  "recurringBilling", "purchaseChannel", "startDate", "lastRenewalDate",
  "termEndDate", "statusChangedDate", "etag", "nextLifecycleDate",
  "cancellationWindowEnd", "allowedActions", "actionBlockers", NULL
};

/*
 * BdSubscriptionData
 */

BdSubscriptionData *
bd_subscription_data_new (void)
{
  BdSubscriptionData *data = g_new0 (BdSubscriptionData, 1);

  data->status = BD_STATUS_ACTIVE;
  data->quantity = 1;
  data->billing_frequency = BD_BILLING_FREQUENCY_MONTHLY;
  data->recurring_billing = BD_RECURRING_BILLING_ON;
  data->purchase_channel = BD_PURCHASE_CHANNEL_DIRECT;
  data->start_date = BD_TIME_NONE;
  data->last_renewal_date = BD_TIME_NONE;
  data->term_end_date = BD_TIME_NONE;
  data->status_changed_date = BD_TIME_NONE;
  data->next_lifecycle_date = BD_TIME_NONE;
  data->cancellation_window_end = BD_TIME_NONE;
  for (guint i = 0; i < BD_N_ACTIONS; i++)
    data->action_blockers[i] = BD_BLOCKER_NONE;

  return data;
}

BdSubscriptionData *
bd_subscription_data_copy (const BdSubscriptionData *data)
{
  BdSubscriptionData *copy;

  g_return_val_if_fail (data != NULL, NULL);

  copy = g_memdup2 (data, sizeof *data);
  copy->id = g_strdup (data->id);
  copy->product_name = g_strdup (data->product_name);
  copy->billing_profile_id = g_strdup (data->billing_profile_id);
  copy->etag = g_strdup (data->etag);

  return copy;
}

void
bd_subscription_data_free (BdSubscriptionData *data)
{
  if (data == NULL)
    return;

  g_free (data->id);
  g_free (data->product_name);
  g_free (data->billing_profile_id);
  g_free (data->etag);
  g_free (data);
}

gboolean
bd_subscription_data_equal (const BdSubscriptionData *a,
                            const BdSubscriptionData *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->id, b->id) == 0 &&
         g_strcmp0 (a->product_name, b->product_name) == 0 &&
         a->status == b->status &&
         a->is_trial == b->is_trial &&
         a->is_domain_subscription == b->is_domain_subscription &&
         a->quantity == b->quantity &&
         a->assigned_licenses == b->assigned_licenses &&
         g_strcmp0 (a->billing_profile_id, b->billing_profile_id) == 0 &&
         a->billing_frequency == b->billing_frequency &&
         bd_money_equal (&a->unit_price, &b->unit_price) &&
         a->recurring_billing == b->recurring_billing &&
         a->purchase_channel == b->purchase_channel &&
         a->start_date == b->start_date &&
         a->last_renewal_date == b->last_renewal_date &&
         a->term_end_date == b->term_end_date &&
         a->status_changed_date == b->status_changed_date &&
         g_strcmp0 (a->etag, b->etag) == 0 &&
         a->next_lifecycle_date == b->next_lifecycle_date &&
         a->cancellation_window_end == b->cancellation_window_end &&
         a->allowed_actions == b->allowed_actions &&
         memcmp (a->action_blockers, b->action_blockers, sizeof a->action_blockers) == 0;
}

/**
 * bd_subscription_data_compute_etag:
 *
 * A strong ETag over the stored and derived state: the same for every user,
 * different whenever any of that state differs (DESIGN.md section 3).
 *
 * Returns: (transfer full): the quoted ETag, such as `"3f2a…"`
 */
char *
bd_subscription_data_compute_etag (const BdSubscriptionData *data)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *canonical = NULL;
  const char *digest;

  g_return_val_if_fail (data != NULL, NULL);

  /* Strings are length-prefixed so that no two states share a canonical form. */
  canonical = g_strdup_printf ("v1|%zu:%s|%zu:%s|%d|%d|%d|%u|%u|%zu:%s|%d|%" G_GINT64_FORMAT
                               "|%s|%d|%d|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                               "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT,
                               strlen (data->id ? data->id : ""), data->id ? data->id : "",
                               strlen (data->product_name ? data->product_name : ""),
                               data->product_name ? data->product_name : "",
                               data->status, data->is_trial, data->is_domain_subscription,
                               data->quantity, data->assigned_licenses,
                               data->billing_profile_id ? strlen (data->billing_profile_id) : 0,
                               data->billing_profile_id ? data->billing_profile_id : "-",
                               data->billing_frequency, data->unit_price.amount,
                               data->unit_price.currency, data->recurring_billing,
                               data->purchase_channel, data->start_date,
                               data->last_renewal_date, data->term_end_date,
                               data->status_changed_date);
  g_checksum_update (checksum, (const guchar *) canonical, -1);
  digest = g_checksum_get_string (checksum);

  return g_strdup_printf ("\"%.32s\"", digest);
}

/* A reader per enum: its API word, or an error naming the path. */
#define DEFINE_ENUM_READER(Type, type)                                        \
  static gboolean                                                             \
  read_##type (JsonObject   *object,                                          \
               const char   *parent,                                          \
               const char   *key,                                             \
               BdJsonFlags   flags,                                           \
               Type         *value,                                           \
               GError      **error)                                           \
  {                                                                           \
    const char *word = NULL;                                                  \
                                                                              \
    if (!bd_json_read_string (object, parent, key, flags, &word, error))      \
      return FALSE;                                                           \
                                                                              \
    if (word != NULL && !bd_##type##_from_string (word, value))               \
      {                                                                       \
        g_autofree char *path = bd_json_path_member (parent, key);            \
                                                                              \
        bd_json_set_unknown_value (error, path, word);                        \
        return FALSE;                                                         \
      }                                                                       \
                                                                              \
    return TRUE;                                                              \
  }

DEFINE_ENUM_READER (BdStatus, status)
DEFINE_ENUM_READER (BdBillingFrequency, billing_frequency)
DEFINE_ENUM_READER (BdRecurringBilling, recurring_billing)
DEFINE_ENUM_READER (BdPurchaseChannel, purchase_channel)

static gboolean
check_order (gint64       earlier,
             gint64       later,
             gboolean     strictly,
             const char  *parent,
             const char  *key,
             const char  *message,
             GError     **error)
{
  if (strictly ? earlier < later : earlier <= later)
    return TRUE;

  {
    g_autofree char *path = bd_json_path_member (parent, key);

    bd_set_invalid_error (error, path, "%s", message);
  }
  return FALSE;
}

/* A strong entity tag (RFC 9110): a quoted string of visible ASCII
 * characters other than the quote itself.
 */
static gboolean
is_strong_etag (const char *etag)
{
  gsize length = strlen (etag);

  if (length < 2 || etag[0] != '"' || etag[length - 1] != '"')
    return FALSE;

  for (gsize i = 1; i + 1 < length; i++)
    {
      if (etag[i] < 0x21 || etag[i] > 0x7e || etag[i] == '"')
        return FALSE;
    }

  return TRUE;
}

/* Dates in an order the lifecycle can produce. An Active term has a length;
 * a cancel at the very second of a renewal leaves a term of none, and an
 * Expired or Disabled subscription's term ended by the time it got there.
 */
static gboolean
check_dates (const BdSubscriptionData  *data,
             const char                *path,
             GError                   **error)
{
  gboolean active = data->status == BD_STATUS_ACTIVE;
  gboolean ended = data->status == BD_STATUS_EXPIRED || data->status == BD_STATUS_DISABLED;

  return check_order (data->start_date, data->last_renewal_date, FALSE, path, "lastRenewalDate",
                      _("must not be before startDate"), error) &&
         check_order (data->last_renewal_date, data->term_end_date, active, path, "termEndDate",
                      active ? _("must be after lastRenewalDate")
                             : _("must not be before lastRenewalDate"), error) &&
         check_order (data->start_date, data->status_changed_date, FALSE, path,
                      "statusChangedDate", _("must not be before startDate"), error) &&
         (!ended ||
          check_order (data->term_end_date, data->status_changed_date, FALSE, path, "termEndDate",
                       _("must not be after statusChangedDate while expired or disabled"),
                       error));
}

static gboolean
read_api_annotations (JsonObject          *object,
                      const char          *path,
                      BdSubscriptionData  *data,
                      GError             **error)
{
  g_autofree char *blockers_path = bd_json_path_member (path, "actionBlockers");
  g_autofree char *allowed_path = bd_json_path_member (path, "allowedActions");
  JsonObject *blockers = NULL;
  JsonArray *allowed = NULL;
  const char *etag = NULL;
  g_autofree char *etag_path = bd_json_path_member (path, "etag");

  if (!bd_json_read_string (object, path, "etag", BD_JSON_REQUIRED, &etag, error) ||
      !bd_json_read_time (object, path, "nextLifecycleDate", BD_JSON_REQUIRED | BD_JSON_NULLABLE,
                          BD_TIME_NONE, &data->next_lifecycle_date, error) ||
      !bd_json_read_time (object, path, "cancellationWindowEnd",
                          BD_JSON_REQUIRED | BD_JSON_NULLABLE, BD_TIME_NONE,
                          &data->cancellation_window_end, error) ||
      !bd_json_read_array (object, path, "allowedActions", BD_JSON_REQUIRED, &allowed, error) ||
      !bd_json_read_object (object, path, "actionBlockers", BD_JSON_REQUIRED, NULL,
                            &blockers, error))
    return FALSE;

  if (!is_strong_etag (etag))
    {
      bd_set_invalid_error (error, etag_path, _("expected a quoted entity tag"));
      return FALSE;
    }
  data->etag = g_strdup (etag);

  for (guint i = 0; i < json_array_get_length (allowed); i++)
    {
      g_autofree char *item_path = bd_json_path_index (allowed_path, i);
      const char *word = bd_json_expect_string (json_array_get_element (allowed, i),
                                                item_path, error);
      BdAction action;

      if (word == NULL)
        return FALSE;
      if (!bd_action_from_string (word, &action))
        {
          bd_json_set_unknown_value (error, item_path, word);
          return FALSE;
        }
      if (data->allowed_actions & BD_ACTION_MASK (action))
        {
          bd_set_invalid_error (error, item_path, _("listed twice"));
          return FALSE;
        }
      data->allowed_actions |= BD_ACTION_MASK (action);
    }

  {
    g_autoptr(GList) members = json_object_get_members (blockers);

    for (const GList *l = members; l != NULL; l = l->next)
      {
        g_autofree char *item_path = bd_json_path_member (blockers_path, l->data);
        BdAction action;
        BdBlocker blocker;
        const char *word;

        if (!bd_action_from_string (l->data, &action))
          {
            bd_set_invalid_error (error, item_path, _("unknown key"));
            return FALSE;
          }
        word = bd_json_expect_string (json_object_get_member (blockers, l->data),
                                      item_path, error);
        if (word == NULL)
          return FALSE;
        if (!bd_blocker_from_string (word, &blocker))
          {
            bd_json_set_unknown_value (error, item_path, word);
            return FALSE;
          }
        if (data->allowed_actions & BD_ACTION_MASK (action))
          {
            bd_set_invalid_error (error, item_path,
                                  _("an allowed action cannot have a blocker"));
            return FALSE;
          }
        if (!bd_rules_blocker_can_stop (action, blocker))
          {
            bd_set_invalid_error (error, item_path, _("this blocker cannot stop this action"));
            return FALSE;
          }
        data->action_blockers[action] = blocker;
      }
  }

  for (guint action = 0; action < BD_N_ACTIONS; action++)
    {
      if (!(data->allowed_actions & BD_ACTION_MASK (action)) &&
          data->action_blockers[action] == BD_BLOCKER_NONE)
        {
          bd_set_invalid_error (error, blockers_path, _("no blocker for “%s”"),
                                bd_action_to_string (action));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * bd_subscription_data_read_json:
 * @path: the path of @node in its document, for error messages
 * @now: the clock at import; relative dates count from it
 *   (%BD_SUBSCRIPTION_JSON_TENANT_FILE only)
 *
 * Reads a subscription strictly: unknown keys, wrong types, values out of
 * range and dates out of order are refused with the path of the bad value.
 *
 * Returns: (transfer full) (nullable): the subscription's data
 */
BdSubscriptionData *
bd_subscription_data_read_json (JsonNode                *node,
                                const char              *path,
                                BdSubscriptionJsonMode   mode,
                                gint64                   now,
                                GError                 **error)
{
  gboolean api = mode == BD_SUBSCRIPTION_JSON_API;
  BdJsonFlags optional = api ? BD_JSON_REQUIRED : BD_JSON_OPTIONAL;
  BdJsonFlags time_flags = BD_JSON_REQUIRED | (api ? 0 : BD_JSON_RELATIVE);
  g_autoptr(BdSubscriptionData) data = bd_subscription_data_new ();
  g_autofree char *unit_price_path = bd_json_path_member (path, "unitPrice");
  const char *id = NULL, *product_name = NULL, *profile = NULL;
  gint64 quantity = 1, assigned = 0;
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (api || now != BD_TIME_NONE, NULL);

  object = bd_json_expect_object (node, path, api ? api_keys : tenant_file_keys, error);
  if (object == NULL)
    return NULL;

  if (!bd_json_read_string (object, path, "id", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY, &id, error) ||
      !bd_json_read_string (object, path, "productName", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY,
                            &product_name, error) ||
      !read_status (object, path, "status", BD_JSON_REQUIRED, &data->status, error) ||
      !bd_json_read_bool (object, path, "isTrial", optional, &data->is_trial, error) ||
      !bd_json_read_bool (object, path, "isDomainSubscription", optional,
                          &data->is_domain_subscription, error) ||
      !bd_json_read_int (object, path, "quantity", BD_JSON_REQUIRED, 1, BD_QUANTITY_MAX,
                         &quantity, error) ||
      !bd_json_read_int (object, path, "assignedLicenses", optional, 0, quantity, &assigned,
                         error) ||
      !bd_json_read_string (object, path, "billingProfileId",
                            optional | BD_JSON_NULLABLE | BD_JSON_NON_EMPTY, &profile, error) ||
      !read_billing_frequency (object, path, "billingFrequency", BD_JSON_REQUIRED,
                               &data->billing_frequency, error))
    return NULL;

  if (!json_object_has_member (object, "unitPrice"))
    {
      bd_set_invalid_error (error, unit_price_path, _("this key is required"));
      return NULL;
    }
  if (!bd_money_read_json (json_object_get_member (object, "unitPrice"), unit_price_path,
                           BD_UNIT_PRICE_MAX, &data->unit_price, error))
    return NULL;

  if (!read_recurring_billing (object, path, "recurringBilling", optional,
                               &data->recurring_billing, error) ||
      !read_purchase_channel (object, path, "purchaseChannel", optional,
                              &data->purchase_channel, error) ||
      !bd_json_read_time (object, path, "startDate", time_flags, now, &data->start_date, error) ||
      !bd_json_read_time (object, path, "lastRenewalDate", time_flags, now,
                          &data->last_renewal_date, error) ||
      !bd_json_read_time (object, path, "termEndDate", time_flags, now,
                          &data->term_end_date, error) ||
      !bd_json_read_time (object, path, "statusChangedDate",
                          api ? BD_JSON_REQUIRED : BD_JSON_RELATIVE, now,
                          &data->status_changed_date, error))
    return NULL;

  data->id = g_strdup (id);
  data->product_name = g_strdup (product_name);
  data->quantity = (guint) quantity;
  data->assigned_licenses = (guint) assigned;
  data->billing_profile_id = g_strdup (profile);

  if (!api && data->status_changed_date == BD_TIME_NONE)
    data->status_changed_date = now;

  if (!check_dates (data, path, error))
    return NULL;

  if (api)
    {
      if (!read_api_annotations (object, path, data, error))
        return NULL;
    }
  else
    {
      if (!check_order (data->last_renewal_date, now, FALSE, path, "lastRenewalDate",
                        _("must not be in the future"), error) ||
          !check_order (data->status_changed_date, now, FALSE, path, "statusChangedDate",
                        _("must not be in the future"), error))
        return NULL;
    }

  return g_steal_pointer (&data);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *key,
                   const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

/**
 * bd_subscription_data_to_json:
 *
 * Writes @data as one object value, with the keys of @mode.
 */
void
bd_subscription_data_to_json (const BdSubscriptionData *data,
                              BdSubscriptionJsonMode    mode,
                              JsonBuilder              *builder)
{
  g_return_if_fail (data != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  add_string_member (builder, "id", data->id);
  add_string_member (builder, "productName", data->product_name);
  add_string_member (builder, "status", bd_status_to_string (data->status));
  json_builder_set_member_name (builder, "isTrial");
  json_builder_add_boolean_value (builder, data->is_trial);
  json_builder_set_member_name (builder, "isDomainSubscription");
  json_builder_add_boolean_value (builder, data->is_domain_subscription);
  json_builder_set_member_name (builder, "quantity");
  json_builder_add_int_value (builder, data->quantity);
  json_builder_set_member_name (builder, "assignedLicenses");
  json_builder_add_int_value (builder, data->assigned_licenses);
  add_string_member (builder, "billingProfileId", data->billing_profile_id);
  add_string_member (builder, "billingFrequency",
                     bd_billing_frequency_to_string (data->billing_frequency));
  json_builder_set_member_name (builder, "unitPrice");
  bd_money_to_json (&data->unit_price, builder);
  add_string_member (builder, "recurringBilling",
                     bd_recurring_billing_to_string (data->recurring_billing));
  add_string_member (builder, "purchaseChannel",
                     bd_purchase_channel_to_string (data->purchase_channel));
  bd_json_add_time_member (builder, "startDate", data->start_date);
  bd_json_add_time_member (builder, "lastRenewalDate", data->last_renewal_date);
  bd_json_add_time_member (builder, "termEndDate", data->term_end_date);
  bd_json_add_time_member (builder, "statusChangedDate", data->status_changed_date);

  if (mode == BD_SUBSCRIPTION_JSON_API)
    {
      add_string_member (builder, "etag", data->etag);
      bd_json_add_time_member (builder, "nextLifecycleDate", data->next_lifecycle_date);
      bd_json_add_time_member (builder, "cancellationWindowEnd", data->cancellation_window_end);

      json_builder_set_member_name (builder, "allowedActions");
      json_builder_begin_array (builder);
      for (guint action = 0; action < BD_N_ACTIONS; action++)
        {
          if (data->allowed_actions & BD_ACTION_MASK (action))
            json_builder_add_string_value (builder, bd_action_to_string (action));
        }
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "actionBlockers");
      json_builder_begin_object (builder);
      for (guint action = 0; action < BD_N_ACTIONS; action++)
        {
          if (data->allowed_actions & BD_ACTION_MASK (action))
            continue;
          add_string_member (builder, bd_action_to_string (action),
                             bd_blocker_to_string (data->action_blockers[action]));
        }
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
}

static void
append_member (GString    *out,
               const char *key)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  bd_json_append_string (out, key);
  g_string_append_c (out, ':');
}

static void
append_string_member (GString    *out,
                      const char *key,
                      const char *value)
{
  append_member (out, key);
  if (value == NULL)
    g_string_append (out, "null");
  else
    bd_json_append_string (out, value);
}

static void
append_time_member (GString    *out,
                    const char *key,
                    gint64      value)
{
  g_autofree char *text = value != BD_TIME_NONE ? bd_time_format (value) : NULL;

  append_string_member (out, key, text);
}

static void
append_int_member (GString    *out,
                   const char *key,
                   gint64      value)
{
  append_member (out, key);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

static void
append_bool_member (GString    *out,
                    const char *key,
                    gboolean    value)
{
  append_member (out, key);
  g_string_append (out, value ? "true" : "false");
}

/**
 * bd_subscription_data_append_api_json:
 *
 * Appends the API's subscription resource as text: the same bytes as
 * bd_subscription_data_to_json () and bd_json_to_data () give, without a
 * JsonNode tree, for the list, where every row counts.
 */
void
bd_subscription_data_append_api_json (const BdSubscriptionData *data,
                                      GString                  *out)
{
  GString *object = g_string_new ("{");
  gboolean first = TRUE;

  g_return_if_fail (data != NULL && out != NULL);

  append_string_member (object, "id", data->id);
  append_string_member (object, "productName", data->product_name);
  append_string_member (object, "status", bd_status_to_string (data->status));
  append_bool_member (object, "isTrial", data->is_trial);
  append_bool_member (object, "isDomainSubscription", data->is_domain_subscription);
  append_int_member (object, "quantity", data->quantity);
  append_int_member (object, "assignedLicenses", data->assigned_licenses);
  append_string_member (object, "billingProfileId", data->billing_profile_id);
  append_string_member (object, "billingFrequency",
                        bd_billing_frequency_to_string (data->billing_frequency));
  append_member (object, "unitPrice");
  g_string_append_printf (object, "{\"amount\":%" G_GINT64_FORMAT ",\"currency\":",
                          data->unit_price.amount);
  bd_json_append_string (object, data->unit_price.currency);
  g_string_append_c (object, '}');
  append_string_member (object, "recurringBilling",
                        bd_recurring_billing_to_string (data->recurring_billing));
  append_string_member (object, "purchaseChannel",
                        bd_purchase_channel_to_string (data->purchase_channel));
  append_time_member (object, "startDate", data->start_date);
  append_time_member (object, "lastRenewalDate", data->last_renewal_date);
  append_time_member (object, "termEndDate", data->term_end_date);
  append_time_member (object, "statusChangedDate", data->status_changed_date);
  append_string_member (object, "etag", data->etag);
  append_time_member (object, "nextLifecycleDate", data->next_lifecycle_date);
  append_time_member (object, "cancellationWindowEnd", data->cancellation_window_end);

  append_member (object, "allowedActions");
  g_string_append_c (object, '[');
  for (guint action = 0; action < BD_N_ACTIONS; action++)
    {
      if (!(data->allowed_actions & BD_ACTION_MASK (action)))
        continue;
      if (!first)
        g_string_append_c (object, ',');
      bd_json_append_string (object, bd_action_to_string (action));
      first = FALSE;
    }
  g_string_append (object, "],");

  bd_json_append_string (object, "actionBlockers");
  g_string_append (object, ":{");
  for (guint action = 0; action < BD_N_ACTIONS; action++)
    {
      if (data->allowed_actions & BD_ACTION_MASK (action))
        continue;
      append_string_member (object, bd_action_to_string (action),
                            bd_blocker_to_string (data->action_blockers[action]));
    }
  g_string_append (object, "}}");

  g_string_append_len (out, object->str, object->len);
  g_string_free (object, TRUE);
}

/*
 * GObject overrides
 */

static void
bd_subscription_finalize (GObject *object)
{
  BdSubscription *self = (BdSubscription *)object;

  g_clear_pointer (&self->data, bd_subscription_data_free);

  G_OBJECT_CLASS (bd_subscription_parent_class)->finalize (object);
}

static void
bd_subscription_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BdSubscription *self = BD_SUBSCRIPTION (object);
  const BdSubscriptionData *data = self->data;

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, data->id);
      break;
    case PROP_PRODUCT_NAME:
      g_value_set_string (value, data->product_name);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, data->status);
      break;
    case PROP_IS_TRIAL:
      g_value_set_boolean (value, data->is_trial);
      break;
    case PROP_IS_DOMAIN_SUBSCRIPTION:
      g_value_set_boolean (value, data->is_domain_subscription);
      break;
    case PROP_QUANTITY:
      g_value_set_uint (value, data->quantity);
      break;
    case PROP_ASSIGNED_LICENSES:
      g_value_set_uint (value, data->assigned_licenses);
      break;
    case PROP_BILLING_PROFILE_ID:
      g_value_set_string (value, data->billing_profile_id);
      break;
    case PROP_BILLING_FREQUENCY:
      g_value_set_enum (value, data->billing_frequency);
      break;
    case PROP_UNIT_PRICE_AMOUNT:
      g_value_set_int64 (value, data->unit_price.amount);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, data->unit_price.currency);
      break;
    case PROP_RECURRING_BILLING:
      g_value_set_enum (value, data->recurring_billing);
      break;
    case PROP_PURCHASE_CHANNEL:
      g_value_set_enum (value, data->purchase_channel);
      break;
    case PROP_START_DATE:
      g_value_set_int64 (value, data->start_date);
      break;
    case PROP_LAST_RENEWAL_DATE:
      g_value_set_int64 (value, data->last_renewal_date);
      break;
    case PROP_TERM_END_DATE:
      g_value_set_int64 (value, data->term_end_date);
      break;
    case PROP_STATUS_CHANGED_DATE:
      g_value_set_int64 (value, data->status_changed_date);
      break;
    case PROP_ETAG:
      g_value_set_string (value, data->etag);
      break;
    case PROP_NEXT_LIFECYCLE_DATE:
      g_value_set_int64 (value, data->next_lifecycle_date);
      break;
    case PROP_CANCELLATION_WINDOW_END:
      g_value_set_int64 (value, data->cancellation_window_end);
      break;
    case PROP_ALLOWED_ACTIONS:
      g_value_set_uint (value, data->allowed_actions);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
time_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, BD_TIME_NONE,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
bd_subscription_class_init (BdSubscriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bd_subscription_finalize;
  object_class->get_property = bd_subscription_get_property;

  /* Read-only: a subscription changes only through bd_subscription_update (),
   * which notifies each property whose value changed, so rows bound to it
   * update in place.
   */
  properties [PROP_ID] = string_property ("id");
  properties [PROP_PRODUCT_NAME] = string_property ("product-name");
  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, BD_TYPE_STATUS, BD_STATUS_ACTIVE, flags);
  properties [PROP_IS_TRIAL] = g_param_spec_boolean ("is-trial", NULL, NULL, FALSE, flags);
  properties [PROP_IS_DOMAIN_SUBSCRIPTION] =
    g_param_spec_boolean ("is-domain-subscription", NULL, NULL, FALSE, flags);
  properties [PROP_QUANTITY] =
    g_param_spec_uint ("quantity", NULL, NULL, 0, BD_QUANTITY_MAX, 1, flags);
  properties [PROP_ASSIGNED_LICENSES] =
    g_param_spec_uint ("assigned-licenses", NULL, NULL, 0, BD_QUANTITY_MAX, 0, flags);
  properties [PROP_BILLING_PROFILE_ID] = string_property ("billing-profile-id");
  properties [PROP_BILLING_FREQUENCY] =
    g_param_spec_enum ("billing-frequency", NULL, NULL, BD_TYPE_BILLING_FREQUENCY,
                       BD_BILLING_FREQUENCY_MONTHLY, flags);
  properties [PROP_UNIT_PRICE_AMOUNT] =
    g_param_spec_int64 ("unit-price-amount", NULL, NULL, 0, BD_UNIT_PRICE_MAX, 0, flags);
  properties [PROP_CURRENCY] = string_property ("currency");
  properties [PROP_RECURRING_BILLING] =
    g_param_spec_enum ("recurring-billing", NULL, NULL, BD_TYPE_RECURRING_BILLING,
                       BD_RECURRING_BILLING_ON, flags);
  properties [PROP_PURCHASE_CHANNEL] =
    g_param_spec_enum ("purchase-channel", NULL, NULL, BD_TYPE_PURCHASE_CHANNEL,
                       BD_PURCHASE_CHANNEL_DIRECT, flags);
  properties [PROP_START_DATE] = time_property ("start-date");
  properties [PROP_LAST_RENEWAL_DATE] = time_property ("last-renewal-date");
  properties [PROP_TERM_END_DATE] = time_property ("term-end-date");
  properties [PROP_STATUS_CHANGED_DATE] = time_property ("status-changed-date");
  properties [PROP_ETAG] = string_property ("etag");
  properties [PROP_NEXT_LIFECYCLE_DATE] = time_property ("next-lifecycle-date");
  properties [PROP_CANCELLATION_WINDOW_END] = time_property ("cancellation-window-end");
  properties [PROP_ALLOWED_ACTIONS] =
    g_param_spec_uint ("allowed-actions", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_subscription_init (BdSubscription *self)
{
}

/*
 * Public API
 */

/**
 * bd_subscription_new:
 *
 * Returns: (transfer full): a subscription holding a copy of @data
 */
BdSubscription *
bd_subscription_new (const BdSubscriptionData *data)
{
  BdSubscription *self;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (data->id != NULL, NULL);

  self = g_object_new (BD_TYPE_SUBSCRIPTION, NULL);
  self->data = bd_subscription_data_copy (data);

  return self;
}

/**
 * bd_subscription_new_from_json:
 *
 * Reads the API's subscription resource.
 *
 * Returns: (transfer full) (nullable): the subscription
 */
BdSubscription *
bd_subscription_new_from_json (JsonNode    *node,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(BdSubscriptionData) data = NULL;

  data = bd_subscription_data_read_json (node, path, BD_SUBSCRIPTION_JSON_API, BD_TIME_NONE,
                                         error);
  if (data == NULL)
    return NULL;

  return bd_subscription_new (data);
}

const BdSubscriptionData *
bd_subscription_get_data (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), NULL);

  return self->data;
}

/**
 * bd_subscription_update:
 *
 * Replaces the state with a copy of @data (of the same subscription) and
 * notifies every property whose value changed.
 */
void
bd_subscription_update (BdSubscription           *self,
                        const BdSubscriptionData *data)
{
  GValue before[N_PROPS] = { G_VALUE_INIT };
  BdSubscriptionData *old;

  g_return_if_fail (BD_IS_SUBSCRIPTION (self));
  g_return_if_fail (data != NULL);
  g_return_if_fail (g_strcmp0 (data->id, self->data->id) == 0);

  for (guint i = 1; i < N_PROPS; i++)
    {
      g_value_init (&before[i], properties[i]->value_type);
      g_object_get_property (G_OBJECT (self), properties[i]->name, &before[i]);
    }

  old = g_steal_pointer (&self->data);
  self->data = bd_subscription_data_copy (data);
  bd_subscription_data_free (old);

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 1; i < N_PROPS; i++)
    {
      GValue after = G_VALUE_INIT;

      g_value_init (&after, properties[i]->value_type);
      g_object_get_property (G_OBJECT (self), properties[i]->name, &after);
      if (g_param_values_cmp (properties[i], &before[i], &after) != 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
      g_value_unset (&after);
      g_value_unset (&before[i]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
bd_subscription_get_id (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), NULL);
  return self->data->id;
}

const char *
bd_subscription_get_product_name (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), NULL);
  return self->data->product_name;
}

BdStatus
bd_subscription_get_status (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), BD_STATUS_ACTIVE);
  return self->data->status;
}

guint
bd_subscription_get_quantity (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), 0);
  return self->data->quantity;
}

guint
bd_subscription_get_assigned_licenses (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), 0);
  return self->data->assigned_licenses;
}

BdRecurringBilling
bd_subscription_get_recurring_billing (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), BD_RECURRING_BILLING_ON);
  return self->data->recurring_billing;
}

gboolean
bd_subscription_is_action_allowed (BdSubscription *self,
                                   BdAction        action)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), FALSE);
  g_return_val_if_fail (action < BD_N_ACTIONS, FALSE);
  return (self->data->allowed_actions & BD_ACTION_MASK (action)) != 0;
}

/**
 * bd_subscription_get_action_blocker:
 *
 * Returns: the first blocker that stops @action, or %BD_BLOCKER_NONE
 */
BdBlocker
bd_subscription_get_action_blocker (BdSubscription *self,
                                    BdAction        action)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), BD_BLOCKER_NONE);
  g_return_val_if_fail (action < BD_N_ACTIONS, BD_BLOCKER_NONE);
  return self->data->action_blockers[action];
}
