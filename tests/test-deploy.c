/* test-deploy.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The deployment as docs/deploy/ shows it: two billing-desk-service
 * instances started with the ExecStart line of
 * docs/deploy/billing-desk-service@.service, on one database given as its
 * EnvironmentFile gives it, behind Debian's nginx running
 * docs/deploy/nginx-billing-desk.conf itself, with only its ports and
 * certificate paths replaced (a private nginx on 127.0.0.1, never the
 * system's). The app's own BdClient drives it over HTTPS: paging through
 * the proxy, a cancel and its Check Again on the other instance, an instance
 * killed after a cancel, and one killed while it holds a cancel (nginx must
 * not send that POST to the other instance; Check Again applies it once).
 * systemd-analyze verify checks the unit. deploy runs the instances on one
 * SQLite file, deploy-pg on one PostgreSQL database. Without nginx, one
 * skipped case says why.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bd-client.h"
#include "bd-test-certs.h"
#include "bd-test-child.h"
#include "bd-test-utils.h"
#include "bd-tls-database.h"
#include "service-tenant.h"

#define URL        "http://127\\.0\\.0\\.1:[0-9]+"
#define WAIT_MS    20000
#define UNIT       "billing-desk-service@.service"
#define SITE       "nginx-billing-desk.conf"
#define N_INSTANCES 2

static BdTestCerts *certs;
static char *nginx_path;

typedef struct
{
  char         *dir;
  char         *tenant_path;
  char         *location;    /* sqlite:PATH or a PostgreSQL URI */
  BdTestChild  *instances[N_INSTANCES];
  guint         ports[N_INSTANCES];
  GSubprocess  *nginx;
  gboolean      nginx_exited;
  char         *error_log;
  char         *url;         /* https://127.0.0.1:PORT, nginx's */
  guint         http_port;   /* nginx's plain http port */
  GTlsDatabase *tls_database;
} Fixture;

/*
 * The samples of docs/deploy/
 */

static char *
read_sample (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "docs", "deploy",
                                            name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* The unit's ExecStart, its line continuations joined, split as systemd
 * would, with the instance name (%i, the port) given.
 */
static GStrv
unit_exec_start (const char *instance)
{
  g_autofree char *unit = read_sample (UNIT);
  g_autoptr(GString) line = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = g_strsplit (unit, "\n", -1);
  GStrv argv = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (line == NULL && g_str_has_prefix (lines[i], "ExecStart="))
        line = g_string_new (lines[i] + strlen ("ExecStart="));
      else if (line != NULL)
        g_string_append (line, lines[i]);
      else
        continue;

      if (!g_str_has_suffix (line->str, "\\"))
        break;
      g_string_truncate (line, line->len - 1);
    }

  g_assert_nonnull (line);
  g_assert_cmpuint (g_string_replace (line, "%i", instance, 0), ==, 1);
  g_shell_parse_argv (line->str, NULL, &argv, &error);
  g_assert_no_error (error);
  g_test_message ("ExecStart: %s", line->str);
  return argv;
}

/* Replaces @from, which must be in @text exactly once. */
static void
replace_once (GString    *text,
              const char *from,
              const char *to)
{
  if (g_string_replace (text, from, to, 0) != 1)
    g_error ("docs/deploy/" SITE ": «%s» is not there once: tests/test-deploy.c fills it in",
             from);
}

/* The site with the instances' ports, nginx's own ports and the test
 * certificate; the IPv6 listeners go (the test listens on 127.0.0.1 only).
 */
