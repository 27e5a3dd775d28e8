/* bd-export.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "bd-export.h"
#include "bd-format.h"

/* What every export shares (docs/design.md, "Export"): the file chooser
 * with the format as a choice, the CSV written in a worker thread to a
 * temporary file beside the target and renamed over it (never half a file),
 * and the toast that says how it went. The caller gives the rows and how to
 * write them; a test gives bd_export_write () the file that the chooser
 * would have given.
 */

#define FORMAT_CHOICE "format"
#define CHOICE_DECIMAL_COMMA "decimal-comma"
#define CHOICE_STANDARD "standard"

/* A chooser open for a widget, which may go before it answers. */
typedef struct
{
  GtkWidget          *widget;  /* weak */
  BdExportChosenFunc  chosen;
} Choice;

/* What the worker thread writes. */
typedef struct
{
  char              *path;     /* NULL: a file without a local path */
  GFile             *file;
  BdCsvFlavour       flavour;
  BdExportWriteFunc  write_rows;
  gpointer           rows;
  GDestroyNotify     free_rows;
} Job;

/* What the main thread says afterwards, if the widget is still there. */
typedef struct
{
  GtkWidget        *widget;  /* weak */
  GFile            *file;
  BdExportDoneFunc  done;
} Report;

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->free_rows != NULL)
    job->free_rows (job->rows);
  g_clear_object (&job->file);
  g_free (job->path);
  g_free (job);
}

static void
report_free (Report *report)
{
  g_clear_weak_pointer (&report->widget);
  g_clear_object (&report->file);
  g_free (report);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Report, report_free)

static gboolean
set_errno_error (GError **error,
                 int      saved_errno)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
  return FALSE;
}

/* Writes @bytes to a new temporary file in @path's directory, flushes it to
 * the disk and renames it over @path: @path is the whole new file or what
 * it was, and nothing else is left behind.
 */
static gboolean
replace_local_file (const char    *path,
                    GBytes        *bytes,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *temp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gsize written = 0;
  int saved_errno = 0;
  int fd;

  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    return set_errno_error (error, errno);

  while (written < length && saved_errno == 0)
    {
      gssize n;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      n = write (fd, data + written, MIN (length - written, 1 << 16));
      if (n < 0 && errno != EINTR)
        saved_errno = errno;
      else if (n > 0)
        written += (gsize) n;
    }

  if (saved_errno == 0 && written == length && fsync (fd) != 0)
    saved_errno = errno;
  if (close (fd) != 0 && saved_errno == 0)
    saved_errno = errno;
  if (saved_errno == 0 && written == length &&
      !g_cancellable_is_cancelled (cancellable) && g_rename (temp, path) != 0)
    saved_errno = errno;

  if (saved_errno == 0 && written == length && !g_cancellable_is_cancelled (cancellable))
    return TRUE;

  g_unlink (temp);
  if (saved_errno != 0)
    return set_errno_error (error, saved_errno);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Job *job = task_data;
  BdCsvWriter *writer = bd_csv_writer_new (job->flavour);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  guint n_rows;
  gboolean ok;

  n_rows = job->write_rows (writer, job->rows);
  bytes = bd_csv_writer_free_to_bytes (writer);

  /* A location without a local path (a remote share): GIO's own
   * replace, which also writes aside and renames.
   */
  if (job->path != NULL)
    ok = replace_local_file (job->path, bytes, cancellable, &error);
  else
    ok = g_file_replace_contents (job->file, g_bytes_get_data (bytes, NULL),
                                  g_bytes_get_size (bytes), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error);

  if (ok)
    g_task_return_int (task, n_rows);
  else
    g_task_return_error (task, error);
}

static void
on_open_folder_cb (AdwToast *toast,
                   GFile    *folder)
{
  g_autofree char *uri = g_file_get_uri (folder);

  gtk_show_uri (NULL, uri, GDK_CURRENT_TIME);
}

/* The toast overlay @widget is in, or else the one it holds as its child:
 * a page that takes the window's whole content (Activity) has its own.
 */
