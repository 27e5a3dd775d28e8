/* test-model.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bd-api-error.h"
#include "bd-billing-profile.h"
#include "bd-core-enums.h"
#include "bd-domain.h"
#include "bd-error.h"
#include "bd-json.h"
#include "bd-tenant.h"
#include "bd-test-utils.h"
#include "bd-user.h"

/*
 * Helpers
 */

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = bd_json_parse (json, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

/* Generates the value in @builder and parses it back, as a client would
 * receive it.
 */
static JsonNode *
generate_and_parse (JsonBuilder  *builder,
                    char        **out_data)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  JsonNode *node;

  root = json_builder_get_root (builder);
  g_assert_nonnull (root);

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, NULL);
  node = parse (data);

  if (out_data != NULL)
    *out_data = g_steal_pointer (&data);

  return node;
}

static char *
repeat (char  c,
        gsize n)
{
  char *s = g_malloc (n + 1);

  memset (s, c, n);
  s[n] = '\0';

  return s;
}

/*
 * Constructors, getters and properties
 */

static void
test_tenant_new (void)
{
  g_autoptr(BdTenant) tenant = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *currency = NULL;
  GParamSpec *pspec;
  BdCloud cloud = BD_CLOUD_WORLDWIDE;

  tenant = bd_tenant_new ("Contoso A/S", BD_CLOUD_21VIANET, "DKK");
  g_assert_cmpstr (bd_tenant_get_display_name (tenant), ==, "Contoso A/S");
  g_assert_cmpint (bd_tenant_get_cloud (tenant), ==, BD_CLOUD_21VIANET);
  g_assert_cmpstr (bd_tenant_get_currency (tenant), ==, "DKK");

  g_object_get (tenant,
                "display-name", &display_name,
                "cloud", &cloud,
                "currency", &currency,
                NULL);
  g_assert_cmpstr (display_name, ==, "Contoso A/S");
  g_assert_cmpint (cloud, ==, BD_CLOUD_21VIANET);
  g_assert_cmpstr (currency, ==, "DKK");

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (tenant), "cloud");
  g_assert_nonnull (pspec);
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == BD_TYPE_CLOUD);
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);

  g_assert_finalize_object (g_steal_pointer (&tenant));
}

typedef struct
{
  guint        roles;
  const char  *words[5];
  gboolean     can_manage;
} UserCase;

static const UserCase user_cases[] = {
  { BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN), { "globalAdmin" }, TRUE },
  { BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN), { "billingAdmin" }, TRUE },
  { BD_ROLE_MASK (BD_ROLE_GLOBAL_READER), { "globalReader" }, FALSE },
  { BD_ROLE_MASK (BD_ROLE_USER), { "user" }, FALSE },
  { 0, { NULL }, FALSE },
  { BD_ROLE_MASK (BD_ROLE_USER) | BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN),
    { "billingAdmin", "user" }, TRUE },
  { BD_ROLE_MASK (BD_ROLE_GLOBAL_READER) | BD_ROLE_MASK (BD_ROLE_USER),
    { "globalReader", "user" }, FALSE },
  { BD_ROLE_MASK (BD_ROLE_USER) | BD_ROLE_MASK (BD_ROLE_GLOBAL_READER)
    | BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN) | BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN),
    { "globalAdmin", "billingAdmin", "globalReader", "user" }, TRUE },
};

static void
test_user_new (gconstpointer test_data)
{
  const UserCase *c = test_data;
  guint i = (guint) (c - user_cases);
  g_autoptr(BdUser) user = NULL;
  g_autofree char *id = NULL;
  g_autofree char *display_name = NULL;
  g_auto(GStrv) roles = NULL;

  g_test_message ("case %u", i);

  user = bd_user_new ("u1", "Anne Berg", user_cases[i].roles);
  g_assert_cmpstr (bd_user_get_id (user), ==, "u1");
  g_assert_cmpstr (bd_user_get_display_name (user), ==, "Anne Berg");
  g_assert_cmpuint (bd_user_get_roles (user), ==, user_cases[i].roles);
  g_assert_cmpint (bd_user_can_manage (user), ==, user_cases[i].can_manage);

  for (guint role = BD_ROLE_GLOBAL_ADMIN; role <= BD_ROLE_USER; role++)
    g_assert_cmpint (bd_user_has_role (user, role), ==,
                     (user_cases[i].roles & BD_ROLE_MASK (role)) != 0);

  g_object_get (user,
                "id", &id,
                "display-name", &display_name,
                "roles", &roles,
                NULL);
  g_assert_cmpstr (id, ==, "u1");
  g_assert_cmpstr (display_name, ==, "Anne Berg");
  g_assert_nonnull (roles);
  g_assert_cmpstrv (roles, user_cases[i].words);

  g_assert_finalize_object (g_steal_pointer (&user));
}

