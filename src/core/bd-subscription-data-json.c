/* bd-subscription-data-json.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-subscription-data-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bd-core-enums.h"
#include "bd-error.h"
#include "bd-json.h"
#include "bd-subscription-data.h"
#include "bd-time.h"

/* BdSubscriptionData in JSON: a tenant file's subscription, and the API's
 * subscription resource, written through a JsonBuilder or straight as text.
 */

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
 * Reading
 */

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

/* allowedActions: each action once. */
static gboolean
read_allowed_actions (JsonArray           *allowed,
                      const char          *path,
                      BdSubscriptionData  *data,
                      GError             **error)
{
  g_autofree char *allowed_path = bd_json_path_member (path, "allowedActions");

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

  return TRUE;
}

/* One member of actionBlockers: a refused action and what stops it. */
static gboolean
read_action_blocker (JsonObject          *blockers,
                     const char          *blockers_path,
                     const char          *key,
                     BdSubscriptionData  *data,
                     GError             **error)
{
  g_autofree char *item_path = bd_json_path_member (blockers_path, key);
  BdAction action;
  BdBlocker blocker;
  const char *word;

  if (!bd_action_from_string (key, &action))
    {
      bd_set_invalid_error (error, item_path, _("unknown key"));
      return FALSE;
    }
  word = bd_json_expect_string (json_object_get_member (blockers, key), item_path, error);
  if (word == NULL)
    return FALSE;
  if (!bd_blocker_from_string (word, &blocker))
    {
      bd_json_set_unknown_value (error, item_path, word);
      return FALSE;
    }
  if (data->allowed_actions & BD_ACTION_MASK (action))
    {
      bd_set_invalid_error (error, item_path, _("an allowed action cannot have a blocker"));
      return FALSE;
    }
  if (!bd_blocker_can_stop (blocker, action))
    {
      bd_set_invalid_error (error, item_path, _("this blocker cannot stop this action"));
      return FALSE;
    }
  data->action_blockers[action] = blocker;
  return TRUE;
}

/* actionBlockers, after allowedActions: a blocker for every action that is
 * not allowed, and none for one that is.
 */
static gboolean
read_action_blockers (JsonObject          *blockers,
                      const char          *path,
                      BdSubscriptionData  *data,
                      GError             **error)
{
  g_autofree char *blockers_path = bd_json_path_member (path, "actionBlockers");
  g_autoptr(GList) members = json_object_get_members (blockers);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!read_action_blocker (blockers, blockers_path, l->data, data, error))
        return FALSE;
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

/* What the API adds for one user at one moment. */
static gboolean
read_api_annotations (JsonObject          *object,
                      const char          *path,
                      BdSubscriptionData  *data,
                      GError             **error)
{
  g_autofree char *etag_path = bd_json_path_member (path, "etag");
  JsonObject *blockers = NULL;
  JsonArray *allowed = NULL;
  const char *etag = NULL;

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

  return read_allowed_actions (allowed, path, data, error) &&
         read_action_blockers (blockers, path, data, error);
}

/* The members every subscription has, up to billingFrequency. */
static gboolean
read_product_members (JsonObject          *object,
                      const char          *path,
                      BdJsonFlags          optional,
                      BdSubscriptionData  *data,
                      GError             **error)
{
  const char *id = NULL, *product_name = NULL, *profile = NULL;
  gint64 quantity = 1, assigned = 0;

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
    return FALSE;

  data->id = g_strdup (id);
  data->product_name = g_strdup (product_name);
  data->quantity = (guint) quantity;
  data->assigned_licenses = (guint) assigned;
  data->billing_profile_id = g_strdup (profile);
  return TRUE;
}

