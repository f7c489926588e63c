"""Brute force on the API: wrong client secrets and wrong cpro-account passwords are counted per
account and per address (django-axes) and answered, once locked, with a coded JSON 429."""

import pytest

from chorus.models import AuditEvent
from tests.api.conftest import CproClient, cpro_account, request_token

pytestmark = pytest.mark.django_db

HEALTH = "/cpro/transverses/v1/health-check"


@pytest.fixture(autouse=True)
def _low_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def test_wrong_client_secrets_lock_the_token_endpoint_for_that_client(client, oauth_application):
    answers = [request_token(client, oauth_application, "faux") for _ in range(3)]
    right_secret = request_token(client, oauth_application)

    assert [a.status_code for a in answers] == [401, 401, 429]
    assert right_secret.status_code == 429
    body = right_secret.json()
    assert body["codeRetour"] == 5002
    assert body["libelle"].startswith("GCU_MSG_05_002 : Trop d'échecs d'authentification")
    assert "réessayez dans 15 minutes" in body["libelle"]
    assert 0 < int(right_secret["Retry-After"]) <= 15 * 60
    event = AuditEvent.objects.get(action="lockout")
    assert event.object_id == str(oauth_application.pk)
    assert event.channel == "API"


def test_wrong_cpro_account_passwords_lock_the_technical_account(
    client, access_token, technical_account
):
    wrong = CproClient(client, access_token, cpro_account(technical_account.login, "faux"))
    right = CproClient(client, access_token, cpro_account(technical_account.login))

    answers = [wrong.get(HEALTH).status_code for _ in range(3)]
    locked = right.get(HEALTH)

    assert answers == [401, 401, 429]
    assert locked.status_code == 429
    assert locked.json()["codeRetour"] == 5002
    assert int(locked["Retry-After"]) > 0
    event = AuditEvent.objects.get(action="lockout")
    assert event.object_id == str(technical_account.pk)
    assert event.details["username"] == technical_account.login


def test_a_right_password_before_the_limit_still_gets_in(client, access_token, technical_account):
    wrong = CproClient(client, access_token, cpro_account(technical_account.login, "faux"))
    right = CproClient(client, access_token, cpro_account(technical_account.login))

    assert wrong.get(HEALTH).status_code == 401
    assert right.get(HEALTH).status_code == 200
    assert not AuditEvent.objects.filter(action="lockout").exists()
