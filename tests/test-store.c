/* test-store.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bd-store-sqlite.h"
#include "bd-token.h"
#include "bd-test-utils.h"

/* Every tenant here is read with the clock at the worked example's moment
 * (docs/design.md section 3).
 */
#define NOW "2026-11-03T00:00:00Z"

#define ANNE_TOKEN "tok-anne-5e1f0c2a9b7d"
#define BO_TOKEN   "tok-bo-77d3e4a1c0"

/* The offsets of SQLite's file header (https://sqlite.org/fileformat.html). */
#define HEADER_WRITE_VERSION 18
#define HEADER_READ_VERSION  19
#define HEADER_USER_VERSION  60

/* Five subscriptions whose product names test the list's order: two equal
 * names (ids decide), and "a" and "Ä" after "Z", as code points say.
 * Expected order: s2, s4, s1, s5, s3.
 */
static const char tenant_file[] =
  "{\n"
  "  \"tenant\": {\"displayName\": \"Contoso A/S\", \"cloud\": \"21vianet\", \"currency\": \"DKK\"},\n"
  "  \"users\": [\n"
  "    {\"id\": \"u1\", \"displayName\": \"Anne Berg\", \"roles\": [\"globalAdmin\"],\n"
  "     \"token\": \"" ANNE_TOKEN "\"},\n"
  "    {\"id\": \"u2\", \"displayName\": \"Bo Holm\", \"roles\": [\"globalReader\", \"user\"],\n"
  "     \"token\": \"" BO_TOKEN "\"}\n"
  "  ],\n"
  "  \"billingProfiles\": [\n"
  "    {\"id\": \"bp2\", \"displayName\": \"Contoso card\", \"paymentMethod\": \"card\"},\n"
  "    {\"id\": \"bp1\", \"displayName\": \"Contoso invoices\", \"paymentMethod\": \"invoice\"}\n"
  "  ],\n"
  "  \"domains\": [\n"
  "    {\"name\": \"contoso.dk\", \"subscriptionIds\": [\"s4\", \"s2\"]},\n"
  "    {\"name\": \"contoso.com\", \"subscriptionIds\": []}\n"
  "  ],\n"
  "  \"subscriptions\": [\n"
  "    {\"id\": \"s1\", \"productName\": \"Zeta Workspace\", \"status\": \"active\",\n"
  "     \"quantity\": 10, \"assignedLicenses\": 8, \"billingProfileId\": \"bp1\",\n"
  "     \"billingFrequency\": \"monthly\", \"unitPrice\": {\"amount\": 15900, \"currency\": \"DKK\"},\n"
  "     \"startDate\": \"2026-11-01T00:00:00Z\", \"lastRenewalDate\": \"2026-11-01T00:00:00Z\",\n"
  "     \"termEndDate\": \"2026-12-01T00:00:00Z\"},\n"
  "    {\"id\": \"s2\", \"productName\": \"Exchange Online\", \"status\": \"active\",\n"
  "     \"quantity\": 40, \"assignedLicenses\": 40, \"billingFrequency\": \"annual\",\n"
  "     \"unitPrice\": {\"amount\": 48000, \"currency\": \"DKK\"}, \"recurringBilling\": \"renewOnce\",\n"
  "     \"purchaseChannel\": \"reseller\", \"startDate\": \"2024-06-15T00:00:00Z\",\n"
  "     \"lastRenewalDate\": \"2026-06-15T00:00:00Z\", \"termEndDate\": \"2027-06-15T00:00:00Z\"},\n"
  "    {\"id\": \"s3\", \"productName\": \"Ärger Manager\", \"status\": \"expired\",\n"
  "     \"quantity\": 5, \"billingFrequency\": \"annual\",\n"
  "     \"unitPrice\": {\"amount\": 36000, \"currency\": \"DKK\"}, \"recurringBilling\": \"off\",\n"
  "     \"purchaseChannel\": \"prepaid\", \"startDate\": \"2025-10-24T00:00:00Z\",\n"
  "     \"lastRenewalDate\": \"2025-10-24T00:00:00Z\", \"termEndDate\": \"2026-10-24T00:00:00Z\",\n"
  "     \"statusChangedDate\": \"now-10d\"},\n"
  "    {\"id\": \"s4\", \"productName\": \"Exchange Online\", \"status\": \"active\",\n"
  "     \"isTrial\": true, \"quantity\": 25, \"billingProfileId\": \"bp2\",\n"
  "     \"billingFrequency\": \"monthly\", \"unitPrice\": {\"amount\": 0, \"currency\": \"DKK\"},\n"
  "     \"startDate\": \"now-3d\", \"lastRenewalDate\": \"now-3d\", \"termEndDate\": \"now+27d12h\"},\n"
  "    {\"id\": \"s5\", \"productName\": \"abc Tools\", \"status\": \"active\",\n"
  "     \"isDomainSubscription\": true, \"quantity\": 1, \"billingProfileId\": \"bp1\",\n"
  "     \"billingFrequency\": \"triennial\",\n"
  "     \"unitPrice\": {\"amount\": 100000000, \"currency\": \"DKK\"},\n"
  "     \"startDate\": \"now\", \"lastRenewalDate\": \"now\", \"termEndDate\": \"now+1096d\"}\n"
  "  ]\n"
  "}\n";

static const char * const list_order[] = { "s2", "s4", "s1", "s5", "s3" };

typedef struct
{
  char *dir;
  char *path;
  char *location;  /* path, or a PostgreSQL database (bd_test_database_new ()) */
} Fixture;

/*
 * Helpers
 */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("bd-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "billing.db", NULL);
  fixture->location = bd_test_database_new (fixture->path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  /* The database and whatever SQLite left next to it (-wal, -shm). */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_unlink (file), ==, 0);
    }

  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  bd_test_database_drop (fixture->location);
  g_clear_pointer (&fixture->location, g_free);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

static BdStore *
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  BdStore *store;

  store = bd_store_open (fixture->location, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  g_assert_true (BD_IS_STORE (store));

  return store;
}

static BdTenantFile *
read_tenant_file (void)
{
  g_autoptr(GError) error = NULL;
  BdTenantFile *file;

  file = bd_tenant_file_read (tenant_file, -1, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);

  return file;
}

static BdStore *
open_seeded_store (Fixture       *fixture,
                   BdTenantFile **file_out)
{
  g_autoptr(BdTenantFile) file = read_tenant_file ();
  g_autoptr(GError) error = NULL;
  BdStore *store = open_store (fixture);

  g_assert_true (bd_store_seed (store, file, &error));
  g_assert_no_error (error);

  if (file_out != NULL)
    *file_out = g_steal_pointer (&file);

  return store;
}

static char *
get_pragma (BdStore    *store,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  char *value;

  value = bd_store_sqlite_get_pragma (BD_STORE_SQLITE (store), name, &error);
  g_assert_no_error (error);

  return value;
}

static GBytes *
read_file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static guint32
read_header_user_version (const char *path)
{
  g_autoptr(GBytes) bytes = read_file_bytes (path);
  const guint8 *data;
  gsize size;

  data = g_bytes_get_data (bytes, &size);
  g_assert_cmpuint (size, >=, 100);

  return GUINT32_FROM_BE (*(const guint32 *) (data + HEADER_USER_VERSION));
}

static BdSubscriptionData *
get_subscription (BdStore    *store,
                  const char *id)
{
  g_autoptr(GError) error = NULL;
  BdSubscriptionData *data;

  data = bd_store_get_subscription (store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);

  return data;
}

