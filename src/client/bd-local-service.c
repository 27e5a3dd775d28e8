/* bd-local-service.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-local-service"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>

#include "bd-local-service-private.h"

/* A first start seeds the database and may have to wait for a slow disk;
 * one that takes longer than this is stuck (BdLocalService:start-timeout).
 */
#define START_TIMEOUT_SECONDS 20

/* How long the last unref waits for the child to finish its requests
 * after SIGTERM before it kills it: short, as the UI waits meanwhile.
 */
#define STOP_TIMEOUT_MS 2000

struct _BdLocalService
{
  GObject       parent_instance;

  char         *program;           /* (nullable): NULL looks for BD_LOCAL_SERVICE_PROGRAM */
  char         *data_dir;
  char         *tenant_file;
  guint         start_timeout;     /* seconds */

  GMainContext *context;           /* the thread-default context of start_async */
  GCancellable *cancellable;       /* the pipe readers and the wait; cancelled in dispose */
  GSubprocess  *process;
  char         *pid;               /* the child's pid as text, for the log */

  GTask        *start_task;        /* (nullable): until the child is ready or has failed */
  GSource      *timeout_source;    /* (nullable): while start_task is pending */
  GSource      *cancelled_source;  /* (nullable): the caller's cancellable, likewise */

  char         *url;               /* (nullable): while the child runs */
  char         *last_stderr_line;  /* (nullable): sanitized, for error messages */

  guint         stderr_done : 1;
  guint         exited : 1;
  guint         stopping : 1;      /* asked to stop, or killed by us: its exit is expected */
};

G_DEFINE_FINAL_TYPE (BdLocalService, bd_local_service, G_TYPE_OBJECT)

enum {
  EXITED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

enum {
  PROP_0,
  PROP_START_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/*
 * Helpers
 */

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Called once a start has failed, or succeeded with @error NULL; takes
 * @error.
 */
static void
finish_start (BdLocalService *self,
              GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  g_assert (task != NULL);

  clear_source (&self->timeout_source);
  clear_source (&self->cancelled_source);

  if (error == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_debug ("Start failed: %s", error->message);

  /* A child that is stuck, or not the service, must not linger. Once
   * stopping, its exit is expected: no warning, no "exited".
   */
  if (!self->stopping)
    {
      self->stopping = TRUE;
      if (!self->exited)
        g_subprocess_force_exit (self->process);
    }

  g_task_return_error (task, error);
}

/* The child ended before it was ready: fail once both its exit status and
 * the rest of its stderr are in, as the service's last line says why.
 */
static void
maybe_fail_start (BdLocalService *self)
{
  if (self->start_task == NULL || !self->exited || !self->stderr_done)
    return;

  finish_start (self, _bd_local_service_new_exit_error (self->process, self->last_stderr_line));
}

static void
handle_first_line (BdLocalService *self,
                   const char     *line)
{
  g_autofree char *url = _bd_local_service_parse_listening (line);

  if (url != NULL)
    {
      g_debug ("The service (pid %s) listens on %s", self->pid, url);
      self->url = g_steal_pointer (&url);
      finish_start (self, NULL);
      return;
    }

  finish_start (self, _bd_local_service_new_line_error (line, self->last_stderr_line));
}

/*
 * Callbacks
 */

static void
read_stdout_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GDataInputStream *stream = G_DATA_INPUT_STREAM (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  BdLocalService *self;

  line = g_data_input_stream_read_line_finish (stream, result, NULL, &error);

  /* Cancelled in dispose: self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_LOCAL_SERVICE (user_data);

  /* The end: the child has exited or is about to; wait_cb takes over. */
  if (line == NULL)
    {
      if (error != NULL)
        g_debug ("Reading the service’s stdout: %s", error->message);
      return;
    }

  if (self->start_task != NULL)
    handle_first_line (self, line);
  else
    g_debug ("The service printed: %s", line);

  /* Read on to the end, so that the child never blocks on a full pipe. */
  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, self->cancellable,
                                       read_stdout_cb, self);
}

static void
read_stderr_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GDataInputStream *stream = G_DATA_INPUT_STREAM (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  BdLocalService *self;

  line = g_data_input_stream_read_line_finish (stream, result, NULL, &error);

  /* Cancelled in dispose: self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = BD_LOCAL_SERVICE (user_data);

  if (line == NULL)
    {
      if (error != NULL)
        g_debug ("Reading the service’s stderr: %s", error->message);
      self->stderr_done = TRUE;
      maybe_fail_start (self);
      return;
    }

  /* The service's log, shown with G_MESSAGES_DEBUG; it holds no tokens. */
  g_debug ("%s", line);

  if (line[0] != '\0')
    {
      const char *message = line;

      /* Its messages start with its name, which says little to a user. */
      if (g_str_has_prefix (message, BD_LOCAL_SERVICE_PROGRAM ": "))
        message += strlen (BD_LOCAL_SERVICE_PROGRAM ": ");

      g_free (self->last_stderr_line);
      self->last_stderr_line = _bd_local_service_quote_line (message);
    }

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, self->cancellable,
                                       read_stderr_cb, self);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  BdLocalService *self;

