"""Brute force on the portal: failed logins lock the account and the address (django-axes),
password reset requests are rate-limited, and the owner gets back in by resetting."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from chorus.models import AuditEvent
from tests.chorus.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _low_limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.PASSWORD_RESET_RATE = "2/h"


def _login(client, email, password, address="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_wrong_passwords_lock_the_account_with_a_page_saying_when_to_retry(client):
    user = UserFactory()
    for _ in range(2):
        assert _login(client, user.email, "mauvais").status_code == 200

    locked = _login(client, user.email, "mauvais")
    again = _login(client, user.email, DEFAULT_PASSWORD)

    assert locked.status_code == 429
    assert again.status_code == 429, "the right password does not open a locked account"
    assert "_auth_user_id" not in client.session
    assert 0 < int(again["Retry-After"]) <= 15 * 60
    page = again.content.decode()
    assert "réessayez dans 15 minutes" in page
    assert reverse("password_reset") in page


def test_a_lockout_is_written_to_the_audit_trail(client):
    user = UserFactory()
    for _ in range(3):
        _login(client, user.email, "mauvais")

    event = AuditEvent.objects.get(action="lockout")
    assert event.object_id == str(user.pk)
    assert event.details["ip_address"] == "203.0.113.7"
    assert event.channel == "PORTAIL"


def test_one_address_trying_many_accounts_is_locked(client):
    users = UserFactory.create_batch(3)
    for user in users:
        _login(client, user.email, "mauvais")

    other = UserFactory()
    assert _login(client, other.email, DEFAULT_PASSWORD).status_code == 429
    assert _login(client, other.email, DEFAULT_PASSWORD, "198.51.100.1").status_code == 302


def test_the_locked_out_owner_gets_back_in_by_resetting_the_password(client):
    user = UserFactory()
    for _ in range(3):
        _login(client, user.email, "mauvais")

    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://\S+/mot-de-passe/nouveau/\S+/", mail.outbox[-1].body).group(0)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Nouveau-Secret-2026!", "new_password2": "Nouveau-Secret-2026!"},
    )

    assert _login(client, user.email, "Nouveau-Secret-2026!").status_code == 302


def test_password_reset_requests_are_limited_per_account_and_per_address(client):
    user = UserFactory()
    url = reverse("password_reset")
    for _ in range(2):
        assert client.post(url, {"email": user.email}).status_code == 302

    refused = client.post(url, {"email": user.email})
    from_elsewhere = client.post(url, {"email": user.email}, REMOTE_ADDR="198.51.100.9")
    other_account = client.post(url, {"email": "autre@example.org"})

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Trop de demandes de réinitialisation" in refused.content.decode()
    assert from_elsewhere.status_code == 429, "the account's own limit holds from any address"
    assert other_account.status_code == 429, "the address's limit holds for any account"
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="password_reset_throttled").count() == 2
