/* test-ui.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real window over a real service, under Xvfb: Your Products loads,
 * shows each subscription as the rules make it, filters, and follows a
 * change in place.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "bd-application.h"
#include "bd-cancel-pane.h"
#include "bd-format.h"
#include "bd-product-row.h"
#include "bd-products-page.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

typedef struct
{
  BdTestService  *service;
  BdWindow       *window;
  BdProductsPage *page;
} Fixture;

static AdwWindowTitle *
find_window_title (GtkWidget *widget)
{
  if (ADW_IS_WINDOW_TITLE (widget))
    return ADW_WINDOW_TITLE (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwWindowTitle *title = find_window_title (child);

      if (title != NULL)
        return title;
    }

  return NULL;
}

/* The list is in, and so is /v1/me (the subtitle, the service's clock). */
static gboolean
page_loaded (gpointer data)
{
  Fixture *f = data;
  AdwWindowTitle *title = find_window_title (GTK_WIDGET (f->window));

  return !bd_products_page_is_loading (f->page) &&
         g_list_model_get_n_items (bd_products_page_get_model (f->page)) > 0 &&
         title != NULL && *adw_window_title_get_subtitle (title) != '\0';
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BdClient) client = NULL;

  f->service = bd_test_service_new (TENANT, NOW);
  client = bd_client_new (f->service->url, ADMIN);

  f->window = g_object_new (BD_TYPE_WINDOW, NULL);
  f->page = BD_PRODUCTS_PAGE (bd_window_get_products_page (f->window));

  gtk_window_present (GTK_WINDOW (f->window));
  bd_window_set_client (f->window, client);
  g_assert_true (bd_test_wait_until (page_loaded, f, 10000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_pointer (&f->service, bd_test_service_free);
}

static BdSubscription *
find_subscription (Fixture    *f,
                   const char *id)
{
  return bd_test_find_subscription (bd_products_page_get_model (f->page), id);
}

/* The row widget showing @subscription, among the rows realized. */
static BdProductRow *
find_row (GtkWidget      *widget,
          BdSubscription *subscription)
{
  if (BD_IS_PRODUCT_ROW (widget) &&
      bd_product_row_get_subscription (BD_PRODUCT_ROW (widget)) == subscription)
    return BD_PRODUCT_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      BdProductRow *row = find_row (child, subscription);

      if (row != NULL)
        return row;
    }

  return NULL;
}

