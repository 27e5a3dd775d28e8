/* test-activity.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's Activity page over a real service, under Xvfb: the entries
 * of a cancel, a PATCH of recurring billing, one of the licenses, a
 * reactivate and a delete made through the window's client, each shown
 * without a refresh and read whole; 260 entries paged in newest first as
 * the list is scrolled, none skipped or repeated; the filter, two
 * subscriptions of one product told apart in it, and a row's Show Activity; a reader's refusal; Export… of the entries, read back by
 * the tests' own CSV reader and compared field by field: with 250 entries,
 * most not loaded yet, every one of them, once, newest first; and a
 * service that stops while they come in writes nothing and says why.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "bd-activity-export.h"
#include "bd-activity-page.h"
#include "bd-application.h"
#include "bd-export.h"
#include "bd-format.h"
#include "bd-product-row.h"
#include "bd-products-page.h"
#include "bd-test-csv.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

typedef struct
{
  BdTestService  *service;
  BdWindow       *window;
  BdProductsPage *products;
  BdActivityPage *page;
} Fixture;

/* The list is in, and so is /v1/me (the header's subtitle). */
static gboolean
products_loaded (gpointer data)
{
  Fixture *f = data;
  GtkWidget *title = bd_test_find_by_type (f->window, ADW_TYPE_WINDOW_TITLE);

  return !bd_products_page_is_loading (f->products) &&
         g_list_model_get_n_items (bd_products_page_get_model (f->products)) > 0 &&
         title != NULL && *adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)) != '\0';
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BdClient) client = NULL;

  f->service = bd_test_service_new (TENANT, NOW);
  client = bd_client_new (f->service->url, data != NULL ? data : ADMIN);

  f->window = g_object_new (BD_TYPE_WINDOW, NULL);
  f->products = BD_PRODUCTS_PAGE (bd_window_get_products_page (f->window));

  gtk_window_present (GTK_WINDOW (f->window));
  bd_window_set_client (f->window, client);
  g_assert_true (bd_test_wait_until (products_loaded, f, 10000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_pointer (&f->service, bd_test_service_free);
}

static gboolean
page_settled (gpointer data)
{
  Fixture *f = data;

  return !bd_activity_page_is_loading (f->page) &&
         g_strcmp0 (bd_activity_page_get_state (f->page), "loading") != 0;
}

/* Main menu > Activity (@id NULL), or a row's Show Activity. */
static void
open_activity (Fixture    *f,
               const char *id)
{
  GtkWidget *content;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-activity", "s",
                                             id != NULL ? id : ""));
  content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window));
  g_assert_true (BD_IS_ACTIVITY_PAGE (content));
  f->page = BD_ACTIVITY_PAGE (content);
  g_assert_true (bd_test_wait_until (page_settled, f, 10000));
}

static GtkListBox *
list_box (Fixture *f)
{
  return GTK_LIST_BOX (bd_test_find_by_type (f->page, GTK_TYPE_LIST_BOX));
}

static guint
n_rows (Fixture *f)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list_box (f), n) != NULL)
    n++;
  return n;
}

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget) &&
      *gtk_label_get_label (GTK_LABEL (widget)) != '\0')
    g_string_append_printf (out, "%s|", gtk_label_get_label (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

/* What a person reads on the @i-th entry, its labels joined by "|". */
static char *
entry_text (Fixture *f,
            guint    i)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list_box (f), i);
  GString *out = g_string_new (NULL);

  g_assert_nonnull (row);
  collect_text (GTK_WIDGET (row), out);
  return g_string_free (out, FALSE);
}

/* An entry as it should read: the sentence, what changed, when. */
static char *
expected (const char *sentence,
          const char *detail)
{
  g_autofree char *when = bd_format_date_time (bd_test_time (NOW));

  if (detail == NULL)
    return g_strdup_printf ("%s|%s|", sentence, when);
  return g_strdup_printf ("%s|%s|%s|", sentence, detail, when);
}

/* The newest entry (or the @i-th) reads @sentence, @detail and when. */
static void
assert_entry (Fixture    *f,
              guint       i,
              const char *sentence,
              const char *detail)
{
  g_autofree char *want = expected (sentence, detail);
  g_autofree char *text = entry_text (f, i);

  g_assert_cmpstr (text, ==, want);
}

typedef struct
{
  Fixture *f;
  guint    n;
} Count;

static gboolean
has_rows (gpointer data)
{
  Count *count = data;

  return page_settled (count->f) && n_rows (count->f) == count->n;
}

/* The page follows a change sent through the window's client, by itself. */
static void
wait_for_rows (Fixture *f,
               guint    n)
{
  Count count = { f, n };

  g_assert_true (bd_test_wait_until (has_rows, &count, 10000));
  g_assert_cmpstr (bd_activity_page_get_state (f->page), ==, "list");
}

