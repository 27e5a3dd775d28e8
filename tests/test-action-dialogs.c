/* test-action-dialogs.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row's other actions, each an AdwMessageDialog over a real service,
 * under Xvfb, driven as a person would: Edit Recurring Billing, Buy or
 * Remove Licenses, Reactivate Subscription and Delete Subscription. With
 * BD_TEST_SCREENSHOT_DIR set, each dialog is also saved there as a PNG.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "bd-action-dialogs.h"
#include "bd-application.h"
#include "bd-change-attempt.h"
#include "bd-format.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "service-tenant.h"

typedef struct
{
  BdTestService  *service;
  BdClient       *client;
  GtkWindow      *window;
  GtkWindow      *dialog;              /* weak: NULL once it is gone */
  guint           n_done;
  BdSubscription *done_subscription;   /* unowned, only compared */
  char           *done_message;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->service = bd_test_service_new (TENANT, NOW);
  f->client = bd_client_new (f->service->url, ADMIN);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 800, 600);
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dialog != NULL)
    gtk_window_destroy (f->dialog);
  g_assert_null (f->dialog);
  gtk_window_destroy (f->window);
  g_clear_object (&f->client);
  g_clear_pointer (&f->done_message, g_free);
  g_clear_pointer (&f->service, bd_test_service_free);
}

static void
done_cb (BdSubscription *subscription,
         const char     *message,
         gpointer        user_data)
{
  Fixture *f = user_data;

  f->n_done++;
  f->done_subscription = subscription;
  g_free (f->done_message);
  f->done_message = g_strdup (message);
}

static gboolean
is_done (gpointer data)
{
  Fixture *f = data;

  return f->n_done > 0;
}

typedef struct
{
  BdSubscription *subscription;
  gboolean        finished;
} Fetch;

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;

  fetch->subscription = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  g_assert_no_error (error);
  fetch->finished = TRUE;
}

static gboolean
fetch_finished (gpointer data)
{
  return ((Fetch *) data)->finished;
}

static BdSubscription *
fetch_subscription (Fixture    *f,
                    const char *id)
{
  Fetch fetch = { NULL, FALSE };

  bd_client_get_subscription_async (f->client, id, NULL, fetch_cb, &fetch);
  g_assert_true (bd_test_wait_until (fetch_finished, &fetch, 10000));
  g_assert_nonnull (fetch.subscription);
  g_assert_nonnull (bd_subscription_get_data (fetch.subscription)->etag);

  return fetch.subscription;
}

static BdTestAnswer *
get_from_service (Fixture    *f,
                  const char *path)
{
  BdTestAnswer *answer = bd_test_service_request (f->service, "GET", path, ADMIN, NULL, NULL);

  g_assert_cmpuint (answer->status, ==, 200);
  return answer;
}

static gboolean
is_time_up (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* Let the dialog map, lay out and draw. */
static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  bd_test_wait_until (is_time_up, &end, ms + 1000);
}

static AdwMessageDialog *
track (Fixture   *f,
       GtkWindow *dialog)
{
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_true (gtk_window_get_transient_for (dialog) == f->window);
  f->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &f->dialog);
  settle (200);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));

  return ADW_MESSAGE_DIALOG (dialog);
}

static void
find_all (GtkWidget *widget,
          GType      type,
          GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_all (child, type, found);
}

static gpointer
find_one (GtkWidget *widget,
          GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  find_all (widget, type, found);
  g_assert_cmpuint (found->len, ==, 1);
  return found->pdata[0];
}

/* What a person reads: every visible label, joined. */
static char *
dialog_text (AdwMessageDialog *dialog)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  find_all (GTK_WIDGET (dialog), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_visible (labels->pdata[i]))
      g_string_append_printf (out, "%s|", gtk_label_get_label (labels->pdata[i]));

  return g_string_free (out, FALSE);
}

static void
assert_shows (AdwMessageDialog *dialog,
              const char       *part)
{
  g_autofree char *text = dialog_text (dialog);

  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in “%s”", part, text);
}

