/* test-shortcuts.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real application's window over a real service, under Xvfb: its
 * shortcuts window lists every key the app answers and nothing else; its
 * spinners, filter and icon-only buttons have accessible names (GTK's test
 * accessibility backend, GTK_A11Y=test); About says who made it.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "bd-action-dialogs.h"
#include "bd-add-account-window.h"
#include "bd-application.h"
#include "bd-blocker-card.h"
#include "bd-format.h"
#include "bd-manage-accounts-window.h"
#include "bd-products-page.h"
#include "bd-test-service.h"
#include "bd-test-widgets.h"
#include "bd-window.h"
#include "service-tenant.h"

/* One application for the whole run, registered (its startup run: the
 * accels, the help overlay) but never run: the tests drive its windows. */
static BdApplication *app;

/* A window of the app, listing a real service's subscriptions. */
typedef struct
{
  BdWindow       *window;
  BdProductsPage *page;
  BdTestService  *service;
  BdClient       *client;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->window = bd_window_new (GTK_APPLICATION (app));
  f->page = BD_PRODUCTS_PAGE (bd_window_get_products_page (f->window));
  gtk_window_present (GTK_WINDOW (f->window));

  f->service = bd_test_service_new (TENANT, NOW);
  f->client = bd_client_new (f->service->url, ADMIN);
  bd_window_set_client (f->window, f->client);
  g_assert_true (bd_test_wait_until (bd_test_page_has_rows, f->page, BD_TEST_WIDGET_WAIT_MS));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->client);
  g_clear_pointer (&f->service, bd_test_service_free);
}

/*
 * Keys: each a canonical accelerator name ("<Control>r"), mapped to where
 * it was found, for the messages.
 */

static GHashTable *
keys_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
add_key_name (GHashTable *keys,
              const char *name,
              const char *origin)
{
  if (!g_hash_table_contains (keys, name))
    g_hash_table_insert (keys, g_strdup (name), g_strdup (origin));
}

static void
add_key (GHashTable      *keys,
         guint            keyval,
         GdkModifierType  modifiers,
         const char      *origin)
{
  g_autofree char *name = NULL;

  name = gtk_accelerator_name (gdk_keyval_to_lower (keyval),
                               modifiers & gtk_accelerator_get_default_mod_mask ());
  add_key_name (keys, name, origin);
}

static void
add_accelerator (GHashTable *keys,
                 const char *accelerator,
                 const char *origin)
{
  guint keyval = 0;
  GdkModifierType modifiers = 0;

  if (!gtk_accelerator_parse (accelerator, &keyval, &modifiers))
    g_error ("%s: “%s” is no accelerator", origin, accelerator);
  add_key (keys, keyval, modifiers, origin);
}

static void
add_trigger (GHashTable         *keys,
             GtkShortcutTrigger *trigger,
             const char         *origin)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    {
      add_key (keys, gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)),
               gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)), origin);
    }
  else if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      add_trigger (keys, gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)),
                   origin);
      add_trigger (keys, gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)),
                   origin);
    }
  /* Mnemonics (Alt and a label's underlined letter) are the labels' own,
   * and a never-trigger answers nothing. */
}

/* The keys of @widget's own shortcut controllers. */
static void
add_controller_keys (GHashTable *keys,
                     GtkWidget  *widget,
                     const char *origin)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          add_trigger (keys, gtk_shortcut_get_trigger (shortcut), origin);
        }
    }
}

static gboolean
is_app_type (GType type)
{
  return g_str_has_prefix (g_type_name (type), "Bd");
}

/* What a toolkit widget of @type answers by itself (GtkWindow's Ctrl+Shift+I
 * for the inspector, AdwMessageDialog's Escape, …): not the app's to list.
 */
static GHashTable *
toolkit_keys (GType type)
{
  GHashTable *keys = keys_new ();
  GtkWidget *plain;

  if (G_TYPE_IS_ABSTRACT (type))
    return keys;

  plain = g_object_ref_sink (g_object_new (type, NULL));
  add_controller_keys (keys, plain, g_type_name (type));
  if (GTK_IS_WINDOW (plain))
    gtk_window_destroy (GTK_WINDOW (plain));
  g_object_unref (plain);

  return keys;
}

