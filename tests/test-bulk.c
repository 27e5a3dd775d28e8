/* test-bulk.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Selection mode and bulk Turn Off Recurring Billing: the real window over
 * a real service, under Xvfb, with a proxy of the test's own in front,
 * which counts the PATCHes it is sent and answers, holds them (to cancel a
 * run halfway) or answers one with a 503 (an unknown outcome). Thirty
 * subscriptions, some of which cannot change; the summary is compared
 * whole, in English and in Danish (each sentence a whole msgid), and every
 * subscription's recurring billing with what the service says. Ctrl+A and
 * Escape are real key events (XTest).
 */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "bd-application.h"
#include "bd-bulk-run.h"
#include "bd-format.h"
#include "bd-product-row.h"
#include "bd-products-page.h"
#include "bd-test-keys.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

#define WAIT_MS 20000
#define N_SUBSCRIPTIONS 30

/* What each subscription is, by its number (s01 .. s30). */
typedef enum
{
  KIND_ON,          /* Active, recurring billing on: changes */
  KIND_RENEW_ONCE,  /* Active, renews once: changes */
  KIND_RESELLER,    /* Active, bought through a reseller: changes (rule 13) */
  KIND_EXPIRED,     /* skipped: not active */
  KIND_DISABLED,    /* skipped: not active */
  KIND_OFF,         /* Active, already off: skipped */
  KIND_STALE,       /* changed through the API after the list was read: 412 */
} Kind;

static Kind
kind_of (guint n)
{
  switch (n)
    {
    case 5:
      return KIND_RENEW_ONCE;
    case 21:
      return KIND_RESELLER;
    case 22:
    case 23:
      return KIND_EXPIRED;
    case 24:
      return KIND_DISABLED;
    case 25:
    case 26:
      return KIND_OFF;
    case 27:
      return KIND_STALE;
    default:
      return KIND_ON;
    }
}

static gboolean
can_change (Kind kind)
{
  return kind == KIND_ON || kind == KIND_RENEW_ONCE || kind == KIND_RESELLER ||
         kind == KIND_STALE;
}

static char *
product_name (guint n)
{
  static const char *products[] = {
    "Microsoft 365 Business Premium", "Microsoft 365 Business Standard",
    "Exchange Online (Plan 1)", "Microsoft Teams Essentials", "Visio Plan 2",
  };

  /* Sorted as the service sorts them (by name): the number first. */
  return g_strdup_printf ("%02u %s", n, products[n % G_N_ELEMENTS (products)]);
}

static char *
make_tenant (void)
{
  g_autoptr(GString) json = g_string_new (NULL);

  g_string_append (json,
                   "{\"tenant\":{\"displayName\":\"Contoso A/S\",\"cloud\":\"worldwide\","
                   "\"currency\":\"DKK\"},\"users\":["
                   "{\"id\":\"u1\",\"displayName\":\"Anne Berg\",\"roles\":[\"globalAdmin\"],"
                   "\"token\":\"" ADMIN "\"},"
                   "{\"id\":\"u3\",\"displayName\":\"Mette Ågård\",\"roles\":[\"globalReader\"],"
                   "\"token\":\"" READER "\"}],\"subscriptions\":[");
  for (guint n = 1; n <= N_SUBSCRIPTIONS; n++)
    {
      g_autofree char *name = product_name (n);
      Kind kind = kind_of (n);
      const char *status = kind == KIND_EXPIRED ? "expired"
                           : kind == KIND_DISABLED ? "disabled" : "active";
      const char *recurring = kind == KIND_RENEW_ONCE ? "renewOnce"
                              : (kind == KIND_EXPIRED || kind == KIND_DISABLED ||
                                 kind == KIND_OFF) ? "off" : "on";
      /* As service-tenant.h's s9 (expired) and s10 (disabled). */
      const char *start = kind == KIND_EXPIRED ? "2026-09-30T00:00:00Z"
                          : kind == KIND_DISABLED ? "2026-10-01T00:00:00Z"
                          : "2026-11-01T00:00:00Z";
      const char *term_end = kind == KIND_EXPIRED ? "2026-10-30T00:00:00Z"
                             : kind == KIND_DISABLED ? "2026-10-25T00:00:00Z"
                             : "2026-12-01T00:00:00Z";
      g_autofree char *changed = NULL;

      if (kind == KIND_EXPIRED || kind == KIND_DISABLED)
        changed = g_strdup_printf (",\"statusChangedDate\":\"%s\"", term_end);

      g_string_append_printf (json,
                              "%s{\"id\":\"s%02u\",\"productName\":\"%s\",\"status\":\"%s\","
                              "\"quantity\":%u,\"billingFrequency\":\"monthly\","
                              "\"unitPrice\":{\"amount\":15900,\"currency\":\"DKK\"},"
                              "\"recurringBilling\":\"%s\",%s"
                              "\"startDate\":\"%s\",\"lastRenewalDate\":\"%s\","
                              "\"termEndDate\":\"%s\"%s}",
                              n > 1 ? "," : "", n, name, status, n, recurring,
                              kind == KIND_RESELLER ? "\"purchaseChannel\":\"reseller\"," : "",
                              start, start, term_end, changed != NULL ? changed : "");
    }
  g_string_append (json, "]}");

  return g_string_free (g_steal_pointer (&json), FALSE);
}

