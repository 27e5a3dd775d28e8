/* fuzz-subscription.c: one subscription, as the client and the service read it.
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bd-core.h"
#include "bd-fuzz.h"

static gint64 now;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  bd_fuzz_setup ();
  now = bd_fuzz_now ();
  return 0;
}

/* What the service writes, the client reads back the same. */
static void
check_round_trip (BdSubscription *subscription)
{
  const BdSubscriptionData *data = bd_subscription_get_data (subscription);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BdSubscription) again = NULL;
  g_autoptr(GError) error = NULL;

  bd_subscription_data_append_api_json (data, out);
  node = bd_json_parse (out->str, out->len, &error);
  bd_fuzz_check (node != NULL);
  again = bd_subscription_new_from_json (node, NULL, &error);
  if (again == NULL)
    g_printerr ("%s\n%s\n", out->str, error->message);
  bd_fuzz_check (again != NULL);
  bd_fuzz_check (bd_subscription_data_equal (data, bd_subscription_get_data (again)));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BdSubscription) subscription = NULL;
  g_autoptr(BdSubscriptionData) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) file_error = NULL;

  node = bd_json_parse ((const char *) data, size, &error);
  if (node == NULL)
    {
      bd_fuzz_check (error != NULL && g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  /* the API's resource (bd-client.c) */
  subscription = bd_subscription_new_from_json (node, NULL, &error);
  bd_fuzz_check ((subscription == NULL) == (error != NULL));
  if (subscription != NULL)
    check_round_trip (subscription);
  else
    bd_fuzz_check (g_utf8_validate (error->message, -1, NULL));

  /* a tenant file's subscription (bd-tenant-file.c) */
  stored = bd_subscription_data_read_json (node, "subscriptions[0]",
                                           BD_SUBSCRIPTION_JSON_TENANT_FILE, now, &file_error);
  bd_fuzz_check ((stored == NULL) == (file_error != NULL));
  if (file_error != NULL)
    bd_fuzz_check (g_utf8_validate (file_error->message, -1, NULL));

  return 0;
}
