/* bd-diagnostics.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean bd_diagnostics_start_from_env (void);
gboolean bd_diagnostics_start          (const char *spec);

G_END_DECLS
