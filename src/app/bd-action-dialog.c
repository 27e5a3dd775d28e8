/* bd-action-dialog.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-action-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-action-dialog-private.h"
#include "bd-blocker-text.h"

/* AdwMessageDialog closes itself whenever a response is activated (1.2
 * closes it before emitting "response") and on Escape. These dialogs must
 * stay open while a request is in flight and after a refusal, so every
 * close-request is refused (after the parent class has turned Escape into
 * the close response), and the dialog is destroyed only in response ():
 * when it is dismissed, or after a success.
 */
G_DEFINE_TYPE_WITH_PRIVATE (BdActionDialog, bd_action_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_SUBSCRIPTION,
  PROP_FORM,
  PROP_PRIMARY_RESPONSE,
  PROP_PRIMARY_LABEL,
  PROP_PRIMARY_APPEARANCE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

BdActionDialogPrivate *
_bd_action_dialog_get_private (BdActionDialog *self)
{
  return bd_action_dialog_get_instance_private (self);
}

/* Whether the primary response may be sent: allowed now, and the form says
 * something to send.
 */
gboolean
_bd_action_dialog_form_is_ready (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);
  BdActionDialogClass *klass = BD_ACTION_DIALOG_GET_CLASS (self);

  if (bd_subscription_get_action_blocker (priv->subscription, klass->action) != BD_BLOCKER_NONE)
    return FALSE;

  return klass->form_is_ready == NULL || klass->form_is_ready (self);
}

static void
update_responses (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);
  gboolean busy = bd_action_dialog_get_busy (self);

  if (!priv->has_responses)
    return;

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "cancel", !busy);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), priv->primary_response,
                                           !busy && _bd_action_dialog_form_is_ready (self));
}

void
_bd_action_dialog_show_error (BdActionDialog *self,
                              const char     *message)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  /* What may have happened is a warning; what did not, an error. */
  const char *unknown[] = { "warning", NULL };
  const char *refused[] = { "error", NULL };

  gtk_label_set_label (priv->error_label, message != NULL ? message : "");
  gtk_widget_set_css_classes (GTK_WIDGET (priv->error_label),
                              bd_change_attempt_get_outcome_unknown (priv->attempt)
                              ? unknown : refused);
  gtk_widget_set_visible (GTK_WIDGET (priv->error_label), message != NULL);
}

/* Shows the subscription as it is now: after opening, and after a read. */
void
_bd_action_dialog_refresh_form (BdActionDialog *self)
{
  BdActionDialogClass *klass = BD_ACTION_DIALOG_GET_CLASS (self);

  if (klass->refresh != NULL)
    klass->refresh (self);

  update_responses (self);
}

/* Busy: the attempt's read or request, or the read after a refusal. */
void
_bd_action_dialog_update_busy (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);
  gboolean busy = bd_action_dialog_get_busy (self);

  gtk_widget_set_visible (GTK_WIDGET (priv->spinner), busy);
  gtk_spinner_set_spinning (priv->spinner, busy);
  if (priv->form != NULL)
    gtk_widget_set_sensitive (priv->form, !busy);
  update_responses (self);
}

/* The action is not possible now: say why, and offer only Close. */
static void
show_blocked (BdActionDialog *self,
              BdBlocker       blocker)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  g_autofree char *why = NULL;

  why = bd_blocker_text_for_dialog (bd_action_dialog_get_data (self),
                                    BD_ACTION_DIALOG_GET_CLASS (self)->action, blocker);
  adw_message_dialog_set_body (dialog, why);
  adw_message_dialog_set_extra_child (dialog, NULL);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
}

/* Cancel and the primary response; Enter never confirms a destructive one. */
static void
add_responses (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    priv->primary_response, priv->primary_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, priv->primary_response,
                                              priv->primary_appearance);
  adw_message_dialog_set_default_response (dialog,
                                           priv->primary_appearance == ADW_RESPONSE_DESTRUCTIVE
                                           ? "cancel" : priv->primary_response);
  adw_message_dialog_set_close_response (dialog, "cancel");
  priv->has_responses = TRUE;
}

