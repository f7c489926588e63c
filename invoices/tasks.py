"""Celery tasks of the deposit pipeline: thin, idempotent, re-runnable (see ingestion.pipeline)."""

import logging

from celery import shared_task
from celery.signals import task_prerun, worker_process_init, worker_ready
from django.conf import settings
from django.db import close_old_connections

from chorus.tasks import MAIL_RETRY
from invoices.ingestion import pipeline

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": pipeline.TRANSIENT, "retry_backoff": True, "max_retries": 5}


@shared_task(acks_late=True, **RETRY)
def flow_process_task(flow_id: int) -> None:
    """Splits a flow into its invoices and queues each; finishes a flow with none waiting."""
    waiting = pipeline.flow_split(flow_id)
    for item_id in waiting:
        flow_item_task.delay(flow_id, item_id)
    if not waiting:
        pipeline.flow_finish(flow_id)


# Past its budget an invoice is asked to stop (and refused, see pipeline.flow_item_process);
# one that cannot stop is killed a minute later, and refused once out of tries.
@shared_task(
    acks_late=True,
    soft_time_limit=settings.INVOICE_TIME_BUDGET_SECONDS,
    time_limit=settings.INVOICE_TIME_BUDGET_SECONDS + 60,
    **RETRY,
)
def flow_item_task(flow_id: int, item_id: int) -> None:
    pipeline.flow_item_process(item_id)
    if pipeline.flow_item_waiting(item_id) and not flow_item_task.request.is_eager:
        # Another worker holds the invoice: look again later, in case it dies holding it
        # (this message is acknowledged, and the sweep may not see the flow as stalled).
        flow_item_task.apply_async((flow_id, item_id), countdown=settings.FLOW_STALL_SECONDS)
    pipeline.flow_finish(flow_id)


@shared_task(acks_late=True, **RETRY)
def flow_reports_publish_task(flow_id: int) -> None:
    """A final flow's reports go where its depositor awaits them: an EDI partner's out/.
    The portal and the API build theirs on demand. Publishing again is harmless."""
    from invoices.channels.edi.publish import flow_reports_publish

    flow_reports_publish(flow_id)


@shared_task(acks_late=True, **RETRY)
def flows_resume_task() -> int:
    """Queues again the work of flows left unfinished (a worker killed halfway)."""
    stalled = pipeline.flows_stalled()
    for flow_id in stalled:
        flow_process_task.delay(flow_id)
    if stalled:
        logger.info("resumed %d stalled flows", len(stalled))
    return len(stalled)


@shared_task(acks_late=True, **RETRY)
def invoice_edi_deliver_task(invoice_id: int) -> None:
    """Writes an invoice routed to an EDI recipient in its out/, then makes it available."""
    from invoices.channels.edi.deliver import invoice_edi_deliver

    invoice_edi_deliver(invoice_id)


@shared_task(acks_late=True, **RETRY)
def invoices_deliveries_resume_task() -> int:
    """Queues again the EDI deliveries left undone (a worker killed halfway, no account)."""
    from invoices.channels.edi.deliver import invoices_awaiting_edi_delivery

    waiting = invoices_awaiting_edi_delivery()
    for invoice_id in waiting:
        invoice_edi_deliver_task.delay(invoice_id)
    if waiting:
        logger.info("queued again %d EDI deliveries", len(waiting))
    return len(waiting)


@shared_task(acks_late=True, **RETRY)
def status_file_process_task(status_file_id: int) -> None:
    """Applies a recipient's status file line by line, then writes its report in out/."""
    from invoices.channels.edi.status_files import status_file_process

    status_file_process(status_file_id)


@shared_task(acks_late=True, **MAIL_RETRY)
def invoice_change_notify_task(change_id: int) -> None:
    """E-mails the people an invoice's change concerns (invoices.notifications)."""
    from invoices.notifications import invoice_change_notify

    invoice_change_notify(change_id)


@worker_ready.connect
def _resume_on_start(sender=None, **kwargs):
    flows_resume_task.delay()
    invoices_deliveries_resume_task.delay()


@task_prerun.connect
def _drop_stale_connections(task=None, **kwargs):
    # Connections are reused across tasks (CELERY_DB_REUSE_MAX): as Django does before each
    # request, drop one that broke or outlived CONN_MAX_AGE, so a retry gets a fresh one.
    # Never for a task run inline, inside the caller's transaction.
    if task is not None and not task.request.is_eager:
        close_old_connections()


@worker_process_init.connect
def _compile_stylesheets(**kwargs):
    # Each worker process compiles the official rules once, before its first invoice.
    from invoices.validation import schematron

    for name in (schematron.EN16931_UBL, schematron.FACTURX_EN16931):
        schematron.executable(name)
