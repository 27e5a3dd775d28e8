/* bd-api.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-api"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bd-api-private.h"

#define DEFAULT_TOP 100
#define MAX_TOP 500

struct _BdApi
{
  GObject  parent_instance;

  BdStore *store;
  char    *base_url;
  gint64   frozen_now;
};

G_DEFINE_FINAL_TYPE (BdApi, bd_api, G_TYPE_OBJECT)

/*
 * Responses
 */

void
bd_api_response_free (BdApiResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->etag);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

BdApiResponse *
_bd_api_json (guint       status,
              JsonNode   *node,
              const char *etag)
{
  BdApiResponse *response = g_new0 (BdApiResponse, 1);
  gsize length = 0;
  char *text = bd_json_to_data (node, &length);

  response->status = status;
  response->etag = g_strdup (etag);
  response->body = g_bytes_new_take (text, length);

  return response;
}

/* An error document; @format is English for logs and developers: the app
 * shows its own translated sentence for the code.
 */
BdApiResponse *
_bd_api_error (BdErrorCode  code,
               const char  *target,
               const char  *format,
               ...)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  node = bd_api_error_build (code, message, target);
  return _bd_api_json (bd_error_code_get_http_status (code), node, NULL);
}

BdApiResponse *
_bd_api_store_error (const GError *error)
{
  g_warning ("storage failed: %s", error->message);
  return _bd_api_error (BD_ERROR_CODE_INTERNAL_ERROR, NULL, "The billing database failed.");
}

/* A body that is not what the endpoint takes: 400 with the path of the
 * bad value as the target.
 */
BdApiResponse *
_bd_api_invalid_json (const GError *error)
{
  return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, bd_core_error_get_path (error),
                        "%s", error->message);
}

/*
 * What the rules need to know about the tenant
 */

gboolean
_bd_api_load_context (BdApiCall  *call,
                      GError    **error)
{
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GPtrArray) domains = NULL;

  if (call->profiles != NULL)
    return TRUE;

  profiles = bd_store_list_billing_profiles (call->store, error);
  if (profiles == NULL)
    return FALSE;
  domains = bd_store_list_domains (call->store, error);
  if (domains == NULL)
    return FALSE;

  call->profiles = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  call->attached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < profiles->len; i++)
    {
      BdBillingProfile *profile = g_ptr_array_index (profiles, i);

      g_hash_table_insert (call->profiles, (gpointer) bd_billing_profile_get_id (profile),
                           g_object_ref (profile));
    }

  for (guint i = 0; i < domains->len; i++)
    {
      const char * const *ids = bd_domain_get_subscription_ids (g_ptr_array_index (domains, i));

      for (guint j = 0; ids != NULL && ids[j] != NULL; j++)
        g_hash_table_add (call->attached, g_strdup (ids[j]));
    }

  return TRUE;
}

void
_bd_api_rule_context (BdApiCall                *call,
                      const BdSubscriptionData *data,
                      BdRuleContext            *ctx)
{
  BdBillingProfile *profile = NULL;

  if (data->billing_profile_id != NULL)
    profile = g_hash_table_lookup (call->profiles, data->billing_profile_id);

  ctx->roles = bd_user_get_roles (call->user);
  ctx->paid_by_invoice = profile != NULL &&
    bd_billing_profile_get_payment_method (profile) == BD_PAYMENT_METHOD_INVOICE;
  ctx->custom_domain_attached = g_hash_table_contains (call->attached, data->id);
  ctx->now = call->now;
}

/* The subscription as the API shows it to this user now: derived (rule 10,
 * lazily, on every read) and annotated.
 */
void
_bd_api_derive (BdApiCall          *call,
                BdSubscriptionData *data)
{
  BdRuleContext ctx;

  bd_lifecycle_derive (data, call->now);
  _bd_api_rule_context (call, data, &ctx);
  bd_rules_annotate (data, &ctx);
}

