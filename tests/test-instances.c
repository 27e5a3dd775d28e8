/* test-instances.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Several billing-desk-service processes on one database (docs/design.md
 * section 6, "Several instances, one database"): every promise of the API
 * holds across instances as it holds in one. Each fixture starts its
 * instances at once on an empty database (a seeding race of its own); each
 * race is repeated ROUNDS times, on a subscription of its own per round.
 * instances runs them on one SQLite file, instances-pg on one PostgreSQL
 * database, with two and with three instances.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <libsoup/soup.h>

#include "bd-store.h"
#include "bd-test-child.h"
#include "bd-test-utils.h"

#define NOW     "2026-11-03T00:00:00Z"
#define ADMIN   "token-instances-admin-1"
#define BILLING "token-instances-billing-2"
#define URL     "http://127\\.0\\.0\\.1:[0-9]+"
#define WAIT_MS 60000

#define ROUNDS         50
#define KILL_REQUESTS  60
#define MAX_INSTANCES  3
#define CANCEL_BODY    "{\"reason\":\"noLongerNeeded\"}"
#define CANCEL_ROUTE   "POST /v1/subscriptions/{id}/cancel"

/* One subscription a round for each race, and the kill's own. */
#define N_SUBSCRIPTIONS (ROUNDS + KILL_REQUESTS)

typedef struct
{
  char        *dir;
  char        *tenant_path;
  char        *location;   /* sqlite:PATH or a PostgreSQL URI */
  guint        n;          /* instances */
  guint        reader;     /* the instance that reads the ledger for the checks */
  BdTestChild *children[MAX_INSTANCES];
  SoupSession *session;
} Fixture;

/*
 * The tenant: two admins, and subscriptions every rule lets cancel
 */

static char *
tenant_json (void)
{
  GString *json = g_string_new (NULL);

  g_string_append (json,
                   "{\"tenant\":{\"displayName\":\"Contoso A/S\",\"cloud\":\"worldwide\","
                   "\"currency\":\"DKK\"},\"users\":["
                   "{\"id\":\"u1\",\"displayName\":\"Anne Berg\",\"roles\":[\"globalAdmin\"],"
                   "\"token\":\"" ADMIN "\"},"
                   "{\"id\":\"u2\",\"displayName\":\"Søren Kjær\",\"roles\":[\"billingAdmin\"],"
                   "\"token\":\"" BILLING "\"}],"
                   "\"billingProfiles\":[],\"domains\":[],\"subscriptions\":[");
  for (guint i = 1; i <= N_SUBSCRIPTIONS; i++)
    g_string_append_printf (json,
                            "%s{\"id\":\"s%u\",\"productName\":\"Product %03u\","
                            "\"status\":\"active\",\"quantity\":5,"
                            "\"billingFrequency\":\"monthly\","
                            "\"unitPrice\":{\"amount\":15900,\"currency\":\"DKK\"},"
                            "\"startDate\":\"2026-11-01T00:00:00Z\","
                            "\"lastRenewalDate\":\"2026-11-01T00:00:00Z\","
                            "\"termEndDate\":\"2026-12-01T00:00:00Z\"}",
                            i > 1 ? "," : "", i, i);
  g_string_append (json, "]}");

  return g_string_free (json, FALSE);
}

/*
 * The fixture: n instances started at once on one empty database
 */

static BdTestChild *
spawn_instance (Fixture *f)
{
  const char * const args[] = {
    "--database", f->location, "--tenant-file", f->tenant_path,
    "--listen", "127.0.0.1:0", "--now", NOW, NULL
  };

  return bd_test_child_spawn (args, (const char * const []) { "BILLING_DESK_NOW", NULL });
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = tenant_json ();
  g_autofree char *db = NULL;
  g_autofree char *location = NULL;

  f->n = GPOINTER_TO_UINT (data);
  f->dir = g_dir_make_tmp ("bd-test-instances-XXXXXX", &error);
  g_assert_no_error (error);
  f->tenant_path = g_build_filename (f->dir, "tenant.json", NULL);
  g_file_set_contents (f->tenant_path, json, -1, &error);
  g_assert_no_error (error);

  db = g_build_filename (f->dir, "billing.sqlite", NULL);
  location = bd_test_database_new (db);
  f->location = bd_test_database_is_postgresql () ? g_steal_pointer (&location)
                                                  : g_strconcat ("sqlite:", db, NULL);

  for (guint i = 0; i < f->n; i++)
    f->children[i] = spawn_instance (f);
  for (guint i = 0; i < f->n; i++)
    bd_test_child_wait_listening (f->children[i], URL);

  f->session = soup_session_new_with_options ("max-conns-per-host", 8, "timeout", 60, NULL);
  soup_session_set_proxy_resolver (f->session, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  for (guint i = 0; i < f->n; i++)
    g_clear_pointer (&f->children[i], bd_test_child_free);
  bd_test_database_drop (bd_test_database_is_postgresql () ? f->location : NULL);
  bd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->tenant_path);
  g_free (f->location);
}

