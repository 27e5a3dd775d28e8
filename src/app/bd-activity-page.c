/* bd-activity-page.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-activity-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-activity-export.h"
#include "bd-activity-filter.h"
#include "bd-activity-page.h"
#include "bd-activity-text.h"

/* Activity: the service's ledger (GET /v1/operations), newest first, a page
 * at a time as the list is scrolled near its end, for one subscription or
 * all. Only admins may read it: a reader is told so without asking. A
 * change sent through the window's client loads the first page again.
 */

#define PAGE_SIZE 50

struct _BdActivityPage
{
  GtkWidget          parent_instance;

  BdClient          *client;
  BdUser            *user;          /* (nullable): until /v1/me answers */
  GCancellable      *cancellable;
  char              *filter_id;     /* (nullable): all subscriptions */
  char              *next_link;     /* (nullable): the last page is in */
  gboolean           loading;
  gboolean           loading_first;
  gboolean           more_failed;   /* the next page failed: Try Again asks again */

  GListStore        *entries;       /* BdOperation, newest first */
  BdActivityFilter  *filter;
  gboolean           setting_filter;

  GTask             *load_all;      /* (nullable): Export… waits for every entry */
  GCancellable      *load_all_cancellable;

  AdwToastOverlay   *toast_overlay;
  GtkWidget         *export_button;
  GtkStack          *export_stack;
  GtkSpinner        *export_spinner;
  GtkWidget         *box;
  GtkWidget         *filter_box;
  GtkDropDown       *filter_dropdown;
  GtkStack          *stack;
  GtkSpinner        *spinner;
  AdwStatusPage     *error_page;
  AdwStatusPage     *empty_page;
  GtkScrolledWindow *scrolled_window;
  GtkListBox        *list_box;
  GtkStack          *footer_stack;
  GtkSpinner        *footer_spinner;
  GtkLabel          *footer_error_label;
};

G_DEFINE_FINAL_TYPE (BdActivityPage, bd_activity_page, GTK_TYPE_WIDGET)

static void load_first (BdActivityPage *self);
static void load_more  (BdActivityPage *self);

/* Export… is offered while the list shows entries (nothing to export but
 * them), and not again while it waits for the rest of them: meanwhile its
 * button spins.
 */
static void
update_export (BdActivityPage *self)
{
  gboolean busy = self->load_all != NULL;
  const char *label = busy ? _("Exporting…") : _("Export…");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "activity.export",
                                 !busy && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack),
                                                     "list") == 0);
  gtk_stack_set_visible_child_name (self->export_stack, busy ? "busy" : "idle");
  gtk_spinner_set_spinning (self->export_spinner, busy);
  gtk_widget_set_tooltip_text (self->export_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->export_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* Export…'s wait is over: every entry is in (@error %NULL), or not. */
static void
finish_load_all (BdActivityPage *self,
                 GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->load_all);

  g_clear_object (&self->load_all_cancellable);
  update_export (self);
  if (task == NULL)
    g_clear_error (&error);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The entries Export… waits for are no longer those of the page: it goes,
 * or shows another subscription's, or another client's, or none.
 */
static void
cancel_load_all (BdActivityPage *self)
{
  /* Its task then returns G_IO_ERROR_CANCELLED (g_task_set_check_cancellable ()). */
  if (self->load_all != NULL)
    g_cancellable_cancel (self->load_all_cancellable);
  finish_load_all (self, NULL);
}

/* Export… waits for every entry: the next page, unless one is on its way
 * (its answer comes back here), or the end.
 */
static void
continue_load_all (BdActivityPage *self)
{
  if (self->load_all == NULL || self->loading)
    return;

  if (self->next_link != NULL)
    load_more (self);
  else
    finish_load_all (self, NULL);
}

static void
show_state (BdActivityPage *self,
            const char     *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "loading"));
  /* Nothing to filter for someone who may not read any of it. */
  gtk_widget_set_visible (self->filter_box, !g_str_equal (name, "refused"));
  update_export (self);
}

static void
show_footer (BdActivityPage *self,
             const char     *name)
{
  gtk_stack_set_visible_child_name (self->footer_stack, name);
  gtk_spinner_set_spinning (self->footer_spinner, g_str_equal (name, "loading"));
}

