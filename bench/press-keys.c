/* press-keys.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "press-keys"

#include "config.h"

#include <stdlib.h>
#include <string.h>
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
 *
 *   press-keys --keys PID INTERVAL_MS KEY...
 *
 * presses each KEY in turn, one every INTERVAL_MS, where the window of PID
 * has its focus already (neither the X focus nor a click moves it: a popover
 * open in the app stays open): a keysym name, after Shift+, Control+ or Alt+
 * for a modifier held while it goes (Shift+F10, Alt+s). It prints the same.
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

/* "Shift+F10" and the like: the modifiers' key codes (at most 3) and the key's. */
static gboolean
parse_key (Display    *display,
           const char *spec,
           KeyCode     modifiers[3],
           guint      *n_modifiers,
           KeyCode    *code)
{
  static const struct { const char *prefix; const char *keysym; } names[] = {
    { "Shift+", "Shift_L" }, { "Control+", "Control_L" }, { "Alt+", "Alt_L" },
  };
  const char *rest = spec;
  gboolean found = TRUE;

  *n_modifiers = 0;
  while (found && *n_modifiers < 3)
    {
      found = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (names) && !found; i++)
        if (g_str_has_prefix (rest, names[i].prefix))
          {
            modifiers[(*n_modifiers)++] = XKeysymToKeycode (display,
                                                            XStringToKeysym (names[i].keysym));
            rest += strlen (names[i].prefix);
            found = TRUE;
          }
    }
  *code = XKeysymToKeycode (display, XStringToKeysym (rest));

  return *code != 0;
}

static Window
wait_for_window (Display *display,
                 gulong   pid)
{
  gint64 deadline = g_get_monotonic_time () + FIND_TIMEOUT_US;
  Window window;

  while ((window = window_of_pid (display, pid)) == None && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  if (window == None)
    g_printerr ("press-keys: no window of process %lu\n", pid);

  return window;
}

/* press-keys --keys PID INTERVAL_MS KEY... */
static int
press_sequence (Display  *display,
                int       argc,
                char     *argv[])
{
  gulong pid = strtoul (argv[2], NULL, 10);
  guint interval_ms = (guint) strtoul (argv[3], NULL, 10);
  gint64 next;

  /* Every key understood before the first goes. */
  for (int i = 4; i < argc; i++)
    {
      KeyCode modifiers[3], code;
      guint n;

      if (!parse_key (display, argv[i], modifiers, &n, &code))
        {
          g_printerr ("press-keys: no key %s\n", argv[i]);
          return 1;
        }
    }
  if (wait_for_window (display, pid) == None)
    return 1;

  next = g_get_monotonic_time ();
  for (int i = 4; i < argc; i++)
    {
      KeyCode modifiers[3], code;
      guint n;

      parse_key (display, argv[i], modifiers, &n, &code);
      sleep_until (next);
      for (guint m = 0; m < n; m++)
        XTestFakeKeyEvent (display, modifiers[m], True, CurrentTime);
      XTestFakeKeyEvent (display, code, True, CurrentTime);
      XTestFakeKeyEvent (display, code, False, CurrentTime);
      for (guint m = n; m > 0; m--)
        XTestFakeKeyEvent (display, modifiers[m - 1], False, CurrentTime);
      XFlush (display);
      g_print ("press %d %" G_GINT64_FORMAT "\n", i - 3, g_get_monotonic_time ());
      next += interval_ms * 1000;
    }
  XSync (display, False);
  g_print ("done %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());

  return 0;
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
  gint64 next;
  int status;

  if (argc >= 5 && strcmp (argv[1], "--keys") == 0)
    {
      display = XOpenDisplay (NULL);
      if (display == NULL)
        {
          g_printerr ("press-keys: cannot open the display\n");
          return 1;
        }
      status = press_sequence (display, argc, argv);
      XCloseDisplay (display);
      return status;
    }
  if (argc != 7)
    {
      g_printerr ("Usage: %s PID X Y KEY COUNT INTERVAL_MS\n"
                  "       %s --keys PID INTERVAL_MS KEY...\n", argv[0], argv[0]);
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

  window = wait_for_window (display, pid);
  if (window == None)
    return 1;

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
