/* bd-error.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BD_CORE_ERROR (bd_core_error_quark ())

typedef enum
{
  /* Input that breaks the rules of its format: the message names the path. */
  BD_CORE_ERROR_INVALID,
} BdCoreError;

GQuark      bd_core_error_quark    (void);
void        bd_set_invalid_error   (GError     **error,
                                    const char  *path,
                                    const char  *format,
                                    ...) G_GNUC_PRINTF (3, 4);
const char *bd_core_error_get_path (const GError *error);

G_END_DECLS