/* The keys that each widget of the app's own types under @widget answers
 * over what its toolkit parent type answers alone. */
static void
add_app_widget_keys (GHashTable *keys,
                     GtkWidget  *widget,
                     GPtrArray  *seen)
{
  GType type = G_OBJECT_TYPE (widget);

  if (is_app_type (type))
    {
      g_autoptr(GHashTable) own = keys_new ();
      g_autoptr(GHashTable) toolkit = NULL;
      GHashTableIter iter;
      gpointer name, origin;

      while (is_app_type (type))
        type = g_type_parent (type);
      toolkit = toolkit_keys (type);
      add_controller_keys (own, widget, G_OBJECT_TYPE_NAME (widget));
      g_hash_table_iter_init (&iter, own);
      while (g_hash_table_iter_next (&iter, &name, &origin))
        if (!g_hash_table_contains (toolkit, name))
          add_key_name (keys, name, origin);
      g_ptr_array_add (seen, (gpointer) G_OBJECT_TYPE_NAME (widget));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_app_widget_keys (keys, child, seen);
}

/* The keys the application has accels for (app.quit, window.close, …). */
static void
add_application_keys (GHashTable *keys)
{
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        add_accelerator (keys, accels[j], actions[i]);
    }
}

/* The keys the shortcuts window lists: an entry's accelerator is one or
 * more, separated by spaces ("F5 <ctrl>r"). */
static void
add_listed_keys (GHashTable *keys,
                 GtkWidget  *widget)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *title = NULL;
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (widget, "title", &title, "accelerator", &accelerator, NULL);
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      g_assert_nonnull (accelerator);
      accels = g_strsplit (accelerator, " ", -1);
      for (guint i = 0; accels[i] != NULL; i++)
        add_accelerator (keys, accels[i], title);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_listed_keys (keys, child);
}

/* The keys of @keys that @other lacks, as "KEY (ORIGIN)", joined. */
static char *
keys_missing (GHashTable *keys,
              GHashTable *other)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  GHashTableIter iter;
  gpointer name, origin;

  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, &name, &origin))
    if (!g_hash_table_contains (other, name))
      g_string_append_printf (missing, "%s%s (%s)", missing->len > 0 ? ", " : "",
                              (const char *) name, (const char *) origin);

  return g_string_free (g_steal_pointer (&missing), FALSE);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/*
 * Tests
 */

static void
test_shortcuts_window_lists_what_the_app_answers (Fixture       *f,
                                                  gconstpointer  data)
{
  g_autoptr(GHashTable) answered = keys_new ();
  g_autoptr(GHashTable) listed = keys_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_autofree char *unlisted = NULL;
  g_autofree char *unanswered = NULL;
  GtkShortcutsWindow *overlay;

  add_application_keys (answered);
  add_app_widget_keys (answered, GTK_WIDGET (f->window), seen);
  /* The widgets that have keys of their own were there to be asked. */
  g_assert_true (g_ptr_array_find_with_equal_func (seen, "BdWindow", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (seen, "BdProductsPage", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (seen, "BdCancelPane", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (seen, "BdProductRow", g_str_equal, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-help-overlay",
                                             NULL));
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window));
  g_assert_nonnull (overlay);
  g_assert_true (bd_test_wait_until (is_mapped, overlay, BD_TEST_WIDGET_WAIT_MS));
  add_listed_keys (listed, GTK_WIDGET (overlay));

  unlisted = keys_missing (answered, listed);
  unanswered = keys_missing (listed, answered);
  g_test_message ("answered: %u keys, listed: %u", g_hash_table_size (answered),
                  g_hash_table_size (listed));
  if (*unlisted != '\0' || *unanswered != '\0')
    g_error ("answered but not in the shortcuts window: [%s]; "
             "in the shortcuts window but answered by nothing: [%s]", unlisted, unanswered);

  bd_test_save_screenshot_in_language (overlay, "shortcuts-window");
  gtk_window_close (GTK_WINDOW (overlay));
}

/* @widget's accessible name as GTK's test backend holds it: its label, or
 * the text of the widget it is labelled by; NULL when it has neither. */
static char *
accessible_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    /* NULL when the label equals the one given (""), else the label. */
    return gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  if (gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return g_strdup ("(labelled by another widget)");

  return NULL;
}

/* A button that shows only an icon. */
static gboolean
is_icon_only (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget))
    return gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL;
  if (!GTK_IS_BUTTON (widget))
    return FALSE;
  return gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL &&
         gtk_button_get_label (GTK_BUTTON (widget)) == NULL;
}