/* unitPrice, the two settings and the four dates. */
static gboolean
read_terms_members (JsonObject          *object,
                    const char          *path,
                    gboolean             api,
                    gint64               now,
                    BdSubscriptionData  *data,
                    GError             **error)
{
  BdJsonFlags optional = api ? BD_JSON_REQUIRED : BD_JSON_OPTIONAL;
  BdJsonFlags time_flags = BD_JSON_REQUIRED | (api ? 0 : BD_JSON_RELATIVE);
  g_autofree char *unit_price_path = bd_json_path_member (path, "unitPrice");

  if (!json_object_has_member (object, "unitPrice"))
    {
      bd_set_invalid_error (error, unit_price_path, _("this key is required"));
      return FALSE;
    }

  return bd_money_read_json (json_object_get_member (object, "unitPrice"), unit_price_path,
                             BD_UNIT_PRICE_MAX, &data->unit_price, error) &&
         read_recurring_billing (object, path, "recurringBilling", optional,
                                 &data->recurring_billing, error) &&
         read_purchase_channel (object, path, "purchaseChannel", optional,
                                &data->purchase_channel, error) &&
         bd_json_read_time (object, path, "startDate", time_flags, now, &data->start_date,
                            error) &&
         bd_json_read_time (object, path, "lastRenewalDate", time_flags, now,
                            &data->last_renewal_date, error) &&
         bd_json_read_time (object, path, "termEndDate", time_flags, now,
                            &data->term_end_date, error) &&
         bd_json_read_time (object, path, "statusChangedDate",
                            api ? BD_JSON_REQUIRED : BD_JSON_RELATIVE, now,
                            &data->status_changed_date, error);
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
  g_autoptr(BdSubscriptionData) data = bd_subscription_data_new ();
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (api || now != BD_TIME_NONE, NULL);

  object = bd_json_expect_object (node, path, api ? api_keys : tenant_file_keys, error);
  if (object == NULL ||
      !read_product_members (object, path, api ? BD_JSON_REQUIRED : BD_JSON_OPTIONAL, data,
                             error) ||
      !read_terms_members (object, path, api, now, data, error))
    return NULL;

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

/*
 * Writing
 */

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

/* The writers of the text form append to the page itself: a member's
 * comma comes unless it is the first of its object.
 */
static void
append_member (GString    *out,
               const char *key)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  /* The keys are this file's own names: nothing in them to escape. */
  g_string_append_c (out, '"');
  bd_json_put (out, key, strlen (key));
  bd_json_put (out, "\":", 2);
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

/* Neither printf nor an allocation: six of these a row. */
static void
append_time_member (GString    *out,
                    const char *key,
                    gint64      value)
{
  char text[BD_TIME_FORMAT_SIZE];

  append_member (out, key);
  if (value == BD_TIME_NONE)
    {
      g_string_append (out, "null");
      return;
    }
  bd_time_format_to (value, text);
  g_string_append_c (out, '"');
  bd_json_put (out, text, BD_TIME_FORMAT_SIZE - 1);
  g_string_append_c (out, '"');
}

static void
append_int_member (GString    *out,
                   const char *key,
                   gint64      value)
{
  append_member (out, key);
  bd_json_append_int (out, value);
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
  gboolean first = TRUE;

  g_return_if_fail (data != NULL && out != NULL);

  /* Straight into @out: no string of its own per row. */
  g_string_append_c (out, '{');
  append_string_member (out, "id", data->id);
  append_string_member (out, "productName", data->product_name);
  append_string_member (out, "status", bd_status_to_string (data->status));
  append_bool_member (out, "isTrial", data->is_trial);
  append_bool_member (out, "isDomainSubscription", data->is_domain_subscription);
  append_int_member (out, "quantity", data->quantity);
  append_int_member (out, "assignedLicenses", data->assigned_licenses);
  append_string_member (out, "billingProfileId", data->billing_profile_id);
  append_string_member (out, "billingFrequency",
                        bd_billing_frequency_to_string (data->billing_frequency));
  append_member (out, "unitPrice");
  g_string_append (out, "{\"amount\":");
  bd_json_append_int (out, data->unit_price.amount);
  g_string_append (out, ",\"currency\":");
  bd_json_append_string (out, data->unit_price.currency);
  g_string_append_c (out, '}');
  append_string_member (out, "recurringBilling",
                        bd_recurring_billing_to_string (data->recurring_billing));
  append_string_member (out, "purchaseChannel",
                        bd_purchase_channel_to_string (data->purchase_channel));
  append_time_member (out, "startDate", data->start_date);
  append_time_member (out, "lastRenewalDate", data->last_renewal_date);
  append_time_member (out, "termEndDate", data->term_end_date);
  append_time_member (out, "statusChangedDate", data->status_changed_date);
  append_string_member (out, "etag", data->etag);
  append_time_member (out, "nextLifecycleDate", data->next_lifecycle_date);
  append_time_member (out, "cancellationWindowEnd", data->cancellation_window_end);

  append_member (out, "allowedActions");
  g_string_append_c (out, '[');
  for (guint action = 0; action < BD_N_ACTIONS; action++)
    {
      if (!(data->allowed_actions & BD_ACTION_MASK (action)))
        continue;
      if (!first)
        g_string_append_c (out, ',');
      bd_json_append_string (out, bd_action_to_string (action));
      first = FALSE;
    }
  g_string_append (out, "],");

  bd_json_append_string (out, "actionBlockers");
  g_string_append (out, ":{");
  for (guint action = 0; action < BD_N_ACTIONS; action++)
    {
      if (data->allowed_actions & BD_ACTION_MASK (action))
        continue;
      append_string_member (out, bd_action_to_string (action),
                            bd_blocker_to_string (data->action_blockers[action]));
    }
  g_string_append (out, "}}");
}
