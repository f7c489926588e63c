import pytest
from django.test import Client

from tests.api.conftest import request_token

pytestmark = pytest.mark.django_db


def test_client_credentials_give_a_bearer_token_of_one_hour(client, oauth_application):
    response = request_token(client, oauth_application)

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "openid"
    assert body["access_token"]


def test_a_wrong_secret_is_refused_in_json(client, oauth_application):
    response = request_token(client, oauth_application, secret="pas-le-bon")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "invalid_client"


def test_the_token_endpoint_answers_a_wrong_method_in_json(client):
    response = client.get("/api/oauth/token")

    assert response.status_code == 405
    body = response.json()
    assert body["codeRetour"] == 4004
    assert body["libelle"].startswith("GCU_MSG_04_004 : La méthode GET")


def test_a_connector_gets_a_token_without_any_csrf_token(oauth_application):
    """Real HTTP clients send no CSRF cookie; the test client skips the check unless told."""
    response = request_token(Client(enforce_csrf_checks=True), oauth_application)

    assert response.status_code == 200
    assert response.json()["access_token"]
