/* bd-error.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-error"

#include "config.h"

#include "bd-error.h"

/* The path of the bad value travels with the error, so that the service can
 * answer it as the error's `target` without parsing a translated message.
 */
typedef struct
{
  char *path;
} BdCoreErrorPrivate;

static void
bd_core_error_private_init (BdCoreErrorPrivate *priv)
{
  priv->path = NULL;
}

static void
bd_core_error_private_copy (const BdCoreErrorPrivate *src,
                            BdCoreErrorPrivate       *dest)
{
  dest->path = g_strdup (src->path);
}

static void
bd_core_error_private_clear (BdCoreErrorPrivate *priv)
{
  g_clear_pointer (&priv->path, g_free);
}

G_DEFINE_EXTENDED_ERROR (BdCoreError, bd_core_error)

/**
 * bd_set_invalid_error:
 * @path: (nullable): the path of the bad value, such as `subscriptions[3].quantity`
 * @format: the translated explanation, without the path
 *
 * Sets a %BD_CORE_ERROR_INVALID whose message is "PATH: explanation".
 */
void
bd_set_invalid_error (GError     **error,
                      const char  *path,
                      const char  *format,
                      ...)
{
  g_autofree char *what = NULL;
  BdCoreErrorPrivate *priv;
  GError *new_error;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (path != NULL && *path != '\0')
    new_error = g_error_new (BD_CORE_ERROR, BD_CORE_ERROR_INVALID, "%s: %s", path, what);
  else
    new_error = g_error_new_literal (BD_CORE_ERROR, BD_CORE_ERROR_INVALID, what);

  priv = bd_core_error_get_private (new_error);
  priv->path = g_strdup (path != NULL && *path != '\0' ? path : NULL);

  g_propagate_error (error, new_error);
}

/**
 * bd_core_error_get_path:
 *
 * Returns: (nullable): the path of the bad value of a %BD_CORE_ERROR
 */
const char *
bd_core_error_get_path (const GError *error)
{
  BdCoreErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != BD_CORE_ERROR)
    return NULL;

  priv = bd_core_error_get_private (error);
  return priv != NULL ? priv->path : NULL;
}