static gpointer
finish (GAsyncResult **result)
{
  g_assert_true (bd_test_wait_until (bd_test_has_result, result, 10000));
  return *result;
}

static BdSubscription *
window_subscription (Fixture    *f,
                     const char *id)
{
  BdSubscription *subscription =
    bd_test_find_subscription (bd_products_page_get_model (f->products), id);

  g_assert_nonnull (subscription);
  return subscription;
}

static BdSubscription *
patch (Fixture            *f,
       const char         *id,
       gboolean            set_recurring_billing,
       BdRecurringBilling  recurring_billing,
       gint64              quantity)
{
  BdClient *client = bd_window_get_client (f->window);
  BdSubscription *subscription = window_subscription (f, id);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BdSubscription *answer;

  bd_client_update_async (client, id, bd_subscription_get_data (subscription)->etag,
                          set_recurring_billing, recurring_billing, quantity, NULL,
                          bd_test_store_result_cb, &result);
  answer = bd_client_update_finish (client, finish (&result), &error);
  g_assert_no_error (error);
  bd_subscription_update (subscription, bd_subscription_get_data (answer));
  g_object_unref (answer);
  return subscription;
}

/* Each change by the window's client shows at the top, without a refresh. */
static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  BdClient *client = bd_window_get_client (f->window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BdCancelAnswer) cancelled = NULL;
  g_autoptr(BdSubscription) reactivated = NULL;
  g_autoptr(BdSubscription) deleted = NULL;
  g_autofree char *key = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *refund = NULL;
  g_autofree char *feedback = NULL;
  g_autofree char *cancel_detail = NULL;
  g_autofree char *cancel = NULL;
  g_autofree char *billing = NULL;
  g_autofree char *billing_change = NULL;
  g_autofree char *licenses = NULL;
  g_autofree char *licenses_change = NULL;
  g_autofree char *reactivate = NULL;
  g_autofree char *reactivate_change = NULL;
  g_autofree char *delete = NULL;
  g_autofree char *delete_change = NULL;
  const char *anne = "Anne Berg";

  open_activity (f, NULL);
  g_assert_cmpstr (bd_activity_page_get_state (f->page), ==, "empty");
  g_assert_false (bd_test_action_enabled (f->page, "activity.export"));
  bd_test_assert_shows (f->page, _("No Activity"));
  bd_test_assert_shows (f->page, _("Changes to the subscriptions are listed here."));

  /* A cancel, with its refund and feedback. */
  key = bd_client_new_idempotency_key ();
  bd_client_cancel_async (client, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE,
                          "Vi samler licenserne i E3.", key, NULL, bd_test_store_result_cb,
                          &result);
  cancelled = bd_client_cancel_finish (client, finish (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (cancelled->has_refund);
  amount = bd_format_money (&cancelled->refund);
  refund = g_strdup_printf (_("Refund: %s"), amount);
  feedback = g_strdup_printf (_("Feedback: %s"), "Vi samler licenserne i E3.");
  cancel_detail = g_strdup_printf ("%s\n%s", refund, feedback);
  cancel = g_strdup_printf (_("%1$s cancelled %2$s — %3$s"), anne,
                            "Microsoft 365 Business Premium", _("Too expensive"));
  wait_for_rows (f, 1);
  assert_entry (f, 0, cancel, cancel_detail);
  bd_test_save_screenshot (f->window, "activity-one");

  /* Recurring billing, then the licenses: two PATCHes, an entry each. */
  patch (f, "s3", TRUE, BD_RECURRING_BILLING_OFF, -1);
  billing = g_strdup_printf (_("%1$s changed recurring billing of %2$s"), anne,
                             "Microsoft 365 Business Standard");
  billing_change = g_strdup_printf (_("Recurring billing: %1$s → %2$s"),
                                    C_("recurring billing state", "On"),
                                    C_("recurring billing state", "Off"));
  wait_for_rows (f, 2);
  assert_entry (f, 0, billing, billing_change);

  patch (f, "s3", FALSE, BD_RECURRING_BILLING_ON, 22);
  licenses = g_strdup_printf (_("%1$s changed the licenses of %2$s"), anne,
                              "Microsoft 365 Business Standard");
  licenses_change = g_strdup_printf (_("Licenses: %1$s → %2$s"),
                                     bd_test_count (25), bd_test_count (22));
  wait_for_rows (f, 3);
  assert_entry (f, 0, licenses, licenses_change);

  /* A reactivate. */
  g_clear_pointer (&key, g_free);
  key = bd_client_new_idempotency_key ();
  bd_client_reactivate_async (client, "s9", key, NULL, bd_test_store_result_cb, &result);
  reactivated = bd_client_reactivate_finish (client, finish (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  reactivate = g_strdup_printf (_("%1$s reactivated %2$s"), anne, "Project Plan 3");
  reactivate_change = g_strdup_printf (_("Status: %1$s → %2$s"),
                                       C_("subscription status", "Expired"),
                                       C_("subscription status", "Active"));
  wait_for_rows (f, 4);
  assert_entry (f, 0, reactivate, reactivate_change);

  /* A delete. */
  g_clear_pointer (&key, g_free);
  key = bd_client_new_idempotency_key ();
  bd_client_delete_async (client, "s10",
                          bd_subscription_get_data (window_subscription (f, "s10"))->etag,
                          "Visio Plan 2", key, NULL, bd_test_store_result_cb, &result);
  deleted = bd_client_delete_finish (client, finish (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  delete = g_strdup_printf (_("%1$s deleted %2$s"), anne, "Visio Plan 2");
  delete_change = g_strdup_printf (_("Status: %1$s → %2$s"),
                                   C_("subscription status", "Disabled"),
                                   C_("subscription status", "Deleted"));
  wait_for_rows (f, 5);

  /* Newest first, each read whole. */
  assert_entry (f, 0, delete, delete_change);
  assert_entry (f, 1, reactivate, reactivate_change);
  assert_entry (f, 2, licenses, licenses_change);
  assert_entry (f, 3, billing, billing_change);
  assert_entry (f, 4, cancel, cancel_detail);
  bd_test_save_screenshot (f->window, "activity");

  /* Back to Your Products, as it was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "win.show-products", NULL));
  g_assert_true (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window)) !=
                 GTK_WIDGET (f->page));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (f->products), GTK_WIDGET (f->window)));
}

/* The list scrolled to its end, until the last page is in. */
static void
scroll_to_end (Fixture *f)
{
  GtkScrolledWindow *scrolled =
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (list_box (f)),
                                                  GTK_TYPE_SCROLLED_WINDOW));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  guint rounds = 0;

  while (bd_activity_page_has_more (f->page) || bd_activity_page_is_loading (f->page))
    {
      if (++rounds == 1000)
        g_error ("scrolled 1000 times: %u entries, value %g of %g, page %g, state %s",
                 g_list_model_get_n_items (bd_activity_page_get_entries (f->page)),
                 gtk_adjustment_get_value (adjustment), gtk_adjustment_get_upper (adjustment),
                 gtk_adjustment_get_page_size (adjustment), bd_activity_page_get_state (f->page));
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      bd_test_settle (20);
    }
  g_assert_true (bd_test_wait_until (page_settled, f, 10000));
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(BdTestAnswer) ledger = NULL;
  GListModel *entries;
  JsonArray *value;
  guint n = 260;

  /* 260 entries through the API: recurring billing off and on again. */
  for (guint i = 0; i < n; i++)
    patch (f, "s3", TRUE, i % 2 == 0 ? BD_RECURRING_BILLING_OFF : BD_RECURRING_BILLING_ON, -1);

  open_activity (f, NULL);
  entries = bd_activity_page_get_entries (f->page);
  /* A page, or a few to fill the window: not all of them at once. */
  g_assert_cmpuint (g_list_model_get_n_items (entries), <, n);
  g_assert_true (bd_activity_page_has_more (f->page));

  scroll_to_end (f);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, n);
  g_assert_cmpuint (n_rows (f), ==, n);

  /* The service's own ledger, newest first in one page, entry for entry. */
  ledger = bd_test_service_request (f->service, "GET", "/v1/operations?order=newest&top=500",
                                    ADMIN, NULL, NULL);
  g_assert_cmpuint (ledger->status, ==, 200);
  value = json_object_get_array_member (json_node_get_object (ledger->json), "value");
  g_assert_cmpuint (json_array_get_length (value), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BdOperation) entry = g_list_model_get_item (entries, i);
      const char *id = bd_operation_get_id (entry);
      g_autofree char *sentence = NULL;
      g_autofree char *detail = NULL;
      /* The newest turned it on (i = 259 was an "on"). */
      gboolean turned_on = i % 2 == 0;

      g_assert_cmpstr (id, ==, json_object_get_string_member (json_array_get_object_element (value, i),
                                                              "id"));
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, (gpointer) id);

      sentence = g_strdup_printf (_("%1$s changed recurring billing of %2$s"), "Anne Berg",
                                  "Microsoft 365 Business Standard");
      detail = g_strdup_printf (_("Recurring billing: %1$s → %2$s"),
                                turned_on ? C_("recurring billing state", "Off")
                                          : C_("recurring billing state", "On"),
                                turned_on ? C_("recurring billing state", "On")
                                          : C_("recurring billing state", "Off"));
      assert_entry (f, i, sentence, detail);
    }
}

/* A menu item (GTK's GtkModelButton) that reads @data. */
static gboolean
is_item (GtkWidget     *widget,
         gconstpointer  data)
{
  g_autofree char *text = NULL;

  if (!G_TYPE_CHECK_INSTANCE_TYPE (widget, g_type_from_name ("GtkModelButton")))
    return FALSE;
  g_object_get (widget, "text", &text, NULL);
  return g_strcmp0 (text, data) == 0;
}

static void
assert_all_of (Fixture    *f,
               const char *id)
{
  GListModel *entries = bd_activity_page_get_entries (f->page);

  g_assert_cmpuint (g_list_model_get_n_items (entries), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(BdOperation) entry = g_list_model_get_item (entries, i);

      g_assert_cmpstr (bd_operation_get_subscription_id (entry), ==, id);
    }
}

static void
test_filter (Fixture       *f,
             gconstpointer  data)
{
  GtkDropDown *dropdown;
  GListModel *items;
  BdProductRow *row;
  GtkMenuButton *button;
  GtkWidget *item;
  g_autofree char *label = NULL;
  guint s3 = GTK_INVALID_LIST_POSITION;

  patch (f, "s1", TRUE, BD_RECURRING_BILLING_OFF, -1);
  patch (f, "s3", TRUE, BD_RECURRING_BILLING_OFF, -1);
  patch (f, "s3", FALSE, BD_RECURRING_BILLING_ON, 21);
  patch (f, "s1", FALSE, BD_RECURRING_BILLING_ON, 9);

  open_activity (f, NULL);
  g_assert_cmpuint (n_rows (f), ==, 4);
  g_assert_null (bd_activity_page_get_filter (f->page));

  /* The filter: "All Subscriptions", then each subscription of the list. */
  dropdown = GTK_DROP_DOWN (bd_test_find_by_type (f->page, GTK_TYPE_DROP_DOWN));
  items = gtk_drop_down_get_model (dropdown);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==,
                    1 + g_list_model_get_n_items (bd_products_page_get_model (f->products)));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);
  bd_test_assert_shows (dropdown, _("All Subscriptions"));
  for (guint i = 1; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(GObject) subscription = g_list_model_get_item (items, i);

      if (g_strcmp0 (bd_subscription_get_id (BD_SUBSCRIPTION (subscription)), "s3") == 0)
        s3 = i;
    }
  g_assert_cmpuint (s3, !=, GTK_INVALID_LIST_POSITION);

  gtk_drop_down_set_selected (dropdown, s3);
  g_assert_cmpstr (bd_activity_page_get_filter (f->page), ==, "s3");
  g_assert_true (bd_test_wait_until (page_settled, f, 10000));
  g_assert_cmpuint (n_rows (f), ==, 2);
  assert_all_of (f, "s3");
  bd_test_assert_shows (dropdown, "Microsoft 365 Business Standard");
  bd_test_save_screenshot (f->window, "activity-filtered");

  /* All again. */
  gtk_drop_down_set_selected (dropdown, 0);
  g_assert_null (bd_activity_page_get_filter (f->page));
  g_assert_true (bd_test_wait_until (page_settled, f, 10000));
  g_assert_cmpuint (n_rows (f), ==, 4);

  /* Back (Escape), then s1's More Actions > Show Activity. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "win.show-products", NULL));
  bd_test_settle (50);
  row = BD_PRODUCT_ROW (bd_test_find_row (f->products, "s1"));
  g_assert_nonnull (row);
  button = GTK_MENU_BUTTON (bd_test_find_by_type (row, GTK_TYPE_MENU_BUTTON));
  gtk_menu_button_popup (button);
  label = bd_test_without_mnemonic (_("Show _Activity"));
  item = bd_test_find_widget (gtk_menu_button_get_popover (button), is_item, label);
  g_assert_nonnull (item);
  bd_test_click (item);
  g_assert_true (BD_IS_ACTIVITY_PAGE (
                   adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window))));
  g_assert_true (bd_test_wait_until (page_settled, f, 10000));
  g_assert_cmpstr (bd_activity_page_get_filter (f->page), ==, "s1");
  g_assert_cmpuint (n_rows (f), ==, 2);
  assert_all_of (f, "s1");
  g_assert_cmpstr (bd_subscription_get_id (gtk_drop_down_get_selected_item (dropdown)), ==, "s1");

  /* A change to another subscription shows nowhere here; one to s1 does. */
  patch (f, "s3", TRUE, BD_RECURRING_BILLING_ON, -1);
  bd_test_settle (300);
  g_assert_true (bd_test_wait_until (page_settled, f, 10000));
  g_assert_cmpuint (n_rows (f), ==, 2);
  patch (f, "s1", TRUE, BD_RECURRING_BILLING_ON, -1);
  wait_for_rows (f, 3);
  assert_all_of (f, "s1");
}

