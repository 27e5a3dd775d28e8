/* bd-activity-export.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-activity-export"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-activity-export.h"
#include "bd-export.h"
#include "bd-format.h"

/* Activity as CSV (docs/design.md, "Export"): every entry of the ledger,
 * for the subscription the page is filtered to or all, newest first, one a
 * row. The pages not loaded yet are loaded into the page's list first.
 */

/* An export waiting for the page to load every entry. */
typedef struct
{
  BdActivityPage *page;  /* weak */
  GFile          *file;
  BdCsvFlavour    flavour;
} Export;

static void
export_free (Export *export)
{
  g_clear_weak_pointer (&export->page);
  g_clear_object (&export->file);
  g_free (export);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

static const char *
action_text (BdAction action)
{
  switch (action)
    {
    case BD_ACTION_CANCEL:
      return C_("activity action", "Cancelled");
    case BD_ACTION_CHANGE_RECURRING_BILLING:
      return C_("activity action", "Changed recurring billing");
    case BD_ACTION_CHANGE_QUANTITY:
      return C_("activity action", "Changed licenses");
    case BD_ACTION_REACTIVATE:
      return C_("activity action", "Reactivated");
    case BD_ACTION_DELETE:
      return C_("activity action", "Deleted");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* What changed, as "On → Off", "10 → 5" or "Expired → Active"; %NULL for a
 * cancel, whose refund has its own columns.
 */
static char *
change_text (BdOperation *operation)
{
  BdRecurringBilling billing_from, billing_to;
  BdStatus status_from, status_to;
  gint64 quantity_from, quantity_to;

  if (bd_operation_get_recurring_billing_change (operation, &billing_from, &billing_to))
    return g_strdup_printf ("%s → %s", bd_format_recurring_billing (billing_from),
                            bd_format_recurring_billing (billing_to));
  if (bd_operation_get_quantity_change (operation, &quantity_from, &quantity_to))
    return g_strdup_printf ("%" G_GINT64_FORMAT " → %" G_GINT64_FORMAT,
                            quantity_from, quantity_to);
  if (bd_operation_get_status_change (operation, &status_from, &status_to))
    return g_strdup_printf ("%s → %s", bd_format_status (status_from),
                            bd_format_status (status_to));
  return NULL;
}

/* In a worker thread: the operations are not changed once read. */
static guint
write_rows (BdCsvWriter *writer,
            gpointer     user_data)
{
  GPtrArray *rows = user_data;

  bd_csv_writer_add_text (writer, C_("export column", "Time"));
  bd_csv_writer_add_text (writer, C_("export column", "User"));
  bd_csv_writer_add_text (writer, C_("export column", "User ID"));
  bd_csv_writer_add_text (writer, C_("export column", "Action"));
  bd_csv_writer_add_text (writer, C_("export column", "Subscription ID"));
  bd_csv_writer_add_text (writer, C_("export column", "Product"));
  bd_csv_writer_add_text (writer, C_("export column", "Reason"));
  bd_csv_writer_add_text (writer, C_("export column", "Change"));
  bd_csv_writer_add_text (writer, C_("export column", "Refund"));
  bd_csv_writer_add_text (writer, C_("export column", "Currency"));
  bd_csv_writer_add_text (writer, C_("export column", "Feedback"));
  bd_csv_writer_end_row (writer);

  for (guint i = 0; i < rows->len; i++)
    {
      BdOperation *operation = g_ptr_array_index (rows, i);
      g_autofree char *change = change_text (operation);
      BdCancelReason reason;
      BdRefundMethod method;
      BdMoney refund;

      bd_csv_writer_add_time (writer, bd_operation_get_time (operation));
      bd_csv_writer_add_text (writer, bd_operation_get_user_display_name (operation));
      bd_csv_writer_add_text (writer, bd_operation_get_user_id (operation));
      bd_csv_writer_add_text (writer, action_text (bd_operation_get_action (operation)));
      bd_csv_writer_add_text (writer, bd_operation_get_subscription_id (operation));
      bd_csv_writer_add_text (writer, bd_operation_get_product_name (operation));
      bd_csv_writer_add_text (writer, bd_operation_get_cancel_reason (operation, &reason)
                                      ? bd_format_cancel_reason (reason) : NULL);
      bd_csv_writer_add_text (writer, change);
      if (bd_operation_get_refund (operation, &refund, &method))
        bd_csv_writer_add_money (writer, &refund,
                                 bd_format_currency_digits (refund.currency));
      else
        {
          bd_csv_writer_add_text (writer, NULL);
          bd_csv_writer_add_text (writer, NULL);
        }
      bd_csv_writer_add_text (writer, bd_operation_get_feedback (operation));
      bd_csv_writer_end_row (writer);
    }

  return rows->len;
}

static char *
describe_done (guint n_rows)
{
  g_autofree char *count = bd_format_count (n_rows);

  /* Translators: a toast after an export of Activity; %s is the number
   * of entries */
  return g_strdup_printf (ngettext ("Exported %s entry", "Exported %s entries", n_rows),
                          count);
}

static void
chosen_cb (GtkWidget    *widget,
           GFile        *file,
           BdCsvFlavour  flavour)
{
  bd_activity_export_to_file (BD_ACTIVITY_PAGE (widget), file, flavour);
}

/**
 * bd_activity_export_choose:
 *
 * Asks where to export the entries of the ledger @page shows, and exports
 * all of them there once chosen (bd_activity_export_to_file ()).
 */
void
bd_activity_export_choose (BdActivityPage *page)
{
  g_autofree char *name = NULL;

  g_return_if_fail (BD_IS_ACTIVITY_PAGE (page));

  name = bd_export_suggest_name (BD_EXPORT_LIST_ACTIVITY);
  bd_export_choose_file (GTK_WIDGET (page), _("Export Activity"), name, chosen_cb);
}

/* The entries @page holds, now all of them, to @file. */
static void
write_entries (BdActivityPage *page,
               GFile          *file,
               BdCsvFlavour    flavour)
{
  GListModel *entries;
  GPtrArray *rows;
  guint n;

  entries = bd_activity_page_get_entries (page);
  n = g_list_model_get_n_items (entries);
  rows = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rows, g_list_model_get_item (entries, i));

  bd_export_write (GTK_WIDGET (page), file, flavour, write_rows, rows,
                   (GDestroyNotify) g_ptr_array_unref, describe_done);
}

static void
load_all_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GError) error = NULL;

  /* Cancelled: the page went, or shows other entries now. */
  if (!bd_activity_page_load_all_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && export->page != NULL)
        {
          /* Why is said under the list, whole; a toast has one line. */
          g_autoptr(GError) short_error = NULL;

          short_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                             _("Not every entry could be loaded"));
          bd_export_show_error (GTK_WIDGET (export->page), export->file, short_error);
        }
      return;
    }

  if (export->page != NULL)
    write_entries (export->page, export->file, export->flavour);
}

/**
 * bd_activity_export_to_file:
 * @file: where to write, as the chooser gave it
 * @flavour: the CSV's separators
 *
 * Exports every entry of the ledger @page shows (those for its filter),
 * newest first, to @file: the pages not loaded yet are loaded into @page's
 * list first (its Export button spinning meanwhile), then the CSV is
 * written (bd_export_write ()). A page that fails to load writes nothing,
 * and a toast says why, as it says how the write went.
 */
void
bd_activity_export_to_file (BdActivityPage *page,
                            GFile          *file,
                            BdCsvFlavour    flavour)
{
  Export *export;

  g_return_if_fail (BD_IS_ACTIVITY_PAGE (page));
  g_return_if_fail (G_IS_FILE (file));

  export = g_new0 (Export, 1);
  g_set_weak_pointer (&export->page, page);
  export->file = g_object_ref (file);
  export->flavour = flavour;
  bd_activity_page_load_all_async (page, load_all_cb, export);
}