/*
 * HTTP: requests in flight at once, to any instance
 */

typedef struct
{
  SoupMessage *message;
  GBytes      *body;
  GError      *error;
  gboolean     done;
  char        *text;       /* the body, once done */
  JsonNode    *json;       /* (nullable) */
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->message);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_error (&call->error);
  g_free (call->text);
  g_clear_pointer (&call->json, json_node_unref);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;
  gsize length = 0;
  const char *data;

  call->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &call->error);
  if (call->body != NULL)
    {
      data = g_bytes_get_data (call->body, &length);
      call->text = g_strndup (data != NULL ? data : "", length);
      call->json = bd_json_parse (call->text, -1, NULL);
    }
  call->done = TRUE;
}

/* Starts a request to instance @i; @key and @if_match (nullable) as headers. */
static Call *
call_start (Fixture    *f,
            guint       i,
            const char *method,
            const char *path,
            const char *token,
            const char *body,
            const char *key,
            const char *if_match)
{
  g_autofree char *uri = g_strconcat (f->children[i]->url, path, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  Call *call = g_new0 (Call, 1);
  SoupMessageHeaders *headers;

  call->message = soup_message_new (method, uri);
  headers = soup_message_get_request_headers (call->message);
  soup_message_headers_replace (headers, "Authorization", authorization);
  if (key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", key);
  if (if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", if_match);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (call->message, "application/json", bytes);
    }

  soup_session_send_and_read_async (f->session, call->message, G_PRIORITY_DEFAULT, NULL,
                                    call_cb, call);
  return call;
}

static gboolean
call_done (gpointer data)
{
  return ((Call *) data)->done;
}

/* Lets requests in flight go on for @ms. */
static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static Call *
call_wait (Call *call)
{
  g_assert_true (bd_test_wait_until (call_done, call, WAIT_MS));
  return call;
}

static guint
status_of (Call *call)
{
  g_assert_no_error (call->error);
  return soup_message_get_status (call->message);
}

static Call *
request (Fixture    *f,
         guint       i,
         const char *method,
         const char *path,
         const char *token)
{
  return call_wait (call_start (f, i, method, path, token, NULL, NULL, NULL));
}

static const char *
error_code_of (Call *call)
{
  JsonObject *object;

  g_assert_nonnull (call->json);
  object = json_node_get_object (call->json);
  return json_object_get_string_member (json_object_get_object_member (object, "error"),
                                        "code");
}

static Call *
cancel_start (Fixture    *f,
              guint       i,
              guint       subscription,
              const char *key)
{
  g_autofree char *path = g_strdup_printf ("/v1/subscriptions/s%u/cancel", subscription);

  return call_start (f, i, "POST", path, ADMIN, CANCEL_BODY, key, NULL);
}

/*
 * The ledger
 */

/* The whole ledger (or a subscription's) as instance @i pages through it,
 * @top entries a page: the entries' ids in order, and "action key" of each
 * in @actions when it is not %NULL.
 */
static GPtrArray *
read_ledger (Fixture    *f,
             guint       i,
             const char *subscription_id,
             guint       top,
             GPtrArray  *actions)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;

  if (subscription_id != NULL)
    path = g_strdup_printf ("/v1/operations?subscriptionId=%s&top=%u", subscription_id, top);
  else
    path = g_strdup_printf ("/v1/operations?top=%u", top);

  while (path != NULL)
    {
      g_autoptr(Call) page = request (f, i, "GET", path, ADMIN);
      JsonObject *object;
      JsonArray *value;
      const char *next;

      g_assert_cmpuint (status_of (page), ==, 200);
      object = json_node_get_object (page->json);
      value = json_object_get_array_member (object, "value");
      for (guint j = 0; j < json_array_get_length (value); j++)
        {
          JsonObject *entry = json_array_get_object_element (value, j);
          const char *key = json_object_get_string_member_with_default (entry, "idempotencyKey",
                                                                        "");

          g_ptr_array_add (ids, g_strdup (json_object_get_string_member (entry, "id")));
          if (actions != NULL)
            g_ptr_array_add (actions, g_strdup_printf ("%s %s",
                                                       json_object_get_string_member (entry,
                                                                                      "action"),
                                                       key != NULL ? key : ""));
        }

      g_clear_pointer (&path, g_free);
      next = json_object_get_string_member_with_default (object, "nextLink", NULL);
      if (next != NULL)
        {
          g_assert_nonnull (strstr (next, "/v1/operations"));
          path = g_strdup (strstr (next, "/v1/operations"));
        }
    }

  return ids;
}

/* How many entries of subscription @id are "@action @key" (@key: any when %NULL). */
static guint
count_entries (Fixture    *f,
               guint       subscription,
               const char *action,
               const char *key)
{
  g_autofree char *id = g_strdup_printf ("s%u", subscription);
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = read_ledger (f, f->reader, id, 100, actions);
  g_autofree char *wanted = g_strdup_printf ("%s %s", action, key != NULL ? key : "");
  guint n = 0;

  for (guint i = 0; i < actions->len; i++)
    {
      const char *entry = g_ptr_array_index (actions, i);

      if (key != NULL ? g_str_equal (entry, wanted)
                      : g_str_has_prefix (entry, action) && entry[strlen (action)] == ' ')
        n++;
    }

  return n;
}

/*
 * The races
 */

/* The same Idempotency-Key (same user, route and body) to every instance at
 * once: one effect, one ledger entry; every instance answers the first
 * answer, byte for byte (the others waited on its key's claim and replay
 * it).
 */
static void
test_same_key (Fixture       *f,
               gconstpointer  data)
{
  for (guint round = 1; round <= ROUNDS; round++)
    {
      g_autofree char *key = g_strdup_printf ("same-%u", round);
      Call *calls[MAX_INSTANCES];

      for (guint i = 0; i < f->n; i++)
        calls[i] = cancel_start (f, i, round, key);
      for (guint i = 0; i < f->n; i++)
        {
          call_wait (calls[i]);
          if (status_of (calls[i]) != 200)
            g_error ("round %u, instance %u: %u %s", round, i, status_of (calls[i]),
                     calls[i]->text);
          g_assert_null (soup_message_headers_get_one (
            soup_message_get_response_headers (calls[i]->message), "Retry-After"));
          g_assert_cmpstr (calls[i]->text, ==, calls[0]->text);
        }
      for (guint i = 0; i < f->n; i++)
        call_free (calls[i]);

      g_assert_cmpuint (count_entries (f, round, "cancel", key), ==, 1);
      g_assert_cmpuint (count_entries (f, round, "cancel", NULL), ==, 1);
    }
}

/* One key on two subscriptions at once (another fingerprint): one cancel,
 * and 422 idempotencyKeyReused for the other, whichever came second; the
 * second waited on the first's claim, so it never finds the key taken at
 * its put (which would be a 500).
 */
static void
test_key_reused (Fixture       *f,
                 gconstpointer  data)
{
  for (guint round = 1; round <= ROUNDS; round++)
    {
      g_autofree char *key = g_strdup_printf ("reused-%u", round);
      Call *calls[2];
      guint ok = 0;
      guint cancels = 0;

      calls[0] = cancel_start (f, 0, round, key);
      calls[1] = cancel_start (f, 1, ROUNDS + round, key);
      for (guint i = 0; i < 2; i++)
        {
          call_wait (calls[i]);
          if (status_of (calls[i]) == 200)
            ok++;
          else if (status_of (calls[i]) != 422 ||
                   g_strcmp0 (error_code_of (calls[i]), "idempotencyKeyReused") != 0)
            g_error ("round %u, instance %u: %u %s", round, i, status_of (calls[i]),
                     calls[i]->text);
          call_free (calls[i]);
        }

      cancels = count_entries (f, round, "cancel", key) +
                count_entries (f, ROUNDS + round, "cancel", key);
      g_assert_cmpuint (ok, ==, 1);
      g_assert_cmpuint (cancels, ==, 1);
    }
}

/* Two (three) keys cancelling one subscription at once: one 200, the
 * others 409 notActive (it is Disabled by then), one ledger entry.
 */
static void
test_different_keys (Fixture       *f,
                     gconstpointer  data)
{
  for (guint round = 1; round <= ROUNDS; round++)
    {
      Call *calls[MAX_INSTANCES];
      guint ok = 0;

      for (guint i = 0; i < f->n; i++)
        {
          g_autofree char *key = g_strdup_printf ("key-%u-%u", round, i);

          calls[i] = cancel_start (f, i, round, key);
        }
      for (guint i = 0; i < f->n; i++)
        {
          call_wait (calls[i]);
          if (status_of (calls[i]) == 200)
            ok++;
          else if (status_of (calls[i]) != 409 ||
                   g_strcmp0 (error_code_of (calls[i]), "notActive") != 0)
            g_error ("round %u, instance %u: %u %s", round, i, status_of (calls[i]),
                     calls[i]->text);
          call_free (calls[i]);
        }

      g_assert_cmpuint (ok, ==, 1);
      g_assert_cmpuint (count_entries (f, round, "cancel", NULL), ==, 1);
    }
}

/* The same ETag (If-Match) on a PATCH to every instance at once: one 200,
 * the others 412; one ledger entry.
 */
static void
test_same_etag (Fixture       *f,
                gconstpointer  data)
{
  for (guint round = 1; round <= ROUNDS; round++)
    {
      g_autofree char *path = g_strdup_printf ("/v1/subscriptions/s%u", round);
      g_autoptr(Call) read = request (f, round % f->n, "GET", path, ADMIN);
      const char *etag;
      Call *calls[MAX_INSTANCES];
      guint ok = 0;

      g_assert_cmpuint (status_of (read), ==, 200);
      etag = soup_message_headers_get_one (soup_message_get_response_headers (read->message),
                                           "ETag");
      g_assert_nonnull (etag);

      for (guint i = 0; i < f->n; i++)
        {
          g_autofree char *body = g_strdup_printf ("{\"quantity\":%u}", 10 + i);

          calls[i] = call_start (f, i, "PATCH", path, ADMIN, body, NULL, etag);
        }
      for (guint i = 0; i < f->n; i++)
        {
          call_wait (calls[i]);
          if (status_of (calls[i]) == 200)
            ok++;
          else if (status_of (calls[i]) != 412)
            g_error ("round %u, instance %u: %u %s", round, i, status_of (calls[i]),
                     calls[i]->text);
          call_free (calls[i]);
        }

      g_assert_cmpuint (ok, ==, 1);
      g_assert_cmpuint (count_entries (f, round, "changeQuantity", NULL), ==, 1);
    }
}

/* @part is where @whole begins: the same ids in the same order. */
static void
assert_prefix (GPtrArray *part,
               GPtrArray *whole)
{
  g_assert_cmpuint (part->len, <=, whole->len);
  for (guint i = 0; i < part->len; i++)
    g_assert_cmpstr (g_ptr_array_index (part, i), ==, g_ptr_array_index (whole, i));
}

/* Instance @i's change in round @round of the ledger's test: instance 0
 * cancels the round's subscription, the others change the quantity of one
 * of their own (If-Match `*`), to another value each round.
 */
static Call *
ledger_change_start (Fixture *f,
                     guint    i,
                     guint    round)
{
  g_autofree char *key = g_strdup_printf ("ledger-%u", round);
  g_autofree char *path = g_strdup_printf ("/v1/subscriptions/s%u", ROUNDS + i);
  g_autofree char *body = g_strdup_printf ("{\"quantity\":%u}", 6 + round % 2);

  if (i == 0)
    return cancel_start (f, 0, round, key);
  return call_start (f, i, "PATCH", path, ADMIN, body, NULL, "*");
}

/* The ledger pages in one order on every instance, none skipped, while
 * changes are being made: each reading taken meanwhile, by any instance
 * and a few entries a page, is where the final ledger begins, and every
 * instance reads the final ledger alike.
 */
static void
test_ledger_order (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) readings = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  g_ptr_array_unref);
  g_autoptr(GPtrArray) final = NULL;

  for (guint round = 1; round <= ROUNDS; round++)
    {
      Call *calls[MAX_INSTANCES];

      for (guint i = 0; i < f->n; i++)
        calls[i] = ledger_change_start (f, i, round);
      g_ptr_array_add (readings, read_ledger (f, round % f->n, NULL, 7, NULL));
      for (guint i = 0; i < f->n; i++)
        {
          call_wait (calls[i]);
          if (status_of (calls[i]) != 200)
            g_error ("round %u, instance %u: %u %s", round, i, status_of (calls[i]),
                     calls[i]->text);
          call_free (calls[i]);
        }
    }

  final = read_ledger (f, 0, NULL, 500, NULL);
  g_assert_cmpuint (final->len, ==, ROUNDS * f->n);
  for (guint i = 0; i < readings->len; i++)
    assert_prefix (g_ptr_array_index (readings, i), final);
  for (guint i = 1; i < f->n; i++)
    {
      g_autoptr(GPtrArray) other = read_ledger (f, i, NULL, 3, NULL);

      g_assert_cmpuint (other->len, ==, final->len);
      assert_prefix (other, final);
    }
}

