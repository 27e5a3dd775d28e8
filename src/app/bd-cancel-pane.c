/* bd-cancel-pane.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-cancel-pane"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-cancel-pane-private.h"

/* A side pane of about 400 px; narrower when the window is. */
#define NATURAL_WIDTH 400

/* Microsoft's links (the admin centre's differ by cloud: bd-cancel-pane-answers.c sets them). */
#define LINK_MOVE_USERS \
  "https://learn.microsoft.com/microsoft-365/commerce/subscriptions/" \
  "move-users-different-subscription"
#define LINK_CLOSE_ACCOUNT "https://learn.microsoft.com/microsoft-365/commerce/close-your-account"
#define LINK_EXPORT_MAIL \
  "https://support.microsoft.com/office/14252b52-3075-4e9b-be4e-ff9ef1068f91"
#define LINK_UNINSTALL_OFFICE \
  "https://support.microsoft.com/office/9dd49b83-264a-477a-8fcc-2fdf5dbf61d8"

G_DEFINE_FINAL_TYPE (BdCancelPane, bd_cancel_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_SUBSCRIPTION,
  N_PROPS
};

enum {
  CLOSE,
  CANCELLED,
  REDUCE_LICENSES,
  REACTIVATE,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/*
 * The form
 */

gboolean
_bd_cancel_pane_get_selected_reason (BdCancelPane   *self,
                                     BdCancelReason *reason)
{
  guint selected = gtk_drop_down_get_selected (self->reason_dropdown);

  /* 0 is "Choose a reason". */
  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 || selected > self->n_reasons)
    return FALSE;

  *reason = self->reasons[selected - 1];
  return TRUE;
}

char *
_bd_cancel_pane_get_feedback_text (BdCancelPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->feedback_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The feedback as sent: feedback that is nothing but white space says
 * nothing, so the key is left out (rule 8: feedback is optional, and its
 * key may be absent).
 */
const char *
_bd_cancel_pane_feedback_to_send (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Unicode's White_Space: g_unichar_isspace () plus VT and NEL. */
      if (!g_unichar_isspace (c) && c != 0x0B && c != 0x85)
        return text;
    }

  return NULL;
}

static void
update_form (BdCancelPane *self)
{
  g_autofree char *text = _bd_cancel_pane_get_feedback_text (self);
  g_autofree char *counter = NULL;
  glong n_chars = g_utf8_strlen (text, -1);
  gboolean too_long = n_chars > BD_FEEDBACK_MAX_CHARS;
  gboolean has_reason;
  gboolean valid;
  BdCancelReason reason = BD_CANCEL_REASON_OTHER;
  const char *save_text;

  counter = _bd_cancel_pane_counter_text ((guint) n_chars);
  gtk_label_set_label (self->counter_label, counter);
  if (too_long)
    gtk_widget_add_css_class (GTK_WIDGET (self->counter_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->counter_label), "error");

  has_reason = _bd_cancel_pane_get_selected_reason (self, &reason);
  gtk_label_set_text_with_mnemonic (self->feedback_label,
                                    has_reason && reason == BD_CANCEL_REASON_OTHER
                                    ? _("_Feedback (required)") : _("_Feedback (optional)"));

  /* The form as typed, which the attempt compares with the one it sent (a
   * form without a reason is never sent).
   */
  bd_change_attempt_set_form (self->attempt,
                              g_variant_new ("(is)", has_reason ? (int) reason : -1, text));

  /* The button says what it does: repeat a request whose outcome is not
   * known, send one that was refused once more, or send a new one.
   */
  if (bd_change_attempt_get_check_again (self->attempt))
    save_text = _("_Check Again");
  else if (bd_change_attempt_get_try_again (self->attempt))
    save_text = _("_Try Again");
  else
    save_text = C_("cancel subscription", "_Save");
  gtk_label_set_text_with_mnemonic (self->save_label, save_text);

  valid = self->state == STATE_ALLOWED && has_reason && !too_long &&
          bd_rules_feedback_is_valid (reason, _bd_cancel_pane_feedback_to_send (text));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.save", valid && !self->busy);
}

static void
reset_form (BdCancelPane *self)
{
  gtk_drop_down_set_selected (self->reason_dropdown, 0);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->feedback_view), "", -1);

  bd_change_attempt_reset (self->attempt);

  gtk_widget_set_visible (GTK_WIDGET (self->outcome_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), FALSE);
}

void
_bd_cancel_pane_show_outcome (BdCancelPane *self,
                              const char   *text,
                              const char   *css_class)
{
  const char *classes[] = { css_class, NULL };

  gtk_label_set_label (self->outcome_label, text);
  gtk_widget_set_css_classes (GTK_WIDGET (self->outcome_label), classes);
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_label), text != NULL);
}

