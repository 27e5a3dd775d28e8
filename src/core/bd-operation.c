/* bd-operation.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-operation"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bd-cancel-parts.h"
#include "bd-core-enums.h"
#include "bd-error.h"
#include "bd-json.h"
#include "bd-operation.h"
#include "bd-subscription-data.h"

/* One entry of the service's audit ledger (GET /v1/operations), as the
 * client reads it: who changed which subscription, when, and how. The
 * detail's members depend on the action; only those of its action are
 * set. The user's display name and the product's name are those at the
 * time of the change, %NULL where the service could not know them (an
 * entry written before it stored them, of a user or product since gone).
 */
struct _BdOperation
{
  GObject         parent_instance;

  char           *id;
  gint64          time;
  char           *user_id;
  char           *user_display_name;
  char           *subscription_id;
  char           *product_name;
  BdAction        action;
  char           *idempotency_key;

  gboolean        has_detail;
  BdCancelReason  reason;         /* cancel */
  char           *feedback;       /* cancel, nullable */
  gboolean        has_refund;     /* cancel */
  BdMoney         refund;
  BdRefundMethod  refund_method;
  gint64          from;           /* the other actions: a quantity, or an enum value */
  gint64          to;
};

G_DEFINE_FINAL_TYPE (BdOperation, bd_operation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TIME,
  PROP_USER_ID,
  PROP_USER_DISPLAY_NAME,
  PROP_SUBSCRIPTION_ID,
  PROP_PRODUCT_NAME,
  PROP_ACTION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char * const operation_keys[] = {
  "id", "time", "userId", "userDisplayName", "subscriptionId", "productName", "action",
  "idempotencyKey", "detail", NULL
};
static const char * const cancel_keys[] = { "reason", "feedback", "refund", NULL };
static const char * const change_keys[] = { "from", "to", NULL };

/*
 * Reading the detail
 */

static gboolean
read_cancel_detail (BdOperation  *self,
                    JsonObject   *detail,
                    const char   *path,
                    GError      **error)
{
  g_autofree char *refund_path = bd_json_path_member (path, "refund");
  const char *word = NULL;
  const char *feedback = NULL;
  JsonObject *refund = NULL;

  if (!bd_json_read_string (detail, path, "reason", BD_JSON_REQUIRED, &word, error))
    return FALSE;

  if (!bd_cancel_reason_from_string (word, &self->reason))
    {
      g_autofree char *reason_path = bd_json_path_member (path, "reason");

      bd_json_set_unknown_value (error, reason_path, word);
      return FALSE;
    }

  if (!bd_json_read_string (detail, path, "feedback", BD_JSON_REQUIRED | BD_JSON_NULLABLE,
                            &feedback, error) ||
      !bd_json_read_object (detail, path, "refund", BD_JSON_REQUIRED | BD_JSON_NULLABLE,
                            bd_refund_keys, &refund, error))
    return FALSE;

  if (refund != NULL)
    {
      if (!bd_refund_read_members (refund, refund_path, &self->refund, &self->refund_method,
                                   error))
        return FALSE;
      self->has_refund = TRUE;
    }

  self->feedback = g_strdup (feedback);
  return TRUE;
}

/* One word of a change, as the value of its action's enum. */
static gboolean
read_change_word (BdAction     action,
                  JsonObject  *detail,
                  const char  *path,
                  const char  *key,
                  gint64      *value,
                  GError     **error)
{
  const char *word = NULL;
  gboolean known = FALSE;

  if (!bd_json_read_string (detail, path, key, BD_JSON_REQUIRED, &word, error))
    return FALSE;

  if (action == BD_ACTION_CHANGE_RECURRING_BILLING)
    {
      BdRecurringBilling recurring_billing = BD_RECURRING_BILLING_ON;

      known = bd_recurring_billing_from_string (word, &recurring_billing);
      *value = recurring_billing;
    }
  else
    {
      BdStatus status = BD_STATUS_ACTIVE;

      known = bd_status_from_string (word, &status);
      *value = status;
    }

  if (!known)
    {
      g_autofree char *word_path = bd_json_path_member (path, key);

      bd_json_set_unknown_value (error, word_path, word);
    }

  return known;
}

/* `{"from", "to"}`: quantities, recurring billing, or statuses (a reactivate
 * ends Active, a delete Deleted).
 */
static gboolean
read_change_detail (BdOperation  *self,
                    JsonObject   *detail,
                    const char   *path,
                    GError      **error)
{
  BdStatus end = BD_STATUS_ACTIVE;

  if (self->action == BD_ACTION_CHANGE_QUANTITY)
    return bd_json_read_int (detail, path, "from", BD_JSON_REQUIRED, 0, BD_QUANTITY_MAX,
                             &self->from, error) &&
           bd_json_read_int (detail, path, "to", BD_JSON_REQUIRED, 0, BD_QUANTITY_MAX,
                             &self->to, error);

  if (!read_change_word (self->action, detail, path, "from", &self->from, error) ||
      !read_change_word (self->action, detail, path, "to", &self->to, error))
    return FALSE;

  if (self->action == BD_ACTION_DELETE)
    end = BD_STATUS_DELETED;
  if (self->action != BD_ACTION_CHANGE_RECURRING_BILLING && self->to != end)
    {
      g_autofree char *to_path = bd_json_path_member (path, "to");

      /* Translators: %s is a word of the API, such as "active" */
      bd_set_invalid_error (error, to_path, _("expected “%s”"), bd_status_to_string (end));
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_detail (BdOperation  *self,
             JsonObject   *object,
             const char   *path,
             GError      **error)
{
  g_autofree char *detail_path = bd_json_path_member (path, "detail");
  const char * const *keys = self->action == BD_ACTION_CANCEL ? cancel_keys : change_keys;
  JsonObject *detail = NULL;

  /* Null only where the service could not read its own text back. */
  if (!bd_json_read_object (object, path, "detail", BD_JSON_REQUIRED | BD_JSON_NULLABLE,
                            keys, &detail, error))
    return FALSE;
  if (detail == NULL)
    return TRUE;

  self->has_detail = TRUE;
  if (self->action == BD_ACTION_CANCEL)
    return read_cancel_detail (self, detail, detail_path, error);

  return read_change_detail (self, detail, detail_path, error);
}

/*
 * GObject overrides
 */

static void
bd_operation_finalize (GObject *object)
{
  BdOperation *self = (BdOperation *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->user_display_name, g_free);
  g_clear_pointer (&self->subscription_id, g_free);
  g_clear_pointer (&self->product_name, g_free);
  g_clear_pointer (&self->idempotency_key, g_free);
  g_clear_pointer (&self->feedback, g_free);

  G_OBJECT_CLASS (bd_operation_parent_class)->finalize (object);
}

static void
bd_operation_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BdOperation *self = BD_OPERATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;

    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;

    case PROP_USER_DISPLAY_NAME:
      g_value_set_string (value, self->user_display_name);
      break;

    case PROP_SUBSCRIPTION_ID:
      g_value_set_string (value, self->subscription_id);
      break;

    case PROP_PRODUCT_NAME:
      g_value_set_string (value, self->product_name);
      break;

    case PROP_ACTION:
      g_value_set_enum (value, self->action);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_operation_class_init (BdOperationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bd_operation_finalize;
  object_class->get_property = bd_operation_get_property;

  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_USER_DISPLAY_NAME] =
    g_param_spec_string ("user-display-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_SUBSCRIPTION_ID] =
    g_param_spec_string ("subscription-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_PRODUCT_NAME] =
    g_param_spec_string ("product-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties [PROP_ACTION] =
    g_param_spec_enum ("action", NULL, NULL,
                       BD_TYPE_ACTION,
                       BD_ACTION_CANCEL,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_operation_init (BdOperation *self)
{
  self->action = BD_ACTION_CANCEL;
}

/*
 * Public API
 */

/**
 * bd_operation_new_from_json:
 * @node: a ledger entry as GET /v1/operations answers it
 * @path: (nullable): the path of @node, such as `value[3]`, for error messages
 * @error: return location for a %BD_CORE_ERROR_INVALID
 *
 * Reads a ledger entry strictly: unknown keys, an action this version does
 * not know, a detail that is not its action's, a bad word or number are
 * refused with the path of the value. `userDisplayName` and `productName`
 * may be absent or null (a service before them, or an entry it could not
 * name); `detail` may be null.
 *
 * Returns: (transfer full): a new #BdOperation, or %NULL with @error set
 */
BdOperation *
bd_operation_new_from_json (JsonNode    *node,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(BdOperation) self = NULL;
  const char *id = NULL;
  const char *user_id = NULL;
  const char *user_display_name = NULL;
  const char *subscription_id = NULL;
  const char *product_name = NULL;
  const char *action_word = NULL;
  const char *idempotency_key = NULL;
  JsonObject *object;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = bd_json_expect_object (node, path, operation_keys, error);
  if (object == NULL)
    return NULL;

  self = g_object_new (BD_TYPE_OPERATION, NULL);

  if (!bd_json_read_string (object, path, "id", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY,
                            &id, error) ||
      !bd_json_read_time (object, path, "time", BD_JSON_REQUIRED, BD_TIME_NONE,
                          &self->time, error) ||
      !bd_json_read_string (object, path, "userId", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY,
                            &user_id, error) ||
      !bd_json_read_string (object, path, "userDisplayName",
                            BD_JSON_NULLABLE | BD_JSON_NON_EMPTY, &user_display_name, error) ||
      !bd_json_read_string (object, path, "subscriptionId",
                            BD_JSON_REQUIRED | BD_JSON_NON_EMPTY, &subscription_id, error) ||
      !bd_json_read_string (object, path, "productName", BD_JSON_NULLABLE | BD_JSON_NON_EMPTY,
                            &product_name, error) ||
      !bd_json_read_string (object, path, "action", BD_JSON_REQUIRED, &action_word, error) ||
      !bd_json_read_string (object, path, "idempotencyKey",
                            BD_JSON_REQUIRED | BD_JSON_NULLABLE | BD_JSON_NON_EMPTY,
                            &idempotency_key, error))
    return NULL;

  if (!bd_action_from_string (action_word, &self->action))
    {
      g_autofree char *action_path = bd_json_path_member (path, "action");

      bd_json_set_unknown_value (error, action_path, action_word);
      return NULL;
    }

  if (!read_detail (self, object, path, error))
    return NULL;

  self->id = g_strdup (id);
  self->user_id = g_strdup (user_id);
  self->user_display_name = g_strdup (user_display_name);
  self->subscription_id = g_strdup (subscription_id);
  self->product_name = g_strdup (product_name);
  self->idempotency_key = g_strdup (idempotency_key);

  return g_steal_pointer (&self);
}

const char *
bd_operation_get_id (BdOperation *self)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), NULL);

  return self->id;
}

/* Returns: when the change was applied, seconds since the epoch in UTC */
gint64
bd_operation_get_time (BdOperation *self)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), BD_TIME_NONE);

  return self->time;
}

const char *
bd_operation_get_user_id (BdOperation *self)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), NULL);

  return self->user_id;
}

