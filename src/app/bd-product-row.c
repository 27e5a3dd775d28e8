/* bd-product-row.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-product-row"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bd-blocker-text.h"
#include "bd-format.h"
#include "bd-product-row-private.h"

G_DEFINE_FINAL_TYPE (BdProductRow, bd_product_row, GTK_TYPE_WIDGET)

static const char *
recurring_text (BdRecurringBilling recurring)
{
  switch (recurring)
    {
    case BD_RECURRING_BILLING_ON:
      return _("Recurring billing on");
    case BD_RECURRING_BILLING_RENEW_ONCE:
      return _("Renews once more");
    case BD_RECURRING_BILLING_OFF:
      return _("Recurring billing off");
    default:
      return "";
    }
}

/* What happens next, and when. */
static char *
lifecycle_text (const BdSubscriptionData *data)
{
  g_autofree char *term_end = bd_format_date (data->term_end_date);
  g_autofree char *changed = bd_format_date (data->status_changed_date);
  g_autofree char *next = data->next_lifecycle_date != BD_TIME_NONE
                          ? bd_format_date (data->next_lifecycle_date) : NULL;

  switch (data->status)
    {
    case BD_STATUS_ACTIVE:
      if (data->recurring_billing == BD_RECURRING_BILLING_ON)
        /* Translators: %s is a date, such as "1 Dec 2026" */
        return g_strdup_printf (_("Renews %s"), term_end);
      if (data->recurring_billing == BD_RECURRING_BILLING_RENEW_ONCE && next != NULL)
        /* Translators: both are dates */
        return g_strdup_printf (_("Renews %1$s, then ends %2$s"), term_end, next);
      /* Translators: %s is a date */
      return g_strdup_printf (_("Ends %s"), term_end);

    case BD_STATUS_EXPIRED:
      /* Translators: both are dates; an expired subscription is disabled later */
      return g_strdup_printf (_("Expired %1$s, disabled %2$s"), changed, next != NULL ? next : "");

    case BD_STATUS_DISABLED:
      /* Translators: both are dates; a disabled subscription is deleted later */
      return g_strdup_printf (_("Disabled since %1$s, deleted %2$s"), changed,
                              next != NULL ? next : "");

    case BD_STATUS_DELETED:
      /* Translators: %s is a date */
      return g_strdup_printf (_("Deleted %s"), changed);

    default:
      return g_strdup ("");
    }
}

static void
update (BdProductRow *self)
{
  const BdSubscriptionData *data;
  g_autofree char *assigned = NULL;
  g_autofree char *quantity = NULL;
  g_autofree char *licenses = NULL;
  g_autofree char *lifecycle = NULL;
  g_autofree char *details = NULL;
  const char *profile;
  gboolean window_open;
  const char *css_classes[] = { "bd-status", NULL, NULL };

  if (self->subscription == NULL)
    return;

  data = bd_subscription_get_data (self->subscription);

  gtk_label_set_label (self->product_label, data->product_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  data->product_name, -1);

  assigned = bd_format_count (data->assigned_licenses);
  quantity = bd_format_count (data->quantity);
  /* Translators: licenses assigned (%1$s) of licenses purchased (%2$s) */
  licenses = g_strdup_printf (ngettext ("%1$s of %2$s license", "%1$s of %2$s licenses",
                                        data->quantity),
                              assigned, quantity);
  gtk_label_set_label (self->licenses_label, licenses);

  gtk_label_set_label (self->status_label, bd_format_status (data->status));
  css_classes[1] = bd_status_to_string (data->status);
  gtk_widget_set_css_classes (GTK_WIDGET (self->status_label), css_classes);

  gtk_widget_set_visible (GTK_WIDGET (self->trial_tag), data->is_trial);
  gtk_widget_set_visible (GTK_WIDGET (self->channel_tag),
                          data->purchase_channel != BD_PURCHASE_CHANNEL_DIRECT);
  if (data->purchase_channel == BD_PURCHASE_CHANNEL_RESELLER)
    gtk_label_set_label (self->channel_tag, _("Reseller"));
  else if (data->purchase_channel == BD_PURCHASE_CHANNEL_PREPAID)
    gtk_label_set_label (self->channel_tag, _("Prepaid"));

  if (data->billing_profile_id == NULL)
    profile = _("No billing profile");
  else if (self->profile_name != NULL)
    profile = self->profile_name;
  else
    profile = _("Billing profile");

  lifecycle = lifecycle_text (data);
  if (data->status == BD_STATUS_ACTIVE)
    /* Translators: the parts of a row's second line, such as
     * "Renews 1 Dec 2026 · Recurring billing on · Contoso invoices" */
    details = g_strdup_printf (_("%1$s · %2$s · %3$s"), lifecycle,
                               recurring_text (data->recurring_billing), profile);
  else
    details = g_strdup_printf (_("%1$s · %2$s"), lifecycle, profile);
  gtk_label_set_label (self->details_label, details);

  /* Rule 2: the 7-day window, while it is open. */
  window_open = data->status == BD_STATUS_ACTIVE &&
                data->cancellation_window_end != BD_TIME_NONE &&
                self->now != BD_TIME_NONE && self->now < data->cancellation_window_end;
  gtk_widget_set_visible (GTK_WIDGET (self->window_label), window_open);
  if (window_open)
    {
      g_autofree char *until = bd_format_time_until (data->cancellation_window_end, self->now);
      /* Translators: %s is a time to come, such as "in 2 days" or "in 5 hours" */
      g_autofree char *text = g_strdup_printf (_("Refund window closes %s"), until);

      gtk_label_set_label (self->window_label, text);
    }
}