/* Where the filter lists subscription @id. */
static guint
filter_position (GtkDropDown *dropdown,
                 const char  *id)
{
  GListModel *items = gtk_drop_down_get_model (dropdown);

  for (guint i = 1; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(BdSubscription) item = g_list_model_get_item (items, i);

      if (g_str_equal (bd_subscription_get_id (item), id))
        return i;
    }
  g_assert_not_reached ();
}

/* What the filter reads for @item (its label, which its search finds). */
static char *
filter_label (GtkDropDown *dropdown,
              gpointer     item)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_true (gtk_expression_evaluate (gtk_drop_down_get_expression (dropdown), item,
                                          &value));
  return g_value_dup_string (&value);
}

static char *
licenses_of (const char *product,
             guint       n)
{
  g_autofree char *count = bd_format_count (n);

  return g_strdup_printf (ngettext ("%1$s – %2$s license", "%1$s – %2$s licenses", n), product,
                          count);
}

/* Subscriptions of one product read apart in the filter: by their
 * licenses, and by their ids too where they have as many; the others by
 * their product alone.
 */
static void
test_filter_names (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *ten = NULL;
  g_autofree char *want_s1 = NULL;
  g_autofree char *want_s2 = NULL;
  g_autofree char *want_s3 = NULL;
  g_autofree char *want_s4 = NULL;
  const char *premium = "Microsoft 365 Business Premium";
  const char *standard = "Microsoft 365 Business Standard";
  GtkDropDown *dropdown;
  GListModel *items;

  /* s2 gets as many licenses as s1 has: 10. */
  patch (f, "s2", FALSE, BD_RECURRING_BILLING_ON, 10);
  ten = licenses_of (premium, 10);
  want_s1 = g_strdup_printf (_("%1$s (%2$s)"), ten, "s1");
  want_s2 = g_strdup_printf (_("%1$s (%2$s)"), ten, "s2");
  want_s3 = licenses_of (standard, 25);
  want_s4 = licenses_of (standard, 26);

  open_activity (f, NULL);
  dropdown = GTK_DROP_DOWN (bd_test_find_by_type (f->page, GTK_TYPE_DROP_DOWN));
  items = gtk_drop_down_get_model (dropdown);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==,
                    1 + g_list_model_get_n_items (bd_products_page_get_model (f->products)));
  for (guint i = 1; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(BdSubscription) item = g_list_model_get_item (items, i);
      const char *id = bd_subscription_get_id (item);
      char *label = filter_label (dropdown, item);

      if (g_str_equal (id, "s1"))
        g_assert_cmpstr (label, ==, want_s1);
      else if (g_str_equal (id, "s2"))
        g_assert_cmpstr (label, ==, want_s2);
      else if (g_str_equal (id, "s3"))
        g_assert_cmpstr (label, ==, want_s3);
      else if (g_str_equal (id, "s4"))
        g_assert_cmpstr (label, ==, want_s4);
      else
        g_assert_cmpstr (label, ==, bd_subscription_get_product_name (item));
      g_assert_false (g_hash_table_contains (seen, label));
      g_hash_table_add (seen, label);
    }

  /* Chosen, it reads so. */
  gtk_drop_down_set_selected (dropdown, filter_position (dropdown, "s4"));
  g_assert_true (bd_test_wait_until (page_settled, f, 10000));
  g_assert_cmpstr (bd_activity_page_get_filter (f->page), ==, "s4");
  bd_test_assert_shows (dropdown, want_s4);
}

