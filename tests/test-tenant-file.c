/* test-tenant-file.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-test-utils.h"

#include <string.h>

/* Every file here is read with the clock at the worked example's moment
 * (docs/design.md section 3).
 */
#define NOW "2026-11-03T00:00:00Z"

/*
 * A full tenant file: the worked example's tenant, extended
 */

static const char full_file[] =
  "{\n"
  "  \"tenant\": {\"displayName\": \"Contoso A/S\", \"cloud\": \"worldwide\", \"currency\": \"DKK\"},\n"
  "  \"users\": [\n"
  "    {\"id\": \"u1\", \"displayName\": \"Anne Berg\", \"roles\": [\"globalAdmin\"],\n"
  "     \"token\": \"demo-anne-7f3a\"},\n"
  "    {\"id\": \"u2\", \"displayName\": \"Bo Holm\", \"roles\": [\"billingAdmin\"],\n"
  "     \"token\": \"demo-bo-91c2\"},\n"
  "    {\"id\": \"u3\", \"displayName\": \"Cecilie Dahl\", \"roles\": [\"globalReader\", \"user\"],\n"
  "     \"token\": \"demo-cecilie-0d55\"}\n"
  "  ],\n"
  "  \"billingProfiles\": [\n"
  "    {\"id\": \"bp1\", \"displayName\": \"Contoso invoices\", \"paymentMethod\": \"invoice\"},\n"
  "    {\"id\": \"bp2\", \"displayName\": \"Contoso card\", \"paymentMethod\": \"card\"}\n"
  "  ],\n"
  "  \"domains\": [\n"
  "    {\"name\": \"contoso.dk\", \"subscriptionIds\": []},\n"
  "    {\"name\": \"contoso.com\", \"subscriptionIds\": [\"s3\"]}\n"
  "  ],\n"
  "  \"subscriptions\": [\n"
  /* The worked example's s1, every key written out but statusChangedDate. */
  "    {\"id\": \"s1\", \"productName\": \"Microsoft 365 Business Premium\",\n"
  "     \"status\": \"active\", \"isTrial\": false, \"isDomainSubscription\": false,\n"
  "     \"quantity\": 10, \"assignedLicenses\": 8, \"billingProfileId\": \"bp1\",\n"
  "     \"billingFrequency\": \"monthly\", \"unitPrice\": {\"amount\": 15900, \"currency\": \"DKK\"},\n"
  "     \"recurringBilling\": \"on\", \"purchaseChannel\": \"direct\",\n"
  "     \"startDate\": \"2026-11-01T00:00:00Z\",\n"
  "     \"lastRenewalDate\": \"2026-11-01T00:00:00Z\", \"termEndDate\": \"2026-12-01T00:00:00Z\"},\n"
  /* A trial on the card, every optional key left out, relative dates. */
  "    {\"id\": \"s2\", \"productName\": \"Microsoft 365 E5 (trial)\", \"status\": \"active\",\n"
  "     \"isTrial\": true, \"quantity\": 25, \"billingProfileId\": \"bp2\",\n"
  "     \"billingFrequency\": \"monthly\", \"unitPrice\": {\"amount\": 0, \"currency\": \"DKK\"},\n"
  "     \"startDate\": \"now-3d\", \"lastRenewalDate\": \"now-3d\", \"termEndDate\": \"now+27d12h\"},\n"
  /* Bought through a reseller, annual, every license assigned, a custom domain. */
  "    {\"id\": \"s3\", \"productName\": \"Exchange Online (Plan 1)\", \"status\": \"active\",\n"
  "     \"quantity\": 40, \"assignedLicenses\": 40, \"billingFrequency\": \"annual\",\n"
  "     \"unitPrice\": {\"amount\": 48000, \"currency\": \"DKK\"}, \"recurringBilling\": \"renewOnce\",\n"
  "     \"purchaseChannel\": \"reseller\", \"startDate\": \"2024-06-15T00:00:00Z\",\n"
  "     \"lastRenewalDate\": \"2026-06-15T00:00:00Z\", \"termEndDate\": \"2027-06-15T00:00:00Z\"},\n"
  /* Prepaid, expired ten days ago, an explicit null billing profile. */
  "    {\"id\": \"s4\", \"productName\": \"Microsoft Teams Essentials\", \"status\": \"expired\",\n"
  "     \"quantity\": 5, \"billingProfileId\": null, \"billingFrequency\": \"annual\",\n"
  "     \"unitPrice\": {\"amount\": 36000, \"currency\": \"DKK\"}, \"recurringBilling\": \"off\",\n"
  "     \"purchaseChannel\": \"prepaid\", \"startDate\": \"2025-10-24T00:00:00Z\",\n"
  "     \"lastRenewalDate\": \"2025-10-24T00:00:00Z\", \"termEndDate\": \"2026-10-24T00:00:00Z\",\n"
  "     \"statusChangedDate\": \"now-10d\"},\n"
  /* The domain subscription, renewed 1 day 12 hours 30 minutes ago. */
  "    {\"id\": \"s5\", \"productName\": \"Domain contoso.dk\", \"status\": \"active\",\n"
  "     \"isDomainSubscription\": true, \"quantity\": 1, \"billingProfileId\": \"bp1\",\n"
  "     \"billingFrequency\": \"annual\", \"unitPrice\": {\"amount\": 9900, \"currency\": \"DKK\"},\n"
  "     \"startDate\": \"2025-11-01T11:30:00Z\", \"lastRenewalDate\": \"now-1d12h30m\",\n"
  "     \"termEndDate\": \"2027-11-01T11:30:00Z\"},\n"
  /* Triennial, the limits of quantity and price, renewed at the very clock. */
  "    {\"id\": \"s6\", \"productName\": \"Windows 365 Enterprise\", \"status\": \"active\",\n"
  "     \"quantity\": 100000, \"assignedLicenses\": 0, \"billingProfileId\": \"bp2\",\n"
  "     \"billingFrequency\": \"triennial\",\n"
  "     \"unitPrice\": {\"amount\": 100000000, \"currency\": \"DKK\"},\n"
  "     \"startDate\": \"now\", \"lastRenewalDate\": \"now\", \"termEndDate\": \"now+1096d\",\n"
  "     \"statusChangedDate\": \"now\"}\n"
  "  ]\n"
  "}\n";

/* What full_file must read as: every stored field of each subscription. */
typedef struct
{
  const char         *id;
  const char         *product_name;
  BdStatus            status;
  gboolean            is_trial;
  gboolean            is_domain_subscription;
  guint               quantity;
  guint               assigned_licenses;
  const char         *billing_profile_id;
  BdBillingFrequency  billing_frequency;
  gint64              unit_price;
  BdRecurringBilling  recurring_billing;
  BdPurchaseChannel   purchase_channel;
  const char         *start_date;
  const char         *last_renewal_date;
  const char         *term_end_date;
  const char         *status_changed_date;
} ExpectedSubscription;

