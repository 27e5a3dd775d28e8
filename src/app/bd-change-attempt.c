/* bd-change-attempt.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-change-attempt"

#include "config.h"

#include "bd-change-attempt.h"
#include "bd-client.h"

/* How the last request sent ended, when it did not succeed. It outlives
 * the activity: a read or a resend after it still knows it.
 */
typedef enum
{
  OUTCOME_NONE,
  OUTCOME_REFUSED,  /* the service answered: nothing was changed */
  OUTCOME_UNKNOWN,  /* no answer: it may or may not have been applied */
} Outcome;

typedef enum
{
  ACTIVITY_NONE,
  ACTIVITY_READING,
  ACTIVITY_SENDING,
  ACTIVITY_DONE,
} Activity;

struct _BdChangeAttempt
{
  GObject   parent_instance;

  gboolean  keyed;
  gboolean  read_after_failure;

  Activity  activity;
  Outcome   outcome;
  char     *idempotency_key;
  gboolean  made_key;      /* by the current start (), for a new intent */
  GVariant *form;          /* as typed now; NULL for a change without one */
  gboolean  has_sent;
  GVariant *sent_form;     /* as it was at the last new intent */
};

G_DEFINE_FINAL_TYPE (BdChangeAttempt, bd_change_attempt, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (BdChangeState, bd_change_state,
                    G_DEFINE_ENUM_VALUE (BD_CHANGE_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (BD_CHANGE_STATE_READING, "reading"),
                    G_DEFINE_ENUM_VALUE (BD_CHANGE_STATE_SENDING, "sending"),
                    G_DEFINE_ENUM_VALUE (BD_CHANGE_STATE_REFUSED, "refused"),
                    G_DEFINE_ENUM_VALUE (BD_CHANGE_STATE_OUTCOME_UNKNOWN, "outcome-unknown"),
                    G_DEFINE_ENUM_VALUE (BD_CHANGE_STATE_DONE, "done"))

enum
{
  PROP_0,
  PROP_KEYED,
  PROP_READ_AFTER_FAILURE,
  PROP_STATE,
  PROP_BUSY,
  PROP_OUTCOME_UNKNOWN,
  PROP_CHECK_AGAIN,
  PROP_TRY_AGAIN,
  PROP_IDEMPOTENCY_KEY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* What the properties were before a change, to notify only those that
 * changed.
 */
typedef struct
{
  BdChangeState  state;
  gboolean       busy;
  gboolean       outcome_unknown;
  gboolean       check_again;
  gboolean       try_again;
  char          *idempotency_key;
} Snapshot;

static gboolean
form_matches_sent (BdChangeAttempt *self)
{
  if (!self->has_sent)
    return FALSE;
  if (self->form == NULL || self->sent_form == NULL)
    return self->form == self->sent_form;

  return g_variant_equal (self->form, self->sent_form);
}

static void
take_snapshot (BdChangeAttempt *self,
               Snapshot        *snapshot)
{
  snapshot->state = bd_change_attempt_get_state (self);
  snapshot->busy = bd_change_attempt_get_busy (self);
  snapshot->outcome_unknown = bd_change_attempt_get_outcome_unknown (self);
  snapshot->check_again = bd_change_attempt_get_check_again (self);
  snapshot->try_again = bd_change_attempt_get_try_again (self);
  snapshot->idempotency_key = g_strdup (self->idempotency_key);
}

static void
notify_changes (BdChangeAttempt *self,
                Snapshot        *before)
{
  Snapshot after;

  take_snapshot (self, &after);
  g_object_freeze_notify (G_OBJECT (self));
  if (before->state != after.state)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
  if (before->busy != after.busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
  if (before->outcome_unknown != after.outcome_unknown)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_OUTCOME_UNKNOWN]);
  if (before->check_again != after.check_again)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CHECK_AGAIN]);
  if (before->try_again != after.try_again)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TRY_AGAIN]);
  if (g_strcmp0 (before->idempotency_key, after.idempotency_key) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_IDEMPOTENCY_KEY]);
  g_free (before->idempotency_key);
  g_free (after.idempotency_key);
  g_object_thaw_notify (G_OBJECT (self));
}

/* The request's outcome is settled (or it never went): end the activity. */
static void
settle (BdChangeAttempt *self,
        Activity         activity,
        Outcome          outcome)
{
  Snapshot before;

  take_snapshot (self, &before);
  self->activity = activity;
  self->outcome = outcome;
  self->made_key = FALSE;
  /* An answer is final for its key; only no answer keeps it. */
  if (outcome != OUTCOME_UNKNOWN)
    g_clear_pointer (&self->idempotency_key, g_free);
  notify_changes (self, &before);
}

