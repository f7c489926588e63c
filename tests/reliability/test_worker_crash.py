"""A worker killed in the middle of a flow, then restarted, finishes it: nothing lost or doubled.

Real `celery -A chorus worker` processes on the real Redis and PostgreSQL (see conftest.py);
this process only deposits the flow (the processing is queued at once: transactional_db
commits) and watches the database.
"""

import time

import pytest

from invoices.enums import FlowItemStatus, FlowStatus
from invoices.models import Flow
from invoices.tasks import flow_item_task, flow_process_task
from tests.reliability.conftest import RECOVERY_DELAY
from tests.reliability.flows import assert_integrated_once, deposit, progress

pytestmark = pytest.mark.slow

FINAL_WAIT = 300  # seconds: generous for a loaded 2-core machine; no assertion on speed


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


def test_a_worker_killed_mid_flow_and_restarted_finishes_it_once(workers):
    count = 80
    first = workers.start()
    first.wait_ready()
    flow = deposit(count)

    _wait(
        lambda: _integrated(flow) >= 5,
        FINAL_WAIT,
        lambda: f"the first worker integrated no invoice ({progress(flow)})",
        workers,
    )
    first.kill()  # kill -9 of the main process and its pool children, mid-flow
    assert _integrated(flow) < count, "the flow ended before the kill: deposit more invoices"
    assert not _is_final(flow), progress(flow)

    # Redis gives back the unacknowledged messages, and the sweep at worker start re-queues
    # the flow, once the visibility timeout and the stall delay have passed.
    time.sleep(RECOVERY_DELAY)
    second = workers.start()
    _wait(
        lambda: _is_final(flow),
        FINAL_WAIT,
        lambda: f"the flow did not finish after the restart ({progress(flow)})",
        workers,
    )
    workers.wait_idle(second)  # late duplicates (redelivered, re-queued) have run too

    assert_integrated_once(flow, count)


def test_every_task_delivered_again_to_a_real_worker_creates_nothing_twice(workers):
    count = 12
    worker = workers.start()
    worker.wait_ready()
    flow = deposit(count)
    flow_process_task.delay(flow.pk)  # the same message, delivered twice more, at once
    flow_process_task.delay(flow.pk)
    _wait(
        lambda: _is_final(flow),
        FINAL_WAIT,
        lambda: f"the flow did not finish ({progress(flow)})",
        workers,
    )

    for item_id in flow.items.values_list("pk", flat=True):
        flow_item_task.delay(flow.pk, item_id)
        flow_item_task.delay(flow.pk, item_id)
    flow_process_task.delay(flow.pk)
    workers.wait_idle(worker)

    assert_integrated_once(flow, count)
