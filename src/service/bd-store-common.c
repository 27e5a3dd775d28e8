/* bd-store-common.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every implementation of BdStore does alike: its errors, in the same
 * words whichever database said no, and a tenant file's token.
 */

#define G_LOG_DOMAIN "bd-store-common"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-store-private.h"
#include "bd-token.h"

/* Seeds a tenant file's user, through the interface, and its token when the
 * file gives one: as any other token, labelled for where it came from; the
 * seed has no clock of its own, so the token is created now.
 */
gboolean
_bd_store_seed_user (BdStore     *store,
                     BdUser      *user,
                     const char  *token,
                     GError     **error)
{
  guint8 token_hash[BD_TOKEN_HASH_LENGTH];
  g_autofree char *id = NULL;
  BdStoredToken stored = { NULL };

  if (!bd_store_add_user (store, user, error))
    return FALSE;

  if (token == NULL)
    return TRUE;

  bd_token_hash (token, token_hash);
  id = bd_token_new_id ();
  stored.id = id;
  stored.user_id = (char *) bd_user_get_id (user);
  stored.label = (char *) "tenant file";
  stored.created = g_get_real_time () / G_USEC_PER_SEC;
  stored.expires = BD_STORE_NEVER;

  return bd_store_add_token (store, &stored, token_hash, error);
}

/* @message: the database's own words, untranslated */
gboolean
_bd_store_set_error (GError     **error,
                     Doing        doing,
                     const char  *message)
{
  return _bd_store_set_error_code (error, BD_STORE_ERROR_FAILED, doing, message);
}

/* As _bd_store_set_error (), with @code: the same words whichever code, as
 * what the store was doing is what the reader needs; the code is what the
 * API answers (BD_STORE_ERROR_UNAVAILABLE: 503).
 */
gboolean
_bd_store_set_error_code (GError       **error,
                          BdStoreError   code,
                          Doing          doing,
                          const char    *message)
{
  switch (doing)
    {
    case DOING_OPEN:
      g_set_error (error, BD_STORE_ERROR, code,
                   _("The billing database could not be opened: %s"), message);
      break;

    case DOING_MIGRATE:
      g_set_error (error, BD_STORE_ERROR, code,
                   _("The billing database could not be upgraded: %s"), message);
      break;

    case DOING_READ:
      g_set_error (error, BD_STORE_ERROR, code,
                   _("The billing database could not be read: %s"), message);
      break;

    case DOING_WRITE:
      g_set_error (error, BD_STORE_ERROR, code,
                   _("The billing database could not be changed: %s"), message);
      break;

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* A row that passed this version's CHECKs cannot fail to read back, but
 * one edited by hand or by a newer service can.
 */
gboolean
_bd_store_set_unreadable_row_error (const char  *table,
                                    GError     **error)
{
  g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
               _("The billing database holds a value this version cannot read, in table “%s”"),
               table);
  return FALSE;
}

gboolean
_bd_store_set_newer_schema_error (gint     version,
                                  gint     known,
                                  GError **error)
{
  g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NEWER_SCHEMA,
               /* Translators: the numbers are versions of the database's layout */
               _("The billing database was written by a newer version of the service "
                 "(layout %1$d; this version knows up to %2$d)"),
               version, known);
  return FALSE;
}
