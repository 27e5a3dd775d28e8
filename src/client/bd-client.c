/* bd-client.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-client"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "bd-client-private.h"

#define USER_AGENT "billing-desk/" PACKAGE_VERSION

/* Idle keep-alive connections are closed after this long. Only GET and
 * DELETE reuse one: libsoup 3 opens a new connection for every POST and
 * PATCH (not idempotent), so a stale connection never eats a cancel.
 */
#define IDLE_TIMEOUT_SECONDS 30

G_DEFINE_FINAL_TYPE (BdClient, bd_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_CONNECT_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_TLS_DATABASE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  SUBSCRIPTION_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];


/*
 * GObject overrides
 */

static void
bd_client_dispose (GObject *object)
{
  BdClient *self = (BdClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (bd_client_parent_class)->dispose (object);
}

static void
bd_client_finalize (GObject *object)
{
  BdClient *self = (BdClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->authorization, g_free);

  G_OBJECT_CLASS (bd_client_parent_class)->finalize (object);
}

static void
bd_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BdClient *self = BD_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;

    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;

    case PROP_TLS_DATABASE:
      g_value_set_object (value, self->tls_database);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_base_url (BdClient   *self,
              const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  gsize length;

  self->base_url = g_strdup (base_url != NULL ? base_url : "");
  length = strlen (self->base_url);
  while (length > 0 && self->base_url[length - 1] == '/')
    self->base_url[--length] = '\0';

  uri = g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri != NULL &&
      (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 ||
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0) &&
      g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
      g_uri_get_userinfo (uri) == NULL &&
      g_uri_get_query (uri) == NULL &&
      g_uri_get_fragment (uri) == NULL)
    self->base_uri = g_steal_pointer (&uri);
  else
    g_debug ("Not an http(s) base URL: %s", self->base_url);

  /* No proxy stands between the app and a service on this computer, so
   * none is looked up: the default resolver (libproxy) costs a lookup on a
   * thread before each new connection, the first one loading its modules
   * too, which the first page of a launch waited for (docs/design.md,
   * "Launch").
   */
  if (self->base_uri != NULL && _bd_client_is_loopback_host (g_uri_get_host (self->base_uri)))
    soup_session_set_proxy_resolver (self->session, NULL);
}

static void
set_token (BdClient   *self,
           const char *token)
{
  if (token == NULL)
    return;

  /* A token that could break the header line is never sent; the service
   * then answers 401 as for any unknown token.
   */
  if (!_bd_client_is_header_value (token, G_MAXSIZE) || strchr (token, ' ') != NULL)
    {
      g_debug ("Token not sent: it is not printable ASCII without spaces");
      return;
    }

  self->authorization = g_strconcat ("Bearer ", token, NULL);
}

