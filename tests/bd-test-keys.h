/* bd-test-keys.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void bd_test_keys_focus_window (GtkWindow       *window);
void bd_test_keys_press        (GtkWindow       *window,
                                guint            keyval,
                                GdkModifierType  modifiers);
void bd_test_keys_wait_frames  (GtkWindow       *window);

G_END_DECLS
