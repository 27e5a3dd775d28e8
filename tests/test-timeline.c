/* test-timeline.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The timeline of the Cancel Subscription pane over a real service, under
 * Xvfb: what a screen reader hears of it, whole, for a subscription in its
 * refund window, one past it, a trial and one with recurring billing off;
 * its past marks dim; its labels clear of each other at 360 px, and
 * wrapped only between words, long ones too; right to left, mirrored.
 *
 * With BD_TEST_SCREENSHOT_DIR set, it also saves the pane there:
 * timeline-LANG.png, and timeline-rtl.png.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "bd-application.h"
#include "bd-cancel-pane.h"
#include "bd-format.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-timeline-private.h"

#define NOW "2026-11-03T00:00:00Z"
#define ADMIN "token-global-admin-0001"
#define WAIT_MS 15000

#define SUB(id, product, dates, extra) \
  "{\"id\":\"" id "\",\"productName\":\"" product "\",\"status\":\"active\"," \
  "\"unitPrice\":{\"amount\":15900,\"currency\":\"DKK\"},\"quantity\":5," \
  "\"billingProfileId\":\"bp1\"," dates "," extra "}"

#define MONTHLY(start, end) \
  "\"billingFrequency\":\"monthly\",\"startDate\":\"" start "\"," \
  "\"lastRenewalDate\":\"" start "\",\"termEndDate\":\"" end "\""

/* t1 in its refund window, t2 past it (so it can't be cancelled), t3 a
 * trial, t4 with recurring billing off, on an annual term that ends after
 * the data of a cancel today would be deleted. */
#define TENANT \
  "{\"tenant\":{\"displayName\":\"Contoso A/S\",\"cloud\":\"worldwide\",\"currency\":\"DKK\"}," \
  "\"users\":[{\"id\":\"u1\",\"displayName\":\"Anne Berg\",\"roles\":[\"globalAdmin\"]," \
  "\"token\":\"" ADMIN "\"}]," \
  "\"billingProfiles\":[{\"id\":\"bp1\",\"displayName\":\"Contoso invoices\"," \
  "\"paymentMethod\":\"invoice\"}]," \
  "\"subscriptions\":[" \
  SUB ("t1", "Microsoft 365 Business Premium", \
       MONTHLY ("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"), "\"assignedLicenses\":4") "," \
  SUB ("t2", "Microsoft 365 Business Standard", \
       MONTHLY ("2026-10-20T00:00:00Z", "2026-11-20T00:00:00Z"), "\"assignedLicenses\":4") "," \
  SUB ("t3", "Exchange Online (Plan 1)", \
       MONTHLY ("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"), "\"isTrial\":true") "," \
  SUB ("t4", "Visio Plan 2", \
       "\"billingFrequency\":\"annual\",\"startDate\":\"2026-10-30T00:00:00Z\"," \
       "\"lastRenewalDate\":\"2026-10-30T00:00:00Z\",\"termEndDate\":\"2027-10-30T00:00:00Z\"", \
       "\"recurringBilling\":\"off\"") \
  "]}"

typedef struct
{
  BdTestService *service;
  BdClient      *client;
  GtkWindow     *window;
  BdCancelPane  *pane;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->service = bd_test_service_new (TENANT, NOW);
  f->client = bd_client_new (f->service->url, ADMIN);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_decorated (f->window, FALSE);
  /* Wide as the pane is, or as narrow as a window gets. */
  gtk_window_set_default_size (f->window, data != NULL ? GPOINTER_TO_INT (data) : 420, 900);
  f->pane = bd_cancel_pane_new ();
  gtk_window_set_child (f->window, GTK_WIDGET (f->pane));
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->client);
  g_clear_pointer (&f->service, bd_test_service_free);
  bd_application_set_default_direction ();
}

static gboolean
is_loaded (gpointer data)
{
  Fixture *f = data;
  g_autofree char *what = bd_test_without_mnemonic (_("What happens"));
  g_autofree char *blocked =
    bd_test_without_mnemonic (_("You can’t cancel this subscription online"));
  g_autofree char *text = bd_test_widget_text (f->pane);

  return strstr (text, what) != NULL || strstr (text, blocked) != NULL;
}

