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

/* Whether the keyboard focus is the pane's: in it, or nowhere after it was
 * last in it. GTK leaves the window's focus NULL when the focused control
 * goes insensitive or is hidden with its page (Save while a cancel is on
 * its way, Try Again as the pane loads again), and it is still the pane's
 * to put back; but NULL after the focus was elsewhere (on a row of the
 * list when it is bound again, offline or on another account) is not.
 */
static gboolean
focus_is_here (BdCancelPane *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL)
    return self->focus_was_here;

  return gtk_widget_is_ancestor (focus, GTK_WIDGET (self));
}

static void
on_root_focus_widget_notify_cb (BdCancelPane *self,
                                GParamSpec   *pspec,
                                GtkRoot      *root)
{
  GtkWidget *focus = gtk_root_get_focus (root);

  if (focus != NULL)
    self->focus_was_here = gtk_widget_is_ancestor (focus, GTK_WIDGET (self));
}

/* Moves the focus to @widget (%NULL: the pane's first control, as
 * gtk_widget_grab_focus () on the pane does), unless the person is
 * elsewhere in the window.
 */
void
_bd_cancel_pane_focus_if_here (BdCancelPane *self,
                               GtkWidget    *widget)
{
  if (focus_is_here (self))
    gtk_widget_grab_focus (widget != NULL ? widget : GTK_WIDGET (self));
}

/* A closed pane moves the focus no more. */
void
_bd_cancel_pane_stop_focus_tick (BdCancelPane *self)
{
  self->focus_pending = FALSE;
  if (self->focus_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->focus_tick_id);
  self->focus_tick_id = 0;
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
 * blocked cancel, or Try Again; Done; and while it loads, Close. While a
 * change is on its way, the form and Close take no focus: then the first
 * widget of the pane that still does (the scrolled details, which the
 * arrows scroll), so that F6 still goes somewhere.
 */
static GtkWidget *
first_control (BdCancelPane *self)
{
  GtkWidget *found = NULL;

  switch (self->state)
    {
    case STATE_ALLOWED:
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

  if (found == NULL || !gtk_widget_is_sensitive (found))
    found = self->close_button;
  if (!gtk_widget_is_sensitive (found))
    found = first_focusable (GTK_WIDGET (self));

  return found;
}

static gboolean
focus_state_tick (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);

  /* Hidden, the pane is never laid out: the tick would keep the frame
   * clock going until it shows again, which starts it again.
   */
  if (self->state == STATE_CLOSED || !gtk_widget_get_mapped (widget))
    {
      self->focus_tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  if (!self->laid_out)
    return G_SOURCE_CONTINUE;

  self->focus_tick_id = 0;
  self->focus_pending = FALSE;
  _bd_cancel_pane_focus_if_here (self, NULL);
  return G_SOURCE_REMOVE;
}

static void
wait_for_layout (BdCancelPane *self)
{
  self->laid_out = FALSE;
  if (self->focus_tick_id == 0)
    self->focus_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), focus_state_tick,
                                                        NULL, NULL);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* The focus goes on to the first control of the state just set, once its
 * page is laid out (a frame's tick after the pane's allocation), so that
 * the viewport can scroll to it; if it is still in the pane by then.
 */
void
_bd_cancel_pane_focus_when_laid_out (BdCancelPane *self)
{
  self->focus_pending = TRUE;
  wait_for_layout (self);
}

/* Shown (the flap reveals it): a state set while it was hidden gets its
 * focus now; and the window's focus is watched from here on.
 */
static void
on_map_cb (BdCancelPane *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root != self->focus_root && GTK_IS_WINDOW (root))
    {
      self->focus_root = root;
      g_signal_connect_object (root, "notify::focus-widget",
                               G_CALLBACK (on_root_focus_widget_notify_cb), self,
                               G_CONNECT_SWAPPED);
    }

  if (self->focus_pending && self->state != STATE_CLOSED)
    wait_for_layout (self);
}

void
_bd_cancel_pane_focus_init (BdCancelPane *self)
{
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
}

/* The pane itself takes no focus: its first control does. */
gboolean
_bd_cancel_pane_grab_focus (GtkWidget *widget)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);
  GtkWidget *control;

  /* Not opened yet: it has no controls. */
  if (self->box == NULL)
    return FALSE;

  control = first_control (self);
  return control != NULL && gtk_widget_grab_focus (control);
}

/**
 * bd_cancel_pane_has_focus:
 *
 * Whether the keyboard focus is in the pane, or nowhere after it was last
 * in it (its control made insensitive or hidden); %FALSE once the pane
 * has closed.
 */
gboolean
bd_cancel_pane_has_focus (BdCancelPane *self)
{
  g_return_val_if_fail (BD_IS_CANCEL_PANE (self), FALSE);

  return focus_is_here (self);
}
