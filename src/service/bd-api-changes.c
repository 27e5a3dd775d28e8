/* bd-api-changes.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The endpoints that change a subscription: cancel, PATCH, reactivate and
 * delete. Each first makes the checks that need no store (the body, the
 * role, If-Match present, the Idempotency-Key's shape), then reads the
 * subscription once: inside the change's transaction when they passed, so
 * that the row read is the row written; with a plain read when one failed,
 * which takes no write lock and still lets a 404 come first, and so when
 * an answer kept under its Idempotency-Key is replayed. Each change,
 * its ledger entries and its kept answer commit in that one transaction.
 */

#define G_LOG_DOMAIN "bd-api"

#include "config.h"

#include <string.h>

#include "bd-api-changes-private.h"
#include "bd-api-idempotency-private.h"
#include "bd-api-responses-private.h"

/* The requests that change a subscription share their way through the
 * checks; this is what one of them has gathered on the way.
 */
typedef struct
{
  BdApiCall          *call;
  const char         *endpoint;      /* the method and route: the key's scope */
  const char         *key;           /* (nullable) Idempotency-Key */
  GBytes             *fingerprint;   /* of the method, path and body */
  BdIdempotentAnswer *kept;          /* (nullable): found under the key when claiming it */
  BdSubscriptionData *data;          /* the call's subscription, derived at now */
} Change;

