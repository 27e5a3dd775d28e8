/* bd-api-idempotency-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-api-call-private.h"

G_BEGIN_DECLS

/* The Idempotency-Key of a change: its shape, the request's fingerprint,
 * the key claimed first in the change's transaction, the first answer
 * replayed, and answers kept (docs/design.md sections 3 and 6).
 */

BdApiResponse *_bd_api_check_idempotency_key (const BdApiRequest   *request,
                                              gboolean              required);
GBytes        *_bd_api_fingerprint           (const BdApiRequest   *request);
BdApiResponse *_bd_api_find_kept             (BdApiCall            *call,
                                              const char           *endpoint,
                                              const char           *key,
                                              BdIdempotentAnswer  **kept);
BdApiResponse *_bd_api_claim_key             (BdApiCall            *call,
                                              const char           *endpoint,
                                              const char           *key,
                                              GBytes               *fingerprint,
                                              BdIdempotentAnswer  **kept);
BdApiResponse *_bd_api_replay                (const BdIdempotentAnswer *kept,
                                              GBytes               *fingerprint);
gboolean       _bd_api_keep_answer           (BdApiCall            *call,
                                              const char           *endpoint,
                                              const char           *key,
                                              GBytes               *fingerprint,
                                              const BdApiResponse  *response,
                                              GError              **error);

G_END_DECLS
