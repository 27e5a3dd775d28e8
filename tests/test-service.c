/* test-service.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The billing service over HTTP: every endpoint, every rule through the
 * API, every role, paging, idempotency, preconditions and the order in which
 * errors win (docs/design.md section 3; docs/api.md in full).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bd-test-service.h"
#include "service-tenant.h"

#define KEY(k) "Idempotency-Key", k
#define IF_MATCH(e) "If-Match", e
#define CANCEL_BODY "{\"reason\":\"tooExpensive\"}"

static BdTestService *
start (void)
{
  return bd_test_service_new (TENANT, NOW);
}

/* The error's target, or NULL when the error names none. */
static const char *
error_target (BdTestAnswer *answer)
{
  JsonObject *error = json_object_get_object_member (json_node_get_object (answer->json), "error");

  if (!json_object_has_member (error, "target"))
    return NULL;
  return bd_test_answer_string (answer, "error.target");
}

static char *
etag_of (BdTestService *service,
         const char    *id)
{
  g_autofree char *path = g_strconcat ("/v1/subscriptions/", id, NULL);
  g_autoptr(BdTestAnswer) answer = bd_test_service_request (service, "GET", path, ADMIN, NULL,
                                                            NULL);

  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpstr (answer->etag, ==, bd_test_answer_string (answer, "etag"));
  return g_strdup (answer->etag);
}

static guint
count_operations (BdTestService *service,
                  const char    *id)
{
  g_autofree char *path = g_strconcat ("/v1/operations?subscriptionId=", id, NULL);
  g_autoptr(BdTestAnswer) answer = bd_test_service_request (service, "GET", path, ADMIN, NULL,
                                                            NULL);

  g_assert_cmpuint (answer->status, ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (answer->json),
                                                              "value"));
}

/*
 * Reading
 */

static void
test_health (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) answer = bd_test_service_request (service, "GET", "/v1/health", NULL,
                                                            NULL, NULL);

  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (answer, "status"), ==, "ok");
}

static void
test_unauthenticated (void)
{
  static const char * const tokens[] = { NULL, "wrong-token", "" };
  g_autoptr(BdTestService) service = start ();

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr(BdTestAnswer) me = NULL;
      g_autoptr(BdTestAnswer) unknown = NULL;

      me = bd_test_service_request (service, "GET", "/v1/me", tokens[i], NULL, NULL);
      bd_test_assert_api_error (me, 401, "unauthenticated");
      /* 401 wins over 404 */
      unknown = bd_test_service_request (service, "GET", "/v1/nothing", tokens[i], NULL, NULL);
      bd_test_assert_api_error (unknown, 401, "unauthenticated");
    }

  {
    g_autoptr(BdTestAnswer) basic = NULL;

    basic = bd_test_service_request (service, "GET", "/v1/me", NULL, NULL,
                                     "Authorization", "Basic " ADMIN, NULL);
    bd_test_assert_api_error (basic, 401, "unauthenticated");
  }
}

static void
test_me (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) answer = bd_test_service_request (service, "GET", "/v1/me", BILLING,
                                                            NULL, NULL);

  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (answer, "user.id"), ==, "u2");
  g_assert_cmpstr (bd_test_answer_string (answer, "user.displayName"), ==, "Søren Kjær");
  g_assert_cmpstr (bd_test_answer_string (answer, "user.roles[0]"), ==, "billingAdmin");
  g_assert_cmpstr (bd_test_answer_string (answer, "tenant.displayName"), ==, "Contoso A/S");
  g_assert_cmpstr (bd_test_answer_string (answer, "tenant.cloud"), ==, "worldwide");
  g_assert_cmpstr (bd_test_answer_string (answer, "tenant.currency"), ==, "DKK");
  g_assert_cmpstr (bd_test_answer_string (answer, "serverTime"), ==, NOW);
  g_assert_null (strstr (answer->text, "token"));
}

static void
test_unknown_route (void)
{
  static const char * const routes[][2] = {
    { "GET", "/v1/nothing" }, { "GET", "/v2/me" }, { "POST", "/v1/me" },
    { "PUT", "/v1/subscriptions/s1" }, { "GET", "/v1/subscriptions/s1/cancel" },
    { "POST", "/v1/subscriptions/s1/cancellation" }, { "GET", "/v1/subscriptions/s1/x/y" },
    { "GET", "/v1/subscriptions/nope" }, { "GET", "/v1/subscriptions/nope/cancellation" },
    { "GET", "/" },
  };
  g_autoptr(BdTestService) service = start ();

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autoptr(BdTestAnswer) answer = NULL;

      g_test_message ("%s %s", routes[i][0], routes[i][1]);
      answer = bd_test_service_request (service, routes[i][0], routes[i][1], ADMIN, NULL, NULL);
      bd_test_assert_api_error (answer, 404, "notFound");
    }
}

/* Pages of 3 over the 11 subscriptions that are not Deleted, in product name
 * order (then id); nothing skipped, nothing repeated, nextLink absolute.
 */
/* The 11 subscriptions that are not Deleted, in the list's order. */
static const char * const not_deleted[] = {
  "s7", "s5", "s6", "s8", "s1", "s2", "s3", "s4", "s12", "s9", "s10", NULL
};

static void
test_paging (void)
{
  const char * const *expected = not_deleted;
  g_autoptr(BdTestService) service = start ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = g_strdup ("/v1/subscriptions?top=3");
  guint pages = 0;

  while (path != NULL)
    {
      g_autoptr(BdTestAnswer) answer = NULL;
      JsonArray *value;
      const char *next;

      answer = bd_test_service_request (service, "GET", path, READER, NULL, NULL);
      g_assert_cmpuint (answer->status, ==, 200);
      value = json_object_get_array_member (json_node_get_object (answer->json), "value");
      for (guint i = 0; i < json_array_get_length (value); i++)
        g_ptr_array_add (seen, g_strdup (json_object_get_string_member (
          json_array_get_object_element (value, i), "id")));

      next = bd_test_answer_string (answer, "nextLink");
      g_clear_pointer (&path, g_free);
      if (next != NULL)
        {
          g_assert_true (g_str_has_prefix (next, service->url));
          g_assert_cmpuint (json_array_get_length (value), ==, 3);
          path = g_strdup (next + strlen (service->url));
        }
      pages++;
    }

  g_assert_cmpuint (pages, ==, 4);
  g_ptr_array_add (seen, NULL);
  g_assert_cmpstrv ((char **) seen->pdata, expected);
}

static void
test_paging_deleted (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) all = NULL;
  g_autoptr(BdTestAnswer) deleted = NULL;

  all = bd_test_service_request (service, "GET", "/v1/subscriptions?includeDeleted=true&top=500",
                                 ADMIN, NULL, NULL);
  g_assert_cmpuint (all->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_node_get_object (all->json), "value")), ==, 12);
  g_assert_null (bd_test_answer_string (all, "nextLink"));

  /* Deleted ones stay readable one by one. */
  deleted = bd_test_service_request (service, "GET", "/v1/subscriptions/s11", ADMIN, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (deleted, "status"), ==, "deleted");
}

static void
test_paging_bad_query (void)
{
  static const struct {
    const char *query;
    const char *target;
  } cases[] = {
    { "?top=0", "top" }, { "?top=501", "top" }, { "?top=abc", "top" }, { "?top=-1", "top" },
    { "?top=1.5", "top" }, { "?skipToken=!!!", "skipToken" }, { "?skipToken=bm9wZQ", "skipToken" },
    { "?includeDeleted=yes", "includeDeleted" }, { "?colour=red", "colour" },
  };
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) top500 = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/v1/subscriptions", cases[i].query, NULL);
      g_autoptr(BdTestAnswer) answer = NULL;

      g_test_message ("%s", cases[i].query);
      answer = bd_test_service_request (service, "GET", path, ADMIN, NULL, NULL);
      bd_test_assert_api_error (answer, 400, "invalidRequest");
      if (cases[i].target != NULL)
        g_assert_cmpstr (error_target (answer), ==, cases[i].target);
    }

  top500 = bd_test_service_request (service, "GET", "/v1/subscriptions?top=500", ADMIN, NULL,
                                    NULL);
  g_assert_cmpuint (top500->status, ==, 200);
}

static void
test_subscription_resource (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(BdTestAnswer) reader = NULL;
  g_autoptr(BdTestAnswer) expired = NULL;

  answer = bd_test_service_request (service, "GET", "/v1/subscriptions/s1", ADMIN, NULL, NULL);
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_nonnull (answer->etag);
  g_assert_cmpstr (answer->etag, ==, bd_test_answer_string (answer, "etag"));
  g_assert_cmpstr (bd_test_answer_string (answer, "status"), ==, "active");
  g_assert_cmpstr (bd_test_answer_string (answer, "cancellationWindowEnd"), ==,
                   "2026-11-08T00:00:00Z");
  g_assert_null (bd_test_answer_string (answer, "nextLifecycleDate"));
  g_assert_cmpstr (bd_test_answer_string (answer, "allowedActions[0]"), ==, "cancel");
  g_assert_cmpstr (bd_test_answer_string (answer, "actionBlockers.reactivate"), ==,
                   "invalidState");

  /* The same ETag for every user; a reader may do nothing, and is told why. */
  reader = bd_test_service_request (service, "GET", "/v1/subscriptions/s1", READER, NULL, NULL);
  g_assert_cmpstr (reader->etag, ==, answer->etag);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_node_get_object (reader->json), "allowedActions")), ==, 0);
  g_assert_cmpstr (bd_test_answer_string (reader, "actionBlockers.cancel"), ==,
                   "insufficientRole");

  expired = bd_test_service_request (service, "GET", "/v1/subscriptions/s9", ADMIN, NULL, NULL);
  g_assert_cmpstr (bd_test_answer_string (expired, "status"), ==, "expired");
  g_assert_cmpstr (bd_test_answer_string (expired, "nextLifecycleDate"), ==,
                   "2026-11-29T00:00:00Z");
}

static void
test_profiles_and_domains (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) profiles = NULL;
  g_autoptr(BdTestAnswer) domains = NULL;

  profiles = bd_test_service_request (service, "GET", "/v1/billing-profiles", USER, NULL, NULL);
  g_assert_cmpuint (profiles->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (profiles, "value[0].id"), ==, "bp1");
  g_assert_cmpstr (bd_test_answer_string (profiles, "value[0].paymentMethod"), ==, "invoice");

  domains = bd_test_service_request (service, "GET", "/v1/domains", USER, NULL, NULL);
  g_assert_cmpuint (domains->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (domains, "value[0].name"), ==, "contoso.dk");
  g_assert_cmpstr (bd_test_answer_string (domains, "value[0].subscriptionIds[0]"), ==, "s6");
}

