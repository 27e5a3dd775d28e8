/* test-cancellation.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-test-utils.h"

#include <string.h>

/* The cancellation answer, GET /v1/subscriptions/{id}/cancellation
 * (docs/api.md, "Cancellation answer"): evaluated, written, read back.
 */

#define RENEWED  "2026-11-01T00:00:00Z"
#define TERM_END "2026-12-01T00:00:00Z"
#define NOW      "2026-11-03T00:00:00Z"

#define REASONS \
  "\"tooExpensive\",\"noLongerNeeded\",\"switchingToOtherMicrosoftProduct\"," \
  "\"switchingToCompetitor\",\"missingFeatures\",\"tooDifficult\"," \
  "\"temporaryProjectEnded\",\"other\""

#define RETENTION \
  "\"dataRetention\":{\"deletableFrom\":\"2026-12-03T00:00:00Z\"," \
  "\"deletedBy\":\"2027-05-02T00:00:00Z\"}"

/* The worked example's answer for s1 at 2026-11-03T00:00:00Z, exactly
 * (docs/design.md section 3).
 */
#define ALLOWED_ANSWER \
  "{\"allowed\":true,\"windowEnd\":\"2026-11-08T00:00:00Z\"," \
  "\"refund\":{\"amount\":148400,\"currency\":\"DKK\",\"method\":\"creditNextInvoice\"}," \
  "\"blockers\":[],\"reasons\":[" REASONS "]," RETENTION "}"

/* ... and its blocked shape: 30 licenses, no billing profile. */
#define TOO_MANY_LICENSES \
  "{\"code\":\"tooManyLicenses\"," \
  "\"alternatives\":[\"reduceLicenses\",\"turnOffRecurringBilling\",\"contactSupport\"]}"
#define BLOCKED_ANSWER \
  "{\"allowed\":false,\"windowEnd\":null,\"refund\":null," \
  "\"blockers\":[" TOO_MANY_LICENSES "],\"reasons\":[" REASONS "]," RETENTION "}"

static const char * const reason_words[] = {
  "tooExpensive", "noLongerNeeded", "switchingToOtherMicrosoftProduct", "switchingToCompetitor",
  "missingFeatures", "tooDifficult", "temporaryProjectEnded", "other",
};

typedef enum
{
  NO_PROFILE,
  INVOICE,
  CARD,
} Profile;

/* One subscription seen by one user at one moment. Zero fields take the
 * defaults: bd_test_subscription ()'s s1 (10 licenses at 159.00 DKK,
 * monthly, renewed 2026-11-01), Active, a Global admin, now = NOW.
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
  BdRole              role;
  BdStatus            status;
  BdRecurringBilling  recurring;
  const char         *now;

  /* What must come out. */
  gboolean            allowed;
  const char         *window_end;  /* NULL: none */
  gint64              refund;      /* -1: none */
  BdRefundMethod      method;
  const char         *blockers;    /* "code:alternative,... code:..." */
  const char         *text;        /* NULL: not compared */
} Case;

