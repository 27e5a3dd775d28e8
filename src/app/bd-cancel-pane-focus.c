/* bd-cancel-pane-focus.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-cancel-pane"

#include "config.h"

#include "bd-cancel-pane-private.h"

/* Where the Cancel Subscription pane puts the keyboard focus: on its first
 * control when it is focused (opened, or F6), and on the first control of
 * each state it shows next while the focus is in it, so that a keyboard
 * user never has to find their way back into it.
 */

/* Moves the focus to @widget (%NULL: the pane's first control, as
 * gtk_widget_grab_focus () on the pane does), unless the person is
 * elsewhere in the window.
 */
void
_bd_cancel_pane_focus_if_here (BdCancelPane *self,
                               GtkWidget    *widget)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_widget_grab_focus (widget != NULL ? widget : GTK_WIDGET (self));
}

/* The first widget in @widget that takes the focus, as Tab would find it. */
static GtkWidget *
first_focusable (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget) ||
      !gtk_widget_is_sensitive (widget) || !gtk_widget_get_can_focus (widget))
    return NULL;

  if (gtk_widget_get_focusable (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = first_focusable (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* What a keyboard user wants first in what the pane shows now: the reason
 * of the form (the first thing to fill in); the first alternative of a
 * blocked cancel, or Try Again; Done; and while it loads, Close.
 */
static GtkWidget *
first_control (BdCancelPane *self)
{
  GtkWidget *found = NULL;

  switch (self->state)
    {
    case STATE_ALLOWED:
      if (gtk_widget_is_sensitive (GTK_WIDGET (self->reason_dropdown)))
        found = GTK_WIDGET (self->reason_dropdown);
      break;
    case STATE_BLOCKED:
    case STATE_LOAD_ERROR:
      found = first_focusable (gtk_stack_get_visible_child (self->stack));
      break;
    case STATE_DONE:
      found = self->done_button;
      break;
    case STATE_LOADING:
    case STATE_CLOSED:
    default:
      break;
    }

  return found != NULL ? found : self->close_button;
}

static gboolean
focus_state_tick (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);

  if (!self->laid_out)
    return G_SOURCE_CONTINUE;

  self->focus_tick_id = 0;
  _bd_cancel_pane_focus_if_here (self, NULL);
  return G_SOURCE_REMOVE;
}

/* The focus goes on to the first control of the state just set, once its
 * page is laid out (a frame's tick after the pane's allocation), so that
 * the viewport can scroll to it; if it is still in the pane by then.
 */
void
_bd_cancel_pane_focus_when_laid_out (BdCancelPane *self)
{
  self->laid_out = FALSE;
  if (self->focus_tick_id == 0)
    self->focus_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), focus_state_tick,
                                                        NULL, NULL);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* The pane itself takes no focus: its first control does. */
gboolean
_bd_cancel_pane_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (first_control (BD_CANCEL_PANE (widget)));
}