/* The subclass's form goes above the spinner and the errors. */
static void
set_form (BdActionDialog *self,
          GtkWidget      *form)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  g_return_if_fail (priv->form == NULL);

  priv->form = form;
  if (form != NULL)
    gtk_box_prepend (priv->content_box, form);
}

/*
 * Callbacks
 */

/* After no answer, the primary response checks what happened: it resends
 * the same request (same key), or for a PATCH reads the subscription first.
 */
static void
on_attempt_notify_check_again_cb (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  if (!priv->has_responses)
    return;

  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), priv->primary_response,
                                         bd_change_attempt_get_check_again (priv->attempt)
                                         ? C_("response", "_Check Again")
                                         : priv->primary_label);
}

/*
 * GObject overrides
 */

static void
bd_action_dialog_response (AdwMessageDialog *dialog,
                           const char       *response)
{
  BdActionDialog *self = BD_ACTION_DIALOG (dialog);
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  /* Escape while a request is in flight: it is never abandoned. */
  if (bd_action_dialog_get_busy (self))
    return;

  if (priv->has_responses && g_strcmp0 (response, priv->primary_response) == 0)
    {
      if (_bd_action_dialog_form_is_ready (self))
        _bd_action_dialog_start (self);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
bd_action_dialog_close_request (GtkWindow *window)
{
  /* The parent class turns it into the close response; response ()
   * decides, and destroys the dialog itself.
   */
  GTK_WINDOW_CLASS (bd_action_dialog_parent_class)->close_request (window);

  return TRUE;
}

static void
bd_action_dialog_constructed (GObject *object)
{
  BdActionDialog *self = BD_ACTION_DIALOG (object);
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);
  BdActionDialogClass *klass = BD_ACTION_DIALOG_GET_CLASS (self);

  G_OBJECT_CLASS (bd_action_dialog_parent_class)->constructed (object);

  /* Here, not in init: only now is the class the subclass's. */
  priv->attempt = bd_change_attempt_new (klass->keyed, FALSE);
  g_signal_connect_swapped (priv->attempt, "notify::busy",
                            G_CALLBACK (_bd_action_dialog_update_busy), self);
  g_signal_connect_swapped (priv->attempt, "notify::check-again",
                            G_CALLBACK (on_attempt_notify_check_again_cb), self);
}

static void
bd_action_dialog_dispose (GObject *object)
{
  BdActionDialog *self = BD_ACTION_DIALOG (object);
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  if (!priv->finished)
    {
      priv->finished = TRUE;
      if (priv->done != NULL)
        priv->done (priv->subscription, NULL, priv->user_data);
    }

  if (priv->attempt != NULL)
    g_signal_handlers_disconnect_by_data (priv->attempt, self);
  g_clear_object (&priv->attempt);
  /* Not gtk_widget_dispose_template (): GTK 4.8's tears down the template
   * of the instance's class, the subclass's, whatever type it is given,
   * and aborts on the first child it then can't find. This template's
   * children are unowned (the extra child belongs to AdwMessageDialog);
   * the template's own references go when the widget is finalized.
   */
  priv->form = NULL;
  priv->content_box = NULL;
  priv->spinner = NULL;
  priv->error_label = NULL;
  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->client);
  g_clear_object (&priv->subscription);

  G_OBJECT_CLASS (bd_action_dialog_parent_class)->dispose (object);
}

static void
bd_action_dialog_finalize (GObject *object)
{
  BdActionDialog *self = BD_ACTION_DIALOG (object);
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  g_free (priv->primary_response);
  g_free (priv->primary_label);
  g_free (priv->sent_etag);

  G_OBJECT_CLASS (bd_action_dialog_parent_class)->finalize (object);
}

