/* fuzz-client-answer.c: every shape of answer, as the client reads it.
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input: one byte for the shape (BdClientAnswerKind, modulo), one for
 * the HTTP status (an index into the table below), then the body.
 */

#include "config.h"

#include <libsoup/soup.h>

#include "bd-client-private.h"
#include "bd-fuzz.h"

#define BASE_URL "http://127.0.0.1:8421"
#define EXPECTED_ID "s1"

static const guint statuses[] = {
  200, 200, 200, 200, 200, 200, 200, 201, 204, 302, 400, 401, 403, 404, 409, 412,
  413, 415, 422, 428, 500, 502, 503, 504, 0, 100, 299, 300, 399, 418, 599, 999,
};

static GUri *base_uri;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  bd_fuzz_setup ();
  base_uri = g_uri_parse (BASE_URL, SOUP_HTTP_URI_FLAGS, NULL);
  g_assert (base_uri != NULL);
  return 0;
}

/* What the reader promises of an entry of the ledger. */
static void
check_operation (BdOperation *operation)
{
  BdMoney refund;
  const char *display_name = bd_operation_get_user_display_name (operation);
  const char *product_name = bd_operation_get_product_name (operation);
  gint64 from = 0, to = 0;
  BdStatus status = BD_STATUS_ACTIVE;
  gboolean has_detail = bd_operation_has_detail (operation);
  BdAction action = bd_operation_get_action (operation);

  bd_fuzz_check (BD_IS_OPERATION (operation));
  bd_fuzz_check (*bd_operation_get_id (operation) != '\0');
  bd_fuzz_check (*bd_operation_get_user_id (operation) != '\0');
  bd_fuzz_check (*bd_operation_get_subscription_id (operation) != '\0');
  bd_fuzz_check (bd_action_to_string (action) != NULL);
  bd_fuzz_check (display_name == NULL || g_utf8_validate (display_name, -1, NULL));
  bd_fuzz_check (product_name == NULL || g_utf8_validate (product_name, -1, NULL));
  bd_fuzz_check (bd_operation_get_cancel_reason (operation, NULL) ==
                 (action == BD_ACTION_CANCEL && has_detail));
  bd_fuzz_check (bd_operation_get_recurring_billing_change (operation, NULL, NULL) ==
                 (action == BD_ACTION_CHANGE_RECURRING_BILLING && has_detail));
  if (bd_operation_get_quantity_change (operation, &from, &to))
    bd_fuzz_check (from >= 0 && to >= 0);
  if (bd_operation_get_status_change (operation, NULL, &status))
    bd_fuzz_check (status == (action == BD_ACTION_DELETE ? BD_STATUS_DELETED
                                                         : BD_STATUS_ACTIVE));
  if (bd_operation_get_refund (operation, &refund, NULL))
    bd_fuzz_check (action == BD_ACTION_CANCEL && refund.amount >= 0 &&
                   bd_currency_is_valid (refund.currency));
}

static void
check_value (BdClientAnswerKind kind,
             gpointer           value)
{
  switch (kind)
    {
    case BD_CLIENT_ANSWER_ME:
      {
        BdClientMeAnswer *answer = value;

        bd_fuzz_check (BD_IS_USER (answer->user) && BD_IS_TENANT (answer->tenant));
      }
      break;
    case BD_CLIENT_ANSWER_BILLING_PROFILES:
      {
        GPtrArray *profiles = value;

        for (guint i = 0; i < profiles->len; i++)
          bd_fuzz_check (BD_IS_BILLING_PROFILE (g_ptr_array_index (profiles, i)));
      }
      break;
    case BD_CLIENT_ANSWER_LIST:
    case BD_CLIENT_ANSWER_OPERATIONS:
      {
        BdClientListAnswer *answer = value;

        bd_fuzz_check (answer->values != NULL);
        for (guint i = 0; i < answer->values->len; i++)
          {
            gpointer item = g_ptr_array_index (answer->values, i);

            if (kind == BD_CLIENT_ANSWER_LIST)
              bd_fuzz_check (BD_IS_SUBSCRIPTION (item));
            else
              check_operation (item);
          }
        /* the token only ever goes to the base URL's origin */
        if (answer->next_link != NULL)
          {
            g_autoptr(GUri) uri = g_uri_parse (answer->next_link, SOUP_HTTP_URI_FLAGS, NULL);

            bd_fuzz_check (uri != NULL);
            bd_fuzz_check (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0);
            bd_fuzz_check (g_ascii_strcasecmp (g_uri_get_host (uri), "127.0.0.1") == 0);
            bd_fuzz_check (g_uri_get_port (uri) == 8421);
            bd_fuzz_check (g_uri_get_userinfo (uri) == NULL);
          }
      }
      break;
    case BD_CLIENT_ANSWER_SUBSCRIPTION:
      bd_fuzz_check (g_strcmp0 (bd_subscription_get_id (value), EXPECTED_ID) == 0);
      break;
    case BD_CLIENT_ANSWER_CANCELLATION:
      bd_fuzz_check (BD_IS_CANCELLATION (value));
      break;
    case BD_CLIENT_ANSWER_CANCEL:
      {
        BdCancelAnswer *answer = value;

        bd_fuzz_check (g_strcmp0 (answer->subscription->id, EXPECTED_ID) == 0);
        if (answer->has_refund)
          bd_fuzz_check (answer->refund.amount >= 0);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  BdClientAnswerKind kind;
  GDestroyNotify value_free = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected_id = NULL;
  gpointer value;
  guint status;

  if (size < 2)
    return 0;

  kind = data[0] % BD_CLIENT_N_ANSWER_KINDS;
  status = statuses[data[1] % G_N_ELEMENTS (statuses)];
  if (kind == BD_CLIENT_ANSWER_SUBSCRIPTION || kind == BD_CLIENT_ANSWER_CANCEL)
    expected_id = EXPECTED_ID;

  value = _bd_client_read_answer (kind, base_uri, expected_id, status,
                                  (const char *) data + 2, size - 2, "fuzz",
                                  &value_free, &error);

  bd_fuzz_check ((value == NULL) == (error != NULL));
  if (value != NULL)
    {
      bd_fuzz_check (SOUP_STATUS_IS_SUCCESSFUL (status) && value_free != NULL);
      check_value (kind, value);
      value_free (value);
      return 0;
    }

  bd_fuzz_check (error->domain == BD_CLIENT_ERROR);
  bd_fuzz_check (error->message != NULL && *error->message != '\0');
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      bd_fuzz_check (error->code == BD_CLIENT_ERROR_BAD_ANSWER);
    }
  else
    {
      const char *target = bd_client_error_get_target (error);

      bd_fuzz_check (error->code == BD_CLIENT_ERROR_API);
      bd_fuzz_check (bd_client_error_get_http_status (error) == status);
      bd_fuzz_check (target == NULL || g_utf8_validate (target, -1, NULL));
    }

  return 0;
}
