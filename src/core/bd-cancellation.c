/* bd-cancellation.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-cancellation"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bd-cancel-parts.h"
#include "bd-cancellation.h"
#include "bd-error.h"
#include "bd-json.h"
#include "bd-lifecycle.h"
#include "bd-time.h"

#define N_REASONS (BD_CANCEL_REASON_OTHER + 1)

typedef struct
{
  BdBlocker     code;
  guint         n_alternatives;
  BdAlternative alternatives[BD_MAX_ALTERNATIVES];
} Blocker;

/* The answer of GET /v1/subscriptions/{id}/cancellation. */
struct _BdCancellation
{
  GObject        parent_instance;

  gboolean       allowed;
  gint64         window_end;
  gboolean       has_refund;
  BdMoney        refund;
  BdRefundMethod refund_method;
  guint          n_blockers;
  Blocker        blockers[BD_MAX_BLOCKERS];
  guint          n_reasons;
  BdCancelReason reasons[N_REASONS];
  gint64         deletable_from;
  gint64         deleted_by;
};

G_DEFINE_FINAL_TYPE (BdCancellation, bd_cancellation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ALLOWED,
  PROP_WINDOW_END,
  PROP_N_BLOCKERS,
  PROP_DELETABLE_FROM,
  PROP_DELETED_BY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const char * const answer_keys[] = {
  "allowed", "windowEnd", "refund", "blockers", "reasons", "dataRetention", NULL
};
static const char * const blocker_keys[] = { "code", "alternatives", NULL };

/*
 * Reading
 */

static gboolean
read_refund (BdCancellation  *self,
             JsonObject      *object,
             const char      *path,
             GError         **error)
{
  g_autofree char *refund_path = bd_json_path_member (path, "refund");
  JsonObject *refund = NULL;

  if (!bd_json_read_object (object, path, "refund", BD_JSON_REQUIRED | BD_JSON_NULLABLE,
                            bd_refund_keys, &refund, error))
    return FALSE;
  if (refund == NULL)
    return TRUE;

  if (!bd_refund_read_members (refund, refund_path, &self->refund, &self->refund_method, error))
    return FALSE;

  self->has_refund = TRUE;
  return TRUE;
}

/* A blocker's alternatives: known words, each once, at most three. */
static gboolean
read_alternatives (Blocker     *blocker,
                   JsonArray   *alternatives,
                   const char  *alternatives_path,
                   GError     **error)
{
  if (json_array_get_length (alternatives) > BD_MAX_ALTERNATIVES)
    {
      bd_set_invalid_error (error, alternatives_path, _("too many items"));
      return FALSE;
    }

  for (guint j = 0; j < json_array_get_length (alternatives); j++)
    {
      g_autofree char *alternative_path = bd_json_path_index (alternatives_path, j);
      const char *word = bd_json_expect_string (json_array_get_element (alternatives, j),
                                                alternative_path, error);

      if (word == NULL)
        return FALSE;
      if (!bd_alternative_from_string (word, &blocker->alternatives[j]))
        {
          bd_json_set_unknown_value (error, alternative_path, word);
          return FALSE;
        }
      for (guint k = 0; k < j; k++)
        {
          if (blocker->alternatives[k] == blocker->alternatives[j])
            {
              bd_set_invalid_error (error, alternative_path, _("listed twice"));
              return FALSE;
            }
        }
    }

  blocker->n_alternatives = json_array_get_length (alternatives);
  return TRUE;
}

/* The code of the blocker at @index, after those before it: one that can
 * stop a cancel, in rule 7's order.
 */
static gboolean
read_blocker_code (BdCancellation  *self,
                   guint            index,
                   const char      *code,
                   const char      *code_path,
                   GError         **error)
{
  Blocker *blocker = &self->blockers[index];

  if (!bd_blocker_from_string (code, &blocker->code))
    {
      bd_json_set_unknown_value (error, code_path, code);
      return FALSE;
    }

  if (!bd_blocker_can_stop (blocker->code, BD_ACTION_CANCEL))
    {
      bd_set_invalid_error (error, code_path, _("this blocker cannot stop this action"));
      return FALSE;
    }

  /* Rule 7's order, each blocker once: the enum follows that order. */
  if (index > 0 && blocker->code <= self->blockers[index - 1].code)
    {
      bd_set_invalid_error (error, code_path, _("out of order or listed twice"));
      return FALSE;
    }

  /* A subscription that is not Active has only the state blockers. */
  if (index > 0 && (self->blockers[index - 1].code == BD_BLOCKER_INVALID_STATE ||
                    self->blockers[index - 1].code == BD_BLOCKER_NOT_ACTIVE))
    {
      bd_set_invalid_error (error, code_path,
                            _("no other blocker follows invalidState or notActive"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_blockers (BdCancellation  *self,
               JsonObject      *object,
               const char      *path,
               GError         **error)
{
  g_autofree char *blockers_path = bd_json_path_member (path, "blockers");
  JsonArray *blockers = NULL;

  if (!bd_json_read_array (object, path, "blockers", BD_JSON_REQUIRED, &blockers, error))
    return FALSE;

  if (json_array_get_length (blockers) > BD_MAX_BLOCKERS)
    {
      bd_set_invalid_error (error, blockers_path, _("too many items"));
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (blockers); i++)
    {
      g_autofree char *item_path = bd_json_path_index (blockers_path, i);
      g_autofree char *code_path = bd_json_path_member (item_path, "code");
      g_autofree char *alternatives_path = bd_json_path_member (item_path, "alternatives");
      JsonArray *alternatives = NULL;
      const char *code = NULL;
      JsonObject *item;

      item = bd_json_expect_object (json_array_get_element (blockers, i), item_path,
                                    blocker_keys, error);
      if (item == NULL ||
          !bd_json_read_string (item, item_path, "code", BD_JSON_REQUIRED, &code, error) ||
          !bd_json_read_array (item, item_path, "alternatives", BD_JSON_REQUIRED, &alternatives,
                               error) ||
          !read_blocker_code (self, i, code, code_path, error) ||
          !read_alternatives (&self->blockers[i], alternatives, alternatives_path, error))
        return FALSE;

      self->n_blockers++;
    }

  return TRUE;
}

static gboolean
read_reasons (BdCancellation  *self,
              JsonObject      *object,
              const char      *path,
              GError         **error)
{
  g_autofree char *reasons_path = bd_json_path_member (path, "reasons");
  JsonArray *reasons = NULL;
  guint seen = 0;

  if (!bd_json_read_array (object, path, "reasons", BD_JSON_REQUIRED, &reasons, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (reasons); i++)
    {
      g_autofree char *item_path = bd_json_path_index (reasons_path, i);
      const char *word = bd_json_expect_string (json_array_get_element (reasons, i), item_path,
                                                error);
      BdCancelReason reason;

      if (word == NULL)
        return FALSE;
      if (!bd_cancel_reason_from_string (word, &reason))
        {
          bd_json_set_unknown_value (error, item_path, word);
          return FALSE;
        }
      if (seen & (1u << reason))
        {
          bd_set_invalid_error (error, item_path, _("listed twice"));
          return FALSE;
        }
      seen |= 1u << reason;
      self->reasons[self->n_reasons++] = reason;
    }

  return TRUE;
}

/*
 * GObject overrides
 */

static void
bd_cancellation_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BdCancellation *self = BD_CANCELLATION (object);

  switch (prop_id)
    {
    case PROP_ALLOWED:
      g_value_set_boolean (value, self->allowed);
      break;
    case PROP_WINDOW_END:
      g_value_set_int64 (value, self->window_end);
      break;
    case PROP_N_BLOCKERS:
      g_value_set_uint (value, self->n_blockers);
      break;
    case PROP_DELETABLE_FROM:
      g_value_set_int64 (value, self->deletable_from);
      break;
    case PROP_DELETED_BY:
      g_value_set_int64 (value, self->deleted_by);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_cancellation_class_init (BdCancellationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = bd_cancellation_get_property;

  properties [PROP_ALLOWED] = g_param_spec_boolean ("allowed", NULL, NULL, FALSE, flags);
  properties [PROP_WINDOW_END] =
    g_param_spec_int64 ("window-end", NULL, NULL, G_MININT64, G_MAXINT64, BD_TIME_NONE, flags);
  properties [PROP_N_BLOCKERS] =
    g_param_spec_uint ("n-blockers", NULL, NULL, 0, BD_MAX_BLOCKERS, 0, flags);
  properties [PROP_DELETABLE_FROM] =
    g_param_spec_int64 ("deletable-from", NULL, NULL, G_MININT64, G_MAXINT64, BD_TIME_NONE, flags);
  properties [PROP_DELETED_BY] =
    g_param_spec_int64 ("deleted-by", NULL, NULL, G_MININT64, G_MAXINT64, BD_TIME_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_cancellation_init (BdCancellation *self)
{
  self->window_end = BD_TIME_NONE;
  self->deletable_from = BD_TIME_NONE;
  self->deleted_by = BD_TIME_NONE;
}

/*
 * Public API
 */

/**
 * bd_cancellation_evaluate:
 * @data: a subscription derived at ctx->now
 *
 * Rules 1-9 for one subscription, one user, one moment: whether a cancel now
 * is allowed, the window end, the refund, every blocker in rule 7's order
 * with its alternatives, the reasons and the data-retention dates. A reader
 * gets `insufficientRole` first, then what an admin would see, and no refund.
 *
 * Returns: (transfer full): the answer
 */
BdCancellation *
bd_cancellation_evaluate (const BdSubscriptionData *data,
                          const BdRuleContext      *ctx)
{
  BdCancellation *self;
  BdBlocker codes[BD_MAX_BLOCKERS];

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (ctx != NULL, NULL);

  self = g_object_new (BD_TYPE_CANCELLATION, NULL);
  self->n_blockers = bd_rules_cancel_blockers (data, ctx, codes);
  self->allowed = self->n_blockers == 0;
  self->window_end = bd_rules_window_end (data);
  self->has_refund = bd_rules_refund (data, ctx, &self->refund, &self->refund_method);

  for (guint i = 0; i < self->n_blockers; i++)
    {
      self->blockers[i].code = codes[i];
      self->blockers[i].n_alternatives =
        bd_rules_alternatives (data, codes[i], self->blockers[i].alternatives);
    }

  for (guint i = 0; i < N_REASONS; i++)
    self->reasons[self->n_reasons++] = (BdCancelReason) i;

  bd_lifecycle_data_retention (ctx->now, &self->deletable_from, &self->deleted_by);

  return self;
}

/**
 * bd_cancellation_new_from_json:
 *
 * Reads the cancellation answer strictly; `allowed` must agree with the
 * blockers, and a refund needs an allowed cancel.
 *
 * Returns: (transfer full) (nullable): the answer
 */
BdCancellation *
bd_cancellation_new_from_json (JsonNode    *node,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(BdCancellation) self = g_object_new (BD_TYPE_CANCELLATION, NULL);
  g_autofree char *allowed_path = bd_json_path_member (path, "allowed");
  g_autofree char *retention_path = bd_json_path_member (path, "dataRetention");
  JsonObject *object;

  object = bd_json_expect_object (node, path, answer_keys, error);
  if (object == NULL)
    return NULL;

  if (!bd_json_read_bool (object, path, "allowed", BD_JSON_REQUIRED, &self->allowed, error) ||
      !bd_json_read_time (object, path, "windowEnd", BD_JSON_REQUIRED | BD_JSON_NULLABLE,
                          BD_TIME_NONE, &self->window_end, error) ||
      !read_refund (self, object, path, error) ||
      !read_blockers (self, object, path, error) ||
      !read_reasons (self, object, path, error) ||
      !bd_data_retention_read (object, path, &self->deletable_from, &self->deleted_by, error))
    return NULL;

  if (self->deleted_by < self->deletable_from)
    {
      g_autofree char *deleted_by_path = bd_json_path_member (retention_path, "deletedBy");

      bd_set_invalid_error (error, deleted_by_path, _("must not be before deletableFrom"));
      return NULL;
    }

  if (self->allowed != (self->n_blockers == 0))
    {
      bd_set_invalid_error (error, allowed_path, _("does not agree with the blockers"));
      return NULL;
    }

  if (self->has_refund && !self->allowed)
    {
      g_autofree char *refund_path = bd_json_path_member (path, "refund");

      bd_set_invalid_error (error, refund_path, _("a refused cancel has no refund"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * bd_cancellation_to_json:
 *
 * Writes the answer as one object value.
 */
void
bd_cancellation_to_json (BdCancellation *self,
                         JsonBuilder    *builder)
{
  g_return_if_fail (BD_IS_CANCELLATION (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "allowed");
  json_builder_add_boolean_value (builder, self->allowed);
  bd_json_add_time_member (builder, "windowEnd", self->window_end);

  json_builder_set_member_name (builder, "refund");
  if (self->has_refund)
    bd_refund_to_json (&self->refund, self->refund_method, builder);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "blockers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->n_blockers; i++)
    {
      const Blocker *blocker = &self->blockers[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, bd_blocker_to_string (blocker->code));
      json_builder_set_member_name (builder, "alternatives");
      json_builder_begin_array (builder);
      for (guint j = 0; j < blocker->n_alternatives; j++)
        {
          const char *word = bd_alternative_to_string (blocker->alternatives[j]);

          json_builder_add_string_value (builder, word);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->n_reasons; i++)
    json_builder_add_string_value (builder, bd_cancel_reason_to_string (self->reasons[i]));
  json_builder_end_array (builder);

  bd_data_retention_to_json (self->deletable_from, self->deleted_by, builder);

  json_builder_end_object (builder);
}

gboolean
bd_cancellation_get_allowed (BdCancellation *self)
{
  g_return_val_if_fail (BD_IS_CANCELLATION (self), FALSE);
  return self->allowed;
}

/**
 * bd_cancellation_get_window_end:
 *
 * Returns: the end of the 7-day window, or %BD_TIME_NONE without a billing profile
 */
gint64
bd_cancellation_get_window_end (BdCancellation *self)
{
  g_return_val_if_fail (BD_IS_CANCELLATION (self), BD_TIME_NONE);
  return self->window_end;
}

/**
 * bd_cancellation_get_refund:
 * @amount: (out) (optional): the refund
 * @method: (out) (optional): how it is paid back
 *
 * Returns: whether a cancel now returns money
 */
gboolean
bd_cancellation_get_refund (BdCancellation *self,
                            BdMoney        *amount,
                            BdRefundMethod *method)
{
  g_return_val_if_fail (BD_IS_CANCELLATION (self), FALSE);

  if (!self->has_refund)
    return FALSE;
  if (amount != NULL)
    *amount = self->refund;
  if (method != NULL)
    *method = self->refund_method;
  return TRUE;
}

guint
bd_cancellation_get_n_blockers (BdCancellation *self)
{
  g_return_val_if_fail (BD_IS_CANCELLATION (self), 0);
  return self->n_blockers;
}

BdBlocker
bd_cancellation_get_blocker (BdCancellation *self,
                             guint           index)
{
  g_return_val_if_fail (BD_IS_CANCELLATION (self), BD_BLOCKER_NONE);
  g_return_val_if_fail (index < self->n_blockers, BD_BLOCKER_NONE);
  return self->blockers[index].code;
}

/**
 * bd_cancellation_get_alternatives:
 * @n_alternatives: (out): how many
 *
 * Returns: (array length=n_alternatives) (transfer none): what to do
 *   instead of the blocker at @index
 */
const BdAlternative *
bd_cancellation_get_alternatives (BdCancellation *self,
                                  guint           index,
                                  guint          *n_alternatives)
{
  g_return_val_if_fail (BD_IS_CANCELLATION (self), NULL);
  g_return_val_if_fail (index < self->n_blockers, NULL);
  g_return_val_if_fail (n_alternatives != NULL, NULL);

  *n_alternatives = self->blockers[index].n_alternatives;
  return self->blockers[index].alternatives;
}

/**
 * bd_cancellation_get_reasons:
 * @n_reasons: (out): how many
 *
 * Returns: (array length=n_reasons) (transfer none): the reason codes the
 *   cancel accepts, in the service's order
 */
const BdCancelReason *
bd_cancellation_get_reasons (BdCancellation *self,
                             guint          *n_reasons)
{
  g_return_val_if_fail (BD_IS_CANCELLATION (self), NULL);
  g_return_val_if_fail (n_reasons != NULL, NULL);

  *n_reasons = self->n_reasons;
  return self->reasons;
}

gint64
bd_cancellation_get_deletable_from (BdCancellation *self)
{
  g_return_val_if_fail (BD_IS_CANCELLATION (self), BD_TIME_NONE);
  return self->deletable_from;
}

gint64
bd_cancellation_get_deleted_by (BdCancellation *self)
{
  g_return_val_if_fail (BD_IS_CANCELLATION (self), BD_TIME_NONE);
  return self->deleted_by;
}
