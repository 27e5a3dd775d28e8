/* bd-csv-writer.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "bd-money.h"

G_BEGIN_DECLS

/* The two kinds of CSV an export writes (docs/design.md, "Export"). */
typedef enum
{
  /* `,` between fields, `.` in decimals: RFC 4180 as most programs read it. */
  BD_CSV_FLAVOUR_STANDARD,
  /* `;` between fields, `,` in decimals: what spreadsheet programs expect in
   * languages that write decimals with a comma (Danish, German, French, ...).
   */
  BD_CSV_FLAVOUR_DECIMAL_COMMA,
} BdCsvFlavour;

typedef struct _BdCsvWriter BdCsvWriter;

BdCsvWriter *bd_csv_writer_new           (BdCsvFlavour   flavour);
void         bd_csv_writer_free          (BdCsvWriter   *self);
GBytes      *bd_csv_writer_free_to_bytes (BdCsvWriter   *self);
void         bd_csv_writer_add_text      (BdCsvWriter   *self,
                                          const char    *text);
void         bd_csv_writer_add_integer   (BdCsvWriter   *self,
                                          gint64         value);
void         bd_csv_writer_add_decimal   (BdCsvWriter   *self,
                                          gint64         minor_units,
                                          guint          digits);
void         bd_csv_writer_add_money     (BdCsvWriter   *self,
                                          const BdMoney *money,
                                          guint          digits);
void         bd_csv_writer_add_time      (BdCsvWriter   *self,
                                          gint64         time);
void         bd_csv_writer_end_row       (BdCsvWriter   *self);
guint        bd_csv_writer_get_n_rows    (BdCsvWriter   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdCsvWriter, bd_csv_writer_free)

G_END_DECLS
