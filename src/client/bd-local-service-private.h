/* bd-local-service-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-local-service.h"

G_BEGIN_DECLS

/* Between bd-local-service.c (the object: its start, its stop, what it
 * logs) and bd-local-service-child.c (the child process itself: how it is
 * spawned, what its lines mean, how its exit is waited for, and the
 * sentences of a start that failed).
 */

#define BD_LOCAL_SERVICE_PROGRAM "billing-desk-service"

GSubprocess *_bd_local_service_spawn               (const char   *program,
                                                   const char   *data_dir,
                                                   const char   *tenant_file,
                                                   GError      **error);
char        *_bd_local_service_parse_listening     (const char   *line);
char        *_bd_local_service_quote_line          (const char   *line);
char        *_bd_local_service_describe_exit       (GSubprocess  *process);
gboolean     _bd_local_service_wait_for_exit       (GSubprocess  *process,
                                                   guint         timeout_ms);

GError      *_bd_local_service_new_exit_error      (GSubprocess  *process,
                                                   const char   *last_line);
GError      *_bd_local_service_new_line_error      (const char   *line,
                                                   const char   *last_line);
GError      *_bd_local_service_new_timeout_error   (guint         seconds,
                                                   const char   *last_line);

G_END_DECLS