JsonNode *
_bd_api_subscription_node (const BdSubscriptionData *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  bd_subscription_data_to_json (data, BD_SUBSCRIPTION_JSON_API, builder);
  return json_builder_get_root (builder);
}

/*
 * Paging: skipToken is opaque to clients; here it is base64url of the last
 * row's sort key, so a page boundary never skips or repeats a row.
 */

static char *
encode_token (const char * const *parts)
{
  g_autoptr(GString) key = g_string_new (NULL);
  g_autofree char *encoded = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      /* Length-prefixed: product names may hold any character. */
      g_string_append_printf (key, "%zu:%s", strlen (parts[i]), parts[i]);
    }

  encoded = g_base64_encode ((const guchar *) key->str, key->len);
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');
  return g_steal_pointer (&encoded);
}

static gboolean
decode_token (const char *token,
              guint       n_parts,
              char      **parts)
{
  g_autoptr(GString) padded = NULL;
  g_autofree guchar *raw = NULL;
  gsize length = 0;
  gsize pos = 0;

  for (const char *p = token; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }

  padded = g_string_new (token);
  g_strdelimit (padded->str, "-", '+');
  g_strdelimit (padded->str, "_", '/');
  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');

  raw = g_base64_decode (padded->str, &length);
  if (raw == NULL)
    return FALSE;

  for (guint i = 0; i < n_parts; i++)
    {
      guint64 part_length = 0;
      const char *digits = (const char *) raw + pos;
      char *end = NULL;

      if (pos >= length || !g_ascii_isdigit (*digits))
        return FALSE;
      part_length = g_ascii_strtoull (digits, &end, 10);
      if (end == NULL || (gsize) (end - (const char *) raw) >= length || *end != ':')
        return FALSE;
      pos = (gsize) (end - (const char *) raw) + 1;
      if (part_length > length - pos)
        return FALSE;
      parts[i] = g_strndup ((const char *) raw + pos, part_length);
      if (strlen (parts[i]) != part_length || !g_utf8_validate (parts[i], -1, NULL))
        return FALSE;
      pos += part_length;
    }

  return pos == length;
}

typedef struct
{
  guint       top;
  char       *skip_token;
  gboolean    include_deleted;
  char       *subscription_id;
} Query;

static void
query_clear (Query *query)
{
  g_clear_pointer (&query->skip_token, g_free);
  g_clear_pointer (&query->subscription_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Query, query_clear)

/* Reads the query of a list; a parameter the endpoint does not know is a
 * mistake of the caller's, refused like a bad body. Every parameter is read
 * even after a bad one, so that the caller can answer a 404 for an unknown
 * subscriptionId first (DESIGN.md's order); the first 400 is returned.
 */
static BdApiResponse *
parse_query (const char         *raw,
             const char * const *known,
             Query              *query)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  BdApiResponse *invalid = NULL;
  GHashTableIter iter;
  const char *key, *value;

  query->top = DEFAULT_TOP;

  if (raw == NULL || *raw == '\0')
    return NULL;

  params = g_uri_parse_params (raw, -1, "&", G_URI_PARAMS_NONE, &error);
  if (params == NULL)
    return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, NULL, "The query is malformed: %s",
                          error->message);

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &value))
    {
      BdApiResponse *bad = NULL;

      if (!g_strv_contains (known, key))
        {
          bad = _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, key, "Unknown query parameter.");
        }
      else if (strcmp (key, "top") == 0)
        {
          guint64 top = 0;

          if (g_ascii_string_to_unsigned (value, 10, 1, MAX_TOP, &top, NULL))
            query->top = (guint) top;
          else
            bad = _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "top",
                                 "top must be an integer from 1 to %d.", MAX_TOP);
        }
      else if (strcmp (key, "skipToken") == 0)
        {
          query->skip_token = g_strdup (value);
        }
      else if (strcmp (key, "includeDeleted") == 0)
        {
          if (strcmp (value, "true") == 0 || strcmp (value, "false") == 0)
            query->include_deleted = strcmp (value, "true") == 0;
          else
            bad = _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "includeDeleted",
                                 "includeDeleted must be true or false.");
        }
      else if (strcmp (key, "subscriptionId") == 0)
        {
          query->subscription_id = g_strdup (value);
        }

      if (bad != NULL && invalid == NULL)
        invalid = bad;
      else if (bad != NULL)
        bd_api_response_free (bad);
    }

  return invalid;
}

