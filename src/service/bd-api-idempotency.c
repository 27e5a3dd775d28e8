/* bd-api-idempotency.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Idempotency-Key (the IETF draft "The Idempotency-Key HTTP Header
 * Field", as docs/design.md section 3 reads it): scoped to the user and the
 * endpoint; the same key with the same request answers the first answer
 * again and changes nothing; with another request it is a 422.
 */

#define G_LOG_DOMAIN "bd-api"

#include "config.h"

#include <string.h>

#include "bd-api-idempotency-private.h"
#include "bd-api-responses-private.h"

/* Answers are kept at least 24 hours (docs/api.md); twice that, to be safe
 * across clock changes.
 */
#define IDEMPOTENCY_KEEP_SECONDS (48 * BD_SECONDS_PER_HOUR)
#define IDEMPOTENCY_KEY_MAX 255

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

/**
 * _bd_api_check_idempotency_key:
 * @required: whether the endpoint needs one (cancel) or only honours it
 *
 * Returns: (nullable): %NULL when the key is absent and not required, or
 *   1..255 printable ASCII characters; else the 400 answer
 */
BdApiResponse *
_bd_api_check_idempotency_key (const BdApiRequest *request,
                               gboolean            required)
{
  const char *key = request->idempotency_key;
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

/* Of the method, the path and the body: what "the same request" means. */
GBytes *
_bd_api_fingerprint (const BdApiRequest *request)
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

/**
 * _bd_api_find_kept:
 * @kept: (out) (transfer full) (nullable): the answer committed under the key
 *
 * Looks the key up with a plain read, outside any transaction, before the
 * change's transaction begins: an answer already committed is replayed (or
 * refused, 422) without waiting for the database's write lock (SQLite's
 * BEGIN IMMEDIATE) or a row lock another change holds on the subscription.
 * Only a key another transaction holds uncommitted makes a request wait,
 * in _bd_api_claim_key ().
 *
 * Returns: (nullable): %NULL when the lookup was made, else the 500 or 503
 */
BdApiResponse *
_bd_api_find_kept (BdApiCall           *call,
                   const char          *endpoint,
                   const char          *key,
                   BdIdempotentAnswer **kept)
{
  g_autoptr(GError) error = NULL;

  g_assert (!call->in_transaction);

  if (!bd_store_get_idempotent_answer (call->store, bd_user_get_id (call->user), endpoint, key,
                                       call->now - IDEMPOTENCY_KEEP_SECONDS, kept, &error))
    return _bd_api_store_error (error);

  return NULL;
}

/**
 * _bd_api_claim_key:
 * @kept: (out) (transfer full) (nullable): the answer kept under the key
 *
 * Claims the key first in the change's transaction, before the
 * subscription is read and the change applied (docs/design.md section 6):
 * the same key in another transaction, on this instance or another, waits
 * here for this one's commit and then finds its answer in @kept. A wait
 * past the store's bound is 409 requestInProgress (_bd_api_store_error ()),
 * never kept.
 *
 * Returns: (nullable): %NULL when the key is this change's or @kept is
 *   set; else the answer: 409 requestInProgress or 500
 */
BdApiResponse *
_bd_api_claim_key (BdApiCall           *call,
                   const char          *endpoint,
                   const char          *key,
                   GBytes              *fingerprint,
                   BdIdempotentAnswer **kept)
{
  g_autoptr(GError) error = NULL;

  g_assert (call->in_transaction);

  /* An answer past the retention is as gone even when no keyed write came
   * since to prune it: the same key is then a new request, and the claim
   * takes its place.
   */
  if (!bd_store_claim_idempotency_key (call->store, bd_user_get_id (call->user), endpoint, key,
                                       call->now - IDEMPOTENCY_KEEP_SECONDS, fingerprint, kept,
                                       &error))
    return _bd_api_store_error (error);

  return NULL;
}

/**
 * _bd_api_replay:
 * @kept: the answer a claim found under the key
 *
 * Returns: the first answer again, or 422 when the key was given to
 *   another request
 */
BdApiResponse *
_bd_api_replay (const BdIdempotentAnswer *kept,
                GBytes                   *fingerprint)
{
  g_autofree char *etag = NULL;

  if (!g_bytes_equal (kept->fingerprint, fingerprint))
    return _bd_api_error (BD_ERROR_CODE_IDEMPOTENCY_KEY_REUSED, "Idempotency-Key",
                          "This Idempotency-Key was used for another request.");

  etag = etag_of_answer (kept->body);
  return _bd_api_response_new (kept->status, g_bytes_ref (kept->body), etag);
}

/* Keeps @response under the key in the change's transaction. */
gboolean
_bd_api_keep_answer (BdApiCall            *call,
                     const char           *endpoint,
                     const char           *key,
                     GBytes               *fingerprint,
                     const BdApiResponse  *response,
                     GError              **error)
{
  gint64 kept_since = call->now - IDEMPOTENCY_KEEP_SECONDS;
  BdIdempotentAnswer answer = {
    .fingerprint = fingerprint,
    .status = response->status,
    .body = response->body,
    .created = call->now,
  };

  /* The key's claim (or an answer past the retention, which the claim
   * took over) is replaced; then the expired answers go, as after every
   * keyed change.
   */
  return bd_store_put_idempotent_answer (call->store, bd_user_get_id (call->user), endpoint, key,
                                         kept_since, &answer, error) &&
         bd_store_forget_idempotent_answers (call->store, kept_since, error);
}