/* Every label of @widget, joined: what a person reads on the row. */
static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (out, "%s|", gtk_label_get_label (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static char *
row_text (Fixture    *f,
          const char *id)
{
  BdSubscription *subscription = find_subscription (f, id);
  BdProductRow *row;
  GString *out = g_string_new (NULL);

  g_assert_nonnull (subscription);
  row = find_row (GTK_WIDGET (f->window), subscription);
  g_assert_nonnull (row);
  collect_text (GTK_WIDGET (row), out);
  return g_string_free (out, FALSE);
}

/* The billing profiles' names come with an answer of their own, which may
 * come after the list's (read in a thread): s1's row names its profile
 * once they are in.
 */
static gboolean
profile_names_shown (gpointer data)
{
  g_autofree char *text = row_text (data, "s1");

  return strstr (text, "Contoso invoices") != NULL;
}

/* What an administrator reads, word for word, in each language the test
 * runs in besides English (from po/xx.po, dates and money from ICU): a
 * catalog that is not loaded fails; Arabic's counts in Arabic-Indic digits,
 * as bd_format_count writes them. */
typedef struct
{
  const char *language;
  const char *title;
  const char *licenses;           /* 8 of 10 */
  const char *renews;             /* 2026-12-01 */
  const char *refund_window;      /* in 5 days */
  const char *expired;
  const char *reseller;
  const char *refund;             /* DKK 1484.00 */
  const char *refund_sentence;    /* its start */
} Words;

static const Words words_by_language[] = {
  { "da", "Dine produkter", "8 af 10 licenser", "Fornys 1. dec. 2026",
    "Refusionsperioden lukker om 5 dage", "Udløbet", "Forhandler",
    "1.484,00\u00a0kr.", "Du får 1.484,00\u00a0kr. tilbage" },
  { "de", "Ihre Produkte", "8 von 10 Lizenzen", "Wird am 01.12.2026 verlängert",
    "Rückerstattungsfrist endet in 5 Tagen", "Abgelaufen", "Reseller",
    "1.484,00\u00a0DKK", "Sie erhalten 1.484,00\u00a0DKK zurück" },
  { "ar", "منتجاتك", "٨ من ١٠ تراخيص", "يُجدَّد في ٠١\u200f/١٢\u200f/٢٠٢٦",
    "تُغلق فترة الاسترداد خلال ٥ أيام", "منتهي الصلاحية", "بائع",
    "\u200f١٬٤٨٤٫٠٠\u00a0DKK", "ستسترد \u200f١٬٤٨٤٫٠٠\u00a0DKK،" },
};

/* The row for the interface's language; NULL in English. Taking
 * screenshots (build-aux/screenshots) in a language with no row, NULL too:
 * what is compared with the catalog still is, the words written here are
 * not; any other run in such a language fails. */
static const Words *
words (void)
{
  const char *language = bd_format_get_language ();

  if (g_getenv ("BD_TEST_SCREENSHOT_DIR") != NULL && !g_str_equal (language, "en"))
    {
      gboolean has_row = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (words_by_language); i++)
        has_row |= g_str_equal (words_by_language[i].language, language);
      if (!has_row)
        {
          g_test_message ("No words written out for “%s”: only its screenshots", language);
          return NULL;
        }
    }

  return bd_test_for_language (language, words_by_language, sizeof (Words),
                               G_N_ELEMENTS (words_by_language));
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in “%s”", part, text);
}

static void
test_loads (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *s1 = NULL;
  g_autofree char *s9 = NULL;
  g_autofree char *s8 = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *licenses = NULL;
  g_autofree char *renews = NULL;
  g_autofree char *renewal_date = NULL;
  g_autofree char *in_5_days = NULL;
  g_autofree char *window = NULL;
  g_autofree char *shot = NULL;
  AdwWindowTitle *title = find_window_title (GTK_WIDGET (f->window));

  g_assert_cmpstr (adw_window_title_get_title (title), ==, _("Your Products"));
  subtitle = g_strdup_printf (_("%1$s – %2$s, %3$s"), "Contoso A/S", "Anne Berg",
                              _("Global admin"));
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, subtitle);

  /* Deleted ones are not listed. */
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_model (f->page)), ==, 11);

  bd_test_wait_until (profile_names_shown, f, 10000);
  s1 = row_text (f, "s1");
  g_test_message ("s1: %s", s1);
  assert_contains (s1, "Microsoft 365 Business Premium|");
  licenses = g_strdup_printf (ngettext ("%1$s of %2$s license", "%1$s of %2$s licenses", 10),
                              bd_test_count (8), bd_test_count (10));
  assert_contains (s1, licenses);
  assert_contains (s1, C_("subscription status", "Active"));
  assert_contains (s1, _("Recurring billing on"));
  assert_contains (s1, "Contoso invoices");
  renewal_date = bd_format_date (bd_test_time ("2026-12-01T00:00:00Z"));
  renews = g_strdup_printf (_("Renews %s"), renewal_date);
  assert_contains (s1, renews);
  /* Rule 2: the window closes 2026-11-08, five days after NOW. */
  in_5_days = g_strdup_printf (ngettext ("in %s day", "in %s days", 5), bd_test_count (5));
  window = g_strdup_printf (_("Refund window closes %s"), in_5_days);
  assert_contains (s1, window);

  s9 = row_text (f, "s9");
  g_test_message ("s9: %s", s9);
  assert_contains (s9, C_("subscription status", "Expired"));

  s8 = row_text (f, "s8");
  assert_contains (s8, _("Reseller"));

  /* To look at in each language (BD_TEST_SCREENSHOT_DIR): the rows as read,
   * and the end of the list, where the expired and disabled ones are. */
  shot = g_strdup_printf ("your-products-%s", bd_format_get_language ());
  bd_test_save_screenshot (f->window, shot);
  if (g_getenv ("BD_TEST_SCREENSHOT_DIR") != NULL)
    {
      /* The list the rows are in (the page has others, hidden). */
      GtkWidget *list = gtk_widget_get_ancestor (GTK_WIDGET (find_row (GTK_WIDGET (f->window),
                                                                      find_subscription (f, "s1"))),
                                                 GTK_TYPE_LIST_VIEW);
      guint n = g_list_model_get_n_items (bd_products_page_get_shown (f->page));

      /* GTK 4.8 has no gtk_list_view_scroll_to (); its list action does it. */
      g_assert_true (gtk_widget_activate_action (list, "list.scroll-to-item", "u", n - 1));
      g_free (shot);
      shot = g_strdup_printf ("your-products-end-%s", bd_format_get_language ());
      bd_test_save_screenshot (f->window, shot);
    }

  /* What the administrator reads, word for word. */
  if (words () != NULL)
    {
      g_assert_cmpstr (adw_window_title_get_title (title), ==, words ()->title);
      assert_contains (s1, words ()->licenses);
      assert_contains (s1, words ()->renews);
      assert_contains (s1, words ()->refund_window);
      assert_contains (s9, words ()->expired);
      assert_contains (s8, words ()->reseller);
    }
}

