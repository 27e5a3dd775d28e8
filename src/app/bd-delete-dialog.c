/* bd-delete-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-delete-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-delete-dialog.h"

/* Delete Subscription: a DELETE with If-Match and an Idempotency-Key. */
struct _BdDeleteDialog
{
  BdActionDialog  parent_instance;

  GtkEditable    *entry;
};

G_DEFINE_FINAL_TYPE (BdDeleteDialog, bd_delete_dialog, BD_TYPE_ACTION_DIALOG)

static void
on_entry_changed_cb (BdDeleteDialog *self)
{
  bd_action_dialog_form_changed (BD_ACTION_DIALOG (self));
}

static void
on_entry_activate_cb (BdDeleteDialog *self)
{
  bd_action_dialog_confirm (BD_ACTION_DIALOG (self));
}

/*
 * BdActionDialog overrides
 */

static void
bd_delete_dialog_prepare (BdActionDialog *dialog)
{
  BdDeleteDialog *self = BD_DELETE_DIALOG (dialog);

  /* Translators: a dialog heading; %s is a product name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (self), _("Delete %s?"),
                                     bd_action_dialog_get_data (dialog)->product_name);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                               _("SharePoint Online and OneDrive data are deleted at once, and "
                                 "this cannot be undone. Type the product name to confirm."));
  /* The product name is what the dialog asks for: typed at once. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->entry));
}

static gboolean
bd_delete_dialog_form_is_ready (BdActionDialog *dialog)
{
  BdDeleteDialog *self = BD_DELETE_DIALOG (dialog);

  return g_strcmp0 (gtk_editable_get_text (self->entry),
                    bd_action_dialog_get_data (dialog)->product_name) == 0;
}

static void
bd_delete_dialog_send (BdActionDialog      *dialog,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  const BdSubscriptionData *data = bd_action_dialog_get_data (dialog);

  bd_client_delete_async (bd_action_dialog_get_client (dialog), data->id, data->etag,
                          data->product_name, bd_action_dialog_get_idempotency_key (dialog),
                          cancellable, callback, user_data);
}

static char *
bd_delete_dialog_success_message (BdActionDialog *dialog)
{
  /* Translators: a toast; %s is a product name */
  return g_strdup_printf (_("%s deleted"), bd_action_dialog_get_data (dialog)->product_name);
}

/*
 * GObject overrides
 */

/* After no answer: a Deleted subscription is what was asked. */
static gboolean
bd_delete_dialog_request_holds (BdActionDialog *dialog)
{
  return bd_action_dialog_get_data (dialog)->status == BD_STATUS_DELETED;
}

static void
bd_delete_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BD_TYPE_DELETE_DIALOG);

  G_OBJECT_CLASS (bd_delete_dialog_parent_class)->dispose (object);
}

static void
bd_delete_dialog_class_init (BdDeleteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BdActionDialogClass *dialog_class = BD_ACTION_DIALOG_CLASS (klass);

  object_class->dispose = bd_delete_dialog_dispose;

  dialog_class->action = BD_ACTION_DELETE;
  dialog_class->keyed = TRUE;
  dialog_class->needs_etag = TRUE;
  dialog_class->prepare = bd_delete_dialog_prepare;
  dialog_class->form_is_ready = bd_delete_dialog_form_is_ready;
  dialog_class->send = bd_delete_dialog_send;
  dialog_class->request_holds = bd_delete_dialog_request_holds;
  dialog_class->success_message = bd_delete_dialog_success_message;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billingdesk/BillingDesk/"
                                               "bd-delete-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BdDeleteDialog, entry);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate_cb);
}

static void
bd_delete_dialog_init (BdDeleteDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * bd_delete_dialog_present:
 *
 * Delete Subscription: destructive; SharePoint Online and OneDrive data go
 * at once, so Delete is enabled only once the product name is typed
 * exactly.
 *
 * Returns: (transfer none): the dialog, shown
 */
GtkWindow *
bd_delete_dialog_present (GtkWindow        *parent,
                          BdClient         *client,
                          BdSubscription   *subscription,
                          BdActionDoneFunc  done,
                          gpointer          user_data)
{
  BdActionDialog *self;

  self = bd_action_dialog_new (BD_TYPE_DELETE_DIALOG, parent, client, subscription);
  if (self == NULL)
    return NULL;

  return bd_action_dialog_present (self, done, user_data);
}
