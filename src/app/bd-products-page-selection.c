/* bd-products-page-selection.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-products-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-bulk-summary.h"
#include "bd-format.h"
#include "bd-product-row.h"
#include "bd-products-page-private.h"

/* Selection mode of Your Products (docs/design.md, "Selection and bulk"):
 * the header's Select button, Ctrl+click on a row or the page's
 * selection-mode property start it; the list then has a GtkMultiSelection
 * instead of its GtkNoSelection, the rows show check boxes, Ctrl+A selects
 * every row shown (as filtered) and Escape leaves. The action bar says how
 * many are selected and offers Turn Off Recurring Billing, which a
 * BdBulkRun (src/client) sends; its summary follows (bd-bulk-summary.c).
 */

static GParamSpec *selection_mode_property;

static guint
count_selected (BdProductsPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  if (!self->selection_mode)
    return 0;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->multi_selection));
  return (guint) gtk_bitset_get_size (selected);
}

static void
update_row (BdProductsPage *self,
            GtkListItem    *item)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  if (row != NULL && BD_IS_PRODUCT_ROW (row))
    bd_product_row_set_selection (BD_PRODUCT_ROW (row), self->selection_mode,
                                  gtk_list_item_get_selected (item));
}

static void
on_item_selected_cb (GtkListItem    *item,
                     GParamSpec     *pspec,
                     BdProductsPage *self)
{
  update_row (self, item);
}

void
_bd_products_page_setup_selection (BdProductsPage *self,
                                   GtkListItem    *item)
{
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "bd-list-item", item);
  g_signal_connect_object (item, "notify::selected", G_CALLBACK (on_item_selected_cb), self,
                           G_CONNECT_DEFAULT);
}

void
_bd_products_page_bind_selection (BdProductsPage *self,
                                  GtkListItem    *item)
{
  update_row (self, item);
}

/* The action bar: the count, or while a run goes, how far it is. */
void
_bd_products_page_update_selection (BdProductsPage *self)
{
  gboolean running = self->bulk_run != NULL;
  guint selected = count_selected (self);
  g_autofree char *text = NULL;

  if (running)
    {
      guint total = bd_bulk_run_get_n_to_send (self->bulk_run);
      g_autofree char *answered = bd_format_count (bd_bulk_run_get_n_answered (self->bulk_run));
      g_autofree char *to_send = bd_format_count (total);

      /* Translators: progress of a bulk Turn Off Recurring Billing:
       * answers received (%1$s) of requests to send (%2$s) */
      text = g_strdup_printf (ngettext ("Turning off recurring billing: %1$s of %2$s",
                                        "Turning off recurring billing: %1$s of %2$s", total),
                              answered, to_send);
    }
  else
    {
      g_autofree char *count = bd_format_count (selected);

      /* Translators: subscriptions selected in selection mode; %s is
       * their number */
      text = g_strdup_printf (ngettext ("%s selected", "%s selected", selected), count);
    }

  gtk_label_set_label (self->selection_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->bulk_spinner), running);
  gtk_spinner_set_spinning (self->bulk_spinner, running);
  gtk_widget_set_visible (self->turn_off_button, !running);
  gtk_widget_set_visible (self->stop_button, running);
  gtk_action_bar_set_revealed (self->action_bar, self->selection_mode);

  /* Offline, the rows are a cached list: nothing is sent for them. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.turn-off-recurring-billing",
                                 !running && selected > 0 && self->client != NULL &&
                                 !self->offline);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.stop-bulk",
                                 running && !bd_bulk_run_get_stopping (self->bulk_run));
}

static void
refresh_rows (BdProductsPage *self)
{
  for (guint i = 0; i < self->bound_rows->len; i++)
    {
      GtkListItem *item = g_object_get_data (g_ptr_array_index (self->bound_rows, i),
                                             "bd-list-item");

      if (item != NULL)
        update_row (self, item);
    }
}

static void
on_selection_changed_cb (BdProductsPage *self)
{
  _bd_products_page_update_selection (self);
}

/* Its position among the rows shown, or G_MAXUINT. */
static guint
find_shown (BdProductsPage *self,
            const char     *id)
{
  GListModel *shown = G_LIST_MODEL (self->filtered);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BdSubscription) subscription = g_list_model_get_item (shown, i);

      if (g_strcmp0 (bd_subscription_get_id (subscription), id) == 0)
        return i;
    }

  return G_MAXUINT;
}

/*
 * The run and its summary
 */

