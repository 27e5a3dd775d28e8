/* bd-settings.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The app's GSettings (schema id = the app id): found in the app's own
 * installed datadir first, so a private prefix works without XDG_DATA_DIRS,
 * then where GLib looks by default (GSETTINGS_SCHEMA_DIR, XDG_DATA_DIRS).
 */

#define BD_SETTINGS_ERROR (bd_settings_error_quark ())

typedef enum
{
  BD_SETTINGS_ERROR_NO_SCHEMA,
} BdSettingsError;

GQuark     bd_settings_error_quark      (void);
GSettings *bd_settings_new              (GError     **error);
GSettings *bd_settings_new_for_datadir  (const char  *datadir,
                                         GError     **error);

G_END_DECLS
