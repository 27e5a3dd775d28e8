/* bd-fuzz.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "bd-core.h"
#include "bd-fuzz.h"

/* Bad input is a GError, never a critical or a warning (the project's
 * rule for every reader): make them fatal, so that libFuzzer reports the
 * input.
 */
void
bd_fuzz_setup (void)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

gint64
bd_fuzz_now (void)
{
  gint64 now = 0;

  if (!bd_time_parse_rfc3339 (BD_FUZZ_NOW, &now))
    g_assert_not_reached ();
  return now;
}
