/* bd-api-changes.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-api"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bd-api-private.h"

/* Answers are kept at least 24 hours (DESIGN.md); twice that, to be safe
 * across clock changes.
 */
#define IDEMPOTENCY_KEEP_SECONDS (48 * BD_SECONDS_PER_HOUR)
#define IDEMPOTENCY_KEY_MAX 255

/* The requests that change a subscription share their way through the
 * checks; this is what one of them has gathered on the way.
 */
typedef struct
{
  BdApiCall          *call;
  const char         *endpoint;      /* the method and route: the key's scope */
  const char         *key;           /* (nullable) Idempotency-Key */
  GBytes             *fingerprint;   /* of the method, path and body */
  BdSubscriptionData *data;          /* derived at now, inside the transaction */
  BdRuleContext       ctx;
  gboolean            in_transaction;
} Change;

static void
change_clear (Change *change)
{
  if (change->in_transaction)
    bd_store_rollback (change->call->store);
  g_clear_pointer (&change->fingerprint, g_bytes_unref);
  g_clear_pointer (&change->data, bd_subscription_data_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Change, change_clear)

static JsonObject *
parse_body (BdApiCall           *call,
            gboolean             required,
            const char * const  *keys,
            BdApiResponse      **invalid)
{
  const BdApiRequest *request = call->request;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (request->body_length == 0)
    {
      if (required)
        *invalid = _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, NULL,
                                  "This request needs a JSON body.");
      return NULL;
    }

  node = bd_json_parse (request->body, (gssize) request->body_length, &error);
  if (node == NULL)
    {
      *invalid = _bd_api_invalid_json (error);
      return NULL;
    }

  object = bd_json_expect_object (node, NULL, keys, &error);
  if (object == NULL)
    {
      *invalid = _bd_api_invalid_json (error);
      return NULL;
    }

  return json_object_ref (object);
}

static BdApiResponse *
check_role (BdApiCall *call)
{
  if (bd_user_can_manage (call->user))
    return NULL;

  return _bd_api_error (BD_ERROR_CODE_FORBIDDEN, NULL,
                        "Only Global admins and Billing admins can change subscriptions.");
}

/* 1..255 printable ASCII characters (DESIGN.md section 3). */
static BdApiResponse *
check_idempotency_key (BdApiCall *call,
                       gboolean   required)
{
  const char *key = call->request->idempotency_key;
  gsize length;

  if (key == NULL)
    {
      if (!required)
        return NULL;
      return _bd_api_error (BD_ERROR_CODE_IDEMPOTENCY_KEY_REQUIRED, "Idempotency-Key",
                            "This request needs an Idempotency-Key header.");
    }

  length = strlen (key);
  for (gsize i = 0; i < length; i++)
    {
      if (key[i] < 0x20 || key[i] > 0x7e)
        length = 0;
    }

  if (length == 0 || length > IDEMPOTENCY_KEY_MAX)
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "Idempotency-Key",
                          "An Idempotency-Key is 1 to 255 printable ASCII characters.");

  return NULL;
}

static BdApiResponse *
check_if_match_present (BdApiCall *call)
{
  if (call->request->if_match != NULL)
    return NULL;

  return _bd_api_error (BD_ERROR_CODE_PRECONDITION_REQUIRED, "If-Match",
                        "This request needs an If-Match header with the subscription's ETag.");
}

/* If-Match (RFC 9110): `*` or a list of entity tags, compared strongly. */
static gboolean
if_match_matches (const char *if_match,
                  const char *etag)
{
  g_auto(GStrv) tags = g_strsplit (if_match, ",", -1);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (strcmp (tag, "*") == 0 || strcmp (tag, etag) == 0)
        return TRUE;
    }

  return FALSE;
}

static GBytes *
fingerprint_of (const BdApiRequest *request)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) request->method, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) request->path, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  if (request->body_length > 0)
    g_checksum_update (checksum, (const guchar *) request->body, (gssize) request->body_length);
  g_checksum_get_digest (checksum, digest, &length);

  return g_bytes_new (digest, length);
}

/* The ETag of a stored answer: of the subscription it holds. */
static char *
etag_of_answer (GBytes *body)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  node = bd_json_parse (data, (gssize) length, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  if (json_object_has_member (object, "subscription") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "subscription")))
    object = json_object_get_object_member (object, "subscription");
  if (!json_object_has_member (object, "etag") ||
      json_node_get_value_type (json_object_get_member (object, "etag")) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_object_get_string_member (object, "etag"));
}