/* The amount as the file must hold it: minor units, two decimals. */
static char *
expected_amount (gint64 amount,
                 char   decimal_point)
{
  return g_strdup_printf ("%s%" G_GINT64_FORMAT "%c%02d", amount < 0 ? "-" : "",
                          ABS (amount) / 100, decimal_point, (int) (ABS (amount) % 100));
}

/* The file @path, read back with the tests' own reader in the flavour of
 * the interface language.
 */
static GPtrArray *
read_back (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  char separator = bd_export_get_default_flavour () == BD_CSV_FLAVOUR_DECIMAL_COMMA ? ';' : ',';
  GPtrArray *rows;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  rows = bd_test_csv_parse (contents, length, separator, &error);
  g_assert_no_error (error);
  return rows;
}

/* Export… in the header exports the entries loaded: a cancel with its
 * refund and feedback, and a PATCH of recurring billing, field by field.
 */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  BdClient *client = bd_window_get_client (f->window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BdCancelAnswer) cancelled = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billing-desk-activity-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  g_autofree char *toast = NULL;
  g_autofree char *refund = NULL;
  g_autofree char *billing_change = NULL;
  BdCsvFlavour flavour = bd_export_get_default_flavour ();
  char decimal_point = flavour == BD_CSV_FLAVOUR_DECIMAL_COMMA ? ',' : '.';
  const char *feedback = "Vi samler licenserne i E3; \"nu\"";
  const char *header[] = {
    C_("export column", "Time"), C_("export column", "User"),
    C_("export column", "User ID"), C_("export column", "Action"),
    C_("export column", "Subscription ID"), C_("export column", "Product"),
    C_("export column", "Reason"), C_("export column", "Change"),
    C_("export column", "Refund"), C_("export column", "Currency"),
    C_("export column", "Feedback"), NULL,
  };
  GListModel *entries;
  GtkWidget *button;
  char **fields;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, "activity.csv", NULL);
  file = g_file_new_for_path (path);

  key = bd_client_new_idempotency_key ();
  bd_client_cancel_async (client, "s1", BD_CANCEL_REASON_TOO_EXPENSIVE, feedback, key, NULL,
                          bd_test_store_result_cb, &result);
  cancelled = bd_client_cancel_finish (client, finish (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (cancelled->has_refund);
  patch (f, "s3", TRUE, BD_RECURRING_BILLING_OFF, -1);

  open_activity (f, NULL);
  wait_for_rows (f, 2);

  /* The header's button, named for a screen reader. */
  button = bd_test_find_by_action (f->page, "activity.export");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, _("Export…"));
  g_assert_true (bd_test_action_enabled (f->page, "activity.export"));

  /* As the chooser's answer would. */
  bd_activity_export_to_file (f->page, file, flavour);
  toast = g_strdup_printf (ngettext ("Exported %s entry", "Exported %s entries", 2),
                           bd_test_count (2));
  bd_test_wait_for_text (f->window, toast);

  rows = read_back (path);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstrv (g_ptr_array_index (rows, 0), header);

  entries = bd_activity_page_get_entries (f->page);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(BdOperation) operation = g_list_model_get_item (entries, i);
      g_autofree char *time = bd_test_format (bd_operation_get_time (operation));

      fields = g_ptr_array_index (rows, i + 1);
      g_assert_cmpuint (g_strv_length (fields), ==, 11);
      g_assert_cmpstr (fields[0], ==, time);
      g_assert_cmpstr (fields[1], ==, "Anne Berg");
      g_assert_cmpstr (fields[2], ==, "u1");
    }

  /* Newest first: the PATCH, then the cancel. */
  billing_change = g_strdup_printf ("%s → %s", C_("recurring billing state", "On"),
                                    C_("recurring billing state", "Off"));
  fields = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (fields[3], ==, C_("activity action", "Changed recurring billing"));
  g_assert_cmpstr (fields[4], ==, "s3");
  g_assert_cmpstr (fields[5], ==, "Microsoft 365 Business Standard");
  g_assert_cmpstr (fields[6], ==, "");
  g_assert_cmpstr (fields[7], ==, billing_change);
  g_assert_cmpstr (fields[8], ==, "");
  g_assert_cmpstr (fields[9], ==, "");
  g_assert_cmpstr (fields[10], ==, "");

  refund = expected_amount (cancelled->refund.amount, decimal_point);
  fields = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (fields[3], ==, C_("activity action", "Cancelled"));
  g_assert_cmpstr (fields[4], ==, "s1");
  g_assert_cmpstr (fields[5], ==, "Microsoft 365 Business Premium");
  g_assert_cmpstr (fields[6], ==, _("Too expensive"));
  g_assert_cmpstr (fields[7], ==, "");
  g_assert_cmpstr (fields[8], ==, refund);
  g_assert_cmpstr (fields[9], ==, cancelled->refund.currency);
  g_assert_cmpstr (fields[10], ==, feedback);

  bd_test_remove_tree (dir);
}

