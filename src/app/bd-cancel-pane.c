/* bd-cancel-pane.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-cancel-pane"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bd-cancel-pane.h"
#include "bd-format.h"

/* A side pane of about 400 px (UX.md); narrower when the window is. */
#define NATURAL_WIDTH 400

/* Microsoft's links (UX.md "Links"): the admin centre's differ by cloud. */
#define LINK_YOUR_PRODUCTS_WORLDWIDE "https://go.microsoft.com/fwlink/p/?linkid=842054"
#define LINK_YOUR_PRODUCTS_21VIANET  "https://go.microsoft.com/fwlink/p/?linkid=850626"
#define LINK_ACTIVE_USERS_WORLDWIDE  "https://go.microsoft.com/fwlink/p/?linkid=834822"
#define LINK_ACTIVE_USERS_21VIANET   "https://go.microsoft.com/fwlink/p/?linkid=850628"
#define LINK_MOVE_USERS \
  "https://learn.microsoft.com/microsoft-365/commerce/subscriptions/" \
  "move-users-different-subscription"
#define LINK_REMOVE_DOMAIN \
  "https://learn.microsoft.com/microsoft-365/admin/get-help-with-domains/remove-a-domain"
#define LINK_GET_SUPPORT     "https://learn.microsoft.com/microsoft-365/admin/get-help-support"
#define LINK_CLOSE_ACCOUNT   "https://learn.microsoft.com/microsoft-365/commerce/close-your-account"
#define LINK_EXPORT_MAIL \
  "https://support.microsoft.com/office/14252b52-3075-4e9b-be4e-ff9ef1068f91"
#define LINK_UNINSTALL_OFFICE \
  "https://support.microsoft.com/office/9dd49b83-264a-477a-8fcc-2fdf5dbf61d8"

#define N_REASONS (BD_CANCEL_REASON_OTHER + 1)

typedef enum
{
  STATE_CLOSED,
  STATE_LOADING,
  STATE_LOAD_ERROR,
  STATE_ALLOWED,
  STATE_BLOCKED,
  STATE_DONE,
} State;

/* How the last cancel sent ended, when it did not succeed. */
typedef enum
{
  OUTCOME_NONE,
  OUTCOME_REFUSED,  /* the service answered: nothing was changed */
  OUTCOME_UNKNOWN,  /* no answer: it may or may not have been applied */
} Outcome;

/* The Cancel Subscription pane (UX.md): one subscription's cancellation
 * answer, shown as what happens or as what blocks it; the form; the
 * outcome of Save.
 */
struct _BdCancelPane
{
  GtkWidget             parent_instance;

  BdClient             *client;
  BdSubscription       *subscription;
  gulong                subscription_notify_id;
  BdCloud               cloud;
  gint64                now;
  GCancellable         *cancellable;
  BdCancellation       *cancellation;
  State                 state;
  gboolean              busy;

  /* The reasons of the answer, in the dropdown's order after its first
   * entry, "Choose a reason".
   */
  BdCancelReason        reasons[N_REASONS];
  guint                 n_reasons;

  /* The last cancel sent: the form as it was typed, how it ended, and its
   * Idempotency-Key, kept while its outcome is unknown so that Check Again
   * repeats the same request.
   */
  gboolean              has_sent;
  BdCancelReason        sent_reason;
  char                 *sent_text;
  Outcome               outcome;
  char                 *idempotency_key;

  /* In blockers_box, while it shows them. */
  GtkWidget            *turn_off_box;
  GtkLabel             *turn_off_result;
  GtkSpinner           *turn_off_spinner;

  GtkWidget            *box;
  GtkLabel             *subtitle_label;
  GtkScrolledWindow    *scrolled;
  GtkStack             *stack;
  GtkSpinner           *spinner;
  AdwStatusPage        *load_error_page;
  GtkLabel             *notice_label;
  GtkWidget            *blocked_box;
  GtkBox               *blockers_box;
  GtkWidget            *what_group;
  AdwPreferencesRow    *refund_row;
  AdwPreferencesRow    *window_row;
  AdwPreferencesRow    *data_row;
  AdwPreferencesRow    *others_row;
  GtkWidget            *checklist_group;
  GtkLinkButton        *export_link;
  AdwPreferencesRow    *domain_row;
  GtkImage             *domain_icon;
  GtkWidget            *form_box;
  GtkDropDown          *reason_dropdown;
  GtkLabel             *feedback_label;
  GtkTextView          *feedback_view;
  GtkLabel             *counter_label;
  GtkLabel             *outcome_label;
  GtkWidget            *save_button;
  GtkStack             *save_stack;
  GtkLabel             *save_label;
  GtkSpinner           *save_spinner;
  AdwPreferencesRow    *done_refund_row;
  AdwPreferencesRow    *done_data_row;
  GtkLinkButton        *active_users_link;
  GtkLinkButton        *move_users_link;
  GtkLinkButton        *uninstall_office_link;
  GtkLinkButton        *close_account_link;
  GtkWidget            *done_button;
};

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

static void load (BdCancelPane *self,
                  gboolean      reread_subscription);

/*
 * Texts
 */