static void
change_clear (Change *change)
{
  g_clear_pointer (&change->fingerprint, g_bytes_unref);
  g_clear_pointer (&change->kept, bd_idempotent_answer_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Change, change_clear)

/*
 * The checks
 */

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

/* The one read of the call's subscription. @refusal: (transfer full)
 * (nullable): what a check that needs no store answered (400, 403, 428 or
 * a missing Idempotency-Key); it is the answer unless the subscription does
 * not exist (404 comes first). An answer already kept under the request's
 * Idempotency-Key is found first with a plain read: its replay takes no
 * lock, so it never waits for another change. Only without a refusal or a
 * kept answer does the change's transaction begin, before the read: a
 * refused request never waits for the database's write lock. The
 * transaction claims the key first (docs/design.md section 6), before the
 * row is read and locked: every change takes its locks in that order, key
 * then row, so no two changes wait on each other.
 *
 * Returns: (nullable): %NULL to go on with the change, else the answer
 */
static BdApiResponse *
read_subscription (Change        *change,
                   BdApiResponse *refusal)
{
  BdApiCall *call = change->call;
  BdApiResponse *response = NULL;

  if (refusal == NULL && change->key != NULL)
    {
      change->fingerprint = _bd_api_fingerprint (call->request);
      refusal = _bd_api_find_kept (call, change->endpoint, change->key, &change->kept);
    }

  if (refusal == NULL && change->kept == NULL)
    {
      refusal = _bd_api_call_begin (call);
      if (refusal == NULL && change->key != NULL)
        refusal = _bd_api_claim_key (call, change->endpoint, change->key,
                                     change->fingerprint, &change->kept);

      /* A claim that waited past its bound (409 requestInProgress) still
       * comes after a 404: the transaction ends, and the plain read tells.
       * So does a claim that waited for another transaction's commit and
       * found its answer: the replay needs no row lock.
       */
      if (refusal != NULL || change->kept != NULL)
        _bd_api_call_clear (call);
    }

  response = _bd_api_call_read_subscription (call, refusal == NULL && change->kept == NULL);

  if (response != NULL)
    {
      g_clear_pointer (&refusal, bd_api_response_free);
      return response;
    }

  return refusal;
}

/* Replays a request seen before under the same key (or refuses it, 422,
 * when its body differs), with no transaction open; else, inside the
 * transaction read_subscription () began, derives the subscription at now.
 */
static BdApiResponse *
begin_change (Change *change)
{
  BdApiCall *call = change->call;
  g_autoptr(GError) error = NULL;

  if (change->kept != NULL)
    return _bd_api_replay (change->kept, change->fingerprint);

  g_assert (call->in_transaction);

  if (!_bd_api_call_load_context (call, &error))
    return _bd_api_store_error (error);

  change->data = call->subscription;
  _bd_api_call_derive (call, change->data);

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

  if ((change->key != NULL &&
       !_bd_api_keep_answer (call, change->endpoint, change->key, change->fingerprint, response,
                             &error)) ||
      !_bd_api_call_commit (call, &error))
    {
      bd_api_response_free (response);
      return _bd_api_store_error (error);
    }

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

/* A ledger entry for @action, in the change's transaction. */
static gboolean
record (Change      *change,
        BdAction     action,
        JsonBuilder *detail,
        GError     **error)
{
  BdApiCall *call = change->call;
  g_autoptr(JsonNode) root = json_builder_get_root (detail);
  g_autofree char *text = bd_json_to_data (root, NULL);
  BdStoredOperation operation = {
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

/* Writes the changed subscription and its one ledger entry. */
static gboolean
put_and_record (Change      *change,
                BdAction     action,
                JsonBuilder *detail,
                GError     **error)
{
  return bd_store_put_subscription (change->call->store, change->data, error) &&
         record (change, action, detail, error);
}

static BdApiResponse *
subscription_answer (Change *change)
{
  _bd_api_call_derive (change->call, change->data);
  return _bd_api_subscription (change->data);
}

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

/*
 * POST /v1/subscriptions/{id}/cancel
 */

/* What a cancel asks: {"reason": CODE, "feedback": TEXT}. */
typedef struct
{
  const char *reason_word;
  const char *feedback;     /* (nullable) */
} CancelRequest;

/* 400; @body keeps the strings of @cancel alive. */
static BdApiResponse *
read_cancel_body (BdApiCall      *call,
                  JsonObject    **body,
                  CancelRequest  *cancel)
{
  static const char * const keys[] = { "reason", "feedback", NULL };
  g_autoptr(GError) error = NULL;
  BdApiResponse *response = NULL;
  BdCancelReason reason;

  *body = parse_body (call, TRUE, keys, &response);
  if (*body == NULL)
    return response;
  if (!bd_json_read_string (*body, NULL, "reason", BD_JSON_REQUIRED, &cancel->reason_word,
                            &error) ||
      !bd_json_read_string (*body, NULL, "feedback", BD_JSON_NULLABLE, &cancel->feedback,
                            &error))
    return _bd_api_invalid_json (error);
  if (!bd_cancel_reason_from_string (cancel->reason_word, &reason))
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "reason", "Unknown reason.");
  if (!bd_rules_feedback_is_valid (reason, cancel->feedback))
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "feedback",
                          "Feedback is at most 2,000 characters, and required for “other”.");

  return NULL;
}

/* The ledger's detail of a cancel: the reason, the feedback, the refund. */
static JsonBuilder *
cancel_detail (const CancelRequest  *cancel,
               const BdCancelAnswer *answer)
{
  JsonBuilder *detail = json_builder_new ();

  json_builder_begin_object (detail);
  json_builder_set_member_name (detail, "reason");
  json_builder_add_string_value (detail, cancel->reason_word);
  json_builder_set_member_name (detail, "feedback");
  if (cancel->feedback != NULL)
    json_builder_add_string_value (detail, cancel->feedback);
  else
    json_builder_add_null_value (detail);
  json_builder_set_member_name (detail, "refund");
  if (answer->has_refund)
    bd_refund_to_json (&answer->refund, answer->refund_method, detail);
  else
    json_builder_add_null_value (detail);
  json_builder_end_object (detail);

  return detail;
}

/* 200: the subscription, the refund and the data retention, in core's shape. */
static BdApiResponse *
cancel_answer (const BdCancelAnswer *answer)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  bd_cancel_answer_to_json (answer, builder);
  root = json_builder_get_root (builder);
  return _bd_api_json (200, root, answer->subscription->etag);
}

BdApiResponse *
_bd_api_cancel (BdApiCall *call)
{
  g_auto(Change) change = { .call = call, .endpoint = "POST /v1/subscriptions/{id}/cancel" };
  g_autoptr(JsonBuilder) detail = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  BdApiResponse *response = NULL;
  CancelRequest cancel = { NULL };
  /* On the stack: its subscription is the call's, not its own. */
  BdCancelAnswer answer = { NULL };
  BdBlocker blocker;

  /* 404, then 400, 403 and a missing Idempotency-Key */
  if ((response = read_cancel_body (call, &body, &cancel)) == NULL &&
      (response = check_role (call)) == NULL)
    response = _bd_api_check_idempotency_key (call->request, TRUE);
  change.key = call->request->idempotency_key;
  if ((response = read_subscription (&change, response)) != NULL)
    return response;

  /* a replay or 422, then 409 */
  if ((response = begin_change (&change)) != NULL)
    return response;

  blocker = bd_rules_first_blocker (change.data, &call->ctx, BD_ACTION_CANCEL);
  if (blocker != BD_BLOCKER_NONE)
    return refuse (&change, blocker);

  /* Rule 4 before rule 9 ends the term. */
  answer.has_refund = bd_rules_refund (change.data, &call->ctx, &answer.refund,
                                       &answer.refund_method);
  bd_lifecycle_data_retention (call->now, &answer.deletable_from, &answer.deleted_by);
  bd_lifecycle_cancel (change.data, call->now);

  detail = cancel_detail (&cancel, &answer);
  if (!put_and_record (&change, BD_ACTION_CANCEL, detail, &error))
    return _bd_api_store_error (error);

  _bd_api_call_derive (call, change.data);
  answer.subscription = change.data;
  return finish_change (&change, cancel_answer (&answer));
}

/*
 * PATCH /v1/subscriptions/{id}
 */

typedef struct
{
  const char         *recurring_word;  /* (nullable): not asked to change */
  BdRecurringBilling  recurring;
  gint64              quantity;        /* -1: not asked to change */
} Patch;

/* 400: recurringBilling and/or quantity; @body keeps the strings alive. */
static BdApiResponse *
read_patch_body (BdApiCall   *call,
                 JsonObject **body,
                 Patch       *patch)
{
  static const char * const keys[] = { "recurringBilling", "quantity", NULL };
  g_autoptr(GError) error = NULL;
  BdApiResponse *response = NULL;

  *body = parse_body (call, TRUE, keys, &response);
  if (*body == NULL)
    return response;
  if (json_object_get_size (*body) == 0)
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, NULL,
                          "Say what to change: recurringBilling, quantity or both.");
  if (!bd_json_read_string (*body, NULL, "recurringBilling", BD_JSON_OPTIONAL,
                            &patch->recurring_word, &error) ||
      !bd_json_read_int (*body, NULL, "quantity", BD_JSON_OPTIONAL, 1, BD_QUANTITY_MAX,
                         &patch->quantity, &error))
    return _bd_api_invalid_json (error);
  if (patch->recurring_word != NULL &&
      !bd_recurring_billing_from_string (patch->recurring_word, &patch->recurring))
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "recurringBilling",
                          "recurringBilling is on, renewOnce or off.");

  return NULL;
}

