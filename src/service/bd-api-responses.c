/* bd-api-responses.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answers of the API: a JSON document with its status and ETag, the
 * error document of docs/design.md section 3, a subscription as GET shows it.
 */

#define G_LOG_DOMAIN "bd-api"

#include "config.h"

#include "bd-api-responses-private.h"

void
bd_api_response_free (BdApiResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->etag);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

/* @body: (transfer full): the JSON text */
BdApiResponse *
_bd_api_response_new (guint       status,
                      GBytes     *body,
                      const char *etag)
{
  BdApiResponse *response = g_new0 (BdApiResponse, 1);

  response->status = status;
  response->etag = g_strdup (etag);
  response->body = body;

  return response;
}

BdApiResponse *
_bd_api_json (guint       status,
              JsonNode   *node,
              const char *etag)
{
  gsize length = 0;
  char *text = bd_json_to_data (node, &length);

  return _bd_api_response_new (status, g_bytes_new_take (text, length), etag);
}

/* An error document; @format is English for logs and developers: the app
 * shows its own translated sentence for the code.
 */
BdApiResponse *
_bd_api_error (BdErrorCode  code,
               const char  *target,
               const char  *format,
               ...)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  node = bd_api_error_build (code, message, target);
  return _bd_api_json (bd_error_code_get_http_status (code), node, NULL);
}

/* 500, or 503 with Retry-After while the database cannot be reached (a
 * change it cut short was rolled back: its client asks again, with the
 * same Idempotency-Key, and the change applies once).
 */
BdApiResponse *
_bd_api_store_error (const GError *error)
{
  BdApiResponse *response;

  if (!g_error_matches (error, BD_STORE_ERROR, BD_STORE_ERROR_UNAVAILABLE))
    {
      g_warning ("storage failed: %s", error->message);
      return _bd_api_error (BD_ERROR_CODE_INTERNAL_ERROR, NULL, "The billing database failed.");
    }

  /* An outage is no fault of the service's: logged, not warned about. */
  g_message ("storage unavailable: %s", error->message);
  response = _bd_api_error (BD_ERROR_CODE_UNAVAILABLE, NULL,
                            "The billing database cannot be reached now; try again later.");
  response->retry_after_seconds = BD_API_RETRY_AFTER_SECONDS;
  return response;
}

/* A body that is not what the endpoint takes: 400 with the path of the
 * bad value as the target.
 */
BdApiResponse *
_bd_api_invalid_json (const GError *error)
{
  return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, bd_core_error_get_path (error),
                        "%s", error->message);
}

BdApiResponse *
_bd_api_not_found (void)
{
  return _bd_api_error (BD_ERROR_CODE_NOT_FOUND, NULL, "There is no such subscription.");
}

JsonNode *
_bd_api_subscription_node (const BdSubscriptionData *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  bd_subscription_data_to_json (data, BD_SUBSCRIPTION_JSON_API, builder);
  return json_builder_get_root (builder);
}

/* 200 with a derived and annotated subscription, and its ETag. */
BdApiResponse *
_bd_api_subscription (const BdSubscriptionData *data)
{
  g_autoptr(JsonNode) node = _bd_api_subscription_node (data);

  return _bd_api_json (200, node, data->etag);
}
