"""Writes of the rejections app: the weekly summary e-mailed to public structures' managers."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from chorus.enums import Role
from chorus.models import Membership, Structure
from invoices.models import Invoice
from rejections.models import WeeklySummary
from rejections.statistics import week_summary

logger = logging.getLogger(__name__)
TEMPLATE = "rejections/emails/weekly_summary"
# The e-mail is written in French, then in English, for managers of either language.
LANGUAGES = ("fr", "en")


def last_week(
    today: datetime.date | None = None,
) -> tuple[datetime.date, datetime.datetime, datetime.datetime]:
    """The last full week (Monday to Sunday) before `today`: its Monday and its bounds."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    return monday, start, start + datetime.timedelta(days=7)


def _render(context: dict) -> tuple[str, str]:
    subjects, bodies = [], []
    for language in LANGUAGES:
        with translation.override(language):
            subjects.append(" ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split()))
            bodies.append(render_to_string(f"{TEMPLATE}_body.txt", context).strip())
    return " / ".join(subjects), "\n\n----------\n\n".join(bodies) + "\n"


def weekly_summary_send(*, structure: Structure, today: datetime.date | None = None) -> bool:
    """Sends a public structure's managers the summary of last week's rejections, once; False
    when there was nothing to tell, no manager to tell it to, or it was already sent."""
    monday, start, end = last_week(today)
    summary = week_summary(Invoice.objects.filter(recipient=structure), start, end)
    emails = list(
        Membership.objects.filter(
            structure=structure, role__in=Role.managers(), user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if summary.is_empty or not emails:
        return False
    context = {
        "structure": structure,
        "summary": summary,
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "link": settings.CHORUS_SITE_URL + reverse("rejections:statistics"),
    }
    try:
        with transaction.atomic():
            WeeklySummary.objects.create(
                structure=structure, week_start=monday, recipients=len(emails)
            )
            subject, body = _render(context)
            # Sent within the transaction: a failed send leaves no record, and runs again.
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
    except IntegrityError:
        return False  # already sent for that week
    return True


def weekly_summaries_send(*, today: datetime.date | None = None) -> int:
    """Every active public structure's summary of last week; returns how many were sent."""
    sent = sum(
        weekly_summary_send(structure=structure, today=today)
        for structure in Structure.objects.public().filter(active=True)
    )
    logger.info("sent %d weekly rejection summaries", sent)
    return sent