/*
 * The cancellation answer: every rule through the API, both sides of each
 * boundary
 */

typedef struct
{
  const char *what;
  const char *id;
  const char *token;
  const char *now;
  const char *blockers;  /* "code:alternative,... code:..." */
  gint64      refund;    /* -1: null */
} CancellationCase;

static const CancellationCase cancellation_cases[] = {
  { "rule 2: 167h59m59s after renewal", "s1", ADMIN, "2026-11-07T23:59:59Z", "", 0 },
  { "rule 2: 168h after renewal", "s1", ADMIN, "2026-11-08T00:00:00Z",
    "cancellationWindowClosed:turnOffRecurringBilling", -1 },
  { "rule 4: the worked example's s1", "s1", ADMIN, NOW, "", 148400 },
  { "rule 3: 25 licenses", "s3", BILLING, NOW, "", 371000 },
  { "rule 3: 26 licenses", "s4", BILLING, NOW,
    "tooManyLicenses:reduceLicenses,turnOffRecurringBilling,contactSupport", -1 },
  { "rule 6: trial outside the window", "s5", ADMIN, "2026-11-20T00:00:00Z", "", -1 },
  { "rule 5: custom domain", "s6", ADMIN, NOW, "customDomainAttached:removeDomain", -1 },
  { "rule 5: domain subscription", "s7", ADMIN, NOW,
    "domainSubscription:turnOffRecurringBilling", -1 },
  { "rule 5: reseller", "s8", ADMIN, NOW, "purchasedThroughPartner:contactSeller", -1 },
  { "rule 7: expired", "s9", ADMIN, NOW, "notActive:reactivate", -1 },
  { "rule 7: disabled", "s10", ADMIN, NOW, "notActive:reactivate", -1 },
  { "rule 7: deleted", "s11", ADMIN, NOW, "invalidState:", -1 },
  { "rule 1: global reader", "s1", READER, NOW, "insufficientRole:", -1 },
  { "rule 1: user sees what an admin would", "s4", USER, NOW,
    "insufficientRole: tooManyLicenses:reduceLicenses,turnOffRecurringBilling,contactSupport",
    -1 },
  { "rule 11: a renewal opens a new window", "s1", ADMIN, "2026-12-01T00:00:00Z", "", 159000 },
  { "rule 11: and it closes 168h later", "s1", ADMIN, "2026-12-08T00:00:00Z",
    "cancellationWindowClosed:turnOffRecurringBilling", -1 },
};

static char *
render_blockers (BdTestAnswer *answer)
{
  g_autoptr(GString) out = g_string_new (NULL);
  JsonArray *blockers = json_object_get_array_member (json_node_get_object (answer->json),
                                                      "blockers");

  for (guint i = 0; i < json_array_get_length (blockers); i++)
    {
      JsonObject *blocker = json_array_get_object_element (blockers, i);
      JsonArray *alternatives = json_object_get_array_member (blocker, "alternatives");

      g_string_append_printf (out, "%s%s:", i > 0 ? " " : "",
                              json_object_get_string_member (blocker, "code"));
      for (guint j = 0; j < json_array_get_length (alternatives); j++)
        g_string_append_printf (out, "%s%s", j > 0 ? "," : "",
                                json_array_get_string_element (alternatives, j));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_cancellation (gconstpointer data)
{
  const CancellationCase *c = data;
  g_autoptr(BdTestService) service = start ();
  g_autofree char *path = g_strdup_printf ("/v1/subscriptions/%s/cancellation", c->id);
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autofree char *rendered = NULL;

  bd_test_service_set_now (service, c->now);
  answer = bd_test_service_request (service, "GET", path, c->token, NULL, NULL);
  g_assert_cmpuint (answer->status, ==, 200);

  rendered = render_blockers (answer);
  g_assert_cmpstr (rendered, ==, c->blockers);
  g_assert_cmpint (json_object_get_boolean_member (json_node_get_object (answer->json), "allowed"),
                   ==, *c->blockers == '\0');
  if (c->refund < 0)
    g_assert_true (json_object_get_null_member (json_node_get_object (answer->json), "refund"));
  else if (c->refund > 0)
    g_assert_cmpint (bd_test_answer_int (answer, "refund.amount"), ==, c->refund);
  g_assert_nonnull (bd_test_answer_string (answer, "dataRetention.deletedBy"));
}

/*
 * Cancelling
 */

static void
test_cancel (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(BdTestAnswer) other = NULL;
  g_autoptr(BdTestAnswer) ledger = NULL;

  answer = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                    "{\"reason\":\"other\",\"feedback\":\"Vi flytter.\"}",
                                    KEY ("cancel-s1-1"), NULL);
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (answer, "subscription.status"), ==, "disabled");
  g_assert_cmpstr (bd_test_answer_string (answer, "subscription.recurringBilling"), ==, "off");
  g_assert_cmpstr (bd_test_answer_string (answer, "subscription.termEndDate"), ==, NOW);
  g_assert_cmpint (bd_test_answer_int (answer, "refund.amount"), ==, 148400);
  g_assert_cmpstr (bd_test_answer_string (answer, "refund.method"), ==, "creditNextInvoice");
  g_assert_cmpstr (bd_test_answer_string (answer, "dataRetention.deletableFrom"), ==,
                   "2026-12-03T00:00:00Z");
  g_assert_cmpstr (bd_test_answer_string (answer, "dataRetention.deletedBy"), ==,
                   "2027-05-02T00:00:00Z");
  g_assert_cmpstr (answer->etag, ==, bd_test_answer_string (answer, "subscription.etag"));

  /* Rule 7: the other subscription of the same product is untouched. */
  other = bd_test_service_request (service, "GET", "/v1/subscriptions/s2", ADMIN, NULL, NULL);
  g_assert_cmpstr (bd_test_answer_string (other, "status"), ==, "active");
  g_assert_cmpstr (bd_test_answer_string (other, "recurringBilling"), ==, "on");

  ledger = bd_test_service_request (service, "GET", "/v1/operations", ADMIN, NULL, NULL);
  g_assert_cmpuint (ledger->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].action"), ==, "cancel");
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].userId"), ==, "u1");
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].subscriptionId"), ==, "s1");
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].idempotencyKey"), ==, "cancel-s1-1");
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].detail.reason"), ==, "other");
  g_assert_cmpint (bd_test_answer_int (ledger, "value[0].detail.refund.amount"), ==, 148400);
  g_assert_cmpuint (count_operations (service, "s2"), ==, 0);
}

/* The same key and body replay the first answer, changing nothing; the same
 * key with another body is 422; the ledger shows one entry.
 */
static void
test_cancel_replay (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) first = NULL;
  g_autoptr(BdTestAnswer) again = NULL;
  g_autoptr(BdTestAnswer) other_body = NULL;
  g_autoptr(BdTestAnswer) other_key = NULL;
  g_autoptr(BdTestAnswer) other_user = NULL;

  first = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                   CANCEL_BODY, KEY ("k-1"), NULL);
  g_assert_cmpuint (first->status, ==, 200);

  /* A later clock, so that a second effect would show. */
  bd_test_service_set_now (service, "2026-11-04T00:00:00Z");
  again = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                   CANCEL_BODY, KEY ("k-1"), NULL);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (again->text, ==, first->text);
  g_assert_cmpstr (again->etag, ==, first->etag);

  other_body = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                        "{\"reason\":\"noLongerNeeded\"}", KEY ("k-1"), NULL);
  bd_test_assert_api_error (other_body, 422, "idempotencyKeyReused");

  other_key = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                       CANCEL_BODY, KEY ("k-2"), NULL);
  bd_test_assert_api_error (other_key, 409, "notActive");

  /* Keys are scoped to the user: another admin's k-1 is a new request. */
  other_user = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", BILLING,
                                        CANCEL_BODY, KEY ("k-1"), NULL);
  bd_test_assert_api_error (other_user, 409, "notActive");

  g_assert_cmpuint (count_operations (service, "s1"), ==, 1);
}

/* A refusal is kept under its key and replayed the same way. */
static void
test_cancel_refusal_replay (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) first = NULL;
  g_autoptr(BdTestAnswer) again = NULL;
  g_autoptr(GError) error = NULL;

  first = bd_test_service_request (service, "POST", "/v1/subscriptions/s4/cancel", ADMIN,
                                   CANCEL_BODY, KEY ("k-s4"), NULL);
  bd_test_assert_api_error (first, 409, "tooManyLicenses");

  /* Even after the licenses drop to 25, the key answers what it answered. */
  {
    g_autofree char *etag = etag_of (service, "s4");
    g_autoptr(BdTestAnswer) patch = NULL;

    patch = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s4", ADMIN,
                                     "{\"quantity\":25}", IF_MATCH (etag), NULL);
    g_assert_cmpuint (patch->status, ==, 200);
  }

  again = bd_test_service_request (service, "POST", "/v1/subscriptions/s4/cancel", ADMIN,
                                   CANCEL_BODY, KEY ("k-s4"), NULL);
  bd_test_assert_api_error (again, 409, "tooManyLicenses");
  g_assert_cmpstr (again->text, ==, first->text);
}

static void
test_cancel_bad_requests (void)
{
  static const struct {
    const char *what;
    const char *body;
    const char *key;
    guint status;
    const char *code;
    const char *target;
  } cases[] = {
    { "no key", CANCEL_BODY, NULL, 400, "idempotencyKeyRequired", "Idempotency-Key" },
    { "empty body", NULL, "k", 400, "invalidRequest", NULL },
    { "not JSON", "reason=tooExpensive", "k", 400, "invalidRequest", NULL },
    { "unknown reason", "{\"reason\":\"bored\"}", "k", 400, "invalidRequest", "reason" },
    { "missing reason", "{\"feedback\":\"x\"}", "k", 400, "invalidRequest", "reason" },
    { "unknown key", "{\"reason\":\"other\",\"feedback\":\"x\",\"mood\":1}", "k", 400,
      "invalidRequest", "mood" },
    { "other without feedback", "{\"reason\":\"other\"}", "k", 400, "invalidRequest",
      "feedback" },
    { "other with blank feedback", "{\"reason\":\"other\",\"feedback\":\" \\t\\n\"}", "k", 400,
      "invalidRequest", "feedback" },
    { "feedback a number", "{\"reason\":\"other\",\"feedback\":3}", "k", 400, "invalidRequest",
      "feedback" },
    { "duplicate key", "{\"reason\":\"other\",\"reason\":\"tooExpensive\"}", "k", 400,
      "invalidRequest", "reason" },
    { "bad UTF-8", "{\"reason\":\"tooExpensive\",\"feedback\":\"\xff\"}", "k", 400,
      "invalidRequest", "feedback" },
  };
  g_autoptr(BdTestService) service = start ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BdTestAnswer) answer = NULL;

      g_test_message ("%s", cases[i].what);
      if (cases[i].key != NULL)
        answer = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                          cases[i].body, KEY (cases[i].key), NULL);
      else
        answer = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                          cases[i].body, NULL);
      bd_test_assert_api_error (answer, cases[i].status, cases[i].code);
      g_assert_cmpstr (error_target (answer), ==, cases[i].target);
    }

  g_assert_cmpuint (count_operations (service, "s1"), ==, 0);
}

