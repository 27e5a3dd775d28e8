/* bd-soak.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kill -9 soak: clients (threads, each with its own SoupSession and the
 * sync API) change subscriptions of the real billing-desk-service while the
 * soak kills it with SIGKILL now and then and starts it again on the same
 * data directory and port. Every call that got no definite answer is sent
 * again: a POST or DELETE with its original Idempotency-Key, a PATCH or
 * DELETE after a fresh GET for its If-Match. Each client owns its
 * subscriptions, so the changes of one subscription form one sequence, and
 * the ledger must hold exactly that sequence in the end.
 *
 * With several instances on one database, each request goes to one of them
 * at random (a retry most likely to another), a kill strikes one of them,
 * and the checks at the end read the ledger through every instance and
 * send every keyed change again. On a PostgreSQL cluster of its own
 * (bd-pg-cluster.c) the soak may also stop the server at once and start it
 * again half-way through.
 */

#define G_LOG_DOMAIN "bd-soak"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "bd-pg-cluster.h"
#include "bd-soak.h"

#define NOW "2026-11-03T00:00:00Z"

/* Generous: a loaded 2-core machine may be slow, and nothing here is timed. */
#define START_TIMEOUT_USEC   (60 * G_USEC_PER_SEC)
#define GIVE_UP_USEC         (180 * G_USEC_PER_SEC)
#define HTTP_TIMEOUT_SECONDS 60
#define START_ATTEMPTS       50
#define BACKOFF_MAX_MS       200

/* A client deletes only while it keeps this many subscriptions. */
#define MIN_LIVE 4

#define QUANTITY_MAX 25  /* rule 3: cancellable without a billing profile */

#define MAX_INSTANCES 16

/* How long PostgreSQL stays down when the soak restarts it. */
#define DATABASE_DOWN_USEC (G_USEC_PER_SEC / 2)

typedef enum
{
  STATUS_ACTIVE,
  STATUS_EXPIRED,
  STATUS_DISABLED,
  STATUS_DELETED,
} Status;

static const char * const status_words[] = { "active", "expired", "disabled", "deleted" };
static const char * const recurring_words[] = { "on", "renewOnce", "off" };
static const char * const reasons[] = {
  "tooExpensive", "noLongerNeeded", "switchingToOtherMicrosoftProduct", "switchingToCompetitor",
  "missingFeatures", "tooDifficult", "temporaryProjectEnded",
};
static const char * const kind_names[BD_SOAK_N_KINDS] = {
  "cancel", "recurring", "quantity", "reactivate", "delete", "reads",
};

/* Out of 100. */
static const guint kind_weights[BD_SOAK_N_KINDS] = { 14, 14, 18, 16, 6, 32 };

typedef struct
{
  const char *id;
  const char *token;
} User;

static const User users[] = {
  { "u1", "soak-token-global-admin-0001" },
  { "u2", "soak-token-billing-admin-0002" },
};

/* One acknowledged change, as the ledger must show it. */
typedef struct
{
  char   *action;
  char   *key;      /* (nullable) */
  char   *from;     /* the reason, for a cancel */
  char   *to;       /* (nullable) */
  char   *user_id;
  char   *etag;     /* the one answered with it */
  /* To send it again at the end, a keyed change: the same answer, byte for byte */
  char   *method;
  char   *path;
  char   *request;  /* (nullable) its body */
  GBytes *answer;
} Ack;

typedef struct
{
  char      *id;
  char      *product;
  Status     status;
  guint      quantity;
  guint      assigned;
  guint      recurring;   /* index into recurring_words */
  char      *etag;        /* (nullable) the last one the service answered */
  GPtrArray *acks;        /* of Ack */
  Status     initial_status;    /* as the tenant file seeded it */
  guint      initial_quantity;
  guint      initial_recurring;
} Sub;

typedef struct _Soak Soak;

typedef struct
{
  Soak        *soak;
  guint        index;
  const User  *user;
  GThread     *thread;
  GRand       *rand;
  GPtrArray   *subs;       /* of Sub, the ones this client owns */
  char        *bearer;
  guint        by_kind[BD_SOAK_N_KINDS];
  guint        retries;
  guint        changes_retried;
  guint        applied_unanswered;
  guint        acknowledged;
  guint        mismatched;
  guint        unexpected;
  guint        lost;
  guint        doubled;
  GPtrArray   *problems;
  gint         pinned;     /* the instance every request goes to; -1: one at random */
} Client;

/* One billing-desk-service process, always on the same port. */
typedef struct
{
  guint        index;
  char        *base_url;
  guint        port;
  GSubprocess *process;
  guint        starts;
} Instance;

struct _Soak
{
  const BdSoakOptions *options;
  char                *dir;
  char                *data_dir;
  char                *tenant_file;
  BdPgCluster         *cluster;            /* (nullable): the soak's own */
  char                *database;           /* (nullable): the URI the instances get */
  char                *sqlite_path;        /* (nullable): the SQLite file */
  Instance             instances[MAX_INSTANCES];
  guint                n_instances;
  gint                 next_slot;          /* atomic */
  gint                 in_flight_changes;  /* atomic */
  gint                 aborted;            /* atomic */
  gint                 clients_running;    /* atomic */
  GArray              *kill_slots;         /* of guint: where to kill, in order */
  gint                 kills_done;         /* atomic */
  GPtrArray           *clients;
  char                *ledger_ids;         /* the API's ledger, ids joined by commas */
};

typedef struct
{
  guint   status;
  GBytes *body;
  char   *etag;
} Answer;

/* Set by bd_soak_interrupt (): stop, and clean up. */
static volatile sig_atomic_t interrupted;

static void
ack_free (Ack *ack)
{
  g_free (ack->action);
  g_free (ack->key);
  g_free (ack->from);
  g_free (ack->to);
  g_free (ack->user_id);
  g_free (ack->etag);
  g_free (ack->method);
  g_free (ack->path);
  g_free (ack->request);
  g_clear_pointer (&ack->answer, g_bytes_unref);
  g_free (ack);
}

static void
sub_free (Sub *sub)
{
  g_free (sub->id);
  g_free (sub->product);
  g_free (sub->etag);
  g_ptr_array_unref (sub->acks);
  g_free (sub);
}

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_clear_pointer (&answer->etag, g_free);
  answer->status = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
client_free (Client *client)
{
  g_clear_pointer (&client->rand, g_rand_free);
  g_clear_pointer (&client->subs, g_ptr_array_unref);
  g_clear_pointer (&client->problems, g_ptr_array_unref);
  g_free (client->bearer);
  g_free (client);
}

G_GNUC_PRINTF (2, 3)
static void
add_problem (Client     *client,
             const char *format,
             ...)
{
  va_list args;
  char *line;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  if (client->soak->options->verbose)
    g_printerr ("soak: client %u: %s\n", client->index, line);
  g_ptr_array_add (client->problems, line);
}

/*
 * The tenant
 */

/* Four kinds, round the subscriptions: Active with a billing profile inside
 * its 7-day window, Active without one (25 or fewer licenses: cancellable at
 * any time), Disabled and Expired (reactivate, delete). A cancel ends the
 * term now and a reactivation after it starts a new one now, with a new
 * window, so the clock can stay frozen.
 */
static char *
write_tenant (guint       n_subs,
              GPtrArray  *subs)
{
  GString *text = g_string_new (NULL);

  g_string_append (text,
                   "{\"tenant\":{\"displayName\":\"Soak A/S\",\"cloud\":\"worldwide\","
                   "\"currency\":\"DKK\"},\n\"users\":[");
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    g_string_append_printf (text,
                            "%s{\"id\":\"%s\",\"displayName\":\"Soak admin %u\","
                            "\"roles\":[\"%s\"],\"token\":\"%s\"}",
                            i > 0 ? "," : "", users[i].id, i + 1,
                            i == 0 ? "globalAdmin" : "billingAdmin", users[i].token);
  g_string_append (text,
                   "],\n\"billingProfiles\":[{\"id\":\"bp1\",\"displayName\":\"Soak invoices\","
                   "\"paymentMethod\":\"invoice\"}],\n\"domains\":[],\n\"subscriptions\":[\n");

  for (guint i = 0; i < n_subs; i++)
    {
      Sub *sub = g_new0 (Sub, 1);
      guint kind = i % 4;

      sub->id = g_strdup_printf ("k%04u", i + 1);
      sub->product = g_strdup_printf ("Soak Product %04u", i + 1);
      sub->quantity = 5 + i % 10;
      sub->assigned = 1 + i % 3;
      sub->acks = g_ptr_array_new_with_free_func ((GDestroyNotify) ack_free);

      g_string_append_printf (text,
                              "{\"id\":\"%s\",\"productName\":\"%s\",\"quantity\":%u,"
                              "\"assignedLicenses\":%u,\"billingFrequency\":\"monthly\","
                              "\"unitPrice\":{\"amount\":%u,\"currency\":\"DKK\"},",
                              sub->id, sub->product, sub->quantity, sub->assigned,
                              10000 + 10 * i);
      switch (kind)
        {
        case 0:
          sub->status = STATUS_ACTIVE;
          g_string_append (text,
                           "\"status\":\"active\",\"billingProfileId\":\"bp1\","
                           "\"startDate\":\"2026-08-01T00:00:00Z\","
                           "\"lastRenewalDate\":\"2026-11-01T00:00:00Z\","
                           "\"termEndDate\":\"2026-12-01T00:00:00Z\"}");
          break;
        case 1:
          sub->status = STATUS_ACTIVE;
          g_string_append (text,
                           "\"status\":\"active\","
                           "\"startDate\":\"2026-10-20T00:00:00Z\","
                           "\"lastRenewalDate\":\"2026-10-20T00:00:00Z\","
                           "\"termEndDate\":\"2026-11-20T00:00:00Z\"}");
          break;
        case 2:
          sub->status = STATUS_DISABLED;
          sub->recurring = 2;
          g_string_append (text,
                           "\"status\":\"disabled\",\"billingProfileId\":\"bp1\","
                           "\"recurringBilling\":\"off\","
                           "\"startDate\":\"2026-09-25T00:00:00Z\","
                           "\"lastRenewalDate\":\"2026-09-25T00:00:00Z\","
                           "\"termEndDate\":\"2026-10-25T00:00:00Z\","
                           "\"statusChangedDate\":\"2026-10-25T00:00:00Z\"}");
          break;
        default:
          sub->status = STATUS_EXPIRED;
          sub->recurring = 2;
          g_string_append (text,
                           "\"status\":\"expired\",\"recurringBilling\":\"off\","
                           "\"startDate\":\"2026-09-30T00:00:00Z\","
                           "\"lastRenewalDate\":\"2026-09-30T00:00:00Z\","
                           "\"termEndDate\":\"2026-10-30T00:00:00Z\","
                           "\"statusChangedDate\":\"2026-10-30T00:00:00Z\"}");
          break;
        }
      g_string_append (text, i + 1 < n_subs ? ",\n" : "\n");
      sub->initial_status = sub->status;
      sub->initial_quantity = sub->quantity;
      sub->initial_recurring = sub->recurring;
      g_ptr_array_add (subs, sub);
    }

  g_string_append (text, "]}\n");

  return g_string_free (text, FALSE);
}