/* 409: the first rule that refuses a field asked for. */
static BdBlocker
check_patch (Change      *change,
             const Patch *patch)
{
  BdRuleContext *ctx = &change->call->ctx;
  BdBlocker blocker = BD_BLOCKER_NONE;

  if (patch->recurring_word != NULL)
    blocker = bd_rules_first_blocker (change->data, ctx, BD_ACTION_CHANGE_RECURRING_BILLING);
  if (blocker == BD_BLOCKER_NONE && patch->quantity >= 0)
    blocker = bd_rules_check_quantity (change->data, ctx, patch->quantity);

  return blocker;
}

/* One ledger entry per field that changed; none when nothing did. */
static gboolean
apply_patch (Change       *change,
             const Patch  *patch,
             GError      **error)
{
  BdSubscriptionData *data = change->data;

  if (patch->recurring_word != NULL && patch->recurring != data->recurring_billing)
    {
      g_autoptr(JsonBuilder) detail = json_builder_new ();

      build_change_detail (detail, bd_recurring_billing_to_string (data->recurring_billing),
                           patch->recurring_word);
      data->recurring_billing = patch->recurring;
      if (!record (change, BD_ACTION_CHANGE_RECURRING_BILLING, detail, error))
        return FALSE;
    }

  if (patch->quantity >= 0 && (guint) patch->quantity != data->quantity)
    {
      g_autoptr(JsonBuilder) detail = json_builder_new ();

      json_builder_begin_object (detail);
      json_builder_set_member_name (detail, "from");
      json_builder_add_int_value (detail, data->quantity);
      json_builder_set_member_name (detail, "to");
      json_builder_add_int_value (detail, patch->quantity);
      json_builder_end_object (detail);
      data->quantity = (guint) patch->quantity;
      if (!record (change, BD_ACTION_CHANGE_QUANTITY, detail, error))
        return FALSE;
    }

  return bd_store_put_subscription (change->call->store, data, error);
}

