/* bd-change-attempt.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One change the user asks for, from the confirming button to a settled
 * answer, and what to do when the answer did not come (docs/design.md
 * section 4). The owner (a dialog, the cancel pane) does the requests and
 * shows the state; this object decides, and knows no widget:
 *
 *   IDLE ──start()──> READING ──send()──> SENDING ──finish(NULL)──> DONE
 *     │                  │                  │
 *     └──start()─────────┼────────────────> │ ──finish(refusal)──> REFUSED
 *                        │                  └──finish(no answer)─> OUTCOME_UNKNOWN
 *                        └──stop()──> back where start() found it
 *
 * - A keyed change (a POST with an Idempotency-Key) gets a new key when
 *   start() begins a new intent, keeps it while the outcome is unknown, so
 *   that Check Again repeats the very request (the service answers it as
 *   it answered the first, or applies it once), and drops it after an
 *   answer, which is final for its key.
 * - A new intent is a start() that is not Check Again: the first, one
 *   after an answer, or one after the form changed (set_form () with
 *   another value than the one sent; a change without a form never
 *   changes).
 * - A conditional change (a PATCH with If-Match) has no key: after no
 *   answer, start() reads first, and the owner tells whether the read
 *   shows the change applied (succeeded ()), changed otherwise
 *   (refused ()), or still to send (send ()).
 * - read-after-failure: a new intent after a refusal or no answer reads
 *   first too (the cancel pane: the subscription may have changed, or an
 *   earlier attempt may have cancelled it after all).
 *
 * "busy" is TRUE while READING or SENDING: the owner keeps its form
 * insensitive and refuses to be closed. "check-again" is TRUE when the
 * confirming button repeats a request whose outcome is unknown, and
 * "try-again" when it repeats one that was refused, the form unchanged.
 */

typedef enum
{
  BD_CHANGE_STATE_IDLE,
  BD_CHANGE_STATE_READING,
  BD_CHANGE_STATE_SENDING,
  BD_CHANGE_STATE_REFUSED,
  BD_CHANGE_STATE_OUTCOME_UNKNOWN,
  BD_CHANGE_STATE_DONE,
} BdChangeState;

/* What start () asks the owner to do next. */
typedef enum
{
  BD_CHANGE_STEP_SEND,
  BD_CHANGE_STEP_READ_FIRST,
} BdChangeStep;

#define BD_TYPE_CHANGE_STATE (bd_change_state_get_type ())
#define BD_TYPE_CHANGE_ATTEMPT (bd_change_attempt_get_type ())

GType bd_change_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (BdChangeAttempt, bd_change_attempt, BD, CHANGE_ATTEMPT, GObject)

BdChangeAttempt *bd_change_attempt_new                   (gboolean         keyed,
                                                          gboolean         read_after_failure);
BdChangeState    bd_change_attempt_get_state             (BdChangeAttempt *self);
gboolean         bd_change_attempt_get_busy              (BdChangeAttempt *self);
gboolean         bd_change_attempt_get_outcome_unknown   (BdChangeAttempt *self);
gboolean         bd_change_attempt_get_check_again       (BdChangeAttempt *self);
gboolean         bd_change_attempt_get_try_again         (BdChangeAttempt *self);
const char      *bd_change_attempt_get_idempotency_key   (BdChangeAttempt *self);
void             bd_change_attempt_set_form              (BdChangeAttempt *self,
                                                          GVariant        *form);
BdChangeStep     bd_change_attempt_start                 (BdChangeAttempt *self,
                                                          gboolean         must_read);
void             bd_change_attempt_send                  (BdChangeAttempt *self);
void             bd_change_attempt_stop                  (BdChangeAttempt *self);
void             bd_change_attempt_finish                (BdChangeAttempt *self,
                                                          const GError    *error);
void             bd_change_attempt_succeeded             (BdChangeAttempt *self);
void             bd_change_attempt_refused               (BdChangeAttempt *self);
void             bd_change_attempt_reset                 (BdChangeAttempt *self);

G_END_DECLS