/*
 * The proxy
 */

typedef enum
{
  PROXY_PASS,      /* every request to the service and back */
  PROXY_FAIL_ONE,  /* a PATCH of fail_id answered 503, not passed on */
  PROXY_HOLD,      /* PATCHes held until released */
} ProxyMode;

typedef struct
{
  BdTestService  *service;
  SoupServer     *proxy;
  SoupSession    *session;
  char           *proxy_url;
  ProxyMode       mode;
  const char     *fail_id;
  guint           n_received;  /* PATCHes */
  guint           n_answered;
  GPtrArray      *held;        /* of Held */
  BdWindow       *window;
  BdProductsPage *page;
} Fixture;

typedef struct
{
  Fixture           *f;
  SoupServerMessage *message;
  SoupMessage       *forward;
  gboolean           counted;  /* a PATCH */
} Held;

static void
held_free (Held *held)
{
  g_object_unref (held->message);
  g_object_unref (held->forward);
  g_free (held);
}

static void
patch_answered_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Held *held = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                               NULL);

  if (body != NULL && soup_server_message_get_socket (held->message) != NULL)
    {
      bd_test_forward_answer (held->message, held->forward, body);
      held->f->n_answered += held->counted;
    }
  held_free (held);
}

static void
send_held (Held *held)
{
  soup_session_send_and_read_async (held->f->session, held->forward, G_PRIORITY_DEFAULT, NULL,
                                    patch_answered_cb, held);
}

static void
proxy_handler (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Fixture *f = user_data;
  const char *host = soup_message_headers_get_one (
    soup_server_message_get_request_headers (message), "Host");
  gboolean patch = g_str_equal (soup_server_message_get_method (message), "PATCH");
  Held *held;

  f->n_received += patch;
  if (f->mode == PROXY_FAIL_ONE && g_str_has_suffix (path, f->fail_id))
    {
      static const char body[] = "{\"error\":{\"code\":\"unavailable\","
                                 "\"message\":\"The database cannot be reached now.\"}}";

      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Retry-After", "5");
      soup_server_message_set_status (message, 503, NULL);
      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
      f->n_answered++;
      return;
    }

  held = g_new0 (Held, 1);
  held->f = f;
  held->counted = patch;
  held->message = g_object_ref (message);
  held->forward = bd_test_forward_request (message, f->service->url, path);
  /* The list's nextLink names the proxy, which the client checks. */
  if (host != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (held->forward), "Host",
                                  host);
  soup_server_message_pause (message);
  if (patch && f->mode == PROXY_HOLD)
    g_ptr_array_add (f->held, held);
  else
    send_held (held);
}

static void
release_held (Fixture *f)
{
  g_autoptr(GPtrArray) held = g_steal_pointer (&f->held);

  f->held = g_ptr_array_new ();
  for (guint i = 0; i < held->len; i++)
    send_held (g_ptr_array_index (held, i));
}

/*
 * Fixture
 */

static gboolean
page_loaded (gpointer data)
{
  Fixture *f = data;

  return !bd_products_page_is_loading (f->page) &&
         g_list_model_get_n_items (bd_products_page_get_model (f->page)) == N_SUBSCRIPTIONS;
}