static void
test_billing_profile_new (void)
{
  g_autoptr(BdBillingProfile) profile = NULL;
  g_autofree char *id = NULL;
  g_autofree char *display_name = NULL;
  BdPaymentMethod method = BD_PAYMENT_METHOD_INVOICE;
  GParamSpec *pspec;

  profile = bd_billing_profile_new ("bp2", "Contoso card", BD_PAYMENT_METHOD_CARD);
  g_assert_cmpstr (bd_billing_profile_get_id (profile), ==, "bp2");
  g_assert_cmpstr (bd_billing_profile_get_display_name (profile), ==, "Contoso card");
  g_assert_cmpint (bd_billing_profile_get_payment_method (profile), ==, BD_PAYMENT_METHOD_CARD);

  g_object_get (profile,
                "id", &id,
                "display-name", &display_name,
                "payment-method", &method,
                NULL);
  g_assert_cmpstr (id, ==, "bp2");
  g_assert_cmpstr (display_name, ==, "Contoso card");
  g_assert_cmpint (method, ==, BD_PAYMENT_METHOD_CARD);

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (profile), "payment-method");
  g_assert_nonnull (pspec);
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == BD_TYPE_PAYMENT_METHOD);

  g_assert_finalize_object (g_steal_pointer (&profile));
}

static void
test_domain_new (void)
{
  const char * const ids[] = { "s1", "s7", NULL };
  const char * const none[] = { NULL };
  g_autoptr(BdDomain) domain = NULL;
  g_autoptr(BdDomain) empty = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) subscription_ids = NULL;

  domain = bd_domain_new ("contoso.dk", ids);
  g_assert_cmpstr (bd_domain_get_name (domain), ==, "contoso.dk");
  g_assert_cmpstrv (bd_domain_get_subscription_ids (domain), ids);
  g_assert_true (bd_domain_has_subscription (domain, "s1"));
  g_assert_true (bd_domain_has_subscription (domain, "s7"));
  g_assert_false (bd_domain_has_subscription (domain, "s2"));
  g_assert_false (bd_domain_has_subscription (domain, ""));

  g_object_get (domain,
                "name", &name,
                "subscription-ids", &subscription_ids,
                NULL);
  g_assert_cmpstr (name, ==, "contoso.dk");
  g_assert_cmpstrv (subscription_ids, ids);

  /* A copy: the caller's array may go away. */
  g_assert_true ((gconstpointer) bd_domain_get_subscription_ids (domain) != (gconstpointer) ids);

  empty = bd_domain_new ("fabrikam.com", NULL);
  g_assert_nonnull (bd_domain_get_subscription_ids (empty));
  g_assert_cmpstrv (bd_domain_get_subscription_ids (empty), none);
  g_assert_false (bd_domain_has_subscription (empty, "s1"));

  g_assert_finalize_object (g_steal_pointer (&domain));
  g_assert_finalize_object (g_steal_pointer (&empty));
}

/*
 * Round trips
 */

static const BdCloud round_trip_clouds[] = { BD_CLOUD_WORLDWIDE, BD_CLOUD_21VIANET };

static void
test_tenant_round_trip (gconstpointer test_data)
{
  BdCloud cloud = *(const BdCloud *) test_data;
  g_autoptr(BdTenant) tenant = bd_tenant_new ("Contoso A/S \"æøå\"", cloud, "EUR");
  g_autoptr(BdTenant) copy = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  bd_tenant_to_json (tenant, builder);
  node = generate_and_parse (builder, NULL);
  copy = bd_tenant_new_from_json (node, "tenant", &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);

  g_assert_cmpstr (bd_tenant_get_display_name (copy), ==, "Contoso A/S \"æøå\"");
  g_assert_cmpint (bd_tenant_get_cloud (copy), ==, cloud);
  g_assert_cmpstr (bd_tenant_get_currency (copy), ==, "EUR");

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&tenant));
}