static gboolean
may_read (BdActivityPage *self)
{
  return self->user == NULL || bd_user_can_manage (self->user);
}

/* The next page, once the end of the list is less than a screen away: as
 * the list is scrolled, and after a page that left the window unfilled.
 */
static void
maybe_load_more (BdActivityPage *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double left;

  if (self->next_link == NULL || self->loading || self->more_failed ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  left = gtk_adjustment_get_upper (adjustment) -
         (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment));
  if (left < gtk_adjustment_get_page_size (adjustment))
    load_more (self);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return bd_activity_text_new_row (item);
}

static void
list_operations_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BdActivityPage *self;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next_link = NULL;
  gboolean first;

  page = bd_client_list_operations_finish (BD_CLIENT (object), result, &next_link, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_ACTIVITY_PAGE (user_data);
  first = self->loading_first;
  self->loading = FALSE;
  self->loading_first = FALSE;

  if (page == NULL)
    {
      if (bd_client_error_get_api_code (error) == BD_ERROR_CODE_FORBIDDEN)
        {
          g_list_store_remove_all (self->entries);
          show_state (self, "refused");
        }
      else if (first)
        {
          g_list_store_remove_all (self->entries);
          adw_status_page_set_description (self->error_page, error->message);
          show_state (self, "error");
        }
      else
        {
          self->more_failed = TRUE;
          gtk_label_set_text (self->footer_error_label, error->message);
          show_footer (self, "error");
        }
      /* Export… says why it wrote nothing. */
      finish_load_all (self, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&self->next_link, g_free);
  self->next_link = g_steal_pointer (&next_link);

  g_list_store_splice (self->entries,
                       first ? 0 : g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       first ? g_list_model_get_n_items (G_LIST_MODEL (self->entries)) : 0,
                       page->pdata, page->len);

  show_footer (self, "none");
  show_state (self, g_list_model_get_n_items (G_LIST_MODEL (self->entries)) > 0 ? "list"
                                                                                 : "empty");
  if (self->load_all != NULL)
    continue_load_all (self);
  else
    maybe_load_more (self);
}

static void
request_page (BdActivityPage *self,
              const char     *next_link)
{
  self->loading = TRUE;
  bd_client_list_operations_async (self->client, next_link, PAGE_SIZE,
                                   BD_OPERATIONS_ORDER_NEWEST, self->filter_id,
                                   self->cancellable, list_operations_cb, self);
}

/* No page on its way any more. */
static void
stop_loading (BdActivityPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->next_link, g_free);
  self->loading = FALSE;
  self->more_failed = FALSE;
}

/* The first page again; entries shown stay until it is in. Export…, if
 * it waits, goes on from it: it gets the list as it is now.
 */
static void
load_first (BdActivityPage *self)
{
  stop_loading (self);
  show_footer (self, "none");

  if (self->client == NULL)
    return;

  if (!may_read (self))
    {
      cancel_load_all (self);
      g_list_store_remove_all (self->entries);
      show_state (self, "refused");
      return;
    }

  if (self->filter_id != NULL)
    adw_status_page_set_description (self->empty_page,
                                      _("Nobody has changed this subscription yet."));
  else
    adw_status_page_set_description (self->empty_page,
                                     _("Changes to the subscriptions are listed here."));

  if (g_list_model_get_n_items (G_LIST_MODEL (self->entries)) == 0)
    show_state (self, "loading");

  self->cancellable = g_cancellable_new ();
  self->loading_first = TRUE;
  request_page (self, NULL);
}

static void
load_more (BdActivityPage *self)
{
  if (self->client == NULL || self->next_link == NULL || self->loading)
    return;

  self->more_failed = FALSE;
  show_footer (self, "loading");
  request_page (self, self->next_link);
}

/* Shown or not, the page follows the window's changes: shown, it loads
 * its first page again; hidden, it does when it is shown.
 */
static void
on_subscription_changed_cb (BdClient       *client,
                            const char     *id,
                            BdActivityPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load_first (self);
}

static void
on_filter_selected_cb (BdActivityPage *self)
{
  gpointer item = gtk_drop_down_get_selected_item (self->filter_dropdown);
  const char *id = bd_activity_filter_item_id (item);

  if (self->setting_filter || item == NULL || g_strcmp0 (id, self->filter_id) == 0)
    return;

  cancel_load_all (self);
  g_free (self->filter_id);
  self->filter_id = g_strdup (id);
  g_list_store_remove_all (self->entries);
  load_first (self);
}