static const char *
reason_text (BdCancelReason reason)
{
  switch (reason)
    {
    case BD_CANCEL_REASON_TOO_EXPENSIVE:
      return _("Too expensive");
    case BD_CANCEL_REASON_NO_LONGER_NEEDED:
      return _("No longer needed");
    case BD_CANCEL_REASON_SWITCHING_TO_OTHER_MICROSOFT_PRODUCT:
      return _("Switching to another Microsoft product");
    case BD_CANCEL_REASON_SWITCHING_TO_COMPETITOR:
      return _("Switching to another provider");
    case BD_CANCEL_REASON_MISSING_FEATURES:
      return _("Missing features we need");
    case BD_CANCEL_REASON_TOO_DIFFICULT:
      return _("Too difficult to use");
    case BD_CANCEL_REASON_TEMPORARY_PROJECT_ENDED:
      return _("The project it was for has ended");
    case BD_CANCEL_REASON_OTHER:
      return _("Other (please tell us why)");
    default:
      return "";
    }
}

/* What comes back, and how; a trial has nothing to return. */
static char *
refund_text (BdSubscription       *subscription,
             gboolean              has_refund,
             const BdMoney        *refund,
             BdRefundMethod        method)
{
  g_autofree char *amount = NULL;

  if (bd_subscription_get_data (subscription)->is_trial)
    return g_strdup (_("This is a trial: nothing is charged or refunded."));

  if (!has_refund)
    return g_strdup (_("Nothing is refunded."));

  amount = bd_format_money (refund);
  switch (method)
    {
    case BD_REFUND_METHOD_CREDIT_NEXT_INVOICE:
      /* Translators: %s is an amount of money, such as "DKK 690.02" */
      return g_strdup_printf (_("You get %s back, credited on your next invoice."), amount);
    case BD_REFUND_METHOD_REFUND_NEXT_CYCLE:
    default:
      /* Translators: %s is an amount of money, such as "DKK 690.02" */
      return g_strdup_printf (_("You get %s back, returned in your next billing cycle."), amount);
    }
}

static char *
data_dates_text (gint64 deletable_from,
                 gint64 deleted_by)
{
  g_autofree char *from = bd_format_date (deletable_from);
  g_autofree char *by = bd_format_date (deleted_by);

  /* Translators: both are dates; rule 9's 30 and 180 days after cancelling */
  return g_strdup_printf (_("Data can be deleted from %1$s and is deleted by %2$s."), from, by);
}

static char *
blocker_text (BdCancelPane *self,
              BdBlocker     blocker)
{
  const BdSubscriptionData *data = bd_subscription_get_data (self->subscription);
  gint64 window_end = bd_cancellation_get_window_end (self->cancellation);

  switch (blocker)
    {
    case BD_BLOCKER_CANCELLATION_WINDOW_CLOSED:
      if (window_end != BD_TIME_NONE)
        {
          g_autofree char *date = bd_format_date (window_end);

          /* Translators: %s is a date */
          return g_strdup_printf (_("The 7-day refund window after the latest renewal "
                                    "closed on %s."), date);
        }
      return g_strdup (_("The 7-day refund window after the latest renewal has closed."));

    case BD_BLOCKER_TOO_MANY_LICENSES:
      /* Translators: %u is the number of licenses the subscription has */
      return g_strdup_printf (ngettext ("Without a billing profile, only subscriptions with 25 or "
                                        "fewer licenses can be cancelled. This one has %u.",
                                        "Without a billing profile, only subscriptions with 25 or "
                                        "fewer licenses can be cancelled. This one has %u.",
                                        data->quantity),
                              data->quantity);

    case BD_BLOCKER_CUSTOM_DOMAIN_ATTACHED:
      return g_strdup (_("A custom domain is attached to this subscription, so it can’t be "
                         "cancelled while the domain is there."));

    case BD_BLOCKER_DOMAIN_SUBSCRIPTION:
      return g_strdup (_("A domain subscription can’t be cancelled."));

    case BD_BLOCKER_PURCHASED_THROUGH_PARTNER:
      return g_strdup (_("This subscription was bought through a partner, so only the partner "
                         "can cancel it."));

    case BD_BLOCKER_NOT_ACTIVE:
      return g_strdup (_("Only an active subscription can be cancelled, and this one is not "
                         "active now."));

    case BD_BLOCKER_INVALID_STATE:
      return g_strdup (_("This subscription has been deleted, so it can’t be changed."));

    case BD_BLOCKER_INSUFFICIENT_ROLE:
      return g_strdup (_("Only Global admins and Billing admins can cancel subscriptions."));

    case BD_BLOCKER_LICENSES_ASSIGNED:
    case BD_BLOCKER_QUANTITY_LOCKED:
    case BD_BLOCKER_NONE:
    default:
      /* Never a cancel's blocker (bd_rules_blocker_can_stop ()). */
      return g_strdup ("");
    }
}

static const char *
your_products_link (BdCancelPane *self)
{
  return self->cloud == BD_CLOUD_21VIANET ? LINK_YOUR_PRODUCTS_21VIANET
                                          : LINK_YOUR_PRODUCTS_WORLDWIDE;
}