static char *
site_config (Fixture *f,
             guint    https_port)
{
  g_autofree char *text = read_sample (SITE);
  GString *site = g_string_new (text);
  g_autofree char *first = g_strdup_printf ("server 127.0.0.1:%u ", f->ports[0]);
  g_autofree char *second = g_strdup_printf ("server 127.0.0.1:%u ", f->ports[1]);
  g_autofree char *http = g_strdup_printf ("listen 127.0.0.1:%u;", f->http_port);
  g_autofree char *https = g_strdup_printf ("listen 127.0.0.1:%u ssl;", https_port);

  replace_once (site, "server 127.0.0.1:8081 ", first);
  replace_once (site, "server 127.0.0.1:8082 ", second);
  replace_once (site, "listen 80;", http);
  replace_once (site, "listen [::]:80;", "");
  replace_once (site, "listen 443 ssl;", https);
  replace_once (site, "listen [::]:443 ssl;", "");
  replace_once (site, "/etc/billing-desk/tls/fullchain.pem", certs->server_pem);
  replace_once (site, "/etc/billing-desk/tls/privkey.pem", certs->server_key);

  return g_string_free (site, FALSE);
}

/*
 * The instances
 */

static void
spawn_instances (Fixture *f)
{
  g_autofree char *database = g_strconcat ("BILLING_DESK_DATABASE=", f->location, NULL);
  g_auto(GStrv) exec_start = unit_exec_start ("0");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;

  /* The unit's command after the program, and what a test adds: the tenant
   * to seed and the clock.
   */
  g_assert_true (g_str_has_suffix (exec_start[0], "/billing-desk-service"));
  g_strv_builder_addv (builder, (const char **) exec_start + 1);
  g_strv_builder_add_many (builder, "--tenant-file", f->tenant_path, "--now", NOW, NULL);
  args = g_strv_builder_end (builder);

  for (guint i = 0; i < N_INSTANCES; i++)
    f->instances[i] = bd_test_child_spawn ((const char * const *) args,
                                           (const char * const []) { database,
                                                                     "BILLING_DESK_NOW",
                                                                     NULL });
  for (guint i = 0; i < N_INSTANCES; i++)
    {
      const char *url = bd_test_child_wait_listening (f->instances[i], URL);

      f->ports[i] = (guint) g_ascii_strtoull (strrchr (url, ':') + 1, NULL, 10);
    }
}

/* Whether instance @i's stderr holds @line (such as "POST /v1/... 200 "). */
static gboolean
instance_logged (Fixture    *f,
                 guint       i,
                 const char *line)
{
  GMemoryOutputStream *log = f->instances[i]->stderr_buffer;

  return bd_test_bytes_contain (g_memory_output_stream_get_data (log),
                                g_memory_output_stream_get_data_size (log), line);
}

typedef struct
{
  Fixture    *f;
  const char *line;
  int         which;
} Logged;

static gboolean
one_logged (gpointer data)
{
  Logged *logged = data;
  guint n = 0;

  for (guint i = 0; i < N_INSTANCES; i++)
    if (instance_logged (logged->f, i, logged->line))
      {
        logged->which = (int) i;
        n++;
      }

  return n == 1;
}

/* The one instance that logged @line (the service logs each answer after
 * sending it: wait for it).
 */
static guint
answered_by (Fixture    *f,
             const char *line)
{
  Logged logged = { f, line, -1 };

  g_assert_true (bd_test_wait_until (one_logged, &logged, WAIT_MS));
  g_test_message ("«%s» answered by instance %d (port %u)", line, logged.which,
                  f->ports[logged.which]);
  return (guint) logged.which;
}

/* SIGKILL, and wait for the end. */
static void
kill_instance (Fixture *f,
               guint    i)
{
  g_test_message ("kill -9 instance %u (port %u)", i, f->ports[i]);
  g_subprocess_force_exit (f->instances[i]->process);
  g_assert_true (bd_test_wait_until (bd_test_is_set, &f->instances[i]->exited, WAIT_MS));
}

/* Connections that wait in the accept queue of instance @i's listening
 * socket (/proc/net/tcp gives it as the rx_queue of a LISTEN socket), which
 * a stopped instance does not take.
 */