/* The dropdown shows @self->filter_id; "All Subscriptions" for none. */
static void
select_filter (BdActivityPage *self)
{
  guint position = bd_activity_filter_find (self->filter, self->filter_id);

  self->setting_filter = TRUE;
  gtk_drop_down_set_selected (self->filter_dropdown, position);
  self->setting_filter = FALSE;
}

static void
activity_reload_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  bd_activity_page_reload (BD_ACTIVITY_PAGE (widget));
}

/* Ctrl+F: the filter's list of subscriptions, its search at hand. */
static void
activity_filter_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  BdActivityPage *self = BD_ACTIVITY_PAGE (widget);

  if (gtk_widget_grab_focus (GTK_WIDGET (self->filter_dropdown)))
    g_signal_emit_by_name (self->filter_dropdown, "activate");
}

static void
activity_export_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  bd_activity_export_choose (BD_ACTIVITY_PAGE (widget));
}

static void
activity_load_more_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  load_more (BD_ACTIVITY_PAGE (widget));
}

/*
 * GObject overrides
 */

static void
bd_activity_page_dispose (GObject *object)
{
  BdActivityPage *self = (BdActivityPage *)object;

  cancel_load_all (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BD_TYPE_ACTIVITY_PAGE);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  g_clear_object (&self->entries);

  G_OBJECT_CLASS (bd_activity_page_parent_class)->dispose (object);
}

static void
bd_activity_page_finalize (GObject *object)
{
  BdActivityPage *self = (BdActivityPage *)object;

  g_free (self->filter_id);
  g_free (self->next_link);
  /* After the template: the dropdown's expression reads it. */
  bd_activity_filter_free (self->filter);

  G_OBJECT_CLASS (bd_activity_page_parent_class)->finalize (object);
}

static void
bd_activity_page_class_init (BdActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bd_activity_page_dispose;
  object_class->finalize = bd_activity_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billingdesk/BillingDesk/bd-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, export_stack);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, export_spinner);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, box);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, filter_box);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, footer_stack);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, footer_spinner);
  gtk_widget_class_bind_template_child (widget_class, BdActivityPage, footer_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_selected_cb);

  gtk_widget_class_install_action (widget_class, "activity.reload", NULL, activity_reload_action);
  gtk_widget_class_install_action (widget_class, "activity.load-more", NULL,
                                   activity_load_more_action);
  gtk_widget_class_install_action (widget_class, "activity.filter", NULL, activity_filter_action);
  gtk_widget_class_install_action (widget_class, "activity.export", NULL, activity_export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "activity.filter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.show-products",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "activity.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "activity.reload", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bd_activity_page_init (BdActivityPage *self)
{
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "activity.export", FALSE);

  self->entries = g_list_store_new (BD_TYPE_OPERATION);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->entries), create_row, NULL, NULL);

  self->filter = bd_activity_filter_new (self->filter_dropdown);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (maybe_load_more), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (maybe_load_more),
                           self, G_CONNECT_SWAPPED);
}

/*
 * Public API
 */

/**
 * bd_activity_page_set_client:
 * @client: (nullable): the window's client
 *
 * Reads the ledger through @client from now on, and follows the changes
 * sent through it. The user is unknown until bd_activity_page_set_user ().
 */