/*
 * The service
 */

/* "listening on http://127.0.0.1:PORT", read from the child's stdout. */
static char *
read_listening_line (GSubprocess  *process,
                     GError      **error)
{
  GInputStream *stream = g_subprocess_get_stdout_pipe (process);
  int fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (stream));
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_USEC;
  g_autoptr(GString) line = g_string_new (NULL);

  for (;;)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gint64 left = deadline - g_get_monotonic_time ();
      ssize_t n;
      char c;
      int r;

      if (left <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "the service did not say where it listens within 60 s");
          return NULL;
        }

      r = poll (&pfd, 1, (int) (left / 1000) + 1);
      if (r < 0 && errno != EINTR)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "poll: %s",
                       g_strerror (errno));
          return NULL;
        }
      if (r <= 0)
        continue;

      n = read (fd, &c, 1);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "the service ended before it listened");
          return NULL;
        }
      if (c == '\n')
        return g_strdup (line->str);
      g_string_append_c (line, c);
    }
}

/* The instance dies with the soak, even of a SIGKILL: the kernel sends it
 * SIGKILL when the thread that started it ends (every start is made on
 * the thread that runs bd_soak_run ()).
 */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
start_service_once (Soak      *soak,
                    Instance  *instance,
                    GError   **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *line = NULL;
  const char *url;

  instance->starts++;
  log_path = g_strdup_printf ("%s/service-%u-%03u.log", soak->dir, instance->index,
                              instance->starts);
  listen = g_strdup_printf ("127.0.0.1:%u", instance->port);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, error, soak->options->service_path,
                                         "--listen", listen,
                                         soak->database != NULL ? "--database" : "--data-dir",
                                         soak->database != NULL ? soak->database
                                                                : soak->data_dir,
                                         "--tenant-file", soak->tenant_file,
                                         "--now", NOW,
                                         NULL);
  if (process == NULL)
    return FALSE;

  line = read_listening_line (process, error);
  if (line == NULL || !g_str_has_prefix (line, "listening on http://127.0.0.1:"))
    {
      if (line != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "unexpected first line “%s”", line);
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      return FALSE;
    }

  url = line + strlen ("listening on ");
  if (instance->base_url == NULL)
    {
      instance->base_url = g_strdup (url);
      instance->port = (guint) g_ascii_strtoull (strrchr (url, ':') + 1, NULL, 10);
    }
  else if (strcmp (url, instance->base_url) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "restarted on %s, not on %s", url,
                   instance->base_url);
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      return FALSE;
    }

  instance->process = g_steal_pointer (&process);

  return TRUE;
}

/* The port may still be held for a moment after a kill: try again. */
static gboolean
start_service (Soak      *soak,
               Instance  *instance,
               GError   **error)
{
  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (start_service_once (soak, instance, &local_error))
        return TRUE;

      if (attempt == START_ATTEMPTS || instance->base_url == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "starting instance %u (log in %s): ", instance->index,
                                      soak->dir);
          return FALSE;
        }

      if (soak->options->verbose)
        g_printerr ("soak: instance %u: start %u failed: %s\n", instance->index,
                    instance->starts, local_error->message);
      g_usleep (200 * 1000);
    }
}

static void
kill_service (Instance *instance)
{
  if (instance->process == NULL)
    return;

  g_subprocess_send_signal (instance->process, SIGKILL);
  g_subprocess_wait (instance->process, NULL, NULL);
  g_clear_object (&instance->process);
}

static gboolean
stop_service (Instance *instance)
{
  gboolean clean;

  g_subprocess_send_signal (instance->process, SIGTERM);
  g_subprocess_wait (instance->process, NULL, NULL);
  clean = g_subprocess_get_if_exited (instance->process) &&
          g_subprocess_get_exit_status (instance->process) == 0;
  g_clear_object (&instance->process);

  return clean;
}

/* Every instance, each on its port once it listens. */
static gboolean
start_all (Soak    *soak,
           GError **error)
{
  for (guint i = 0; i < soak->n_instances; i++)
    {
      if (!start_service (soak, &soak->instances[i], error))
        return FALSE;
    }

  return TRUE;
}

/*
 * HTTP
 */

static void
back_off (Client *client,
          guint   attempt)
{
  guint ms = MIN (5u << MIN (attempt, 6u), (guint) BACKOFF_MAX_MS);

  g_usleep ((ms + g_rand_int_range (client->rand, 0, 5)) * 1000);
}

/* Whether @answer is 409 requestInProgress: the change it waited for
 * (the same key, the same subscription) may yet take effect.
 */
static gboolean
is_in_progress (const Answer *answer)
{
  gsize length = 0;
  const char *body;

  if (answer->status != 409 || answer->body == NULL)
    return FALSE;

  body = g_bytes_get_data (answer->body, &length);
  return g_strstr_len (body, (gssize) length, "\"code\":\"requestInProgress\"") != NULL;
}

/* One request to @path on one instance (the client's pinned one, else one
 * at random); TRUE when the answer is definite: not 5xx, not 409
 * requestInProgress, and not a dropped connection, which leave the outcome
 * of a change unknown.
 */
static gboolean
send_once (Client      *client,
           SoupSession *session,
           const char  *method,
           const char  *path,
           const char  *body,
           const char  *key,
           const char  *if_match,
           Answer      *answer)
{
  Soak *soak = client->soak;
  guint index = client->pinned >= 0
                  ? (guint) client->pinned
                  : (guint) g_rand_int_range (client->rand, 0, (gint32) soak->n_instances);
  g_autofree char *url = g_strconcat (soak->instances[index].base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  GBytes *bytes;

  answer_clear (answer);

  soup_message_headers_append (headers, "Authorization", client->bearer);
  soup_message_headers_append (headers, "Accept", "application/json");
  if (key != NULL)
    soup_message_headers_append (headers, "Idempotency-Key", key);
  if (if_match != NULL)
    soup_message_headers_append (headers, "If-Match", if_match);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  if (bytes == NULL)
    {
      if (client->soak->options->verbose)
        g_printerr ("soak: client %u: %s %s: %s\n", client->index, method, url, error->message);
      return FALSE;
    }

  answer->status = soup_message_get_status (msg);
  answer->body = bytes;
  answer->etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                         "ETag"));

  if ((answer->status >= 500 || is_in_progress (answer)) && client->soak->options->verbose)
    g_printerr ("soak: client %u: %s %s: %u\n", client->index, method, url, answer->status);

  return answer->status < 500 && !is_in_progress (answer);
}

static gboolean
gave_up (Client *client,
         gint64  started)
{
  if (g_atomic_int_get (&client->soak->aborted) || interrupted)
    return TRUE;

  return g_get_monotonic_time () - started > GIVE_UP_USEC;
}

/* GET until a definite answer. */
static gboolean
get_definite (Client      *client,
              SoupSession *session,
              const char  *url,
              Answer      *answer)
{
  gint64 started = g_get_monotonic_time ();

  for (guint attempt = 0;; attempt++)
    {
      if (send_once (client, session, "GET", url, NULL, NULL, NULL, answer))
        return TRUE;

      client->retries++;
      if (gave_up (client, started))
        {
          add_problem (client, "GET %s: no definite answer", url);
          return FALSE;
        }
      back_off (client, attempt);
    }
}