static void
add_toast (GtkWidget *widget,
           AdwToast  *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL && ADW_IS_TOAST_OVERLAY (gtk_widget_get_first_child (widget)))
    overlay = gtk_widget_get_first_child (widget);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static void
write_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Report) report = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gssize n_rows;
  AdwToast *toast;

  n_rows = g_task_propagate_int (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || report->widget == NULL)
    return;

  if (error != NULL)
    {
      bd_export_show_error (report->widget, report->file, error);
      return;
    }

  message = report->done ((guint) n_rows);
  toast = adw_toast_new (message);
  if (g_file_has_parent (report->file, NULL))
    {
      adw_toast_set_button_label (toast, _("Open Folder"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_open_folder_cb),
                             g_file_get_parent (report->file),
                             (GClosureNotify) (void (*) (void)) g_object_unref, G_CONNECT_DEFAULT);
    }
  add_toast (report->widget, toast);
}

static void
on_chooser_response_cb (GtkNativeDialog *native,
                        int              response,
                        gpointer         user_data)
{
  Choice *choice = user_data;

  if (response == GTK_RESPONSE_ACCEPT && choice->widget != NULL)
    {
      GtkFileChooser *chooser = GTK_FILE_CHOOSER (native);
      g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);
      const char *format = gtk_file_chooser_get_choice (chooser, FORMAT_CHOICE);
      BdCsvFlavour flavour = g_strcmp0 (format, CHOICE_DECIMAL_COMMA) == 0
                             ? BD_CSV_FLAVOUR_DECIMAL_COMMA : BD_CSV_FLAVOUR_STANDARD;

      if (file != NULL)
        choice->chosen (choice->widget, file, flavour);
    }

  g_clear_weak_pointer (&choice->widget);
  g_free (choice);
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

/* The format, as a choice in the chooser: the interface language's first. */
static void
add_format_choice (GtkFileChooser *chooser)
{
  g_autofree char *language = bd_format_language_name ();
  g_autofree char *local = NULL;
  const char *ids[3] = { NULL };
  const char *labels[3] = { NULL };

  if (bd_export_get_default_flavour () == BD_CSV_FLAVOUR_DECIMAL_COMMA)
    {
      /* Translators: a CSV format in the Export dialog; %s is the interface
       * language's name as ICU writes it in that language ("dansk"): fields
       * separated by semicolons, decimals with a comma
       */
      local = g_strdup_printf (_("For Spreadsheets in %s"), language);
      ids[0] = CHOICE_DECIMAL_COMMA;
      labels[0] = local;
      ids[1] = CHOICE_STANDARD;
      labels[1] = _("Standard CSV");
    }
  else
    {
      ids[0] = CHOICE_STANDARD;
      labels[0] = _("Standard CSV");
      ids[1] = CHOICE_DECIMAL_COMMA;
      /* Translators: a CSV format in the Export dialog, for spreadsheets in
       * languages that write decimals with a comma
       */
      labels[1] = _("Semicolons and Decimal Commas");
    }

  gtk_file_chooser_add_choice (chooser, FORMAT_CHOICE, _("Format"), ids, labels);
  gtk_file_chooser_set_choice (chooser, FORMAT_CHOICE, ids[0]);
}

/**
 * bd_export_get_default_flavour:
 *
 * Returns: the flavour of the interface language: decimal-comma for one
 *   that writes decimals with a comma (da, de, fr, ...), else standard
 */
BdCsvFlavour
bd_export_get_default_flavour (void)
{
  return bd_format_uses_decimal_comma () ? BD_CSV_FLAVOUR_DECIMAL_COMMA
                                         : BD_CSV_FLAVOUR_STANDARD;
}

/**
 * bd_export_suggest_name:
 * @list: what is exported
 *
 * Returns: (transfer full): the file name the chooser suggests for @list,
 *   with today's date: "Billing Desk products 2026-12-03.csv"
 */
