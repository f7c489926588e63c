"""E-mail notifications of status changes, for any document kind.

A document kind's follow-up (see invoices.notifications) decides who is told of a change and
with which templates; here each user gets at most one `Notification` per change (the unique
constraint holds it, whatever runs twice), rendered once, then either sent at once or, for a
user who chose the daily digest (`User.email_digest`), gathered by `digests_send` with the
others of the day. Sending claims the row first: a notification is never sent twice.
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from chorus.models import Notification, User

logger = logging.getLogger(__name__)


def _preferences_link() -> str:
    return settings.CHORUS_SITE_URL + reverse("notification_settings")


def _render(template: str, context: dict) -> tuple[str, str]:
    """`<template>_subject.txt` (one line) and `<template>_body.txt`, in the platform's
    language (a notification's body is the message alone: greeting and footer are added
    when it is sent, alone or in a digest)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    return subject[:250], body


def notifications_create(
    *, change: models.Model, users: list[User], template: str, context: dict
) -> list[Notification]:
    """The notifications of `change` for `users` (created now, or found from an earlier run)."""
    change_type = ContentType.objects.get_for_model(change)
    notifications = []
    for user in users:
        notification = Notification.objects.filter(
            change_type=change_type, change_id=change.pk, user=user
        ).first()
        if notification is None:
            subject, body = _render(template, {**context, "user": user})
            notification, _created = Notification.objects.get_or_create(
                change_type=change_type,
                change_id=change.pk,
                user=user,
                defaults={"subject": subject, "body": body, "digest": user.email_digest},
            )
        notifications.append(notification)
    return notifications


def notification_send(notification: Notification) -> bool:
    """Sends a notification due at once, unless already sent; returns whether it sent it."""
    if notification.digest:
        return False
    claimed = Notification.objects.filter(pk=notification.pk, sent_at__isnull=True)
    if not claimed.update(sent_at=timezone.now()):
        return False
    try:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "chorus/emails/notification_body.txt",
                {"notification": notification, "preferences_link": _preferences_link()},
            )
        send_mail(
            notification.subject, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email]
        )
    except BaseException:
        # Not sent: the task's retry (or the next run) sends it.
        Notification.objects.filter(pk=notification.pk).update(sent_at=None)
        raise
    return True


def digests_send() -> int:
    """Sends each digest user one e-mail gathering their pending notifications; returns how
    many e-mails were sent. A digest that could not be sent stays pending for the next run."""
    sent = 0
    pending = Notification.objects.filter(digest=True, sent_at__isnull=True)
    for user in User.objects.filter(pk__in=pending.values("user_id"), is_active=True):
        with transaction.atomic():
            notifications = list(pending.select_for_update().filter(user=user))
            if not notifications:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                sent_at=timezone.now()
            )
            subject, body = _render(
                "chorus/emails/digest",
                {
                    "user": user,
                    "notifications": notifications,
                    "preferences_link": _preferences_link(),
                },
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    if sent:
        logger.info("sent %d daily digests", sent)
    return sent