static JsonObject *
parse_object (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

/* The path of @sub (with @suffix); send_once () picks the instance. */
static char *
sub_url (Client     *client,
         const Sub  *sub,
         const char *suffix)
{
  return g_strconcat ("/v1/subscriptions/", sub->id, suffix, NULL);
}

/* What a change leaves: the subscription's state after it. */
typedef struct
{
  Status status;
  guint  quantity;
  guint  recurring;
} Expect;

/* GET the subscription for its ETag; and, after a failed attempt, whether
 * the change is there already (it was applied, and its answer was lost).
 */
static gboolean
refresh_subscription (Client       *client,
                      SoupSession  *session,
                      Sub          *sub,
                      const Expect *expect,
                      gboolean     *applied)
{
  g_autofree char *url = sub_url (client, sub, "");
  g_autoptr(JsonObject) object = NULL;
  g_auto(Answer) answer = { 0 };

  if (!get_definite (client, session, url, &answer))
    return FALSE;

  if (answer.status != 200 || answer.etag == NULL ||
      (object = parse_object (answer.body)) == NULL)
    {
      client->unexpected++;
      add_problem (client, "GET %s: %u", sub->id, answer.status);
      return FALSE;
    }

  if (expect != NULL &&
      strcmp (json_object_get_string_member_with_default (object, "status", ""),
              status_words[expect->status]) == 0 &&
      strcmp (json_object_get_string_member_with_default (object, "recurringBilling", ""),
              recurring_words[expect->recurring]) == 0 &&
      json_object_get_int_member_with_default (object, "quantity", -1) == expect->quantity)
    *applied = TRUE;

  g_free (sub->etag);
  sub->etag = g_steal_pointer (&answer.etag);

  return TRUE;
}

/* Sends a change until a definite answer: the same key and body each time;
 * with @needs_etag, the If-Match from a fresh GET after a failure.
 */
static gboolean
send_change (Client       *client,
             SoupSession  *session,
             Sub          *sub,
             const char   *method,
             const char   *url,
             const char   *body,
             const char   *key,
             gboolean      needs_etag,
             const Expect *expect,
             Answer       *answer)
{
  Soak *soak = client->soak;
  gint64 started = g_get_monotonic_time ();
  gboolean applied = FALSE;

  for (guint attempt = 0;; attempt++)
    {
      gboolean definite;

      /* A POST needs no ETag; the GET only tells whether its change is
       * there already, which the figures report.
       */
      if ((attempt > 0 || (needs_etag && sub->etag == NULL)) &&
          !refresh_subscription (client, session, sub, attempt > 0 ? expect : NULL, &applied))
        return FALSE;

      g_atomic_int_inc (&soak->in_flight_changes);
      definite = send_once (client, session, method, url, body, key,
                            needs_etag ? sub->etag : NULL, answer);
      g_atomic_int_add (&soak->in_flight_changes, -1);

      if (definite)
        {
          client->applied_unanswered += applied;
          return TRUE;
        }

      client->retries++;
      if (attempt == 0)
        client->changes_retried++;
      if (gave_up (client, started))
        {
          add_problem (client, "%s %s: no definite answer", method, url);
          return FALSE;
        }
      back_off (client, attempt);
    }
}

/*
 * The model
 */

/* What the service answered about @sub agrees with the model. */
static gboolean
check_subscription (Client     *client,
                    Sub        *sub,
                    JsonObject *object,
                    const char *what)
{
  const char *status;
  const char *recurring;
  gint64 quantity;

  if (object == NULL)
    {
      add_problem (client, "%s %s: not a subscription", what, sub->id);
      return FALSE;
    }

  status = json_object_get_string_member_with_default (object, "status", "");
  recurring = json_object_get_string_member_with_default (object, "recurringBilling", "");
  quantity = json_object_get_int_member_with_default (object, "quantity", -1);

  if (strcmp (status, status_words[sub->status]) != 0 ||
      strcmp (recurring, recurring_words[sub->recurring]) != 0 || quantity != sub->quantity)
    {
      add_problem (client, "%s %s: %s/%s/%" G_GINT64_FORMAT ", expected %s/%s/%u", what, sub->id,
               status, recurring, quantity, status_words[sub->status],
               recurring_words[sub->recurring], sub->quantity);
      return FALSE;
    }

  return TRUE;
}

/* @method, @path, @request: what to send again at the end, for a keyed
 * change.
 */
static void
acknowledge (Client     *client,
             Sub        *sub,
             Answer     *answer,
             const char *action,
             const char *key,
             const char *from,
             const char *to,
             const char *method,
             const char *path,
             const char *request)
{
  Ack *ack = g_new0 (Ack, 1);

  if (key != NULL)
    {
      ack->method = g_strdup (method);
      ack->path = g_strdup (path);
      ack->request = g_strdup (request);
      ack->answer = g_bytes_ref (answer->body);
    }

  ack->action = g_strdup (action);
  ack->key = g_strdup (key);
  ack->from = g_strdup (from);
  ack->to = g_strdup (to);
  ack->user_id = g_strdup (client->user->id);
  ack->etag = g_strdup (answer->etag);
  g_ptr_array_add (sub->acks, ack);
  client->acknowledged++;

  g_free (sub->etag);
  sub->etag = g_steal_pointer (&answer->etag);
}

static void
note_refusal (Client       *client,
              Sub          *sub,
              const char   *what,
              const Answer *answer)
{
  gsize length = 0;
  const char *body = answer->body != NULL ? g_bytes_get_data (answer->body, &length) : "";

  client->unexpected++;
  add_problem (client, "%s %s: %u %.*s", what, sub->id, answer->status, (int) MIN (length, 200),
           body);
}

/*
 * The operations
 */

static void
do_cancel (Client      *client,
           SoupSession *session,
           Sub         *sub,
           guint        slot)
{
  const char *reason = reasons[g_rand_int_range (client->rand, 0, G_N_ELEMENTS (reasons))];
  g_autofree char *key = g_strdup_printf ("soak-%u-%u-cancel", client->soak->options->seed, slot);
  g_autofree char *url = sub_url (client, sub, "/cancel");
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_auto(Answer) answer = { 0 };

  if (g_rand_boolean (client->rand))
    body = g_strdup_printf ("{\"reason\":\"%s\"}", reason);
  else
    body = g_strdup_printf ("{\"reason\":\"%s\",\"feedback\":\"soak %u\"}", reason, slot);

  if (!send_change (client, session, sub, "POST", url, body, key, FALSE,
               &(Expect) { STATUS_DISABLED, sub->quantity, 2 }, &answer))
    return;
  if (answer.status != 200)
    {
      note_refusal (client, sub, "cancel", &answer);
      return;
    }

  sub->status = STATUS_DISABLED;
  sub->recurring = 2;
  object = parse_object (answer.body);
  if (object != NULL && json_object_has_member (object, "subscription") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "subscription")))
    check_subscription (client, sub, json_object_get_object_member (object, "subscription"),
                        "cancel");
  else
    add_problem (client, "cancel %s: no subscription in the answer", sub->id);
  acknowledge (client, sub, &answer, "cancel", key, reason, NULL, "POST", url, body);
}

static void
do_patch (Client      *client,
          SoupSession *session,
          Sub         *sub,
          gboolean     quantity)
{
  g_autofree char *url = sub_url (client, sub, "");
  g_autofree char *body = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_auto(Answer) answer = { 0 };
  guint value;

  if (quantity)
    {
      guint low = MAX (sub->assigned, 1u);

      do
        value = (guint) g_rand_int_range (client->rand, (gint32) low, QUANTITY_MAX + 1);
      while (value == sub->quantity);
      from = g_strdup_printf ("%u", sub->quantity);
      to = g_strdup_printf ("%u", value);
      body = g_strdup_printf ("{\"quantity\":%u}", value);
    }
  else
    {
      value = (sub->recurring + (guint) g_rand_int_range (client->rand, 1, 3)) % 3;
      from = g_strdup (recurring_words[sub->recurring]);
      to = g_strdup (recurring_words[value]);
      body = g_strdup_printf ("{\"recurringBilling\":\"%s\"}", to);
    }

  if (!send_change (client, session, sub, "PATCH", url, body, NULL, TRUE,
               &(Expect) { sub->status, quantity ? value : sub->quantity,
                           quantity ? sub->recurring : value },
               &answer))
    return;
  if (answer.status != 200)
    {
      note_refusal (client, sub, "PATCH", &answer);
      return;
    }

  if (quantity)
    sub->quantity = value;
  else
    sub->recurring = value;
  object = parse_object (answer.body);
  check_subscription (client, sub, object, "PATCH");
  acknowledge (client, sub, &answer, quantity ? "changeQuantity" : "changeRecurringBilling", NULL,
               from, to, NULL, NULL, NULL);
}

