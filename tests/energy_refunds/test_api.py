"""remboursementsTIC/v1: soumettre, consulter, rechercher, traiter, with the invoices'
authentication (OAuth client and technical account)."""

import base64
from decimal import Decimal

import pytest

from energy_refunds.enums import RefundStatus
from energy_refunds.models import RefundRequest
from tests.api.conftest import CproClient, cpro_account, make_application, request_token
from tests.chorus.factories import TechnicalAccountFactory
from tests.energy_refunds.conftest import draft, line

pytestmark = pytest.mark.django_db
TIC = "/cpro/remboursementsTIC/v1/"
PDF = base64.b64encode(b"%PDF-1.4\n%facture\n").decode()


@pytest.fixture
def access_token(client, db) -> str:
    """The OAuth token of the farm-management software (tests/api/conftest.py's client)."""
    return request_token(client, make_application("Logiciel de gestion agricole")).json()[
        "access_token"
    ]


@pytest.fixture
def farm_api(client, access_token, world) -> CproClient:
    account = TechnicalAccountFactory(structure=world.beneficiary.structure)
    return CproClient(client, access_token, cpro_account(account.login))


@pytest.fixture
def ddfip_api(client, access_token, world) -> CproClient:
    account = TechnicalAccountFactory(structure=world.ddfip)
    return CproClient(client, access_token, cpro_account(account.login))


@pytest.fixture
def other_ddfip_api(client, access_token, world) -> CproClient:
    account = TechnicalAccountFactory(structure=world.other_ddfip)
    return CproClient(client, access_token, cpro_account(account.login))


def _invoice(number, product="GNR", quantity="10", unit="HL", delivered="2023-03-08", **extra):
    return {
        "fournisseurRaisonSociale": "Coopérative du Lochois",
        "fournisseurSiret": "73282932000074",
        "numeroFacture": number,
        "dateFacture": delivered,
        "dateLivraison": delivered,
        "produit": product,
        "quantite": quantity,
        "unite": unit,
        "pieceJointeFichier": PDF,
        **extra,
    }


def _submission(*invoices, **extra):
    return {
        "cadreDeFacturation": {"codeCadreFacturation": "A21_DEMANDE_REMBOURSEMENT_TIC"},
        "anneeLivraison": 2023,
        "demandeAvance": True,
        "engagementAvance": True,
        "declarationDeMinimis": True,
        "listeFactures": list(invoices),
        **extra,
    }


def test_a_farms_software_submits_and_deposits_its_request(farm_api, world):
    response = farm_api.post(
        f"{TIC}soumettre",
        _submission(
            _invoice("G1", quantity="60"),
            _invoice("G2", quantity="40.5"),
            _invoice("N1", product="GN_COMBUSTIBLE", quantity="12.345", unit="MWH"),
        ),
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["codeRetour"], body["libelle"]) == (0, "GCU_MSG_01_000")
    demande = body["demande"]
    assert demande["statut"] == RefundStatus.DEPOSEE
    assert demande["raisonSocialeDeptDR"] == "DDFiP d'Indre-et-Loire"
    assert demande["montants"]["remboursementCalcule"] == 1600.14
    assert demande["montants"]["avanceAnneeSuivante"] == 800.07
    assert all(f["pieceJointe"] for f in demande["listeFactures"])
    assert (
        RefundRequest.objects.get(pk=demande["identifiantDemandeCPP"]).changes.last().channel
        == "API"
    )


def test_a_line_error_names_the_line_and_field_and_nothing_is_kept(farm_api, world):
    response = farm_api.post(
        f"{TIC}soumettre",
        _submission(_invoice("G1"), _invoice("G2", product="GPL", unit="HL")),
    )

    assert response.status_code == 400
    assert [e["champ"] for e in response.json()["erreurs"]] == ["listeFactures[1].unite"]
    assert not RefundRequest.objects.exists()


def test_a_second_submission_for_the_year_points_at_the_first(farm_api, world):
    first = draft(world)
    response = farm_api.post(f"{TIC}soumettre", _submission(_invoice("G1")))

    assert response.status_code == 400
    assert response.json()["libelle"].startswith("GCU_MSG_40_003")
    assert first.reference in response.json()["libelle"]


def test_a_structure_without_profile_is_told_to_create_it(client, access_token, world):
    from tests.chorus.factories import StructureFactory

    account = TechnicalAccountFactory(structure=StructureFactory())
    api = CproClient(client, access_token, cpro_account(account.login))
    response = api.post(f"{TIC}soumettre", _submission(_invoice("G1")))
    assert response.status_code == 403
    assert response.json()["libelle"].startswith("GCU_MSG_40_002")