static void
test_idempotency_key_shape (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autofree char *long_key = g_strnfill (256, 'k');
  g_autofree char *longest_key = g_strnfill (255, 'k');
  g_autoptr(BdTestAnswer) too_long = NULL;
  g_autoptr(BdTestAnswer) longest = NULL;

  too_long = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                      CANCEL_BODY, KEY (long_key), NULL);
  bd_test_assert_api_error (too_long, 400, "invalidRequest");
  g_assert_cmpstr (error_target (too_long), ==, "Idempotency-Key");

  longest = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                     CANCEL_BODY, KEY (longest_key), NULL);
  g_assert_cmpuint (longest->status, ==, 200);
}

/* When several errors apply, the first in the order of docs/api.md, "Which
 * error wins", wins.
 */
static void
test_precedence (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autofree char *etag = etag_of (service, "s1");
  g_autoptr(BdTestAnswer) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL, f = NULL, g = NULL;
  g_autoptr(BdTestAnswer) h = NULL, i = NULL;

  /* 415 before 404 */
  a = bd_test_service_request (service, "POST", "/v1/subscriptions/nope/cancel", ADMIN, NULL,
                               "Content-Type", "text/plain", NULL);
  bd_test_assert_api_error (a, 404, "notFound");
  {
    g_autoptr(BdTestAnswer) typed = NULL;

    typed = bd_test_service_request (service, "POST", "/v1/subscriptions/nope/cancel", ADMIN,
                                     "x", "Content-Type", "text/plain", KEY ("p1"), NULL);
    bd_test_assert_api_error (typed, 415, "unsupportedMediaType");
  }

  /* 404 before 400 */
  b = bd_test_service_request (service, "POST", "/v1/subscriptions/nope/cancel", ADMIN, "{",
                               KEY ("p2"), NULL);
  bd_test_assert_api_error (b, 404, "notFound");

  /* 400 (the body) before 403 */
  c = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", READER, "{",
                               KEY ("p3"), NULL);
  bd_test_assert_api_error (c, 400, "invalidRequest");

  /* 403 before a missing Idempotency-Key */
  d = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/cancel", READER,
                               CANCEL_BODY, NULL);
  bd_test_assert_api_error (d, 403, "forbidden");

  /* 403 before 428 */
  e = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s1", USER,
                               "{\"recurringBilling\":\"off\"}", NULL);
  bd_test_assert_api_error (e, 403, "forbidden");

  /* 428 */
  f = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s1", ADMIN,
                               "{\"recurringBilling\":\"off\"}", NULL);
  bd_test_assert_api_error (f, 428, "preconditionRequired");

  /* 412 before 409: a stale ETag on an Expired subscription */
  g = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s9", ADMIN,
                               "{\"recurringBilling\":\"on\"}", IF_MATCH ("\"stale\""), NULL);
  bd_test_assert_api_error (g, 412, "preconditionFailed");

  /* 409 with the right ETag */
  {
    g_autofree char *expired_etag = etag_of (service, "s9");

    h = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s9", ADMIN,
                                 "{\"recurringBilling\":\"on\"}", IF_MATCH (expired_etag), NULL);
    bd_test_assert_api_error (h, 409, "notActive");
  }

  /* An empty body is no change at all. */
  i = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s1", ADMIN, "{}",
                               IF_MATCH (etag), NULL);
  bd_test_assert_api_error (i, 400, "invalidRequest");
}

/*
 * Recurring billing, licenses, reactivation, deletion
 */

static void
test_patch (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autofree char *etag = etag_of (service, "s1");
  g_autoptr(BdTestAnswer) both = NULL;
  g_autoptr(BdTestAnswer) stale = NULL;
  g_autoptr(BdTestAnswer) same = NULL;
  g_autoptr(BdTestAnswer) below = NULL;

  both = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s1", BILLING,
                                  "{\"recurringBilling\":\"off\",\"quantity\":12}",
                                  IF_MATCH (etag), NULL);
  g_assert_cmpuint (both->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (both, "recurringBilling"), ==, "off");
  g_assert_cmpint (bd_test_answer_int (both, "quantity"), ==, 12);
  g_assert_cmpstr (bd_test_answer_string (both, "status"), ==, "active");
  g_assert_cmpstr (bd_test_answer_string (both, "nextLifecycleDate"), ==, "2026-12-01T00:00:00Z");
  g_assert_cmpstr (both->etag, !=, etag);
  g_assert_cmpuint (count_operations (service, "s1"), ==, 2);

  /* The old ETag is stale now. */
  stale = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s1", BILLING,
                                   "{\"quantity\":11}", IF_MATCH (etag), NULL);
  bd_test_assert_api_error (stale, 412, "preconditionFailed");

  /* The same values change nothing and record nothing. */
  same = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s1", BILLING,
                                  "{\"recurringBilling\":\"off\",\"quantity\":12}",
                                  IF_MATCH (both->etag), NULL);
  g_assert_cmpuint (same->status, ==, 200);
  g_assert_cmpstr (same->etag, ==, both->etag);
  g_assert_cmpuint (count_operations (service, "s1"), ==, 2);

  /* Rule 14: never below the assigned licenses. */
  below = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s1", BILLING,
                                   "{\"quantity\":7}", IF_MATCH (both->etag), NULL);
  bd_test_assert_api_error (below, 409, "licensesAssigned");
}

static void
test_patch_rules (void)
{
  static const struct {
    const char *what;
    const char *id;
    const char *body;
    guint status;
    const char *code;
  } cases[] = {
    { "quantity 0", "s1", "{\"quantity\":0}", 400, "invalidRequest" },
    { "quantity 100001", "s1", "{\"quantity\":100001}", 400, "invalidRequest" },
    { "quantity as text", "s1", "{\"quantity\":\"5\"}", 400, "invalidRequest" },
    { "unknown recurring billing", "s1", "{\"recurringBilling\":\"sometimes\"}", 400,
      "invalidRequest" },
    { "unknown key", "s1", "{\"status\":\"active\"}", 400, "invalidRequest" },
    { "trial quantity", "s5", "{\"quantity\":4}", 409, "quantityLocked" },
    { "prepaid quantity", "s12", "{\"quantity\":4}", 409, "quantityLocked" },
    { "reseller quantity", "s8", "{\"quantity\":4}", 409, "quantityLocked" },
    { "expired recurring billing", "s9", "{\"recurringBilling\":\"on\"}", 409, "notActive" },
    { "disabled quantity", "s10", "{\"quantity\":3}", 409, "notActive" },
    { "deleted", "s11", "{\"recurringBilling\":\"off\"}", 409, "invalidState" },
    { "renewOnce", "s2", "{\"recurringBilling\":\"renewOnce\"}", 200, NULL },
    { "100000 licenses", "s3", "{\"quantity\":100000}", 200, NULL },
    { "down to the assigned", "s2", "{\"quantity\":5}", 200, NULL },
  };
  g_autoptr(BdTestService) service = start ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/v1/subscriptions/", cases[i].id, NULL);
      g_autofree char *etag = etag_of (service, cases[i].id);
      g_autoptr(BdTestAnswer) answer = NULL;

      g_test_message ("%s", cases[i].what);
      answer = bd_test_service_request (service, "PATCH", path, ADMIN, cases[i].body,
                                        IF_MATCH (etag), NULL);
      if (cases[i].code != NULL)
        bd_test_assert_api_error (answer, cases[i].status, cases[i].code);
      else
        g_assert_cmpuint (answer->status, ==, cases[i].status);
    }
}

static void
test_reactivate (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(BdTestAnswer) again = NULL;
  g_autoptr(BdTestAnswer) active = NULL;
  g_autoptr(BdTestAnswer) deleted = NULL;
  g_autoptr(BdTestAnswer) reader = NULL;

  reader = bd_test_service_request (service, "POST", "/v1/subscriptions/s9/reactivate", READER,
                                    NULL, NULL);
  bd_test_assert_api_error (reader, 403, "forbidden");

  answer = bd_test_service_request (service, "POST", "/v1/subscriptions/s9/reactivate", ADMIN,
                                    NULL, KEY ("r-1"), NULL);
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (answer, "status"), ==, "active");
  g_assert_cmpstr (bd_test_answer_string (answer, "recurringBilling"), ==, "on");
  /* Rule 12: the term had ended; a new commitment starts now. */
  g_assert_cmpstr (bd_test_answer_string (answer, "startDate"), ==, NOW);
  g_assert_cmpstr (bd_test_answer_string (answer, "lastRenewalDate"), ==, NOW);
  g_assert_cmpstr (bd_test_answer_string (answer, "termEndDate"), ==, "2026-12-03T00:00:00Z");

  again = bd_test_service_request (service, "POST", "/v1/subscriptions/s9/reactivate", ADMIN,
                                   NULL, KEY ("r-1"), NULL);
  g_assert_cmpstr (again->text, ==, answer->text);
  g_assert_cmpuint (count_operations (service, "s9"), ==, 1);

  active = bd_test_service_request (service, "POST", "/v1/subscriptions/s1/reactivate", ADMIN,
                                    "{}", NULL);
  bd_test_assert_api_error (active, 409, "invalidState");

  deleted = bd_test_service_request (service, "POST", "/v1/subscriptions/s11/reactivate", ADMIN,
                                     NULL, NULL);
  bd_test_assert_api_error (deleted, 409, "invalidState");

  /* Reactivated from Disabled too. */
  {
    g_autoptr(BdTestAnswer) disabled = NULL;

    disabled = bd_test_service_request (service, "POST", "/v1/subscriptions/s10/reactivate",
                                        BILLING, NULL, NULL);
    g_assert_cmpuint (disabled->status, ==, 200);
    g_assert_cmpstr (bd_test_answer_string (disabled, "status"), ==, "active");
  }
}

