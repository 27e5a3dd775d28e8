/* test-settings.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app's settings schema is found in its own datadir first, as in
 * build-aux/run's private prefix, with no XDG_DATA_DIRS naming it; and a
 * missing schema is a sentence and exit status 1 from the real binary,
 * not GSettings' abort.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "bd-settings.h"
#include "bd-test-utils.h"

static char *tmp;

/* What the missing schema's message tells to do, word for word (from
 * po/xx.po), in each language the test runs in: a catalog that is not
 * loaded fails. */
typedef struct
{
  const char *language;
  const char *install_again;
} Words;

static const Words words_by_language[] = {
  { "en", "Install Billing Desk again" },
  { "da", "Installér Billing Desk igen" },
  { "de", "Installieren Sie Billing Desk erneut" },
  { "ar", "ثبّت Billing Desk مرة أخرى" },
};

static void
compile_schemas (const char *schemas)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char *[]) { "glib-compile-schemas", "--strict", (char *) schemas, NULL },
                NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* A datadir as `meson install` fills it: the schema compiled into
 * DATADIR/glib-2.0/schemas by glib-compile-schemas.
 */
static char *
make_datadir (const char *name,
              gboolean    with_schema)
{
  g_autofree char *datadir = g_build_filename (tmp, name, "share", NULL);
  g_autofree char *schemas = g_build_filename (datadir, "glib-2.0", "schemas", NULL);
  /* The schema as this build configured it (data/meson.build), named after its app id. */
  g_autofree char *source = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "data",
                                              APPLICATION_ID ".gschema.xml", NULL);
  g_autofree char *copy = g_build_filename (schemas, APPLICATION_ID ".gschema.xml", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (schemas, 0700), ==, 0);
  if (!with_schema)
    return g_steal_pointer (&datadir);

  g_file_get_contents (source, &text, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy, text, -1, &error);
  g_assert_no_error (error);
  compile_schemas (schemas);

  return g_steal_pointer (&datadir);
}

static void
test_found_in_datadir (void)
{
  g_autofree char *datadir = make_datadir ("prefix", TRUE);
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;

  settings = bd_settings_new_for_datadir (datadir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (settings);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 960);
  last = g_settings_get_string (settings, "last-account");
  g_assert_cmpstr (last, ==, "demo");
}

/* A copy of the schema in @datadir with another window-width default. */
static void
change_default_width (const char *datadir)
{
  g_autofree char *schemas = g_build_filename (datadir, "glib-2.0", "schemas", NULL);
  g_autofree char *xml = g_build_filename (schemas, APPLICATION_ID ".gschema.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("(name=\"window-width\"[^>]*>\\s*<default>)960<",
                                         0, 0, NULL);
  g_autofree char *text = NULL;
  g_autofree char *changed = NULL;

  g_file_get_contents (xml, &text, NULL, &error);
  g_assert_no_error (error);
  changed = g_regex_replace (regex, text, -1, 0, "\\g<1>640<", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changed, !=, text);
  g_file_set_contents (xml, changed, -1, &error);
  g_assert_no_error (error);
  compile_schemas (schemas);
}

/* A schema of the same id elsewhere in XDG_DATA_DIRS (an older install,
 * another window-width default) does not hide the datadir's.
 */
static void
test_datadir_first (void)
{
  g_autofree char *datadir = NULL;
  g_autofree char *other = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  /* GSettings reads XDG_DATA_DIRS once a process: a child of its own. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  datadir = make_datadir ("own", TRUE);
  other = make_datadir ("other", TRUE);
  change_default_width (other);
  g_setenv ("XDG_DATA_DIRS", other, TRUE);
  settings = bd_settings_new_for_datadir (datadir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 960);
}

static void
test_missing (void)
{
  g_autofree char *datadir = make_datadir ("empty", FALSE);
  g_autofree char *schemas = g_build_filename (datadir, "glib-2.0", "schemas", NULL);
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  const Words *words = bd_test_for_language (g_getenv ("LANGUAGE"), words_by_language,
                                             sizeof (Words), G_N_ELEMENTS (words_by_language));

  settings = bd_settings_new_for_datadir (datadir, &error);
  g_assert_null (settings);
  g_assert_error (error, BD_SETTINGS_ERROR, BD_SETTINGS_ERROR_NO_SCHEMA);
  expected = g_strdup_printf (_("The settings schema %1$s is not installed (looked in %2$s and the "
                                "system’s schema directories). Install Billing Desk again, or run "
                                "glib-compile-schemas in that directory."),
                              APPLICATION_ID, schemas);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_nonnull (strstr (error->message, words->install_again));
}

/* The binary with no schema anywhere it looks: one sentence on stderr,
 * exit status 1, no window, no core dump.
 */
static void
test_binary_without_schema (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *empty = make_datadir ("nothing", FALSE);
  g_autofree char *program = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src", "app",
                                               "billing-desk", NULL);

  g_autofree char *installed = g_build_filename (g_getenv ("BD_TEST_APP_DATADIR"), "glib-2.0",
                                                 "schemas", "gschemas.compiled", NULL);

  /* The binary looks in its installed datadir last, which no variable
   * hides: a build installed into its prefix (meson install) has the
   * schema there. build-aux/run installs its own build, _build-run. */
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the schema is installed in the binary's own datadir");
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* GSETTINGS_SCHEMA_DIR, when set, is looked in before the datadir: here
   * it names a directory without the schema, and so do the XDG variables. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "BILLING_DESK_LOCALEDIR", BUILD_LOCALEDIR, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, program, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "billing-desk: "));
  g_assert_nonnull (strstr (err, APPLICATION_ID));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  tmp = g_dir_make_tmp ("bd-test-settings-XXXXXX", &error);
  g_assert_no_error (error);

  /* build-aux/run's case: nothing but the datadir names the schema. */
  g_unsetenv ("GSETTINGS_SCHEMA_DIR");
  g_setenv ("XDG_DATA_DIRS", tmp, TRUE);
  g_setenv ("XDG_DATA_HOME", tmp, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/settings/found-in-datadir", test_found_in_datadir);
  g_test_add_func ("/settings/datadir-first", test_datadir_first);
  g_test_add_func ("/settings/missing", test_missing);
  g_test_add_func ("/settings/binary-without-schema", test_binary_without_schema);
  status = g_test_run ();

  bd_test_remove_tree (tmp);
  g_free (tmp);
  return status;
}