static guint
accept_queue (Fixture *f,
              guint    i)
{
  g_autofree char *table = NULL;
  g_autofree char *local = g_strdup_printf ("0100007F:%04X", f->ports[i]);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents ("/proc/net/tcp", &table, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (table, "\n", -1);
  for (guint n = 1; lines[n] != NULL; n++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[n]), " ", -1);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) columns = NULL;

      for (guint k = 0; fields[k] != NULL; k++)
        if (*fields[k] != '\0')
          g_strv_builder_add (builder, fields[k]);
      columns = g_strv_builder_end (builder);
      /* sl local_address rem_address st tx_queue:rx_queue ... */
      if (g_strv_length (columns) > 4 && strcmp (columns[1], local) == 0 &&
          strcmp (columns[3], "0A") == 0)
        return (guint) g_ascii_strtoull (strchr (columns[4], ':') + 1, NULL, 16);
    }

  return 0;
}

/*
 * nginx
 */

static void
nginx_exited_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *f = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  f->nginx_exited = TRUE;
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* nginx's own configuration: a private instance in @prefix that includes
 * the site. Run as root, its workers become nobody (Debian has no group
 * of that name).
 */
static char *
nginx_config (const char *prefix,
              const char *site_path,
              const char *error_log)
{
  return g_strdup_printf ("# tests/test-deploy.c: a private nginx, never the system's.\n"
                          "daemon off;\n"
                          "master_process on;\n"
                          "worker_processes 1;\n"
                          "%s"
                          "pid %s/nginx.pid;\n"
                          "error_log %s info;\n"
                          "events {\n    worker_connections 64;\n}\n"
                          "http {\n"
                          "    access_log %s/access.log;\n"
                          "    client_body_temp_path %s/client_body;\n"
                          "    proxy_temp_path %s/proxy;\n"
                          "    fastcgi_temp_path %s/fastcgi;\n"
                          "    uwsgi_temp_path %s/uwsgi;\n"
                          "    scgi_temp_path %s/scgi;\n"
                          "    include %s;\n"
                          "}\n",
                          geteuid () == 0 ? "user nobody nogroup;\n" : "",
                          prefix, error_log, prefix, prefix, prefix, prefix, prefix, prefix,
                          site_path);
}

typedef struct
{
  Fixture    *f;
  const char *pid_path;
} Starting;

/* nginx writes its pid file once it holds its listening sockets, or it
 * ends. (A connection to its port proves nothing: another test's service
 * may have taken that port between free_port () and nginx's bind.)
 */
static gboolean
nginx_started (gpointer data)
{
  Starting *starting = data;

  return starting->f->nginx_exited || g_file_test (starting->pid_path, G_FILE_TEST_EXISTS);
}