static void
test_delete (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autofree char *etag = etag_of (service, "s2");
  g_autoptr(BdTestAnswer) wrong = NULL;
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(BdTestAnswer) listed = NULL;
  g_autoptr(BdTestAnswer) cancellation = NULL;
  g_autoptr(BdTestAnswer) again = NULL;

  wrong = bd_test_service_request (service, "DELETE", "/v1/subscriptions/s2", ADMIN,
                                   "{\"confirm\":\"microsoft 365 business premium\"}",
                                   IF_MATCH (etag), NULL);
  bd_test_assert_api_error (wrong, 400, "invalidRequest");
  g_assert_cmpstr (error_target (wrong), ==, "confirm");

  answer = bd_test_service_request (service, "DELETE", "/v1/subscriptions/s2", ADMIN,
                                    "{\"confirm\":\"Microsoft 365 Business Premium\"}",
                                    IF_MATCH (etag), NULL);
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (answer, "status"), ==, "deleted");
  g_assert_cmpstr (bd_test_answer_string (answer, "recurringBilling"), ==, "off");

  listed = bd_test_service_request (service, "GET", "/v1/subscriptions?top=500", ADMIN, NULL,
                                    NULL);
  g_assert_null (strstr (listed->text, "\"id\":\"s2\""));

  cancellation = bd_test_service_request (service, "GET", "/v1/subscriptions/s2/cancellation",
                                          ADMIN, NULL, NULL);
  g_assert_cmpstr (bd_test_answer_string (cancellation, "blockers[0].code"), ==, "invalidState");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_node_get_object (cancellation->json), "blockers")), ==, 1);

  again = bd_test_service_request (service, "DELETE", "/v1/subscriptions/s2", ADMIN,
                                   "{\"confirm\":\"Microsoft 365 Business Premium\"}",
                                   IF_MATCH (answer->etag), NULL);
  bd_test_assert_api_error (again, 409, "invalidState");
}

/*
 * The ledger
 */

static void
test_operations (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) reader = NULL;
  g_autoptr(BdTestAnswer) unknown = NULL;
  g_autoptr(BdTestAnswer) page = NULL;
  g_autoptr(BdTestAnswer) next = NULL;
  const char *link;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *etag = etag_of (service, "s3");
      g_autofree char *body = g_strdup_printf ("{\"quantity\":%u}", 21 + i);
      g_autoptr(BdTestAnswer) answer = NULL;

      answer = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s3", ADMIN, body,
                                        IF_MATCH (etag), NULL);
      g_assert_cmpuint (answer->status, ==, 200);
    }

  reader = bd_test_service_request (service, "GET", "/v1/operations", READER, NULL, NULL);
  bd_test_assert_api_error (reader, 403, "forbidden");

  unknown = bd_test_service_request (service, "GET", "/v1/operations?subscriptionId=nope", ADMIN,
                                     NULL, NULL);
  bd_test_assert_api_error (unknown, 404, "notFound");

  /* 404 wins over a bad top, which wins over 403. */
  {
    g_autoptr(BdTestAnswer) both = NULL;
    g_autoptr(BdTestAnswer) bad_top = NULL;

    both = bd_test_service_request (service, "GET", "/v1/operations?top=0&subscriptionId=nope",
                                    ADMIN, NULL, NULL);
    bd_test_assert_api_error (both, 404, "notFound");
    bad_top = bd_test_service_request (service, "GET", "/v1/operations?top=0", READER, NULL,
                                       NULL);
    bd_test_assert_api_error (bad_top, 400, "invalidRequest");
  }

  page = bd_test_service_request (service, "GET", "/v1/operations?top=2", BILLING, NULL, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_cmpint (bd_test_answer_int (page, "value[0].detail.from"), ==, 25);
  g_assert_cmpint (bd_test_answer_int (page, "value[1].detail.to"), ==, 22);
  link = bd_test_answer_string (page, "nextLink");
  g_assert_nonnull (link);

  next = bd_test_service_request (service, "GET", link + strlen (service->url), BILLING, NULL,
                                  NULL);
  g_assert_cmpint (bd_test_answer_int (next, "value[0].detail.to"), ==, 23);
  g_assert_null (bd_test_answer_string (next, "nextLink"));
}

/* Runs @sql on the service's database, beside the service's own connection. */
static void
run_sql (BdTestService *service,
         const char    *sql)
{
  g_autofree char *path = NULL;
  sqlite3 *db = NULL;

  if (bd_test_database_is_postgresql ())
    {
      g_free (bd_test_database_query (service->location, sql));
      return;
    }

  path = g_build_filename (service->dir, "billing.sqlite", NULL);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* GET @path, a page of the ledger, as @token; its nextLink as a path. */
static BdTestAnswer *
ledger_page (BdTestService  *service,
             const char     *path,
             char          **next_path)
{
  BdTestAnswer *page = bd_test_service_request (service, "GET", path, ADMIN, NULL, NULL);
  const char *link;

  g_assert_cmpuint (page->status, ==, 200);
  link = bd_test_answer_string (page, "nextLink");
  *next_path = NULL;
  if (link != NULL)
    {
      g_assert_true (g_str_has_prefix (link, service->url));
      *next_path = g_strdup (link + strlen (service->url));
    }

  return page;
}

/* 250 entries (quantities 0 -> 1, 1 -> 2, ... on s1 and s2 in turn), read
 * newest first in pages of 7 through their nextLink: each once, in order;
 * the same of s2 alone; a skip token only with its own order.
 */
static void
test_operations_newest (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) bad_order = NULL;
  g_autoptr(BdTestAnswer) oldest_first = NULL;
  g_autoptr(BdTestAnswer) newest_first = NULL;
  g_autoptr(BdTestAnswer) crossed = NULL;
  g_autoptr(BdTestAnswer) crossed_back = NULL;
  g_autofree char *oldest_token = NULL;
  g_autofree char *newest_token = NULL;
  g_autofree char *path = g_strdup ("/v1/operations?order=newest&top=7");
  gint64 expected = 249;
  guint n_pages = 0;

  for (guint i = 0; i < 250; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *detail = g_strdup_printf ("{\"from\":%u,\"to\":%u}", i, i + 1);
      BdStoredOperation operation = {
        .time = bd_test_time (NOW), .user_id = (char *) "u2",
        .subscription_id = (char *) (i % 2 == 0 ? "s2" : "s1"),
        .action = (char *) "changeQuantity", .detail = detail,
      };

      g_assert_true (bd_store_add_operation (service->store, &operation, &error));
      g_assert_no_error (error);
      g_free (operation.id);
    }

  while (path != NULL)
    {
      g_autoptr(BdTestAnswer) page = NULL;
      g_autofree char *next = NULL;
      JsonArray *value;

      page = ledger_page (service, path, &next);
      value = json_object_get_array_member (json_node_get_object (page->json), "value");
      g_assert_cmpuint (json_array_get_length (value), ==, next != NULL ? 7 : 250 % 7);
      for (guint i = 0; i < json_array_get_length (value); i++)
        {
          g_autofree char *from = g_strdup_printf ("value[%u].detail.from", i);
          g_autofree char *name = g_strdup_printf ("value[%u].userDisplayName", i);

          g_assert_cmpint (bd_test_answer_int (page, from), ==, expected);
          g_assert_cmpstr (bd_test_answer_string (page, name), ==, "Søren Kjær");
          expected--;
        }
      if (next != NULL)
        g_assert_nonnull (strstr (next, "order=newest"));
      g_free (path);
      path = g_steal_pointer (&next);
      n_pages++;
    }
  g_assert_cmpint (expected, ==, -1);
  g_assert_cmpuint (n_pages, ==, 36);

  /* one subscription's, newest first: 248, 246, ... 0 */
  expected = 248;
  path = g_strdup ("/v1/operations?subscriptionId=s2&order=newest&top=50");
  while (path != NULL)
    {
      g_autoptr(BdTestAnswer) page = NULL;
      g_autofree char *next = NULL;
      JsonArray *value;

      page = ledger_page (service, path, &next);
      value = json_object_get_array_member (json_node_get_object (page->json), "value");
      for (guint i = 0; i < json_array_get_length (value); i++)
        {
          g_autofree char *from = g_strdup_printf ("value[%u].detail.from", i);
          g_autofree char *id = g_strdup_printf ("value[%u].subscriptionId", i);

          g_assert_cmpint (bd_test_answer_int (page, from), ==, expected);
          g_assert_cmpstr (bd_test_answer_string (page, id), ==, "s2");
          expected -= 2;
        }
      g_free (path);
      path = g_steal_pointer (&next);
    }
  g_assert_cmpint (expected, ==, -2);

  bad_order = bd_test_service_request (service, "GET", "/v1/operations?order=latest", ADMIN,
                                       NULL, NULL);
  bd_test_assert_api_error (bad_order, 400, "invalidRequest");
  g_assert_cmpstr (error_target (bad_order), ==, "order");

  /* a token of one order is refused with the other */
  oldest_first = ledger_page (service, "/v1/operations?top=3", &oldest_token);
  g_assert_cmpint (bd_test_answer_int (oldest_first, "value[0].detail.from"), ==, 0);
  newest_first = ledger_page (service, "/v1/operations?top=3&order=newest", &newest_token);
  g_assert_cmpint (bd_test_answer_int (newest_first, "value[0].detail.from"), ==, 249);
  g_assert_nonnull (oldest_token);
  g_assert_nonnull (newest_token);
  {
    g_autofree char *crossed_path = g_strconcat (oldest_token, "&order=newest", NULL);
    g_autofree char *back_path = g_strdup (newest_token);
    char *order = strstr (back_path, "&order=newest");
    gsize cut = strlen ("&order=newest");

    g_assert_nonnull (order);
    memmove (order, order + cut, strlen (order + cut) + 1);
    crossed = bd_test_service_request (service, "GET", crossed_path, ADMIN, NULL, NULL);
    bd_test_assert_api_error (crossed, 400, "invalidRequest");
    g_assert_cmpstr (error_target (crossed), ==, "skipToken");
    crossed_back = bd_test_service_request (service, "GET", back_path, ADMIN, NULL, NULL);
    bd_test_assert_api_error (crossed_back, 400, "invalidRequest");
    g_assert_cmpstr (error_target (crossed_back), ==, "skipToken");
  }
}

/* The names of an entry are those of when it was written: a rename after
 * it changes the entries after it only.
 */
