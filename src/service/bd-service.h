/* bd-service.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-service-options.h"

G_BEGIN_DECLS

/* The server command: reads the TLS certificate, opens (and seeds) the
 * store in the data directory, starts the server, prints the one
 * "listening on URL" line on stdout and serves until SIGTERM or SIGINT.
 */

int bd_service_serve (const BdServiceOptions *options);

G_END_DECLS
