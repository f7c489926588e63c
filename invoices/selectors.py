"""Reads of invoices and flows within what a structure may see (API, portal).

A structure sees the invoices it issued (as supplier) and the invoices it received (as
recipient), and the flows it deposited; within a recipient, an agent sees those of their
services. Anything else does not exist for it: callers answer
"not found", never "forbidden", so that nobody learns what others hold.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import JSONField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from lxml import etree

from chorus.models import Membership, Structure
from invoices.enums import FlowItemStatus, InvoiceStatus
from invoices.formats import read
from invoices.models import Flow, FlowItem, Invoice, InvoiceStatusChange
from rejections.models import Motive


def invoices_issued_by(structure: Structure) -> QuerySet[Invoice]:
    return _with_relations(Invoice.objects.filter(supplier=structure))


def invoices_received_by(structure: Structure) -> QuerySet[Invoice]:
    return _with_relations(Invoice.objects.filter(recipient=structure))


def invoices_received_for(membership: Membership) -> QuerySet[Invoice]:
    """The invoices an agent acts on: the whole structure's for a manager, else those of
    the agent's services and those without a service (as `invoices.workflow.acts_for_invoice`
    decides for each one)."""
    invoices = Invoice.objects.filter(recipient=membership.structure_id)
    if not membership.is_manager:
        invoices = invoices.filter(
            Q(service__isnull=True) | Q(service__in=membership.services.all())
        )
    return _with_relations(invoices)


def invoice_timeline(invoice: Invoice) -> list[InvoiceStatusChange]:
    """The invoice's history, oldest first, each move with its motive (`motive_label`, the
    catalogue's label) and the attachments it came with (`added`)."""
    changes = list(
        invoice.history.select_related("structure").prefetch_related("attachments__upload")
    )
    codes = {change.motive for change in changes if change.motive}
    labels = {m.code: m.label for m in Motive.objects.filter(code__in=codes)}
    for change in changes:
        change.motive_label = labels.get(change.motive, change.motive)
        change.added = [attachment.upload for attachment in change.attachments.all()]
    return changes


def invoices_visible_to(structure: Structure) -> QuerySet[Invoice]:
    """Issued or received: what a structure may consult, follow and download."""
    return _with_relations(Invoice.objects.filter(Q(supplier=structure) | Q(recipient=structure)))


# The identifier column of each party an invoice list may be searched by.
_PARTY_IDENTIFIER = {"supplier": "seller_identifier", "recipient": "buyer_identifier"}


def invoices_listed(
    invoices: QuerySet[Invoice],
    *,
    party: str,
    term: str = "",
    number: str = "",
    status: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Invoice]:
    """The filters of the invoice lists (the supplier's and the agents'): a number or a part
    of it, the other `party` ("supplier" or "recipient") by a part of its name or the start of
    its SIRET, a status, issue dates."""
    if number.strip():
        invoices = invoices.filter(number__icontains=number.strip())
    if term.strip():
        term = term.strip()
        invoices = invoices.filter(
            Q(**{f"{party}__legal_name__icontains": term})
            | Q(**{f"{_PARTY_IDENTIFIER[party]}__startswith": term})
        )
    if status:
        invoices = invoices.filter(status=status)
    if date_from:
        invoices = invoices.filter(issue_date__gte=date_from)
    if date_to:
        invoices = invoices.filter(issue_date__lte=date_to)
    return invoices


