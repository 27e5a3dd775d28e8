/* bd-api-error.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-core-types.h"

G_BEGIN_DECLS

/* The API's error documents:
 * `{"error": {"code": "notFound", "message": "...", "target": "..."}}`.
 */

gboolean  bd_api_error_read  (JsonNode     *node,
                              BdErrorCode  *code,
                              char        **code_word,
                              char        **message,
                              char        **target,
                              GError      **error);
JsonNode *bd_api_error_build (BdErrorCode   code,
                              const char   *message,
                              const char   *target);

G_END_DECLS
