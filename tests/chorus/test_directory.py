"""The public directory: open to everyone, public structures only."""

import pytest
from django.urls import reverse

from chorus.enums import PublicKind
from tests.chorus.factories import (
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
    valid_siret,
)

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("directory_search")


@pytest.fixture
def structures():
    return {
        "lyon": PublicStructureFactory(
            legal_name="Métropole de Lyon",
            identifier=valid_siret(70001),
            postcode="69003",
            city="Lyon",
        ),
        "brest": PublicStructureFactory(
            legal_name="Commune de Brest",
            identifier=valid_siret(70002),
            postcode="29200",
            city="Brest",
            kind=PublicKind.COLLECTIVITE,
        ),
        "hospital": PublicStructureFactory(
            legal_name="Centre hospitalier de Brest",
            identifier=valid_siret(70003),
            postcode="29609",
            city="Brest",
            kind=PublicKind.ETABLISSEMENT_SANTE,
        ),
        "private": StructureFactory(
            legal_name="Boulangerie de Brest",
            identifier=valid_siret(70004),
            postcode="29200",
            city="Brest",
        ),
        "closed": PublicStructureFactory(
            legal_name="Syndicat dissous de Brest", city="Brest", active=False
        ),
    }


def names(response):
    return {structure.legal_name for structure in response.context["page_obj"]}


def test_search_by_siret(client, structures):
    response = client.get(SEARCH_URL, {"q": structures["lyon"].identifier})
    assert names(response) == {"Métropole de Lyon"}


def test_search_by_siren_prefix(client, structures):
    response = client.get(SEARCH_URL, {"q": structures["brest"].identifier[:9]})
    assert names(response) == {"Commune de Brest"}


def test_search_by_name_is_case_insensitive(client, structures):
    response = client.get(SEARCH_URL, {"q": "HOSPITALIER"})
    assert names(response) == {"Centre hospitalier de Brest"}


def test_search_by_postcode(client, structures):
    response = client.get(SEARCH_URL, {"q": "29200"})
    assert names(response) == {"Commune de Brest"}


def test_search_by_city_lists_public_active_structures_only(client, structures):
    response = client.get(SEARCH_URL, {"q": "brest"})
    assert names(response) == {"Commune de Brest", "Centre hospitalier de Brest"}
    html = response.content.decode()
    assert "Boulangerie" not in html
    assert "Syndicat dissous" not in html


def test_every_word_must_match(client, structures):
    response = client.get(SEARCH_URL, {"q": "commune 29200"})
    assert names(response) == {"Commune de Brest"}


def test_filter_by_kind(client, structures):
    response = client.get(SEARCH_URL, {"q": "Brest", "kind": PublicKind.ETABLISSEMENT_SANTE})
    assert names(response) == {"Centre hospitalier de Brest"}


def test_private_structure_siret_finds_nothing(client, structures):
    response = client.get(SEARCH_URL, {"q": structures["private"].identifier})
    assert names(response) == set()
    assert "Aucune structure publique ne correspond" in response.content.decode()


def test_results_are_paginated(client):
    for n in range(25):
        PublicStructureFactory(legal_name=f"Commune {n:02d}", city="Rennes")

    first = client.get(SEARCH_URL, {"q": "Rennes"})
    second = client.get(SEARCH_URL, {"q": "Rennes", "page": 2})

    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 5
    assert "25 structures trouvées" in first.content.decode()
    assert "q=Rennes&amp;page=2" in first.content.decode()


def test_structure_page_shows_address_kind_services_and_required_references(client):
    structure = PublicStructureFactory(
        legal_name="Commune de Brest",
        address_line="2 rue Frézier",
        postcode="29200",
        city="Brest",
        service_code_required=True,
    )
    ServiceFactory(
        structure=structure, code="FINANCES", name="Direction des finances", ej_required=True
    )
    ServiceFactory(structure=structure, code="SPORTS", name="Sports")
    ServiceFactory(structure=structure, code="FERME", name="Service fermé", active=False)

    response = client.get(reverse("directory_structure", args=[structure.pk]))

    html = response.content.decode()
    assert "2 rue Frézier" in html
    assert "Collectivité territoriale" in html
    assert "Code service obligatoire" in html
    assert "FINANCES" in html and "Direction des finances" in html
    assert "SPORTS" in html
    assert "FERME" not in html
    rows = {service.code: service.ej_required for service in response.context["page_obj"]}
    assert rows == {"FINANCES": True, "SPORTS": False}


def test_private_or_inactive_structure_page_is_404(client, structures):
    assert (
        client.get(reverse("directory_structure", args=[structures["private"].pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("directory_structure", args=[structures["closed"].pk])).status_code
        == 404
    )
