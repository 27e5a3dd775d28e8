/* bd-test-utils.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-core.h"

G_BEGIN_DECLS

gint64              bd_test_time         (const char *rfc3339);
char               *bd_test_format       (gint64      value);
void                bd_test_remove_tree  (const char *path);
char               *bd_test_make_cache_home (void);
gboolean            bd_test_wait_until   (gboolean    (*done) (gpointer),
                                          gpointer      data,
                                          guint         timeout_ms);
gboolean            bd_test_is_set       (gpointer      flag);
void                bd_test_store_result_cb (GObject      *source,
                                             GAsyncResult *result,
                                             gpointer      user_data);
gboolean            bd_test_has_result   (gpointer      slot);
gboolean            bd_test_bytes_contain (gconstpointer data,
                                          gsize         size,
                                          const char   *needle);
BdSubscriptionData *bd_test_subscription (const char *start,
                                          const char *last_renewal,
                                          const char *term_end);
void                bd_test_assert_error (GError     *error,
                                          const char *path);
gconstpointer       bd_test_for_language (const char    *language,
                                          gconstpointer  table,
                                          gsize          row_size,
                                          gsize          n_rows);
void                bd_test_add_row      (GHashTable    *paths,
                                          const char    *prefix,
                                          const char    *name,
                                          gconstpointer  row,
                                          GTestDataFunc  func);
void                bd_test_add_table    (const char    *prefix,
                                          gconstpointer  table,
                                          gsize          row_size,
                                          gsize          n_rows,
                                          GTestDataFunc  test_func);

/* The store the service tests run on (tests/meson.build registers them a
 * second time, with a -pg suffix, for PostgreSQL): see bd-test-utils.c.
 */
gboolean            bd_test_database_is_postgresql (void);
gboolean            bd_test_database_skip_all      (void);
char               *bd_test_database_new           (const char *sqlite_path);
void                bd_test_database_drop          (const char *location);
char               *bd_test_database_query         (const char *location,
                                                    const char *sql);

#define bd_assert_time_eq(value, rfc3339) \
  G_STMT_START { \
    g_autofree char *__t = bd_test_format (value); \
    g_assert_cmpstr (__t, ==, rfc3339); \
  } G_STMT_END

G_END_DECLS
