"""traiter/recue and recuperer/etats/traitement: a recipient's systems move a received invoice
through the API with a technical account of the public structure; every refusal is a coded
400 that says why."""

import pytest

from chorus.enums import ReceptionChannel
from chorus.workflow.core import MANDATE_NUMBER, MOTIVE
from invoices.enums import InvoiceRole, InvoiceStatus
from invoices.workflow import INVOICE_WORKFLOW
from rejections.catalogue import motives_for
from tests.api.invoices_support import received_invoice, walk_to

pytestmark = pytest.mark.django_db

TRAITER = "/cpro/factures/v1/traiter/recue"
ETATS = "/cpro/transverses/v1/recuperer/etats/traitement"
HISTORY = "/cpro/factures/v1/consulter/historique"
CONSULT_SUPPLIER = "/cpro/factures/v1/consulter/fournisseur"
S = InvoiceStatus

RECIPIENT_MOVES = [
    t
    for t in INVOICE_WORKFLOW.transitions
    if InvoiceRole.DESTINATAIRE in t.roles and t.source != t.target
]


@pytest.fixture
def invoice(supplier, recipient_service):
    return received_invoice(supplier=supplier, service=recipient_service)


def _traiter(api, invoice, status, motif="", mandat=""):
    return api.post(
        TRAITER,
        {
            "idFacture": invoice.pk,
            "nouveauStatut": status,
            "motif": motif,
            "numeroDPMandat": mandat,
        },
    )


@pytest.mark.parametrize(
    "move", RECIPIENT_MOVES, ids=[f"{t.source}->{t.target}" for t in RECIPIENT_MOVES]
)
def test_the_recipient_makes_every_move_of_the_table(recipient_cpro, invoice, move):
    walk_to(invoice, move.source)
    motive = motives_for(move.action)[0].code if MOTIVE in move.requires else ""
    mandate = "MDT-42" if MANDATE_NUMBER in move.requires else ""

    response = _traiter(recipient_cpro, invoice, move.target, motive, mandate)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["codeRetour"], body["libelle"]) == (0, "GCU_MSG_01_000")
    assert (body["idFacture"], body["numeroFacture"]) == (invoice.pk, invoice.number)
    assert body["nouveauStatut"] == move.target
    invoice.refresh_from_db()
    assert invoice.status == move.target
    assert body["dateTraitement"] == invoice.status_at.date().isoformat()
    change = invoice.history.last()
    assert (change.channel, change.actor_role) == ("API", InvoiceRole.DESTINATAIRE)
    assert change.technical_account.structure == invoice.recipient


def test_a_recipient_receiving_by_api_processes_an_invoice_still_being_routed(
    recipient_cpro, supplier, recipient_service
):
    recipient = recipient_service.structure
    recipient.reception_channel = ReceptionChannel.API
    recipient.save(update_fields=["reception_channel"])
    invoice = received_invoice(supplier=supplier, service=recipient_service)
    assert invoice.status == S.EN_COURS_ACHEMINEMENT

    response = _traiter(recipient_cpro, invoice, S.SERVICE_FAIT)

    assert response.status_code == 200, response.content
    assert [change.target for change in invoice.history.all()][-2:] == [
        S.MISE_A_DISPOSITION,
        S.SERVICE_FAIT,
    ]


def test_free_text_is_recorded_as_autre_with_the_text_as_comment(recipient_cpro, invoice):
    response = _traiter(
        recipient_cpro, invoice, S.SUSPENDUE, "Merci de joindre le bon de livraison"
    )

    assert response.status_code == 200, response.content
    change = invoice.history.last()
    assert (change.motive, change.comment) == ("AUTRE", "Merci de joindre le bon de livraison")


def test_a_catalogue_code_travels_as_the_code(recipient_cpro, invoice):
    _traiter(recipient_cpro, invoice, S.REJETEE, "DOUBLON")

    change = invoice.history.last()
    assert (change.target, change.motive, change.comment) == (S.REJETEE, "DOUBLON", "")


