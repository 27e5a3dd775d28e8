/* test-subscription.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-test-utils.h"

#define NOW "2026-11-03T00:00:00Z"

static BdSubscriptionData *
annotated_subscription (void)
{
  BdSubscriptionData *data =
    bd_test_subscription ("2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");
  BdRuleContext ctx = { .roles = BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN),
                        .paid_by_invoice = TRUE,
                        .now = bd_test_time ("2026-11-10T00:00:00Z") };

  data->billing_profile_id = g_strdup ("bp1");
  data->assigned_licenses = 8;
  bd_rules_annotate (data, &ctx);

  return data;
}

static char *
write_json (const BdSubscriptionData *data,
            BdSubscriptionJsonMode    mode)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  bd_subscription_data_to_json (data, mode, builder);
  root = json_builder_get_root (builder);
  return bd_json_to_data (root, NULL);
}

static BdSubscriptionData *
read_json (const char              *text,
           BdSubscriptionJsonMode   mode,
           GError                 **error)
{
  g_autoptr(JsonNode) node = bd_json_parse (text, -1, error);

  if (node == NULL)
    return NULL;
  return bd_subscription_data_read_json (node, "value[2]", mode, bd_test_time (NOW), error);
}

static void
test_api_round_trip (void)
{
  g_autoptr(BdSubscriptionData) data = annotated_subscription ();
  g_autoptr(BdSubscriptionData) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = write_json (data, BD_SUBSCRIPTION_JSON_API);
  g_autofree char *text_again = NULL;

  g_assert_nonnull (strstr (text, "\"allowedActions\":[\"changeRecurringBilling\","
                                  "\"changeQuantity\",\"delete\"]"));
  g_assert_nonnull (strstr (text, "\"actionBlockers\":{\"cancel\":\"cancellationWindowClosed\","
                                  "\"reactivate\":\"invalidState\"}"));
  g_assert_nonnull (strstr (text, "\"cancellationWindowEnd\":\"2026-11-08T00:00:00Z\""));
  g_assert_nonnull (strstr (text, "\"nextLifecycleDate\":null"));

  again = read_json (text, BD_SUBSCRIPTION_JSON_API, &error);
  g_assert_no_error (error);
  g_assert_true (bd_subscription_data_equal (data, again));

  text_again = write_json (again, BD_SUBSCRIPTION_JSON_API);
  g_assert_cmpstr (text, ==, text_again);
}

static void
test_tenant_file_defaults (void)
{
  static const char *text =
    "{\"id\": \"s9\", \"productName\": \"Exchange Online (Plan 1)\", \"status\": \"active\","
    " \"quantity\": 5, \"billingFrequency\": \"annual\","
    " \"unitPrice\": {\"amount\": 3000, \"currency\": \"DKK\"},"
    " \"startDate\": \"now-400d\", \"lastRenewalDate\": \"now-35d\","
    " \"termEndDate\": \"now+330d\"}";
  g_autoptr(BdSubscriptionData) data = NULL;
  g_autoptr(BdSubscriptionData) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;

  data = read_json (text, BD_SUBSCRIPTION_JSON_TENANT_FILE, &error);
  g_assert_no_error (error);
  g_assert_false (data->is_trial);
  g_assert_false (data->is_domain_subscription);
  g_assert_cmpuint (data->assigned_licenses, ==, 0);
  g_assert_null (data->billing_profile_id);
  g_assert_cmpint (data->recurring_billing, ==, BD_RECURRING_BILLING_ON);
  g_assert_cmpint (data->purchase_channel, ==, BD_PURCHASE_CHANNEL_DIRECT);
  g_assert_cmpint (data->billing_frequency, ==, BD_BILLING_FREQUENCY_ANNUAL);
  bd_assert_time_eq (data->start_date, "2025-09-29T00:00:00Z");
  bd_assert_time_eq (data->last_renewal_date, "2026-09-29T00:00:00Z");
  bd_assert_time_eq (data->term_end_date, "2027-09-29T00:00:00Z");
  bd_assert_time_eq (data->status_changed_date, NOW);

  /* Written back with absolute dates, it reads the same. */
  written = write_json (data, BD_SUBSCRIPTION_JSON_TENANT_FILE);
  g_assert_null (strstr (written, "now"));
  g_assert_null (strstr (written, "etag"));
  again = read_json (written, BD_SUBSCRIPTION_JSON_TENANT_FILE, &error);
  g_assert_no_error (error);
  g_assert_true (bd_subscription_data_equal (data, again));
}