static void
open_window (Fixture    *f,
             const char *token)
{
  g_autoptr(BdClient) client = bd_client_new (f->proxy_url, token);

  f->window = g_object_new (BD_TYPE_WINDOW, NULL);
  f->page = BD_PRODUCTS_PAGE (bd_window_get_products_page (f->window));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 960, 680);
  gtk_window_present (GTK_WINDOW (f->window));
  bd_window_set_client (f->window, client);
  if (!bd_test_wait_until (page_loaded, f, WAIT_MS))
    {
      g_autofree char *shown = bd_test_widget_text (f->window);

      g_error ("%u subscriptions loaded; the window shows: %s",
               g_list_model_get_n_items (bd_products_page_get_model (f->page)), shown);
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *tenant = make_tenant ();
  guint16 port;

  f->service = bd_test_service_new (tenant, NOW);
  f->session = soup_session_new ();
  soup_session_set_proxy_resolver (f->session, NULL);
  f->held = g_ptr_array_new ();
  f->proxy = bd_test_proxy_listen (proxy_handler, f, &port);
  f->proxy_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  f->mode = PROXY_PASS;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWindow *dialog;

  while ((dialog = bd_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    gtk_window_destroy (dialog);
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  release_held (f);
  soup_server_disconnect (f->proxy);
  g_clear_object (&f->proxy);
  soup_session_abort (f->session);
  /* The proxy's last answers and the window's last callbacks. */
  bd_test_settle (100);
  g_clear_object (&f->session);
  g_clear_pointer (&f->held, g_ptr_array_unref);
  g_clear_pointer (&f->proxy_url, g_free);
  g_clear_pointer (&f->service, bd_test_service_free);
}

/*
 * Helpers
 */

/* What the administrator reads, word for word, in each language the test
 * runs in besides English (from po/xx.po): a catalog that is not loaded
 * fails. Arabic's sentence with the count 5 is left to the catalog
 * comparison, as its digits are the count's formatting's to choose. */
typedef struct
{
  const char *language;
  const char *confirm;            /* the confirmation's body begins so */
  const char *skipped_5;
  const char *already_off;
  const char *unknown_1;
} Words;

static const Words words_by_language[] = {
  { "da", "Tilbagevendende fakturering slås fra for", "5 abonnementer sprunget over:",
    "Tilbagevendende fakturering er allerede slået fra",
    "Resultatet kendes ikke for 1 abonnement" },
  { "de", "Die wiederkehrende Abrechnung wird für", "5 Abonnements übersprungen:",
    "Die wiederkehrende Abrechnung ist bereits deaktiviert",
    "Ergebnis für 1 Abonnement nicht bekannt" },
  { "ar", "سيتم إيقاف تشغيل الفوترة المتكررة لـ", NULL, "الفوترة المتكررة متوقفة بالفعل",
    "النتيجة غير معروفة لاشتراك واحد" },
};

/* The row for the interface's language; NULL in English. */
static const Words *
words (void)
{
  return bd_test_for_language (bd_format_get_language (), words_by_language, sizeof (Words),
                               G_N_ELEMENTS (words_by_language));
}

static gboolean
is_select_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)),
                    "selection-mode-symbolic") == 0;
}

static GtkWidget *
select_button (Fixture *f)
{
  GtkWidget *button = bd_test_find_widget (f->window, is_select_button, NULL);

  g_assert_nonnull (button);
  return button;
}

static GtkActionBar *
action_bar (Fixture *f)
{
  GtkWidget *bar = bd_test_find_by_type (f->page, GTK_TYPE_ACTION_BAR);

  g_assert_nonnull (bar);
  return GTK_ACTION_BAR (bar);
}

static char *
selected_text (guint n)
{
  g_autofree char *count = bd_format_count (n);

  return g_strdup_printf (ngettext ("%s selected", "%s selected", n), count);
}

static guint
count_selected (Fixture *f)
{
  g_autoptr(GtkBitset) selected =
    gtk_selection_model_get_selection (bd_products_page_get_selection (f->page));

  return (guint) gtk_bitset_get_size (selected);
}

static void
select_ids (Fixture            *f,
            const char * const *ids)
{
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.select-row", "(sb)",
                                               ids[i], TRUE));
}

static guint
number_of (BdSubscription *subscription)
{
  return (guint) g_ascii_strtoull (bd_subscription_get_id (subscription) + 1, NULL, 10);
}

/* The message dialog named @name, mapped, or NULL. */
static AdwMessageDialog *
find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)) &&
          g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (window)), name) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog (data) != NULL;
}

static AdwMessageDialog *
wait_for_dialog (const char *name)
{
  if (!bd_test_wait_until (dialog_shown, (gpointer) name, WAIT_MS))
    g_error ("no dialog %s", name);
  return find_dialog (name);
}

static gboolean
is_summary_text (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_widget_get_name (widget),
                                             "bulk-summary-text") == 0;
}