static void
do_reactivate (Client      *client,
               SoupSession *session,
               Sub         *sub,
               guint        slot)
{
  g_autofree char *key = g_strdup_printf ("soak-%u-%u-reactivate", client->soak->options->seed,
                                          slot);
  g_autofree char *url = sub_url (client, sub, "/reactivate");
  g_autoptr(JsonObject) object = NULL;
  g_auto(Answer) answer = { 0 };
  Status from = sub->status;

  if (!send_change (client, session, sub, "POST", url, NULL, key, FALSE,
               &(Expect) { STATUS_ACTIVE, sub->quantity, 0 }, &answer))
    return;
  if (answer.status != 200)
    {
      note_refusal (client, sub, "reactivate", &answer);
      return;
    }

  sub->status = STATUS_ACTIVE;
  sub->recurring = 0;
  object = parse_object (answer.body);
  check_subscription (client, sub, object, "reactivate");
  acknowledge (client, sub, &answer, "reactivate", key, status_words[from], "active", "POST",
               url, NULL);
}

static void
do_delete (Client      *client,
           SoupSession *session,
           Sub         *sub,
           guint        slot)
{
  g_autofree char *key = g_strdup_printf ("soak-%u-%u-delete", client->soak->options->seed, slot);
  g_autofree char *url = sub_url (client, sub, "");
  g_autofree char *body = g_strdup_printf ("{\"confirm\":\"%s\"}", sub->product);
  g_autoptr(JsonObject) object = NULL;
  g_auto(Answer) answer = { 0 };
  Status from = sub->status;

  if (!send_change (client, session, sub, "DELETE", url, body, key, TRUE,
               &(Expect) { STATUS_DELETED, sub->quantity, 2 }, &answer))
    return;
  if (answer.status != 200)
    {
      note_refusal (client, sub, "DELETE", &answer);
      return;
    }

  sub->status = STATUS_DELETED;
  sub->recurring = 2;
  object = parse_object (answer.body);
  check_subscription (client, sub, object, "DELETE");
  acknowledge (client, sub, &answer, "delete", key, status_words[from], "deleted", "DELETE",
               url, body);
}

/* The subscription as the model has it, its ETag the last one answered;
 * @read: (out) (optional): what the service answered.
 */
static void
read_subscription (Client      *client,
                   SoupSession *session,
                   Sub         *sub,
                   const char  *what,
                   JsonObject **read)
{
  g_autofree char *url = sub_url (client, sub, "");
  g_autoptr(JsonObject) object = NULL;
  g_auto(Answer) answer = { 0 };

  if (!get_definite (client, session, url, &answer))
    return;
  if (answer.status != 200)
    {
      note_refusal (client, sub, "GET", &answer);
      return;
    }

  object = parse_object (answer.body);
  if (!check_subscription (client, sub, object, what))
    client->mismatched++;
  else if (sub->etag != NULL && g_strcmp0 (answer.etag, sub->etag) != 0)
    {
      client->mismatched++;
      add_problem (client, "%s %s: ETag %s, expected %s", what, sub->id, answer.etag, sub->etag);
    }

  g_free (sub->etag);
  sub->etag = g_steal_pointer (&answer.etag);
  if (read != NULL)
    *read = g_steal_pointer (&object);
}

static void
read_cancellation (Client      *client,
                   SoupSession *session,
                   Sub         *sub)
{
  g_autofree char *url = sub_url (client, sub, "/cancellation");
  g_autoptr(JsonObject) object = NULL;
  g_auto(Answer) answer = { 0 };
  gboolean allowed;

  if (!get_definite (client, session, url, &answer))
    return;
  if (answer.status != 200 || (object = parse_object (answer.body)) == NULL)
    {
      note_refusal (client, sub, "GET cancellation", &answer);
      return;
    }

  allowed = json_object_get_boolean_member_with_default (object, "allowed", FALSE);
  if (allowed != (sub->status == STATUS_ACTIVE))
    {
      client->mismatched++;
      add_problem (client, "cancellation %s: allowed %d while %s", sub->id, allowed,
               status_words[sub->status]);
    }
}

static void
read_list (Client      *client,
           SoupSession *session)
{
  const char *url = "/v1/subscriptions?top=100&includeDeleted=true";
  g_autoptr(JsonObject) object = NULL;
  g_auto(Answer) answer = { 0 };

  if (!get_definite (client, session, url, &answer))
    return;
  if (answer.status != 200 || (object = parse_object (answer.body)) == NULL ||
      !json_object_has_member (object, "value") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "value")))
    {
      client->unexpected++;
      add_problem (client, "GET /v1/subscriptions: %u", answer.status);
    }
}

/*
 * The ledger
 */

typedef struct
{
  char *id;
  char *subscription_id;
  char *action;
  char *key;
  char *from;
  char *to;
  char *user_id;
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->id);
  g_free (entry->subscription_id);
  g_free (entry->action);
  g_free (entry->key);
  g_free (entry->from);
  g_free (entry->to);
  g_free (entry->user_id);
  g_free (entry);
}

static char *
detail_word (JsonObject *detail,
             const char *name)
{
  JsonNode *node;

  if (detail == NULL || !json_object_has_member (detail, name))
    return NULL;

  node = json_object_get_member (detail, name);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return NULL;
}

static Entry *
entry_from_json (JsonNode *node)
{
  JsonObject *object;
  JsonObject *detail = NULL;
  Entry *entry;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  if (json_object_has_member (object, "detail") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "detail")))
    detail = json_object_get_object_member (object, "detail");

  entry = g_new0 (Entry, 1);
  entry->id = g_strdup (json_object_get_string_member_with_default (object, "id", ""));
  entry->subscription_id =
    g_strdup (json_object_get_string_member_with_default (object, "subscriptionId", ""));
  entry->action = g_strdup (json_object_get_string_member_with_default (object, "action", ""));
  entry->key = g_strdup (json_object_get_string_member_with_default (object, "idempotencyKey",
                                                                     NULL));
  entry->user_id = g_strdup (json_object_get_string_member_with_default (object, "userId", ""));
  if (strcmp (entry->action, "cancel") == 0)
    entry->from = detail_word (detail, "reason");
  else
    {
      entry->from = detail_word (detail, "from");
      entry->to = detail_word (detail, "to");
    }

  return entry;
}

/* The path and query of an absolute http URL: a nextLink names the
 * instance that gave it, the next page may come from any.
 */
static char *
link_path (const char *link)
{
  const char *rest = g_str_has_prefix (link, "http://") ? link + strlen ("http://") : NULL;
  const char *slash = rest != NULL ? strchr (rest, '/') : NULL;

  return g_strdup (slash != NULL ? slash : link);
}

/* Every page of the ledger from @first_path, oldest first. */
static GPtrArray *
read_ledger (Client      *client,
             SoupSession *session,
             const char  *first_path)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autofree char *url = g_strdup (first_path);

  while (url != NULL)
    {
      g_autoptr(JsonObject) object = NULL;
      g_auto(Answer) answer = { 0 };
      JsonArray *value;
      const char *next;

      if (!get_definite (client, session, url, &answer))
        return NULL;
      if (answer.status != 200 || (object = parse_object (answer.body)) == NULL ||
          !json_object_has_member (object, "value") ||
          !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "value")))
        {
          client->unexpected++;
          add_problem (client, "GET %s: %u", url, answer.status);
          return NULL;
        }

      value = json_object_get_array_member (object, "value");
      for (guint i = 0; i < json_array_get_length (value); i++)
        {
          Entry *entry = entry_from_json (json_array_get_element (value, i));

          if (entry == NULL)
            {
              add_problem (client, "GET %s: an entry that is not an object", url);
              return NULL;
            }
          g_ptr_array_add (entries, entry);
        }

      next = json_object_get_string_member_with_default (object, "nextLink", NULL);
      g_free (url);
      url = next != NULL ? link_path (next) : NULL;
    }

  return g_steal_pointer (&entries);
}

static gboolean
entry_matches (const Entry *entry,
               const Ack   *ack)
{
  return strcmp (entry->action, ack->action) == 0 && g_strcmp0 (entry->key, ack->key) == 0 &&
         g_strcmp0 (entry->from, ack->from) == 0 && g_strcmp0 (entry->to, ack->to) == 0 &&
         strcmp (entry->user_id, ack->user_id) == 0;
}

static void
describe_entry (Client      *client,
                const char  *what,
                const char  *sub_id,
                const char  *action,
                const char  *key,
                const char  *from,
                const char  *to)
{
  add_problem (client, "%s %s: %s key %s %s -> %s", what, sub_id, action, key ? key : "(none)",
           from ? from : "", to ? to : "");
}

/* An entry no acknowledgement accounts for: the same key as one that
 * does is an effect applied twice; otherwise one the client was never told
 * of (or was refused).
 */
static void
describe_extra (Client      *client,
                const Sub   *sub,
                const Entry *extra)
{
  const char *what = "applied, never acknowledged";

  for (guint i = 0; extra->key != NULL && i < sub->acks->len; i++)
    {
      if (g_strcmp0 (((const Ack *) g_ptr_array_index (sub->acks, i))->key, extra->key) == 0)
        what = "applied twice";
    }

  describe_entry (client, what, sub->id, extra->action, extra->key, extra->from, extra->to);
}

/* The ledger of @sub holds its acknowledged changes, each once, in order,
 * and nothing else.
 */