def _with_relations(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return invoices.select_related(
        "supplier", "recipient", "service", "received_file", "flow_item__flow"
    )


@dataclass(frozen=True)
class RecipientFilter:
    """A recipient structure, narrowed to some of its services when any are given."""

    structure_id: int
    service_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class InvoiceCriteria:
    """Search criteria; each one left empty is ignored. Amount bounds are inclusive."""

    flow_number: str = ""
    number: str = ""
    statuses: tuple[str, ...] = ()
    deposited_from: datetime.date | None = None
    deposited_to: datetime.date | None = None
    issued_from: datetime.date | None = None
    issued_to: datetime.date | None = None
    recipients: tuple[RecipientFilter, ...] = ()
    supplier_ids: tuple[int, ...] = ()
    service_ids: tuple[int, ...] = ()  # services of the recipient
    total_without_vat_min: Decimal | None = None
    total_without_vat_max: Decimal | None = None
    total_with_vat_min: Decimal | None = None
    total_with_vat_max: Decimal | None = None
    amount_due_min: Decimal | None = None
    amount_due_max: Decimal | None = None
    order_reference: str = ""  # BT-13, the engagement juridique
    contract_reference: str = ""  # BT-12
    type_codes: tuple[str, ...] = ()


def invoice_search(invoices: QuerySet[Invoice], criteria: InvoiceCriteria) -> QuerySet[Invoice]:
    """Narrows a visible set of invoices (`invoices_issued_by`...) down to the criteria."""
    filters = Q()
    if criteria.flow_number:
        filters &= Q(flow_item__flow__number=criteria.flow_number.strip())
    if criteria.number:
        filters &= Q(number=criteria.number.strip())
    if criteria.statuses:
        filters &= Q(status__in=criteria.statuses)
    if criteria.deposited_from:
        filters &= Q(created_at__date__gte=criteria.deposited_from)
    if criteria.deposited_to:
        filters &= Q(created_at__date__lte=criteria.deposited_to)
    if criteria.issued_from:
        filters &= Q(issue_date__gte=criteria.issued_from)
    if criteria.issued_to:
        filters &= Q(issue_date__lte=criteria.issued_to)
    if criteria.recipients:
        filters &= _any_recipient(criteria.recipients)
    for field, values in (
        ("supplier_id", criteria.supplier_ids),
        ("service_id", criteria.service_ids),
        ("type_code", criteria.type_codes),
    ):
        if values:
            filters &= Q(**{f"{field}__in": values})
    for field, low, high in (
        ("total_without_vat", criteria.total_without_vat_min, criteria.total_without_vat_max),
        ("total_with_vat", criteria.total_with_vat_min, criteria.total_with_vat_max),
        ("amount_due", criteria.amount_due_min, criteria.amount_due_max),
    ):
        if low is not None:
            filters &= Q(**{f"{field}__gte": low})
        if high is not None:
            filters &= Q(**{f"{field}__lte": high})
    if criteria.order_reference:
        filters &= Q(order_reference=criteria.order_reference.strip())
    if criteria.contract_reference:
        filters &= Q(document__contract_reference=criteria.contract_reference.strip())
    return invoices.filter(filters)


def _any_recipient(recipients: tuple[RecipientFilter, ...]) -> Q:
    matches = Q()
    for recipient in recipients:
        match = Q(recipient_id=recipient.structure_id)
        if recipient.service_ids:
            match &= Q(service_id__in=recipient.service_ids)
        matches |= match
    return matches


def invoice_visible(structure: Structure, invoice_id: int) -> Invoice | None:
    return invoices_visible_to(structure).filter(pk=invoice_id).first()


def invoices_by_ids(invoices: QuerySet[Invoice], ids: Iterable[int]) -> dict[int, Invoice]:
    """The invoices of `ids` found in the visible set, by id (missing ids are absent)."""
    return {invoice.pk: invoice for invoice in invoices.filter(pk__in=set(ids))}


def invoice_flow(invoice: Invoice) -> Flow | None:
    """The flow that brought the invoice in (None for an invoice recorded otherwise)."""
    try:
        return invoice.flow_item.flow
    except FlowItem.DoesNotExist:
        return None


def flows_of(structure: Structure) -> QuerySet[Flow]:
    return Flow.objects.filter(structure=structure)


def flow_of(structure: Structure, number: str) -> Flow | None:
    return flows_of(structure).filter(number=number.strip()).first()


@dataclass(frozen=True)
class RefusedInvoice:
    """A refused invoice of a flow, named as well as its file allows, with its findings."""

    position: int
    filename: str
    number: str  # the invoice number when the file can be read, else the file name
    seller_identifier: str
    buyer_identifier: str
    findings: list[dict]


def flow_refused_invoices(flow: Flow) -> list[RefusedInvoice]:
    items = flow.items.filter(status=FlowItemStatus.REFUSEE).select_related("received_file")
    return [_refused(flow, item) for item in items.order_by("position")]


def _refused(flow: Flow, item: FlowItem) -> RefusedInvoice:
    number, seller, buyer = item.name, flow.structure.identifier, ""
    try:
        _detected, document = read(item.received_file.read_bytes(), item.name)
    except (ValueError, etree.LxmlError):
        pass  # unreadable: the findings say why; the file name identifies it
    else:
        number = document.number or number
        seller = document.seller_siret or seller
        buyer = document.buyer_siret or ""
    return RefusedInvoice(
        position=item.position,
        filename=item.name,
        number=number,
        seller_identifier=seller,
        buyer_identifier=buyer,
        findings=list(item.findings),
    )


# The invoices waiting for a move of their supplier, each with the one move it needs.
SUPPLIER_RETURNS = (InvoiceStatus.REJETEE, InvoiceStatus.SUSPENDUE, InvoiceStatus.A_RECYCLER)
# How far back a refused deposit stays on the supplier's list of returns.
REFUSED_DEPOSITS_DAYS = 30


def invoices_returned_to(structure: Structure) -> list[Invoice]:
    """The structure's invoices that wait for it (rejected and not yet acknowledged,
    suspended, to recycle), newest move first, each with its last move's `motive`,
    `comment`, `lines` and `disputed_amount` (annotated, `last_` prefixed) and `reason`
    (the catalogue's Motive, or None)."""
    last = InvoiceStatusChange.objects.filter(
        invoice=OuterRef("pk"), target=OuterRef("status")
    ).order_by("-at", "-pk")
    invoices = list(
        Invoice.objects.filter(supplier=structure, status__in=SUPPLIER_RETURNS)
        .exclude(status=InvoiceStatus.REJETEE, rejection_acknowledged_at__isnull=False)
        .select_related("recipient", "service")
        .annotate(
            last_motive=Subquery(last.values("motive")[:1]),
            last_comment=Subquery(last.values("comment")[:1]),
            last_lines=Subquery(last.values("lines")[:1], output_field=JSONField()),
            last_disputed_amount=Subquery(last.values("disputed_amount")[:1]),
        )
        .order_by("-status_at", "-pk")
    )
    codes = {invoice.last_motive for invoice in invoices if invoice.last_motive}
    motives = {motive.code: motive for motive in Motive.objects.filter(code__in=codes)}
    for invoice in invoices:
        invoice.reason = motives.get(invoice.last_motive)
    return invoices


def deposits_refused_to(structure: Structure) -> QuerySet[FlowItem]:
    """The invoices of the structure's flows refused at deposit in the last
    REFUSED_DEPOSITS_DAYS days, newest first."""
    since = timezone.now() - datetime.timedelta(days=REFUSED_DEPOSITS_DAYS)
    return (
        FlowItem.objects.filter(
            flow__structure=structure,
            status=FlowItemStatus.REFUSEE,
            flow__created_at__gte=since,
        )
        .select_related("flow")
        .order_by("-flow__created_at", "position")
    )