  /* Cancelled in dispose: self may be gone. */
  if (!g_subprocess_wait_finish (process, result, &error))
    return;

  self = BD_LOCAL_SERVICE (user_data);
  self->exited = TRUE;
  status = _bd_local_service_describe_exit (process);

  if (self->start_task != NULL)
    {
      g_debug ("The service (pid %s) %s before it was ready", self->pid, status);
      maybe_fail_start (self);
    }
  else if (self->stopping)
    {
      g_debug ("The service (pid %s) %s", self->pid, status);
    }
  else
    {
      g_warning ("The service (pid %s) %s unexpectedly", self->pid, status);
      g_clear_pointer (&self->url, g_free);
      g_signal_emit (self, signals[EXITED], 0);
    }
}

static gboolean
on_start_timeout_cb (gpointer user_data)
{
  BdLocalService *self = BD_LOCAL_SERVICE (user_data);

  /* finish_start destroys this source. */
  finish_start (self, _bd_local_service_new_timeout_error (self->start_timeout,
                                                           self->last_stderr_line));

  return G_SOURCE_REMOVE;
}

static gboolean
on_start_cancelled_cb (GCancellable *cancellable,
                       gpointer      user_data)
{
  BdLocalService *self = BD_LOCAL_SERVICE (user_data);
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  finish_start (self, error);

  return G_SOURCE_REMOVE;
}

/* Follows the child of a start that began: its stdout (where it listens),
 * its stderr (its log), its exit, the start timeout and @cancellable.
 */
static void
watch_start (BdLocalService *self,
             GCancellable   *cancellable)
{
  g_autoptr(GDataInputStream) stdout_stream = NULL;
  g_autoptr(GDataInputStream) stderr_stream = NULL;

  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (stdout_stream, G_PRIORITY_DEFAULT, self->cancellable,
                                       read_stdout_cb, self);

  stderr_stream = g_data_input_stream_new (g_subprocess_get_stderr_pipe (self->process));
  g_data_input_stream_read_line_async (stderr_stream, G_PRIORITY_DEFAULT, self->cancellable,
                                       read_stderr_cb, self);

  g_subprocess_wait_async (self->process, self->cancellable, wait_cb, self);

  /* In milliseconds, which never fire early: a timeout in seconds may fire
   * up to a quarter of a second before its time.
   */
  self->timeout_source = g_timeout_source_new (self->start_timeout * 1000);
  g_source_set_callback (self->timeout_source, on_start_timeout_cb, self, NULL);
  g_source_attach (self->timeout_source, self->context);

  /* A source rather than a "cancelled" handler: cancelling from another
   * thread still ends the start on this one.
   */
  if (cancellable != NULL)
    {
      self->cancelled_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancelled_source, G_SOURCE_FUNC (on_start_cancelled_cb),
                             self, NULL);
      g_source_attach (self->cancelled_source, self->context);
    }
}

/*
 * GObject overrides
 */

static void
bd_local_service_dispose (GObject *object)
{
  BdLocalService *self = (BdLocalService *) object;

  /* The app did not call stop, or the child has not gone yet: it gets a
   * short time to finish its requests, then it is killed.
   */
  if (self->process != NULL && g_subprocess_get_identifier (self->process) != NULL)
    {
      if (!self->stopping)
        {
          self->stopping = TRUE;
          g_subprocess_send_signal (self->process, SIGTERM);
        }

      if (_bd_local_service_wait_for_exit (self->process, STOP_TIMEOUT_MS))
        {
          g_autofree char *status = _bd_local_service_describe_exit (self->process);

          g_debug ("The service (pid %s) %s", self->pid, status);
        }
      else
        {
          g_warning ("The service (pid %s) did not stop within %d ms; killing it",
                     self->pid, STOP_TIMEOUT_MS);
          g_subprocess_force_exit (self->process);
        }
    }

  clear_source (&self->timeout_source);
  clear_source (&self->cancelled_source);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->process);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->url, g_free);

  G_OBJECT_CLASS (bd_local_service_parent_class)->dispose (object);
}

static void
bd_local_service_finalize (GObject *object)
{
  BdLocalService *self = (BdLocalService *) object;

  g_clear_pointer (&self->program, g_free);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->tenant_file, g_free);
  g_clear_pointer (&self->pid, g_free);
  g_clear_pointer (&self->last_stderr_line, g_free);

  G_OBJECT_CLASS (bd_local_service_parent_class)->finalize (object);
}