static const ExpectedSubscription expected_subscriptions[] = {
  { "s1", "Microsoft 365 Business Premium", BD_STATUS_ACTIVE, FALSE, FALSE, 10, 8, "bp1",
    BD_BILLING_FREQUENCY_MONTHLY, 15900, BD_RECURRING_BILLING_ON, BD_PURCHASE_CHANNEL_DIRECT,
    "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", NOW },
  { "s2", "Microsoft 365 E5 (trial)", BD_STATUS_ACTIVE, TRUE, FALSE, 25, 0, "bp2",
    BD_BILLING_FREQUENCY_MONTHLY, 0, BD_RECURRING_BILLING_ON, BD_PURCHASE_CHANNEL_DIRECT,
    "2026-10-31T00:00:00Z", "2026-10-31T00:00:00Z", "2026-11-30T12:00:00Z", NOW },
  { "s3", "Exchange Online (Plan 1)", BD_STATUS_ACTIVE, FALSE, FALSE, 40, 40, NULL,
    BD_BILLING_FREQUENCY_ANNUAL, 48000, BD_RECURRING_BILLING_RENEW_ONCE,
    BD_PURCHASE_CHANNEL_RESELLER,
    "2024-06-15T00:00:00Z", "2026-06-15T00:00:00Z", "2027-06-15T00:00:00Z", NOW },
  { "s4", "Microsoft Teams Essentials", BD_STATUS_EXPIRED, FALSE, FALSE, 5, 0, NULL,
    BD_BILLING_FREQUENCY_ANNUAL, 36000, BD_RECURRING_BILLING_OFF, BD_PURCHASE_CHANNEL_PREPAID,
    "2025-10-24T00:00:00Z", "2025-10-24T00:00:00Z", "2026-10-24T00:00:00Z",
    "2026-10-24T00:00:00Z" },
  { "s5", "Domain contoso.dk", BD_STATUS_ACTIVE, FALSE, TRUE, 1, 0, "bp1",
    BD_BILLING_FREQUENCY_ANNUAL, 9900, BD_RECURRING_BILLING_ON, BD_PURCHASE_CHANNEL_DIRECT,
    "2025-11-01T11:30:00Z", "2026-11-01T11:30:00Z", "2027-11-01T11:30:00Z", NOW },
  { "s6", "Windows 365 Enterprise", BD_STATUS_ACTIVE, FALSE, FALSE, 100000, 0, "bp2",
    BD_BILLING_FREQUENCY_TRIENNIAL, 100000000, BD_RECURRING_BILLING_ON,
    BD_PURCHASE_CHANNEL_DIRECT,
    NOW, NOW, "2029-11-03T00:00:00Z", NOW },
};

static BdTenantFile *
read_ok (const char *text,
         gint64      now)
{
  g_autoptr(GError) error = NULL;
  BdTenantFile *file;

  file = bd_tenant_file_read (text, -1, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);

  return file;
}

static void
assert_subscription (const BdSubscriptionData   *data,
                     const ExpectedSubscription *e)
{
  g_assert_cmpstr (data->id, ==, e->id);
  g_assert_cmpstr (data->product_name, ==, e->product_name);
  g_assert_cmpint (data->status, ==, e->status);
  g_assert_cmpint (data->is_trial, ==, e->is_trial);
  g_assert_cmpint (data->is_domain_subscription, ==, e->is_domain_subscription);
  g_assert_cmpuint (data->quantity, ==, e->quantity);
  g_assert_cmpuint (data->assigned_licenses, ==, e->assigned_licenses);
  g_assert_cmpstr (data->billing_profile_id, ==, e->billing_profile_id);
  g_assert_cmpint (data->billing_frequency, ==, e->billing_frequency);
  g_assert_cmpint (data->unit_price.amount, ==, e->unit_price);
  g_assert_cmpstr (data->unit_price.currency, ==, "DKK");
  g_assert_cmpint (data->recurring_billing, ==, e->recurring_billing);
  g_assert_cmpint (data->purchase_channel, ==, e->purchase_channel);
  bd_assert_time_eq (data->start_date, e->start_date);
  bd_assert_time_eq (data->last_renewal_date, e->last_renewal_date);
  bd_assert_time_eq (data->term_end_date, e->term_end_date);
  bd_assert_time_eq (data->status_changed_date, e->status_changed_date);

  /* What the API adds is not part of a tenant file. */
  g_assert_null (data->etag);
  g_assert_cmpint (data->next_lifecycle_date, ==, BD_TIME_NONE);
  g_assert_cmpint (data->cancellation_window_end, ==, BD_TIME_NONE);
  g_assert_cmpuint (data->allowed_actions, ==, 0);
}

/* What full_file's users must read as, with their tokens. */
typedef struct
{
  const char *id;
  const char *display_name;
  guint       roles;
  const char *token;
} ExpectedUser;

static const ExpectedUser expected_users[] = {
  { "u1", "Anne Berg", BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN), "demo-anne-7f3a" },
  { "u2", "Bo Holm", BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN), "demo-bo-91c2" },
  { "u3", "Cecilie Dahl", BD_ROLE_MASK (BD_ROLE_GLOBAL_READER) | BD_ROLE_MASK (BD_ROLE_USER),
    "demo-cecilie-0d55" },
};

