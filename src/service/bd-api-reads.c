/* bd-api-reads.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GET endpoints: who am I, the list of subscriptions and one of them,
 * its cancellation answer, billing profiles, domains and the ledger.
 */

#define G_LOG_DOMAIN "bd-api"

#include "config.h"

#include "bd-api-paging-private.h"
#include "bd-api-reads-private.h"
#include "bd-api-responses-private.h"

/* What the rules need of the whole tenant for a page of many subscriptions:
 * every billing profile and every domain link, read once for the page.
 */
typedef struct
{
  GHashTable *profiles;   /* billing profile id -> BdBillingProfile */
  GHashTable *attached;   /* ids of subscriptions a domain lists */
} TenantTables;

static void
tenant_tables_clear (TenantTables *tables)
{
  g_clear_pointer (&tables->profiles, g_hash_table_unref);
  g_clear_pointer (&tables->attached, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TenantTables, tenant_tables_clear)

/* A page of the list as it is written: its JSON so far and where it ends. */
typedef struct
{
  GString  *body;
  guint     n_values;
  char     *after_product;  /* the sort key of the last row answered */
  char     *after_id;
  gboolean  more;           /* a row beyond the page was seen */
} Page;

static void
page_clear (Page *page)
{
  if (page->body != NULL)
    g_string_free (g_steal_pointer (&page->body), TRUE);
  g_clear_pointer (&page->after_product, g_free);
  g_clear_pointer (&page->after_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Page, page_clear)

/*
 * Helpers
 */

static BdApiResponse *
bad_skip_token (void)
{
  return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "skipToken",
                        "skipToken is not one this service gave out.");
}

static gboolean
load_tenant_tables (BdStore       *store,
                    TenantTables  *tables,
                    GError       **error)
{
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GPtrArray) domains = NULL;

  profiles = bd_store_list_billing_profiles (store, error);
  if (profiles == NULL)
    return FALSE;
  domains = bd_store_list_domains (store, error);
  if (domains == NULL)
    return FALSE;

  tables->profiles = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  tables->attached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < profiles->len; i++)
    {
      BdBillingProfile *profile = g_ptr_array_index (profiles, i);

      g_hash_table_insert (tables->profiles, (gpointer) bd_billing_profile_get_id (profile),
                           g_object_ref (profile));
    }

  for (guint i = 0; i < domains->len; i++)
    {
      const char * const *ids = bd_domain_get_subscription_ids (g_ptr_array_index (domains, i));

      for (guint j = 0; ids != NULL && ids[j] != NULL; j++)
        g_hash_table_add (tables->attached, g_strdup (ids[j]));
    }

  return TRUE;
}

/* A row of the list as the API shows it to this user now: derived (rule 10)
 * and annotated, with its rule context from the tables.
 */
static void
derive_row (BdApiCall          *call,
            TenantTables       *tables,
            BdSubscriptionData *data)
{
  BdBillingProfile *profile = NULL;
  BdRuleContext ctx;

  if (data->billing_profile_id != NULL)
    profile = g_hash_table_lookup (tables->profiles, data->billing_profile_id);

  ctx.roles = bd_user_get_roles (call->user);
  ctx.paid_by_invoice = profile != NULL &&
    bd_billing_profile_get_payment_method (profile) == BD_PAYMENT_METHOD_INVOICE;
  ctx.custom_domain_attached = g_hash_table_contains (tables->attached, data->id);
  ctx.now = call->now;

  bd_lifecycle_derive (data, call->now);
  bd_rules_annotate (data, &ctx);
}

static void
add_row (Page                     *page,
         const BdSubscriptionData *data)
{
  if (page->n_values++ > 0)
    g_string_append_c (page->body, ',');
  bd_subscription_data_append_api_json (data, page->body);
}

/* Replaces a key of the page with the row's: once per batch of rows, not
 * once per row.
 */
static void
set_key (char                     **product,
         char                     **id,
         const BdSubscriptionData  *data)
{
  g_free (*product);
  g_free (*id);
  *product = g_strdup (data->product_name);
  *id = g_strdup (data->id);
}

/* Deleted ones are left out unless asked for, and a subscription's state is
 * known only once derived: reads on until the page is full and one row more
 * shows that there is a next page. The next page starts after the last row
 * answered, so nothing is skipped or repeated.
 */