static gboolean
pane_opens (const BdSubscriptionData *data)
{
  return data != NULL && data->status == BD_STATUS_ACTIVE &&
         data->action_blockers[BD_ACTION_CANCEL] != BD_BLOCKER_INSUFFICIENT_ROLE;
}

/* Why actions are not offered: each reason once, as an insensitive line
 * under the items; offline, one reason for all of them. Only for a menu
 * that was opened: a row bound while scrolling makes no menu.
 */
static void
update_reasons (BdProductRow *self)
{
  const BdSubscriptionData *data = NULL;
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();

  if (self->subscription != NULL)
    data = bd_subscription_get_data (self->subscription);

  g_menu_remove_all (self->reasons_section);
  if (self->unavailable_reason != NULL)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (self->unavailable_reason, "row.none");

      g_menu_append_item (self->reasons_section, item);
      return;
    }

  for (guint action = 0; data != NULL && action < BD_N_ACTIONS; action++)
    {
      /* Why an action is not offered: a disabled item says why, in
       * the words of its first blocker.
       */
      const char *reason = bd_blocker_text_for_menu (data, action, data->action_blockers[action]);

      if (action == BD_ACTION_CANCEL && pane_opens (data))
        continue;
      if (reason != NULL && !g_ptr_array_find_with_equal_func (reasons, reason, g_str_equal, NULL))
        {
          g_autoptr(GMenuItem) item = g_menu_item_new (reason, "row.none");

          g_ptr_array_add (reasons, (gpointer) reason);
          g_menu_append_item (self->reasons_section, item);
        }
    }
}

/* The menu button's popover is made when it is first opened (GTK calls
 * this before each popup), with the reasons of the subscription shown then;
 * rows bound while scrolling make none.
 */
static void
create_menu_cb (GtkMenuButton *button,
                gpointer       user_data)
{
  BdProductRow *self = user_data;

  update_reasons (self);
  if (!self->menu_built)
    {
      self->menu_built = TRUE;
      gtk_menu_button_set_menu_model (button, self->actions_menu);
    }
}

static void
update_check_label (BdProductRow *self)
{
  g_autofree char *name = NULL;

  if (self->subscription == NULL || self->select_check == NULL)
    return;

  /* Translators: the accessible name of a row's check box in selection
   * mode; %s is a product name */
  name = g_strdup_printf (_("Select %s"), bd_subscription_get_product_name (self->subscription));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->select_check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* The actions the user may take now, from allowedActions; Cancel
 * Subscription opens the pane for every Active subscription an admin may
 * manage, even a blocked one, which the pane then explains (docs/design.md
 * section 4).
 */
static void
update_actions (BdProductRow *self)
{
  const BdSubscriptionData *data = NULL;
  gboolean can_open_pane;

  if (self->subscription != NULL)
    data = bd_subscription_get_data (self->subscription);

  can_open_pane = pane_opens (data);

  if (self->unavailable_reason != NULL)
    {
      data = NULL;
      can_open_pane = FALSE;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.cancel", can_open_pane);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.edit-recurring-billing",
                                 data != NULL &&
                                 bd_subscription_is_action_allowed (self->subscription,
                                                                    BD_ACTION_CHANGE_RECURRING_BILLING));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.change-licenses",
                                 data != NULL &&
                                 bd_subscription_is_action_allowed (self->subscription,
                                                                    BD_ACTION_CHANGE_QUANTITY));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.reactivate",
                                 data != NULL &&
                                 bd_subscription_is_action_allowed (self->subscription,
                                                                    BD_ACTION_REACTIVATE));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.delete",
                                 data != NULL &&
                                 bd_subscription_is_action_allowed (self->subscription,
                                                                    BD_ACTION_DELETE));
  /* The ledger is the service's: offline, it can't be read either. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.show-activity",
                                 self->subscription != NULL && self->unavailable_reason == NULL);

  if (self->menu_built)
    update_reasons (self);

  if (self->subscription != NULL)
    {
      const char *product = bd_subscription_get_product_name (self->subscription);
      /* Translators: the accessible name of a row's menu button */
      g_autofree char *name = g_strdup_printf (_("More Actions for %s"), product);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_widget_set_name (GTK_WIDGET (self->menu_button),
                           bd_subscription_get_id (self->subscription));
    }

  update_check_label (self);
}

