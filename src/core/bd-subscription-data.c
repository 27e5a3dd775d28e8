/* bd-subscription-data.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-subscription-data"

#include "config.h"

#include <string.h>

#include "bd-json.h"
#include "bd-subscription-data.h"

/* The plain state of a subscription: what the rules read, the service
 * stores and BdSubscription shows. Its JSON is in bd-subscription-data-json.c.
 */

G_DEFINE_BOXED_TYPE (BdSubscriptionData, bd_subscription_data,
                     bd_subscription_data_copy, bd_subscription_data_free)

BdSubscriptionData *
bd_subscription_data_new (void)
{
  BdSubscriptionData *data = g_new0 (BdSubscriptionData, 1);

  data->status = BD_STATUS_ACTIVE;
  data->quantity = 1;
  data->billing_frequency = BD_BILLING_FREQUENCY_MONTHLY;
  data->recurring_billing = BD_RECURRING_BILLING_ON;
  data->purchase_channel = BD_PURCHASE_CHANNEL_DIRECT;
  data->start_date = BD_TIME_NONE;
  data->last_renewal_date = BD_TIME_NONE;
  data->term_end_date = BD_TIME_NONE;
  data->status_changed_date = BD_TIME_NONE;
  data->next_lifecycle_date = BD_TIME_NONE;
  data->cancellation_window_end = BD_TIME_NONE;
  for (guint i = 0; i < BD_N_ACTIONS; i++)
    data->action_blockers[i] = BD_BLOCKER_NONE;

  return data;
}

BdSubscriptionData *
bd_subscription_data_copy (const BdSubscriptionData *data)
{
  BdSubscriptionData *copy;

  g_return_val_if_fail (data != NULL, NULL);

  copy = g_memdup2 (data, sizeof *data);
  copy->id = g_strdup (data->id);
  copy->product_name = g_strdup (data->product_name);
  copy->billing_profile_id = g_strdup (data->billing_profile_id);
  copy->etag = g_strdup (data->etag);

  return copy;
}

void
bd_subscription_data_free (BdSubscriptionData *data)
{
  if (data == NULL)
    return;

  g_free (data->id);
  g_free (data->product_name);
  g_free (data->billing_profile_id);
  g_free (data->etag);
  g_free (data);
}

gboolean
bd_subscription_data_equal (const BdSubscriptionData *a,
                            const BdSubscriptionData *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->id, b->id) == 0 &&
         g_strcmp0 (a->product_name, b->product_name) == 0 &&
         a->status == b->status &&
         a->is_trial == b->is_trial &&
         a->is_domain_subscription == b->is_domain_subscription &&
         a->quantity == b->quantity &&
         a->assigned_licenses == b->assigned_licenses &&
         g_strcmp0 (a->billing_profile_id, b->billing_profile_id) == 0 &&
         a->billing_frequency == b->billing_frequency &&
         bd_money_equal (&a->unit_price, &b->unit_price) &&
         a->recurring_billing == b->recurring_billing &&
         a->purchase_channel == b->purchase_channel &&
         a->start_date == b->start_date &&
         a->last_renewal_date == b->last_renewal_date &&
         a->term_end_date == b->term_end_date &&
         a->status_changed_date == b->status_changed_date &&
         g_strcmp0 (a->etag, b->etag) == 0 &&
         a->next_lifecycle_date == b->next_lifecycle_date &&
         a->cancellation_window_end == b->cancellation_window_end &&
         a->allowed_actions == b->allowed_actions &&
         memcmp (a->action_blockers, b->action_blockers, sizeof a->action_blockers) == 0;
}

/**
 * bd_subscription_data_compute_etag:
 *
 * A strong ETag over the stored and derived state: the same for every user,
 * different whenever any of that state differs (docs/design.md section 3).
 *
 * Returns: (transfer full): the quoted ETag, such as `"3f2a…"`
 */
/* "%zu:%s": a string and its length in bytes. */
static void
append_sized (GString    *out,
              const char *str)
{
  gsize length = strlen (str);

  bd_json_append_int (out, (gint64) length);
  g_string_append_c (out, ':');
  bd_json_put (out, str, length);
}

static void
append_field (GString *out,
              gint64   value)
{
  g_string_append_c (out, '|');
  bd_json_append_int (out, value);
}

char *
bd_subscription_data_compute_etag (const BdSubscriptionData *data)
{
  static const char hex[] = "0123456789abcdef";
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GString) canonical = g_string_sized_new (160);
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  char *etag;

  g_return_val_if_fail (data != NULL, NULL);

  /* Strings are length-prefixed so that no two states share a canonical
   * form. Written without printf (a page of the list computes one a row),
   * byte for byte what "v1|%zu:%s|%zu:%s|%d|%d|%d|%u|%u|%zu:%s|%d|%" G_GINT64_FORMAT
   * "|%s|%d|%d|" and four times "%" G_GINT64_FORMAT wrote: ETags stay as they were.
   */
  g_string_append (canonical, "v1|");
  append_sized (canonical, data->id ? data->id : "");
  g_string_append_c (canonical, '|');
  append_sized (canonical, data->product_name ? data->product_name : "");
  append_field (canonical, data->status);
  append_field (canonical, data->is_trial);
  append_field (canonical, data->is_domain_subscription);
  append_field (canonical, data->quantity);
  append_field (canonical, data->assigned_licenses);
  g_string_append_c (canonical, '|');
  if (data->billing_profile_id != NULL)
    append_sized (canonical, data->billing_profile_id);
  else
    g_string_append (canonical, "0:-");
  append_field (canonical, data->billing_frequency);
  append_field (canonical, data->unit_price.amount);
  g_string_append_c (canonical, '|');
  g_string_append (canonical, data->unit_price.currency);
  append_field (canonical, data->recurring_billing);
  append_field (canonical, data->purchase_channel);
  append_field (canonical, data->start_date);
  append_field (canonical, data->last_renewal_date);
  append_field (canonical, data->term_end_date);
  append_field (canonical, data->status_changed_date);

  g_checksum_update (checksum, (const guchar *) canonical->str, (gssize) canonical->len);
  g_checksum_get_digest (checksum, digest, &digest_length);

  /* The quoted first 32 hex digits of the digest. */
  etag = g_malloc (35);
  etag[0] = '"';
  for (guint i = 0; i < 16; i++)
    {
      etag[1 + 2 * i] = hex[digest[i] >> 4];
      etag[2 + 2 * i] = hex[digest[i] & 0xf];
    }
  etag[33] = '"';
  etag[34] = '\0';

  return etag;
}
