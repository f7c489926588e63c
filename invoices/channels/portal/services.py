"""Writes of the supplier portal: the supplier's own PDF, drafts, and the submission of a
keyed invoice, which the platform turns into a Factur-X and deposits like any other flow.
Supporting documents are kept by `invoices.services.attachment_upload_create`, as on the API.
"""

from django.core import signing
from django.db import transaction

from chorus.models import Structure, User
from invoices.enums import DepositChannel, FlowSyntax
from invoices.formats.facturx import embed_cii, write_facturx
from invoices.ingestion.receive import flow_receive
from invoices.keyed import KeyedInvoice, keyed_to_canonical
from invoices.models import Flow, Invoice, InvoiceDraft, ReceivedFile
from invoices.services import received_file_store

# The user's own PDF of a "PDF with keyed data" deposit is stored on upload and named in the
# form by a token signed for the structure, so that no other structure can reuse it.
_PDF_TOKEN_SALT = "invoices.portal.pdf"


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


def portal_invoice_submit(
    *,
    user: User,
    keyed: KeyedInvoice,
    draft: InvoiceDraft | None = None,
    pdf: ReceivedFile | None = None,
    replaces: Invoice | None = None,
) -> Flow:
    """Deposits a keyed invoice: a generated Factur-X, or the supplier's PDF with the keyed
    data embedded, goes through the deposit pipeline like any other flow. `replaces` is the
    rejected invoice it corrects: the invoice the flow makes is linked to it."""
    invoice = keyed_to_canonical(keyed)
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
            structure=keyed.supplier,
            user=user,
            syntax=syntax,
            replaces=replaces,
        )
        if draft is not None:
            draft.flow = receipt.flow
            draft.save(update_fields=["flow", "updated_at"])
    return receipt.flow