/* Search narrows the list by product name; the status filter by status. */
static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  GtkSearchBar *bar = bd_products_page_get_search_bar (f->page);
  GListModel *shown;

  /* Ctrl+F's action opens the search bar. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (bar));

  shown = bd_products_page_get_shown (f->page);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 11);
  bd_products_page_set_search (f->page, "exchange");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  bd_products_page_set_search (f->page, "");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 11);
}

static void
test_refresh_in_place (Fixture       *f,
                       gconstpointer  data)
{
  BdSubscription *before = find_subscription (f, "s1");
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autofree char *text = NULL;

  g_object_ref (before);
  answer = bd_test_service_request (f->service, "POST", "/v1/subscriptions/s1/cancel", ADMIN,
                                    "{\"reason\":\"tooExpensive\"}", "Idempotency-Key", "ui-1",
                                    NULL);
  g_assert_cmpuint (answer->status, ==, 200);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL);
  g_assert_true (bd_products_page_is_loading (f->page));
  g_assert_true (bd_test_wait_until (page_loaded, f, 10000));

  /* The same object, updated: the row follows it without being rebuilt. */
  g_assert_true (find_subscription (f, "s1") == before);
  g_assert_cmpint (bd_subscription_get_status (before), ==, BD_STATUS_DISABLED);
  text = row_text (f, "s1");
  assert_contains (text, C_("subscription status", "Disabled"));
  g_object_unref (before);
}

static GtkWidget *
find_widget_of_type (GtkWidget *widget,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The row's More Actions item opens the Cancel Subscription pane beside the
 * list; Escape's action closes it again.
 */
static void
test_row_menu_opens_pane (Fixture       *f,
                          gconstpointer  data)
{
  BdSubscription *s1 = find_subscription (f, "s1");
  BdProductRow *row = find_row (GTK_WIDGET (f->window), s1);
  AdwFlap *flap = ADW_FLAP (find_widget_of_type (GTK_WIDGET (f->window), ADW_TYPE_FLAP));
  BdCancelPane *pane = BD_CANCEL_PANE (find_widget_of_type (GTK_WIDGET (f->window),
                                                            BD_TYPE_CANCEL_PANE));
  g_autofree char *shot = NULL;

  g_assert_false (adw_flap_get_reveal_flap (flap));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.cancel", NULL));
  g_assert_true (adw_flap_get_reveal_flap (flap));
  g_assert_true (bd_cancel_pane_get_subscription (pane) == s1);
  /* The pane beside the list, to compare their words (BD_TEST_SCREENSHOT_DIR). */
  shot = g_strdup_printf ("products-with-pane-%s", bd_format_get_language ());
  bd_test_save_screenshot (f->window, shot);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "pane.close", NULL));
  g_assert_false (adw_flap_get_reveal_flap (flap));

  /* Focus goes back to the row the pane came from. */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
    GtkWidget *button = find_widget_of_type (GTK_WIDGET (row), GTK_TYPE_MENU_BUTTON);

    g_assert_nonnull (focus);
    g_assert_true (focus == button || gtk_widget_is_ancestor (focus, button));
  }
}

/* A reader's menu says why nothing can be done. */
static void
test_reader_menu_says_why (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BdClient) reader = bd_client_new (f->service->url, READER);
  BdProductRow *row;
  GtkMenuButton *button;
  GMenuModel *menu;
  GMenuModel *reasons;
  g_autofree char *label = NULL;

  bd_window_set_client (f->window, reader);
  g_assert_true (bd_test_wait_until (page_loaded, f, 10000));

  row = find_row (GTK_WIDGET (f->window), find_subscription (f, "s1"));
  button = GTK_MENU_BUTTON (find_widget_of_type (GTK_WIDGET (row), GTK_TYPE_MENU_BUTTON));
  /* The menu is made when it is opened: none before. */
  g_assert_null (gtk_menu_button_get_menu_model (button));
  gtk_menu_button_popup (button);
  menu = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (menu);
  reasons = g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SECTION);
  g_assert_nonnull (reasons);
  g_assert_cmpint (g_menu_model_get_n_items (reasons), ==, 1);
  g_menu_model_get_item_attribute (reasons, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label);
  g_assert_cmpstr (label, ==, _("Only Global admins and Billing admins can make changes"));
  g_object_unref (reasons);
  gtk_menu_button_popdown (button);
}

static GtkWidget *
find_by_action (GtkWidget  *widget,
                const char *action_name)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;

  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_action (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} TextWait;

