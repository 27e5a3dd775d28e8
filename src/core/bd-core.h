/* bd-core.h
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bd-api-error.h"
#include "bd-billing-profile.h"
#include "bd-cancel-answer.h"
#include "bd-cancel-parts.h"
#include "bd-cancellation.h"
#include "bd-core-enums.h"
#include "bd-core-types.h"
#include "bd-domain.h"
#include "bd-error.h"
#include "bd-json.h"
#include "bd-lifecycle.h"
#include "bd-money.h"
#include "bd-operation.h"
#include "bd-rules.h"
#include "bd-subscription.h"
#include "bd-subscription-data.h"
#include "bd-tenant.h"
#include "bd-tenant-file.h"
#include "bd-time.h"
#include "bd-user.h"
