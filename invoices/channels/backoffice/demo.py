"""The back office in the demo world (`seed_demo`): invoices dated as their story tells, so
that the dashboard shows what waits and for how long, and a finished bulk operation.

Idempotent: an invoice already dated is left as it is; the bulk operation is made once.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from chorus.models import Membership
from invoices.channels.backoffice.bulk import bulk_operation_create, bulk_operation_run
from invoices.channels.backoffice.models import BulkOperation
from invoices.demo import DemoInvoice
from invoices.demo import tasks_inline as tasks_inline
from invoices.models import Invoice, InvoiceStatusChange

# The platform's own moves, right after the deposit.
_ROUTING = ("create", "route", "make_available", "deliver")
DEPOSIT_HOUR = 9


@dataclass(frozen=True)
class DemoBulk:
    """A bulk operation of the demo: `by` (an agent's e-mail) on `numbers` of `structure`."""

    by: str
    structure: str  # SIRET
    action: str
    numbers: tuple[str, ...]
    comment: str


def backoffice_demo_seed(*, invoices: list[DemoInvoice], bulk: DemoBulk) -> None:
    """Dates the demo invoices, then runs the bulk operation (tasks and e-mails inline, as
    for the demo invoices)."""
    with tasks_inline():
        for spec in invoices:
            invoice = Invoice.objects.filter(
                supplier__identifier=spec.supplier, number=spec.number
            ).first()
            if invoice is not None:
                demo_invoice_date(invoice)
        demo_bulk_seed(bulk)


@transaction.atomic
def demo_invoice_date(invoice: Invoice) -> None:
    """Dates a demo invoice deposited just now as its story goes: deposited the day after
    its issue date, routed at once, each later move spread evenly until now."""
    deposit = timezone.make_aware(
        datetime.datetime.combine(
            invoice.issue_date + datetime.timedelta(days=1), datetime.time(DEPOSIT_HOUR)
        )
    )
    now = timezone.now()
    if deposit >= now - datetime.timedelta(hours=1) or invoice.created_at <= deposit:
        return  # issued today or yesterday, or dated already
    changes = list(invoice.history.order_by("at", "pk"))
    routing = [c for c in changes if c.action in _ROUTING]
    later = [c for c in changes if c.action not in _ROUTING]
    for step, change in enumerate(routing):
        change.at = deposit + datetime.timedelta(minutes=step)
    for step, change in enumerate(later, start=1):
        change.at = deposit + (now - deposit) * step / (len(later) + 1)
    InvoiceStatusChange.objects.bulk_update(changes, ["at"])
    last = changes[-1].at if changes else deposit
    fields = {"created_at": deposit, "status_at": last}
    if invoice.rejection_acknowledged_at is not None:
        fields["rejection_acknowledged_at"] = last
    Invoice.objects.filter(pk=invoice.pk).update(**fields)


def demo_bulk_seed(spec: DemoBulk) -> BulkOperation:
    """The demo agent's bulk operation, made and run once."""
    membership = Membership.objects.select_related("user", "structure").get(
        user__email=spec.by, structure__identifier=spec.structure
    )
    operation = BulkOperation.objects.filter(
        structure=membership.structure, comment=spec.comment
    ).first()
    if operation is None:
        ids = list(
            Invoice.objects.filter(
                recipient=membership.structure, number__in=spec.numbers
            ).values_list("pk", flat=True)
        )
        with transaction.atomic():
            operation = bulk_operation_create(
                membership=membership, action=spec.action, comment=spec.comment, invoice_ids=ids
            )
    # Run here whether or not a worker is there: a task arriving later finds it finished.
    bulk_operation_run(operation.pk)
    return operation
