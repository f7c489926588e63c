"""E-mails of the suppliers app, sent once the transaction that caused them has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from chorus.services import principal_managers
from suppliers.models import JoinRequest


def _send_after_commit(*, template: str, context: dict, recipients: list[str]) -> None:
    """Renders `<template>_subject.txt` and `<template>_body.txt` in the platform's language."""
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))


def _link(name: str, **kwargs) -> str:
    """An absolute link for an e-mail, on the platform's configured address."""
    return settings.CHORUS_SITE_URL + reverse(name, kwargs=kwargs or None)


def join_request_submitted(join_request: JoinRequest) -> None:
    """Tells the principal managers that someone asks to join their structure."""
    _send_after_commit(
        template="suppliers/emails/join_request_submitted",
        context={
            "join_request": join_request,
            "link": _link("suppliers:join_request_detail", pk=join_request.pk),
        },
        recipients=[user.email for user in principal_managers(join_request.structure)],
    )


def join_request_decided(join_request: JoinRequest) -> None:
    """Tells the requester whether a manager accepted or refused the request, and why."""
    _send_after_commit(
        template="suppliers/emails/join_request_decided",
        context={"join_request": join_request, "link": _link("login")},
        recipients=[join_request.user.email],
    )