/* Starts nginx on the site; FALSE when its ports were taken meanwhile. */
static gboolean
start_nginx_once (Fixture *f)
{
  g_autofree char *prefix = g_build_filename (f->dir, "nginx", NULL);
  g_autofree char *site_path = g_build_filename (prefix, "site.conf", NULL);
  g_autofree char *conf_path = g_build_filename (prefix, "nginx.conf", NULL);
  g_autofree char *prefix_arg = g_strconcat (prefix, "/", NULL);
  g_autofree char *pid_path = g_build_filename (prefix, "nginx.pid", NULL);
  Starting starting = { f, pid_path };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *site = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *log = NULL;
  g_autoptr(GError) error = NULL;
  guint https_port = free_port ();

  /* Two ports that were free: not the same one twice. */
  do
    f->http_port = free_port ();
  while (f->http_port == https_port);
  g_free (f->url);
  f->url = g_strdup_printf ("https://127.0.0.1:%u", https_port);
  g_free (f->error_log);
  f->error_log = g_build_filename (prefix, "error.log", NULL);
  site = site_config (f, https_port);
  conf = nginx_config (prefix, site_path, f->error_log);
  g_file_set_contents (site_path, site, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (conf_path, conf, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  /* It ends (and ends its workers) with the test, however the test ends. */
  bd_test_child_die_with_parent (launcher, SIGTERM);
  f->nginx_exited = FALSE;
  g_clear_object (&f->nginx);
  f->nginx = g_subprocess_launcher_spawn (launcher, &error, nginx_path, "-p", prefix_arg,
                                          "-c", conf_path, "-e", f->error_log, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (f->nginx, NULL, nginx_exited_cb, f);

  g_assert_true (bd_test_wait_until (nginx_started, &starting, WAIT_MS));
  if (!f->nginx_exited)
    return TRUE;

  g_file_get_contents (f->error_log, &log, NULL, NULL);
  g_test_message ("nginx ended: %s", log);
  g_assert_nonnull (strstr (log != NULL ? log : "", "Address already in use"));
  return FALSE;
}

static void
start_nginx (Fixture *f)
{
  g_autofree char *prefix = g_build_filename (f->dir, "nginx", NULL);

  /* Workers (nobody) cross the directory to their temporary files. */
  g_assert_cmpint (g_mkdir (prefix, 0711), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0711), ==, 0);
  for (guint attempt = 0; attempt < 3; attempt++)
    if (start_nginx_once (f))
      return;
  g_assert_not_reached ();
}

static gboolean
error_log_has (Fixture    *f,
               const char *text)
{
  g_autofree char *log = NULL;

  g_assert_true (g_file_get_contents (f->error_log, &log, NULL, NULL));
  return strstr (log, text) != NULL;
}

static void
stop_nginx (Fixture *f)
{
  g_autofree char *log = NULL;

  if (f->nginx == NULL)
    return;
  if (!f->nginx_exited)
    g_subprocess_send_signal (f->nginx, SIGTERM);
  g_assert_true (bd_test_wait_until (bd_test_is_set, &f->nginx_exited, WAIT_MS));
  g_clear_object (&f->nginx);

  if (g_file_get_contents (f->error_log, &log, NULL, NULL))
    g_test_message ("nginx's error log:\n%s", log);
}

/*
 * The fixture: the instances on an empty database, nginx in front
 */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *location = NULL;

  f->dir = g_dir_make_tmp ("bd-test-deploy-XXXXXX", &error);
  g_assert_no_error (error);
  f->tenant_path = g_build_filename (f->dir, "tenant.json", NULL);
  g_file_set_contents (f->tenant_path, TENANT, -1, &error);
  g_assert_no_error (error);

  db = g_build_filename (f->dir, "billing.sqlite", NULL);
  location = bd_test_database_new (db);
  f->location = bd_test_database_is_postgresql () ? g_steal_pointer (&location)
                                                  : g_strconcat ("sqlite:", db, NULL);

  spawn_instances (f);
  start_nginx (f);

  f->tls_database = bd_tls_database_new (certs->ca_pem, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  stop_nginx (f);
  for (guint i = 0; i < N_INSTANCES; i++)
    g_clear_pointer (&f->instances[i], bd_test_child_free);
  bd_test_database_drop (bd_test_database_is_postgresql () ? f->location : NULL);
  bd_test_remove_tree (f->dir);
  g_clear_object (&f->tls_database);
  g_free (f->dir);
  g_free (f->tenant_path);
  g_free (f->location);
  g_free (f->error_log);
  g_free (f->url);
}

/*
 * The client, through nginx
 */

static BdClient *
new_client (Fixture    *f,
            const char *token)
{
  BdClient *client = g_object_new (BD_TYPE_CLIENT,
                                   "base-url", f->url,
                                   "token", token,
                                   "tls-database", f->tls_database,
                                   NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (bd_client_check_base_url (client, &error));
  g_assert_no_error (error);
  return client;
}

static BdSubscription *
cancel_finish (BdClient      *client,
               GAsyncResult **result,
               GError       **error)
{
  g_autoptr(BdCancelAnswer) answer = NULL;

  g_assert_true (bd_test_wait_until (bd_test_has_result, result, WAIT_MS * 2));
  answer = bd_client_cancel_finish (client, *result, error);
  g_clear_object (result);
  return answer != NULL ? bd_subscription_new (answer->subscription) : NULL;
}

/* A cancel (or its Check Again, with the same @key). */
static BdSubscription *
cancel (BdClient    *client,
        const char  *id,
        const char  *key,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bd_client_cancel_async (client, id, BD_CANCEL_REASON_NO_LONGER_NEEDED, NULL, key, NULL,
                          bd_test_store_result_cb, &result);
  return cancel_finish (client, &result, error);
}

static BdSubscription *
get_subscription (BdClient   *client,
                  const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BdSubscription *subscription;

  bd_client_get_subscription_async (client, id, NULL, bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (bd_test_has_result, &result, WAIT_MS));
  subscription = bd_client_get_subscription_finish (client, result, &error);
  g_assert_no_error (error);
  return subscription;
}

/* A GET through nginx without BdClient (the ledger, which the app does not
 * read, and the plain http port): its status, and its JSON if any.
 */
static guint
raw_get (Fixture     *f,
         const char  *url,
         JsonNode   **json,
         char       **location)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_tls_database (session, f->tls_database);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                "Bearer " ADMIN);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  if (json != NULL)
    {
      *json = json_from_string (g_bytes_get_data (body, NULL), &error);
      g_assert_no_error (error);
    }
  if (location != NULL)
    *location = g_strdup (soup_message_headers_get_one (
      soup_message_get_response_headers (message), "Location"));

  return soup_message_get_status (message);
}

/* The ledger of @id through nginx: exactly one entry, the cancel of @key. */
static void
assert_cancelled_once (Fixture    *f,
                       const char *id,
                       const char *key)
{
  g_autofree char *url = g_strdup_printf ("%s/v1/operations?subscriptionId=%s", f->url, id);
  g_autoptr(JsonNode) json = NULL;
  JsonArray *entries;
  JsonObject *entry;

  g_assert_cmpuint (raw_get (f, url, &json, NULL), ==, 200);
  entries = json_object_get_array_member (json_node_get_object (json), "value");
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  entry = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "action"), ==, "cancel");
  g_assert_cmpstr (json_object_get_string_member (entry, "idempotencyKey"), ==, key);
}

