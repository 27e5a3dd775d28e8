/* bd-application.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BD_TYPE_APPLICATION (bd_application_get_type ())

G_DECLARE_FINAL_TYPE (BdApplication, bd_application, BD, APPLICATION, AdwApplication)

BdApplication *bd_application_new (void);

G_END_DECLS
