/* bd-products-page-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-bulk-run.h"
#include "bd-offline-bar.h"
#include "bd-products-page.h"

G_BEGIN_DECLS

/* What the parts of Your Products share: the list, its loading and its
 * states (bd-products-page.c); the account's cached list, shown read-only
 * when the service cannot be reached, and Signed Out
 * (bd-products-page-offline.c); the search and the status filter
 * (bd-products-page-search.c); the rows received going into the list a
 * piece at a time (bd-products-page-pieces.c).
 */
struct _BdProductsPage
{
  GtkWidget           parent_instance;

  BdClient           *client;
  GCancellable       *cancellable;
  GListStore         *store;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  GHashTable         *incoming;      /* id -> BdSubscription, while reloading */
  GPtrArray          *incoming_order; /* the same, in the service's order */
  GPtrArray          *pending;       /* rows received, not yet in the store ... */
  guint               pending_next;  /* ... from this index on */
  guint               splice_id;     /* the tick callback that splices them, a piece a frame */
  gboolean            last_page_in;  /* every page received: done once spliced */
  GPtrArray          *bound_rows;    /* the BdProductRows showing an item now */
  GHashTable         *profile_names; /* billing profile id -> display name */
  gint64              server_time;   /* the service's clock ... */
  gint64              server_time_at; /* ... as read at this monotonic time */
  gboolean            loading;

  /* The account shown: its cache, and the Signed Out page's title. */
  char               *account_title;
  char               *service_url;   /* NULL: nothing is cached (the demo) */
  char               *user_id;
  char               *signed_out_reason; /* NULL: the service refused the token */
  /* Saving the list: stopped for an account being removed. */
  GCancellable       *save_cancellable;
  gboolean            cache_stopped;
  /* The load in progress, until both parts are in and the cache is saved. */
  gboolean            list_complete;
  GPtrArray          *billing_profiles;
  gint64              loaded_at;
  /* The rows are the cached list, read-only. */
  gboolean            offline;

  /* Selection mode and the bulk run (bd-products-page-selection.c). */
  GtkSelectionModel  *no_selection;
  GtkMultiSelection  *multi_selection;
  gboolean            selection_mode;
  BdBulkRun          *bulk_run;       /* while it runs */
  GCancellable       *bulk_cancellable; /* cancelled only when the page goes */
  gulong              bulk_progress_id;

  GtkWidget          *box;           /* bound, so that dispose unparents it */
  BdOfflineBar       *offline_bar;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *status_filter;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_page;
  GtkWidget          *try_again_button;
  AdwStatusPage      *signed_out_page;
  GtkWidget          *sign_in_again_button;
  GtkWidget          *signed_out_try_again_button;
  GtkListView        *list_view;
  GtkLabel           *count_label;
  GtkActionBar       *action_bar;
  GtkLabel           *selection_label;
  GtkSpinner         *bulk_spinner;
  GtkWidget          *turn_off_button;
  GtkWidget          *stop_button;
};

void         _bd_products_page_update_state        (BdProductsPage *self);
void         _bd_products_page_refresh_rows        (BdProductsPage *self);
void         _bd_products_page_set_profile_names   (BdProductsPage *self,
                                                    GPtrArray      *profiles);
void         _bd_products_page_report_failure      (BdProductsPage *self,
                                                    const char     *message);
void         _bd_products_page_clear               (BdProductsPage *self);
void         _bd_products_page_set_offline         (BdProductsPage *self,
                                                    gboolean        offline);

gboolean     _bd_products_page_is_offline_error    (const GError   *error);
void         _bd_products_page_go_offline          (BdProductsPage *self,
                                                    const GError   *error);
void         _bd_products_page_leave_offline       (BdProductsPage *self);
void         _bd_products_page_save_cache          (BdProductsPage *self);
void         _bd_products_page_show_signed_out     (BdProductsPage *self,
                                                    const char     *reason);
const char  *_bd_products_page_unavailable_reason  (BdProductsPage *self);
void         _bd_products_page_class_init_offline  (GtkWidgetClass *widget_class);

void         _bd_products_page_queue_rows          (BdProductsPage *self,
                                                    GPtrArray      *page);
void         _bd_products_page_clear_pending       (BdProductsPage *self);
void         _bd_products_page_finish_load         (BdProductsPage *self);

void         _bd_products_page_init_selection      (BdProductsPage *self);
void         _bd_products_page_dispose_selection   (BdProductsPage *self);
void         _bd_products_page_setup_selection     (BdProductsPage *self,
                                                    GtkListItem    *item);
void         _bd_products_page_bind_selection      (BdProductsPage *self,
                                                    GtkListItem    *item);
void         _bd_products_page_update_selection    (BdProductsPage *self);
void         _bd_products_page_set_property        (GObject        *object,
                                                    guint           prop_id,
                                                    const GValue   *value,
                                                    GParamSpec     *pspec);
GParamSpec  *_bd_products_page_new_selection_mode_pspec (void);
void         _bd_products_page_class_init_selection (GtkWidgetClass *widget_class);

GtkCustomFilter *_bd_products_page_new_filter        (BdProductsPage *self);
void             _bd_products_page_class_init_search (GtkWidgetClass *widget_class);

G_END_DECLS