void
_bd_cancel_pane_show_notice (BdCancelPane *self,
                             const char   *text)
{
  gtk_label_set_label (self->notice_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), text != NULL);
}

/*
 * States
 */

void
_bd_cancel_pane_set_busy (BdCancelPane *self,
                          gboolean      busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;

  /* A request that may already have been applied is never abandoned: the
   * pane stays open until it is answered (docs/design.md section 4).
   */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.close", !busy);
  _bd_cancel_pane_update_turn_off_action (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reason_dropdown), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->feedback_view), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->blockers_box), !busy);

  gtk_stack_set_visible_child_name (self->save_stack,
                                    busy && self->state == STATE_ALLOWED ? "spinner" : "label");
  gtk_spinner_set_spinning (self->save_spinner, busy && self->state == STATE_ALLOWED);
  if (self->turn_off_card != NULL)
    bd_blocker_card_set_turning_off (self->turn_off_card, busy);

  update_form (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

void
_bd_cancel_pane_set_state (BdCancelPane      *self,
                           BdCancelPaneState  state)
{
  self->state = state;

  switch (state)
    {
    case STATE_LOADING:
    case STATE_CLOSED:
      gtk_stack_set_visible_child_name (self->stack, "loading");
      break;
    case STATE_LOAD_ERROR:
      gtk_stack_set_visible_child_name (self->stack, "load-error");
      break;
    case STATE_ALLOWED:
    case STATE_BLOCKED:
      gtk_stack_set_visible_child_name (self->stack, "details");
      break;
    case STATE_DONE:
      gtk_stack_set_visible_child_name (self->stack, "done");
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_spinner_set_spinning (self->spinner, state == STATE_LOADING);
  gtk_widget_set_visible (self->blocked_box, state == STATE_BLOCKED);
  gtk_widget_set_visible (self->what_group, state == STATE_ALLOWED);
  gtk_widget_set_visible (self->checklist_group, state == STATE_ALLOWED);
  gtk_widget_set_visible (self->form_box, state == STATE_ALLOWED);

  _bd_cancel_pane_update_turn_off_action (self);
  update_form (self);

  /* What was focused may have gone with the page it was on: the focus
   * goes on to what this state shows first, if it was in the pane. */
  if (state != STATE_CLOSED)
    _bd_cancel_pane_focus_when_laid_out (self);
  else
    _bd_cancel_pane_stop_focus_tick (self);
}

static void
update_title (BdCancelPane *self)
{
  g_autofree char *subtitle = NULL;

  if (self->subscription == NULL)
    return;

  subtitle = _bd_cancel_pane_subtitle_text (self->subscription);
  gtk_label_set_label (self->subtitle_label, subtitle);
}

static void
on_subscription_notify_cb (BdCancelPane *self)
{
  update_title (self);
}

/* Tells the window, which says it in a toast. */
void
_bd_cancel_pane_emit_cancelled (BdCancelPane *self)
{
  g_autofree char *message = NULL;

  /* Translators: a toast; %s is a product name */
  message = g_strdup_printf (_("%s cancelled"),
                             bd_subscription_get_product_name (self->subscription));
  g_signal_emit (self, signals [CANCELLED], 0, message);
}

/*
 * Actions
 */

static void
pane_close_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  bd_cancel_pane_request_close (BD_CANCEL_PANE (widget));
}

static void
pane_reduce_licenses_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);
  guint assigned;

  if (self->subscription == NULL)
    return;

  /* 25, or as many as are assigned when more are (they can't be removed). */
  assigned = bd_subscription_get_assigned_licenses (self->subscription);
  g_signal_emit (self, signals [REDUCE_LICENSES], 0, MAX (assigned, BD_MAX_LICENSES_TO_CANCEL));
}

static void
pane_reactivate_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  g_signal_emit (widget, signals [REACTIVATE], 0);
}

/*
 * Template callbacks
 */

static void
on_form_changed_cb (BdCancelPane *self)
{
  update_form (self);
}

