/* bd-api.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-store.h"

G_BEGIN_DECLS

/* The whole HTTP API (docs/api.md) as one transport-neutral
 * function: method, path, headers and body in; status, headers and body
 * out. BdServer is a thin SoupServer adapter around it, and tests and
 * fuzzers call it without a socket.
 *
 * A BdApi holds nothing a request changes (its base URL and clock are set
 * before it serves), so worker threads may share one: each passes its own
 * store, one connection per thread (bd-store.h), to bd_api_handle_on_store ().
 */

#define BD_API_MAX_BODY (1024 * 1024)

typedef struct
{
  const char *method;
  const char *path;             /* without the query: /v1/subscriptions/s1 */
  const char *query;            /* (nullable): the raw query, without '?' */
  const char *authorization;    /* (nullable): the header values ... */
  const char *content_type;     /* (nullable) */
  const char *if_match;         /* (nullable) */
  const char *idempotency_key;  /* (nullable) */
  const char *body;             /* (nullable when body_length is 0) */
  gsize       body_length;
  gboolean    body_too_large;   /* the transport cut the body off at 1 MiB */
  const char *base_url;         /* (nullable): the base of this answer's links, where
                                 * it is not the service's own (a wildcard listener) */
} BdApiRequest;

typedef struct
{
  guint   status;
  char   *etag;                 /* (nullable): the ETag header */
  GBytes *body;                 /* application/json */
  guint   retry_after_seconds;  /* the Retry-After header; 0: none */
} BdApiResponse;

#define BD_TYPE_API (bd_api_get_type ())

G_DECLARE_FINAL_TYPE (BdApi, bd_api, BD, API, GObject)

BdApi         *bd_api_new                 (BdStore            *store);
void           bd_api_set_base_url        (BdApi              *self,
                                           const char         *base_url);
void           bd_api_set_frozen_now      (BdApi              *self,
                                           gint64              now);
gint64         bd_api_get_now             (BdApi              *self);
BdApiResponse *bd_api_check_authorization (BdApi              *self,
                                           const char         *authorization);
BdApiResponse *bd_api_handle              (BdApi              *self,
                                           const BdApiRequest *request);
BdApiResponse *bd_api_handle_on_store     (BdApi              *self,
                                           BdStore            *store,
                                           const BdApiRequest *request);
void           bd_api_response_free       (BdApiResponse      *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BdApiResponse, bd_api_response_free)

G_END_DECLS
