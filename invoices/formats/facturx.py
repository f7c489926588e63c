"""Factur-X writer: a readable French invoice as PDF/A-3 with its CII (EN16931 profile) inside.

`write_facturx(invoice)` renders templates/invoices/facturx_pdf.html with weasyprint as
PDF/A-3b, then `embed_cii(pdf, invoice)` embeds the CII as factur-x.xml with the factur-x
library (which also writes the Factur-X XMP metadata and checks the XML against the EN16931
schema); `embed_cii` also turns a supplier's own PDF into a Factur-X.
"""

import dataclasses
from decimal import Decimal

import facturx
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from invoices import canonical as c
from invoices.codes import UNIT, code_label, vat_label
from invoices.formats.cii import write_cii
from invoices.formats.detect import EN16931_ID

# Default late-payment penalty mention: the legal floor between professionals.
LATE_PENALTY_RATE = "trois fois le taux d'intérêt légal"

DOCUMENT_TITLES = {
    "380": "Facture",
    "381": "Avoir",
    "384": "Facture rectificative",
    "386": "Facture d'acompte",
    "389": "Facture autofacturée",
}
PAYMENT_MEANS = {
    "30": "Virement",
    "58": "Virement SEPA",
    "49": "Prélèvement",
    "59": "Prélèvement SEPA",
    "48": "Carte bancaire",
    "54": "Carte de crédit",
    "20": "Chèque",
    "10": "Espèces",
    "1": "Non défini",
}
# Mentions the law asks for when no VAT is charged and the sender gave no reason.
VAT_CATEGORY_MENTIONS = {
    "AE": "Autoliquidation de la TVA par le preneur (article 283 du CGI)",
    "K": "Exonération de TVA, article 262 ter I du CGI (livraison intracommunautaire)",
    "G": "Exonération de TVA, article 262 I du CGI (exportation)",
    "E": "Exonération de TVA",
    "O": "Opération hors du champ d'application de la TVA",
    "Z": "TVA au taux zéro",
}


def money(value: Decimal | None, currency: str = "EUR") -> str:
    """1234.5 -> '1 234,50 €' (French grouping with narrow no-break spaces)."""
    if value is None:
        return ""
    symbol = "€" if currency == "EUR" else currency
    text = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0{symbol}"


def number(value: Decimal | None) -> str:
    """A quantity or rate in French: 5.5 -> '5,5', 3.000 -> '3'."""
    if value is None:
        return ""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return text.replace(".", ",")


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _siren(party: c.Party) -> str | None:
    siret = party.siret
    if siret:
        return siret[:9]
    legal = party.legal_registration_id
    if legal and legal.scheme == c.SIREN_SCHEME:
        return legal.value
    return None


@translation.override("fr")  # the invoice is in French, whoever's request produced it
def render_pdf(invoice: c.Invoice, *, late_penalty_rate: str = LATE_PENALTY_RATE) -> bytes:
    """The human-readable invoice as a PDF/A-3b, without the XML."""
    currency = invoice.currency
    context = {
        "invoice": invoice,
        "title": DOCUMENT_TITLES.get(invoice.type_code, "Facture"),
        "issue_date": _date(invoice.issue_date),
        "due_date": _date(invoice.due_date),
        "delivery_date": _date(invoice.delivery.date if invoice.delivery else None),
        "period": invoice.invoicing_period
        and f"du {_date(invoice.invoicing_period.start)} au {_date(invoice.invoicing_period.end)}",
        "seller_siret": invoice.seller.siret,
        "seller_siren": _siren(invoice.seller),
        "buyer_siret": invoice.buyer.siret,
        "preceding": [
            f"{p.number} du {_date(p.issue_date)}" if p.issue_date else p.number
            for p in invoice.preceding_invoices
        ],
        "lines": [
            {
                "line": line,
                "quantity": number(line.quantity),
                "unit": code_label(UNIT, line.unit_code),
                "price": money(line.price.net_price, currency),
                "rate": vat_label(line.vat_category_code, line.vat_rate),
                "amount": money(line.net_amount, currency),
            }
            for line in invoice.lines
        ],
        "allowances_charges": [
            {
                "label": ("Frais" if ac.is_charge else "Remise")
                + (f" : {ac.reason}" if ac.reason else ""),
                "amount": money(ac.amount if ac.is_charge else -ac.amount, currency),
            }
            for ac in invoice.allowances_charges
        ],
        "vat_breakdown": [
            {
                "rate": vat_label(b.category_code, b.rate),
                "taxable": money(b.taxable_amount, currency),
                "tax": money(b.tax_amount, currency),
                "mention": b.exemption_reason or VAT_CATEGORY_MENTIONS.get(b.category_code),
            }
            for b in invoice.vat_breakdown
        ],
        "totals": {
            "without_vat": money(invoice.totals.tax_exclusive_amount, currency),
            "vat": money(invoice.totals.vat_total, currency),
            "with_vat": money(invoice.totals.tax_inclusive_amount, currency),
            "prepaid": money(invoice.totals.prepaid_amount, currency)
            if invoice.totals.prepaid_amount
            else None,
            "due": money(invoice.totals.amount_due, currency),
        },
        "payment_means": PAYMENT_MEANS.get(invoice.payment.means_code, invoice.payment.means_code)
        if invoice.payment
        else None,
        "late_penalty_rate": late_penalty_rate,
    }
    html = render_to_string("invoices/facturx_pdf.html", context)
    return HTML(string=html).write_pdf(pdf_variant="pdf/a-3b")


def embed_cii(pdf: bytes, invoice: c.Invoice, *, pdf_metadata: dict | None = None) -> bytes:
    """A Factur-X (EN16931 profile): `pdf` with the CII of the invoice embedded, checked
    against the schema."""
    return facturx.generate_from_binary(
        pdf,
        write_cii(dataclasses.replace(invoice, specification_id=EN16931_ID)),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        lang="fr-FR",
        pdf_metadata=pdf_metadata,
    )


def write_facturx(invoice: c.Invoice, *, late_penalty_rate: str = LATE_PENALTY_RATE) -> bytes:
    """A Factur-X PDF (EN16931 profile): the rendered invoice with its CII embedded."""
    pdf = render_pdf(invoice, late_penalty_rate=late_penalty_rate)
    title = DOCUMENT_TITLES.get(invoice.type_code, "Facture")
    seller = invoice.seller.name or invoice.seller.trading_name or ""
    return embed_cii(
        pdf,
        invoice,
        pdf_metadata={
            "author": seller,
            "keywords": "Factur-X, facture",
            "title": f"{seller} : {title} {invoice.number}",
            "subject": f"{title} {invoice.number} du {_date(invoice.issue_date)} émise par {seller}",
        },
    )