static const char *
summary_text (AdwMessageDialog *dialog)
{
  GtkWidget *label = bd_test_find_widget (dialog, is_summary_text, NULL);

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

/* Turn Off Recurring Billing in the action bar, then the confirmation's
 * Turn Off; the confirmation's text compared whole.
 */
static void
turn_off_confirmed (Fixture *f,
                    guint    to_send,
                    guint    skipped)
{
  AdwMessageDialog *confirm;
  g_autofree char *to_send_count = bd_format_count (to_send);
  g_autofree char *change = NULL;
  g_autofree char *expected = NULL;

  bd_test_click (bd_test_find_by_action (f->page, "page.turn-off-recurring-billing"));
  confirm = wait_for_dialog ("bulk-confirm");
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==,
                   _("Turn Off Recurring Billing?"));
  change = g_strdup_printf (ngettext ("Recurring billing will be turned off for %s subscription. "
                                      "It stays active until its term ends, and nothing more "
                                      "is charged for it.",
                                      "Recurring billing will be turned off for %s "
                                      "subscriptions. Each stays active until its term ends, "
                                      "and nothing more is charged for them.", to_send),
                            to_send_count);
  if (skipped > 0)
    {
      g_autofree char *skipped_count = bd_format_count (skipped);
      g_autofree char *skip = g_strdup_printf (ngettext ("%s selected subscription can’t be "
                                                         "changed and is skipped.",
                                                         "%s selected subscriptions can’t be "
                                                         "changed and are skipped.", skipped),
                                               skipped_count);

      expected = g_strdup_printf (C_("two sentences", "%1$s %2$s"), change, skip);
    }
  else
    expected = g_strdup (change);
  g_assert_cmpstr (adw_message_dialog_get_body (confirm), ==, expected);
  if (words () != NULL)
    g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (confirm), words ()->confirm));
  bd_test_save_screenshot_in_language (confirm, "bulk-confirm");
  adw_message_dialog_response (confirm, "turn-off");
}

static void
append_section (GString    *text,
                const char *title)
{
  if (text->len > 0)
    g_string_append (text, "\n\n");
  g_string_append (text, title);
}

static void
append_line (GString    *text,
             const char *name,
             const char *why)
{
  g_string_append_c (text, '\n');
  if (why == NULL)
    g_string_append_printf (text, _("• %s"), name);
  else
    g_string_append_printf (text, _("• %1$s — %2$s"), name, why);
}

/* The skipped section: the five that cannot change, in the list's order,
 * each with the rules' reason.
 */
static void
append_skipped (GString    *expected,
                GListModel *shown)
{
  g_autofree char *title = g_strdup_printf (ngettext ("Skipped %s subscription:",
                                                      "Skipped %s subscriptions:", 5),
                                                      bd_test_count (5));

  append_section (expected, title);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (shown, i);
      Kind kind = kind_of (number_of (subscription));

      if (kind == KIND_EXPIRED || kind == KIND_DISABLED)
        append_line (expected, bd_subscription_get_product_name (subscription),
                     _("Only an active subscription can be changed"));
      else if (kind == KIND_OFF)
        append_line (expected, bd_subscription_get_product_name (subscription),
                     _("Recurring billing is already off"));
    }
}

/* The service's recurring billing of sNN, and the row's the same. */
static void
assert_recurring (Fixture    *f,
                  guint       n,
                  const char *value)
{
  g_autofree char *id = g_strdup_printf ("s%02u", n);
  BdSubscription *row = bd_test_find_subscription (bd_products_page_get_model (f->page), id);
  BdRecurringBilling recurring;

  bd_test_service_assert_says (f->service, ADMIN, id, "recurringBilling", value);
  g_assert_nonnull (row);
  recurring = bd_subscription_get_data (row)->recurring_billing;
  g_assert_cmpstr (bd_recurring_billing_to_string (recurring), ==, value);
}

static gboolean
never_shown (gpointer data)
{
  return FALSE;
}

/*
 * Tests
 */

/* Thirty selected with Ctrl+A: each that may change is changed, with its
 * own If-Match; the rest are skipped with the rules' reasons; the stale one
 * fails; the summary, whole; the rows and the service agree.
 */
