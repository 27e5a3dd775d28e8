/* bd-timeline.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-format.h"
#include "bd-time.h"
#include "bd-timeline-private.h"

/* The line, its dots and the space between them and the labels. */
#define DOT_RADIUS  5
#define LINE_WIDTH  2
#define LINE_AREA   (2 * DOT_RADIUS + 12)
/* Between two labels side by side, and between two marks whose labels are
 * on either side of the line. */
#define LABEL_GAP   12
#define MARK_GAP    (2 * DOT_RADIUS + 6)
/* What Adwaita's .dim-label does to a colour. */
#define DIM_ALPHA   0.55

/* Where the marks go at one width: the shown marks in time order, each
 * mark's centre (left to right; mirrored when drawn right to left) and
 * width, and whether labels alternate above and below the line because
 * they do not fit side by side under it.
 */
typedef struct
{
  guint  n;
  guint  order[BD_TIMELINE_N_MARKS];
  double x[BD_TIMELINE_N_MARKS];
  int    width[BD_TIMELINE_N_MARKS];
  guint  rows;
} Layout;

struct _BdTimeline
{
  GtkWidget  parent_instance;

  gint64     now;
  gint64     times[BD_TIMELINE_N_MARKS];

  /* As last allocated, for the drawing. */
  Layout     layout;
  int        line_y;

  GtkWidget *marks[BD_TIMELINE_N_MARKS];
  GtkLabel  *labels[BD_TIMELINE_N_MARKS];
  GtkLabel  *dates[BD_TIMELINE_N_MARKS];
};

G_DEFINE_FINAL_TYPE (BdTimeline, bd_timeline, GTK_TYPE_WIDGET)

/*
 * Placing the marks
 */

/* The shown marks, earliest first; on the same day, in life's order. */
static guint
sort_marks (BdTimeline *self,
            guint      *order)
{
  guint n = 0;

  for (guint mark = 0; mark < BD_TIMELINE_N_MARKS; mark++)
    {
      guint i = n;

      if (self->times[mark] == BD_TIME_NONE)
        continue;
      for (; i > 0 && self->times[order[i - 1]] > self->times[mark]; i--)
        order[i] = order[i - 1];
      order[i] = mark;
      n++;
    }

  return n;
}

/* How far apart the marks @i and @j (j < i) must be: labels on the same
 * side of the line must not touch; on either side, only the dots. */
static double
min_distance (const Layout *layout,
              guint         i,
              guint         j)
{
  if (layout->rows == 2 && (i - j) % 2 == 1)
    return MARK_GAP;
  return (layout->width[i] + layout->width[j]) / 2.0 + LABEL_GAP;
}

/* Each mark as near to its place in time as the labels allow, within
 * @width: pushed right where it is too near the one before, then left
 * where that took it past the end. Returns whether all fit. */
static gboolean
place_marks (BdTimeline *self,
             Layout     *layout,
             int         width)
{
  guint n = layout->n;
  const gint64 *times = self->times;
  gint64 first = times[layout->order[0]];
  gint64 span = times[layout->order[n - 1]] - first;
  double lo = layout->width[0] / 2.0;
  double hi = width - layout->width[n - 1] / 2.0;
  guint back = layout->rows == 2 ? 2 : 1;

  for (guint i = 0; i < n; i++)
    {
      double x = span > 0 ? lo + (hi - lo) * (double) (times[layout->order[i]] - first) / span : lo;

      x = MAX (x, layout->width[i] / 2.0);
      for (guint j = i >= back ? i - back : 0; j < i; j++)
        x = MAX (x, layout->x[j] + min_distance (layout, i, j));
      layout->x[i] = x;
    }

  for (guint i = n; i-- > 0;)
    {
      double x = MIN (layout->x[i], width - layout->width[i] / 2.0);

      for (guint j = i + 1; j < n && j <= i + back; j++)
        x = MIN (x, layout->x[j] - min_distance (layout, j, i));
      layout->x[i] = x;
    }

  for (guint i = 0; i < n; i++)
    {
      if (layout->x[i] < layout->width[i] / 2.0 - 0.5)
        return FALSE;
      for (guint j = i >= back ? i - back : 0; j < i; j++)
        if (layout->x[i] - layout->x[j] < min_distance (layout, i, j) - 0.5)
          return FALSE;
    }
  return TRUE;
}

