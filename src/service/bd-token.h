/* bd-token.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BD_TOKEN_HASH_LENGTH 32  /* SHA-256 */

void     bd_token_hash        (const char   *token,
                               guint8        digest[BD_TOKEN_HASH_LENGTH]);
gboolean bd_token_hash_equal  (const guint8 *a,
                               const guint8 *b);

G_END_DECLS
