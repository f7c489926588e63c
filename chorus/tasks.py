"""Celery tasks of the platform core: thin, idempotent."""

import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError

from chorus import notifications

# Tasks that send e-mail also retry when the mail server is away for a while.
MAIL_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError, ConnectionError, smtplib.SMTPException),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(acks_late=True, **MAIL_RETRY)
def notifications_digest_task() -> int:
    """Once a day: each digest user's pending notifications, in one e-mail."""
    return notifications.digests_send()