static const Case cases[] = {
  { "the worked example's s1: invoice, inside the window", .profile = INVOICE,
    .allowed = TRUE, .window_end = "2026-11-08T00:00:00Z", .refund = 148400,
    .method = BD_REFUND_METHOD_CREDIT_NEXT_INVOICE, .blockers = "", .text = ALLOWED_ANSWER },
  { "the worked example's blocked shape: 30 licenses, no billing profile", .quantity = 30,
    .assigned = 20, .allowed = FALSE, .refund = -1,
    .blockers = "tooManyLicenses:reduceLicenses,turnOffRecurringBilling,contactSupport",
    .text = BLOCKED_ANSWER },
  { "card: refunded in the next cycle", .profile = CARD, .allowed = TRUE,
    .window_end = "2026-11-08T00:00:00Z", .refund = 148400,
    .method = BD_REFUND_METHOD_REFUND_NEXT_CYCLE, .blockers = "" },
  { "no billing profile, late in the term", .now = "2026-11-20T00:00:00Z", .allowed = TRUE,
    .refund = 58300, .method = BD_REFUND_METHOD_REFUND_NEXT_CYCLE, .blockers = "" },
  { "trial outside the window: allowed, no refund", .profile = INVOICE, .trial = TRUE,
    .now = "2026-11-20T00:00:00Z", .allowed = TRUE, .window_end = "2026-11-08T00:00:00Z",
    .refund = -1, .blockers = "" },
  { "reader, window closed", .profile = INVOICE, .role = BD_ROLE_GLOBAL_READER,
    .now = "2026-11-10T00:00:00Z", .allowed = FALSE, .window_end = "2026-11-08T00:00:00Z",
    .refund = -1,
    .blockers = "insufficientRole: cancellationWindowClosed:turnOffRecurringBilling" },
  { "every Active blocker, in order", .profile = INVOICE, .domain_subscription = TRUE,
    .channel = BD_PURCHASE_CHANNEL_RESELLER, .custom_domain = TRUE, .quantity = 30,
    .now = "2026-11-09T00:00:00Z", .allowed = FALSE, .window_end = "2026-11-08T00:00:00Z",
    .refund = -1,
    .blockers = "domainSubscription:turnOffRecurringBilling "
                "purchasedThroughPartner:contactSeller customDomainAttached:removeDomain "
                "cancellationWindowClosed:turnOffRecurringBilling" },
  { "expired", .status = BD_STATUS_EXPIRED, .recurring = BD_RECURRING_BILLING_OFF,
    .allowed = FALSE, .refund = -1, .blockers = "notActive:reactivate" },
  { "deleted", .status = BD_STATUS_DELETED, .recurring = BD_RECURRING_BILLING_OFF,
    .allowed = FALSE, .refund = -1, .blockers = "invalidState:" },
};

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

  /* BD_ROLE_GLOBAL_ADMIN is 0: the default. */
  ctx->roles = BD_ROLE_MASK (c->role);
  ctx->paid_by_invoice = c->profile == INVOICE;
  ctx->custom_domain_attached = c->custom_domain;
  ctx->now = bd_test_time (c->now != NULL ? c->now : NOW);

  return data;
}

static char *
render_blockers (BdCancellation *cancellation)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < bd_cancellation_get_n_blockers (cancellation); i++)
    {
      const BdAlternative *alternatives;
      guint n = 0;

      alternatives = bd_cancellation_get_alternatives (cancellation, i, &n);
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%s:",
                              bd_blocker_to_string (bd_cancellation_get_blocker (cancellation, i)));
      for (guint j = 0; j < n; j++)
        g_string_append_printf (out, "%s%s", j > 0 ? "," : "",
                                bd_alternative_to_string (alternatives[j]));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Every getter of @a and @b agrees. */
static void
assert_answers_equal (BdCancellation *a,
                      BdCancellation *b)
{
  BdMoney refund_a = { 0, }, refund_b = { 0, };
  BdRefundMethod method_a = 0, method_b = 0;
  const BdCancelReason *reasons_a, *reasons_b;
  guint n_reasons_a = 0, n_reasons_b = 0;
  gboolean has_a, has_b;

  g_assert_cmpint (bd_cancellation_get_allowed (a), ==, bd_cancellation_get_allowed (b));
  g_assert_cmpint (bd_cancellation_get_window_end (a), ==, bd_cancellation_get_window_end (b));

  has_a = bd_cancellation_get_refund (a, &refund_a, &method_a);
  has_b = bd_cancellation_get_refund (b, &refund_b, &method_b);
  g_assert_cmpint (has_a, ==, has_b);
  if (has_a)
    {
      g_assert_cmpint (refund_a.amount, ==, refund_b.amount);
      g_assert_cmpstr (refund_a.currency, ==, refund_b.currency);
      g_assert_cmpint (method_a, ==, method_b);
    }

  g_assert_cmpuint (bd_cancellation_get_n_blockers (a), ==, bd_cancellation_get_n_blockers (b));
  for (guint i = 0; i < bd_cancellation_get_n_blockers (a); i++)
    {
      const BdAlternative *alternatives_a, *alternatives_b;
      guint n_a = 0, n_b = 0;

      g_assert_cmpint (bd_cancellation_get_blocker (a, i), ==, bd_cancellation_get_blocker (b, i));
      alternatives_a = bd_cancellation_get_alternatives (a, i, &n_a);
      alternatives_b = bd_cancellation_get_alternatives (b, i, &n_b);
      g_assert_cmpuint (n_a, ==, n_b);
      for (guint j = 0; j < n_a; j++)
        g_assert_cmpint (alternatives_a[j], ==, alternatives_b[j]);
    }

  reasons_a = bd_cancellation_get_reasons (a, &n_reasons_a);
  reasons_b = bd_cancellation_get_reasons (b, &n_reasons_b);
  g_assert_cmpuint (n_reasons_a, ==, n_reasons_b);
  for (guint i = 0; i < n_reasons_a; i++)
    g_assert_cmpint (reasons_a[i], ==, reasons_b[i]);

  g_assert_cmpint (bd_cancellation_get_deletable_from (a), ==,
                   bd_cancellation_get_deletable_from (b));
  g_assert_cmpint (bd_cancellation_get_deleted_by (a), ==, bd_cancellation_get_deleted_by (b));
}

