/* bd-client-answers.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-client-answers"

#include "config.h"

#include <libsoup/soup.h>

#include "bd-client-private.h"

/* Reads a 2xx answer and returns its value, or fails with a BD_CORE_ERROR
 * (logged, and turned into BD_CLIENT_ERROR_BAD_ANSWER).
 */
typedef gpointer (*AnswerFunc) (JsonNode        *node,
                                GUri            *base_uri,
                                const char      *expected_id,
                                GDestroyNotify  *value_free,
                                GError         **error);

/* The member @key of @object, which must be an object. */
static JsonNode *
get_object_member (JsonObject  *object,
                   const char  *key,
                   GError     **error)
{
  JsonObject *member = NULL;

  if (!bd_json_read_object (object, NULL, key, BD_JSON_REQUIRED, NULL, &member, error))
    return NULL;

  return json_object_get_member (object, key);
}

/* Whether @id, of the subscription at @path, is @expected_id (if any): an
 * answer about another subscription is not the answer to the request.
 */
static gboolean
check_expected_id (const char  *id,
                   const char  *path,
                   const char  *expected_id,
                   GError     **error)
{
  g_autofree char *id_path = NULL;

  if (expected_id == NULL || g_strcmp0 (id, expected_id) == 0)
    return TRUE;

  id_path = bd_json_path_member (path, "id");
  bd_set_invalid_error (error, id_path, "another subscription than the one asked for");
  return FALSE;
}

static BdSubscription *
read_subscription (JsonNode    *node,
                   const char  *path,
                   const char  *expected_id,
                   GError     **error)
{
  g_autoptr(BdSubscription) subscription = NULL;

  subscription = bd_subscription_new_from_json (node, path, error);
  if (subscription == NULL ||
      !check_expected_id (bd_subscription_get_id (subscription), path, expected_id, error))
    return NULL;

  return g_steal_pointer (&subscription);
}

static gpointer
read_subscription_answer (JsonNode        *node,
                          GUri            *base_uri,
                          const char      *expected_id,
                          GDestroyNotify  *value_free,
                          GError         **error)
{
  *value_free = g_object_unref;
  return read_subscription (node, NULL, expected_id, error);
}

static gpointer
read_cancellation_answer (JsonNode        *node,
                          GUri            *base_uri,
                          const char      *expected_id,
                          GDestroyNotify  *value_free,
                          GError         **error)
{
  *value_free = g_object_unref;
  return bd_cancellation_new_from_json (node, NULL, error);
}

void
_bd_client_me_answer_free (gpointer data)
{
  BdClientMeAnswer *answer = data;

  g_clear_object (&answer->user);
  g_clear_object (&answer->tenant);
  g_free (answer);
}

static gpointer
read_me_answer (JsonNode        *node,
                GUri            *base_uri,
                const char      *expected_id,
                GDestroyNotify  *value_free,
                GError         **error)
{
  static const char * const keys[] = { "user", "tenant", "serverTime", NULL };
  g_autoptr(BdClientMeAnswer) answer = g_new0 (BdClientMeAnswer, 1);
  JsonObject *object;
  JsonNode *member;

  object = bd_json_expect_object (node, NULL, keys, error);
  if (object == NULL)
    return NULL;

  if ((member = get_object_member (object, "user", error)) == NULL ||
      (answer->user = bd_user_new_from_json (member, "user", NULL, error)) == NULL ||
      (member = get_object_member (object, "tenant", error)) == NULL ||
      (answer->tenant = bd_tenant_new_from_json (member, "tenant", error)) == NULL ||
      !bd_json_read_time (object, NULL, "serverTime", BD_JSON_REQUIRED, BD_TIME_NONE,
                          &answer->server_time, error))
    return NULL;

  *value_free = _bd_client_me_answer_free;
  return g_steal_pointer (&answer);
}

