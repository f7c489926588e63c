"""The structures directory: search, consult, services, within what the caller may see."""

import datetime

import pytest

from chorus.enums import ReceptionChannel
from chorus.models import Service
from tests.api.conftest import CproClient, cpro_account
from tests.chorus.factories import (
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
    TechnicalAccountFactory,
)

pytestmark = pytest.mark.django_db

SEARCH = "/cpro/structures/v1/rechercher"
CONSULT = "/cpro/structures/v1/consulter"
SERVICES = "/cpro/structures/v1/rechercher/services"
SERVICE = "/cpro/structures/v1/consulter/service"


def found_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["idStructureCPP"] for item in response.json()["listeStructures"]]


def test_search_by_siret_returns_the_one_structure(cpro):
    mairie = PublicStructureFactory(legal_name="Mairie de Lyon")
    PublicStructureFactory()

    response = cpro.post(
        SEARCH,
        {
            "structure": {
                "identifiantStructure": mairie.identifier,
                "typeIdentifiantStructure": "SIRET",
            }
        },
    )

    body = response.json()
    assert body["codeRetour"] == 0
    assert body["libelle"] == "GCU_MSG_01_000"
    assert body["listeStructures"] == [
        {
            "idStructureCPP": mairie.pk,
            "identifiantStructure": mairie.identifier,
            "typeIdentifiantStructure": "SIRET",
            "designationStructure": "Mairie de Lyon",
            "statut": "ACTIF",
        }
    ]
    assert body["parametresRetour"] == {
        "nbResultatsParPage": 10,
        "pageCourante": 1,
        "pages": 1,
        "total": 1,
    }


def test_search_by_name_and_by_postcode(cpro):
    lyon = PublicStructureFactory(legal_name="Mairie de Lyon", postcode="69001", city="Lyon")
    nantes = PublicStructureFactory(legal_name="Mairie de Nantes", postcode="44000", city="Nantes")

    assert found_ids(cpro.post(SEARCH, {"structure": {"raisonSocialeStructure": "nantes"}})) == [
        nantes.pk
    ]
    assert found_ids(cpro.post(SEARCH, {"structure": {"adresseCodePostal": "69001"}})) == [lyon.pk]
    assert found_ids(cpro.post(SEARCH, {"structure": {"adresseVille": "lyo"}})) == [lyon.pk]


def test_blank_criteria_are_ignored(cpro, supplier):
    mairie = PublicStructureFactory()
    blank = {
        "identifiantStructure": "",
        "typeIdentifiantStructure": "",
        "raisonSocialeStructure": "",
        "statutStructure": "",
        "typeStructure": "",
        "estMOA": False,
    }

    assert set(found_ids(cpro.post(SEARCH, {"structure": blank}))) == {mairie.pk, supplier.pk}


def test_another_private_structure_is_never_visible(cpro, supplier):
    other = StructureFactory(legal_name="Concurrent SARL")
    ServiceFactory(structure=other)

    by_siret = cpro.post(SEARCH, {"structure": {"identifiantStructure": other.identifier}})
    by_name = cpro.post(SEARCH, {"structure": {"raisonSocialeStructure": "Concurrent"}})
    consult = cpro.post(CONSULT, {"idStructure": other.pk})
    services = cpro.post(SERVICES, {"idStructure": other.pk})

    assert found_ids(by_siret) == []
    assert found_ids(by_name) == []
    assert consult.status_code == 404
    assert consult.json()["libelle"].startswith("GCU_MSG_06_001 : ")
    assert services.status_code == 404


def test_the_own_private_structure_is_visible_and_can_be_restricted_to(cpro, supplier):
    PublicStructureFactory()

    response = cpro.post(SEARCH, {"restreindreStructuresPrivees": True})

    assert found_ids(response) == [supplier.pk]
    assert cpro.post(CONSULT, {"idStructure": supplier.pk}).status_code == 200


