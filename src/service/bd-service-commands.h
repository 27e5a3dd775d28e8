/* bd-service-commands.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-service-options.h"

G_BEGIN_DECLS

/* The commands that manage the database the server serves: `users list|add|
 * set-roles|disable|enable` and `tokens create|list|revoke`. Each prints its
 * answer on stdout only when it succeeded, and a message on stderr when it
 * did not.
 *
 * Returns: the exit status: 0, or 1 for every failure
 */
int bd_service_run_command (const BdServiceOptions *options);

G_END_DECLS
