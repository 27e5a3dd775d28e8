/* bd-blocker-card.c
 *
 * SPDX-FileCopyrightText: 2026 The Billing Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bd-blocker-card"

#include "config.h"

#include <glib/gi18n.h>

#include "bd-blocker-card.h"
#include "bd-blocker-text.h"
#include "bd-format.h"

/* Microsoft's links: the admin centre's differ by cloud (rule 16). */
#define LINK_YOUR_PRODUCTS_WORLDWIDE "https://go.microsoft.com/fwlink/p/?linkid=842054"
#define LINK_YOUR_PRODUCTS_21VIANET  "https://go.microsoft.com/fwlink/p/?linkid=850626"
#define LINK_REMOVE_DOMAIN \
  "https://learn.microsoft.com/microsoft-365/admin/get-help-with-domains/remove-a-domain"
#define LINK_GET_SUPPORT     "https://learn.microsoft.com/microsoft-365/admin/get-help-support"

struct _BdBlockerCard
{
  GtkWidget   parent_instance;

  /* The last widget shown, after which the next alternative goes. */
  GtkWidget  *last;

  GtkBox     *box;
  GtkLabel   *sentence_label;
  GtkLabel   *assigned_label;
  GtkWidget  *turn_off_box;
  GtkSpinner *turn_off_spinner;
  GtkWidget  *turn_off_button;
  GtkLabel   *turn_off_label;
  GtkLabel   *turn_off_result;
  GtkWidget  *reduce_button;
  GtkLabel   *reduce_label;
  GtkWidget  *remove_domain_label;
  GtkWidget  *remove_domain_link;
  GtkWidget  *contact_seller_label;
  GtkWidget  *your_products_link;
  GtkWidget  *contact_support_label;
  GtkWidget  *support_link;
  GtkWidget  *reactivate_button;
};

G_DEFINE_FINAL_TYPE (BdBlockerCard, bd_blocker_card, GTK_TYPE_WIDGET)

static void
set_sentences (BdBlockerCard            *self,
               BdBlocker                 blocker,
               const BdSubscriptionData *data,
               gint64                    window_end)
{
  g_autofree char *text = bd_blocker_text_for_cancel_pane (data, blocker, window_end);
  g_autofree char *turn_off = NULL;
  g_autofree char *reduce = NULL;
  g_autofree char *term_end = bd_format_date (data->term_end_date);
  g_autofree char *most = bd_format_count (BD_MAX_LICENSES_TO_CANCEL);

  gtk_label_set_label (self->sentence_label, text);

  /* Licenses assigned to users can't be removed: unassign them first. */
  if (blocker == BD_BLOCKER_TOO_MANY_LICENSES &&
      data->assigned_licenses > BD_MAX_LICENSES_TO_CANCEL)
    {
      g_autofree char *count = bd_format_count (data->assigned_licenses);
      g_autofree char *assigned = NULL;

      /* Translators: %s is the number of licenses assigned to users */
      assigned = g_strdup_printf (ngettext ("%s license is assigned to users. Unassign "
                                            "licenses first, so that fewer can be kept.",
                                            "%s licenses are assigned to users. Unassign "
                                            "licenses first, so that fewer can be kept.",
                                            data->assigned_licenses),
                                  count);
      gtk_label_set_label (self->assigned_label, assigned);
      gtk_widget_set_visible (GTK_WIDGET (self->assigned_label), TRUE);
    }

  /* Translators: %s is the date the current term ends */
  turn_off = g_strdup_printf (_("Access continues until %s; nothing more is charged after "
                                "that."), term_end);
  gtk_label_set_label (self->turn_off_label, turn_off);

  /* Translators: %s is 25, the most licenses a subscription without
   * a billing profile may have to be cancelled */
  reduce = g_strdup_printf (ngettext ("Remove licenses until %s or fewer are left; then you "
                                      "can cancel.",
                                      "Remove licenses until %s or fewer are left; then you "
                                      "can cancel.", BD_MAX_LICENSES_TO_CANCEL),
                            most);
  gtk_label_set_label (self->reduce_label, reduce);
}

static void
show_turn_off_result (BdBlockerCard *self,
                      const char    *text,
                      const char    *css_class)
{
  const char *classes[] = { css_class, NULL };

  gtk_label_set_label (self->turn_off_result, text);
  gtk_widget_set_css_classes (GTK_WIDGET (self->turn_off_result), classes);
  gtk_widget_set_visible (GTK_WIDGET (self->turn_off_result), text != NULL);
}

/*
 * GObject overrides
 */

static void
bd_blocker_card_dispose (GObject *object)
{
  BdBlockerCard *self = (BdBlockerCard *)object;

  self->last = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), BD_TYPE_BLOCKER_CARD);

  G_OBJECT_CLASS (bd_blocker_card_parent_class)->dispose (object);
}

