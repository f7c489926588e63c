"""The requests go-choruspro (the public Go client) sends, reproduced literally, and the answer
types it decodes strictly.

Go is not installed here, so each body below is what the client's option structs encode to
(api_wire.md; the client's JSON tags): every field present, absent criteria as "", 0, false,
null or {}. Its Date type parses exactly "AAAA-MM-JJ", its Datetime exactly
"AAAA-MM-JJ HH:MM", ids and line numbers decode into integers, and it reads an error's body
only when the status is 400.
"""

import re
from dataclasses import replace

import pytest
from django.test import Client
from django.utils import timezone

from invoices.enums import InvoiceStatus
from tests.api.conftest import CproClient
from tests.api.invoices_support import b64, received_invoice, walk_to
from tests.chorus.factories import EngagementJuridiqueFactory

pytestmark = pytest.mark.django_db

S = InvoiceStatus
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


@pytest.fixture
def invoice(supplier, recipient_service):
    return received_invoice(supplier=supplier, service=recipient_service)


def search_by_supplier(**criteria) -> dict:
    """RechercherFactureParFournisseurOptions with every field at its zero value."""
    return {
        "cadreFacturation": {},
        "coordonneeBancaire": 0,
        "idFournisseur": 0,
        "idServiceFournisseur": 0,
        "idStructureValideur": 0,
        "idUtilisateurCourant": 0,
        "idUtilisateurCreateur": None,
        "listeDestinataire": None,
        "modeDepot": "",
        "montantApayerMax": 0,
        "montantApayerMin": 0,
        "montantHTMax": 0,
        "montantHTMin": 0,
        "montantTTCMax": 0,
        "montantTTCMin": 0,
        "numeroBonCommande": "",
        "numeroFacture": "",
        "numeroFactureOrigine": "",
        "numeroFluxDepot": "",
        "numeroMarche": "",
        "periodeDateDepotAu": "",
        "periodeDateDepotDu": "",
        "periodeDateFactureAu": None,
        "periodeDateFactureDu": None,
        "periodeDateHeureEtatCourantAu": None,
        "periodeDateHeureEtatCourantDu": None,
        "rechercheFactureParFournisseur": None,
        "rechercheSirenDestinataire": False,
        "recupererTaille": False,
        "rejetTraite": False,
        "statutCourant": None,
        "typeFacture": "",
        **criteria,
    }


def test_the_supplier_search_reads_zero_values_as_no_criterion(cpro, invoice):
    response = cpro.post("/cpro/factures/v1/rechercher/fournisseur", search_by_supplier())

    assert response.status_code == 200, response.content
    found = response.json()["listeFactures"]
    assert [(item["identifiantFactureCPP"], item["statut"]) for item in found] == [
        (invoice.pk, S.MISE_A_DISPOSITION)
    ]
    assert isinstance(found[0]["rejetTraite"], bool)


def test_the_recipient_search_reads_zero_values_as_no_criterion(recipient_cpro, invoice):
    # RechercherFactureParRecipiendaireOptions, its zero values as api_wire.md lists them.
    response = recipient_cpro.post(
        "/cpro/factures/v1/rechercher/recipiendaire",
        {
            "cadreFacturation": {},
            "idUtilisateurCourant": 0,
            "listeFournisseurs": None,
            "montantApayerMax": 0,
            "montantApayerMin": 0,
            "montantHTMax": 0,
            "montantHTMin": 0,
            "montantTTCMax": 0,
            "montantTTCMin": 0,
            "numeroBonCommande": "",
            "numeroFacture": "",
            "numeroMarche": "",
            "paramRecherche": None,
            "periodeDateDepotAu": "",
            "periodeDateDepotDu": "",
            "periodeDateFactureAu": "",
            "periodeDateFactureDu": "",
            "statutCourant": None,
            "typeDemandePaiement": "",
        },
    )

    assert response.status_code == 200, response.content
    assert [item["idFacture"] for item in response.json()["listeFactures"]] == [invoice.pk]


