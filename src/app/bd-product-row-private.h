/* bd-product-row-private.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-product-row.h"

G_BEGIN_DECLS

/* One subscription on Your Products: product, licenses, status, what
 * happens next and when, recurring billing, billing profile, and the
 * refund window while it is open.
 */
struct _BdProductRow
{
  GtkWidget       parent_instance;

  BdSubscription *subscription;
  char           *profile_name;
  char           *unavailable_reason; /* every action off, for this reason */
  gint64          now;
  gulong          notify_id;
  gboolean        selection_mode; /* the check box shows */
  gboolean        setting_check;  /* the check box is set, not toggled by the user */

  GtkCheckButton *select_check;   /* made when selection mode first shows */
  GtkLabel       *product_label;
  GtkLabel       *channel_tag;
  GtkLabel       *trial_tag;
  GtkLabel       *details_label;
  GtkLabel       *window_label;
  GtkLabel       *licenses_label;
  GtkLabel       *status_label;
  GtkMenuButton  *menu_button;
  GMenuModel     *actions_menu;
  GMenu          *reasons_section;
  gboolean        menu_built;  /* the menu is made when first opened */
};

/* The row's layout (bd-product-row-layout.c): GtkWidget's vfuncs. */
GtkSizeRequestMode _bd_product_row_get_request_mode (GtkWidget      *widget);
void               _bd_product_row_measure          (GtkWidget      *widget,
                                                     GtkOrientation  orientation,
                                                     int             for_size,
                                                     int            *minimum,
                                                     int            *natural,
                                                     int            *minimum_baseline,
                                                     int            *natural_baseline);
void               _bd_product_row_size_allocate    (GtkWidget      *widget,
                                                     int             width,
                                                     int             height,
                                                     int             baseline);

G_END_DECLS
