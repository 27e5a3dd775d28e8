/* bd-product-row-layout.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-product-row"

#include "config.h"

#include "bd-product-row-private.h"

/* Where a row's pieces go: the text (the product's name and its tags on
 * one line, the details, the refund window) takes the width that the
 * licenses and status (stacked, centred as one) and the menu button leave,
 * as the boxes the row once was placed them.
 *
 * GTK 4.8's GtkBox asks each child its width for the height it allocates
 * (GtkBoxLayout's allocate), and a wrapping GtkLabel answers that by laying
 * its text out again and again in a binary search (two searches a label, 7
 * Pango layouts each here). The row asks only what a list needs: widths
 * with no height given, and heights for a width, one layout a label.
 */

#define ROW_SPACING     12 /* between the text, the figures and the button */
#define LINE_SPACING    3  /* between the lines of text */
#define TAG_SPACING     6  /* between the product's name and its tags */
#define FIGURES_SPACING 4  /* between the licenses and the status */

typedef struct
{
  int text_width;
  int name_width;
  int title_height;
  int details_height;
  int window_height;
  int figures_width;
  int licenses_height;
  int status_height;
  int button_width;
  int min_height;
  int nat_height;
} RowLayout;

static int
natural_width (GtkWidget *widget)
{
  int natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return natural;
}

static int
natural_height (GtkWidget *widget,
                int        width)
{
  int natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, NULL, &natural, NULL, NULL);
  return natural;
}

/* The width of the tags after the product's name, their spacing included. */
static int
tags_width (BdProductRow *self)
{
  GtkWidget *tags[] = { GTK_WIDGET (self->channel_tag), GTK_WIDGET (self->trial_tag) };
  int width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    if (gtk_widget_should_layout (tags[i]))
      width += TAG_SPACING + natural_width (tags[i]);

  return width;
}

/* The licenses over the status: as wide as the wider. */
static int
figures_width (BdProductRow *self)
{
  return MAX (natural_width (GTK_WIDGET (self->licenses_label)),
              natural_width (GTK_WIDGET (self->status_label)));
}

/* The check box of selection mode, before the text, with its spacing; 0
 * when hidden.
 */
static int
check_width (BdProductRow *self)
{
  if (self->select_check == NULL || !gtk_widget_should_layout (GTK_WIDGET (self->select_check)))
    return 0;

  return natural_width (GTK_WIDGET (self->select_check)) + ROW_SPACING;
}

/* What the text leaves to the rest: the check box, the figures, the
 * button, the spacing.
 */
static int
fixed_width (BdProductRow *self)
{
  return check_width (self) + figures_width (self) +
         natural_width (GTK_WIDGET (self->menu_button)) + 2 * ROW_SPACING;
}

static void
measure_text_width (BdProductRow *self,
                    int          *minimum,
                    int          *natural)
{
  GtkWidget *lines[] = { GTK_WIDGET (self->details_label), GTK_WIDGET (self->window_label) };
  int tags = tags_width (self);

  gtk_widget_measure (GTK_WIDGET (self->product_label), GTK_ORIENTATION_HORIZONTAL, -1,
                      minimum, natural, NULL, NULL);
  *minimum += tags;
  *natural += tags;

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      int line_minimum, line_natural;

      if (!gtk_widget_should_layout (lines[i]))
        continue;
      gtk_widget_measure (lines[i], GTK_ORIENTATION_HORIZONTAL, -1,
                          &line_minimum, &line_natural, NULL, NULL);
      *minimum = MAX (*minimum, line_minimum);
      *natural = MAX (*natural, line_natural);
    }
}