/* "GtkButton in GtkBox in BdWindow": where a widget is, for the messages. */
static char *
describe (GtkWidget *widget)
{
  GString *out = g_string_new (G_OBJECT_TYPE_NAME (widget));

  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    g_string_append_printf (out, " in %s", G_OBJECT_TYPE_NAME (w));

  return g_string_free (out, FALSE);
}

typedef struct
{
  GString *unnamed;
  guint    checked;
} NameCheck;

/* Toolkit widgets that build their insides themselves (a drop-down's
 * popover and its search entry, a spin button's + and −, a menu button's
 * button and menu): the app names the widget, not its parts. */
static gboolean
is_toolkit_composite (GtkWidget *widget)
{
  return GTK_IS_DROP_DOWN (widget) || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget);
}

/* Every spinner (the header's is hidden between loads), and the visible
 * drop-downs, search entries and icon-only buttons (a GtkSearchBar's own
 * close button is built hidden, and stays so here). */
static void
check_names (GtkWidget *widget,
             NameCheck *check)
{
  gboolean icon_only = is_icon_only (widget);

  if (GTK_IS_SPINNER (widget) ||
      (gtk_widget_get_visible (widget) &&
       (GTK_IS_DROP_DOWN (widget) || GTK_IS_SEARCH_ENTRY (widget) || icon_only)))
    {
      g_autofree char *name = accessible_name (widget);
      g_autofree char *where = describe (widget);
      const char *tooltip = gtk_widget_get_tooltip_text (widget);

      if (name == NULL || *name == '\0')
        g_string_append_printf (check->unnamed, "\n  %s: no accessible name", where);
      else if (icon_only && (tooltip == NULL || *tooltip == '\0'))
        g_string_append_printf (check->unnamed, "\n  %s “%s”: no tooltip", where, name);
      else
        g_test_message ("%s: “%s”", G_OBJECT_TYPE_NAME (widget), name);
      check->checked++;
    }
  if (is_toolkit_composite (widget))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_names (child, check);
}

/* The app's other windows, built as the window's menus and rows build them
 * (not shown): Add Account, Manage Accounts and each action dialog. */
static GPtrArray *
build_other_windows (Fixture *f)
{
  const GType dialogs[] = { BD_TYPE_DELETE_DIALOG, BD_TYPE_LICENSES_DIALOG,
                            BD_TYPE_REACTIVATE_DIALOG, BD_TYPE_RECURRING_BILLING_DIALOG };
  BdSubscription *subscription;
  BdAccountList *accounts = bd_application_get_accounts (app);
  BdTokenStore *token_store = bd_application_get_token_store (app);
  GPtrArray *windows = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_window_destroy);

  subscription = bd_test_find_subscription (bd_products_page_get_model (f->page), "s1");
  g_assert_nonnull (subscription);
  for (guint i = 0; i < G_N_ELEMENTS (dialogs); i++)
    g_ptr_array_add (windows, bd_action_dialog_new (dialogs[i], GTK_WINDOW (f->window),
                                                    f->client, subscription));
  g_ptr_array_add (windows, bd_add_account_window_new (GTK_WINDOW (f->window), accounts,
                                                       token_store));
  g_ptr_array_add (windows, bd_manage_accounts_window_new (GTK_WINDOW (f->window), accounts,
                                                           token_store));
  return windows;
}

