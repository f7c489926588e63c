"""Celery task of the EDI channel: publishing a final flow's reports in the partner's out/.

Every worker registers it: `invoices.tasks` imports the pipeline, which imports
`edi.publish`, which imports this module (so this one imports nothing of theirs at load).
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),  # the database going away, only
    retry_backoff=True,
    max_retries=5,
)
def flow_reports_publish_task(flow_id: int) -> None:
    """Writes a final flow's JSON and PDF reports (writing them again is harmless)."""
    from invoices.channels.edi.publish import flow_reports_publish

    flow_reports_publish(flow_id)