static void
test_summary (Fixture       *f,
              gconstpointer  data)
{
  static const char * const few[] = { "s01", "s03", "s04", NULL };
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) done = g_string_new (NULL);
  g_autoptr(BdTestAnswer) behind = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *text = NULL;
  BdSubscription *stale;
  AdwMessageDialog *summary;
  GListModel *shown;
  GtkWidget *row;
  guint changed = 0, skipped = 0, failed = 0;

  open_window (f, ADMIN);
  shown = bd_products_page_get_shown (f->page);

  /* Changed through the API after the list was read: its ETag is stale. */
  stale = bd_test_find_subscription (bd_products_page_get_model (f->page), "s27");
  behind = bd_test_service_request (f->service, "PATCH", "/v1/subscriptions/s27", ADMIN,
                                    "{\"quantity\":28}", "If-Match",
                                    bd_subscription_get_data (stale)->etag, NULL);
  g_assert_cmpuint (behind->status, ==, 200);
  f->n_received = 0;

  /* The header's Select button: check boxes and the action bar. */
  g_assert_false (gtk_action_bar_get_revealed (action_bar (f)));
  bd_test_click (select_button (f));
  g_assert_true (bd_products_page_get_selection_mode (f->page));
  g_assert_true (gtk_action_bar_get_revealed (action_bar (f)));
  text = selected_text (0);
  bd_test_assert_shows (f->page, text);
  g_assert_false (bd_test_action_enabled (f->page, "page.turn-off-recurring-billing"));
  g_clear_pointer (&text, g_free);

  select_ids (f, few);
  text = selected_text (3);
  bd_test_wait_for_text (f->page, text);
  g_assert_true (bd_test_action_enabled (f->page, "page.turn-off-recurring-billing"));
  g_clear_pointer (&text, g_free);
  bd_test_save_screenshot_in_language (f->window, "selection");

  /* Ctrl+A, a real key, on a row (the list view itself keeps Escape and
   * Ctrl+A when it has the focus): every row shown. */
  row = bd_test_find_by_type (f->page, BD_TYPE_PRODUCT_ROW);
  bd_test_keys_focus_window (GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_grab_focus (row));
  bd_test_keys_press (GTK_WINDOW (f->window), GDK_KEY_a, GDK_CONTROL_MASK);
  g_assert_cmpuint (count_selected (f), ==, N_SUBSCRIPTIONS);
  text = selected_text (N_SUBSCRIPTIONS);
  bd_test_wait_for_text (f->page, text);
  g_clear_pointer (&text, g_free);

  turn_off_confirmed (f, 25, 5);
  summary = wait_for_dialog ("bulk-summary");
  bd_test_save_screenshot_in_language (summary, "bulk-summary");

  /* The summary, built here from the msgids and the list's order. */
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (shown, i);
      Kind kind = kind_of (number_of (subscription));

      changed += can_change (kind) && kind != KIND_STALE;
      skipped += !can_change (kind);
      failed += kind == KIND_STALE;
    }
  g_assert_cmpuint (changed, ==, 24);
  g_assert_cmpuint (failed, ==, 1);
  append_section (expected, text = g_strdup_printf (ngettext ("Failed for %s subscription:",
                                                              "Failed for %s subscriptions:",
                                                              failed), bd_test_count (1)));
  g_clear_pointer (&text, g_free);
  append_line (expected, bd_subscription_get_product_name (stale),
               _("Someone else changed this subscription. It has been reloaded."));

  g_assert_cmpuint (skipped, ==, 5);
  append_skipped (expected, shown);
  append_section (done, text = g_strdup_printf (ngettext ("Turned off for %s subscription:",
                                                              "Turned off for %s subscriptions:",
                                                              changed), bd_test_count (24)));
  g_clear_pointer (&text, g_free);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (shown, i);
      Kind kind = kind_of (number_of (subscription));

      if (can_change (kind) && kind != KIND_STALE)
        append_line (done, bd_subscription_get_product_name (subscription), NULL);
    }
  append_section (expected, done->str);

  heading = g_strdup_printf (ngettext ("Recurring Billing Turned Off for %s Subscription",
                                       "Recurring Billing Turned Off for %s Subscriptions",
                                       changed), bd_test_count (24));
  g_assert_cmpstr (adw_message_dialog_get_heading (summary), ==, heading);
  g_assert_cmpstr (summary_text (summary), ==, expected->str);
  if (words () != NULL)
    {
      if (words ()->skipped_5 != NULL)
        g_assert_nonnull (strstr (summary_text (summary), words ()->skipped_5));
      g_assert_nonnull (strstr (summary_text (summary), words ()->already_off));
    }

  /* One PATCH each that could change, each answered; none for the rest. */
  g_assert_cmpuint (f->n_received, ==, 25);
  g_assert_cmpuint (f->n_answered, ==, 25);
  for (guint n = 1; n <= N_SUBSCRIPTIONS; n++)
    {
      Kind kind = kind_of (n);

      if (kind == KIND_STALE)
        assert_recurring (f, n, "on");
      else
        assert_recurring (f, n, "off");
    }
  /* The rows say it in place: the first one shown, turned off. */
  bd_test_assert_shows (bd_test_find_row (f->window, "s01"), _("Recurring billing off"));

  /* The stale one was read again: its row shows the quantity changed. */
  g_assert_cmpint (bd_subscription_get_data (stale)->quantity, ==, 28);

  /* The run over: selection mode left. */
  g_assert_false (bd_products_page_get_selection_mode (f->page));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (select_button (f))));
}

/* libsoup's two connections a host: two of the four the run sent reach
 * the proxy, the other two wait in the client's queue.
 */