static void
assert_does_not_show (AdwMessageDialog *dialog,
                      const char       *part)
{
  g_autofree char *text = dialog_text (dialog);

  if (strstr (text, part) != NULL)
    g_error ("“%s” is in “%s”", part, text);
}

static gboolean
is_busy (AdwMessageDialog *dialog)
{
  return !adw_message_dialog_get_response_enabled (dialog, "cancel");
}

static void
test_recurring_billing_off (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BdSubscription) s1 = fetch_subscription (f, "s1");
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(GPtrArray) choices = g_ptr_array_new ();
  g_autofree char *term_end = bd_format_date (bd_test_time ("2026-12-01T00:00:00Z"));
  g_autofree char *next_end = bd_format_date (bd_test_time ("2027-01-01T00:00:00Z"));
  g_autofree char *off = NULL;
  g_autofree char *once = NULL;
  g_autofree char *message = NULL;
  AdwMessageDialog *dialog;

  dialog = track (f, bd_edit_recurring_billing_dialog_present (f->window, f->client, s1,
                                                               done_cb, f));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Edit Recurring Billing"));

  /* Three choices, the current one checked; Save only for a change. */
  find_all (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON, choices);
  g_assert_cmpuint (choices->len, ==, 3);
  g_assert_true (gtk_check_button_get_active (choices->pdata[BD_RECURRING_BILLING_ON]));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));

  /* What each means for the next charge. */
  off = g_strdup_printf (_("Access continues until %s; nothing more is charged."), term_end);
  assert_shows (dialog, off);
  once = g_strdup_printf (_("Renews once on %1$s, then ends on %2$s."), term_end, next_end);
  assert_shows (dialog, once);

  gtk_check_button_set_active (choices->pdata[BD_RECURRING_BILLING_OFF], TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  bd_test_save_screenshot (dialog, "edit-recurring-billing");

  adw_message_dialog_response (dialog, "save");

  /* In flight: nothing to press, and closing is refused. */
  g_assert_true (is_busy (dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_nonnull (f->dialog);
  g_assert_cmpuint (f->n_done, ==, 0);

  g_assert_true (bd_test_wait_until (is_done, f, 10000));
  g_assert_cmpuint (f->n_done, ==, 1);
  g_assert_null (f->dialog);
  g_assert_true (f->done_subscription == s1);
  message = g_strdup_printf (_("Recurring billing is off for %s"),
                             "Microsoft 365 Business Premium");
  g_assert_cmpstr (f->done_message, ==, message);

  g_assert_cmpint (bd_subscription_get_recurring_billing (s1), ==, BD_RECURRING_BILLING_OFF);
  answer = get_from_service (f, "/v1/subscriptions/s1");
  g_assert_cmpstr (bd_test_answer_string (answer, "recurringBilling"), ==, "off");
  g_assert_cmpstr (bd_test_answer_string (answer, "etag"), ==,
                   bd_subscription_get_data (s1)->etag);
}

static void
test_licenses_buy (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BdSubscription) s1 = fetch_subscription (f, "s1");
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *difference = NULL;
  g_autofree char *message = NULL;
  AdwMessageDialog *dialog;
  GtkSpinButton *spin;
  BdMoney money;

  dialog = track (f, bd_licenses_dialog_present (f->window, f->client, s1, 0, done_cb, f));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Buy or Remove Licenses"));
  spin = find_one (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 10);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  assert_shows (dialog, _("No change"));

  /* Never below the 8 assigned licenses, never above 100,000. */
  g_assert_cmpfloat (gtk_adjustment_get_lower (gtk_spin_button_get_adjustment (spin)), ==, 8);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (spin)), ==,
                     100000);
  gtk_spin_button_set_value (spin, 3);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 8);

  /* Two more: DKK 159.00 each, every month. */
  gtk_spin_button_set_value (spin, 12);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  bd_money_init (&money, 31800, "DKK");
  amount = bd_format_money (&money);
  difference = g_strdup_printf (C_("price difference", "+%s per month"), amount);
  assert_shows (dialog, difference);
  bd_test_save_screenshot (dialog, "buy-or-remove-licenses");

  adw_message_dialog_response (dialog, "save");
  g_assert_true (is_busy (dialog));
  g_assert_true (bd_test_wait_until (is_done, f, 10000));
  g_assert_null (f->dialog);
  message = g_strdup_printf (ngettext ("%2$s now has %1$s license", "%2$s now has %1$s licenses",
                                       12),
                             bd_test_count (12), "Microsoft 365 Business Premium");
  g_assert_cmpstr (f->done_message, ==, message);

  g_assert_cmpuint (bd_subscription_get_quantity (s1), ==, 12);
  answer = get_from_service (f, "/v1/subscriptions/s1");
  g_assert_cmpint (bd_test_answer_int (answer, "quantity"), ==, 12);
}

