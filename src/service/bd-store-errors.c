/* bd-store-errors.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The errors every implementation of BdStore sets, in the same words
 * whichever database said no.
 */

#define G_LOG_DOMAIN "bd-store-errors"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-store-private.h"

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
