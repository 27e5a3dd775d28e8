/* bd-client-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-client.h"

G_BEGIN_DECLS

/* The shapes of the service's answers, one per kind of request. */
typedef enum
{
  BD_CLIENT_ANSWER_ME,                /* BdClientMeAnswer */
  BD_CLIENT_ANSWER_BILLING_PROFILES,  /* GPtrArray of BdBillingProfile */
  BD_CLIENT_ANSWER_LIST,              /* BdClientListAnswer */
  BD_CLIENT_ANSWER_SUBSCRIPTION,      /* BdSubscription */
  BD_CLIENT_ANSWER_CANCELLATION,      /* BdCancellation */
  BD_CLIENT_ANSWER_CANCEL,            /* BdClientCancelAnswer */
} BdClientAnswerKind;

#define BD_CLIENT_N_ANSWER_KINDS (BD_CLIENT_ANSWER_CANCEL + 1)

typedef struct
{
  BdUser   *user;
  BdTenant *tenant;
  gint64    server_time;
} BdClientMeAnswer;

typedef struct
{
  GPtrArray *subscriptions;
  char      *next_link;
} BdClientListAnswer;

typedef struct
{
  BdSubscription *subscription;
  gboolean        has_refund;
  BdMoney         refund;
  BdRefundMethod  refund_method;
  gint64          deletable_from;
  gint64          deleted_by;
} BdClientCancelAnswer;

/* The parse step of every request, without I/O: the client and the fuzzer
 * (tests/fuzz/fuzz-client-answer.c) both call it.
 */
gpointer _bd_client_read_answer (BdClientAnswerKind   kind,
                                 GUri                *base_uri,
                                 const char          *expected_id,
                                 guint                status,
                                 const char          *data,
                                 gsize                length,
                                 const char          *what,
                                 GDestroyNotify      *value_free,
                                 GError             **error);

G_END_DECLS