static void
test_licenses_remove (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BdSubscription) s3 = fetch_subscription (f, "s3");
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *difference = NULL;
  AdwMessageDialog *dialog;
  GtkSpinButton *spin;
  BdMoney money;

  dialog = track (f, bd_licenses_dialog_present (f->window, f->client, s3, 0, done_cb, f));
  spin = find_one (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON);
  gtk_spin_button_set_value (spin, 21);
  bd_money_init (&money, 4 * 15900, "DKK");
  amount = bd_format_money (&money);
  difference = g_strdup_printf (C_("price difference", "−%s per month"), amount);
  assert_shows (dialog, difference);

  adw_message_dialog_response (dialog, "save");
  g_assert_true (bd_test_wait_until (is_done, f, 10000));
  answer = get_from_service (f, "/v1/subscriptions/s3");
  g_assert_cmpint (bd_test_answer_int (answer, "quantity"), ==, 21);
}

/* Trials, reseller and prepaid purchases: why, and only Close. */
static void
test_licenses_locked (Fixture       *f,
                      gconstpointer  data)
{
  const char *ids[] = { "s5", "s8", "s12" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(BdSubscription) subscription = fetch_subscription (f, ids[i]);
      g_autoptr(BdTestAnswer) answer = NULL;
      g_autoptr(GPtrArray) spins = g_ptr_array_new ();
      g_autofree char *path = g_strconcat ("/v1/subscriptions/", ids[i], NULL);
      AdwMessageDialog *dialog;

      f->n_done = 0;
      dialog = track (f, bd_licenses_dialog_present (f->window, f->client, subscription, 0,
                                                     done_cb, f));
      g_test_message ("%s: %s", ids[i], adw_message_dialog_get_body (dialog));
      g_assert_false (adw_message_dialog_has_response (dialog, "save"));
      g_assert_true (adw_message_dialog_has_response (dialog, "close"));
      find_all (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON, spins);
      g_assert_cmpuint (spins->len, ==, 0);
      if (i == 0)
        bd_test_save_screenshot (dialog, "licenses-locked-trial");

      /* Escape is the same as Close. */
      gtk_window_close (GTK_WINDOW (dialog));
      g_assert_null (f->dialog);
      g_assert_cmpuint (f->n_done, ==, 1);
      g_assert_null (f->done_message);

      answer = get_from_service (f, path);
      g_assert_cmpint (bd_test_answer_int (answer, "quantity"), ==,
                       bd_subscription_get_quantity (subscription));
    }
}

/* Opened from the tooManyLicenses blocker: prefilled with 25, or with the
 * assigned count and a word about unassigning first.
 */
