"""Writes on invoices: the received bytes, the invoice read from them, its moves.

Every move goes through the workflow core (`chorus.workflow.status_transition`, table in
`invoices.workflow`); the functions below name the business actions for their callers
(portal, back office, API, EDI status files, tasks)."""

import hashlib
from decimal import Decimal

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.enums import ReceptionChannel
from chorus.models import Membership, Service, Structure, TechnicalAccount, User
from chorus.workflow import Actor, TransitionRefused, history_start, status_transition
from invoices import canonical
from invoices.counts import invoice_counts_reroute
from invoices.enums import InvoiceStatus
from invoices.models import (
    AttachmentUpload,
    CheckCount,
    InboxView,
    Invoice,
    InvoiceAttachment,
    InvoiceStatusChange,
    ReceivedFile,
    default_due_date,
)
from invoices.parties import party_from_structure
from invoices.validation import ValidationReport, validate

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


def invoice_correction_refused(invoice: Invoice) -> str:
    """Why a new invoice may not correct `invoice` ("" when it may): only a rejected invoice
    is corrected by a new one, and only once (its correction is then the invoice to follow)."""
    if invoice.status != InvoiceStatus.REJETEE:
        return _(
            "La facture %(number)s n'est pas rejetée : elle ne se corrige pas par une "
            "nouvelle facture."
        ) % {"number": invoice.number}
    correction = invoice.corrections.order_by("created_at", "pk").first()
    if correction is not None:
        return _(
            "La facture %(number)s est déjà corrigée par la facture %(correction)s : "
            "suivez ou corrigez celle-ci."
        ) % {"number": invoice.number, "correction": correction.number}
    return ""


def invoice_corrected_by(
    document: canonical.Invoice, *, supplier: Structure, named: Invoice | None = None
) -> Invoice | None:
    """The rejected invoice a deposited document corrects, locked until the deposit commits
    (two corrections deposited at once do not both get linked): `named` by the portal, else
    the supplier's rejected invoice whose number the document gives as its preceding
    invoice (BG-3, BT-25, and its date BT-26 when given). A credit note's preceding invoice
    is the invoice it credits, not one it corrects: never linked."""
    if document.is_credit_note:
        return None
    candidates = Invoice.objects.select_for_update().filter(
        supplier=supplier, status=InvoiceStatus.REJETEE
    )
    if named is not None:
        found = candidates.filter(pk=named.pk).first()
        return found if found is not None and not invoice_correction_refused(found) else None
    for preceding in document.preceding_invoices:
        matching = candidates.filter(number=(preceding.number or "").strip())
        if preceding.issue_date:
            matching = matching.filter(issue_date=preceding.issue_date)
        for invoice in matching.order_by("-created_at", "-pk"):
            if not invoice_correction_refused(invoice):
                return invoice
    return None


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
    actor: Actor | None = None,
    replaces: Invoice | None = None,
    channel: str = "",
) -> Invoice:
    """Records a deposited invoice (status DEPOSEE) read from a received file; `actor` is
    its depositor (the platform when not known), `channel` the DepositChannel it came by,
    `replaces` the supplier's rejected invoice it corrects (the portal's "corriger et
    renvoyer"); without it, the rejected invoice the document names as its preceding invoice
    (BT-25), whatever the channel. Either is linked only while `invoice_correction_refused`
    allows it."""
    replaces = invoice_corrected_by(document, supplier=supplier, named=replaces)
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
        supplier_name=(document.seller.name or supplier.legal_name)[:250],
        due_date=default_due_date(document, timezone.localdate(now)),
        has_attachments=bool(document.attachments),
        channel=channel,
        syntax=syntax,
        profile=profile or "",
        document=document.to_dict(),
        received_file=received_file,
        status=InvoiceStatus.DEPOSEE,
        status_at=now,
        replaces=replaces,
    )
    history_start(document=invoice, actor=actor or Actor.platform())
    return invoice


