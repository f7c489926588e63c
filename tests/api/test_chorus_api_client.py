"""A whole invoice lifecycle driven by `chorus-api` (PyPI), the public Python client, unchanged,
against a live server: only its two base URLs point at the platform.

chorus-api 1.0.6 has methods for the deposit (deposer_flux), the supplier search
(rechercher_facture), the flow report (consulter_cr_detaille) and the structures; it has no
generic request method, so the other operations are sent with `requests` and the very headers
the client builds for its own calls (`_make_headers()`: its token and cpro-account).
"""

import pytest
import requests
from chorusapi.client import ChorusAPI
from oauth2_provider.models import Application

from invoices.enums import FlowStatus, InvoiceStatus
from tests.api.conftest import CLIENT_SECRET, make_application
from tests.api.invoices_support import b64, invoice_xml, with_vat_number
from tests.chorus.factories import (
    DEFAULT_PASSWORD,
    ServiceFactory,
    StructureFactory,
    TechnicalAccountFactory,
)

# The motive catalogue is seeded by a migration: restore it after this test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

S = InvoiceStatus


def connector(live_server, application: Application, login: str) -> ChorusAPI:
    """chorus-api configured as its users do, with the platform's URLs instead of PISTE's."""
    client = ChorusAPI(application.client_id, CLIENT_SECRET, login, DEFAULT_PASSWORD)
    client.auth_url = f"{live_server.url}/api/oauth/token"
    client.api_url = live_server.url
    return client.auth()


def call(client: ChorusAPI, path: str, body: dict) -> dict:
    """An operation chorus-api has no method for, with the client's own headers."""
    response = requests.post(
        f"{client.api_url}{path}", json=body, headers=client._make_headers(), timeout=30
    )
    assert response.status_code == 200, response.text
    assert response.json()["codeRetour"] == 0
    return response.json()


def traiter(recipient: ChorusAPI, invoice_id: int, status: str, motif="", mandat="") -> dict:
    return call(
        recipient,
        "/cpro/factures/v1/traiter/recue",
        {
            "idFacture": invoice_id,
            "nouveauStatut": status,
            "motif": motif,
            "numeroDPMandat": mandat,
        },
    )


@pytest.fixture
def parties(live_server):
    supplier = with_vat_number(StructureFactory())
    service = ServiceFactory()
    application = make_application()
    supplier_account = TechnicalAccountFactory(structure=supplier)
    recipient_account = TechnicalAccountFactory(structure=service.structure)
    return (
        supplier,
        service,
        connector(live_server, application, supplier_account.login),
        connector(live_server, application, recipient_account.login),
    )


def deposited(supplier_api: ChorusAPI, supplier, service, number: str):
    """Deposits an invoice with chorus-api and finds it back by its flow: (id, flow number,
    search item)."""
    deposit = supplier_api.deposer_flux(
        b64(invoice_xml(supplier, service, number=number)),
        f"{number}.xml",
        syntaxe_flux="IN_DP_E1_CII_16B",
    )
    assert deposit.code_retour == 0
    report = supplier_api.consulter_cr_detaille(deposit.numero_flux_depot)
    assert report.etat_courant_depot_flux == FlowStatus.INTEGRE
    found = supplier_api.rechercher_facture(deposit.numero_flux_depot).liste_factures
    assert [item.numero_facture for item in found] == [number]
    return found[0].identifiant_facture_cpp, deposit.numero_flux_depot, found[0]


def test_deposit_to_payment(parties):
    supplier, service, supplier_api, recipient_api = parties

    invoice_id, _flow, item = deposited(supplier_api, supplier, service, "FA-2025-00101")
    assert item.statut == S.MISE_A_DISPOSITION

    received = call(
        recipient_api,
        "/cpro/factures/v1/consulter/recipiendaire",
        {"identifiantFactureCPP": invoice_id},
    )
    assert received["facture"]["numeroFacture"] == "FA-2025-00101"

    traiter(recipient_api, invoice_id, S.SUSPENDUE, "JUSTIF_ABS")
    upload = call(
        supplier_api,
        "/cpro/transverses/v1/ajouter/fichier",
        {
            "pieceJointeFichier": b64(b"%PDF-1.4 bon de livraison signe"),
            "pieceJointeNom": "bon-livraison",
            "pieceJointeTypeMime": "application/pdf",
            "pieceJointeExtension": "pdf",
        },
    )["pieceJointeId"]
    call(
        supplier_api,
        "/cpro/factures/v1/completer",
        {
            "identifiantFactureCPP": invoice_id,
            "commentaire": "Bon de livraison signé joint",
            "pieceJointeComplementaire": [{"pieceJointeComplementaireId": upload}],
        },
    )
    traiter(recipient_api, invoice_id, S.SERVICE_FAIT)
    traiter(recipient_api, invoice_id, S.MANDATEE, mandat="MDT-2025-0101")
    paid = traiter(recipient_api, invoice_id, S.MISE_EN_PAIEMENT)
    assert paid["nouveauStatut"] == S.MISE_EN_PAIEMENT

    history = call(
        supplier_api, "/cpro/factures/v1/consulter/historique", {"idFacture": invoice_id}
    )
    rows = history["historiquesDesStatuts"]["histoStatut"]
    assert [row["histoStatutCode"] for row in rows] == [
        S.DEPOSEE,
        S.MISE_A_DISPOSITION,
        S.SUSPENDUE,
        S.COMPLETEE,
        S.SERVICE_FAIT,
        S.MANDATEE,
        S.MISE_EN_PAIEMENT,
    ]
    assert rows[3]["histoStatutCommentaire"] == "Bon de livraison signé joint"
    assert rows[5]["histoStatutNumeroMandat"] == "MDT-2025-0101"
    assert history["statutCourantCode"] == S.MISE_EN_PAIEMENT


def test_rejection_then_acknowledgement(parties):
    supplier, service, supplier_api, recipient_api = parties
    invoice_id, flow, _item = deposited(supplier_api, supplier, service, "FA-2025-00102")

    traiter(recipient_api, invoice_id, S.REJETEE, "Facture déjà reçue sous un autre numéro")
    call(
        supplier_api,
        "/cpro/factures/v1/traiterRejet",
        {
            "listeDemandePaiement": [{"idDemandePaiement": invoice_id}],
            "motifRejet": "Doublon",
            "cpltInfos": "",
        },
    )

    found = supplier_api.rechercher_facture(flow).liste_factures
    assert (found[0].statut, found[0].rejet_traite) == (S.REJETEE, True)
    history = call(
        supplier_api, "/cpro/factures/v1/consulter/historique", {"idFacture": invoice_id}
    )
    rejection = history["historiquesDesStatuts"]["histoStatut"][-2]
    assert (rejection["histoStatutMotifCode"], rejection["histoStatutCommentaire"]) == (
        "AUTRE",
        "AUTRE (Autre motif (précisé en commentaire)) : Facture déjà reçue sous un autre numéro",
    )