/* The evaluated answer is what the row says. */
static void
assert_expected (BdCancellation *answer,
                 const Case     *c,
                 gint64          now)
{
  g_autofree char *blockers = render_blockers (answer);
  const BdCancelReason *reasons;
  BdRefundMethod method = 0;
  BdMoney refund = { 0, };
  guint n_reasons = 0;

  g_assert_cmpint (bd_cancellation_get_allowed (answer), ==, c->allowed);
  if (c->window_end == NULL)
    g_assert_cmpint (bd_cancellation_get_window_end (answer), ==, BD_TIME_NONE);
  else
    bd_assert_time_eq (bd_cancellation_get_window_end (answer), c->window_end);

  if (c->refund < 0)
    {
      g_assert_false (bd_cancellation_get_refund (answer, &refund, &method));
    }
  else
    {
      g_assert_true (bd_cancellation_get_refund (answer, &refund, &method));
      g_assert_cmpint (refund.amount, ==, c->refund);
      g_assert_cmpstr (refund.currency, ==, "DKK");
      g_assert_cmpint (method, ==, c->method);
    }
  /* Both out arguments are optional. */
  g_assert_cmpint (bd_cancellation_get_refund (answer, NULL, NULL), ==, c->refund >= 0);

  g_assert_cmpstr (blockers, ==, c->blockers);

  /* Every reason, in rule 8's order. */
  reasons = bd_cancellation_get_reasons (answer, &n_reasons);
  g_assert_cmpuint (n_reasons, ==, G_N_ELEMENTS (reason_words));
  for (guint i = 0; i < n_reasons; i++)
    {
      g_assert_cmpint (reasons[i], ==, (BdCancelReason) i);
      g_assert_cmpstr (bd_cancel_reason_to_string (reasons[i]), ==, reason_words[i]);
    }

  /* Rule 9: 30 and 180 days from a cancel now. */
  g_assert_cmpint (bd_cancellation_get_deletable_from (answer), ==, now + 30 * BD_SECONDS_PER_DAY);
  g_assert_cmpint (bd_cancellation_get_deleted_by (answer), ==, now + 180 * BD_SECONDS_PER_DAY);
}

static BdCancellation *
read_answer (const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  BdCancellation *answer;

  node = bd_json_parse (text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  answer = bd_cancellation_new_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);

  return answer;
}

static void
test_round_trip (gconstpointer test_data)
{
  const Case *c = test_data;
  BdRuleContext ctx;
  g_autoptr(BdSubscriptionData) data = make_subscription (c, &ctx);
  g_autoptr(BdCancellation) evaluated = NULL;
  g_autoptr(BdCancellation) parsed = NULL;
  g_autoptr(BdCancellation) generated = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *generator_text = NULL;
  g_autofree char *text_again = NULL;

  g_test_message ("%s", c->what);

  evaluated = bd_cancellation_evaluate (data, &ctx);
  assert_expected (evaluated, c, ctx.now);

  bd_cancellation_to_json (evaluated, builder);
  root = json_builder_get_root (builder);
  g_assert_nonnull (root);
  text = bd_json_to_data (root, NULL);
  g_test_message ("  %s", text);
  if (c->text != NULL)
    g_assert_cmpstr (text, ==, c->text);

  /* Read back: the same answer, written the same way again. */
  parsed = read_answer (text);
  assert_answers_equal (evaluated, parsed);
  assert_expected (parsed, c, ctx.now);
  g_clear_pointer (&builder, g_object_unref);
  g_clear_pointer (&root, json_node_unref);
  builder = json_builder_new ();
  bd_cancellation_to_json (parsed, builder);
  root = json_builder_get_root (builder);
  text_again = bd_json_to_data (root, NULL);
  g_assert_cmpstr (text_again, ==, text);

  /* json-glib's own generator writes something the strict reader takes too. */
  json_generator_set_root (generator, root);
  generator_text = json_generator_to_data (generator, NULL);
  generated = read_answer (generator_text);
  assert_answers_equal (evaluated, generated);
}

