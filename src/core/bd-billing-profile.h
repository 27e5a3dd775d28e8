/* bd-billing-profile.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bd-core-types.h"

G_BEGIN_DECLS

#define BD_TYPE_BILLING_PROFILE (bd_billing_profile_get_type ())

G_DECLARE_FINAL_TYPE (BdBillingProfile, bd_billing_profile, BD, BILLING_PROFILE, GObject)

BdBillingProfile *bd_billing_profile_new                (const char        *id,
                                                         const char        *display_name,
                                                         BdPaymentMethod    payment_method);
BdBillingProfile *bd_billing_profile_new_from_json      (JsonNode          *node,
                                                         const char        *path,
                                                         GError           **error);
const char       *bd_billing_profile_get_id             (BdBillingProfile  *self);
const char       *bd_billing_profile_get_display_name   (BdBillingProfile  *self);
BdPaymentMethod   bd_billing_profile_get_payment_method (BdBillingProfile  *self);
void              bd_billing_profile_to_json            (BdBillingProfile  *self,
                                                         JsonBuilder       *builder);

G_END_DECLS
