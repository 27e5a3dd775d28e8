/* bd-token.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the service keeps of a bearer token, and how it compares two.
 */

#define G_LOG_DOMAIN "bd-token"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "bd-token.h"

#define TOKEN_RANDOM_BYTES 32
#define ID_RANDOM_BYTES    6

/* From the kernel's random generator, which is fit for secrets. */
static void
fill_random (guint8 *buffer,
             gsize   length)
{
  gsize filled = 0;

  while (filled < length)
    {
      gssize got = getrandom (buffer + filled, length - filled, 0);

      if (got < 0 && errno != EINTR)
        g_error ("No random bytes from the kernel: %s", g_strerror (errno));
      if (got > 0)
        filled += (gsize) got;
    }
}

/**
 * bd_token_new:
 *
 * A new bearer token: "bdt_" and 43 characters of base64url (RFC 4648,
 * section 5, without padding) from 32 random bytes.
 *
 * Returns: (transfer full): the token
 */
char *
bd_token_new (void)
{
  guint8 bytes[TOKEN_RANDOM_BYTES];
  g_autofree char *base64 = NULL;
  GString *token = g_string_new (BD_TOKEN_PREFIX);

  fill_random (bytes, sizeof bytes);
  base64 = g_base64_encode (bytes, sizeof bytes);

  for (const char *p = base64; *p != '\0' && *p != '='; p++)
    g_string_append_c (token, *p == '+' ? '-' : *p == '/' ? '_' : *p);

  g_assert (token->len == strlen (BD_TOKEN_PREFIX) + 43);
  return g_string_free (token, FALSE);
}

/**
 * bd_token_new_id:
 *
 * A new token id: 12 hexadecimal digits from 6 random bytes, which name a
 * token in `tokens list` and `tokens revoke` and say nothing of the token.
 *
 * Returns: (transfer full): the id
 */
char *
bd_token_new_id (void)
{
  guint8 bytes[ID_RANDOM_BYTES];
  GString *id = g_string_new (NULL);

  fill_random (bytes, sizeof bytes);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (id, "%02x", bytes[i]);

  return g_string_free (id, FALSE);
}

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
