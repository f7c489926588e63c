"""Both credentials are required on /cpro/, and each failure says which one and how to fix it."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from tests.api.conftest import CproClient, cpro_account
from tests.chorus.factories import TechnicalAccountFactory

pytestmark = pytest.mark.django_db

HEALTH = "/cpro/transverses/v1/health-check"


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["codeRetour"] != 0
    assert body["libelle"].startswith(f"{code} : ")
    return body


def test_both_credentials_open_the_api(cpro):
    response = cpro.get(HEALTH)

    assert response.status_code == 200
    assert response.json() == {"codeRetour": 0, "libelle": "GCU_MSG_01_000"}


def test_missing_token(client, technical_account):
    response = client.get(HEALTH, headers={"cpro-account": cpro_account(technical_account.login)})

    body = assert_error(response, 401, "GCU_MSG_02_001")
    assert body["codeRetour"] == 2001
    assert "Authorization: Bearer" in body["libelle"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_basic_authorization_is_not_a_token(client, technical_account):
    response = client.get(
        HEALTH,
        headers={
            "Authorization": "Basic " + cpro_account(technical_account.login),
            "cpro-account": cpro_account(technical_account.login),
        },
    )

    assert_error(response, 401, "GCU_MSG_02_001")


def test_unknown_token(client, technical_account):
    cpro = CproClient(client, "jeton-inconnu", cpro_account(technical_account.login))

    assert_error(cpro.get(HEALTH), 401, "GCU_MSG_02_002")


def test_expired_token(client, access_token, technical_account):
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    cpro = CproClient(client, access_token, cpro_account(technical_account.login))

    assert_error(cpro.get(HEALTH), 401, "GCU_MSG_02_002")


def test_token_without_the_openid_scope(client, oauth_application, technical_account):
    AccessToken.objects.create(
        token="jeton-sans-openid",
        application=oauth_application,
        scope="read",
        expires=timezone.now() + timedelta(hours=1),
    )
    cpro = CproClient(client, "jeton-sans-openid", cpro_account(technical_account.login))

    assert_error(cpro.get(HEALTH), 403, "GCU_MSG_03_003")


def test_missing_cpro_account(client, access_token):
    response = client.get(HEALTH, headers={"Authorization": f"Bearer {access_token}"})

    assert_error(response, 401, "GCU_MSG_02_003")


@pytest.mark.parametrize(
    "header",
    [
        "pas du base64 !",
        base64.b64encode(b"identifiant-sans-deux-points").decode(),
        base64.b64encode(b"\xff\xfe:mot").decode(),
        base64.b64encode(b"identifiant:").decode(),
    ],
    ids=["not-base64", "no-colon", "not-utf8", "empty-password"],
)
def test_malformed_cpro_account(client, access_token, header):
    cpro = CproClient(client, access_token, header)

    assert_error(cpro.get(HEALTH), 401, "GCU_MSG_02_004")


def test_unknown_login_and_wrong_password_get_the_same_answer(
    client, access_token, technical_account
):
    unknown = CproClient(client, access_token, cpro_account("INCONNU@cpro.fr")).get(HEALTH)
    wrong = CproClient(client, access_token, cpro_account(technical_account.login, "mauvais")).get(
        HEALTH
    )

    assert_error(unknown, 401, "GCU_MSG_02_005")
    assert unknown.json() == wrong.json()
    assert wrong.status_code == 401


def test_inactive_account(client, access_token):
    account = TechnicalAccountFactory(active=False)
    cpro = CproClient(client, access_token, cpro_account(account.login))

    body = assert_error(cpro.get(HEALTH), 403, "GCU_MSG_03_001")
    assert account.login in body["libelle"]


def test_inactive_account_with_a_wrong_password_reveals_nothing(client, access_token):
    account = TechnicalAccountFactory(active=False)
    cpro = CproClient(client, access_token, cpro_account(account.login, "mauvais"))

    assert_error(cpro.get(HEALTH), 401, "GCU_MSG_02_005")


def test_inactive_structure(client, access_token):
    account = TechnicalAccountFactory(structure__active=False)
    cpro = CproClient(client, access_token, cpro_account(account.login))

    assert_error(cpro.get(HEALTH), 403, "GCU_MSG_03_002")


def test_a_new_password_replaces_the_old_one_at_once(cpro, technical_account):
    assert cpro.get(HEALTH).status_code == 200

    technical_account.set_password("Nouveau-mot-de-passe-2026")
    technical_account.save()

    assert_error(cpro.get(HEALTH), 401, "GCU_MSG_02_005")


def test_a_deactivated_account_is_refused_at_once(cpro, technical_account):
    assert cpro.get(HEALTH).status_code == 200

    technical_account.active = False
    technical_account.save()

    assert_error(cpro.get(HEALTH), 403, "GCU_MSG_03_001")
