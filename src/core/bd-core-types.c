/* bd-core-types.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-core-types"

#include "config.h"

#include <string.h>

#include "bd-core-types.h"

/* The API words of each enum, indexed by value (docs/api.md lists them). */

static const char * const status_words[] = {
  "active", "expired", "disabled", "deleted",
};

static const char * const recurring_billing_words[] = {
  "on", "renewOnce", "off",
};

static const char * const purchase_channel_words[] = {
  "direct", "prepaid", "reseller",
};

static const char * const billing_frequency_words[] = {
  "monthly", "annual", "triennial",
};

static const char * const role_words[] = {
  "globalAdmin", "billingAdmin", "globalReader", "user",
};

static const char * const payment_method_words[] = {
  "invoice", "card",
};

static const char * const cloud_words[] = {
  "worldwide", "21vianet",
};

static const char * const cancel_reason_words[] = {
  "tooExpensive", "noLongerNeeded", "switchingToOtherMicrosoftProduct",
  "switchingToCompetitor", "missingFeatures", "tooDifficult",
  "temporaryProjectEnded", "other",
};

/* BD_BLOCKER_NONE has no word. */
static const char * const blocker_words[] = {
  NULL, "insufficientRole", "invalidState", "notActive", "domainSubscription",
  "purchasedThroughPartner", "customDomainAttached", "cancellationWindowClosed",
  "tooManyLicenses", "licensesAssigned", "quantityLocked",
};

static const char * const alternative_words[] = {
  "turnOffRecurringBilling", "reduceLicenses", "removeDomain", "contactSeller",
  "contactSupport", "reactivate",
};

static const char * const action_words[] = {
  "cancel", "changeRecurringBilling", "changeQuantity", "reactivate", "delete",
};

static const char * const refund_method_words[] = {
  "creditNextInvoice", "refundNextCycle",
};

static const char * const operations_order_words[] = {
  "oldest", "newest",
};

static const struct {
  const char *word;
  guint       http_status;
} error_codes[] = {
  { "invalidRequest", 400 },
  { "unauthenticated", 401 },
  { "forbidden", 403 },
  { "notFound", 404 },
  { "cancellationWindowClosed", 409 },
  { "tooManyLicenses", 409 },
  { "customDomainAttached", 409 },
  { "domainSubscription", 409 },
  { "purchasedThroughPartner", 409 },
  { "notActive", 409 },
  { "licensesAssigned", 409 },
  { "quantityLocked", 409 },
  { "invalidState", 409 },
  { "preconditionFailed", 412 },
  { "payloadTooLarge", 413 },
  { "unsupportedMediaType", 415 },
  { "idempotencyKeyReused", 422 },
  { "preconditionRequired", 428 },
  { "idempotencyKeyRequired", 400 },
  { "internalError", 500 },
  { "unavailable", 503 },
  { "requestInProgress", 409 },
};

static const char *
word_of (const char * const *words,
         gsize               n_words,
         int                 value)
{
  if (value < 0 || (gsize) value >= n_words)
    return NULL;
  return words[value];
}

static gboolean
value_of (const char * const *words,
          gsize               n_words,
          const char         *str,
          int                *value)
{
  if (str == NULL)
    return FALSE;

  for (gsize i = 0; i < n_words; i++)
    {
      if (words[i] != NULL && strcmp (words[i], str) == 0)
        {
          *value = (int) i;
          return TRUE;
        }
    }

  return FALSE;
}

#define DEFINE_WORDS(Type, type, words)                                     \
  const char *                                                              \
  bd_##type##_to_string (Type value)                                        \
  {                                                                         \
    return word_of (words, G_N_ELEMENTS (words), (int) value);              \
  }                                                                         \
                                                                            \
  gboolean                                                                  \
  bd_##type##_from_string (const char *str,                                 \
                           Type       *value)                               \
  {                                                                         \
    int v;                                                                  \
                                                                            \
    g_return_val_if_fail (value != NULL, FALSE);                            \
                                                                            \
    if (!value_of (words, G_N_ELEMENTS (words), str, &v))                   \
      return FALSE;                                                         \
    *value = (Type) v;                                                      \
    return TRUE;                                                            \
  }