static const char *
active_users_link (BdCancelPane *self)
{
  return self->cloud == BD_CLOUD_21VIANET ? LINK_ACTIVE_USERS_21VIANET
                                          : LINK_ACTIVE_USERS_WORLDWIDE;
}

/*
 * The form
 */

static gboolean
get_selected_reason (BdCancelPane   *self,
                     BdCancelReason *reason)
{
  guint selected = gtk_drop_down_get_selected (self->reason_dropdown);

  /* 0 is "Choose a reason". */
  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 || selected > self->n_reasons)
    return FALSE;

  *reason = self->reasons[selected - 1];
  return TRUE;
}

static char *
get_feedback_text (BdCancelPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->feedback_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The feedback as sent: feedback that is nothing but white space says
 * nothing, so the key is left out (DESIGN.md rule 8 lets it be absent).
 */
static const char *
feedback_to_send (const char *text)
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

/* Whether the form is as it was when the last cancel was sent. */
static gboolean
form_matches_sent (BdCancelPane *self)
{
  g_autofree char *text = NULL;
  BdCancelReason reason;

  if (!self->has_sent || !get_selected_reason (self, &reason) || reason != self->sent_reason)
    return FALSE;

  text = get_feedback_text (self);
  return g_strcmp0 (text, self->sent_text) == 0;
}

static void
update_form (BdCancelPane *self)
{
  g_autofree char *text = get_feedback_text (self);
  g_autofree char *counter = NULL;
  glong n_chars = g_utf8_strlen (text, -1);
  gboolean too_long = n_chars > BD_FEEDBACK_MAX_CHARS;
  gboolean has_reason;
  gboolean valid;
  BdCancelReason reason = BD_CANCEL_REASON_OTHER;
  const char *save_text;

  /* Translators: characters of feedback written, of at most 2000 */
  counter = g_strdup_printf (_("%u / 2000"), (guint) n_chars);
  gtk_label_set_label (self->counter_label, counter);
  if (too_long)
    gtk_widget_add_css_class (GTK_WIDGET (self->counter_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->counter_label), "error");

  has_reason = get_selected_reason (self, &reason);
  gtk_label_set_text_with_mnemonic (self->feedback_label,
                                    has_reason && reason == BD_CANCEL_REASON_OTHER
                                    ? _("_Feedback (required)") : _("_Feedback (optional)"));

  /* The button says what it does: repeat a request whose outcome is not
   * known, send one that was refused once more, or send a new one.
   */
  if (self->outcome == OUTCOME_UNKNOWN && form_matches_sent (self))
    save_text = _("_Check Again");
  else if (self->outcome == OUTCOME_REFUSED && form_matches_sent (self))
    save_text = _("_Try Again");
  else
    save_text = C_("cancel subscription", "_Save");
  gtk_label_set_text_with_mnemonic (self->save_label, save_text);

  valid = self->state == STATE_ALLOWED && has_reason && !too_long &&
          bd_rules_feedback_is_valid (reason, feedback_to_send (text));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.save", valid && !self->busy);
}

static void
reset_form (BdCancelPane *self)
{
  gtk_drop_down_set_selected (self->reason_dropdown, 0);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->feedback_view), "", -1);

  self->has_sent = FALSE;
  g_clear_pointer (&self->sent_text, g_free);
  self->outcome = OUTCOME_NONE;
  g_clear_pointer (&self->idempotency_key, g_free);

  gtk_widget_set_visible (GTK_WIDGET (self->outcome_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), FALSE);
}

/* The reasons of the answer; the one chosen stays chosen when it is still
 * offered, so that a reload keeps the form as typed.
 */
static void
set_reasons (BdCancelPane *self)
{
  g_autoptr(GtkStringList) strings = NULL;
  const BdCancelReason *reasons;
  BdCancelReason chosen;
  gboolean had_reason;
  guint selected = 0;
  guint n = 0;

  reasons = bd_cancellation_get_reasons (self->cancellation, &n);
  n = MIN (n, N_REASONS);
  if (n == self->n_reasons && memcmp (reasons, self->reasons, n * sizeof *reasons) == 0 &&
      gtk_drop_down_get_model (self->reason_dropdown) != NULL)
    return;

  had_reason = get_selected_reason (self, &chosen);

  strings = gtk_string_list_new (NULL);
  gtk_string_list_append (strings, _("Choose a reason"));
  for (guint i = 0; i < n; i++)
    {
      self->reasons[i] = reasons[i];
      gtk_string_list_append (strings, reason_text (reasons[i]));
      if (had_reason && reasons[i] == chosen)
        selected = i + 1;
    }
  self->n_reasons = n;

  gtk_drop_down_set_model (self->reason_dropdown, G_LIST_MODEL (strings));
  gtk_drop_down_set_selected (self->reason_dropdown, selected);
}

static void
show_outcome (BdCancelPane *self,
              const char   *text,
              const char   *css_class)
{
  const char *classes[] = { css_class, NULL };

  gtk_label_set_label (self->outcome_label, text);
  gtk_widget_set_css_classes (GTK_WIDGET (self->outcome_label), classes);
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_label), text != NULL);
}

static void
show_notice (BdCancelPane *self,
             const char   *text)
{
  gtk_label_set_label (self->notice_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), text != NULL);
}