/*
 * Starting together, tokens and users, a kill
 */

/* The fixture started its instances at once on an empty database: exactly
 * one seeded it, the others waited and said that it holds a tenant
 * already; all served, and all stop cleanly.
 */
static void
test_seed_at_once (Fixture       *f,
                   gconstpointer  data)
{
  guint seeded = 0;

  for (guint i = 0; i < f->n; i++)
    {
      g_autoptr(Call) me = request (f, i, "GET", "/v1/me", ADMIN);
      g_autofree char *stderr_text = NULL;

      g_assert_cmpuint (status_of (me), ==, 200);
      g_assert_cmpint (bd_test_child_finish (f->children[i], TRUE, &stderr_text), ==, 0);
      seeded += strstr (stderr_text, "holds a tenant already") == NULL;
    }

  g_assert_cmpuint (seeded, ==, 1);
  g_assert_true (g_file_test (f->tenant_path, G_FILE_TEST_EXISTS));
}

/* billing-desk-service @args... --database LOCATION; its stdout. */
static char *
run_command (Fixture            *f,
             const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;

  g_strv_builder_addv (builder, (const char **) args);
  g_strv_builder_add_many (builder, "--database", f->location, NULL);
  argv = g_strv_builder_end (builder);

  if (bd_test_child_run ((const char * const *) argv, &out, &err) != 0)
    g_error ("%s %s: %s", argv[0], argv[1], err);

  return out;
}

