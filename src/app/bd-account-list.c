/* bd-account-list.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-account-list"

#include "config.h"

#include "bd-account-list.h"

struct _BdAccountList
{
  GObject    parent_instance;

  GSettings *settings;
  GPtrArray *accounts;  /* BdAccount: the demo, then the "accounts" setting's */
};

static void bd_account_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BdAccountList, bd_account_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bd_account_list_model_init))

static GVariant *
accounts_to_variant (BdAccountList *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssss)"));
  for (guint i = 1; i < self->accounts->len; i++)
    g_variant_builder_add_value (&builder,
                                 bd_account_to_variant (g_ptr_array_index (self->accounts, i)));

  return g_variant_builder_end (&builder);
}

static gint
find_key (BdAccountList *self,
          const char    *key)
{
  for (guint i = 0; i < self->accounts->len; i++)
    {
      if (g_strcmp0 (bd_account_get_key (g_ptr_array_index (self->accounts, i)), key) == 0)
        return (gint) i;
    }

  return -1;
}

static void
save (BdAccountList *self)
{
  g_settings_set_value (self->settings, "accounts", accounts_to_variant (self));
}

/* Reads the setting again, when another window or instance changed it (or
 * someone edited it): entries that are no account, or a second entry for a
 * key, are left out.
 */
static void
on_settings_accounts_changed_cb (BdAccountList *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "accounts");
  g_autoptr(GVariant) current = g_variant_ref_sink (accounts_to_variant (self));
  g_autoptr(GPtrArray) accounts = NULL;
  guint removed;
  GVariantIter iter;
  GVariant *child;

  if (g_variant_equal (value, current))
    return;

  accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_variant_iter_init (&iter, value);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      BdAccount *account = bd_account_new_from_variant (child);
      gboolean seen = FALSE;

      g_variant_unref (child);
      if (account == NULL)
        continue;

      for (guint i = 0; i < accounts->len && !seen; i++)
        seen = g_str_equal (bd_account_get_key (g_ptr_array_index (accounts, i)),
                            bd_account_get_key (account));
      if (seen)
        g_object_unref (account);
      else
        g_ptr_array_add (accounts, account);
    }

  removed = self->accounts->len - 1;
  g_ptr_array_remove_range (self->accounts, 1, removed);
  for (guint i = 0; i < accounts->len; i++)
    g_ptr_array_add (self->accounts, g_object_ref (g_ptr_array_index (accounts, i)));

  g_list_model_items_changed (G_LIST_MODEL (self), 1, removed, accounts->len);
}

/*
 * GListModel
 */

static GType
bd_account_list_get_item_type (GListModel *model)
{
  return BD_TYPE_ACCOUNT;
}

static guint
bd_account_list_get_n_items (GListModel *model)
{
  return BD_ACCOUNT_LIST (model)->accounts->len;
}

static gpointer
bd_account_list_get_item (GListModel *model,
                          guint       position)
{
  BdAccountList *self = BD_ACCOUNT_LIST (model);

  if (position >= self->accounts->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
bd_account_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bd_account_list_get_item_type;
  iface->get_n_items = bd_account_list_get_n_items;
  iface->get_item = bd_account_list_get_item;
}

/*
 * GObject overrides
 */

static void
bd_account_list_dispose (GObject *object)
{
  BdAccountList *self = (BdAccountList *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bd_account_list_parent_class)->dispose (object);
}

static void
bd_account_list_finalize (GObject *object)
{
  BdAccountList *self = (BdAccountList *)object;

  g_clear_pointer (&self->accounts, g_ptr_array_unref);

  G_OBJECT_CLASS (bd_account_list_parent_class)->finalize (object);
}

static void
bd_account_list_class_init (BdAccountListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bd_account_list_dispose;
  object_class->finalize = bd_account_list_finalize;
}

static void
bd_account_list_init (BdAccountList *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->accounts, bd_account_new_demo ());
}

/*
 * Public API
 */

/**
 * bd_account_list_new:
 * @settings: the app's settings, with the "accounts" key
 *
 * Returns: (transfer full): the accounts, the demo first
 */
BdAccountList *
bd_account_list_new (GSettings *settings)
{
  BdAccountList *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BD_TYPE_ACCOUNT_LIST, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::accounts",
                           G_CALLBACK (on_settings_accounts_changed_cb), self, G_CONNECT_SWAPPED);
  on_settings_accounts_changed_cb (self);
  return self;
}

/**
 * bd_account_list_lookup:
 * @key: "demo", or the key of bd_account_make_key ()
 *
 * Returns: (transfer none) (nullable): the account with that key
 */
BdAccount *
bd_account_list_lookup (BdAccountList *self,
                        const char    *key)
{
  gint position;

  g_return_val_if_fail (BD_IS_ACCOUNT_LIST (self), NULL);

  position = find_key (self, key);
  return position >= 0 ? g_ptr_array_index (self->accounts, position) : NULL;
}

/**
 * bd_account_list_add:
 *
 * Adds @account at the end and saves the list; an account with the same
 * key is replaced where it is (its names or CA file may have changed).
 */
void
bd_account_list_add (BdAccountList *self,
                     BdAccount     *account)
{
  gint position;

  g_return_if_fail (BD_IS_ACCOUNT_LIST (self));
  g_return_if_fail (BD_IS_ACCOUNT (account));
  g_return_if_fail (!bd_account_is_demo (account));

  position = find_key (self, bd_account_get_key (account));
  if (position >= 0)
    {
      BdAccount *old = g_ptr_array_index (self->accounts, position);

      g_ptr_array_index (self->accounts, position) = g_object_ref (account);
      g_object_unref (old);
    }
  else
    g_ptr_array_add (self->accounts, g_object_ref (account));

  save (self);
  if (position >= 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), self->accounts->len - 1, 0, 1);
}

/**
 * bd_account_list_remove:
 *
 * Removes the account with @key and saves the list. The demo stays.
 *
 * Returns: whether there was such an account to remove
 */
gboolean
bd_account_list_remove (BdAccountList *self,
                        const char    *key)
{
  gint position;

  g_return_val_if_fail (BD_IS_ACCOUNT_LIST (self), FALSE);

  position = find_key (self, key);
  if (position <= 0)
    return FALSE;

  g_ptr_array_remove_index (self->accounts, position);
  save (self);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}
