"""How many invoices each recipient holds per service and status, kept as they move.

The inbox shows its tabs' counts on every page: counting a recipient's invoices there would
scan millions of rows each time. Instead `InvoiceCount` holds one row per (recipient,
service, status), changed in the same transaction as the move that changes it: the invoice
workflow calls `invoice_counts_on_move` from `status_transition` and from the deposit's first
history row (`Workflow.on_move`), and a change of recipient or service (recycling) calls
`invoice_counts_reroute`. Each change is one upsert, so two concurrent moves never lose a count;
its rows are taken in key order, so two moves never wait on each other in a cycle.

Counts are exact, not estimates: a count that went wrong anyway (rows written by hand) is
rebuilt from the invoices by `manage.py invoice_counts_rebuild`.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from chorus.models import Membership, Service, Structure
from invoices.models import Invoice, InvoiceCount

Key = tuple[int, int, str]  # recipient id, service id (0 for none), status


def _key(recipient_id: int | None, service_id: int | None, status: str) -> Key | None:
    if recipient_id is None:
        return None  # an invoice no recipient was found for is nobody's to count
    return (recipient_id, service_id or 0, status)


def invoice_counts_add(deltas: Iterable[tuple[Key | None, int]]) -> None:
    """Adds each delta to its key's count, in one statement, in the caller's transaction."""
    totals: Counter = Counter()
    for key, delta in deltas:
        if key is not None:
            totals[key] += delta
    rows = sorted((key, delta) for key, delta in totals.items() if delta)
    if not rows:
        return
    table = connection.ops.quote_name(InvoiceCount._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    params = [
        part
        for (recipient, service, status), delta in rows
        for part in (recipient, service, status, delta)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (recipient_id, service_key, status, count) VALUES {values} "
            f"ON CONFLICT (recipient_id, service_key, status) "
            f"DO UPDATE SET count = {table}.count + excluded.count",
            params,
        )


def invoice_counts_on_move(document: Invoice, source: str, target: str) -> None:
    """The invoice workflow's `on_move`: one invoice leaves `source` ("" when it is new) for
    `target`."""
    if source == target:
        return
    invoice_counts_add(
        [
            (_key(document.recipient_id, document.service_id, source), -1) if source else (None, 0),
            (_key(document.recipient_id, document.service_id, target), 1),
        ]
    )


def invoice_counts_reroute(
    *, invoice: Invoice, recipient: Structure | None, service: Service | None
) -> None:
    """The invoice (still with its old recipient and service) is about to be sent to
    `recipient` and `service`."""
    invoice_counts_add(
        [
            (_key(invoice.recipient_id, invoice.service_id, invoice.status), -1),
            (
                _key(
                    recipient.pk if recipient else None,
                    service.pk if service else None,
                    invoice.status,
                ),
                1,
            ),
        ]
    )


@transaction.atomic
def invoice_counts_rebuild(*, recipient_ids: Iterable[int] | None = None) -> int:
    """Counts the invoices again (of `recipient_ids`, or all) and replaces the kept counts;
    returns how many count rows there are now. Holds the counts' rows locked meanwhile."""
    counts = InvoiceCount.objects.all()
    invoices = Invoice.objects.filter(recipient__isnull=False)
    if recipient_ids is not None:
        recipient_ids = list(recipient_ids)
        counts = counts.filter(recipient_id__in=recipient_ids)
        invoices = invoices.filter(recipient_id__in=recipient_ids)
    counts.delete()
    rows = [
        InvoiceCount(
            recipient_id=row["recipient_id"],
            service_key=row["service_id"] or 0,
            status=row["status"],
            count=row["n"],
        )
        for row in invoices.order_by()
        .values("recipient_id", "service_id", "status")
        .annotate(n=Count("id"))
    ]
    InvoiceCount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def invoice_counts_for(
    membership: Membership, *, service_ids: Iterable[int] = ()
) -> dict[str, int]:
    """The invoices per status an agent sees (their services' and those without a service;
    the whole structure's for a manager), narrowed to `service_ids` when given."""
    counts = InvoiceCount.objects.filter(recipient_id=membership.structure_id)
    service_ids = [int(pk) for pk in service_ids]
    if not membership.is_manager:
        own = set(membership.services.values_list("pk", flat=True)) | {0}
        service_ids = [pk for pk in service_ids if pk in own] if service_ids else sorted(own)
        counts = counts.filter(service_key__in=service_ids)
    elif service_ids:
        counts = counts.filter(service_key__in=service_ids)
    rows = counts.values("status").annotate(total=Sum("count")).filter(~Q(total=0))
    return {row["status"]: row["total"] for row in rows}
