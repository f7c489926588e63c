"""What the supplier's and the agent's invoice pages share: the invoice's data as shown, the
labels of the moves, and how a refused move lands on the page (chorus.workflow)."""

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chorus.workflow import TransitionRefused
from invoices import codes
from invoices.enums import InvoiceStatus
from invoices.formats.facturx import money
from invoices.models import Invoice

# The button of each move a person makes on an invoice (invoices.workflow action names).
ACTION_LABELS = {
    "suspend": _("Suspendre"),
    "send_back": _("Renvoyer pour recyclage"),
    "reject": _("Rejeter"),
    "certify": _("Certifier le service fait"),
    "mandate": _("Mandater"),
    "hand_to_accountant": _("Mettre à disposition du comptable"),
    "record": _("Comptabiliser"),
    "pay": _("Mettre en paiement"),
    "complete": _("Compléter la facture"),
    "recycle": _("Recycler la facture"),
    "acknowledge": _("Prendre connaissance du rejet"),
}

S = InvoiceStatus
# What happens next, as the supplier's invoice page says under its status (the statuses where
# the supplier has to act show their form instead).
SUPPLIER_NEXT_STEPS = {
    S.DEPOSEE: _("La plateforme achemine la facture vers son destinataire."),
    S.EN_COURS_ACHEMINEMENT: _(
        "La facture est transmise au système du destinataire, qui la reçoit dans les minutes "
        "qui viennent."
    ),
    S.MISE_A_DISPOSITION: _(
        "Le destinataire a reçu la facture : il va constater le service fait, puis la mandater "
        "pour paiement. S'il la suspend, la renvoie ou la rejette, vous êtes prévenu par e-mail."
    ),
    S.COMPLETEE: _("Vos compléments sont transmis : le destinataire reprend son traitement."),
    S.SERVICE_FAIT: _("Le service fait est constaté : la facture va être mandatée pour paiement."),
    S.MANDATEE: _("La facture est mandatée : le comptable public va la payer."),
    S.MISE_A_DISPOSITION_COMPTABLE: _("La facture est chez le comptable public, qui va la payer."),
    S.COMPTABILISEE: _("Le comptable public a enregistré la facture : le paiement suit."),
    S.MISE_EN_PAIEMENT: _(
        "Le paiement est parti : il arrive sur votre compte sous quelques jours."
    ),
    S.REJETEE: _(
        "Le destinataire a rejeté la facture (motif dans l'historique) : elle ne sera pas "
        "payée. Émettez une nouvelle facture, avec un nouveau numéro."
    ),
}

# The form field a refusal of the workflow core is about (the others concern the whole move).
REFUSAL_FIELDS = {
    "missing_motive": "motive",
    "bad_motive": "motive",
    "missing_comment": "comment",
    "missing_mandate_number": "mandate_number",
    "missing_attachment": "attachments",
}


def refusal_on_form(refused: TransitionRefused, form: forms.Form) -> bool:
    """Puts a refusal on the form field it is about; False when it concerns the whole move
    (wrong role or status, someone else was first): the page shows it as an alert."""
    field = REFUSAL_FIELDS.get(refused.code)
    if field is None or field not in form.fields:
        return False
    form.add_error(field, refused.message)
    return True


def invoice_data(invoice: Invoice) -> dict:
    """The canonical document with its lines, VAT breakdown and totals formatted."""
    document = invoice.canonical
    currency = document.currency
    return {
        "document": document,
        "lines": [
            {
                "line": line,
                "price": money(line.price.net_price, currency),
                "amount": money(line.net_amount, currency),
                "vat": codes.vat_label(line.vat_category_code, line.vat_rate),
            }
            for line in document.lines
        ],
        "vat_breakdown": [
            {
                "group": group,
                "base": money(group.taxable_amount, currency),
                "tax": money(group.tax_amount, currency),
            }
            for group in document.vat_breakdown
        ],
        "totals": {
            "without_vat": money(document.totals.tax_exclusive_amount, currency),
            "vat": money(document.totals.vat_total, currency),
            "with_vat": money(document.totals.tax_inclusive_amount, currency),
            "due": money(document.totals.amount_due, currency),
        },
    }


def invoice_links(invoice: Invoice, *, visible: QuerySet[Invoice], url_name: str) -> dict:
    """The previous and next documents of a correction: the rejected invoice this one
    replaces and the invoices that correct it, each with its page's URL when the reader
    may open it (`visible`), as `replaced` and `corrections`."""
    linked = []
    if invoice.replaces_id:
        linked.append(invoice.replaces_id)
    corrections = list(invoice.corrections.order_by("created_at", "pk").only("pk", "number"))
    linked += [correction.pk for correction in corrections]
    readable = set(visible.filter(pk__in=linked).values_list("pk", flat=True)) if linked else set()

    def entry(pk: int, number: str) -> dict:
        return {"number": number, "url": reverse(url_name, args=[pk]) if pk in readable else ""}

    replaced = None
    if invoice.replaces_id:
        number = Invoice.objects.filter(pk=invoice.replaces_id).values_list("number", flat=True)
        replaced = entry(invoice.replaces_id, number.first() or "")
    return {
        "replaced": replaced,
        "corrections": [entry(correction.pk, correction.number) for correction in corrections],
    }
