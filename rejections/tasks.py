"""Celery tasks of the rejections app: thin, idempotent."""

from celery import shared_task

from chorus.tasks import MAIL_RETRY
from rejections.services import weekly_summaries_send


@shared_task(acks_late=True, **MAIL_RETRY)
def weekly_summaries_task() -> int:
    """Every Monday: last week's rejection summary to each public structure's managers."""
    return weekly_summaries_send()