static void
set_widths (BdTimeline *self,
            Layout     *layout,
            gboolean    natural,
            int         limit)
{
  for (guint i = 0; i < layout->n; i++)
    {
      int min, nat;

      gtk_widget_measure (self->marks[layout->order[i]], GTK_ORIENTATION_HORIZONTAL, -1,
                          &min, &nat, NULL, NULL);
      layout->width[i] = natural ? nat : MAX (min, MIN (nat, limit));
    }
}

/* All labels under the line at their natural width; or alternating above
 * and below it; or, narrower still, wrapped to the width of a third, or as
 * narrow as they go (a label wraps only between words: its longest word
 * is as narrow as it gets); or, at last, evenly spaced, which the widget's
 * minimum width (measure_width ()) keeps from happening.
 * Returns whether the labels fit without the last resort. */
static gboolean
compute_layout (BdTimeline *self,
                int         width,
                Layout     *layout)
{
  layout->n = sort_marks (self, layout->order);
  if (layout->n == 0)
    return TRUE;

  set_widths (self, layout, TRUE, 0);
  layout->rows = 1;
  if (place_marks (self, layout, width))
    return TRUE;

  layout->rows = 2;
  if (place_marks (self, layout, width))
    return TRUE;

  set_widths (self, layout, FALSE, (width - 2 * LABEL_GAP) / 3);
  if (place_marks (self, layout, width))
    return TRUE;

  set_widths (self, layout, FALSE, 0);
  if (place_marks (self, layout, width))
    return TRUE;

  for (guint i = 0; i < layout->n; i++)
    {
      layout->width[i] = MIN (layout->width[i], width / 2);
      layout->x[i] = layout->n > 1 ? layout->width[0] / 2.0 +
                                     (width - layout->width[0] / 2.0 -
                                      layout->width[layout->n - 1] / 2.0) * i / (layout->n - 1)
                                   : width / 2.0;
    }
  return FALSE;
}

static gboolean
is_above (const Layout *layout,
          guint         i)
{
  return layout->rows == 2 && i % 2 == 1;
}

/* The height of the labels above the line and of those below it. */
static void
label_heights (BdTimeline   *self,
               const Layout *layout,
               int          *above,
               int          *below)
{
  *above = *below = 0;
  for (guint i = 0; i < layout->n; i++)
    {
      int height;

      gtk_widget_measure (self->marks[layout->order[i]], GTK_ORIENTATION_VERTICAL,
                          layout->width[i], &height, NULL, NULL, NULL);
      if (is_above (layout, i))
        *above = MAX (*above, height);
      else
        *below = MAX (*below, height);
    }
}

/*
 * Texts
 */

/* Whether @mark has passed: the refund window is closed at its end, as the
 * rules have it (bd_rules_cancel_blockers ()); today is never past. */
static gboolean
is_past (BdTimeline    *self,
         BdTimelineMark mark)
{
  return mark != BD_TIMELINE_TODAY && self->times[mark] <= self->now;
}

static const char *
mark_label (BdTimeline    *self,
            BdTimelineMark mark)
{
  switch (mark)
    {
    case BD_TIMELINE_TODAY:
      return _("Today");
    case BD_TIMELINE_WINDOW_END:
      return is_past (self, mark) ? _("Refund window ended") : _("Refund window ends");
    case BD_TIMELINE_TERM_END:
      return _("Term ends");
    case BD_TIMELINE_DELETABLE:
      /* Translators: a mark on the timeline: the first day the
       * subscription's data may be deleted */
      return _("Data deletable");
    case BD_TIMELINE_DELETED:
      /* Translators: a mark on the timeline: the day by which the
       * subscription's data is deleted */
      return _("Data deleted");
    default:
      g_assert_not_reached ();
    }
}