/* Registered only for rows with a role: the API requires at least one. */
static void
test_user_round_trip (gconstpointer test_data)
{
  const UserCase *c = test_data;
  guint i = (guint) (c - user_cases);
  g_autoptr(BdUser) user = NULL;
  g_autoptr(BdUser) copy = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  const char *token = "untouched";

  g_assert_cmpuint (user_cases[i].roles, !=, 0);

  user = bd_user_new ("u1", "Anne Berg", user_cases[i].roles);
  bd_user_to_json (user, builder);
  node = generate_and_parse (builder, &data);
  g_assert_null (strstr (data, "token"));

  copy = bd_user_new_from_json (node, "user", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_cmpstr (bd_user_get_id (copy), ==, "u1");
  g_assert_cmpstr (bd_user_get_display_name (copy), ==, "Anne Berg");
  g_assert_cmpuint (bd_user_get_roles (copy), ==, user_cases[i].roles);

  g_assert_finalize_object (g_steal_pointer (&copy));

  /* As a tenant file, the written user is one without a token (issue 10:
   * it gets one from `billing-desk-service tokens create`).
   */
  copy = bd_user_new_from_json (node, "users[0]", &token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_null (token);
  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&user));
}

static void
test_user_token (void)
{
  g_autofree char *longest = repeat ('x', 512);
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  const char *token = NULL;

  node = parse ("{\"id\": \"u1\", \"displayName\": \"Anne Berg\","
                " \"roles\": [\"user\", \"globalAdmin\"], \"token\": \"t0k3n!~\"}");
  user = bd_user_new_from_json (node, "users[0]", &token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_cmpstr (token, ==, "t0k3n!~");
  g_assert_cmpuint (bd_user_get_roles (user), ==,
                    BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN) | BD_ROLE_MASK (BD_ROLE_USER));
  g_assert_true (bd_user_can_manage (user));
  g_assert_finalize_object (g_steal_pointer (&user));
  g_clear_pointer (&node, json_node_unref);

  json = g_strdup_printf ("{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"user\"],"
                          " \"token\": \"%s\"}", longest);
  node = parse (json);
  user = bd_user_new_from_json (node, "users[0]", &token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_cmpstr (token, ==, longest);
  g_assert_finalize_object (g_steal_pointer (&user));
}

static const BdPaymentMethod round_trip_methods[] = {
  BD_PAYMENT_METHOD_INVOICE, BD_PAYMENT_METHOD_CARD
};

static void
test_billing_profile_round_trip (gconstpointer test_data)
{
  BdPaymentMethod method = *(const BdPaymentMethod *) test_data;
  g_autoptr(BdBillingProfile) profile = bd_billing_profile_new ("bp1", "Invoices", method);
  g_autoptr(BdBillingProfile) copy = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  bd_billing_profile_to_json (profile, builder);
  node = generate_and_parse (builder, NULL);
  copy = bd_billing_profile_new_from_json (node, "billingProfiles[0]", &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);

  g_assert_cmpstr (bd_billing_profile_get_id (copy), ==, "bp1");
  g_assert_cmpstr (bd_billing_profile_get_display_name (copy), ==, "Invoices");
  g_assert_cmpint (bd_billing_profile_get_payment_method (copy), ==, method);

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&profile));
}

static const char * const ids_many[] = { "s1", "s2", "s3", NULL };
static const char * const ids_none[] = { NULL };

typedef struct
{
  const char         *name;  /* NULL: the longest name */
  const char * const *ids;
} DomainCase;

static const DomainCase domain_cases[] = {
  { "contoso.dk", ids_none },
  { "mail.xn--bcher-kva.example", ids_many },
  { "A-1.B-2.c0m", ids_many },
  { NULL, ids_none },
};

static void
test_domain_round_trip (gconstpointer test_data)
{
  const DomainCase *c = test_data;
  guint i = (guint) (c - domain_cases);
  g_autofree char *label = repeat ('a', 63);
  g_autofree char *longest = NULL;
  const char *name = c->name;
  g_autoptr(BdDomain) domain = NULL;
  g_autoptr(BdDomain) copy = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  /* The longest name: 253 characters. */
  if (name == NULL)
    {
      longest = g_strdup_printf ("%s.%s.%s.%.61s", label, label, label, label);
      g_assert_cmpuint (strlen (longest), ==, 253);
      name = longest;
    }

  g_test_message ("case %u: %s", i, name);

  domain = bd_domain_new (name, c->ids);
  bd_domain_to_json (domain, builder);
  node = generate_and_parse (builder, NULL);
  copy = bd_domain_new_from_json (node, "domains[0]", &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);

  g_assert_cmpstr (bd_domain_get_name (copy), ==, name);
  g_assert_cmpstrv (bd_domain_get_subscription_ids (copy), c->ids);

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&domain));
}

