/* fuzz-api-error.c: an error document, as the client reads it.
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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) built = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code_word = NULL;
  g_autofree char *message = NULL;
  g_autofree char *target = NULL;
  g_autofree char *message_again = NULL;
  g_autofree char *target_again = NULL;
  BdErrorCode code = BD_ERROR_CODE_UNKNOWN;
  BdErrorCode code_again = BD_ERROR_CODE_UNKNOWN;

  node = bd_json_parse ((const char *) data, size, &error);
  if (node == NULL)
    return 0;

  if (!bd_api_error_read (node, &code, &code_word, &message, &target, &error))
    {
      bd_fuzz_check (error != NULL && g_utf8_validate (error->message, -1, NULL));
      bd_fuzz_check (code_word == NULL && message == NULL && target == NULL);
      return 0;
    }
  bd_fuzz_check (error == NULL && code_word != NULL && message != NULL);

  /* the service's own documents read back the same */
  if (code == BD_ERROR_CODE_UNKNOWN)
    return 0;
  built = bd_api_error_build (code, message, target);
  bd_fuzz_check (bd_api_error_read (built, &code_again, NULL, &message_again, &target_again,
                                    &error));
  bd_fuzz_check (code_again == code);
  bd_fuzz_check (g_strcmp0 (message_again, message) == 0);
  bd_fuzz_check (g_strcmp0 (target_again, target) == 0);

  return 0;
}