/* 250 changes of s3's licenses, 25 → 26 → … → 275: each entry tells
 * where it is in the ledger.
 */
#define N_CHANGES 250

static void
change_licenses (Fixture *f)
{
  for (guint i = 0; i < N_CHANGES; i++)
    patch (f, "s3", FALSE, BD_RECURRING_BILLING_ON, 26 + i);
}

/* Export…'s button spins while the entries not loaded come in. */
static void
assert_exporting (Fixture  *f,
                  gboolean  exporting)
{
  GtkWidget *button = bd_test_find_by_action (f->page, "activity.export");
  GtkWidget *spinner = bd_test_find_by_type (button, GTK_TYPE_SPINNER);

  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==,
                   exporting ? _("Exporting…") : _("Export…"));
  g_assert_true (bd_test_action_enabled (f->page, "activity.export") == !exporting);
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)) == exporting);
  g_assert_true (gtk_widget_get_mapped (spinner) == exporting);
}

/* 250 entries, and Activity open with two pages of 50 or more of them
 * still to come. Returns the file to export to, in @dir.
 */
static GFile *
open_long_activity (Fixture    *f,
                    const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "activity.csv", NULL);

  change_licenses (f);
  open_activity (f, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (bd_activity_page_get_entries (f->page)), <=,
                    N_CHANGES - 100);
  g_assert_true (bd_activity_page_has_more (f->page));
  assert_exporting (f, FALSE);
  return g_file_new_for_path (path);
}