typedef struct
{
  BdErrorCode  code;
  const char  *message;
  const char  *target;
} ApiErrorCase;

static const ApiErrorCase api_error_cases[] = {
  { BD_ERROR_CODE_INVALID_REQUEST, "quantity must be from 1 to 100000", "quantity" },
  { BD_ERROR_CODE_CANCELLATION_WINDOW_CLOSED, "The cancellation window closed.", NULL },
  { BD_ERROR_CODE_UNAVAILABLE, "", NULL },
};

static void
test_api_error_round_trip (gconstpointer test_data)
{
  const ApiErrorCase *c = test_data;
  g_autoptr(JsonNode) built = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *code_word = NULL;
  g_autofree char *message = NULL;
  g_autofree char *target = g_strdup ("garbage");
  BdErrorCode code = BD_ERROR_CODE_UNKNOWN;
  JsonObject *inner;

  built = bd_api_error_build (c->code, c->message, c->target);
  g_assert_nonnull (built);
  inner = json_object_get_object_member (json_node_get_object (built), "error");
  g_assert_cmpint (json_object_has_member (inner, "target"), ==, c->target != NULL);

  json_generator_set_root (generator, built);
  data = json_generator_to_data (generator, NULL);
  node = parse (data);

  g_clear_pointer (&target, g_free);
  g_assert_true (bd_api_error_read (node, &code, &code_word, &message, &target, &error));
  g_assert_no_error (error);
  g_assert_cmpint (code, ==, c->code);
  g_assert_cmpstr (code_word, ==, bd_error_code_to_string (c->code));
  g_assert_cmpstr (message, ==, c->message);
  g_assert_cmpstr (target, ==, c->target);

  /* Every out parameter but the code is optional. */
  code = BD_ERROR_CODE_UNKNOWN;
  g_assert_true (bd_api_error_read (node, &code, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (code, ==, c->code);
}

static void
test_api_error_forward_compatible (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code_word = NULL;
  g_autofree char *message = NULL;
  g_autofree char *target = NULL;
  BdErrorCode code = BD_ERROR_CODE_NOT_FOUND;

  node = parse ("{\"error\": {\"code\": \"quotaExceeded\", \"message\": \"Too many.\","
                " \"target\": null}}");
  g_assert_true (bd_api_error_read (node, &code, &code_word, &message, &target, &error));
  g_assert_no_error (error);
  g_assert_cmpint (code, ==, BD_ERROR_CODE_UNKNOWN);
  g_assert_cmpstr (code_word, ==, "quotaExceeded");
  g_assert_cmpstr (message, ==, "Too many.");
  g_assert_null (target);
}

/*
 * Malformed input
 */

typedef enum
{
  KIND_TENANT,
  KIND_USER,            /* as the API writes it: no token */
  KIND_USER_WITH_TOKEN, /* as a tenant file writes it */
  KIND_BILLING_PROFILE,
  KIND_DOMAIN,
  KIND_API_ERROR,
} Kind;

typedef struct
{
  Kind        kind;
  const char *path;
  const char *json;
  const char *error_path;
} BadCase;

static const BadCase bad_cases[] = {
  /* Tenants */
  { KIND_TENANT, "tenant", "[]", "tenant" },
  { KIND_TENANT, "tenant",
    "{\"displayName\": \"C\", \"cloud\": \"worldwide\", \"currency\": \"DKK\", \"owner\": 1}",
    "tenant.owner" },
  { KIND_TENANT, "tenant",
    "{\"displayName\": \"C\", \"cloud\": \"worldwide\", \"currency\": \"dkk\"}",
    "tenant.currency" },
  { KIND_TENANT, "tenant",
    "{\"displayName\": \"C\", \"cloud\": \"worldwide\", \"currency\": \"DKKK\"}",
    "tenant.currency" },
  { KIND_TENANT, "tenant", "{\"displayName\": \"C\", \"cloud\": \"worldwide\", \"currency\": 208}",
    "tenant.currency" },
  { KIND_TENANT, "tenant", "{\"displayName\": \"C\", \"cloud\": \"worldwide\"}",
    "tenant.currency" },
  { KIND_TENANT, "tenant", "{\"displayName\": \"C\", \"cloud\": \"azure\", \"currency\": \"DKK\"}",
    "tenant.cloud" },
  { KIND_TENANT, "tenant",
    "{\"displayName\": \"C\", \"cloud\": \"Worldwide\", \"currency\": \"DKK\"}",
    "tenant.cloud" },
  { KIND_TENANT, "tenant",
    "{\"displayName\": \"\", \"cloud\": \"worldwide\", \"currency\": \"DKK\"}",
    "tenant.displayName" },

  /* Users */
  { KIND_USER, "users[0]",
    "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"globalAdmin\", \"wizard\"]}",
    "users[0].roles[1]" },
  { KIND_USER, "users[0]",
    "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"user\", \"globalReader\", \"user\"]}",
    "users[0].roles[2]" },
  { KIND_USER, "users[0]", "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": []}",
    "users[0].roles" },
  { KIND_USER, "users[0]", "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": \"user\"}",
    "users[0].roles" },
  { KIND_USER, "users[0]", "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [1]}",
    "users[0].roles[0]" },
  { KIND_USER, "users[0]", "{\"displayName\": \"A\", \"roles\": [\"user\"]}",
    "users[0].id" },
  { KIND_USER, "users[0]",
    "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"user\"], \"token\": \"abc\"}",
    "users[0].token" },
  { KIND_USER_WITH_TOKEN, "users[3]",
    "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"user\"], \"token\": \"ab c\"}",
    "users[3].token" },
  { KIND_USER_WITH_TOKEN, "users[3]",
    "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"user\"], \"token\": \"\"}",
    "users[3].token" },
  { KIND_USER_WITH_TOKEN, "users[3]",
    "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"user\"], \"token\": \"t\\u00f8ken\"}",
    "users[3].token" },
  { KIND_USER_WITH_TOKEN, "users[3]",
    "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"user\"], \"token\": \"tab\\there\"}",
    "users[3].token" },
  { KIND_USER_WITH_TOKEN, "users[3]",
    "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"user\"], \"token\": null}",
    "users[3].token" },
  { KIND_USER_WITH_TOKEN, "users[3]",
    "{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"user\"], \"token\": \"t\", \"x\": 1}",
    "users[3].x" },

  /* Billing profiles */
  { KIND_BILLING_PROFILE, "billingProfiles[1]",
    "{\"id\": \"bp1\", \"displayName\": \"B\", \"paymentMethod\": \"cash\"}",
    "billingProfiles[1].paymentMethod" },
  { KIND_BILLING_PROFILE, "billingProfiles[1]",
    "{\"id\": \"bp1\", \"displayName\": \"B\", \"paymentMethod\": null}",
    "billingProfiles[1].paymentMethod" },
  { KIND_BILLING_PROFILE, "billingProfiles[1]",
    "{\"id\": \"\", \"displayName\": \"B\", \"paymentMethod\": \"card\"}",
    "billingProfiles[1].id" },
  { KIND_BILLING_PROFILE, "billingProfiles[1]",
    "{\"id\": \"bp1\", \"paymentMethod\": \"card\"}",
    "billingProfiles[1].displayName" },

  /* Domains */
  { KIND_DOMAIN, "domains[0]", "{\"name\": \"nodot\", \"subscriptionIds\": []}",
    "domains[0].name" },
  { KIND_DOMAIN, "domains[0]", "{\"name\": \"contoso..dk\", \"subscriptionIds\": []}",
    "domains[0].name" },
  { KIND_DOMAIN, "domains[0]", "{\"name\": \".contoso.dk\", \"subscriptionIds\": []}",
    "domains[0].name" },
  { KIND_DOMAIN, "domains[0]", "{\"name\": \"contoso.dk.\", \"subscriptionIds\": []}",
    "domains[0].name" },
  { KIND_DOMAIN, "domains[0]", "{\"name\": \"con_toso.dk\", \"subscriptionIds\": []}",
    "domains[0].name" },
  { KIND_DOMAIN, "domains[0]", "{\"name\": \"contoso.dk \", \"subscriptionIds\": []}",
    "domains[0].name" },
  { KIND_DOMAIN, "domains[0]", "{\"name\": \"k\\u00f8benhavn.dk\", \"subscriptionIds\": []}",
    "domains[0].name" },
  { KIND_DOMAIN, "domains[0]", "{\"name\": \"contoso.dk\"}",
    "domains[0].subscriptionIds" },
  { KIND_DOMAIN, "domains[0]",
    "{\"name\": \"contoso.dk\", \"subscriptionIds\": [\"s1\", \"s2\", \"s1\"]}",
    "domains[0].subscriptionIds[2]" },
  { KIND_DOMAIN, "domains[0]", "{\"name\": \"contoso.dk\", \"subscriptionIds\": [\"s1\", \"\"]}",
    "domains[0].subscriptionIds[1]" },
  { KIND_DOMAIN, "domains[0]", "{\"name\": \"contoso.dk\", \"subscriptionIds\": [\"s1\", null]}",
    "domains[0].subscriptionIds[1]" },

  /* API error documents */
  { KIND_API_ERROR, NULL, "{\"error\": {\"message\": \"No.\"}}", "error.code" },
  { KIND_API_ERROR, NULL, "{\"error\": {\"code\": \"\", \"message\": \"No.\"}}", "error.code" },
  { KIND_API_ERROR, NULL, "{\"error\": {\"code\": 404, \"message\": \"No.\"}}", "error.code" },
  { KIND_API_ERROR, NULL, "{\"error\": {\"code\": \"notFound\"}}", "error.message" },
  { KIND_API_ERROR, NULL, "{\"error\": {\"code\": \"notFound\", \"message\": null}}",
    "error.message" },
  { KIND_API_ERROR, NULL,
    "{\"error\": {\"code\": \"notFound\", \"message\": \"No.\", \"details\": []}}",
    "error.details" },
  { KIND_API_ERROR, NULL,
    "{\"error\": {\"code\": \"notFound\", \"message\": \"No.\", \"target\": 5}}",
    "error.target" },
  { KIND_API_ERROR, NULL,
    "{\"error\": {\"code\": \"notFound\", \"message\": \"No.\"}, \"status\": 404}",
    "status" },
  { KIND_API_ERROR, NULL, "{\"error\": \"notFound\"}", "error" },
  { KIND_API_ERROR, NULL, "{}", "error" },
};

/* Reads @node as @kind; returns whether it was accepted. */
static gboolean
read_as (Kind         kind,
         JsonNode    *node,
         const char  *path,
         GError     **error)
{
  g_autoptr(GObject) object = NULL;
  const char *token = "untouched";
  BdErrorCode code = BD_ERROR_CODE_UNKNOWN;

  switch (kind)
    {
    case KIND_TENANT:
      object = (GObject *) bd_tenant_new_from_json (node, path, error);
      break;

    case KIND_USER:
      object = (GObject *) bd_user_new_from_json (node, path, NULL, error);
      break;

    case KIND_USER_WITH_TOKEN:
      object = (GObject *) bd_user_new_from_json (node, path, &token, error);
      if (object == NULL)
        g_assert_cmpstr (token, ==, "untouched");
      break;

    case KIND_BILLING_PROFILE:
      object = (GObject *) bd_billing_profile_new_from_json (node, path, error);
      break;

    case KIND_DOMAIN:
      object = (GObject *) bd_domain_new_from_json (node, path, error);
      break;

    case KIND_API_ERROR:
      return bd_api_error_read (node, &code, NULL, NULL, NULL, error);

    default:
      g_assert_not_reached ();
    }

  return object != NULL;
}

static void
test_malformed (gconstpointer test_data)
{
  const BadCase *c = test_data;
  guint i = (guint) (c - bad_cases);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("case %u: %s", i, bad_cases[i].json);

  node = parse (bad_cases[i].json);
  g_assert_false (read_as (bad_cases[i].kind, node, bad_cases[i].path, &error));
  g_assert_error (error, BD_CORE_ERROR, BD_CORE_ERROR_INVALID);
  g_assert_cmpstr (bd_core_error_get_path (error), ==, bad_cases[i].error_path);
  g_assert_true (g_str_has_prefix (error->message, bad_cases[i].error_path));

  /* A NULL error is allowed too. */
  g_assert_false (read_as (bad_cases[i].kind, node, bad_cases[i].path, NULL));
}

static void
test_malformed_lengths (void)
{
  g_autofree char *label = repeat ('a', 63);
  g_autofree char *long_name = NULL;
  g_autofree char *long_token = repeat ('x', 513);
  g_autofree char *domain_json = NULL;
  g_autofree char *user_json = NULL;
  g_autoptr(JsonNode) domain_node = NULL;
  g_autoptr(JsonNode) user_node = NULL;
  g_autoptr(GError) error = NULL;

  /* One character too long: 254. */
  long_name = g_strdup_printf ("%s.%s.%s.%.62s", label, label, label, label);
  g_assert_cmpuint (strlen (long_name), ==, 254);
  domain_json = g_strdup_printf ("{\"name\": \"%s\", \"subscriptionIds\": []}", long_name);
  domain_node = parse (domain_json);
  g_assert_null (bd_domain_new_from_json (domain_node, "domains[2]", &error));
  g_assert_error (error, BD_CORE_ERROR, BD_CORE_ERROR_INVALID);
  g_assert_cmpstr (bd_core_error_get_path (error), ==, "domains[2].name");
  g_clear_error (&error);

  user_json = g_strdup_printf ("{\"id\": \"u1\", \"displayName\": \"A\", \"roles\": [\"user\"],"
                               " \"token\": \"%s\"}", long_token);
  user_node = parse (user_json);
  g_assert_false (read_as (KIND_USER_WITH_TOKEN, user_node, "users[1]", &error));
  g_assert_error (error, BD_CORE_ERROR, BD_CORE_ERROR_INVALID);
  g_assert_cmpstr (bd_core_error_get_path (error), ==, "users[1].token");
}

/*
 * One test case per table row
 */

/* A test name for a user case: its roles' API words. */
static char *
user_case_name (const UserCase *c)
{
  if (c->words[0] == NULL)
    return g_strdup ("no roles");

  return g_strjoinv ("+", (char **) c->words);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/tenant/new", test_tenant_new);
  for (guint i = 0; i < G_N_ELEMENTS (round_trip_clouds); i++)
    bd_test_add_row (paths, "/model/tenant/round-trip", bd_cloud_to_string (round_trip_clouds[i]),
                     &round_trip_clouds[i], test_tenant_round_trip);
  for (guint i = 0; i < G_N_ELEMENTS (user_cases); i++)
    {
      g_autofree char *name = user_case_name (&user_cases[i]);

      bd_test_add_row (paths, "/model/user/new", name, &user_cases[i], test_user_new);
    }
  for (guint i = 0; i < G_N_ELEMENTS (user_cases); i++)
    {
      g_autofree char *name = NULL;

      /* The API requires at least one role. */
      if (user_cases[i].roles == 0)
        continue;

      name = user_case_name (&user_cases[i]);
      bd_test_add_row (paths, "/model/user/round-trip", name, &user_cases[i], test_user_round_trip);
    }
  g_test_add_func ("/model/user/token", test_user_token);
  g_test_add_func ("/model/billing-profile/new", test_billing_profile_new);
  for (guint i = 0; i < G_N_ELEMENTS (round_trip_methods); i++)
    bd_test_add_row (paths, "/model/billing-profile/round-trip",
                     bd_payment_method_to_string (round_trip_methods[i]), &round_trip_methods[i],
                     test_billing_profile_round_trip);
  g_test_add_func ("/model/domain/new", test_domain_new);
  for (guint i = 0; i < G_N_ELEMENTS (domain_cases); i++)
    bd_test_add_row (paths, "/model/domain/round-trip",
                     domain_cases[i].name != NULL ? domain_cases[i].name : "the longest name",
                     &domain_cases[i], test_domain_round_trip);
  for (guint i = 0; i < G_N_ELEMENTS (api_error_cases); i++)
    bd_test_add_row (paths, "/model/api-error/round-trip",
                     bd_error_code_to_string (api_error_cases[i].code), &api_error_cases[i],
                     test_api_error_round_trip);
  g_test_add_func ("/model/api-error/forward-compatible", test_api_error_forward_compatible);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("%u", i);

      bd_test_add_row (paths, "/model/malformed", name, &bad_cases[i], test_malformed);
    }
  g_test_add_func ("/model/malformed/lengths", test_malformed_lengths);

  return g_test_run ();
}
