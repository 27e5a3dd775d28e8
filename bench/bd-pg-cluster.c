/* bd-pg-cluster.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PostgreSQL cluster of the caller's own, to stop and start under
 * running services (tests/test-outage.c, bench/soak): made with
 * pg_createcluster on a free port of 127.0.0.1, in a temporary directory
 * with a configuration root of its own (pg_lsclusters elsewhere never sees
 * it, and no setting of a pg_virtualenv around the caller applies), and
 * dropped by a guard process when the caller ends, however it ends.
 */

#define G_LOG_DOMAIN "bd-pg-cluster"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <unistd.h>

#include "bd-pg-cluster.h"

struct _BdPgCluster
{
  char        *name;      /* of the caller's process: its pid file is in a shared directory */
  char        *dir;       /* the cluster's files: configuration, data, socket, log */
  char        *version;   /* of the PostgreSQL server, "15" */
  char       **env;       /* for pg_ctlcluster: PG_CLUSTER_CONF_ROOT in dir */
  guint16      port;
  char        *uri;
  char        *socket_uri;
  GSubprocess *guard;     /* drops the cluster when the caller ends */
};

/* The newest server installed, as pg_virtualenv picks it. */
static char *
server_version (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  const char *name;
  guint64 best = 0;

  if (g_getenv ("PGVERSION") != NULL)
    return g_strdup (g_getenv ("PGVERSION"));

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *pg_ctl = g_build_filename ("/usr/lib/postgresql", name, "bin", "pg_ctl",
                                                  NULL);
      guint64 version = 0;

      if (g_ascii_string_to_unsigned (name, 10, 1, 999, &version, NULL) &&
          g_file_test (pg_ctl, G_FILE_TEST_IS_EXECUTABLE) && version > best)
        best = version;
    }

  return best > 0 ? g_strdup_printf ("%" G_GUINT64_FORMAT, best) : NULL;
}

/**
 * bd_pg_cluster_why_not:
 *
 * Returns: (nullable): why this process cannot make a cluster of its own,
 *   or %NULL when it can
 */
const char *
bd_pg_cluster_why_not (void)
{
  g_autofree char *pg_createcluster = g_find_program_in_path ("pg_createcluster");
  g_autofree char *version = NULL;

  if (getuid () != 0)
    return "needs root: pg_createcluster runs a cluster of its own as the postgres user";
  if (pg_createcluster == NULL || getpwnam ("postgres") == NULL)
    return "no pg_createcluster (postgresql-common) or postgres user: no cluster of its own";
  version = server_version ();
  if (version == NULL)
    return "no PostgreSQL server under /usr/lib/postgresql: no cluster of its own";

  return NULL;
}

/* The low end of the kernel's ephemeral range, where the ports a client
 * socket is given by connect () begin (32768 unless configured).
 */
static guint
ephemeral_low (void)
{
  g_autofree char *range = NULL;
  guint64 low;

  if (!g_file_get_contents ("/proc/sys/net/ipv4/ip_local_port_range", &range, NULL, NULL))
    return 32768;
  low = g_ascii_strtoull (range, NULL, 10);

  return low > 2048 && low <= G_MAXUINT16 ? (guint) low : 32768;
}

static gboolean
can_bind (GInetAddress *loopback,
          guint16       port)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         NULL);

  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

/* A port nobody listens on now, below the ephemeral range: the cluster is
 * restarted on the same port (outage-pg, soak-pg) while clients reconnect
 * to it, and a port from the ephemeral range (what binding to port 0
 * gives) may meanwhile be taken by one of those clients' own sockets, so
 * that the restarted server cannot bind. The scan starts at a random port
 * so that clusters set up at once by parallel runs seldom try the same.
 */
static gboolean
free_port (guint16  *port,
           GError  **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  guint first = 20000;
  guint last = MIN (32000, ephemeral_low () - 1);
  guint span, start;

  if (last < first)
    first = 1025;
  span = last - first + 1;
  start = (guint) g_random_int_range (0, (gint32) span);

  for (guint i = 0; i < span; i++)
    {
      guint16 candidate = (guint16) (first + (start + i) % span);

      if (can_bind (loopback, candidate))
        {
          *port = candidate;
          return TRUE;
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
               "No free port from %u to %u, below the ephemeral range", first, last);
  return FALSE;
}

/* Runs a postgresql-common command on the cluster. */
static gboolean
run_cluster_command (BdPgCluster         *cluster,
                     const char * const  *argv,
                     GError             **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync ("/", (char **) argv, cluster->env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                     &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv);

      g_set_error (error, G_SPAWN_EXIT_ERROR, status, "%s: %s%s", command, out, err);
      return FALSE;
    }

  return TRUE;
}

/**
 * bd_pg_cluster_stop:
 *
 * Stops the server at once (`pg_ctlcluster … stop -m immediate`): no
 * checkpoint, every session dropped, as when a machine goes away.
 */
gboolean
bd_pg_cluster_stop (BdPgCluster  *cluster,
                    GError      **error)
{
  return run_cluster_command (cluster, (const char * const []) {
                                "pg_ctlcluster", cluster->version, cluster->name, "stop",
                                "-m", "immediate", NULL }, error);
}

/**
 * bd_pg_cluster_start:
 *
 * Starts the server; pg_ctlcluster returns once it accepts connections.
 */
gboolean
bd_pg_cluster_start (BdPgCluster  *cluster,
                     GError      **error)
{
  return run_cluster_command (cluster, (const char * const []) {
                                "pg_ctlcluster", cluster->version, cluster->name, "start",
                                NULL }, error);
}

