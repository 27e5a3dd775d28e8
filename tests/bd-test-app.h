/* bd-test-app.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-application.h"

G_BEGIN_DECLS

/* A BdApplication run in the test process, as a launch with the given
 * arguments would run it. */

typedef void (*BdTestAppBody) (gpointer data);

void bd_test_app_run (BdApplication      **app,
                      const char * const  *args,
                      BdTestAppBody        body,
                      gpointer             data,
                      GCallback            window_added,
                      gpointer             window_added_data);

G_END_DECLS