static void
test_operations_names (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) subscription = NULL;
  g_autoptr(BdTestAnswer) ledger = NULL;
  g_autofree char *product = NULL;

  subscription = bd_test_service_request (service, "GET", "/v1/subscriptions/s3", ADMIN, NULL,
                                          NULL);
  product = g_strdup (bd_test_answer_string (subscription, "productName"));

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *etag = etag_of (service, "s3");
      g_autofree char *body = g_strdup_printf ("{\"quantity\":%u}", 21 + i);
      g_autoptr(BdTestAnswer) answer = NULL;

      answer = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s3", ADMIN, body,
                                        IF_MATCH (etag), NULL);
      g_assert_cmpuint (answer->status, ==, 200);
      /* neither the service nor its commands rename: the database does */
      if (i == 0)
        run_sql (service, "UPDATE users SET display_name = 'Anne Berg-Holm' WHERE id = 'u1';"
                          "UPDATE subscriptions SET product_name = 'Business Standard (old)' "
                          "WHERE id = 's3'");
    }

  ledger = bd_test_service_request (service, "GET", "/v1/operations?subscriptionId=s3", ADMIN,
                                    NULL, NULL);
  g_assert_cmpuint (ledger->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].userDisplayName"), ==, "Anne Berg");
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].productName"), ==, product);
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[1].userDisplayName"), ==,
                   "Anne Berg-Holm");
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[1].productName"), ==,
                   "Business Standard (old)");
}

/* A database of the schema before the names (the entry's names dropped,
 * the version taken back) is migrated when opened: its entries get the
 * names of then, the user's current name here, since a rename came between.
 */
static void
test_operations_migrated (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(BdTestAnswer) ledger = NULL;
  g_autoptr(BdStore) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = etag_of (service, "s3");

  answer = bd_test_service_request (service, "PATCH", "/v1/subscriptions/s3", ADMIN,
                                    "{\"quantity\":21}", IF_MATCH (etag), NULL);
  g_assert_cmpuint (answer->status, ==, 200);

  run_sql (service, bd_test_database_is_postgresql ()
                    ? "ALTER TABLE operations DROP COLUMN user_display_name;"
                      "ALTER TABLE operations DROP COLUMN product_name;"
                      "UPDATE schema_version SET version = 2;"
                      "UPDATE users SET display_name = 'Anne Berg-Holm' WHERE id = 'u1'"
                    : "ALTER TABLE operations DROP COLUMN user_display_name;"
                      "ALTER TABLE operations DROP COLUMN product_name;"
                      "PRAGMA user_version = 2;"
                      "UPDATE users SET display_name = 'Anne Berg-Holm' WHERE id = 'u1'");

  reopened = bd_store_open (service->location, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bd_store_get_schema_version (reopened), ==, 3);

  ledger = bd_test_service_request (service, "GET", "/v1/operations", ADMIN, NULL, NULL);
  g_assert_cmpuint (ledger->status, ==, 200);
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].userDisplayName"), ==,
                   "Anne Berg-Holm");
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].productName"), !=, NULL);
}

/*
 * Eight simultaneous cancels with different keys: exactly one succeeds
 */

typedef struct
{
  guint n_done;
  guint statuses[8];
} Race;

typedef struct
{
  Race        *race;
  guint        index;
  SoupMessage *message;
} Runner;

static void
race_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Runner *runner = user_data;
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  runner->race->statuses[runner->index] = soup_message_get_status (runner->message);
  runner->race->n_done++;
}

static gboolean
race_done (gpointer data)
{
  return ((Race *) data)->n_done == 8;
}

static void
test_race (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autofree char *uri = g_strconcat (service->url, "/v1/subscriptions/s3/cancel", NULL);
  Runner runners[8];
  Race race = { 0 };
  guint ok = 0, refused = 0;

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *key = g_strdup_printf ("race-%u", i);
      g_autoptr(GBytes) body = g_bytes_new_static (CANCEL_BODY, strlen (CANCEL_BODY));
      SoupMessageHeaders *headers;

      runners[i] = (Runner) { .race = &race, .index = i, .message = soup_message_new ("POST", uri) };
      headers = soup_message_get_request_headers (runners[i].message);
      soup_message_headers_replace (headers, "Authorization", "Bearer " ADMIN);
      soup_message_headers_replace (headers, "Idempotency-Key", key);
      soup_message_set_request_body_from_bytes (runners[i].message, "application/json", body);
    }

  for (guint i = 0; i < 8; i++)
    soup_session_send_and_read_async (service->session, runners[i].message, G_PRIORITY_DEFAULT,
                                      NULL, race_cb, &runners[i]);

  g_assert_true (bd_test_wait_until (race_done, &race, 20000));

  for (guint i = 0; i < 8; i++)
    {
      ok += race.statuses[i] == 200;
      refused += race.statuses[i] == 409;
      g_object_unref (runners[i].message);
    }

  g_assert_cmpuint (ok, ==, 1);
  g_assert_cmpuint (refused, ==, 7);
  g_assert_cmpuint (count_operations (service, "s3"), ==, 1);
}

/*
 * The demo tenant shows every rule on the subscription meant to show it
 */

typedef struct
{
  const char *id;
  const char *status;
  const char *blockers;
  gboolean    refund;
} DemoCase;

static const DemoCase demo_cases[] = {
  { "s01", "active", "", TRUE },    /* billing profile, inside the 7-day window */
  { "s02", "active", "cancellationWindowClosed:turnOffRecurringBilling", FALSE },
  { "s03", "active", "", TRUE },    /* no billing profile, 10 licenses */
  { "s04", "active", "tooManyLicenses:reduceLicenses,turnOffRecurringBilling,contactSupport",
    FALSE },
  { "s05", "active", "", FALSE },   /* a trial: no refund */
  { "s06", "active", "customDomainAttached:removeDomain", FALSE },
  { "s07", "active", "domainSubscription:turnOffRecurringBilling", FALSE },
  { "s08", "active", "purchasedThroughPartner:contactSeller", FALSE },
  { "s09", "active", "", TRUE },    /* two subscriptions of one product */
  { "s10", "active", "", TRUE },
  { "s11", "active", "", TRUE },    /* recurring billing off */
  { "s12", "expired", "notActive:reactivate", FALSE },
  { "s13", "disabled", "notActive:reactivate", FALSE },
  { "s14", "active", "cancellationWindowClosed:turnOffRecurringBilling", FALSE },
  { "s15", "active", "", TRUE },    /* prepaid */
  { "s16", "active", "", TRUE },    /* renewOnce */
};

static void
test_demo_tenant (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo-tenant.json",
                                                 NULL);
  g_autofree char *text = NULL;
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(BdTestService) service = NULL;
  g_autoptr(GError) error = NULL;
  const char *admin, *reader;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  file = bd_tenant_file_read (text, -1, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file->users->len, ==, 3);
  g_assert_true (bd_user_has_role (g_ptr_array_index (file->users, 0), BD_ROLE_GLOBAL_ADMIN));
  g_assert_true (bd_user_has_role (g_ptr_array_index (file->users, 1), BD_ROLE_BILLING_ADMIN));
  g_assert_true (bd_user_has_role (g_ptr_array_index (file->users, 2), BD_ROLE_GLOBAL_READER));
  g_assert_cmpuint (file->subscriptions->len, >=, 14);
  admin = g_ptr_array_index (file->tokens, 0);
  reader = g_ptr_array_index (file->tokens, 2);

  service = bd_test_service_new (text, NOW);

  for (guint i = 0; i < G_N_ELEMENTS (demo_cases); i++)
    {
      const DemoCase *c = &demo_cases[i];
      g_autofree char *resource = g_strconcat ("/v1/subscriptions/", c->id, NULL);
      g_autofree char *cancellation = g_strconcat (resource, "/cancellation", NULL);
      g_autoptr(BdTestAnswer) subscription = NULL;
      g_autoptr(BdTestAnswer) answer = NULL;
      g_autoptr(BdTestAnswer) as_reader = NULL;
      g_autofree char *rendered = NULL;
      g_autofree char *reader_rendered = NULL;
      g_autofree char *expected_reader = NULL;

      g_test_message ("%s", c->id);
      subscription = bd_test_service_request (service, "GET", resource, admin, NULL, NULL);
      g_assert_cmpuint (subscription->status, ==, 200);
      g_assert_cmpstr (bd_test_answer_string (subscription, "status"), ==, c->status);

      answer = bd_test_service_request (service, "GET", cancellation, admin, NULL, NULL);
      rendered = render_blockers (answer);
      g_assert_cmpstr (rendered, ==, c->blockers);
      g_assert_cmpint (!json_object_get_null_member (json_node_get_object (answer->json),
                                                     "refund"), ==, c->refund);

      /* The reader sees why, first, and then what an admin would. */
      as_reader = bd_test_service_request (service, "GET", cancellation, reader, NULL, NULL);
      reader_rendered = render_blockers (as_reader);
      expected_reader = *c->blockers != '\0' ? g_strconcat ("insufficientRole: ", c->blockers, NULL)
                                             : g_strdup ("insufficientRole:");
      g_assert_cmpstr (reader_rendered, ==, expected_reader);
    }

  /* The cases the table's comments name, from the resources themselves. */
  {
    g_autoptr(BdTestAnswer) s09 = bd_test_service_request (service, "GET",
                                                           "/v1/subscriptions/s09", admin,
                                                           NULL, NULL);
    g_autoptr(BdTestAnswer) s10 = bd_test_service_request (service, "GET",
                                                           "/v1/subscriptions/s10", admin,
                                                           NULL, NULL);
    g_autoptr(BdTestAnswer) s03 = bd_test_service_request (service, "GET",
                                                           "/v1/subscriptions/s03", admin,
                                                           NULL, NULL);
    g_autoptr(BdTestAnswer) s04 = bd_test_service_request (service, "GET",
                                                           "/v1/subscriptions/s04", admin,
                                                           NULL, NULL);
    g_autoptr(BdTestAnswer) s05 = bd_test_service_request (service, "GET",
                                                           "/v1/subscriptions/s05", admin,
                                                           NULL, NULL);
    g_autoptr(BdTestAnswer) s08 = bd_test_service_request (service, "GET",
                                                           "/v1/subscriptions/s08", admin,
                                                           NULL, NULL);
    g_autoptr(BdTestAnswer) s11 = bd_test_service_request (service, "GET",
                                                           "/v1/subscriptions/s11", admin,
                                                           NULL, NULL);
    g_autoptr(BdTestAnswer) s14 = bd_test_service_request (service, "GET",
                                                           "/v1/subscriptions/s14", admin,
                                                           NULL, NULL);

    g_assert_cmpstr (bd_test_answer_string (s09, "productName"), ==,
                     bd_test_answer_string (s10, "productName"));
    g_assert_null (bd_test_answer_string (s03, "billingProfileId"));
    g_assert_cmpint (bd_test_answer_int (s03, "quantity"), ==, 10);
    g_assert_null (bd_test_answer_string (s04, "billingProfileId"));
    g_assert_cmpint (bd_test_answer_int (s04, "quantity"), ==, 30);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (s05->json), "isTrial"));
    g_assert_cmpstr (bd_test_answer_string (s08, "purchaseChannel"), ==, "reseller");
    g_assert_cmpstr (bd_test_answer_string (s11, "recurringBilling"), ==, "off");
    g_assert_cmpstr (bd_test_answer_string (s14, "billingFrequency"), ==, "annual");
  }
}

