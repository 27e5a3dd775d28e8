/* bd-client-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bd-client.h"

G_BEGIN_DECLS

/* Between the files of BdClient: bd-client.c (the object and the reads),
 * bd-client-operations.c (the ledger), bd-client-changes.c (the changes), bd-client-request.c (messages,
 * timeouts, sending), bd-client-url.c (where a request may go),
 * bd-client-answers.c (reading the answers) and bd-client-error.c
 * (BdClientError and its sentences).
 */

/* An Idempotency-Key is 1..255 printable ASCII characters (docs/api.md). */
#define BD_CLIENT_IDEMPOTENCY_KEY_MAX 255

struct _BdClient
{
  GObject       parent_instance;

  char         *base_url;
  GUri         *base_uri;       /* NULL: base_url is not an http(s) URL */
  char         *authorization;  /* "Bearer <token>", never logged; NULL: none */
  SoupSession  *session;
  GTlsDatabase *tls_database;   /* NULL: libsoup's default, the system's */
  guint         connect_timeout;
  guint         request_timeout;
};

/* The shapes of the service's answers, one per kind of request. */
typedef enum
{
  BD_CLIENT_ANSWER_ME,                /* BdClientMeAnswer */
  BD_CLIENT_ANSWER_BILLING_PROFILES,  /* GPtrArray of BdBillingProfile */
  BD_CLIENT_ANSWER_LIST,              /* BdClientListAnswer */
  BD_CLIENT_ANSWER_SUBSCRIPTION,      /* BdSubscription */
  BD_CLIENT_ANSWER_CANCELLATION,      /* BdCancellation */
  BD_CLIENT_ANSWER_CANCEL,            /* BdCancelAnswer */
  BD_CLIENT_ANSWER_OPERATIONS,        /* BdClientListAnswer of BdOperation */
} BdClientAnswerKind;

#define BD_CLIENT_N_ANSWER_KINDS (BD_CLIENT_ANSWER_OPERATIONS + 1)

typedef struct
{
  BdUser   *user;
  BdTenant *tenant;
  gint64    server_time;
} BdClientMeAnswer;

/* A page of a list: BdSubscription or BdOperation values. */
typedef struct
{
  GPtrArray *values;
  char      *next_link;
} BdClientListAnswer;

void      _bd_client_me_answer_free        (gpointer              data);
void      _bd_client_list_answer_free      (gpointer              data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdClientMeAnswer, _bd_client_me_answer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdClientListAnswer, _bd_client_list_answer_free)

/* The parse step of every request, without I/O: the client and the fuzzer
 * (tests/fuzz/fuzz-client-answer.c) both call it.
 */
gpointer  _bd_client_read_answer           (BdClientAnswerKind    kind,
                                            GUri                 *base_uri,
                                            const char           *expected_id,
                                            guint                 status,
                                            const char           *data,
                                            gsize                 length,
                                            const char           *what,
                                            GDestroyNotify       *value_free,
                                            GError              **error);

/* bd-client.c */
void       _bd_client_emit_subscription_changed (BdClient       *self,
                                                 const char     *id);
void       _bd_client_send_page            (BdClient             *self,
                                            GTask                *task,
                                            const char           *next_link,
                                            guint                 top,
                                            const char           *path,
                                            const char           *first_query,
                                            BdClientAnswerKind    answer_kind);
GPtrArray *_bd_client_page_finish          (BdClient             *self,
                                            GAsyncResult         *result,
                                            gpointer              source_tag,
                                            char                **next_link,
                                            GError              **error);

/* bd-client-request.c */
GTask    *_bd_client_new_task              (BdClient             *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data,
                                            gpointer              source_tag);
gpointer  _bd_client_propagate             (BdClient             *self,
                                            GAsyncResult         *result,
                                            gpointer              source_tag,
                                            GError              **error);
void      _bd_client_send_request          (BdClient             *self,
                                            GTask                *task,
                                            const char           *method,
                                            GUri                 *uri,
                                            JsonNode             *body,
                                            const char           *idempotency_key,
                                            const char           *if_match,
                                            BdClientAnswerKind    answer_kind,
                                            const char           *expected_id);
gboolean  _bd_client_is_header_value       (const char           *value,
                                            gsize                 max_length);

/* bd-client-url.c */
GUri     *_bd_client_build_uri             (BdClient             *self,
                                            const char           *path,
                                            const char           *query);
GUri     *_bd_client_subscription_uri      (BdClient             *self,
                                            const char           *id,
                                            const char           *suffix);
GUri     *_bd_client_parse_same_origin     (GUri                 *base_uri,
                                            const char           *url);
GUri     *_bd_client_uri_with_top          (GUri                 *uri,
                                            guint                 top);
GUri     *_bd_client_next_page_uri         (BdClient             *self,
                                            const char           *next_link,
                                            guint                 top);
gboolean  _bd_client_is_loopback_host      (const char           *host);

/* bd-client-error.c */
GError   *_bd_client_error_new             (BdClientError         kind,
                                            BdErrorCode           api_code,
                                            guint                 http_status,
                                            const char           *target);
GError   *_bd_client_error_new_bad_answer  (void);
GError   *_bd_client_error_new_unreadable  (guint                 status,
                                            const char           *method);
GError   *_bd_client_error_for_change      (GError               *error,
                                            const char           *method);

G_END_DECLS
