"""The bulk action bar of the inbox: one move, with one motive and comment for all, on the
invoices ticked (`scope=selection`) or on the whole current search (`scope=search`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.forms import DsfrBaseForm
from invoices.channels.backoffice.bulk import BULK_ACTIONS, MOTIVE_ACTIONS
from invoices.channels.pages import ACTION_LABELS
from rejections.catalogue import motive_check
from rejections.models import Motive

SELECTION, SEARCH = "selection", "search"


class BulkActionForm(DsfrBaseForm):
    action = forms.ChoiceField(
        label=_("Action"), error_messages={"required": _("Choisissez une action.")}
    )
    motive = forms.ChoiceField(
        label=_("Motif"),
        help_text=_("Obligatoire pour suspendre, renvoyer ou rejeter : le même pour toutes."),
        required=False,
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        help_text=_("Le même pour toutes les factures, lu par chaque fournisseur."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    scope = forms.ChoiceField(
        choices=[(SELECTION, SELECTION), (SEARCH, SEARCH)],
        required=False,
        widget=forms.HiddenInput,
    )
    # The inbox's query string when the bar was shown: "the whole search".
    search = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)

    def __init__(self, *args, invoice_ids: list[int] | None = None, **kwargs):
        super().__init__(*args, prefix="bulk", **kwargs)
        self.invoice_ids = invoice_ids or []
        self.fields["action"].choices = [("", _("Choisissez une action"))] + [
            (action, ACTION_LABELS[action]) for action in BULK_ACTIONS
        ]
        self.fields["motive"].choices = [("", _("Aucun motif"))] + [
            (m.code, m.label)
            for m in Motive.objects.filter(active=True)
            if any(m.allows(action) for action in MOTIVE_ACTIONS)
        ]

    def clean(self):
        data = super().clean()
        action, motive = data.get("action"), data.get("motive", "")
        if action in MOTIVE_ACTIONS:
            if not motive:
                self.add_error("motive", _("Choisissez le motif, commun à toutes les factures."))
            else:
                error = motive_check(action, motive, data.get("comment", ""))
                if error:
                    self.add_error("motive", error)
        if (data.get("scope") or SELECTION) == SELECTION and not self.invoice_ids:
            self.add_error(
                None,
                _(
                    "Cochez au moins une facture dans la liste, ou appliquez l'action à toute "
                    "la recherche."
                ),
            )
        return data


def bulk_bar_context(query: str, bulk: BulkActionForm | None = None) -> dict:
    """What the inbox template needs for the bulk bar (_bulk_bar.html) and the export
    button: the form (blank, carrying the search; or `bulk`, posted with its errors) and
    the search's query string (without the page's cursor)."""
    return {
        "bulk": bulk or BulkActionForm(initial={"search": query}),
        "search_query": query,
    }