static char *
next_link (BdApiCall   *call,
           const char  *path,
           const Query *query,
           const char  *token)
{
  const char *base = call->request->base_url != NULL ? call->request->base_url
                                                     : call->api->base_url;
  g_autoptr(GString) link = g_string_new (base != NULL ? base : "");

  g_string_append_printf (link, "%s?top=%u", path, query->top);
  if (query->include_deleted)
    g_string_append (link, "&includeDeleted=true");
  if (query->subscription_id != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (query->subscription_id, NULL, FALSE);

      g_string_append_printf (link, "&subscriptionId=%s", escaped);
    }
  g_string_append_printf (link, "&skipToken=%s", token);

  return g_string_free (g_steal_pointer (&link), FALSE);
}

static JsonNode *
page_node (GPtrArray  *values,
           const char *link)
{
  JsonObject *object = json_object_new ();
  JsonArray *array = json_array_new ();
  JsonNode *node;

  for (guint i = 0; i < values->len; i++)
    json_array_add_element (array, json_node_ref (g_ptr_array_index (values, i)));

  json_object_set_array_member (object, "value", array);
  if (link != NULL)
    json_object_set_string_member (object, "nextLink", link);
  else
    json_object_set_null_member (object, "nextLink");

  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

/*
 * Reads
 */

static BdApiResponse *
get_me (BdApiCall *call)
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

static BdApiResponse *
list_subscriptions (BdApiCall *call)
{
  static const char * const known[] = { "top", "skipToken", "includeDeleted", NULL };
  g_auto(Query) query = { 0 };
  /* The page is written as text: a JsonNode tree per row costs more than
   * the rest of the request (bench/service-load).
   */
  g_autoptr(GString) body = g_string_new ("{\"value\":[");
  guint n_values = 0;
  g_autoptr(GError) error = NULL;
  BdApiResponse *response;
  g_autofree char *after_product = NULL;
  g_autofree char *after_id = NULL;
  g_autofree char *cursor_product = NULL;
  g_autofree char *cursor_id = NULL;
  g_autofree char *link = NULL;
  BdApiResponse *invalid;
  gboolean more = FALSE;

  invalid = parse_query (call->request->query, known, &query);
  if (invalid != NULL)
    return invalid;

  if (query.skip_token != NULL)
    {
      char *parts[2] = { NULL, NULL };

      if (!decode_token (query.skip_token, 2, parts))
        {
          g_free (parts[0]);
          g_free (parts[1]);
          return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "skipToken",
                                "skipToken is not one this service gave out.");
        }
      after_product = parts[0];
      after_id = parts[1];
    }

  if (!_bd_api_load_context (call, &error))
    return _bd_api_store_error (error);

  /* Deleted ones are left out unless asked for, and a subscription's state
   * is known only once derived: read on until the page is full and one row
   * more shows that there is a next page. The next page starts after the
   * last row returned, so nothing is skipped or repeated.
   */
  cursor_product = g_strdup (after_product);
  cursor_id = g_strdup (after_id);

  while (!more)
    {
      g_autoptr(GPtrArray) rows = NULL;

      rows = bd_store_list_subscriptions (call->store, cursor_product, cursor_id, query.top + 1,
                                          &error);
      if (rows == NULL)
        return _bd_api_store_error (error);

      for (guint i = 0; i < rows->len && !more; i++)
        {
          BdSubscriptionData *data = g_ptr_array_index (rows, i);

          g_free (cursor_product);
          g_free (cursor_id);
          cursor_product = g_strdup (data->product_name);
          cursor_id = g_strdup (data->id);

          _bd_api_derive (call, data);
          if (data->status == BD_STATUS_DELETED && !query.include_deleted)
            continue;

          if (n_values == query.top)
            {
              more = TRUE;
              continue;
            }

          if (n_values++ > 0)
            g_string_append_c (body, ',');
          bd_subscription_data_append_api_json (data, body);
          g_free (after_product);
          g_free (after_id);
          after_product = g_strdup (data->product_name);
          after_id = g_strdup (data->id);
        }

      if (rows->len < query.top + 1)
        break;
    }

  if (more)
    {
      const char *parts[] = { after_product, after_id, NULL };
      g_autofree char *token = encode_token (parts);

      link = next_link (call, "/v1/subscriptions", &query, token);
    }

  g_string_append (body, "],\"nextLink\":");
  if (link != NULL)
    bd_json_append_string (body, link);
  else
    g_string_append (body, "null");
  g_string_append_c (body, '}');

  response = g_new0 (BdApiResponse, 1);
  response->status = 200;
  response->body = g_string_free_to_bytes (g_steal_pointer (&body));
  return response;
}