static gboolean
fill_page (BdApiCall         *call,
           const BdApiQuery  *query,
           TenantTables      *tables,
           Page              *page,
           GError           **error)
{
  g_autofree char *cursor_product = g_strdup (page->after_product);
  g_autofree char *cursor_id = g_strdup (page->after_id);

  while (!page->more)
    {
      g_autoptr(GPtrArray) rows = NULL;
      const BdSubscriptionData *last_added = NULL;
      guint i;

      rows = bd_store_list_subscriptions (call->store, cursor_product, cursor_id, query->top + 1,
                                          error);
      if (rows == NULL)
        return FALSE;

      for (i = 0; i < rows->len && !page->more; i++)
        {
          BdSubscriptionData *data = g_ptr_array_index (rows, i);

          derive_row (call, tables, data);
          if (data->status == BD_STATUS_DELETED && !query->include_deleted)
            continue;

          if (page->n_values == query->top)
            page->more = TRUE;
          else
            {
              add_row (page, data);
              last_added = data;
            }
        }

      if (last_added != NULL)
        set_key (&page->after_product, &page->after_id, last_added);
      if (i > 0)
        set_key (&cursor_product, &cursor_id, g_ptr_array_index (rows, i - 1));

      if (rows->len < query->top + 1)
        break;
    }

  return TRUE;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *key,
                     const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static JsonNode *
operation_node (const BdStoredOperation *operation)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;
  g_autofree char *time = bd_time_format (operation->time);

  /* The detail was written by this service; a broken one is shown as null
   * rather than failing the whole ledger.
   */
  detail = bd_json_parse (operation->detail != NULL ? operation->detail : "null", -1, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, operation->id);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_set_member_name (builder, "userId");
  json_builder_add_string_value (builder, operation->user_id);
  add_nullable_string (builder, "userDisplayName", operation->user_display_name);
  json_builder_set_member_name (builder, "subscriptionId");
  json_builder_add_string_value (builder, operation->subscription_id);
  add_nullable_string (builder, "productName", operation->product_name);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, operation->action);
  add_nullable_string (builder, "idempotencyKey", operation->idempotency_key);
  json_builder_set_member_name (builder, "detail");
  if (detail != NULL)
    json_builder_add_value (builder, g_steal_pointer (&detail));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The ledger's ?subscriptionId= names a subscription that exists: %NULL,
 * else the answer (404, or 500).
 */
static BdApiResponse *
check_ledger_subscription (BdApiCall  *call,
                           const char *id)
{
  g_autoptr(BdSubscriptionData) data = NULL;
  g_autoptr(GError) error = NULL;

  data = bd_store_get_subscription (call->store, id, &error);
  if (data == NULL && error != NULL)
    return _bd_api_store_error (error);
  if (data == NULL)
    return _bd_api_error (BD_ERROR_CODE_NOT_FOUND, "subscriptionId",
                          "There is no such subscription.");

  return NULL;
}

/* The ledger's skip token: the last entry's seq, oldest first (as before
 * `order`), or "newest" and the seq, newest first. A token is valid only
 * with the order it was made for.
 */
static char *
seq_token_new (BdOperationsOrder order,
               gint64            seq)
{
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  const char *oldest[] = { seq_text, NULL };
  const char *newest[] = { bd_operations_order_to_string (order), seq_text, NULL };

  return _bd_api_skip_token_new (order == BD_OPERATIONS_ORDER_OLDEST ? oldest : newest);
}

static gboolean
parse_seq_token (const char        *token,
                 BdOperationsOrder  order,
                 gint64            *after_seq)
{
  g_autofree char *first = NULL;
  g_autofree char *seq = NULL;

  if (order == BD_OPERATIONS_ORDER_OLDEST)
    {
      if (!_bd_api_skip_token_parse (token, 1, &seq))
        return FALSE;
    }
  else
    {
      char *parts[2] = { NULL, NULL };
      gboolean parsed = _bd_api_skip_token_parse (token, 2, parts);

      first = parts[0];
      seq = parts[1];
      if (!parsed || g_strcmp0 (first, bd_operations_order_to_string (order)) != 0)
        return FALSE;
    }

  return g_ascii_string_to_signed (seq, 10, order == BD_OPERATIONS_ORDER_OLDEST ? 0 : 1,
                                   G_MAXINT64, after_seq, NULL);
}

/* A page of the ledger from @operations, which holds one more entry than
 * the page when there is a next page.
 */
static BdApiResponse *
ledger_page (BdApiCall        *call,
             const BdApiQuery *query,
             GPtrArray        *operations)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *link = NULL;

  for (guint i = 0; i < operations->len && i < query->top; i++)
    g_ptr_array_add (values, operation_node (g_ptr_array_index (operations, i)));

  if (operations->len > query->top)
    {
      const BdStoredOperation *last = g_ptr_array_index (operations, query->top - 1);
      g_autofree char *token = seq_token_new (query->order, last->seq);

      link = _bd_api_next_link (call->base_url, "/v1/operations", query, token);
    }

  root = _bd_api_page_node (values, link);
  return _bd_api_json (200, root, NULL);
}

/*
 * The endpoints
 */

BdApiResponse *
_bd_api_get_me (BdApiCall *call)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(BdTenant) tenant = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *server_time = bd_time_format (call->now);

  tenant = bd_store_get_tenant (call->store, &error);
  if (tenant == NULL)
    return _bd_api_store_error (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  bd_user_to_json (call->user, builder);
  json_builder_set_member_name (builder, "tenant");
  bd_tenant_to_json (tenant, builder);
  json_builder_set_member_name (builder, "serverTime");
  json_builder_add_string_value (builder, server_time);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return _bd_api_json (200, root, NULL);
}

