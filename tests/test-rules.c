/* test-rules.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-test-utils.h"

typedef enum
{
  NO_PROFILE,
  INVOICE,
  CARD,
} Profile;

/* One subscription in one tenant, seen by one user at one moment. Zero
 * fields take the defaults: 10 licenses, monthly, direct, recurring billing
 * on, Active, no billing profile, renewed 2026-11-01, a Global admin, and
 * now = 2026-11-03T00:00:00Z.
 */
typedef struct
{
  const char         *what;
  Profile             profile;
  guint               quantity;
  guint               assigned;
  gboolean            trial;
  gboolean            domain_subscription;
  BdPurchaseChannel   channel;
  gboolean            custom_domain;
  const char         *roles;
  BdStatus            status;
  BdRecurringBilling  recurring;
  const char         *now;
  /* What must come out: the blockers in order, each "code:alternative,...". */
  const char         *blockers;
} Case;

#define RENEWED "2026-11-01T00:00:00Z"
#define TERM_END "2026-12-01T00:00:00Z"

static guint
parse_roles (const char *roles)
{
  g_auto(GStrv) words = g_strsplit (roles != NULL ? roles : "globalAdmin", ",", -1);
  guint mask = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      BdRole role;

      if (!bd_role_from_string (words[i], &role))
        g_error ("bad role in a test: %s", words[i]);
      mask |= BD_ROLE_MASK (role);
    }

  return mask;
}

static BdSubscriptionData *
make_subscription (const Case    *c,
                   BdRuleContext *ctx)
{
  BdSubscriptionData *data = bd_test_subscription (RENEWED, RENEWED, TERM_END);

  data->quantity = c->quantity != 0 ? c->quantity : 10;
  data->assigned_licenses = c->assigned;
  data->is_trial = c->trial;
  data->is_domain_subscription = c->domain_subscription;
  data->purchase_channel = c->channel;
  data->status = c->status;
  data->recurring_billing = c->recurring;
  if (c->profile != NO_PROFILE)
    data->billing_profile_id = g_strdup ("bp1");

  ctx->roles = parse_roles (c->roles);
  ctx->paid_by_invoice = c->profile == INVOICE;
  ctx->custom_domain_attached = c->custom_domain;
  ctx->now = bd_test_time (c->now != NULL ? c->now : "2026-11-03T00:00:00Z");

  return data;
}