/* Moves the focus to @widget, unless the person is elsewhere in the window. */
static void
focus_if_here (BdCancelPane *self,
               GtkWidget    *widget)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_widget_grab_focus (widget);
}

/*
 * States
 */

/* Turn Off Recurring Billing works while its button is shown. */
static void
update_turn_off_action (BdCancelPane *self)
{
  gboolean shown = self->state == STATE_BLOCKED && self->turn_off_box != NULL &&
                   gtk_widget_get_visible (self->turn_off_box);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.turn-off-recurring-billing",
                                 shown && !self->busy);
}

static void
set_busy (BdCancelPane *self,
          gboolean      busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;

  /* A request that may already have been applied is never abandoned: the
   * pane stays open until it is answered (DESIGN.md section 4).
   */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pane.close", !busy);
  update_turn_off_action (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reason_dropdown), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->feedback_view), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->blockers_box), !busy);

  gtk_stack_set_visible_child_name (self->save_stack,
                                    busy && self->state == STATE_ALLOWED ? "spinner" : "label");
  gtk_spinner_set_spinning (self->save_spinner, busy && self->state == STATE_ALLOWED);
  if (self->turn_off_spinner != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->turn_off_spinner), busy);
      gtk_spinner_set_spinning (self->turn_off_spinner, busy);
    }

  update_form (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

static void
set_state (BdCancelPane *self,
           State         state)
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

  update_turn_off_action (self);
  update_form (self);
}

static void
update_title (BdCancelPane *self)
{
  g_autofree char *subtitle = NULL;
  guint quantity;

  if (self->subscription == NULL)
    return;

  quantity = bd_subscription_get_quantity (self->subscription);
  /* Translators: the pane's subtitle: a product and its number of
   * licenses, such as "Microsoft 365 Business Premium – 10 licenses" */
  subtitle = g_strdup_printf (ngettext ("%1$s – %2$u license", "%1$s – %2$u licenses",
                                        quantity),
                              bd_subscription_get_product_name (self->subscription), quantity);
  gtk_label_set_label (self->subtitle_label, subtitle);
}

static void
on_subscription_notify_cb (BdCancelPane *self)
{
  update_title (self);
}

/*
 * Allowed: what happens, before you begin
 */

static void
show_allowed (BdCancelPane *self)
{
  const BdSubscriptionData *data = bd_subscription_get_data (self->subscription);
  g_autofree char *refund = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *others = NULL;
  gint64 window_end = bd_cancellation_get_window_end (self->cancellation);
  gboolean has_refund;
  gboolean domain_attached = FALSE;
  BdRefundMethod method = BD_REFUND_METHOD_CREDIT_NEXT_INVOICE;
  BdMoney money = { 0 };

  has_refund = bd_cancellation_get_refund (self->cancellation, &money, &method);
  refund = refund_text (self->subscription, has_refund, &money, method);
  adw_preferences_row_set_title (self->refund_row, refund);

  /* A trial can be cancelled at any time: its window says nothing. */
  gtk_widget_set_visible (GTK_WIDGET (self->window_row),
                          window_end != BD_TIME_NONE && !data->is_trial);
  if (window_end != BD_TIME_NONE)
    {
      g_autofree char *when = bd_format_date_time (window_end);
      /* Translators: %s is a date and time, such as "Nov 20, 2026, 12:01 PM" */
      g_autofree char *text = g_strdup_printf (_("The refund window closes on %s."), when);

      adw_preferences_row_set_title (self->window_row, text);
    }

  dates = data_dates_text (bd_cancellation_get_deletable_from (self->cancellation),
                           bd_cancellation_get_deleted_by (self->cancellation));
  adw_preferences_row_set_title (self->data_row, dates);

  /* Translators: %s is a product name; rule 7: cancelling one subscription
   * never touches another of the same product */
  others = g_strdup_printf (_("Your other %s subscriptions are not affected."), data->product_name);
  adw_preferences_row_set_title (self->others_row, others);

  /* Before you begin informs; only blockers stop Save (UX.md). */
  for (guint i = 0; i < bd_cancellation_get_n_blockers (self->cancellation); i++)
    domain_attached |= bd_cancellation_get_blocker (self->cancellation, i) ==
                       BD_BLOCKER_CUSTOM_DOMAIN_ATTACHED;
  adw_preferences_row_set_title (self->domain_row,
                                 domain_attached ? _("A custom domain is attached")
                                                 : _("No custom domain is attached"));
  gtk_image_set_from_icon_name (self->domain_icon, domain_attached ? "dialog-warning-symbolic"
                                                                   : "object-select-symbolic");
  if (domain_attached)
    gtk_widget_add_css_class (GTK_WIDGET (self->domain_icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->domain_icon), "warning");

  set_reasons (self);
  set_state (self, STATE_ALLOWED);
}

/*
 * Blocked: why, and what to do instead
 */