/* The guard: a shell in a session of its own, which waits for its stdin
 * to close (when this process ends, however it ends: a failed assertion
 * aborts it, a timeout or SIGKILL kills it) and then stops and drops the
 * cluster and removes its files.
 */
static GSubprocess *
start_guard (BdPgCluster  *cluster,
             GError      **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *script =
    "cat > /dev/null; "
    "pg_dropcluster --stop \"$1\" \"$2\" > /dev/null 2>&1; "
    "rm -rf \"$3\"";

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_set_environ (launcher, cluster->env);

  return g_subprocess_launcher_spawn (launcher, error, "setsid", "sh", "-c", script, "guard",
                                      cluster->version, cluster->name, cluster->dir, NULL);
}

/**
 * bd_pg_cluster_new:
 * @prefix: the start of the cluster's name (the process id is added)
 *
 * Makes and starts a cluster of the caller's own (see
 * bd_pg_cluster_why_not ()), trusting every local connection, fsync off.
 * Its URI names the `postgres` database as the `postgres` user.
 *
 * Returns: (transfer full) (nullable): the running cluster
 */
BdPgCluster *
bd_pg_cluster_new (const char  *prefix,
                   GError     **error)
{
  g_autoptr(BdPgCluster) cluster = g_new0 (BdPgCluster, 1);
  g_autofree char *conf_root = NULL;
  g_autofree char *data = NULL;
  g_autofree char *socket_dir = NULL;
  g_autofree char *log = NULL;
  g_autofree char *port = NULL;
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", prefix);
  struct passwd *postgres = getpwnam ("postgres");
  const char *why = bd_pg_cluster_why_not ();

  if (why != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, why);
      return NULL;
    }

  cluster->name = g_strdup_printf ("%s_%d", prefix, (int) getpid ());
  g_strdelimit (cluster->name, "-", '_');
  cluster->version = server_version ();
  cluster->dir = g_dir_make_tmp (template, error);
  if (cluster->dir == NULL)
    return NULL;
  /* The server runs as postgres, and writes its data and log here. */
  if (chown (cluster->dir, postgres->pw_uid, postgres->pw_gid) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "chown %s: %s", cluster->dir,
                   g_strerror (errno));
      g_rmdir (cluster->dir);
      return NULL;
    }

  conf_root = g_build_filename (cluster->dir, "etc", NULL);
  data = g_build_filename (cluster->dir, "data", NULL);
  socket_dir = g_build_filename (cluster->dir, "run", NULL);
  log = g_build_filename (cluster->dir, "postgresql.log", NULL);

  cluster->env = g_get_environ ();
  cluster->env = g_environ_setenv (cluster->env, "PG_CLUSTER_CONF_ROOT", conf_root, TRUE);
  cluster->env = g_environ_unsetenv (cluster->env, "PGSYSCONFDIR");
  cluster->guard = start_guard (cluster, error);
  if (cluster->guard == NULL)
    {
      g_rmdir (cluster->dir);
      return NULL;
    }

  if (!free_port (&cluster->port, error))
    return NULL;
  port = g_strdup_printf ("%u", cluster->port);
  if (!run_cluster_command (cluster, (const char * const []) {
                              "pg_createcluster", "--quiet", cluster->version, cluster->name,
                              "-p", port, "-d", data, "-s", socket_dir, "-l", log,
                              "--pgoption", "fsync=off",
                              "--", "--auth=trust", "--username=postgres", "--nosync", NULL },
                            error) ||
      !bd_pg_cluster_start (cluster, error))
    return NULL;

  cluster->uri = g_strdup_printf ("postgresql://postgres@127.0.0.1:%u/postgres", cluster->port);
  return g_steal_pointer (&cluster);
}

const char *
bd_pg_cluster_get_uri (BdPgCluster *cluster)
{
  return cluster->uri;
}

/* The same database over the cluster's Unix socket, as a service on the
 * database's own machine connects (postgresql:///DBNAME).
 */
const char *
bd_pg_cluster_get_socket_uri (BdPgCluster *cluster)
{
  if (cluster->socket_uri == NULL)
    cluster->socket_uri = g_strdup_printf ("postgresql://postgres@/postgres?host=%s/run&port=%u",
                                           cluster->dir, cluster->port);
  return cluster->socket_uri;
}

/* Where its files are (the caller may put its own beside them). */
const char *
bd_pg_cluster_get_dir (BdPgCluster *cluster)
{
  return cluster->dir;
}

/**
 * bd_pg_cluster_drop:
 *
 * Closes the guard's stdin, which stops and drops the cluster and removes
 * its directory, and waits for that.
 *
 * Returns: whether the guard ended well and the directory is gone
 */
gboolean
bd_pg_cluster_drop (BdPgCluster  *cluster,
                    GError      **error)
{
  g_autoptr(GSubprocess) guard = g_steal_pointer (&cluster->guard);

  if (guard == NULL)
    return TRUE;

  if (!g_output_stream_close (g_subprocess_get_stdin_pipe (guard), NULL, error) ||
      !g_subprocess_wait_check (guard, NULL, error))
    return FALSE;
  if (g_file_test (cluster->dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s is still there", cluster->dir);
      return FALSE;
    }

  return TRUE;
}

/* Drops the cluster if bd_pg_cluster_drop () has not. */
void
bd_pg_cluster_free (BdPgCluster *cluster)
{
  g_autoptr(GError) error = NULL;

  if (cluster == NULL)
    return;

  if (!bd_pg_cluster_drop (cluster, &error))
    g_warning ("dropping the cluster %s: %s", cluster->name, error->message);

  g_strfreev (cluster->env);
  g_free (cluster->name);
  g_free (cluster->version);
  g_free (cluster->uri);
  g_free (cluster->socket_uri);
  g_free (cluster->dir);
  g_free (cluster);
}