DEFINE_WORDS (BdStatus, status, status_words)
DEFINE_WORDS (BdRecurringBilling, recurring_billing, recurring_billing_words)
DEFINE_WORDS (BdPurchaseChannel, purchase_channel, purchase_channel_words)
DEFINE_WORDS (BdBillingFrequency, billing_frequency, billing_frequency_words)
DEFINE_WORDS (BdRole, role, role_words)
DEFINE_WORDS (BdPaymentMethod, payment_method, payment_method_words)
DEFINE_WORDS (BdCloud, cloud, cloud_words)
DEFINE_WORDS (BdCancelReason, cancel_reason, cancel_reason_words)
DEFINE_WORDS (BdBlocker, blocker, blocker_words)
DEFINE_WORDS (BdAlternative, alternative, alternative_words)
DEFINE_WORDS (BdAction, action, action_words)
DEFINE_WORDS (BdRefundMethod, refund_method, refund_method_words)
DEFINE_WORDS (BdOperationsOrder, operations_order, operations_order_words)

const char *
bd_error_code_to_string (BdErrorCode value)
{
  if ((gsize) value >= G_N_ELEMENTS (error_codes))
    return NULL;
  return error_codes[value].word;
}

gboolean
bd_error_code_from_string (const char  *str,
                           BdErrorCode *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (error_codes); i++)
    {
      if (strcmp (error_codes[i].word, str) == 0)
        {
          *value = (BdErrorCode) i;
          return TRUE;
        }
    }

  return FALSE;
}

guint
bd_error_code_get_http_status (BdErrorCode value)
{
  if ((gsize) value >= G_N_ELEMENTS (error_codes))
    return 500;
  return error_codes[value].http_status;
}

/**
 * bd_blocker_get_error_code:
 *
 * The error code a refused request answers with when @value stops it.
 * An insufficient role is answered 403 `forbidden` (rule 7).
 */
BdErrorCode
bd_blocker_get_error_code (BdBlocker value)
{
  BdErrorCode code = BD_ERROR_CODE_INTERNAL_ERROR;

  if (value == BD_BLOCKER_INSUFFICIENT_ROLE)
    return BD_ERROR_CODE_FORBIDDEN;

  if (!bd_error_code_from_string (bd_blocker_to_string (value), &code))
    return BD_ERROR_CODE_INTERNAL_ERROR;

  return code;
}

/**
 * bd_blocker_can_stop:
 *
 * Returns: whether @value is a blocker that can stop @action as a whole:
 *   what bd_rules_first_blocker () may answer for it (and, for a cancel,
 *   what may stand among its blockers)
 */
gboolean
bd_blocker_can_stop (BdBlocker value,
                     BdAction  action)
{
  switch (value)
    {
    case BD_BLOCKER_INSUFFICIENT_ROLE:
    case BD_BLOCKER_INVALID_STATE:
      return TRUE;
    case BD_BLOCKER_NOT_ACTIVE:
      return action == BD_ACTION_CANCEL || action == BD_ACTION_CHANGE_RECURRING_BILLING ||
             action == BD_ACTION_CHANGE_QUANTITY;
    case BD_BLOCKER_QUANTITY_LOCKED:
      return action == BD_ACTION_CHANGE_QUANTITY;
    case BD_BLOCKER_DOMAIN_SUBSCRIPTION:
    case BD_BLOCKER_PURCHASED_THROUGH_PARTNER:
    case BD_BLOCKER_CUSTOM_DOMAIN_ATTACHED:
    case BD_BLOCKER_CANCELLATION_WINDOW_CLOSED:
    case BD_BLOCKER_TOO_MANY_LICENSES:
      return action == BD_ACTION_CANCEL;
    case BD_BLOCKER_NONE:
    case BD_BLOCKER_LICENSES_ASSIGNED:
    default:
      /* licensesAssigned stops one quantity, never the action. */
      return FALSE;
    }
}