/* One valid API document, changed in one place per row. */
typedef struct
{
  const char *what;
  const char *from;
  const char *to;
  const char *path;
} ApiEdit;

static const ApiEdit api_malformed[] = {
  { "unknown key", "\"id\":", "\"colour\":\"red\",\"id\":", "value[2].colour" },
  { "missing key", "\"isTrial\":false,", "", "value[2].isTrial" },
  { "quantity as text", "\"quantity\":10", "\"quantity\":\"10\"", "value[2].quantity" },
  { "quantity zero", "\"quantity\":10", "\"quantity\":0", "value[2].quantity" },
  { "quantity too large", "\"quantity\":10", "\"quantity\":100001", "value[2].quantity" },
  { "quantity fraction", "\"quantity\":10", "\"quantity\":10.0", "value[2].quantity" },
  { "assigned above quantity", "\"assignedLicenses\":8", "\"assignedLicenses\":11",
    "value[2].assignedLicenses" },
  { "negative assigned", "\"assignedLicenses\":8", "\"assignedLicenses\":-1",
    "value[2].assignedLicenses" },
  { "unknown status", "\"status\":\"active\"", "\"status\":\"cancelled\"", "value[2].status" },
  { "status not a string", "\"status\":\"active\"", "\"status\":1", "value[2].status" },
  { "empty id", "\"id\":\"s1\"", "\"id\":\"\"", "value[2].id" },
  { "empty product", "\"productName\":\"Microsoft 365 Business Premium\"",
    "\"productName\":\"\"", "value[2].productName" },
  { "impossible date", "\"startDate\":\"2026-11-01T00:00:00Z\"",
    "\"startDate\":\"2026-11-31T00:00:00Z\"", "value[2].startDate" },
  { "relative date in the API", "\"startDate\":\"2026-11-01T00:00:00Z\"",
    "\"startDate\":\"now\"", "value[2].startDate" },
  { "renewal before start", "\"startDate\":\"2026-11-01T00:00:00Z\"",
    "\"startDate\":\"2026-11-02T00:00:00Z\"", "value[2].lastRenewalDate" },
  { "term ends before renewal", "\"termEndDate\":\"2026-12-01T00:00:00Z\"",
    "\"termEndDate\":\"2026-10-01T00:00:00Z\"", "value[2].termEndDate" },
  { "price too high", "\"amount\":15900", "\"amount\":100000001", "value[2].unitPrice.amount" },
  { "bad currency", "\"currency\":\"DKK\"", "\"currency\":\"Kr\"",
    "value[2].unitPrice.currency" },
  { "unknown action", "\"allowedActions\":[\"changeRecurringBilling\"",
    "\"allowedActions\":[\"fly\"", "value[2].allowedActions[0]" },
  { "action twice", "\"allowedActions\":[\"changeRecurringBilling\"",
    "\"allowedActions\":[\"delete\"", "value[2].allowedActions[2]" },
  { "allowed and blocked", "\"allowedActions\":[\"changeRecurringBilling\"",
    "\"allowedActions\":[\"reactivate\"", "value[2].actionBlockers.reactivate" },
  { "blocked without a blocker", "\"cancel\":\"cancellationWindowClosed\",", "",
    "value[2].actionBlockers" },
  { "etag with a quote inside", "\"etag\":\"\\\"", "\"etag\":\"\\\"a\\\"b", "value[2].etag" },
  { "a blocker that cannot stop the action", "\"reactivate\":\"invalidState\"",
    "\"reactivate\":\"quantityLocked\"", "value[2].actionBlockers.reactivate" },
  { "licensesAssigned stops no action", "\"cancel\":\"cancellationWindowClosed\"",
    "\"cancel\":\"licensesAssigned\"", "value[2].actionBlockers.cancel" },
  { "unknown blocker", "\"cancellationWindowClosed\"", "\"tooLate\"",
    "value[2].actionBlockers.cancel" },
  { "etag not quoted", "\"etag\":\"\\\"", "\"etag\":\"", "value[2].etag" },
  { "billing profile empty", "\"billingProfileId\":\"bp1\"", "\"billingProfileId\":\"\"",
    "value[2].billingProfileId" },
  { "window end a number", "\"cancellationWindowEnd\":\"2026-11-08T00:00:00Z\"",
    "\"cancellationWindowEnd\":1793836800", "value[2].cancellationWindowEnd" },
  /* Found by the parser, whose paths start at the document's root. */
  { "duplicate key", "\"quantity\":10", "\"quantity\":10,\"quantity\":11", "quantity" },
};

