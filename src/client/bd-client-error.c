/* bd-client-error.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-client-error"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "bd-client-private.h"

/* What a BD_CLIENT_ERROR carries besides its sentence. */
typedef struct
{
  BdErrorCode  api_code;
  guint        http_status;
  char        *target;
  gboolean     maybe_applied;  /* a change whose answer does not say whether it was
                               * applied: 2xx unreadable, any 5xx, requestInProgress */
} BdClientErrorPrivate;

static void
bd_client_error_private_init (BdClientErrorPrivate *priv)
{
  priv->api_code = BD_ERROR_CODE_UNKNOWN;
  priv->http_status = 0;
  priv->target = NULL;
  priv->maybe_applied = FALSE;
}

static void
bd_client_error_private_copy (const BdClientErrorPrivate *src,
                              BdClientErrorPrivate       *dest)
{
  dest->api_code = src->api_code;
  dest->http_status = src->http_status;
  dest->target = g_strdup (src->target);
  dest->maybe_applied = src->maybe_applied;
}

static void
bd_client_error_private_clear (BdClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->target, g_free);
}

G_DEFINE_EXTENDED_ERROR (BdClientError, bd_client_error)

/* The one table of what the app says when a request fails: a sentence for
 * a person that says what to do next, for each way the exchange itself can
 * fail (here) and for each of the API's error codes (describe_api_code ());
 * never the server's text. The UI shows error->message as it is.
 */
static const char *
describe_failure (BdClientError kind)
{
  switch (kind)
    {
    case BD_CLIENT_ERROR_UNREACHABLE:
      /* Nothing of the request was sent. */
      return _("The billing service could not be reached. Nothing was changed; try again.");
    case BD_CLIENT_ERROR_TIMEOUT:
      return _("The billing service did not answer in time, so the result is not known yet.");
    case BD_CLIENT_ERROR_CONNECTION_LOST:
      return _("The connection to the billing service was lost, "
               "so the result is not known yet.");
    case BD_CLIENT_ERROR_BAD_ANSWER:
      return _("The billing service sent an answer Billing Desk could not read.");
    case BD_CLIENT_ERROR_UNTRUSTED_CERTIFICATE:
      /* Nothing of the request was sent; the cancel pane adds "Nothing was changed." */
      return _("The billing service’s certificate is not trusted, so Billing Desk did not "
               "connect. If the service uses your organization’s own certificate authority, "
               "start Billing Desk with --tls-ca-file.");
    case BD_CLIENT_ERROR_INSECURE_URL:
      return _("Billing Desk does not send your sign-in unencrypted to another computer. "
               "Use an https:// address for the billing service.");
    case BD_CLIENT_ERROR_API:
    default:
      return NULL;
    }
}

