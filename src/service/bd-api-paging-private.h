/* bd-api-paging-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-api.h"

G_BEGIN_DECLS

/* The query of a list and the links between its pages. */

#define BD_API_DEFAULT_TOP 100
#define BD_API_MAX_TOP     500

typedef struct
{
  guint              top;
  char              *skip_token;
  gboolean           include_deleted;
  char              *subscription_id;
  BdOperationsOrder  order;
} BdApiQuery;

void           _bd_api_query_clear      (BdApiQuery         *query);
BdApiResponse *_bd_api_query_parse      (BdApiQuery         *query,
                                         const char         *raw,
                                         const char * const *known);
char          *_bd_api_skip_token_new   (const char * const *parts);
gboolean       _bd_api_skip_token_parse (const char         *token,
                                         guint               n_parts,
                                         char              **parts);
char          *_bd_api_link_base        (const char         *listen_base,
                                         const BdApiRequest *request,
                                         gboolean            trust_forwarded);
char          *_bd_api_next_link        (const char         *base_url,
                                         const char         *path,
                                         const BdApiQuery   *query,
                                         const char         *token);
JsonNode      *_bd_api_page_node        (GPtrArray          *values,
                                         const char         *link);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BdApiQuery, _bd_api_query_clear)

G_END_DECLS