static void
test_api_malformed (gconstpointer test_data)
{
  const ApiEdit *row = test_data;
  g_autoptr(BdSubscriptionData) data = annotated_subscription ();
  g_autofree char *valid = write_json (data, BD_SUBSCRIPTION_JSON_API);
  g_autoptr(GString) text = g_string_new (valid);
  g_autoptr(BdSubscriptionData) read = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", row->what);
  g_assert_nonnull (strstr (text->str, row->from));
  g_string_replace (text, row->from, row->to, 1);

  read = read_json (text->str, BD_SUBSCRIPTION_JSON_API, &error);
  g_assert_null (read);
  bd_test_assert_error (error, row->path);
}

typedef struct
{
  const char *what;
  const char *json;
  const char *path;
} TenantFileCase;

#define TENANT_SUBSCRIPTION(status, dates) \
  "{\"id\":\"s1\",\"productName\":\"P\",\"status\":\"" status "\",\"quantity\":1," \
  "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":1,\"currency\":\"DKK\"}," dates "}"

static const TenantFileCase tenant_file_malformed[] = {
  { "expired while its term still runs",
    TENANT_SUBSCRIPTION ("expired", "\"startDate\":\"now-10d\",\"lastRenewalDate\":\"now-10d\","
                         "\"termEndDate\":\"now+20d\",\"statusChangedDate\":\"now-1d\""),
    "value[2].termEndDate" },
  { "disabled before its term ended",
    TENANT_SUBSCRIPTION ("disabled", "\"startDate\":\"now-50d\",\"lastRenewalDate\":\"now-50d\","
                         "\"termEndDate\":\"now-20d\",\"statusChangedDate\":\"now-21d\""),
    "value[2].termEndDate" },
  { "status changed before the start",
    TENANT_SUBSCRIPTION ("deleted", "\"startDate\":\"now-10d\",\"lastRenewalDate\":\"now-10d\","
                         "\"termEndDate\":\"now+20d\",\"statusChangedDate\":\"now-11d\""),
    "value[2].statusChangedDate" },
  { "disabled, term ends before its renewal",
    TENANT_SUBSCRIPTION ("disabled", "\"startDate\":\"now-10d\",\"lastRenewalDate\":\"now-10d\","
                         "\"termEndDate\":\"now-11d\",\"statusChangedDate\":\"now-1d\""),
    "value[2].termEndDate" },
  { "API key in a tenant file",
    "{\"id\":\"s1\",\"productName\":\"P\",\"status\":\"active\",\"quantity\":1,"
    "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":1,\"currency\":\"DKK\"},"
    "\"startDate\":\"now\",\"lastRenewalDate\":\"now\",\"termEndDate\":\"now+30d\","
    "\"etag\":\"\\\"x\\\"\"}", "value[2].etag" },
  { "renewal in the future",
    "{\"id\":\"s1\",\"productName\":\"P\",\"status\":\"active\",\"quantity\":1,"
    "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":1,\"currency\":\"DKK\"},"
    "\"startDate\":\"now\",\"lastRenewalDate\":\"now+1m\",\"termEndDate\":\"now+30d\"}",
    "value[2].lastRenewalDate" },
  { "zero-length term",
    "{\"id\":\"s1\",\"productName\":\"P\",\"status\":\"active\",\"quantity\":1,"
    "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":1,\"currency\":\"DKK\"},"
    "\"startDate\":\"now\",\"lastRenewalDate\":\"now\",\"termEndDate\":\"now\"}",
    "value[2].termEndDate" },
  { "missing unitPrice",
    "{\"id\":\"s1\",\"productName\":\"P\",\"status\":\"active\",\"quantity\":1,"
    "\"billingFrequency\":\"monthly\","
    "\"startDate\":\"now\",\"lastRenewalDate\":\"now\",\"termEndDate\":\"now+30d\"}",
    "value[2].unitPrice" },
  { "unknown frequency",
    "{\"id\":\"s1\",\"productName\":\"P\",\"status\":\"active\",\"quantity\":1,"
    "\"billingFrequency\":\"weekly\",\"unitPrice\":{\"amount\":1,\"currency\":\"DKK\"},"
    "\"startDate\":\"now\",\"lastRenewalDate\":\"now\",\"termEndDate\":\"now+30d\"}",
    "value[2].billingFrequency" },
  { "not an object", "[1, 2]", "value[2]" },
};