/*
 * Refused, with the path of the bad key
 */

/* One change to @base: the only occurrence of @find becomes @replace.
 * Without @find, @replace is the whole document.
 */
typedef struct
{
  const char *what;
  const char *base;
  const char *find;
  const char *replace;
  const char *path;  /* expected error path; NULL: the root */
} Edit;

/* @base with its only occurrence of @find replaced by @replace. */
static char *
replace_once (const char *base,
              const char *find,
              const char *replace)
{
  const char *at = strstr (base, find);

  g_assert_nonnull (at);
  /* The row would be ambiguous otherwise. */
  g_assert_null (strstr (at + 1, find));

  return g_strdup_printf ("%.*s%s%s", (int) (at - base), base, replace, at + strlen (find));
}

static char *
apply_edit (const Edit *edit)
{
  if (edit->find == NULL)
    return g_strdup (edit->replace);

  return replace_once (edit->base, edit->find, edit->replace);
}

#define A ALLOWED_ANSWER
#define B BLOCKED_ANSWER
#define REFUND "{\"amount\":148400,\"currency\":\"DKK\",\"method\":\"creditNextInvoice\"}"

static const Edit malformed[] = {
  /* allowed */
  { "missing allowed", A, "\"allowed\":true,", "", "allowed" },
  { "allowed \"yes\"", A, "\"allowed\":true", "\"allowed\":\"yes\"", "allowed" },
  { "allowed 1", A, "\"allowed\":true", "\"allowed\":1", "allowed" },
  { "allowed null", A, "\"allowed\":true", "\"allowed\":null", "allowed" },
  { "allowed true with a blocker", A, "\"blockers\":[]",
    "\"blockers\":[{\"code\":\"tooManyLicenses\",\"alternatives\":[]}]", "allowed" },
  { "allowed false without a blocker", B, "[" TOO_MANY_LICENSES "]", "[]", "allowed" },

  /* windowEnd */
  { "windowEnd \"tomorrow\"", A, "\"2026-11-08T00:00:00Z\"", "\"tomorrow\"", "windowEnd" },
  { "windowEnd relative", A, "\"2026-11-08T00:00:00Z\"", "\"now+5d\"", "windowEnd" },
  { "windowEnd a number", A, "\"2026-11-08T00:00:00Z\"", "1794096000", "windowEnd" },
  { "windowEnd missing", B, "\"windowEnd\":null,", "", "windowEnd" },

  /* refund */
  { "refund present while not allowed", B, "\"refund\":null", "\"refund\":" REFUND, "refund" },
  { "refund missing", A, "\"refund\":" REFUND ",", "", "refund" },
  { "refund a number", A, REFUND, "148400", "refund" },
  { "refund.method \"cash\"", A, "\"creditNextInvoice\"", "\"cash\"", "refund.method" },
  { "refund.method missing", A, ",\"method\":\"creditNextInvoice\"", "", "refund.method" },
  { "refund.amount -5", A, "148400", "-5", "refund.amount" },
  { "refund.amount \"148400\"", A, "148400", "\"148400\"", "refund.amount" },
  { "refund.amount 1484.00", A, "148400", "1484.00", "refund.amount" },
  { "refund.amount beyond any refund", A, "148400", "10000000000001", "refund.amount" },
  { "refund.amount out of int64", A, "148400", "99999999999999999999", "refund.amount" },
  { "refund.currency \"kr\"", A, "\"currency\":\"DKK\"", "\"currency\":\"kr\"",
    "refund.currency" },
  { "unknown key in refund", A, "\"method\":\"creditNextInvoice\"}",
    "\"method\":\"creditNextInvoice\",\"tax\":0}", "refund.tax" },

  /* blockers */
  { "blockers missing", A, "\"blockers\":[],", "", "blockers" },
  { "blockers an object", A, "\"blockers\":[]", "\"blockers\":{}", "blockers" },
  { "blockers[0].code \"unknownBlocker\"", B, "\"tooManyLicenses\"", "\"unknownBlocker\"",
    "blockers[0].code" },
  { "blockers[0].code missing", B, "\"code\":\"tooManyLicenses\",", "", "blockers[0].code" },
  { "blockers[0] a string", B, TOO_MANY_LICENSES, "\"tooManyLicenses\"", "blockers[0]" },
  { "blockers[0].alternatives[0] \"callMom\"", B, "\"reduceLicenses\"", "\"callMom\"",
    "blockers[0].alternatives[0]" },
  { "blockers[0].alternatives[2] not a string", B, "\"contactSupport\"", "null",
    "blockers[0].alternatives[2]" },
  { "blockers[0].alternatives missing", B,
    ",\"alternatives\":[\"reduceLicenses\",\"turnOffRecurringBilling\",\"contactSupport\"]", "",
    "blockers[0].alternatives" },
  { "blockers[0].alternatives, four of them", B, "\"contactSupport\"]",
    "\"contactSupport\",\"reactivate\"]", "blockers[0].alternatives" },
  { "unknown key in blockers[0]", B, "{\"code\"", "{\"target\":\"quantity\",\"code\"",
    "blockers[0].target" },
  { "nine blockers", B, "[" TOO_MANY_LICENSES "]",
    "[" TOO_MANY_LICENSES "," TOO_MANY_LICENSES "," TOO_MANY_LICENSES "," TOO_MANY_LICENSES ","
    TOO_MANY_LICENSES "," TOO_MANY_LICENSES "," TOO_MANY_LICENSES "," TOO_MANY_LICENSES ","
    TOO_MANY_LICENSES "]", "blockers" },

  { "licensesAssigned is no cancel blocker", B, "\"tooManyLicenses\"", "\"licensesAssigned\"",
    "blockers[0].code" },
  { "quantityLocked is no cancel blocker", B, "\"tooManyLicenses\"", "\"quantityLocked\"",
    "blockers[0].code" },
  { "notActive followed by an Active-only blocker", B, "[" TOO_MANY_LICENSES "]",
    "[{\"code\":\"notActive\",\"alternatives\":[\"reactivate\"]}," TOO_MANY_LICENSES "]",
    "blockers[1].code" },
  { "the same blocker twice", B, "[" TOO_MANY_LICENSES "]",
    "[" TOO_MANY_LICENSES "," TOO_MANY_LICENSES "]", "blockers[1].code" },
  { "blockers out of rule 7's order", B, "[" TOO_MANY_LICENSES "]",
    "[" TOO_MANY_LICENSES ",{\"code\":\"purchasedThroughPartner\","
    "\"alternatives\":[\"contactSeller\"]}]", "blockers[1].code" },
  { "an alternative twice", B, "\"contactSupport\"]", "\"reduceLicenses\"]",
    "blockers[0].alternatives[2]" },

  /* reasons */
  { "reasons[2] unknown", A, "\"switchingToOtherMicrosoftProduct\"", "\"switchingToMars\"",
    "reasons[2]" },
  { "reasons listed twice", A, "\"switchingToOtherMicrosoftProduct\"", "\"tooExpensive\"",
    "reasons[2]" },
  { "reasons[7] a number", A, "\"other\"", "7", "reasons[7]" },
  { "reasons missing", A, "\"reasons\":[" REASONS "],", "", "reasons" },

  /* dataRetention */
  { "dataRetention missing deletedBy", A, ",\"deletedBy\":\"2027-05-02T00:00:00Z\"", "",
    "dataRetention.deletedBy" },
  { "dataRetention.deletableFrom a date without a time", A, "\"2026-12-03T00:00:00Z\"",
    "\"2026-12-03\"", "dataRetention.deletableFrom" },
  { "dataRetention.deletedBy null", A, "\"2027-05-02T00:00:00Z\"", "null",
    "dataRetention.deletedBy" },
  { "dataRetention.deletedBy before deletableFrom", A, "\"2027-05-02T00:00:00Z\"",
    "\"2026-12-02T23:59:59Z\"", "dataRetention.deletedBy" },
  { "unknown key in dataRetention", A, "{\"deletableFrom\"", "{\"note\":\"\",\"deletableFrom\"",
    "dataRetention.note" },
  { "dataRetention missing", A, "," RETENTION, "", "dataRetention" },
  { "dataRetention null", A, RETENTION, "\"dataRetention\":null", "dataRetention" },

  /* The document as a whole. */
  { "extra top-level key", A, "{\"allowed\"", "{\"etag\":\"\\\"x\\\"\",\"allowed\"", "etag" },
  { "duplicate top-level key", A, "\"allowed\":true", "\"allowed\":true,\"allowed\":false",
    "allowed" },
  { "the root is an array", NULL, NULL, "[" A "]", NULL },
  { "trailing garbage", NULL, NULL, A "}", NULL },
  { "empty document", NULL, NULL, "", NULL },
};