static void
test_full (void)
{
  g_autoptr(BdTenantFile) file = read_ok (full_file, bd_test_time (NOW));
  BdBillingProfile *profile;
  BdDomain *domain;

  g_assert_cmpstr (bd_tenant_get_display_name (file->tenant), ==, "Contoso A/S");
  g_assert_cmpint (bd_tenant_get_cloud (file->tenant), ==, BD_CLOUD_WORLDWIDE);
  g_assert_cmpstr (bd_tenant_get_currency (file->tenant), ==, "DKK");

  /* Users and their tokens, index for index: one test per user below. */
  g_assert_cmpuint (file->users->len, ==, G_N_ELEMENTS (expected_users));
  g_assert_cmpuint (file->tokens->len, ==, G_N_ELEMENTS (expected_users));
  g_assert_true (bd_user_can_manage (g_ptr_array_index (file->users, 0)));
  g_assert_true (bd_user_can_manage (g_ptr_array_index (file->users, 1)));
  g_assert_false (bd_user_can_manage (g_ptr_array_index (file->users, 2)));

  /* Billing profiles and the lookup. */
  g_assert_cmpuint (file->billing_profiles->len, ==, 2);
  profile = bd_tenant_file_find_billing_profile (file, "bp1");
  g_assert_nonnull (profile);
  g_assert_true (profile == g_ptr_array_index (file->billing_profiles, 0));
  g_assert_cmpstr (bd_billing_profile_get_display_name (profile), ==, "Contoso invoices");
  g_assert_cmpint (bd_billing_profile_get_payment_method (profile), ==,
                   BD_PAYMENT_METHOD_INVOICE);
  profile = bd_tenant_file_find_billing_profile (file, "bp2");
  g_assert_nonnull (profile);
  g_assert_cmpstr (bd_billing_profile_get_display_name (profile), ==, "Contoso card");
  g_assert_cmpint (bd_billing_profile_get_payment_method (profile), ==, BD_PAYMENT_METHOD_CARD);
  g_assert_null (bd_tenant_file_find_billing_profile (file, "bp3"));
  g_assert_null (bd_tenant_file_find_billing_profile (file, "BP1"));
  g_assert_null (bd_tenant_file_find_billing_profile (file, NULL));

  /* Domains and the lookup. */
  g_assert_cmpuint (file->domains->len, ==, 2);
  domain = g_ptr_array_index (file->domains, 0);
  g_assert_cmpstr (bd_domain_get_name (domain), ==, "contoso.dk");
  g_assert_cmpuint (g_strv_length ((GStrv) bd_domain_get_subscription_ids (domain)), ==, 0);
  domain = g_ptr_array_index (file->domains, 1);
  g_assert_cmpstr (bd_domain_get_name (domain), ==, "contoso.com");
  g_assert_cmpuint (g_strv_length ((GStrv) bd_domain_get_subscription_ids (domain)), ==, 1);
  g_assert_cmpstr (bd_domain_get_subscription_ids (domain)[0], ==, "s3");
  g_assert_true (bd_tenant_file_has_domain_attached (file, "s3"));
  g_assert_false (bd_tenant_file_has_domain_attached (file, "s1"));
  g_assert_false (bd_tenant_file_has_domain_attached (file, "s5"));
  g_assert_false (bd_tenant_file_has_domain_attached (file, "nope"));

  /* Subscriptions: one test per subscription below. */
  g_assert_cmpuint (file->subscriptions->len, ==, G_N_ELEMENTS (expected_subscriptions));
}

/* One of full_file's users and its token. */
static void
test_full_user (gconstpointer test_data)
{
  const ExpectedUser *expected = test_data;
  guint i = (guint) (expected - expected_users);
  g_autoptr(BdTenantFile) file = read_ok (full_file, bd_test_time (NOW));
  BdUser *user;

  g_assert_cmpuint (file->users->len, ==, G_N_ELEMENTS (expected_users));
  g_assert_cmpuint (file->tokens->len, ==, G_N_ELEMENTS (expected_users));
  user = g_ptr_array_index (file->users, i);

  g_test_message ("user %s", expected_users[i].id);
  g_assert_cmpstr (bd_user_get_id (user), ==, expected_users[i].id);
  g_assert_cmpstr (bd_user_get_display_name (user), ==, expected_users[i].display_name);
  g_assert_cmpuint (bd_user_get_roles (user), ==, expected_users[i].roles);
  g_assert_cmpstr (g_ptr_array_index (file->tokens, i), ==, expected_users[i].token);
}

/* One of full_file's subscriptions: defaults filled in, relative dates
 * resolved exactly.
 */
static void
test_full_subscription (gconstpointer test_data)
{
  const ExpectedSubscription *expected = test_data;
  guint i = (guint) (expected - expected_subscriptions);
  g_autoptr(BdTenantFile) file = read_ok (full_file, bd_test_time (NOW));

  g_assert_cmpuint (file->subscriptions->len, ==, G_N_ELEMENTS (expected_subscriptions));

  g_test_message ("subscription %s", expected_subscriptions[i].id);
  assert_subscription (g_ptr_array_index (file->subscriptions, i),
                       &expected_subscriptions[i]);
}

/* bd_tenant_file_init_rule_context () for each subscription and user. */
typedef struct
{
  guint       subscription;
  guint       user;
  gboolean    has_billing_profile;
  gboolean    paid_by_invoice;
  gboolean    custom_domain_attached;
} RuleContextCase;

static const RuleContextCase rule_context_cases[] = {
  { 0, 0, TRUE, TRUE, FALSE },    /* s1, bp1 (invoice) */
  { 1, 1, TRUE, FALSE, FALSE },   /* s2, bp2 (card) */
  { 2, 1, FALSE, FALSE, TRUE },   /* s3, no profile, contoso.com */
  { 3, 2, FALSE, FALSE, FALSE },  /* s4, null profile */
  { 4, 0, TRUE, TRUE, FALSE },    /* s5, bp1 */
  { 5, 2, TRUE, FALSE, FALSE },   /* s6, bp2 */
};

static void
test_rule_context_row (gconstpointer test_data)
{
  const RuleContextCase *c = test_data;
  g_autoptr(BdTenantFile) file = read_ok (full_file, bd_test_time (NOW));
  gint64 now = bd_test_time (NOW);
  const BdSubscriptionData *data;
  BdUser *user;
  BdRuleContext ctx = { 0, };

  g_assert_cmpuint (c->subscription, <, file->subscriptions->len);
  g_assert_cmpuint (c->user, <, file->users->len);
  data = g_ptr_array_index (file->subscriptions, c->subscription);
  user = g_ptr_array_index (file->users, c->user);

  g_test_message ("%s as %s", data->id, bd_user_get_id (user));
  ctx.now = 1;
  bd_tenant_file_init_rule_context (file, data, bd_user_get_roles (user), now, &ctx);
  g_assert_cmpuint (ctx.roles, ==, bd_user_get_roles (user));
  g_assert_cmpint (data->billing_profile_id != NULL, ==, c->has_billing_profile);
  g_assert_cmpint (ctx.paid_by_invoice, ==, c->paid_by_invoice);
  g_assert_cmpint (ctx.custom_domain_attached, ==, c->custom_domain_attached);
  g_assert_cmpint (ctx.now, ==, now);
}

/* The context is what the rules need: the worked example's s1 answer at NOW. */
static void
test_rule_context (void)
{
  g_autoptr(BdTenantFile) file = read_ok (full_file, bd_test_time (NOW));
  gint64 now = bd_test_time (NOW);
  const BdSubscriptionData *s1 = g_ptr_array_index (file->subscriptions, 0);
  g_autoptr(BdCancellation) answer = NULL;
  BdRuleContext ctx;
  BdRefundMethod method;
  BdMoney refund;

  bd_tenant_file_init_rule_context (file, s1, BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN), now, &ctx);
  answer = bd_cancellation_evaluate (s1, &ctx);
  g_assert_true (bd_cancellation_get_allowed (answer));
  bd_assert_time_eq (bd_cancellation_get_window_end (answer), "2026-11-08T00:00:00Z");
  g_assert_true (bd_cancellation_get_refund (answer, &refund, &method));
  g_assert_cmpint (refund.amount, ==, 148400);
  g_assert_cmpstr (refund.currency, ==, "DKK");
  g_assert_cmpint (method, ==, BD_REFUND_METHOD_CREDIT_NEXT_INVOICE);
}

