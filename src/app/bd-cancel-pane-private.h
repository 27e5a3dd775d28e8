/* bd-cancel-pane-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-blocker-card.h"
#include "bd-cancel-pane.h"
#include "bd-change-attempt.h"
#include "bd-timeline.h"

G_BEGIN_DECLS

/* What the parts of the Cancel Subscription pane share, as GNOME Text
 * Editor's editor-window.c and editor-window-actions.c do: the widget, its
 * states and its form (bd-cancel-pane.c); what the service's answers show
 * (bd-cancel-pane-answers.c); the requests to the service
 * (bd-cancel-pane-request.c).
 */

#define N_REASONS (BD_CANCEL_REASON_OTHER + 1)

typedef enum
{
  STATE_CLOSED,
  STATE_LOADING,
  STATE_LOAD_ERROR,
  STATE_ALLOWED,
  STATE_BLOCKED,
  STATE_DONE,
} BdCancelPaneState;

/* The Cancel Subscription pane: one subscription's cancellation
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
  BdCancelPaneState     state;
  gboolean              busy;
  /* The focus goes on to the first control of a new state once the state's
   * page is laid out (a tick after the allocation), so that the viewport
   * can scroll to it; pending while the pane is hidden. */
  guint                 focus_tick_id;
  gboolean              laid_out;
  gboolean              focus_pending;
  /* Whether the window's focus was last in the pane (its focus-widget is
   * watched from the pane's first map), for when it goes nowhere. */
  gboolean              focus_was_here;
  GtkRoot              *focus_root;

  /* The reasons of the answer, in the dropdown's order after its first
   * entry, "Choose a reason".
   */
  BdCancelReason        reasons[N_REASONS];
  guint                 n_reasons;

  /* The cancel: its Idempotency-Key, kept while its outcome is unknown so
   * that Check Again repeats the same request, and whether Save sends a
   * new one; and the form it sends, as it was when Save was pressed.
   */
  BdChangeAttempt      *attempt;
  BdCancelReason        sending_reason;
  char                 *sending_text;

  /* The card in blockers_box that offers Turn Off Recurring Billing. */
  BdBlockerCard        *turn_off_card;

  GtkWidget            *box;
  GtkWidget            *close_button;
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
  BdTimeline           *timeline;
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
  GtkLabel             *done_refund_label;
  GtkLabel             *done_data_label;
  GtkLinkButton        *active_users_link;
  GtkLinkButton        *move_users_link;
  GtkLinkButton        *uninstall_office_link;
  GtkLinkButton        *close_account_link;
  GtkWidget            *done_button;
};

/* bd-cancel-pane.c: the widget */
void        _bd_cancel_pane_set_state              (BdCancelPane      *self,
                                                    BdCancelPaneState  state);
void        _bd_cancel_pane_set_busy               (BdCancelPane      *self,
                                                    gboolean           busy);
void        _bd_cancel_pane_show_outcome           (BdCancelPane      *self,
                                                    const char        *text,
                                                    const char        *css_class);
void        _bd_cancel_pane_show_notice            (BdCancelPane      *self,
                                                    const char        *text);
gboolean    _bd_cancel_pane_get_selected_reason    (BdCancelPane      *self,
                                                    BdCancelReason    *reason);
char       *_bd_cancel_pane_get_feedback_text      (BdCancelPane      *self);
const char *_bd_cancel_pane_feedback_to_send       (const char        *text);
void        _bd_cancel_pane_emit_cancelled         (BdCancelPane      *self);

/* bd-cancel-pane-focus.c: where the focus goes */
void        _bd_cancel_pane_focus_init             (BdCancelPane      *self);
void        _bd_cancel_pane_focus_when_laid_out    (BdCancelPane      *self);
void        _bd_cancel_pane_stop_focus_tick        (BdCancelPane      *self);
gboolean    _bd_cancel_pane_grab_focus             (GtkWidget         *widget);
void        _bd_cancel_pane_focus_if_here          (BdCancelPane      *self,
                                                    GtkWidget         *widget);

/* bd-cancel-pane-answers.c: what the answers show, and the pane's texts */
char       *_bd_cancel_pane_subtitle_text          (BdSubscription    *subscription);
char       *_bd_cancel_pane_counter_text           (guint              n_chars);
void        _bd_cancel_pane_show_answer            (BdCancelPane      *self);
void        _bd_cancel_pane_show_load_error        (BdCancelPane      *self,
                                                    const char        *message);
void        _bd_cancel_pane_show_done              (BdCancelPane      *self,
                                                    const BdCancelAnswer *answer);

/* bd-cancel-pane-request.c: the requests */
void        _bd_cancel_pane_class_actions_init     (BdCancelPaneClass *klass);
void        _bd_cancel_pane_load                   (BdCancelPane      *self,
                                                    gboolean           reread_subscription);
void        _bd_cancel_pane_update_turn_off_action (BdCancelPane      *self);

G_END_DECLS