static void
test_licenses_suggested (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(BdSubscription) s4 = fetch_subscription (f, "s4");
  g_autoptr(BdSubscription) s1 = fetch_subscription (f, "s1");
  g_autofree char *unassign = NULL;
  AdwMessageDialog *dialog;
  GtkSpinButton *spin;

  unassign = g_strdup_printf (ngettext ("Unassign licenses first: %s is assigned.",
                                        "Unassign licenses first: %s are assigned.", 8),
                                        bd_test_count (8));

  dialog = track (f, bd_licenses_dialog_present (f->window, f->client, s4, 25, done_cb, f));
  spin = find_one (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 25);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  assert_does_not_show (dialog, "Unassign");
  adw_message_dialog_response (dialog, "cancel");
  g_assert_null (f->dialog);
  g_assert_null (f->done_message);

  /* s1 has 8 assigned: asked for 5, it starts at 8 and says why. */
  dialog = track (f, bd_licenses_dialog_present (f->window, f->client, s1, 5, done_cb, f));
  spin = find_one (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 8);
  assert_shows (dialog, unassign);
  bd_test_save_screenshot (dialog, "licenses-unassign-first");
}

/* Changed behind the dialog's back: 412, said plainly, and reloaded. */
static void
test_stale (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BdSubscription) s1 = fetch_subscription (f, "s1");
  g_autoptr(BdTestAnswer) behind = NULL;
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(GPtrArray) choices = g_ptr_array_new ();
  g_autofree char *old_etag = g_strdup (bd_subscription_get_data (s1)->etag);
  AdwMessageDialog *dialog;

  dialog = track (f, bd_edit_recurring_billing_dialog_present (f->window, f->client, s1,
                                                               done_cb, f));
  find_all (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON, choices);
  gtk_check_button_set_active (choices->pdata[BD_RECURRING_BILLING_OFF], TRUE);

  behind = bd_test_service_request (f->service, "PATCH", "/v1/subscriptions/s1", BILLING,
                                    "{\"quantity\":11}", "If-Match", old_etag, NULL);
  g_assert_cmpuint (behind->status, ==, 200);

  adw_message_dialog_response (dialog, "save");
  g_assert_true (is_busy (dialog));
  while (is_busy (dialog))
    g_main_context_iteration (NULL, TRUE);

  /* Still open, the choice kept, the message shown, the object current. */
  g_assert_nonnull (f->dialog);
  g_assert_cmpuint (f->n_done, ==, 0);
  assert_shows (dialog, _("Someone else changed this subscription. It has been reloaded."));
  g_assert_cmpuint (bd_subscription_get_quantity (s1), ==, 11);
  g_assert_cmpstr (bd_subscription_get_data (s1)->etag, ==, behind->etag);
  g_assert_true (gtk_check_button_get_active (choices->pdata[BD_RECURRING_BILLING_OFF]));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  bd_test_save_screenshot (dialog, "edit-recurring-billing-stale");

  /* Save again: now with the current ETag. */
  adw_message_dialog_response (dialog, "save");
  g_assert_true (bd_test_wait_until (is_done, f, 10000));
  g_assert_null (f->dialog);
  g_assert_nonnull (f->done_message);
  answer = get_from_service (f, "/v1/subscriptions/s1");
  g_assert_cmpstr (bd_test_answer_string (answer, "recurringBilling"), ==, "off");
  g_assert_cmpint (bd_test_answer_int (answer, "quantity"), ==, 11);
}

