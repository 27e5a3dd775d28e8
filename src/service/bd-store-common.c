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

/* A tenant file's token as any other token, labelled for where it came
 * from; the seed has no clock of its own, so it is created now. Fills
 * @stored (its id is new: the caller frees it) and @token_hash
 * (BD_TOKEN_HASH_LENGTH bytes).
 */
void
_bd_store_tenant_file_token (BdUser        *user,
                             const char    *token,
                             BdStoredToken *stored,
                             guint8        *token_hash)
{
  bd_token_hash (token, token_hash);
  stored->id = bd_token_new_id ();
  stored->user_id = (char *) bd_user_get_id (user);
  stored->label = (char *) "tenant file";
  stored->created = g_get_real_time () / G_USEC_PER_SEC;
  stored->expires = BD_STORE_NEVER;
}

/* @message: the database's own words, untranslated */
gboolean
_bd_store_set_error (GError     **error,
                     Doing        doing,
                     const char  *message)
{
  switch (doing)
    {
    case DOING_OPEN:
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be opened: %s"), message);
      break;

    case DOING_MIGRATE:
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be upgraded: %s"), message);
      break;

    case DOING_READ:
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
                   _("The billing database could not be read: %s"), message);
      break;

    case DOING_WRITE:
      g_set_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED,
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
