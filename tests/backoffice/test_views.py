"""The agents' pages: received invoices listed within their services, the invoice page with
its readable document and data, and the moves made from it, refused ones with their reason."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from chorus.enums import Role
from chorus.workflow import Actor
from invoices import canonical as c
from invoices.enums import InvoiceStatus
from invoices.formats.facturx import write_facturx
from invoices.models import DocumentSyntax
from invoices.services import (
    attachment_upload_create,
    invoice_complete,
    invoice_create,
    invoice_suspend,
    received_file_store,
)
from tests.backoffice.conftest import available, logged_in
from tests.chorus.factories import (
    MembershipFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db


def detail(invoice):
    return reverse("reception:invoice_detail", args=[invoice.pk])


def dispute(invoice):
    return reverse("reception:invoice_dispute", args=[invoice.pk])


def process(invoice, target):
    return reverse("reception:invoice_process", args=[invoice.pk, target])


def test_an_agent_lists_the_invoices_of_their_services_and_those_without_service(
    client, agent, works, school, supplier
):
    own = available(supplier=supplier, service=works)
    unassigned = available(supplier=supplier, recipient=works.structure)
    other_service = available(supplier=supplier, service=school)
    other_structure = available(supplier=supplier)

    page = logged_in(client, agent).get(reverse("reception:invoice_list"))

    assert page.status_code == 200
    shown = {invoice.number for invoice in page.context["page_obj"]}
    assert own.number in shown and unassigned.number in shown
    assert other_service.number not in shown and other_structure.number not in shown


def test_a_manager_lists_every_invoice_of_the_structure(client, works, school, supplier):
    manager = MembershipFactory(structure=works.structure, role=Role.GESTIONNAIRE_SECONDAIRE)
    invoices = [available(supplier=supplier, service=s) for s in (works, school)]

    page = logged_in(client, manager).get(reverse("reception:invoice_list"))

    assert {i.number for i in page.context["page_obj"]} == {i.number for i in invoices}


def test_the_list_filters_by_supplier_status_and_number(client, agent, works, supplier):
    wanted = available(supplier=supplier, service=works)
    other = available(supplier=StructureFactory(legal_name="Plomberie Martin"), service=works)
    invoice_suspend(
        invoice=other, actor=Actor.member(agent), motive="JUSTIF_ABS", comment="Devis absent."
    )
    client = logged_in(client, agent)
    url = reverse("reception:invoice_list")

    by_supplier = client.get(url, {"supplier": "Menuiserie"}).context["page_obj"]
    by_status = client.get(url, {"status": InvoiceStatus.SUSPENDUE}).context["page_obj"]
    by_siret = client.get(url, {"supplier": supplier.identifier}).context["page_obj"]

    assert [i.pk for i in by_supplier] == [wanted.pk]
    assert [i.pk for i in by_status] == [other.pk]
    assert [i.pk for i in by_siret] == [wanted.pk]


def test_the_invoice_page_shows_data_history_and_the_moves_available(
    client, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)

    page = logged_in(client, agent).get(detail(invoice))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Menuiserie Durand" in html and "Services techniques" in html
    assert [item["transition"].action for item in page.context["actions"]] == [
        "certify",
        "mandate",
    ]
    assert page.context["dispute"].outcomes == ["suspend", "send_back", "reject"]
    assert 'name="dispute-motive"' in html and "Justificatif absent ou insuffisant" in html
    assert 'name="mandate-mandate_number"' in html
    assert "<script>" not in html and 'src="/static/invoices/backoffice.js"' in html
    assert [step.target for step in page.context["timeline"]] == [
        InvoiceStatus.DEPOSEE,
        InvoiceStatus.MISE_A_DISPOSITION,
    ]


def test_each_motive_option_carries_its_proposed_outcome_and_why(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)

    html = logged_in(client, agent).get(detail(invoice)).content.decode()

    assert 'value="JUSTIF_ABS" data-outcome="suspend" data-why="Une suspension garde' in html
    assert 'value="SIRET_ERR" data-outcome="send_back"' in html
    assert 'value="MONTANTTOTAL_ERR" data-outcome="reject"' in html


def test_a_motive_without_outcome_comes_back_with_the_least_disruptive_one_proposed(
    client, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)

    page = logged_in(client, agent).post(
        dispute(invoice), {"dispute-motive": "CMD_ERR", "dispute-comment": "EJ absent."}
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert "Issue proposée : Suspendre. Une suspension garde le délai de paiement" in html
    assert re.search(r'value="suspend"[^>]* checked', html)
    assert "EJ absent." in html
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


def test_an_agent_suspends_an_invoice_with_a_motive_and_both_sides_see_it(
    client, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)

    response = logged_in(client, agent).post(
        dispute(invoice),
        {
            "dispute-motive": "JUSTIF_ABS",
            "dispute-outcome": "suspend",
            "dispute-comment": "Le devis signé manque.",
        },
    )

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUSPENDUE
    change = invoice.history.last()
    assert (change.motive, change.comment, change.actor, change.lines) == (
        "JUSTIF_ABS",
        "Le devis signé manque.",
        agent.user,
        [],
    )
    supplier_client = logged_in(client.__class__(), MembershipFactory(structure=supplier))
    supplier_page = supplier_client.get(reverse("invoices:invoice_detail", args=[invoice.pk]))
    html = supplier_page.content.decode()
    assert "Justificatif absent ou insuffisant" in html and "Le devis signé manque." in html


def test_a_rejection_points_at_lines_and_the_amount_in_dispute(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)
    line = invoice.canonical.lines[0].id
    client = logged_in(client, agent)

    response = client.post(
        dispute(invoice),
        {
            "dispute-motive": "MONTANTTOTAL_ERR",
            "dispute-outcome": "reject",
            "dispute-comment": "Le total ne tient pas compte de la remise.",
            "dispute-lines": [line],
            "dispute-disputed_amount": "120,50",
        },
    )

    assert response.status_code == 302
    change = invoice.history.last()
    assert (change.target, change.lines, change.disputed_amount) == (
        InvoiceStatus.REJETEE,
        [line],
        Decimal("120.50"),
    )
    supplier_client = logged_in(client.__class__(), MembershipFactory(structure=supplier))
    pages = [
        client.get(detail(invoice)),
        supplier_client.get(reverse("invoices:invoice_detail", args=[invoice.pk])),
    ]
    for page in pages:
        html = page.content.decode()
        assert "Lignes concernées" in html and f"<dd data-lines>{line}</dd>" in html
        assert "Montant contesté" in html and "120,50" in html


def test_a_disputed_amount_above_the_total_or_an_unknown_line_is_refused_on_its_field(
    client, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)

    response = logged_in(client, agent).post(
        dispute(invoice),
        {
            "dispute-motive": "MONTANTTOTAL_ERR",
            "dispute-outcome": "reject",
            "dispute-lines": ["no-such-line"],
            "dispute-disputed_amount": "99999999",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "dépasse le total de la facture" in html
    assert "Cette ligne n&#x27;est pas sur la facture." in html
    assert 'aria-describedby="id_dispute-disputed_amount-desc-error"' in html
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


def test_a_dispute_without_motive_comes_back_with_the_error_on_the_field(
    client, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)

    response = logged_in(client, agent).post(dispute(invoice), {"dispute-motive": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez un motif." in html
    assert 'aria-describedby="id_dispute-motive-desc-error"' in html
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


def test_an_outcome_the_motive_does_not_allow_is_refused_on_the_motive(
    client, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)

    response = logged_in(client, agent).post(
        dispute(invoice), {"dispute-motive": "JUSTIF_ABS", "dispute-outcome": "reject"}
    )

    assert response.status_code == 400
    assert "ne permet pas cette action" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


def test_a_motive_that_needs_a_comment_is_refused_without_one(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)

    page = logged_in(client, agent).get(detail(invoice)).content.decode()
    response = logged_in(client, agent).post(
        dispute(invoice),
        {"dispute-motive": "AUTRE", "dispute-outcome": "reject", "dispute-comment": ""},
    )

    assert "Autre motif (précisé en commentaire) (commentaire obligatoire)" in page
    assert response.status_code == 400
    assert "demande un commentaire" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


def test_mandating_requires_a_mandate_number_then_records_it(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)
    client = logged_in(client, agent)

    missing = client.post(process(invoice, InvoiceStatus.MANDATEE), {"mandate-mandate_number": ""})
    done = client.post(
        process(invoice, InvoiceStatus.MANDATEE), {"mandate-mandate_number": "M-2025-0042"}
    )

    assert missing.status_code == 400
    assert "Indiquez le numéro de mandat." in missing.content.decode()
    assert done.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MANDATEE
    assert invoice.history.last().mandate_number == "M-2025-0042"
    assert "M-2025-0042" in client.get(detail(invoice)).content.decode()


def test_a_move_the_status_does_not_allow_is_refused_with_its_reason(
    client, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)

    response = logged_in(client, agent).post(process(invoice, InvoiceStatus.MISE_EN_PAIEMENT))

    assert response.status_code == 403
    html = response.content.decode()
    assert "Action impossible" in html
    assert "ne peut pas passer au statut « Mise en paiement »" in html
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


def test_an_agent_cannot_make_the_suppliers_move(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)
    invoice_suspend(invoice=invoice, actor=Actor.member(agent), motive="JUSTIF_ABS")

    response = logged_in(client, agent).post(process(invoice, InvoiceStatus.COMPLETEE))

    assert response.status_code == 403
    assert "Votre rôle sur ce document" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUSPENDUE


def test_another_structures_or_services_invoice_is_not_found(client, agent, school, supplier):
    elsewhere = available(supplier=supplier)
    other_service = available(supplier=supplier, service=school)
    client = logged_in(client, agent)

    for invoice in (elsewhere, other_service):
        assert client.get(detail(invoice)).status_code == 404
        posted = client.post(process(invoice, InvoiceStatus.SERVICE_FAIT))
        assert posted.status_code == 404
        assert (
            client.get(reverse("reception:invoice_document", args=[invoice.pk])).status_code == 404
        )
    elsewhere.refresh_from_db()
    assert elsewhere.status == InvoiceStatus.MISE_A_DISPOSITION


def test_a_supplier_is_refused_the_agents_pages(client, works, supplier):
    invoice = available(supplier=supplier, service=works)
    client = logged_in(client, MembershipFactory(structure=supplier))

    assert client.get(reverse("reception:invoice_list")).status_code == 403
    response = client.post(process(invoice, InvoiceStatus.SERVICE_FAIT))

    assert response.status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION


def test_a_ubl_invoice_is_read_as_a_pdf_rendered_by_the_platform(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)

    response = logged_in(client, agent).get(
        reverse("reception:invoice_document", args=[invoice.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF-")


def test_a_facturx_invoice_is_read_as_received(client, agent, works, supplier):
    document = french_invoice(
        number="FA-2025-FX1",
        seller_siret=supplier.identifier,
        buyer_siret=works.structure.identifier,
        service_code=works.code,
    )
    pdf = write_facturx(document)
    invoice = invoice_create(
        document=document,
        received_file=received_file_store(data=pdf, filename="FA-2025-FX1.pdf"),
        syntax=DocumentSyntax.FACTURX,
        profile=document.specification_id,
        supplier=supplier,
        recipient=works.structure,
        service=works,
    )

    response = logged_in(client, agent).get(
        reverse("reception:invoice_document", args=[invoice.pk])
    )

    assert response.content == pdf
    assert response["Content-Disposition"].startswith("inline")


def test_documents_embedded_in_the_invoice_are_downloadable(client, agent, works, supplier):
    document = french_invoice(
        number="FA-2025-EMB",
        seller_siret=supplier.identifier,
        buyer_siret=works.structure.identifier,
        service_code=works.code,
    )
    document.attachments = [
        c.Attachment(
            id="DEVIS-12",
            content=b"%PDF-1.4 devis",
            mime_code="application/pdf",
            filename="devis-12.pdf",
        )
    ]
    invoice = stored_invoice(supplier=supplier, service=works, document=document)
    client = logged_in(client, agent)

    page = client.get(detail(invoice))
    download = client.get(reverse("reception:embedded_attachment", args=[invoice.pk, 0]))
    beyond = client.get(reverse("reception:embedded_attachment", args=[invoice.pk, 1]))

    assert "devis-12.pdf" in page.content.decode()
    assert download.content == b"%PDF-1.4 devis"
    assert download["Content-Type"] == "application/pdf"
    assert beyond.status_code == 404


def test_the_documents_added_by_the_supplier_are_listed_and_downloadable(
    client, agent, works, supplier
):
    invoice = available(supplier=supplier, service=works)
    invoice_suspend(invoice=invoice, actor=Actor.member(agent), motive="JUSTIF_ABS")
    upload = attachment_upload_create(
        structure=supplier, data=b"%PDF-1.4 devis", name="devis.pdf", mime_type="application/pdf"
    )
    invoice_complete(
        invoice=invoice,
        actor=Actor.member(MembershipFactory(structure=supplier)),
        comment="Voici le devis.",
        attachments=[upload],
    )
    client = logged_in(client, agent)

    page = client.get(detail(invoice))
    download = client.get(reverse("reception:added_attachment", args=[upload.pk]))

    assert "devis.pdf" in page.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 devis"


def test_the_agent_home_counts_the_invoices_to_process(client, agent, works, supplier):
    available(supplier=supplier, service=works)
    available(supplier=supplier, service=works)

    page = logged_in(client, agent).get(reverse("home"))

    html = page.content.decode()
    assert "2 factures à traiter" in html
    assert reverse("reception:invoice_list") in html


def test_the_proposal_reads_in_english_on_the_english_interface(client, agent, works, supplier):
    invoice = available(supplier=supplier, service=works)

    client = logged_in(client, agent)
    client.cookies["django_language"] = "en"

    page = client.post(dispute(invoice), {"dispute-motive": "SIRET_ERR"})

    html = page.content.decode()
    assert "Proposed outcome:" in html and "only corrects its routing" in html
