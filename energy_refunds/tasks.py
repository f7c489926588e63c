"""Celery tasks of the energy refunds: thin, idempotent."""

from celery import shared_task

from chorus.tasks import MAIL_RETRY


@shared_task(acks_late=True, **MAIL_RETRY)
def refund_change_notify_task(change_id: int) -> None:
    """E-mails the beneficiary of a refund request's change (energy_refunds.notifications)."""
    from energy_refunds.notifications import refund_change_notify

    refund_change_notify(change_id)