static void
bd_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BdClient *self = BD_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      set_base_url (self, g_value_get_string (value));
      break;

    case PROP_TOKEN:
      set_token (self, g_value_get_string (value));
      break;

    case PROP_CONNECT_TIMEOUT:
      if (self->connect_timeout != g_value_get_uint (value))
        {
          self->connect_timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_REQUEST_TIMEOUT:
      if (self->request_timeout != g_value_get_uint (value))
        {
          self->request_timeout = g_value_get_uint (value);
          soup_session_set_timeout (self->session, self->request_timeout);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_TLS_DATABASE:
      /* NULL keeps libsoup's default: the system's certificate authorities. */
      self->tls_database = g_value_dup_object (value);
      if (self->tls_database != NULL)
        soup_session_set_tls_database (self->session, self->tls_database);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_client_class_init (BdClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bd_client_dispose;
  object_class->finalize = bd_client_finalize;
  object_class->get_property = bd_client_get_property;
  object_class->set_property = bd_client_set_property;

  /**
   * BdClient:base-url:
   *
   * The service's URL, such as `http://127.0.0.1:8421`, without trailing
   * slashes.
   */
  properties [PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * BdClient:token:
   *
   * The bearer token, sent with every request. Write-only: it is never
   * read back or logged.
   */
  properties [PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * BdClient:connect-timeout:
   *
   * Seconds a request may wait for its connection; 0 for no limit. Tests
   * shorten it.
   */
  properties [PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       0, G_MAXUINT, BD_CLIENT_CONNECT_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * BdClient:request-timeout:
   *
   * Seconds each read or write of a request may wait (the session's
   * "timeout"); 0 for no limit. Tests shorten it.
   */
  properties [PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL,
                       0, G_MAXUINT, BD_CLIENT_REQUEST_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * BdClient:tls-database:
   *
   * The certificate authorities an https service's certificate is verified
   * against, such as a #BdTlsDatabase with a private CA; %NULL for the
   * system's. Verification is never turned off.
   */
  properties [PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL,
                         G_TYPE_TLS_DATABASE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* BdClient::subscription-changed (id): a change sent through this client
   * (cancel, PATCH, reactivate, delete) was answered with success, after its
   * caller had the answer: that subscription and the ledger changed. */
  signals [SUBSCRIPTION_CHANGED] =
    g_signal_new ("subscription-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
bd_client_init (BdClient *self)
{
  self->connect_timeout = BD_CLIENT_CONNECT_TIMEOUT_SECONDS;
  self->request_timeout = BD_CLIENT_REQUEST_TIMEOUT_SECONDS;
  self->session = soup_session_new_with_options ("timeout", self->request_timeout,
                                                 "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                                 "user-agent", USER_AGENT,
                                                 NULL);
}

/* Sends a GET of @uri, its answer read as @answer_kind. */
static void
send_get (BdClient           *self,
          GTask              *task,
          GUri               *uri,
          BdClientAnswerKind  answer_kind,
          const char         *expected_id)
{
  _bd_client_send_request (self, task, SOUP_METHOD_GET, uri, NULL, NULL, NULL, answer_kind,
                           expected_id);
}

void
_bd_client_emit_subscription_changed (BdClient   *self,
                                      const char *id)
{
  g_signal_emit (self, signals [SUBSCRIPTION_CHANGED], 0, id);
}

/**
 * _bd_client_send_page:
 * @next_link: (nullable): the `nextLink` of the previous page, or %NULL
 * @top: the page size; 0 with @next_link: its own
 * @first_query: the first page's query
 *
 * Sends a GET of a list's page: @path with @first_query, or @next_link
 * (only on the base URL's origin, else %BD_CLIENT_ERROR_BAD_ANSWER).
 */
void
_bd_client_send_page (BdClient           *self,
                      GTask              *task,
                      const char         *next_link,
                      guint               top,
                      const char         *path,
                      const char         *first_query,
                      BdClientAnswerKind  answer_kind)
{
  g_autoptr(GUri) uri = NULL;

  if (next_link != NULL && self->base_uri != NULL)
    {
      uri = _bd_client_next_page_uri (self, next_link, top);
      if (uri == NULL)
        {
          g_task_return_error (task, _bd_client_error_new_bad_answer ());
          g_object_unref (task);
          return;
        }
    }
  else if (next_link == NULL)
    {
      uri = _bd_client_build_uri (self, path, first_query);
    }

  send_get (self, task, uri, answer_kind, NULL);
}

/* The values of a page and its nextLink. */
GPtrArray *
_bd_client_page_finish (BdClient      *self,
                        GAsyncResult  *result,
                        gpointer       source_tag,
                        char         **next_link,
                        GError       **error)
{
  g_autoptr(BdClientListAnswer) answer = NULL;

  if (next_link != NULL)
    *next_link = NULL;

  answer = _bd_client_propagate (self, result, source_tag, error);
  if (answer == NULL)
    return NULL;

  if (next_link != NULL)
    *next_link = g_steal_pointer (&answer->next_link);

  return g_steal_pointer (&answer->values);
}

/*
 * Public API
 */

/**
 * bd_client_new_idempotency_key:
 *
 * Returns: (transfer full): a new random key for one user action
 */
char *
bd_client_new_idempotency_key (void)
{
  return g_uuid_string_random ();
}

/**
 * bd_client_new:
 * @base_url: the service's URL, such as `http://127.0.0.1:8421`
 * @token: (nullable): the bearer token
 *
 * A @base_url that is not an http(s) URL is not refused here: every request
 * then fails with %BD_CLIENT_ERROR_UNREACHABLE; one of plain http to another
 * computer fails every request with %BD_CLIENT_ERROR_INSECURE_URL (see
 * bd_client_check_base_url ()).
 *
 * Returns: (transfer full): a new client
 */
BdClient *
bd_client_new (const char *base_url,
               const char *token)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (BD_TYPE_CLIENT,
                       "base-url", base_url,
                       "token", token,
                       NULL);
}

/**
 * bd_client_get_base_url:
 *
 * Returns: the base URL, without trailing slashes
 */
const char *
bd_client_get_base_url (BdClient *self)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * bd_client_check_base_url:
 *
 * Whether the client may send requests, with its token, to its base URL:
 * https to any host, plain http only to this computer ("localhost",
 * 127.0.0.0/8 or ::1), where no one else can read the token. Every request
 * checks this first; the app also asks before it shows anything.
 *
 * Returns: %TRUE if so; else %FALSE with %BD_CLIENT_ERROR_INSECURE_URL, or
 *   %BD_CLIENT_ERROR_UNREACHABLE for a base URL that is not http(s)
 */
gboolean
bd_client_check_base_url (BdClient  *self,
                          GError   **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->base_uri == NULL)
    {
      g_propagate_error (error, _bd_client_error_new (BD_CLIENT_ERROR_UNREACHABLE,
                                                      BD_ERROR_CODE_UNKNOWN, 0, NULL));
      return FALSE;
    }

  if (g_ascii_strcasecmp (g_uri_get_scheme (self->base_uri), "http") == 0 &&
      !_bd_client_is_loopback_host (g_uri_get_host (self->base_uri)))
    {
      g_propagate_error (error, _bd_client_error_new (BD_CLIENT_ERROR_INSECURE_URL,
                                                      BD_ERROR_CODE_UNKNOWN, 0, NULL));
      return FALSE;
    }

  return TRUE;
}

/**
 * bd_client_get_me_async:
 *
 * `GET /v1/me`: who the token belongs to, the tenant and the service's clock.
 */
void
bd_client_get_me_async (BdClient            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _bd_client_new_task (self, cancellable, callback, user_data, bd_client_get_me_async);
  uri = _bd_client_build_uri (self, "/v1/me", NULL);
  send_get (self, task, uri, BD_CLIENT_ANSWER_ME, NULL);
}

void
bd_client_list_billing_profiles_async (BdClient            *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _bd_client_new_task (self, cancellable, callback, user_data,
                              bd_client_list_billing_profiles_async);
  uri = _bd_client_build_uri (self, "/v1/billing-profiles", NULL);
  send_get (self, task, uri, BD_CLIENT_ANSWER_BILLING_PROFILES, NULL);
}

/**
 * bd_client_list_billing_profiles_finish:
 *
 * Returns: (transfer container) (element-type BdBillingProfile) (nullable):
 *   the tenant's billing profiles
 */
GPtrArray *
bd_client_list_billing_profiles_finish (BdClient      *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return _bd_client_propagate (self, result, bd_client_list_billing_profiles_async, error);
}

/**
 * bd_client_get_me_finish:
 * @user: (out) (optional) (transfer full): the user
 * @tenant: (out) (optional) (transfer full): the tenant
 * @server_time: (out) (optional): the service's clock, seconds since the epoch
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
bd_client_get_me_finish (BdClient      *self,
                         GAsyncResult  *result,
                         BdUser       **user,
                         BdTenant     **tenant,
                         gint64        *server_time,
                         GError       **error)
{
  g_autoptr(BdClientMeAnswer) answer = NULL;

  g_return_val_if_fail (BD_IS_CLIENT (self), FALSE);

  answer = _bd_client_propagate (self, result, bd_client_get_me_async, error);
  if (answer == NULL)
    return FALSE;

  if (user != NULL)
    *user = g_steal_pointer (&answer->user);
  if (tenant != NULL)
    *tenant = g_steal_pointer (&answer->tenant);
  if (server_time != NULL)
    *server_time = answer->server_time;

  return TRUE;
}

/**
 * bd_client_list_subscriptions_async:
 * @next_link: (nullable): the `nextLink` of the previous page, or %NULL for
 *   the first page
 * @top: the page size (1..500) of the first page, and of the page that
 *   @next_link names (its `top` replaced); 0 with @next_link: its own
 *
 * `GET /v1/subscriptions?top=N`, or the absolute @next_link. A first small
 * page may be followed by larger ones: the service's skip token holds for
 * any `top`. A @next_link that is not on the base URL's scheme, host and
 * port fails with %BD_CLIENT_ERROR_BAD_ANSWER: the token never goes
 * anywhere else.
 */
void
bd_client_list_subscriptions_async (BdClient            *self,
                                    const char          *next_link,
                                    guint                top,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *query = g_strdup_printf ("top=%u", top);
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _bd_client_new_task (self, cancellable, callback, user_data,
                              bd_client_list_subscriptions_async);
  _bd_client_send_page (self, task, next_link, top, "/v1/subscriptions", query,
                        BD_CLIENT_ANSWER_LIST);
}

/**
 * bd_client_list_subscriptions_finish:
 * @next_link: (out) (optional) (nullable) (transfer full): the next page's
 *   link, %NULL on the last page
 *
 * Returns: (transfer full) (element-type BdSubscription) (nullable): the page
 */
GPtrArray *
bd_client_list_subscriptions_finish (BdClient      *self,
                                     GAsyncResult  *result,
                                     char         **next_link,
                                     GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return _bd_client_page_finish (self, result, bd_client_list_subscriptions_async, next_link,
                                 error);
}

/**
 * bd_client_get_subscription_async:
 *
 * `GET /v1/subscriptions/{id}`.
 */
void
bd_client_get_subscription_async (BdClient            *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _bd_client_new_task (self, cancellable, callback, user_data,
                              bd_client_get_subscription_async);
  uri = _bd_client_subscription_uri (self, id, NULL);
  send_get (self, task, uri, BD_CLIENT_ANSWER_SUBSCRIPTION, id);
}

/**
 * bd_client_get_subscription_finish:
 *
 * Returns: (transfer full) (nullable): the subscription
 */
BdSubscription *
bd_client_get_subscription_finish (BdClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return _bd_client_propagate (self, result, bd_client_get_subscription_async, error);
}

/**
 * bd_client_get_cancellation_async:
 *
 * `GET /v1/subscriptions/{id}/cancellation`.
 */
void
bd_client_get_cancellation_async (BdClient            *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  GTask *task;

  g_return_if_fail (BD_IS_CLIENT (self));
  g_return_if_fail (id != NULL && *id != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _bd_client_new_task (self, cancellable, callback, user_data,
                              bd_client_get_cancellation_async);
  uri = _bd_client_subscription_uri (self, id, "/cancellation");
  send_get (self, task, uri, BD_CLIENT_ANSWER_CANCELLATION, NULL);
}

/**
 * bd_client_get_cancellation_finish:
 *
 * Returns: (transfer full) (nullable): the cancellation answer
 */
BdCancellation *
bd_client_get_cancellation_finish (BdClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (BD_IS_CLIENT (self), NULL);

  return _bd_client_propagate (self, result, bd_client_get_cancellation_async, error);
}
