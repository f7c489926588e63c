"""Writes on invoices. Persistence only for now: the submission and its statuses come later."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from chorus.models import Service, Structure
from invoices import canonical
from invoices.models import DocumentSyntax, Invoice, ReceivedFile

_CONTENT_TYPES = {
    DocumentSyntax.UBL: "application/xml",
    DocumentSyntax.CII: "application/xml",
    DocumentSyntax.FACTURX: "application/pdf",
}


def invoice_store(
    *,
    document: canonical.Invoice,
    received: bytes,
    filename: str,
    syntax: str,
    profile: str | None,
    supplier: Structure,
    recipient: Structure | None = None,
    service: Service | None = None,
) -> Invoice:
    """Stores the received file unchanged and the invoice read from it, together or not at all."""
    received_file = ReceivedFile(
        filename=filename[:255],
        content_type=_CONTENT_TYPES[DocumentSyntax(syntax)],
        size=len(received),
        sha256=hashlib.sha256(received).hexdigest(),
    )
    received_file.file.save(filename, ContentFile(received), save=False)
    try:
        with transaction.atomic():
            received_file.save()
            return Invoice.objects.create(
                supplier=supplier,
                recipient=recipient,
                service=service,
                number=document.number,
                type_code=document.type_code,
                issue_date=document.issue_date,
                currency=document.currency,
                seller_identifier=document.seller_siret or "",
                buyer_identifier=document.buyer_siret or "",
                buyer_reference=document.buyer_reference or "",
                order_reference=document.purchase_order_reference or "",
                total_without_vat=document.totals.tax_exclusive_amount,
                total_with_vat=document.totals.tax_inclusive_amount,
                amount_due=document.totals.amount_due,
                syntax=syntax,
                profile=profile or "",
                document=document.to_dict(),
                received_file=received_file,
            )
    except BaseException:
        # The rows were rolled back: the stored bytes must not stay behind without them.
        received_file.file.delete(save=False)
        raise
