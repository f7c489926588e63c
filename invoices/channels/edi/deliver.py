"""Delivery of invoices to recipients that receive by EDI: files in their partner's `out/`.

An invoice routed to such a recipient enters EN_COURS_ACHEMINEMENT; the follow-up below
queues `invoice_edi_deliver_task`, which writes, in the `out/` of the recipient's technical
account (the one with SSH keys, else the first active one):

- `FACTURE_<id>_<number>_PJ<n>_<name>`: each supporting document, those embedded in the
  invoice (BG-24) then those the supplier added later (completing a suspension);
- `FACTURE_<id>_<number>.xml` (UBL or CII) or `.pdf` (Factur-X): the invoice as received,
  written last, so a partner who sees it finds its attachments already there;

each under a temporary name then renamed, like the reports. The invoice then moves to
MISE_A_DISPOSITION. Writing again rewrites the same files: a task run twice (a crashed
worker's redelivery, the sweep) is harmless.
"""

import logging
import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from chorus.enums import ReceptionChannel
from chorus.models import Structure, TechnicalAccount
from chorus.workflow import TransitionRefused
from invoices.channels.edi.publish import write_atomically
from invoices.channels.edi.server import OUTBOX, account_root
from invoices.enums import InvoiceStatus
from invoices.models import DocumentSyntax, Invoice
from invoices.services import invoice_deliver
from invoices.workflow import INVOICE_WORKFLOW

logger = logging.getLogger(__name__)


@INVOICE_WORKFLOW.on_enter(InvoiceStatus.EN_COURS_ACHEMINEMENT)
def _deliver_when_routed(change) -> None:
    if change.invoice.recipient.reception_channel == ReceptionChannel.EDI:
        from invoices.tasks import invoice_edi_deliver_task

        invoice_edi_deliver_task.delay(change.invoice_id)


def delivery_account(structure: Structure) -> TechnicalAccount | None:
    """The technical account an EDI recipient fetches its invoices with."""
    accounts = TechnicalAccount.objects.filter(structure=structure, active=True).order_by("pk")
    return accounts.exclude(ssh_public_keys="").first() or accounts.first()


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:100] or "sans_nom"


def _files(invoice: Invoice) -> list[tuple[str, bytes]]:
    """The files of one delivery, in the order they are written (the invoice last)."""
    base = f"FACTURE_{invoice.pk}_{_safe(invoice.number)}"
    attachments = [
        (a.filename or a.id, a.content)
        for a in invoice.canonical.attachments
        if a.content is not None
    ]
    attachments += [
        (added.upload.name, added.upload.received_file.read_bytes())
        for added in invoice.added_attachments.select_related("upload__received_file")
    ]
    files = [
        (f"{base}_PJ{position}_{_safe(name)}", content)
        for position, (name, content) in enumerate(attachments, start=1)
    ]
    suffix = ".pdf" if invoice.syntax == DocumentSyntax.FACTURX else ".xml"
    files.append((f"{base}{suffix}", invoice.received_file.read_bytes()))
    return files


def invoice_edi_deliver(invoice_id: int) -> list[Path]:
    """Writes an invoice awaiting EDI delivery in its recipient's out/ and makes it available;
    returns the paths written (none when there is nothing to do)."""
    invoice = (
        Invoice.objects.select_related("recipient", "received_file").filter(pk=invoice_id).first()
    )
    if invoice is None or invoice.status != InvoiceStatus.EN_COURS_ACHEMINEMENT:
        return []
    account = delivery_account(invoice.recipient)
    if account is None:
        # Left in routing: the sweep delivers it once the recipient has an account.
        logger.warning(
            "invoice %s: recipient %s receives by EDI but has no active technical account",
            invoice.pk,
            invoice.recipient,
        )
        return []
    outbox = account_root(account.pk) / OUTBOX
    written = []
    for name, content in _files(invoice):
        write_atomically(outbox / name, content)
        written.append(outbox / name)
    try:
        invoice_deliver(invoice=invoice)
    except TransitionRefused as refused:
        if refused.code not in ("concurrent", "wrong_status"):
            raise
    logger.info("invoice %s delivered to %s: %s", invoice.pk, account.login, written[-1].name)
    return written


def invoices_awaiting_edi_delivery() -> list[int]:
    """Invoices left in routing to an EDI recipient for longer than FLOW_STALL_SECONDS (a
    worker died while delivering, or the recipient had no technical account yet)."""
    stalled_before = timezone.now() - timedelta(seconds=settings.FLOW_STALL_SECONDS)
    return list(
        Invoice.objects.filter(
            status=InvoiceStatus.EN_COURS_ACHEMINEMENT,
            status_at__lt=stalled_before,
            recipient__reception_channel=ReceptionChannel.EDI,
        ).values_list("pk", flat=True)
    )
