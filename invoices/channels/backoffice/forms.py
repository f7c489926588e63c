"""Forms of the agents' pages: searching received invoices, and one form per move."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.forms import DsfrBaseForm
from chorus.workflow import Transition
from chorus.workflow.core import COMMENT, MANDATE_NUMBER
from invoices.canonical import Invoice as Document
from invoices.enums import InvoiceStatus
from invoices.services import invoice_dispute_problems
from rejections.catalogue import (
    BY_DISRUPTION,
    OUTCOME_EFFECTS,
    least_disruptive_outcome,
)
from rejections.enums import Outcome
from rejections.models import Motive


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
    """A recipient's move that needs no motive (those start from the motive: DisputeForm):
    its fields are what the move requires in the workflow table (a mandate number), and a
    comment."""

    comment = forms.CharField(
        label=_("Commentaire"),
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
        if MANDATE_NUMBER not in transition.requires:
            del self.fields["mandate_number"]
        self.fields["comment"].required = COMMENT in transition.requires


def _motive_choice_label(motive: Motive) -> str:
    if motive.comment_required:
        return _("%(label)s (commentaire obligatoire)") % {"label": motive.label}
    return motive.label


class MotiveSelect(forms.Select):
    """Each motive carries the outcome proposed for it and why, for static/invoices/backoffice.js
    to preselect it; without JavaScript the server proposes it (DisputeForm.proposal)."""

    def __init__(self, *args, proposals: dict[str, tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = proposals or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.proposals:
            outcome, why = self.proposals[value]
            option["attrs"].update({"data-outcome": outcome, "data-why": why})
        return option


class DisputeForm(DsfrBaseForm):
    """The agent's send-back, starting from the motive: the outcomes offered are the moves
    possible now (`outcomes`, action names, suspend/send_back/reject), the one proposed is
    the least disruptive the motive allows. The lines and the amount in dispute are optional."""

    motive = forms.ChoiceField(
        label=_("Motif"),
        help_text=_("L'issue la moins pénalisante pour le fournisseur vous est proposée."),
        error_messages={"required": _("Choisissez un motif.")},
    )
    outcome = forms.ChoiceField(label=_("Issue"), required=False, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Commentaire"),
        help_text=_("Lu par le fournisseur : dites précisément ce qui manque ou ce qui ne va pas."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lines = forms.MultipleChoiceField(
        label=_("Lignes concernées"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Cette ligne n'est pas sur la facture.")},
    )
    disputed_amount = forms.DecimalField(
        label=_("Montant contesté"),
        help_text=_("En euros, TVA comprise, par exemple 120,50."),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=19,
        decimal_places=2,
        localize=True,
        error_messages={"invalid": _("Indiquez un montant, par exemple 120,50.")},
    )

    def __init__(self, *args, outcomes: list[str], document: Document, **kwargs):
        super().__init__(*args, prefix="dispute", **kwargs)
        self.outcomes = [o for o in BY_DISRUPTION if o in outcomes]
        self.motives = {
            m.code: m for m in Motive.objects.filter(active=True) if any(map(m.allows, outcomes))
        }
        proposals = {}
        for code, motive in self.motives.items():
            proposed = least_disruptive_outcome(motive, self.outcomes)
            proposals[code] = (proposed, str(OUTCOME_EFFECTS[proposed]))
        self.fields["motive"].widget = MotiveSelect(proposals=proposals)
        self.fields["motive"].choices = [("", _("Choisissez un motif"))] + [
            (m.code, _motive_choice_label(m)) for m in self.motives.values()
        ]
        self.fields["outcome"].choices = [(o, Outcome(o).label) for o in self.outcomes]
        self.fields["lines"].choices = [
            (line.id, _("Ligne %(id)s : %(item)s") % {"id": line.id, "item": line.item.name})
            for line in document.lines
        ]
        self.document = document

    def effects(self) -> list[tuple[str, str]]:
        """Each outcome offered and what it costs the supplier, least disruptive first."""
        return [(Outcome(o).label, OUTCOME_EFFECTS[o]) for o in self.outcomes]

    # Set on a form that comes back with the outcome proposed for the motive picked.
    proposed: str | None = None

    @property
    def proposal(self) -> dict | None:
        if self.proposed is None:
            return None
        return {"label": Outcome(self.proposed).label, "why": OUTCOME_EFFECTS[self.proposed]}

    def outcome_to_propose(self) -> str | None:
        """The outcome to propose for the motive chosen, when no outcome was picked yet."""
        data = self.cleaned_data
        motive = self.motives.get(data.get("motive"))
        if motive is None or data.get("outcome"):
            return None
        return least_disruptive_outcome(motive, self.outcomes)

    def clean_disputed_amount(self):
        amount = self.cleaned_data["disputed_amount"]
        problems = invoice_dispute_problems(
            document=self.document, lines=[], disputed_amount=amount
        )
        if problems:
            raise forms.ValidationError(problems["disputed_amount"])
        return amount
