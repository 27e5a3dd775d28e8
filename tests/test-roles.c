/* test-roles.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every endpoint with every role, against one table: what each may do is
 * what docs/api.md's endpoint table says, and nothing else. Each pair runs
 * on a service of its own, so that one pair's change cannot decide
 * another's answer.
 */

#include "config.h"

#include <locale.h>

#include "bd-test-service.h"
#include "service-tenant.h"

#define BOGUS "token-nobody-9999"

typedef enum
{
  CALLER_GLOBAL_ADMIN,
  CALLER_BILLING_ADMIN,
  CALLER_GLOBAL_READER,
  CALLER_USER,
  CALLER_NO_TOKEN,
  CALLER_UNKNOWN_TOKEN,
  N_CALLERS
} Caller;

static const struct
{
  const char *name;
  const char *token;
} callers[N_CALLERS] = {
  { "global-admin", ADMIN },
  { "billing-admin", BILLING },
  { "global-reader", READER },
  { "user", USER },
  { "no-token", NULL },
  { "unknown-token", BOGUS },
};

typedef struct
{
  const char *name;
  const char *method;
  const char *path;
  const char *body;
  gboolean    if_match;        /* sends the ETag of the path's subscription */
  gboolean    idempotency_key;
  guint       status[N_CALLERS];
} Endpoint;

/* Each request is one that an admin may make: only the caller differs. */
static const Endpoint endpoints[] = {
  { "health", "GET", "/v1/health", NULL, FALSE, FALSE,
    { 200, 200, 200, 200, 200, 200 } },
  { "me", "GET", "/v1/me", NULL, FALSE, FALSE,
    { 200, 200, 200, 200, 401, 401 } },
  { "list", "GET", "/v1/subscriptions", NULL, FALSE, FALSE,
    { 200, 200, 200, 200, 401, 401 } },
  { "get", "GET", "/v1/subscriptions/s1", NULL, FALSE, FALSE,
    { 200, 200, 200, 200, 401, 401 } },
  { "cancellation", "GET", "/v1/subscriptions/s1/cancellation", NULL, FALSE, FALSE,
    { 200, 200, 200, 200, 401, 401 } },
  { "cancel", "POST", "/v1/subscriptions/s1/cancel", "{\"reason\":\"tooExpensive\"}",
    FALSE, TRUE,
    { 200, 200, 403, 403, 401, 401 } },
  { "recurring-billing", "PATCH", "/v1/subscriptions/s1", "{\"recurringBilling\":\"off\"}",
    TRUE, FALSE,
    { 200, 200, 403, 403, 401, 401 } },
  { "quantity", "PATCH", "/v1/subscriptions/s1", "{\"quantity\":12}", TRUE, FALSE,
    { 200, 200, 403, 403, 401, 401 } },
  { "reactivate", "POST", "/v1/subscriptions/s10/reactivate", NULL, FALSE, TRUE,
    { 200, 200, 403, 403, 401, 401 } },
  { "delete", "DELETE", "/v1/subscriptions/s10", "{\"confirm\":\"Visio Plan 2\"}", TRUE, TRUE,
    { 200, 200, 403, 403, 401, 401 } },
  { "billing-profiles", "GET", "/v1/billing-profiles", NULL, FALSE, FALSE,
    { 200, 200, 200, 200, 401, 401 } },
  { "domains", "GET", "/v1/domains", NULL, FALSE, FALSE,
    { 200, 200, 200, 200, 401, 401 } },
  { "operations", "GET", "/v1/operations", NULL, FALSE, FALSE,
    { 200, 200, 403, 403, 401, 401 } },
};

typedef struct
{
  const Endpoint *endpoint;
  Caller          caller;
} Pair;

/* The subscription a path names, for its ETag: "/v1/subscriptions/s1". */
static char *
subscription_path (const char *path)
{
  const char *id = path + strlen ("/v1/subscriptions/");
  const char *end = strchr (id, '/');

  return g_strndup (path, (gsize) (end != NULL ? end - path : (gssize) strlen (path)));
}

static void
test_pair (gconstpointer data)
{
  const Pair *pair = data;
  const Endpoint *endpoint = pair->endpoint;
  const char *token = callers[pair->caller].token;
  guint expected = endpoint->status[pair->caller];
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(BdTestAnswer) state = NULL;
  g_autofree char *etag = NULL;

  if (endpoint->if_match)
    {
      g_autofree char *path = subscription_path (endpoint->path);

      /* The ETag as the caller would have it: an admin's read. */
      state = bd_test_service_request (service, "GET", path, ADMIN, NULL, NULL);
      g_assert_cmpuint (state->status, ==, 200);
      etag = g_strdup (state->etag);
      g_assert_nonnull (etag);
    }

  if (etag != NULL && endpoint->idempotency_key)
    answer = bd_test_service_request (service, endpoint->method, endpoint->path, token,
                                      endpoint->body, "If-Match", etag,
                                      "Idempotency-Key", "roles-1", NULL);
  else if (etag != NULL)
    answer = bd_test_service_request (service, endpoint->method, endpoint->path, token,
                                      endpoint->body, "If-Match", etag, NULL);
  else if (endpoint->idempotency_key)
    answer = bd_test_service_request (service, endpoint->method, endpoint->path, token,
                                      endpoint->body, "Idempotency-Key", "roles-1", NULL);
  else
    answer = bd_test_service_request (service, endpoint->method, endpoint->path, token,
                                      endpoint->body, NULL);

  if (answer->status != expected)
    g_error ("%s %s as %s: %u, expected %u: %s", endpoint->method, endpoint->path,
             callers[pair->caller].name, answer->status, expected, answer->text);

  if (expected == 401)
    bd_test_assert_api_error (answer, 401, "unauthenticated");
  else if (expected == 403)
    bd_test_assert_api_error (answer, 403, "forbidden");

  /* A refused change changed nothing. */
  if (expected >= 400 && endpoint->if_match)
    {
      g_autofree char *path = subscription_path (endpoint->path);
      g_autoptr(BdTestAnswer) after = bd_test_service_request (service, "GET", path, ADMIN,
                                                               NULL, NULL);

      g_assert_cmpstr (after->etag, ==, etag);
    }
  if (expected >= 400 && g_str_equal (endpoint->method, "POST"))
    {
      g_autoptr(BdTestAnswer) ledger = bd_test_service_request (service, "GET", "/v1/operations",
                                                                ADMIN, NULL, NULL);

      g_assert_cmpuint (ledger->status, ==, 200);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                          json_node_get_object (ledger->json), "value")), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  if (bd_test_database_skip_all ())
    return g_test_run ();

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    for (Caller caller = 0; caller < N_CALLERS; caller++)
      {
        Pair *pair = g_new0 (Pair, 1);
        g_autofree char *name = NULL;

        pair->endpoint = &endpoints[i];
        pair->caller = caller;
        g_ptr_array_add (pairs, pair);

        name = g_strdup_printf ("/roles/%s/%s", endpoints[i].name, callers[caller].name);
        g_test_add_data_func (name, pair, test_pair);
      }

  return g_test_run ();
}
