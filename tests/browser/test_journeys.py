"""The main journeys, in a real browser: sign-up, the admin, the public directory."""

import re

import pytest
from playwright.sync_api import expect

from chorus.enums import Channel, PublicKind, Role
from chorus.models import AuditEvent, Membership, Service, User
from tests.chorus.factories import (
    DEFAULT_PASSWORD,
    PublicStructureFactory,
    ServiceFactory,
    valid_siret,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supplier_signs_up_and_reaches_the_dashboard(page):
    siret = valid_siret(90_001)
    page.goto("/fournisseurs/inscription/")

    page.locator("#id_email").fill("claire.durand@menuiserie.example")
    page.locator("#id_first_name").fill("Claire")
    page.locator("#id_last_name").fill("Durand")
    page.locator("#id_password1").fill(DEFAULT_PASSWORD)
    page.locator("#id_password2").fill(DEFAULT_PASSWORD)
    page.locator("#id_siret").fill(siret)
    page.locator("#id_legal_name").fill("Menuiserie Durand")
    page.locator("#id_address_line").fill("14 rue des Artisans")
    page.locator("#id_postcode").fill("37100")
    page.locator("#id_city").fill("Tours")
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page).to_have_url(re.compile(r"/fournisseurs/tableau-de-bord/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Menuiserie Durand")
    expect(page.get_by_text("Gestionnaire principal", exact=False).first).to_be_visible()
    membership = Membership.objects.get(user__email="claire.durand@menuiserie.example")
    assert membership.structure.identifier == siret
    assert membership.role == Role.GESTIONNAIRE_PRINCIPAL


def test_an_administrator_adds_a_service_to_a_structure(page):
    User.objects.create_superuser("admin@chorus.example", DEFAULT_PASSWORD)
    commune = PublicStructureFactory(legal_name="Commune de Valmont")
    page.goto("/admin/")

    page.locator("#id_username").fill("admin@chorus.example")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("link", name="Structures", exact=True).first.click()
    page.get_by_role("link", name="Commune de Valmont").click()
    page.locator("#id_services-0-code").fill("FINANCES")
    page.locator("#id_services-0-name").fill("Direction des finances")
    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Commune de Valmont")
    service = Service.objects.get(structure=commune)
    assert (service.code, service.name) == ("FINANCES", "Direction des finances")
    assert AuditEvent.objects.filter(
        action="service_admin_add", channel=Channel.ADMIN, object_id=str(service.pk)
    ).exists()


def test_a_visitor_finds_a_structure_in_the_public_directory(page):
    hospital = PublicStructureFactory(
        legal_name="Centre hospitalier de Valmont",
        kind=PublicKind.ETABLISSEMENT_SANTE,
        postcode="76540",
        city="Valmont",
        service_code_required=True,
    )
    ServiceFactory(structure=hospital, code="PHARMACIE", name="Pharmacie à usage intérieur")
    PublicStructureFactory(legal_name="Commune de Fécamp", city="Fécamp", postcode="76400")
    page.goto("/annuaire/")

    page.locator("#directory-q").fill("Valmont")
    page.get_by_role("button", name="Rechercher").click()

    results = page.locator("table tbody tr")
    expect(results).to_have_count(1)
    expect(results).to_contain_text(hospital.identifier)
    page.get_by_role("link", name="Centre hospitalier de Valmont").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre hospitalier de Valmont")
    expect(page.get_by_text("Code service obligatoire")).to_be_visible()
    expect(page.get_by_role("cell", name="PHARMACIE", exact=True)).to_be_visible()