/* Export… writes every entry, not only those loaded: the pages not loaded
 * come into the list first, and the file holds each entry once, newest
 * first, field by field as the service's ledger has it.
 */
static void
test_export_all (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(BdTestAnswer) ledger = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billing-desk-activity-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autofree char *toast = NULL;
  GListModel *entries;
  JsonArray *value;

  g_assert_nonnull (dir);
  file = open_long_activity (f, dir);
  path = g_file_get_path (file);
  entries = bd_activity_page_get_entries (f->page);

  bd_activity_export_to_file (f->page, file, bd_export_get_default_flavour ());
  assert_exporting (f, TRUE);
  bd_test_save_screenshot (f->window, "activity-exporting");
  toast = g_strdup_printf (ngettext ("Exported %s entry", "Exported %s entries", N_CHANGES),
                           bd_test_count (250));
  bd_test_wait_for_text (f->window, toast);
  bd_test_save_screenshot (f->window, "activity-exported");
  assert_exporting (f, FALSE);

  /* They came into the list, as scrolling would have brought them. */
  g_assert_false (bd_activity_page_has_more (f->page));
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, N_CHANGES);
  g_assert_cmpuint (n_rows (f), ==, N_CHANGES);

  ledger = bd_test_service_request (f->service, "GET", "/v1/operations?order=newest&top=500",
                                    ADMIN, NULL, NULL);
  g_assert_cmpuint (ledger->status, ==, 200);
  value = json_object_get_array_member (json_node_get_object (ledger->json), "value");
  g_assert_cmpuint (json_array_get_length (value), ==, N_CHANGES);

  rows = read_back (path);
  g_assert_cmpuint (rows->len, ==, 1 + N_CHANGES);
  for (guint i = 0; i < N_CHANGES; i++)
    {
      JsonObject *entry = json_array_get_object_element (value, i);
      JsonObject *detail = json_object_get_object_member (entry, "detail");
      g_autoptr(BdOperation) shown = g_list_model_get_item (entries, i);
      g_autofree char *time = bd_test_format (bd_test_time (json_object_get_string_member (entry,
                                                                                          "time")));
      g_autofree char *change = NULL;
      char **fields = g_ptr_array_index (rows, i + 1);
      /* Newest first: the last change, 274 → 275, first. */
      gint64 from = 25 + N_CHANGES - 1 - i;

      g_assert_cmpstr (bd_operation_get_id (shown), ==,
                       json_object_get_string_member (entry, "id"));
      g_assert_cmpint (json_object_get_int_member (detail, "from"), ==, from);
      change = g_strdup_printf ("%" G_GINT64_FORMAT " → %" G_GINT64_FORMAT,
                                json_object_get_int_member (detail, "from"),
                                json_object_get_int_member (detail, "to"));

      g_assert_cmpuint (g_strv_length (fields), ==, 11);
      g_assert_cmpstr (fields[0], ==, time);
      g_assert_cmpstr (fields[1], ==, json_object_get_string_member (entry, "userDisplayName"));
      g_assert_cmpstr (fields[2], ==, json_object_get_string_member (entry, "userId"));
      g_assert_cmpstr (json_object_get_string_member (entry, "action"), ==, "changeQuantity");
      g_assert_cmpstr (fields[3], ==, C_("activity action", "Changed licenses"));
      g_assert_cmpstr (fields[4], ==, json_object_get_string_member (entry, "subscriptionId"));
      g_assert_cmpstr (fields[5], ==, json_object_get_string_member (entry, "productName"));
      g_assert_cmpstr (fields[6], ==, "");
      g_assert_cmpstr (fields[7], ==, change);
      g_assert_cmpstr (fields[8], ==, "");
      g_assert_cmpstr (fields[9], ==, "");
      g_assert_cmpstr (fields[10], ==, "");
    }

  bd_test_remove_tree (dir);
}

