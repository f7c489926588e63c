"""consulter/fournisseur, consulter/recipiendaire and consulter/historique: one invoice of
the caller's structure in the Chorus Pro shape; anyone else's is not found."""

import pytest

from chorus.enums import Channel
from invoices.enums import InvoiceStatus
from invoices.models import Invoice
from tests.api.conftest import CproClient, cpro_account
from tests.api.invoices_support import SOUMETTRE, soumettre_payload, with_vat_number
from tests.chorus.factories import (
    BankAccountFactory,
    ServiceFactory,
    TechnicalAccountFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CONSULT_SUPPLIER = "/cpro/factures/v1/consulter/fournisseur"
CONSULT_RECIPIENT = "/cpro/factures/v1/consulter/recipiendaire"
HISTORY = "/cpro/factures/v1/consulter/historique"


@pytest.fixture
def service():
    return ServiceFactory()


@pytest.fixture
def invoice(cpro, supplier, service) -> Invoice:
    """An invoice keyed through the API, paid by transfer to the supplier's account."""
    with_vat_number(supplier)
    account = BankAccountFactory(structure=supplier)
    payload = soumettre_payload(
        service,
        commentaire="Livraison du 10 mars",
        fournisseur={"codeCoordonneesBancairesFournisseur": account.pk},
    )
    payload["references"].update(modePaiement="VIREMENT", numeroBonCommande="EJ-77")
    response = cpro.post(SOUMETTRE, payload)
    assert response.status_code == 200, response.content
    return Invoice.objects.get(pk=response.json()["identifiantFactureCPP"])


@pytest.fixture
def recipient_api(client, access_token, service) -> CproClient:
    account = TechnicalAccountFactory(structure=service.structure)
    return CproClient(client, access_token, cpro_account(account.login))


@pytest.fixture
def stranger_api(client, access_token) -> CproClient:
    return CproClient(client, access_token, cpro_account(TechnicalAccountFactory().login))


def test_the_supplier_consults_its_invoice_from_the_stored_document(
    cpro, supplier, service, invoice
):
    response = cpro.post(CONSULT_SUPPLIER, {"identifiantFactureCPP": invoice.pk})

    assert response.status_code == 200, response.content
    facture = response.json()["facture"]
    assert facture["identifiantFactureCPP"] == invoice.pk
    assert facture["numeroFacture"] == "FA-API-0001"
    assert facture["statutFacture"] == "MISE_A_DISPOSITION"
    assert facture["modeDepot"] == "API"
    assert facture["commentaire"] == "Livraison du 10 mars"
    assert facture["cadreDeFacturation"] == {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"}
    destinataire = facture["destinataire"]
    assert destinataire["codeDestinataire"] == service.structure.identifier
    assert destinataire["idServiceExecutant"] == service.pk
    assert destinataire["codeServiceExecutant"] == service.code
    fournisseur = facture["fournisseur"]
    assert fournisseur["codeFournisseur"] == supplier.identifier
    assert fournisseur["numeroTvaFournisseur"] == supplier.vat_number
    assert fournisseur["coordBancairesFournisseurCompteBancaire"] == "FR7630006000011234567890189"
    references = facture["references"]
    assert references["typeFacture"] == "FACTURE"
    assert references["typeTva"] == "TVA_SUR_DEBIT"
    assert references["modePaiement"] == "VIREMENT"
    assert references["numeroBonCommande"] == "EJ-77"
    assert references["numeroMarche"] == "MARCHE-2025-07"
    assert references["dateEcheancePaiement"] == "2025-04-13"
    first, second = facture["lignesDePoste"]["lignePoste"]
    assert first["lignePosteDenomination"] == "Prestation de conseil"
    assert (first["lignePosteQuantite"], first["lignePosteMontantUnitaireHT"]) == (3, 400)
    assert (first["lignePosteMontantTva"], first["lignePosteMontantTtcApresRemise"]) == (240, 1440)
    assert (second["lignePosteMontantRemiseHT"], second["lignePosteMontantHtApresRemise"]) == (
        10,
        110,
    )
    assert facture["recapitulatifDeTva"]["ligneTva"] == [
        {
            "ligneTvaTauxRefCode": "TVA20",
            "ligneTvaTauxManuel": 20,
            "ligneTvaCategorie": "S",
            "ligneTvaMontantBaseHtParTaux": 1200,
            "ligneTvaMontantTvaParTaux": 240,
        },
        {
            "ligneTvaTauxRefCode": "TVA10",
            "ligneTvaTauxManuel": 10,
            "ligneTvaCategorie": "S",
            "ligneTvaMontantBaseHtParTaux": 110,
            "ligneTvaMontantTvaParTaux": 11,
        },
    ]
    assert facture["montantTotal"] == {
        "montantHtTotal": 1310,
        "montantTVA": 251,
        "montantTtcTotal": 1561,
        "acompte": None,
        "montantAPayer": 1561,
    }


def test_the_recipient_consults_the_invoice_it_received(recipient_api, invoice):
    response = recipient_api.post(CONSULT_RECIPIENT, {"identifiantFactureCPP": invoice.pk})

    assert response.status_code == 200, response.content
    assert response.json()["facture"]["numeroFacture"] == "FA-API-0001"


def _not_found(response, invoice_id):
    assert response.status_code == 404, response.content
    body = response.json()
    assert body["codeRetour"] == 10001
    assert f"identifiant {invoice_id} ne vous est accessible" in body["libelle"]


def test_each_side_consults_only_through_its_own_operation(cpro, recipient_api, invoice):
    _not_found(cpro.post(CONSULT_RECIPIENT, {"identifiantFactureCPP": invoice.pk}), invoice.pk)
    _not_found(
        recipient_api.post(CONSULT_SUPPLIER, {"identifiantFactureCPP": invoice.pk}), invoice.pk
    )


def test_another_structure_cannot_consult_the_invoice(stranger_api, invoice):
    for path in (CONSULT_SUPPLIER, CONSULT_RECIPIENT):
        _not_found(stranger_api.post(path, {"identifiantFactureCPP": invoice.pk}), invoice.pk)
    _not_found(stranger_api.post(HISTORY, {"idFacture": invoice.pk}), invoice.pk)


def test_an_unknown_invoice_is_not_found(cpro):
    _not_found(cpro.post(CONSULT_SUPPLIER, {"identifiantFactureCPP": 424242}), 424242)


def test_the_history_lists_each_status_with_its_author(cpro, recipient_api, invoice):
    agent = UserFactory(first_name="Anne", last_name="Martin", phone="0102030405")
    invoice.history.create(
        source=InvoiceStatus.MISE_A_DISPOSITION,
        target="SERVICE_FAIT",
        actor=agent,
        actor_label=str(agent),
        channel=Channel.PORTAIL,
        comment="Prestation constatée",
    )
    Invoice.objects.filter(pk=invoice.pk).update(status="SERVICE_FAIT")

    supplier_view = cpro.post(HISTORY, {"idFacture": invoice.pk})
    recipient_view = recipient_api.post(HISTORY, {"idFacture": invoice.pk})

    assert supplier_view.status_code == 200, supplier_view.content
    body = supplier_view.json()
    assert recipient_view.json()["historiquesDesStatuts"] == body["historiquesDesStatuts"]
    assert (body["idFacture"], body["numeroFacture"]) == (invoice.pk, "FA-API-0001")
    assert (body["statutCourantCode"], body["modeDepot"]) == ("SERVICE_FAIT", "API")
    history = body["historiquesDesStatuts"]
    assert [row["histoStatutCode"] for row in history["histoStatut"]] == [
        "DEPOSEE",
        "MISE_A_DISPOSITION",
        "SERVICE_FAIT",
    ]
    last = history["histoStatut"][-1]
    assert last["histoStatutCommentaire"] == "Prestation constatée"
    assert (last["histoStatutUtilisateurPrenom"], last["histoStatutUtilisateurNom"]) == (
        "Anne",
        "Martin",
    )
    assert last["histoStatutUtilisateurEmail"] == agent.email
    assert last["histoStatutUtilisateurTelephone"] == "0102030405"
    # The deposit is recorded under the technical account that made it, routing under the platform.
    assert (
        history["histoStatut"][0]["histoStatutUtilisateurNom"]
        == invoice.flow_item.flow.technical_account.login
    )
    assert history["histoStatut"][1]["histoStatutUtilisateurNom"] == "plateforme"
    assert history["totalHistoStatut"] == 3


def test_the_history_is_paginated(cpro, invoice):
    response = cpro.post(
        HISTORY,
        {
            "idFacture": invoice.pk,
            "paramRechercheHistoStatuts": {
                "nbResultatsParPage": 1,
                "pageResultatDemandee": 2,
                "triColonne": "histoStatutDatePassage",
                "triSens": "Descendant",
            },
        },
    )

    history = response.json()["historiquesDesStatuts"]
    assert [row["histoStatutCode"] for row in history["histoStatut"]] == ["DEPOSEE"]
    assert (history["pagesHistoStatut"], history["pageCouranteHistoStatut"]) == (2, 2)


def test_consulting_needs_both_credentials(client, invoice):
    response = client.post(
        CONSULT_SUPPLIER, {"identifiantFactureCPP": invoice.pk}, content_type="application/json"
    )

    assert response.status_code == 401
