/* bd-cancel-answer.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-cancel-answer"

#include "config.h"

#include "bd-cancel-answer.h"
#include "bd-cancel-parts.h"
#include "bd-json.h"

G_DEFINE_BOXED_TYPE (BdCancelAnswer, bd_cancel_answer, bd_cancel_answer_copy, bd_cancel_answer_free)

static const char * const answer_keys[] = { "subscription", "refund", "dataRetention", NULL };

/**
 * bd_cancel_answer_copy:
 *
 * Returns: (transfer full): a deep copy of @self
 */
BdCancelAnswer *
bd_cancel_answer_copy (const BdCancelAnswer *self)
{
  BdCancelAnswer *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  if (self->subscription != NULL)
    copy->subscription = bd_subscription_data_copy (self->subscription);
  return copy;
}

void
bd_cancel_answer_free (BdCancelAnswer *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->subscription, bd_subscription_data_free);
  g_free (self);
}

/* The member @key of @object, which must be an object. */
static JsonNode *
get_object_member (JsonObject  *object,
                   const char  *path,
                   const char  *key,
                   GError     **error)
{
  JsonObject *member = NULL;

  if (!bd_json_read_object (object, path, key, BD_JSON_REQUIRED, NULL, &member, error))
    return NULL;

  return json_object_get_member (object, key);
}

/**
 * bd_cancel_answer_new_from_json:
 * @path: (nullable): the path of @node, %NULL for the root
 *
 * Reads the cancel answer strictly: no unknown key at any level, the
 * subscription as the API writes it, a refund or null, both retention dates.
 * Whether the subscription is the one asked for is the caller's to check.
 *
 * Returns: (transfer full) (nullable): the answer
 */
BdCancelAnswer *
bd_cancel_answer_new_from_json (JsonNode    *node,
                                const char  *path,
                                GError     **error)
{
  g_autoptr(BdCancelAnswer) self = g_new0 (BdCancelAnswer, 1);
  g_autofree char *subscription_path = bd_json_path_member (path, "subscription");
  g_autofree char *refund_path = bd_json_path_member (path, "refund");
  JsonObject *object;
  JsonObject *refund = NULL;
  JsonNode *member;

  object = bd_json_expect_object (node, path, answer_keys, error);
  if (object == NULL ||
      (member = get_object_member (object, path, "subscription", error)) == NULL ||
      (self->subscription = bd_subscription_data_read_json (member, subscription_path,
                                                            BD_SUBSCRIPTION_JSON_API,
                                                            BD_TIME_NONE, error)) == NULL ||
      !bd_json_read_object (object, path, "refund", BD_JSON_REQUIRED | BD_JSON_NULLABLE,
                            bd_refund_keys, &refund, error) ||
      !bd_data_retention_read (object, path, &self->deletable_from, &self->deleted_by, error))
    return NULL;

  if (refund != NULL)
    {
      if (!bd_refund_read_members (refund, refund_path, &self->refund, &self->refund_method,
                                   error))
        return NULL;
      self->has_refund = TRUE;
    }

  return g_steal_pointer (&self);
}

/**
 * bd_cancel_answer_to_json:
 *
 * Writes the answer as one object value, the subscription in the API's
 * shape (derived and annotated as @self->subscription holds it).
 */
void
bd_cancel_answer_to_json (const BdCancelAnswer *self,
                          JsonBuilder          *builder)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->subscription != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "subscription");
  bd_subscription_data_to_json (self->subscription, BD_SUBSCRIPTION_JSON_API, builder);

  json_builder_set_member_name (builder, "refund");
  if (self->has_refund)
    bd_refund_to_json (&self->refund, self->refund_method, builder);
  else
    json_builder_add_null_value (builder);

  bd_data_retention_to_json (self->deletable_from, self->deleted_by, builder);

  json_builder_end_object (builder);
}
