"""Production headers and pages: CSP with no inline script, HSTS over HTTPS, DSFR error pages
in French and English, JSON errors under the API."""

import json
import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from chorus.enums import Role
from chorus.urls import handler403, handler500
from tests.chorus.factories import MembershipFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=|<style", re.IGNORECASE)


def test_pages_carry_a_content_security_policy_they_satisfy(client):
    membership = MembershipFactory(role=Role.GESTIONNAIRE_PRINCIPAL)
    membership.user.is_staff = membership.user.is_superuser = True
    membership.user.save()
    client.force_login(membership.user)
    paths = [
        reverse("suppliers:dashboard"),
        reverse("directory_search"),
        reverse("invoices:upload"),
        reverse("invoices:check"),
        reverse("invoices:flow_list"),
        reverse("admin:index"),
        reverse("admin:chorus_structure_change", args=[membership.structure.pk]),
        "/api/docs/",
    ]
    for path in paths:
        response = client.get(path)

        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy + ";", path
        assert "frame-ancestors 'none'" in policy
        page = response.content.decode()
        assert not INLINE_SCRIPT.search(page), f"inline <script> on {path}"
        assert not INLINE_HANDLER.search(page), f"inline event handler on {path}"
        assert not INLINE_STYLE.search(page) or path == "/api/docs/", f"style attribute on {path}"
    client.logout()
    for path in (reverse("home"), reverse("login")):
        page = client.get(path).content.decode()
        assert not INLINE_SCRIPT.search(page) and not INLINE_HANDLER.search(page), path


def test_hsts_is_sent_over_https_only(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000

    secure = client.get(reverse("home"), secure=True)
    plain = client.get(reverse("home"))

    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in plain


def test_the_404_page_is_the_platforms_in_french_and_in_english(client):
    french = client.get("/nulle-part/")
    client.cookies["django_language"] = "en"
    english = client.get("/nulle-part/")

    assert french.status_code == english.status_code == 404
    assert "Page non trouvée" in french.content.decode()
    assert "fr-header" in french.content.decode()
    assert "Page not found" in english.content.decode()


def test_the_500_page_renders_without_the_request_context():
    """Rendered when something failed (the database, the session): it needs none of them."""
    request = RequestFactory().get("/factures/")
    for language, title in (("fr", "Erreur inattendue"), ("en", "Unexpected error")):
        with translation.override(language):
            response = handler500(request)

        assert response.status_code == 500
        page = response.content.decode()
        assert title in page and "fr-footer" in page
        assert f'<html lang="{language}"' in page


def test_the_403_page_is_the_platforms_and_json_under_the_api():
    """Rendered outside the middleware: the language is the one in force."""
    with translation.override("fr"):
        portal = handler403(RequestFactory().get("/fournisseurs/"), Exception())
        api = handler403(RequestFactory().post("/cpro/factures/v1/soumettre"), Exception())

    assert portal.status_code == 403 and "Accès refusé" in portal.content.decode()
    assert api.status_code == 403 and json.loads(api.content)["codeRetour"] == 3000


def test_a_form_posted_without_its_csrf_token_gets_the_403_page():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "a@b.fr"})

    assert response.status_code == 403
    assert "Le formulaire n'a pas pu être vérifié" in response.content.decode()


def test_a_post_to_an_unknown_api_path_gets_the_coded_json_404_not_a_csrf_page():
    client = Client(enforce_csrf_checks=True)
    for method in (client.post, client.put, client.delete):
        response = method("/cpro/factures/v1/inconnu", "{}", content_type="application/json")

        assert response.status_code == 404
        assert response.json()["codeRetour"] == 4003
    assert client.post("/api/inconnu").json()["codeRetour"] == 4003