static BdApiResponse *
get_subscription (BdApiCall *call)
{
  g_autoptr(BdSubscriptionData) data = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  data = bd_store_get_subscription (call->store, call->subscription_id, &error);
  if (data == NULL)
    return _bd_api_store_error (error);
  if (!_bd_api_load_context (call, &error))
    return _bd_api_store_error (error);

  _bd_api_derive (call, data);
  root = _bd_api_subscription_node (data);
  return _bd_api_json (200, root, data->etag);
}

static BdApiResponse *
get_cancellation (BdApiCall *call)
{
  g_autoptr(BdSubscriptionData) data = NULL;
  g_autoptr(BdCancellation) cancellation = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  BdRuleContext ctx;

  data = bd_store_get_subscription (call->store, call->subscription_id, &error);
  if (data == NULL)
    return _bd_api_store_error (error);
  if (!_bd_api_load_context (call, &error))
    return _bd_api_store_error (error);

  bd_lifecycle_derive (data, call->now);
  _bd_api_rule_context (call, data, &ctx);
  cancellation = bd_cancellation_evaluate (data, &ctx);

  bd_cancellation_to_json (cancellation, builder);
  root = json_builder_get_root (builder);
  return _bd_api_json (200, root, NULL);
}

static BdApiResponse *
list_billing_profiles (BdApiCall *call)
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

static BdApiResponse *
list_domains (BdApiCall *call)
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

static JsonNode *
operation_node (const BdOperation *operation)
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
  json_builder_set_member_name (builder, "subscriptionId");
  json_builder_add_string_value (builder, operation->subscription_id);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, operation->action);
  json_builder_set_member_name (builder, "idempotencyKey");
  if (operation->idempotency_key != NULL)
    json_builder_add_string_value (builder, operation->idempotency_key);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "detail");
  if (detail != NULL)
    json_builder_add_value (builder, g_steal_pointer (&detail));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static BdApiResponse *