static void
bd_local_service_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BdLocalService *self = BD_LOCAL_SERVICE (object);

  switch (prop_id)
    {
    case PROP_START_TIMEOUT:
      g_value_set_uint (value, self->start_timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_local_service_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BdLocalService *self = BD_LOCAL_SERVICE (object);

  switch (prop_id)
    {
    case PROP_START_TIMEOUT:
      if (self->start_timeout != g_value_get_uint (value))
        {
          self->start_timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_local_service_class_init (BdLocalServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bd_local_service_dispose;
  object_class->finalize = bd_local_service_finalize;
  object_class->get_property = bd_local_service_get_property;
  object_class->set_property = bd_local_service_set_property;

  /**
   * BdLocalService:start-timeout:
   *
   * Seconds the child may take to say where it listens; a start that takes
   * longer fails, and the child is killed. Read when the start begins.
   * Tests shorten it.
   */
  properties [PROP_START_TIMEOUT] =
    g_param_spec_uint ("start-timeout", NULL, NULL,
                       1, G_MAXUINT / 1000, START_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BdLocalService::exited:
   *
   * The child ended after a successful start without being asked to:
   * the app has no service any more. Not emitted after
   * bd_local_service_stop() or a failed start.
   */
  signals[EXITED] = g_signal_new ("exited",
                                  G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST,
                                  0,
                                  NULL, NULL,
                                  NULL,
                                  G_TYPE_NONE, 0);
}

static void
bd_local_service_init (BdLocalService *self)
{
  self->start_timeout = START_TIMEOUT_SECONDS;
  self->cancellable = g_cancellable_new ();
}

/*
 * Public API
 */

/**
 * bd_local_service_new:
 * @program: (nullable): the service's executable; %NULL for the installed
 *   billing-desk-service, found through the PATH
 * @data_dir: where the service keeps its database; created (0700) on start
 * @tenant_file: the tenant to seed a new database with; a database that
 *   holds a tenant already keeps it
 *
 * Returns: (transfer full): a local service, not started yet
 */
BdLocalService *
bd_local_service_new (const char *program,
                      const char *data_dir,
                      const char *tenant_file)
{
  BdLocalService *self;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (tenant_file != NULL, NULL);

  self = g_object_new (BD_TYPE_LOCAL_SERVICE, NULL);
  self->program = g_strdup (program);
  self->data_dir = g_strdup (data_dir);
  self->tenant_file = g_strdup (tenant_file);

  return self;
}

/**
 * bd_local_service_start_async:
 * @cancellable: (nullable): cancels the start, and stops the child
 *
 * Starts the child on 127.0.0.1 with a free port and completes once it
 * listens, or has failed (its own message in the error), or has not
 * become ready within #BdLocalService:start-timeout seconds (20). One start
 * per object: to start again, make a new one. Call it on the main thread.
 */
void
bd_local_service_start_async (BdLocalService      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BD_IS_LOCAL_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bd_local_service_start_async);

  if (self->process != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               "The local service was started already");
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display_name = g_filename_display_name (self->data_dir);

      g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                               /* Translators: %1$s is a folder, %2$s why it could not be made */
                               _("Could not create the local billing service’s "
                                 "folder %1$s: %2$s"),
                               display_name, g_strerror (saved_errno));
      return;
    }

  self->process = _bd_local_service_spawn (self->program, self->data_dir, self->tenant_file,
                                           &error);
  if (self->process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->pid = g_strdup (g_subprocess_get_identifier (self->process));
  self->context = g_main_context_ref_thread_default ();
  self->start_task = g_steal_pointer (&task);
  watch_start (self, cancellable);
}

/**
 * bd_local_service_start_finish:
 *
 * Returns: %TRUE once the child listens; bd_local_service_get_url() says
 *   where
 */
gboolean
bd_local_service_start_finish (BdLocalService  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (BD_IS_LOCAL_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      /* GTask reports a cancellation that came after the child got ready
       * as well: then the child must not run on unseen.
       */
      if (self->url != NULL)
        bd_local_service_stop (self);
      return FALSE;
    }

  return TRUE;
}

/**
 * bd_local_service_get_url:
 *
 * Returns: (nullable): the service's base URL, such as
 *   "http://127.0.0.1:40123", while the child runs after a successful
 *   start; else %NULL
 */
const char *
bd_local_service_get_url (BdLocalService *self)
{
  g_return_val_if_fail (BD_IS_LOCAL_SERVICE (self), NULL);

  return self->url;
}

/**
 * bd_local_service_stop:
 *
 * Asks the child to stop (SIGTERM: it finishes the requests in flight,
 * then exits) without waiting for it; the last unref waits a little and
 * then kills it. A pending start fails. Does nothing if there is no child.
 */
void
bd_local_service_stop (BdLocalService *self)
{
  g_return_if_fail (BD_IS_LOCAL_SERVICE (self));

  if (self->process == NULL || self->stopping || self->exited)
    return;

  self->stopping = TRUE;
  g_clear_pointer (&self->url, g_free);
  g_subprocess_send_signal (self->process, SIGTERM);

  if (self->start_task != NULL)
    finish_start (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             _("The local billing service was stopped "
                                               "before it was ready")));
}