def test_the_supplier_search_still_applies_the_criteria_given(cpro, invoice):
    response = cpro.post(
        "/cpro/factures/v1/rechercher/fournisseur",
        search_by_supplier(numeroFacture="AUTRE-NUMERO", montantHTMax=1),
    )

    assert response.json()["listeFactures"] == []


def test_a_post_to_an_unknown_operation_is_the_coded_json_404():
    # No cookie, no CSRF token, as every connector; the checks Django's test client skips
    # are enforced here.
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/cpro/factures/v1/inexistante",
        {"idFacture": 1},
        content_type="application/json;charset=utf-8",
        headers={"Authorization": "Bearer jeton", "cpro-account": "Y29tcHRlOm1vdA=="},
    )

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["codeRetour"] == 4003


def test_the_history_dates_are_read_as_go_datetimes(cpro, recipient_cpro, invoice):
    walk_to(invoice, S.SUSPENDUE)
    upload = cpro.post(
        "/cpro/transverses/v1/ajouter/fichier",
        {
            "pieceJointeFichier": b64(b"%PDF-1.4 attestation"),
            "pieceJointeNom": "attestation",
            "pieceJointeTypeMime": "application/pdf",
            "pieceJointeExtension": "pdf",
        },
    ).json()["pieceJointeId"]
    completed = cpro.post(
        "/cpro/factures/v1/completer",
        {
            "commentaire": "Attestation jointe",
            "identifiantFactureCPP": invoice.pk,
            "pieceJointeComplementaire": [
                {
                    "pieceJointeComplementaireDesignation": "Attestation",
                    "pieceJointeComplementaireId": upload,
                }
            ],
        },
    )
    assert completed.status_code == 200, completed.content
    assert DATE.match(completed.json()["dateTraitement"])

    response = recipient_cpro.post(
        "/cpro/factures/v1/consulter/historique",
        {
            "idEspace": 0,
            "idFacture": invoice.pk,
            "idUtilisateurCourant": 0,
            "paramRechercheHistoActionsUtilisateurs": None,
            "paramRechercheHistoEvenementsComplementaires": None,
            "paramRechercheHistoStatuts": None,
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    statuses = body["historiquesDesStatuts"]["histoStatut"]
    actions = body["historiquesDesActionsUtilisateurs"]["histoAction"]
    events = body["historiquesDesEvenementsComplementaires"]["evenement"]
    assert [row["histoStatutCode"] for row in statuses] == [
        S.DEPOSEE,
        S.MISE_A_DISPOSITION,
        S.SUSPENDUE,
        S.COMPLETEE,
    ]
    stamps = [row["histoStatutDatePassage"] for row in statuses]
    stamps += [row["histoActionDateHeure"] for row in actions]
    stamps += [row["evenementDateHeure"] for row in events]
    assert all(DATETIME.match(stamp) for stamp in stamps), stamps
    first = invoice.history.first()
    assert statuses[0]["histoStatutDatePassage"] == (
        timezone.localtime(first.at).strftime("%Y-%m-%d %H:%M")
    )
    assert all(isinstance(row["histoStatutId"], int) for row in statuses)
    assert [row["histoActionCode"] for row in actions] == [
        "DEPOT",
        "MAKE_AVAILABLE",
        "SUSPEND",
        "COMPLETE",
    ]
    assert body["derniereAction"]["derniereActionCode"] == "COMPLETE"
    assert isinstance(body["derniereAction"]["derniereActionId"], int)
    suspension = statuses[2]
    assert suspension["histoStatutMotifCode"] == "JUSTIF_ABS"
    assert suspension["histoStatutCommentaire"].startswith("JUSTIF_ABS (")


def test_line_numbers_and_units_are_integers(recipient_cpro, invoice):
    response = recipient_cpro.post(
        "/cpro/factures/v1/consulter/recipiendaire", {"identifiantFactureCPP": invoice.pk}
    )

    assert response.status_code == 200, response.content
    lines = response.json()["facture"]["lignesDePoste"]["lignePoste"]
    assert [line["lignePosteNumero"] for line in lines] == list(range(1, len(lines) + 1))
    # The sample invoice's lines are in C62, the list's unit number 1.
    first = lines[0]
    assert isinstance(first["lignePosteUniteCode"], int)
    assert (first["lignePosteUniteCode"], first["lignePosteUniteLibelle"]) == (1, "unité")
    assert first["lignePosteUniteCodeRec20"] == "C62"


def test_a_line_id_not_numeric_gives_its_rank_and_an_unlisted_unit_its_code(
    supplier, recipient_service, recipient_cpro
):
    invoice = received_invoice(supplier=supplier, service=recipient_service)
    document = invoice.canonical
    document.lines[0] = replace(document.lines[0], id="A-1", unit_code="XPP")
    invoice.document = document.to_dict()
    invoice.save(update_fields=["document"])

    response = recipient_cpro.post(
        "/cpro/factures/v1/consulter/recipiendaire", {"identifiantFactureCPP": invoice.pk}
    )

    first = response.json()["facture"]["lignesDePoste"]["lignePoste"][0]
    assert first["lignePosteNumero"] == 1
    assert (first["lignePosteUniteCode"], first["lignePosteUniteLibelle"]) == (None, "XPP")


def test_traiter_recue_as_go_choruspro_sends_it(recipient_cpro, invoice):
    response = recipient_cpro.post(
        "/cpro/factures/v1/traiter/recue",
        {
            "idFacture": invoice.pk,
            "idUtilisateurCourant": 0,
            "motif": "",
            "nouveauStatut": "SERVICE_FAIT",
            "numeroDPMandat": "",
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert isinstance(body["codeRetour"], int) and isinstance(body["idFacture"], int)
    assert (body["nouveauStatut"], body["numeroFacture"]) == ("SERVICE_FAIT", invoice.number)
    assert DATE.match(body["dateTraitement"])


def test_a_functional_refusal_is_a_400_go_choruspro_reads(recipient_cpro, invoice):
    response = recipient_cpro.post(
        "/cpro/factures/v1/traiter/recue",
        {
            "idFacture": invoice.pk,
            "idUtilisateurCourant": 0,
            "motif": "",
            "nouveauStatut": "REJETEE",
            "numeroDPMandat": "",
        },
    )

    assert response.status_code == 400
    assert set(response.json()) >= {"codeRetour", "libelle"}


def test_recycler_as_go_choruspro_sends_it(cpro, invoice, recipient_service):
    walk_to(invoice, S.A_RECYCLER)
    ej = EngagementJuridiqueFactory(structure=recipient_service.structure)

    response = cpro.post(
        "/cpro/factures/v1/recycler",
        {
            "commentaire": "",
            "destinataire": {
                "codeDestinataire": recipient_service.structure.identifier,
                "codeServiceExecutant": recipient_service.code,
            },
            "idUtilisateurCourant": 0,
            "identifiantFactureCPP": invoice.pk,
            "reference": {"numeroBonCommande": ej.number},
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert isinstance(body["identifiantFactureCPP"], int)
    assert DATE.match(body["dateDepot"])
    assert body["statutFacture"] == S.MISE_A_DISPOSITION


def test_traiter_rejet_as_go_choruspro_sends_it(cpro, invoice):
    walk_to(invoice, S.REJETEE)

    response = cpro.post(
        "/cpro/factures/v1/traiterRejet",
        {
            "cpltInfos": "",
            "listeDemandePaiement": [{"idDemandePaiement": invoice.pk}],
            "motifRejet": "",
        },
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"codeRetour": 0, "libelle": "GCU_MSG_01_000"}


def test_etats_traitement_as_go_choruspro_sends_it(cpro: CproClient):
    response = cpro.post(
        "/cpro/transverses/v1/recuperer/etats/traitement", {"statutCourant": "SERVICE_FAIT"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["listeStatutsPossiblesPourTraitement"] == [
        {"statutPossiblePourTraitement": "MANDATEE"}
    ]