static GtkWidget *
new_wrapped_label (const char *text,
                   gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static GtkWidget *
new_action_button (const char *label,
                   const char *action_name,
                   gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static GtkWidget *
new_link (const char *label,
          const char *uri)
{
  GtkWidget *link = gtk_link_button_new_with_label (uri, label);

  gtk_widget_set_halign (link, GTK_ALIGN_START);
  return link;
}

/* One alternative, as a button (the first one suggested) or as a link
 * after a sentence that says what it is for.
 */
static void
add_alternative (BdCancelPane  *self,
                 GtkBox        *box,
                 BdAlternative  alternative,
                 gboolean       first)
{
  const BdSubscriptionData *data = bd_subscription_get_data (self->subscription);

  switch (alternative)
    {
    case BD_ALTERNATIVE_TURN_OFF_RECURRING_BILLING:
      {
        g_autofree char *term_end = bd_format_date (data->term_end_date);
        g_autofree char *text = NULL;
        GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        GtkWidget *spinner = gtk_spinner_new ();
        GtkWidget *result;

        self->turn_off_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
        gtk_widget_set_halign (row, GTK_ALIGN_END);
        gtk_widget_set_visible (spinner, FALSE);
        gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Saving"), -1);
        self->turn_off_spinner = GTK_SPINNER (spinner);
        gtk_box_append (GTK_BOX (row), spinner);
        gtk_box_append (GTK_BOX (row),
                        new_action_button (_("_Turn Off Recurring Billing"),
                                           "pane.turn-off-recurring-billing", first));
        gtk_box_append (GTK_BOX (self->turn_off_box), row);

        /* Translators: %s is the date the current term ends */
        text = g_strdup_printf (_("Access continues until %s; nothing more is charged after "
                                  "that."), term_end);
        gtk_box_append (GTK_BOX (self->turn_off_box), new_wrapped_label (text, TRUE));
        gtk_box_append (box, self->turn_off_box);

        result = new_wrapped_label (NULL, FALSE);
        gtk_widget_set_visible (result, FALSE);
        self->turn_off_result = GTK_LABEL (result);
        gtk_box_append (box, result);
      }
      break;

    case BD_ALTERNATIVE_REDUCE_LICENSES:
      {
        g_autofree char *text = NULL;

        gtk_box_append (box, new_action_button (_("_Remove Licenses"), "pane.reduce-licenses",
                                                first));
        /* Translators: %u is 25, the most licenses a subscription without
         * a billing profile may have to be cancelled */
        text = g_strdup_printf (ngettext ("Remove licenses until %u or fewer are left; then you "
                                          "can cancel.",
                                          "Remove licenses until %u or fewer are left; then you "
                                          "can cancel.", BD_MAX_LICENSES_TO_CANCEL),
                                BD_MAX_LICENSES_TO_CANCEL);
        gtk_box_append (box, new_wrapped_label (text, TRUE));
      }
      break;

    case BD_ALTERNATIVE_REMOVE_DOMAIN:
      gtk_box_append (box, new_wrapped_label (_("Remove the custom domain from this subscription, "
                                                "then cancel it here."), TRUE));
      gtk_box_append (box, new_link (_("How to Remove a Domain"), LINK_REMOVE_DOMAIN));
      break;

    case BD_ALTERNATIVE_CONTACT_SELLER:
      gtk_box_append (box, new_wrapped_label (_("Ask the partner you bought it from to cancel it. "
                                                "Your products in the Microsoft 365 admin center "
                                                "shows who they are."), TRUE));
      gtk_box_append (box, new_link (_("Open Your Products"), your_products_link (self)));
      break;

    case BD_ALTERNATIVE_CONTACT_SUPPORT:
      gtk_box_append (box, new_wrapped_label (_("Microsoft support can help when none of this "
                                                "fits."), TRUE));
      gtk_box_append (box, new_link (_("Get Support"), LINK_GET_SUPPORT));
      break;

    case BD_ALTERNATIVE_REACTIVATE:
      gtk_box_append (box, new_action_button (_("_Reactivate Subscription"), "pane.reactivate",
                                              first));
      break;

    default:
      break;
    }
}

static void
show_blocked (BdCancelPane *self)
{
  const BdSubscriptionData *data = bd_subscription_get_data (self->subscription);
  guint n_blockers = bd_cancellation_get_n_blockers (self->cancellation);
  gboolean reader;
  gboolean first = TRUE;
  guint shown = 0;
  GtkWidget *child;

  self->turn_off_box = NULL;
  self->turn_off_result = NULL;
  self->turn_off_spinner = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->blockers_box))) != NULL)
    gtk_box_remove (self->blockers_box, child);

  /* A Global reader can do none of the alternatives: the blockers say why
   * it can't be cancelled, and nothing is offered that would be refused.
   */
  reader = n_blockers > 0 &&
           bd_cancellation_get_blocker (self->cancellation, 0) == BD_BLOCKER_INSUFFICIENT_ROLE;

  for (guint i = 0; i < n_blockers; i++)
    {
      BdBlocker blocker = bd_cancellation_get_blocker (self->cancellation, i);
      g_autofree char *text = blocker_text (self, blocker);
      const BdAlternative *alternatives;
      guint n_alternatives = 0;
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *inner = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

      gtk_widget_add_css_class (card, "card");
      gtk_widget_set_margin_top (inner, 12);
      gtk_widget_set_margin_bottom (inner, 12);
      gtk_widget_set_margin_start (inner, 12);
      gtk_widget_set_margin_end (inner, 12);
      gtk_box_append (GTK_BOX (card), inner);
      gtk_box_append (self->blockers_box, card);

      gtk_box_append (GTK_BOX (inner), new_wrapped_label (text, FALSE));

      /* Licenses assigned to users can't be removed (UX.md). */
      if (blocker == BD_BLOCKER_TOO_MANY_LICENSES &&
          data->assigned_licenses > BD_MAX_LICENSES_TO_CANCEL)
        {
          g_autofree char *assigned = NULL;

          /* Translators: %u is the number of licenses assigned to users */
          assigned = g_strdup_printf (ngettext ("%u license is assigned to users. Unassign "
                                                "licenses first, so that fewer can be kept.",
                                                "%u licenses are assigned to users. Unassign "
                                                "licenses first, so that fewer can be kept.",
                                                data->assigned_licenses),
                                      data->assigned_licenses);
          gtk_box_append (GTK_BOX (inner), new_wrapped_label (assigned, FALSE));
        }

      if (reader)
        continue;

      /* An alternative that several blockers offer is offered once. */
      alternatives = bd_cancellation_get_alternatives (self->cancellation, i, &n_alternatives);
      for (guint j = 0; j < n_alternatives; j++)
        {
          if (shown & (1u << alternatives[j]))
            continue;
          shown |= 1u << alternatives[j];
          add_alternative (self, GTK_BOX (inner), alternatives[j], first);
          first = FALSE;
        }
    }

  set_state (self, STATE_BLOCKED);
}