/* Whether the timeline has placed every mark it shows (a layout is made at
 * each allocation: this fixture's pane has had no other dates). */
static gboolean
is_laid_out (gpointer data)
{
  BdTimeline *timeline = data;

  for (guint mark = 0; mark < BD_TIMELINE_N_MARKS; mark++)
    {
      GtkWidget *label = GTK_WIDGET (_bd_timeline_get_mark_label (timeline, mark));

      if (gtk_widget_get_visible (gtk_widget_get_parent (label)) &&
          (!gtk_widget_get_mapped (label) || _bd_timeline_get_mark_x (timeline, mark) < 0))
        return FALSE;
    }
  return TRUE;
}

/* Opens the pane on @id, as the window would, and returns its timeline
 * once the answer is shown and laid out. */
static BdTimeline *
open_pane (Fixture    *f,
           const char *id)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BdSubscription) subscription = NULL;
  BdTimeline *timeline;

  bd_client_get_subscription_async (f->client, id, NULL, bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, WAIT_MS));
  subscription = bd_client_get_subscription_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);

  bd_cancel_pane_open (f->pane, f->client, subscription, BD_CLOUD_WORLDWIDE, bd_test_time (NOW));
  g_assert_true (bd_test_wait_until (is_loaded, f, WAIT_MS));

  timeline = BD_TIMELINE (bd_test_find_shown_by_type (f->pane, BD_TYPE_TIMELINE));
  g_assert_nonnull (timeline);
  g_assert_true (bd_test_wait_until (is_laid_out, timeline, WAIT_MS));
  return timeline;
}

/* One sentence: @format with the date of @time in place of its "%s" (as
 * the widget's printf does; a format from the catalog can't be given to
 * printf here, unchecked). */
static char *
sentence (const char *format,
          const char *time)
{
  g_autofree char *date = bd_format_date (bd_test_time (time));
  GString *text = g_string_new (format);

  g_assert_cmpuint (g_string_replace (text, "%s", date, 0), ==, 1);
  return g_string_free (text, FALSE);
}

/* What a screen reader hears: the sentences, in time order. */
static void
assert_text (BdTimeline *timeline,
             ...)
{
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *failure = NULL;
  const char *format;
  va_list args;

  va_start (args, timeline);
  while ((format = va_arg (args, const char *)) != NULL)
    {
      g_autofree char *one = sentence (format, va_arg (args, const char *));

      g_string_append_printf (expected, "%s%s", expected->len > 0 ? " " : "", one);
    }
  va_end (args);

  failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (timeline),
                                                GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                expected->str);
  if (failure != NULL)
    g_error ("The timeline says “%s”, not “%s”", failure, expected->str);
}

static gboolean
is_dim (BdTimeline     *timeline,
        BdTimelineMark  mark)
{
  return gtk_widget_has_css_class (GTK_WIDGET (_bd_timeline_get_mark_label (timeline, mark)),
                                   "dim-label");
}

static gboolean
is_shown (BdTimeline     *timeline,
          BdTimelineMark  mark)
{
  return gtk_widget_get_mapped (GTK_WIDGET (_bd_timeline_get_mark_label (timeline, mark)));
}

/* The marks' labels word for word (from po/xx.po) in each language the
 * test runs in besides English: each msgid, then what it reads. A catalog
 * that is not loaded fails. */
typedef struct
{
  const char *language;
  const char *labels[12];
} Words;

static const Words words_by_language[] = {
  { "da", { "Today", "I dag",
            "Refund window ends", "Refusionsperioden slutter",
            "Refund window ended", "Refusionsperioden sluttede",
            "Term ends", "Perioden slutter",
            "Data deletable", "Data kan slettes",
            "Data deleted", "Data slettes" } },
  { "de", { "Today", "Heute",
            "Refund window ends", "Rückerstattungsfrist endet",
            "Refund window ended", "Rückerstattungsfrist abgelaufen",
            "Term ends", "Laufzeit endet",
            "Data deletable", "Daten löschbar",
            "Data deleted", "Daten gelöscht" } },
  { "ar", { "Today", "اليوم",
            "Refund window ends", "تنتهي فترة الاسترداد",
            "Refund window ended", "انتهت فترة الاسترداد",
            "Term ends", "تنتهي الفترة",
            "Data deletable", "البيانات قابلة للحذف",
            "Data deleted", "تُحذف البيانات" } },
};