/* Returns: (nullable): the user's display name at the time of the change */
const char *
bd_operation_get_user_display_name (BdOperation *self)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), NULL);

  return self->user_display_name;
}

const char *
bd_operation_get_subscription_id (BdOperation *self)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), NULL);

  return self->subscription_id;
}

/* Returns: (nullable): the product's name at the time of the change */
const char *
bd_operation_get_product_name (BdOperation *self)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), NULL);

  return self->product_name;
}

BdAction
bd_operation_get_action (BdOperation *self)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), BD_ACTION_CANCEL);

  return self->action;
}

/* Returns: (nullable): the request's Idempotency-Key; %NULL without one */
const char *
bd_operation_get_idempotency_key (BdOperation *self)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), NULL);

  return self->idempotency_key;
}

/* Returns: %FALSE when the service answered a null detail */
gboolean
bd_operation_has_detail (BdOperation *self)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), FALSE);

  return self->has_detail;
}

/**
 * bd_operation_get_cancel_reason:
 * @reason: (out) (optional): the reason given for the cancel
 *
 * Returns: %TRUE for a cancel with its detail
 */
gboolean
bd_operation_get_cancel_reason (BdOperation    *self,
                                BdCancelReason *reason)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), FALSE);

  if (self->action != BD_ACTION_CANCEL || !self->has_detail)
    return FALSE;

  if (reason != NULL)
    *reason = self->reason;
  return TRUE;
}