static const char *
describe_api_code (BdErrorCode code)
{
  switch (code)
    {
    case BD_ERROR_CODE_INVALID_REQUEST:
      return _("The billing service did not accept the request. "
               "Check what you entered and try again.");
    case BD_ERROR_CODE_UNAUTHENTICATED:
      /* The app has no Sign In Again yet: a new token means a new start.
       * The products page's Signed Out says the same (bd-products-page.ui).
       */
      return _("The billing service no longer accepts this account’s token. Ask your "
               "administrator for a new token, then start Billing Desk with it.");
    case BD_ERROR_CODE_FORBIDDEN:
      return _("You don't have permission to do this. "
               "Only Global admins and Billing admins can make changes.");
    case BD_ERROR_CODE_NOT_FOUND:
      return _("The subscription could not be found. "
               "It may have been removed; refresh the list.");
    case BD_ERROR_CODE_CANCELLATION_WINDOW_CLOSED:
      return _("The 7-day refund window has closed. "
               "You can turn off recurring billing instead.");
    case BD_ERROR_CODE_TOO_MANY_LICENSES:
      return _("A subscription with more than 25 licenses can't be cancelled. "
               "Reduce the licenses to 25 or fewer, or turn off recurring billing.");
    case BD_ERROR_CODE_CUSTOM_DOMAIN_ATTACHED:
      return _("A custom domain is attached to this subscription. "
               "Remove the domain before you cancel.");
    case BD_ERROR_CODE_DOMAIN_SUBSCRIPTION:
      return _("A domain subscription can't be cancelled. "
               "You can turn off recurring billing instead.");
    case BD_ERROR_CODE_PURCHASED_THROUGH_PARTNER:
      return _("This subscription was bought through a partner. "
               "Contact the seller to cancel it.");
    case BD_ERROR_CODE_NOT_ACTIVE:
      return _("This subscription is not active, so this can't be changed now.");
    case BD_ERROR_CODE_LICENSES_ASSIGNED:
      return _("More licenses are assigned to users than that. Unassign licenses first.");
    case BD_ERROR_CODE_QUANTITY_LOCKED:
      return _("The number of licenses of this subscription can't be changed.");
    case BD_ERROR_CODE_INVALID_STATE:
      return _("This can't be done in the subscription's current state. "
               "Refresh to see its state.");
    case BD_ERROR_CODE_PRECONDITION_FAILED:
      /* The caller reloads the subscription on this code. */
      return _("Someone else changed this subscription. It has been reloaded.");
    case BD_ERROR_CODE_PAYLOAD_TOO_LARGE:
      return _("The request was too large for the billing service. "
               "Shorten what you entered and try again.");
    case BD_ERROR_CODE_UNSUPPORTED_MEDIA_TYPE:
    case BD_ERROR_CODE_PRECONDITION_REQUIRED:
    case BD_ERROR_CODE_IDEMPOTENCY_KEY_REQUIRED:
      return _("The billing service did not understand the request. "
               "Billing Desk may need to be updated.");
    case BD_ERROR_CODE_IDEMPOTENCY_KEY_REUSED:
      return _("This request does not match the earlier attempt it repeats. "
               "Refresh the subscription and try again.");
    case BD_ERROR_CODE_INTERNAL_ERROR:
      return _("The billing service ran into a problem. Try again later.");
    case BD_ERROR_CODE_UNAVAILABLE:
    case BD_ERROR_CODE_REQUEST_IN_PROGRESS:
      /* A change answered so gets its own sentence: _bd_client_error_for_change (). */
      return _("The billing service is not available right now. Try again later.");
    case BD_ERROR_CODE_UNKNOWN:
    default:
      return _("The billing service refused the request for a reason "
               "this version of Billing Desk does not know.");
    }
}

static const char *
describe_code (BdClientError kind,
               BdErrorCode   code)
{
  const char *sentence = describe_failure (kind);

  return sentence != NULL ? sentence : describe_api_code (code);
}

/**
 * _bd_client_error_new:
 * @kind: how the request failed
 * @api_code: the API's error code, for %BD_CLIENT_ERROR_API
 * @http_status: the answer's HTTP status, or 0
 * @target: (nullable): the error document's `target`
 *
 * Returns: (transfer full): a %BD_CLIENT_ERROR with the sentence for @kind
 *   and @api_code as its message
 */
GError *
_bd_client_error_new (BdClientError  kind,
                      BdErrorCode    api_code,
                      guint          http_status,
                      const char    *target)
{
  GError *error = g_error_new_literal (BD_CLIENT_ERROR, kind, describe_code (kind, api_code));
  BdClientErrorPrivate *priv = bd_client_error_get_private (error);

  priv->api_code = api_code;
  priv->http_status = http_status;
  priv->target = g_strdup (target);

  return error;
}

/**
 * _bd_client_error_new_bad_answer:
 *
 * Returns: (transfer full): a %BD_CLIENT_ERROR_BAD_ANSWER about no answer
 *   in particular
 */
GError *
_bd_client_error_new_bad_answer (void)
{
  return _bd_client_error_new (BD_CLIENT_ERROR_BAD_ANSWER, BD_ERROR_CODE_UNKNOWN, 0, NULL);
}

/**
 * _bd_client_error_new_unreadable:
 * @status: the HTTP status of the answer
 * @method: the request's method
 *
 * The answer could not be read (not JSON, the wrong shape, too large). A
 * change the service answered with success or with a 5xx has been applied,
 * or may have been: its outcome is unknown, as after a lost connection, and
 * the same request with the same key is what tells.
 *
 * Returns: (transfer full): a %BD_CLIENT_ERROR_BAD_ANSWER
 */
