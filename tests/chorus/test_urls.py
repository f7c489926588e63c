"""Error pages: JSON for API clients, Django's HTML pages for the portal."""

import json

import pytest
from django.test import RequestFactory

from chorus.urls import handler400, handler404, handler500


def test_a_server_error_under_the_api_answers_the_json_envelope():
    for path in ("/cpro/factures/v1/deposer/flux", "/api/oauth/token"):
        response = handler500(RequestFactory().post(path))

        body = json.loads(response.content)
        assert response.status_code == 500
        assert response["Content-Type"] == "application/json"
        assert body["codeRetour"] == 9001
        assert body["libelle"].startswith("GCU_MSG_09_001 : Erreur interne")


def test_a_not_found_under_the_api_names_the_path_in_json():
    response = handler404(RequestFactory().get("/cpro/inconnu"), Exception())

    assert response.status_code == 404
    assert "/cpro/inconnu" in json.loads(response.content)["libelle"]


@pytest.mark.django_db
def test_portal_errors_stay_html_pages():
    request = RequestFactory().get("/fournisseurs/inconnu/")

    assert handler404(request, Exception()).headers["Content-Type"].startswith("text/html")
    assert handler500(request).headers["Content-Type"].startswith("text/html")


def test_a_request_refused_before_any_view_answers_json_under_the_api():
    response = handler400(RequestFactory().post("/cpro/factures/v1/soumettre"), Exception())

    assert response.status_code == 400
    assert json.loads(response.content)["codeRetour"] == 4000