static gboolean
other_logged (gpointer data)
{
  Logged *logged = data;

  return instance_logged (logged->f, (guint) logged->which, logged->line);
}

/* Waits until instance @i logged @line. */
static void
assert_logged_by (Fixture    *f,
                  guint       i,
                  const char *line)
{
  Logged logged = { f, line, (int) i };

  g_assert_true (bd_test_wait_until (other_logged, &logged, WAIT_MS));
}

/*
 * Tests
 */

/* Pages of 3 through nginx: every nextLink names nginx (https, its host and
 * port), never an instance, and the pages come from both instances; nothing
 * skipped, nothing repeated. nginx's health answer, and its plain http port
 * sending to https.
 */
static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  static const char * const expected[] = {
    "s7", "s5", "s6", "s8", "s1", "s2", "s3", "s4", "s12", "s9", "s10", NULL
  };
  g_autofree char *prefix = g_strconcat (f->url, "/v1/subscriptions?", NULL);
  g_autofree char *health = g_strconcat (f->url, "/v1/health", NULL);
  g_autofree char *http = g_strdup_printf ("http://127.0.0.1:%u/v1/health", f->http_port);
  g_autofree char *location = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *next = NULL;
  BdClient *client = new_client (f, READER);
  guint pages = 0;

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *link = g_steal_pointer (&next);

      bd_client_list_subscriptions_async (client, link, 3, NULL, bd_test_store_result_cb,
                                          &result);
      g_assert_true (bd_test_wait_until (bd_test_has_result, &result, WAIT_MS));
      page = bd_client_list_subscriptions_finish (client, result, &next, &error);
      g_assert_no_error (error);
      pages++;
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (seen, g_strdup (bd_subscription_get_id (g_ptr_array_index (page, i))));
      if (next != NULL)
        {
          g_test_message ("nextLink %s", next);
          g_assert_true (g_str_has_prefix (next, prefix));
        }
    }
  while (next != NULL);

  g_assert_cmpuint (pages, ==, 4);
  g_ptr_array_add (seen, NULL);
  g_assert_cmpstrv ((char **) seen->pdata, expected);
  for (guint i = 0; i < N_INSTANCES; i++)
    assert_logged_by (f, i, "GET /v1/subscriptions 200 ");
  g_assert_finalize_object (client);

  g_assert_cmpuint (raw_get (f, health, NULL, NULL), ==, 200);
  g_assert_cmpuint (raw_get (f, http, NULL, &location), ==, 301);
  g_assert_cmpstr (location, ==, "https://127.0.0.1/v1/health");
}