@transaction.atomic
def invoice_route(*, invoice: Invoice) -> InvoiceStatusChange:
    """Sends a deposited invoice on to its recipient: at once for one that works on the
    portal, through EN_COURS_ACHEMINEMENT for one that receives by EDI or API (its channel
    delivers it, then makes it available)."""
    platform = Actor.platform()
    recipient = invoice.recipient
    if recipient is not None and recipient.reception_channel != ReceptionChannel.PORTAIL:
        return status_transition(
            document=invoice, target=InvoiceStatus.EN_COURS_ACHEMINEMENT, actor=platform
        )
    return status_transition(
        document=invoice, target=InvoiceStatus.MISE_A_DISPOSITION, actor=platform
    )


def invoice_deliver(*, invoice: Invoice) -> InvoiceStatusChange:
    """The recipient's channel has delivered the invoice (written to its EDI out/, or first
    fetched through the API by its technical account): it is now available."""
    return status_transition(
        document=invoice, target=InvoiceStatus.MISE_A_DISPOSITION, actor=Actor.platform()
    )


def invoices_deliver_fetched(*, invoices, structure: Structure) -> None:
    """A recipient receiving by API fetched these invoices: those still being routed to it
    are delivered. Another request delivering one first is no error."""
    for invoice in invoices:
        if (
            invoice.recipient_id == structure.pk
            and invoice.status == InvoiceStatus.EN_COURS_ACHEMINEMENT
        ):
            try:
                invoice_deliver(invoice=invoice)
            except TransitionRefused as refused:
                if refused.code != "concurrent":
                    raise


def invoice_dispute_problems(
    *, document: canonical.Invoice, lines: list[str], disputed_amount: Decimal | None
) -> dict[str, str]:
    """What is wrong with the lines and the amount a motive points at, by field ("lines",
    "disputed_amount"): they must be the invoice's own lines and within its total. The
    back office's dispute form and the API's traiter/recue both judge them here."""
    problems = {}
    known = [line.id for line in document.lines]
    unknown = [line for line in lines or [] if line not in known]
    if unknown:
        problems["lines"] = _(
            "Ces lignes ne sont pas sur la facture %(number)s : %(unknown)s. Les lignes de la "
            "facture sont %(known)s (identifiants BT-126)."
        ) % {"number": document.number, "unknown": ", ".join(unknown), "known": ", ".join(known)}
    total = document.totals.tax_inclusive_amount
    if disputed_amount is not None and disputed_amount > total:
        problems["disputed_amount"] = _(
            "Le montant contesté dépasse le total de la facture (%(total)s)."
        ) % {"total": total}
    return problems


def invoice_process(
    *,
    invoice: Invoice,
    actor: Actor,
    target: str,
    motive: str = "",
    comment: str = "",
    mandate_number: str = "",
    lines: list[str] | None = None,
    disputed_amount: Decimal | None = None,
) -> InvoiceStatusChange:
    """A recipient's move to `target` (suspend, send back, reject, certify, mandate, the
    accounting steps): the API's traiter/recue and the EDI status files name the status.
    `lines` (line ids) and `disputed_amount` say what part of the invoice a motive is about."""
    details = {"mandate_number": mandate_number.strip()} if mandate_number else {}
    if lines:
        details["lines"] = list(lines)
    if disputed_amount is not None:
        details["disputed_amount"] = disputed_amount
    return status_transition(
        document=invoice, target=target, actor=actor, motive=motive, comment=comment, **details
    )


def invoice_suspend(*, invoice: Invoice, actor: Actor, motive: str, comment: str = ""):
    return invoice_process(
        invoice=invoice, actor=actor, target=InvoiceStatus.SUSPENDUE, motive=motive, comment=comment
    )


def invoice_send_back(*, invoice: Invoice, actor: Actor, motive: str, comment: str = ""):
    return invoice_process(
        invoice=invoice,
        actor=actor,
        target=InvoiceStatus.A_RECYCLER,
        motive=motive,
        comment=comment,
    )


def invoice_reject(*, invoice: Invoice, actor: Actor, motive: str, comment: str = ""):
    return invoice_process(
        invoice=invoice, actor=actor, target=InvoiceStatus.REJETEE, motive=motive, comment=comment
    )


def invoice_certify(*, invoice: Invoice, actor: Actor, comment: str = ""):
    return invoice_process(
        invoice=invoice, actor=actor, target=InvoiceStatus.SERVICE_FAIT, comment=comment
    )