/* Returns: (nullable): a cancel's feedback, if it had one */
const char *
bd_operation_get_feedback (BdOperation *self)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), NULL);

  return self->feedback;
}

/**
 * bd_operation_get_refund:
 * @amount: (out) (optional): the amount and its currency
 * @method: (out) (optional): how it is paid back
 *
 * Returns: %TRUE for a cancel that gave a refund
 */
gboolean
bd_operation_get_refund (BdOperation    *self,
                         BdMoney        *amount,
                         BdRefundMethod *method)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), FALSE);

  if (!self->has_refund)
    return FALSE;

  if (amount != NULL)
    *amount = self->refund;
  if (method != NULL)
    *method = self->refund_method;
  return TRUE;
}

/**
 * bd_operation_get_recurring_billing_change:
 * @from: (out) (optional): recurring billing before
 * @to: (out) (optional): recurring billing after
 *
 * Returns: %TRUE for a change of recurring billing with its detail
 */
gboolean
bd_operation_get_recurring_billing_change (BdOperation        *self,
                                           BdRecurringBilling *from,
                                           BdRecurringBilling *to)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), FALSE);

  if (self->action != BD_ACTION_CHANGE_RECURRING_BILLING || !self->has_detail)
    return FALSE;

  if (from != NULL)
    *from = (BdRecurringBilling) self->from;
  if (to != NULL)
    *to = (BdRecurringBilling) self->to;
  return TRUE;
}