static void
forward_action (BdProductRow *self,
                const char   *window_action)
{
  if (self->subscription != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), window_action, "s",
                                bd_subscription_get_id (self->subscription));
}

static void
row_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BdProductRow *self = BD_PRODUCT_ROW (widget);
  g_autofree char *window_action = g_strconcat ("win.", action_name + strlen ("row."), NULL);

  forward_action (self, window_action);
}

static void
row_none_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
}

/* Selection mode: the row asks the page (products page's
 * "page.select-row") to select it or not; the page's selection then sets
 * the check box (bd_product_row_set_selection ()).
 */
static void
ask_selected (BdProductRow *self,
              gboolean      selected)
{
  if (self->subscription != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "page.select-row", "(sb)",
                                bd_subscription_get_id (self->subscription), selected);
}

static void
on_select_check_toggled_cb (BdProductRow *self)
{
  if (!self->setting_check)
    ask_selected (self, gtk_check_button_get_active (self->select_check));
}

/* Ctrl+click starts selection mode with this row; in selection mode a
 * click (not on the menu button, not Shift+click, which the list extends)
 * turns the row's check on or off.
 */
static void
on_click_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     BdProductRow    *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *target = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  if (self->subscription == NULL || self->unavailable_reason != NULL)
    return;
  if (target != NULL && (target == GTK_WIDGET (self->menu_button) ||
                         gtk_widget_is_ancestor (target, GTK_WIDGET (self->menu_button))))
    return;

  if (!self->selection_mode && (state & GDK_CONTROL_MASK) == 0)
    return;
  if (self->selection_mode && (state & GDK_SHIFT_MASK) != 0)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  ask_selected (self, !self->selection_mode || self->select_check == NULL ||
                     !gtk_check_button_get_active (self->select_check));
}

static void
on_subscription_notify_cb (BdProductRow *self)
{
  update (self);
  update_actions (self);
}

/*
 * GObject overrides
 */

/* The row itself takes no focus: its More Actions button does, where the
 * focus was when its menu opened (the window gives it back so); in
 * selection mode its check box, which Space turns on or off.
 */
static gboolean
bd_product_row_grab_focus (GtkWidget *widget)
{
  BdProductRow *self = BD_PRODUCT_ROW (widget);

  if (self->selection_mode && self->select_check != NULL)
    return gtk_widget_grab_focus (GTK_WIDGET (self->select_check));

  return gtk_widget_grab_focus (GTK_WIDGET (self->menu_button));
}

static void
bd_product_row_dispose (GObject *object)
{
  BdProductRow *self = (BdProductRow *)object;

  if (self->subscription != NULL)
    g_clear_signal_handler (&self->notify_id, self->subscription);
  g_clear_object (&self->subscription);
  g_clear_pointer (&self->profile_name, g_free);
  g_clear_pointer (&self->unavailable_reason, g_free);
  if (self->select_check != NULL)
    gtk_widget_unparent (GTK_WIDGET (g_steal_pointer (&self->select_check)));
  gtk_widget_dispose_template (GTK_WIDGET (self), BD_TYPE_PRODUCT_ROW);

  G_OBJECT_CLASS (bd_product_row_parent_class)->dispose (object);
}

static void
bd_product_row_class_init (BdProductRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bd_product_row_dispose;
  widget_class->grab_focus = bd_product_row_grab_focus;
  widget_class->get_request_mode = _bd_product_row_get_request_mode;
  widget_class->measure = _bd_product_row_measure;
  widget_class->size_allocate = _bd_product_row_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billingdesk/BillingDesk/bd-product-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BdProductRow, product_label);
  gtk_widget_class_bind_template_child (widget_class, BdProductRow, channel_tag);
  gtk_widget_class_bind_template_child (widget_class, BdProductRow, trial_tag);
  gtk_widget_class_bind_template_child (widget_class, BdProductRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, BdProductRow, window_label);
  gtk_widget_class_bind_template_child (widget_class, BdProductRow, licenses_label);
  gtk_widget_class_bind_template_child (widget_class, BdProductRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BdProductRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, BdProductRow, actions_menu);
  gtk_widget_class_bind_template_child (widget_class, BdProductRow, reasons_section);

  gtk_widget_class_install_action (widget_class, "row.cancel", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.edit-recurring-billing", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.change-licenses", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.reactivate", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.delete", NULL, row_action);
  gtk_widget_class_install_action (widget_class, "row.show-activity", NULL, row_action);
  /* Never enabled: the lines that say why an action is not offered. */
  gtk_widget_class_install_action (widget_class, "row.none", NULL, row_none_action);

  gtk_widget_class_set_css_name (widget_class, "bdproductrow");
}

