"""Writes on invoices: the received bytes, the invoice read from them, its status changes."""

import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from chorus.enums import Channel
from chorus.models import Service, Structure, TechnicalAccount, User
from invoices import canonical
from invoices.enums import InvoiceStatus, find_transition
from invoices.models import AttachmentUpload, Invoice, InvoiceStatusChange, ReceivedFile

_CONTENT_TYPES = {".xml": "application/xml", ".pdf": "application/pdf", ".zip": "application/zip"}


def content_type_for(filename: str) -> str:
    lowered = filename.lower()
    if lowered.endswith((".tar.gz", ".tgz")):
        return "application/gzip"
    return next(
        (kind for ext, kind in _CONTENT_TYPES.items() if lowered.endswith(ext)),
        "application/octet-stream",
    )


def received_file_store(*, data: bytes | File, filename: str) -> ReceivedFile:
    """Keeps bytes exactly as received, with their SHA-256, in the caller's transaction.

    `data` may be an uploaded file (on disk past FILE_UPLOAD_MAX_MEMORY_SIZE): it is then
    hashed and copied chunk by chunk, never held in memory whole.
    The file is written before the row and deleted if the row cannot be saved; a caller whose
    own transaction fails later deletes it too (`received.file.delete(save=False)`).
    """
    content = data if isinstance(data, File) else ContentFile(data)
    received = ReceivedFile(
        filename=filename[:255],
        content_type=content_type_for(filename),
        size=content.size,
        sha256=sha256_of(data),
    )
    received.file.save(filename or "fichier", content, save=False)
    try:
        received.save()
    except BaseException:
        received.file.delete(save=False)
        raise
    return received


def sha256_of(data: bytes | File) -> str:
    """The SHA-256 of bytes, or of a file read chunk by chunk."""
    if not isinstance(data, File):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    data.seek(0)
    for chunk in data.chunks():
        digest.update(chunk)
    data.seek(0)
    return digest.hexdigest()


@transaction.atomic
def attachment_upload_create(
    *,
    structure: Structure,
    data: bytes,
    name: str,
    mime_type: str,
    user: User | None = None,
    technical_account: TechnicalAccount | None = None,
) -> AttachmentUpload:
    """Keeps a supporting document for an invoice of the structure still to come (portal
    attachments by a user, ajouter/fichier by a technical account)."""
    received = received_file_store(data=data, filename=name)
    try:
        return AttachmentUpload.objects.create(
            structure=structure,
            uploaded_by=user,
            technical_account=technical_account,
            received_file=received,
            name=name,
            mime_type=mime_type,
        )
    except BaseException:
        received.file.delete(save=False)
        raise


@transaction.atomic
def invoice_create(
    *,
    document: canonical.Invoice,
    received_file: ReceivedFile,
    syntax: str,
    profile: str | None,
    supplier: Structure,
    recipient: Structure | None = None,
    service: Service | None = None,
    channel: str = Channel.SYSTEME,
    actor: User | None = None,
) -> Invoice:
    """Records a deposited invoice (status DEPOSEE) read from a received file."""
    now = timezone.now()
    invoice = Invoice.objects.create(
        supplier=supplier,
        recipient=recipient,
        service=service,
        number=document.number,
        type_code=document.type_code,
        issue_date=document.issue_date,
        issue_year=document.issue_date.year,
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
        status=InvoiceStatus.DEPOSEE,
        status_at=now,
    )
    InvoiceStatusChange.objects.create(
        invoice=invoice,
        at=now,
        source="",
        target=InvoiceStatus.DEPOSEE,
        actor=actor,
        actor_label=str(actor) if actor else "plateforme",
        channel=channel,
    )
    return invoice


class TransitionRefused(PermissionDenied):
    """The move is not in the table, or someone else moved the invoice first."""


@transaction.atomic
def invoice_transition(
    invoice: Invoice,
    target: str,
    *,
    actor: User | None,
    channel: str,
    motive: str = "",
    comment: str = "",
) -> Invoice:
    """The one way to change an invoice's status: checked against TRANSITIONS, claimed, logged."""
    transition = find_transition(invoice.status, target)
    if transition is None:
        raise TransitionRefused(
            f"Une facture au statut {invoice.status} ne peut passer au statut {target}."
        )
    if transition.requires_motive and not motive:
        raise TransitionRefused(f"Le passage au statut {target} exige un motif.")
    now = timezone.now()
    claimed = Invoice.objects.filter(pk=invoice.pk, status=invoice.status).update(
        status=target, status_at=now
    )
    if not claimed:
        raise TransitionRefused("La facture a changé de statut entre-temps : rechargez-la.")
    InvoiceStatusChange.objects.create(
        invoice=invoice,
        at=now,
        source=invoice.status,
        target=target,
        actor=actor,
        actor_label=str(actor) if actor else "plateforme",
        channel=channel,
        motive=motive,
        comment=comment,
    )
    invoice.status, invoice.status_at = target, now
    return invoice