/* The mark as a screen reader says it: a whole sentence. */
static char *
mark_sentence (BdTimeline    *self,
               BdTimelineMark mark,
               const char    *date)
{
  switch (mark)
    {
    case BD_TIMELINE_TODAY:
      /* Translators: %s is a date, such as "Nov 3, 2026" */
      return g_strdup_printf (_("Today is %s."), date);
    case BD_TIMELINE_WINDOW_END:
      if (is_past (self, mark))
        /* Translators: %s is a date, such as "Nov 8, 2026" */
        return g_strdup_printf (_("The refund window ended on %s."), date);
      /* Translators: %s is a date, such as "Nov 8, 2026" */
      return g_strdup_printf (_("The refund window ends on %s."), date);
    case BD_TIMELINE_TERM_END:
      /* Translators: %s is a date, such as "Dec 1, 2026" */
      return g_strdup_printf (_("The term ends on %s."), date);
    case BD_TIMELINE_DELETABLE:
      /* Translators: %s is a date, such as "Dec 3, 2026" */
      return g_strdup_printf (_("Data can be deleted from %s."), date);
    case BD_TIMELINE_DELETED:
      /* Translators: %s is a date, such as "May 2, 2027" */
      return g_strdup_printf (_("Data is deleted by %s."), date);
    default:
      g_assert_not_reached ();
    }
}

/* Labels, dates, dimming and the sentences, after new dates. */
static void
update_marks (BdTimeline *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint order[BD_TIMELINE_N_MARKS];
  guint n = sort_marks (self, order);

  for (guint mark = 0; mark < BD_TIMELINE_N_MARKS; mark++)
    gtk_widget_set_visible (self->marks[mark], self->times[mark] != BD_TIME_NONE);

  for (guint i = 0; i < n; i++)
    {
      BdTimelineMark mark = order[i];
      g_autofree char *date = bd_format_date (self->times[mark]);
      g_autofree char *sentence = mark_sentence (self, mark, date);
      gboolean past = is_past (self, mark);

      gtk_label_set_label (self->labels[mark], mark_label (self, mark));
      gtk_label_set_label (self->dates[mark], date);
      if (past)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->labels[mark]), "dim-label");
          gtk_widget_add_css_class (GTK_WIDGET (self->dates[mark]), "dim-label");
        }
      else
        {
          gtk_widget_remove_css_class (GTK_WIDGET (self->labels[mark]), "dim-label");
          gtk_widget_remove_css_class (GTK_WIDGET (self->dates[mark]), "dim-label");
        }

      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, sentence);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text->str, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/*
 * GtkWidget overrides
 */

static GtkSizeRequestMode
bd_timeline_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* Narrowest: the labels of each side of the line side by side, wrapped,
 * or wider where their dates or long words keep them from fitting so;
 * natural: all under the line, unwrapped. */
static void
measure_width (BdTimeline *self,
               int        *minimum,
               int        *natural)
{
  Layout layout;
  int sides[2] = { 0, 0 };
  int fits;

  *minimum = *natural = 0;
  layout.n = sort_marks (self, layout.order);
  layout.rows = 2;
  set_widths (self, &layout, FALSE, 0);
  for (guint i = 0; i < layout.n; i++)
    sides[i % 2] += layout.width[i] + (i >= 2 ? LABEL_GAP : 0);
  *minimum = MAX (sides[0], sides[1]);
  *minimum = MAX (*minimum, (int) layout.n * MARK_GAP);

  set_widths (self, &layout, TRUE, 0);
  for (guint i = 0; i < layout.n; i++)
    *natural += layout.width[i] + (i > 0 ? LABEL_GAP : 0);
  *natural = MAX (*natural, *minimum);

  /* The narrowest width at which they fit, between the two: a label whose
   * one word is wider than a third needs room that the sums above do not
   * show. (All under the line, they fit at the natural width.) */
  fits = *natural;
  while (*minimum < fits)
    {
      int middle = *minimum + (fits - *minimum) / 2;

      if (compute_layout (self, middle, &layout))
        fits = middle;
      else
        *minimum = middle + 1;
    }
}