/*
 * Done: the outcome and the next steps
 */

static void
show_done (BdCancelPane   *self,
           gboolean        has_refund,
           const BdMoney  *refund,
           BdRefundMethod  method,
           gint64          deletable_from,
           gint64          deleted_by)
{
  g_autofree char *refund_line = refund_text (self->subscription, has_refund, refund, method);
  g_autofree char *dates = data_dates_text (deletable_from, deleted_by);

  adw_preferences_row_set_title (self->done_refund_row, refund_line);
  adw_preferences_row_set_title (self->done_data_row, dates);
  gtk_link_button_set_uri (self->active_users_link, active_users_link (self));

  set_state (self, STATE_DONE);
  focus_if_here (self, self->done_button);
}

/*
 * Requests
 */

static GCancellable *
new_cancellable (BdCancelPane *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

/* Callbacks get the pane unreferenced: it cancels its requests when it goes
 * (dispose) or starts another, and a cancelled callback returns before it
 * touches the pane.
 */
static void
get_cancellation_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BdCancellation) cancellation = NULL;
  g_autoptr(GError) error = NULL;
  BdCancelPane *self;

  cancellation = bd_client_get_cancellation_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);

  if (cancellation == NULL)
    {
      adw_status_page_set_description (self->load_error_page, error->message);
      set_state (self, STATE_LOAD_ERROR);
      return;
    }

  g_set_object (&self->cancellation, cancellation);
  if (bd_cancellation_get_allowed (cancellation))
    show_allowed (self);
  else
    show_blocked (self);
}

static void
reread_subscription_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(BdSubscription) subscription = NULL;
  g_autoptr(GError) error = NULL;
  BdCancelPane *self;

  subscription = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);

  if (subscription == NULL)
    {
      adw_status_page_set_description (self->load_error_page, error->message);
      set_state (self, STATE_LOAD_ERROR);
      return;
    }

  bd_subscription_update (self->subscription, bd_subscription_get_data (subscription));
  bd_client_get_cancellation_async (self->client, bd_subscription_get_id (self->subscription),
                                    self->cancellable, get_cancellation_cb, self);
}

/* Fetches the cancellation answer; first the subscription itself when it
 * may have changed (its ETag, its state).
 */
static void
load (BdCancelPane *self,
      gboolean      reread_subscription)
{
  GCancellable *cancellable = new_cancellable (self);
  const char *id = bd_subscription_get_id (self->subscription);

  g_clear_object (&self->cancellation);
  set_state (self, STATE_LOADING);

  if (reread_subscription)
    bd_client_get_subscription_async (self->client, id, cancellable, reread_subscription_cb, self);
  else
    bd_client_get_cancellation_async (self->client, id, cancellable, get_cancellation_cb, self);
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BdCancelAnswer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  BdCancelPane *self;

  answer = bd_client_cancel_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);

  if (answer != NULL)
    {
      /* The list row follows the object it shows. */
      bd_subscription_update (self->subscription, answer->subscription);

      self->outcome = OUTCOME_NONE;
      g_clear_pointer (&self->idempotency_key, g_free);
      set_busy (self, FALSE);
      show_done (self, answer->has_refund, &answer->refund, answer->refund_method,
                 answer->deletable_from, answer->deleted_by);

      /* Translators: a toast; %s is a product name */
      message = g_strdup_printf (_("%s cancelled"),
                                 bd_subscription_get_product_name (self->subscription));
      g_signal_emit (self, signals [CANCELLED], 0, message);
      return;
    }

  if (bd_client_error_is_outcome_unknown (error))
    {
      /* The key stays: Check Again repeats this very request, and the
       * service answers it as it answered the first, or applies it once.
       */
      self->outcome = OUTCOME_UNKNOWN;
      if (g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER))
        show_outcome (self, _("The billing service sent an answer Billing Desk could not read, "
                              "so the result is not known yet. Asking again is safe: the "
                              "subscription is never cancelled twice."),
                      "warning");
      else
        show_outcome (self, _("The billing service did not answer, so the result is not known "
                              "yet. Asking again is safe: the subscription is never cancelled "
                              "twice."),
                      "warning");
    }
  else
    {
      /* An answer is final for its key (a refusal is replayed to the same
       * key), so another try is another request.
       */
      self->outcome = OUTCOME_REFUSED;
      g_clear_pointer (&self->idempotency_key, g_free);
      if (g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNREACHABLE))
        /* Translators: %s says why, and that nothing was changed */
        message = g_strdup_printf (_("The subscription was not cancelled: %s"), error->message);
      else
        /* Translators: %s is a sentence that says why */
        message = g_strdup_printf (_("The subscription was not cancelled: %s Nothing was changed."),
                                   error->message);
      show_outcome (self, message, "error");
    }

  set_busy (self, FALSE);
  focus_if_here (self, self->save_button);
}