/* @mark's label is @msgid from the catalog, and in a language of
 * words_by_language, the words written there. */
static void
assert_label (BdTimeline     *timeline,
              BdTimelineMark  mark,
              const char     *msgid)
{
  const char *label = gtk_label_get_label (_bd_timeline_get_mark_label (timeline, mark));
  const Words *words = bd_test_for_language (bd_format_get_language (), words_by_language,
                                             sizeof (Words), G_N_ELEMENTS (words_by_language));
  const char *expected = NULL;

  g_assert_cmpstr (label, ==, gettext (msgid));
  if (words == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (words->labels); i += 2)
    if (g_str_equal (words->labels[i], msgid))
      expected = words->labels[i + 1];
  g_assert_nonnull (expected);
  g_assert_cmpstr (label, ==, expected);
}

/* @earlier's mark comes before @later's as the line reads: left of it, or
 * right of it in a right-to-left language (Arabic's interface, mirrored). */
static void
assert_before (BdTimeline     *timeline,
               BdTimelineMark  earlier,
               BdTimelineMark  later)
{
  double before = _bd_timeline_get_mark_x (timeline, earlier);
  double after = _bd_timeline_get_mark_x (timeline, later);

  if (gtk_widget_get_direction (GTK_WIDGET (timeline)) == GTK_TEXT_DIR_RTL)
    g_assert_cmpfloat (before, >, after);
  else
    g_assert_cmpfloat (before, <, after);
}

/* All five marks in time order, as the line reads. */
static void
assert_in_reading_order (BdTimeline *timeline)
{
  for (guint mark = 1; mark < BD_TIMELINE_N_MARKS; mark++)
    assert_before (timeline, mark - 1, mark);
}

/* Each line of @label starts a word: it is wrapped only between words,
 * never in the middle of one ("Återbetalnings-perioden"). */
static void
assert_words_whole (GtkLabel *label)
{
  PangoLayout *layout = gtk_label_get_layout (label);
  const char *text = pango_layout_get_text (layout);
  const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly (layout, NULL);
  int text_width;

  for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;
      glong offset = g_utf8_pointer_to_offset (text, text + pango_layout_line_get_start_index (line));

      if (offset > 0 && !attrs[offset].is_word_start)
        g_error ("“%s” is wrapped inside a word, before “%s”", text,
                 text + pango_layout_line_get_start_index (line));
    }

  /* A word that does not fit is not cut either: it runs out of the label. */
  pango_layout_get_pixel_size (layout, &text_width, NULL);
  if (text_width > gtk_widget_get_width (GTK_WIDGET (label)))
    g_error ("“%s” is %d px wide in a label of %d px", text, text_width,
             gtk_widget_get_width (GTK_WIDGET (label)));
}

/* No two labels shown overlap, each is inside the timeline, and none is
 * wrapped inside a word. */
static void
assert_labels_clear (BdTimeline *timeline)
{
  graphene_rect_t bounds[BD_TIMELINE_N_MARKS];
  guint n = 0;
  int width = gtk_widget_get_width (GTK_WIDGET (timeline));

  for (guint mark = 0; mark < BD_TIMELINE_N_MARKS; mark++)
    {
      GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (_bd_timeline_get_mark_label (timeline,
                                                                                      mark)));

      if (!gtk_widget_get_mapped (box))
        continue;
      assert_words_whole (_bd_timeline_get_mark_label (timeline, mark));
      g_assert_true (gtk_widget_compute_bounds (box, GTK_WIDGET (timeline), &bounds[n]));
      g_assert_cmpfloat (bounds[n].origin.x, >=, 0);
      g_assert_cmpfloat (bounds[n].origin.x + bounds[n].size.width, <=, width);
      for (guint j = 0; j < n; j++)
        g_assert_false (graphene_rect_intersection (&bounds[n], &bounds[j], NULL));
      n++;
    }
  g_assert_cmpuint (n, >=, 3);
}

/*
 * Tests
 */

/* In its window: today, the window's end, the term's end; then the data
 * dates of a cancel today, 30 and 180 days on. Nothing is past. */
