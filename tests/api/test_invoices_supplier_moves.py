"""completer, recycler and traiterRejet: the supplier's answers to a suspension, a send-back
and a rejection, through the API with the supplier's technical account."""

import pytest

from invoices.enums import InvoiceRole, InvoiceStatus
from invoices.models import InvoiceAttachment
from tests.api.invoices_support import b64, received_invoice, walk_to
from tests.chorus.factories import (
    EngagementJuridiqueFactory,
    PublicStructureFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db

COMPLETER = "/cpro/factures/v1/completer"
RECYCLER = "/cpro/factures/v1/recycler"
TRAITER_REJET = "/cpro/factures/v1/traiterRejet"
ADD_FILE = "/cpro/transverses/v1/ajouter/fichier"
HISTORY = "/cpro/factures/v1/consulter/historique"
SEARCH = "/cpro/factures/v1/rechercher/fournisseur"
S = InvoiceStatus


@pytest.fixture
def invoice(supplier, recipient_service):
    return received_invoice(supplier=supplier, service=recipient_service)


def _upload(api, name="bon-de-livraison") -> int:
    response = api.post(
        ADD_FILE,
        {
            "pieceJointeFichier": b64(b"%PDF-1.4 bon de livraison"),
            "pieceJointeNom": name,
            "pieceJointeTypeMime": "application/pdf",
            "pieceJointeExtension": "PDF",
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["pieceJointeId"]


# --- completer ------------------------------------------------------------------------------


def test_the_supplier_completes_a_suspended_invoice_with_documents(cpro, recipient_cpro, invoice):
    walk_to(invoice, S.SUSPENDUE)
    upload_id = _upload(cpro)

    response = cpro.post(
        COMPLETER,
        {
            "identifiantFactureCPP": invoice.pk,
            "commentaire": "Bon de livraison joint",
            "pieceJointeComplementaire": [
                {
                    "pieceJointeComplementaireDesignation": "Bon de livraison",
                    "pieceJointeComplementaireId": upload_id,
                }
            ],
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["identifiantFactureCPP"], body["statutFacture"]) == (invoice.pk, S.COMPLETEE)
    attachment = InvoiceAttachment.objects.get(invoice=invoice)
    assert attachment.upload_id == upload_id
    assert attachment.change.comment == "Bon de livraison joint"
    # Back with the recipient, who sees the comment and the document in the history.
    history = recipient_cpro.post(HISTORY, {"idFacture": invoice.pk}).json()
    last = history["historiquesDesStatuts"]["histoStatut"][-1]
    assert (last["histoStatutCode"], last["histoStatutCommentaire"]) == (
        S.COMPLETEE,
        "Bon de livraison joint",
    )
    events = history["historiquesDesEvenementsComplementaires"]["evenement"]
    assert [event["evenementLibelle"] for event in events] == [
        "Pièce complémentaire ajoutée : bon-de-livraison.pdf"
    ]


def test_completing_needs_a_comment(cpro, invoice):
    walk_to(invoice, S.SUSPENDUE)

    response = cpro.post(COMPLETER, {"identifiantFactureCPP": invoice.pk, "commentaire": ""})

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10013
    assert "commentaire" in response.json()["libelle"]


def test_an_invoice_not_suspended_cannot_be_completed(cpro, invoice):
    response = cpro.post(COMPLETER, {"identifiantFactureCPP": invoice.pk, "commentaire": "Voici"})

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10009


def test_the_recipient_cannot_complete(recipient_cpro, invoice):
    walk_to(invoice, S.SUSPENDUE)

    response = recipient_cpro.post(
        COMPLETER, {"identifiantFactureCPP": invoice.pk, "commentaire": "Voici"}
    )

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10010


def test_a_document_of_another_structure_is_refused(cpro, stranger_cpro, invoice):
    walk_to(invoice, S.SUSPENDUE)
    foreign = _upload(stranger_cpro)

    response = cpro.post(
        COMPLETER,
        {
            "identifiantFactureCPP": invoice.pk,
            "commentaire": "Voici",
            "pieceJointeComplementaire": [{"pieceJointeComplementaireId": foreign}],
        },
    )

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 20002
    assert str(foreign) in response.json()["libelle"]
    invoice.refresh_from_db()
    assert invoice.status == S.SUSPENDUE


def test_a_stranger_cannot_complete(stranger_cpro, invoice):
    walk_to(invoice, S.SUSPENDUE)

    response = stranger_cpro.post(
        COMPLETER, {"identifiantFactureCPP": invoice.pk, "commentaire": "Voici"}
    )

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10008


# --- recycler -------------------------------------------------------------------------------


def test_the_supplier_recycles_to_another_service_with_an_engagement(
    cpro, invoice, recipient_service
):
    walk_to(invoice, S.A_RECYCLER)
    other = ServiceFactory(structure=recipient_service.structure)
    ej = EngagementJuridiqueFactory(structure=recipient_service.structure)

    response = cpro.post(
        RECYCLER,
        {
            "identifiantFactureCPP": invoice.pk,
            "commentaire": "Service corrigé",
            "destinataire": {
                "codeDestinataire": recipient_service.structure.identifier,
                "codeServiceExecutant": other.code,
            },
            "reference": {"numeroBonCommande": ej.number},
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    invoice.refresh_from_db()
    # Same number, routed again: a portal recipient has it at once.
    assert (body["numeroFacture"], body["statutFacture"]) == (
        invoice.number,
        S.MISE_A_DISPOSITION,
    )
    assert (invoice.service, invoice.order_reference) == (other, ej.number)
    assert invoice.canonical.buyer_reference == other.code
    assert [c.target for c in invoice.history.all()][-2:] == [S.DEPOSEE, S.MISE_A_DISPOSITION]
    recycle = invoice.history.get(action="recycle")
    assert (recycle.comment, recycle.actor_role) == ("Service corrigé", InvoiceRole.FOURNISSEUR)


def test_the_supplier_recycles_to_another_recipient(cpro, invoice):
    walk_to(invoice, S.A_RECYCLER)
    right = ServiceFactory(structure=PublicStructureFactory())

    response = cpro.post(
        RECYCLER,
        {
            "identifiantFactureCPP": invoice.pk,
            "commentaire": "",
            "destinataire": {
                "codeDestinataire": right.structure.identifier,
                "codeServiceExecutant": right.code,
            },
            "idUtilisateurCourant": 0,
            "reference": None,
        },
    )

    assert response.status_code == 200, response.content
    invoice.refresh_from_db()
    assert (invoice.recipient, invoice.service) == (right.structure, right)
    assert invoice.canonical.buyer_siret == right.structure.identifier


def test_routing_data_are_checked_as_at_a_deposit(cpro, invoice, recipient_service):
    walk_to(invoice, S.A_RECYCLER)
    recipient_service.structure.ej_required = True
    recipient_service.structure.save(update_fields=["ej_required"])

    response = cpro.post(
        RECYCLER,
        {
            "identifiantFactureCPP": invoice.pk,
            "destinataire": {
                "codeDestinataire": recipient_service.structure.identifier,
                "codeServiceExecutant": "INCONNU",
            },
            "reference": {"numeroBonCommande": ""},
        },
    )

    assert response.status_code == 400
    body = response.json()
    assert body["codeRetour"] == 20001
    assert [error["champ"] for error in body["erreurs"]] == [
        "destinataire.codeServiceExecutant",
        "reference.numeroBonCommande",
    ]
    assert "« INCONNU »" in body["erreurs"][0]["message"]
    invoice.refresh_from_db()
    assert invoice.status == S.A_RECYCLER


def test_an_unknown_recipient_is_refused(cpro, invoice):
    walk_to(invoice, S.A_RECYCLER)

    response = cpro.post(
        RECYCLER,
        {
            "identifiantFactureCPP": invoice.pk,
            "destinataire": {"codeDestinataire": "12345678901234"},
        },
    )

    assert response.status_code == 400
    assert response.json()["erreurs"][0]["champ"] == "destinataire.codeDestinataire"


def test_only_an_invoice_sent_back_can_be_recycled(cpro, invoice):
    response = cpro.post(RECYCLER, {"identifiantFactureCPP": invoice.pk})

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10009


def test_the_recipient_cannot_recycle(recipient_cpro, invoice):
    walk_to(invoice, S.A_RECYCLER)

    response = recipient_cpro.post(RECYCLER, {"identifiantFactureCPP": invoice.pk})

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10010


def test_a_stranger_cannot_recycle(stranger_cpro, invoice):
    walk_to(invoice, S.A_RECYCLER)

    response = stranger_cpro.post(RECYCLER, {"identifiantFactureCPP": invoice.pk})

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10008
    invoice.refresh_from_db()
    assert invoice.status == S.A_RECYCLER


# --- traiterRejet ---------------------------------------------------------------------------


def test_the_supplier_acknowledges_a_rejection(cpro, invoice):
    walk_to(invoice, S.REJETEE)

    response = cpro.post(
        TRAITER_REJET,
        {
            "listeDemandePaiement": [{"idDemandePaiement": invoice.pk}],
            "motifRejet": "Doublon confirmé",
            "cpltInfos": "Nouvelle facture FA-2025-00043 émise",
        },
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"codeRetour": 0, "libelle": "GCU_MSG_01_000"}
    invoice.refresh_from_db()
    assert invoice.status == S.REJETEE
    assert invoice.rejection_acknowledged_at is not None
    change = invoice.history.last()
    assert (change.action, change.comment) == (
        "acknowledge",
        "Doublon confirmé : Nouvelle facture FA-2025-00043 émise",
    )
    found = cpro.post(SEARCH, {"numeroFacture": invoice.number}).json()["listeFactures"]
    assert found[0]["rejetTraite"] is True


def test_a_rejection_is_acknowledged_once(cpro, invoice):
    walk_to(invoice, S.REJETEE)
    body = {"listeDemandePaiement": [{"idDemandePaiement": invoice.pk}]}
    cpro.post(TRAITER_REJET, body)

    response = cpro.post(TRAITER_REJET, body)

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 20004
    assert "déjà été traité" in response.json()["libelle"]


def test_one_invoice_not_rejected_acknowledges_none(cpro, supplier, recipient_service, invoice):
    walk_to(invoice, S.REJETEE)
    other = received_invoice(supplier=supplier, service=recipient_service, number="FA-2025-9")

    response = cpro.post(
        TRAITER_REJET,
        {
            "listeDemandePaiement": [
                {"idDemandePaiement": invoice.pk},
                {"idDemandePaiement": other.pk},
            ]
        },
    )

    assert response.status_code == 400
    body = response.json()
    assert body["codeRetour"] == 20003
    assert "FA-2025-9" in body["libelle"] and "Mise à disposition" in body["libelle"]
    invoice.refresh_from_db()
    assert invoice.rejection_acknowledged_at is None


def test_the_recipient_cannot_acknowledge_its_own_rejection(recipient_cpro, invoice):
    walk_to(invoice, S.REJETEE)

    response = recipient_cpro.post(
        TRAITER_REJET, {"listeDemandePaiement": [{"idDemandePaiement": invoice.pk}]}
    )

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10010


def test_a_stranger_cannot_acknowledge(stranger_cpro, invoice):
    walk_to(invoice, S.REJETEE)

    response = stranger_cpro.post(
        TRAITER_REJET, {"listeDemandePaiement": [{"idDemandePaiement": invoice.pk}]}
    )

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10008