BdApiResponse *
_bd_api_list_subscriptions (BdApiCall *call)
{
  static const char * const known[] = { "top", "skipToken", "includeDeleted", NULL };
  g_auto(BdApiQuery) query = { 0 };
  g_auto(TenantTables) tables = { NULL };
  /* The page is written as text: a JsonNode tree per row costs more than
   * the rest of the request (bench/service-load).
   */
  g_auto(Page) page = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  BdApiResponse *invalid;

  invalid = _bd_api_query_parse (&query, call->request->query, known);
  if (invalid != NULL)
    return invalid;

  if (query.skip_token != NULL)
    {
      char *parts[2] = { NULL, NULL };
      gboolean valid = _bd_api_skip_token_parse (query.skip_token, 2, parts);

      page.after_product = parts[0];
      page.after_id = parts[1];
      if (!valid)
        return bad_skip_token ();
    }

  /* About what a row takes: the body grows once or twice, not per row. */
  page.body = g_string_sized_new (1024 + (gsize) query.top * 720);
  g_string_append (page.body, "{\"value\":[");
  if (!load_tenant_tables (call->store, &tables, &error) ||
      !fill_page (call, &query, &tables, &page, &error))
    return _bd_api_store_error (error);

  if (page.more)
    {
      const char *parts[] = { page.after_product, page.after_id, NULL };
      g_autofree char *token = _bd_api_skip_token_new (parts);

      link = _bd_api_next_link (call->base_url, "/v1/subscriptions", &query, token);
    }

  g_string_append (page.body, "],\"nextLink\":");
  if (link != NULL)
    bd_json_append_string (page.body, link);
  else
    g_string_append (page.body, "null");
  g_string_append_c (page.body, '}');

  return _bd_api_response_new (200, g_string_free_to_bytes (g_steal_pointer (&page.body)), NULL);
}

BdApiResponse *
_bd_api_get_subscription (BdApiCall *call)
{
  g_autoptr(GError) error = NULL;

  if (!_bd_api_call_load_context (call, &error))
    return _bd_api_store_error (error);

  _bd_api_call_derive (call, call->subscription);
  return _bd_api_subscription (call->subscription);
}

BdApiResponse *
_bd_api_get_cancellation (BdApiCall *call)
{
  g_autoptr(BdCancellation) cancellation = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (!_bd_api_call_load_context (call, &error))
    return _bd_api_store_error (error);

  bd_lifecycle_derive (call->subscription, call->now);
  cancellation = bd_cancellation_evaluate (call->subscription, &call->ctx);

  bd_cancellation_to_json (cancellation, builder);
  root = json_builder_get_root (builder);
  return _bd_api_json (200, root, NULL);
}

BdApiResponse *
_bd_api_list_billing_profiles (BdApiCall *call)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  profiles = bd_store_list_billing_profiles (call->store, &error);
  if (profiles == NULL)
    return _bd_api_store_error (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_begin_array (builder);
  for (guint i = 0; i < profiles->len; i++)
    bd_billing_profile_to_json (g_ptr_array_index (profiles, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return _bd_api_json (200, root, NULL);
}

BdApiResponse *
_bd_api_list_domains (BdApiCall *call)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  domains = bd_store_list_domains (call->store, &error);
  if (domains == NULL)
    return _bd_api_store_error (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_begin_array (builder);
  for (guint i = 0; i < domains->len; i++)
    bd_domain_to_json (g_ptr_array_index (domains, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return _bd_api_json (200, root, NULL);
}

BdApiResponse *
_bd_api_list_operations (BdApiCall *call)
{
  static const char * const known[] = { "top", "skipToken", "subscriptionId", "order", NULL };
  g_auto(BdApiQuery) query = { 0 };
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GError) error = NULL;
  BdApiResponse *invalid;
  gint64 after_seq = 0;

  invalid = _bd_api_query_parse (&query, call->request->query, known);

  /* 404 before 400 and 403 (docs/api.md, "Which error wins"). */
  if (query.subscription_id != NULL)
    {
      BdApiResponse *missing = check_ledger_subscription (call, query.subscription_id);

      if (missing != NULL)
        {
          g_clear_pointer (&invalid, bd_api_response_free);
          return missing;
        }
    }

  if (invalid != NULL)
    return invalid;

  if (query.skip_token != NULL && !parse_seq_token (query.skip_token, query.order, &after_seq))
    return bad_skip_token ();

  if (!bd_user_can_manage (call->user))
    return _bd_api_error (BD_ERROR_CODE_FORBIDDEN, NULL,
                          "Only Global admins and Billing admins can read the ledger.");

  operations = bd_store_list_operations (call->store, query.subscription_id, query.order,
                                         after_seq, query.top + 1, &error);
  if (operations == NULL)
    return _bd_api_store_error (error);

  return ledger_page (call, &query, operations);
}