static gboolean
shows_blocker_card (gpointer window)
{
  return bd_test_find_by_type (window, BD_TYPE_BLOCKER_CARD) != NULL;
}

static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);
  g_autoptr(GPtrArray) windows = build_other_windows (f);
  NameCheck check = { unnamed, 0 };
  GtkWidget *card;

  /* The pane on s1 once its refund window has closed: a card with Turn
   * Off Recurring Billing and its spinner. */
  bd_test_service_set_now (f->service, "2026-11-08T00:00:00Z");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.cancel", "s", "s1"));
  g_assert_true (bd_test_wait_until (shows_blocker_card, f->window, BD_TEST_WIDGET_WAIT_MS));
  card = bd_test_find_by_type (f->window, BD_TYPE_BLOCKER_CARD);
  g_assert_nonnull (bd_test_find_by_type (card, GTK_TYPE_SPINNER));

  check_names (GTK_WIDGET (f->window), &check);
  /* At least the header's, the page's, the pane's, Save's and the card's
   * spinners, the status filter, the search entry, Refresh, Search, the
   * main menu and the pane's Close. */
  g_assert_cmpuint (check.checked, >=, 11);
  for (guint i = 0; i < windows->len; i++)
    check_names (g_ptr_array_index (windows, i), &check);
  g_test_message ("%u widgets checked", check.checked);

  if (unnamed->len > 0)
    g_error ("without an accessible name or tooltip:%s", unnamed->str);
}

/* The About window, opened from the window's main menu. */
static void
test_about (Fixture       *f,
            gconstpointer  data)
{
  const char *credits = _("translator-credits");
  AdwAboutWindow *about;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "app.about", NULL));
  about = ADW_ABOUT_WINDOW (bd_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW));
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (f->window));
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, _("Billing Desk"));
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APPLICATION_ID);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_copyright (about), ==,
                   _("© 2026 The Billing Desk authors"));
  g_assert_cmpstr (adw_about_window_get_developer_name (about), ==,
                   _("The Billing Desk authors"));
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  /* No made-up addresses: the project is hosted nowhere yet. */
  g_assert_cmpstr (adw_about_window_get_website (about), ==, "");
  g_assert_cmpstr (adw_about_window_get_issue_url (about), ==, "");
  /* The credits of the language shown, or none where it has no catalog. */
  if (g_strcmp0 (credits, "translator-credits") == 0)
    g_assert_null (adw_about_window_get_translator_credits (about));
  else
    g_assert_cmpstr (adw_about_window_get_translator_credits (about), ==, credits);

  g_assert_true (bd_test_wait_until (is_mapped, about, BD_TEST_WIDGET_WAIT_MS));
  bd_test_save_screenshot_in_language (about, "about");

  /* Its Credits page (libadwaita 1.2's own action for its rows). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (about), "about.subpage", "s",
                                             "credits"));
  bd_test_assert_shows (about, _("The Billing Desk authors"));
  if (g_strcmp0 (credits, "translator-credits") != 0)
    bd_test_assert_shows (about, credits);
  bd_test_save_screenshot_in_language (about, "about-credits");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (about), "about.back", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (about), "about.subpage", "s", "legal"));
  bd_test_assert_shows (about, _("© 2026 The Billing Desk authors"));
  bd_test_save_screenshot_in_language (about, "about-legal");
  gtk_window_destroy (GTK_WINDOW (about));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);

  app = bd_test_register_application ();

  g_test_add ("/shortcuts/window-lists-what-the-app-answers", Fixture, NULL, fixture_set_up,
              test_shortcuts_window_lists_what_the_app_answers, fixture_tear_down);
  g_test_add ("/shortcuts/accessible-names", Fixture, NULL, fixture_set_up,
              test_accessible_names, fixture_tear_down);
  g_test_add ("/shortcuts/about", Fixture, NULL, fixture_set_up, test_about, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