/* The nextLink of GET /v1/subscriptions?top=2 with the headers given
 * (name and value pairs, then NULL), over the socket.
 */
static char *
link_with_headers (BdTestService *service,
                   const char    *name,
                   ...)
{
  g_autoptr(BdTestAnswer) answer = NULL;
  const char *names[3] = { NULL, };
  const char *values[3] = { NULL, };
  va_list args;
  guint n = 0;

  va_start (args, name);
  for (const char *h = name; h != NULL && n < 3; h = va_arg (args, const char *))
    {
      names[n] = h;
      values[n++] = va_arg (args, const char *);
    }
  va_end (args);

  answer = bd_test_service_request (service, "GET", "/v1/subscriptions?top=2", READER, NULL,
                                    names[0], values[0], names[1], values[1], names[2], values[2],
                                    NULL);
  g_assert_cmpuint (answer->status, ==, 200);
  return g_strdup (bd_test_answer_string (answer, "nextLink"));
}

static void
assert_link_base (const char *link,
                  const char *base)
{
  g_autofree char *expected = g_strconcat (base, "/v1/subscriptions?top=2&skipToken=", NULL);

  if (link == NULL || !g_str_has_prefix (link, expected))
    g_error ("nextLink %s, expected %s…", link, expected);
}

/* nextLink follows the Host the client used (through a proxy that passes
 * it on, the proxy's), with the scheme the service listens on;
 * X-Forwarded-Proto and X-Forwarded-Host count only with trust-forwarded
 * (--trust-forwarded), and then win.
 */
static void
test_next_link_host (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autofree char *own = NULL;
  g_autofree char *by_host = NULL;
  g_autofree char *ignored = NULL;
  g_autofree char *forwarded = NULL;
  g_autofree char *host_only = NULL;
  g_autofree char *proto_only = NULL;

  own = link_with_headers (service, NULL);
  assert_link_base (own, service->url);

  by_host = link_with_headers (service, "Host", "billing.example:8080", NULL);
  assert_link_base (by_host, "http://billing.example:8080");

  ignored = link_with_headers (service, "Host", "billing.example",
                               "X-Forwarded-Proto", "https",
                               "X-Forwarded-Host", "proxy.example", NULL);
  assert_link_base (ignored, "http://billing.example");

  bd_api_set_trust_forwarded (service->api, TRUE);
  forwarded = link_with_headers (service, "Host", "10.0.0.5:8421",
                                 "X-Forwarded-Proto", "https",
                                 "X-Forwarded-Host", "Billing.Example.DK", NULL);
  assert_link_base (forwarded, "https://billing.example.dk");
  host_only = link_with_headers (service, "Host", "10.0.0.5:8421",
                                 "X-Forwarded-Host", "[::1]:8443", NULL);
  assert_link_base (host_only, "http://[::1]:8443");
  proto_only = link_with_headers (service, "Host", "billing.example",
                                  "X-Forwarded-Proto", "HTTPS", NULL);
  assert_link_base (proto_only, "https://billing.example");
}

/* A Host or an X-Forwarded-* value that is not one scheme, or one host
 * and a port, is ignored: nothing of it reaches the link, which falls back
 * to the next source (X-Forwarded-Host to Host, Host to the service's own
 * address). Through bd_api_handle (), so that values libsoup would never
 * send (a line break) are tried too.
 */
static void
test_next_link_bad_forwarded (void)
{
  g_autoptr(BdTestService) service = start ();
  static const char * const bad_hosts[] = {
    "evil.example/x", "evil.example/v1/subscriptions?top=1#", "user@evil.example",
    "a.example, b.example", "evil.example\r\nSet-Cookie: x=1", "evil.example:0",
    "evil.example:65536", "evil.example:", "evil .example", "[::1", "[]:80", "",
    "evil.example:80:80", "ev\"il.example", "%65vil.example",
  };
  static const char * const bad_protos[] = {
    "ftp", "https, http", "https\r\n", "javascript", "", "https://",
  };

  bd_api_set_trust_forwarded (service->api, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (bad_hosts) + G_N_ELEMENTS (bad_protos); i++)
    {
      gboolean is_host = i < G_N_ELEMENTS (bad_hosts);
      const char *bad = is_host ? bad_hosts[i] : bad_protos[i - G_N_ELEMENTS (bad_hosts)];
      BdApiRequest request = {
        .method = "GET", .path = "/v1/subscriptions", .query = "top=2",
        .authorization = "Bearer " READER, .host = "billing.example:8421",
      };
      BdApiRequest no_host = request;
      g_autoptr(BdApiResponse) response = NULL;
      g_autoptr(BdApiResponse) fallback = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonNode) fallback_node = NULL;
      const char *link;

      g_test_message ("%s “%s”", is_host ? "host" : "proto", bad);
      if (is_host)
        request.forwarded_host = bad;
      else
        request.forwarded_proto = bad;
      response = bd_api_handle (service->api, &request);
      g_assert_cmpuint (response->status, ==, 200);
      node = bd_json_parse (g_bytes_get_data (response->body, NULL),
                            g_bytes_get_size (response->body), NULL);
      link = json_object_get_string_member (json_node_get_object (node), "nextLink");
      assert_link_base (link, "http://billing.example:8421");

      /* As Host, without X-Forwarded-Host: the service's own address. */
      if (!is_host)
        continue;
      no_host.host = bad;
      fallback = bd_api_handle (service->api, &no_host);
      fallback_node = bd_json_parse (g_bytes_get_data (fallback->body, NULL),
                                     g_bytes_get_size (fallback->body), NULL);
      link = json_object_get_string_member (json_node_get_object (fallback_node), "nextLink");
      assert_link_base (link, service->url);
    }
}

/* The skip token is valid for any top: a client may replace top in a
 * nextLink, so a small first page can be followed by large ones, and
 * nothing is skipped or repeated.
 */
static void
test_next_link_top_replaced (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = g_strdup ("/v1/subscriptions?top=1");
  const guint tops[] = { 1, 2, 5, 500 };
  guint pages = 0;

  while (path != NULL)
    {
      g_autoptr(BdTestAnswer) answer = NULL;
      g_autoptr(GString) next_path = NULL;
      JsonArray *value;
      const char *next;
      char *top;

      answer = bd_test_service_request (service, "GET", path, READER, NULL, NULL);
      g_assert_cmpuint (answer->status, ==, 200);
      value = json_object_get_array_member (json_node_get_object (answer->json), "value");
      g_assert_cmpuint (json_array_get_length (value), <=, tops[pages]);
      for (guint i = 0; i < json_array_get_length (value); i++)
        g_ptr_array_add (seen, g_strdup (json_object_get_string_member (
          json_array_get_object_element (value, i), "id")));

      next = bd_test_answer_string (answer, "nextLink");
      g_clear_pointer (&path, g_free);
      pages++;
      if (next == NULL)
        break;

      /* top=N& → the next page's size */
      g_assert_cmpuint (pages, <, G_N_ELEMENTS (tops));
      next_path = g_string_new (next + strlen (service->url));
      top = strstr (next_path->str, "top=");
      g_assert_nonnull (top);
      g_string_erase (next_path, top - next_path->str, strcspn (top, "&"));
      path = g_strdup_printf ("%.*stop=%u%s", (int) (top - next_path->str), next_path->str,
                              tops[pages], top);
    }

  g_assert_cmpuint (pages, ==, 4);
  g_ptr_array_add (seen, NULL);
  g_assert_cmpstrv ((char **) seen->pdata, not_deleted);
}

/* On 0.0.0.0 there is no one address to link to: nextLink follows the
 * Host the client used, and a Host that is more than a host and a port is
 * not used.
 */
static void
test_wildcard_next_link (void)
{
  g_autoptr(BdTestService) service = bd_test_service_new (TENANT, NOW);
  g_autoptr(BdServer) server = bd_server_new (service->api);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  /* The Host header sent (NULL: libsoup's own), whether the port follows
   * it, and the host nextLink should name.
   */
  const struct
  {
    const char *host;
    gboolean    with_port;
    const char *linked;
  } hosts[] = {
    { NULL, FALSE, "127.0.0.1" },
    { "localhost", TRUE, "localhost" },
    { "billing.example", TRUE, "billing.example" },
    { "evil.example/x?", FALSE, "0.0.0.0" },
    { "user@evil.example", FALSE, "0.0.0.0" },
  };
  guint port;

  bd_server_set_allow_remote (server, TRUE);
  g_assert_true (bd_server_listen (server, "0.0.0.0:0", &error));
  g_assert_no_error (error);
  url = bd_server_get_url (server);
  g_assert_true (g_str_has_prefix (url, "http://0.0.0.0:"));
  port = (guint) atoi (url + strlen ("http://0.0.0.0:"));

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", port);
      g_autofree char *host = hosts[i].with_port ? g_strdup_printf ("%s:%u", hosts[i].host, port)
                                                 : g_strdup (hosts[i].host);
      g_autofree char *expected = g_strdup_printf ("http://%s:%u/v1/subscriptions?top=2&",
                                                   hosts[i].linked, port);
      g_autoptr(BdTestAnswer) answer = NULL;
      const char *link;
      char *saved = service->url;

      service->url = base;
      if (host != NULL)
        answer = bd_test_service_request (service, "GET", "/v1/subscriptions?top=2", ADMIN, NULL,
                                          "Host", host, NULL);
      else
        answer = bd_test_service_request (service, "GET", "/v1/subscriptions?top=2", ADMIN, NULL,
                                          NULL);
      service->url = saved;

      /* libsoup may refuse a malformed Host itself: that is fine too. */
      if (answer->status == 400 && g_str_equal (hosts[i].linked, "0.0.0.0"))
        continue;
      g_assert_cmpuint (answer->status, ==, 200);
      link = bd_test_answer_string (answer, "nextLink");
      if (!g_str_has_prefix (link, expected))
        g_error ("Host %s: nextLink %s, expected %s…", host, link, expected);
    }
}

/*
 * What one request reads: the subscription once, and of the tenant only
 * what concerns that subscription. A BdStore that counts the calls of the
 * interface and passes them on to the real store.
 */

#define TEST_TYPE_COUNTING_STORE (test_counting_store_get_type ())

G_DECLARE_FINAL_TYPE (TestCountingStore, test_counting_store, TEST, COUNTING_STORE, GObject)

struct _TestCountingStore
{
  GObject     parent_instance;

  BdStore    *inner;
  GHashTable *calls;   /* interface function name -> how many calls */
};

static void test_counting_store_iface_init (BdStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestCountingStore, test_counting_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BD_TYPE_STORE,
                                                      test_counting_store_iface_init))