void
bd_activity_page_set_client (BdActivityPage *self,
                             BdClient       *client)
{
  g_return_if_fail (BD_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (client == NULL || BD_IS_CLIENT (client));

  if (self->client == client)
    return;

  /* Nothing of the other client's comes in any more. */
  cancel_load_all (self);
  stop_loading (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  g_clear_object (&self->user);
  if (client != NULL)
    g_signal_connect_object (client, "subscription-changed",
                             G_CALLBACK (on_subscription_changed_cb), self, G_CONNECT_DEFAULT);

  g_list_store_remove_all (self->entries);
  g_clear_pointer (&self->filter_id, g_free);
  select_filter (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load_first (self);
}

/**
 * bd_activity_page_set_user:
 * @user: (nullable): the signed-in user, as /v1/me says
 *
 * Only admins read the ledger: for anyone else the page says so.
 */
void
bd_activity_page_set_user (BdActivityPage *self,
                           BdUser         *user)
{
  gboolean could_read;

  g_return_if_fail (BD_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (user == NULL || BD_IS_USER (user));

  could_read = may_read (self);
  g_set_object (&self->user, user);
  if (could_read != may_read (self) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    load_first (self);
}

/**
 * bd_activity_page_set_subscriptions:
 * @subscriptions: the subscriptions to choose from in the filter
 *
 * The page keeps the list as it is now.
 */
void
bd_activity_page_set_subscriptions (BdActivityPage *self,
                                    GListModel     *subscriptions)
{
  g_return_if_fail (BD_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (G_IS_LIST_MODEL (subscriptions));

  self->setting_filter = TRUE;
  bd_activity_filter_set_subscriptions (self->filter, subscriptions);
  self->setting_filter = FALSE;
  select_filter (self);
}

/**
 * bd_activity_page_show:
 * @subscription_id: (nullable): one subscription's entries, or %NULL for all
 *
 * Loads the newest entries: the page is about to be shown.
 */
void
bd_activity_page_show (BdActivityPage *self,
                       const char     *subscription_id)
{
  g_return_if_fail (BD_IS_ACTIVITY_PAGE (self));

  if (g_strcmp0 (self->filter_id, subscription_id) != 0)
    {
      cancel_load_all (self);
      g_free (self->filter_id);
      self->filter_id = g_strdup (subscription_id);
      g_list_store_remove_all (self->entries);
    }
  select_filter (self);
  load_first (self);
}

/**
 * bd_activity_page_reload:
 *
 * Loads the newest entries again, as F5 does.
 */
void
bd_activity_page_reload (BdActivityPage *self)
{
  g_return_if_fail (BD_IS_ACTIVITY_PAGE (self));

  load_first (self);
}

/**
 * bd_activity_page_get_filter:
 *
 * Returns: (nullable): the subscription whose entries are shown, or %NULL
 */
const char *
bd_activity_page_get_filter (BdActivityPage *self)
{
  g_return_val_if_fail (BD_IS_ACTIVITY_PAGE (self), NULL);

  return self->filter_id;
}

/**
 * bd_activity_page_get_entries:
 *
 * Returns: (transfer none): the entries loaded, #BdOperation, newest first
 */
GListModel *
bd_activity_page_get_entries (BdActivityPage *self)
{
  g_return_val_if_fail (BD_IS_ACTIVITY_PAGE (self), NULL);

  return G_LIST_MODEL (self->entries);
}

/**
 * bd_activity_page_load_all_async:
 *
 * Loads the pages of the ledger not loaded yet into the list, one after
 * the other, as scrolling would, the list first again if it is reloaded
 * meanwhile. Fails as the page fails to load one; cancelled when the page
 * goes, or shows another subscription's entries or another client's.
 */
void
bd_activity_page_load_all_async (BdActivityPage      *self,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (BD_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (self->load_all == NULL);

  /* No source object: the page is not kept alive for its answer. */
  self->load_all_cancellable = g_cancellable_new ();
  self->load_all = g_task_new (NULL, self->load_all_cancellable, callback, user_data);
  g_task_set_source_tag (self->load_all, bd_activity_page_load_all_async);
  update_export (self);
  self->more_failed = FALSE;
  continue_load_all (self);
}

/**
 * bd_activity_page_load_all_finish:
 *
 * Returns: whether every entry is in the list now
 */
gboolean
bd_activity_page_load_all_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
bd_activity_page_is_loading (BdActivityPage *self)
{
  g_return_val_if_fail (BD_IS_ACTIVITY_PAGE (self), FALSE);

  return self->loading;
}

/**
 * bd_activity_page_has_more:
 *
 * Returns: whether the service has older entries than those loaded
 */
gboolean
bd_activity_page_has_more (BdActivityPage *self)
{
  g_return_val_if_fail (BD_IS_ACTIVITY_PAGE (self), FALSE);

  return self->next_link != NULL;
}

/**
 * bd_activity_page_get_state:
 *
 * Returns: what the page shows: "loading", "error", "refused", "empty" or
 *   "list"
 */
const char *
bd_activity_page_get_state (BdActivityPage *self)
{
  g_return_val_if_fail (BD_IS_ACTIVITY_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