static GPtrArray *
list_page (BdStore    *store,
           const char *after_product_name,
           const char *after_id,
           guint       limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *page;

  page = bd_store_list_subscriptions (store, after_product_name, after_id, limit, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_assert_cmpuint (page->len, <=, limit);

  return page;
}

/* Every id of the list, paged through @limit at a time, joined by spaces. */
static char *
list_all_ids (BdStore *store,
              guint    limit,
              guint   *n_pages)
{
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autofree char *after_name = NULL;
  g_autofree char *after_id = NULL;

  *n_pages = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = list_page (store, after_name, after_id, limit);
      BdSubscriptionData *last;

      (*n_pages)++;
      if (page->len == 0)
        break;

      for (guint i = 0; i < page->len; i++)
        {
          BdSubscriptionData *data = g_ptr_array_index (page, i);

          g_string_append_printf (ids, "%s%s", ids->len > 0 ? " " : "", data->id);
        }

      last = g_ptr_array_index (page, page->len - 1);
      g_free (after_name);
      g_free (after_id);
      after_name = g_strdup (last->product_name);
      after_id = g_strdup (last->id);
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
assert_store_empty (BdStore      *store,
                    BdTenantFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) subscriptions = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(BdTenant) tenant = NULL;

  g_assert_false (bd_store_is_seeded (store, &error));
  g_assert_no_error (error);

  tenant = bd_store_get_tenant (store, &error);
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_SEEDED);
  g_assert_null (tenant);
  g_clear_error (&error);

  for (guint i = 0; i < file->tokens->len; i++)
    {
      g_autoptr(BdUser) user = NULL;

      user = bd_store_find_user_by_token (store, g_ptr_array_index (file->tokens, i),
                                          bd_test_time (NOW),
                                          &error);
      g_assert_no_error (error);
      g_assert_null (user);
    }

  subscriptions = list_page (store, NULL, NULL, 100);
  g_assert_cmpuint (subscriptions->len, ==, 0);

  profiles = bd_store_list_billing_profiles (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 0);

  domains = bd_store_list_domains (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (domains->len, ==, 0);

  operations = bd_store_list_operations (store, NULL, BD_OPERATIONS_ORDER_OLDEST, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (operations->len, ==, 0);
}

static void
assert_seeded_as (BdStore      *store,
                  BdTenantFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BdTenant) tenant = NULL;

  g_assert_true (bd_store_is_seeded (store, &error));
  g_assert_no_error (error);

  tenant = bd_store_get_tenant (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_tenant_get_display_name (tenant), ==, "Contoso A/S");
  g_assert_cmpint (bd_tenant_get_cloud (tenant), ==, BD_CLOUD_21VIANET);
  g_assert_cmpstr (bd_tenant_get_currency (tenant), ==, "DKK");

  for (guint i = 0; i < file->subscriptions->len; i++)
    {
      const BdSubscriptionData *expected = g_ptr_array_index (file->subscriptions, i);
      g_autoptr(BdSubscriptionData) data = get_subscription (store, expected->id);

      g_assert_true (bd_subscription_data_equal (data, expected));
    }
}

/*
 * Opening
 */

static void
test_open_create (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_store (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(BdTenant) tenant = NULL;
  g_autofree char *journal_mode = get_pragma (store, "journal_mode");
  g_autofree char *synchronous = get_pragma (store, "synchronous");
  g_autofree char *foreign_keys = get_pragma (store, "foreign_keys");
  g_autofree char *busy_timeout = get_pragma (store, "busy_timeout");
  g_autofree char *user_version = get_pragma (store, "user_version");

  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (bd_store_get_schema_version (store), ==, 3);
  g_assert_cmpstr (user_version, ==, "3");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpstr (synchronous, ==, "2");  /* FULL */
  g_assert_cmpstr (foreign_keys, ==, "1");
  g_assert_cmpstr (busy_timeout, ==, "5000");

  g_assert_false (bd_store_is_seeded (store, &error));
  g_assert_no_error (error);

  tenant = bd_store_get_tenant (store, &error);
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NOT_SEEDED);
  g_assert_null (tenant);
  g_clear_error (&error);

  g_assert_true (bd_store_check_integrity (store, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (g_steal_pointer (&store));

  /* The file itself says WAL (2) and version 2, with the store closed. */
  {
    g_autoptr(GBytes) bytes = read_file_bytes (fixture->path);
    const guint8 *data = g_bytes_get_data (bytes, NULL);

    g_assert_cmpuint (data[HEADER_WRITE_VERSION], ==, 2);
    g_assert_cmpuint (data[HEADER_READ_VERSION], ==, 2);
  }
  g_assert_cmpuint (read_header_user_version (fixture->path), ==, 3);
}

static void
test_open_scratch (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BdStore) store = NULL;
  g_autofree char *synchronous = NULL;
  g_autofree char *journal_mode = NULL;

  store = bd_store_open (fixture->path, BD_STORE_SCRATCH, &error);
  g_assert_no_error (error);

  synchronous = get_pragma (store, "synchronous");
  journal_mode = get_pragma (store, "journal_mode");
  g_assert_cmpstr (synchronous, ==, "0");  /* OFF */
  g_assert_cmpstr (journal_mode, ==, "wal");
}

static void
test_open_reopen (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(BdStore) store = open_seeded_store (fixture, &file);

  g_assert_finalize_object (g_steal_pointer (&store));

  store = open_store (fixture);
  g_assert_cmpint (bd_store_get_schema_version (store), ==, 3);
  assert_seeded_as (store, file);
}

static void
test_open_newer_schema (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(BdStore) newer = NULL;
  g_autofree guint8 *data = NULL;
  gsize size;

  g_assert_finalize_object (g_steal_pointer (&store));

  /* What a service with schema version 4 would leave behind. */
  bytes = read_file_bytes (fixture->path);
  data = g_bytes_unref_to_data (g_steal_pointer (&bytes), &size);
  g_assert_cmpuint (GUINT32_FROM_BE (*(guint32 *) (data + HEADER_USER_VERSION)), ==, 3);
  *(guint32 *) (data + HEADER_USER_VERSION) = GUINT32_TO_BE (4);
  g_file_set_contents (fixture->path, (const char *) data, size, &error);
  g_assert_no_error (error);

  newer = bd_store_open (fixture->path, BD_STORE_DURABLE, &error);
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NEWER_SCHEMA);
  g_assert_null (newer);

  /* Refusing it changed nothing. */
  g_assert_cmpuint (read_header_user_version (fixture->path), ==, 4);
}

static void
test_open_not_a_database (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BdStore) store = NULL;
  g_autofree char *garbage = g_strnfill (4096, 'x');

  g_file_set_contents (fixture->path, garbage, 4096, &error);
  g_assert_no_error (error);

  store = bd_store_open (fixture->path, BD_STORE_DURABLE, &error);
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "not a database"));
}

static void
test_open_missing_directory (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "billing.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BdStore) store = NULL;

  store = bd_store_open (path, BD_STORE_DURABLE, &error);
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_assert_null (store);
}

/*
 * Seeding
 */

