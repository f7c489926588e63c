"""Forms of the agents' pages: searching received invoices, and one form per move."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.forms import DsfrBaseForm
from chorus.workflow import Transition
from chorus.workflow.core import COMMENT, MANDATE_NUMBER, MOTIVE
from invoices.enums import InvoiceStatus
from rejections.catalogue import motives_for


class ReceivedSearchForm(DsfrBaseForm):
    number = forms.CharField(label=_("Numéro de facture"), max_length=200, required=False)
    supplier = forms.CharField(
        label=_("Fournisseur"), help_text=_("Nom ou SIRET"), max_length=250, required=False
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[("", _("Tous les statuts"))] + InvoiceStatus.choices,
        required=False,
    )
    date_from = forms.DateField(
        label=_("Émise à partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Émise jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ProcessForm(DsfrBaseForm):
    """A recipient's move: its fields are what the move requires in the workflow table (a
    motive from the catalogue for that outcome, a mandate number), and a comment."""

    motive = forms.ChoiceField(
        label=_("Motif"), error_messages={"required": _("Choisissez un motif.")}
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        help_text=_("Lu par le fournisseur : dites précisément ce qui manque ou ce qui ne va pas."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Ajoutez un commentaire.")},
    )
    mandate_number = forms.CharField(
        label=_("Numéro de mandat"),
        max_length=50,
        error_messages={"required": _("Indiquez le numéro de mandat.")},
    )

    def __init__(self, *args, transition: Transition, **kwargs):
        # One form per move on the page: the prefix keeps their fields' ids apart.
        super().__init__(*args, prefix=transition.action, **kwargs)
        self.transition = transition
        requires = transition.requires
        if MOTIVE in requires:
            self.fields["motive"].choices = [("", _("Choisissez un motif"))] + [
                (
                    m.code,
                    _("%(label)s (commentaire obligatoire)") % {"label": m.label}
                    if m.comment_required
                    else m.label,
                )
                for m in motives_for(transition.action)
            ]
        else:
            del self.fields["motive"]
        if MANDATE_NUMBER not in requires:
            del self.fields["mandate_number"]
        self.fields["comment"].required = COMMENT in requires