static gboolean
two_held (gpointer data)
{
  Fixture *f = data;

  return f->held->len >= 2;
}

/* Cancel halfway: the four sent finish and are counted; the rest are not
 * sent, and stay on at the service.
 */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *title = NULL;
  AdwMessageDialog *summary;
  GListModel *shown;
  guint sent = 0;

  f->mode = PROXY_HOLD;
  open_window (f, ADMIN);
  shown = bd_products_page_get_shown (f->page);

  bd_products_page_set_selection_mode (f->page, TRUE);
  gtk_selection_model_select_all (bd_products_page_get_selection (f->page));
  turn_off_confirmed (f, 25, 5);

  g_assert_true (bd_test_wait_until (two_held, f, WAIT_MS));
  g_assert_true (bd_products_page_is_busy (f->page));
  title = g_strdup_printf (ngettext ("Turning off recurring billing: %1$s of %2$s",
                                     "Turning off recurring billing: %1$s of %2$s", 25),
                                     bd_test_count (0), bd_test_count (25));
  bd_test_assert_shows (f->page, title);
  g_clear_pointer (&title, g_free);

  bd_test_click (bd_test_find_by_action (f->page, "page.stop-bulk"));
  g_assert_false (bd_test_action_enabled (f->page, "page.stop-bulk"));
  f->mode = PROXY_PASS;
  release_held (f);
  summary = wait_for_dialog ("bulk-summary");

  /* No more was sent than answered, and nothing after Cancel. */
  bd_test_wait_until (never_shown, NULL, 300);
  g_assert_cmpuint (f->n_received, ==, BD_BULK_RUN_MAX_IN_FLIGHT);
  g_assert_cmpuint (f->n_answered, ==, f->n_received);

  append_skipped (expected, shown);
  append_section (expected, title = g_strdup_printf (ngettext ("Not sent for %s subscription, "
                                                               "as the run was cancelled:",
                                                               "Not sent for %s subscriptions, "
                                                               "as the run was cancelled:", 21),
                                                     bd_test_count (21)));
  g_clear_pointer (&title, g_free);
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (shown, i);

      if (can_change (kind_of (number_of (subscription))) && sent++ >= 4)
        append_line (expected, bd_subscription_get_product_name (subscription), NULL);
    }
  append_section (expected, title = g_strdup_printf (ngettext ("Turned off for %s subscription:",
                                                               "Turned off for %s subscriptions:",
                                                               4), bd_test_count (4)));
  g_clear_pointer (&title, g_free);
  sent = 0;
  for (guint i = 0; i < g_list_model_get_n_items (shown) && sent < 4; i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (shown, i);

      if (can_change (kind_of (number_of (subscription))))
        {
          append_line (expected, bd_subscription_get_product_name (subscription), NULL);
          sent++;
        }
    }
  g_assert_cmpstr (summary_text (summary), ==, expected->str);

  /* The service: the first four off, the other changeable ones as they were. */
  sent = 0;
  for (guint n = 1; n <= N_SUBSCRIPTIONS; n++)
    {
      Kind kind = kind_of (n);

      if (!can_change (kind))
        assert_recurring (f, n, "off");
      else if (sent++ < 4)
        assert_recurring (f, n, "off");
      else
        assert_recurring (f, n, kind == KIND_RENEW_ONCE ? "renewOnce" : "on");
    }
}

/* A 503 for one: its outcome is unknown, listed as such, never retried;
 * the others changed.
 */
static void
test_unknown (Fixture       *f,
              gconstpointer  data)
{
  static const char * const five[] = { "s01", "s02", "s03", "s04", "s06", NULL };
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *title = NULL;
  AdwMessageDialog *summary;
  g_autofree char *name = NULL;

  f->mode = PROXY_FAIL_ONE;
  f->fail_id = "/s03";
  open_window (f, ADMIN);

  select_ids (f, five);
  g_assert_true (bd_products_page_get_selection_mode (f->page));
  turn_off_confirmed (f, 5, 0);
  summary = wait_for_dialog ("bulk-summary");

  append_section (expected, title = g_strdup_printf (ngettext ("Result not known for %s "
                                                               "subscription — check it before "
                                                               "trying again:",
                                                               "Result not known for %s "
                                                               "subscriptions — check them before "
                                                               "trying again:", 1),
                                                               bd_test_count (1)));
  g_clear_pointer (&title, g_free);
  name = product_name (3);
  append_line (expected, name,
               _("The billing service had a problem, so the result is not known yet."));
  append_section (expected, title = g_strdup_printf (ngettext ("Turned off for %s subscription:",
                                                               "Turned off for %s subscriptions:",
                                                               4), bd_test_count (4)));
  g_clear_pointer (&title, g_free);
  for (guint n = 1; n <= 6; n++)
    {
      g_autofree char *product = product_name (n);

      if (n != 3 && n != 5)
        append_line (expected, product, NULL);
    }
  g_assert_cmpstr (summary_text (summary), ==, expected->str);
  if (words () != NULL)
    g_assert_nonnull (strstr (summary_text (summary), words ()->unknown_1));

  /* Sent once, not again. */
  g_assert_cmpuint (f->n_received, ==, 5);
  assert_recurring (f, 1, "off");
  assert_recurring (f, 3, "on");
  assert_recurring (f, 5, "renewOnce");
  assert_recurring (f, 6, "off");
}

