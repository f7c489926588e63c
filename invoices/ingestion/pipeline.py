"""Processing a deposit, one idempotent step at a time: split, then each invoice, then finish.

Every step re-reads its rows and does nothing when its work is already done, so a task that
runs twice (a message delivered again, a worker killed halfway and restarted, the periodic
sweep of stalled flows) neither loses nor duplicates anything:
- `flow_split` claims the flow (waiting -> in progress) and records one item per invoice;
  items are unique by (flow, position).
- `flow_item_process` locks its item, validates it and, if accepted, records the invoice,
  routes it and makes it available; the item leaves EN_ATTENTE in the same transaction.
- `flow_finish` gives the flow its final state once no item is waiting.

A flow may carry documents other than invoices in the UBL syntax: a mémoire de frais de
justice (E3 flow, `IN_DP_E3_UBL_INVOICE`). Its app registers a `FlowKind`
(`invoices.ingestion.kinds`): the item is read and checked against the standards like any UBL invoice, then, instead of the
invoices' platform rules and `invoice_create`, handed to the kind's `deposit` function, in the
same transaction as the item's result. A flow declares the kind by its syntax; one deposited
without a syntax (SFTP, portal) is recognised by its business process (BT-23, the cadre).
"""

import logging
import time
import uuid
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Count, F
from django.utils import timezone

from invoices import canonical, rules
from invoices.enums import FlowItemStatus, FlowStatus, FlowSyntax
from invoices.ingestion import archive, messages
from invoices.ingestion.kinds import FlowKind, flow_kind_of
from invoices.ingestion.receive import flow_depositor, flow_status_change
from invoices.models import Flow, FlowItem, ReceivedFile
from invoices.services import invoice_create, invoice_route, received_file_store
from invoices.validation import BudgetExceeded, Finding, platform_rules, validate
from invoices.validation.reading import MAX_FILE_BYTES

logger = logging.getLogger(__name__)

# Only errors that may pass by themselves are retried: the database or broker going away.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError)

# The format each declared syntax must hold.
_FORMAT_OF_SYNTAX = {
    FlowSyntax.UBL: "ubl",
    FlowSyntax.CII: "cii",
    FlowSyntax.FACTURX: "facturx",
    FlowSyntax.PDF: "facturx",
    FlowSyntax.MEMOIRE_UBL: "ubl",
}
_SYNTAX_OF_FORMAT = {"ubl": FlowSyntax.UBL, "cii": FlowSyntax.CII, "facturx": FlowSyntax.FACTURX}


def flow_split(flow_id: int) -> list[int]:
    """Claims a waiting flow and records its items; returns the ids of items still waiting."""
    flow = Flow.objects.select_related("received_file").filter(pk=flow_id).first()
    if flow is None:
        logger.warning("flow %s vanished before processing", flow_id)
        return []
    if flow.status == FlowStatus.EN_ATTENTE and not flow_status_change(flow, FlowStatus.EN_COURS):
        flow.refresh_from_db()  # another worker claimed it first
    if flow.status != FlowStatus.EN_COURS:
        return []
    with transaction.atomic():
        # One split at a time per flow: a message delivered twice waits here for the items.
        Flow.objects.select_for_update().filter(pk=flow.pk).first()
        if not flow.items.exists():
            try:
                with transaction.atomic():
                    _record_items(flow)
            except TRANSIENT:
                raise
            except Exception:
                # A flow that cannot even be split would come back through the sweep forever.
                reference = _error_reference()
                logger.exception("flow %s could not be split, reference %s", flow.pk, reference)
                _refuse_flow(flow, FlowStatus.INCIDENTE, messages.flow_internal_error(reference))
    flow.refresh_from_db()
    if flow.is_final:
        return []
    return list(flow.items.filter(status=FlowItemStatus.EN_ATTENTE).values_list("pk", flat=True))


def _record_items(flow: Flow) -> None:
    with flow.received_file.file.open("rb") as source:
        if not archive.is_archive(source.read(len(archive.ZIP_MAGIC))):
            FlowItem.objects.get_or_create(
                flow=flow,
                position=1,
                defaults={"name": flow.filename, "received_file": flow.received_file},
            )
            return
        source.seek(0)
        stored = []
        try:
            with transaction.atomic():
                entries = archive.open_archive(
                    source,
                    max_entries=settings.FLOW_MAX_INVOICES,
                    max_bytes=settings.FLOW_MAX_BYTES,
                    max_member_bytes=MAX_FILE_BYTES,
                )
                for position, entry in enumerate(entries, start=1):
                    stored.append(_record_entry(flow, position, entry))
        except BaseException as exc:
            for received in stored:
                if received != flow.received_file:
                    received.file.delete(save=False)
            if not isinstance(exc, archive.ArchiveError):
                raise
            final = FlowStatus.INCIDENTE if exc.code == "corrupt" else FlowStatus.REJETE
            _refuse_flow(flow, final, messages.flow_error(exc.code, str(exc)))