static void
test_in_window (Fixture       *f,
                gconstpointer  data)
{
  BdTimeline *timeline = open_pane (f, "t1");

  assert_text (timeline,
               _("Today is %s."), NOW,
               _("The refund window ends on %s."), "2026-11-08T00:00:00Z",
               _("The term ends on %s."), "2026-12-01T00:00:00Z",
               _("Data can be deleted from %s."), "2026-12-03T00:00:00Z",
               _("Data is deleted by %s."), "2027-05-02T00:00:00Z",
               NULL);
  assert_label (timeline, BD_TIMELINE_TODAY, "Today");
  assert_label (timeline, BD_TIMELINE_WINDOW_END, "Refund window ends");
  assert_label (timeline, BD_TIMELINE_TERM_END, "Term ends");
  assert_label (timeline, BD_TIMELINE_DELETABLE, "Data deletable");
  assert_label (timeline, BD_TIMELINE_DELETED, "Data deleted");
  for (guint mark = 0; mark < BD_TIMELINE_N_MARKS; mark++)
    {
      g_assert_true (is_shown (timeline, mark));
      g_assert_false (is_dim (timeline, mark));
    }
  assert_in_reading_order (timeline);
  assert_labels_clear (timeline);

  bd_test_save_screenshot_in_language (f->window, "timeline");
}

/* Past the window: it can't be cancelled, so no data dates; the window's
 * end comes first, dim, in the past tense. */
static void
test_past_window (Fixture       *f,
                  gconstpointer  data)
{
  BdTimeline *timeline = open_pane (f, "t2");

  assert_text (timeline,
               _("The refund window ended on %s."), "2026-10-27T00:00:00Z",
               _("Today is %s."), NOW,
               _("The term ends on %s."), "2026-11-20T00:00:00Z",
               NULL);
  assert_label (timeline, BD_TIMELINE_WINDOW_END, "Refund window ended");
  g_assert_true (is_dim (timeline, BD_TIMELINE_WINDOW_END));
  g_assert_false (is_dim (timeline, BD_TIMELINE_TODAY));
  g_assert_false (is_dim (timeline, BD_TIMELINE_TERM_END));
  g_assert_false (is_shown (timeline, BD_TIMELINE_DELETABLE));
  g_assert_false (is_shown (timeline, BD_TIMELINE_DELETED));
  assert_before (timeline, BD_TIMELINE_WINDOW_END, BD_TIMELINE_TODAY);
  assert_labels_clear (timeline);

  bd_test_save_screenshot_in_language (f->window, "timeline-past");
}

/* A trial can be cancelled at any time: no refund window. */
static void
test_trial (Fixture       *f,
            gconstpointer  data)
{
  BdTimeline *timeline = open_pane (f, "t3");

  assert_text (timeline,
               _("Today is %s."), NOW,
               _("The term ends on %s."), "2026-12-01T00:00:00Z",
               _("Data can be deleted from %s."), "2026-12-03T00:00:00Z",
               _("Data is deleted by %s."), "2027-05-02T00:00:00Z",
               NULL);
  g_assert_false (is_shown (timeline, BD_TIMELINE_WINDOW_END));
  assert_labels_clear (timeline);
}

/* Recurring billing off, on an annual term: the term's end comes last,
 * after the data dates, the marks in time order. */
static void
test_recurring_billing_off (Fixture       *f,
                            gconstpointer  data)
{
  BdTimeline *timeline = open_pane (f, "t4");

  assert_text (timeline,
               _("Today is %s."), NOW,
               _("The refund window ends on %s."), "2026-11-06T00:00:00Z",
               _("Data can be deleted from %s."), "2026-12-03T00:00:00Z",
               _("Data is deleted by %s."), "2027-05-02T00:00:00Z",
               _("The term ends on %s."), "2027-10-30T00:00:00Z",
               NULL);
  assert_before (timeline, BD_TIMELINE_DELETED, BD_TIMELINE_TERM_END);
  for (guint mark = 0; mark < BD_TIMELINE_N_MARKS; mark++)
    g_assert_false (is_dim (timeline, mark));
  assert_labels_clear (timeline);
}

/* At 360 px, the narrowest window, the five labels still do not touch. */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  BdTimeline *timeline = open_pane (f, "t1");

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), ==, 360);
  assert_labels_clear (timeline);

  bd_test_save_screenshot_in_language (f->window, "timeline-narrow");
}