static void
reconcile_ledger (Client    *client,
                  Sub       *sub,
                  GPtrArray *entries,
                  guint     *lost,
                  guint     *doubled)
{
  guint cursor = 0;

  for (guint i = 0; i < sub->acks->len; i++)
    {
      const Ack *ack = g_ptr_array_index (sub->acks, i);
      guint j;

      for (j = cursor; j < entries->len; j++)
        {
          if (entry_matches (g_ptr_array_index (entries, j), ack))
            break;
        }

      if (j == entries->len)
        {
          (*lost)++;
          describe_entry (client, "lost", sub->id, ack->action, ack->key, ack->from, ack->to);
          add_problem (client, "lost %s: acknowledged with ETag %s", sub->id, ack->etag);
          continue;
        }

      for (; cursor < j; cursor++)
        {
          const Entry *extra = g_ptr_array_index (entries, cursor);

          (*doubled)++;
          describe_extra (client, sub, extra);
        }
      cursor = j + 1;
    }

  for (; cursor < entries->len; cursor++)
    {
      const Entry *extra = g_ptr_array_index (entries, cursor);

      (*doubled)++;
      describe_extra (client, sub, extra);
    }
}

/* While the soak runs: the subscription's ledger so far. A discrepancy
 * found here stays in the ledger and is counted at the end; here it is a
 * mismatch.
 */
static void
read_sub_ledger (Client      *client,
                 SoupSession *session,
                 Sub         *sub)
{
  g_autofree char *url = g_strdup_printf ("/v1/operations?subscriptionId=%s&top=500",
                                          sub->id);
  g_autoptr(GPtrArray) entries = read_ledger (client, session, url);
  guint lost = 0, doubled = 0;

  if (entries == NULL)
    return;

  reconcile_ledger (client, sub, entries, &lost, &doubled);
  if (lost > 0 || doubled > 0)
    client->mismatched++;
}

/*
 * A client
 */

static Sub *
pick_subscription (Client     *client,
                   BdSoakKind  kind)
{
  g_autoptr(GPtrArray) eligible = g_ptr_array_new ();
  guint live = 0;

  for (guint i = 0; i < client->subs->len; i++)
    live += ((Sub *) g_ptr_array_index (client->subs, i))->status != STATUS_DELETED;

  for (guint i = 0; i < client->subs->len; i++)
    {
      Sub *sub = g_ptr_array_index (client->subs, i);
      gboolean ok = FALSE;

      switch (kind)
        {
        case BD_SOAK_CANCEL:
        case BD_SOAK_RECURRING_BILLING:
        case BD_SOAK_QUANTITY:
          ok = sub->status == STATUS_ACTIVE;
          break;
        case BD_SOAK_REACTIVATE:
          ok = sub->status == STATUS_DISABLED || sub->status == STATUS_EXPIRED;
          break;
        case BD_SOAK_DELETE:
          ok = sub->status == STATUS_DISABLED && live > MIN_LIVE;
          break;
        case BD_SOAK_READ:
          ok = TRUE;
          break;
        case BD_SOAK_N_KINDS:
        default:
          g_assert_not_reached ();
        }

      if (ok)
        g_ptr_array_add (eligible, sub);
    }

  if (eligible->len == 0)
    return NULL;

  return g_ptr_array_index (eligible, g_rand_int_range (client->rand, 0, (gint32) eligible->len));
}

static BdSoakKind
roll_kind (Client *client)
{
  guint roll = (guint) g_rand_int_range (client->rand, 0, 100);

  for (guint i = 0; i < BD_SOAK_N_KINDS; i++)
    {
      if (roll < kind_weights[i])
        return i;
      roll -= kind_weights[i];
    }

  return BD_SOAK_READ;
}

static void
run_operation (Client      *client,
               SoupSession *session,
               guint        slot)
{
  BdSoakKind kind = BD_SOAK_READ;
  Sub *sub = NULL;

  /* A kind none of the client's subscriptions allows now: roll again. */
  for (guint attempt = 0; sub == NULL && attempt < 10; attempt++)
    {
      kind = roll_kind (client);
      sub = pick_subscription (client, kind);
    }
  if (sub == NULL)
    {
      kind = BD_SOAK_READ;
      sub = pick_subscription (client, kind);
    }
  client->by_kind[kind]++;

  switch (kind)
    {
    case BD_SOAK_CANCEL:
      do_cancel (client, session, sub, slot);
      break;
    case BD_SOAK_RECURRING_BILLING:
      do_patch (client, session, sub, FALSE);
      break;
    case BD_SOAK_QUANTITY:
      do_patch (client, session, sub, TRUE);
      break;
    case BD_SOAK_REACTIVATE:
      do_reactivate (client, session, sub, slot);
      break;
    case BD_SOAK_DELETE:
      do_delete (client, session, sub, slot);
      break;
    case BD_SOAK_READ:
      switch (g_rand_int_range (client->rand, 0, 4))
        {
        case 0:
          read_subscription (client, session, sub, "GET", NULL);
          break;
        case 1:
          read_cancellation (client, session, sub);
          break;
        case 2:
          read_list (client, session);
          break;
        default:
          read_sub_ledger (client, session, sub);
          break;
        }
      break;
    case BD_SOAK_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static SoupSession *
new_session (void)
{
  SoupSession *session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_SECONDS,
                                                        "max-conns-per-host", 2,
                                                        NULL);

  /* Loopback only: no proxy from the environment. */
  soup_session_set_proxy_resolver (session, NULL);

  return session;
}

/* A slot well past a planned kill waits until the killer has killed, so
 * that a starved killer thread on a loaded machine still kills as often as
 * planned.
 */
static void
wait_for_kill (Soak  *soak,
               guint  slot)
{
  guint margin = MAX (soak->options->kill_every / 4, 1u);

  while (!g_atomic_int_get (&soak->aborted))
    {
      guint done = (guint) g_atomic_int_get (&soak->kills_done);

      if (done >= soak->kill_slots->len ||
          slot <= g_array_index (soak->kill_slots, guint, done) + margin)
        return;
      g_usleep (1000);
    }
}

static gpointer
client_thread (gpointer user_data)
{
  Client *client = user_data;
  Soak *soak = client->soak;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;

  /* The sync API runs the session in this thread's own context. */
  g_main_context_push_thread_default (context);
  session = new_session ();

  for (;;)
    {
      guint slot = (guint) g_atomic_int_add (&soak->next_slot, 1);

      if (slot >= soak->options->n_operations || g_atomic_int_get (&soak->aborted))
        break;
      wait_for_kill (soak, slot);
      run_operation (client, session, slot);
    }

  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  g_atomic_int_add (&soak->clients_running, -1);

  return NULL;
}

/*
 * The end: ledger, final state, the database file
 */

static gint
recurring_index (const char *word)
{
  for (guint i = 0; word != NULL && i < G_N_ELEMENTS (recurring_words); i++)
    {
      if (strcmp (recurring_words[i], word) == 0)
        return (gint) i;
    }

  return -1;
}

/* The state @entries leave @sub in, from the one the tenant file seeded,
 * is the one the service answers (@object): the subscription agrees with
 * its ledger.
 */
static void
check_against_ledger (Client     *checker,
                      const Sub  *sub,
                      GPtrArray  *entries,
                      JsonObject *object,
                      guint      *mismatched)
{
  Status status = sub->initial_status;
  guint quantity = sub->initial_quantity;
  guint recurring = sub->initial_recurring;
  gint word;

  if (object == NULL)
    return;

  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = g_ptr_array_index (entries, i);

      if (strcmp (entry->action, "cancel") == 0 || strcmp (entry->action, "delete") == 0)
        {
          status = entry->action[0] == 'c' ? STATUS_DISABLED : STATUS_DELETED;
          recurring = 2;
        }
      else if (strcmp (entry->action, "reactivate") == 0)
        {
          status = STATUS_ACTIVE;
          recurring = 0;
        }
      else if (strcmp (entry->action, "changeQuantity") == 0 && entry->to != NULL)
        quantity = (guint) g_ascii_strtoull (entry->to, NULL, 10);
      else if (strcmp (entry->action, "changeRecurringBilling") == 0 &&
               (word = recurring_index (entry->to)) >= 0)
        recurring = (guint) word;
      else
        add_problem (checker, "ledger %s: an entry %s to %s", sub->id, entry->action,
                     entry->to != NULL ? entry->to : "(none)");
    }

  if (strcmp (json_object_get_string_member_with_default (object, "status", ""),
              status_words[status]) != 0 ||
      strcmp (json_object_get_string_member_with_default (object, "recurringBilling", ""),
              recurring_words[recurring]) != 0 ||
      json_object_get_int_member_with_default (object, "quantity", -1) != quantity)
    {
      (*mismatched)++;
      add_problem (checker, "%s: its ledger leaves it %s/%s/%u, the service has it otherwise",
                   sub->id, status_words[status], recurring_words[recurring], quantity);
    }
}

/* The whole ledger through each instance alone: the same entries in the
 * same order as @ledger (read a page here, a page there).
 */
static void
check_ledger_views (Soak         *soak,
                    Client       *checker,
                    SoupSession  *session,
                    GPtrArray    *ledger,
                    BdSoakReport *report)
{
  for (guint i = 0; i < soak->n_instances; i++)
    {
      g_autoptr(GPtrArray) view = NULL;
      gboolean same;

      checker->pinned = (gint) i;
      view = read_ledger (checker, session, "/v1/operations?top=500");
      checker->pinned = -1;
      if (view == NULL)
        {
          report->mismatched++;
          continue;
        }

      same = view->len == ledger->len;
      for (guint j = 0; same && j < view->len; j++)
        same = g_str_equal (((Entry *) g_ptr_array_index (view, j))->id,
                            ((Entry *) g_ptr_array_index (ledger, j))->id);
      if (same)
        report->ledger_views++;
      else
        {
          report->mismatched++;
          add_problem (checker, "instance %u pages the ledger otherwise (%u entries, not %u)", i,
                       view->len, ledger->len);
        }
    }
}