static void
test_reactivate (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BdSubscription) s9 = fetch_subscription (f, "s9");
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(BdTestAnswer) ledger = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *price = NULL;
  g_autofree char *body = NULL;
  g_autofree char *message = NULL;
  AdwMessageDialog *dialog;
  BdMoney money;

  g_assert_cmpint (bd_subscription_get_status (s9), ==, BD_STATUS_EXPIRED);
  dialog = track (f, bd_reactivate_dialog_present (f->window, f->client, s9, bd_test_time (NOW),
                                                   done_cb, f));
  heading = g_strdup_printf (_("Reactivate %s?"), "Project Plan 3");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  bd_money_init (&money, 22380, "DKK");
  price = bd_format_money (&money);
  body = g_strdup_printf (_("A new monthly term starts today, and recurring billing is "
                            "turned on. You pay %s per license per month."), price);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, body);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "reactivate"));
  bd_test_save_screenshot (dialog, "reactivate");

  adw_message_dialog_response (dialog, "reactivate");
  g_assert_true (is_busy (dialog));
  g_assert_true (bd_test_wait_until (is_done, f, 10000));
  g_assert_null (f->dialog);
  message = g_strdup_printf (_("%s reactivated"), "Project Plan 3");
  g_assert_cmpstr (f->done_message, ==, message);

  g_assert_cmpint (bd_subscription_get_status (s9), ==, BD_STATUS_ACTIVE);
  answer = get_from_service (f, "/v1/subscriptions/s9");
  g_assert_cmpstr (bd_test_answer_string (answer, "status"), ==, "active");
  g_assert_cmpstr (bd_test_answer_string (answer, "recurringBilling"), ==, "on");

  /* Sent with an Idempotency-Key. */
  ledger = get_from_service (f, "/v1/operations?subscriptionId=s9");
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].action"), ==, "reactivate");
  g_assert_nonnull (bd_test_answer_string (ledger, "value[0].idempotencyKey"));
}

/* Reactivated behind the dialog's back: the refusal (409) is shown, the
 * subscription reloaded, and Reactivate no longer offered.
 */
static void
test_reactivate_conflict (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BdSubscription) s9 = fetch_subscription (f, "s9");
  g_autoptr(BdTestAnswer) behind = NULL;
  AdwMessageDialog *dialog;

  dialog = track (f, bd_reactivate_dialog_present (f->window, f->client, s9, bd_test_time (NOW),
                                                   done_cb, f));
  behind = bd_test_service_request (f->service, "POST", "/v1/subscriptions/s9/reactivate",
                                    BILLING, NULL, "Idempotency-Key", "behind-1", NULL);
  g_assert_cmpuint (behind->status, ==, 200);

  adw_message_dialog_response (dialog, "reactivate");
  g_assert_true (is_busy (dialog));
  while (is_busy (dialog))
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (f->dialog);
  g_assert_cmpuint (f->n_done, ==, 0);
  assert_shows (dialog, _("This can't be done in the subscription's current state. "
                          "Refresh to see its state."));
  g_assert_cmpint (bd_subscription_get_status (s9), ==, BD_STATUS_ACTIVE);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "reactivate"));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "cancel"));

  adw_message_dialog_response (dialog, "cancel");
  g_assert_null (f->dialog);
  g_assert_cmpuint (f->n_done, ==, 1);
  g_assert_null (f->done_message);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BdSubscription) s2 = fetch_subscription (f, "s2");
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(BdTestAnswer) ledger = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *message = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  dialog = track (f, bd_delete_dialog_present (f->window, f->client, s2, done_cb, f));
  heading = g_strdup_printf (_("Delete %s?"), "Microsoft 365 Business Premium");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));

  /* Not exactly the name: Delete stays insensitive and does nothing. */
  entry = GTK_EDITABLE (find_one (GTK_WIDGET (dialog), GTK_TYPE_ENTRY));
  gtk_editable_set_text (entry, "Microsoft 365 business premium");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  gtk_editable_set_text (entry, "Microsoft 365 Business Premium ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  adw_message_dialog_response (dialog, "delete");
  g_assert_false (is_busy (dialog));
  g_assert_nonnull (f->dialog);

  gtk_editable_set_text (entry, "Microsoft 365 Business Premium");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "delete"));
  bd_test_save_screenshot (dialog, "delete");

  adw_message_dialog_response (dialog, "delete");
  g_assert_true (is_busy (dialog));
  g_assert_true (bd_test_wait_until (is_done, f, 10000));
  g_assert_null (f->dialog);
  message = g_strdup_printf (_("%s deleted"), "Microsoft 365 Business Premium");
  g_assert_cmpstr (f->done_message, ==, message);

  g_assert_cmpint (bd_subscription_get_status (s2), ==, BD_STATUS_DELETED);
  answer = get_from_service (f, "/v1/subscriptions/s2");
  g_assert_cmpstr (bd_test_answer_string (answer, "status"), ==, "deleted");
  ledger = get_from_service (f, "/v1/operations?subscriptionId=s2");
  g_assert_cmpstr (bd_test_answer_string (ledger, "value[0].action"), ==, "delete");
  g_assert_nonnull (bd_test_answer_string (ledger, "value[0].idempotencyKey"));
}

