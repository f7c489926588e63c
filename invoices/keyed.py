"""An invoice keyed field by field, whatever the channel that gathered it (the portal's form,
the API's `soumettre`), and its one conversion into the canonical invoice: the seller from
the supplier's structure, the buyer from the directory, amounts from `invoices.totals`."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from chorus.models import BankAccount, Structure
from invoices import canonical as c
from invoices.formats.detect import EN16931_ID
from invoices.models import AttachmentUpload
from invoices.parties import party_from_structure
from invoices.totals import Exemption, invoice_amounts

CREDIT_TRANSFER = "30"  # UNTDID 4461
# Without a due date an invoice states its payment terms (EN 16931 BR-CO-25): the legal
# period of public procurement applies. In French, whoever keyed it.
LEGAL_PAYMENT_TERMS = (
    "Paiement dans le délai légal de la commande publique (article R. 2192-10 du code de la "
    "commande publique)."
)


@dataclass(frozen=True)
class KeyedInvoice:
    supplier: Structure
    recipient: Structure
    number: str
    issue_date: datetime.date
    type_code: str
    lines: list[c.Line]
    service_code: str = ""  # BT-10
    engagement: str = ""  # BT-13
    contract_reference: str = ""  # BT-12
    preceding_number: str = ""  # BT-25
    preceding_date: datetime.date | None = None  # BT-26
    due_date: datetime.date | None = None
    delivery_date: datetime.date | None = None
    exemption: Exemption = Exemption()
    prepaid: Decimal | None = None
    with_vat: bool = True  # False: outside VAT, no VAT identifiers (BR-O-02)
    tax_point_date_code: str | None = None
    currency: str = "EUR"
    payment: c.PaymentInstructions | None = None
    payment_terms: str = ""
    note: str = ""
    attachments: tuple[c.Attachment, ...] = ()


def bank_transfer(
    account: BankAccount, *, remittance: str, means_text: str | None = None
) -> c.PaymentInstructions:
    """Payment by credit transfer to one of the supplier's bank accounts."""
    return c.PaymentInstructions(
        means_code=CREDIT_TRANSFER,
        means_text=means_text,
        remittance_information=remittance,
        credit_transfers=[
            c.CreditTransfer(
                account_id=account.iban, account_name=account.holder, provider_id=account.bic
            )
        ],
    )


def attachment_from_upload(
    upload: AttachmentUpload, *, id: str | None = None, description: str | None = None
) -> c.Attachment:
    """A supporting document kept beforehand (portal upload, `ajouter/fichier`), embedded."""
    return c.Attachment(
        id=id or upload.name,
        description=description or upload.name,
        content=upload.received_file.read_bytes(),
        mime_code=upload.mime_type,
        filename=upload.name,
    )


def keyed_to_canonical(keyed: KeyedInvoice) -> c.Invoice:
    amounts = invoice_amounts(keyed.lines, exemption=keyed.exemption, prepaid=keyed.prepaid)
    return c.Invoice(
        number=keyed.number,
        issue_date=keyed.issue_date,
        type_code=keyed.type_code,
        currency=keyed.currency,
        seller=party_from_structure(keyed.supplier, with_vat=keyed.with_vat),
        buyer=party_from_structure(keyed.recipient, with_vat=keyed.with_vat),
        totals=amounts.totals,
        lines=list(keyed.lines),
        vat_breakdown=amounts.vat_breakdown,
        tax_point_date_code=keyed.tax_point_date_code,
        due_date=keyed.due_date,
        # The law asks for the date of delivery or service when it differs from the issue
        # date; otherwise it is the issue date.
        delivery=c.Delivery(date=keyed.delivery_date or keyed.issue_date),
        buyer_reference=keyed.service_code or None,
        contract_reference=keyed.contract_reference or None,
        purchase_order_reference=keyed.engagement or None,
        payment_terms=keyed.payment_terms or (None if keyed.due_date else LEGAL_PAYMENT_TERMS),
        notes=[c.Note(text=keyed.note)] if keyed.note else [],
        preceding_invoices=[
            c.PrecedingInvoice(number=keyed.preceding_number, issue_date=keyed.preceding_date)
        ]
        if keyed.preceding_number
        else [],
        payment=keyed.payment,
        attachments=list(keyed.attachments),
        specification_id=EN16931_ID,
    )
