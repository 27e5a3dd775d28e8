/* bd-products-page-pieces.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-products-page"

#include "config.h"

#include "bd-products-page-private.h"

/* Rows go into the list a piece at a time, between frames, so that no frame
 * waits for many: GTK 4.8 makes and measures a widget for every row of a
 * splice within the ~200 it keeps around what is shown. Past those, a
 * splice makes no widget, and a frame takes pieces of 500 for as long as
 * its budget lasts: the rows go in as fast as they come, and no frame
 * grows by more than about the budget.
 */
#define WIDGET_ROWS 200
#define FIRST_PIECE 12   /* what a window shows, at once */
#define SMALL_PIECE 4    /* a row costs GTK ~2-5 ms to make and measure */
#define LARGE_PIECE 500
#define FRAME_BUDGET_US 4000 /* of a 16.7 ms frame */

/* The rows not yet spliced go: a reload, another account or the page's end. */
void
_bd_products_page_clear_pending (BdProductsPage *self)
{
  if (self->splice_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->splice_id);
  self->splice_id = 0;
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  self->pending_next = 0;
  self->last_page_in = FALSE;
}

/* Splices the next piece of the rows received; returns whether any are left. */
static gboolean
splice_piece (BdProductsPage *self)
{
  guint before = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint left = self->pending->len - self->pending_next;
  guint n = MIN (left, before == 0 ? FIRST_PIECE
                             : before < WIDGET_ROWS ? SMALL_PIECE : LARGE_PIECE);

  g_list_store_splice (self->store, before, 0, self->pending->pdata + self->pending_next, n);
  self->pending_next += n;
  /* For measuring launch to a populated list (CLOCK_MONOTONIC, as a
   * launcher reads it): G_MESSAGES_DEBUG=bd-products-page.
   */
  if (before == 0 && n > 0)
    g_debug ("First rows shown at %" G_GINT64_FORMAT " µs", g_get_monotonic_time ());

  if (self->pending_next < self->pending->len)
    return TRUE;

  g_ptr_array_set_size (self->pending, 0);
  self->pending_next = 0;
  return FALSE;
}

static gboolean
splice_pending_cb (GtkWidget     *widget,
                   GdkFrameClock *frame_clock,
                   gpointer       user_data)
{
  BdProductsPage *self = user_data;
  gint64 start = g_get_monotonic_time ();
  gboolean more;

  /* Widgetless pieces while the frame's budget lasts. */
  do
    more = splice_piece (self);
  while (more && g_list_model_get_n_items (G_LIST_MODEL (self->store)) >= WIDGET_ROWS &&
         g_get_monotonic_time () - start < FRAME_BUDGET_US);

  if (more)
    {
      _bd_products_page_update_state (self);
      return G_SOURCE_CONTINUE;
    }

  self->splice_id = 0;
  if (self->last_page_in)
    _bd_products_page_finish_load (self);
  else
    _bd_products_page_update_state (self);
  return G_SOURCE_REMOVE;
}

/* A page for an empty or growing list: its first piece at once when the
 * list is empty (the first rows, as soon as they are here), the rest after.
 */
void
_bd_products_page_queue_rows (BdProductsPage *self,
                              GPtrArray      *page)
{
  if (self->pending == NULL)
    self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (self->pending, g_object_ref (g_ptr_array_index (page, i)));

  if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0 && !splice_piece (self))
    return;
  /* A piece a frame, from the frame clock: an idle below GTK's redraw never
   * ran while the frames kept the main loop busy (the spinner's, drawn by a
   * software renderer), and the list stayed at its first piece.
   */
  if (self->splice_id == 0)
    self->splice_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), splice_pending_cb, self,
                                                    NULL);
}