/* Cancel, Escape or the parent going away: done once, with no message,
 * and nothing sent.
 */
static void
test_dismiss (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BdSubscription) s1 = fetch_subscription (f, "s1");
  g_autoptr(BdSubscription) s9 = fetch_subscription (f, "s9");
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autoptr(GPtrArray) choices = g_ptr_array_new ();
  AdwMessageDialog *dialog;

  dialog = track (f, bd_edit_recurring_billing_dialog_present (f->window, f->client, s1,
                                                               done_cb, f));
  find_all (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON, choices);
  gtk_check_button_set_active (choices->pdata[BD_RECURRING_BILLING_OFF], TRUE);
  adw_message_dialog_response (dialog, "cancel");
  g_assert_null (f->dialog);
  g_assert_cmpuint (f->n_done, ==, 1);
  g_assert_null (f->done_message);
  g_assert_true (f->done_subscription == s1);

  dialog = track (f, bd_delete_dialog_present (f->window, f->client, s1, done_cb, f));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_null (f->dialog);
  g_assert_cmpuint (f->n_done, ==, 2);
  g_assert_null (f->done_message);

  /* Destroyed while its request is in flight: cancelled, done once. */
  dialog = track (f, bd_reactivate_dialog_present (f->window, f->client, s9, bd_test_time (NOW),
                                                   done_cb, f));
  adw_message_dialog_response (dialog, "reactivate");
  g_assert_true (is_busy (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_null (f->dialog);
  g_assert_cmpuint (f->n_done, ==, 3);
  g_assert_null (f->done_message);
  settle (300);
  g_assert_cmpuint (f->n_done, ==, 3);

  answer = get_from_service (f, "/v1/subscriptions/s1");
  g_assert_cmpstr (bd_test_answer_string (answer, "recurringBilling"), ==, "on");
  g_assert_cmpstr (bd_test_answer_string (answer, "status"), ==, "active");
}

/* The state machine behind every dialog's Check Again (and the pane's),
 * without a network: the key it keeps, the step it asks for, what it says.
 */
static GError *
no_answer (void)
{
  return g_error_new_literal (BD_CLIENT_ERROR, BD_CLIENT_ERROR_TIMEOUT, "no answer");
}

static GError *
refusal (void)
{
  return g_error_new_literal (BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNREACHABLE, "refused");
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_attempt_keyed (void)
{
  g_autoptr(BdChangeAttempt) attempt = bd_change_attempt_new (TRUE, FALSE);
  g_autoptr(GError) timeout = no_answer ();
  g_autoptr(GError) refused = refusal ();
  g_autofree char *first_key = NULL;
  guint n_busy = 0;

  g_signal_connect (attempt, "notify::busy", G_CALLBACK (count_notify_cb), &n_busy);
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_IDLE);
  g_assert_null (bd_change_attempt_get_idempotency_key (attempt));

  /* Sent with a new key; no answer keeps it for Check Again. */
  g_assert_cmpint (bd_change_attempt_start (attempt, FALSE), ==, BD_CHANGE_STEP_SEND);
  g_assert_true (bd_change_attempt_get_busy (attempt));
  g_assert_cmpuint (n_busy, ==, 1);
  first_key = g_strdup (bd_change_attempt_get_idempotency_key (attempt));
  g_assert_nonnull (first_key);
  bd_change_attempt_finish (attempt, timeout);
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_OUTCOME_UNKNOWN);
  g_assert_false (bd_change_attempt_get_busy (attempt));
  g_assert_cmpuint (n_busy, ==, 2);
  g_assert_true (bd_change_attempt_get_check_again (attempt));
  g_assert_cmpstr (bd_change_attempt_get_idempotency_key (attempt), ==, first_key);

  /* Check Again: the very request, same key, straight away. */
  g_assert_cmpint (bd_change_attempt_start (attempt, FALSE), ==, BD_CHANGE_STEP_SEND);
  g_assert_cmpstr (bd_change_attempt_get_idempotency_key (attempt), ==, first_key);
  g_assert_true (bd_change_attempt_get_outcome_unknown (attempt));

  /* An answer is final for its key. */
  bd_change_attempt_finish (attempt, refused);
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_REFUSED);
  g_assert_null (bd_change_attempt_get_idempotency_key (attempt));
  g_assert_false (bd_change_attempt_get_check_again (attempt));
  g_assert_true (bd_change_attempt_get_try_again (attempt));

  g_assert_cmpint (bd_change_attempt_start (attempt, FALSE), ==, BD_CHANGE_STEP_SEND);
  g_assert_nonnull (bd_change_attempt_get_idempotency_key (attempt));
  g_assert_cmpstr (bd_change_attempt_get_idempotency_key (attempt), !=, first_key);
  bd_change_attempt_finish (attempt, NULL);
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_DONE);
  g_assert_null (bd_change_attempt_get_idempotency_key (attempt));
  g_assert_false (bd_change_attempt_get_busy (attempt));
}