static char *
render_blockers (BdCancellation *cancellation)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < bd_cancellation_get_n_blockers (cancellation); i++)
    {
      const BdAlternative *alternatives;
      guint n;

      alternatives = bd_cancellation_get_alternatives (cancellation, i, &n);
      if (i > 0)
        g_string_append (out, " ");
      g_string_append_printf (out, "%s:",
                              bd_blocker_to_string (bd_cancellation_get_blocker (cancellation, i)));
      for (guint j = 0; j < n; j++)
        g_string_append_printf (out, "%s%s", j > 0 ? "," : "",
                                bd_alternative_to_string (alternatives[j]));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const Case cancel_cases[] = {
  /* Rule 2: the 7-day window with a billing profile, 168 hours exactly. */
  { "rule 2: profile, just renewed", .profile = INVOICE, .now = RENEWED, .blockers = "" },
  { "rule 2: profile, 167h59m59s after renewal", .profile = INVOICE,
    .now = "2026-11-07T23:59:59Z", .blockers = "" },
  { "rule 2: profile, 168h after renewal", .profile = INVOICE, .now = "2026-11-08T00:00:00Z",
    .blockers = "cancellationWindowClosed:turnOffRecurringBilling" },
  { "rule 2: profile, window closed, recurring billing already off", .profile = INVOICE,
    .recurring = BD_RECURRING_BILLING_OFF, .now = "2026-11-20T00:00:00Z",
    .blockers = "cancellationWindowClosed:" },
  { "rule 2: profile, 30 licenses inside the window", .profile = CARD, .quantity = 30,
    .blockers = "" },

  /* Rule 3: without a billing profile, 25 licenses or fewer. */
  { "rule 3: no profile, 25 licenses", .quantity = 25, .now = "2026-11-29T00:00:00Z",
    .blockers = "" },
  { "rule 3: no profile, 26 licenses", .quantity = 26, .assigned = 20,
    .blockers = "tooManyLicenses:reduceLicenses,turnOffRecurringBilling,contactSupport" },
  { "rule 3: 26 licenses, 25 assigned: can still reduce", .quantity = 26, .assigned = 25,
    .blockers = "tooManyLicenses:reduceLicenses,turnOffRecurringBilling,contactSupport" },
  { "rule 3: 30 licenses, 26 assigned: unassign first", .quantity = 30, .assigned = 26,
    .blockers = "tooManyLicenses:turnOffRecurringBilling,contactSupport" },
  { "rule 3: 30 licenses, recurring billing off", .quantity = 30,
    .recurring = BD_RECURRING_BILLING_OFF,
    .blockers = "tooManyLicenses:reduceLicenses,contactSupport" },
  { "rule 3: no profile, any time in the term", .quantity = 10, .now = "2026-11-30T23:59:59Z",
    .blockers = "" },

  /* Rule 5. */
  { "rule 5: custom domain attached", .custom_domain = TRUE,
    .blockers = "customDomainAttached:removeDomain" },
  { "rule 5: domain subscription", .domain_subscription = TRUE,
    .blockers = "domainSubscription:turnOffRecurringBilling" },
  { "rule 5: reseller", .channel = BD_PURCHASE_CHANNEL_RESELLER,
    .blockers = "purchasedThroughPartner:contactSeller" },
  { "rule 5: prepaid can be cancelled", .channel = BD_PURCHASE_CHANNEL_PREPAID, .blockers = "" },

  /* Rule 6: trials any time, no window, no 25-license limit. */
  { "rule 6: trial outside the window", .profile = INVOICE, .trial = TRUE,
    .now = "2026-11-20T00:00:00Z", .blockers = "" },
  { "rule 6: trial with 30 licenses and no profile", .trial = TRUE, .quantity = 30,
    .blockers = "" },
  { "rule 6: trial still needs the other rules", .trial = TRUE,
    .channel = BD_PURCHASE_CHANNEL_RESELLER, .blockers = "purchasedThroughPartner:contactSeller" },

  /* Rule 7: the order, and only the state blockers when not Active. */
  { "rule 7: every Active blocker, in order", .profile = INVOICE, .domain_subscription = TRUE,
    .channel = BD_PURCHASE_CHANNEL_RESELLER, .custom_domain = TRUE,
    .now = "2026-11-09T00:00:00Z",
    .blockers = "domainSubscription:turnOffRecurringBilling "
                "purchasedThroughPartner:contactSeller customDomainAttached:removeDomain "
                "cancellationWindowClosed:turnOffRecurringBilling" },
  { "rule 7: reseller with 30 licenses", .channel = BD_PURCHASE_CHANNEL_RESELLER, .quantity = 30,
    .blockers = "purchasedThroughPartner:contactSeller "
                "tooManyLicenses:turnOffRecurringBilling,contactSupport" },
  { "rule 3: prepaid with 30 licenses cannot reduce them", .channel = BD_PURCHASE_CHANNEL_PREPAID,
    .quantity = 30, .blockers = "tooManyLicenses:turnOffRecurringBilling,contactSupport" },
  { "rule 7: expired", .status = BD_STATUS_EXPIRED, .recurring = BD_RECURRING_BILLING_OFF,
    .channel = BD_PURCHASE_CHANNEL_RESELLER, .blockers = "notActive:reactivate" },
  { "rule 7: disabled", .status = BD_STATUS_DISABLED, .recurring = BD_RECURRING_BILLING_OFF,
    .quantity = 30, .blockers = "notActive:reactivate" },
  { "rule 7: deleted", .status = BD_STATUS_DELETED, .recurring = BD_RECURRING_BILLING_OFF,
    .blockers = "invalidState:" },

  /* Rule 1: roles. */
  { "rule 1: billing admin", .roles = "billingAdmin", .blockers = "" },
  { "rule 1: global admin", .roles = "globalAdmin", .blockers = "" },
  { "rule 1: global reader", .roles = "globalReader", .blockers = "insufficientRole:" },
  { "rule 1: user", .roles = "user", .blockers = "insufficientRole:" },
  { "rule 1: reader and billing admin", .roles = "globalReader,billingAdmin", .blockers = "" },
  { "rule 1: reader sees what an admin would", .roles = "globalReader", .profile = INVOICE,
    .now = "2026-11-10T00:00:00Z",
    .blockers = "insufficientRole: cancellationWindowClosed:turnOffRecurringBilling" },
  { "rule 1: reader, deleted", .roles = "user", .status = BD_STATUS_DELETED,
    .blockers = "insufficientRole: invalidState:" },
  { "rule 1: reader, expired", .roles = "globalReader", .status = BD_STATUS_EXPIRED,
    .blockers = "insufficientRole: notActive:reactivate" },
};

static void
test_cancel_blockers (gconstpointer user_data)
{
  const Case *c = user_data;
  BdRuleContext ctx;
  g_autoptr(BdSubscriptionData) data = make_subscription (c, &ctx);
  g_autoptr(BdCancellation) cancellation = bd_cancellation_evaluate (data, &ctx);
  g_autofree char *rendered = render_blockers (cancellation);
  BdBlocker first = bd_rules_first_blocker (data, &ctx, BD_ACTION_CANCEL);
  BdMoney refund;

  g_assert_cmpstr (rendered, ==, c->blockers);
  g_assert_cmpint (bd_cancellation_get_allowed (cancellation), ==, *c->blockers == '\0');

  /* A refused cancel answers with the first blocker. */
  if (*c->blockers == '\0')
    g_assert_cmpint (first, ==, BD_BLOCKER_NONE);
  else
    g_assert_cmpint (first, ==, bd_cancellation_get_blocker (cancellation, 0));

  /* A refund only for an allowed cancel, never for a trial (rule 6). */
  g_assert_cmpint (bd_cancellation_get_refund (cancellation, &refund, NULL), ==,
                   *c->blockers == '\0' && !c->trial);

  /* The window end whenever there is a billing profile. */
  if (c->profile == NO_PROFILE)
    g_assert_cmpint (bd_cancellation_get_window_end (cancellation), ==, BD_TIME_NONE);
  else
    bd_assert_time_eq (bd_cancellation_get_window_end (cancellation), "2026-11-08T00:00:00Z");
}

/* Rule 4, with the worked example (docs/design.md section 3) and Microsoft's. */
typedef struct
{
  const char     *what;
  Profile         profile;
  const char     *roles;
  gint64          unit;
  guint           quantity;
  const char     *renewed;
  const char     *term_end;
  const char     *now;
  gint64          amount;  /* -1: none */
  BdRefundMethod  method;
} RefundCase;

static const RefundCase refund_cases[] = {
  { "s1 on 2026-11-03, invoice", INVOICE, NULL, 15900, 10, RENEWED, TERM_END,
    "2026-11-03T00:00:00Z", 148400, BD_REFUND_METHOD_CREDIT_NEXT_INVOICE },
  { "s1 paid by card", CARD, NULL, 15900, 10, RENEWED, TERM_END, "2026-11-03T00:00:00Z",
    148400, BD_REFUND_METHOD_REFUND_NEXT_CYCLE },
  { "no billing profile", NO_PROFILE, NULL, 15900, 10, RENEWED, TERM_END,
    "2026-11-20T00:00:00Z", 58300, BD_REFUND_METHOD_REFUND_NEXT_CYCLE },
  { "Microsoft: $20, 2 days into a 28-day month", INVOICE, NULL, 2000, 1,
    "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-02-03T00:00:00Z", 1857,
    BD_REFUND_METHOD_CREDIT_NEXT_INVOICE },
  { "one second later, still 1857", NO_PROFILE, NULL, 2000, 1, "2026-02-01T00:00:00Z",
    "2026-03-01T00:00:00Z", "2026-02-03T00:00:01Z", 1857, BD_REFUND_METHOD_REFUND_NEXT_CYCLE },
  { "reader: no refund", INVOICE, "globalReader", 15900, 10, RENEWED, TERM_END,
    "2026-11-03T00:00:00Z", -1, 0 },
  { "window closed: no refund", INVOICE, NULL, 15900, 10, RENEWED, TERM_END,
    "2026-11-08T00:00:00Z", -1, 0 },
};

static void
test_refund (gconstpointer user_data)
{
  const RefundCase *c = user_data;
  g_autoptr(BdSubscriptionData) data = bd_test_subscription (c->renewed, c->renewed, c->term_end);
  BdRuleContext ctx = {
    .roles = parse_roles (c->roles),
    .paid_by_invoice = c->profile == INVOICE,
    .now = bd_test_time (c->now),
  };
  BdRefundMethod method = 99;
  BdMoney amount = { 0 };

  data->unit_price.amount = c->unit;
  data->quantity = c->quantity;
  if (c->profile != NO_PROFILE)
    data->billing_profile_id = g_strdup ("bp1");

  if (c->amount < 0)
    {
      g_assert_false (bd_rules_refund (data, &ctx, &amount, &method));
    }
  else
    {
      g_assert_true (bd_rules_refund (data, &ctx, &amount, &method));
      g_assert_cmpint (amount.amount, ==, c->amount);
      g_assert_cmpstr (amount.currency, ==, "DKK");
      g_assert_cmpint (method, ==, c->method);
    }
}

/* allowedActions and actionBlockers (docs/design.md section 3), rules 12-15. */
typedef struct
{
  Case        c;
  /* cancel, changeRecurringBilling, changeQuantity, reactivate, delete: "" if allowed */
  const char *expected[BD_N_ACTIONS];
} ActionsCase;

static const ActionsCase actions_cases[] = {
  { { "admin, active, direct" },
    { "", "", "", "invalidState", "" } },
  { { "billing admin, window closed", .roles = "billingAdmin", .profile = INVOICE,
      .now = "2026-11-10T00:00:00Z" },
    { "cancellationWindowClosed", "", "", "invalidState", "" } },
  { { "global reader", .roles = "globalReader" },
    { "insufficientRole", "insufficientRole", "insufficientRole", "insufficientRole",
      "insufficientRole" } },
  { { "user, expired", .roles = "user", .status = BD_STATUS_EXPIRED },
    { "insufficientRole", "insufficientRole", "insufficientRole", "insufficientRole",
      "insufficientRole" } },
  { { "expired", .status = BD_STATUS_EXPIRED, .recurring = BD_RECURRING_BILLING_OFF },
    { "notActive", "notActive", "notActive", "", "" } },
  { { "disabled", .status = BD_STATUS_DISABLED, .recurring = BD_RECURRING_BILLING_OFF },
    { "notActive", "notActive", "notActive", "", "" } },
  { { "deleted", .status = BD_STATUS_DELETED, .recurring = BD_RECURRING_BILLING_OFF },
    { "invalidState", "invalidState", "invalidState", "invalidState", "invalidState" } },
  { { "trial", .trial = TRUE },
    { "", "", "quantityLocked", "invalidState", "" } },
  { { "prepaid", .channel = BD_PURCHASE_CHANNEL_PREPAID },
    { "", "", "quantityLocked", "invalidState", "" } },
  { { "reseller", .channel = BD_PURCHASE_CHANNEL_RESELLER },
    { "purchasedThroughPartner", "", "quantityLocked", "invalidState", "" } },
  { { "domain subscription", .domain_subscription = TRUE },
    { "domainSubscription", "", "", "invalidState", "" } },
  { { "too many licenses", .quantity = 26 },
    { "tooManyLicenses", "", "", "invalidState", "" } },
};

static void
test_allowed_actions (gconstpointer user_data)
{
  const ActionsCase *c = user_data;
  BdRuleContext ctx;
  g_autoptr(BdSubscriptionData) data = make_subscription (&c->c, &ctx);

  bd_rules_annotate (data, &ctx);

  for (guint action = 0; action < BD_N_ACTIONS; action++)
    {
      const char *blocker = bd_blocker_to_string (data->action_blockers[action]);
      gboolean allowed = (data->allowed_actions & BD_ACTION_MASK (action)) != 0;

      g_test_message ("%s", bd_action_to_string (action));
      g_assert_cmpstr (blocker != NULL ? blocker : "", ==, c->expected[action]);
      g_assert_cmpint (allowed, ==, *c->expected[action] == '\0');
    }
}

/* Rule 14 for one request. */
static void
test_quantity (void)
{
  static const struct {
    const char *what;
    BdPurchaseChannel channel;
    gboolean trial;
    BdStatus status;
    guint assigned;
    gint64 quantity;
    BdBlocker expected;
  } cases[] = {
    { "more", BD_PURCHASE_CHANNEL_DIRECT, FALSE, BD_STATUS_ACTIVE, 8, 30, BD_BLOCKER_NONE },
    { "down to the assigned", BD_PURCHASE_CHANNEL_DIRECT, FALSE, BD_STATUS_ACTIVE, 8, 8,
      BD_BLOCKER_NONE },
    { "below the assigned", BD_PURCHASE_CHANNEL_DIRECT, FALSE, BD_STATUS_ACTIVE, 8, 7,
      BD_BLOCKER_LICENSES_ASSIGNED },
    { "trial", BD_PURCHASE_CHANNEL_DIRECT, TRUE, BD_STATUS_ACTIVE, 0, 5,
      BD_BLOCKER_QUANTITY_LOCKED },
    { "prepaid", BD_PURCHASE_CHANNEL_PREPAID, FALSE, BD_STATUS_ACTIVE, 0, 5,
      BD_BLOCKER_QUANTITY_LOCKED },
    { "reseller", BD_PURCHASE_CHANNEL_RESELLER, FALSE, BD_STATUS_ACTIVE, 0, 5,
      BD_BLOCKER_QUANTITY_LOCKED },
    { "expired", BD_PURCHASE_CHANNEL_DIRECT, FALSE, BD_STATUS_EXPIRED, 0, 5,
      BD_BLOCKER_NOT_ACTIVE },
    { "deleted", BD_PURCHASE_CHANNEL_DIRECT, FALSE, BD_STATUS_DELETED, 0, 5,
      BD_BLOCKER_INVALID_STATE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BdSubscriptionData) data = bd_test_subscription (RENEWED, RENEWED, TERM_END);
      BdRuleContext ctx = { .roles = BD_ROLE_MASK (BD_ROLE_BILLING_ADMIN) };

      g_test_message ("%s", cases[i].what);
      data->purchase_channel = cases[i].channel;
      data->is_trial = cases[i].trial;
      data->status = cases[i].status;
      data->assigned_licenses = cases[i].assigned;
      g_assert_cmpint (bd_rules_check_quantity (data, &ctx, cases[i].quantity), ==,
                       cases[i].expected);
    }
}

/* Rule 8. */
static void
test_feedback (void)
{
  g_autofree char *max_ascii = g_strnfill (2000, 'x');
  g_autofree char *over_ascii = g_strnfill (2001, 'x');
  g_autoptr(GString) max_danish = g_string_new (NULL);
  g_autoptr(GString) over_danish = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append (max_danish, "æ");
  over_danish = g_string_new (max_danish->str);
  g_string_append (over_danish, "ø");

  g_assert_true (bd_rules_feedback_is_valid (BD_CANCEL_REASON_TOO_EXPENSIVE, NULL));
  g_assert_true (bd_rules_feedback_is_valid (BD_CANCEL_REASON_TOO_EXPENSIVE, ""));
  g_assert_true (bd_rules_feedback_is_valid (BD_CANCEL_REASON_TOO_EXPENSIVE, "  "));
  g_assert_false (bd_rules_feedback_is_valid (BD_CANCEL_REASON_OTHER, NULL));
  g_assert_false (bd_rules_feedback_is_valid (BD_CANCEL_REASON_OTHER, ""));
  g_assert_false (bd_rules_feedback_is_valid (BD_CANCEL_REASON_OTHER, " \t\r\n"));
  g_assert_false (bd_rules_feedback_is_valid (BD_CANCEL_REASON_OTHER, "\u3000\u2028\u00a0"));
  g_assert_false (bd_rules_feedback_is_valid (BD_CANCEL_REASON_OTHER, "\v\xc2\x85\u1680\u202f"));
  g_assert_true (bd_rules_feedback_is_valid (BD_CANCEL_REASON_OTHER, "\u200b"));
  g_assert_true (bd_rules_feedback_is_valid (BD_CANCEL_REASON_OTHER, " Vi flytter \u3000"));
  g_assert_true (bd_rules_feedback_is_valid (BD_CANCEL_REASON_OTHER, max_ascii));
  g_assert_false (bd_rules_feedback_is_valid (BD_CANCEL_REASON_NO_LONGER_NEEDED, over_ascii));
  g_assert_true (bd_rules_feedback_is_valid (BD_CANCEL_REASON_OTHER, max_danish->str));
  g_assert_false (bd_rules_feedback_is_valid (BD_CANCEL_REASON_OTHER, over_danish->str));
  g_assert_false (bd_rules_feedback_is_valid (BD_CANCEL_REASON_TOO_EXPENSIVE, "\xff\xfe"));
}

/* ETags: the same for every user, changed by any change of state (derived too). */
static void
test_etag (void)
{
  g_autoptr(BdSubscriptionData) data = bd_test_subscription (RENEWED, RENEWED, TERM_END);
  g_autoptr(BdSubscriptionData) other = NULL;
  BdRuleContext admin = { .roles = BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN),
                          .now = bd_test_time ("2026-11-03T00:00:00Z") };
  BdRuleContext reader = { .roles = BD_ROLE_MASK (BD_ROLE_GLOBAL_READER),
                           .now = bd_test_time ("2026-11-03T00:00:00Z") };
  g_autofree char *first = NULL;

  bd_rules_annotate (data, &admin);
  first = g_strdup (data->etag);
  g_assert_true (g_str_has_prefix (first, "\"") && g_str_has_suffix (first, "\""));
  g_assert_cmpuint (strlen (first), ==, 34);

  bd_rules_annotate (data, &reader);
  g_assert_cmpstr (data->etag, ==, first);
  g_assert_cmpuint (data->allowed_actions, ==, 0);

  other = bd_subscription_data_copy (data);
  other->quantity = 11;
  bd_rules_annotate (other, &admin);
  g_assert_cmpstr (other->etag, !=, first);

  g_clear_pointer (&other, bd_subscription_data_free);
  other = bd_subscription_data_copy (data);
  bd_lifecycle_derive (other, bd_test_time (TERM_END));  /* a renewal */
  bd_rules_annotate (other, &admin);
  g_assert_cmpstr (other->etag, !=, first);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  bd_test_add_table ("/rules/cancel", cancel_cases, sizeof cancel_cases[0],
             G_N_ELEMENTS (cancel_cases), test_cancel_blockers);
  bd_test_add_table ("/rules/refund", refund_cases, sizeof refund_cases[0],
             G_N_ELEMENTS (refund_cases), test_refund);
  bd_test_add_table ("/rules/allowed-actions", actions_cases, sizeof actions_cases[0],
             G_N_ELEMENTS (actions_cases), test_allowed_actions);
  g_test_add_func ("/rules/quantity", test_quantity);
  g_test_add_func ("/rules/feedback", test_feedback);
  g_test_add_func ("/rules/etag", test_etag);

  return g_test_run ();
}
