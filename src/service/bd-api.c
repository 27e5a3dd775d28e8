/* bd-api.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BdApi and its routing: a request's path and method pick the endpoint,
 * after the checks that come before any endpoint's own (401, 413, 415, 404).
 *
 * Arrows, one way (who calls whom):
 *   bd-api.c (routing) -> bd-api-reads.c, bd-api-changes.c (the endpoints)
 *   bd-api-reads.c -> bd-api-paging.c; bd-api-changes.c -> bd-api-idempotency.c
 *   bd-api.c and the endpoints -> bd-api-call.c (the request, and its one read
 *     of the subscription)
 *   every file -> bd-api-responses.c (answers and errors), which calls none of
 *     them, and -> bd-store.h: the interface, never an implementation.
 */

#define G_LOG_DOMAIN "bd-api"

#include "config.h"

#include <string.h>

#include "bd-api-call-private.h"
#include "bd-api-changes-private.h"
#include "bd-api-reads-private.h"
#include "bd-api-responses-private.h"

struct _BdApi
{
  GObject  parent_instance;

  BdStore *store;
  char    *base_url;
  gint64   frozen_now;
};

G_DEFINE_FINAL_TYPE (BdApi, bd_api, G_TYPE_OBJECT)

/*
 * Routing
 */

typedef enum
{
  ROUTE_NONE,
  ROUTE_HEALTH,
  ROUTE_ME,
  ROUTE_SUBSCRIPTIONS,
  ROUTE_SUBSCRIPTION,
  ROUTE_CANCELLATION,
  ROUTE_CANCEL,
  ROUTE_REACTIVATE,
  ROUTE_BILLING_PROFILES,
  ROUTE_DOMAINS,
  ROUTE_OPERATIONS,
} Route;

/* Finds the route of @path; @id points into @segments when it names a
 * subscription.
 */
static Route
find_route (char        **segments,
            const char  **id)
{
  guint n = g_strv_length (segments);

  /* "/v1/x" splits into "", "v1", "x". */
  if (n < 3 || *segments[0] != '\0' || strcmp (segments[1], "v1") != 0)
    return ROUTE_NONE;

  if (n == 3)
    {
      if (strcmp (segments[2], "health") == 0)
        return ROUTE_HEALTH;
      if (strcmp (segments[2], "me") == 0)
        return ROUTE_ME;
      if (strcmp (segments[2], "subscriptions") == 0)
        return ROUTE_SUBSCRIPTIONS;
      if (strcmp (segments[2], "billing-profiles") == 0)
        return ROUTE_BILLING_PROFILES;
      if (strcmp (segments[2], "domains") == 0)
        return ROUTE_DOMAINS;
      if (strcmp (segments[2], "operations") == 0)
        return ROUTE_OPERATIONS;
      return ROUTE_NONE;
    }

  if (strcmp (segments[2], "subscriptions") != 0 || *segments[3] == '\0')
    return ROUTE_NONE;

  *id = segments[3];

  if (n == 4)
    return ROUTE_SUBSCRIPTION;
  if (n == 5 && strcmp (segments[4], "cancellation") == 0)
    return ROUTE_CANCELLATION;
  if (n == 5 && strcmp (segments[4], "cancel") == 0)
    return ROUTE_CANCEL;
  if (n == 5 && strcmp (segments[4], "reactivate") == 0)
    return ROUTE_REACTIVATE;

  return ROUTE_NONE;
}

static const char *
route_method (Route       route,
              const char *method)
{
  switch (route)
    {
    case ROUTE_HEALTH:
    case ROUTE_ME:
    case ROUTE_SUBSCRIPTIONS:
    case ROUTE_CANCELLATION:
    case ROUTE_BILLING_PROFILES:
    case ROUTE_DOMAINS:
    case ROUTE_OPERATIONS:
      return strcmp (method, "GET") == 0 ? method : NULL;
    case ROUTE_SUBSCRIPTION:
      if (strcmp (method, "GET") == 0 || strcmp (method, "PATCH") == 0 ||
          strcmp (method, "DELETE") == 0)
        return method;
      return NULL;
    case ROUTE_CANCEL:
    case ROUTE_REACTIVATE:
      return strcmp (method, "POST") == 0 ? method : NULL;
    case ROUTE_NONE:
    default:
      return NULL;
    }
}

/* A Bearer token: the scheme is case-insensitive (RFC 9110), the token one
 * run of token68 characters.
 */
