/* fuzz-service.c: the service's request handling, without a socket.
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is one to four requests, separated by a line "%%":
 *
 *   METHOD /path?query
 *   Authorization: Bearer token-global-admin-0001
 *   Idempotency-Key: k1
 *   If-Match: "etag"
 *   Content-Type: application/json
 *
 *   {"body": ...}
 *
 * Each goes through bd_api_handle () against a database seeded from the
 * test tenant (tests/service-tenant.h) at its frozen clock, on tmpfs with
 * BD_STORE_SCRATCH. The database is restored from a pristine copy before an
 * input whenever an earlier input may have changed it, so that every input
 * starts from the same state and replays the same.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bd-api.h"
#include "bd-fuzz.h"
#include "service-tenant.h"

#define MAX_REQUESTS 4
#define SEPARATOR "\n%%\n"

static char *dir;
static char *db_path;
static GBytes *pristine;
static BdStore *store;
static BdApi *api;
static gboolean dirty;
static gint64 now;

static void
remove_database (void)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);

      g_unlink (path);
    }
}

static void
open_database (void)
{
  g_autoptr(GError) error = NULL;

  store = bd_store_open (db_path, BD_STORE_SCRATCH, &error);
  g_assert_no_error (error);
  api = bd_api_new (store);
  bd_api_set_base_url (api, "http://127.0.0.1:8421");
  bd_api_set_frozen_now (api, now);
}

static void
close_database (void)
{
  g_clear_object (&api);
  g_clear_object (&store);
}

static void
restore_database (void)
{
  g_autoptr(GError) error = NULL;

  close_database ();
  remove_database ();
  g_file_set_contents (db_path, g_bytes_get_data (pristine, NULL), g_bytes_get_size (pristine),
                       &error);
  g_assert_no_error (error);
  open_database ();
  dirty = FALSE;
}

static void
clean_up (void)
{
  close_database ();
  remove_database ();
  g_rmdir (dir);
}

/* A directory on tmpfs: SQLite's files never touch a disk. */
static char *
make_dir (void)
{
  const char *bases[] = { "/dev/shm", g_getenv ("XDG_RUNTIME_DIR"), g_get_tmp_dir () };

  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      g_autofree char *template = NULL;

      if (bases[i] == NULL)
        continue;
      template = g_build_filename (bases[i], "billing-desk-fuzz-XXXXXX", NULL);
      if (g_mkdtemp (template) != NULL)
        return g_steal_pointer (&template);
    }

  g_error ("No directory for the database");
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(BdTenantFile) file = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  bd_fuzz_setup ();
  now = bd_fuzz_now ();

  dir = make_dir ();
  db_path = g_build_filename (dir, "billing.sqlite", NULL);
  atexit (clean_up);

  file = bd_tenant_file_read (TENANT, -1, now, &error);
  g_assert_no_error (error);
  open_database ();
  bd_store_seed (store, file, &error);
  g_assert_no_error (error);

  /* Closing the last connection folds the WAL into the file. */
  close_database ();
  g_file_get_contents (db_path, &contents, &length, &error);
  g_assert_no_error (error);
  pristine = g_bytes_new_take (contents, length);

  open_database ();
  return 0;
}

/* One request of the input, and the strings it points into. */
typedef struct
{
  BdApiRequest  request;
  char        **lines;
  char         *values[4];
} Parsed;