/* Right to left: the line runs from the right, the labels with it. */
static void
test_rtl (Fixture       *f,
          gconstpointer  data)
{
  BdTimeline *timeline;
  double first, last;

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  timeline = open_pane (f, "t1");
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (timeline)), ==, GTK_TEXT_DIR_RTL);

  first = _bd_timeline_get_mark_x (timeline, BD_TIMELINE_TODAY);
  last = _bd_timeline_get_mark_x (timeline, BD_TIMELINE_DELETED);
  g_assert_cmpfloat (first, >, last);
  assert_in_reading_order (timeline);
  assert_labels_clear (timeline);

  bd_test_save_screenshot (f->window, "timeline-rtl");
}

/* A timeline alone in a window @width px wide, with the five marks of
 * test_in_window (), labelled @labels where given; laid out. */
static BdTimeline *
timeline_in_window (int                width,
                    const char *const *labels)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  BdTimeline *timeline = bd_timeline_new ();

  gtk_window_set_decorated (window, FALSE);
  gtk_window_set_default_size (window, width, 200);
  gtk_window_set_child (window, GTK_WIDGET (timeline));
  bd_timeline_set_dates (timeline, bd_test_time (NOW), bd_test_time ("2026-11-08T00:00:00Z"),
                         bd_test_time ("2026-12-01T00:00:00Z"),
                         bd_test_time ("2026-12-03T00:00:00Z"),
                         bd_test_time ("2027-05-02T00:00:00Z"));
  for (guint mark = 0; labels != NULL && mark < BD_TIMELINE_N_MARKS; mark++)
    gtk_label_set_label (_bd_timeline_get_mark_label (timeline, mark), labels[mark]);
  gtk_window_present (window);
  g_assert_true (bd_test_wait_until (is_laid_out, timeline, WAIT_MS));

  g_test_message ("%d px: the timeline is %d px wide", width,
                  gtk_widget_get_width (GTK_WIDGET (timeline)));
  return timeline;
}

/* Alone, in windows from 240 px to 960 px wide: the five marks' labels
 * never touch, whether side by side, above and below the line or
 * wrapped. */
static void
test_widths (void)
{
  for (int width = 240; width <= 960; width += 40)
    {
      BdTimeline *timeline = timeline_in_window (width, NULL);

      assert_labels_clear (timeline);
      assert_in_reading_order (timeline);
      gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (timeline))));
    }
}

/* Labels with long words, as in Swedish and Dutch, in windows from 240 px
 * to 520 px wide: no word is cut, none runs out of its label, and the
 * labels still do not touch (the timeline is wider than the narrowest
 * windows). */
static void
test_long_words (void)
{
  static const char *const long_labels[BD_TIMELINE_N_MARKS] = {
    [BD_TIMELINE_TODAY] = "Vandaag",
    [BD_TIMELINE_WINDOW_END] = "Återbetalningsperioden stänger",
    [BD_TIMELINE_TERM_END] = "Perioden upphör",
    [BD_TIMELINE_DELETABLE] = "Gegevens verwijderbaar",
    [BD_TIMELINE_DELETED] = "Terugbetalingsperiode",
  };

  for (int width = 240; width <= 520; width += 40)
    {
      BdTimeline *timeline = timeline_in_window (width, long_labels);

      assert_labels_clear (timeline);
      assert_in_reading_order (timeline);
      gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (timeline))));
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* GTK's own accessibility context, in place of none: what a screen
   * reader would hear is read with gtk_test_accessible_check_property (). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bd_application_set_default_direction ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add ("/timeline/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("in-window", test_in_window);
  ADD ("past-window", test_past_window);
  ADD ("trial", test_trial);
  ADD ("recurring-billing-off", test_recurring_billing_off);
  g_test_add ("/timeline/narrow", Fixture, GINT_TO_POINTER (360), fixture_set_up, test_narrow,
              fixture_tear_down);
  ADD ("rtl", test_rtl);
  g_test_add_func ("/timeline/widths", test_widths);
  g_test_add_func ("/timeline/long-words", test_long_words);

#undef ADD

  return g_test_run ();
}