char *
bd_export_suggest_name (BdExportList list)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");

  switch (list)
    {
    case BD_EXPORT_LIST_PRODUCTS:
      /* Translators: the file name an export suggests; %s is today's date, as
       * 2026-12-03
       */
      return g_strdup_printf (_("Billing Desk products %s.csv"), date);
    case BD_EXPORT_LIST_ACTIVITY:
      /* Translators: the file name an export of Activity suggests; %s is
       * today's date, as 2026-12-03
       */
      return g_strdup_printf (_("Billing Desk activity %s.csv"), date);
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * bd_export_choose_file:
 * @widget: the widget that exports, in a window
 * @title: the chooser's title, such as "Export Your Products"
 * @suggested_name: the file name it suggests
 * @chosen: called with the file and the format chosen, unless the person
 *   cancels or @widget is gone by then
 *
 * Asks where to export to, and in which format, with GtkFileChooserNative.
 */
void
bd_export_choose_file (GtkWidget          *widget,
                       const char         *title,
                       const char         *suggested_name,
                       BdExportChosenFunc  chosen)
{
  g_autoptr(GtkFileFilter) filter = NULL;
  GtkFileChooserNative *native;
  GtkRoot *root;
  Choice *choice;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (chosen != NULL);

  root = gtk_widget_get_root (widget);
  native = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), suggested_name);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  add_format_choice (GTK_FILE_CHOOSER (native));

  choice = g_new0 (Choice, 1);
  g_set_weak_pointer (&choice->widget, widget);
  choice->chosen = chosen;
  g_signal_connect (native, "response", G_CALLBACK (on_chooser_response_cb), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/**
 * bd_export_show_error:
 * @widget: the widget that exports, in an AdwToastOverlay or holding one
 * @file: the file it was to write
 * @error: why nothing was written: the file's error, or the list's
 *
 * Says in a toast on @widget that @file was not written, and why.
 */
void
bd_export_show_error (GtkWidget    *widget,
                      GFile        *file,
                      const GError *error)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (error != NULL);

  name = g_file_get_basename (file);
  /* Translators: a toast; %1$s is a file's name, %2$s why it could not
   * be written, such as "Permission denied"
   */
  message = g_strdup_printf (_("Could not export to “%1$s”: %2$s"), name, error->message);
  add_toast (widget, adw_toast_new (message));
}

/**
 * bd_export_write:
 * @widget: the widget that exports, in an AdwToastOverlay
 * @file: where to write
 * @flavour: the CSV's separators
 * @write_rows: writes @rows, in a worker thread
 * @rows: (transfer full): what @write_rows writes, taken now (the list may
 *   change meanwhile)
 * @free_rows: frees @rows, in either thread
 * @done: the success toast's text
 *
 * Writes the CSV in a worker thread to a temporary file beside @file and
 * renames it over @file, then says in a toast on @widget how it went:
 * @done's text with Open Folder, or the file's name and why it could not be
 * written (nothing is left behind). Cancelled when @widget is destroyed.
 */
void
bd_export_write (GtkWidget         *widget,
                 GFile             *file,
                 BdCsvFlavour       flavour,
                 BdExportWriteFunc  write_rows,
                 gpointer           rows,
                 GDestroyNotify     free_rows,
                 BdExportDoneFunc   done)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GTask) task = NULL;
  Report *report;
  Job *job;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (write_rows != NULL && done != NULL);

  job = g_new0 (Job, 1);
  job->path = g_file_get_path (file);
  job->file = g_object_ref (file);
  job->flavour = flavour;
  job->write_rows = write_rows;
  job->rows = rows;
  job->free_rows = free_rows;

  report = g_new0 (Report, 1);
  g_set_weak_pointer (&report->widget, widget);
  report->file = g_object_ref (file);
  report->done = done;

  /* The window going cancels the write: the temporary file goes with it. */
  g_signal_connect_object (widget, "destroy", G_CALLBACK (g_cancellable_cancel), cancellable,
                           G_CONNECT_SWAPPED);

  task = g_task_new (NULL, cancellable, write_cb, report);
  g_task_set_source_tag (task, bd_export_write);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, write_in_thread);
}
