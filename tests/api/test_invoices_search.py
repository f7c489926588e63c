"""rechercher/fournisseur and rechercher/recipiendaire: a structure finds its own issued or
received invoices, filtered and paginated, and nobody else's."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from invoices import canonical as c
from invoices.models import Invoice
from tests.api.conftest import CproClient, cpro_account
from tests.api.invoices_support import SOUMETTRE, soumettre_payload, with_vat_number
from tests.chorus.factories import (
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
    TechnicalAccountFactory,
)
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db

SUPPLIER_SEARCH = "/cpro/factures/v1/rechercher/fournisseur"
RECIPIENT_SEARCH = "/cpro/factures/v1/rechercher/recipiendaire"


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["numeroFacture"] for item in response.json()["listeFactures"]]


def _issued(supplier, recipient, number, *, issue_date=datetime.date(2025, 3, 14), **changes):
    document = french_invoice(
        number=number,
        issue_date=issue_date,
        seller_siret=supplier.identifier,
        buyer_siret=recipient.identifier,
        service_code=None,
        **changes,
    )
    return stored_invoice(supplier=supplier, recipient=recipient, document=document)


@pytest.fixture
def recipient():
    return PublicStructureFactory()


def test_the_supplier_finds_its_invoices_with_the_chorus_fields(cpro, supplier):
    with_vat_number(supplier)
    service = ServiceFactory()
    submitted = cpro.post(SOUMETTRE, soumettre_payload(service)).json()
    _issued(StructureFactory(), service.structure, "FA-D-AUTRUI")

    response = cpro.post(SUPPLIER_SEARCH, {})

    [item] = response.json()["listeFactures"]
    assert item["identifiantFactureCPP"] == submitted["identifiantFactureCPP"]
    assert item["numeroFacture"] == "FA-API-0001"
    assert item["statut"] == "MISE_A_DISPOSITION"
    assert item["typeFacture"] == "FACTURE"
    assert item["dateDepot"] == submitted["dateDepot"]
    assert item["dateFacture"] == "2025-03-14"
    assert (item["montantHT"], item["montantTTC"], item["montantAPayer"]) == (1310, 1561, 1561)
    assert item["codeDestinataire"] == service.structure.identifier
    assert item["idDestinataire"] == service.structure.pk
    assert item["codeServiceExecutant"] == service.code
    assert item["numeroFluxDepot"] == submitted["numeroFluxDepot"]
    assert item["numeroMarche"] == "MARCHE-2025-07"
    assert item["modeDepot"] == "API"
    assert item["dateHeureEtatCourant"]
    assert response.json()["parametresRetour"]["total"] == 1
    by_flow = {"numeroFluxDepot": submitted["numeroFluxDepot"]}
    assert _numbers(cpro.post(SUPPLIER_SEARCH, by_flow)) == ["FA-API-0001"]
    assert _numbers(cpro.post(SUPPLIER_SEARCH, {"numeroMarche": "MARCHE-2025-07"})) == [
        "FA-API-0001"
    ]
    assert _numbers(cpro.post(SUPPLIER_SEARCH, {"numeroMarche": "AUTRE"})) == []


def test_supplier_filters(cpro, supplier, recipient):
    other_recipient = PublicStructureFactory()
    _issued(supplier, recipient, "A-1", engagement="EJ-1")
    _issued(supplier, recipient, "A-2", issue_date=datetime.date(2025, 6, 1))
    _issued(supplier, other_recipient, "B-1")
    credit = _issued(supplier, recipient, "AV-1", type_code=c.TYPE_CREDIT_NOTE)
    Invoice.objects.filter(pk=credit.pk).update(status="REJETEE")
    small = french_invoice(
        number="S-1",
        seller_siret=supplier.identifier,
        buyer_siret=recipient.identifier,
        lines=[("Petite fourniture", "1", "10.00", "S", "20")],
    )
    stored_invoice(supplier=supplier, recipient=recipient, document=small)

    assert _numbers(cpro.post(SUPPLIER_SEARCH, {"numeroFacture": "A-2"})) == ["A-2"]
    assert _numbers(cpro.post(SUPPLIER_SEARCH, {"numeroBonCommande": "EJ-1"})) == ["A-1"]
    assert _numbers(cpro.post(SUPPLIER_SEARCH, {"typeFacture": "AVOIR"})) == ["AV-1"]
    assert _numbers(cpro.post(SUPPLIER_SEARCH, {"statutCourant": ["REJETEE"]})) == ["AV-1"]
    assert _numbers(cpro.post(SUPPLIER_SEARCH, {"statutCourant": "REJETEE"})) == ["AV-1"]
    assert _numbers(
        cpro.post(
            SUPPLIER_SEARCH,
            {"periodeDateFactureDu": "2025-05-01", "periodeDateFactureAu": "2025-06-30"},
        )
    ) == ["A-2"]
    assert _numbers(
        cpro.post(SUPPLIER_SEARCH, {"listeDestinataire": [{"idDestinataire": other_recipient.pk}]})
    ) == ["B-1"]
    assert _numbers(cpro.post(SUPPLIER_SEARCH, {"montantHTMax": 100})) == ["S-1"]
    assert _numbers(cpro.post(SUPPLIER_SEARCH, {"montantApayerMax": "12.00"})) == ["S-1"]
    assert _numbers(cpro.post(SUPPLIER_SEARCH, {"montantTTCMin": 100, "montantTTCMax": 20})) == []
    today = timezone.localdate().isoformat()
    assert len(_numbers(cpro.post(SUPPLIER_SEARCH, {"periodeDateDepotDu": today}))) == 5


def test_an_unknown_status_is_refused_with_the_accepted_ones(cpro):
    response = cpro.post(SUPPLIER_SEARCH, {"statutCourant": ["PAYEE"]})

    assert response.status_code == 400
    assert "MISE_EN_PAIEMENT" in response.json()["erreurs"][0]["message"]


def test_supplier_search_pages_and_sorts(cpro, supplier, recipient):
    for number in ("N-3", "N-1", "N-2"):
        _issued(supplier, recipient, number)

    first = cpro.post(
        SUPPLIER_SEARCH,
        {
            "rechercheFactureParFournisseur": {
                "nbResultatsParPage": 2,
                "pageResultatDemandee": 1,
                "triColonne": "numeroFacture",
                "triSens": "Descendant",
            }
        },
    )
    second = cpro.post(
        SUPPLIER_SEARCH,
        {
            "parametres": {
                "nbResultatsParPage": 2,
                "pageResultatDemandee": 2,
                "triColonne": "numeroFacture",
            }
        },
    )

    assert _numbers(first) == ["N-3", "N-2"]
    assert first.json()["parametresRetour"] == {
        "nbResultatsParPage": 2,
        "pageCourante": 1,
        "pages": 2,
        "total": 3,
    }
    assert _numbers(second) == ["N-3"]


def test_the_recipient_finds_the_invoices_it_received_only(client, access_token, recipient):
    service = ServiceFactory(structure=recipient)
    supplier_a, supplier_b = StructureFactory(), StructureFactory()
    _issued(supplier_a, recipient, "R-A")
    stored_invoice(supplier=supplier_b, service=service)
    _issued(supplier_a, PublicStructureFactory(), "R-AILLEURS")
    public = CproClient(
        client, access_token, cpro_account(TechnicalAccountFactory(structure=recipient).login)
    )

    everything = public.post(RECIPIENT_SEARCH, {})
    by_supplier = public.post(
        RECIPIENT_SEARCH, {"listeFournisseurs": [{"idFournisseur": supplier_a.pk}]}
    )
    by_service = public.post(RECIPIENT_SEARCH, {"idServiceExecutant": service.pk})
    paged = public.post(RECIPIENT_SEARCH, {"paramRecherche": {"nbResultatsParPage": 1}})

    assert sorted(_numbers(everything)) == ["FA-2025-00042", "R-A"]
    assert _numbers(by_supplier) == ["R-A"]
    item = by_service.json()["listeFactures"][0]
    assert (item["codeFournisseur"], item["idServiceExecutant"]) == (
        supplier_b.identifier,
        service.pk,
    )
    assert paged.json()["parametresRetour"]["pages"] == 2


def test_a_supplier_sees_no_received_invoice_and_a_recipient_no_issued_one(
    client, access_token, cpro, supplier, recipient
):
    _issued(supplier, recipient, "X-1")
    public = CproClient(
        client, access_token, cpro_account(TechnicalAccountFactory(structure=recipient).login)
    )

    assert _numbers(cpro.post(RECIPIENT_SEARCH, {})) == []
    assert _numbers(public.post(SUPPLIER_SEARCH, {})) == []
    assert _numbers(public.post(RECIPIENT_SEARCH, {})) == ["X-1"]


def test_another_supplier_sees_none_of_these_invoices(client, access_token, supplier, recipient):
    _issued(supplier, recipient, "X-1")
    stranger = CproClient(client, access_token, cpro_account(TechnicalAccountFactory().login))

    assert _numbers(stranger.post(SUPPLIER_SEARCH, {"numeroFacture": "X-1"})) == []


def test_searching_needs_both_credentials(client):
    response = client.post(SUPPLIER_SEARCH, {}, content_type="application/json")

    assert response.status_code == 401


def test_amount_columns_are_numbers(cpro, supplier, recipient):
    invoice = _issued(supplier, recipient, "NUM-1")

    [item] = cpro.post(SUPPLIER_SEARCH, {}).json()["listeFactures"]

    assert Decimal(str(item["montantTTC"])) == invoice.total_with_vat
    assert item["taille"] == invoice.received_file.size