/* What every malformed row takes for granted. */
static void
test_malformed (void)
{
  g_autoptr(BdCancellation) allowed = read_answer (ALLOWED_ANSWER);
  g_autoptr(BdCancellation) blocked = read_answer (BLOCKED_ANSWER);

  /* Both bases are valid as they are. */
  g_assert_true (bd_cancellation_get_allowed (allowed));
  g_assert_false (bd_cancellation_get_allowed (blocked));
  g_assert_cmpuint (G_N_ELEMENTS (malformed), >=, 12);
}

static void
test_malformed_row (gconstpointer test_data)
{
  const Edit *row = test_data;
  g_autofree char *text = apply_edit (row);
  g_autofree char *prefixed = NULL;
  g_autoptr(BdCancellation) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", row->what);

  /* Some mistakes are the strict parser's to find. */
  node = bd_json_parse (text, -1, &error);
  if (node == NULL)
    {
      g_test_message ("  -> %s", error->message);
      bd_test_assert_error (error, row->path);
      return;
    }

  answer = bd_cancellation_new_from_json (node, NULL, &error);
  if (error != NULL)
    g_test_message ("  -> %s", error->message);
  g_assert_null (answer);
  bd_test_assert_error (error, row->path);

  /* Inside a larger document, the path is relative to it. */
  g_clear_error (&error);
  prefixed = row->path != NULL ? g_strconcat ("answer.", row->path, NULL)
                               : g_strdup ("answer");
  answer = bd_cancellation_new_from_json (node, "answer", &error);
  g_assert_null (answer);
  bd_test_assert_error (error, prefixed);
}

