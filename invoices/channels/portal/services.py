"""Writes of the supplier portal: the supplier's own PDF, drafts, and the submission of a
keyed invoice, which the platform turns into a Factur-X and deposits like any other flow.
Supporting documents are kept by `invoices.services.attachment_upload_create`, as on the API.
"""

import dataclasses
import datetime

from django.core import signing
from django.db import transaction

from chorus.models import BankAccount, Service, Structure, User
from invoices import canonical as c
from invoices.channels.portal.computations import KeyedLine, canonical_lines
from invoices.enums import DepositChannel, FlowSyntax
from invoices.formats.detect import EN16931_ID
from invoices.formats.facturx import embed_cii, write_facturx
from invoices.ingestion.receive import flow_receive
from invoices.models import AttachmentUpload, Flow, InvoiceDraft, ReceivedFile
from invoices.parties import party_from_structure
from invoices.services import received_file_store
from invoices.totals import Exemption, invoice_amounts

# The invoice is in French, whoever keyed it.
LEGAL_PAYMENT_TERMS = (
    "Paiement dans le délai légal de la commande publique (article R. 2192-10 du code de la "
    "commande publique)."
)

# The user's own PDF of a "PDF with keyed data" deposit is stored on upload and named in the
# form by a token signed for the structure, so that no other structure can reuse it.
_PDF_TOKEN_SALT = "invoices.portal.pdf"


@dataclasses.dataclass(frozen=True)
class KeyedInvoice:
    """An invoice as the supplier keyed it, checked by the portal forms."""

    recipient: Structure
    service: Service | None
    engagement: str
    type_code: str
    preceding_number: str
    number: str
    issue_date: datetime.date
    due_date: datetime.date | None
    delivery_date: datetime.date | None
    lines: list[KeyedLine]
    vat_exemption_reason: str
    payment_terms: str
    bank_account: BankAccount | None
    attachments: list[AttachmentUpload]


def pdf_store(*, structure: Structure, data: bytes, filename: str) -> str:
    """Keeps the supplier's own PDF until submission; returns the token naming it."""
    received = received_file_store(data=data, filename=filename)
    return signing.dumps(received.pk, salt=f"{_PDF_TOKEN_SALT}:{structure.pk}")


def pdf_from_token(*, structure: Structure, token: str) -> ReceivedFile | None:
    if not token:
        return None
    try:
        pk = signing.loads(token, salt=f"{_PDF_TOKEN_SALT}:{structure.pk}")
    except signing.BadSignature:
        return None
    return ReceivedFile.objects.filter(pk=pk).first()


@transaction.atomic
def draft_save(
    *, structure: Structure, user: User, state: dict, draft: InvoiceDraft | None = None
) -> InvoiceDraft:
    """Creates or updates a draft with the form state (fields and lines as typed)."""
    if draft is None:
        return InvoiceDraft.objects.create(structure=structure, created_by=user, data=state)
    draft.data = state
    draft.save(update_fields=["data", "updated_at"])
    return draft


@transaction.atomic
def draft_delete(*, draft: InvoiceDraft) -> None:
    draft.delete()


def keyed_invoice_to_canonical(*, structure: Structure, keyed: KeyedInvoice) -> c.Invoice:
    """The canonical invoice of what the supplier keyed: seller from their structure, buyer
    from the directory, amounts from `invoices.totals`."""
    lines = canonical_lines(keyed.lines)
    amounts = invoice_amounts(lines, exemption=Exemption(reason=keyed.vat_exemption_reason or None))
    payment = None
    if keyed.bank_account is not None:
        account = keyed.bank_account
        payment = c.PaymentInstructions(
            means_code="30",
            remittance_information=keyed.number,
            credit_transfers=[
                c.CreditTransfer(
                    account_id=account.iban, account_name=account.holder, provider_id=account.bic
                )
            ],
        )
    attachments = [
        c.Attachment(
            id=upload.name,
            description=upload.name,
            content=upload.received_file.read_bytes(),
            mime_code=upload.mime_type,
            filename=upload.name,
        )
        for upload in keyed.attachments
    ]
    return c.Invoice(
        number=keyed.number,
        issue_date=keyed.issue_date,
        type_code=keyed.type_code,
        currency="EUR",
        seller=party_from_structure(structure),
        buyer=party_from_structure(keyed.recipient),
        totals=amounts.totals,
        lines=lines,
        vat_breakdown=amounts.vat_breakdown,
        due_date=keyed.due_date,
        # The law asks for the date of delivery or service when it differs from the issue
        # date; otherwise it is the issue date.
        delivery=c.Delivery(date=keyed.delivery_date or keyed.issue_date),
        buyer_reference=keyed.service.code if keyed.service else None,
        purchase_order_reference=keyed.engagement or None,
        # Without a due date an invoice states its payment terms (EN 16931 BR-CO-25): the
        # legal period of public procurement applies.
        payment_terms=keyed.payment_terms or (None if keyed.due_date else LEGAL_PAYMENT_TERMS),
        preceding_invoices=[c.PrecedingInvoice(number=keyed.preceding_number)]
        if keyed.preceding_number
        else [],
        payment=payment,
        attachments=attachments,
        specification_id=EN16931_ID,
    )


def portal_invoice_submit(
    *,
    structure: Structure,
    user: User,
    keyed: KeyedInvoice,
    draft: InvoiceDraft | None = None,
    pdf: ReceivedFile | None = None,
) -> Flow:
    """Deposits a keyed invoice: a generated Factur-X, or the supplier's PDF with the keyed
    data embedded, goes through the deposit pipeline like any other flow."""
    invoice = keyed_invoice_to_canonical(structure=structure, keyed=keyed)
    # The PDF is rendered before the transaction: it takes a while and writes nothing.
    if pdf is None:
        data, syntax = write_facturx(invoice), FlowSyntax.FACTURX
    else:
        data, syntax = embed_cii(pdf.read_bytes(), invoice), FlowSyntax.PDF
    with transaction.atomic():
        receipt = flow_receive(
            data=data,
            filename=f"{keyed.number}.pdf",
            channel=DepositChannel.PORTAIL,
            structure=structure,
            user=user,
            syntax=syntax,
        )
        if draft is not None:
            draft.flow = receipt.flow
            draft.save(update_fields=["flow", "updated_at"])
    return receipt.flow