/* Counts a call and answers the real store to pass it on to. */
static BdStore *
counted (BdStore    *store,
         const char *name)
{
  TestCountingStore *self = TEST_COUNTING_STORE (store);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->calls, name));

  g_hash_table_insert (self->calls, (gpointer) name, GUINT_TO_POINTER (n + 1));
  return self->inner;
}

static guint
calls_of (TestCountingStore *self,
          const char        *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->calls, name));
}

static gint
counting_get_schema_version (BdStore *store)
{
  return bd_store_get_schema_version (counted (store, "get_schema_version"));
}

static gboolean
counting_check_integrity (BdStore  *store,
                          GError  **error)
{
  return bd_store_check_integrity (counted (store, "check_integrity"), error);
}

static gboolean
counting_is_seeded (BdStore  *store,
                    GError  **error)
{
  return bd_store_is_seeded (counted (store, "is_seeded"), error);
}

static gboolean
counting_seed (BdStore       *store,
               BdTenantFile  *file,
               GError       **error)
{
  return bd_store_seed (counted (store, "seed"), file, error);
}

static gboolean
counting_begin (BdStore  *store,
                GError  **error)
{
  return bd_store_begin (counted (store, "begin"), error);
}

static gboolean
counting_commit (BdStore  *store,
                 GError  **error)
{
  return bd_store_commit (counted (store, "commit"), error);
}

static void
counting_rollback (BdStore *store)
{
  bd_store_rollback (counted (store, "rollback"));
}

static BdTenant *
counting_get_tenant (BdStore  *store,
                     GError  **error)
{
  return bd_store_get_tenant (counted (store, "get_tenant"), error);
}

static BdUser *
counting_find_user_by_token (BdStore     *store,
                             const char  *token,
                             gint64       now,
                             GError     **error)
{
  return bd_store_find_user_by_token (counted (store, "find_user_by_token"), token, now, error);
}

static BdSubscriptionData *
counting_get_subscription (BdStore     *store,
                           const char  *id,
                           GError     **error)
{
  return bd_store_get_subscription (counted (store, "get_subscription"), id, error);
}

static GPtrArray *
counting_list_subscriptions (BdStore     *store,
                             const char  *after_name,
                             const char  *after_id,
                             guint        limit,
                             GError     **error)
{
  return bd_store_list_subscriptions (counted (store, "list_subscriptions"), after_name, after_id,
                                      limit, error);
}

static gboolean
counting_put_subscription (BdStore                   *store,
                           const BdSubscriptionData  *data,
                           GError                   **error)
{
  return bd_store_put_subscription (counted (store, "put_subscription"), data, error);
}

static BdBillingProfile *
counting_get_billing_profile (BdStore     *store,
                              const char  *id,
                              GError     **error)
{
  return bd_store_get_billing_profile (counted (store, "get_billing_profile"), id, error);
}

static GPtrArray *
counting_list_billing_profiles (BdStore  *store,
                                GError  **error)
{
  return bd_store_list_billing_profiles (counted (store, "list_billing_profiles"), error);
}

static GPtrArray *
counting_list_domains (BdStore  *store,
                       GError  **error)
{
  return bd_store_list_domains (counted (store, "list_domains"), error);
}

static gboolean
counting_has_domain_attached (BdStore     *store,
                              const char  *id,
                              gboolean    *attached,
                              GError     **error)
{
  return bd_store_has_domain_attached (counted (store, "has_domain_attached"), id, attached, error);
}

static gboolean
counting_add_operation (BdStore            *store,
                        BdStoredOperation  *operation,
                        GError            **error)
{
  return bd_store_add_operation (counted (store, "add_operation"), operation, error);
}

static GPtrArray *
counting_list_operations (BdStore           *store,
                          const char        *id,
                          BdOperationsOrder  order,
                          gint64             after_seq,
                          guint              limit,
                          GError           **error)
{
  return bd_store_list_operations (counted (store, "list_operations"), id, order, after_seq,
                                   limit, error);
}

static gboolean
counting_get_idempotent_answer (BdStore             *store,
                                const char          *user_id,
                                const char          *endpoint,
                                const char          *key,
                                gint64               kept_since,
                                BdIdempotentAnswer **answer,
                                GError             **error)
{
  return bd_store_get_idempotent_answer (counted (store, "get_idempotent_answer"), user_id,
                                         endpoint, key, kept_since, answer, error);
}

static gboolean
counting_put_idempotent_answer (BdStore                   *store,
                                const char                *user_id,
                                const char                *endpoint,
                                const char                *key,
                                gint64                     kept_since,
                                const BdIdempotentAnswer  *answer,
                                GError                   **error)
{
  return bd_store_put_idempotent_answer (counted (store, "put_idempotent_answer"), user_id,
                                         endpoint, key, kept_since, answer, error);
}

static gboolean
counting_forget_idempotent_answers (BdStore  *store,
                                    gint64    created_before,
                                    GError  **error)
{
  return bd_store_forget_idempotent_answers (counted (store, "forget_idempotent_answers"),
                                             created_before, error);
}

static gboolean
counting_claim_idempotency_key (BdStore             *store,
                                const char          *user_id,
                                const char          *endpoint,
                                const char          *key,
                                gint64               kept_since,
                                GBytes              *fingerprint,
                                BdIdempotentAnswer **answer,
                                GError             **error)
{
  return bd_store_claim_idempotency_key (counted (store, "claim_idempotency_key"), user_id,
                                         endpoint, key, kept_since, fingerprint, answer, error);
}

static void
test_counting_store_iface_init (BdStoreInterface *iface)
{
  iface->get_schema_version = counting_get_schema_version;
  iface->check_integrity = counting_check_integrity;
  iface->is_seeded = counting_is_seeded;
  iface->seed = counting_seed;
  iface->begin = counting_begin;
  iface->commit = counting_commit;
  iface->rollback = counting_rollback;
  iface->get_tenant = counting_get_tenant;
  iface->find_user_by_token = counting_find_user_by_token;
  iface->get_subscription = counting_get_subscription;
  iface->list_subscriptions = counting_list_subscriptions;
  iface->put_subscription = counting_put_subscription;
  iface->get_billing_profile = counting_get_billing_profile;
  iface->list_billing_profiles = counting_list_billing_profiles;
  iface->list_domains = counting_list_domains;
  iface->has_domain_attached = counting_has_domain_attached;
  iface->add_operation = counting_add_operation;
  iface->list_operations = counting_list_operations;
  iface->get_idempotent_answer = counting_get_idempotent_answer;
  iface->put_idempotent_answer = counting_put_idempotent_answer;
  iface->forget_idempotent_answers = counting_forget_idempotent_answers;
  iface->claim_idempotency_key = counting_claim_idempotency_key;
}

static void
test_counting_store_finalize (GObject *object)
{
  TestCountingStore *self = TEST_COUNTING_STORE (object);

  g_clear_object (&self->inner);
  g_clear_pointer (&self->calls, g_hash_table_unref);

  G_OBJECT_CLASS (test_counting_store_parent_class)->finalize (object);
}

static void
test_counting_store_class_init (TestCountingStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_counting_store_finalize;
}

static void
test_counting_store_init (TestCountingStore *self)
{
  self->calls = g_hash_table_new (g_str_hash, g_str_equal);
}

static TestCountingStore *
test_counting_store_new (BdStore *inner)
{
  TestCountingStore *self = g_object_new (TEST_TYPE_COUNTING_STORE, NULL);

  self->inner = g_object_ref (inner);
  return self;
}

typedef struct
{
  const char *method;
  const char *path;
  const char *body;
  const char *key;
  gboolean    if_match;    /* send the current ETag of the subscription at path */
  guint       status;
  gboolean    changes;     /* a change: it writes the subscription once */
  gboolean    replays;     /* the answer kept under its key: no transaction, no lock */
} ReadCase;

static const ReadCase read_cases[] = {
  { "GET", "/v1/subscriptions/s1", NULL, NULL, FALSE, 200, FALSE },
  { "GET", "/v1/subscriptions/s6/cancellation", NULL, NULL, FALSE, 200, FALSE },
  { "POST", "/v1/subscriptions/s1/cancel", CANCEL_BODY, "reads-1", FALSE, 200, TRUE },
  /* the same again: a replay reads the subscription once too, outside any
   * transaction, and writes nothing
   */
  { "POST", "/v1/subscriptions/s1/cancel", CANCEL_BODY, "reads-1", FALSE, 200, FALSE, TRUE },
  { "POST", "/v1/subscriptions/s6/cancel", CANCEL_BODY, "reads-2", FALSE, 409, FALSE },
  { "PATCH", "/v1/subscriptions/s3", "{\"quantity\":24}", NULL, TRUE, 200, TRUE },
  { "POST", "/v1/subscriptions/s9/reactivate", NULL, "reads-3", FALSE, 200, TRUE },
  { "DELETE", "/v1/subscriptions/s2", "{\"confirm\":\"Microsoft 365 Business Premium\"}", NULL,
    TRUE, 200, TRUE },
};

/* A request with @token (ADMIN: Anne, a Global admin) to @api, on @store
 * when it is not NULL.
 */
static BdApiResponse *
handle_on (BdApi      *api,
           BdStore    *store,
           const char *token,
           const char *method,
           const char *path,
           const char *body,
           const char *key,
           const char *if_match)
{
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  BdApiRequest request = {
    .method = method,
    .path = path,
    .authorization = authorization,
    .content_type = body != NULL ? "application/json" : NULL,
    .if_match = if_match,
    .idempotency_key = key,
    .body = body,
    .body_length = body != NULL ? strlen (body) : 0,
  };

  if (store != NULL)
    return bd_api_handle_on_store (api, store, &request);
  return bd_api_handle (api, &request);
}

/* The ETag of /v1/subscriptions/{id}, for a PATCH or DELETE of it. */
static char *
current_etag (BdApi      *api,
              const char *path)
{
  g_autoptr(BdApiResponse) response = handle_on (api, NULL, ADMIN, "GET", path, NULL, NULL, NULL);

  g_assert_cmpuint (response->status, ==, 200);
  return g_strdup (response->etag);
}

/* Requests that end in 404, 400, 403, 428 or a missing Idempotency-Key:
 * their checks need no store, so they never wait for the write lock. (A 404
 * to a request that passes every check is known only from the read, inside
 * the change's transaction.)
 */
typedef struct
{
  const char *token;
  const char *method;
  const char *path;
  const char *body;
  const char *key;
  const char *if_match;
  guint       status;
} RefusedCase;