/* GET /v1/me with @token on every instance answers @status. */
static void
assert_me_everywhere (Fixture    *f,
                      const char *token,
                      guint       status)
{
  for (guint i = 0; i < f->n; i++)
    {
      g_autoptr(Call) me = request (f, i, "GET", "/v1/me", token);

      g_assert_cmpuint (status_of (me), ==, status);
      if (status == 401)
        g_assert_cmpstr (error_code_of (me), ==, "unauthenticated");
    }
}

/* A token revoked, or its user disabled, through the database while the
 * instances run: 401 on every instance from the next request on.
 */
static void
test_revoke_and_disable (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *created = run_command (f, (const char * const []) {
                                            "tokens", "create", "--user", "u1",
                                            "--name", "instances", NULL });
  g_autofree char *token = g_strchomp (g_strdup (created));
  g_autofree char *list = NULL;
  g_autofree char *id = NULL;
  g_auto(GStrv) lines = NULL;

  assert_me_everywhere (f, token, 200);

  list = run_command (f, (const char * const []) { "tokens", "list", "--user", "u1", NULL });
  lines = g_strsplit (list, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "\tu1\tinstances\t") != NULL)
      id = g_strndup (lines[i], strcspn (lines[i], "\t"));
  g_assert_nonnull (id);

  g_free (run_command (f, (const char * const []) { "tokens", "revoke", id, NULL }));
  assert_me_everywhere (f, token, 401);
  assert_me_everywhere (f, ADMIN, 200);

  assert_me_everywhere (f, BILLING, 200);
  g_free (run_command (f, (const char * const []) { "users", "disable", "u2", NULL }));
  assert_me_everywhere (f, BILLING, 401);
  g_free (run_command (f, (const char * const []) { "users", "enable", "u2", NULL }));
  assert_me_everywhere (f, BILLING, 200);
}