/*
 * GObject overrides
 */

static void
bd_change_attempt_finalize (GObject *object)
{
  BdChangeAttempt *self = BD_CHANGE_ATTEMPT (object);

  g_clear_pointer (&self->idempotency_key, g_free);
  g_clear_pointer (&self->form, g_variant_unref);
  g_clear_pointer (&self->sent_form, g_variant_unref);

  G_OBJECT_CLASS (bd_change_attempt_parent_class)->finalize (object);
}

static void
bd_change_attempt_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BdChangeAttempt *self = BD_CHANGE_ATTEMPT (object);

  switch (prop_id)
    {
    case PROP_KEYED:
      g_value_set_boolean (value, self->keyed);
      break;
    case PROP_READ_AFTER_FAILURE:
      g_value_set_boolean (value, self->read_after_failure);
      break;
    case PROP_STATE:
      g_value_set_enum (value, bd_change_attempt_get_state (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, bd_change_attempt_get_busy (self));
      break;
    case PROP_OUTCOME_UNKNOWN:
      g_value_set_boolean (value, bd_change_attempt_get_outcome_unknown (self));
      break;
    case PROP_CHECK_AGAIN:
      g_value_set_boolean (value, bd_change_attempt_get_check_again (self));
      break;
    case PROP_TRY_AGAIN:
      g_value_set_boolean (value, bd_change_attempt_get_try_again (self));
      break;
    case PROP_IDEMPOTENCY_KEY:
      g_value_set_string (value, self->idempotency_key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_change_attempt_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BdChangeAttempt *self = BD_CHANGE_ATTEMPT (object);

  switch (prop_id)
    {
    case PROP_KEYED:
      self->keyed = g_value_get_boolean (value);
      break;
    case PROP_READ_AFTER_FAILURE:
      self->read_after_failure = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_change_attempt_class_init (BdChangeAttemptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bd_change_attempt_finalize;
  object_class->get_property = bd_change_attempt_get_property;
  object_class->set_property = bd_change_attempt_set_property;

  properties [PROP_KEYED] =
    g_param_spec_boolean ("keyed", NULL, NULL, FALSE, construct);
  properties [PROP_READ_AFTER_FAILURE] =
    g_param_spec_boolean ("read-after-failure", NULL, NULL, FALSE, construct);
  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BD_TYPE_CHANGE_STATE, BD_CHANGE_STATE_IDLE,
                       read_only);
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, read_only);
  properties [PROP_OUTCOME_UNKNOWN] =
    g_param_spec_boolean ("outcome-unknown", NULL, NULL, FALSE, read_only);
  properties [PROP_CHECK_AGAIN] =
    g_param_spec_boolean ("check-again", NULL, NULL, FALSE, read_only);
  properties [PROP_TRY_AGAIN] =
    g_param_spec_boolean ("try-again", NULL, NULL, FALSE, read_only);
  properties [PROP_IDEMPOTENCY_KEY] =
    g_param_spec_string ("idempotency-key", NULL, NULL, NULL, read_only);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bd_change_attempt_init (BdChangeAttempt *self)
{
}

/*
 * Public API
 */

/**
 * bd_change_attempt_new:
 * @keyed: whether the request carries an Idempotency-Key (a POST)
 * @read_after_failure: whether a new intent after a refusal or no answer
 *   reads the subscription before it sends
 *
 * Returns: (transfer full): a new attempt, idle
 */
BdChangeAttempt *
bd_change_attempt_new (gboolean keyed,
                       gboolean read_after_failure)
{
  return g_object_new (BD_TYPE_CHANGE_ATTEMPT,
                       "keyed", keyed,
                       "read-after-failure", read_after_failure,
                       NULL);
}

BdChangeState
bd_change_attempt_get_state (BdChangeAttempt *self)
{
  g_return_val_if_fail (BD_IS_CHANGE_ATTEMPT (self), BD_CHANGE_STATE_IDLE);

  switch (self->activity)
    {
    case ACTIVITY_READING:
      return BD_CHANGE_STATE_READING;
    case ACTIVITY_SENDING:
      return BD_CHANGE_STATE_SENDING;
    case ACTIVITY_DONE:
      return BD_CHANGE_STATE_DONE;
    case ACTIVITY_NONE:
    default:
      break;
    }

  switch (self->outcome)
    {
    case OUTCOME_REFUSED:
      return BD_CHANGE_STATE_REFUSED;
    case OUTCOME_UNKNOWN:
      return BD_CHANGE_STATE_OUTCOME_UNKNOWN;
    case OUTCOME_NONE:
    default:
      return BD_CHANGE_STATE_IDLE;
    }
}

/**
 * bd_change_attempt_get_busy:
 *
 * Returns: whether a read or the request is in flight
 */
gboolean
bd_change_attempt_get_busy (BdChangeAttempt *self)
{
  g_return_val_if_fail (BD_IS_CHANGE_ATTEMPT (self), FALSE);

  return self->activity == ACTIVITY_READING || self->activity == ACTIVITY_SENDING;
}

/**
 * bd_change_attempt_get_outcome_unknown:
 *
 * Returns: whether the last request sent got no answer; still %TRUE while
 *   the read or the repeat after it is in flight
 */
gboolean
bd_change_attempt_get_outcome_unknown (BdChangeAttempt *self)
{
  g_return_val_if_fail (BD_IS_CHANGE_ATTEMPT (self), FALSE);

  return self->outcome == OUTCOME_UNKNOWN;
}

/**
 * bd_change_attempt_get_check_again:
 *
 * Returns: whether the confirming button now checks what happened to a
 *   request that got no answer (for a keyed change: with the form as it
 *   was sent)
 */
gboolean
bd_change_attempt_get_check_again (BdChangeAttempt *self)
{
  g_return_val_if_fail (BD_IS_CHANGE_ATTEMPT (self), FALSE);

  return self->outcome == OUTCOME_UNKNOWN && (!self->keyed || form_matches_sent (self));
}

/**
 * bd_change_attempt_get_try_again:
 *
 * Returns: whether the confirming button now sends a refused request once
 *   more, the form as it was sent
 */
gboolean
bd_change_attempt_get_try_again (BdChangeAttempt *self)
{
  g_return_val_if_fail (BD_IS_CHANGE_ATTEMPT (self), FALSE);

  return self->outcome == OUTCOME_REFUSED && form_matches_sent (self);
}

/**
 * bd_change_attempt_get_idempotency_key:
 *
 * Returns: (nullable): the key to send the request with: set from start ()
 *   of a keyed change until its answer, and kept while the outcome is
 *   unknown
 */
const char *
bd_change_attempt_get_idempotency_key (BdChangeAttempt *self)
{
  g_return_val_if_fail (BD_IS_CHANGE_ATTEMPT (self), NULL);

  return self->idempotency_key;
}

/**
 * bd_change_attempt_set_form:
 * @form: (nullable): the form as typed now, compared with g_variant_equal ()
 *
 * Tells what the user asks for now; another value than the one sent makes
 * the next start () a new intent (a new key).
 */
void
bd_change_attempt_set_form (BdChangeAttempt *self,
                            GVariant        *form)
{
  Snapshot before;

  g_return_if_fail (BD_IS_CHANGE_ATTEMPT (self));

  take_snapshot (self, &before);
  if (form != NULL)
    g_variant_ref_sink (form);
  g_clear_pointer (&self->form, g_variant_unref);
  self->form = form;
  notify_changes (self, &before);
}

/**
 * bd_change_attempt_start:
 * @must_read: whether the owner needs the subscription read first anyway
 *   (it has no ETag yet)
 *
 * The user confirmed. Check Again of a keyed change keeps its key; any
 * other start is a new intent, with a new key for a keyed change.
 *
 * Returns: %BD_CHANGE_STEP_SEND: send the request now, with the key; or
 *   %BD_CHANGE_STEP_READ_FIRST: read the subscription, then call send (),
 *   stop (), succeeded () or refused ()
 */
BdChangeStep
bd_change_attempt_start (BdChangeAttempt *self,
                         gboolean         must_read)
{
  Snapshot before;
  gboolean read;

  g_return_val_if_fail (BD_IS_CHANGE_ATTEMPT (self), BD_CHANGE_STEP_SEND);
  g_return_val_if_fail (!bd_change_attempt_get_busy (self), BD_CHANGE_STEP_SEND);

  take_snapshot (self, &before);
  if (self->keyed && bd_change_attempt_get_check_again (self) && self->idempotency_key != NULL)
    {
      /* The very request again: the service answers it as it answered the
       * first, or applies it once.
       */
      self->made_key = FALSE;
      read = must_read;
    }
  else
    {
      if (self->keyed)
        {
          g_free (self->idempotency_key);
          self->idempotency_key = bd_client_new_idempotency_key ();
          self->made_key = TRUE;
        }
      g_clear_pointer (&self->sent_form, g_variant_unref);
      self->sent_form = self->form != NULL ? g_variant_ref (self->form) : NULL;
      self->has_sent = TRUE;

      /* A PATCH without an answer may have been applied: see first. */
      read = must_read || (!self->keyed && self->outcome == OUTCOME_UNKNOWN) ||
             (self->read_after_failure && self->outcome != OUTCOME_NONE);
    }

  self->activity = read ? ACTIVITY_READING : ACTIVITY_SENDING;
  notify_changes (self, &before);

  return read ? BD_CHANGE_STEP_READ_FIRST : BD_CHANGE_STEP_SEND;
}

/**
 * bd_change_attempt_send:
 *
 * After the read: the request goes now. What the read found settles what
 * was unknown before it.
 */
void
bd_change_attempt_send (BdChangeAttempt *self)
{
  Snapshot before;

  g_return_if_fail (BD_IS_CHANGE_ATTEMPT (self));
  g_return_if_fail (self->activity == ACTIVITY_READING);

  take_snapshot (self, &before);
  self->activity = ACTIVITY_SENDING;
  self->outcome = OUTCOME_NONE;
  notify_changes (self, &before);
}

/**
 * bd_change_attempt_stop:
 *
 * After the read, nothing is sent (the read failed, or the form is not
 * ready for what it found): back to how start () found it. A key made for
 * this start () was never sent, and goes with the form it was made for.
 */
void
bd_change_attempt_stop (BdChangeAttempt *self)
{
  Snapshot before;

  g_return_if_fail (BD_IS_CHANGE_ATTEMPT (self));
  g_return_if_fail (bd_change_attempt_get_busy (self));

  take_snapshot (self, &before);
  self->activity = ACTIVITY_NONE;
  if (self->made_key)
    {
      g_clear_pointer (&self->idempotency_key, g_free);
      g_clear_pointer (&self->sent_form, g_variant_unref);
      self->has_sent = FALSE;
      self->made_key = FALSE;
    }
  notify_changes (self, &before);
}

/**
 * bd_change_attempt_finish:
 * @error: (nullable): how the request failed, or %NULL when it succeeded
 *
 * The request's answer, or its lack: an error for which
 * bd_client_error_is_outcome_unknown () holds keeps the key for Check
 * Again; any other is a refusal.
 */
void
bd_change_attempt_finish (BdChangeAttempt *self,
                          const GError    *error)
{
  g_return_if_fail (BD_IS_CHANGE_ATTEMPT (self));

  if (error == NULL)
    settle (self, ACTIVITY_DONE, OUTCOME_NONE);
  else if (bd_client_error_is_outcome_unknown (error))
    settle (self, ACTIVITY_NONE, OUTCOME_UNKNOWN);
  else
    settle (self, ACTIVITY_NONE, OUTCOME_REFUSED);
}

/**
 * bd_change_attempt_succeeded:
 *
 * The read after no answer shows the change applied.
 */
void
bd_change_attempt_succeeded (BdChangeAttempt *self)
{
  g_return_if_fail (BD_IS_CHANGE_ATTEMPT (self));

  settle (self, ACTIVITY_DONE, OUTCOME_NONE);
}

/**
 * bd_change_attempt_refused:
 *
 * The read after no answer shows the subscription changed, but not as
 * asked: by someone else, so this request was not applied.
 */
void
bd_change_attempt_refused (BdChangeAttempt *self)
{
  g_return_if_fail (BD_IS_CHANGE_ATTEMPT (self));

  settle (self, ACTIVITY_NONE, OUTCOME_REFUSED);
}

/**
 * bd_change_attempt_reset:
 *
 * Forgets everything: idle, no key, nothing sent (a new form, or the
 * subscription is no longer in a state the change applies to).
 */
void
bd_change_attempt_reset (BdChangeAttempt *self)
{
  Snapshot before;

  g_return_if_fail (BD_IS_CHANGE_ATTEMPT (self));

  take_snapshot (self, &before);
  g_clear_pointer (&self->sent_form, g_variant_unref);
  g_clear_pointer (&self->idempotency_key, g_free);
  self->has_sent = FALSE;
  self->made_key = FALSE;
  self->activity = ACTIVITY_NONE;
  self->outcome = OUTCOME_NONE;
  notify_changes (self, &before);
}
