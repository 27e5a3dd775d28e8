/* bd-test-keyring.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A D-Bus session bus of the test process's own, and on it a throwaway
 * gnome-keyring, or no keyring at all. Call one of the setups at the very
 * start of main (), before g_test_init () and before anything touches
 * D-Bus or asks GLib for a user directory: it points HOME and every XDG
 * directory at a temporary directory and DBUS_SESSION_BUS_ADDRESS at the
 * private bus. The bus, the keyring and the temporary directory go away
 * when the test process ends, however it ends. Link bd-test-child.c too.
 */

void        bd_test_keyring_setup                 (void);
void        bd_test_keyring_setup_without_keyring (void);

const char *bd_test_keyring_get_dir               (void);
const char *bd_test_keyring_get_bus_address       (void);

char       *bd_test_keyring_lookup                (const char *schema_name,
                                                   const char *service_url,
                                                   const char *user_id);
char       *bd_test_keyring_search                (const char *schema_name);
char       *bd_test_keyring_find_in_files         (const char *needle);

void        bd_test_keyring_hang_secret_service   (void);
void        bd_test_keyring_hang_prompter         (void);
void        bd_test_keyring_dismiss_prompts       (void);
void        bd_test_keyring_stop                  (void);

G_END_DECLS