static const RefusedCase refused_cases[] = {
  /* 404 before 428, 400 */
  { ADMIN, "PATCH", "/v1/subscriptions/nope", "{\"quantity\":2}", NULL, NULL, 404 },
  { ADMIN, "PATCH", "/v1/subscriptions/nope", "{\"quantity\":\"x\"}", NULL, NULL, 404 },
  { ADMIN, "POST", "/v1/subscriptions/nope/cancel", "{", NULL, NULL, 404 },
  { ADMIN, "DELETE", "/v1/subscriptions/nope", "{\"confirm\":\"x\"}", NULL, NULL, 404 },
  { ADMIN, "PATCH", "/v1/subscriptions/s1", "{\"quantity\":\"x\"}", NULL, "\"x\"", 400 },
  { ADMIN, "POST", "/v1/subscriptions/s1/cancel", "{", "locks-1", NULL, 400 },
  { ADMIN, "POST", "/v1/subscriptions/s9/reactivate", "[]", NULL, NULL, 400 },
  /* the product name, typed wrong, before the reader's 403 */
  { READER, "DELETE", "/v1/subscriptions/s2", "{\"confirm\":\"x\"}", NULL, "\"x\"", 400 },
  { READER, "PATCH", "/v1/subscriptions/s1", "{\"quantity\":2}", NULL, "\"x\"", 403 },
  { READER, "POST", "/v1/subscriptions/s1/cancel", CANCEL_BODY, "locks-2", NULL, 403 },
  { READER, "POST", "/v1/subscriptions/s9/reactivate", NULL, NULL, NULL, 403 },
  { READER, "DELETE", "/v1/subscriptions/s2",
    "{\"confirm\":\"Microsoft 365 Business Premium\"}", NULL, "\"x\"", 403 },
  { ADMIN, "PATCH", "/v1/subscriptions/s1", "{\"quantity\":2}", NULL, NULL, 428 },
  { ADMIN, "DELETE", "/v1/subscriptions/s2",
    "{\"confirm\":\"Microsoft 365 Business Premium\"}", NULL, NULL, 428 },
  /* a missing Idempotency-Key */
  { ADMIN, "POST", "/v1/subscriptions/s1/cancel", CANCEL_BODY, NULL, NULL, 400 },
};

static void
check_refused_reads (BdApi             *api,
                     TestCountingStore *store)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused_cases); i++)
    {
      const RefusedCase *c = &refused_cases[i];
      g_autoptr(BdApiResponse) response = NULL;

      g_test_message ("%s %s %s", c->method, c->path, c->body);
      g_hash_table_remove_all (store->calls);
      response = handle_on (api, NULL, c->token, c->method, c->path, c->body, c->key,
                            c->if_match);

      g_assert_cmpuint (response->status, ==, c->status);
      g_assert_cmpuint (calls_of (store, "get_subscription"), ==, 1);
      g_assert_cmpuint (calls_of (store, "begin"), ==, 0);
      g_assert_cmpuint (calls_of (store, "put_subscription"), ==, 0);
    }
}

static void
test_one_read (void)
{
  g_autoptr(BdTestService) service = start ();
  g_autoptr(TestCountingStore) store = test_counting_store_new (service->store);
  g_autoptr(BdApi) api = bd_api_new (BD_STORE (store));

  bd_api_set_frozen_now (api, bd_test_time (NOW));

  for (guint i = 0; i < G_N_ELEMENTS (read_cases); i++)
    {
      const ReadCase *c = &read_cases[i];
      g_autofree char *etag = c->if_match ? current_etag (api, c->path) : NULL;
      g_autoptr(BdApiResponse) response = NULL;

      g_test_message ("%s %s", c->method, c->path);
      g_hash_table_remove_all (store->calls);
      response = handle_on (api, NULL, ADMIN, c->method, c->path, c->body, c->key, etag);

      g_assert_cmpuint (response->status, ==, c->status);
      g_assert_cmpuint (calls_of (store, "get_subscription"), ==, 1);
      g_assert_cmpuint (calls_of (store, "put_subscription"), ==, c->changes ? 1 : 0);
      /* A change (or its 409) reads inside its transaction; a replay
       * needs none.
       */
      g_assert_cmpuint (calls_of (store, "begin"), ==,
                        g_str_equal (c->method, "GET") || c->replays ? 0 : 1);
      /* Only the subscription's own billing profile and domain links. */
      g_assert_cmpuint (calls_of (store, "list_billing_profiles"), ==, 0);
      g_assert_cmpuint (calls_of (store, "list_domains"), ==, 0);
      g_assert_cmpuint (calls_of (store, "list_subscriptions"), ==, 0);
      g_assert_cmpuint (calls_of (store, "get_billing_profile"), <=, 1);
      g_assert_cmpuint (calls_of (store, "has_domain_attached"), <=, 1);
    }

  check_refused_reads (api, store);
}

/* While another connection holds the database's write lock (another
 * instance's change), a refused request answers at once, with its code.
 */
static void
test_refused_while_locked (void)
{
  g_autoptr(BdTestService) service = NULL;
  g_autofree char *path = NULL;
  sqlite3 *db = NULL;

  /* PostgreSQL has no database-wide write lock; its row locks are what the
   * race and workers tests run into.
   */
  if (bd_test_database_is_postgresql ())
    {
      g_test_skip ("SQLite's write lock only");
      return;
    }

  service = start ();
  path = g_build_filename (service->dir, "billing.sqlite", NULL);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < G_N_ELEMENTS (refused_cases); i++)
    {
      const RefusedCase *c = &refused_cases[i];
      g_autoptr(BdApiResponse) response = NULL;
      gint64 start_time = g_get_monotonic_time ();

      g_test_message ("%s %s %s", c->method, c->path, c->body);
      response = handle_on (service->api, NULL, c->token, c->method, c->path, c->body, c->key,
                            c->if_match);

      g_assert_cmpuint (response->status, ==, c->status);
      /* Far below the store's busy timeout, which a wait for the lock ends at. */
      g_assert_cmpint (g_get_monotonic_time () - start_time, <, 2 * G_USEC_PER_SEC);
    }

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/*
 * Worker threads (docs/design.md section 6): one BdApi for all, a store each
 */

#define N_WORKERS 4

typedef struct
{
  BdApi      *api;
  const char *db;
  guint       index;
  guint       status;
  char       *text;
} Worker;

/* Reads a few pages, then cancels s3 under a key of its own. */
static gpointer
run_worker (gpointer data)
{
  Worker *worker = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BdStore) store = bd_store_open (worker->db, BD_STORE_DURABLE, &error);
  g_autofree char *key = g_strdup_printf ("worker-%u", worker->index);
  g_autoptr(BdApiResponse) response = NULL;

  g_assert_no_error (error);

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(BdApiResponse) page = handle_on (worker->api, store, ADMIN, "GET",
                                                 "/v1/subscriptions", NULL, NULL, NULL);

      g_assert_cmpuint (page->status, ==, 200);
    }

  response = handle_on (worker->api, store, ADMIN, "POST", "/v1/subscriptions/s3/cancel", CANCEL_BODY,
                        key, NULL);
  worker->status = response->status;
  worker->text = g_strndup (g_bytes_get_data (response->body, NULL),
                            g_bytes_get_size (response->body));
  return NULL;
}

/* Two keys cancelling one subscription at once: one 200, the others 409
 * notActive (it is Disabled by then), one ledger entry.
 */
static void
test_workers (void)
{
  g_autoptr(BdTestService) service = start ();
  const char *db = service->location;
  Worker workers[N_WORKERS];
  GThread *threads[N_WORKERS];
  guint ok = 0, refused = 0;

  for (guint i = 0; i < N_WORKERS; i++)
    {
      workers[i] = (Worker) { .api = service->api, .db = db, .index = i };
      threads[i] = g_thread_new ("worker", run_worker, &workers[i]);
    }

  for (guint i = 0; i < N_WORKERS; i++)
    {
      g_thread_join (threads[i]);
      ok += workers[i].status == 200;
      if (workers[i].status == 409)
        {
          g_assert_nonnull (strstr (workers[i].text, "\"notActive\""));
          refused++;
        }
      g_free (workers[i].text);
    }

  g_assert_cmpuint (ok, ==, 1);
  g_assert_cmpuint (refused, ==, N_WORKERS - 1);
  g_assert_cmpuint (count_operations (service, "s3"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (bd_test_database_skip_all ())
    return g_test_run ();

  g_test_add_func ("/service/health", test_health);
  g_test_add_func ("/service/unauthenticated", test_unauthenticated);
  g_test_add_func ("/service/me", test_me);
  g_test_add_func ("/service/unknown-route", test_unknown_route);
  g_test_add_func ("/service/list/paging", test_paging);
  g_test_add_func ("/service/list/deleted", test_paging_deleted);
  g_test_add_func ("/service/list/bad-query", test_paging_bad_query);
  g_test_add_func ("/service/subscription", test_subscription_resource);
  g_test_add_func ("/service/profiles-and-domains", test_profiles_and_domains);
  bd_test_add_table ("/service/cancellation", cancellation_cases, sizeof cancellation_cases[0],
                     G_N_ELEMENTS (cancellation_cases), test_cancellation);
  g_test_add_func ("/service/cancel", test_cancel);
  g_test_add_func ("/service/cancel/replay", test_cancel_replay);
  g_test_add_func ("/service/cancel/refusal-replay", test_cancel_refusal_replay);
  g_test_add_func ("/service/cancel/bad-requests", test_cancel_bad_requests);
  g_test_add_func ("/service/cancel/idempotency-key-shape", test_idempotency_key_shape);
  g_test_add_func ("/service/precedence", test_precedence);
  g_test_add_func ("/service/patch", test_patch);
  g_test_add_func ("/service/patch/rules", test_patch_rules);
  g_test_add_func ("/service/reactivate", test_reactivate);
  g_test_add_func ("/service/delete", test_delete);
  g_test_add_func ("/service/operations", test_operations);
  g_test_add_func ("/service/operations/newest", test_operations_newest);
  g_test_add_func ("/service/operations/names", test_operations_names);
  g_test_add_func ("/service/operations/migrated", test_operations_migrated);
  g_test_add_func ("/service/race", test_race);
  g_test_add_func ("/service/demo-tenant", test_demo_tenant);
  g_test_add_func ("/service/wildcard-next-link", test_wildcard_next_link);
  g_test_add_func ("/service/next-link/host", test_next_link_host);
  g_test_add_func ("/service/next-link/bad-forwarded", test_next_link_bad_forwarded);
  g_test_add_func ("/service/next-link/top-replaced", test_next_link_top_replaced);
  g_test_add_func ("/service/one-read", test_one_read);
  g_test_add_func ("/service/refused-while-locked", test_refused_while_locked);
  g_test_add_func ("/service/workers", test_workers);

  return g_test_run ();
}
