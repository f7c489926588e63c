"""Home pages of each role, the structure switch and the English version."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from chorus.enums import Role
from tests.chorus.factories import (
    EngagementJuridiqueFactory,
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_visitor_sees_sign_up_and_sign_in(client):
    html = client.get(reverse("home")).content.decode()
    assert reverse("suppliers:signup") in html
    assert reverse("login") in html


def test_supplier_lands_on_the_supplier_dashboard(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.get(reverse("home")).url == reverse("suppliers:dashboard")


def test_agent_sees_their_structure_services_engagements_and_parameters(client):
    structure = PublicStructureFactory(legal_name="Commune de Brest", ej_required=True)
    mine = ServiceFactory(structure=structure, code="VOIRIE", name="Voirie")
    ServiceFactory(structure=structure, code="ECOLES", name="Écoles")
    membership = MembershipFactory(structure=structure, role=Role.UTILISATEUR)
    membership.services.add(mine)
    EngagementJuridiqueFactory(structure=structure, number="EJ-BREST-1", service=mine)
    EngagementJuridiqueFactory(number="EJ-AILLEURS")
    client.force_login(membership.user)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.templates[0].name == "chorus/home_agent.html"
    assert "Commune de Brest" in html
    assert "VOIRIE" in html
    assert "ECOLES" not in html
    assert "EJ-BREST-1" in html
    assert "EJ-AILLEURS" not in html
    assert "Engagement juridique obligatoire" in html


def test_administrator_without_structure_gets_the_administration_link(client):
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") in html


def test_user_without_structure_is_offered_to_attach_one(client):
    client.force_login(UserFactory())
    html = client.get(reverse("home")).content.decode()
    assert reverse("suppliers:attach") in html


def test_header_shows_structure_and_role_and_switches_between_memberships(client):
    first = MembershipFactory(structure=StructureFactory(legal_name="Alpha SARL"))
    second = MembershipFactory(
        user=first.user,
        structure=PublicStructureFactory(legal_name="Bêta Commune"),
        role=Role.UTILISATEUR,
    )
    client.force_login(first.user)

    html = client.get(reverse("suppliers:dashboard")).content.decode()
    assert "Alpha SARL · Gestionnaire principal" in html
    assert '<label class="fr-sr-only" for="switch-structure">' in html

    response = client.post(
        reverse("switch_structure"), {"structure": second.structure_id, "next": "/"}
    )
    assert response.url == "/"
    home = client.get("/").content.decode()
    assert "Bêta Commune · Utilisateur" in home


def test_switching_to_a_structure_one_is_not_a_member_of_is_ignored(client):
    membership = MembershipFactory()
    foreign = StructureFactory()
    client.force_login(membership.user)

    client.post(reverse("switch_structure"), {"structure": foreign.pk, "next": "/"})

    dashboard = client.get(reverse("suppliers:dashboard"))
    assert dashboard.context["structure"] == membership.structure


def test_switch_refuses_to_redirect_off_site(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("switch_structure"),
        {"structure": membership.structure_id, "next": "https://ailleurs.example/"},
    )
    assert response.url == "/"


def test_pages_render_in_english_after_switching_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302

    home = client.get("/").content.decode()
    signup = client.get(reverse("suppliers:signup")).content.decode()

    assert '<html lang="en"' in home
    assert "Create a supplier account" in home
    assert "Password confirmation" in signup
    assert "Créer un compte fournisseur" not in home

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Créer un compte fournisseur" in client.get("/").content.decode()


def test_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = (settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()
    # An empty msgstr followed by a blank line, another msgstr or the end: no translation.
    untranslated = re.findall(r'^msgstr(?:\[\d\])? ""\n(?=\n|msgstr|\Z)', catalogue, re.M)
    assert untranslated == []
    assert "#, fuzzy" not in catalogue