/* Sends the keyed change of @ack again, as its user, to instance @index:
 * the answer must be the acknowledged one, byte for byte (a replay).
 */
static void
check_replay (Client       *checker,
              SoupSession  *session,
              const Sub    *sub,
              const Ack    *ack,
              guint         index,
              BdSoakReport *report)
{
  g_autofree char *own_bearer = g_steal_pointer (&checker->bearer);
  g_auto(Answer) answer = { 0 };
  gint64 started = g_get_monotonic_time ();
  gboolean definite = FALSE;

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    {
      if (strcmp (users[u].id, ack->user_id) == 0)
        checker->bearer = g_strconcat ("Bearer ", users[u].token, NULL);
    }
  checker->pinned = (gint) index;

  /* A DELETE needs an If-Match to reach its replay; any will do. */
  for (guint attempt = 0; checker->bearer != NULL && !definite; attempt++)
    {
      definite = send_once (checker, session, ack->method, ack->path, ack->request, ack->key,
                            strcmp (ack->method, "DELETE") == 0
                              ? (ack->etag != NULL ? ack->etag : "\"soak\"") : NULL,
                            &answer);
      if (!definite && gave_up (checker, started))
        break;
      if (!definite)
        back_off (checker, attempt);
    }

  checker->pinned = -1;
  g_free (checker->bearer);
  checker->bearer = g_steal_pointer (&own_bearer);

  if (definite && answer.status == 200 && g_bytes_equal (answer.body, ack->answer))
    report->replays++;
  else
    {
      report->mismatched++;
      add_problem (checker, "replay of %s %s (key %s) on instance %u: %u, not the answer given",
                   ack->method, sub->id, ack->key, index, answer.status);
    }
}

static void
reconcile (Soak         *soak,
           Client       *checker,
           BdSoakReport *report)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autoptr(GHashTable) by_sub = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ledger = read_ledger (checker, session, "/v1/operations?top=500");
  g_autoptr(GString) ids = g_string_new (NULL);
  GHashTableIter iter;
  gpointer id, list;
  guint n_replays = 0;

  if (ledger == NULL)
    {
      report->mismatched++;
      return;
    }
  report->ledger_entries = ledger->len;
  check_ledger_views (soak, checker, session, ledger, report);

  for (guint i = 0; i < ledger->len; i++)
    {
      Entry *entry = g_ptr_array_index (ledger, i);
      GPtrArray *entries = g_hash_table_lookup (by_sub, entry->subscription_id);

      g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", entry->id);
      if (entries == NULL)
        {
          entries = g_ptr_array_new ();
          g_hash_table_insert (by_sub, entry->subscription_id, entries);
        }
      g_ptr_array_add (entries, entry);

      /* Exactly one entry per Idempotency-Key. */
      if (entry->key != NULL)
        {
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (keys, entry->key)) + 1;

          g_hash_table_insert (keys, entry->key, GUINT_TO_POINTER (count));
          if (count > 1)
            add_problem (checker, "key %s: %u ledger entries", entry->key, count);
        }
    }
  soak->ledger_ids = g_string_free (g_steal_pointer (&ids), FALSE);

  for (guint c = 0; c < soak->clients->len; c++)
    {
      Client *client = g_ptr_array_index (soak->clients, c);

      for (guint i = 0; i < client->subs->len; i++)
        {
          Sub *sub = g_ptr_array_index (client->subs, i);
          g_autoptr(GPtrArray) none = g_ptr_array_new ();
          g_autoptr(JsonObject) final = NULL;
          GPtrArray *entries = g_hash_table_lookup (by_sub, sub->id);

          if (entries == NULL)
            entries = none;
          reconcile_ledger (checker, sub, entries, &report->lost, &report->doubled);
          read_subscription (checker, session, sub, "final", &final);
          check_against_ledger (checker, sub, entries, final, &report->mismatched);
          g_hash_table_remove (by_sub, sub->id);

          for (guint j = 0; j < sub->acks->len; j++)
            {
              const Ack *ack = g_ptr_array_index (sub->acks, j);

              if (ack->key != NULL)
                check_replay (checker, session, sub, ack, n_replays++ % soak->n_instances,
                              report);
            }
        }
    }

  /* Entries of subscriptions nobody changed. */
  g_hash_table_iter_init (&iter, by_sub);
  while (g_hash_table_iter_next (&iter, &id, &list))
    {
      GPtrArray *entries = list;

      report->doubled += entries->len;
      add_problem (checker, "%u ledger entries for %s, which nobody changed", entries->len,
               (const char *) id);
    }
}

/* Reads @sql's one value as text. */
static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return g_strdup (sqlite3_errmsg (db));

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GString *all = g_string_new ((const char *) sqlite3_column_text (stmt, 0));

      /* integrity_check answers one row per problem. */
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (all, "; %s", (const char *) sqlite3_column_text (stmt, 0));
      text = g_string_free (all, FALSE);
    }
  else
    text = g_strdup (sqlite3_errmsg (db));

  sqlite3_finalize (stmt);

  return text;
}

/* Reads @sql's answer with psql, as text (its error when it failed). */
static char *
psql_text (const char *uri,
           const char *sql)
{
  const char *argv[] = { "psql", "-X", "-q", "-A", "-t", "-d", uri, "-c", sql, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error))
    return g_strdup (error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    return g_strchomp (g_steal_pointer (&err));

  return g_strchomp (g_steal_pointer (&out));
}

/* What check_database () compares, as text. */
typedef struct
{
  char *integrity;
  char *foreign;
  char *operations;
  char *duplicates;
  char *answers;
  char *seq;         /* "count min max" of the ledger's seq */
  char *ids;         /* the ledger's ids in seq order, joined by commas */
} Counts;

static void
counts_clear (Counts *counts)
{
  g_free (counts->foreign);
  g_free (counts->operations);
  g_free (counts->duplicates);
  g_free (counts->answers);
  g_free (counts->seq);
  g_free (counts->ids);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Counts, counts_clear)

#define DUPLICATE_KEYS_SQL \
  "SELECT count(*) FROM (SELECT idempotency_key FROM operations " \
  "WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1) AS keys"
#define SEQ_SQL \
  "SELECT count(*) || ' ' || coalesce(min(seq), 0) || ' ' || coalesce(max(seq), 0) " \
  "FROM operations"

/* The counts from a PostgreSQL database: the server keeps its constraints
 * itself, so "ok" once it answers, and the rows that name a user or
 * subscription that is not there (none, unless a constraint was lost).
 * @counts->integrity is the caller's.
 */
static void
read_pg_counts (const char *uri,
                Counts     *counts)
{
  counts->integrity = psql_text (uri, "SELECT 'ok'");
  counts->foreign = psql_text (uri,
                               "SELECT (SELECT count(*) FROM operations o WHERE NOT EXISTS "
                               "(SELECT 1 FROM users u WHERE u.id = o.user_id) OR NOT EXISTS "
                               "(SELECT 1 FROM subscriptions s "
                               "WHERE s.id = o.subscription_id)) + "
                               "(SELECT count(*) FROM idempotency i WHERE NOT EXISTS "
                               "(SELECT 1 FROM users u WHERE u.id = i.user_id))");
  counts->operations = psql_text (uri, "SELECT count(*) FROM operations");
  counts->duplicates = psql_text (uri, DUPLICATE_KEYS_SQL);
  counts->answers = psql_text (uri, "SELECT count(*) FROM idempotency");
  counts->seq = psql_text (uri, SEQ_SQL);
  counts->ids = psql_text (uri, "SELECT coalesce(string_agg(id, ',' ORDER BY seq), '') "
                                "FROM operations");
}

/* The same counts from the SQLite file; %FALSE, with @integrity saying
 * why, when it does not open.
 */
static gboolean
read_sqlite_counts (const char *path,
                    Counts     *counts)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      counts->integrity = g_strdup_printf ("cannot open %s: %s", path,
                                           db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return FALSE;
    }

  counts->integrity = query_text (db, "PRAGMA integrity_check");
  counts->foreign = query_text (db, "SELECT count(*) FROM pragma_foreign_key_check");
  counts->operations = query_text (db, "SELECT count(*) FROM operations");
  counts->duplicates = query_text (db, DUPLICATE_KEYS_SQL);
  counts->answers = query_text (db, "SELECT count(*) FROM idempotency");
  counts->seq = query_text (db, SEQ_SQL);
  counts->ids = query_text (db, "SELECT coalesce(group_concat(id, ','), '') "
                                "FROM (SELECT id FROM operations ORDER BY seq)");
  sqlite3_close (db);
  return TRUE;
}

/* Behind the service's back, once every instance has stopped: the
 * database holds what the API listed, the ledger's seq runs 1..n without
 * a gap, in the order every instance paged it.
 */