def test_the_ddfip_instructs_validates_and_pays_through_the_api(farm_api, ddfip_api, world):
    request_id = farm_api.post(
        f"{TIC}soumettre", _submission(_invoice("G1", quantity="100"))
    ).json()["demande"]["identifiantDemandeCPP"]

    found = ddfip_api.post(f"{TIC}rechercher", {"statut": "DEPOSEE"}).json()
    assert [d["identifiantDemandeCPP"] for d in found["listeDemandes"]] == [request_id]
    consulted = ddfip_api.post(f"{TIC}consulter", {"identifiantDemandeCPP": request_id}).json()
    assert consulted["demande"]["actionsPossibles"] == ["take"]

    for body in (
        {"action": "take"},
        {
            "action": "validate",
            "montantRetenu": "1400.00",
            "commentaire": "Une livraison hors exploitation.",
        },
        {"action": "pay"},
        {"action": "record_payment", "referencePaiement": "VIR-TIC-0001"},
    ):
        response = ddfip_api.post(f"{TIC}traiter", {"identifiantDemandeCPP": request_id, **body})
        assert response.status_code == 200, response.content

    demande = response.json()["demande"]
    assert demande["statut"] == RefundStatus.PAYEE
    assert (demande["montants"]["montantRetenu"], demande["montants"]["montantAPayer"]) == (
        1400.0,
        2100.0,
    )
    assert demande["referencePaiement"] == "VIR-TIC-0001"


def test_a_move_not_allowed_is_refused_with_its_reason(farm_api, ddfip_api, world):
    request_id = farm_api.post(f"{TIC}soumettre", _submission(_invoice("G1"))).json()["demande"][
        "identifiantDemandeCPP"
    ]
    refused = farm_api.post(
        f"{TIC}traiter", {"identifiantDemandeCPP": request_id, "action": "take"}
    )
    assert refused.status_code == 400
    assert refused.json()["libelle"].startswith("GCU_MSG_40_005")
    ddfip_api.post(f"{TIC}traiter", {"identifiantDemandeCPP": request_id, "action": "take"})
    no_motive = ddfip_api.post(
        f"{TIC}traiter", {"identifiantDemandeCPP": request_id, "action": "reject"}
    )
    assert no_motive.status_code == 400 and "motif" in no_motive.json()["libelle"]


def test_each_side_sees_only_its_requests(farm_api, other_ddfip_api, client, access_token, world):
    request_id = farm_api.post(f"{TIC}soumettre", _submission(_invoice("G1"))).json()["demande"][
        "identifiantDemandeCPP"
    ]
    other_farm = CproClient(
        client,
        access_token,
        cpro_account(TechnicalAccountFactory(structure=world.other_beneficiary.structure).login),
    )
    for api in (other_ddfip_api, other_farm):
        response = api.post(f"{TIC}consulter", {"identifiantDemandeCPP": request_id})
        assert response.status_code == 404
        assert api.post(f"{TIC}rechercher", {}).json()["listeDemandes"] == []


def test_the_api_needs_the_invoices_authentication(client, world):
    response = client.post(f"{TIC}rechercher", {}, content_type="application/json")
    assert response.status_code == 401


def test_the_operations_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for operation in ("soumettreDemandeRemboursementTIC", "consulterDemandeRemboursementTIC",
                      "rechercherDemandesRemboursementTIC", "traiterDemandeRemboursementTIC"):  # fmt: skip
        assert operation in schema


def test_amounts_are_rounded_like_the_pages(farm_api, world):
    request = draft(world, lines=[line("A", quantity="0.001"), line("B", quantity="0.002")])
    demande = farm_api.post(f"{TIC}consulter", {"identifiantDemandeCPP": request.pk}).json()[
        "demande"
    ]
    assert Decimal(str(demande["montants"]["remboursementCalcule"])) == Decimal("0.04")


def test_an_invoice_number_with_slashes_names_a_file_inside_the_requests_folder(farm_api, world):
    response = farm_api.post(f"{TIC}soumettre", _submission(_invoice("../../FA/2023/7")))

    assert response.status_code == 200, response.content
    stored = RefundRequest.objects.get().invoices.get().pdf.name
    assert stored.startswith("energy_refunds/2023/TIC-2023-")
    assert ".." not in stored and stored.endswith("/FA-2023-7.pdf")