static const char *
bearer_token (const char *authorization)
{
  const char *token;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;

  token = authorization + 7;
  while (*token == ' ')
    token++;

  return *token != '\0' ? token : NULL;
}

static gboolean
is_json_content_type (const char *content_type)
{
  g_autofree char *media_type = NULL;
  const char *semicolon;

  if (content_type == NULL)
    return FALSE;

  semicolon = strchr (content_type, ';');
  media_type = g_strstrip (g_strndup (content_type, semicolon != NULL
                                                    ? (gsize) (semicolon - content_type)
                                                    : strlen (content_type)));
  return g_ascii_strcasecmp (media_type, "application/json") == 0;
}

/* 401: the user whose bearer token the request carries, or the answer
 * (503 when the database cannot be reached to tell: never 401 then).
 */
static BdApiResponse *
authenticate (BdStore     *store,
              const char  *authorization,
              gint64       now,
              BdUser     **user)
{
  g_autoptr(GError) error = NULL;
  const char *token = bearer_token (authorization);

  if (token != NULL)
    {
      *user = bd_store_find_user_by_token (store, token, now, &error);
      if (*user == NULL && error != NULL)
        return _bd_api_store_error (error);
    }

  if (*user == NULL)
    return _bd_api_error (BD_ERROR_CODE_UNAUTHENTICATED, NULL,
                          "A valid bearer token is required.");

  return NULL;
}

/* 413, 415: what the headers say of the body. */
static BdApiResponse *
check_body_headers (const BdApiRequest *request)
{
  if (request->body_too_large || request->body_length > BD_API_MAX_BODY)
    return _bd_api_error (BD_ERROR_CODE_PAYLOAD_TOO_LARGE, NULL,
                          "The request body is larger than 1 MiB.");

  if (request->body_length > 0 && !is_json_content_type (request->content_type))
    return _bd_api_error (BD_ERROR_CODE_UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                          "The request body must be application/json.");

  return NULL;
}

/* Whether the request changes the subscription its path names: then its
 * handler reads it, after the checks that need no store (bd-api-changes.c).
 */
static gboolean
is_change (Route       route,
           const char *method)
{
  return (route == ROUTE_SUBSCRIPTION && strcmp (method, "GET") != 0) ||
         route == ROUTE_CANCEL || route == ROUTE_REACTIVATE;
}

/* 200 only when the database answers: a load balancer then sends nothing
 * to an instance that could only answer 503.
 */
static BdApiResponse *
health (BdStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  BdApiResponse *response;

  if (bd_store_ping (store, &error))
    {
      node = bd_json_parse ("{\"status\":\"ok\"}", -1, NULL);
      return _bd_api_json (200, node, NULL);
    }

  g_message ("health: %s", error->message);
  node = bd_json_parse ("{\"status\":\"unavailable\"}", -1, NULL);
  response = _bd_api_json (503, node, NULL);
  response->retry_after_seconds = BD_API_RETRY_AFTER_SECONDS;
  return response;
}

static BdApiResponse *
dispatch (BdApiCall *call,
          Route      route)
{
  const char *method = call->request->method;

  switch (route)
    {
    case ROUTE_ME:
      return _bd_api_get_me (call);
    case ROUTE_SUBSCRIPTIONS:
      return _bd_api_list_subscriptions (call);
    case ROUTE_SUBSCRIPTION:
      if (strcmp (method, "GET") == 0)
        return _bd_api_get_subscription (call);
      if (strcmp (method, "PATCH") == 0)
        return _bd_api_patch (call);
      return _bd_api_delete (call);
    case ROUTE_CANCELLATION:
      return _bd_api_get_cancellation (call);
    case ROUTE_CANCEL:
      return _bd_api_cancel (call);
    case ROUTE_REACTIVATE:
      return _bd_api_reactivate (call);
    case ROUTE_BILLING_PROFILES:
      return _bd_api_list_billing_profiles (call);
    case ROUTE_DOMAINS:
      return _bd_api_list_domains (call);
    case ROUTE_OPERATIONS:
      return _bd_api_list_operations (call);
    case ROUTE_HEALTH:
    case ROUTE_NONE:
    default:
      g_assert_not_reached ();
    }

  return NULL;
}

/*
 * GObject overrides
 */