/*
 * The cancel answer, POST /v1/subscriptions/{id}/cancel: written as the
 * service writes it, read as strictly as the client reads it.
 */

/* s1 cancelled at NOW by invoice: the subscription derived and annotated
 * after the cancel, the refund (none unless @with_refund) and rule 9's dates.
 */
static BdCancelAnswer *
make_cancel_answer (gboolean with_refund)
{
  const Case c = { "cancel", .profile = INVOICE };
  BdCancelAnswer *answer = g_new0 (BdCancelAnswer, 1);
  BdRuleContext ctx;

  answer->subscription = make_subscription (&c, &ctx);
  answer->has_refund = bd_rules_refund (answer->subscription, &ctx, &answer->refund,
                                        &answer->refund_method);
  g_assert_true (answer->has_refund);
  answer->has_refund = with_refund;
  bd_lifecycle_data_retention (ctx.now, &answer->deletable_from, &answer->deleted_by);
  bd_lifecycle_cancel (answer->subscription, ctx.now);
  bd_lifecycle_derive (answer->subscription, ctx.now);
  bd_rules_annotate (answer->subscription, &ctx);

  return answer;
}

static char *
write_json (gpointer  value,
            void    (*to_json) (gconstpointer, JsonBuilder *))
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  to_json (value, builder);
  root = json_builder_get_root (builder);
  g_assert_nonnull (root);
  return bd_json_to_data (root, NULL);
}