/* Built on first open, not with the window (docs/design.md, "Launch"). */
static void
ensure_built (BdCancelPane *self)
{
  if (self->box != NULL)
    return;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (gtk_text_view_get_buffer (self->feedback_view), "changed",
                           G_CALLBACK (on_form_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_link_button_set_uri (self->export_link, LINK_EXPORT_MAIL);
  gtk_link_button_set_uri (self->move_users_link, LINK_MOVE_USERS);
  gtk_link_button_set_uri (self->uninstall_office_link, LINK_UNINSTALL_OFFICE);
  gtk_link_button_set_uri (self->close_account_link, LINK_CLOSE_ACCOUNT);
  _bd_cancel_pane_set_state (self, STATE_CLOSED);
}

/*
 * GObject overrides
 */

static void
bd_cancel_pane_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);

  *minimum = *natural = 0;
  if (self->box != NULL)
    gtk_widget_measure (self->box, orientation, for_size, minimum, natural, NULL, NULL);

  /* The same width whatever the pane shows, so it does not jump between
   * the spinner and the details.
   */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, NATURAL_WIDTH);
}

static void
bd_cancel_pane_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);

  if (self->box != NULL)
    gtk_widget_allocate (self->box, width, height, baseline, NULL);
  self->laid_out = TRUE;
}

static void
bd_cancel_pane_dispose (GObject *object)
{
  BdCancelPane *self = (BdCancelPane *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  _bd_cancel_pane_stop_focus_tick (self);
  self->turn_off_card = NULL;
  if (self->box != NULL)
    gtk_widget_dispose_template (GTK_WIDGET (self), BD_TYPE_CANCEL_PANE);
  if (self->subscription != NULL)
    g_clear_signal_handler (&self->subscription_notify_id, self->subscription);
  g_clear_object (&self->subscription);
  g_clear_object (&self->cancellation);
  g_clear_object (&self->client);
  g_clear_object (&self->attempt);

  G_OBJECT_CLASS (bd_cancel_pane_parent_class)->dispose (object);
}

static void
bd_cancel_pane_finalize (GObject *object)
{
  BdCancelPane *self = (BdCancelPane *)object;

  g_free (self->sending_text);

  G_OBJECT_CLASS (bd_cancel_pane_parent_class)->finalize (object);
}

static void
bd_cancel_pane_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BdCancelPane *self = BD_CANCEL_PANE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_SUBSCRIPTION:
      g_value_set_object (value, self->subscription);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
install_properties_and_signals (GObjectClass *object_class)
{
  /**
   * BdCancelPane:busy:
   *
   * Whether a change is on its way to the service: the pane can't be
   * closed until it is answered.
   */
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * BdCancelPane:subscription:
   *
   * The subscription shown, updated in place by what the pane changes.
   */
  properties [PROP_SUBSCRIPTION] =
    g_param_spec_object ("subscription", NULL, NULL, BD_TYPE_SUBSCRIPTION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BdCancelPane::close:
   *
   * The pane wants to be hidden: its close button, Keep Subscription, Done
   * or Escape, and never while it is busy.
   */
  signals [CLOSE] = g_signal_new ("close", G_TYPE_FROM_CLASS (object_class),
                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * BdCancelPane::cancelled:
   * @message: a translated toast, "<product> cancelled"
   *
   * The subscription was cancelled; it has been updated in place.
   */
  signals [CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (object_class),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * BdCancelPane::reduce-licenses:
   * @quantity: the quantity to suggest: 25, or the number of licenses
   *   assigned when more are assigned
   *
   * The tooManyLicenses alternative: the window opens Buy or Remove Licenses.
   */
  signals [REDUCE_LICENSES] = g_signal_new ("reduce-licenses", G_TYPE_FROM_CLASS (object_class),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * BdCancelPane::reactivate:
   *
   * The notActive alternative: the window opens Reactivate Subscription.
   */
  signals [REACTIVATE] = g_signal_new ("reactivate", G_TYPE_FROM_CLASS (object_class),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bd_cancel_pane_class_init (BdCancelPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bd_cancel_pane_dispose;
  object_class->finalize = bd_cancel_pane_finalize;
  object_class->get_property = bd_cancel_pane_get_property;

  widget_class->measure = bd_cancel_pane_measure;
  widget_class->size_allocate = bd_cancel_pane_size_allocate;
  widget_class->grab_focus = _bd_cancel_pane_grab_focus;

  install_properties_and_signals (object_class);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/billingdesk/BillingDesk/bd-cancel-pane.ui");
  g_type_ensure (BD_TYPE_TIMELINE);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, box);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, close_button);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, scrolled);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, stack);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, spinner);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, load_error_page);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, notice_label);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, blocked_box);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, blockers_box);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, what_group);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, refund_row);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, window_row);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, data_row);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, others_row);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, timeline);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, checklist_group);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, export_link);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, domain_row);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, domain_icon);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, form_box);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, reason_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, feedback_label);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, feedback_view);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, counter_label);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, save_button);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, save_stack);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, save_label);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, done_refund_label);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, done_data_label);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, active_users_link);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, move_users_link);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, uninstall_office_link);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, close_account_link);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, done_button);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed_cb);

  gtk_widget_class_install_action (widget_class, "pane.close", NULL, pane_close_action);
  _bd_cancel_pane_class_actions_init (klass);
  gtk_widget_class_install_action (widget_class, "pane.reduce-licenses", NULL,
                                   pane_reduce_licenses_action);
  gtk_widget_class_install_action (widget_class, "pane.reactivate", NULL,
                                   pane_reactivate_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "pane.close", NULL);

  gtk_widget_class_set_css_name (widget_class, "bdcancelpane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bd_cancel_pane_init (BdCancelPane *self)
{
  self->now = BD_TIME_NONE;
  self->state = STATE_CLOSED;
  /* A POST with an Idempotency-Key; after a failure, Save reads the
   * subscription before it sends again (docs/design.md section 4). */
  self->attempt = bd_change_attempt_new (TRUE, TRUE);
  _bd_cancel_pane_focus_init (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cancel Subscription"), -1);
  /* Disabled as a closed pane's form has them, until ensure_built (). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.save", FALSE);
  _bd_cancel_pane_update_turn_off_action (self);
}

/*
 * Public API
 */

BdCancelPane *
bd_cancel_pane_new (void)
{
  return g_object_new (BD_TYPE_CANCEL_PANE, NULL);
}

/**
 * bd_cancel_pane_open:
 * @client: the client of the signed-in user
 * @subscription: the subscription to cancel; the pane updates it in place
 *   after every change it makes, so the list row follows
 * @cloud: the tenant's cloud, for the admin centre's links
 * @now: the service's clock
 *
 * Shows the pane for @subscription and fetches its cancellation answer;
 * a request still running for another subscription is cancelled. Ignored
 * while the pane is busy: a change on its way is never abandoned.
 */
void
bd_cancel_pane_open (BdCancelPane   *self,
                     BdClient       *client,
                     BdSubscription *subscription,
                     BdCloud         cloud,
                     gint64          now)
{
  g_return_if_fail (BD_IS_CANCEL_PANE (self));
  g_return_if_fail (BD_IS_CLIENT (client));
  g_return_if_fail (BD_IS_SUBSCRIPTION (subscription));

  if (self->busy)
    {
      g_debug ("Not opening %s: a change is on its way", bd_subscription_get_id (subscription));
      return;
    }

  ensure_built (self);
  g_set_object (&self->client, client);
  if (self->subscription != subscription)
    {
      if (self->subscription != NULL)
        g_clear_signal_handler (&self->subscription_notify_id, self->subscription);
      g_set_object (&self->subscription, subscription);
      self->subscription_notify_id =
        g_signal_connect_object (subscription, "notify", G_CALLBACK (on_subscription_notify_cb),
                                 self, G_CONNECT_SWAPPED);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SUBSCRIPTION]);
    }
  self->cloud = cloud;
  self->now = now;

  reset_form (self);
  update_title (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled), 0);
  _bd_cancel_pane_load (self, FALSE);
}

