/* bd-core-types.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Times are whole seconds since the Unix epoch, UTC. */
#define BD_TIME_NONE G_MININT64

#define BD_SECONDS_PER_MINUTE ((gint64) 60)
#define BD_SECONDS_PER_HOUR   ((gint64) 3600)
#define BD_SECONDS_PER_DAY    ((gint64) 86400)

typedef struct _BdBillingProfile BdBillingProfile;
typedef struct _BdCancellation   BdCancellation;
typedef struct _BdDomain         BdDomain;
typedef struct _BdSubscription   BdSubscription;
typedef struct _BdTenant         BdTenant;
typedef struct _BdTenantFile     BdTenantFile;
typedef struct _BdUser           BdUser;

/* The enums below list their values in the order docs/api.md gives them
 * (blockers in rule 7's order; the error codes excepted, whose order
 * carries no meaning); each has bd_<enum>_to_string () and
 * bd_<enum>_from_string () for its API word.
 */

typedef enum
{
  BD_STATUS_ACTIVE,
  BD_STATUS_EXPIRED,
  BD_STATUS_DISABLED,
  BD_STATUS_DELETED,
} BdStatus;

typedef enum
{
  BD_RECURRING_BILLING_ON,
  BD_RECURRING_BILLING_RENEW_ONCE,
  BD_RECURRING_BILLING_OFF,
} BdRecurringBilling;

typedef enum
{
  BD_PURCHASE_CHANNEL_DIRECT,
  BD_PURCHASE_CHANNEL_PREPAID,
  BD_PURCHASE_CHANNEL_RESELLER,
} BdPurchaseChannel;

typedef enum
{
  BD_BILLING_FREQUENCY_MONTHLY,
  BD_BILLING_FREQUENCY_ANNUAL,
  BD_BILLING_FREQUENCY_TRIENNIAL,
} BdBillingFrequency;

typedef enum
{
  BD_ROLE_GLOBAL_ADMIN,
  BD_ROLE_BILLING_ADMIN,
  BD_ROLE_GLOBAL_READER,
  BD_ROLE_USER,
} BdRole;

/* A user's roles are a mask of these bits. */
#define BD_ROLE_MASK(role) (1u << (role))

typedef enum
{
  BD_PAYMENT_METHOD_INVOICE,
  BD_PAYMENT_METHOD_CARD,
} BdPaymentMethod;

typedef enum
{
  BD_CLOUD_WORLDWIDE,
  BD_CLOUD_21VIANET,
} BdCloud;

typedef enum
{
  BD_CANCEL_REASON_TOO_EXPENSIVE,
  BD_CANCEL_REASON_NO_LONGER_NEEDED,
  BD_CANCEL_REASON_SWITCHING_TO_OTHER_MICROSOFT_PRODUCT,
  BD_CANCEL_REASON_SWITCHING_TO_COMPETITOR,
  BD_CANCEL_REASON_MISSING_FEATURES,
  BD_CANCEL_REASON_TOO_DIFFICULT,
  BD_CANCEL_REASON_TEMPORARY_PROJECT_ENDED,
  BD_CANCEL_REASON_OTHER,
} BdCancelReason;

/* Listed in the order of rule 7: a refused cancel answers with the first. */
typedef enum
{
  BD_BLOCKER_NONE,
  BD_BLOCKER_INSUFFICIENT_ROLE,
  BD_BLOCKER_INVALID_STATE,
  BD_BLOCKER_NOT_ACTIVE,
  BD_BLOCKER_DOMAIN_SUBSCRIPTION,
  BD_BLOCKER_PURCHASED_THROUGH_PARTNER,
  BD_BLOCKER_CUSTOM_DOMAIN_ATTACHED,
  BD_BLOCKER_CANCELLATION_WINDOW_CLOSED,
  BD_BLOCKER_TOO_MANY_LICENSES,
  BD_BLOCKER_LICENSES_ASSIGNED,
  BD_BLOCKER_QUANTITY_LOCKED,
} BdBlocker;

typedef enum
{
  BD_ALTERNATIVE_TURN_OFF_RECURRING_BILLING,
  BD_ALTERNATIVE_REDUCE_LICENSES,
  BD_ALTERNATIVE_REMOVE_DOMAIN,
  BD_ALTERNATIVE_CONTACT_SELLER,
  BD_ALTERNATIVE_CONTACT_SUPPORT,
  BD_ALTERNATIVE_REACTIVATE,
} BdAlternative;

typedef enum
{
  BD_ACTION_CANCEL,
  BD_ACTION_CHANGE_RECURRING_BILLING,
  BD_ACTION_CHANGE_QUANTITY,
  BD_ACTION_REACTIVATE,
  BD_ACTION_DELETE,
} BdAction;

#define BD_N_ACTIONS (BD_ACTION_DELETE + 1)