static void
bd_product_row_init (BdProductRow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->now = BD_TIME_NONE;
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Before the list item's own click (which selects by its rules). */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_cb, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.none", FALSE);
  update_actions (self);
}

/*
 * Public API
 */

BdProductRow *
bd_product_row_new (void)
{
  return g_object_new (BD_TYPE_PRODUCT_ROW, NULL);
}

/**
 * bd_product_row_get_subscription:
 *
 * Returns: (transfer none) (nullable): the subscription shown
 */
BdSubscription *
bd_product_row_get_subscription (BdProductRow *self)
{
  g_return_val_if_fail (BD_IS_PRODUCT_ROW (self), NULL);

  return self->subscription;
}

/**
 * bd_product_row_set_subscription:
 * @subscription: (nullable): what to show; rows are recycled
 * @profile_name: (nullable): the name of its billing profile, when known
 * @now: the service's clock, for "Refund window closes in N days"
 *
 * Shows @subscription, and follows its changes in place.
 */
void
bd_product_row_set_subscription (BdProductRow   *self,
                                 BdSubscription *subscription,
                                 const char     *profile_name,
                                 gint64          now)
{
  g_return_if_fail (BD_IS_PRODUCT_ROW (self));
  g_return_if_fail (subscription == NULL || BD_IS_SUBSCRIPTION (subscription));

  if (self->subscription != subscription)
    {
      if (self->subscription != NULL)
        g_clear_signal_handler (&self->notify_id, self->subscription);
      g_set_object (&self->subscription, subscription);
      if (subscription != NULL)
        self->notify_id = g_signal_connect_swapped (subscription, "notify",
                                                    G_CALLBACK (on_subscription_notify_cb),
                                                    self);
    }

  g_free (self->profile_name);
  self->profile_name = g_strdup (profile_name);
  self->now = now;

  update (self);
  update_actions (self);
}

/**
 * bd_product_row_set_unavailable:
 * @reason: (nullable): why no action can be taken now, such as "Billing
 *   Desk can't reach the billing service"; %NULL when they can
 *
 * Makes every action of the row insensitive, its menu saying @reason, as
 * for a reader; the row stays as it is otherwise.
 */
void
bd_product_row_set_unavailable (BdProductRow *self,
                                const char   *reason)
{
  g_return_if_fail (BD_IS_PRODUCT_ROW (self));

  if (g_strcmp0 (self->unavailable_reason, reason) == 0)
    return;

  g_free (self->unavailable_reason);
  self->unavailable_reason = g_strdup (reason);
  update_actions (self);
}

/**
 * bd_product_row_set_selection:
 * @selection_mode: whether the row shows its check box
 * @selected: whether it is checked
 *
 * Selection mode: the page's selection, shown on a recycled row.
 */
void
bd_product_row_set_selection (BdProductRow *self,
                              gboolean      selection_mode,
                              gboolean      selected)
{
  g_return_if_fail (BD_IS_PRODUCT_ROW (self));

  self->selection_mode = selection_mode;
  if (self->select_check == NULL)
    {
      /* Rows that never show it (no selection mode yet) make none. */
      if (!selection_mode)
        return;
      self->select_check = GTK_CHECK_BUTTON (gtk_check_button_new ());
      gtk_widget_set_valign (GTK_WIDGET (self->select_check), GTK_ALIGN_CENTER);
      /* First: read and focused before the rest of the row. */
      gtk_widget_insert_after (GTK_WIDGET (self->select_check), GTK_WIDGET (self), NULL);
      g_signal_connect_swapped (self->select_check, "toggled",
                                G_CALLBACK (on_select_check_toggled_cb), self);
      update_check_label (self);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->select_check), selection_mode);
  self->setting_check = TRUE;
  gtk_check_button_set_active (self->select_check, selection_mode && selected);
  self->setting_check = FALSE;
}

/**
 * bd_product_row_popup_menu:
 *
 * Opens the row's More Actions menu, as Shift+F10 and the Menu key do.
 */
void
bd_product_row_popup_menu (BdProductRow *self)
{
  g_return_if_fail (BD_IS_PRODUCT_ROW (self));

  gtk_menu_button_popup (self->menu_button);
}
