"""On a real worker, an invoice past its time budget is asked to stop (the task's soft time
limit) and refused with that reason: its flow reaches its final state."""

import time

import pytest

from invoices.enums import DepositChannel, FlowItemStatus, FlowStatus
from invoices.formats import write_cii
from invoices.ingestion.receive import flow_receive
from invoices.models import Flow, Invoice
from invoices.samples import french_invoice, invoice_lines
from tests.chorus.factories import MembershipFactory, ServiceFactory, StructureFactory

pytestmark = pytest.mark.slow


def test_an_invoice_past_its_budget_on_a_real_worker_is_refused(workers):
    worker = workers.start(INVOICE_TIME_BUDGET_SECONDS="1")
    worker.wait_ready()
    supplier, service = StructureFactory(), ServiceFactory()
    user = MembershipFactory(structure=supplier).user
    document = french_invoice(  # 2,000 lines: several seconds of Schematron
        seller_siret=supplier.identifier,
        buyer_siret=service.structure.identifier,
        service_code=service.code,
        engagement=None,
        lines=invoice_lines(2000),
    )
    flow = flow_receive(
        data=write_cii(document),
        filename="longue.xml",
        channel=DepositChannel.EDI,
        structure=supplier,
        user=user,
    ).flow

    deadline = time.monotonic() + 300
    while not Flow.objects.filter(pk=flow.pk, status__in=FlowStatus.final()).exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the flow did not finish\n{workers.logs()}")
        time.sleep(0.1)

    flow.refresh_from_db()
    (item,) = flow.items.all()
    assert (flow.status, item.status) == (FlowStatus.REJETE, FlowItemStatus.REFUSEE)
    assert [f["rule"] for f in item.findings] == ["CPP-DELAI"], workers.logs()
    message = item.findings[0]["message"]
    assert "(1 s)" in message
    # Stopped by the task's soft time limit, mid-stage (the deadline between stages names one).
    assert "étape" not in message
    assert not Invoice.objects.exists()
