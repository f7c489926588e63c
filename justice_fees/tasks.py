"""Celery tasks of the mémoires: thin, idempotent."""

from celery import shared_task

from chorus.tasks import MAIL_RETRY


@shared_task(acks_late=True, **MAIL_RETRY)
def memoire_change_notify_task(change_id: int) -> None:
    """E-mails the provider's users of a mémoire's change (justice_fees.notifications)."""
    from justice_fees.notifications import memoire_change_notify

    memoire_change_notify(change_id)