def invoice_mandate(*, invoice: Invoice, actor: Actor, mandate_number: str, comment: str = ""):
    return invoice_process(
        invoice=invoice,
        actor=actor,
        target=InvoiceStatus.MANDATEE,
        comment=comment,
        mandate_number=mandate_number,
    )


@transaction.atomic
def invoice_complete(
    *,
    invoice: Invoice,
    actor: Actor,
    comment: str,
    attachments: list[AttachmentUpload] = (),
) -> InvoiceStatusChange:
    """The supplier answers a suspension with a comment and supporting documents (already
    uploaded, by the portal or `ajouter/fichier`); the invoice goes back to the recipient."""
    change = status_transition(
        document=invoice, target=InvoiceStatus.COMPLETEE, actor=actor, comment=comment
    )
    for upload in attachments:
        if upload.structure_id != invoice.supplier_id:
            raise ValueError("An attachment of another structure.")
        InvoiceAttachment.objects.create(invoice=invoice, upload=upload, change=change)
    if attachments and not invoice.has_attachments:
        Invoice.objects.filter(pk=invoice.pk).update(has_attachments=True)
        invoice.has_attachments = True
    return change


@transaction.atomic
def invoice_recycle(
    *,
    invoice: Invoice,
    actor: Actor,
    recipient: Structure,
    service: Service | None,
    order_reference: str,
    comment: str = "",
) -> InvoiceStatusChange:
    """The supplier corrects the routing data of an invoice sent back (recipient, service
    code, engagement juridique; the number stays), and the platform routes it again.

    The caller has checked the new routing data with the recipient's rules
    (`invoices.rules.recipient_problems` and `routing_problems`)."""
    change = status_transition(
        document=invoice, target=InvoiceStatus.DEPOSEE, actor=actor, comment=comment
    )
    invoice_counts_reroute(invoice=invoice, recipient=recipient, service=service)
    document = invoice.canonical
    if recipient.pk != invoice.recipient_id:
        document.buyer = party_from_structure(recipient, with_vat=bool(document.buyer.vat_id))
    document.buyer_reference = service.code if service else None
    document.purchase_order_reference = order_reference or None
    invoice.recipient, invoice.service = recipient, service
    invoice.buyer_identifier = recipient.identifier
    invoice.buyer_reference = service.code if service else ""
    invoice.order_reference = order_reference
    invoice.document = document.to_dict()
    invoice.save(
        update_fields=[
            "recipient",
            "service",
            "buyer_identifier",
            "buyer_reference",
            "order_reference",
            "document",
        ]
    )
    invoice_route(invoice=invoice)
    return change


def invoice_rejection_acknowledge(
    *, invoice: Invoice, actor: Actor, comment: str = ""
) -> InvoiceStatusChange:
    """The supplier has read the rejection ("traiter le rejet"): recorded, it leaves the
    to-do list; a new invoice with a new number follows. `comment`: what the supplier said
    about it (the API's motifRejet and cpltInfos)."""
    return status_transition(
        document=invoice, target=InvoiceStatus.REJETEE, actor=actor, comment=comment
    )


def invoice_check(*, data: bytes, filename: str, structure: Structure) -> ValidationReport:
    """Validates an invoice as a deposit would, recipient's requirements included, without
    depositing it: neither the file nor the findings are kept, only the day's count."""
    report = validate(data, filename=filename, depositor=structure)
    count, _ = CheckCount.objects.get_or_create(structure=structure, day=timezone.localdate())
    CheckCount.objects.filter(pk=count.pk).update(
        checks=F("checks") + 1, refused=F("refused") + (0 if report.valid else 1)
    )
    return report


def inbox_view_save(*, membership: Membership, search) -> InboxView:
    """Keeps a valid inbox search (its form, `invoices.channels.backoffice.search`) as the
    agent's default view: the criteria it knows, no page cursor."""
    params = QueryDict(mutable=True)
    for name in search.fields:
        if name in search.data:
            params.setlist(name, search.data.getlist(name))
    view, _created = InboxView.objects.update_or_create(
        membership=membership, defaults={"query": params.urlencode()}
    )
    return view


def inbox_view_forget(*, membership: Membership) -> None:
    InboxView.objects.filter(membership=membership).delete()
