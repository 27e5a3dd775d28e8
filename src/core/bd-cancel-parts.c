/* bd-cancel-parts.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-cancel-parts"

#include "config.h"

#include "bd-cancel-parts.h"
#include "bd-json.h"
#include "bd-subscription-data.h"

/* The largest refund: the largest unit price for the most licenses. */
#define REFUND_MAX (BD_UNIT_PRICE_MAX * BD_QUANTITY_MAX)

const char * const bd_refund_keys[] = { "amount", "currency", "method", NULL };
static const char * const retention_keys[] = { "deletableFrom", "deletedBy", NULL };

/**
 * bd_refund_read_members:
 * @object: a refund object, its keys checked against bd_refund_keys
 * @path: the path of @object
 * @amount: (out): the amount
 * @method: (out): how it is paid back
 *
 * Reads `method`, then `amount` and `currency` (0..the largest unit price
 * for the most licenses).
 */
gboolean
bd_refund_read_members (JsonObject      *object,
                        const char      *path,
                        BdMoney         *amount,
                        BdRefundMethod  *method,
                        GError         **error)
{
  const char *word = NULL;

  if (!bd_json_read_string (object, path, "method", BD_JSON_REQUIRED, &word, error))
    return FALSE;

  if (!bd_refund_method_from_string (word, method))
    {
      g_autofree char *method_path = bd_json_path_member (path, "method");

      bd_json_set_unknown_value (error, method_path, word);
      return FALSE;
    }

  return bd_money_read_members (object, path, REFUND_MAX, amount, error);
}

/**
 * bd_refund_to_json:
 *
 * Writes `{"amount", "currency", "method"}` as one object value.
 */
void
bd_refund_to_json (const BdMoney  *amount,
                   BdRefundMethod  method,
                   JsonBuilder    *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, amount->amount);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, amount->currency);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, bd_refund_method_to_string (method));
  json_builder_end_object (builder);
}

/**
 * bd_data_retention_read:
 * @object: the answer holding `dataRetention`
 * @path: the path of @object
 * @deletable_from: (out): from when the data may be deleted
 * @deleted_by: (out): by when it is deleted
 *
 * Reads the member `dataRetention` of @object: both dates, nothing else.
 */
gboolean
bd_data_retention_read (JsonObject  *object,
                        const char  *path,
                        gint64      *deletable_from,
                        gint64      *deleted_by,
                        GError     **error)
{
  g_autofree char *retention_path = bd_json_path_member (path, "dataRetention");
  JsonObject *retention = NULL;

  return bd_json_read_object (object, path, "dataRetention", BD_JSON_REQUIRED, retention_keys,
                              &retention, error) &&
         bd_json_read_time (retention, retention_path, "deletableFrom", BD_JSON_REQUIRED,
                            BD_TIME_NONE, deletable_from, error) &&
         bd_json_read_time (retention, retention_path, "deletedBy", BD_JSON_REQUIRED,
                            BD_TIME_NONE, deleted_by, error);
}

/**
 * bd_data_retention_to_json:
 *
 * Writes the member `dataRetention` into the object @builder is in.
 */
void
bd_data_retention_to_json (gint64       deletable_from,
                           gint64       deleted_by,
                           JsonBuilder *builder)
{
  json_builder_set_member_name (builder, "dataRetention");
  json_builder_begin_object (builder);
  bd_json_add_time_member (builder, "deletableFrom", deletable_from);
  bd_json_add_time_member (builder, "deletedBy", deleted_by);
  json_builder_end_object (builder);
}
