/* bd-account.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-account"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-account.h"

struct _BdAccount
{
  GObject  parent_instance;

  char    *key;
  char    *service_url;  /* NULL for the demo */
  char    *user_id;
  char    *tenant_name;
  char    *user_name;
  char    *ca_file;      /* NULL for none */
};

G_DEFINE_FINAL_TYPE (BdAccount, bd_account, G_TYPE_OBJECT)

static char *
nonempty_dup (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/*
 * GObject overrides
 */

static void
bd_account_finalize (GObject *object)
{
  BdAccount *self = (BdAccount *)object;

  g_free (self->key);
  g_free (self->service_url);
  g_free (self->user_id);
  g_free (self->tenant_name);
  g_free (self->user_name);
  g_free (self->ca_file);

  G_OBJECT_CLASS (bd_account_parent_class)->finalize (object);
}

static void
bd_account_class_init (BdAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bd_account_finalize;
}

static void
bd_account_init (BdAccount *self)
{
}

/*
 * Public API
 */

/**
 * bd_account_normalize_url:
 *
 * The form a service URL is kept, compared and hashed in: the scheme and
 * the host in lower case, no default port (443 for https, 80 for http), no
 * trailing slash. Text that is no URL comes back
 * as it was, without its trailing slashes.
 *
 * Returns: (transfer full): the URL
 */
char *
bd_account_normalize_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  gsize length;
  int port;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      path = g_strdup (url);
      length = strlen (path);
      while (length > 0 && path[length - 1] == '/')
        path[--length] = '\0';
      return g_steal_pointer (&path);
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  path = g_strdup (g_uri_get_path (uri));
  length = strlen (path);
  while (length > 0 && path[length - 1] == '/')
    path[--length] = '\0';

  /* https://h:443 is https://h: one account, one cache, one keyring item. */
  port = g_uri_get_port (uri);
  if ((port == 443 && g_str_equal (scheme, "https")) ||
      (port == 80 && g_str_equal (scheme, "http")))
    port = -1;

  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, g_uri_get_userinfo (uri), host,
                     port, path, g_uri_get_query (uri), g_uri_get_fragment (uri));
}

/**
 * bd_account_make_key:
 *
 * Returns: (transfer full): the key of the account of @user_id at
 *   @service_url: the normalised URL and the user id joined by a space, as
 *   the "last-account" setting keeps it
 */
char *
bd_account_make_key (const char *service_url,
                     const char *user_id)
{
  g_autofree char *url = NULL;

  g_return_val_if_fail (service_url != NULL && user_id != NULL, NULL);

  url = bd_account_normalize_url (service_url);
  return g_strconcat (url, " ", user_id, NULL);
}

/**
 * bd_account_new_demo:
 *
 * Returns: (transfer full): the built-in demo, whose service the app starts
 */
BdAccount *
bd_account_new_demo (void)
{
  BdAccount *self = g_object_new (BD_TYPE_ACCOUNT, NULL);

  self->key = g_strdup (BD_ACCOUNT_DEMO_KEY);
  return self;
}

/**
 * bd_account_new:
 * @ca_file: (nullable): a CA file to trust for this service; NULL or "" for none
 *
 * Returns: (transfer full): the account of @user_id at @service_url
 */
BdAccount *
bd_account_new (const char *service_url,
                const char *user_id,
                const char *tenant_name,
                const char *user_name,
                const char *ca_file)
{
  BdAccount *self;

  g_return_val_if_fail (service_url != NULL && *service_url != '\0', NULL);
  g_return_val_if_fail (user_id != NULL && *user_id != '\0', NULL);

  self = g_object_new (BD_TYPE_ACCOUNT, NULL);
  self->service_url = bd_account_normalize_url (service_url);
  self->user_id = g_strdup (user_id);
  self->key = g_strconcat (self->service_url, " ", user_id, NULL);
  self->tenant_name = g_strdup (tenant_name != NULL ? tenant_name : "");
  self->user_name = g_strdup (user_name != NULL ? user_name : "");
  self->ca_file = nonempty_dup (ca_file);
  return self;
}