def test_the_mandate_number_is_recorded_and_shown_in_the_history(recipient_cpro, cpro, invoice):
    walk_to(invoice, S.SERVICE_FAIT)

    _traiter(recipient_cpro, invoice, S.MANDATEE, mandat="MDT-2025-0042")

    rows = cpro.post(HISTORY, {"idFacture": invoice.pk}).json()["historiquesDesStatuts"]
    last = rows["histoStatut"][-1]
    assert (last["histoStatutCode"], last["histoStatutNumeroMandat"]) == (
        S.MANDATEE,
        "MDT-2025-0042",
    )
    assert "MDT-2025-0042" in last["histoStatutCommentaire"]
    consulted = cpro.post(CONSULT_SUPPLIER, {"identifiantFactureCPP": invoice.pk}).json()
    assert consulted["facture"]["references"]["numeroDpMandat"] == "MDT-2025-0042"


def test_the_motive_its_comment_lines_and_disputed_amount_come_back_in_the_history(
    recipient_cpro, cpro, invoice
):
    response = recipient_cpro.post(
        TRAITER,
        {
            "idFacture": invoice.pk,
            "nouveauStatut": S.REJETEE,
            "motif": "MONTANTTOTAL_ERR",
            "commentaire": "Le prix unitaire de la ligne 1 ne suit pas le devis.",
            "lignesConcernees": ["1"],
            "montantConteste": "150.00",
        },
    )

    assert response.status_code == 200, response.content
    rows = cpro.post(HISTORY, {"idFacture": invoice.pk}).json()["historiquesDesStatuts"]
    last = rows["histoStatut"][-1]
    assert last["histoStatutCode"] == S.REJETEE
    assert last["histoStatutMotifCode"] == "MONTANTTOTAL_ERR"
    assert last["histoStatutLignesConcernees"] == ["1"]
    assert last["histoStatutMontantConteste"] == 150.0
    assert "ne suit pas le devis" in last["histoStatutCommentaire"]
    first = rows["histoStatut"][0]
    assert (first["histoStatutLignesConcernees"], first["histoStatutMontantConteste"]) == ([], None)


def test_a_disputed_amount_with_more_than_two_decimals_is_refused_on_its_field(
    recipient_cpro, invoice
):
    response = recipient_cpro.post(
        TRAITER,
        {
            "idFacture": invoice.pk,
            "nouveauStatut": S.REJETEE,
            "motif": "MONTANTTOTAL_ERR",
            "commentaire": "Montant.",
            "montantConteste": "1.005",
        },
    )

    assert response.status_code == 400
    assert [e["champ"] for e in response.json()["erreurs"]] == ["montantConteste"]
    invoice.refresh_from_db()
    assert invoice.status == S.MISE_A_DISPOSITION


def test_lines_not_on_the_invoice_and_an_amount_past_its_total_are_refused_on_their_fields(
    recipient_cpro, invoice
):
    response = recipient_cpro.post(
        TRAITER,
        {
            "idFacture": invoice.pk,
            "nouveauStatut": S.REJETEE,
            "motif": "MONTANTTOTAL_ERR",
            "commentaire": "Montant.",
            "lignesConcernees": ["1", "99"],
            "montantConteste": "999999.00",
        },
    )

    assert response.status_code == 400
    errors = {e["champ"]: e["message"] for e in response.json()["erreurs"]}
    assert list(errors) == ["lignesConcernees", "montantConteste"]
    assert f"pas sur la facture {invoice.number} : 99." in errors["lignesConcernees"]
    assert "Les lignes de la facture sont 1" in errors["lignesConcernees"]
    assert "dépasse le total de la facture" in errors["montantConteste"]
    invoice.refresh_from_db()
    assert invoice.status == S.MISE_A_DISPOSITION


def test_consulting_a_correction_names_the_rejected_invoice_and_back(
    recipient_cpro, cpro, supplier, recipient_service, invoice
):
    _traiter(recipient_cpro, invoice, S.REJETEE, "DOUBLON")
    invoice.refresh_from_db()
    correction = received_invoice(
        supplier=supplier, service=recipient_service, number="FA-2025-00043"
    )
    correction.replaces = invoice
    correction.save(update_fields=["replaces"])

    new = cpro.post(CONSULT_SUPPLIER, {"identifiantFactureCPP": correction.pk}).json()
    old = cpro.post(CONSULT_SUPPLIER, {"identifiantFactureCPP": invoice.pk}).json()

    references = new["facture"]["references"]
    assert (references["idFactureRemplacee"], references["numeroFactureRemplacee"]) == (
        invoice.pk,
        invoice.number,
    )
    assert references["idFactureCorrective"] is None
    references = old["facture"]["references"]
    assert (references["idFactureCorrective"], references["numeroFactureCorrective"]) == (
        correction.pk,
        "FA-2025-00043",
    )


