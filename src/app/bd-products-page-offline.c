/* bd-products-page-offline.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-products-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-account.h"
#include "bd-list-cache.h"
#include "bd-products-page-private.h"

/* Your Products without the service: the account's last list, kept after
 * each complete load (bd-list-cache.c) and shown read-only when the service
 * cannot be reached; and Signed Out, when it refuses the account's token.
 */

typedef struct
{
  BdProductsPage *page;     /* not a reference: the load is cancelled in its dispose */
  char           *message;  /* why the load failed, for when nothing is cached */
} GoOffline;

static void
go_offline_free (GoOffline *data)
{
  g_free (data->message);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GoOffline, go_offline_free)

static void
show_cached (BdProductsPage   *self,
             BdListCacheEntry *entry)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  /* Offline before the rows come in, so that no row is bound live. */
  _bd_products_page_set_offline (self, TRUE);
  _bd_products_page_set_profile_names (self, entry->billing_profiles);
  g_list_store_splice (self->store, 0, n, entry->subscriptions->pdata,
                       entry->subscriptions->len);
  bd_offline_bar_show (self->offline_bar, entry->saved_at);
  _bd_products_page_refresh_rows (self);
  _bd_products_page_update_state (self);
}

static void
load_cache_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GoOffline) data = user_data;
  g_autoptr(BdListCacheEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  entry = bd_list_cache_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (entry != NULL)
    {
      show_cached (data->page, entry);
      return;
    }

  /* A cache that is not what the app wrote is as good as none: said in
   * the log, not to the user, who reads why the service is unreachable.
   */
  if (error != NULL)
    g_message ("%s", error->message);
  _bd_products_page_report_failure (data->page, data->message);
}

static void
save_cache_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The list is shown whatever becomes of its copy; worth a line in the log
   * (a save stopped for an account being removed is not).
   */
  if (!bd_list_cache_save_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("The list could not be kept for offline use: %s", error->message);
}

static void
page_sign_in_again_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  g_signal_emit_by_name (widget, "sign-in-again");
}

/*
 * Private API
 */

/* Whether @error says that the service cannot be reached now (rather than
 * that it refused the request): no connection, no answer in time, the
 * connection lost, or the service up without its database (503
 * `unavailable`). A proxy in front of the service (docs/deploy.md) says the
 * same with a page of its own: 502 or 504 when no instance answers it, 503.
 */
gboolean
_bd_products_page_is_offline_error (const GError *error)
{
  guint status = bd_client_error_get_http_status (error);

  return g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_UNREACHABLE) ||
         g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_TIMEOUT) ||
         g_error_matches (error, BD_CLIENT_ERROR, BD_CLIENT_ERROR_CONNECTION_LOST) ||
         bd_client_error_get_api_code (error) == BD_ERROR_CODE_UNAVAILABLE ||
         status == 502 || status == 503 || status == 504;
}

/* The load failed with @error, an offline one: the cached list, if there is
 * one, else what a failed load shows.
 */
void
_bd_products_page_go_offline (BdProductsPage *self,
                              const GError   *error)
{
  GoOffline *data = g_new0 (GoOffline, 1);

  data->page = self;
  data->message = g_strdup (error->message);
  bd_list_cache_load_async (self->service_url, self->user_id, self->cancellable, load_cache_cb,
                            data);
}

void
_bd_products_page_leave_offline (BdProductsPage *self)
{
  if (!self->offline)
    return;

  _bd_products_page_set_offline (self, FALSE);
  bd_offline_bar_hide (self->offline_bar);
  _bd_products_page_refresh_rows (self);
}

/* Keeps the list once both of its parts are in, live. */
void
_bd_products_page_save_cache (BdProductsPage *self)
{
  if (self->service_url == NULL || self->cache_stopped || self->offline ||
      !self->list_complete || self->billing_profiles == NULL)
    return;

  if (self->save_cancellable == NULL)
    self->save_cancellable = g_cancellable_new ();
  bd_list_cache_save_async (self->service_url, self->user_id, G_LIST_MODEL (self->store),
                            self->billing_profiles, self->loaded_at, self->save_cancellable,
                            save_cache_cb, NULL);
  self->list_complete = FALSE;
}

/* @reason: (nullable): why the account is signed out, or NULL when the
 * service refused its token
 */
