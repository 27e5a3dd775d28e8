/* bd-token.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the service keeps of a bearer token, and how it compares two.
 */

#define G_LOG_DOMAIN "bd-token"

#include "config.h"

#include <string.h>

#include "bd-token.h"

/**
 * bd_token_hash:
 *
 * Tokens are long random strings, not passwords: a plain SHA-256 is enough
 * to make a copied database useless for signing in.
 */
void
bd_token_hash (const char *token,
               guint8      digest[BD_TOKEN_HASH_LENGTH])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize length = BD_TOKEN_HASH_LENGTH;

  g_return_if_fail (token != NULL);

  g_checksum_update (checksum, (const guchar *) token, (gssize) strlen (token));
  g_checksum_get_digest (checksum, digest, &length);
  g_assert (length == BD_TOKEN_HASH_LENGTH);
}

/**
 * bd_token_hash_equal:
 *
 * Whether two token hashes are the same, in a time that does not depend on
 * where they differ: every byte is looked at, and no branch depends on one.
 */
gboolean
bd_token_hash_equal (const guint8 *a,
                     const guint8 *b)
{
  /* volatile: the compiler may not stop early once a difference is seen. */
  volatile guint8 difference = 0;

  for (gsize i = 0; i < BD_TOKEN_HASH_LENGTH; i++)
    difference |= a[i] ^ b[i];

  return difference == 0;
}