/* Opens the transaction, replays a request seen before under the same key
 * (or refuses it, 422, when its body differs), and reads the subscription
 * derived at now.
 */
static BdApiResponse *
begin_change (Change *change)
{
  BdApiCall *call = change->call;
  g_autoptr(GError) error = NULL;

  if (!bd_store_begin (call->store, &error))
    return _bd_api_store_error (error);
  change->in_transaction = TRUE;

  if (change->key != NULL)
    {
      g_autoptr(BdIdempotentAnswer) answer = NULL;

      change->fingerprint = fingerprint_of (call->request);
      if (!bd_store_get_idempotent_answer (call->store, bd_user_get_id (call->user),
                                           change->endpoint, change->key, &answer, &error))
        return _bd_api_store_error (error);

      if (answer != NULL)
        {
          BdApiResponse *replay;

          if (!g_bytes_equal (answer->fingerprint, change->fingerprint))
            return _bd_api_error (BD_ERROR_CODE_IDEMPOTENCY_KEY_REUSED, "Idempotency-Key",
                                  "This Idempotency-Key was used for another request.");

          replay = g_new0 (BdApiResponse, 1);
          replay->status = answer->status;
          replay->body = g_bytes_ref (answer->body);
          replay->etag = etag_of_answer (answer->body);
          return replay;
        }
    }

  change->data = bd_store_get_subscription (call->store, call->subscription_id, &error);
  if (change->data == NULL)
    {
      if (error != NULL)
        return _bd_api_store_error (error);
      return _bd_api_error (BD_ERROR_CODE_NOT_FOUND, NULL, "There is no such subscription.");
    }

  if (!_bd_api_load_context (call, &error))
    return _bd_api_store_error (error);

  _bd_api_derive (call, change->data);
  _bd_api_rule_context (call, change->data, &change->ctx);

  return NULL;
}

static BdApiResponse *
check_etag (Change *change)
{
  if (if_match_matches (change->call->request->if_match, change->data->etag))
    return NULL;

  return _bd_api_error (BD_ERROR_CODE_PRECONDITION_FAILED, "If-Match",
                        "The subscription changed since it was read.");
}

/* Keeps @response under the request's key, when it has one, and commits. */
static BdApiResponse *
finish_change (Change        *change,
               BdApiResponse *response)
{
  BdApiCall *call = change->call;
  g_autoptr(GError) error = NULL;

  if (change->key != NULL)
    {
      BdIdempotentAnswer answer = {
        .fingerprint = change->fingerprint,
        .status = response->status,
        .body = response->body,
        .created = call->now,
      };

      if (!bd_store_put_idempotent_answer (call->store, bd_user_get_id (call->user),
                                           change->endpoint, change->key, &answer, &error) ||
          !bd_store_forget_idempotent_answers (call->store,
                                               call->now - IDEMPOTENCY_KEEP_SECONDS, &error))
        {
          bd_api_response_free (response);
          return _bd_api_store_error (error);
        }
    }

  if (!bd_store_commit (call->store, &error))
    {
      bd_api_response_free (response);
      return _bd_api_store_error (error);
    }
  change->in_transaction = FALSE;

  return response;
}

static const char *
blocker_message (BdBlocker blocker)
{
  switch (blocker)
    {
    case BD_BLOCKER_INVALID_STATE:
      return "The subscription is not in a state that allows this.";
    case BD_BLOCKER_NOT_ACTIVE:
      return "Only an active subscription can be changed this way.";
    case BD_BLOCKER_DOMAIN_SUBSCRIPTION:
      return "A domain subscription cannot be cancelled; turn off recurring billing instead.";
    case BD_BLOCKER_PURCHASED_THROUGH_PARTNER:
      return "This subscription was bought through a partner, who cancels it.";
    case BD_BLOCKER_CUSTOM_DOMAIN_ATTACHED:
      return "A custom domain is attached; remove it first.";
    case BD_BLOCKER_CANCELLATION_WINDOW_CLOSED:
      return "The 7-day cancellation window has closed; turn off recurring billing instead.";
    case BD_BLOCKER_TOO_MANY_LICENSES:
      return "Without a billing profile only subscriptions of 25 or fewer licenses can be "
             "cancelled.";
    case BD_BLOCKER_LICENSES_ASSIGNED:
      return "More licenses are assigned than the new quantity; unassign them first.";
    case BD_BLOCKER_QUANTITY_LOCKED:
      return "Trials, prepaid and reseller subscriptions cannot change their quantity.";
    case BD_BLOCKER_INSUFFICIENT_ROLE:
    case BD_BLOCKER_NONE:
    default:
      return "The request is not allowed.";
    }
}