static void
bd_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  BdTimeline *self = BD_TIMELINE (widget);
  Layout layout;
  int above, below;
  int min_width, nat_width;

  measure_width (self, &min_width, &nat_width);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = min_width;
      *natural = nat_width;
      return;
    }

  compute_layout (self, for_size < 0 ? nat_width : MAX (for_size, min_width), &layout);
  if (layout.n == 0)
    {
      *minimum = *natural = 0;
      return;
    }
  label_heights (self, &layout, &above, &below);
  *minimum = *natural = above + LINE_AREA + below;
}

static void
bd_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  BdTimeline *self = BD_TIMELINE (widget);
  Layout *layout = &self->layout;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int above, below;

  compute_layout (self, width, layout);
  if (layout->n == 0)
    return;

  label_heights (self, layout, &above, &below);
  self->line_y = above + LINE_AREA / 2;

  for (guint i = 0; i < layout->n; i++)
    {
      GtkWidget *mark = self->marks[layout->order[i]];
      int w = layout->width[i];
      int h;
      double x = rtl ? width - layout->x[i] : layout->x[i];
      int left = CLAMP ((int) (x - w / 2.0 + 0.5), 0, MAX (width - w, 0));

      gtk_widget_measure (mark, GTK_ORIENTATION_VERTICAL, w, &h, NULL, NULL, NULL);
      gtk_widget_size_allocate (mark,
                                &(GtkAllocation) {
                                  left, is_above (layout, i) ? above - h : above + LINE_AREA, w, h
                                },
                                -1);
    }
}

static void
append_dot (GtkSnapshot   *snapshot,
            double         x,
            double         y,
            const GdkRGBA *color)
{
  GskRoundedRect dot;

  gsk_rounded_rect_init_from_rect (&dot,
                                   &GRAPHENE_RECT_INIT (x - DOT_RADIUS, y - DOT_RADIUS,
                                                        2 * DOT_RADIUS, 2 * DOT_RADIUS),
                                   DOT_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &dot);
  gtk_snapshot_append_color (snapshot, color, &dot.bounds);
  gtk_snapshot_pop (snapshot);
}

/* The line from the first mark to the last, a dot a mark: the theme's
 * text colour, today in its accent colour, the past dim. */
static void
bd_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  BdTimeline *self = BD_TIMELINE (widget);
  const Layout *layout = &self->layout;
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int width = gtk_widget_get_width (widget);
  GdkRGBA color, accent, line, dim;
  double first, last;

  if (layout->n == 0)
    return;

  gtk_style_context_get_color (context, &color);
  if (!gtk_style_context_lookup_color (context, "accent_color", &accent))
    accent = color;
  line = dim = color;
  line.alpha *= 0.3;
  dim.alpha *= DIM_ALPHA;

  first = rtl ? width - layout->x[layout->n - 1] : layout->x[0];
  last = rtl ? width - layout->x[0] : layout->x[layout->n - 1];
  gtk_snapshot_append_color (snapshot, &line,
                             &GRAPHENE_RECT_INIT (first, self->line_y - LINE_WIDTH / 2.0,
                                                  last - first, LINE_WIDTH));

  for (guint i = 0; i < layout->n; i++)
    {
      BdTimelineMark mark = layout->order[i];
      double x = rtl ? width - layout->x[i] : layout->x[i];
      const GdkRGBA *dot = mark == BD_TIMELINE_TODAY ? &accent
                         : is_past (self, mark) ? &dim
                         : &color;

      append_dot (snapshot, x, self->line_y, dot);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_snapshot_child (widget, child, snapshot);
}

/*
 * GObject overrides
 */

static void
bd_timeline_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BD_TYPE_TIMELINE);

  G_OBJECT_CLASS (bd_timeline_parent_class)->dispose (object);
}