static void
subscription_to_api_json (gconstpointer  data,
                          JsonBuilder   *builder)
{
  bd_subscription_data_to_json (data, BD_SUBSCRIPTION_JSON_API, builder);
}

static void
cancel_answer_to_json (gconstpointer  answer,
                       JsonBuilder   *builder)
{
  bd_cancel_answer_to_json (answer, builder);
}

static BdCancelAnswer *
read_cancel_answer (const char  *text,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(JsonNode) node = bd_json_parse (text, -1, error);

  if (node == NULL)
    return NULL;
  return bd_cancel_answer_new_from_json (node, path, error);
}

static void
assert_cancel_answers_equal (const BdCancelAnswer *a,
                             const BdCancelAnswer *b)
{
  g_assert_true (bd_subscription_data_equal (a->subscription, b->subscription));
  g_assert_cmpstr (a->subscription->etag, ==, b->subscription->etag);
  g_assert_cmpint (a->has_refund, ==, b->has_refund);
  if (a->has_refund)
    {
      g_assert_true (bd_money_equal (&a->refund, &b->refund));
      g_assert_cmpint (a->refund_method, ==, b->refund_method);
    }
  g_assert_cmpint (a->deletable_from, ==, b->deletable_from);
  g_assert_cmpint (a->deleted_by, ==, b->deleted_by);
}