/* Nothing in @dir: no file, no temporary file beside it. */
static void
assert_empty (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);

  g_assert_nonnull (listing);
  g_assert_null (g_dir_read_name (listing));
}

typedef struct
{
  Fixture *f;
  guint    n_loaded;
  gboolean stopped;
} Stop;

/* The service stops listening once the export's first page is in: the
 * next page is asked of nobody.
 */
static void
on_entries_changed_cb (GListModel *entries,
                       guint       position,
                       guint       removed,
                       guint       added,
                       Stop       *stop)
{
  if (stop->stopped || g_list_model_get_n_items (entries) <= stop->n_loaded)
    return;

  bd_server_disconnect (stop->f->service->server);
  g_clear_object (&stop->f->service->server);
  stop->stopped = TRUE;
}

/* A page that fails while Export… loads them writes nothing and says why;
 * the page loaded before it stays in the list, and Export… is offered again.
 */
static void
test_export_fails (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billing-desk-activity-XXXXXX", NULL);
  g_autofree char *toast = NULL;
  const char *unreachable = _("The billing service could not be reached. "
                              "Nothing was changed; try again.");
  GListModel *entries;
  Stop stop = { f, 0, FALSE };
  gulong handler;

  g_assert_nonnull (dir);
  file = open_long_activity (f, dir);
  entries = bd_activity_page_get_entries (f->page);
  stop.n_loaded = g_list_model_get_n_items (entries);

  handler = g_signal_connect (entries, "items-changed", G_CALLBACK (on_entries_changed_cb),
                              &stop);
  bd_activity_export_to_file (f->page, file, bd_export_get_default_flavour ());
  assert_exporting (f, TRUE);
  toast = g_strdup_printf (_("Could not export to “%1$s”: %2$s"), "activity.csv",
                           _("Not every entry could be loaded"));
  bd_test_wait_for_text (f->window, toast);
  g_signal_handler_disconnect (entries, handler);
  g_assert_true (stop.stopped);
  bd_test_save_screenshot (f->window, "activity-export-failed");

  /* Nothing written, nothing left behind. */
  assert_empty (dir);

  /* The page that came in stays; under it, why the next did not. */
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, stop.n_loaded + 50);
  g_assert_cmpuint (n_rows (f), ==, stop.n_loaded + 50);
  g_assert_true (bd_activity_page_has_more (f->page));
  bd_test_assert_shows (f->page, unreachable);
  assert_exporting (f, FALSE);

  bd_test_remove_tree (dir);
}

