/* bd-test-service.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "bd-api.h"
#include "bd-server.h"
#include "bd-test-utils.h"

G_BEGIN_DECLS

/* A real service in the test process: a SQLite file in a temporary
 * directory (or a fresh PostgreSQL database: bd_test_database_new ()), seeded from a tenant file the test writes, a BdServer on
 * 127.0.0.1:0, and a SoupSession that talks HTTP to it.
 */
typedef struct
{
  char        *dir;
  char        *location;  /* the database, as bd_store_open () takes it */
  BdStore     *store;
  BdApi       *api;
  BdServer    *server;
  char        *url;
  SoupSession *session;
} BdTestService;

typedef struct
{
  guint       status;
  char       *etag;
  char       *text;
  JsonNode   *json;    /* (nullable): the body, when it is JSON */
} BdTestAnswer;

BdTestService *bd_test_service_new        (const char     *tenant_json,
                                           const char     *now);
void           bd_test_service_free       (BdTestService  *service);
void           bd_test_service_set_now    (BdTestService  *service,
                                           const char     *now);
BdTestAnswer  *bd_test_service_request    (BdTestService  *service,
                                           const char     *method,
                                           const char     *path,
                                           const char     *token,
                                           const char     *body,
                                           ...) G_GNUC_NULL_TERMINATED;
void           bd_test_answer_free        (BdTestAnswer   *answer);
const char    *bd_test_answer_string      (BdTestAnswer   *answer,
                                           const char     *json_path);
gint64         bd_test_answer_int         (BdTestAnswer   *answer,
                                           const char     *json_path);
guint          bd_test_service_count_cancels (BdTestService *service,
                                              const char    *token,
                                              const char    *id,
                                              const char    *key);
guint          bd_test_service_count_entries (BdTestService *service,
                                              const char    *token,
                                              const char    *id,
                                              const char    *action,
                                              const char    *key);
void           bd_test_service_assert_says   (BdTestService *service,
                                              const char    *token,
                                              const char    *id,
                                              const char    *member,
                                              const char    *value);
SoupServer    *bd_test_proxy_listen       (SoupServerCallback handler,
                                           gpointer           user_data,
                                           guint16           *port);
SoupMessage   *bd_test_forward_request    (SoupServerMessage *message,
                                           const char        *target_url,
                                           const char        *path);
void           bd_test_forward_send       (SoupSession       *session,
                                           SoupServerMessage *message,
                                           SoupMessage       *forward,
                                           GAsyncReadyCallback callback,
                                           gpointer           user_data);
void           bd_test_forward_answer     (SoupServerMessage *message,
                                           SoupMessage       *forward,
                                           GBytes            *body);
void           bd_test_forward            (SoupSession       *session,
                                           SoupServerMessage *message,
                                           const char        *target_url);
void           bd_test_assert_api_error   (BdTestAnswer   *answer,
                                           guint           status,
                                           const char     *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdTestService, bd_test_service_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdTestAnswer, bd_test_answer_free)

G_END_DECLS