/* As the cancel pane uses it: a form, and a read before any new intent
 * after a failure.
 */
static void
test_attempt_form (void)
{
  g_autoptr(BdChangeAttempt) attempt = bd_change_attempt_new (TRUE, TRUE);
  g_autoptr(GError) timeout = no_answer ();
  g_autofree char *first_key = NULL;
  g_autofree char *second_key = NULL;

  bd_change_attempt_set_form (attempt, g_variant_new ("(us)", 1, "a"));
  g_assert_cmpint (bd_change_attempt_start (attempt, FALSE), ==, BD_CHANGE_STEP_SEND);
  first_key = g_strdup (bd_change_attempt_get_idempotency_key (attempt));
  bd_change_attempt_finish (attempt, timeout);
  g_assert_true (bd_change_attempt_get_check_again (attempt));

  /* Another form is another intent; back as sent, it is Check Again. */
  bd_change_attempt_set_form (attempt, g_variant_new ("(us)", 1, "b"));
  g_assert_false (bd_change_attempt_get_check_again (attempt));
  bd_change_attempt_set_form (attempt, g_variant_new ("(us)", 1, "a"));
  g_assert_true (bd_change_attempt_get_check_again (attempt));

  /* A new intent after no answer reads first, with a new key; the read
   * failing forgets that key and keeps the unknown outcome.
   */
  bd_change_attempt_set_form (attempt, g_variant_new ("(us)", 1, "b"));
  g_assert_cmpint (bd_change_attempt_start (attempt, FALSE), ==, BD_CHANGE_STEP_READ_FIRST);
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_READING);
  g_assert_true (bd_change_attempt_get_outcome_unknown (attempt));
  g_assert_cmpstr (bd_change_attempt_get_idempotency_key (attempt), !=, first_key);
  bd_change_attempt_stop (attempt);
  g_assert_null (bd_change_attempt_get_idempotency_key (attempt));
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_OUTCOME_UNKNOWN);
  g_assert_false (bd_change_attempt_get_check_again (attempt));

  g_assert_cmpint (bd_change_attempt_start (attempt, FALSE), ==, BD_CHANGE_STEP_READ_FIRST);
  second_key = g_strdup (bd_change_attempt_get_idempotency_key (attempt));
  bd_change_attempt_send (attempt);
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_SENDING);
  g_assert_cmpstr (bd_change_attempt_get_idempotency_key (attempt), ==, second_key);
  bd_change_attempt_finish (attempt, NULL);
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_DONE);

  bd_change_attempt_reset (attempt);
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_IDLE);
  g_assert_false (bd_change_attempt_get_try_again (attempt));
}

