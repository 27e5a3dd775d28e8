/* bd-api-error.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-api-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bd-api-error.h"
#include "bd-error.h"
#include "bd-json.h"

/**
 * bd_api_error_read:
 * @node: an error document, `{"error": {"code", "message", "target"}}`
 * @code: (out): return location for the code; %BD_ERROR_CODE_UNKNOWN for a
 *   word this version does not know
 * @code_word: (out) (optional) (transfer full): return location for the code
 *   as the document spells it
 * @message: (out) (optional) (transfer full): return location for the
 *   (English) message
 * @target: (out) (optional) (nullable) (transfer full): return location for
 *   the target, %NULL when absent or null
 * @error: return location for a %BD_CORE_ERROR_INVALID
 *
 * Reads an error document of the API. Unknown keys are refused at both
 * levels; an unknown code word is not an error, so that a newer service can
 * add codes. The out parameters are only set on success.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
bd_api_error_read (JsonNode     *node,
                   BdErrorCode  *code,
                   char        **code_word,
                   char        **message,
                   char        **target,
                   GError      **error)
{
  static const char * const document_keys[] = { "error", NULL };
  static const char * const error_keys[] = { "code", "message", "target", NULL };
  g_autofree char *error_path = NULL;
  JsonObject *document;
  JsonObject *object = NULL;
  const char *word = NULL;
  const char *message_value = NULL;
  const char *target_value = NULL;
  BdErrorCode code_value;

  g_return_val_if_fail (node != NULL, FALSE);
  g_return_val_if_fail (code != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  document = bd_json_expect_object (node, NULL, document_keys, error);
  if (document == NULL)
    return FALSE;

  if (!bd_json_read_object (document, NULL, "error", BD_JSON_REQUIRED, error_keys,
                            &object, error))
    return FALSE;

  error_path = bd_json_path_member (NULL, "error");

  if (!bd_json_read_string (object, error_path, "code", BD_JSON_REQUIRED | BD_JSON_NON_EMPTY,
                            &word, error) ||
      !bd_json_read_string (object, error_path, "message", BD_JSON_REQUIRED,
                            &message_value, error) ||
      !bd_json_read_string (object, error_path, "target", BD_JSON_NULLABLE,
                            &target_value, error))
    return FALSE;

  if (!bd_error_code_from_string (word, &code_value))
    code_value = BD_ERROR_CODE_UNKNOWN;

  *code = code_value;
  if (code_word != NULL)
    *code_word = g_strdup (word);
  if (message != NULL)
    *message = g_strdup (message_value);
  if (target != NULL)
    *target = g_strdup (target_value);

  return TRUE;
}

/**
 * bd_api_error_build:
 * @code: a known error code (not %BD_ERROR_CODE_UNKNOWN)
 * @message: the English message, for logs and developers
 * @target: (nullable): what the error is about, such as `quantity`; %NULL
 *   to leave `target` out
 *
 * Returns: (transfer full): a new `{"error": {"code", "message", "target"}}` document
 */
JsonNode *
bd_api_error_build (BdErrorCode  code,
                    const char  *message,
                    const char  *target)
{
  g_autoptr(JsonBuilder) builder = NULL;
  const char *word;

  word = bd_error_code_to_string (code);

  g_return_val_if_fail (word != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, word);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (target != NULL)
    {
      json_builder_set_member_name (builder, "target");
      json_builder_add_string_value (builder, target);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