typedef struct
{
  Call  *call;
  guint  instance;
  guint  subscription;
  char  *key;
  guint  status;     /* 0: no answer (the instance was killed) */
  char  *text;
} Sent;

static void
sent_finish (Sent *sent)
{
  call_wait (sent->call);
  if (sent->call->error == NULL)
    {
      sent->status = soup_message_get_status (sent->call->message);
      sent->text = g_strdup (sent->call->text);
    }
  g_clear_pointer (&sent->call, call_free);
}

/* Kill -9 of one instance mid-traffic: the others serve, and nothing
 * acknowledged is lost: every 200 the client saw is in the database, its
 * ledger entry there exactly once. A request the killed instance never
 * answered is an unknown outcome, asked again with the same key on another
 * instance (the app's Check Again): it is done exactly once too, and its key
 * is not stuck, since nothing "in progress" was committed.
 */
static void
test_kill (Fixture       *f,
           gconstpointer  data)
{
  Sent sent[KILL_REQUESTS] = { { NULL } };
  guint killed_at = KILL_REQUESTS / 3;
  guint unknown = 0;

  for (guint r = 0; r < KILL_REQUESTS; r += f->n)
    {
      for (guint j = 0; j < f->n && r + j < KILL_REQUESTS; j++)
        {
          Sent *s = &sent[r + j];

          s->instance = j;
          s->subscription = 1 + r + j;
          s->key = g_strdup_printf ("kill-%u", r + j);
          if (j == 0 && r > killed_at)
            s->instance = 1;
          s->call = cancel_start (f, s->instance, s->subscription, s->key);
        }

      /* Mid-flight: the requests just sent to instance 0 may or may not be
       * applied; the instance gets no chance to answer.
       */
      if (r <= killed_at && r + f->n > killed_at)
        {
          spin (5);
          g_subprocess_send_signal (f->children[0]->process, SIGKILL);
          g_assert_true (bd_test_wait_until (bd_test_is_set, &f->children[0]->exited, WAIT_MS));
          f->reader = 1;
        }

      for (guint j = 0; j < f->n && r + j < KILL_REQUESTS; j++)
        sent_finish (&sent[r + j]);
    }

  for (guint i = 0; i < KILL_REQUESTS; i++)
    {
      Sent *s = &sent[i];

      if (s->status == 0)
        {
          g_autoptr(Call) again = call_wait (cancel_start (f, 1, s->subscription, s->key));

          g_assert_cmpuint (s->instance, ==, 0);
          unknown++;
          s->status = status_of (again);
          s->text = g_strdup (again->text);
        }
      if (s->status != 200)
        g_error ("%s: %u %s", s->key, s->status, s->text);
    }

  /* Everything acknowledged is there, once. */
  for (guint i = 0; i < KILL_REQUESTS; i++)
    {
      g_autofree char *path = g_strdup_printf ("/v1/subscriptions/s%u", sent[i].subscription);
      g_autoptr(Call) read = request (f, 1 + i % (f->n - 1), "GET", path, ADMIN);
      JsonObject *object;

      g_assert_cmpuint (status_of (read), ==, 200);
      object = json_node_get_object (read->json);
      g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "disabled");
      g_assert_cmpuint (count_entries (f, sent[i].subscription, "cancel", sent[i].key), ==, 1);
      g_free (sent[i].key);
      g_free (sent[i].text);
    }

  g_test_message ("%u of %u requests had no answer from the killed instance", unknown,
                  KILL_REQUESTS);
}