/* {"value": [{"id", "displayName", "paymentMethod"}, ...]} */
static gpointer
read_billing_profiles_answer (JsonNode        *node,
                              GUri            *base_uri,
                              const char      *expected_id,
                              GDestroyNotify  *value_free,
                              GError         **error)
{
  static const char * const keys[] = { "value", NULL };
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *value = NULL;
  JsonObject *object;

  object = bd_json_expect_object (node, NULL, keys, error);
  if (object == NULL ||
      !bd_json_read_array (object, NULL, "value", BD_JSON_REQUIRED, &value, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (value); i++)
    {
      g_autofree char *path = bd_json_path_index ("value", i);
      BdBillingProfile *profile;

      profile = bd_billing_profile_new_from_json (json_array_get_element (value, i), path, error);
      if (profile == NULL)
        return NULL;
      g_ptr_array_add (profiles, profile);
    }

  *value_free = (GDestroyNotify) g_ptr_array_unref;
  return g_steal_pointer (&profiles);
}

void
_bd_client_list_answer_free (gpointer data)
{
  BdClientListAnswer *answer = data;

  g_clear_pointer (&answer->values, g_ptr_array_unref);
  g_free (answer->next_link);
  g_free (answer);
}

/* Reads one value of a page at @path. */
typedef gpointer (*ValueFunc) (JsonNode    *node,
                               const char  *path,
                               GError     **error);

static gpointer
read_list_subscription (JsonNode    *node,
                        const char  *path,
                        GError     **error)
{
  return read_subscription (node, path, NULL, error);
}

static gpointer
read_list_operation (JsonNode    *node,
                     const char  *path,
                     GError     **error)
{
  return bd_operation_new_from_json (node, path, error);
}

/* {"value": [...], "nextLink": URL on the base URL's origin, or null} */
static BdClientListAnswer *
read_page (JsonNode   *node,
           GUri       *base_uri,
           ValueFunc   read_value,
           GError    **error)
{
  static const char * const keys[] = { "value", "nextLink", NULL };
  g_autoptr(BdClientListAnswer) answer = g_new0 (BdClientListAnswer, 1);
  JsonObject *object;
  JsonArray *value = NULL;
  const char *next_link = NULL;
  guint length;

  object = bd_json_expect_object (node, NULL, keys, error);
  if (object == NULL ||
      !bd_json_read_array (object, NULL, "value", BD_JSON_REQUIRED, &value, error) ||
      !bd_json_read_string (object, NULL, "nextLink",
                            BD_JSON_REQUIRED | BD_JSON_NULLABLE | BD_JSON_NON_EMPTY,
                            &next_link, error))
    return NULL;

  if (next_link != NULL)
    {
      g_autoptr(GUri) uri = _bd_client_parse_same_origin (base_uri, next_link);

      if (uri == NULL)
        {
          bd_set_invalid_error (error, "nextLink", "not on the service's scheme, host and port");
          return NULL;
        }
    }

  length = json_array_get_length (value);
  answer->values = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    {
      g_autofree char *path = bd_json_path_index ("value", i);
      gpointer item;

      item = read_value (json_array_get_element (value, i), path, error);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (answer->values, item);
    }

  answer->next_link = g_strdup (next_link);
  return g_steal_pointer (&answer);
}

static gpointer
read_list_answer (JsonNode        *node,
                  GUri            *base_uri,
                  const char      *expected_id,
                  GDestroyNotify  *value_free,
                  GError         **error)
{
  *value_free = _bd_client_list_answer_free;
  return read_page (node, base_uri, read_list_subscription, error);
}

static gpointer
read_operations_answer (JsonNode        *node,
                        GUri            *base_uri,
                        const char      *expected_id,
                        GDestroyNotify  *value_free,
                        GError         **error)
{
  *value_free = _bd_client_list_answer_free;
  return read_page (node, base_uri, read_list_operation, error);
}

/* The cancel answer as core reads it, about the subscription asked for. */
static gpointer
read_cancel_answer (JsonNode        *node,
                    GUri            *base_uri,
                    const char      *expected_id,
                    GDestroyNotify  *value_free,
                    GError         **error)
{
  g_autoptr(BdCancelAnswer) answer = NULL;

  answer = bd_cancel_answer_new_from_json (node, NULL, error);
  if (answer == NULL)
    return NULL;

  if (!check_expected_id (answer->subscription->id, "subscription", expected_id, error))
    return NULL;

  *value_free = (GDestroyNotify) bd_cancel_answer_free;
  return g_steal_pointer (&answer);
}

static const AnswerFunc answer_funcs[BD_CLIENT_N_ANSWER_KINDS] = {
  [BD_CLIENT_ANSWER_ME] = read_me_answer,
  [BD_CLIENT_ANSWER_BILLING_PROFILES] = read_billing_profiles_answer,
  [BD_CLIENT_ANSWER_LIST] = read_list_answer,
  [BD_CLIENT_ANSWER_SUBSCRIPTION] = read_subscription_answer,
  [BD_CLIENT_ANSWER_CANCELLATION] = read_cancellation_answer,
  [BD_CLIENT_ANSWER_CANCEL] = read_cancel_answer,
  [BD_CLIENT_ANSWER_OPERATIONS] = read_operations_answer,
};

/* A non-2xx answer: the error document's code, or one from the status. */
static GError *
read_api_error (guint       status,
                JsonNode   *node,
                const char *what)
{
  g_autoptr(GError) read_error = NULL;
  g_autofree char *code_word = NULL;
  g_autofree char *message = NULL;
  g_autofree char *target = NULL;
  BdErrorCode code = BD_ERROR_CODE_UNKNOWN;

  if (node == NULL ||
      !bd_api_error_read (node, &code, &code_word, &message, &target, &read_error))
    {
      g_debug ("%s: %u without an error document", what, status);

      switch (status)
        {
        case SOUP_STATUS_INTERNAL_SERVER_ERROR:
          code = BD_ERROR_CODE_INTERNAL_ERROR;
          break;
        case SOUP_STATUS_BAD_GATEWAY:
        case SOUP_STATUS_SERVICE_UNAVAILABLE:
        case SOUP_STATUS_GATEWAY_TIMEOUT:
          /* A proxy's: the service is down, or did not answer it in time.
           * A change may have been applied all the same: the transport
           * says so (_bd_client_error_for_change ()).
           */
          code = BD_ERROR_CODE_UNAVAILABLE;
          break;
        default:
          code = BD_ERROR_CODE_UNKNOWN;
          break;
        }

      return _bd_client_error_new (BD_CLIENT_ERROR_API, code, status, NULL);
    }

  /* The service's English message is for logs and developers. */
  g_debug ("%s: %u %s%s%s: %s", what, status, code_word,
           target != NULL ? " at " : "", target != NULL ? target : "", message);

  return _bd_client_error_new (BD_CLIENT_ERROR_API, code, status, target);
}

/**
 * _bd_client_read_answer:
 * @base_uri: (nullable): the client's base URL, which a `nextLink` must share
 * @expected_id: (nullable): the subscription asked for
 * @status: the HTTP status
 * @data: the answer's body, @length bytes, not necessarily nul-terminated
 * @what: (nullable): the request, such as "GET /v1/me", for the debug log
 * @value_free: (out): frees the value
 *
 * Reads one answer of the service as the shape @kind. A non-2xx answer fails
 * with %BD_CLIENT_ERROR_API, a 2xx one
 * that is not JSON or not of the shape with %BD_CLIENT_ERROR_BAD_ANSWER.
 *
 * Returns: (transfer full) (nullable): the value, as the `_finish` functions take it
 */
gpointer
_bd_client_read_answer (BdClientAnswerKind   kind,
                        GUri                *base_uri,
                        const char          *expected_id,
                        guint                status,
                        const char          *data,
                        gsize                length,
                        const char          *what,
                        GDestroyNotify      *value_free,
                        GError             **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) reason = NULL;
  gpointer value = NULL;

  g_return_val_if_fail ((guint) kind < BD_CLIENT_N_ANSWER_KINDS, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (value_free != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (what == NULL)
    what = "answer";

  *value_free = NULL;
  node = bd_json_parse (data != NULL ? data : "", length, &reason);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_propagate_error (error, read_api_error (status, node, what));
      return NULL;
    }

  if (node != NULL)
    value = answer_funcs[kind] (node, base_uri, expected_id, value_free, &reason);
  if (value == NULL)
    {
      g_debug ("%s: unreadable answer: %s", what, reason != NULL ? reason->message : "");
      *value_free = NULL;
      g_propagate_error (error, _bd_client_error_new_bad_answer ());
      return NULL;
    }

  return value;
}