def test_each_account_sees_its_own_private_structure_only(client, access_token, supplier):
    other_account = TechnicalAccountFactory()
    other = CproClient(client, access_token, cpro_account(other_account.login))

    assert found_ids(other.post(SEARCH, {})) == [other_account.structure.pk]
    assert other.post(CONSULT, {"idStructure": supplier.pk}).status_code == 404


def test_search_pages_and_sorts(cpro):
    for name in ("Commune B", "Commune A", "Commune D", "Commune C", "Commune E"):
        PublicStructureFactory(legal_name=name)
    criteria = {"structure": {"typeStructure": "PUBLIQUE"}}

    page_two = cpro.post(
        SEARCH,
        {
            **criteria,
            "parametres": {
                "nbResultatsParPage": 2,
                "pageResultatDemandee": 2,
                "triColonne": "designationStructure",
                "triSens": "Descendant",
            },
        },
    ).json()

    assert [s["designationStructure"] for s in page_two["listeStructures"]] == [
        "Commune C",
        "Commune B",
    ]
    assert page_two["parametresRetour"] == {
        "nbResultatsParPage": 2,
        "pageCourante": 2,
        "pages": 3,
        "total": 5,
    }

    # parametresRecherche and the "triSense" spelling some clients use are accepted too.
    ascending = cpro.post(
        SEARCH,
        {
            **criteria,
            "parametresRecherche": {
                "nbResultatsParPage": 1,
                "triColonne": "designationstructure",
                "triSense": "Ascendant ",
            },
        },
    ).json()
    assert [s["designationStructure"] for s in ascending["listeStructures"]] == ["Commune A"]


def test_an_unknown_sort_column_is_explained(cpro):
    response = cpro.post(SEARCH, {"parametres": {"triColonne": "ville"}})

    assert response.status_code == 400
    body = response.json()
    assert body["erreurs"][0]["champ"] == "parametres.triColonne"
    assert "designationStructure" in body["erreurs"][0]["message"]


def test_an_invalid_criterion_names_the_field_and_the_accepted_values(cpro):
    response = cpro.post(SEARCH, {"structure": {"typeIdentifiantStructure": "SIREN"}})

    assert response.status_code == 400
    body = response.json()
    assert body["codeRetour"] == 4002
    error = body["erreurs"][0]
    assert error["champ"] == "structure.typeIdentifiantStructure"
    assert "« SIREN »" in error["message"]
    assert "SIRET, UE_HORS_FRANCE" in error["message"]
    assert error["message"] in body["libelle"]


def test_consult_gives_the_billing_parameters(cpro):
    mairie = PublicStructureFactory(
        legal_name="Mairie de Lyon",
        postcode="69001",
        city="Lyon",
        service_code_required=True,
        ej_required=True,
        payment_status_not_reported=True,
        reception_channel=ReceptionChannel.EDI,
    )

    response = cpro.post(CONSULT, {"idStructure": mairie.pk, "codeLangue": "FR"})

    assert response.status_code == 200
    body = response.json()
    assert body["codeRetour"] == 0
    assert body["informationGenerales"]["idStructureCPP"] == mairie.pk
    assert body["informationGenerales"]["raisonSocialeStructure"] == "Mairie de Lyon"
    assert body["informationGenerales"]["structurePriveePublique"] == "PUBLIQUE"
    assert body["adressePostaleDuSiege"]["codePostal"] == "69001"
    assert body["parametres"] == {
        "codeServiceDoitEtreRenseigne": True,
        "numeroEJDoitEtreRenseigne": True,
        "gestionNumeroEJOuCodeService": False,
        "statutMiseEnPaiementNestPasRemonte": True,
        "connexionEDI": True,
        "recevoirDonneesViaEDI": True,
    }


def test_consult_accepts_idStructureCPP_as_OCA_sends_it(cpro):
    mairie = PublicStructureFactory()

    response = cpro.post(CONSULT, {"idStructureCPP": mairie.pk})

    assert response.json()["informationGenerales"]["identifiantStructure"] == mairie.identifier


