"""The task of the bulk operations: thin, idempotent, safe to run again (see bulk.py)."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from invoices.channels.backoffice import bulk


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def bulk_operation_task(operation_id: int) -> None:
    """Runs a bulk operation for a while; hands the rest over to a new task."""
    if bulk.bulk_operation_run(operation_id):
        bulk_operation_task.delay(operation_id)