@pytest.mark.parametrize("status", [S.SUSPENDUE, S.A_RECYCLER, S.REJETEE])
def test_a_motive_is_required(recipient_cpro, invoice, status):
    response = _traiter(recipient_cpro, invoice, status)

    assert response.status_code == 400
    body = response.json()
    assert body["codeRetour"] == 10011
    assert "motif" in body["libelle"]
    invoice.refresh_from_db()
    assert invoice.status == S.MISE_A_DISPOSITION


def test_a_motive_that_does_not_justify_the_action_is_refused(recipient_cpro, invoice):
    # A wrong VAT rate justifies a rejection, not a suspension.
    response = _traiter(recipient_cpro, invoice, S.SUSPENDUE, "TX_TVA_ERR")

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10011
    assert "ne permet pas cette action" in response.json()["libelle"]


def test_a_mandate_needs_its_number(recipient_cpro, invoice):
    walk_to(invoice, S.SERVICE_FAIT)

    response = _traiter(recipient_cpro, invoice, S.MANDATEE)

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10012
    assert "numeroDPMandat" in response.json()["libelle"]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.MISE_A_DISPOSITION, S.MISE_EN_PAIEMENT),
        (S.MISE_EN_PAIEMENT, S.MANDATEE),  # the accounting steps never go back
        (S.REJETEE, S.SERVICE_FAIT),
        (S.SUSPENDUE, S.SERVICE_FAIT),  # the supplier must complete it first
    ],
)
def test_a_move_the_table_does_not_allow_is_refused(recipient_cpro, invoice, current, target):
    walk_to(invoice, current)

    response = _traiter(recipient_cpro, invoice, target, mandat="MDT-1")

    assert response.status_code == 400
    body = response.json()
    assert body["codeRetour"] == 10009
    assert str(S(current).label) in body["libelle"]
    invoice.refresh_from_db()
    assert invoice.status == current


def test_the_supplier_cannot_process_its_own_invoice(cpro, invoice):
    response = _traiter(cpro, invoice, S.SERVICE_FAIT)

    assert response.status_code == 400
    assert response.json()["codeRetour"] == 10010
    invoice.refresh_from_db()
    assert invoice.status == S.MISE_A_DISPOSITION


def test_another_structures_invoice_is_answered_as_not_found(stranger_cpro, invoice):
    response = _traiter(stranger_cpro, invoice, S.SERVICE_FAIT)

    assert response.status_code == 400
    body = response.json()
    assert body["codeRetour"] == 10008
    assert str(invoice.pk) in body["libelle"]
    invoice.refresh_from_db()
    assert invoice.status == S.MISE_A_DISPOSITION


def test_an_unknown_status_is_refused_with_the_accepted_ones(recipient_cpro, invoice):
    response = _traiter(recipient_cpro, invoice, "PAYEE")

    assert response.status_code == 400
    body = response.json()
    assert body["erreurs"][0]["champ"] == "nouveauStatut"
    assert "MISE_EN_PAIEMENT" in body["erreurs"][0]["message"]


@pytest.mark.parametrize(
    ("current", "possible"),
    [
        (
            S.MISE_A_DISPOSITION,
            [S.SUSPENDUE, S.A_RECYCLER, S.REJETEE, S.SERVICE_FAIT, S.MANDATEE],
        ),
        (S.SERVICE_FAIT, [S.MANDATEE]),
        (S.MANDATEE, [S.MISE_A_DISPOSITION_COMPTABLE, S.COMPTABILISEE, S.MISE_EN_PAIEMENT]),
        (S.COMPTABILISEE, [S.MISE_EN_PAIEMENT]),
        (S.MISE_EN_PAIEMENT, []),
        (S.SUSPENDUE, []),  # the supplier's move
    ],
)
def test_the_possible_statuses_come_from_the_table(recipient_cpro, current, possible):
    response = recipient_cpro.post(ETATS, {"statutCourant": current})

    assert response.status_code == 200, response.content
    listed = response.json()["listeStatutsPossiblesPourTraitement"]
    assert [entry["statutPossiblePourTraitement"] for entry in listed] == possible


def test_the_possible_statuses_of_an_unknown_status_are_refused(cpro):
    response = cpro.post(ETATS, {"statutCourant": "INCONNU"})

    assert response.status_code == 400
    assert response.json()["erreurs"][0]["champ"] == "statutCourant"