/* A reader: nothing sent, each skipped for the role. */
static void
test_reader (Fixture       *f,
             gconstpointer  data)
{
  AdwMessageDialog *summary;
  g_autofree char *title = NULL;

  open_window (f, READER);
  bd_products_page_set_selection_mode (f->page, TRUE);
  gtk_selection_model_select_all (bd_products_page_get_selection (f->page));
  bd_test_click (bd_test_find_by_action (f->page, "page.turn-off-recurring-billing"));
  summary = wait_for_dialog ("bulk-summary");

  g_assert_cmpstr (adw_message_dialog_get_heading (summary), ==,
                   _("Recurring Billing Not Turned Off"));
  title = g_strdup_printf (ngettext ("Skipped %s subscription:", "Skipped %s subscriptions:",
                                     N_SUBSCRIPTIONS), bd_test_count (30));
  g_assert_true (g_str_has_prefix (summary_text (summary), title));
  bd_test_assert_shows (summary, _("Only Global admins and Billing admins can make changes"));
  g_assert_cmpuint (f->n_received, ==, 0);
}

/* A real click (XTest, through the X server) on the product name of @id's
 * row, with Control held if @control.
 */
static void
click_row (Fixture    *f,
           const char *id,
           gboolean    control)
{
  Display *display = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  GtkWidget *row = bd_test_find_row (f->window, id);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
  KeyCode control_key = XKeysymToKeycode (display, XK_Control_L);
  graphene_point_t point;
  double surface_x, surface_y, x;
  int root_x, root_y;
  Window child;

  g_assert_nonnull (row);
  /* Near the start of the product's name: text, not the check box or the
   * menu button; at the right in a right-to-left window. */
  x = gtk_widget_get_direction (row) == GTK_TEXT_DIR_RTL ? gtk_widget_get_width (row) - 60 : 60;
  g_assert_true (gtk_widget_compute_point (row, GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (x, 8), &point));
  gtk_native_get_surface_transform (GTK_NATIVE (f->window), &surface_x, &surface_y);
  XTranslateCoordinates (display, gdk_x11_surface_get_xid (surface), DefaultRootWindow (display),
                         (int) (point.x + surface_x), (int) (point.y + surface_y),
                         &root_x, &root_y, &child);
  XTestFakeMotionEvent (display, -1, root_x, root_y, CurrentTime);
  if (control)
    XTestFakeKeyEvent (display, control_key, True, CurrentTime);
  XTestFakeButtonEvent (display, 1, True, CurrentTime);
  XTestFakeButtonEvent (display, 1, False, CurrentTime);
  if (control)
    XTestFakeKeyEvent (display, control_key, False, CurrentTime);
  XFlush (display);
}

typedef struct
{
  Fixture *f;
  guint    n;
} Selected;

static gboolean
n_selected (gpointer data)
{
  Selected *selected = data;

  return bd_products_page_get_selection_mode (selected->f->page) &&
         count_selected (selected->f) == selected->n;
}

static void
assert_selected (Fixture *f,
                 guint    n)
{
  Selected selected = { f, n };

  if (!bd_test_wait_until (n_selected, &selected, WAIT_MS))
    g_error ("%u selected, not %u", count_selected (f), n);
}

/* Ctrl+click on a row starts selection mode with it; then a click turns a
 * row on or off.
 */
static void
test_ctrl_click (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *text = NULL;

  open_window (f, ADMIN);
  bd_test_keys_focus_window (GTK_WINDOW (f->window));
  g_assert_false (bd_products_page_get_selection_mode (f->page));

  /* A plain click does not select. */
  click_row (f, "s02", FALSE);
  bd_test_settle (200);
  g_assert_false (bd_products_page_get_selection_mode (f->page));

  click_row (f, "s02", TRUE);
  assert_selected (f, 1);
  g_assert_true (gtk_selection_model_is_selected (bd_products_page_get_selection (f->page), 1));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (select_button (f))));
  bd_test_settle (100);
  click_row (f, "s04", FALSE);
  assert_selected (f, 2);
  text = selected_text (2);
  bd_test_wait_for_text (f->page, text);
  bd_test_settle (100);
  click_row (f, "s04", FALSE);
  assert_selected (f, 1);
  g_assert_false (gtk_selection_model_is_selected (bd_products_page_get_selection (f->page), 3));
}