def _record_entry(flow: Flow, position: int, entry: archive.Entry) -> ReceivedFile:
    """One invoice of an archive, stored; one cut off at the size limit is refused now, and
    keeps the archive as its received file (its own bytes were never all inflated)."""
    if entry.data is None:
        FlowItem.objects.create(
            flow=flow,
            position=position,
            name=entry.name,
            received_file=flow.received_file,
            status=FlowItemStatus.REFUSEE,
            findings=[messages.member_too_large_finding(entry.name, MAX_FILE_BYTES).to_dict()],
            processed_at=timezone.now(),
        )
        return flow.received_file
    received = received_file_store(data=entry.data, filename=entry.name.rsplit("/", 1)[-1])
    FlowItem.objects.create(flow=flow, position=position, name=entry.name, received_file=received)
    return received


def _refuse_flow(flow: Flow, final: str, error: dict) -> None:
    with transaction.atomic():
        Flow.objects.filter(pk=flow.pk).update(errors=[error])
        flow_status_change(flow, final, comment=error["libelleErreur"])


def flow_item_process(item_id: int) -> int | None:
    """Validates one invoice of a flow and, when accepted, deposits it; returns the flow id.

    Whatever happens, the invoice leaves EN_ATTENTE with a reason: an unexpected error or a
    budget exceeded refuses it (an internal error with a reference found in the logs). Only
    transient errors (the database or broker going away) propagate, for the task to retry;
    each try is counted first, so a message that keeps failing, or keeps killing its
    worker, is refused after FLOW_ITEM_MAX_ATTEMPTS tries instead of coming back forever.
    """
    if not _try_count(item_id):
        return None  # done already, or another worker holds it
    with transaction.atomic():
        item = (
            # Only the item's row: locking the joined flow too would make every other item
            # of the flow look taken to the other worker processes.
            FlowItem.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("flow", "flow__structure", "received_file")
            .filter(pk=item_id, status=FlowItemStatus.EN_ATTENTE)
            .first()
        )
        if item is None:
            return None  # done already, or another worker holds it
        _close_item(item, *_item_result(item))
        return item.flow_id


def flow_item_waiting(item_id: int) -> bool:
    """Whether an invoice of a flow still waits for its result."""
    return FlowItem.objects.filter(pk=item_id, status=FlowItemStatus.EN_ATTENTE).exists()


def _try_count(item_id: int) -> bool:
    """Counts a try of a waiting item nobody holds, committed before the work begins (a try
    that kills its worker counts too); a duplicate message finding the item done, or held
    by another worker, counts nothing."""
    with transaction.atomic():
        waiting = (
            # The item's row alone: the default ordering would join (and lock) the flow.
            FlowItem.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=item_id, status=FlowItemStatus.EN_ATTENTE)
            .order_by()
            .values_list("pk", flat=True)
            .first()
        )
        if waiting is None:
            return False
        FlowItem.objects.filter(pk=item_id).update(attempts=F("attempts") + 1)
        return True


def _item_result(item: FlowItem) -> tuple[str, list[Finding]]:
    tries = settings.FLOW_ITEM_MAX_ATTEMPTS
    if item.attempts > tries:
        reference = _error_reference()
        logger.error("flow item %s refused after %d tries, reference %s", item.pk, tries, reference)
        return FlowItemStatus.REFUSEE, [messages.internal_error_finding(reference, tries)]
    flow_budget = settings.FLOW_TIME_BUDGET_SECONDS
    if timezone.now() - item.flow.status_at > timedelta(seconds=flow_budget):
        return FlowItemStatus.REFUSEE, [messages.flow_budget_finding(flow_budget)]
    budget = settings.INVOICE_TIME_BUDGET_SECONDS
    try:
        with transaction.atomic():
            return _validate_and_deposit(item, deadline=time.monotonic() + budget)
    except TRANSIENT:
        raise
    except BudgetExceeded as exceeded:
        finding = messages.budget_finding(budget, exceeded.stage)
    except SoftTimeLimitExceeded:
        finding = messages.budget_finding(budget)
    except Exception:
        reference = _error_reference()
        logger.exception("flow item %s failed, reference %s", item.pk, reference)
        finding = messages.internal_error_finding(reference)
    item.invoice = None
    return FlowItemStatus.REFUSEE, [finding]


def _error_reference() -> str:
    """A short reference, logged with the error and shown to the depositor."""
    return uuid.uuid4().hex[:10]