def test_consult_without_identifier_says_which_field_to_add(cpro):
    response = cpro.post(CONSULT, {"codeLangue": "FR"})

    assert response.status_code == 400
    error = response.json()["erreurs"][0]
    assert error["champ"] == "idStructure"
    assert "Ajoutez ce champ" in error["message"]


def test_consult_with_a_wrong_type_says_what_is_expected(cpro):
    response = cpro.post(CONSULT, {"idStructure": "abc"})

    assert response.status_code == 400
    error = response.json()["erreurs"][0]
    assert error["champ"] == "idStructure"
    assert "entier" in error["message"]


def test_consult_of_an_unknown_structure(cpro):
    response = cpro.post(CONSULT, {"idStructure": 999_999})

    assert response.status_code == 404
    assert "999999" in response.json()["libelle"]


def test_services_are_paged_and_the_page_size_is_capped(cpro):
    mairie = PublicStructureFactory()
    Service.objects.bulk_create(
        Service(structure=mairie, code=f"S{n:03d}", name=f"Service {n}") for n in range(105)
    )
    ServiceFactory()  # another structure's service

    response = cpro.post(
        SERVICES,
        {
            "idStructure": mairie.pk,
            "parametresRechercherServicesStructure": {"nbResultatsParPage": 10000},
        },
    )
    second = cpro.post(
        SERVICES,
        {
            "idStructure": mairie.pk,
            "parametres": {"nbResultatsParPage": 100, "pageResultatDemandee": 2},
        },
    )

    body = response.json()
    assert body["parametresRetour"] == {
        "nbResultatsParPage": 100,
        "pageCourante": 1,
        "pages": 2,
        "total": 105,
    }
    assert len(body["listeServices"]) == 100
    assert body["listeServices"][0]["codeService"] == "S000"
    assert [s["codeService"] for s in second.json()["listeServices"]] == [
        f"S{n:03d}" for n in range(100, 105)
    ]


def test_services_say_whether_they_are_active(cpro):
    mairie = PublicStructureFactory()
    current = ServiceFactory(structure=mairie, code="A", valid_from=datetime.date(2020, 1, 1))
    ServiceFactory(structure=mairie, code="B", valid_until=datetime.date(2020, 12, 31))
    ServiceFactory(structure=mairie, code="C", active=False)

    services = cpro.post(SERVICES, {"idStructure": mairie.pk}).json()["listeServices"]

    assert services[0] == {
        "idService": current.pk,
        "codeService": "A",
        "libelleService": current.name,
        "estActif": True,
        "dateDbtService": "2020-01-01",
        "dateFinService": None,
        "statutService": "ACTIF",
    }
    assert [(s["codeService"], s["estActif"], s["statutService"]) for s in services[1:]] == [
        ("B", False, "INACTIF"),
        ("C", False, "INACTIF"),
    ]


def test_consult_a_service(cpro):
    service = ServiceFactory(code="COMPTA", name="Comptabilité", ej_required=True)

    response = cpro.post(SERVICE, {"idStructure": service.structure_id, "idService": service.pk})

    assert response.status_code == 200
    body = response.json()
    assert body["informationsGenerales"] == {"codeService": "COMPTA", "nomService": "Comptabilité"}
    assert body["parametres"]["numeroEngagement"] is True
    assert body["parametres"]["miseEnPaiement"] is False
    assert body["adressePostale"]["ville"] == service.structure.city


def test_a_service_of_another_structure_is_not_found(cpro):
    mairie = PublicStructureFactory()
    elsewhere = ServiceFactory()

    response = cpro.post(SERVICE, {"idStructure": mairie.pk, "idService": elsewhere.pk})

    assert response.status_code == 404
    assert response.json()["libelle"].startswith("GCU_MSG_06_002 : ")