static void
parsed_clear (Parsed *parsed)
{
  g_clear_pointer (&parsed->lines, g_strfreev);
  for (guint i = 0; i < G_N_ELEMENTS (parsed->values); i++)
    g_clear_pointer (&parsed->values[i], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parsed, parsed_clear)

/* A header's value as a transport gives it: without surrounding blanks. */
static const char *
header_value (Parsed     *parsed,
              guint       index,
              const char *line)
{
  g_free (parsed->values[index]);
  parsed->values[index] = g_strstrip (g_strdup (strchr (line, ':') + 1));
  return parsed->values[index];
}

/* FALSE if no transport would pass the request on. */
static gboolean
parse_request (const char *chunk,
               gsize       length,
               Parsed     *parsed)
{
  BdApiRequest *request = &parsed->request;
  const char *body;
  g_autofree char *head = NULL;
  gsize head_length;
  char *target;
  char *query;

  body = g_strstr_len (chunk, length, "\n\n");
  head_length = body != NULL ? (gsize) (body - chunk) : length;
  head = g_strndup (chunk, head_length);
  /* no NUL in a request line or a header */
  if (strlen (head) != head_length)
    return FALSE;
  if (body != NULL)
    {
      request->body = body + 2;
      request->body_length = length - head_length - 2;
    }

  parsed->lines = g_strsplit (head, "\n", -1);
  if (parsed->lines[0] == NULL || (target = strchr (parsed->lines[0], ' ')) == NULL)
    return FALSE;
  *target++ = '\0';
  if (*parsed->lines[0] == '\0' || *target != '/')
    return FALSE;
  query = strchr (target, '?');
  if (query != NULL)
    *query++ = '\0';

  request->method = parsed->lines[0];
  request->path = target;
  request->query = query;

  for (guint i = 1; parsed->lines[i] != NULL; i++)
    {
      const char *line = parsed->lines[i];

      if (g_ascii_strncasecmp (line, "Authorization:", 14) == 0)
        request->authorization = header_value (parsed, 0, line);
      else if (g_ascii_strncasecmp (line, "Content-Type:", 13) == 0)
        request->content_type = header_value (parsed, 1, line);
      else if (g_ascii_strncasecmp (line, "If-Match:", 9) == 0)
        request->if_match = header_value (parsed, 2, line);
      else if (g_ascii_strncasecmp (line, "Idempotency-Key:", 16) == 0)
        request->idempotency_key = header_value (parsed, 3, line);
    }

  return TRUE;
}

static void
check_response (const BdApiRequest  *request,
                const BdApiResponse *response)
{
  static const guint documented[] = {
    200, 400, 401, 403, 404, 409, 412, 413, 415, 422, 428,
  };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) segments = NULL;
  const char *body;
  gsize length;
  gboolean known = FALSE;

  bd_fuzz_check (response != NULL && response->body != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (documented); i++)
    known |= response->status == documented[i];
  if (!known)
    g_printerr ("status %u: %.*s\n", response->status,
                (int) g_bytes_get_size (response->body),
                (const char *) g_bytes_get_data (response->body, NULL));
  bd_fuzz_check (known);

  /* Every answer is strict JSON. */
  body = g_bytes_get_data (response->body, &length);
  node = bd_json_parse (body, length, &error);
  if (node == NULL)
    g_printerr ("%s\n%.*s\n", error->message, (int) length, body);
  bd_fuzz_check (node != NULL);

  if (response->status != 200)
    {
      BdErrorCode code = BD_ERROR_CODE_UNKNOWN;

      bd_fuzz_check (bd_api_error_read (node, &code, NULL, NULL, NULL, &error));
      bd_fuzz_check (code != BD_ERROR_CODE_UNKNOWN);
      bd_fuzz_check (bd_error_code_get_http_status (code) == response->status);
      return;
    }

  /* What the service answers, the client can read. */
  segments = g_strsplit (request->path, "/", 8);
  if (g_strv_length (segments) >= 4)
    {
      g_autoptr(BdSubscription) subscription = NULL;
      g_autoptr(BdCancellation) cancellation = NULL;
      JsonNode *resource = node;

      if (segments[4] != NULL && strcmp (segments[4], "cancellation") == 0)
        {
          cancellation = bd_cancellation_new_from_json (node, NULL, &error);
          bd_fuzz_check (cancellation != NULL);
          return;
        }
      if (segments[4] != NULL && strcmp (segments[4], "cancel") == 0)
        resource = json_object_get_member (json_node_get_object (node), "subscription");

      bd_fuzz_check (resource != NULL);
      subscription = bd_subscription_new_from_json (resource, NULL, &error);
      if (subscription == NULL)
        g_printerr ("%s\n%.*s\n", error->message, (int) length, body);
      bd_fuzz_check (subscription != NULL);
      bd_fuzz_check (g_strcmp0 (bd_subscription_get_id (subscription), segments[3]) == 0);
      /* the ETag header is the JSON's etag */
      if (response->etag != NULL)
        bd_fuzz_check (g_strcmp0 (response->etag,
                                  bd_subscription_get_data (subscription)->etag) == 0);
    }
}

/* The next separator in [@from, @end), or @end. */
static const char *
find_separator (const char *from,
                const char *end)
{
  gsize n = strlen (SEPARATOR);

  for (const char *p = from; p + n <= end; p++)
    {
      p = memchr (p, SEPARATOR[0], end - p);
      if (p == NULL || p + n > end)
        break;
      if (memcmp (p, SEPARATOR, n) == 0)
        return p;
    }

  return end;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *chunk = (const char *) data;
  const char *end = chunk + size;

  if (dirty)
    restore_database ();

  for (guint n = 0; n < MAX_REQUESTS && chunk <= end; n++)
    {
      g_auto(Parsed) parsed = { 0 };
      g_autoptr(BdApiResponse) response = NULL;
      const char *next;

      next = find_separator (chunk, end);

      if (parse_request (chunk, next - chunk, &parsed))
        {
          response = bd_api_handle (api, &parsed.request);
          check_response (&parsed.request, response);

          /* What may have changed the database: an applied change, or an
           * answer stored under an Idempotency-Key (200 or 409).
           */
          if (strcmp (parsed.request.method, "GET") != 0 &&
              (response->status == 200 || response->status == 409))
            dirty = TRUE;
        }

      chunk = next + strlen (SEPARATOR);
    }

  return 0;
}