#define BIND_MARK(klass, name, mark) \
  G_STMT_START { \
    gtk_widget_class_bind_template_child_full (klass, name "_mark", FALSE, \
      G_STRUCT_OFFSET (BdTimeline, marks) + (mark) * sizeof (GtkWidget *)); \
    gtk_widget_class_bind_template_child_full (klass, name "_label", FALSE, \
      G_STRUCT_OFFSET (BdTimeline, labels) + (mark) * sizeof (GtkLabel *)); \
    gtk_widget_class_bind_template_child_full (klass, name "_date", FALSE, \
      G_STRUCT_OFFSET (BdTimeline, dates) + (mark) * sizeof (GtkLabel *)); \
  } G_STMT_END

static void
bd_timeline_class_init (BdTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bd_timeline_dispose;

  widget_class->get_request_mode = bd_timeline_get_request_mode;
  widget_class->measure = bd_timeline_measure;
  widget_class->size_allocate = bd_timeline_size_allocate;
  widget_class->snapshot = bd_timeline_snapshot;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/billingdesk/BillingDesk/bd-timeline.ui");
  BIND_MARK (widget_class, "today", BD_TIMELINE_TODAY);
  BIND_MARK (widget_class, "window_end", BD_TIMELINE_WINDOW_END);
  BIND_MARK (widget_class, "term_end", BD_TIMELINE_TERM_END);
  BIND_MARK (widget_class, "deletable", BD_TIMELINE_DELETABLE);
  BIND_MARK (widget_class, "deleted", BD_TIMELINE_DELETED);

  gtk_widget_class_set_css_name (widget_class, "bdtimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bd_timeline_init (BdTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->now = BD_TIME_NONE;
  for (guint mark = 0; mark < BD_TIMELINE_N_MARKS; mark++)
    self->times[mark] = BD_TIME_NONE;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline"), -1);
}

/*
 * Public API
 */

/**
 * bd_timeline_new:
 *
 * Returns: (transfer floating): a timeline with no marks until
 *   bd_timeline_set_dates ()
 */
BdTimeline *
bd_timeline_new (void)
{
  return g_object_new (BD_TYPE_TIMELINE, NULL);
}

/**
 * bd_timeline_set_dates:
 * @now: today: the service's clock
 * @window_end: the end of the refund window, or %BD_TIME_NONE for none
 * @term_end: the end of the current term
 * @deletable_from: the first day the data may be deleted, or %BD_TIME_NONE
 * @deleted_by: the day by which the data is deleted, or %BD_TIME_NONE
 *
 * Shows a mark for each date given; those before @now are dim.
 */
void
bd_timeline_set_dates (BdTimeline *self,
                       gint64      now,
                       gint64      window_end,
                       gint64      term_end,
                       gint64      deletable_from,
                       gint64      deleted_by)
{
  g_return_if_fail (BD_IS_TIMELINE (self));
  g_return_if_fail (now != BD_TIME_NONE);

  self->now = now;
  self->times[BD_TIMELINE_TODAY] = now;
  self->times[BD_TIMELINE_WINDOW_END] = window_end;
  self->times[BD_TIMELINE_TERM_END] = term_end;
  self->times[BD_TIMELINE_DELETABLE] = deletable_from;
  self->times[BD_TIMELINE_DELETED] = deleted_by;

  update_marks (self);
}

/*
 * Private API, for the tests
 */

GtkLabel *
_bd_timeline_get_mark_label (BdTimeline     *self,
                             BdTimelineMark  mark)
{
  g_return_val_if_fail (BD_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (mark < BD_TIMELINE_N_MARKS, NULL);

  return self->labels[mark];
}

/* The centre of @mark's dot, from the widget's left edge; -1 when it is
 * not shown. */
double
_bd_timeline_get_mark_x (BdTimeline     *self,
                         BdTimelineMark  mark)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  g_return_val_if_fail (BD_IS_TIMELINE (self), -1);

  for (guint i = 0; i < self->layout.n; i++)
    if (self->layout.order[i] == mark)
      return gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
             ? width - self->layout.x[i]
             : self->layout.x[i];
  return -1;
}
