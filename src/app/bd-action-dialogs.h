/* bd-action-dialogs.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* The row menu's other actions (all but Cancel Subscription), each an
 * AdwMessageDialog that sends its own request: Edit Recurring Billing, Buy
 * or Remove Licenses, Reactivate Subscription and Delete Subscription.
 *
 * A dialog stays open while its request is in flight and shows a refusal
 * inside itself, with the form kept; it closes on success, after updating
 * its subscription in place with the service's answer (so the row
 * follows), or when the user dismisses it. Either way its BdActionDoneFunc
 * is called exactly once. Destroying the dialog cancels its request.
 */

#include "bd-action-dialog.h"
#include "bd-delete-dialog.h"
#include "bd-licenses-dialog.h"
#include "bd-reactivate-dialog.h"
#include "bd-recurring-billing-dialog.h"
