/* bd-test-csv.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GPtrArray *bd_test_csv_parse (const char  *data,
                              gsize        length,
                              char         separator,
                              GError     **error);

G_END_DECLS