/**
 * bd_operation_get_quantity_change:
 * @from: (out) (optional): the number of licenses before
 * @to: (out) (optional): the number of licenses after
 *
 * Returns: %TRUE for a change of quantity with its detail
 */
gboolean
bd_operation_get_quantity_change (BdOperation *self,
                                  gint64      *from,
                                  gint64      *to)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), FALSE);

  if (self->action != BD_ACTION_CHANGE_QUANTITY || !self->has_detail)
    return FALSE;

  if (from != NULL)
    *from = self->from;
  if (to != NULL)
    *to = self->to;
  return TRUE;
}

/**
 * bd_operation_get_status_change:
 * @from: (out) (optional): the status before
 * @to: (out) (optional): the status after (Active, or Deleted)
 *
 * Returns: %TRUE for a reactivate or a delete with its detail
 */
gboolean
bd_operation_get_status_change (BdOperation *self,
                                BdStatus    *from,
                                BdStatus    *to)
{
  g_return_val_if_fail (BD_IS_OPERATION (self), FALSE);

  if ((self->action != BD_ACTION_REACTIVATE && self->action != BD_ACTION_DELETE) ||
      !self->has_detail)
    return FALSE;

  if (from != NULL)
    *from = (BdStatus) self->from;
  if (to != NULL)
    *to = (BdStatus) self->to;
  return TRUE;
}