static void
test_tenant_file_malformed (gconstpointer test_data)
{
  const TenantFileCase *row = test_data;
  g_autoptr(BdSubscriptionData) read = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", row->what);
  read = read_json (row->json, BD_SUBSCRIPTION_JSON_TENANT_FILE, &error);
  g_assert_null (read);
  bd_test_assert_error (error, row->path);
}

/* What the lifecycle produces reads back: a cancel at the very second of a
 * renewal leaves a disabled subscription with a term of no length.
 */
static void
test_tenant_file_cancelled_at_renewal (void)
{
  static const char *text =
    TENANT_SUBSCRIPTION ("disabled", "\"startDate\":\"now-10d\",\"lastRenewalDate\":\"now-10d\","
                         "\"termEndDate\":\"now-10d\",\"statusChangedDate\":\"now-10d\"");
  g_autoptr(BdSubscriptionData) read = NULL;
  g_autoptr(GError) error = NULL;

  read = read_json (text, BD_SUBSCRIPTION_JSON_TENANT_FILE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read->status, ==, BD_STATUS_DISABLED);
  g_assert_cmpint (read->term_end_date, ==, read->last_renewal_date);
}

/* The list's text writer gives the very bytes of the JsonBuilder path. */
static void
test_append_api_json (void)
{
  static const char * const names[] = {
    "Microsoft 365 Business Premium", "Quote \" and \\ backslash", "Dansk: æøå – “ok”",
    "Tab\tnewline\ncontrol\x01", "Emoji 😀",
  };
  BdRuleContext contexts[] = {
    { .roles = BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN), .now = bd_test_time ("2026-11-03T00:00:00Z") },
    { .roles = BD_ROLE_MASK (BD_ROLE_GLOBAL_READER), .now = bd_test_time ("2026-11-03T00:00:00Z") },
    { .roles = BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN), .now = bd_test_time ("2027-06-01T00:00:00Z") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (contexts); j++)
        {
          g_autoptr(BdSubscriptionData) data = annotated_subscription ();
          g_autoptr(GString) text = g_string_new (NULL);
          g_autofree char *expected = NULL;

          g_free (data->product_name);
          data->product_name = g_strdup (names[i]);
          if (j == 2)
            {
              g_clear_pointer (&data->billing_profile_id, g_free);
              data->recurring_billing = BD_RECURRING_BILLING_OFF;
            }
          bd_lifecycle_derive (data, contexts[j].now);
          bd_rules_annotate (data, &contexts[j]);

          expected = write_json (data, BD_SUBSCRIPTION_JSON_API);
          bd_subscription_data_append_api_json (data, text);
          g_assert_cmpstr (text->str, ==, expected);
        }
    }
}

/* The ETag as it was first defined: SHA-256 of a canonical form written
 * with printf. The service writes it without printf now; ETags must not
 * change with that (a client's If-Match from before still matches).
 */
static char *
etag_by_printf (const BdSubscriptionData *data)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *canonical = NULL;

  canonical = g_strdup_printf ("v1|%zu:%s|%zu:%s|%d|%d|%d|%u|%u|%zu:%s|%d|%" G_GINT64_FORMAT
                               "|%s|%d|%d|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                               "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT,
                               strlen (data->id), data->id,
                               strlen (data->product_name), data->product_name,
                               data->status, data->is_trial, data->is_domain_subscription,
                               data->quantity, data->assigned_licenses,
                               data->billing_profile_id ? strlen (data->billing_profile_id) : 0,
                               data->billing_profile_id ? data->billing_profile_id : "-",
                               data->billing_frequency, data->unit_price.amount,
                               data->unit_price.currency, data->recurring_billing,
                               data->purchase_channel, data->start_date,
                               data->last_renewal_date, data->term_end_date,
                               data->status_changed_date);
  g_checksum_update (checksum, (const guchar *) canonical, -1);
  return g_strdup_printf ("\"%.32s\"", g_checksum_get_string (checksum));
}