static void
send_cancel (BdCancelPane *self)
{
  GCancellable *cancellable = new_cancellable (self);

  show_outcome (self, NULL, NULL);
  set_busy (self, TRUE);
  bd_client_cancel_async (self->client, bd_subscription_get_id (self->subscription),
                          self->sent_reason, feedback_to_send (self->sent_text),
                          self->idempotency_key, cancellable, cancel_cb, self);
}

/* Before another attempt after a failure: the subscription as it is now. */
static void
save_reread_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BdSubscription) subscription = NULL;
  g_autoptr(GError) error = NULL;
  BdCancelPane *self;

  subscription = bd_client_get_subscription_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);

  if (subscription == NULL)
    {
      /* Nothing was sent; the next Save reads again with a fresh key. */
      self->has_sent = FALSE;
      g_clear_pointer (&self->idempotency_key, g_free);
      show_outcome (self, error->message, "error");
      set_busy (self, FALSE);
      return;
    }

  bd_subscription_update (self->subscription, bd_subscription_get_data (subscription));

  if (bd_subscription_get_status (self->subscription) != BD_STATUS_ACTIVE)
    {
      Outcome before = self->outcome;

      self->outcome = OUTCOME_NONE;
      self->has_sent = FALSE;
      g_clear_pointer (&self->idempotency_key, g_free);
      show_outcome (self, NULL, NULL);
      show_notice (self, before == OUTCOME_UNKNOWN
                         ? _("The subscription is no longer active: the earlier attempt may have "
                             "cancelled it. Nothing more was sent.")
                         : _("The subscription is no longer active, so nothing was sent."));
      set_busy (self, FALSE);
      load (self, FALSE);
      return;
    }

  /* Still busy: the cancel follows at once. */
  send_cancel (self);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BdSubscription) updated = NULL;
  g_autoptr(GError) error = NULL;
  BdCancelPane *self;

  updated = bd_client_update_finish (BD_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_CANCEL_PANE (user_data);
  set_busy (self, FALSE);

  if (updated != NULL)
    {
      g_autofree char *term_end = NULL;
      g_autofree char *text = NULL;

      bd_subscription_update (self->subscription, bd_subscription_get_data (updated));
      term_end = bd_format_date (bd_subscription_get_data (self->subscription)->term_end_date);
      /* Translators: %s is the date the current term ends */
      text = g_strdup_printf (_("Recurring billing is off. Access continues until %s; nothing "
                                "more is charged after that."), term_end);

      if (self->turn_off_box != NULL)
        gtk_widget_set_visible (self->turn_off_box, FALSE);
      update_turn_off_action (self);
      if (self->turn_off_result != NULL)
        {
          const char *classes[] = { NULL };

          gtk_label_set_label (self->turn_off_result, text);
          gtk_widget_set_css_classes (GTK_WIDGET (self->turn_off_result), classes);
          gtk_widget_set_visible (GTK_WIDGET (self->turn_off_result), TRUE);
        }
      return;
    }

  /* Someone else changed it: read it again, with its new ETag. */
  if (bd_client_error_get_api_code (error) == BD_ERROR_CODE_PRECONDITION_FAILED)
    {
      show_notice (self, error->message);
      load (self, TRUE);
      return;
    }

  if (self->turn_off_result != NULL)
    {
      const char *classes[] = { "error", NULL };

      gtk_label_set_label (self->turn_off_result, error->message);
      gtk_widget_set_css_classes (GTK_WIDGET (self->turn_off_result), classes);
      gtk_widget_set_visible (GTK_WIDGET (self->turn_off_result), TRUE);
    }
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
pane_reload_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);

  if (self->subscription != NULL && !self->busy)
    load (self, TRUE);
}

