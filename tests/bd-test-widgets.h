/* bd-test-widgets.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bd-application.h"
#include "bd-core.h"

G_BEGIN_DECLS

/* How long a widget test waits for what a person would wait for. */
#define BD_TEST_WIDGET_WAIT_MS 20000

typedef gboolean (*BdTestWidgetMatch) (GtkWidget     *widget,
                                       gconstpointer  data);

char      *bd_test_widget_text        (gpointer     widget);
gboolean   bd_test_widget_shows       (gpointer     widget,
                                       const char  *part);
void       bd_test_assert_shows       (gpointer     widget,
                                       const char  *part);
void       bd_test_assert_not_shown   (gpointer     widget,
                                       const char  *part);
void       bd_test_wait_for_text      (gpointer     widget,
                                       const char  *part);
char      *bd_test_without_mnemonic   (const char  *label);
GtkWidget *bd_test_find_by_type       (gpointer     widget,
                                       GType        type);
GtkWidget *bd_test_find_shown_by_type (gpointer     widget,
                                       GType        type);
GtkWidget *bd_test_find_by_action     (gpointer     widget,
                                       const char  *action_name);
void       bd_test_click              (GtkWidget   *button);
void       bd_test_save_screenshot    (gpointer     widget,
                                       const char  *name);
char      *bd_test_name_in_language   (const char  *name);
const char *bd_test_count              (guint        n);
void       bd_test_save_screenshot_in_language (gpointer     widget,
                                                const char  *name);
BdSubscription *bd_test_find_subscription (GListModel *model,
                                           const char *id);
GtkWidget *bd_test_find_widget        (gpointer           widget,
                                       BdTestWidgetMatch  match,
                                       gconstpointer      data);
GtkWindow *bd_test_find_toplevel      (GType        type);
void       bd_test_settle             (guint        ms);
gint64     bd_test_count_frames       (gpointer     widget,
                                       guint        ms);

gboolean   bd_test_action_enabled     (gpointer     widget,
                                       const char  *action);
gboolean   bd_test_page_has_rows      (gpointer     page);
GtkWidget *bd_test_find_row           (gpointer     widget,
                                       const char  *id);
BdApplication *bd_test_register_application (void);

G_END_DECLS