static void
on_summary_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        BdProductsPage   *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
show_summary (BdProductsPage *self,
              BdBulkRun      *run)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = bd_bulk_summary_heading (run);
  g_autofree char *text = bd_bulk_summary_text (run);
  GtkWidget *dialog;
  GtkWidget *scrolled;
  GtkWidget *label;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, NULL);
  gtk_widget_set_name (dialog, "bulk-summary");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));

  /* Thirty names do not fit a message dialog: they scroll. */
  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_name (label, "bulk-summary-text");
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  /* Wide enough for a name and its reason on a line, mostly. */
  gtk_widget_set_size_request (scrolled, 480, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_summary_response_cb), self,
                           G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bulk_run_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  BdBulkRun *run = BD_BULK_RUN (object);
  g_autoptr(GError) error = NULL;
  BdProductsPage *self;

  /* Cancelled only when the page went. */
  if (!bd_bulk_run_start_finish (run, result, &error))
    return;

  self = BD_PRODUCTS_PAGE (user_data);
  g_clear_signal_handler (&self->bulk_progress_id, self->bulk_run);
  run = g_steal_pointer (&self->bulk_run);
  /* Done: the rows say the new state (updated in place), the summary
   * what became of each. */
  bd_products_page_set_selection_mode (self, FALSE);
  _bd_products_page_update_selection (self);
  show_summary (self, run);
  g_object_unref (run);
}

static void
on_bulk_progress_cb (BdProductsPage *self)
{
  _bd_products_page_update_selection (self);
}

static void
start_run (BdProductsPage *self,
           BdBulkRun      *run)
{
  self->bulk_run = g_object_ref (run);
  self->bulk_progress_id = g_signal_connect_swapped (run, "notify",
                                                     G_CALLBACK (on_bulk_progress_cb), self);
  /* Not a reference: the page cancels the run when it goes, and the
   * callback returns before it touches the page. */
  bd_bulk_run_start_async (run, self->bulk_cancellable, bulk_run_cb, self);
  _bd_products_page_update_selection (self);
}

static void
on_confirm_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        BdProductsPage   *self)
{
  BdBulkRun *run = g_object_get_data (G_OBJECT (dialog), "bd-bulk-run");

  if (g_str_equal (response, "turn-off") && self->bulk_run == NULL)
    start_run (self, run);
}

/* The confirmation the single case asks (Edit Recurring Billing's Off),
 * for how many.
 */
static void
confirm_run (BdProductsPage *self,
             BdBulkRun      *run)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint to_send = bd_bulk_run_get_n_to_send (run);
  guint skipped = bd_bulk_run_get_n_items (run) - to_send;
  g_autofree char *to_send_count = bd_format_count (to_send);
  g_autofree char *body = NULL;
  g_autofree char *change = NULL;
  GtkWidget *dialog;

  change = g_strdup_printf (ngettext ("Recurring billing will be turned off for %s subscription. "
                                      "It stays active until its term ends, and nothing more "
                                      "is charged for it.",
                                      "Recurring billing will be turned off for %s "
                                      "subscriptions. Each stays active until its term ends, "
                                      "and nothing more is charged for them.", to_send),
                            to_send_count);
  if (skipped > 0)
    {
      g_autofree char *skipped_count = bd_format_count (skipped);
      g_autofree char *skip = NULL;

      skip = g_strdup_printf (ngettext ("%s selected subscription can’t be changed and is "
                                        "skipped.",
                                        "%s selected subscriptions can’t be changed and are "
                                        "skipped.", skipped),
                              skipped_count);
      /* Translators: two sentences of a confirmation, one after the other */
      body = g_strdup_printf (C_("two sentences", "%1$s %2$s"), change, skip);
    }
  else
    body = g_steal_pointer (&change);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Turn Off Recurring Billing?"), body);
  gtk_widget_set_name (dialog, "bulk-confirm");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "turn-off", _("_Turn Off"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "turn-off",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "bd-bulk-run", g_object_ref (run), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response_cb), self,
                           G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

/*
 * Actions and keys
 */

static void
page_turn_off_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BdProductsPage *self = BD_PRODUCTS_PAGE (widget);
  g_autoptr(GPtrArray) subscriptions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(BdBulkRun) run = NULL;
  GtkBitsetIter iter;
  guint position;

  if (self->bulk_run != NULL || self->client == NULL || !self->selection_mode)
    return;

  /* In the order shown. */
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->multi_selection));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (subscriptions, g_list_model_get_item (G_LIST_MODEL (self->filtered),
                                                           position));
  if (subscriptions->len == 0)
    return;

  run = bd_bulk_run_new (self->client, subscriptions, BD_BULK_RUN_MAX_IN_FLIGHT);
  /* Nothing to send (a reader, every one expired or already off): the
   * summary says why at once. */
  if (bd_bulk_run_get_n_to_send (run) == 0)
    start_run (self, run);
  else
    confirm_run (self, run);
}

static void
page_stop_bulk_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BdProductsPage *self = BD_PRODUCTS_PAGE (widget);

  if (self->bulk_run != NULL)
    bd_bulk_run_stop (self->bulk_run);
  _bd_products_page_update_selection (self);
}

/* A row's check box or a (Ctrl+)click on it: ("id", selected). */
static void
page_select_row_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  BdProductsPage *self = BD_PRODUCTS_PAGE (widget);
  const char *id;
  gboolean selected;
  guint position;

  g_variant_get (parameter, "(&sb)", &id, &selected);
  position = find_shown (self, id);
  if (self->bulk_run != NULL || position == G_MAXUINT)
    {
      refresh_rows (self);
      return;
    }

  bd_products_page_set_selection_mode (self, TRUE);
  if (selected)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->multi_selection), position, FALSE);
  else
    gtk_selection_model_unselect_item (GTK_SELECTION_MODEL (self->multi_selection), position);
}