/* Where the pieces go in a row @width wide (without its margins). */
static void
compute_layout (BdProductRow *self,
                int           width,
                RowLayout    *layout)
{
  GtkWidget *button = GTK_WIDGET (self->menu_button);
  int text_minimum, text_natural, name_minimum, name_natural;
  int tags = tags_width (self);
  int button_minimum, button_natural;
  int text_height;
  int figures_height;

  layout->figures_width = figures_width (self);
  layout->button_width = natural_width (button);

  measure_text_width (self, &text_minimum, &text_natural);
  layout->text_width = MAX (width - fixed_width (self), text_minimum);

  /* The name takes its natural width where it fits beside its tags. */
  gtk_widget_measure (GTK_WIDGET (self->product_label), GTK_ORIENTATION_HORIZONTAL, -1,
                      &name_minimum, &name_natural, NULL, NULL);
  layout->name_width = CLAMP (layout->text_width - tags, name_minimum, name_natural);
  layout->title_height = natural_height (GTK_WIDGET (self->product_label), layout->name_width);
  if (gtk_widget_should_layout (GTK_WIDGET (self->channel_tag)))
    layout->title_height = MAX (layout->title_height,
                                natural_height (GTK_WIDGET (self->channel_tag), -1));
  if (gtk_widget_should_layout (GTK_WIDGET (self->trial_tag)))
    layout->title_height = MAX (layout->title_height,
                                natural_height (GTK_WIDGET (self->trial_tag), -1));

  /* A name that wraps takes, as in the box, the narrowest width that keeps
   * its lines (its width for the line's height): the lines come out even.
   * Only then, so only in a narrow window, does a label search its width.
   */
  if (layout->name_width < name_natural)
    {
      gtk_widget_measure (GTK_WIDGET (self->product_label), GTK_ORIENTATION_HORIZONTAL,
                          layout->title_height, &name_minimum, &name_natural, NULL, NULL);
      layout->name_width = CLAMP (layout->text_width - tags, name_minimum, name_natural);
    }

  layout->details_height = natural_height (GTK_WIDGET (self->details_label), layout->text_width);
  layout->window_height = 0;
  if (gtk_widget_should_layout (GTK_WIDGET (self->window_label)))
    layout->window_height = natural_height (GTK_WIDGET (self->window_label),
                                            layout->text_width);

  text_height = layout->title_height + LINE_SPACING + layout->details_height;
  if (layout->window_height > 0)
    text_height += LINE_SPACING + layout->window_height;

  layout->licenses_height = natural_height (GTK_WIDGET (self->licenses_label), -1);
  layout->status_height = natural_height (GTK_WIDGET (self->status_label), -1);
  figures_height = layout->licenses_height + FIGURES_SPACING + layout->status_height;

  gtk_widget_measure (button, GTK_ORIENTATION_VERTICAL, -1,
                      &button_minimum, &button_natural, NULL, NULL);
  layout->min_height = MAX (MAX (text_height, figures_height), button_minimum);
  layout->nat_height = MAX (MAX (text_height, figures_height), button_natural);
}

/* Allocates @child at x, y, width, height of the row's @row_width, mirrored
 * for a right-to-left language.
 */
static void
place (GtkWidget *child,
       gboolean   rtl,
       int        row_width,
       int        x,
       int        y,
       int        width,
       int        height)
{
  GtkAllocation allocation = { rtl ? row_width - x - width : x, y, width, height };

  gtk_widget_size_allocate (child, &allocation, -1);
}

/*
 * GtkWidget overrides (bd-product-row-private.h)
 */

GtkSizeRequestMode
_bd_product_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

void
_bd_product_row_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  BdProductRow *self = BD_PRODUCT_ROW (widget);
  int width_minimum, width_natural;

  measure_text_width (self, &width_minimum, &width_natural);
  width_minimum += fixed_width (self);
  width_natural += fixed_width (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = width_minimum;
      *natural = width_natural;
    }
  else
    {
      RowLayout layout;

      /* Without a width, the natural one. */
      compute_layout (self, for_size < 0 ? width_natural : for_size, &layout);
      *minimum = layout.min_height;
      *natural = layout.nat_height;
    }
}

void
_bd_product_row_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  BdProductRow *self = BD_PRODUCT_ROW (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  GtkWidget *tags[] = { GTK_WIDGET (self->channel_tag), GTK_WIDGET (self->trial_tag) };
  RowLayout layout;
  int check = check_width (self);
  int x, y;

  compute_layout (self, width, &layout);

  /* The check box first, centred by its valign; the rest after it. */
  if (check > 0)
    place (GTK_WIDGET (self->select_check), rtl, width, 0, 0, check - ROW_SPACING, height);

  /* The text, from the top; the name and its tags on one line. */
  place (GTK_WIDGET (self->product_label), rtl, width, check, 0, layout.name_width,
         layout.title_height);
  x = check + layout.name_width;
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    {
      int tag_width;

      if (!gtk_widget_should_layout (tags[i]))
        continue;
      tag_width = natural_width (tags[i]);
      x += TAG_SPACING;
      place (tags[i], rtl, width, x, 0, tag_width, layout.title_height);
      x += tag_width;
    }
  y = layout.title_height + LINE_SPACING;
  place (GTK_WIDGET (self->details_label), rtl, width, check, y, layout.text_width,
         layout.details_height);
  if (gtk_widget_should_layout (GTK_WIDGET (self->window_label)))
    {
      y += layout.details_height + LINE_SPACING;
      place (GTK_WIDGET (self->window_label), rtl, width, check, y, layout.text_width,
             layout.window_height);
    }

  /* The licenses over the status, centred as one. */
  x = check + layout.text_width + ROW_SPACING;
  y = (height - (layout.licenses_height + FIGURES_SPACING + layout.status_height)) / 2;
  place (GTK_WIDGET (self->licenses_label), rtl, width, x, y, layout.figures_width,
         layout.licenses_height);
  y += layout.licenses_height + FIGURES_SPACING;
  place (GTK_WIDGET (self->status_label), rtl, width, x, y, layout.figures_width,
         layout.status_height);

  /* The button, centred by its valign. */
  x += layout.figures_width + ROW_SPACING;
  place (GTK_WIDGET (self->menu_button), rtl, width, x, 0, layout.button_width, height);
}
