/* press-keys.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "press-keys"

#include "config.h"

#include <stdlib.h>
#include <time.h>

#include <glib.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>

/* bench/app-scroll's keyboard, a person's keys through the X server (XTest),
 * as tests/bd-test-keys.c sends them, but from outside the app:
 *
 *   press-keys PID X Y KEY COUNT INTERVAL_MS
 *
 * finds the top-level window of process PID (_NET_WM_PID; Xvfb has no window
 * manager, so the top-levels are the root's children), gives it the input
 * focus, clicks at X,Y in it (on a row, which takes the focus), then presses
 * KEY (a keysym name) COUNT times, one every INTERVAL_MS on a fixed schedule,
 * and prints "press I T" for each (T: CLOCK_MONOTONIC µs), then "done T".
 */

#define FIND_TIMEOUT_US (60 * G_USEC_PER_SEC)

static Window
window_of_pid (Display *display,
               gulong   pid)
{
  Atom pid_atom = XInternAtom (display, "_NET_WM_PID", False);
  Window root_return, parent_return, *children = NULL;
  unsigned int n = 0;
  Window found = None;

  if (!XQueryTree (display, DefaultRootWindow (display), &root_return, &parent_return,
                   &children, &n))
    return None;

  for (unsigned int i = 0; i < n && found == None; i++)
    {
      XWindowAttributes attributes;
      Atom type;
      int format;
      unsigned long items, after;
      unsigned char *data = NULL;

      if (!XGetWindowAttributes (display, children[i], &attributes) ||
          attributes.map_state != IsViewable)
        continue;
      if (XGetWindowProperty (display, children[i], pid_atom, 0, 1, False, XA_CARDINAL, &type,
                              &format, &items, &after, &data) == Success &&
          data != NULL && items == 1 && *(unsigned long *) data == pid)
        found = children[i];
      if (data != NULL)
        XFree (data);
    }
  if (children != NULL)
    XFree (children);

  return found;
}

static void
sleep_until (gint64 when)
{
  struct timespec ts = { when / G_USEC_PER_SEC, (when % G_USEC_PER_SEC) * 1000 };

  while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
    ;
}

static void
click (Display *display,
       Window   window,
       int      x,
       int      y)
{
  Window child;
  int root_x, root_y;

  XTranslateCoordinates (display, window, DefaultRootWindow (display), x, y, &root_x, &root_y,
                         &child);
  XTestFakeMotionEvent (display, -1, root_x, root_y, CurrentTime);
  XTestFakeButtonEvent (display, 1, True, CurrentTime);
  XTestFakeButtonEvent (display, 1, False, CurrentTime);
  XSync (display, False);
}

int
main (int   argc,
      char *argv[])
{
  Display *display;
  Window window = None;
  KeyCode code;
  gulong pid;
  guint count, interval_ms;
  gint64 deadline, next;

  if (argc != 7)
    {
      g_printerr ("Usage: %s PID X Y KEY COUNT INTERVAL_MS\n", argv[0]);
      return 2;
    }
  pid = strtoul (argv[1], NULL, 10);
  count = (guint) strtoul (argv[5], NULL, 10);
  interval_ms = (guint) strtoul (argv[6], NULL, 10);

  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      g_printerr ("press-keys: cannot open the display\n");
      return 1;
    }
  code = XKeysymToKeycode (display, XStringToKeysym (argv[4]));
  if (code == 0)
    {
      g_printerr ("press-keys: no key %s\n", argv[4]);
      return 1;
    }

  deadline = g_get_monotonic_time () + FIND_TIMEOUT_US;
  while ((window = window_of_pid (display, pid)) == None && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  if (window == None)
    {
      g_printerr ("press-keys: no window of process %lu\n", pid);
      return 1;
    }

  XSetInputFocus (display, window, RevertToParent, CurrentTime);
  XSync (display, False);
  g_usleep (200 * 1000);
  click (display, window, atoi (argv[2]), atoi (argv[3]));
  g_usleep (500 * 1000);

  next = g_get_monotonic_time ();
  for (guint i = 0; i < count; i++)
    {
      sleep_until (next);
      XTestFakeKeyEvent (display, code, True, CurrentTime);
      XTestFakeKeyEvent (display, code, False, CurrentTime);
      XFlush (display);
      g_print ("press %u %" G_GINT64_FORMAT "\n", i + 1, g_get_monotonic_time ());
      next += interval_ms * 1000;
    }
  sleep_until (next);
  XSync (display, False);
  g_print ("done %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  XCloseDisplay (display);

  return 0;
}
