"""The counts per recipient, service and status (invoices.counts) stay right when agents move
invoices of one service at the same moment, crossed ways included."""

import threading

import pytest
from django.db import connection, connections

from chorus.workflow import Actor, TransitionRefused
from invoices.counts import invoice_counts_for
from invoices.enums import InvoiceStatus
from invoices.models import Invoice
from invoices.services import invoice_certify, invoice_mandate, invoice_route
from tests.chorus.factories import MembershipFactory, ServiceFactory
from tests.invoices.factories import stored_invoice

pytestmark = pytest.mark.django_db(transaction=True)
S = InvoiceStatus


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database: set DATABASE_URL to PostgreSQL",
)
def test_simultaneous_moves_keep_the_counts_right():
    service = ServiceFactory()
    manager = MembershipFactory(structure=service.structure)
    invoices = []
    for _ in range(8):
        invoice = stored_invoice(service=service)
        invoice_route(invoice=invoice)
        invoices.append(invoice)
    # Half already certified: the others' certification and these' mandate cross the same
    # two count rows in opposite directions.
    for invoice in invoices[4:]:
        invoice_certify(invoice=Invoice.objects.get(pk=invoice.pk), actor=Actor.member(manager))
    start = threading.Barrier(len(invoices) + 2)
    outcomes = []

    def act(invoice_id, move):
        try:
            invoice = Invoice.objects.get(pk=invoice_id)
            start.wait()
            move(invoice)
            outcomes.append("moved")
        except TransitionRefused as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    actor = Actor.member(manager)
    jobs = [(i.pk, lambda inv: invoice_certify(invoice=inv, actor=actor)) for i in invoices[:4]]
    jobs += [
        (i.pk, lambda inv: invoice_mandate(invoice=inv, actor=actor, mandate_number="M1"))
        for i in invoices[4:]
    ]
    # Two more agents certify invoices already being certified: one of each pair is refused.
    jobs += [(invoices[0].pk, lambda inv: invoice_certify(invoice=inv, actor=actor))] * 2
    threads = [threading.Thread(target=act, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (
        outcomes.count("moved") == 8
        and outcomes.count("concurrent") + outcomes.count("wrong_status") == 2
    )
    actual = {}
    for status in Invoice.objects.filter(service=service).values_list("status", flat=True):
        actual[status] = actual.get(status, 0) + 1
    assert invoice_counts_for(manager) == actual == {S.SERVICE_FAIT: 4, S.MANDATEE: 4}