void
_bd_products_page_show_signed_out (BdProductsPage *self,
                                   const char     *reason)
{
  gboolean account = self->service_url != NULL;
  char *kept = g_strdup (reason);

  g_free (self->signed_out_reason);
  self->signed_out_reason = kept;

  g_list_store_remove_all (self->store);
  _bd_products_page_leave_offline (self);

  /* A saved account signs in again through the window's Add Account form;
   * a service given on the command line can only be tried again.
   */
  if (account)
    {
      g_autofree char *description = NULL;

      description = g_markup_printf_escaped ("<b>%s</b>\n%s", self->account_title,
                                             reason != NULL ? reason
                                             : _("The billing service no longer accepts this "
                                                 "account’s token."));
      adw_status_page_set_description (self->signed_out_page, description);
    }
  else
    {
      /* The sentence a refused change says too (bd-client-error.c). */
      adw_status_page_set_description (self->signed_out_page,
                                       _("The billing service no longer accepts this account’s "
                                         "token. Ask your administrator for a new token, then "
                                         "start Billing Desk with it."));
    }
  gtk_widget_set_visible (self->sign_in_again_button, account);
  gtk_widget_set_visible (self->signed_out_try_again_button, !account);

  gtk_stack_set_visible_child_name (self->stack, "signed-out");
  _bd_products_page_update_state (self);
}

/* Why no row may be acted on, or NULL when they may. */
const char *
_bd_products_page_unavailable_reason (BdProductsPage *self)
{
  return self->offline ? _("Billing Desk can’t reach the billing service") : NULL;
}

void
_bd_products_page_class_init_offline (GtkWidgetClass *widget_class)
{
  /**
   * BdProductsPage::sign-in-again:
   *
   * Sign In Again was pressed on the Signed Out page: the window asks for
   * a new token for the account.
   */
  g_signal_new ("sign-in-again", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "page.sign-in-again", NULL,
                                   page_sign_in_again_action);
}

/*
 * Public API
 */

/**
 * bd_products_page_set_account:
 * @title: the account's title, as the Signed Out page names it
 * @service_url: (nullable): its service, or %NULL for one whose list is not
 *   cached (the demo)
 * @user_id: (nullable): the user its token signs in as; with @service_url
 *
 * Says which account the page shows, for its cached list and its Signed
 * Out page. Call it before bd_products_page_set_client () with that
 * account's client: another account takes the page's rows, its cached
 * list and its client with it, so that nothing of one account is shown or
 * kept under another's name.
 */
void
bd_products_page_set_account (BdProductsPage *self,
                              const char     *title,
                              const char     *service_url,
                              const char     *user_id)
{
  g_autofree char *url = NULL;

  g_return_if_fail (BD_IS_PRODUCTS_PAGE (self));
  g_return_if_fail (title != NULL);
  g_return_if_fail ((service_url == NULL) == (user_id == NULL));

  g_free (self->account_title);
  self->account_title = g_strdup (title);

  url = service_url != NULL ? bd_account_normalize_url (service_url) : NULL;
  if (g_strcmp0 (url, self->service_url) == 0 && g_strcmp0 (user_id, self->user_id) == 0)
    {
      /* The same account, renamed: Signed Out names it anew. */
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "signed-out") == 0)
        _bd_products_page_show_signed_out (self, self->signed_out_reason);
      return;
    }

  g_free (self->service_url);
  self->service_url = g_steal_pointer (&url);
  g_free (self->user_id);
  self->user_id = g_strdup (user_id);

  /* A save of the previous account's list may still be writing it: it is
   * that account's, and kept (its window did not leave it for its removal).
   */
  g_clear_object (&self->save_cancellable);
  self->cache_stopped = FALSE;

  /* Whatever the client (there is none after a missing token, an unsafe
   * URL or a service that did not start), the page is reset: the previous
   * account's error or Signed Out is never shown under this one's title.
   */
  g_clear_object (&self->client);
  _bd_products_page_clear (self);
}

/**
 * bd_products_page_show_signed_out:
 * @reason: (nullable): why, translated, such as that no token is kept for
 *   the account; %NULL for a token the service refused
 *
 * Shows the Signed Out page of the account set with
 * bd_products_page_set_account ().
 */
void
bd_products_page_show_signed_out (BdProductsPage *self,
                                  const char     *reason)
{
  g_return_if_fail (BD_IS_PRODUCTS_PAGE (self));

  _bd_products_page_show_signed_out (self, reason);
}

/**
 * bd_products_page_stop_caching:
 *
 * The account shown is being removed: its list is not kept any more, and
 * a save of it in flight stops before it writes the file. Until another
 * account is set.
 */
void
bd_products_page_stop_caching (BdProductsPage *self)
{
  g_return_if_fail (BD_IS_PRODUCTS_PAGE (self));

  self->cache_stopped = TRUE;
  g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
}

/**
 * bd_products_page_is_offline:
 *
 * Returns: whether the rows are the account's cached list, read-only,
 *   because the service cannot be reached
 */
gboolean
bd_products_page_is_offline (BdProductsPage *self)
{
  g_return_val_if_fail (BD_IS_PRODUCTS_PAGE (self), FALSE);

  return self->offline;
}