/* 409: the rule that refused, kept under the key like a success. */
static BdApiResponse *
refuse (Change    *change,
        BdBlocker  blocker)
{
  return finish_change (change, _bd_api_error (bd_blocker_get_error_code (blocker), NULL,
                                               "%s", blocker_message (blocker)));
}

static gboolean
record (Change      *change,
        BdAction     action,
        JsonBuilder *detail,
        GError     **error)
{
  BdApiCall *call = change->call;
  g_autoptr(JsonNode) root = json_builder_get_root (detail);
  g_autofree char *text = bd_json_to_data (root, NULL);
  BdOperation operation = {
    .time = call->now,
    .user_id = (char *) bd_user_get_id (call->user),
    .subscription_id = change->data->id,
    .action = (char *) bd_action_to_string (action),
    .idempotency_key = (char *) change->key,
    .detail = text,
  };
  gboolean ok;

  ok = bd_store_add_operation (call->store, &operation, error);
  g_free (operation.id);

  return ok;
}

static BdApiResponse *
subscription_answer (Change *change)
{
  g_autoptr(JsonNode) node = NULL;

  _bd_api_derive (change->call, change->data);
  node = _bd_api_subscription_node (change->data);
  return _bd_api_json (200, node, change->data->etag);
}

static void
add_money (JsonBuilder    *builder,
           const BdMoney  *amount,
           BdRefundMethod  method)
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

/*
 * POST /v1/subscriptions/{id}/cancel
 */

BdApiResponse *
_bd_api_cancel (BdApiCall *call)
{
  static const char * const keys[] = { "reason", "feedback", NULL };
  g_auto(Change) change = { .call = call, .endpoint = "POST /v1/subscriptions/{id}/cancel" };
  g_autoptr(JsonBuilder) detail = json_builder_new ();
  g_autoptr(JsonBuilder) answer = json_builder_new ();
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deletable_text = NULL;
  g_autofree char *deleted_text = NULL;
  BdApiResponse *response = NULL;
  const char *reason_word = NULL;
  const char *feedback = NULL;
  BdCancelReason reason;
  BdRefundMethod method;
  BdMoney refund;
  gboolean has_refund;
  gint64 deletable_from, deleted_by;
  BdBlocker blocker;

  /* 400 */
  body = parse_body (call, TRUE, keys, &response);
  if (body == NULL)
    return response;
  if (!bd_json_read_string (body, NULL, "reason", BD_JSON_REQUIRED, &reason_word, &error) ||
      !bd_json_read_string (body, NULL, "feedback", BD_JSON_NULLABLE, &feedback, &error))
    return _bd_api_invalid_json (error);
  if (!bd_cancel_reason_from_string (reason_word, &reason))
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "reason", "Unknown reason.");
  if (!bd_rules_feedback_is_valid (reason, feedback))
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "feedback",
                          "Feedback is at most 2,000 characters, and required for “other”.");

  /* 403, then a missing Idempotency-Key */
  if ((response = check_role (call)) != NULL ||
      (response = check_idempotency_key (call, TRUE)) != NULL)
    return response;

  change.key = call->request->idempotency_key;

  /* a replay or 422, then 409 */
  if ((response = begin_change (&change)) != NULL)
    return response;

  blocker = bd_rules_first_blocker (change.data, &change.ctx, BD_ACTION_CANCEL);
  if (blocker != BD_BLOCKER_NONE)
    return refuse (&change, blocker);

  /* Rule 4 before rule 9 ends the term. */
  has_refund = bd_rules_refund (change.data, &change.ctx, &refund, &method);
  bd_lifecycle_data_retention (call->now, &deletable_from, &deleted_by);
  bd_lifecycle_cancel (change.data, call->now);

  json_builder_begin_object (detail);
  json_builder_set_member_name (detail, "reason");
  json_builder_add_string_value (detail, reason_word);
  json_builder_set_member_name (detail, "feedback");
  if (feedback != NULL)
    json_builder_add_string_value (detail, feedback);
  else
    json_builder_add_null_value (detail);
  json_builder_set_member_name (detail, "refund");
  if (has_refund)
    add_money (detail, &refund, method);
  else
    json_builder_add_null_value (detail);
  json_builder_end_object (detail);

  if (!bd_store_put_subscription (call->store, change.data, &error) ||
      !record (&change, BD_ACTION_CANCEL, detail, &error))
    return _bd_api_store_error (error);

  _bd_api_derive (call, change.data);
  deletable_text = bd_time_format (deletable_from);
  deleted_text = bd_time_format (deleted_by);

  json_builder_begin_object (answer);
  json_builder_set_member_name (answer, "subscription");
  json_builder_add_value (answer, _bd_api_subscription_node (change.data));
  json_builder_set_member_name (answer, "refund");
  if (has_refund)
    add_money (answer, &refund, method);
  else
    json_builder_add_null_value (answer);
  json_builder_set_member_name (answer, "dataRetention");
  json_builder_begin_object (answer);
  json_builder_set_member_name (answer, "deletableFrom");
  json_builder_add_string_value (answer, deletable_text);
  json_builder_set_member_name (answer, "deletedBy");
  json_builder_add_string_value (answer, deleted_text);
  json_builder_end_object (answer);
  json_builder_end_object (answer);

  root = json_builder_get_root (answer);
  return finish_change (&change, _bd_api_json (200, root, change.data->etag));
}