static gboolean
shows_text (gpointer data)
{
  TextWait *wait = data;
  g_autoptr(GString) out = g_string_new (NULL);

  collect_text (wait->widget, out);
  return strstr (out->str, wait->text) != NULL;
}

static gboolean
save_is_mapped (gpointer data)
{
  return find_by_action (data, "pane.save") != NULL;
}

static gboolean
pane_not_busy (gpointer data)
{
  return !bd_cancel_pane_get_busy (data);
}

/* The whole flow as an admin does it: the row's menu, the pane, a reason,
 * Save (the window does not close while the answer is awaited); the
 * service says Disabled, and so does the row, in place.
 */
static void
test_cancel_through_the_window (Fixture       *f,
                                gconstpointer  data)
{
  BdSubscription *s1 = find_subscription (f, "s1");
  BdProductRow *row = find_row (GTK_WIDGET (f->window), s1);
  BdCancelPane *pane = BD_CANCEL_PANE (find_widget_of_type (GTK_WIDGET (f->window),
                                                            BD_TYPE_CANCEL_PANE));
  AdwFlap *flap = ADW_FLAP (find_widget_of_type (GTK_WIDGET (f->window), ADW_TYPE_FLAP));
  BdMoney refund;
  g_autofree char *amount = NULL;
  TextWait wait = { GTK_WIDGET (pane), NULL };
  GtkDropDown *reasons;
  GListModel *model;
  GtkWidget *save;
  g_autoptr(BdTestAnswer) answer = NULL;
  g_autofree char *text = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.cancel", NULL));

  /* The worked example's s1: 148400 back, in the interface's language. */
  bd_money_init (&refund, 148400, "DKK");
  amount = bd_format_money (&refund);
  wait.text = amount;
  g_assert_true (bd_test_wait_until (shows_text, &wait, 10000));
  if (words () != NULL)
    {
      /* ICU's own spaces and marks: "1.484,00 kr." has a no-break space,
       * Arabic a right-to-left mark before the number. */
      g_assert_cmpstr (amount, ==, words ()->refund);
      wait.text = words ()->refund_sentence;
      g_assert_true (shows_text (&wait));
    }

  reasons = GTK_DROP_DOWN (find_widget_of_type (GTK_WIDGET (pane), GTK_TYPE_DROP_DOWN));
  model = gtk_drop_down_get_model (reasons);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), _("Too expensive")))
        gtk_drop_down_set_selected (reasons, i);
    }

  /* The flap slides the pane in: its buttons are there once it is mapped. */
  bd_test_wait_until (save_is_mapped, pane, 10000);
  save = find_by_action (GTK_WIDGET (pane), "pane.save");
  if (save == NULL)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      collect_text (GTK_WIDGET (pane), out);
      g_error ("no Save in the pane: %s", out->str);
    }
  g_assert_true (gtk_widget_is_sensitive (save));
  g_signal_emit_by_name (save, "clicked");

  /* While the answer is awaited, neither the pane nor the window closes. */
  g_assert_true (bd_cancel_pane_get_busy (pane));
  gtk_widget_activate_action (GTK_WIDGET (pane), "pane.close", NULL);
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_true (adw_flap_get_reveal_flap (flap));

  g_assert_true (bd_test_wait_until (pane_not_busy, pane, 10000));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  answer = bd_test_service_request (f->service, "GET", "/v1/subscriptions/s1", ADMIN, NULL, NULL);
  g_assert_cmpstr (bd_test_answer_string (answer, "status"), ==, "disabled");
  g_assert_cmpint (bd_subscription_get_status (s1), ==, BD_STATUS_DISABLED);
  text = row_text (f, "s1");
  assert_contains (text, C_("subscription status", "Disabled"));
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
   * in the middle of one on a slow frame).
   */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/ui/products/loads", Fixture, NULL, fixture_set_up, test_loads,
              fixture_tear_down);
  g_test_add ("/ui/products/search", Fixture, NULL, fixture_set_up, test_search,
              fixture_tear_down);
  g_test_add ("/ui/products/row-menu-opens-pane", Fixture, NULL, fixture_set_up,
              test_row_menu_opens_pane, fixture_tear_down);
  g_test_add ("/ui/products/reader-menu-says-why", Fixture, NULL, fixture_set_up,
              test_reader_menu_says_why, fixture_tear_down);
  g_test_add ("/ui/cancel-through-the-window", Fixture, NULL, fixture_set_up,
              test_cancel_through_the_window, fixture_tear_down);
  g_test_add ("/ui/products/refresh-in-place", Fixture, NULL, fixture_set_up,
              test_refresh_in_place, fixture_tear_down);

  return g_test_run ();
}