/* A PATCH: no key; after no answer, Check Again reads first. */
static void
test_attempt_conditional (void)
{
  g_autoptr(BdChangeAttempt) attempt = bd_change_attempt_new (FALSE, FALSE);
  g_autoptr(GError) timeout = no_answer ();

  g_assert_cmpint (bd_change_attempt_start (attempt, TRUE), ==, BD_CHANGE_STEP_READ_FIRST);
  g_assert_null (bd_change_attempt_get_idempotency_key (attempt));
  bd_change_attempt_send (attempt);
  bd_change_attempt_finish (attempt, timeout);
  g_assert_true (bd_change_attempt_get_check_again (attempt));

  /* The read shows it applied. */
  g_assert_cmpint (bd_change_attempt_start (attempt, FALSE), ==, BD_CHANGE_STEP_READ_FIRST);
  g_assert_true (bd_change_attempt_get_check_again (attempt));
  bd_change_attempt_succeeded (attempt);
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_DONE);

  /* Or changed by someone else: refused, no more Check Again. */
  bd_change_attempt_reset (attempt);
  g_assert_cmpint (bd_change_attempt_start (attempt, FALSE), ==, BD_CHANGE_STEP_SEND);
  bd_change_attempt_finish (attempt, timeout);
  g_assert_cmpint (bd_change_attempt_start (attempt, FALSE), ==, BD_CHANGE_STEP_READ_FIRST);
  bd_change_attempt_refused (attempt);
  g_assert_cmpint (bd_change_attempt_get_state (attempt), ==, BD_CHANGE_STATE_REFUSED);
  g_assert_false (bd_change_attempt_get_check_again (attempt));
  g_assert_false (bd_change_attempt_get_outcome_unknown (attempt));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bd_application_set_default_direction ();
  /* Panes and dialogs appear at once: no frame of an animation depends on
   * how fast this machine draws (AdwFlap 1.2 may allocate a negative width
   * in the middle of one on a slow frame). No cursor blinks either: Xvfb has
   * no window manager, so a dialog that goes keeps its entry's focus without
   * a focus-out, and GTK 4.8 warns (fatally here) when the blink fires then.
   */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);

  g_test_add ("/action-dialogs/recurring-billing/off", Fixture, NULL, fixture_set_up,
              test_recurring_billing_off, fixture_tear_down);
  g_test_add ("/action-dialogs/recurring-billing/stale", Fixture, NULL, fixture_set_up,
              test_stale, fixture_tear_down);
  g_test_add ("/action-dialogs/licenses/buy", Fixture, NULL, fixture_set_up,
              test_licenses_buy, fixture_tear_down);
  g_test_add ("/action-dialogs/licenses/remove", Fixture, NULL, fixture_set_up,
              test_licenses_remove, fixture_tear_down);
  g_test_add ("/action-dialogs/licenses/locked", Fixture, NULL, fixture_set_up,
              test_licenses_locked, fixture_tear_down);
  g_test_add ("/action-dialogs/licenses/suggested", Fixture, NULL, fixture_set_up,
              test_licenses_suggested, fixture_tear_down);
  g_test_add ("/action-dialogs/reactivate", Fixture, NULL, fixture_set_up,
              test_reactivate, fixture_tear_down);
  g_test_add ("/action-dialogs/reactivate-conflict", Fixture, NULL, fixture_set_up,
              test_reactivate_conflict, fixture_tear_down);
  g_test_add ("/action-dialogs/delete", Fixture, NULL, fixture_set_up,
              test_delete, fixture_tear_down);
  g_test_add ("/action-dialogs/dismiss", Fixture, NULL, fixture_set_up,
              test_dismiss, fixture_tear_down);

  g_test_add_func ("/action-dialogs/change-attempt/keyed", test_attempt_keyed);
  g_test_add_func ("/action-dialogs/change-attempt/form", test_attempt_form);
  g_test_add_func ("/action-dialogs/change-attempt/conditional", test_attempt_conditional);

  return g_test_run ();
}