static void
test_seed (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(BdStore) store = open_seeded_store (fixture, &file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  g_autoptr(BdBillingProfile) profile = NULL;
  const char * const *ids;
  gboolean attached = TRUE;

  assert_seeded_as (store, file);

  profiles = bd_store_list_billing_profiles (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profiles->len, ==, 2);
  g_assert_cmpstr (bd_billing_profile_get_id (profiles->pdata[0]), ==, "bp1");
  g_assert_cmpstr (bd_billing_profile_get_display_name (profiles->pdata[0]), ==,
                   "Contoso invoices");
  g_assert_cmpint (bd_billing_profile_get_payment_method (profiles->pdata[0]), ==,
                   BD_PAYMENT_METHOD_INVOICE);
  g_assert_cmpstr (bd_billing_profile_get_id (profiles->pdata[1]), ==, "bp2");
  g_assert_cmpint (bd_billing_profile_get_payment_method (profiles->pdata[1]), ==,
                   BD_PAYMENT_METHOD_CARD);

  profile = bd_store_get_billing_profile (store, "bp2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_billing_profile_get_display_name (profile), ==, "Contoso card");
  g_clear_object (&profile);

  profile = bd_store_get_billing_profile (store, "bp9", &error);
  g_assert_no_error (error);
  g_assert_null (profile);

  domains = bd_store_list_domains (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (domains->len, ==, 2);
  g_assert_cmpstr (bd_domain_get_name (domains->pdata[0]), ==, "contoso.com");
  ids = bd_domain_get_subscription_ids (domains->pdata[0]);
  g_assert_true (ids == NULL || ids[0] == NULL);
  g_assert_cmpstr (bd_domain_get_name (domains->pdata[1]), ==, "contoso.dk");
  ids = bd_domain_get_subscription_ids (domains->pdata[1]);
  g_assert_nonnull (ids);
  g_assert_cmpstr (ids[0], ==, "s2");
  g_assert_cmpstr (ids[1], ==, "s4");
  g_assert_null (ids[2]);

  g_assert_true (bd_store_has_domain_attached (store, "s2", &attached, &error));
  g_assert_no_error (error);
  g_assert_true (attached);
  g_assert_true (bd_store_has_domain_attached (store, "s1", &attached, &error));
  g_assert_no_error (error);
  g_assert_false (attached);
  g_assert_true (bd_store_has_domain_attached (store, "nope", &attached, &error));
  g_assert_no_error (error);
  g_assert_false (attached);

  g_assert_true (bd_store_check_integrity (store, &error));
  g_assert_no_error (error);
}

static void
test_seed_twice (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(BdStore) store = open_seeded_store (fixture, &file);
  g_autoptr(BdTenantFile) other = read_tenant_file ();
  g_autoptr(GError) error = NULL;
  BdSubscriptionData *changed = g_ptr_array_index (other->subscriptions, 0);

  changed->quantity = 99;

  g_assert_false (bd_store_seed (store, other, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_SEEDED);

  /* Still the first tenant, and no transaction left open. */
  assert_seeded_as (store, file);
  g_clear_error (&error);
  g_assert_true (bd_store_begin (store, &error));
  g_assert_no_error (error);
  bd_store_rollback (store);
}

typedef enum
{
  BREAK_SECOND_USER,        /* the second user insert: a repeated token */
  BREAK_LAST_SUBSCRIPTION,  /* a billing profile that does not exist */
  BREAK_LAST_DOMAIN_LINK,   /* the very last insert: no such subscription */
} SeedBreak;

static void
break_tenant_file (BdTenantFile *file,
                   SeedBreak     how)
{
  switch (how)
    {
    case BREAK_SECOND_USER:
      g_free (file->tokens->pdata[1]);
      file->tokens->pdata[1] = g_strdup (file->tokens->pdata[0]);
      break;

    case BREAK_LAST_SUBSCRIPTION:
      {
        BdSubscriptionData *bad = bd_subscription_data_copy (file->subscriptions->pdata[0]);

        g_free (bad->id);
        bad->id = g_strdup ("s9");
        g_free (bad->billing_profile_id);
        bad->billing_profile_id = g_strdup ("bp-missing");
        g_ptr_array_add (file->subscriptions, bad);
      }
      break;

    case BREAK_LAST_DOMAIN_LINK:
      {
        const char * const ids[] = { "s1", "s-missing", NULL };

        g_ptr_array_add (file->domains, bd_domain_new ("contoso.se", ids));
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
test_seed_atomic (Fixture       *fixture,
                  gconstpointer  user_data)
{
  SeedBreak how = GPOINTER_TO_INT (user_data);
  g_autoptr(BdStore) store = open_store (fixture);
  g_autoptr(BdTenantFile) broken = read_tenant_file ();
  g_autoptr(BdTenantFile) file = read_tenant_file ();
  g_autoptr(GError) error = NULL;

  break_tenant_file (broken, how);

  g_assert_false (bd_store_seed (store, broken, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Nothing of it stayed, and the transaction is gone... */
  assert_store_empty (store, broken);
  g_assert_true (bd_store_check_integrity (store, &error));
  g_assert_no_error (error);

  /* ...so the good file seeds as if nothing had happened. */
  g_assert_true (bd_store_seed (store, file, &error));
  g_assert_no_error (error);
  assert_seeded_as (store, file);
}

/*
 * Users
 */

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  return bd_test_bytes_contain (data, size, needle);
}

static void
test_token (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BdUser) anne = NULL;
  g_autoptr(BdUser) bo = NULL;
  g_autoptr(BdUser) nobody = NULL;
  g_autoptr(BdUser) empty = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *wal = NULL;

  anne = bd_store_find_user_by_token (store, ANNE_TOKEN, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  g_assert_nonnull (anne);
  g_assert_cmpstr (bd_user_get_id (anne), ==, "u1");
  g_assert_cmpstr (bd_user_get_display_name (anne), ==, "Anne Berg");
  g_assert_cmpuint (bd_user_get_roles (anne), ==, BD_ROLE_MASK (BD_ROLE_GLOBAL_ADMIN));

  bo = bd_store_find_user_by_token (store, BO_TOKEN, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_user_get_id (bo), ==, "u2");
  g_assert_cmpuint (bd_user_get_roles (bo), ==,
                    BD_ROLE_MASK (BD_ROLE_GLOBAL_READER) | BD_ROLE_MASK (BD_ROLE_USER));

  nobody = bd_store_find_user_by_token (store, ANNE_TOKEN "x", bd_test_time (NOW), &error);
  g_assert_no_error (error);
  g_assert_null (nobody);

  empty = bd_store_find_user_by_token (store, "", bd_test_time (NOW), &error);
  g_assert_no_error (error);
  g_assert_null (empty);

  /* Neither the file nor a write-ahead log holds a token in clear. */
  g_assert_finalize_object (g_steal_pointer (&store));
  if (bd_test_database_is_postgresql ())
    {
      g_autofree char *stored = bd_test_database_query (fixture->location,
                                                        "SELECT * FROM users ORDER BY id");

      g_assert_true (strstr (stored, "Anne Berg") != NULL);
      g_assert_null (strstr (stored, ANNE_TOKEN));
      g_assert_null (strstr (stored, BO_TOKEN));
      return;
    }

  bytes = read_file_bytes (fixture->path);
  g_assert_true (bytes_contain (bytes, "Anne Berg"));  /* the search works */
  g_assert_false (bytes_contain (bytes, ANNE_TOKEN));
  g_assert_false (bytes_contain (bytes, BO_TOKEN));

  wal = g_strconcat (fixture->path, "-wal", NULL);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GBytes) wal_bytes = read_file_bytes (wal);

      g_assert_false (bytes_contain (wal_bytes, ANNE_TOKEN));
      g_assert_false (bytes_contain (wal_bytes, BO_TOKEN));
    }
}

/* The hash is SHA-256 of the token; equality sees every byte and bit. */
static void
test_token_hash (void)
{
  guint8 a[BD_TOKEN_HASH_LENGTH];
  guint8 b[BD_TOKEN_HASH_LENGTH];
  g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ANNE_TOKEN, -1);
  g_autofree char *hex = NULL;
  GString *out = g_string_new (NULL);

  bd_token_hash (ANNE_TOKEN, a);
  for (gsize i = 0; i < BD_TOKEN_HASH_LENGTH; i++)
    g_string_append_printf (out, "%02x", a[i]);
  hex = g_string_free (out, FALSE);
  g_assert_cmpstr (hex, ==, expected);

  memcpy (b, a, sizeof a);
  g_assert_true (bd_token_hash_equal (a, b));
  for (gsize i = 0; i < BD_TOKEN_HASH_LENGTH; i++)
    for (guint bit = 0; bit < 8; bit++)
      {
        b[i] ^= (guint8) (1u << bit);
        g_assert_false (bd_token_hash_equal (a, b));
        g_assert_false (bd_token_hash_equal (b, a));
        b[i] ^= (guint8) (1u << bit);
      }
  g_assert_true (bd_token_hash_equal (a, b));

  bd_token_hash (BO_TOKEN, b);
  g_assert_false (bd_token_hash_equal (a, b));
}

/*
 * Subscriptions
 */

static void
put_ok (BdStore                  *store,
        const BdSubscriptionData *data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bd_store_begin (store, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_put_subscription (store, data, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
assert_round_trip (BdStore                  *store,
                   const BdSubscriptionData *data)
{
  g_autoptr(BdSubscriptionData) read = NULL;

  put_ok (store, data);
  read = get_subscription (store, data->id);
  g_assert_true (bd_subscription_data_equal (read, data));
}

static void
test_subscription_round_trip (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autoptr(BdSubscriptionData) data = get_subscription (store, "s1");
  g_autoptr(BdSubscriptionData) missing = NULL;
  g_autoptr(BdSubscriptionData) unchanged = NULL;
  g_autoptr(GError) error = NULL;

  /* The API's annotations are not stored: they read as "none". */
  g_assert_null (data->etag);
  g_assert_cmpint (data->next_lifecycle_date, ==, BD_TIME_NONE);
  g_assert_cmpint (data->cancellation_window_end, ==, BD_TIME_NONE);
  g_assert_cmpuint (data->allowed_actions, ==, 0);

  missing = bd_store_get_subscription (store, "s9", &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  /* Every field changed at once, a billing profile removed. */
  g_free (data->product_name);
  data->product_name = g_strdup ("Zeta Workspace “Plus” ✓");
  data->status = BD_STATUS_DISABLED;
  data->is_trial = TRUE;
  data->is_domain_subscription = TRUE;
  data->quantity = BD_QUANTITY_MAX;
  data->assigned_licenses = BD_QUANTITY_MAX;
  g_clear_pointer (&data->billing_profile_id, g_free);
  data->billing_frequency = BD_BILLING_FREQUENCY_TRIENNIAL;
  data->unit_price.amount = BD_UNIT_PRICE_MAX;
  data->recurring_billing = BD_RECURRING_BILLING_OFF;
  data->purchase_channel = BD_PURCHASE_CHANNEL_RESELLER;
  data->start_date = BD_TIME_MIN;
  data->last_renewal_date = bd_test_time ("2026-11-02T10:00:00Z");
  data->term_end_date = BD_TIME_MAX;
  data->status_changed_date = bd_test_time ("2026-11-02T10:00:00Z");
  assert_round_trip (store, data);

  /* Back to a billing profile. */
  data->billing_profile_id = g_strdup ("bp2");
  assert_round_trip (store, data);

  /* Every API word of every enum passes the table's CHECKs and reads back. */
  for (BdStatus v = BD_STATUS_ACTIVE; v <= BD_STATUS_DELETED; v++)
    {
      data->status = v;
      assert_round_trip (store, data);
    }
  for (BdRecurringBilling v = BD_RECURRING_BILLING_ON; v <= BD_RECURRING_BILLING_OFF; v++)
    {
      data->recurring_billing = v;
      assert_round_trip (store, data);
    }
  for (BdPurchaseChannel v = BD_PURCHASE_CHANNEL_DIRECT; v <= BD_PURCHASE_CHANNEL_RESELLER; v++)
    {
      data->purchase_channel = v;
      assert_round_trip (store, data);
    }
  for (BdBillingFrequency v = BD_BILLING_FREQUENCY_MONTHLY;
       v <= BD_BILLING_FREQUENCY_TRIENNIAL; v++)
    {
      data->billing_frequency = v;
      assert_round_trip (store, data);
    }

  /* Refused: no such row; a constraint; a dangling billing profile. */
  unchanged = bd_subscription_data_copy (data);

  {
    g_autoptr(BdSubscriptionData) ghost = bd_subscription_data_copy (data);

    g_free (ghost->id);
    ghost->id = g_strdup ("s9");
    g_assert_true (bd_store_begin (store, &error));
    g_assert_false (bd_store_put_subscription (store, ghost, &error));
    g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
    g_clear_error (&error);
    bd_store_rollback (store);
  }

  data->quantity = 5;  /* below the assigned licenses */
  g_assert_true (bd_store_begin (store, &error));
  g_assert_false (bd_store_put_subscription (store, data, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_clear_error (&error);
  bd_store_rollback (store);

  data->quantity = unchanged->quantity;
  g_free (data->billing_profile_id);
  data->billing_profile_id = g_strdup ("bp-missing");
  g_assert_true (bd_store_begin (store, &error));
  g_assert_false (bd_store_put_subscription (store, data, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_clear_error (&error);
  bd_store_rollback (store);

  {
    g_autoptr(BdSubscriptionData) read = get_subscription (store, "s1");

    g_assert_true (bd_subscription_data_equal (read, unchanged));
  }
}

static void
test_subscription_paging (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autofree char *expected = g_strjoinv (" ", (char **) list_order);
  const guint limits[] = { 1, 2, 3, 4, 5, 6, 500 };

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      g_autofree char *ids = NULL;
      guint n_pages;

      ids = list_all_ids (store, limits[i], &n_pages);
      g_assert_cmpstr (ids, ==, expected);
      /* The pages with rows, then the empty one that ends the walk. */
      g_assert_cmpuint (n_pages, ==, (G_N_ELEMENTS (list_order) + limits[i] - 1) / limits[i] + 1);
    }

  /* Limit 2 page by page: a cursor between the two equal names. */
  {
    g_autoptr(GPtrArray) page = list_page (store, NULL, NULL, 2);

    g_assert_cmpuint (page->len, ==, 2);
    g_assert_cmpstr (((BdSubscriptionData *) page->pdata[0])->id, ==, "s2");
    g_assert_cmpstr (((BdSubscriptionData *) page->pdata[1])->id, ==, "s4");
  }
  {
    g_autoptr(GPtrArray) page = list_page (store, "Exchange Online", "s2", 2);

    g_assert_cmpuint (page->len, ==, 2);
    g_assert_cmpstr (((BdSubscriptionData *) page->pdata[0])->id, ==, "s4");
    g_assert_cmpstr (((BdSubscriptionData *) page->pdata[1])->id, ==, "s1");
  }

  /* A cursor need not be a row: "a" comes after "Zz", and "Ä" after "a". */
  {
    g_autoptr(GPtrArray) page = list_page (store, "Zz", "", 10);

    g_assert_cmpuint (page->len, ==, 2);
    g_assert_cmpstr (((BdSubscriptionData *) page->pdata[0])->id, ==, "s5");
    g_assert_cmpstr (((BdSubscriptionData *) page->pdata[1])->id, ==, "s3");
  }
  {
    g_autoptr(GPtrArray) page = list_page (store, "Ärger Manager", "s3", 10);

    g_assert_cmpuint (page->len, ==, 0);
  }

  /* Every row holds all its stored fields. */
  {
    g_autoptr(GPtrArray) page = list_page (store, NULL, NULL, 10);
    g_autoptr(BdSubscriptionData) s1 = get_subscription (store, "s1");

    g_assert_true (bd_subscription_data_equal (page->pdata[2], s1));
  }
}

/* Enough rows for several full pages, many sharing a product name. */
static void
test_subscription_many (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const guint n = 1000;
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(BdStore) store = open_store (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *after_name = NULL;
  g_autofree char *after_id = NULL;
  guint n_pages = 0;

  g_string_append (json,
                   "{\"tenant\": {\"displayName\": \"Big\", \"cloud\": \"worldwide\", "
                   "\"currency\": \"EUR\"}, \"users\": [], \"billingProfiles\": [], "
                   "\"domains\": [], \"subscriptions\": [");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (json,
                            "%s{\"id\": \"sub-%04u\", \"productName\": \"Product %02u\", "
                            "\"status\": \"active\", \"quantity\": 1, "
                            "\"billingFrequency\": \"monthly\", "
                            "\"unitPrice\": {\"amount\": 100, \"currency\": \"EUR\"}, "
                            "\"startDate\": \"2026-11-01T00:00:00Z\", "
                            "\"lastRenewalDate\": \"2026-11-01T00:00:00Z\", "
                            "\"termEndDate\": \"2026-12-01T00:00:00Z\"}",
                            i > 0 ? ", " : "", (i * 7919) % n, i % 37);
  g_string_append (json, "]}");

  file = bd_tenant_file_read (json->str, json->len, bd_test_time (NOW), &error);
  g_assert_no_error (error);
  g_assert_true (bd_store_seed (store, file, &error));
  g_assert_no_error (error);

  for (;;)
    {
      g_autoptr(GPtrArray) page = list_page (store, after_name, after_id, 100);

      n_pages++;
      if (page->len == 0)
        break;

      for (guint i = 0; i < page->len; i++)
        {
          BdSubscriptionData *data = g_ptr_array_index (page, i);

          if (after_name != NULL)
            {
              int order = strcmp (after_name, data->product_name);

              g_assert_true (order < 0 || (order == 0 && strcmp (after_id, data->id) < 0));
            }

          g_assert_true (g_hash_table_add (seen, g_strdup (data->id)));
          g_free (after_name);
          g_free (after_id);
          after_name = g_strdup (data->product_name);
          after_id = g_strdup (data->id);
        }
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, n);
  g_assert_cmpuint (n_pages, ==, n / 100 + 1);
}

/*
 * Transactions
 */

static void
test_rollback (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autoptr(BdSubscriptionData) original = get_subscription (store, "s1");
  g_autoptr(BdSubscriptionData) changed = bd_subscription_data_copy (original);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) operations = NULL;
  BdStoredOperation operation = {
    .time = bd_test_time (NOW), .user_id = (char *) "u1", .subscription_id = (char *) "s1",
    .action = (char *) "changeQuantity", .detail = (char *) "{}",
  };

  /* Nothing to roll back: harmless. */
  bd_store_rollback (store);

  changed->quantity = 9;
  g_assert_true (bd_store_begin (store, &error));
  g_assert_no_error (error);

  /* A second BEGIN inside a transaction is refused, and breaks nothing. */
  g_assert_false (bd_store_begin (store, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (bd_store_put_subscription (store, changed, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_add_operation (store, &operation, &error));
  g_assert_no_error (error);

  {
    g_autoptr(BdSubscriptionData) inside = get_subscription (store, "s1");

    g_assert_true (bd_subscription_data_equal (inside, changed));
  }

  bd_store_rollback (store);
  g_clear_pointer (&operation.id, g_free);

  {
    g_autoptr(BdSubscriptionData) after = get_subscription (store, "s1");

    g_assert_true (bd_subscription_data_equal (after, original));
  }

  operations = bd_store_list_operations (store, NULL, BD_OPERATIONS_ORDER_OLDEST, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (operations->len, ==, 0);

  /* And a commit keeps it, across a reopen. */
  put_ok (store, changed);
  g_assert_finalize_object (g_steal_pointer (&store));
  store = open_store (fixture);

  {
    g_autoptr(BdSubscriptionData) reopened = get_subscription (store, "s1");

    g_assert_true (bd_subscription_data_equal (reopened, changed));
  }
}

/*
 * The ledger
 */

static void
assert_operation_eq (const BdStoredOperation *a,
                     const BdStoredOperation *b)
{
  g_assert_cmpint (a->seq, ==, b->seq);
  g_assert_cmpstr (a->id, ==, b->id);
  g_assert_cmpint (a->time, ==, b->time);
  g_assert_cmpstr (a->user_id, ==, b->user_id);
  g_assert_cmpstr (a->subscription_id, ==, b->subscription_id);
  g_assert_cmpstr (a->action, ==, b->action);
  g_assert_cmpstr (a->idempotency_key, ==, b->idempotency_key);
  g_assert_cmpstr (a->detail, ==, b->detail);
}

static char *
list_seqs (BdStore    *store,
           const char *subscription_id,
           gint64      after_seq,
           guint       limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GString) seqs = g_string_new (NULL);

  operations = bd_store_list_operations (store, subscription_id, BD_OPERATIONS_ORDER_OLDEST,
                                         after_seq, limit, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < operations->len; i++)
    {
      BdStoredOperation *operation = g_ptr_array_index (operations, i);

      g_string_append_printf (seqs, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "", operation->seq);
    }

  return g_string_free (g_steal_pointer (&seqs), FALSE);
}

static void
add_operation_ok (BdStore           *store,
                  BdStoredOperation *operation)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bd_store_begin (store, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_add_operation (store, operation, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
add_operation_fails (BdStore           *store,
                     BdStoredOperation *operation)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id_before = g_strdup (operation->id);

  g_assert_true (bd_store_begin (store, &error));
  g_assert_false (bd_store_add_operation (store, operation, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_assert_cmpstr (operation->id, ==, id_before);
  bd_store_rollback (store);
}

static void
clear_operation (BdStoredOperation *operation)
{
  g_clear_pointer (&operation->id, g_free);
  g_clear_pointer (&operation->user_id, g_free);
  g_clear_pointer (&operation->subscription_id, g_free);
  g_clear_pointer (&operation->action, g_free);
  g_clear_pointer (&operation->idempotency_key, g_free);
  g_clear_pointer (&operation->detail, g_free);
}

static void
test_operations (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 now = bd_test_time (NOW);
  BdStoredOperation a = {
    .time = now, .user_id = g_strdup ("u1"), .subscription_id = g_strdup ("s1"),
    .action = g_strdup ("cancel"), .idempotency_key = g_strdup ("key-1"),
    .detail = g_strdup ("{\"reason\": \"tooExpensive\"}"),
  };
  BdStoredOperation b = {
    .id = g_strdup ("op-b"), .time = now + 60, .user_id = g_strdup ("u2"),
    .subscription_id = g_strdup ("s2"), .action = g_strdup ("changeQuantity"),
    .detail = g_strdup ("{\"from\": 40, \"to\": 45}"),
  };
  BdStoredOperation c = {
    .time = now + 120, .user_id = g_strdup ("u1"), .subscription_id = g_strdup ("s1"),
    .action = g_strdup ("reactivate"),
  };
  BdStoredOperation bad = {
    .id = g_strdup ("op-b"), .time = now, .user_id = g_strdup ("u1"),
    .subscription_id = g_strdup ("s1"), .action = g_strdup ("cancel"),
    .detail = g_strdup ("{}"),
  };
  BdStoredOperation d = {
    .time = now + 180, .user_id = g_strdup ("u1"), .subscription_id = g_strdup ("s5"),
    .action = g_strdup ("delete"), .detail = g_strdup ("{}"),
  };

  add_operation_ok (store, &a);
  g_assert_cmpint (a.seq, ==, 1);
  g_assert_true (g_uuid_string_is_valid (a.id));

  add_operation_ok (store, &b);
  g_assert_cmpint (b.seq, ==, 2);
  g_assert_cmpstr (b.id, ==, "op-b");

  add_operation_ok (store, &c);
  g_assert_cmpint (c.seq, ==, 3);
  g_assert_true (g_uuid_string_is_valid (c.id));
  g_assert_cmpstr (c.id, !=, a.id);
  c.detail = g_strdup ("{}");  /* as it was stored */

  all = bd_store_list_operations (store, NULL, BD_OPERATIONS_ORDER_OLDEST, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  assert_operation_eq (all->pdata[0], &a);
  assert_operation_eq (all->pdata[1], &b);
  assert_operation_eq (all->pdata[2], &c);

  {
    g_autofree char *s1 = list_seqs (store, "s1", 0, 100);
    g_autofree char *after_1 = list_seqs (store, NULL, 1, 100);
    g_autofree char *first_2 = list_seqs (store, NULL, 0, 2);
    g_autofree char *s1_after_1 = list_seqs (store, "s1", 1, 100);
    g_autofree char *s1_first_1 = list_seqs (store, "s1", 0, 1);
    g_autofree char *s3 = list_seqs (store, "s3", 0, 100);
    g_autofree char *after_3 = list_seqs (store, NULL, 3, 100);

    g_assert_cmpstr (s1, ==, "1 3");
    g_assert_cmpstr (after_1, ==, "2 3");
    g_assert_cmpstr (first_2, ==, "1 2");
    g_assert_cmpstr (s1_after_1, ==, "3");
    g_assert_cmpstr (s1_first_1, ==, "1");
    g_assert_cmpstr (s3, ==, "");
    g_assert_cmpstr (after_3, ==, "");
  }

  /* Refused: a repeated id, an unknown user, subscription or action, a
   * detail that is not JSON. None of them takes a place in the ledger.
   */
  add_operation_fails (store, &bad);

  g_clear_pointer (&bad.id, g_free);
  g_free (bad.user_id);
  bad.user_id = g_strdup ("u9");
  add_operation_fails (store, &bad);
  g_assert_null (bad.id);

  g_free (bad.user_id);
  bad.user_id = g_strdup ("u1");
  g_free (bad.subscription_id);
  bad.subscription_id = g_strdup ("s9");
  add_operation_fails (store, &bad);

  g_free (bad.subscription_id);
  bad.subscription_id = g_strdup ("s1");
  g_free (bad.action);
  bad.action = g_strdup ("refund");
  add_operation_fails (store, &bad);

  g_free (bad.action);
  bad.action = g_strdup ("cancel");
  g_free (bad.detail);
  bad.detail = g_strdup ("{not json");
  add_operation_fails (store, &bad);

  add_operation_ok (store, &d);
  g_assert_cmpint (d.seq, ==, 4);

  clear_operation (&a);
  clear_operation (&b);
  clear_operation (&c);
  clear_operation (&d);
  clear_operation (&bad);
}

static void
test_operation_free (void)
{
  BdStoredOperation *operation = g_new0 (BdStoredOperation, 1);
  BdIdempotentAnswer *answer = g_new0 (BdIdempotentAnswer, 1);

  operation->id = g_strdup ("x");
  operation->detail = g_strdup ("{}");
  bd_stored_operation_free (operation);
  bd_stored_operation_free (NULL);

  answer->fingerprint = g_bytes_new ("f", 1);
  bd_idempotent_answer_free (answer);
  bd_idempotent_answer_free (NULL);
}

/*
 * Idempotency
 */

#define CANCEL_ENDPOINT     "POST /v1/subscriptions/{id}/cancel"
#define REACTIVATE_ENDPOINT "POST /v1/subscriptions/{id}/reactivate"

static BdIdempotentAnswer *
get_answer (BdStore    *store,
            const char *user_id,
            const char *endpoint,
            const char *key)
{
  static BdIdempotentAnswer untouched;
  g_autoptr(GError) error = NULL;
  BdIdempotentAnswer *answer = &untouched;

  g_assert_true (bd_store_get_idempotent_answer (store, user_id, endpoint, key, G_MININT64,
                                                 &answer, &error));
  g_assert_no_error (error);
  g_assert_true (answer != &untouched);  /* set to NULL when absent, too */

  return answer;
}

static gboolean
put_answer (BdStore                  *store,
            const char               *user_id,
            const char               *endpoint,
            const char               *key,
            const BdIdempotentAnswer *answer,
            GError                  **error)
{
  gboolean ok;

  g_assert_true (bd_store_begin (store, NULL));
  ok = bd_store_put_idempotent_answer (store, user_id, endpoint, key, G_MININT64, answer, error);
  if (ok)
    g_assert_true (bd_store_commit (store, NULL));
  else
    bd_store_rollback (store);

  return ok;
}

static void
test_idempotency (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BdIdempotentAnswer) absent = NULL;
  g_autoptr(BdIdempotentAnswer) found = NULL;
  g_autoptr(BdIdempotentAnswer) empty = NULL;
  gint64 now = bd_test_time (NOW);
  const guint8 fingerprint_data[32] = { 0x00, 0xff, 0x10, 0x00, 0x42 };
  const char body_text[] = "{\"subscription\": {\"id\": \"s1\"}, \"refund\": null}";
  g_autoptr(GBytes) fingerprint = g_bytes_new (fingerprint_data, sizeof fingerprint_data);
  g_autoptr(GBytes) body = g_bytes_new (body_text, strlen (body_text));
  BdIdempotentAnswer answer = { fingerprint, 200, body, now };
  BdIdempotentAnswer refusal = { fingerprint, 409, NULL, now };
  BdIdempotentAnswer old = { fingerprint, 200, body, now - 100 };

  absent = get_answer (store, "u1", CANCEL_ENDPOINT, "k1");
  g_assert_null (absent);

  g_assert_true (put_answer (store, "u1", CANCEL_ENDPOINT, "k1", &answer, &error));
  g_assert_no_error (error);

  found = get_answer (store, "u1", CANCEL_ENDPOINT, "k1");
  g_assert_nonnull (found);
  g_assert_true (g_bytes_equal (found->fingerprint, fingerprint));
  g_assert_cmpuint (found->status, ==, 200);
  g_assert_true (g_bytes_equal (found->body, body));
  g_assert_cmpint (found->created, ==, now);

  /* The same key again is refused; the first answer stays. */
  g_assert_false (put_answer (store, "u1", CANCEL_ENDPOINT, "k1", &old, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_pointer (&found, bd_idempotent_answer_free);
  found = get_answer (store, "u1", CANCEL_ENDPOINT, "k1");
  g_assert_cmpint (found->created, ==, now);

  /* A key is scoped to the user and the endpoint. */
  g_assert_true (put_answer (store, "u2", CANCEL_ENDPOINT, "k1", &answer, &error));
  g_assert_no_error (error);
  g_assert_true (put_answer (store, "u1", REACTIVATE_ENDPOINT, "k1", &answer, &error));
  g_assert_no_error (error);

  /* An answer with no body reads back as an empty one. */
  g_assert_true (put_answer (store, "u1", CANCEL_ENDPOINT, "k-empty", &refusal, &error));
  g_assert_no_error (error);
  empty = get_answer (store, "u1", CANCEL_ENDPOINT, "k-empty");
  g_assert_cmpuint (empty->status, ==, 409);
  g_assert_nonnull (empty->body);
  g_assert_cmpuint (g_bytes_get_size (empty->body), ==, 0);

  /* Forgetting takes what was stored strictly before the time. */
  g_assert_true (put_answer (store, "u1", CANCEL_ENDPOINT, "k-old", &old, &error));
  g_assert_no_error (error);

  g_assert_true (bd_store_begin (store, &error));
  g_assert_true (bd_store_forget_idempotent_answers (store, now, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_commit (store, &error));

  g_clear_pointer (&absent, bd_idempotent_answer_free);
  absent = get_answer (store, "u1", CANCEL_ENDPOINT, "k-old");
  g_assert_null (absent);
  g_clear_pointer (&found, bd_idempotent_answer_free);
  found = get_answer (store, "u1", CANCEL_ENDPOINT, "k1");
  g_assert_nonnull (found);

  g_assert_true (bd_store_begin (store, &error));
  g_assert_true (bd_store_forget_idempotent_answers (store, now + 1, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_commit (store, &error));

  g_clear_pointer (&found, bd_idempotent_answer_free);
  found = get_answer (store, "u1", CANCEL_ENDPOINT, "k1");
  g_assert_null (found);

  g_assert_true (bd_store_check_integrity (store, &error));
  g_assert_no_error (error);
}

/* An answer past the retention (created before kept_since) is as absent to
 * the lookup, and the put replaces it; a kept one it refuses.
 */
static void
test_idempotency_retention (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BdIdempotentAnswer) found = NULL;
  gint64 now = bd_test_time (NOW);
  g_autoptr(GBytes) first = g_bytes_new_static ("first", 5);
  g_autoptr(GBytes) second = g_bytes_new_static ("second", 6);
  BdIdempotentAnswer old = { first, 200, first, now - 100 };
  BdIdempotentAnswer new_answer = { second, 409, second, now };

  g_assert_true (put_answer (store, "u1", CANCEL_ENDPOINT, "k", &old, &error));
  g_assert_no_error (error);

  /* Kept since its creation: found. Kept only since after it: absent. */
  g_assert_true (bd_store_get_idempotent_answer (store, "u1", CANCEL_ENDPOINT, "k", now - 100,
                                                 &found, &error));
  g_assert_nonnull (found);
  g_clear_pointer (&found, bd_idempotent_answer_free);
  g_assert_true (bd_store_get_idempotent_answer (store, "u1", CANCEL_ENDPOINT, "k", now - 99,
                                                 &found, &error));
  g_assert_no_error (error);
  g_assert_null (found);

  /* While it is kept, a second answer is refused. */
  g_assert_true (bd_store_begin (store, &error));
  g_assert_false (bd_store_put_idempotent_answer (store, "u1", CANCEL_ENDPOINT, "k", now - 100,
                                                  &new_answer, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_clear_error (&error);
  bd_store_rollback (store);

  /* Past the retention, it is replaced. */
  g_assert_true (bd_store_begin (store, &error));
  g_assert_true (bd_store_put_idempotent_answer (store, "u1", CANCEL_ENDPOINT, "k", now - 99,
                                                 &new_answer, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_commit (store, &error));

  found = get_answer (store, "u1", CANCEL_ENDPOINT, "k");
  g_assert_cmpuint (found->status, ==, 409);
  g_assert_true (g_bytes_equal (found->fingerprint, second));
  g_assert_true (g_bytes_equal (found->body, second));
  g_assert_cmpint (found->created, ==, now);
}

/* Claims @key in a transaction of @store's that stays open. */
static BdIdempotentAnswer *
claim (BdStore    *store,
       const char *key,
       gint64      kept_since,
       GBytes     *fingerprint)
{
  g_autoptr(GError) error = NULL;
  BdIdempotentAnswer *kept = NULL;

  g_assert_true (bd_store_begin (store, &error));
  g_assert_true (bd_store_claim_idempotency_key (store, "u1", CANCEL_ENDPOINT, key, kept_since,
                                                 fingerprint, &kept, &error));
  g_assert_no_error (error);

  return kept;
}

/* A key is claimed first in a change's transaction: new, it is the
 * transaction's (and nothing of the claim is left after a rollback); kept,
 * the claim finds its answer; past the retention, the claim takes it over
 * and the put replaces it. Outside a transaction a claim is refused.
 */
static void
test_idempotency_claim (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BdIdempotentAnswer) kept = NULL;
  g_autoptr(BdIdempotentAnswer) found = NULL;
  gint64 now = bd_test_time (NOW);
  g_autoptr(GBytes) first = g_bytes_new_static ("first", 5);
  g_autoptr(GBytes) second = g_bytes_new_static ("second", 6);
  BdIdempotentAnswer answer = { first, 200, first, now };
  BdIdempotentAnswer later = { second, 409, second, now + 100 };

  g_assert_false (bd_store_claim_idempotency_key (store, "u1", CANCEL_ENDPOINT, "k", now,
                                                  first, &kept, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_clear_error (&error);

  /* Rolled back: nothing is left of it, to a lookup or to the next claim. */
  g_assert_null (claim (store, "k", now, first));
  bd_store_rollback (store);
  found = get_answer (store, "u1", CANCEL_ENDPOINT, "k");
  g_assert_null (found);

  g_assert_null (claim (store, "k", now, first));
  g_assert_true (bd_store_put_idempotent_answer (store, "u1", CANCEL_ENDPOINT, "k", now,
                                                 &answer, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_commit (store, &error));

  kept = claim (store, "k", now, second);
  bd_store_rollback (store);
  g_assert_nonnull (kept);
  g_assert_cmpuint (kept->status, ==, 200);
  g_assert_true (g_bytes_equal (kept->fingerprint, first));
  g_assert_true (g_bytes_equal (kept->body, first));

  /* Past the retention: the claim's, and the put replaces it. */
  g_clear_pointer (&kept, bd_idempotent_answer_free);
  kept = claim (store, "k", now + 1, second);
  g_assert_null (kept);
  g_assert_true (bd_store_put_idempotent_answer (store, "u1", CANCEL_ENDPOINT, "k", now + 1,
                                                 &later, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_commit (store, &error));
  found = get_answer (store, "u1", CANCEL_ENDPOINT, "k");
  g_assert_cmpuint (found->status, ==, 409);
  g_assert_true (g_bytes_equal (found->body, second));

  g_assert_true (bd_store_check_integrity (store, &error));
  g_assert_no_error (error);
}

/*
 * Where a store is, and one connection per store (bd-store.h)
 */

/* `sqlite:PATH` is the same file as PATH; a PostgreSQL URI goes to the
 * PostgreSQL store (here one that carries a password: refused before any
 * connection), never to a file of that name.
 */
static void
test_open_location (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(BdStore) seeded = open_seeded_store (fixture, NULL);
  g_autofree char *location = g_strconcat ("sqlite:", fixture->path, NULL);
  g_autoptr(BdStore) store = NULL;
  g_autoptr(BdStore) server = NULL;
  g_autoptr(BdTenant) tenant = NULL;
  g_autoptr(GError) error = NULL;

  store = bd_store_open (location, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  g_assert_true (BD_IS_STORE_SQLITE (store));
  tenant = bd_store_get_tenant (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bd_tenant_get_display_name (tenant), ==, "Contoso A/S");

  server = bd_store_open ("postgresql://billing:secret@localhost/billing", BD_STORE_DURABLE,
                          &error);
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "PGPASSWORD"));
  g_assert_null (server);
  g_assert_false (g_file_test ("postgresql:", G_FILE_TEST_EXISTS));
}

/* Two stores on one file are two connections: each sees what the other
 * commits, and nothing of what it has not committed yet.
 */
static void
test_two_connections (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(BdStore) first = open_seeded_store (fixture, NULL);
  g_autoptr(BdStore) second = open_store (fixture);
  g_autoptr(BdSubscriptionData) data = get_subscription (first, "s1");
  g_autoptr(BdSubscriptionData) before = NULL;
  g_autoptr(BdSubscriptionData) after = NULL;
  g_autoptr(GError) error = NULL;

  data->quantity = 9;
  g_assert_true (bd_store_begin (first, &error));
  g_assert_no_error (error);
  g_assert_true (bd_store_put_subscription (first, data, &error));
  g_assert_no_error (error);

  before = get_subscription (second, "s1");
  g_assert_cmpuint (before->quantity, ==, 10);

  g_assert_true (bd_store_commit (first, &error));
  g_assert_no_error (error);

  after = get_subscription (second, "s1");
  g_assert_true (bd_subscription_data_equal (after, data));
}

/*
 * PostgreSQL only (the -pg run): the schema's version table, its lock, the
 * row lock of a transaction, a connection that broke
 */

static char *
query (Fixture    *fixture,
       const char *sql)
{
  return bd_test_database_query (fixture->location, sql);
}

static void
test_pg_open_create (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_store (fixture);
  g_autofree char *version = query (fixture, "SELECT id, version FROM schema_version");
  g_autofree char *collation = NULL;

  g_assert_cmpint (bd_store_get_schema_version (store), ==, 3);
  g_assert_cmpstr (version, ==, "1|3");
  g_assert_true (bd_store_check_integrity (store, NULL));

  /* The paging order is code-point order, whatever the database's locale. */
  collation = query (fixture, "SELECT collation_name FROM information_schema.columns "
                              "WHERE table_name = 'subscriptions' AND "
                              "column_name = 'product_name'");
  g_assert_cmpstr (collation, ==, "C");
}

/* A database a newer service wrote is refused, and left as it is. */
static void
test_pg_open_newer_schema (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autoptr(BdStore) newer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  g_assert_finalize_object (g_steal_pointer (&store));
  g_free (query (fixture, "UPDATE schema_version SET version = 4"));

  newer = bd_store_open (fixture->location, BD_STORE_DURABLE, &error);
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_NEWER_SCHEMA);
  g_assert_null (newer);
  g_assert_nonnull (strstr (error->message, "layout 4"));

  version = query (fixture, "SELECT version FROM schema_version");
  g_assert_cmpstr (version, ==, "4");
}

#define N_OPENERS 4

typedef struct
{
  const char *location;
  BdStore    *store;
  GError     *error;
} Opener;

static gpointer
open_in_thread (gpointer data)
{
  Opener *opener = data;

  opener->store = bd_store_open (opener->location, BD_STORE_DURABLE, &opener->error);
  return NULL;
}

/* Instances opening one empty database at once: one creates the schema
 * under the lock, the others wait and find it there.
 */
static void
test_pg_open_at_once (Fixture       *fixture,
                      gconstpointer  user_data)
{
  Opener openers[N_OPENERS];
  GThread *threads[N_OPENERS];
  g_autofree char *versions = NULL;

  for (guint i = 0; i < N_OPENERS; i++)
    {
      openers[i] = (Opener) { .location = fixture->location };
      threads[i] = g_thread_new ("opener", open_in_thread, &openers[i]);
    }

  for (guint i = 0; i < N_OPENERS; i++)
    {
      g_thread_join (threads[i]);
      g_assert_no_error (openers[i].error);
      g_assert_cmpint (bd_store_get_schema_version (openers[i].store), ==, 3);
      g_object_unref (openers[i].store);
    }

  versions = query (fixture, "SELECT count(*), max(version) FROM schema_version");
  g_assert_cmpstr (versions, ==, "1|3");
}

static void
test_pg_open_unreachable (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(BdStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* Port 1 on loopback: nothing listens there. */
  store = bd_store_open ("postgresql://billing@127.0.0.1:1/billing?connect_timeout=5",
                         BD_STORE_DURABLE, &error);
  /* Not reachable now: a server that may come back (docs/design.md, the
   * outage rule). */
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_UNAVAILABLE);
  g_assert_null (store);
  g_assert_true (g_str_has_prefix (error->message, "The billing database could not be opened"));
}

typedef struct
{
  BdStore *store;
  gint64   waited;
  guint    quantity;
} Locker;

static gpointer
get_in_transaction (gpointer data)
{
  Locker *locker = data;
  g_autoptr(BdSubscriptionData) read = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (bd_store_begin (locker->store, NULL));
  read = get_subscription (locker->store, "s1");
  locker->waited = g_get_monotonic_time () - start;
  locker->quantity = read->quantity;
  bd_store_rollback (locker->store);
  return NULL;
}

/* Reading a subscription inside a transaction locks its row: a second
 * transaction's read of it waits for the first's commit, then sees it.
 */
static void
test_pg_row_lock (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(BdStore) first = open_seeded_store (fixture, NULL);
  g_autoptr(BdSubscriptionData) data = NULL;
  g_autoptr(GError) error = NULL;
  Locker locker = { .store = open_store (fixture) };
  GThread *thread;

  g_assert_true (bd_store_begin (first, &error));
  data = get_subscription (first, "s1");
  thread = g_thread_new ("locker", get_in_transaction, &locker);

  g_usleep (300 * 1000);
  data->quantity = 9;
  g_assert_true (bd_store_put_subscription (first, data, &error));
  g_assert_true (bd_store_commit (first, &error));
  g_assert_no_error (error);

  g_thread_join (thread);
  g_assert_cmpint (locker.waited, >=, 250 * 1000);
  g_assert_cmpuint (locker.quantity, ==, 9);
  g_object_unref (locker.store);
}

typedef struct
{
  BdStore            *store;
  BdIdempotentAnswer *kept;
  GError             *error;
  gint64              waited;
} Claimer;

static gpointer
claim_in_thread (gpointer data)
{
  Claimer *claimer = data;
  g_autoptr(GBytes) fingerprint = g_bytes_new_static ("f", 1);
  gint64 start = g_get_monotonic_time ();

  g_assert_true (bd_store_begin (claimer->store, NULL));
  bd_store_claim_idempotency_key (claimer->store, "u1", CANCEL_ENDPOINT, "k", 0, fingerprint,
                                  &claimer->kept, &claimer->error);
  claimer->waited = g_get_monotonic_time () - start;
  bd_store_rollback (claimer->store);
  return NULL;
}

/* The same key in two transactions: the second claim waits for the
 * first's end, then finds its answer (committed) or claims the key itself
 * (rolled back).
 */
static void
test_pg_claim_waits (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(BdStore) first = open_seeded_store (fixture, NULL);
  g_autoptr(GBytes) fingerprint = g_bytes_new_static ("f", 1);
  g_autoptr(GError) error = NULL;
  BdIdempotentAnswer answer = { fingerprint, 200, fingerprint, 1 };

  for (guint commit = 0; commit < 2; commit++)
    {
      Claimer claimer = { .store = open_store (fixture) };
      GThread *thread;

      g_assert_null (claim (first, "k", 0, fingerprint));
      thread = g_thread_new ("claimer", claim_in_thread, &claimer);
      g_usleep (300 * 1000);
      if (commit)
        {
          g_assert_true (bd_store_put_idempotent_answer (first, "u1", CANCEL_ENDPOINT, "k", 0,
                                                         &answer, &error));
          g_assert_true (bd_store_commit (first, &error));
          g_assert_no_error (error);
        }
      else
        bd_store_rollback (first);

      g_thread_join (thread);
      g_assert_no_error (claimer.error);
      g_assert_cmpint (claimer.waited, >=, 250 * 1000);
      g_assert_true ((claimer.kept != NULL) == commit);
      g_clear_pointer (&claimer.kept, bd_idempotent_answer_free);
      g_object_unref (claimer.store);
    }
}

/* A connection the server ended (a restart, an administrator) is opened
 * again, with its statements prepared anew: a read outside a transaction
 * is sent once more on it and succeeds; a transaction it ended is not
 * silently redone, but fails as unavailable (503: ask again).
 */
static void
test_pg_reconnect (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(BdStore) store = open_seeded_store (fixture, NULL);
  g_autoptr(BdSubscriptionData) data = NULL;
  g_autoptr(BdTenant) tenant = NULL;
  g_autoptr(GError) error = NULL;
  const char *kill = "SELECT pg_terminate_backend (pid) FROM pg_stat_activity "
                     "WHERE datname = current_database () AND pid <> pg_backend_pid ()";

  g_free (query (fixture, kill));
  tenant = bd_store_get_tenant (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tenant);

  data = get_subscription (store, "s1");
  g_assert_cmpstr (data->id, ==, "s1");

  g_assert_true (bd_store_begin (store, &error));
  g_free (query (fixture, kill));
  data->quantity = 9;
  g_assert_false (bd_store_put_subscription (store, data, &error));
  g_assert_error (error, BD_STORE_ERROR, BD_STORE_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  bd_store_rollback (store);

  g_clear_pointer (&data, bd_subscription_data_free);
  data = get_subscription (store, "s1");
  g_assert_cmpuint (data->quantity, ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  if (bd_test_database_skip_all ())
    return g_test_run ();

  /* What SQLite alone has: its file, its pragmas, its header. */
  if (!bd_test_database_is_postgresql ())
    {
      ADD ("/store/open/create", test_open_create, NULL);
      ADD ("/store/open/scratch", test_open_scratch, NULL);
      ADD ("/store/open/newer-schema", test_open_newer_schema, NULL);
      ADD ("/store/open/not-a-database", test_open_not_a_database, NULL);
      ADD ("/store/open/missing-directory", test_open_missing_directory, NULL);
      ADD ("/store/open/location", test_open_location, NULL);
    }
  else
    {
      ADD ("/store/pg/open/create", test_pg_open_create, NULL);
      ADD ("/store/pg/open/newer-schema", test_pg_open_newer_schema, NULL);
      ADD ("/store/pg/open/at-once", test_pg_open_at_once, NULL);
      ADD ("/store/pg/open/unreachable", test_pg_open_unreachable, NULL);
      ADD ("/store/pg/transactions/row-lock", test_pg_row_lock, NULL);
      ADD ("/store/pg/idempotency/claim-waits", test_pg_claim_waits, NULL);
      ADD ("/store/pg/reconnect", test_pg_reconnect, NULL);
    }

  ADD ("/store/open/reopen", test_open_reopen, NULL);
  ADD ("/store/seed/whole-file", test_seed, NULL);
  ADD ("/store/seed/twice", test_seed_twice, NULL);
  ADD ("/store/seed/atomic/second-user", test_seed_atomic,
       GINT_TO_POINTER (BREAK_SECOND_USER));
  ADD ("/store/seed/atomic/last-subscription", test_seed_atomic,
       GINT_TO_POINTER (BREAK_LAST_SUBSCRIPTION));
  ADD ("/store/seed/atomic/last-domain-link", test_seed_atomic,
       GINT_TO_POINTER (BREAK_LAST_DOMAIN_LINK));
  ADD ("/store/users/token", test_token, NULL);
  ADD ("/store/subscriptions/round-trip", test_subscription_round_trip, NULL);
  ADD ("/store/subscriptions/paging", test_subscription_paging, NULL);
  ADD ("/store/subscriptions/many", test_subscription_many, NULL);
  ADD ("/store/transactions/rollback", test_rollback, NULL);
  ADD ("/store/operations/add-and-list", test_operations, NULL);
  ADD ("/store/idempotency", test_idempotency, NULL);
  ADD ("/store/idempotency/retention", test_idempotency_retention, NULL);
  ADD ("/store/idempotency/claim", test_idempotency_claim, NULL);
  ADD ("/store/open/two-connections", test_two_connections, NULL);

#undef ADD

  g_test_add_func ("/store/operations/free", test_operation_free);
  g_test_add_func ("/store/users/token-hash", test_token_hash);

  return g_test_run ();
}