static void
pane_save_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);
  g_autofree char *text = NULL;
  BdCancelReason reason;
  Outcome before = self->outcome;

  if (self->busy || self->state != STATE_ALLOWED || !get_selected_reason (self, &reason))
    return;

  /* An earlier notice is about an earlier step. */
  show_notice (self, NULL);

  /* Check Again: the same request, with the same key. */
  if (self->outcome == OUTCOME_UNKNOWN && form_matches_sent (self) &&
      self->idempotency_key != NULL)
    {
      send_cancel (self);
      return;
    }

  /* A new intent: a new key, made once, for this form as typed. */
  text = get_feedback_text (self);
  g_free (self->idempotency_key);
  self->idempotency_key = bd_client_new_idempotency_key ();
  self->has_sent = TRUE;
  self->sent_reason = reason;
  g_free (self->sent_text);
  self->sent_text = g_steal_pointer (&text);

  if (before == OUTCOME_NONE)
    {
      send_cancel (self);
      return;
    }

  /* After a failure the subscription may have changed, or an earlier
   * attempt may have cancelled it after all: read it first (DESIGN.md
   * section 4).
   */
  set_busy (self, TRUE);
  bd_client_get_subscription_async (self->client, bd_subscription_get_id (self->subscription),
                                    new_cancellable (self), save_reread_cb, self);
}

static void
pane_turn_off_recurring_billing_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  BdCancelPane *self = BD_CANCEL_PANE (widget);
  const BdSubscriptionData *data;

  if (self->busy || self->state != STATE_BLOCKED)
    return;

  data = bd_subscription_get_data (self->subscription);

  /* Without its ETag the change can't be made safely: read it first. */
  if (data->etag == NULL)
    {
      load (self, TRUE);
      return;
    }

  if (self->turn_off_result != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->turn_off_result), FALSE);
  show_notice (self, NULL);
  set_busy (self, TRUE);
  bd_client_update_async (self->client, data->id, data->etag, TRUE, BD_RECURRING_BILLING_OFF, -1,
                          new_cancellable (self), update_cb, self);
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

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
}

static void
bd_cancel_pane_dispose (GObject *object)
{
  BdCancelPane *self = (BdCancelPane *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->turn_off_box = NULL;
  self->turn_off_result = NULL;
  self->turn_off_spinner = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), BD_TYPE_CANCEL_PANE);
  if (self->subscription != NULL)
    g_clear_signal_handler (&self->subscription_notify_id, self->subscription);
  g_clear_object (&self->subscription);
  g_clear_object (&self->cancellation);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (bd_cancel_pane_parent_class)->dispose (object);
}

static void
bd_cancel_pane_finalize (GObject *object)
{
  BdCancelPane *self = (BdCancelPane *)object;

  g_free (self->sent_text);
  g_free (self->idempotency_key);

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
bd_cancel_pane_class_init (BdCancelPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bd_cancel_pane_dispose;
  object_class->finalize = bd_cancel_pane_finalize;
  object_class->get_property = bd_cancel_pane_get_property;

  widget_class->measure = bd_cancel_pane_measure;
  widget_class->size_allocate = bd_cancel_pane_size_allocate;

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
  signals [CLOSE] = g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * BdCancelPane::cancelled:
   * @message: a translated toast, "<product> cancelled"
   *
   * The subscription was cancelled; it has been updated in place.
   */
  signals [CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * BdCancelPane::reduce-licenses:
   * @quantity: the quantity to suggest: 25, or the number of licenses
   *   assigned when more are assigned
   *
   * The tooManyLicenses alternative: the window opens Buy or Remove Licenses.
   */
  signals [REDUCE_LICENSES] = g_signal_new ("reduce-licenses", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * BdCancelPane::reactivate:
   *
   * The notActive alternative: the window opens Reactivate Subscription.
   */
  signals [REACTIVATE] = g_signal_new ("reactivate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/billingdesk/BillingDesk/bd-cancel-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, box);
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
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, done_refund_row);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, done_data_row);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, active_users_link);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, move_users_link);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, uninstall_office_link);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, close_account_link);
  gtk_widget_class_bind_template_child (widget_class, BdCancelPane, done_button);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed_cb);

  gtk_widget_class_install_action (widget_class, "pane.close", NULL, pane_close_action);
  gtk_widget_class_install_action (widget_class, "pane.reload", NULL, pane_reload_action);
  gtk_widget_class_install_action (widget_class, "pane.save", NULL, pane_save_action);
  gtk_widget_class_install_action (widget_class, "pane.turn-off-recurring-billing", NULL,
                                   pane_turn_off_recurring_billing_action);
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

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cancel Subscription"), -1);

  g_signal_connect_object (gtk_text_view_get_buffer (self->feedback_view), "changed",
                           G_CALLBACK (on_form_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_link_button_set_uri (self->export_link, LINK_EXPORT_MAIL);
  gtk_link_button_set_uri (self->active_users_link, LINK_ACTIVE_USERS_WORLDWIDE);
  gtk_link_button_set_uri (self->move_users_link, LINK_MOVE_USERS);
  gtk_link_button_set_uri (self->uninstall_office_link, LINK_UNINSTALL_OFFICE);
  gtk_link_button_set_uri (self->close_account_link, LINK_CLOSE_ACCOUNT);

  set_state (self, STATE_CLOSED);
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
  gtk_link_button_set_uri (self->active_users_link, active_users_link (self));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled), 0);
  load (self, FALSE);
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
    set_state (self, STATE_CLOSED);

  g_signal_emit (self, signals [CLOSE], 0);
  return TRUE;
}