/* Ctrl+A: every row shown, in selection mode only. */
static gboolean
select_all (GtkWidget *widget,
            GVariant  *args,
            gpointer   user_data)
{
  BdProductsPage *self = BD_PRODUCTS_PAGE (widget);

  if (!self->selection_mode || self->bulk_run != NULL)
    return FALSE;

  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->multi_selection));
  return TRUE;
}

/* Escape leaves selection mode, unless a run goes. */
static gboolean
leave_selection_mode (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  BdProductsPage *self = BD_PRODUCTS_PAGE (widget);

  if (!self->selection_mode)
    return FALSE;

  bd_products_page_set_selection_mode (self, FALSE);
  return TRUE;
}

/*
 * Between the page's parts (bd-products-page-private.h)
 */

void
_bd_products_page_init_selection (BdProductsPage *self)
{
  self->bulk_cancellable = g_cancellable_new ();
  self->no_selection =
    GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->filtered))));
  self->multi_selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  g_signal_connect_swapped (self->multi_selection, "selection-changed",
                            G_CALLBACK (on_selection_changed_cb), self);
  g_signal_connect_swapped (self->multi_selection, "items-changed",
                            G_CALLBACK (on_selection_changed_cb), self);
  gtk_list_view_set_model (self->list_view, self->no_selection);
  _bd_products_page_update_selection (self);
}

void
_bd_products_page_dispose_selection (BdProductsPage *self)
{
  g_cancellable_cancel (self->bulk_cancellable);
  g_clear_object (&self->bulk_cancellable);
  if (self->bulk_run != NULL)
    g_clear_signal_handler (&self->bulk_progress_id, self->bulk_run);
  g_clear_object (&self->bulk_run);
  if (self->multi_selection != NULL)
    g_signal_handlers_disconnect_by_data (self->multi_selection, self);
  g_clear_object (&self->multi_selection);
  g_clear_object (&self->no_selection);
}

/* The page's only writable property is selection-mode. */
void
_bd_products_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  if (pspec == selection_mode_property)
    bd_products_page_set_selection_mode (BD_PRODUCTS_PAGE (object), g_value_get_boolean (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

/* Whether the rows can be selected (bd_products_page_set_selection_mode ()). */
GParamSpec *
_bd_products_page_new_selection_mode_pspec (void)
{
  selection_mode_property =
    g_param_spec_boolean ("selection-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  return selection_mode_property;
}

/* After the template is set: its children and the actions and keys. */
void
_bd_products_page_class_init_selection (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, action_bar);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, bulk_spinner);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, turn_off_button);
  gtk_widget_class_bind_template_child (widget_class, BdProductsPage, stop_button);

  gtk_widget_class_install_action (widget_class, "page.turn-off-recurring-billing", NULL,
                                   page_turn_off_action);
  gtk_widget_class_install_action (widget_class, "page.stop-bulk", NULL, page_stop_bulk_action);
  gtk_widget_class_install_action (widget_class, "page.select-row", "(sb)",
                                   page_select_row_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, select_all, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, leave_selection_mode, NULL);
}

/*
 * Public API
 */

/**
 * bd_products_page_set_selection_mode:
 *
 * Shows check boxes on the rows and the action bar, or hides them and
 * forgets the selection. Never left while a bulk run goes.
 */
void
bd_products_page_set_selection_mode (BdProductsPage *self,
                                     gboolean        selection_mode)
{
  g_return_if_fail (BD_IS_PRODUCTS_PAGE (self));

  selection_mode = !!selection_mode;
  if (self->selection_mode == selection_mode)
    return;

  if (!selection_mode && self->bulk_run != NULL)
    {
      /* The header's toggle follows the page back. */
      g_object_notify_by_pspec (G_OBJECT (self), selection_mode_property);
      return;
    }

  self->selection_mode = selection_mode;
  if (!selection_mode)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->multi_selection));
  gtk_list_view_set_model (self->list_view,
                           selection_mode ? GTK_SELECTION_MODEL (self->multi_selection)
                                          : self->no_selection);
  refresh_rows (self);
  _bd_products_page_update_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), selection_mode_property);
}

gboolean
bd_products_page_get_selection_mode (BdProductsPage *self)
{
  g_return_val_if_fail (BD_IS_PRODUCTS_PAGE (self), FALSE);

  return self->selection_mode;
}

/**
 * bd_products_page_get_selection:
 *
 * Returns: (transfer none): the selection of selection mode, over the rows
 *   shown
 */
GtkSelectionModel *
bd_products_page_get_selection (BdProductsPage *self)
{
  g_return_val_if_fail (BD_IS_PRODUCTS_PAGE (self), NULL);

  return GTK_SELECTION_MODEL (self->multi_selection);
}

/* A bulk run goes: the window waits for it before it closes or switches. */
gboolean
bd_products_page_is_busy (BdProductsPage *self)
{
  g_return_val_if_fail (BD_IS_PRODUCTS_PAGE (self), FALSE);

  return self->bulk_run != NULL;
}
