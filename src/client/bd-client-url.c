/* bd-client-url.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-client-url"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "bd-client-private.h"

/* Where a request may go: the URLs built on the base URL, the check that a
 * link the service sent stays on it, and what counts as this computer.
 */

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/*
 * Private API
 */

/**
 * _bd_client_build_uri:
 * @query: (nullable): the query, without "?"
 *
 * {base}{path}?{query}. Built, not parsed: parsing would normalize
 * "%2E%2E" to ".." and remove it as a dot segment.
 *
 * Returns: (transfer full) (nullable): the URI; %NULL when the base URL is
 *   not an http(s) URL
 */
GUri *
_bd_client_build_uri (BdClient   *self,
                      const char *path,
                      const char *query)
{
  g_autofree char *full_path = NULL;
  gsize length;

  if (self->base_uri == NULL)
    return NULL;

  /* the base path without its trailing slash ("/" for no path) */
  full_path = g_strconcat (g_uri_get_path (self->base_uri), path, NULL);
  length = strlen (g_uri_get_path (self->base_uri));
  if (length > 0 && full_path[length - 1] == '/')
    memmove (full_path + length - 1, full_path + length, strlen (full_path + length) + 1);
  return g_uri_build (g_uri_get_flags (self->base_uri), g_uri_get_scheme (self->base_uri), NULL,
                      g_uri_get_host (self->base_uri), g_uri_get_port (self->base_uri),
                      full_path, query, NULL);
}

/**
 * _bd_client_subscription_uri:
 * @suffix: (nullable): such as "/cancel"
 *
 * {base}/v1/subscriptions/{id}{suffix}, the id escaped as one path segment.
 *
 * Returns: (transfer full) (nullable): the URI, as _bd_client_build_uri ()
 */
GUri *
_bd_client_subscription_uri (BdClient   *self,
                             const char *id,
                             const char *suffix)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  /* "." and ".." are no ids to the service, but path segments to libsoup */
  if (g_str_equal (id, "."))
    escaped = g_strdup ("%2E");
  else if (g_str_equal (id, ".."))
    escaped = g_strdup ("%2E%2E");
  else
    escaped = g_uri_escape_string (id, NULL, FALSE);

  path = g_strconcat ("/v1/subscriptions/", escaped, suffix, NULL);
  return _bd_client_build_uri (self, path, NULL);
}

/**
 * _bd_client_parse_same_origin:
 * @base_uri: (nullable): the client's base URL
 *
 * Whether @url may be sent the token: the base URL's scheme, host and port.
 *
 * Returns: (transfer full) (nullable): @url parsed if so, else %NULL
 */
GUri *
_bd_client_parse_same_origin (GUri       *base_uri,
                              const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (base_uri == NULL)
    return NULL;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL ||
      g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_host (uri) == NULL ||
      g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (base_uri)) != 0 ||
      g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (base_uri)) != 0 ||
      effective_port (uri) != effective_port (base_uri))
    return NULL;

  return g_steal_pointer (&uri);
}

/**
 * _bd_client_uri_with_top:
 * @uri: the URL of a list's page, such as a `nextLink`
 * @top: the page size to ask for (1..500)
 *
 * A client may replace `top` in a `nextLink`: its `skipToken` holds for any
 * page size (docs/api.md, "Paging"). The other parameters stay as they are,
 * still encoded.
 *
 * Returns: (transfer full): @uri asking for pages of @top
 */
GUri *
_bd_client_uri_with_top (GUri  *uri,
                         guint  top)
{
  const char *old_query = g_uri_get_query (uri);
  g_auto(GStrv) params = g_strsplit (old_query != NULL ? old_query : "", "&", -1);
  g_autoptr(GString) query = g_string_new (NULL);

  g_string_append_printf (query, "top=%u", top);
  for (guint i = 0; params[i] != NULL; i++)
    {
      if (*params[i] == '\0' || g_str_has_prefix (params[i], "top=") ||
          g_str_equal (params[i], "top"))
        continue;
      g_string_append_c (query, '&');
      g_string_append (query, params[i]);
    }

  return g_uri_build (g_uri_get_flags (uri), g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                      g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                      query->str, g_uri_get_fragment (uri));
}

/**
 * _bd_client_next_page_uri:
 * @next_link: the `nextLink` of a list's page
 * @top: the page size to ask for (1..500), or 0 for the link's own
 *
 * Where the next page of a list is asked for: @next_link, only on the base
 * URL's scheme, host and port (the token never goes anywhere else).
 *
 * Returns: (transfer full) (nullable): the URL, or %NULL for a link elsewhere
 */
GUri *
_bd_client_next_page_uri (BdClient   *self,
                          const char *next_link,
                          guint       top)
{
  g_autoptr(GUri) uri = _bd_client_parse_same_origin (self->base_uri, next_link);

  if (uri == NULL)
    {
      g_debug ("nextLink not on the service's scheme, host and port refused");
      return NULL;
    }

  if (top > 0)
    return _bd_client_uri_with_top (uri, top);

  return g_steal_pointer (&uri);
}

/**
 * _bd_client_is_loopback_host:
 *
 * Whether @host is this computer: "localhost", 127.0.0.0/8 or ::1. Names
 * other than "localhost" are not resolved: what they resolve to can change
 * between this check and the connection.
 */
gboolean
_bd_client_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}
