/* bd-token.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BD_TOKEN_HASH_LENGTH 32  /* SHA-256 */

#define BD_TOKEN_PREFIX "bdt_"

char    *bd_token_new         (void);
char    *bd_token_new_id      (void);
void     bd_token_hash        (const char   *token,
                               guint8        digest[BD_TOKEN_HASH_LENGTH]);
gboolean bd_token_hash_equal  (const guint8 *a,
                               const guint8 *b);

G_END_DECLS