static void
check_database (Soak         *soak,
                Client       *checker,
                BdSoakReport *report)
{
  g_auto(Counts) counts = { 0 };
  g_autofree char *expected_answers = NULL;
  g_autofree char *expected_operations = NULL;
  g_autofree char *expected_seq = NULL;
  guint n_keyed = 0;

  if (soak->sqlite_path == NULL)
    read_pg_counts (soak->database, &counts);
  else if (!read_sqlite_counts (soak->sqlite_path, &counts))
    {
      report->integrity = g_steal_pointer (&counts.integrity);
      return;
    }
  report->integrity = g_steal_pointer (&counts.integrity);

  for (guint c = 0; c < soak->clients->len; c++)
    {
      Client *client = g_ptr_array_index (soak->clients, c);

      for (guint i = 0; i < client->subs->len; i++)
        {
          Sub *sub = g_ptr_array_index (client->subs, i);

          for (guint j = 0; j < sub->acks->len; j++)
            n_keyed += ((Ack *) g_ptr_array_index (sub->acks, j))->key != NULL;
        }
    }

  expected_operations = g_strdup_printf ("%u", report->ledger_entries);
  expected_answers = g_strdup_printf ("%u", n_keyed);
  expected_seq = report->ledger_entries > 0
                   ? g_strdup_printf ("%u 1 %u", report->ledger_entries, report->ledger_entries)
                   : g_strdup ("0 0 0");
  if (g_strcmp0 (counts.foreign, "0") != 0)
    add_problem (checker, "database: %s foreign key violations", counts.foreign);
  if (g_strcmp0 (counts.operations, expected_operations) != 0)
    add_problem (checker, "database: %s operations, the API listed %s", counts.operations,
                 expected_operations);
  if (g_strcmp0 (counts.duplicates, "0") != 0)
    add_problem (checker, "database: %s keys with more than one operation", counts.duplicates);
  if (g_strcmp0 (counts.answers, expected_answers) != 0)
    add_problem (checker, "database: %s stored answers for %s acknowledged keyed changes",
                 counts.answers, expected_answers);
  if (g_strcmp0 (counts.seq, expected_seq) != 0)
    add_problem (checker, "database: ledger seq (count min max) %s, not %s: a gap", counts.seq,
                 expected_seq);
  if (g_strcmp0 (counts.ids, soak->ledger_ids) != 0)
    add_problem (checker, "database: the ledger in seq order is not the order the API paged");
}

static gboolean
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }

  return g_rmdir (path) == 0;
}

/* The moments to kill at, as operation slots: one per @kill_every, each
 * somewhere in the middle half of its stretch.
 */
static GArray *
plan_kills (const BdSoakOptions *options,
            GRand               *rand)
{
  GArray *slots = g_array_new (FALSE, FALSE, sizeof (guint));

  if (options->kill_every == 0)
    return slots;

  for (guint i = 0;; i++)
    {
      guint start = i * options->kill_every + options->kill_every / 4;
      guint slot = start + (guint) g_rand_int_range (rand, 0,
                                                     (gint32) MAX (options->kill_every / 2, 1u));

      if (slot >= options->n_operations)
        break;
      g_array_append_val (slots, slot);
    }

  return slots;
}

static void
soak_clear (Soak *soak)
{
  for (guint i = 0; i < MAX_INSTANCES; i++)
    {
      kill_service (&soak->instances[i]);
      g_free (soak->instances[i].base_url);
    }
  g_clear_pointer (&soak->clients, g_ptr_array_unref);
  g_clear_pointer (&soak->kill_slots, g_array_unref);
  g_clear_pointer (&soak->cluster, bd_pg_cluster_free);
  g_free (soak->dir);
  g_free (soak->data_dir);
  g_free (soak->tenant_file);
  g_free (soak->database);
  g_free (soak->sqlite_path);
  g_free (soak->ledger_ids);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Soak, soak_clear)

/**
 * bd_soak_interrupt:
 *
 * Asks a running soak to stop as soon as it can, and to clean up: kill its
 * instances, drop its cluster. Async-signal-safe (a signal handler's).
 */
void
bd_soak_interrupt (void)
{
  interrupted = 1;
}

/* The database the instances run on: @soak->database (a URI) or, for the
 * default SQLite file, @soak->data_dir; and the SQLite file to check.
 */
static gboolean
choose_database (Soak          *soak,
                 BdSoakReport  *report,
                 GError       **error)
{
  const BdSoakOptions *options = soak->options;

  if (options->own_cluster)
    {
      soak->cluster = bd_pg_cluster_new ("bd_soak", error);
      if (soak->cluster == NULL)
        return FALSE;
      soak->database = g_strdup (bd_pg_cluster_get_uri (soak->cluster));
      report->store = g_strdup_printf ("PostgreSQL, a cluster of its own (%s)", soak->database);
    }
  else if (options->database != NULL && g_str_has_prefix (options->database, "sqlite:"))
    {
      soak->database = g_strdup (options->database);
      soak->sqlite_path = g_strdup (options->database + strlen ("sqlite:"));
      report->store = g_strdup_printf ("SQLite, %s", soak->sqlite_path);
    }
  else if (options->database != NULL)
    {
      soak->database = g_strdup (options->database);
      report->store = g_strdup_printf ("PostgreSQL, %s", soak->database);
    }
  else
    {
      soak->sqlite_path = g_build_filename (soak->data_dir, "billing.sqlite", NULL);
      report->store = g_strdup ("SQLite, a file in a temporary directory");
    }

  return TRUE;
}

/* PostgreSQL stopped at once (every session dropped, nothing flushed
 * politely) and, a moment later, started again; the instances keep
 * running and must serve again by themselves.
 */
static gboolean
restart_database (Soak         *soak,
                  BdSoakReport *report)
{
  g_autoptr(GError) error = NULL;

  if (soak->options->verbose)
    g_printerr ("soak: PostgreSQL stops after operation %d\n",
                g_atomic_int_get (&soak->next_slot));
  if (!bd_pg_cluster_stop (soak->cluster, &error))
    {
      g_ptr_array_add (report->problems, g_strdup_printf ("stopping PostgreSQL: %s",
                                                          error->message));
      return FALSE;
    }
  g_usleep (DATABASE_DOWN_USEC);
  if (!bd_pg_cluster_start (soak->cluster, &error))
    {
      g_ptr_array_add (report->problems, g_strdup_printf ("starting PostgreSQL: %s",
                                                          error->message));
      return FALSE;
    }
  report->database_restarts++;
  if (soak->options->verbose)
    g_printerr ("soak: PostgreSQL is back\n");

  return TRUE;
}

/* SIGKILL to one instance at random, and start it again on its port. */
static gboolean
kill_one (Soak         *soak,
          GRand        *rand,
          BdSoakReport *report)
{
  g_autoptr(GError) error = NULL;
  Instance *instance = &soak->instances[g_rand_int_range (rand, 0, (gint32) soak->n_instances)];

  g_usleep ((gulong) g_rand_int_range (rand, 0, 3000));
  if (g_atomic_int_get (&soak->in_flight_changes) > 0)
    report->kills_in_flight++;
  kill_service (instance);
  report->kills++;
  g_atomic_int_inc (&soak->kills_done);
  if (soak->options->verbose)
    g_printerr ("soak: kill %u (instance %u) after operation %d\n", report->kills,
                instance->index, g_atomic_int_get (&soak->next_slot));

  if (!start_service (soak, instance, &error))
    {
      g_ptr_array_add (report->problems, g_strdup (error->message));
      return FALSE;
    }

  return TRUE;
}

/* The killer, on this thread while the clients run: at each planned slot,
 * a moment later, one kill; at @restart_slot, PostgreSQL's restart.
 */
static void
run_killer (Soak         *soak,
            GRand        *rand,
            guint         restart_slot,
            BdSoakReport *report)
{
  guint next_kill = 0;
  gboolean restart_due = soak->options->restart_database;

  while (g_atomic_int_get (&soak->clients_running) > 0)
    {
      guint slot = (guint) g_atomic_int_get (&soak->next_slot);
      gboolean ok = TRUE;

      if (interrupted)
        {
          g_ptr_array_add (report->problems, g_strdup ("interrupted"));
          ok = FALSE;
        }
      else if (restart_due && slot > restart_slot)
        {
          restart_due = FALSE;
          ok = restart_database (soak, report);
        }
      else if (next_kill < soak->kill_slots->len &&
               slot > g_array_index (soak->kill_slots, guint, next_kill))
        {
          next_kill++;
          ok = kill_one (soak, rand, report);
        }
      else
        g_usleep (500);

      if (!ok)
        {
          g_atomic_int_set (&soak->aborted, 1);
          break;
        }
    }
}

static Client *
client_new (Soak  *soak,
            guint  index)
{
  Client *client = g_new0 (Client, 1);

  client->soak = soak;
  client->index = index;
  client->user = &users[index % G_N_ELEMENTS (users)];
  client->bearer = g_strconcat ("Bearer ", client->user->token, NULL);
  client->rand = g_rand_new_with_seed (soak->options->seed * 7919u + index + 1);
  client->subs = g_ptr_array_new_with_free_func ((GDestroyNotify) sub_free);
  client->problems = g_ptr_array_new_with_free_func (g_free);
  client->pinned = -1;

  return client;
}