/*
 * PATCH /v1/subscriptions/{id}
 */

static void
build_change_detail (JsonBuilder *builder,
                     const char  *from,
                     const char  *to)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  json_builder_end_object (builder);
}

BdApiResponse *
_bd_api_patch (BdApiCall *call)
{
  static const char * const keys[] = { "recurringBilling", "quantity", NULL };
  g_auto(Change) change = { .call = call, .endpoint = "PATCH /v1/subscriptions/{id}" };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  BdApiResponse *response = NULL;
  const char *recurring_word = NULL;
  BdRecurringBilling recurring = BD_RECURRING_BILLING_ON;
  gint64 quantity = -1;
  BdBlocker blocker;

  /* 400 */
  body = parse_body (call, TRUE, keys, &response);
  if (body == NULL)
    return response;
  if (json_object_get_size (body) == 0)
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, NULL,
                          "Say what to change: recurringBilling, quantity or both.");
  if (!bd_json_read_string (body, NULL, "recurringBilling", BD_JSON_OPTIONAL, &recurring_word,
                            &error) ||
      !bd_json_read_int (body, NULL, "quantity", BD_JSON_OPTIONAL, 1, BD_QUANTITY_MAX, &quantity,
                         &error))
    return _bd_api_invalid_json (error);
  if (recurring_word != NULL && !bd_recurring_billing_from_string (recurring_word, &recurring))
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "recurringBilling",
                          "recurringBilling is on, renewOnce or off.");

  /* 403, 428; PATCH relies on If-Match, not on an Idempotency-Key */
  if ((response = check_role (call)) != NULL ||
      (response = check_if_match_present (call)) != NULL)
    return response;

  /* 412, 409 */
  if ((response = begin_change (&change)) != NULL ||
      (response = check_etag (&change)) != NULL)
    return response;

  if (recurring_word != NULL)
    {
      blocker = bd_rules_first_blocker (change.data, &change.ctx,
                                        BD_ACTION_CHANGE_RECURRING_BILLING);
      if (blocker != BD_BLOCKER_NONE)
        return refuse (&change, blocker);
    }
  if (quantity >= 0)
    {
      blocker = bd_rules_check_quantity (change.data, &change.ctx, quantity);
      if (blocker != BD_BLOCKER_NONE)
        return refuse (&change, blocker);
    }

  /* One ledger entry per field that changed; none when nothing did. */
  if (recurring_word != NULL && recurring != change.data->recurring_billing)
    {
      g_autoptr(JsonBuilder) detail = json_builder_new ();

      build_change_detail (detail, bd_recurring_billing_to_string (change.data->recurring_billing),
                           recurring_word);
      change.data->recurring_billing = recurring;
      if (!record (&change, BD_ACTION_CHANGE_RECURRING_BILLING, detail, &error))
        return _bd_api_store_error (error);
    }

  if (quantity >= 0 && (guint) quantity != change.data->quantity)
    {
      g_autoptr(JsonBuilder) detail = json_builder_new ();

      json_builder_begin_object (detail);
      json_builder_set_member_name (detail, "from");
      json_builder_add_int_value (detail, change.data->quantity);
      json_builder_set_member_name (detail, "to");
      json_builder_add_int_value (detail, quantity);
      json_builder_end_object (detail);
      change.data->quantity = (guint) quantity;
      if (!record (&change, BD_ACTION_CHANGE_QUANTITY, detail, &error))
        return _bd_api_store_error (error);
    }

  if (!bd_store_put_subscription (call->store, change.data, &error))
    return _bd_api_store_error (error);

  return finish_change (&change, subscription_answer (&change));
}

