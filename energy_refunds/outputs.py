"""What the refunds produce: the decision letter (PDF), the instructors' statistics and the
CSV of validated requests for payment."""

import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from chorus.spreadsheets import csv_writer, spreadsheet_cell
from energy_refunds.amounts import ZERO
from energy_refunds.enums import Product, RefundStatus
from energy_refunds.models import RefundRequest
from energy_refunds.selectors import departement_of, request_amounts, requests_amounts
from rejections.models import Motive

DECIDED = (
    RefundStatus.VALIDEE,
    RefundStatus.REJETEE,
    RefundStatus.MISE_EN_PAIEMENT,
    RefundStatus.PAYEE,
)


def decision_letter_pdf(request: RefundRequest) -> bytes:
    """The DDFiP's decision on a request (validated, rejected or paid), as a PDF: an official
    letter, in French whatever the reader's language."""
    with translation.override("fr"):
        return _decision_letter_pdf(request)


def _decision_letter_pdf(request: RefundRequest) -> bytes:
    decision = request.changes.filter(
        target__in=(RefundStatus.VALIDEE, RefundStatus.REJETEE)
    ).last()
    motive = (
        Motive.objects.filter(pk=decision.motive).first() if decision and decision.motive else None
    )
    html = render_to_string(
        "energy_refunds/decision_letter_pdf.html",
        {
            "request": request,
            "beneficiary": request.beneficiary.structure,
            "instructor": request.instructor,
            "amounts": request_amounts(request),
            "decision": decision,
            "motive": motive,
            "rejected": request.status == RefundStatus.REJETEE,
            "today": timezone.localdate(),
        },
    )
    return HTML(string=html).write_pdf()


def statistics(requests: QuerySet[RefundRequest]) -> dict:
    """Requests and amounts by product, by département and by status. Amounts are those
    decided for validated requests, those claimed for the others."""
    by_status: dict[str, list] = defaultdict(lambda: [0, ZERO])
    by_departement: dict[str, list] = defaultdict(lambda: [0, ZERO])
    by_product: dict[str, list] = defaultdict(lambda: [0, Decimal("0"), ZERO])
    for request, amounts in requests_amounts(
        requests.select_related("beneficiary__structure").prefetch_related("invoices")
    ):
        departement = departement_of(request.beneficiary.structure.postcode) or "?"
        for table, key in ((by_status, request.status), (by_departement, departement)):
            table[key][0] += 1
            table[key][1] += amounts.retained
        for total in amounts.products:
            row = by_product[total.product]
            row[0] += 1
            row[1] += total.quantity
            row[2] += total.amount or ZERO
    return {
        "by_status": [
            (RefundStatus(s).label, *by_status[s]) for s in RefundStatus.values if s in by_status
        ],
        "by_departement": [(d, *by_departement[d]) for d in sorted(by_departement)],
        "by_product": [
            (Product(p).label, Product(p).unit_label, *by_product[p])
            for p in Product.values
            if p in by_product
        ],
    }


EXPORT_HEADER = [
    "reference",
    "annee",
    "statut",
    "beneficiaire",
    "siret",
    "titulaire",
    "iban",
    "bic",
    "remboursement_retenu",
    "avance_deduite",
    "solde",
    "avance_annee_suivante",
    "montant_a_payer",
    "valide_le",
]


def payment_export_csv(requests: QuerySet[RefundRequest]) -> str:
    """The validated requests, for payment: one row each with the bank details and amounts."""
    stream = io.StringIO()
    writer = csv_writer(stream)
    writer.writerow(EXPORT_HEADER)
    rows = (
        requests.filter(status=RefundStatus.VALIDEE)
        .select_related("beneficiary__structure", "bank_account")
        .prefetch_related("invoices")
        .order_by("reference")
    )
    for request, amounts in requests_amounts(rows):
        account = request.bank_account
        structure = request.beneficiary.structure
        writer.writerow(
            [
                spreadsheet_cell(v)
                for v in (
                    request.reference,
                    request.year,
                    request.status,
                    structure.legal_name,
                    structure.identifier,
                    account.holder if account else "",
                    account.iban if account else "",
                    account.bic if account else "",
                    amounts.retained,
                    amounts.advance_deducted,
                    amounts.net,
                    amounts.advance,
                    amounts.to_pay,
                    request.status_at.date().isoformat(),
                )
            ]
        )
    return stream.getvalue()
