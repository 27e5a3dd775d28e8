/* bd-add-account-window-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-add-account-window.h"
#include "bd-client.h"

G_BEGIN_DECLS

/* What the two parts of Add Account share: the window, its fields and
 * what it shows (bd-add-account-window.c); Sign In, Add and the token
 * store's check (bd-add-account-window-requests.c).
 */

/* Where Add will keep the token: the token store is asked once, when the
 * window opens, and the answer is shown beside the account before Add.
 */
typedef enum
{
  STORAGE_UNKNOWN,
  STORAGE_KEYRING,
  STORAGE_SESSION,
} Storage;

struct _BdAddAccountWindow
{
  AdwWindow             parent_instance;

  BdAccountList        *accounts;
  BdTokenStore         *token_store;
  BdAccount            *account;            /* Sign In Again: whose token is replaced */
  char                 *ca_file;
  GTlsDatabase         *ca_database;        /* ca_file read, once it is */
  GError               *ca_error;           /* or why it could not be */
  GCancellable         *ca_cancellable;     /* the reads of CA files; cancelled once disposed */
  guint                 n_reading;          /* CA files being read in a thread */
  gboolean              sign_in_pending;    /* Sign In pressed while one was */
  GCancellable         *cancellable;        /* Sign In's request */
  GCancellable         *check_cancellable;  /* the token store's check; NULL once disposed */
  GtkFileChooserNative *chooser;
  Storage               storage;
  gboolean              busy;               /* Sign In or Add in flight */
  gboolean              storing;            /* Add in flight: the window stays */
  gboolean              added;              /* added, the token session-only though the
                                             * keyring was found: said, then Done */

  /* What Sign In asked, then what it found: no result, no Add. */
  char                 *service_url;
  char                 *token;
  char                 *signed_in_ca_file;
  BdUser               *user;
  BdTenant             *tenant;

  AdwWindowTitle       *window_title;
  GtkWidget            *form;
  AdwEntryRow          *url_row;
  AdwPasswordEntryRow  *token_row;
  AdwActionRow         *ca_row;
  GtkSpinner           *spinner;
  GtkLabel             *error_label;
  GtkWidget            *result_box;
  AdwActionRow         *result_row;
  GtkWidget            *sign_in_button;
  GtkWidget            *add_button;
};

void          _bd_add_account_window_wipe_token     (char               **token);
void          _bd_add_account_window_update_actions (BdAddAccountWindow  *self);
void          _bd_add_account_window_set_busy       (BdAddAccountWindow  *self,
                                                     gboolean             busy);
void          _bd_add_account_window_show_error     (BdAddAccountWindow  *self,
                                                     const char          *message);
void          _bd_add_account_window_show_result    (BdAddAccountWindow  *self);
void          _bd_add_account_window_clear_result   (BdAddAccountWindow  *self);
void          _bd_add_account_window_read_ca_file   (BdAddAccountWindow  *self,
                                                     const char          *ca_file,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GTlsDatabase *_bd_add_account_window_read_ca_file_finish
                                                    (BdAddAccountWindow  *self,
                                                     GAsyncResult        *result,
                                                     const char         **ca_file,
                                                     GError             **error);
void          _bd_add_account_window_read_ca_done   (BdAddAccountWindow  *self);
void          _bd_add_account_window_sign_in        (BdAddAccountWindow  *self);
void          _bd_add_account_window_add            (BdAddAccountWindow  *self);
void          _bd_add_account_window_check          (BdAddAccountWindow  *self);

G_END_DECLS