static void
bd_action_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BdActionDialog *self = BD_ACTION_DIALOG (object);
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, priv->client);
      break;
    case PROP_SUBSCRIPTION:
      g_value_set_object (value, priv->subscription);
      break;
    case PROP_FORM:
      g_value_set_object (value, priv->form);
      break;
    case PROP_PRIMARY_RESPONSE:
      g_value_set_string (value, priv->primary_response);
      break;
    case PROP_PRIMARY_LABEL:
      g_value_set_string (value, priv->primary_label);
      break;
    case PROP_PRIMARY_APPEARANCE:
      g_value_set_enum (value, priv->primary_appearance);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_action_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BdActionDialog *self = BD_ACTION_DIALOG (object);
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CLIENT:
      priv->client = g_value_dup_object (value);
      break;
    case PROP_SUBSCRIPTION:
      priv->subscription = g_value_dup_object (value);
      break;
    case PROP_FORM:
      set_form (self, g_value_get_object (value));
      break;
    case PROP_PRIMARY_RESPONSE:
      g_free (priv->primary_response);
      priv->primary_response = g_value_dup_string (value);
      break;
    case PROP_PRIMARY_LABEL:
      g_free (priv->primary_label);
      priv->primary_label = g_value_dup_string (value);
      break;
    case PROP_PRIMARY_APPEARANCE:
      priv->primary_appearance = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bd_action_dialog_class_init (BdActionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  /* Set once, by the subclass's template. */
  GParamFlags once = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = bd_action_dialog_constructed;
  object_class->dispose = bd_action_dialog_dispose;
  object_class->finalize = bd_action_dialog_finalize;
  object_class->get_property = bd_action_dialog_get_property;
  object_class->set_property = bd_action_dialog_set_property;
  window_class->close_request = bd_action_dialog_close_request;
  dialog_class->response = bd_action_dialog_response;

  properties [PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BD_TYPE_CLIENT, construct);
  properties [PROP_SUBSCRIPTION] =
    g_param_spec_object ("subscription", NULL, NULL, BD_TYPE_SUBSCRIPTION, construct);
  properties [PROP_FORM] =
    g_param_spec_object ("form", NULL, NULL, GTK_TYPE_WIDGET, once);
  properties [PROP_PRIMARY_RESPONSE] =
    g_param_spec_string ("primary-response", NULL, NULL, NULL, once);
  properties [PROP_PRIMARY_LABEL] =
    g_param_spec_string ("primary-label", NULL, NULL, NULL, once);
  properties [PROP_PRIMARY_APPEARANCE] =
    g_param_spec_enum ("primary-appearance", NULL, NULL, ADW_TYPE_RESPONSE_APPEARANCE,
                       ADW_RESPONSE_SUGGESTED, once);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/billingdesk/BillingDesk/"
                                               "bd-action-dialog.ui");
  gtk_widget_class_bind_template_child_private (widget_class, BdActionDialog, content_box);
  gtk_widget_class_bind_template_child_private (widget_class, BdActionDialog, spinner);
  gtk_widget_class_bind_template_child_private (widget_class, BdActionDialog, error_label);
}