/* The key held by another transaction past the lock wait's bound (here by
 * a store of the test's own, on the same database): 409 requestInProgress
 * with Retry-After, after the wait; never kept, so the same request once
 * the key is free is the change itself, once. Meanwhile the other instance
 * serves; and the same key on a subscription that does not exist is 404,
 * which comes first.
 */
static void
test_request_in_progress (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BdStore) store = NULL;
  g_autoptr(BdIdempotentAnswer) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) fingerprint = g_bytes_new_static ("held", 4);
  g_autoptr(Call) waiting = NULL;
  g_autoptr(Call) missing = NULL;
  g_autoptr(Call) read = NULL;
  g_autoptr(Call) again = NULL;
  g_autoptr(Call) replay = NULL;
  gint64 start;
  gint64 waited;

  store = bd_store_open (f->location, BD_STORE_DURABLE, &error);
  g_assert_no_error (error);
  g_assert_true (bd_store_begin (store, &error));
  g_assert_true (bd_store_claim_idempotency_key (store, "u1", CANCEL_ROUTE, "held", 0,
                                                 fingerprint, &kept, &error));
  g_assert_no_error (error);
  g_assert_null (kept);

  start = g_get_monotonic_time ();
  waiting = cancel_start (f, 0, 1, "held");
  spin (200);
  read = request (f, 1, "GET", "/v1/subscriptions/s2", ADMIN);
  g_assert_cmpuint (status_of (read), ==, 200);
  g_assert_false (waiting->done);
  /* The same key on a subscription that does not exist: 404 still wins. */
  missing = cancel_start (f, 1, N_SUBSCRIPTIONS + 1, "held");

  call_wait (waiting);
  waited = g_get_monotonic_time () - start;
  g_test_message ("409 after %" G_GINT64_FORMAT " ms", waited / 1000);
  g_assert_cmpuint (status_of (waiting), ==, 409);
  g_assert_cmpstr (error_code_of (waiting), ==, "requestInProgress");
  g_assert_cmpstr (soup_message_headers_get_one (
                     soup_message_get_response_headers (waiting->message), "Retry-After"),
                   ==, "1");
  /* The bound: PostgreSQL's lock_timeout, SQLite's busy timeout of 5 s. */
  g_assert_cmpint (waited, >=, (bd_test_database_is_postgresql ()
                                ? BD_STORE_LOCK_TIMEOUT_SECONDS : 5) * G_USEC_PER_SEC - 500000);

  call_wait (missing);
  g_assert_cmpuint (status_of (missing), ==, 404);
  g_assert_cmpstr (error_code_of (missing), ==, "notFound");

  bd_store_rollback (store);
  g_assert_cmpuint (count_entries (f, 1, "cancel", NULL), ==, 0);

  again = call_wait (cancel_start (f, 0, 1, "held"));
  g_assert_cmpuint (status_of (again), ==, 200);
  replay = call_wait (cancel_start (f, 1, 1, "held"));
  g_assert_cmpuint (status_of (replay), ==, 200);
  g_assert_cmpstr (replay->text, ==, again->text);
  g_assert_cmpuint (count_entries (f, 1, "cancel", "held"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    void      (*func) (Fixture *, gconstpointer);
    gboolean    each;   /* with two and three instances on PostgreSQL, else two */
  } tests[] = {
    { "seed-at-once", test_seed_at_once, TRUE },
    { "same-key", test_same_key, TRUE },
    { "key-reused", test_key_reused, FALSE },
    { "different-keys", test_different_keys, TRUE },
    { "same-etag", test_same_etag, TRUE },
    { "ledger-order", test_ledger_order, TRUE },
    { "kill", test_kill, TRUE },
    { "revoke-and-disable", test_revoke_and_disable, FALSE },
    { "request-in-progress", test_request_in_progress, FALSE },
  };

  g_test_init (&argc, &argv, NULL);

  if (bd_test_database_skip_all ())
    return g_test_run ();

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    {
      for (guint n = 2; n <= MAX_INSTANCES; n++)
        {
          g_autofree char *path = g_strdup_printf ("/instances/%u/%s", n, tests[i].name);

          if (n > 2 && !(tests[i].each && bd_test_database_is_postgresql ()))
            continue;
          g_test_add (path, Fixture, GUINT_TO_POINTER (n), fixture_set_up, tests[i].func,
                      fixture_tear_down);
        }
    }

  return g_test_run ();
}