list_operations (BdApiCall *call)
{
  static const char * const known[] = { "top", "skipToken", "subscriptionId", NULL };
  g_auto(Query) query = { 0 };
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *link = NULL;
  BdApiResponse *invalid;
  gint64 after_seq = 0;

  invalid = parse_query (call->request->query, known, &query);

  /* 404 before 400 and 403 (DESIGN.md section 3). */
  if (query.subscription_id != NULL)
    {
      g_autoptr(BdSubscriptionData) data = NULL;

      data = bd_store_get_subscription (call->store, query.subscription_id, &error);
      if (data == NULL && error != NULL)
        {
          g_clear_pointer (&invalid, bd_api_response_free);
          return _bd_api_store_error (error);
        }
      if (data == NULL)
        {
          g_clear_pointer (&invalid, bd_api_response_free);
          return _bd_api_error (BD_ERROR_CODE_NOT_FOUND, "subscriptionId",
                                "There is no such subscription.");
        }
    }

  if (invalid != NULL)
    return invalid;

  if (query.skip_token != NULL)
    {
      char *parts[1] = { NULL };
      g_autofree char *seq = NULL;

      if (!decode_token (query.skip_token, 1, parts) ||
          !g_ascii_string_to_signed (parts[0], 10, 0, G_MAXINT64, &after_seq, NULL))
        {
          g_free (parts[0]);
          return _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "skipToken",
                                "skipToken is not one this service gave out.");
        }
      seq = parts[0];
    }

  if (!bd_user_can_manage (call->user))
    return _bd_api_error (BD_ERROR_CODE_FORBIDDEN, NULL,
                          "Only Global admins and Billing admins can read the ledger.");

  operations = bd_store_list_operations (call->store, query.subscription_id, after_seq,
                                         query.top + 1, &error);
  if (operations == NULL)
    return _bd_api_store_error (error);

  for (guint i = 0; i < operations->len && i < query.top; i++)
    g_ptr_array_add (values, operation_node (g_ptr_array_index (operations, i)));

  if (operations->len > query.top)
    {
      const BdOperation *last = g_ptr_array_index (operations, query.top - 1);
      g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, last->seq);
      const char *parts[] = { seq, NULL };
      g_autofree char *token = encode_token (parts);

      link = next_link (call, "/v1/operations", &query, token);
    }

  root = page_node (values, link);
  return _bd_api_json (200, root, NULL);
}

/*
 * Dispatch
 */

typedef enum
{
  ROUTE_NONE,
  ROUTE_HEALTH,
  ROUTE_ME,
  ROUTE_SUBSCRIPTIONS,
  ROUTE_SUBSCRIPTION,
  ROUTE_CANCELLATION,
  ROUTE_CANCEL,
  ROUTE_REACTIVATE,
  ROUTE_BILLING_PROFILES,
  ROUTE_DOMAINS,
  ROUTE_OPERATIONS,
} Route;

/* Finds the route of @path; @id points into @segments when it names a
 * subscription.
 */
static Route
find_route (char        **segments,
            const char  **id)
{
  guint n = g_strv_length (segments);

  /* "/v1/x" splits into "", "v1", "x". */
  if (n < 3 || *segments[0] != '\0' || strcmp (segments[1], "v1") != 0)
    return ROUTE_NONE;

  if (n == 3)
    {
      if (strcmp (segments[2], "health") == 0)
        return ROUTE_HEALTH;
      if (strcmp (segments[2], "me") == 0)
        return ROUTE_ME;
      if (strcmp (segments[2], "subscriptions") == 0)
        return ROUTE_SUBSCRIPTIONS;
      if (strcmp (segments[2], "billing-profiles") == 0)
        return ROUTE_BILLING_PROFILES;
      if (strcmp (segments[2], "domains") == 0)
        return ROUTE_DOMAINS;
      if (strcmp (segments[2], "operations") == 0)
        return ROUTE_OPERATIONS;
      return ROUTE_NONE;
    }

  if (strcmp (segments[2], "subscriptions") != 0 || *segments[3] == '\0')
    return ROUTE_NONE;

  *id = segments[3];

  if (n == 4)
    return ROUTE_SUBSCRIPTION;
  if (n == 5 && strcmp (segments[4], "cancellation") == 0)
    return ROUTE_CANCELLATION;
  if (n == 5 && strcmp (segments[4], "cancel") == 0)
    return ROUTE_CANCEL;
  if (n == 5 && strcmp (segments[4], "reactivate") == 0)
    return ROUTE_REACTIVATE;

  return ROUTE_NONE;
}