typedef enum
{
  BD_REFUND_METHOD_CREDIT_NEXT_INVOICE,
  BD_REFUND_METHOD_REFUND_NEXT_CYCLE,
} BdRefundMethod;

/* The order of GET /v1/operations (`order=oldest`, the default, or `newest`). */
typedef enum
{
  BD_OPERATIONS_ORDER_OLDEST,
  BD_OPERATIONS_ORDER_NEWEST,
} BdOperationsOrder;

/* The API's error codes (docs/api.md, "Error codes"), with their HTTP status. */
typedef enum
{
  BD_ERROR_CODE_INVALID_REQUEST,
  BD_ERROR_CODE_UNAUTHENTICATED,
  BD_ERROR_CODE_FORBIDDEN,
  BD_ERROR_CODE_NOT_FOUND,
  BD_ERROR_CODE_CANCELLATION_WINDOW_CLOSED,
  BD_ERROR_CODE_TOO_MANY_LICENSES,
  BD_ERROR_CODE_CUSTOM_DOMAIN_ATTACHED,
  BD_ERROR_CODE_DOMAIN_SUBSCRIPTION,
  BD_ERROR_CODE_PURCHASED_THROUGH_PARTNER,
  BD_ERROR_CODE_NOT_ACTIVE,
  BD_ERROR_CODE_LICENSES_ASSIGNED,
  BD_ERROR_CODE_QUANTITY_LOCKED,
  BD_ERROR_CODE_INVALID_STATE,
  BD_ERROR_CODE_PRECONDITION_FAILED,
  BD_ERROR_CODE_PAYLOAD_TOO_LARGE,
  BD_ERROR_CODE_UNSUPPORTED_MEDIA_TYPE,
  BD_ERROR_CODE_IDEMPOTENCY_KEY_REUSED,
  BD_ERROR_CODE_PRECONDITION_REQUIRED,
  BD_ERROR_CODE_IDEMPOTENCY_KEY_REQUIRED,
  BD_ERROR_CODE_INTERNAL_ERROR,
  BD_ERROR_CODE_UNAVAILABLE,
  /* The same Idempotency-Key is being applied by another request (another
   * instance): its outcome is not known yet. Never stored.
   */
  BD_ERROR_CODE_REQUEST_IN_PROGRESS,
  /* A code this version does not know (a newer service): kept as text. */
  BD_ERROR_CODE_UNKNOWN,
} BdErrorCode;

const char *bd_status_to_string              (BdStatus            value);
gboolean    bd_status_from_string            (const char         *str,
                                              BdStatus           *value);
const char *bd_recurring_billing_to_string   (BdRecurringBilling  value);
gboolean    bd_recurring_billing_from_string (const char         *str,
                                              BdRecurringBilling *value);
const char *bd_purchase_channel_to_string    (BdPurchaseChannel   value);
gboolean    bd_purchase_channel_from_string  (const char         *str,
                                              BdPurchaseChannel  *value);
const char *bd_billing_frequency_to_string   (BdBillingFrequency  value);
gboolean    bd_billing_frequency_from_string (const char         *str,
                                              BdBillingFrequency *value);
const char *bd_role_to_string                (BdRole              value);
gboolean    bd_role_from_string              (const char         *str,
                                              BdRole             *value);
const char *bd_payment_method_to_string      (BdPaymentMethod     value);
gboolean    bd_payment_method_from_string    (const char         *str,
                                              BdPaymentMethod    *value);
const char *bd_cloud_to_string               (BdCloud             value);
gboolean    bd_cloud_from_string             (const char         *str,
                                              BdCloud            *value);
const char *bd_cancel_reason_to_string       (BdCancelReason      value);
gboolean    bd_cancel_reason_from_string     (const char         *str,
                                              BdCancelReason     *value);
const char *bd_blocker_to_string             (BdBlocker           value);
gboolean    bd_blocker_from_string           (const char         *str,
                                              BdBlocker          *value);
const char *bd_alternative_to_string         (BdAlternative       value);
gboolean    bd_alternative_from_string       (const char         *str,
                                              BdAlternative      *value);
const char *bd_action_to_string              (BdAction            value);
gboolean    bd_action_from_string            (const char         *str,
                                              BdAction           *value);
const char *bd_refund_method_to_string       (BdRefundMethod      value);
gboolean    bd_refund_method_from_string     (const char         *str,
                                              BdRefundMethod     *value);
const char *bd_operations_order_to_string    (BdOperationsOrder   value);
gboolean    bd_operations_order_from_string  (const char         *str,
                                              BdOperationsOrder  *value);
const char *bd_error_code_to_string          (BdErrorCode         value);
gboolean    bd_error_code_from_string        (const char         *str,
                                              BdErrorCode        *value);
guint       bd_error_code_get_http_status    (BdErrorCode         value);
BdErrorCode bd_blocker_get_error_code        (BdBlocker           value);
gboolean    bd_blocker_can_stop              (BdBlocker           value,
                                              BdAction            action);

G_END_DECLS