/*
 * POST /v1/subscriptions/{id}/reactivate
 */

BdApiResponse *
_bd_api_reactivate (BdApiCall *call)
{
  static const char * const keys[] = { NULL };
  g_auto(Change) change = { .call = call, .endpoint = "POST /v1/subscriptions/{id}/reactivate" };
  g_autoptr(JsonBuilder) detail = json_builder_new ();
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  BdApiResponse *response = NULL;
  BdBlocker blocker;

  /* 400: no body, or an empty object */
  body = parse_body (call, FALSE, keys, &response);
  if (response != NULL)
    return response;

  /* 403; the Idempotency-Key is honoured, not required */
  if ((response = check_role (call)) != NULL ||
      (response = check_idempotency_key (call, FALSE)) != NULL)
    return response;

  change.key = call->request->idempotency_key;

  if ((response = begin_change (&change)) != NULL)
    return response;

  blocker = bd_rules_first_blocker (change.data, &change.ctx, BD_ACTION_REACTIVATE);
  if (blocker != BD_BLOCKER_NONE)
    return refuse (&change, blocker);

  build_change_detail (detail, bd_status_to_string (change.data->status),
                       bd_status_to_string (BD_STATUS_ACTIVE));
  bd_lifecycle_reactivate (change.data, call->now);

  if (!bd_store_put_subscription (call->store, change.data, &error) ||
      !record (&change, BD_ACTION_REACTIVATE, detail, &error))
    return _bd_api_store_error (error);

  return finish_change (&change, subscription_answer (&change));
}

/*
 * DELETE /v1/subscriptions/{id}
 */

BdApiResponse *
_bd_api_delete (BdApiCall *call)
{
  static const char * const keys[] = { "confirm", NULL };
  g_auto(Change) change = { .call = call, .endpoint = "DELETE /v1/subscriptions/{id}" };
  g_autoptr(BdSubscriptionData) current = NULL;
  g_autoptr(JsonBuilder) detail = json_builder_new ();
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  BdApiResponse *response = NULL;
  const char *confirm = NULL;
  BdBlocker blocker;

  /* 400: the product name, typed exactly (rule 15) */
  body = parse_body (call, TRUE, keys, &response);
  if (body == NULL)
    return response;
  if (!bd_json_read_string (body, NULL, "confirm", BD_JSON_REQUIRED, &confirm, &error))
    return _bd_api_invalid_json (error);

  current = bd_store_get_subscription (call->store, call->subscription_id, &error);
  if (current == NULL)
    return error != NULL ? _bd_api_store_error (error)
                         : _bd_api_error (BD_ERROR_CODE_NOT_FOUND, NULL,
                                          "There is no such subscription.");
  if (strcmp (confirm, current->product_name) != 0)
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "confirm",
                          "confirm must be the product name, exactly.");

  /* 403, 428 */
  if ((response = check_role (call)) != NULL ||
      (response = check_if_match_present (call)) != NULL ||
      (response = check_idempotency_key (call, FALSE)) != NULL)
    return response;

  change.key = call->request->idempotency_key;

  /* a replay or 422, 412, 409 */
  if ((response = begin_change (&change)) != NULL ||
      (response = check_etag (&change)) != NULL)
    return response;

  blocker = bd_rules_first_blocker (change.data, &change.ctx, BD_ACTION_DELETE);
  if (blocker != BD_BLOCKER_NONE)
    return refuse (&change, blocker);

  build_change_detail (detail, bd_status_to_string (change.data->status),
                       bd_status_to_string (BD_STATUS_DELETED));
  bd_lifecycle_delete (change.data, call->now);

  if (!bd_store_put_subscription (call->store, change.data, &error) ||
      !record (&change, BD_ACTION_DELETE, detail, &error))
    return _bd_api_store_error (error);

  return finish_change (&change, subscription_answer (&change));
}