/* In selection mode a row's focus is its check box: Space turns it on
 * and off, a real key.
 */
static void
test_space (Fixture       *f,
            gconstpointer  data)
{
  GtkRoot *root;

  open_window (f, ADMIN);
  bd_products_page_set_selection_mode (f->page, TRUE);
  bd_test_keys_focus_window (GTK_WINDOW (f->window));
  bd_test_settle (100);
  g_assert_true (gtk_widget_grab_focus (bd_test_find_row (f->window, "s03")));
  root = gtk_widget_get_root (GTK_WIDGET (f->page));
  g_assert_true (GTK_IS_CHECK_BUTTON (gtk_root_get_focus (root)));

  bd_test_keys_press (GTK_WINDOW (f->window), GDK_KEY_space, 0);
  assert_selected (f, 1);
  g_assert_true (gtk_selection_model_is_selected (bd_products_page_get_selection (f->page), 2));
  bd_test_keys_press (GTK_WINDOW (f->window), GDK_KEY_space, 0);
  assert_selected (f, 0);
}

/* Escape leaves selection mode (Ctrl+A is in test_summary). */
static void
test_escape (Fixture       *f,
             gconstpointer  data)
{
  static const char * const two[] = { "s02", "s07", NULL };

  open_window (f, ADMIN);
  select_ids (f, two);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (select_button (f))));
  g_assert_cmpuint (count_selected (f), ==, 2);

  bd_test_keys_focus_window (GTK_WINDOW (f->window));
  g_assert_true (gtk_widget_grab_focus (bd_test_find_by_type (f->page, BD_TYPE_PRODUCT_ROW)));
  bd_test_keys_press (GTK_WINDOW (f->window), GDK_KEY_Escape, 0);

  g_assert_false (bd_products_page_get_selection_mode (f->page));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (select_button (f))));
  g_assert_cmpuint (count_selected (f), ==, 0);
  g_assert_false (gtk_action_bar_get_revealed (action_bar (f)));
}

/* Ctrl+A selects the rows shown: a search for "Visio" shows six, five of
 * which change (s24 is disabled); the rest are neither sent nor changed.
 */
static void
test_filtered (Fixture       *f,
               gconstpointer  data)
{
  AdwMessageDialog *summary;

  open_window (f, ADMIN);
  bd_products_page_set_search (f->page, "Visio");
  g_assert_cmpuint (g_list_model_get_n_items (bd_products_page_get_shown (f->page)), ==, 6);
  bd_products_page_set_selection_mode (f->page, TRUE);

  bd_test_keys_focus_window (GTK_WINDOW (f->window));
  bd_test_settle (100);
  g_assert_true (gtk_widget_grab_focus (bd_test_find_row (f->window, "s04")));
  bd_test_keys_press (GTK_WINDOW (f->window), GDK_KEY_a, GDK_CONTROL_MASK);
  g_assert_cmpuint (count_selected (f), ==, 6);

  turn_off_confirmed (f, 5, 1);
  summary = wait_for_dialog ("bulk-summary");
  g_assert_nonnull (summary);
  g_assert_cmpuint (f->n_received, ==, 5);
  for (guint n = 1; n <= N_SUBSCRIPTIONS; n++)
    if (can_change (kind_of (n)))
      assert_recurring (f, n, n % 5 == 4 ? "off" : kind_of (n) == KIND_RENEW_ONCE ? "renewOnce"
                                                                                 : "on");
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

  g_test_add ("/bulk/summary", Fixture, NULL, fixture_set_up, test_summary, fixture_tear_down);
  g_test_add ("/bulk/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/bulk/unknown", Fixture, NULL, fixture_set_up, test_unknown, fixture_tear_down);
  g_test_add ("/bulk/reader", Fixture, NULL, fixture_set_up, test_reader, fixture_tear_down);
  g_test_add ("/bulk/escape", Fixture, NULL, fixture_set_up, test_escape, fixture_tear_down);
  g_test_add ("/bulk/ctrl-click", Fixture, NULL, fixture_set_up, test_ctrl_click,
              fixture_tear_down);
  g_test_add ("/bulk/filtered", Fixture, NULL, fixture_set_up, test_filtered, fixture_tear_down);
  g_test_add ("/bulk/space", Fixture, NULL, fixture_set_up, test_space, fixture_tear_down);

  return g_test_run ();
}
