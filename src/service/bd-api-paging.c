/* bd-api-paging.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The query of a list (top, skipToken, includeDeleted, subscriptionId, order) and
 * the nextLink between its pages.
 */

#define G_LOG_DOMAIN "bd-api"

#include "config.h"

#include <string.h>

#include "bd-api-paging-private.h"
#include "bd-api-responses-private.h"


/* skipToken is opaque to clients; here it is base64url of the last row's
 * sort key, so a page boundary never skips or repeats a row.
 */
char *
_bd_api_skip_token_new (const char * const *parts)
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

gboolean
_bd_api_skip_token_parse (const char  *token,
                          guint        n_parts,
                          char       **parts)
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

void
_bd_api_query_clear (BdApiQuery *query)
{
  g_clear_pointer (&query->skip_token, g_free);
  g_clear_pointer (&query->subscription_id, g_free);
}

/* Reads the query of a list; a parameter the endpoint does not know is a
 * mistake of the caller's, refused like a bad body. Every parameter is read
 * even after a bad one, so that the caller can answer a 404 for an unknown
 * subscriptionId first (docs/api.md's order for GET /v1/operations); the
 * first 400 is returned.
 */
BdApiResponse *
_bd_api_query_parse (BdApiQuery         *query,
                     const char         *raw,
                     const char * const *known)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  BdApiResponse *invalid = NULL;
  GHashTableIter iter;
  const char *key, *value;

  query->top = BD_API_DEFAULT_TOP;

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

          if (g_ascii_string_to_unsigned (value, 10, 1, BD_API_MAX_TOP, &top, NULL))
            query->top = (guint) top;
          else
            bad = _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "top",
                                 "top must be an integer from 1 to %d.", BD_API_MAX_TOP);
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
      else if (strcmp (key, "order") == 0)
        {
          if (!bd_operations_order_from_string (value, &query->order))
            bad = _bd_api_error (BD_ERROR_CODE_INVALID_REQUEST, "order",
                                 "order must be oldest or newest.");
        }

      if (bad != NULL && invalid == NULL)
        invalid = bad;
      else if (bad != NULL)
        bd_api_response_free (bad);
    }

  return invalid;
}

/* Whether @host is a host and an optional port, nothing else: a name or an
 * IPv4 address (letters, digits, '.', '-'), or an IPv6 address in brackets;
 * a port of 1..65535. So no path, no user, no space and no line break ends
 * up in a link.
 */
static gboolean
is_host_and_port (const char *host)
{
  const char *end;
  const char *p;
  guint64 port = 0;

  if (host == NULL || *host == '\0' || strlen (host) > 255)
    return FALSE;

  if (host[0] == '[')
    {
      end = strchr (host, ']');
      if (end == NULL || end == host + 1)
        return FALSE;
      for (p = host + 1; p < end; p++)
        if (!g_ascii_isxdigit (*p) && *p != ':' && *p != '.')
          return FALSE;
      end++;
    }
  else
    {
      for (end = host; g_ascii_isalnum (*end) || *end == '.' || *end == '-'; end++)
        ;
      if (end == host)
        return FALSE;
    }

  if (*end == '\0')
    return TRUE;

  return *end == ':' && g_ascii_isdigit (end[1]) &&
         g_ascii_string_to_unsigned (end + 1, 10, 1, G_MAXUINT16, &port, NULL);
}

/**
 * _bd_api_link_base:
 * @listen_base: (nullable): the service's own base, such as http://127.0.0.1:8421
 *
 * The base of the links of an answer to @request: the scheme the service
 * listens on and the Host the client used, so that paging works through a
 * proxy and on a wildcard listener. With @trust_forwarded (the service
 * stands behind a proxy that sets them), X-Forwarded-Proto (`http` or
 * `https`) and X-Forwarded-Host win. A value that is not one scheme, or one
 * host with an optional port, is ignored (a list of several, a path, a user,
 * a line break): the link falls back to what is left.
 *
 * Returns: (transfer full) (nullable): the base, or %NULL for @listen_base
 *   (no usable host: HTTP/1.0 sends none)
 */
char *
_bd_api_link_base (const char         *listen_base,
                   const BdApiRequest *request,
                   gboolean            trust_forwarded)
{
  const char *scheme = "http";
  const char *host = NULL;
  g_autofree char *base = NULL;

  if (listen_base != NULL && g_str_has_prefix (listen_base, "https:"))
    scheme = "https";
  if (is_host_and_port (request->host))
    host = request->host;

  if (trust_forwarded)
    {
      const char *proto = request->forwarded_proto;

      if (proto != NULL && g_ascii_strcasecmp (proto, "https") == 0)
        scheme = "https";
      else if (proto != NULL && g_ascii_strcasecmp (proto, "http") == 0)
        scheme = "http";
      if (is_host_and_port (request->forwarded_host))
        host = request->forwarded_host;
    }

  if (host == NULL)
    return NULL;

  base = g_strconcat (scheme, "://", host, NULL);
  return g_ascii_strdown (base, -1);
}

/* @base_url: (nullable): the base of this answer's links */
char *
_bd_api_next_link (const char       *base_url,
                   const char       *path,
                   const BdApiQuery *query,
                   const char       *token)
{
  g_autoptr(GString) link = g_string_new (base_url != NULL ? base_url : "");

  g_string_append_printf (link, "%s?top=%u", path, query->top);
  if (query->include_deleted)
    g_string_append (link, "&includeDeleted=true");
  if (query->subscription_id != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (query->subscription_id, NULL, FALSE);

      g_string_append_printf (link, "&subscriptionId=%s", escaped);
    }
  if (query->order != BD_OPERATIONS_ORDER_OLDEST)
    g_string_append_printf (link, "&order=%s", bd_operations_order_to_string (query->order));
  g_string_append_printf (link, "&skipToken=%s", token);

  return g_string_free (g_steal_pointer (&link), FALSE);
}

/* The page of a list as a JSON tree: {"value": [...], "nextLink": ...}. */
JsonNode *
_bd_api_page_node (GPtrArray  *values,
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