/* A cancel, and its Check Again with the same key on the other instance:
 * the first answer again, one ledger entry. @data: whether the instance
 * that answered the cancel is killed (-9) first. Without the kill, nginx
 * hands the Check Again to the other instance by its upstream's round robin
 * (one worker here).
 */
static void
test_check_again_other_instance (Fixture       *f,
                                 gconstpointer  data)
{
  gboolean kill = GPOINTER_TO_INT (data);
  const char *id = kill ? "s2" : "s1";
  g_autofree char *line = g_strdup_printf ("POST /v1/subscriptions/%s/cancel 200 ", id);
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autoptr(BdSubscription) first = NULL;
  g_autoptr(BdSubscription) again = NULL;
  g_autoptr(GError) error = NULL;
  BdClient *client = new_client (f, ADMIN);
  guint answered;

  first = cancel (client, id, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bd_subscription_get_status (first), ==, BD_STATUS_DISABLED);
  answered = answered_by (f, line);

  if (kill)
    {
      g_autoptr(BdSubscription) read = NULL;
      g_autofree char *refused = NULL;

      kill_instance (f, answered);
      /* The app reads the subscription meanwhile: round robin gives that
       * read to the other instance, and the Check Again's turn to the dead
       * one, which refuses the connection; nginx then sends the POST, which
       * the dead one never got, to the other instance.
       */
      read = get_subscription (client, id);
      g_assert_cmpint (bd_subscription_get_status (read), ==, BD_STATUS_DISABLED);
      again = cancel (client, id, key, &error);
      refused = g_strdup_printf ("(111: Connection refused) while connecting to upstream, "
                                 "client: 127.0.0.1, server: billing.example.com, "
                                 "request: \"POST /v1/subscriptions/%s/cancel ", id);
      g_assert_true (error_log_has (f, refused));
    }
  else
    {
      again = cancel (client, id, key, &error);
    }

  g_assert_no_error (error);
  assert_logged_by (f, 1 - answered, line);
  g_assert_true (bd_subscription_data_equal (bd_subscription_get_data (first),
                                             bd_subscription_get_data (again)));

  assert_cancelled_once (f, id, key);
  g_assert_finalize_object (client);
}

typedef struct
{
  Fixture *f;
  int      which;
} Holding;

/* Whether exactly one stopped instance holds a connection from nginx. */
static gboolean
one_holds (gpointer data)
{
  Holding *holding = data;
  guint total = 0;

  for (guint i = 0; i < N_INSTANCES; i++)
    if (accept_queue (holding->f, i) > 0)
      {
        holding->which = (int) i;
        total += accept_queue (holding->f, i);
      }

  return total == 1;
}

/* Both instances stopped (SIGSTOP), a cancel sent: the instance that nginx
 * handed it to is killed (-9) before it read it, the other goes on. nginx
 * answers 502 and does not send the POST to the other instance; the client
 * reads an unknown outcome. The subscription is still Active; Check Again
 * with the same key reaches the other instance and cancels it, once.
 */
