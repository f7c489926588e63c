"""A worker killed in the middle of a flow, then restarted, finishes it: nothing lost or doubled.

Real `celery -A chorus worker` processes on the real Redis and PostgreSQL (see conftest.py);
this process only deposits the flow and watches the database.
"""

import io
import time
import zipfile

import pytest

from invoices.enums import (
    DepositChannel,
    FlowItemStatus,
    FlowStatus,
    InvoiceStatus,
)
from invoices.formats import write_cii, write_ubl
from invoices.ingestion.receive import flow_receive
from invoices.models import Flow, FlowItem, Invoice, InvoiceStatusChange
from invoices.tasks import flow_item_task, flow_process_task
from tests.chorus.factories import MembershipFactory, ServiceFactory, StructureFactory
from tests.invoices.factories import french_invoice
from tests.reliability.conftest import RECOVERY_DELAY

pytestmark = pytest.mark.slow

FINAL_WAIT = 300  # seconds: generous for a loaded 2-core machine; no assertion on speed


def _batch(supplier, service, count: int) -> bytes:
    """A zip of `count` valid invoices with distinct numbers, UBL and CII alternately."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(count):
            document = french_invoice(
                number=f"FA-2025-{index:05d}",
                seller_siret=supplier.identifier,
                buyer_siret=service.structure.identifier,
                service_code=service.code,
                engagement=None,
            )
            writer, extension = (write_ubl, "ubl") if index % 2 else (write_cii, "cii")
            archive.writestr(f"facture-{index:05d}.{extension}.xml", writer(document))
    return buffer.getvalue()


def _deposit(count: int) -> Flow:
    supplier = StructureFactory()
    service = ServiceFactory()
    user = MembershipFactory(structure=supplier).user
    # Autocommit (transactional_db): the processing is queued at once, to the workers.
    return flow_receive(
        data=_batch(supplier, service, count),
        filename="lot.zip",
        channel=DepositChannel.EDI,
        structure=supplier,
        user=user,
    ).flow


def _progress(flow: Flow) -> str:
    statuses = dict.fromkeys(FlowItemStatus.values, 0)
    for status in flow.items.values_list("status", flat=True):
        statuses[status] += 1
    flow.refresh_from_db()
    return f"flow {flow.number} {flow.status}, items {statuses}"


def _wait(condition, timeout: float, failure, workers) -> None:
    """Polls the database until `condition()`; fails with `failure()` said as it stands then."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{failure()} after {timeout} s\n{workers.logs()}")
        time.sleep(0.05)


def _integrated(flow: Flow) -> int:
    return flow.items.filter(status=FlowItemStatus.INTEGREE).count()


def _is_final(flow: Flow) -> bool:
    return Flow.objects.filter(pk=flow.pk, status__in=FlowStatus.final()).exists()


def _assert_integrated_once(flow: Flow, count: int) -> None:
    flow.refresh_from_db()
    assert flow.status == FlowStatus.INTEGRE, _progress(flow)
    items = list(flow.items.select_related("invoice"))
    assert len(items) == count
    assert all(item.status == FlowItemStatus.INTEGREE and item.invoice for item in items)
    assert not FlowItem.objects.filter(status=FlowItemStatus.EN_ATTENTE).exists()
    invoices = Invoice.objects.filter(supplier=flow.structure)
    assert invoices.count() == count
    assert len({item.invoice_id for item in items}) == count
    assert len(set(invoices.values_list("number", flat=True))) == count
    assert set(invoices.values_list("status", flat=True)) == {InvoiceStatus.MISE_A_DISPOSITION}
    histories: dict[int, list[str]] = {}
    for change in InvoiceStatusChange.objects.filter(invoice__in=invoices).order_by("at", "pk"):
        histories.setdefault(change.invoice_id, []).append(change.target)
    assert set(map(tuple, histories.values())) == {("DEPOSEE", "MISE_A_DISPOSITION")}
    assert len(histories) == count
    targets = list(flow.history.order_by("at", "pk").values_list("target", flat=True))
    assert [t for t in targets if t in FlowStatus.final()] == [FlowStatus.INTEGRE]
    assert targets == [FlowStatus.RECU, FlowStatus.EN_ATTENTE, FlowStatus.EN_COURS] + [
        FlowStatus.INTEGRE
    ]
    # The flow became final only once its last invoice was done, not before.
    last_item = max(item.processed_at for item in items)
    assert flow.history.get(target=FlowStatus.INTEGRE).at >= last_item


def test_a_worker_killed_mid_flow_and_restarted_finishes_it_once(workers):
    count = 80
    first = workers.start()
    first.wait_ready()
    flow = _deposit(count)

    _wait(
        lambda: _integrated(flow) >= 5,
        FINAL_WAIT,
        lambda: f"the first worker integrated no invoice ({_progress(flow)})",
        workers,
    )
    first.kill()  # kill -9 of the main process and its pool children, mid-flow
    done_before_crash = _integrated(flow)
    assert done_before_crash < count, "the flow ended before the kill: deposit more invoices"
    assert not _is_final(flow), _progress(flow)

    # Redis gives back the unacknowledged messages, and the sweep at worker start re-queues
    # the flow, once the visibility timeout and the stall delay have passed.
    time.sleep(RECOVERY_DELAY)
    second = workers.start()
    _wait(
        lambda: _is_final(flow),
        FINAL_WAIT,
        lambda: f"the flow did not finish after the restart ({_progress(flow)})",
        workers,
    )
    workers.wait_idle(second)  # late duplicates (redelivered, re-queued) have run too

    _assert_integrated_once(flow, count)


def test_every_task_delivered_again_to_a_real_worker_creates_nothing_twice(workers):
    count = 12
    worker = workers.start()
    worker.wait_ready()
    flow = _deposit(count)
    flow_process_task.delay(flow.pk)  # the same message, delivered twice more, at once
    flow_process_task.delay(flow.pk)
    _wait(
        lambda: _is_final(flow),
        FINAL_WAIT,
        lambda: f"the flow did not finish ({_progress(flow)})",
        workers,
    )

    for item_id in flow.items.values_list("pk", flat=True):
        flow_item_task.delay(flow.pk, item_id)
        flow_item_task.delay(flow.pk, item_id)
    flow_process_task.delay(flow.pk)
    workers.wait_idle(worker)

    _assert_integrated_once(flow, count)