GError *
_bd_client_error_new_unreadable (guint       status,
                                 const char *method)
{
  GError *error;

  /* A 5xx to a change tells nothing of the change whatever its body (as
   * in _bd_client_error_for_change ()), even one too large to read.
   */
  if ((!SOUP_STATUS_IS_SUCCESSFUL (status) && status < 500) || g_str_equal (method, "GET") ||
      g_str_equal (method, "HEAD"))
    {
      error = _bd_client_error_new_bad_answer ();
      bd_client_error_get_private (error)->http_status = status;
      return error;
    }

  if (status >= 500)
    error = g_error_new_literal (BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER,
                                 _("The billing service had a problem, so the result is not "
                                   "known yet."));
  else
    error = g_error_new_literal (BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER,
                                 _("The billing service sent an answer Billing Desk could not "
                                   "read, so the result is not known yet."));
  bd_client_error_get_private (error)->http_status = status;
  bd_client_error_get_private (error)->maybe_applied = TRUE;
  return error;
}

/**
 * _bd_client_error_for_change:
 * @error: (transfer full): how a request failed
 * @method: the request's method
 *
 * A change (POST, PATCH, DELETE) answered with any 5xx — the service's own
 * 500 or 503, or a proxy's 502, 503 or 504, with an error document, a page
 * or nothing — or with 409 `requestInProgress` may have been applied, or
 * may be being applied: a proxy may have lost the answer of a change the
 * service committed, and the service's 5xx says nothing of what another
 * instance did with the same key. Its outcome is unknown, never "nothing
 * was changed" (docs/design.md section 4). A read keeps its error: it
 * changed nothing either way.
 *
 * Returns: (transfer full): @error, or an error about the same answer for
 *   which bd_client_error_is_outcome_unknown () holds
 */
GError *
_bd_client_error_for_change (GError     *error,
                             const char *method)
{
  BdClientErrorPrivate *priv;
  const char *sentence;
  GError *unknown;
  guint status;
  BdErrorCode code;

  if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD") ||
      !g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_API))
    return error;

  priv = bd_client_error_get_private (error);
  status = priv->http_status;
  code = priv->api_code;
  if (status < 500 && code != BD_ERROR_CODE_REQUEST_IN_PROGRESS)
    return error;

  /* A 5xx: the service (or a proxy before it) had an error of its own,
   * which says nothing of the change.
   */
  if (status >= 500)
    sentence = _("The billing service had a problem, so the result is not known yet.");
  else
    sentence = _("The billing service did not answer, so the result is not known yet.");
  unknown = g_error_new_literal (BD_CLIENT_ERROR, BD_CLIENT_ERROR_API, sentence);
  bd_client_error_private_copy (priv, bd_client_error_get_private (unknown));
  bd_client_error_get_private (unknown)->maybe_applied = TRUE;
  g_error_free (error);

  return unknown;
}

/*
 * Public API
 */

/**
 * bd_client_error_get_api_code:
 * @error: (nullable): an error
 *
 * Returns: the API's error code of a %BD_CLIENT_ERROR_API, else
 *   %BD_ERROR_CODE_UNKNOWN
 */
BdErrorCode
bd_client_error_get_api_code (const GError *error)
{
  if (error == NULL || error->domain != BD_CLIENT_ERROR)
    return BD_ERROR_CODE_UNKNOWN;

  return bd_client_error_get_private (error)->api_code;
}

/**
 * bd_client_error_get_http_status:
 * @error: (nullable): an error
 *
 * Returns: the HTTP status of the answer the error is about, or 0
 */
guint
bd_client_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != BD_CLIENT_ERROR)
    return 0;

  return bd_client_error_get_private (error)->http_status;
}

/**
 * bd_client_error_get_target:
 * @error: (nullable): an error
 *
 * Returns: (nullable): the error document's `target` (a body field, query
 *   parameter or header), or %NULL
 */
const char *
bd_client_error_get_target (const GError *error)
{
  if (error == NULL || error->domain != BD_CLIENT_ERROR)
    return NULL;

  return bd_client_error_get_private (error)->target;
}

/**
 * bd_client_error_is_outcome_unknown:
 * @error: (nullable): an error
 *
 * Whether the request may or may not have been applied: it timed out or its
 * connection dropped after it was sent, or the service answered a change
 * with success in words that could not be read, with any 5xx (its own or a
 * proxy's) or with 409 `requestInProgress`. Check Again resends it with the
 * same Idempotency-Key, or reads the subscription first for a PATCH
 * (docs/design.md section 4).
 */
gboolean
bd_client_error_is_outcome_unknown (const GError *error)
{
  return g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_TIMEOUT) ||
         g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_CONNECTION_LOST) ||
         ((g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_BAD_ANSWER) ||
           g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_API)) &&
          bd_client_error_get_private (error)->maybe_applied);
}
