/* service-tenant.h: the tenant the service tests run on, at 2026-11-03T00:00:00Z.
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#define NOW "2026-11-03T00:00:00Z"

#define ADMIN "token-global-admin-0001"
#define BILLING "token-billing-admin-0002"
#define READER "token-global-reader-0003"
#define USER "token-plain-user-0004"

#define SUB(id, product, extra) \
  "{\"id\":\"" id "\",\"productName\":\"" product "\",\"status\":\"active\"," \
  "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":15900,\"currency\":\"DKK\"}," \
  "\"startDate\":\"2026-11-01T00:00:00Z\",\"lastRenewalDate\":\"2026-11-01T00:00:00Z\"," \
  "\"termEndDate\":\"2026-12-01T00:00:00Z\"," extra "}"

#define TENANT \
  "{\"tenant\":{\"displayName\":\"Contoso A/S\",\"cloud\":\"worldwide\",\"currency\":\"DKK\"}," \
  "\"users\":[" \
  "{\"id\":\"u1\",\"displayName\":\"Anne Berg\",\"roles\":[\"globalAdmin\"],\"token\":\"" ADMIN "\"}," \
  "{\"id\":\"u2\",\"displayName\":\"Søren Kjær\",\"roles\":[\"billingAdmin\"],\"token\":\"" BILLING "\"}," \
  "{\"id\":\"u3\",\"displayName\":\"Mette Ågård\",\"roles\":[\"globalReader\"],\"token\":\"" READER "\"}," \
  "{\"id\":\"u4\",\"displayName\":\"Ib Holm\",\"roles\":[\"user\"],\"token\":\"" USER "\"}]," \
  "\"billingProfiles\":[{\"id\":\"bp1\",\"displayName\":\"Contoso invoices\",\"paymentMethod\":\"invoice\"}]," \
  "\"domains\":[{\"name\":\"contoso.dk\",\"subscriptionIds\":[\"s6\"]}]," \
  "\"subscriptions\":[" \
  SUB ("s1", "Microsoft 365 Business Premium", "\"quantity\":10,\"assignedLicenses\":8,\"billingProfileId\":\"bp1\"") "," \
  SUB ("s2", "Microsoft 365 Business Premium", "\"quantity\":5,\"assignedLicenses\":5") "," \
  SUB ("s3", "Microsoft 365 Business Standard", "\"quantity\":25,\"assignedLicenses\":20") "," \
  SUB ("s4", "Microsoft 365 Business Standard", "\"quantity\":26,\"assignedLicenses\":20") "," \
  SUB ("s5", "Exchange Online (Plan 1)", "\"quantity\":3,\"isTrial\":true,\"billingProfileId\":\"bp1\"") "," \
  SUB ("s6", "Exchange Online (Plan 2)", "\"quantity\":4") "," \
  SUB ("s7", "Domain", "\"quantity\":1,\"isDomainSubscription\":true") "," \
  SUB ("s8", "Microsoft 365 Apps for business", "\"quantity\":2,\"purchaseChannel\":\"reseller\"") "," \
  "{\"id\":\"s9\",\"productName\":\"Project Plan 3\",\"status\":\"expired\",\"quantity\":2," \
  "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":22380,\"currency\":\"DKK\"}," \
  "\"recurringBilling\":\"off\",\"startDate\":\"2026-09-30T00:00:00Z\"," \
  "\"lastRenewalDate\":\"2026-09-30T00:00:00Z\",\"termEndDate\":\"2026-10-30T00:00:00Z\"," \
  "\"statusChangedDate\":\"2026-10-30T00:00:00Z\"}," \
  "{\"id\":\"s10\",\"productName\":\"Visio Plan 2\",\"status\":\"disabled\",\"quantity\":2," \
  "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":11240,\"currency\":\"DKK\"}," \
  "\"recurringBilling\":\"off\",\"startDate\":\"2026-10-01T00:00:00Z\"," \
  "\"lastRenewalDate\":\"2026-10-01T00:00:00Z\",\"termEndDate\":\"2026-10-25T00:00:00Z\"," \
  "\"statusChangedDate\":\"2026-10-25T00:00:00Z\"}," \
  "{\"id\":\"s11\",\"productName\":\"Power BI Pro\",\"status\":\"deleted\",\"quantity\":1," \
  "\"billingFrequency\":\"monthly\",\"unitPrice\":{\"amount\":10150,\"currency\":\"DKK\"}," \
  "\"recurringBilling\":\"off\",\"startDate\":\"2026-08-01T00:00:00Z\"," \
  "\"lastRenewalDate\":\"2026-08-01T00:00:00Z\",\"termEndDate\":\"2026-09-01T00:00:00Z\"," \
  "\"statusChangedDate\":\"2026-10-01T00:00:00Z\"}," \
  SUB ("s12", "Microsoft Teams Essentials", "\"quantity\":3,\"purchaseChannel\":\"prepaid\"") \
  "]}"
