"""Every error under /api/ and /cpro/ is JSON in the Chorus envelope, never an HTML page."""

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from chorus.api.errors import exception_handler
from tests.api.conftest import CproClient, cpro_account, make_application, request_token

pytestmark = pytest.mark.django_db

SEARCH = "/cpro/structures/v1/rechercher"


@pytest.mark.parametrize("path", ["/cpro/structures/v1/inconnu", "/api/inconnu", "/cpro/"])
def test_unknown_paths_answer_json_404(client, path):
    response = client.post(path, {}, content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["codeRetour"] == 4003
    assert path in body["libelle"]


def test_a_wrong_method_answers_json_405(cpro):
    response = cpro.get(SEARCH)

    assert response.status_code == 405
    body = response.json()
    assert body["libelle"].startswith("GCU_MSG_04_004 : La méthode GET")
    assert "POST" in body["libelle"]


def test_malformed_json_answers_400(cpro):
    response = cpro.client.post(
        SEARCH, '{"structure": {', content_type="application/json", headers=cpro.headers
    )

    assert response.status_code == 400
    assert response.json()["libelle"].startswith("GCU_MSG_04_001 : Le corps de la requête")


def test_a_body_that_is_not_an_object_answers_400(cpro):
    response = cpro.client.post(
        SEARCH, "[1, 2]", content_type="application/json", headers=cpro.headers
    )

    assert response.status_code == 400
    assert response.json()["erreurs"][0]["champ"] == ""


def test_a_form_body_answers_415(cpro):
    response = cpro.client.post(SEARCH, {"idStructure": "1"}, headers=cpro.headers)

    assert response.status_code == 415
    assert "Content-Type: application/json" in response.json()["libelle"]


def test_exceeding_the_rate_answers_429_with_retry_after(settings, client, technical_account, cpro):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"cpro-client": "2/min"},
    }
    assert cpro.post(SEARCH).status_code == 200
    assert cpro.post(SEARCH).status_code == 200

    throttled = cpro.post(SEARCH)

    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert throttled.json()["libelle"].startswith("GCU_MSG_05_001 : Trop de requêtes")

    # The limit is per calling software: another OAuth client is still served.
    other_token = request_token(client, make_application("Autre logiciel")).json()["access_token"]
    other = CproClient(client, other_token, cpro_account(technical_account.login))
    assert other.post(SEARCH).status_code == 200


def test_an_unexpected_error_answers_json_500():
    request = Request(APIRequestFactory().post("/cpro/structures/v1/rechercher"))

    response = exception_handler(RuntimeError("panne"), {"request": request, "view": None})

    assert response.status_code == 500
    assert response.data["codeRetour"] == 9001
    assert "panne" not in response.data["libelle"]
