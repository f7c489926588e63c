"""Each task of the pipeline run again, in this process: nothing is created twice.

The same checks as the real-worker tests, on any database (tasks run inline), for a message
delivered twice, a step run again after a crash, and the sweep queuing a finished flow.
"""

import pytest

from invoices.ingestion import pipeline
from invoices.models import FlowItem
from invoices.tasks import flow_item_task, flow_process_task, flows_resume_task
from tests.reliability.flows import assert_integrated_once, deposit

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_flow(django_capture_on_commit_callbacks):
    """A deposited flow whose processing was queued but has not run: no worker yet."""
    with django_capture_on_commit_callbacks(execute=False) as queued:
        flow = deposit(4)
    assert len(queued) == 1
    return flow


def test_the_flow_task_delivered_twice_integrates_each_invoice_once(queued_flow):
    flow_process_task.apply(args=[queued_flow.pk])
    flow_process_task.apply(args=[queued_flow.pk])
    assert_integrated_once(queued_flow, 4)


def test_item_tasks_delivered_twice_after_the_flow_ended_change_nothing(queued_flow):
    flow_process_task.apply(args=[queued_flow.pk])
    for item_id in FlowItem.objects.values_list("pk", flat=True):
        flow_item_task.apply(args=[queued_flow.pk, item_id])
        flow_item_task.apply(args=[queued_flow.pk, item_id])
    assert_integrated_once(queued_flow, 4)


def test_item_tasks_delivered_before_the_flow_task_run_once(queued_flow):
    """A crash after the split: the items' messages come back before the flow's."""
    for item_id in pipeline.flow_split(queued_flow.pk):
        flow_item_task.apply(args=[queued_flow.pk, item_id])
        flow_item_task.apply(args=[queued_flow.pk, item_id])
    flow_process_task.apply(args=[queued_flow.pk])
    assert_integrated_once(queued_flow, 4)


def test_the_sweep_leaves_a_finished_flow_alone(queued_flow, settings):
    flow_process_task.apply(args=[queued_flow.pk])
    settings.FLOW_STALL_SECONDS = 0
    assert flows_resume_task.apply().get() == 0
    assert_integrated_once(queued_flow, 4)