static void
test_etag (void)
{
  static const char * const names[] = { "Office 365 E3", "Dansk: æøå – “ok”", "" };
  static const gint64 times[] = { BD_TIME_MIN, -1, 0, 1796342400, BD_TIME_MAX };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (times); j++)
        {
          g_autoptr(BdSubscriptionData) data = annotated_subscription ();
          g_autofree char *expected = NULL;
          g_autofree char *etag = NULL;

          g_free (data->product_name);
          data->product_name = g_strdup (names[i]);
          data->start_date = times[j];
          data->status_changed_date = -times[j] / 2;
          data->quantity = G_MAXUINT - j;
          data->unit_price.amount = j % 2 == 0 ? G_MININT64 + j : G_MAXINT64 - j;
          if (j == 1)
            g_clear_pointer (&data->billing_profile_id, g_free);

          expected = etag_by_printf (data);
          etag = bd_subscription_data_compute_etag (data);
          g_assert_cmpstr (etag, ==, expected);
        }
    }
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              GPtrArray  *names)
{
  g_ptr_array_add (names, g_strdup (pspec->name));
}

/* Rows bind to the properties; an update notifies exactly what changed. */
static void
test_object (void)
{
  g_autoptr(BdSubscriptionData) data = annotated_subscription ();
  g_autoptr(BdSubscriptionData) cancelled = NULL;
  g_autoptr(BdSubscription) subscription = bd_subscription_new (data);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  BdRuleContext ctx = { .roles = BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN),
                        .now = bd_test_time (NOW) };
  g_autofree char *product = NULL;
  BdStatus status;
  guint quantity;

  g_object_get (subscription, "product-name", &product, "status", &status, "quantity", &quantity,
                NULL);
  g_assert_cmpstr (product, ==, "Microsoft 365 Business Premium");
  g_assert_cmpint (status, ==, BD_STATUS_ACTIVE);
  g_assert_cmpuint (quantity, ==, 10);
  g_assert_false (bd_subscription_is_action_allowed (subscription, BD_ACTION_CANCEL));
  g_assert_cmpint (bd_subscription_get_action_blocker (subscription, BD_ACTION_CANCEL), ==,
                   BD_BLOCKER_CANCELLATION_WINDOW_CLOSED);

  g_signal_connect (subscription, "notify", G_CALLBACK (on_notify_cb), names);

  /* The same state again: no notification. */
  bd_subscription_update (subscription, data);
  g_assert_cmpuint (names->len, ==, 0);

  cancelled = bd_subscription_data_copy (data);
  bd_lifecycle_cancel (cancelled, ctx.now);
  bd_rules_annotate (cancelled, &ctx);
  bd_subscription_update (subscription, cancelled);

  g_assert_true (g_ptr_array_find_with_equal_func (names, "status", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, "term-end-date", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, "etag", g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (names, "product-name", g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (names, "quantity", g_str_equal, NULL));
  g_assert_cmpint (bd_subscription_get_status (subscription), ==, BD_STATUS_DISABLED);

  g_signal_handlers_disconnect_by_func (subscription, on_notify_cb, names);
  g_assert_finalize_object (g_steal_pointer (&subscription));
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

  g_test_add_func ("/subscription/api-round-trip", test_api_round_trip);
  g_test_add_func ("/subscription/tenant-file-defaults", test_tenant_file_defaults);
  bd_test_add_table ("/subscription/api-malformed", api_malformed, sizeof api_malformed[0],
                     G_N_ELEMENTS (api_malformed), test_api_malformed);
  for (guint i = 0; i < G_N_ELEMENTS (tenant_file_malformed); i++)
    bd_test_add_row (paths, "/subscription/tenant-file-malformed", tenant_file_malformed[i].what,
                     &tenant_file_malformed[i], test_tenant_file_malformed);
  g_test_add_func ("/subscription/tenant-file-cancelled-at-renewal",
                   test_tenant_file_cancelled_at_renewal);
  g_test_add_func ("/subscription/object", test_object);
  g_test_add_func ("/subscription/append-api-json", test_append_api_json);
  g_test_add_func ("/subscription/etag", test_etag);

  return g_test_run ();
}
