/* bd-test-keys.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real key events, as a keyboard sends them: GTK 4 has no public way to
 * make one, so they go through the X server (XTest), which gives them to
 * the window that has the X input focus, and GTK reads them as it reads a
 * person's.
 */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>

#include "bd-test-keys.h"
#include "bd-test-utils.h"

#define KEYS_WAIT_MS 20000

/* How many key events (presses and releases, modifiers too) GTK has been
 * given, on any of its surfaces: the window's and those of its popovers
 * (a menu, a drop-down's list), which get the keys while they are open.
 * An emission hook sees each event before any handler can stop it.
 */
static guint n_seen;

static Display *
x_display (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  return gdk_x11_display_get_xdisplay (display);
}

static gboolean
count_key_event (GSignalInvocationHint *hint,
                 guint                  n_params,
                 const GValue          *params,
                 gpointer               user_data)
{
  GdkEvent *event = g_value_get_pointer (&params[1]);
  GdkEventType type = gdk_event_get_event_type (event);

  if (type == GDK_KEY_PRESS || type == GDK_KEY_RELEASE)
    n_seen++;

  return TRUE;
}

static void
count_key_events (void)
{
  static gsize hooked;

  if (g_once_init_enter (&hooked))
    {
      guint id = g_signal_lookup ("event", GDK_TYPE_SURFACE);

      g_assert_cmpuint (id, !=, 0);
      g_signal_add_emission_hook (id, 0, count_key_event, NULL, NULL);
      g_once_init_leave (&hooked, 1);
    }
}

static gboolean
window_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
window_is_active (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_window_is_active (data);
}

/* Xvfb has no window manager to give the window the keyboard: the test
 * does, once the window is mapped, as a person's click on it would. The
 * pointer goes out of the way, to the screen's far corner: a menu that
 * opens under it would give the item under it the focus, as a hover does,
 * wherever the window and the language's wider menus happen to put it.
 */
void
bd_test_keys_focus_window (GtkWindow *window)
{
  Display *display = x_display ();
  int screen = DefaultScreen (display);
  GdkSurface *surface;

  g_assert_true (bd_test_wait_until (window_is_mapped, window, KEYS_WAIT_MS));
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  count_key_events ();
  XTestFakeMotionEvent (display, screen, DisplayWidth (display, screen) - 1,
                        DisplayHeight (display, screen) - 1, CurrentTime);
  XSetInputFocus (display, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
  XSync (display, False);
  if (!bd_test_wait_until (window_is_active, window, KEYS_WAIT_MS))
    g_error ("the window never became active");
}

typedef struct
{
  GtkWindow *window;  /* (nullable): NULL once it is gone */
  guint      expected;
} Wait;

static gboolean
all_seen (gpointer data)
{
  Wait *wait = data;

  /* A key that closes the window (Ctrl+W) leaves no one to see the rest. */
  if (wait->window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (wait->window)))
    return TRUE;

  return n_seen >= wait->expected;
}

/* Sends @keysym's press or release; GTK is to see one event more. */
static void
fake_key (Wait     *wait,
          guint     keysym,
          gboolean  press)
{
  Display *display = x_display ();
  KeyCode code = XKeysymToKeycode (display, keysym);

  g_assert_cmpuint (code, !=, 0);
  XTestFakeKeyEvent (display, code, press, CurrentTime);
  wait->expected++;
}

typedef struct
{
  GdkFrameClock *clock;
  gint64         until;
} FrameWait;

static gboolean
frame_reached (gpointer data)
{
  FrameWait *wait = data;

  return gdk_frame_clock_get_frame_counter (wait->clock) >= wait->until;
}

/* Two frames of @window go by: what was just shown is laid out and drawn. */
void
bd_test_keys_wait_frames (GtkWindow *window)
{
  FrameWait wait = { gtk_widget_get_frame_clock (GTK_WIDGET (window)), 0 };

  g_assert_nonnull (wait.clock);
  wait.until = gdk_frame_clock_get_frame_counter (wait.clock) + 2;
  /* A frame comes even when nothing asks to be drawn. */
  gdk_frame_clock_request_phase (wait.clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
  if (!bd_test_wait_until (frame_reached, &wait, KEYS_WAIT_MS))
    g_error ("the window drew no frame");
}

/**
 * bd_test_keys_press:
 * @keyval: a GDK keyval, which is the X keysym
 * @modifiers: Shift and Control, held around it
 *
 * Presses and releases @keyval on @window, which must have the X input
 * focus (bd_test_keys_focus_window ()), and returns once GTK has handled
 * every event it made (or the window is gone). All of them are sent at
 * once: held no longer than that, no key repeats.
 */
void
bd_test_keys_press (GtkWindow       *window,
                    guint            keyval,
                    GdkModifierType  modifiers)
{
  guint start = n_seen;
  Wait wait = { window, n_seen };

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &wait.window);

  if (modifiers & GDK_CONTROL_MASK)
    fake_key (&wait, GDK_KEY_Control_L, TRUE);
  if (modifiers & GDK_SHIFT_MASK)
    fake_key (&wait, GDK_KEY_Shift_L, TRUE);
  fake_key (&wait, keyval, TRUE);
  fake_key (&wait, keyval, FALSE);
  if (modifiers & GDK_SHIFT_MASK)
    fake_key (&wait, GDK_KEY_Shift_L, FALSE);
  if (modifiers & GDK_CONTROL_MASK)
    fake_key (&wait, GDK_KEY_Control_L, FALSE);
  XFlush (x_display ());

  if (!bd_test_wait_until (all_seen, &wait, KEYS_WAIT_MS))
    g_error ("GTK saw %u of the %u key events sent for %s", n_seen - start,
             wait.expected - start, gdk_keyval_name (keyval));

  if (wait.window == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (window), (gpointer *) &wait.window);

  /* What the key started is done before the test looks: a popover that
   * closes gives the focus back a frame or two later. */
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    bd_test_keys_wait_frames (window);
}