/**
 * bd_account_new_from_variant:
 * @value: an "(sssss)" as the "accounts" setting holds them
 *
 * Returns: (transfer full) (nullable): the account, or NULL when @value
 *   names no service or no user (an edited setting)
 */
BdAccount *
bd_account_new_from_variant (GVariant *value)
{
  const char *url, *user_id, *tenant_name, *user_name, *ca_file;

  g_return_val_if_fail (value != NULL, NULL);

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("(sssss)")))
    return NULL;

  g_variant_get (value, "(&s&s&s&s&s)", &url, &user_id, &tenant_name, &user_name, &ca_file);
  if (*url == '\0' || *user_id == '\0')
    return NULL;

  return bd_account_new (url, user_id, tenant_name, user_name, ca_file);
}

/**
 * bd_account_to_variant:
 *
 * Returns: (transfer floating): the account as the "accounts" setting keeps it
 */
GVariant *
bd_account_to_variant (BdAccount *self)
{
  g_return_val_if_fail (BD_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (!bd_account_is_demo (self), NULL);

  return g_variant_new ("(sssss)", self->service_url, self->user_id, self->tenant_name,
                        self->user_name, self->ca_file != NULL ? self->ca_file : "");
}

gboolean
bd_account_is_demo (BdAccount *self)
{
  g_return_val_if_fail (BD_IS_ACCOUNT (self), FALSE);

  return self->service_url == NULL;
}

const char *
bd_account_get_key (BdAccount *self)
{
  g_return_val_if_fail (BD_IS_ACCOUNT (self), NULL);

  return self->key;
}

/**
 * bd_account_get_service_url:
 *
 * Returns: (nullable): the normalised URL; NULL for the demo
 */
const char *
bd_account_get_service_url (BdAccount *self)
{
  g_return_val_if_fail (BD_IS_ACCOUNT (self), NULL);

  return self->service_url;
}

/**
 * bd_account_get_user_id:
 *
 * Returns: (nullable): the user's id; NULL for the demo, whose user is
 *   chosen with Sign In As
 */
const char *
bd_account_get_user_id (BdAccount *self)
{
  g_return_val_if_fail (BD_IS_ACCOUNT (self), NULL);

  return self->user_id;
}

const char *
bd_account_get_tenant_name (BdAccount *self)
{
  g_return_val_if_fail (BD_IS_ACCOUNT (self), NULL);

  return self->tenant_name != NULL ? self->tenant_name : "";
}

const char *
bd_account_get_user_name (BdAccount *self)
{
  g_return_val_if_fail (BD_IS_ACCOUNT (self), NULL);

  return self->user_name != NULL ? self->user_name : "";
}

/**
 * bd_account_get_ca_file:
 *
 * Returns: (nullable): the CA file trusted for this service, or NULL
 */
const char *
bd_account_get_ca_file (BdAccount *self)
{
  g_return_val_if_fail (BD_IS_ACCOUNT (self), NULL);

  return self->ca_file;
}

/**
 * bd_account_dup_title:
 *
 * Returns: (transfer full): how menus name the account: "Demo", or the
 *   tenant and the user ("Contoso A/S – Anne Berg"), or the URL when the
 *   service gave no names
 */
char *
bd_account_dup_title (BdAccount *self)
{
  g_return_val_if_fail (BD_IS_ACCOUNT (self), NULL);

  if (bd_account_is_demo (self))
    return g_strdup (_("Demo"));

  if (*self->tenant_name == '\0' || *self->user_name == '\0')
    return g_strdup (self->service_url);

  /* Translators: an account in the Accounts menu: the organisation and the
   * user, such as "Contoso A/S – Anne Berg" */
  return g_strdup_printf (_("%1$s – %2$s"), self->tenant_name, self->user_name);
}