static const char *
route_method (Route       route,
              const char *method)
{
  switch (route)
    {
    case ROUTE_HEALTH:
    case ROUTE_ME:
    case ROUTE_SUBSCRIPTIONS:
    case ROUTE_CANCELLATION:
    case ROUTE_BILLING_PROFILES:
    case ROUTE_DOMAINS:
    case ROUTE_OPERATIONS:
      return strcmp (method, "GET") == 0 ? method : NULL;
    case ROUTE_SUBSCRIPTION:
      if (strcmp (method, "GET") == 0 || strcmp (method, "PATCH") == 0 ||
          strcmp (method, "DELETE") == 0)
        return method;
      return NULL;
    case ROUTE_CANCEL:
    case ROUTE_REACTIVATE:
      return strcmp (method, "POST") == 0 ? method : NULL;
    case ROUTE_NONE:
    default:
      return NULL;
    }
}

/* A Bearer token: the scheme is case-insensitive (RFC 9110), the token one
 * run of token68 characters.
 */
static const char *
bearer_token (const char *authorization)
{
  const char *token;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;

  token = authorization + 7;
  while (*token == ' ')
    token++;

  return *token != '\0' ? token : NULL;
}

static gboolean
is_json_content_type (const char *content_type)
{
  g_autofree char *media_type = NULL;
  const char *semicolon;

  if (content_type == NULL)
    return FALSE;

  semicolon = strchr (content_type, ';');
  media_type = g_strstrip (g_strndup (content_type, semicolon != NULL
                                                    ? (gsize) (semicolon - content_type)
                                                    : strlen (content_type)));
  return g_ascii_strcasecmp (media_type, "application/json") == 0;
}

/**
 * bd_api_handle:
 *
 * Answers one request. When several errors apply, the first in DESIGN.md's
 * order wins: 401, 413, 415, 404, 400 (the body), 403, 428 or a missing
 * Idempotency-Key, a replay or 422, 412, 409.
 *
 * Returns: (transfer full): the answer
 */
BdApiResponse *
bd_api_handle (BdApi              *self,
               const BdApiRequest *request)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(BdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  BdApiCall call = { 0 };
  BdApiResponse *response = NULL;
  const char *token;
  Route route;

  g_return_val_if_fail (BD_IS_API (self), NULL);
  g_return_val_if_fail (request != NULL && request->method != NULL && request->path != NULL,
                        NULL);

  segments = g_strsplit (request->path, "/", 8);
  route = find_route (segments, &call.subscription_id);

  if (route == ROUTE_HEALTH && route_method (route, request->method) != NULL)
    {
      g_autoptr(JsonNode) node = bd_json_parse ("{\"status\":\"ok\"}", -1, NULL);

      return _bd_api_json (200, node, NULL);
    }

  /* 401 */
  token = bearer_token (request->authorization);
  if (token != NULL)
    {
      user = bd_store_find_user_by_token (self->store, token, &error);
      if (user == NULL && error != NULL)
        return _bd_api_store_error (error);
    }
  if (user == NULL)
    return _bd_api_error (BD_ERROR_CODE_UNAUTHENTICATED, NULL,
                          "A valid bearer token is required.");

  /* 413, 415 */
  if (request->body_too_large || request->body_length > BD_API_MAX_BODY)
    return _bd_api_error (BD_ERROR_CODE_PAYLOAD_TOO_LARGE, NULL,
                          "The request body is larger than 1 MiB.");
  if (request->body_length > 0 && !is_json_content_type (request->content_type))
    return _bd_api_error (BD_ERROR_CODE_UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                          "The request body must be application/json.");

  /* 404: the route, then the subscription it names */
  if (route_method (route, request->method) == NULL)
    return _bd_api_error (BD_ERROR_CODE_NOT_FOUND, NULL, "There is no such resource.");

  call.api = self;
  call.store = self->store;
  call.request = request;
  call.user = user;
  call.now = bd_api_get_now (self);

  if (call.subscription_id != NULL)
    {
      g_autoptr(BdSubscriptionData) data = NULL;

      data = bd_store_get_subscription (self->store, call.subscription_id, &error);
      if (data == NULL && error != NULL)
        return _bd_api_store_error (error);
      if (data == NULL)
        return _bd_api_error (BD_ERROR_CODE_NOT_FOUND, NULL, "There is no such subscription.");
    }

  switch (route)
    {
    case ROUTE_ME:
      response = get_me (&call);
      break;
    case ROUTE_SUBSCRIPTIONS:
      response = list_subscriptions (&call);
      break;
    case ROUTE_SUBSCRIPTION:
      if (strcmp (request->method, "GET") == 0)
        response = get_subscription (&call);
      else if (strcmp (request->method, "PATCH") == 0)
        response = _bd_api_patch (&call);
      else
        response = _bd_api_delete (&call);
      break;
    case ROUTE_CANCELLATION:
      response = get_cancellation (&call);
      break;
    case ROUTE_CANCEL:
      response = _bd_api_cancel (&call);
      break;
    case ROUTE_REACTIVATE:
      response = _bd_api_reactivate (&call);
      break;
    case ROUTE_BILLING_PROFILES:
      response = list_billing_profiles (&call);
      break;
    case ROUTE_DOMAINS:
      response = list_domains (&call);
      break;
    case ROUTE_OPERATIONS:
      response = list_operations (&call);
      break;
    case ROUTE_HEALTH:
    case ROUTE_NONE:
    default:
      g_assert_not_reached ();
    }

  g_clear_pointer (&call.profiles, g_hash_table_unref);
  g_clear_pointer (&call.attached, g_hash_table_unref);

  return response;
}