static void
test_cancel_answer_round_trip (gconstpointer test_data)
{
  gboolean with_refund = GPOINTER_TO_INT (test_data);
  g_autoptr(BdCancelAnswer) answer = make_cancel_answer (with_refund);
  g_autoptr(BdCancelAnswer) parsed = NULL;
  g_autoptr(BdCancelAnswer) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subscription_text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  /* The service's shape: the subscription as every other answer writes it. */
  subscription_text = write_json (answer->subscription, subscription_to_api_json);
  expected = g_strconcat ("{\"subscription\":", subscription_text, ",\"refund\":",
                          with_refund ? REFUND : "null", ",", RETENTION, "}", NULL);
  g_assert_cmpint (answer->subscription->status, ==, BD_STATUS_DISABLED);

  text = write_json (answer, cancel_answer_to_json);
  g_test_message ("%s", text);
  g_assert_cmpstr (text, ==, expected);

  parsed = read_cancel_answer (text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (parsed);
  assert_cancel_answers_equal (answer, parsed);
  text_again = write_json (parsed, cancel_answer_to_json);
  g_assert_cmpstr (text_again, ==, text);

  /* A deep copy, as the boxed type makes it. */
  copy = g_boxed_copy (BD_TYPE_CANCEL_ANSWER, parsed);
  g_assert_true (copy->subscription != parsed->subscription);
  assert_cancel_answers_equal (parsed, copy);
}

/* The answer, @S standing for the subscription. */
#define CANCEL_ANSWER "{\"subscription\":@S,\"refund\":" REFUND "," RETENTION "}"

/* An edit of CANCEL_ANSWER where @find is found in it, else of the answer
 * with its subscription written out.
 */
typedef struct
{
  const char *what;
  const char *find;
  const char *replace;
  const char *path;  /* expected error path */
} CancelEdit;

static const CancelEdit cancel_malformed[] = {
  { "unknown top-level key", "{\"subscription\"", "{\"note\":1,\"subscription\"", "note" },
  { "subscription missing", "\"subscription\":@S,", "", "subscription" },
  { "subscription null", "@S", "null", "subscription" },
  { "subscription an array", "@S", "[@S]", "subscription" },
  { "unknown key in subscription", "\"productName\"", "\"colour\":\"\",\"productName\"",
    "subscription.colour" },
  { "subscription without its etag", "\"etag\"", "\"eTag\"", "subscription.eTag" },
  { "refund missing", "\"refund\":" REFUND ",", "", "refund" },
  { "refund a number", REFUND, "148400", "refund" },
  { "refund.method \"cash\"", "\"creditNextInvoice\"", "\"cash\"", "refund.method" },
  { "refund.method missing", ",\"method\":\"creditNextInvoice\"", "", "refund.method" },
  { "refund.amount beyond any refund", "148400", "10000000000001", "refund.amount" },
  { "refund.currency \"kr\"", "\"currency\":\"DKK\",\"method\"",
    "\"currency\":\"kr\",\"method\"", "refund.currency" },
  { "unknown key in refund", "\"method\":\"creditNextInvoice\"}",
    "\"method\":\"creditNextInvoice\",\"tax\":0}", "refund.tax" },
  { "dataRetention missing", "," RETENTION, "", "dataRetention" },
  { "dataRetention null", RETENTION, "\"dataRetention\":null", "dataRetention" },
  { "dataRetention.deletedBy missing", ",\"deletedBy\":\"2027-05-02T00:00:00Z\"", "",
    "dataRetention.deletedBy" },
  { "dataRetention.deletableFrom null", "\"2026-12-03T00:00:00Z\"", "null",
    "dataRetention.deletableFrom" },
  { "unknown key in dataRetention", "{\"deletableFrom\"", "{\"note\":\"\",\"deletableFrom\"",
    "dataRetention.note" },
};

/* @template with every @S replaced by @subscription. */
static char *
fill_in (const char *template,
         const char *subscription)
{
  g_auto(GStrv) parts = g_strsplit (template, "@S", -1);

  return g_strjoinv (subscription, parts);
}

static void
test_cancel_answer_malformed (gconstpointer test_data)
{
  const CancelEdit *row = test_data;
  g_autoptr(BdCancelAnswer) answer = make_cancel_answer (TRUE);
  g_autofree char *subscription = write_json (answer->subscription, subscription_to_api_json);
  g_autofree char *prefixed = g_strconcat ("answer.", row->path, NULL);
  g_autofree char *edited = NULL;
  g_autofree char *text = NULL;
  g_autoptr(BdCancelAnswer) parsed = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", row->what);

  if (strstr (CANCEL_ANSWER, row->find) != NULL)
    {
      edited = replace_once (CANCEL_ANSWER, row->find, row->replace);
      text = fill_in (edited, subscription);
    }
  else
    {
      edited = fill_in (CANCEL_ANSWER, subscription);
      text = replace_once (edited, row->find, row->replace);
    }

  parsed = read_cancel_answer (text, NULL, &error);
  if (error != NULL)
    g_test_message ("  -> %s", error->message);
  g_assert_null (parsed);
  bd_test_assert_error (error, row->path);

  /* Inside a larger document, the path is relative to it. */
  g_clear_error (&error);
  parsed = read_cancel_answer (text, "answer", &error);
  g_assert_null (parsed);
  bd_test_assert_error (error, prefixed);
}

static void
test_cancel_answer_null_refund (void)
{
  g_autoptr(BdCancelAnswer) answer = make_cancel_answer (TRUE);
  g_autofree char *base = write_json (answer, cancel_answer_to_json);
  g_autofree char *text = replace_once (base, REFUND, "null");
  g_autoptr(BdCancelAnswer) parsed = NULL;
  g_autoptr(GError) error = NULL;

  parsed = read_cancel_answer (text, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (parsed->has_refund);
  g_assert_cmpint (parsed->deletable_from, ==, answer->deletable_from);
}

/*
 * One test case per table row
 */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  bd_test_add_table ("/cancellation/round-trip", cases, sizeof cases[0],
                     G_N_ELEMENTS (cases), test_round_trip);
  g_test_add_func ("/cancellation/malformed", test_malformed);
  bd_test_add_table ("/cancellation/malformed", malformed, sizeof malformed[0],
                     G_N_ELEMENTS (malformed), test_malformed_row);

  g_test_add_data_func ("/cancel-answer/round-trip/refund", GINT_TO_POINTER (TRUE),
                        test_cancel_answer_round_trip);
  g_test_add_data_func ("/cancel-answer/round-trip/no-refund", GINT_TO_POINTER (FALSE),
                        test_cancel_answer_round_trip);
  g_test_add_func ("/cancel-answer/null-refund", test_cancel_answer_null_refund);
  bd_test_add_table ("/cancel-answer/malformed", cancel_malformed, sizeof cancel_malformed[0],
                     G_N_ELEMENTS (cancel_malformed), test_cancel_answer_malformed);

  return g_test_run ();
}
