/* bd-export.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bd-core.h"

G_BEGIN_DECLS

/* The lists there are to export. */
typedef enum
{
  BD_EXPORT_LIST_PRODUCTS,
  BD_EXPORT_LIST_ACTIVITY,
} BdExportList;

/* Writes the rows of an export: called in a worker thread with the rows the
 * caller took (nothing of the main thread's to touch), it returns how many
 * rows it wrote, its header not counted.
 */
typedef guint (*BdExportWriteFunc)  (BdCsvWriter  *writer,
                                     gpointer      rows);
/* The success toast's text for @n_rows rows: "Exported 16 products". */
typedef char *(*BdExportDoneFunc)   (guint         n_rows);
/* The file the person chose, and the flavour, for @widget. */
typedef void  (*BdExportChosenFunc) (GtkWidget    *widget,
                                     GFile        *file,
                                     BdCsvFlavour  flavour);

BdCsvFlavour bd_export_get_default_flavour (void);
char        *bd_export_suggest_name        (BdExportList        list);
void         bd_export_choose_file         (GtkWidget          *widget,
                                            const char         *title,
                                            const char         *suggested_name,
                                            BdExportChosenFunc  chosen);
void         bd_export_show_error          (GtkWidget          *widget,
                                            GFile              *file,
                                            const GError       *error);
void         bd_export_write               (GtkWidget          *widget,
                                            GFile              *file,
                                            BdCsvFlavour        flavour,
                                            BdExportWriteFunc   write_rows,
                                            gpointer            rows,
                                            GDestroyNotify      free_rows,
                                            BdExportDoneFunc    done);

G_END_DECLS
