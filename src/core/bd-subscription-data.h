/* bd-subscription-data.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-core-types.h"
#include "bd-money.h"

G_BEGIN_DECLS

#define BD_QUANTITY_MAX 100000

/* The plain state of a subscription, as the rules read it and the service
 * stores it. The fields after `status_changed_date` are what the API adds
 * for one user at one moment (bd_rules_annotate ()); they are not stored.
 */
typedef struct
{
  char               *id;
  char               *product_name;
  BdStatus            status;
  gboolean            is_trial;
  gboolean            is_domain_subscription;
  guint               quantity;
  guint               assigned_licenses;
  char               *billing_profile_id;     /* NULL: no billing profile */
  BdBillingFrequency  billing_frequency;
  BdMoney             unit_price;
  BdRecurringBilling  recurring_billing;
  BdPurchaseChannel   purchase_channel;
  gint64              start_date;
  gint64              last_renewal_date;
  gint64              term_end_date;
  gint64              status_changed_date;

  char               *etag;                   /* NULL: not known */
  gint64              next_lifecycle_date;     /* BD_TIME_NONE: none */
  gint64              cancellation_window_end; /* BD_TIME_NONE: none */
  guint               allowed_actions;         /* mask of BD_ACTION_MASK () */
  BdBlocker           action_blockers[BD_N_ACTIONS];
} BdSubscriptionData;

#define BD_ACTION_MASK(action) (1u << (action))

typedef enum
{
  /* A tenant file: relative dates, optional keys with their defaults. */
  BD_SUBSCRIPTION_JSON_TENANT_FILE,
  /* The API's subscription resource: every key, as the service answers. */
  BD_SUBSCRIPTION_JSON_API,
} BdSubscriptionJsonMode;

#define BD_TYPE_SUBSCRIPTION_DATA (bd_subscription_data_get_type ())

GType               bd_subscription_data_get_type        (void) G_GNUC_CONST;
BdSubscriptionData *bd_subscription_data_new             (void);
BdSubscriptionData *bd_subscription_data_copy            (const BdSubscriptionData  *data);
void                bd_subscription_data_free            (BdSubscriptionData        *data);
gboolean            bd_subscription_data_equal           (const BdSubscriptionData  *a,
                                                          const BdSubscriptionData  *b);
char               *bd_subscription_data_compute_etag    (const BdSubscriptionData  *data);
BdSubscriptionData *bd_subscription_data_read_json       (JsonNode                  *node,
                                                          const char                *path,
                                                          BdSubscriptionJsonMode     mode,
                                                          gint64                     now,
                                                          GError                   **error);
void                bd_subscription_data_to_json         (const BdSubscriptionData  *data,
                                                          BdSubscriptionJsonMode     mode,
                                                          JsonBuilder               *builder);
void                bd_subscription_data_append_api_json (const BdSubscriptionData  *data,
                                                          GString                   *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdSubscriptionData, bd_subscription_data_free)

G_END_DECLS