/*
 * Round trip
 */

static const char * const date_keys[] = {
  "startDate", "lastRenewalDate", "termEndDate", "statusChangedDate", NULL
};

/* Walks a written tenant file: no string is relative, every date is RFC 3339. */
static void
assert_absolute (JsonNode   *node,
                 const char *key)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          assert_absolute (member, name);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          assert_absolute (json_array_get_element (array, i), NULL);
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *str = json_node_get_string (node);
          gint64 value;

          g_assert_false (g_str_has_prefix (str, "now"));
          if (key != NULL && g_strv_contains (date_keys, key))
            {
              g_autofree char *again = NULL;

              g_assert_true (bd_time_parse_rfc3339 (str, &value));
              again = bd_time_format (value);
              g_assert_cmpstr (again, ==, str);
            }
        }
      else if (key != NULL)
        {
          g_assert_false (g_strv_contains (date_keys, key));
        }
      break;

    case JSON_NODE_NULL:
      if (key != NULL)
        g_assert_false (g_strv_contains (date_keys, key));
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
assert_files_equal (BdTenantFile *a,
                    BdTenantFile *b)
{
  g_assert_cmpstr (bd_tenant_get_display_name (a->tenant), ==,
                   bd_tenant_get_display_name (b->tenant));
  g_assert_cmpint (bd_tenant_get_cloud (a->tenant), ==, bd_tenant_get_cloud (b->tenant));
  g_assert_cmpstr (bd_tenant_get_currency (a->tenant), ==, bd_tenant_get_currency (b->tenant));

  g_assert_cmpuint (a->users->len, ==, b->users->len);
  g_assert_cmpuint (a->tokens->len, ==, b->tokens->len);
  for (guint i = 0; i < a->users->len; i++)
    {
      BdUser *ua = g_ptr_array_index (a->users, i);
      BdUser *ub = g_ptr_array_index (b->users, i);

      g_assert_cmpstr (bd_user_get_id (ua), ==, bd_user_get_id (ub));
      g_assert_cmpstr (bd_user_get_display_name (ua), ==, bd_user_get_display_name (ub));
      g_assert_cmpuint (bd_user_get_roles (ua), ==, bd_user_get_roles (ub));
      g_assert_cmpstr (g_ptr_array_index (a->tokens, i), ==, g_ptr_array_index (b->tokens, i));
    }

  g_assert_cmpuint (a->billing_profiles->len, ==, b->billing_profiles->len);
  for (guint i = 0; i < a->billing_profiles->len; i++)
    {
      BdBillingProfile *pa = g_ptr_array_index (a->billing_profiles, i);
      BdBillingProfile *pb = g_ptr_array_index (b->billing_profiles, i);

      g_assert_cmpstr (bd_billing_profile_get_id (pa), ==, bd_billing_profile_get_id (pb));
      g_assert_cmpstr (bd_billing_profile_get_display_name (pa), ==,
                       bd_billing_profile_get_display_name (pb));
      g_assert_cmpint (bd_billing_profile_get_payment_method (pa), ==,
                       bd_billing_profile_get_payment_method (pb));
    }

  g_assert_cmpuint (a->domains->len, ==, b->domains->len);
  for (guint i = 0; i < a->domains->len; i++)
    {
      BdDomain *da = g_ptr_array_index (a->domains, i);
      BdDomain *db = g_ptr_array_index (b->domains, i);

      g_assert_cmpstr (bd_domain_get_name (da), ==, bd_domain_get_name (db));
      g_assert_cmpstrv (bd_domain_get_subscription_ids (da), bd_domain_get_subscription_ids (db));
    }

  g_assert_cmpuint (a->subscriptions->len, ==, b->subscriptions->len);
  for (guint i = 0; i < a->subscriptions->len; i++)
    {
      const BdSubscriptionData *sa = g_ptr_array_index (a->subscriptions, i);
      const BdSubscriptionData *sb = g_ptr_array_index (b->subscriptions, i);

      g_test_message ("subscription %s", sa->id);
      g_assert_true (bd_subscription_data_equal (sa, sb));
    }
}