BdApiResponse *
_bd_api_patch (BdApiCall *call)
{
  g_auto(Change) change = { .call = call, .endpoint = "PATCH /v1/subscriptions/{id}" };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  BdApiResponse *response = NULL;
  Patch patch = { .recurring = BD_RECURRING_BILLING_ON, .quantity = -1 };
  BdBlocker blocker;

  /* 404, then 400, 403, 428; PATCH relies on If-Match, not on an Idempotency-Key */
  if ((response = read_patch_body (call, &body, &patch)) == NULL &&
      (response = check_role (call)) == NULL)
    response = check_if_match_present (call);
  if ((response = read_subscription (&change, response)) != NULL)
    return response;

  /* 412, 409 */
  if ((response = begin_change (&change)) != NULL ||
      (response = check_etag (&change)) != NULL)
    return response;

  blocker = check_patch (&change, &patch);
  if (blocker != BD_BLOCKER_NONE)
    return refuse (&change, blocker);

  if (!apply_patch (&change, &patch, &error))
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

  /* 404, then 400 (no body, or an empty object), 403; the Idempotency-Key
   * is honoured, not required
   */
  body = parse_body (call, FALSE, keys, &response);
  if (response == NULL && (response = check_role (call)) == NULL)
    response = _bd_api_check_idempotency_key (call->request, FALSE);
  change.key = call->request->idempotency_key;
  if ((response = read_subscription (&change, response)) != NULL)
    return response;

  if ((response = begin_change (&change)) != NULL)
    return response;

  blocker = bd_rules_first_blocker (change.data, &call->ctx, BD_ACTION_REACTIVATE);
  if (blocker != BD_BLOCKER_NONE)
    return refuse (&change, blocker);

  build_change_detail (detail, bd_status_to_string (change.data->status),
                       bd_status_to_string (BD_STATUS_ACTIVE));
  bd_lifecycle_reactivate (change.data, call->now);

  if (!put_and_record (&change, BD_ACTION_REACTIVATE, detail, &error))
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
  g_autoptr(JsonBuilder) detail = json_builder_new ();
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  BdApiResponse *response = NULL;
  const char *confirm = NULL;
  BdBlocker blocker;

  /* 404, then 400 (the body), 403, 428 */
  body = parse_body (call, TRUE, keys, &response);
  if (body != NULL &&
      !bd_json_read_string (body, NULL, "confirm", BD_JSON_REQUIRED, &confirm, &error))
    response = _bd_api_invalid_json (error);
  if (response == NULL &&
      (response = check_role (call)) == NULL &&
      (response = check_if_match_present (call)) == NULL)
    response = _bd_api_check_idempotency_key (call->request, FALSE);
  change.key = call->request->idempotency_key;
  response = read_subscription (&change, response);

  /* 400: the product name, typed exactly (rule 15), which only the read
   * knows: it comes before a 403 or 428. When every other check passed, the
   * transaction has begun; the call's clear rolls it back.
   */
  if (confirm != NULL && call->subscription != NULL &&
      strcmp (confirm, call->subscription->product_name) != 0)
    {
      g_clear_pointer (&response, bd_api_response_free);
      return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "confirm",
                            "confirm must be the product name, exactly.");
    }
  if (response != NULL)
    return response;

  /* a replay or 422, 412, 409 */
  if ((response = begin_change (&change)) != NULL ||
      (response = check_etag (&change)) != NULL)
    return response;

  blocker = bd_rules_first_blocker (change.data, &call->ctx, BD_ACTION_DELETE);
  if (blocker != BD_BLOCKER_NONE)
    return refuse (&change, blocker);

  build_change_detail (detail, bd_status_to_string (change.data->status),
                       bd_status_to_string (BD_STATUS_DELETED));
  bd_lifecycle_delete (change.data, call->now);

  if (!put_and_record (&change, BD_ACTION_DELETE, detail, &error))
    return _bd_api_store_error (error);

  return finish_change (&change, subscription_answer (&change));
}
