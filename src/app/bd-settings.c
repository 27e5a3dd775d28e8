/* bd-settings.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-settings.h"

G_DEFINE_QUARK (bd-settings-error-quark, bd_settings_error)

/**
 * bd_settings_new_for_datadir:
 * @datadir: a data directory whose glib-2.0/schemas may hold the compiled schema
 *
 * The schema is looked up in @datadir first and then in GLib's default
 * source. GSETTINGS_SCHEMA_DIR, when set, comes before both: it is how a
 * build directory (the tests) names the schema it compiled.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with
 *   %BD_SETTINGS_ERROR_NO_SCHEMA when no source has the schema
 */
GSettings *
bd_settings_new_for_datadir (const char  *datadir,
                             GError     **error)
{
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *dir = NULL;
  GSettingsSchemaSource *fallback = g_settings_schema_source_get_default ();

  g_return_val_if_fail (datadir != NULL, NULL);

  dir = g_build_filename (datadir, "glib-2.0", "schemas", NULL);

  /* A developer's GSETTINGS_SCHEMA_DIR (in the default source) comes
   * first; else the installed datadir does. */
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") != NULL && fallback != NULL)
    schema = g_settings_schema_source_lookup (fallback, APPLICATION_ID, TRUE);

  if (schema == NULL && g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GError) local_error = NULL;

      /* A directory without a usable gschemas.compiled is passed over. */
      source = g_settings_schema_source_new_from_directory (dir, fallback, FALSE, &local_error);
      if (source == NULL)
        g_debug ("%s: %s", dir, local_error->message);
    }

  if (schema == NULL && source == NULL && fallback != NULL)
    source = g_settings_schema_source_ref (fallback);

  if (schema == NULL && source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

  if (schema == NULL)
    {
      g_set_error (error, BD_SETTINGS_ERROR, BD_SETTINGS_ERROR_NO_SCHEMA,
                   /* Translators: %1$s is the schema id, %2$s a directory */
                   _("The settings schema %1$s is not installed (looked in %2$s and the "
                     "system’s schema directories). Install Billing Desk again, or run "
                     "glib-compile-schemas in that directory."),
                   APPLICATION_ID, dir);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

/**
 * bd_settings_new:
 *
 * The app's settings, as bd_settings_new_for_datadir () finds them in the
 * datadir the app was installed into.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with an error
 */
GSettings *
bd_settings_new (GError **error)
{
  return bd_settings_new_for_datadir (DATADIR, error);
}