static void
test_round_trip (void)
{
  gint64 now = bd_test_time (NOW);
  g_autoptr(BdTenantFile) first = read_ok (full_file, now);
  g_autoptr(BdTenantFile) second = NULL;
  g_autoptr(BdTenantFile) later = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autofree char *rewritten = NULL;
  gsize length = 0;
  gsize relength = 0;

  written = bd_tenant_file_to_data (first, &length);
  g_assert_nonnull (written);
  g_assert_cmpuint (length, ==, strlen (written));
  g_test_message ("written: %s", written);

  /* Absolute dates only, and valid strict JSON. */
  root = bd_json_parse (written, (gssize) length, &error);
  g_assert_no_error (error);
  assert_absolute (root, NULL);

  /* Read back at the same clock: the same tenant. */
  second = bd_tenant_file_read (written, (gssize) length, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  assert_files_equal (first, second);

  /* Written again: the same text. */
  rewritten = bd_tenant_file_to_data (second, &relength);
  g_assert_cmpuint (relength, ==, length);
  g_assert_cmpstr (rewritten, ==, written);

  /* Nothing in the written file depends on the clock any more: read a
   * day later, it is still the same tenant (statusChangedDate included).
   */
  later = bd_tenant_file_read (written, -1, now + BD_SECONDS_PER_DAY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (later);
  assert_files_equal (first, later);
}

/*
 * Accepted at the limits
 */

/* A small valid tenant file. The malformed rows below each change one piece
 * of it; every piece a row looks for occurs in it exactly once. Paths:
 * users[0] u1, users[1] u2; domains[0] contoso.dk, domains[1] fabrikam.dk;
 * subscriptions[0] s1 .. subscriptions[3] s4 (quantities 10, 11, 12, 13).
 */
#define M_TENANT \
  "\"tenant\":{\"displayName\":\"Contoso A/S\",\"cloud\":\"worldwide\",\"currency\":\"DKK\"}"
#define M_USERS \
  "\"users\":[" \
  "{\"id\":\"u1\",\"displayName\":\"Anne Berg\",\"roles\":[\"globalAdmin\",\"billingAdmin\"]," \
  "\"token\":\"tok-anne\"}," \
  "{\"id\":\"u2\",\"displayName\":\"Bo Holm\",\"roles\":[\"globalReader\"],\"token\":\"tok-bo\"}]"
#define M_PROFILES \
  "\"billingProfiles\":[" \
  "{\"id\":\"bp1\",\"displayName\":\"Contoso invoices\",\"paymentMethod\":\"invoice\"}]"
#define M_DOMAINS \
  "\"domains\":[" \
  "{\"name\":\"contoso.dk\",\"subscriptionIds\":[\"s1\",\"s2\"]}," \
  "{\"name\":\"fabrikam.dk\",\"subscriptionIds\":[]}]"
#define M_SUB1 \
  "{\"id\":\"s1\",\"productName\":\"Microsoft 365 Business Premium\",\"status\":\"active\"," \
  "\"quantity\":10,\"assignedLicenses\":8,\"billingProfileId\":\"bp1\"," \
  "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":15900,\"currency\":\"DKK\"}," \
  "\"startDate\":\"2026-10-01T00:00:00Z\",\"lastRenewalDate\":\"2026-11-01T00:00:00Z\"," \
  "\"termEndDate\":\"2026-12-01T00:00:00Z\"}"
#define M_SUB2 \
  "{\"id\":\"s2\",\"productName\":\"Microsoft 365 E5\",\"status\":\"active\",\"isTrial\":true," \
  "\"quantity\":11,\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":0,\"currency\":\"DKK\"}," \
  "\"recurringBilling\":\"renewOnce\",\"startDate\":\"now-3d\",\"lastRenewalDate\":\"now-2d\"," \
  "\"termEndDate\":\"now+27d12h\"}"
#define M_SUB3 \
  "{\"id\":\"s3\",\"productName\":\"Exchange Online (Plan 1)\",\"status\":\"expired\"," \
  "\"quantity\":12,\"billingFrequency\":\"triennial\"," \
  "\"unitPrice\":{\"amount\":100000000,\"currency\":\"DKK\"},\"recurringBilling\":\"off\"," \
  "\"purchaseChannel\":\"reseller\",\"startDate\":\"2023-10-24T00:00:00Z\"," \
  "\"lastRenewalDate\":\"2023-10-24T00:00:00Z\",\"termEndDate\":\"2026-10-24T00:00:00Z\"," \
  "\"statusChangedDate\":\"now-10d\"}"
#define M_SUB4 \
  "{\"id\":\"s4\",\"productName\":\"Microsoft Teams Essentials\",\"status\":\"disabled\"," \
  "\"isDomainSubscription\":false,\"quantity\":13,\"billingFrequency\":\"annual\"," \
  "\"unitPrice\":{\"amount\":36000,\"currency\":\"DKK\"},\"purchaseChannel\":\"prepaid\"," \
  "\"startDate\":\"2025-01-01T00:00:00Z\",\"lastRenewalDate\":\"2025-01-01T00:00:00Z\"," \
  "\"termEndDate\":\"2026-01-01T00:00:00Z\",\"statusChangedDate\":\"2026-01-31T00:00:00Z\"}"
#define M_SUBS "\"subscriptions\":[" M_SUB1 "," M_SUB2 "," M_SUB3 "," M_SUB4 "]"
#define M_BASE "{" M_TENANT "," M_USERS "," M_PROFILES "," M_DOMAINS "," M_SUBS "}"

/* A user may come without a token (a real tenant's users get theirs from
 * `billing-desk-service tokens create`); the file says so when written.
 */
static void
test_user_without_token (void)
{
  const char *text = "{" M_TENANT ",\"users\":["
                     "{\"id\":\"u1\",\"displayName\":\"Anne Berg\",\"roles\":[\"globalAdmin\"]},"
                     "{\"id\":\"u2\",\"displayName\":\"Bo Holm\",\"roles\":[\"globalReader\"],"
                     "\"token\":\"tok-bo\"},"
                     "{\"id\":\"u3\",\"displayName\":\"Cecilie\",\"roles\":[\"globalReader\"]}],"
                     M_PROFILES "," M_DOMAINS "," M_SUBS "}";
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(BdTenantFile) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  gsize length = 0;

  file = bd_tenant_file_read (text, -1, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file->users->len, ==, 3);
  g_assert_cmpuint (file->tokens->len, ==, 3);
  g_assert_null (g_ptr_array_index (file->tokens, 0));
  g_assert_cmpstr (g_ptr_array_index (file->tokens, 1), ==, "tok-bo");
  g_assert_null (g_ptr_array_index (file->tokens, 2));

  written = bd_tenant_file_to_data (file, &length);
  g_assert_nonnull (strstr (written, "\"tok-bo\""));
  g_assert_null (strstr (strstr (written, "\"token\"") + 1, "\"token\""));
  again = bd_tenant_file_read (written, (gssize) length, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  assert_files_equal (file, again);
}

static const char base_file[] = M_BASE;

/* One change to base_file: the only occurrence of @find becomes @replace.
 * Without @find, @replace is the whole document.
 */
typedef struct
{
  const char *what;
  const char *find;
  const char *replace;
  const char *path;          /* expected error path; NULL: the root */
  const char *not_in_message;  /* a secret that the message must not repeat */
} Edit;

static char *
apply_edit (const Edit *edit)
{
  const char *at;

  if (edit->find == NULL)
    return g_strdup (edit->replace);

  at = strstr (base_file, edit->find);
  g_assert_nonnull (at);
  /* The row would be ambiguous otherwise. */
  g_assert_null (strstr (at + 1, edit->find));

  return g_strdup_printf ("%.*s%s%s", (int) (at - base_file), base_file, edit->replace,
                          at + strlen (edit->find));
}

static const Edit accepted[] = {
  { "the base file itself", "\"tenant\"", "\"tenant\"" },
  { "lastRenewalDate exactly at the clock", "\"lastRenewalDate\":\"now-2d\"",
    "\"lastRenewalDate\":\"now\"" },
  { "lastRenewalDate at the clock, absolute", "\"lastRenewalDate\":\"2026-11-01T00:00:00Z\"",
    "\"lastRenewalDate\":\"" NOW "\"" },
  { "lastRenewalDate equal to startDate", "\"lastRenewalDate\":\"now-2d\"",
    "\"lastRenewalDate\":\"now-3d\"" },
  { "termEndDate one second after lastRenewalDate", "\"termEndDate\":\"2026-12-01T00:00:00Z\"",
    "\"termEndDate\":\"2026-11-01T00:00:01Z\"" },
  { "statusChangedDate exactly at the clock", "\"statusChangedDate\":\"now-10d\"",
    "\"statusChangedDate\":\"now\"" },
  { "quantity 1", "\"quantity\":13", "\"quantity\":1" },
  { "quantity 100000", "\"quantity\":13", "\"quantity\":100000" },
  { "assignedLicenses equal to quantity", "\"assignedLicenses\":8", "\"assignedLicenses\":10" },
  { "billingProfileId null", "\"billingProfileId\":\"bp1\"", "\"billingProfileId\":null" },
  { "minutes only", "\"termEndDate\":\"now+27d12h\"", "\"termEndDate\":\"now+90m\"" },
  { "days, hours and minutes", "\"startDate\":\"now-3d\"", "\"startDate\":\"now-3d1h1m\"" },
  { "status deleted", "\"status\":\"disabled\"", "\"status\":\"deleted\"" },
  { "cloud 21vianet", "\"worldwide\"", "\"21vianet\"" },
  { "role user", "\"globalReader\"", "\"user\"" },
  { "card", "\"invoice\"", "\"card\"" },
  { "another domain name", "\"fabrikam.dk\"", "\"fabrikam.com\"" },
  { "keys in another order", "{\"id\":\"s4\",\"productName\":\"Microsoft Teams Essentials\",",
    "{\"productName\":\"Microsoft Teams Essentials\",\"id\":\"s4\"," },
  { "whitespace around everything", NULL, " \n\t{ " M_TENANT " , " M_USERS " , " M_PROFILES
    " , " M_DOMAINS " , " M_SUBS " }\r\n " },
};

static void
test_accepted (gconstpointer test_data)
{
  const Edit *row = test_data;
  g_autofree char *text = apply_edit (row);
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", row->what);
  file = bd_tenant_file_read (text, -1, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  g_assert_cmpuint (file->subscriptions->len, ==, 4);
}

/*
 * Refused, with the path of the bad key
 */

static const Edit malformed[] = {
  /* The document as a whole. */
  { "unknown top-level key", "{\"tenant\"", "{\"colour\":\"blue\",\"tenant\"", "colour" },
  { "missing tenant", M_TENANT ",", "", "tenant" },
  { "missing users", M_USERS ",", "", "users" },
  { "missing subscriptions", "," M_SUBS, "", "subscriptions" },
  { "tenant is an array", M_TENANT, "\"tenant\":[]", "tenant" },
  { "tenant is null", M_TENANT, "\"tenant\":null", "tenant" },
  { "users is an object", M_USERS, "\"users\":{}", "users" },
  { "domains is null", M_DOMAINS, "\"domains\":null", "domains" },
  { "subscriptions is a string", M_SUBS, "\"subscriptions\":\"s1\"", "subscriptions" },
  { "the root is an array", NULL, "[" M_BASE "]", NULL },
  { "the root is a number", NULL, "42", NULL },

  /* Strict JSON: the parser's errors, with the path of the value. */
  { "trailing garbage", NULL, M_BASE " x", NULL },
  { "two documents", NULL, M_BASE M_BASE, NULL },
  { "cut off at the end", M_SUB4 "]}", M_SUB4 "]", NULL },
  { "empty document", NULL, "", NULL },
  { "byte order mark", NULL, "\xEF\xBB\xBF" M_BASE, NULL },
  { "duplicate key in a subscription", "\"quantity\":10", "\"quantity\":10,\"quantity\":12",
    "subscriptions[0].quantity" },
  { "duplicate key in the tenant", "\"cloud\":\"worldwide\"",
    "\"cloud\":\"worldwide\",\"cloud\":\"21vianet\"", "tenant.cloud" },
  { "duplicate top-level key", "," M_SUBS, "," M_SUBS "," M_SUBS, "subscriptions" },
  { "number above int64", "\"quantity\":10", "\"quantity\":9223372036854775808",
    "subscriptions[0].quantity" },
  { "number below int64", "\"amount\":15900", "\"amount\":-9223372036854775809",
    "subscriptions[0].unitPrice.amount" },
  { "invalid UTF-8 in a string", "\"Microsoft 365 Business Premium\"",
    "\"Microsoft 365 Business \xC3\x28" "remium\"", "subscriptions[0].productName" },
  { "overlong UTF-8 in a string", "\"Bo Holm\"", "\"Bo \xC0\xAF" "Holm\"",
    "users[1].displayName" },
  { "\\u0000 in a string", "\"Microsoft 365 Business Premium\"",
    "\"Microsoft 365\\u0000Premium\"", "subscriptions[0].productName" },
  { "unpaired surrogate", "\"Microsoft Teams Essentials\"", "\"Teams \\ud800\"",
    "subscriptions[3].productName" },
  { "single quotes", "\"Contoso A/S\"", "'Contoso A/S'", "tenant.displayName" },

  /* tenant */
  { "tenant.currency lowercase", "\"DKK\"},\"users\"", "\"dkk\"},\"users\"", "tenant.currency" },
  { "tenant.currency not three letters", "\"DKK\"},\"users\"", "\"DKKR\"},\"users\"",
    "tenant.currency" },
  { "tenant.cloud azure", "\"worldwide\"", "\"azure\"", "tenant.cloud" },
  { "tenant.displayName empty", "\"Contoso A/S\"", "\"\"", "tenant.displayName" },
  { "unknown key in tenant", "\"cloud\":\"worldwide\"",
    "\"cloud\":\"worldwide\",\"region\":\"eu\"", "tenant.region" },

  /* users */
  { "users[1].id duplicate", "\"id\":\"u2\"", "\"id\":\"u1\"", "users[1].id" },
  { "users[1].token same as users[0]'s", "\"tok-bo\"", "\"tok-anne\"", "users[1].token",
    "tok-anne" },
  { "users[1].token with a space", "\"tok-bo\"", "\"tok bo\"", "users[1].token", "tok bo" },
  { "users[1].token empty", "\"tok-bo\"", "\"\"", "users[1].token" },
  { "users[0].roles[1] unknown role", "\"billingAdmin\"", "\"superAdmin\"", "users[0].roles[1]" },
  { "users[0].roles[1] listed twice", "\"billingAdmin\"", "\"globalAdmin\"",
    "users[0].roles[1]" },
  { "users[1].roles empty", "[\"globalReader\"]", "[]", "users[1].roles" },
  { "users[1].roles[0] not a string", "[\"globalReader\"]", "[2]", "users[1].roles[0]" },
  { "unknown key in users[0]", "\"token\":\"tok-anne\"",
    "\"token\":\"tok-anne\",\"email\":\"anne@contoso.dk\"", "users[0].email" },
  { "users[1] is a string", "{\"id\":\"u2\",\"displayName\":\"Bo Holm\","
    "\"roles\":[\"globalReader\"],\"token\":\"tok-bo\"}", "\"u2\"", "users[1]" },

  /* billingProfiles */
  { "billingProfiles[0].paymentMethod cash", "\"invoice\"", "\"cash\"",
    "billingProfiles[0].paymentMethod" },
  { "unknown key in billingProfiles[0]", "\"paymentMethod\":\"invoice\"",
    "\"paymentMethod\":\"invoice\",\"iban\":\"DK00\"", "billingProfiles[0].iban" },
  { "billingProfiles[1].id duplicate", "\"paymentMethod\":\"invoice\"}",
    "\"paymentMethod\":\"invoice\"},{\"id\":\"bp1\",\"displayName\":\"Card\","
    "\"paymentMethod\":\"card\"}", "billingProfiles[1].id" },

  /* domains */
  { "domains[1].name duplicate of domains[0] in another case", "\"fabrikam.dk\"",
    "\"Contoso.dk\"", "domains[1].name" },
  { "domains[1].name not a domain name", "\"fabrikam.dk\"", "\"fabrikam\"", "domains[1].name" },
  { "domains[0].subscriptionIds[1] dangling", "[\"s1\",\"s2\"]", "[\"s1\",\"s9\"]",
    "domains[0].subscriptionIds[1]" },
  { "domains[0].subscriptionIds[1] listed twice", "[\"s1\",\"s2\"]", "[\"s1\",\"s1\"]",
    "domains[0].subscriptionIds[1]" },
  { "unknown key in domains[1]", "{\"name\":\"fabrikam.dk\"",
    "{\"verified\":true,\"name\":\"fabrikam.dk\"", "domains[1].verified" },
  { "domains[1] without subscriptionIds", ",\"subscriptionIds\":[]", "",
    "domains[1].subscriptionIds" },

  /* subscriptions: quantity and licenses */
  { "subscriptions[3].quantity 0", "\"quantity\":13", "\"quantity\":0",
    "subscriptions[3].quantity" },
  { "subscriptions[3].quantity 100001", "\"quantity\":13", "\"quantity\":100001",
    "subscriptions[3].quantity" },
  { "subscriptions[3].quantity \"10\"", "\"quantity\":13", "\"quantity\":\"10\"",
    "subscriptions[3].quantity" },
  { "subscriptions[3].quantity 10.5", "\"quantity\":13", "\"quantity\":10.5",
    "subscriptions[3].quantity" },
  { "subscriptions[3].quantity 1e1", "\"quantity\":13", "\"quantity\":1e1",
    "subscriptions[3].quantity" },
  { "subscriptions[3].quantity null", "\"quantity\":13", "\"quantity\":null",
    "subscriptions[3].quantity" },
  { "subscriptions[3].quantity missing", "\"quantity\":13,", "", "subscriptions[3].quantity" },
  { "subscriptions[0].assignedLicenses above quantity", "\"assignedLicenses\":8",
    "\"assignedLicenses\":11", "subscriptions[0].assignedLicenses" },
  { "subscriptions[0].assignedLicenses -1", "\"assignedLicenses\":8",
    "\"assignedLicenses\":-1", "subscriptions[0].assignedLicenses" },

  /* subscriptions: ids and references */
  { "subscriptions[1].id duplicate", "\"id\":\"s2\"", "\"id\":\"s1\"", "subscriptions[1].id" },
  { "subscriptions[1].id empty", "\"id\":\"s2\"", "\"id\":\"\"", "subscriptions[1].id" },
  { "subscriptions[0].billingProfileId dangling", "\"billingProfileId\":\"bp1\"",
    "\"billingProfileId\":\"bp9\"", "subscriptions[0].billingProfileId" },
  { "subscriptions[0].billingProfileId empty", "\"billingProfileId\":\"bp1\"",
    "\"billingProfileId\":\"\"", "subscriptions[0].billingProfileId" },
  { "subscriptions[0].productName missing",
    "\"productName\":\"Microsoft 365 Business Premium\",", "", "subscriptions[0].productName" },

  /* subscriptions: money */
  { "subscriptions[0].unitPrice.currency not the tenant's",
    "{\"amount\":15900,\"currency\":\"DKK\"}", "{\"amount\":15900,\"currency\":\"EUR\"}",
    "subscriptions[0].unitPrice.currency" },
  { "subscriptions[0].unitPrice.amount 100000001", "\"amount\":15900", "\"amount\":100000001",
    "subscriptions[0].unitPrice.amount" },
  { "subscriptions[0].unitPrice.amount -1", "\"amount\":15900", "\"amount\":-1",
    "subscriptions[0].unitPrice.amount" },
  { "subscriptions[0].unitPrice.amount 159.00", "\"amount\":15900", "\"amount\":159.00",
    "subscriptions[0].unitPrice.amount" },
  { "unknown key in subscriptions[0].unitPrice", "{\"amount\":15900,\"currency\":\"DKK\"}",
    "{\"amount\":15900,\"currency\":\"DKK\",\"tax\":0}", "subscriptions[0].unitPrice.tax" },
  { "subscriptions[3].unitPrice missing", "\"unitPrice\":{\"amount\":36000,\"currency\":\"DKK\"},",
    "", "subscriptions[3].unitPrice" },
  { "subscriptions[3].unitPrice a number", "{\"amount\":36000,\"currency\":\"DKK\"}", "36000",
    "subscriptions[3].unitPrice" },

  /* subscriptions: dates */
  { "startDate 2026-02-30 (impossible)", "\"startDate\":\"2026-10-01T00:00:00Z\"",
    "\"startDate\":\"2026-02-30T00:00:00Z\"", "subscriptions[0].startDate" },
  { "startDate with a fraction of a second", "\"startDate\":\"2026-10-01T00:00:00Z\"",
    "\"startDate\":\"2026-10-01T00:00:00.5Z\"", "subscriptions[0].startDate" },
  { "startDate without a time", "\"startDate\":\"2026-10-01T00:00:00Z\"",
    "\"startDate\":\"2026-10-01\"", "subscriptions[0].startDate" },
  { "startDate missing", "\"startDate\":\"2026-10-01T00:00:00Z\",", "",
    "subscriptions[0].startDate" },
  { "lastRenewalDate before startDate", "\"lastRenewalDate\":\"2026-11-01T00:00:00Z\"",
    "\"lastRenewalDate\":\"2026-09-30T23:59:59Z\"", "subscriptions[0].lastRenewalDate" },
  { "termEndDate equal to lastRenewalDate", "\"termEndDate\":\"2026-12-01T00:00:00Z\"",
    "\"termEndDate\":\"2026-11-01T00:00:00Z\"", "subscriptions[0].termEndDate" },
  { "termEndDate before lastRenewalDate, relative", "\"termEndDate\":\"now+27d12h\"",
    "\"termEndDate\":\"now-3d\"", "subscriptions[1].termEndDate" },
  { "lastRenewalDate one minute in the future", "\"lastRenewalDate\":\"now-2d\"",
    "\"lastRenewalDate\":\"now+1m\"", "subscriptions[1].lastRenewalDate" },
  { "lastRenewalDate one second after the clock", "\"lastRenewalDate\":\"2026-11-01T00:00:00Z\"",
    "\"lastRenewalDate\":\"2026-11-03T00:00:01Z\"", "subscriptions[0].lastRenewalDate" },
  { "statusChangedDate in the future", "\"statusChangedDate\":\"now-10d\"",
    "\"statusChangedDate\":\"now+1m\"", "subscriptions[2].statusChangedDate" },
  { "statusChangedDate null", "\"statusChangedDate\":\"now-10d\"", "\"statusChangedDate\":null",
    "subscriptions[2].statusChangedDate" },
  { "bad relative date now+3x", "\"termEndDate\":\"now+27d12h\"", "\"termEndDate\":\"now+3x\"",
    "subscriptions[1].termEndDate" },
  { "relative date with nothing after the sign", "\"termEndDate\":\"now+27d12h\"",
    "\"termEndDate\":\"now+\"", "subscriptions[1].termEndDate" },
  { "relative date without a unit", "\"termEndDate\":\"now+27d12h\"",
    "\"termEndDate\":\"now+27\"", "subscriptions[1].termEndDate" },
  { "relative date, units out of order", "\"termEndDate\":\"now+27d12h\"",
    "\"termEndDate\":\"now+12h27d\"", "subscriptions[1].termEndDate" },
  { "relative date, a unit twice", "\"termEndDate\":\"now+27d12h\"",
    "\"termEndDate\":\"now+27d1d\"", "subscriptions[1].termEndDate" },
  { "relative date with a space", "\"startDate\":\"now-3d\"", "\"startDate\":\"now - 3d\"",
    "subscriptions[1].startDate" },
  { "relative date past year 9999", "\"termEndDate\":\"now+27d12h\"",
    "\"termEndDate\":\"now+999999999d\"", "subscriptions[1].termEndDate" },

  /* subscriptions: words */
  { "status cancelled", "\"status\":\"disabled\"", "\"status\":\"cancelled\"",
    "subscriptions[3].status" },
  { "status in another case", "\"status\":\"expired\"", "\"status\":\"Expired\"",
    "subscriptions[2].status" },
  { "billingFrequency weekly", "\"triennial\"", "\"weekly\"", "subscriptions[2].billingFrequency" },
  { "recurringBilling maybe", "\"renewOnce\"", "\"maybe\"", "subscriptions[1].recurringBilling" },
  { "recurringBilling true", "\"renewOnce\"", "true", "subscriptions[1].recurringBilling" },
  { "purchaseChannel partner", "\"reseller\"", "\"partner\"", "subscriptions[2].purchaseChannel" },
  { "isTrial \"yes\"", "\"isTrial\":true", "\"isTrial\":\"yes\"", "subscriptions[1].isTrial" },
  { "isDomainSubscription null", "\"isDomainSubscription\":false",
    "\"isDomainSubscription\":null", "subscriptions[3].isDomainSubscription" },

  /* subscriptions: keys and shapes */
  { "unknown key subscriptions[2].colour", "{\"id\":\"s3\"", "{\"colour\":\"blue\",\"id\":\"s3\"",
    "subscriptions[2].colour" },
  { "API-only key etag in a tenant file", "{\"id\":\"s1\"", "{\"etag\":\"\\\"abc\\\"\",\"id\":\"s1\"",
    "subscriptions[0].etag" },
  { "API-only key allowedActions in a tenant file", "{\"id\":\"s4\"",
    "{\"allowedActions\":[],\"id\":\"s4\"", "subscriptions[3].allowedActions" },
  { "a subscription that is an array", M_SUB4, "[\"s4\"]", "subscriptions[3]" },
  { "a subscription that is null", M_SUB4, "null", "subscriptions[3]" },
};

/* What every malformed row takes for granted. */
static void
test_malformed (void)
{
  gint64 now = bd_test_time (NOW);
  g_autoptr(BdTenantFile) base = read_ok (base_file, now);

  g_assert_cmpuint (G_N_ELEMENTS (malformed), >=, 30);
}

static void
test_malformed_row (gconstpointer test_data)
{
  const Edit *row = test_data;
  gint64 now = bd_test_time (NOW);
  g_autofree char *text = apply_edit (row);
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", row->what);
  file = bd_tenant_file_read (text, -1, now, &error);
  if (error != NULL)
    g_test_message ("  -> %s", error->message);
  g_assert_null (file);
  bd_test_assert_error (error, row->path);

  if (row->not_in_message != NULL)
    g_assert_null (strstr (error->message, row->not_in_message));
}

/* Where the document comes from does not matter: a length instead of a
 * terminating NUL reads the same, and a NUL inside the length is refused.
 */
static void
test_length (void)
{
  gint64 now = bd_test_time (NOW);
  g_autofree char *padded = g_strconcat (base_file, "garbage", NULL);
  g_autofree char *with_nul = g_malloc (sizeof base_file + 1);
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = bd_tenant_file_read (padded, (gssize) strlen (base_file), now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);

  memcpy (with_nul, base_file, sizeof base_file);
  with_nul[sizeof base_file] = ' ';
  g_clear_pointer (&file, bd_tenant_file_free);
  file = bd_tenant_file_read (with_nul, (gssize) sizeof base_file + 1, now, &error);
  g_assert_null (file);
  bd_test_assert_error (error, NULL);
}

/*
 * One test case per table row
 */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tenant-file/full", test_full);
  for (guint i = 0; i < G_N_ELEMENTS (expected_users); i++)
    bd_test_add_row (paths, "/tenant-file/full/users", expected_users[i].id, &expected_users[i],
                     test_full_user);
  for (guint i = 0; i < G_N_ELEMENTS (expected_subscriptions); i++)
    bd_test_add_row (paths, "/tenant-file/full/subscriptions", expected_subscriptions[i].id,
                     &expected_subscriptions[i], test_full_subscription);
  g_test_add_func ("/tenant-file/rule-context", test_rule_context);
  for (guint i = 0; i < G_N_ELEMENTS (rule_context_cases); i++)
    {
      const RuleContextCase *c = &rule_context_cases[i];
      g_autofree char *name = NULL;

      /* full_file's ids, as test_full () checks them. */
      name = g_strdup_printf ("%s as %s", expected_subscriptions[c->subscription].id,
                              expected_users[c->user].id);
      bd_test_add_row (paths, "/tenant-file/rule-context", name, c, test_rule_context_row);
    }
  g_test_add_func ("/tenant-file/round-trip", test_round_trip);
  g_test_add_func ("/tenant-file/user-without-token", test_user_without_token);
  bd_test_add_table ("/tenant-file/accepted", accepted, sizeof accepted[0],
                     G_N_ELEMENTS (accepted), test_accepted);
  g_test_add_func ("/tenant-file/malformed", test_malformed);
  bd_test_add_table ("/tenant-file/malformed", malformed, sizeof malformed[0],
                     G_N_ELEMENTS (malformed), test_malformed_row);
  g_test_add_func ("/tenant-file/length", test_length);

  return g_test_run ();
}
