/* bd-subscription.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-subscription"

#include "config.h"

#include <string.h>

#include "bd-core-enums.h"
#include "bd-subscription.h"

/* A subscription as the app lists it: read-only properties over a
 * BdSubscriptionData, notified when bd_subscription_update () changes them.
 *
 * The app holds 100,000 of them: the data lies in the object, its id,
 * ETag and billing profile id in one block (data.id points at its start),
 * and the product name is interned (a tenant has a few dozen names), so
 * that a subscription is two allocations, not six.
 */

struct _BdSubscription
{
  GObject             parent_instance;
  BdSubscriptionData  data;
};

G_DEFINE_FINAL_TYPE (BdSubscription, bd_subscription, G_TYPE_OBJECT)

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

/* Copies @data into @self, whose strings (if any) it then frees: @data may
 * be @self's own.
 */
static void
set_data (BdSubscription           *self,
          const BdSubscriptionData *data)
{
  gsize id_size = strlen (data->id) + 1;
  gsize etag_size = data->etag != NULL ? strlen (data->etag) + 1 : 0;
  gsize profile_size = 0;
  char *product_name = NULL;
  char *old_block = self->data.id;
  char *old_product_name = self->data.product_name;
  char *block;

  if (data->billing_profile_id != NULL)
    profile_size = strlen (data->billing_profile_id) + 1;
  block = g_malloc (id_size + etag_size + profile_size);
  memcpy (block, data->id, id_size);
  if (etag_size > 0)
    memcpy (block + id_size, data->etag, etag_size);
  if (profile_size > 0)
    memcpy (block + id_size + etag_size, data->billing_profile_id, profile_size);
  if (data->product_name != NULL)
    product_name = g_ref_string_new_intern (data->product_name);

  self->data = *data;
  self->data.id = block;
  self->data.etag = etag_size > 0 ? block + id_size : NULL;
  self->data.billing_profile_id = profile_size > 0 ? block + id_size + etag_size : NULL;
  self->data.product_name = product_name;

  g_free (old_block);
  g_clear_pointer (&old_product_name, g_ref_string_release);
}

/*
 * GObject overrides
 */

static void
bd_subscription_finalize (GObject *object)
{
  BdSubscription *self = (BdSubscription *)object;

  g_clear_pointer (&self->data.id, g_free);
  g_clear_pointer (&self->data.product_name, g_ref_string_release);

  G_OBJECT_CLASS (bd_subscription_parent_class)->finalize (object);
}

static void
bd_subscription_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BdSubscription *self = BD_SUBSCRIPTION (object);
  const BdSubscriptionData *data = &self->data;

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
  set_data (self, data);

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

  return &self->data;
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
  g_return_if_fail (BD_IS_SUBSCRIPTION (self));
  g_return_if_fail (data != NULL);
  g_return_if_fail (g_strcmp0 (data->id, self->data.id) == 0);

  for (guint i = 1; i < N_PROPS; i++)
    {
      g_value_init (&before[i], properties[i]->value_type);
      g_object_get_property (G_OBJECT (self), properties[i]->name, &before[i]);
    }

  set_data (self, data);

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
  return self->data.id;
}

const char *
bd_subscription_get_product_name (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), NULL);
  return self->data.product_name;
}

BdStatus
bd_subscription_get_status (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), BD_STATUS_ACTIVE);
  return self->data.status;
}

guint
bd_subscription_get_quantity (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), 0);
  return self->data.quantity;
}

guint
bd_subscription_get_assigned_licenses (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), 0);
  return self->data.assigned_licenses;
}

BdRecurringBilling
bd_subscription_get_recurring_billing (BdSubscription *self)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), BD_RECURRING_BILLING_ON);
  return self->data.recurring_billing;
}

gboolean
bd_subscription_is_action_allowed (BdSubscription *self,
                                   BdAction        action)
{
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (self), FALSE);
  g_return_val_if_fail (action < BD_N_ACTIONS, FALSE);
  return (self->data.allowed_actions & BD_ACTION_MASK (action)) != 0;
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
  return self->data.action_blockers[action];
}
