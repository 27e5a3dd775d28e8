/* bd-test-child.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The real billing-desk-service ($BD_SERVICE_PATH) as a child process: its
 * first stdout line (the "listening on" line), the whole of its stderr, and
 * its exit.
 */
typedef struct
{
  GSubprocess         *process;
  GDataInputStream    *stdout_stream;
  GMemoryOutputStream *stderr_buffer;
  char                *line;      /* the first stdout line, once line_done */
  char                *url;       /* after bd_test_child_wait_listening () */
  char                *data_dir;  /* (nullable): removed with the child */
  gboolean             line_done;
  gboolean             stderr_done;
  gboolean             exited;
} BdTestChild;

BdTestChild *bd_test_child_spawn          (const char * const *args,
                                           const char * const *env);
const char  *bd_test_child_wait_listening (BdTestChild        *child,
                                           const char         *url_pattern);
int          bd_test_child_finish         (BdTestChild        *child,
                                           gboolean            stop,
                                           char              **stderr_text);
void         bd_test_child_free           (BdTestChild        *child);
int          bd_test_child_run            (const char * const *args,
                                           char              **out,
                                           char              **err);
void         bd_test_child_die_with_parent (GSubprocessLauncher *launcher,
                                            int                  signal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdTestChild, bd_test_child_free)

G_END_DECLS