/* After the last answer: every instance killed once more and started again
 * (what was acknowledged must survive that too), the reconciliation
 * through the API, SIGTERM to each (each must exit 0), the database.
 */
static gboolean
finish (Soak          *soak,
        Client        *checker,
        BdSoakReport  *report,
        GError       **error)
{
  for (guint i = 0; i < soak->n_instances; i++)
    kill_service (&soak->instances[i]);
  if (!start_all (soak, error))
    return FALSE;

  reconcile (soak, checker, report);
  report->stopped_cleanly = TRUE;
  for (guint i = 0; i < soak->n_instances; i++)
    {
      if (!stop_service (&soak->instances[i]))
        {
          report->stopped_cleanly = FALSE;
          g_ptr_array_add (report->problems,
                           g_strdup_printf ("instance %u did not exit 0 on SIGTERM", i));
        }
    }
  check_database (soak, checker, report);

  return TRUE;
}

static void
add_up (Client       *client,
        BdSoakReport *report)
{
  for (guint k = 0; k < BD_SOAK_N_KINDS; k++)
    {
      report->operations += client->by_kind[k];
      report->by_kind[k] += client->by_kind[k];
    }
  report->retries += client->retries;
  report->changes_retried += client->changes_retried;
  report->applied_unanswered += client->applied_unanswered;
  report->acknowledged += client->acknowledged;
  report->mismatched += client->mismatched;
  report->unexpected += client->unexpected;
  for (guint i = 0; i < client->problems->len; i++)
    g_ptr_array_add (report->problems, g_strdup (g_ptr_array_index (client->problems, i)));
}

/**
 * bd_soak_run:
 * @options: what to run
 * @report: (out caller-allocates): filled in, also on failure
 * @error: set when the soak could not run to its end (an instance or the
 *   database did not start, or it was interrupted)
 *
 * Runs the soak and reconciles. A discrepancy is no error: it is in
 * @report; see bd_soak_report_is_clean (). Every instance it started has
 * ended and its cluster (with @options->own_cluster) is gone when it
 * returns.
 *
 * Returns: whether the soak ran to its end
 */
gboolean
bd_soak_run (const BdSoakOptions  *options,
             BdSoakReport         *report,
             GError              **error)
{
  g_auto(Soak) soak = { .options = options };
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) all_subs = g_ptr_array_new_with_free_func ((GDestroyNotify) sub_free);
  g_autofree char *tenant = NULL;
  g_autoptr(GError) drop_error = NULL;
  Client *checker = NULL;
  gint64 started = g_get_monotonic_time ();
  guint n_subs;
  guint restart_slot;
  gboolean ok = FALSE;

  g_return_val_if_fail (options->n_clients > 0, FALSE);
  g_return_val_if_fail (options->n_instances <= MAX_INSTANCES, FALSE);
  g_return_val_if_fail (!options->restart_database || options->own_cluster, FALSE);

  memset (report, 0, sizeof *report);
  report->problems = g_ptr_array_new_with_free_func (g_free);
  soak.n_instances = MAX (options->n_instances, 1u);
  report->instances = soak.n_instances;
  for (guint i = 0; i < MAX_INSTANCES; i++)
    soak.instances[i].index = i;

  soak.dir = g_dir_make_tmp ("bd-soak-XXXXXX", error);
  if (soak.dir == NULL)
    return FALSE;
  soak.data_dir = g_build_filename (soak.dir, "data", NULL);
  soak.tenant_file = g_build_filename (soak.dir, "tenant.json", NULL);

  /* Enough that deletes leave each client subscriptions to work on. */
  n_subs = options->n_clients * MAX (8u, options->n_operations / options->n_clients / 8 + 4);
  tenant = write_tenant (n_subs, all_subs);
  report->subscriptions = n_subs;
  if (!g_file_set_contents (soak.tenant_file, tenant, -1, error) ||
      !choose_database (&soak, report, error))
    goto out;

  rand = g_rand_new_with_seed (options->seed);
  soak.kill_slots = plan_kills (options, rand);
  /* Somewhere in the middle half of the run. */
  restart_slot = options->n_operations / 4 +
                 (guint) g_rand_int_range (rand, 0, (gint32) MAX (options->n_operations / 2, 1u));

  soak.clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  for (guint c = 0; c < options->n_clients; c++)
    g_ptr_array_add (soak.clients, client_new (&soak, c));
  /* One more, which only checks, at the end. */
  checker = client_new (&soak, options->n_clients);
  for (guint i = 0; i < all_subs->len; i++)
    g_ptr_array_add (((Client *) g_ptr_array_index (soak.clients, i % options->n_clients))->subs,
                     g_ptr_array_index (all_subs, i));
  g_ptr_array_set_free_func (all_subs, NULL);

  if (!start_all (&soak, error))
    goto out;

  soak.clients_running = (gint) options->n_clients;
  for (guint c = 0; c < options->n_clients; c++)
    {
      Client *client = g_ptr_array_index (soak.clients, c);
      g_autofree char *name = g_strdup_printf ("soak-client-%u", c);

      client->thread = g_thread_new (name, client_thread, client);
    }

  run_killer (&soak, rand, restart_slot, report);

  for (guint c = 0; c < options->n_clients; c++)
    {
      Client *client = g_ptr_array_index (soak.clients, c);

      g_thread_join (client->thread);
      client->thread = NULL;
    }

  if (g_atomic_int_get (&soak.aborted))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                 interrupted ? "interrupted" : "the soak stopped half-way (see the problems)");
  else
    ok = finish (&soak, checker, report, error);

  for (guint c = 0; c <= options->n_clients; c++)
    add_up (c < options->n_clients ? g_ptr_array_index (soak.clients, c) : checker, report);

out:
  g_clear_pointer (&checker, client_free);
  for (guint i = 0; i < MAX_INSTANCES; i++)
    kill_service (&soak.instances[i]);
  if (soak.cluster != NULL && !bd_pg_cluster_drop (soak.cluster, &drop_error))
    g_ptr_array_add (report->problems, g_strdup_printf ("dropping the cluster: %s",
                                                        drop_error->message));
  report->wall_seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  /* Kept for a look on a discrepancy, not when interrupted. */
  if (options->keep_data || (!interrupted && (!ok || !bd_soak_report_is_clean (report))))
    report->dir = g_strdup (soak.dir);
  else
    remove_tree (soak.dir);

  return ok;
}

/**
 * bd_soak_report_is_clean:
 *
 * Returns: whether nothing was lost, doubled or out of place
 */
gboolean
bd_soak_report_is_clean (const BdSoakReport *report)
{
  return report->lost == 0 && report->doubled == 0 && report->mismatched == 0 &&
         report->unexpected == 0 && report->problems->len == 0 &&
         g_strcmp0 (report->integrity, "ok") == 0 && report->stopped_cleanly;
}

/**
 * bd_soak_report_format:
 *
 * Returns: (transfer full): the summary, a few lines
 */
char *
bd_soak_report_format (const BdSoakReport *report)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "operations      %u (", report->operations);
  for (guint k = 0; k < BD_SOAK_N_KINDS; k++)
    g_string_append_printf (text, "%s%s %u", k > 0 ? ", " : "", kind_names[k],
                            report->by_kind[k]);
  g_string_append_printf (text, ") on %u subscriptions\n", report->subscriptions);
  g_string_append_printf (text, "instances       %u on %s\n", report->instances,
                          report->store != NULL ? report->store : "(none)");
  g_string_append_printf (text, "kills           %u (%u with a change in flight), "
                          "and every instance once more after the last operation\n",
                          report->kills, report->kills_in_flight);
  g_string_append_printf (text, "db restarts     %u\n", report->database_restarts);
  g_string_append_printf (text, "retries         %u requests; %u changes needed more than one, "
                          "%u of them applied before their answer was lost\n",
                          report->retries, report->changes_retried,
                          report->applied_unanswered);
  g_string_append_printf (text, "acknowledged    %u changes; ledger %u entries, the same order "
                          "through %u of %u instances\n",
                          report->acknowledged, report->ledger_entries, report->ledger_views,
                          report->instances);
  g_string_append_printf (text, "replays         %u keyed changes sent again, answered the same\n",
                          report->replays);
  g_string_append_printf (text, "lost            %u\n", report->lost);
  g_string_append_printf (text, "doubled         %u\n", report->doubled);
  g_string_append_printf (text, "mismatched      %u; unexpected answers %u; problem lines %u\n",
                          report->mismatched, report->unexpected,
                          report->problems->len);
  g_string_append_printf (text, "integrity       %s; clean stop %s\n",
                          report->integrity != NULL ? report->integrity : "not checked",
                          report->stopped_cleanly ? "yes" : "no");
  g_string_append_printf (text, "wall time       %.1f s\n", report->wall_seconds);
  if (report->dir != NULL)
    g_string_append_printf (text, "kept            %s\n", report->dir);

  return g_string_free (text, FALSE);
}

void
bd_soak_report_clear (BdSoakReport *report)
{
  g_clear_pointer (&report->integrity, g_free);
  g_clear_pointer (&report->store, g_free);
  g_clear_pointer (&report->dir, g_free);
  g_clear_pointer (&report->problems, g_ptr_array_unref);
}