/* Another subscription chosen while Export… waits for the entries: the
 * wait is cancelled, nothing is written and nothing is said.
 */
static void
test_export_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("billing-desk-activity-XXXXXX", NULL);
  g_autofree char *failed = NULL;
  GtkDropDown *dropdown;

  g_assert_nonnull (dir);
  file = open_long_activity (f, dir);
  dropdown = GTK_DROP_DOWN (bd_test_find_by_type (f->page, GTK_TYPE_DROP_DOWN));

  bd_activity_export_to_file (f->page, file, bd_export_get_default_flavour ());
  assert_exporting (f, TRUE);
  gtk_drop_down_set_selected (dropdown, filter_position (dropdown, "s3"));
  g_assert_cmpstr (bd_activity_page_get_filter (f->page), ==, "s3");
  g_assert_true (bd_test_wait_until (page_settled, f, 10000));
  bd_test_settle (300);
  g_assert_cmpstr (bd_activity_page_get_state (f->page), ==, "list");
  assert_exporting (f, FALSE);

  assert_empty (dir);
  failed = g_strdup_printf (_("Could not export to “%1$s”: %2$s"), "activity.csv", "");
  bd_test_assert_not_shown (f->window, failed);

  bd_test_remove_tree (dir);
}

/* A reader is told why, and the ledger is not asked for. */
static void
test_reader (Fixture       *f,
             gconstpointer  data)
{
  open_activity (f, NULL);
  g_assert_cmpstr (bd_activity_page_get_state (f->page), ==, "refused");
  g_assert_cmpuint (g_list_model_get_n_items (bd_activity_page_get_entries (f->page)), ==, 0);
  g_assert_false (bd_test_action_enabled (f->page, "activity.export"));
  bd_test_assert_shows (f->page, _("Activity Is for Admins"));
  bd_test_assert_shows (f->page,
                        _("Only Global admins and Billing admins can see who changed the subscriptions."));
  bd_test_save_screenshot (f->window, "activity-reader");
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
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/activity/changes", Fixture, NULL, fixture_set_up, test_changes,
              fixture_tear_down);
  g_test_add ("/activity/paging", Fixture, NULL, fixture_set_up, test_paging,
              fixture_tear_down);
  g_test_add ("/activity/filter", Fixture, NULL, fixture_set_up, test_filter,
              fixture_tear_down);
  g_test_add ("/activity/filter-names", Fixture, NULL, fixture_set_up, test_filter_names,
              fixture_tear_down);
  g_test_add ("/activity/export", Fixture, NULL, fixture_set_up, test_export,
              fixture_tear_down);
  g_test_add ("/activity/export-all", Fixture, NULL, fixture_set_up, test_export_all,
              fixture_tear_down);
  g_test_add ("/activity/export-fails", Fixture, NULL, fixture_set_up, test_export_fails,
              fixture_tear_down);
  g_test_add ("/activity/export-cancelled", Fixture, NULL, fixture_set_up,
              test_export_cancelled, fixture_tear_down);
  g_test_add ("/activity/reader", Fixture, READER, fixture_set_up, test_reader,
              fixture_tear_down);

  return g_test_run ();
}
