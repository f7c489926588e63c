"""soumettre: a keyed invoice becomes a CII flow of the caller's structure, processed before
the answer; every problem is refused with its field and a sentence saying how to fix it."""

from decimal import Decimal

import pytest

from invoices import canonical as c
from invoices.enums import DepositChannel, FlowStatus, FlowSyntax, InvoiceStatus
from invoices.formats import read
from invoices.models import Flow, Invoice
from tests.api.invoices_support import SOUMETTRE, b64, soumettre_payload, with_vat_number
from tests.chorus.factories import BankAccountFactory, ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db

ADD_FILE = "/cpro/transverses/v1/ajouter/fichier"


@pytest.fixture
def service():
    return ServiceFactory(code="SERV-COMPTA")


@pytest.fixture(autouse=True)
def _supplier_with_vat(supplier):
    with_vat_number(supplier)


def _document(invoice: Invoice) -> c.Invoice:
    with invoice.received_file.file.open("rb") as handle:
        return read(handle.read())[1]


def _refusal(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["libelle"].startswith(f"{code} : ")
    return body


def test_a_keyed_invoice_is_built_deposited_and_made_available(
    cpro, supplier, technical_account, service
):
    response = cpro.post(SOUMETTRE, soumettre_payload(service))

    assert response.status_code == 200, response.content
    body = response.json()
    invoice = Invoice.objects.get(pk=body["identifiantFactureCPP"])
    flow = Flow.objects.get(number=body["numeroFluxDepot"])
    assert body["codeRetour"] == 0
    assert body["numeroFacture"] == "FA-API-0001"
    assert body["statutFacture"] == InvoiceStatus.MISE_A_DISPOSITION
    assert body["identifiantStructure"] == supplier.identifier
    assert body["dateDepot"] == flow.created_at.astimezone().date().isoformat()
    assert (flow.channel, flow.syntax, flow.status) == (
        DepositChannel.API,
        FlowSyntax.CII,
        FlowStatus.INTEGRE,
    )
    assert flow.structure == supplier and flow.technical_account == technical_account
    assert (invoice.supplier, invoice.recipient, invoice.service) == (
        supplier,
        service.structure,
        service,
    )
    document = _document(invoice)
    assert document.seller_siret == supplier.identifier
    assert document.seller.vat_id == supplier.vat_number
    assert document.buyer_siret == service.structure.identifier
    assert document.buyer_reference == "SERV-COMPTA"
    assert document.contract_reference == "MARCHE-2025-07"
    assert document.type_code == "380"
    assert [(line.unit_code, line.vat_rate, line.net_amount) for line in document.lines] == [
        ("DAY", Decimal("20"), Decimal("1200.00")),
        ("C62", Decimal("10"), Decimal("110.00")),
    ]
    assert document.lines[1].allowances[0].amount == Decimal("10.00")
    assert document.totals.amount_due == Decimal("1561.00")
    assert document.payment.means_code == "20"


def test_the_engagement_the_credit_note_and_the_bank_transfer_are_carried(cpro, supplier, service):
    account = BankAccountFactory(structure=supplier)
    payload = soumettre_payload(service, number="AV-0001")
    payload["references"].update(
        typeFacture="AVOIR",
        numeroBonCommande="EJ-2025-0042",
        numeroFactureOrigine="FA-2025-00001",
        modePaiement="VIREMENT",
    )
    payload["fournisseur"] = {
        "idFournisseur": supplier.pk,
        "codeCoordonneesBancairesFournisseur": account.pk,
    }

    response = cpro.post(SOUMETTRE, payload)

    assert response.status_code == 200, response.content
    document = _document(Invoice.objects.get(number="AV-0001"))
    assert document.type_code == "381"
    assert document.purchase_order_reference == "EJ-2025-0042"
    assert document.preceding_invoices[0].number == "FA-2025-00001"
    assert document.payment.means_code == "30"
    transfer = document.payment.credit_transfers[0]
    assert (transfer.account_id, transfer.provider_id) == (account.iban, account.bic)


def test_an_exempt_invoice_carries_category_e_and_its_motive(cpro, service):
    payload = soumettre_payload(service, number="FA-EXO")
    payload["references"].update(
        typeTva="EXONERATION", motifExonerationTva="Exonération, article 261-4-4° du CGI"
    )
    for line in payload["lignePoste"]:
        line["lignePosteTauxTva"] = "TVA0"
    payload["ligneTva"] = [
        {
            "ligneTvaTaux": "TVA0",
            "ligneTvaMontantBaseHtParTaux": 1310,
            "ligneTvaMontantTvaParTaux": 0,
        }
    ]
    payload["montantTotal"] = {
        "montantHtTotal": 1310,
        "montantTVA": 0,
        "montantTtcTotal": 1310,
        "montantAPayer": 1310,
    }

    response = cpro.post(SOUMETTRE, payload)

    assert response.status_code == 200, response.content
    [breakdown] = _document(Invoice.objects.get(number="FA-EXO")).vat_breakdown
    assert breakdown.category_code == "E"
    assert breakdown.exemption_reason == "Exonération, article 261-4-4° du CGI"


def test_amounts_that_differ_from_the_lines_are_refused_field_by_field(cpro, service):
    payload = soumettre_payload(service)
    payload["montantTotal"]["montantTtcTotal"] = 1600
    payload["ligneTva"][1]["ligneTvaMontantTvaParTaux"] = 12

    body = _refusal(cpro.post(SOUMETTRE, payload), 400, "GCU_MSG_10_004")

    assert {error["champ"] for error in body["erreurs"]} == {
        "montantTotal.montantTtcTotal",
        "ligneTva[1].ligneTvaMontantTvaParTaux",
    }
    assert "1600 transmis, 1561.00 calculé" in body["libelle"]
    assert not Flow.objects.exists()


def test_every_problem_of_the_request_is_listed_at_once(cpro, service):
    payload = soumettre_payload(service)
    payload["destinataire"]["codeDestinataire"] = "11111111111111"
    payload["references"]["modePaiement"] = "VIREMENT"
    payload["lignePoste"][0]["lignePosteTauxTva"] = "TVA7"
    payload["lignePoste"][1]["lignePosteUnite"] = "barrique"
    payload["pieceJointeComplementaire"] = [{"pieceJointeComplementaireId": 999}]

    body = _refusal(cpro.post(SOUMETTRE, payload), 400, "GCU_MSG_10_003")

    assert [error["champ"] for error in body["erreurs"]] == [
        "destinataire.codeDestinataire",
        "lignePoste[0].lignePosteTauxTva",
        "lignePoste[1].lignePosteUnite",
        "fournisseur.codeCoordonneesBancairesFournisseur",
        "pieceJointeComplementaire[0]",
    ]
    assert "structures/v1/rechercher" in body["libelle"]
    assert "TVA20, TVA10, TVA5.5, TVA2.1, TVA0" in body["libelle"]
    assert not Flow.objects.exists()


@pytest.mark.parametrize("field", ["dateFacture", "dateEcheancePaiement"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_an_absurd_date_is_refused_on_its_field(cpro, service, field, value):
    payload = soumettre_payload(service)
    payload[field] = value

    body = _refusal(cpro.post(SOUMETTRE, payload), 400, "GCU_MSG_10_003")

    assert [error["champ"] for error in body["erreurs"]] == [field]
    assert f"la date {value} n'est pas plausible" in body["libelle"]
    assert not Flow.objects.exists()


def test_a_zero_rate_line_needs_an_exemption_motive(cpro, service):
    payload = soumettre_payload(service)
    payload["lignePoste"][1]["lignePosteTauxTva"] = "TVA0"

    body = _refusal(cpro.post(SOUMETTRE, payload), 400, "GCU_MSG_10_003")

    assert body["erreurs"][0]["champ"] == "references.motifExonerationTva"


def test_an_invoice_the_platform_refuses_answers_each_finding_with_its_field(cpro, service):
    service.structure.ej_required = True
    service.structure.save()

    body = _refusal(cpro.post(SOUMETTRE, soumettre_payload(service)), 400, "GCU_MSG_10_005")

    flow = Flow.objects.get()
    assert flow.status == FlowStatus.REJETE
    assert flow.number in body["libelle"]
    assert any(
        error["champ"] == "references.numeroBonCommande"
        and "engagement juridique" in error["message"]
        for error in body["erreurs"]
    )
    assert not Invoice.objects.exists()


def test_the_same_number_twice_in_a_year_is_refused_as_a_duplicate(cpro, service):
    assert cpro.post(SOUMETTRE, soumettre_payload(service)).status_code == 200
    payload = soumettre_payload(service)
    payload["commentaire"] = "Deuxième envoi, autre contenu"

    body = _refusal(cpro.post(SOUMETTRE, payload), 400, "GCU_MSG_10_005")

    assert any(error["champ"] == "numeroFactureSaisi" for error in body["erreurs"])


def test_an_identical_submission_answers_the_original_invoice(cpro, service):
    first = cpro.post(SOUMETTRE, soumettre_payload(service)).json()
    again = cpro.post(SOUMETTRE, soumettre_payload(service)).json()

    assert again == first
    assert Invoice.objects.count() == 1


def test_the_queued_processing_finds_the_work_done(
    cpro, service, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = cpro.post(SOUMETTRE, soumettre_payload(service))

    assert response.status_code == 200, response.content
    assert callbacks  # the flow's task was queued, and ran (eager) with nothing left to do
    assert Invoice.objects.count() == 1
    assert Flow.objects.get().history.filter(target=FlowStatus.INTEGRE).count() == 1


def test_a_technical_account_cannot_submit_for_another_structure(cpro, service):
    other = StructureFactory()
    payload = soumettre_payload(service, fournisseur={"idFournisseur": other.pk})

    body = _refusal(cpro.post(SOUMETTRE, payload), 403, "GCU_MSG_10_002")

    assert str(other.pk) in body["libelle"]
    assert not Flow.objects.exists()


def test_a_bank_account_of_another_structure_is_not_usable(cpro, service):
    foreign = BankAccountFactory(structure=StructureFactory())
    payload = soumettre_payload(
        service, fournisseur={"codeCoordonneesBancairesFournisseur": foreign.pk}
    )
    payload["references"]["modePaiement"] = "VIREMENT"

    body = _refusal(cpro.post(SOUMETTRE, payload), 400, "GCU_MSG_10_003")

    assert body["erreurs"][0]["champ"] == "fournisseur.codeCoordonneesBancairesFournisseur"
    assert f"{foreign.pk} n'est pas un compte bancaire actif de votre structure" in body["libelle"]


def _add_file(cpro, data: bytes, name: str, mime: str, extension: str) -> int:
    response = cpro.post(
        ADD_FILE,
        {
            "pieceJointeFichier": b64(data),
            "pieceJointeNom": name,
            "pieceJointeTypeMime": mime,
            "pieceJointeExtension": extension,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["pieceJointeId"]


def test_an_added_file_is_embedded_in_the_submitted_invoice(cpro, service):
    content = b"%PDF-1.4 bon de livraison signe"
    attachment_id = _add_file(cpro, content, "bon-livraison", "application/pdf", "PDF")
    payload = soumettre_payload(
        service,
        pieceJointePrincipale={
            "pieceJointePrincipaleId": attachment_id,
            "pieceJointePrincipaleDesignation": "Bon de livraison",
        },
    )

    response = cpro.post(SOUMETTRE, payload)

    assert response.status_code == 200, response.content
    [attachment] = _document(Invoice.objects.get()).attachments
    assert attachment.content == content
    assert (attachment.filename, attachment.mime_code, attachment.description) == (
        "bon-livraison.pdf",
        "application/pdf",
        "Bon de livraison",
    )


def test_an_attachment_of_a_type_en16931_refuses_is_not_embedded(cpro, service):
    attachment_id = _add_file(
        cpro,
        b"PK...",
        "devis.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    )
    payload = soumettre_payload(
        service, pieceJointeComplementaire=[{"pieceJointeComplementaireId": attachment_id}]
    )

    body = _refusal(cpro.post(SOUMETTRE, payload), 400, "GCU_MSG_10_003")

    assert "devis.docx" in body["libelle"] and "application/pdf" in body["libelle"]


def test_an_attachment_of_another_structure_is_unknown(client, access_token, cpro, service):
    from tests.api.conftest import CproClient, cpro_account
    from tests.chorus.factories import TechnicalAccountFactory

    stranger = CproClient(client, access_token, cpro_account(TechnicalAccountFactory().login))
    attachment_id = _add_file(stranger, b"%PDF-1.4", "pj.pdf", "application/pdf", "pdf")
    payload = soumettre_payload(
        service, pieceJointeComplementaire=[{"pieceJointeComplementaireId": attachment_id}]
    )

    body = _refusal(cpro.post(SOUMETTRE, payload), 400, "GCU_MSG_10_003")

    assert f"pieceJointeComplementaireId {attachment_id} ne désigne aucune" in body["libelle"]


def test_submitting_needs_both_credentials(client, service):
    response = client.post(SOUMETTRE, soumettre_payload(service), content_type="application/json")

    assert response.status_code == 401
    assert response.json()["libelle"].startswith("GCU_MSG_02_001")


def test_null_references_are_read_as_none_given(cpro, service):
    """Found by the schema-based fuzzing: `"references": null` answered 500."""
    payload = soumettre_payload(service)
    payload["references"] = None

    response = cpro.post(SOUMETTRE, payload)

    assert response.status_code == 200, response.content
    assert response.json()["statutFacture"] == InvoiceStatus.MISE_A_DISPOSITION
