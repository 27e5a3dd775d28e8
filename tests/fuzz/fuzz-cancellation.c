/* fuzz-cancellation.c: the cancellation answer, as the client reads it.
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-core.h"
#include "bd-fuzz.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  bd_fuzz_setup ();
  return 0;
}

/* Written out again, it reads back the same. */
static void
check_round_trip (BdCancellation *cancellation)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BdCancellation) again = NULL;
  g_autoptr(GError) error = NULL;
  guint n_blockers;

  bd_cancellation_to_json (cancellation, builder);
  node = json_builder_get_root (builder);
  again = bd_cancellation_new_from_json (node, NULL, &error);
  if (again == NULL)
    g_printerr ("%s\n", error->message);
  bd_fuzz_check (again != NULL);

  bd_fuzz_check (bd_cancellation_get_allowed (again) == bd_cancellation_get_allowed (cancellation));
  bd_fuzz_check (bd_cancellation_get_window_end (again) ==
                 bd_cancellation_get_window_end (cancellation));
  bd_fuzz_check (bd_cancellation_get_deletable_from (again) ==
                 bd_cancellation_get_deletable_from (cancellation));
  bd_fuzz_check (bd_cancellation_get_deleted_by (again) ==
                 bd_cancellation_get_deleted_by (cancellation));
  n_blockers = bd_cancellation_get_n_blockers (cancellation);
  bd_fuzz_check (bd_cancellation_get_n_blockers (again) == n_blockers);
  for (guint i = 0; i < n_blockers; i++)
    {
      guint n = 0, m = 0;

      bd_fuzz_check (bd_cancellation_get_blocker (again, i) ==
                     bd_cancellation_get_blocker (cancellation, i));
      bd_cancellation_get_alternatives (cancellation, i, &n);
      bd_cancellation_get_alternatives (again, i, &m);
      bd_fuzz_check (n == m);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BdCancellation) cancellation = NULL;
  g_autoptr(GError) error = NULL;

  node = bd_json_parse ((const char *) data, size, &error);
  if (node == NULL)
    return 0;

  cancellation = bd_cancellation_new_from_json (node, NULL, &error);
  bd_fuzz_check ((cancellation == NULL) == (error != NULL));
  if (cancellation != NULL)
    {
      guint n_reasons = 0;

      bd_cancellation_get_reasons (cancellation, &n_reasons);
      check_round_trip (cancellation);
    }
  else
    {
      bd_fuzz_check (g_utf8_validate (error->message, -1, NULL));
    }

  return 0;
}
