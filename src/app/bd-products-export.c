/* bd-products-export.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-products-export"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-export.h"
#include "bd-format.h"
#include "bd-products-export.h"

/* Your Products as CSV (docs/design.md, "Export"): the rows the search and
 * the status filter let through, as listed, one a subscription.
 */

/* In a worker thread: gettext and ICU's currency data may be read there. */
static guint
write_rows (BdCsvWriter *writer,
            gpointer     user_data)
{
  GPtrArray *rows = user_data;

  bd_csv_writer_add_text (writer, C_("export column", "Product"));
  bd_csv_writer_add_text (writer, C_("export column", "Status"));
  bd_csv_writer_add_text (writer, C_("export column", "Subscription ID"));
  bd_csv_writer_add_text (writer, C_("export column", "Licenses"));
  bd_csv_writer_add_text (writer, C_("export column", "Assigned licenses"));
  bd_csv_writer_add_text (writer, C_("export column", "Unit price"));
  bd_csv_writer_add_text (writer, C_("export column", "Currency"));
  bd_csv_writer_add_text (writer, C_("export column", "Recurring billing"));
  bd_csv_writer_add_text (writer, C_("export column", "Start date"));
  bd_csv_writer_add_text (writer, C_("export column", "Term end date"));
  bd_csv_writer_end_row (writer);

  for (guint i = 0; i < rows->len; i++)
    {
      const BdSubscriptionData *data = g_ptr_array_index (rows, i);

      bd_csv_writer_add_text (writer, data->product_name);
      bd_csv_writer_add_text (writer, bd_format_status (data->status));
      bd_csv_writer_add_text (writer, data->id);
      bd_csv_writer_add_integer (writer, data->quantity);
      bd_csv_writer_add_integer (writer, data->assigned_licenses);
      bd_csv_writer_add_money (writer, &data->unit_price,
                               bd_format_currency_digits (data->unit_price.currency));
      bd_csv_writer_add_text (writer, bd_format_recurring_billing (data->recurring_billing));
      bd_csv_writer_add_time (writer, data->start_date);
      bd_csv_writer_add_time (writer, data->term_end_date);
      bd_csv_writer_end_row (writer);
    }

  return rows->len;
}

static char *
describe_done (guint n_rows)
{
  g_autofree char *count = bd_format_count (n_rows);

  /* Translators: a toast after an export of Your Products; %s is the
   * number of products */
  return g_strdup_printf (ngettext ("Exported %s product", "Exported %s products", n_rows),
                          count);
}

static void
chosen_cb (GtkWidget    *widget,
           GFile        *file,
           BdCsvFlavour  flavour)
{
  bd_products_export_to_file (BD_PRODUCTS_PAGE (widget), file, flavour);
}

/**
 * bd_products_export_choose:
 *
 * Asks where to export the subscriptions @page shows, and exports them
 * there once chosen.
 */
void
bd_products_export_choose (BdProductsPage *page)
{
  g_autofree char *name = NULL;

  g_return_if_fail (BD_IS_PRODUCTS_PAGE (page));

  name = bd_export_suggest_name (BD_EXPORT_LIST_PRODUCTS);
  bd_export_choose_file (GTK_WIDGET (page), _("Export Your Products"), name, chosen_cb);
}

/**
 * bd_products_export_to_file:
 * @file: where to write, as the chooser gave it
 * @flavour: the CSV's separators
 *
 * Exports the subscriptions @page shows now, as listed, to @file, and says
 * how it went in a toast (bd_export_write ()).
 */
void
bd_products_export_to_file (BdProductsPage *page,
                            GFile          *file,
                            BdCsvFlavour    flavour)
{
  GListModel *shown;
  GPtrArray *rows;
  guint n;

  g_return_if_fail (BD_IS_PRODUCTS_PAGE (page));
  g_return_if_fail (G_IS_FILE (file));

  shown = bd_products_page_get_shown (page);
  n = g_list_model_get_n_items (shown);
  rows = g_ptr_array_new_full (n, (GDestroyNotify) bd_subscription_data_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (shown, i);

      g_ptr_array_add (rows, bd_subscription_data_copy (bd_subscription_get_data (subscription)));
    }

  bd_export_write (GTK_WIDGET (page), file, flavour, write_rows, rows,
                   (GDestroyNotify) g_ptr_array_unref, describe_done);
}