static void
bd_api_finalize (GObject *object)
{
  BdApi *self = (BdApi *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (bd_api_parent_class)->finalize (object);
}

static void
bd_api_class_init (BdApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bd_api_finalize;
}

static void
bd_api_init (BdApi *self)
{
  self->frozen_now = BD_TIME_NONE;
}

/*
 * Public API
 */

BdApi *
bd_api_new (BdStore *store)
{
  BdApi *self;

  g_return_val_if_fail (BD_IS_STORE (store), NULL);

  self = g_object_new (BD_TYPE_API, NULL);
  self->store = g_object_ref (store);

  return self;
}

/**
 * bd_api_set_base_url:
 * @base_url: such as `http://127.0.0.1:8421`, for absolute `nextLink`s
 */
void
bd_api_set_base_url (BdApi      *self,
                     const char *base_url)
{
  g_return_if_fail (BD_IS_API (self));

  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
  if (self->base_url != NULL && g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
}

/**
 * bd_api_set_frozen_now:
 * @now: the time the clock shows, or %BD_TIME_NONE for the system clock
 *
 * Freezes the service's clock (`--now`, `BILLING_DESK_NOW`) so that tests
 * can stand on both sides of every boundary.
 */
void
bd_api_set_frozen_now (BdApi  *self,
                       gint64  now)
{
  g_return_if_fail (BD_IS_API (self));

  self->frozen_now = now;
}

gint64
bd_api_get_now (BdApi *self)
{
  g_return_val_if_fail (BD_IS_API (self), BD_TIME_NONE);

  if (self->frozen_now != BD_TIME_NONE)
    return self->frozen_now;

  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * bd_api_check_authorization:
 * @authorization: (nullable): the Authorization header
 *
 * Whether @authorization names a user of the tenant: for the transport,
 * which refuses a too-large body before reading it, and must still answer
 * 401 first (docs/design.md section 3: which error wins), or 503 when the
 * database cannot be reached to tell.
 *
 * Returns: (transfer full) (nullable): %NULL when it does, else the
 *   answer: 401, or 503 (or 500) when the store could not tell
 */
BdApiResponse *
bd_api_check_authorization (BdApi      *self,
                            const char *authorization)
{
  g_autoptr(BdUser) user = NULL;

  g_return_val_if_fail (BD_IS_API (self), NULL);

  return authenticate (self->store, authorization, bd_api_get_now (self), &user);
}

/**
 * bd_api_handle:
 *
 * Answers one request on the store the API was made with.
 *
 * Returns: (transfer full): the answer
 */
BdApiResponse *
bd_api_handle (BdApi              *self,
               const BdApiRequest *request)
{
  g_return_val_if_fail (BD_IS_API (self), NULL);

  return bd_api_handle_on_store (self, self->store, request);
}

/**
 * bd_api_handle_on_store:
 * @store: the connection to answer on: the calling thread's own
 *
 * Answers one request. When several errors apply, the first in the order of
 * docs/design.md section 3 wins: 401, 413, 415, 404, 400 (the body), 403, 428 or a missing
 * Idempotency-Key, a replay or 422, 412, 409.
 *
 * Returns: (transfer full): the answer
 */
BdApiResponse *
bd_api_handle_on_store (BdApi              *self,
                        BdStore            *store,
                        const BdApiRequest *request)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(BdUser) user = NULL;
  g_auto(BdApiCall) call = { NULL };
  BdApiResponse *response;
  Route route;

  g_return_val_if_fail (BD_IS_API (self), NULL);
  g_return_val_if_fail (BD_IS_STORE (store), NULL);
  g_return_val_if_fail (request != NULL && request->method != NULL && request->path != NULL,
                        NULL);

  segments = g_strsplit (request->path, "/", 8);
  route = find_route (segments, &call.subscription_id);

  if (route == ROUTE_HEALTH && route_method (route, request->method) != NULL)
    return health (store);

  /* 401, 413, 415 */
  if ((response = authenticate (store, request->authorization, bd_api_get_now (self),
                                &user)) != NULL ||
      (response = check_body_headers (request)) != NULL)
    return response;

  /* 404: the route, then the subscription it names */
  if (route_method (route, request->method) == NULL)
    return _bd_api_error (BD_ERROR_CODE_NOT_FOUND, NULL, "There is no such resource.");

  call.store = store;
  call.request = request;
  call.base_url = request->base_url != NULL ? request->base_url : self->base_url;
  call.user = user;
  call.now = bd_api_get_now (self);

  if (call.subscription_id != NULL && !is_change (route, request->method) &&
      (response = _bd_api_call_read_subscription (&call, FALSE)) != NULL)
    return response;

  return dispatch (&call, route);
}