static void
test_killed_holding_cancel (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *key = bd_client_new_idempotency_key ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BdSubscription) lost = NULL;
  g_autoptr(BdSubscription) still = NULL;
  g_autoptr(BdSubscription) again = NULL;
  g_autoptr(GError) error = NULL;
  BdClient *client = new_client (f, ADMIN);
  Holding holding = { f, -1 };
  guint other;

  for (guint i = 0; i < N_INSTANCES; i++)
    g_subprocess_send_signal (f->instances[i]->process, SIGSTOP);

  bd_client_cancel_async (client, "s3", BD_CANCEL_REASON_NO_LONGER_NEEDED, NULL, key, NULL,
                          bd_test_store_result_cb, &result);
  g_assert_true (bd_test_wait_until (one_holds, &holding, WAIT_MS));
  other = 1 - (guint) holding.which;
  kill_instance (f, (guint) holding.which);
  g_subprocess_send_signal (f->instances[other]->process, SIGCONT);

  lost = cancel_finish (client, &result, &error);
  g_assert_null (lost);
  g_test_message ("the cancel: %s", error->message);
  g_assert_true (bd_client_error_is_outcome_unknown (error));
  g_clear_error (&error);

  still = get_subscription (client, "s3");
  g_assert_cmpint (bd_subscription_get_status (still), ==, BD_STATUS_ACTIVE);
  g_assert_false (instance_logged (f, other, "POST /v1/subscriptions/s3/cancel"));

  again = cancel (client, "s3", key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bd_subscription_get_status (again), ==, BD_STATUS_DISABLED);
  assert_logged_by (f, other, "POST /v1/subscriptions/s3/cancel 200 ");

  assert_cancelled_once (f, "s3", key);
  g_assert_finalize_object (client);
}

/* systemd-analyze verify accepts the unit as instance 8081 (systemd 252
 * knows every option), its program replaced by the one under test: verify
 * wants an executable there.
 */
static void
test_unit_verifies (void)
{
  g_autofree char *analyze = g_find_program_in_path ("systemd-analyze");
  g_autofree char *text = read_sample (UNIT);
  g_autoptr(GString) unit = g_string_new (text);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *program = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (analyze == NULL)
    {
      g_test_skip ("systemd-analyze (systemd) is not installed");
      return;
    }

  dir = g_dir_make_tmp ("bd-test-deploy-unit-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "billing-desk-service@8081.service", NULL);
  program = g_strconcat ("=", g_getenv ("BD_SERVICE_PATH"), " ", NULL);
  g_assert_cmpuint (g_string_replace (unit, "=/usr/local/bin/billing-desk-service ", program, 0),
                    ==, 1);
  g_file_set_contents (path, unit->str, -1, &error);
  g_assert_no_error (error);

  g_spawn_sync (dir, (char *[]) { analyze, "verify", path, NULL }, NULL, G_SPAWN_DEFAULT, NULL,
                NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("systemd-analyze verify: %s%s", out, err);
  bd_test_remove_tree (dir);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_null (strstr (err, "billing-desk-service@"));
}

static void
skip_without_nginx (void)
{
  g_test_skip ("nginx is not installed (Debian's nginx: build-aux/install-deps installs it, "
               "and build-aux/test runs these tests with it)");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("BD_SERVICE_PATH") == NULL)
    g_error ("BD_SERVICE_PATH is not set");
  if (bd_test_database_skip_all ())
    return g_test_run ();

  nginx_path = g_find_program_in_path ("nginx");
  if (nginx_path == NULL && g_file_test ("/usr/sbin/nginx", G_FILE_TEST_IS_EXECUTABLE))
    nginx_path = g_strdup ("/usr/sbin/nginx");
  if (nginx_path == NULL)
    {
      g_test_add_func ("/deploy/nginx-missing", skip_without_nginx);
      return g_test_run ();
    }

  certs = bd_test_certs_new ();

  g_test_add_func ("/deploy/unit-verifies", test_unit_verifies);
  g_test_add ("/deploy/pages", Fixture, NULL, fixture_set_up, test_pages,
              fixture_tear_down);
  g_test_add ("/deploy/check-again-other-instance", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_check_again_other_instance, fixture_tear_down);
  g_test_add ("/deploy/killed-after-cancel", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_check_again_other_instance, fixture_tear_down);
  g_test_add ("/deploy/killed-holding-cancel", Fixture, NULL, fixture_set_up,
              test_killed_holding_cancel, fixture_tear_down);

  status = g_test_run ();

  bd_test_certs_free (certs);
  g_free (nginx_path);
  return status;
}