def _validate_and_deposit(item: FlowItem, *, deadline: float) -> tuple[str, list[Finding]]:
    report = validate(
        item.received_file.read_bytes(),
        filename=item.name,
        depositor=item.flow.structure,
        deadline=deadline,
        recipient_check=lambda document: flow_kind_of(item.flow, document) is None,
    )
    findings = list(report.findings) + _syntax_findings(item.flow, report.format)
    item.format, item.profile = report.format or "", report.profile or ""
    if any(f.is_fatal for f in findings):
        return FlowItemStatus.REFUSEE, findings
    kind = flow_kind_of(item.flow, report.invoice)
    if kind is not None:
        return _kind_deposit(item, kind, report.invoice, findings)
    try:
        with transaction.atomic():
            item.invoice = _deposit(item, report)
    except IntegrityError:
        # Another invoice with this number got in first (CPP-011 held by the database).
        context = platform_rules.Context(detected=report.detected, depositor=item.flow.structure)
        findings.append(platform_rules.duplicate_finding(report.invoice, context))
        return FlowItemStatus.REFUSEE, findings
    return FlowItemStatus.INTEGREE, findings


def _kind_deposit(
    item: FlowItem, kind: FlowKind, document: canonical.Invoice, findings: list[Finding]
) -> tuple[str, list[Finding]]:
    """A document of a registered kind, handed to its app. An undeclared flow of this one
    document takes the kind's syntax (the report and the API then name it); an archive keeps
    none until it is finished, so that each of its documents is recognised by its own BT-23."""
    if not item.flow.syntax and not item.flow.items.exclude(pk=item.pk).exists():
        Flow.objects.filter(pk=item.flow_id, syntax="").update(syntax=kind.syntax)
    findings = findings + kind.deposit(
        item=item, document=document, actor=flow_depositor(item.flow)
    )
    if any(f.is_fatal for f in findings):
        return FlowItemStatus.REFUSEE, findings
    return FlowItemStatus.INTEGREE, findings


def _syntax_findings(flow: Flow, found_format: str | None) -> list[Finding]:
    """A flow declared in one syntax must hold that syntax (API deposits declare it)."""
    expected = _FORMAT_OF_SYNTAX.get(flow.syntax)
    if not expected or not found_format or found_format == expected:
        return []
    return [messages.syntax_mismatch_finding(flow.syntax, found_format)]


def _deposit(item: FlowItem, report):
    document = report.invoice
    recipient = rules.recipient_lookup(document.buyer_siret)
    service = None
    if recipient is not None and document.buyer_reference:
        service = recipient.services.filter(code=document.buyer_reference).first()
    invoice = invoice_create(
        document=document,
        received_file=item.received_file,
        syntax=report.format,
        profile=report.profile,
        supplier=item.flow.structure,
        recipient=recipient,
        service=service,
        actor=flow_depositor(item.flow),
        replaces=item.flow.replaces,
        channel=item.flow.channel,
    )
    invoice_route(invoice=invoice)
    return invoice


def _close_item(item: FlowItem, status: str, findings: list[Finding]) -> None:
    item.status = status
    item.findings = [finding.to_dict() for finding in findings]
    item.processed_at = timezone.now()
    item.save(update_fields=["status", "findings", "format", "profile", "invoice", "processed_at"])


def flow_finish(flow_id: int) -> str | None:
    """Gives the flow its final state once none of its invoices is waiting."""
    # Called after each invoice: while others wait, this one query is all it costs.
    if FlowItem.objects.filter(flow_id=flow_id, status=FlowItemStatus.EN_ATTENTE).exists():
        return None
    flow = Flow.objects.filter(pk=flow_id, status=FlowStatus.EN_COURS).first()
    if flow is None:
        return None
    counts = dict(
        flow.items.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    # No item yet (the split is running, or died, in another worker), or items recorded
    # since the first query: not finished.
    if not counts or counts.get(FlowItemStatus.EN_ATTENTE):
        return None
    if not counts.get(FlowItemStatus.REFUSEE):
        final = FlowStatus.INTEGRE
    elif counts.get(FlowItemStatus.INTEGREE):
        final = FlowStatus.INTEGRE_PARTIEL
    else:
        final = FlowStatus.REJETE
    if not flow.syntax:
        first = flow.items.exclude(format="").order_by("position").first()
        if first is not None and first.format in _SYNTAX_OF_FORMAT:
            Flow.objects.filter(pk=flow.pk).update(syntax=_SYNTAX_OF_FORMAT[first.format])
    flow_status_change(flow, final)
    return final


def flow_process_inline(flow_id: int) -> None:
    """Every step of a flow in this process, for a caller that answers with the result
    (`soumettre`, the demo seed); a worker that got there first leaves nothing to do."""
    for item_id in flow_split(flow_id):
        flow_item_process(item_id)
    flow_finish(flow_id)


def flows_stalled() -> list[int]:
    """Unfinished flows without progress for FLOW_STALL_SECONDS.

    A worker killed halfway leaves such flows behind; the sweep queues their processing
    again (every step being idempotent, queuing it twice is harmless).
    """
    cutoff = timezone.now() - timedelta(seconds=settings.FLOW_STALL_SECONDS)
    candidates = Flow.objects.filter(
        status__in=[FlowStatus.EN_ATTENTE, FlowStatus.EN_COURS], status_at__lt=cutoff
    ).exclude(items__processed_at__gte=cutoff)
    return list(candidates.values_list("pk", flat=True).distinct())