/**
 * bd_cancel_pane_get_subscription:
 *
 * Returns: (transfer none) (nullable): the subscription shown
 */
BdSubscription *
bd_cancel_pane_get_subscription (BdCancelPane *self)
{
  g_return_val_if_fail (BD_IS_CANCEL_PANE (self), NULL);

  return self->subscription;
}

gboolean
bd_cancel_pane_get_busy (BdCancelPane *self)
{
  g_return_val_if_fail (BD_IS_CANCEL_PANE (self), FALSE);

  return self->busy;
}

/**
 * bd_cancel_pane_request_close:
 *
 * Asks the pane to close, as Escape does: it stops loading and emits
 * #BdCancelPane::close, unless a change is on its way.
 *
 * Returns: %FALSE while busy, when the pane stays open
 */
gboolean
bd_cancel_pane_request_close (BdCancelPane *self)
{
  g_return_val_if_fail (BD_IS_CANCEL_PANE (self), FALSE);

  if (self->busy)
    return FALSE;

  /* A load nobody waits for any more. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->state == STATE_LOADING)
    _bd_cancel_pane_set_state (self, STATE_CLOSED);
  /* Hidden within a frame of a state change, the pane is never laid out
   * for it. */
  _bd_cancel_pane_stop_focus_tick (self);

  g_signal_emit (self, signals [CLOSE], 0);
  /* The window has put the focus back where it belongs (or nowhere). */
  self->focus_was_here = FALSE;
  return TRUE;
}
