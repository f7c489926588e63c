"""Brute force: failed credentials are counted by django-axes, per account and per address.

Three doors count their failures here: the portal login (Django's authentication, through
axes' backend), the OAuth token endpoint (a wrong client secret, counted under the client_id)
and the `cpro-account` header of the API (a wrong password, counted under the login). Past
AXES_FAILURE_LIMIT, axes refuses that account, or that address, for AXES_COOLOFF_TIME;
`lockout_response` says when to retry (a DSFR page, or the coded JSON 429 of the API with
Retry-After) and `_record_lockout` writes the lockout to the audit trail. A password reset
clears the account's count (`account_unlock`).
"""

import hashlib
import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Q
from django.dispatch import receiver
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from oauth2_provider.models import get_application_model
from rest_framework.throttling import SimpleRateThrottle

from chorus.api import errors
from chorus.enums import Channel
from chorus.models import TechnicalAccount, User
from chorus.services import audit_record

TOKEN_PATH = "/api/oauth/token"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/cpro/"))


def is_locked(request: HttpRequest, username: str) -> bool:
    """True when `username`, or the address of the request, is locked out."""
    return AxesProxyHandler.is_locked(request, {"username": username})


def failure_record(request: HttpRequest, username: str, *, sender: object) -> None:
    """Counts one failed credential for `username` and the request's address (axes)."""
    user_login_failed.send(sender=sender, credentials={"username": username}, request=request)


def retry_after(request: HttpRequest, username: str = "") -> int:
    """Seconds until the lockout of this account or address ends (at least 1)."""
    cool_off = get_cool_off(request)
    last = AccessAttempt.objects.filter(
        Q(ip_address=getattr(request, "axes_ip_address", None)) | Q(username=username or None)
    ).aggregate(last=Max("attempt_time"))["last"]
    if cool_off is None or last is None:
        return int(cool_off.total_seconds()) if cool_off else 3600
    return max(1, math.ceil((last + cool_off - timezone.now()).total_seconds()))


def account_unlock(*, email: str) -> None:
    """Clears the failed logins of an account (its owner proved who they are by e-mail)."""
    reset(username=email)


class _ResetPerAccount(SimpleRateThrottle):
    """Password reset requests for one e-mail address, at PASSWORD_RESET_RATE."""

    scope = "password-reset-account"

    def __init__(self, email: str):
        self.email = email.strip().lower()
        super().__init__()

    def get_rate(self) -> str:
        return settings.PASSWORD_RESET_RATE

    def get_cache_key(self, request, view) -> str:
        digest = hashlib.sha256(self.email.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class _ResetPerAddress(_ResetPerAccount):
    """Password reset requests from one client address, whatever the e-mail."""

    scope = "password-reset-address"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def password_reset_wait(request: HttpRequest, email: str) -> int:
    """0 if a reset e-mail may be sent now, else the seconds to wait; counted in the cache per
    account and per client address. Each refusal for a known account goes to the audit trail."""
    refused = [
        throttle
        for throttle in (_ResetPerAccount(email), _ResetPerAddress(email))
        if not throttle.allow_request(request, None)
    ]
    if not refused:
        return 0
    wait = max(math.ceil(throttle.wait() or 1) for throttle in refused)
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None:
        audit_record(
            actor=None,
            action="password_reset_throttled",
            target=user,
            details={"ip_address": request.META.get("REMOTE_ADDR", ""), "retry_after": wait},
        )
    return wait


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """axes' AXES_LOCKOUT_CALLABLE: when to retry, as the API or the portal says it."""
    username = (credentials or {}).get("username", "")
    wait = retry_after(request, username)
    if _is_api(request):
        response = errors.json_error(errors.LOCKED_OUT, minutes=math.ceil(wait / 60))
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"minutes": math.ceil(wait / 60)},
            status=429,
        )
    response["Retry-After"] = str(wait)
    return response


def _locked_target(request: HttpRequest, username: str):
    """What the lockout protects: the technical account, OAuth client or user, when known."""
    if request.path.startswith("/cpro/"):
        return TechnicalAccount.objects.filter(login=username).first(), Channel.API
    if request.path == TOKEN_PATH:
        return get_application_model().objects.filter(client_id=username).first(), Channel.API
    return User.objects.filter(email__iexact=username).first(), Channel.PORTAIL


@receiver(user_locked_out)
def _record_lockout(sender, request, username, ip_address, **kwargs):
    target, channel = _locked_target(request, username or "")
    if target is None:
        # An unknown account, or an address trying many: the attempt row itself.
        target = (
            AccessAttempt.objects.filter(ip_address=ip_address).order_by("-attempt_time").first()
        )
    if target is None:
        return
    audit_record(
        actor=None,
        action="lockout",
        target=target,
        channel=channel,
        details={"username": username or "", "ip_address": ip_address or "", "path": request.path},
    )
