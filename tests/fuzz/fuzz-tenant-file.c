/* fuzz-tenant-file.c: a whole tenant file, as the service imports it.
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bd-core.h"
#include "bd-fuzz.h"

static gint64 now;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  bd_fuzz_setup ();
  now = bd_fuzz_now ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(BdTenantFile) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  gsize length = 0;
  gsize length_again = 0;

  file = bd_tenant_file_read ((const char *) data, size, now, &error);
  bd_fuzz_check ((file == NULL) == (error != NULL));
  if (file == NULL)
    {
      bd_fuzz_check (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  /* Written out (every date absolute), it imports again, to the same text. */
  text = bd_tenant_file_to_data (file, &length);
  again = bd_tenant_file_read (text, length, now, &error);
  if (again == NULL)
    g_printerr ("%s\n%s\n", text, error->message);
  bd_fuzz_check (again != NULL);
  text_again = bd_tenant_file_to_data (again, &length_again);
  bd_fuzz_check (length == length_again && memcmp (text, text_again, length) == 0);

  return 0;
}