static void
bd_action_dialog_init (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  priv->primary_appearance = ADW_RESPONSE_SUGGESTED;
  priv->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/*
 * Public API
 */

/**
 * bd_action_dialog_new:
 * @type: a subclass of #BdActionDialog
 * @parent: (nullable): the window the dialog is transient for
 * @client: the client that sends the request
 * @subscription: the subscription, updated in place on success
 *
 * Returns: (transfer none): a new dialog, not shown yet; the list of
 *   toplevels owns it
 */
BdActionDialog *
bd_action_dialog_new (GType           type,
                      GtkWindow      *parent,
                      BdClient       *client,
                      BdSubscription *subscription)
{
  g_return_val_if_fail (g_type_is_a (type, BD_TYPE_ACTION_DIALOG), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BD_IS_CLIENT (client), NULL);
  g_return_val_if_fail (BD_IS_SUBSCRIPTION (subscription), NULL);

  return g_object_new (type,
                       "transient-for", parent,
                       "client", client,
                       "subscription", subscription,
                       NULL);
}

/**
 * bd_action_dialog_present:
 * @done: (nullable): called once, when the dialog closes
 *
 * Shows the form, or why the action can't be done now.
 *
 * Returns: (transfer none): @self, shown
 */
GtkWindow *
bd_action_dialog_present (BdActionDialog   *self,
                          BdActionDoneFunc  done,
                          gpointer          user_data)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);
  BdActionDialogClass *klass;
  BdBlocker blocker;

  g_return_val_if_fail (BD_IS_ACTION_DIALOG (self), NULL);
  g_return_val_if_fail (priv->primary_response != NULL && priv->primary_label != NULL, NULL);

  klass = BD_ACTION_DIALOG_GET_CLASS (self);
  priv->done = done;
  priv->user_data = user_data;

  blocker = bd_subscription_get_action_blocker (priv->subscription, klass->action);
  if (blocker != BD_BLOCKER_NONE)
    {
      show_blocked (self, blocker);
    }
  else
    {
      add_responses (self);
      if (klass->prepare != NULL)
        klass->prepare (self);
      _bd_action_dialog_refresh_form (self);
    }

  gtk_window_present (GTK_WINDOW (self));

  return GTK_WINDOW (self);
}

BdClient *
bd_action_dialog_get_client (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  g_return_val_if_fail (BD_IS_ACTION_DIALOG (self), NULL);

  return priv->client;
}

const BdSubscriptionData *
bd_action_dialog_get_data (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  g_return_val_if_fail (BD_IS_ACTION_DIALOG (self), NULL);

  return bd_subscription_get_data (priv->subscription);
}

/**
 * bd_action_dialog_get_idempotency_key:
 *
 * Returns: (nullable): the key a keyed request is sent with: the same for
 *   Check Again
 */
const char *
bd_action_dialog_get_idempotency_key (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  g_return_val_if_fail (BD_IS_ACTION_DIALOG (self), NULL);

  return bd_change_attempt_get_idempotency_key (priv->attempt);
}

/**
 * bd_action_dialog_get_busy:
 *
 * Returns: whether a request (or the read before or after it) is in flight
 */
gboolean
bd_action_dialog_get_busy (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  g_return_val_if_fail (BD_IS_ACTION_DIALOG (self), FALSE);

  return priv->reloading || (priv->attempt != NULL && bd_change_attempt_get_busy (priv->attempt));
}

/**
 * bd_action_dialog_form_changed:
 *
 * For a subclass: the form changed; the primary response follows it.
 */
void
bd_action_dialog_form_changed (BdActionDialog *self)
{
  g_return_if_fail (BD_IS_ACTION_DIALOG (self));

  update_responses (self);
}

/**
 * bd_action_dialog_confirm:
 *
 * For a subclass: the primary response, as if pressed (Enter in an
 * entry), when the form is ready and nothing is in flight.
 */
void
bd_action_dialog_confirm (BdActionDialog *self)
{
  BdActionDialogPrivate *priv = bd_action_dialog_get_instance_private (self);

  g_return_if_fail (BD_IS_ACTION_DIALOG (self));

  if (priv->has_responses && !bd_action_dialog_get_busy (self) &&
      _bd_action_dialog_form_is_ready (self))
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), priv->primary_response);
}

/**
 * bd_action_dialogs_busy_for:
 * @parent: a window the dialogs are transient for
 *
 * Returns: whether a dialog of @parent has a request in flight, which must
 *   not be abandoned by closing @parent (docs/design.md section 4)
 */
gboolean
bd_action_dialogs_busy_for (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_return_val_if_fail (GTK_IS_WINDOW (parent), FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (BD_IS_ACTION_DIALOG (window) && bd_action_dialog_get_busy (BD_ACTION_DIALOG (window)) &&
          gtk_window_get_transient_for (window) == parent)
        return TRUE;
    }

  return FALSE;
}