static void
bd_blocker_card_class_init (BdBlockerCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bd_blocker_card_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/billingdesk/BillingDesk/bd-blocker-card.ui");
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, box);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, sentence_label);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, assigned_label);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, turn_off_box);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, turn_off_spinner);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, turn_off_button);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, turn_off_label);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, turn_off_result);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, reduce_button);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, reduce_label);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, remove_domain_label);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, remove_domain_link);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, contact_seller_label);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, your_products_link);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, contact_support_label);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, support_link);
  gtk_widget_class_bind_template_child (widget_class, BdBlockerCard, reactivate_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bdblockercard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
bd_blocker_card_init (BdBlockerCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->last = GTK_WIDGET (self->assigned_label);
  gtk_link_button_set_uri (GTK_LINK_BUTTON (self->remove_domain_link), LINK_REMOVE_DOMAIN);
  gtk_link_button_set_uri (GTK_LINK_BUTTON (self->support_link), LINK_GET_SUPPORT);
}

/*
 * Public API
 */

/**
 * bd_blocker_card_new:
 * @blocker: what stops the cancel
 * @data: the subscription, for the numbers and dates the sentences say
 * @window_end: the end of the refund window, or %BD_TIME_NONE
 * @cloud: the tenant's cloud, for the admin centre's links
 *
 * Returns: (transfer floating): a card that says why, with no alternative yet
 */
BdBlockerCard *
bd_blocker_card_new (BdBlocker                 blocker,
                     const BdSubscriptionData *data,
                     gint64                    window_end,
                     BdCloud                   cloud)
{
  BdBlockerCard *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (BD_TYPE_BLOCKER_CARD, NULL);
  set_sentences (self, blocker, data, window_end);
  gtk_link_button_set_uri (GTK_LINK_BUTTON (self->your_products_link),
                           cloud == BD_CLOUD_21VIANET ? LINK_YOUR_PRODUCTS_21VIANET
                                                      : LINK_YOUR_PRODUCTS_WORLDWIDE);
  return self;
}

/**
 * bd_blocker_card_add_alternative:
 * @suggested: whether it is the first alternative the pane offers; a button
 *   is then the suggested action
 *
 * Shows @alternative after those added before it: a button, or a link after
 * a sentence that says what it is for.
 */
void
bd_blocker_card_add_alternative (BdBlockerCard *self,
                                 BdAlternative  alternative,
                                 gboolean       suggested)
{
  GtkWidget *widgets[2] = { NULL, NULL };
  GtkWidget *button = NULL;

  g_return_if_fail (BD_IS_BLOCKER_CARD (self));

  switch (alternative)
    {
    case BD_ALTERNATIVE_TURN_OFF_RECURRING_BILLING:
      /* Its result, hidden until there is one, follows it. */
      widgets[0] = self->turn_off_box;
      widgets[1] = GTK_WIDGET (self->turn_off_result);
      button = self->turn_off_button;
      break;
    case BD_ALTERNATIVE_REDUCE_LICENSES:
      widgets[0] = button = self->reduce_button;
      widgets[1] = GTK_WIDGET (self->reduce_label);
      break;
    case BD_ALTERNATIVE_REMOVE_DOMAIN:
      widgets[0] = self->remove_domain_label;
      widgets[1] = self->remove_domain_link;
      break;
    case BD_ALTERNATIVE_CONTACT_SELLER:
      widgets[0] = self->contact_seller_label;
      widgets[1] = self->your_products_link;
      break;
    case BD_ALTERNATIVE_CONTACT_SUPPORT:
      widgets[0] = self->contact_support_label;
      widgets[1] = self->support_link;
      break;
    case BD_ALTERNATIVE_REACTIVATE:
      widgets[0] = button = self->reactivate_button;
      break;
    default:
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (widgets) && widgets[i] != NULL; i++)
    {
      gtk_box_reorder_child_after (self->box, widgets[i], self->last);
      self->last = widgets[i];
      if (widgets[i] != GTK_WIDGET (self->turn_off_result))
        gtk_widget_set_visible (widgets[i], TRUE);
    }

  if (suggested && button != NULL)
    gtk_widget_add_css_class (button, "suggested-action");
}

/**
 * bd_blocker_card_get_offers_turn_off:
 *
 * Returns: whether Turn Off Recurring Billing is shown
 */
gboolean
bd_blocker_card_get_offers_turn_off (BdBlockerCard *self)
{
  g_return_val_if_fail (BD_IS_BLOCKER_CARD (self), FALSE);

  return gtk_widget_get_visible (self->turn_off_box);
}

/**
 * bd_blocker_card_set_turning_off:
 *
 * Shows a spinner by Turn Off Recurring Billing while its change is on its
 * way.
 */
void
bd_blocker_card_set_turning_off (BdBlockerCard *self,
                                 gboolean       turning_off)
{
  g_return_if_fail (BD_IS_BLOCKER_CARD (self));

  gtk_widget_set_visible (GTK_WIDGET (self->turn_off_spinner), turning_off);
  gtk_spinner_set_spinning (self->turn_off_spinner, turning_off);
}

/**
 * bd_blocker_card_show_turned_off:
 * @term_end: the end of the current term, when access ends
 *
 * Recurring billing is off: the button goes, and a sentence says so.
 */
void
bd_blocker_card_show_turned_off (BdBlockerCard *self,
                                 gint64         term_end)
{
  g_autofree char *date = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (BD_IS_BLOCKER_CARD (self));

  date = bd_format_date (term_end);
  /* Translators: %s is the date the current term ends */
  text = g_strdup_printf (_("Recurring billing is off. Access continues until %s; nothing "
                            "more is charged after that."), date);
  gtk_widget_set_visible (self->turn_off_box, FALSE);
  show_turn_off_result (self, text, NULL);
}

/**
 * bd_blocker_card_show_turn_off_error:
 * @message: (nullable): why turning it off failed, or %NULL to say nothing
 */
void
bd_blocker_card_show_turn_off_error (BdBlockerCard *self,
                                     const char    *message)
{
  g_return_if_fail (BD_IS_BLOCKER_CARD (self));

  show_turn_off_result (self, message, "error");
}