/**
 * bd_api_authenticates:
 * @authorization: (nullable): the Authorization header
 *
 * Whether @authorization names a user of the tenant: for the transport,
 * which refuses a too-large body before reading it, and must still answer
 * 401 first (DESIGN.md's order).
 */
gboolean
bd_api_authenticates (BdApi      *self,
                      const char *authorization)
{
  g_autoptr(BdUser) user = NULL;
  const char *token;

  g_return_val_if_fail (BD_IS_API (self), FALSE);

  token = bearer_token (authorization);
  if (token == NULL)
    return FALSE;

  user = bd_store_find_user_by_token (self->store, token, NULL);
  return user != NULL;
}

/*
 * GObject overrides
 */

static void
bd_api_finalize (GObject *object)
{
  BdApi *self = (BdApi *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (bd_api_parent_class)->finalize (object);
}

static void
bd_api_class_init (BdApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bd_api_finalize;
}

static void
bd_api_init (BdApi *self)
{
  self->frozen_now = BD_TIME_NONE;
}

/*
 * Public API
 */

BdApi *
bd_api_new (BdStore *store)
{
  BdApi *self;

  g_return_val_if_fail (BD_IS_STORE (store), NULL);

  self = g_object_new (BD_TYPE_API, NULL);
  self->store = g_object_ref (store);

  return self;
}

/**
 * bd_api_set_base_url:
 * @base_url: such as `http://127.0.0.1:8421`, for absolute `nextLink`s
 */
void
bd_api_set_base_url (BdApi      *self,
                     const char *base_url)
{
  g_return_if_fail (BD_IS_API (self));

  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
  if (self->base_url != NULL && g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
}

/**
 * bd_api_set_frozen_now:
 * @now: the time the clock shows, or %BD_TIME_NONE for the system clock
 *
 * Freezes the service's clock (`--now`, `BILLING_DESK_NOW`) so that tests
 * can stand on both sides of every boundary.
 */
void
bd_api_set_frozen_now (BdApi  *self,
                       gint64  now)
{
  g_return_if_fail (BD_IS_API (self));

  self->frozen_now = now;
}

gint64
bd_api_get_now (BdApi *self)
{
  g_return_val_if_fail (BD_IS_API (self), BD_TIME_NONE);

  if (self->frozen_now != BD_TIME_NONE)
    return self->frozen_now;

  return g_get_real_time () / G_USEC_PER_SEC;
}
