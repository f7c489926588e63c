"""Uploading flows in the portal, following them, the supplier's flows and invoices, and who
may see what on every portal page and endpoint."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chorus.enums import Role
from invoices.channels.portal.services import draft_save
from invoices.enums import DepositChannel, FlowStatus, FlowSyntax, InvoiceStatus
from invoices.formats import write_cii, write_ubl
from invoices.formats.facturx import write_facturx
from invoices.ingestion.receive import flow_receive
from invoices.models import Flow, Invoice
from invoices.services import attachment_upload_create
from tests.chorus.factories import (
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db

UPLOAD = reverse("invoices:upload")


@pytest.fixture
def supplier():
    return StructureFactory(legal_name="Menuiserie Durand")


@pytest.fixture
def service():
    return ServiceFactory(code="SERV0001", structure=PublicStructureFactory(legal_name="Valmont"))


@pytest.fixture
def user(supplier):
    return MembershipFactory(structure=supplier, role=Role.UTILISATEUR).user


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def upload(client_in, django_capture_on_commit_callbacks):
    """Uploads a file; the deposit's processing runs when it commits (Celery is eager)."""

    def post(name, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client_in.post(UPLOAD, {"file": SimpleUploadedFile(name, data)}, **extra)

    return post


def _invoice(supplier, service, number="FA-1", **changes):
    return french_invoice(
        number=number,
        seller_siret=supplier.identifier,
        buyer_siret=service.structure.identifier,
        service_code=service.code,
        engagement=None,
        **changes,
    )


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# Upload ------------------------------------------------------------------------------------


def test_upload_page_explains_what_is_accepted(client_in):
    html = client_in.get(UPLOAD).content.decode()
    assert ".zip" in html and ".tar.gz" in html and "500 factures" in html
    assert 'type="file"' in html
    assert "progress" in html


def test_an_uploaded_ubl_xml_is_integrated(upload, supplier, service, user, client_in):
    response = upload("facture.xml", write_ubl(_invoice(supplier, service)))
    flow = Flow.objects.get()
    assert response.url == reverse("invoices:flow_detail", args=[flow.pk])
    assert (flow.channel, flow.submitted_by, flow.status, flow.syntax) == (
        DepositChannel.PORTAIL,
        user,
        FlowStatus.INTEGRE,
        FlowSyntax.UBL,
    )
    assert Invoice.objects.get().status == InvoiceStatus.MISE_A_DISPOSITION
    html = client_in.get(response.url).content.decode()
    assert "Intégré" in html and "Voir la facture FA-1" in html
    assert reverse("invoices:flow_report_pdf", args=[flow.pk]) in html


def test_an_uploaded_facturx_is_integrated(upload, supplier, service):
    upload("facture.pdf", write_facturx(_invoice(supplier, service)))
    flow = Flow.objects.get()
    assert (flow.syntax, flow.status) == (FlowSyntax.FACTURX, FlowStatus.INTEGRE)


def test_an_uploaded_zip_batch_gives_each_invoice_its_result(upload, supplier, service, client_in):
    bad = _invoice(supplier, service, number="FA-3")
    bad.buyer_reference = "INCONNU"
    batch = _zip(
        {
            "a.xml": write_ubl(_invoice(supplier, service, number="FA-1")),
            "b.xml": write_cii(_invoice(supplier, service, number="FA-2")),
            "c.xml": write_ubl(bad),
        }
    )
    response = upload("lot.zip", batch)
    flow = Flow.objects.get()
    assert flow.status == FlowStatus.INTEGRE_PARTIEL
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["FA-1", "FA-2"]
    html = client_in.get(response.url).content.decode()
    assert "intégrées : 2 — refusées : 1" in html
    # The refused invoice's finding: the field by its business term, what and how to fix it,
    # the rule and the XPath folded in the technical details.
    main, technical = html.split("Détails techniques", 1)
    assert "Référence acheteur (BT-10, Buyer reference)" in main
    assert "Le code service « INCONNU »" in main
    assert "Vérifiez le code service dans l&#x27;annuaire du destinataire" in main
    assert "/Invoice" not in main and "CPP-005" not in main
    assert "<details" in main.rsplit("<li", 1)[1]
    assert "CPP-005" in technical and "/Invoice/cbc:BuyerReference" in technical


def test_a_refused_invoice_report_is_in_english_for_an_english_reader(
    upload, supplier, service, client_in
):
    bad = _invoice(supplier, service)
    bad.buyer_reference = "INCONNU"
    response = upload("facture.xml", write_ubl(bad))
    client_in.cookies["django_language"] = "en"
    html = client_in.get(response.url).content.decode()
    main, technical = html.split("Technical details", 1)
    assert "Buyer reference (BT-10, Référence acheteur)" in main
    assert "The service code given is not an active service of this recipient." in main
    assert "What to do:" in main and "Check the service code" in main
    assert "/Invoice" not in main
    assert "/Invoice/cbc:BuyerReference" in technical


def test_a_refused_invoice_shows_its_findings_in_the_report(upload, supplier, service, client_in):
    document = _invoice(supplier, service)
    document.buyer.identifiers = []
    document.buyer.legal_registration_id = None
    document.buyer.electronic_address = None
    response = upload("facture.xml", write_ubl(document))
    assert Flow.objects.get().status == FlowStatus.REJETE
    html = client_in.get(response.url).content.decode()
    assert "Cette facture est refusée" in html
    assert "Le SIRET du destinataire" in html
    assert 'data-status="REFUSEE"' in html


def test_an_unaccepted_extension_is_refused_with_a_clear_message(upload):
    response = upload("facture.docx", b"PK\x03\x04")
    assert response.status_code == 400
    error = response.context["form"].errors["file"][0]
    assert "facture.docx" in error and ".zip" in error and ".xml" in error
    assert not Flow.objects.exists()


def test_a_file_over_the_flow_size_limit_is_refused(upload, settings):
    settings.FLOW_MAX_BYTES = 100
    response = upload("lot.zip", b"x" * 101)
    assert "au-delà de la limite" in response.context["form"].errors["file"][0]
    assert not Flow.objects.exists()


def test_the_upload_by_script_answers_json_then_the_status_endpoint_follows_the_flow(
    upload, supplier, service, client_in
):
    response = upload(
        "facture.xml",
        write_ubl(_invoice(supplier, service)),
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    data = response.json()
    flow = Flow.objects.get()
    assert data["number"] == flow.number
    assert data["flow_url"] == reverse("invoices:flow_detail", args=[flow.pk])
    state = client_in.get(data["status_url"]).json()
    assert state["status"] == FlowStatus.INTEGRE and state["final"]
    assert (state["done"], state["total"], state["percent"]) == (1, 1, 100)
    assert state["message"] == "Intégré : 1 facture traitée sur 1."


def test_the_upload_by_script_answers_errors_as_json(upload):
    response = upload("x.exe", b"x", headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 400
    assert "x.exe" in response.json()["errors"]["file"][0]


def test_a_flow_being_processed_shows_its_progress(client_in, supplier, user):
    # Not committed in this test: the processing never starts, the flow stays waiting.
    flow = flow_receive(
        data=b"<Invoice/>",
        filename="f.xml",
        channel=DepositChannel.PORTAIL,
        structure=supplier,
        user=user,
    ).flow
    html = client_in.get(reverse("invoices:flow_detail", args=[flow.pk])).content.decode()
    assert 'id="flow-progress"' in html and "Actualiser" in html
    assert "Compte rendu d&#x27;intégration" not in html
    state = client_in.get(reverse("invoices:flow_status", args=[flow.pk])).json()
    assert (state["final"], state["percent"]) == (False, 0)


def test_the_same_file_again_leads_to_the_original_flow(upload, supplier, service, client_in):
    data = write_ubl(_invoice(supplier, service))
    first = upload("facture.xml", data)
    again = upload("facture.xml", data)
    assert again.url == first.url
    assert Flow.objects.count() == 1


def test_the_raw_file_and_the_report_pdf_are_downloaded(upload, supplier, service, client_in):
    data = write_ubl(_invoice(supplier, service))
    upload("facture.xml", data)
    flow = Flow.objects.get()
    raw = client_in.get(reverse("invoices:flow_file", args=[flow.pk]))
    assert b"".join(raw.streaming_content) == data
    assert 'filename="facture.xml"' in raw["Content-Disposition"]
    report = client_in.get(reverse("invoices:flow_report_pdf", args=[flow.pk]))
    assert report.content.startswith(b"%PDF-")
    assert flow.number in report["Content-Disposition"]


# Lists and detail ----------------------------------------------------------------------------


def test_the_invoice_list_is_searchable_by_number_recipient_status_and_date(
    client_in, supplier, service
):
    hospital = ServiceFactory(structure=PublicStructureFactory(legal_name="Hôpital de Fécamp"))
    for number, recipient_service in (("FA-100", service), ("FA-200", hospital)):
        stored_invoice(
            supplier=supplier,
            recipient=recipient_service.structure,
            document=_invoice(supplier, recipient_service, number=number),
        )
    url = reverse("invoices:invoice_list")

    def numbers(**params):
        page = client_in.get(url, params).context["page_obj"]
        return sorted(invoice.number for invoice in page)

    assert numbers() == ["FA-100", "FA-200"]
    assert numbers(number="200") == ["FA-200"]
    assert numbers(recipient="fécamp") == ["FA-200"]
    assert numbers(recipient=service.structure.identifier) == ["FA-100"]
    assert numbers(status=InvoiceStatus.DEPOSEE) == ["FA-100", "FA-200"]
    assert numbers(status=InvoiceStatus.MISE_A_DISPOSITION) == []
    assert numbers(date_from="2025-03-15") == []
    assert numbers(date_from="2025-03-14", date_to="2025-03-14") == ["FA-100", "FA-200"]
    html = client_in.get(url, {"number": "zzz"}).content.decode()
    assert "Aucune facture ne correspond" in html


def test_the_lists_are_paginated(client_in, supplier, user):
    for index in range(25):
        flow_receive(
            data=f"<x{index}/>".encode(),
            filename=f"f{index}.xml",
            channel=DepositChannel.PORTAIL,
            structure=supplier,
            user=user,
        )
    url = reverse("invoices:flow_list")
    first = client_in.get(url)
    page = first.context["page_obj"]
    assert len(page) == 20 and first.context["total"] == (25, False)
    assert "fr-pagination" in first.content.decode()
    # The next page starts after the last flow shown (keyset), never by an offset.
    second = client_in.get(url, {"apres": page.next_cursor}).context["page_obj"]
    assert len(second) == 5 and not second.has_next
    assert {f.pk for f in page}.isdisjoint({f.pk for f in second})
    back = client_in.get(url, {"avant": second.previous_cursor}).context["page_obj"]
    assert [f.pk for f in back] == [f.pk for f in page]


def test_the_flow_list_is_searchable_by_number_state_and_date(upload, supplier, service, client_in):
    upload("bonne.xml", write_ubl(_invoice(supplier, service)))
    upload("vide.xml", b"<Invoice/>")
    url = reverse("invoices:flow_list")

    def names(**params):
        return sorted(flow.filename for flow in client_in.get(url, params).context["page_obj"])

    assert names() == ["bonne.xml", "vide.xml"]
    assert names(number="bonne") == ["bonne.xml"]
    assert names(number=Flow.objects.get(filename="vide.xml").number) == ["vide.xml"]
    assert names(status=FlowStatus.INTEGRE) == ["bonne.xml"]
    assert names(date_to="2000-01-01") == []
    html = client_in.get(url).content.decode()
    assert 'class="fr-badge fr-badge--sm fr-badge--success" data-status="IN_INTEGRE"' in html


def test_an_invoice_page_shows_parties_lines_totals_history_and_the_file(
    upload, supplier, service, client_in
):
    data = write_ubl(_invoice(supplier, service))
    upload("facture.xml", data)
    invoice = Invoice.objects.get()
    html = client_in.get(reverse("invoices:invoice_detail", args=[invoice.pk])).content.decode()
    assert "Facture FA-1" in html
    assert "Atelier Dupont SAS" in html and service.structure.identifier in html
    assert "Prestation de conseil en organisation" in html
    assert "1\u202f350,00\u00a0€" in html  # 3 x 450.00
    assert "Déposée" in html and "Mise à disposition" in html
    assert Flow.objects.get().number in html
    download = client_in.get(reverse("invoices:invoice_file", args=[invoice.pk]))
    assert b"".join(download.streaming_content) == data


# Permissions ---------------------------------------------------------------------------------


@pytest.fixture
def others(service, django_capture_on_commit_callbacks):
    """Another supplier's flow, invoice, draft and attachment."""
    other = StructureFactory()
    other_user = MembershipFactory(structure=other).user
    with django_capture_on_commit_callbacks(execute=True):
        flow = flow_receive(
            data=write_ubl(_invoice(other, service, number="AUTRE-1")),
            filename="autre.xml",
            channel=DepositChannel.PORTAIL,
            structure=other,
            user=other_user,
        ).flow
    draft = draft_save(
        structure=other,
        user=other_user,
        state={"mode": "keyed", "fields": {"number": "BROUILLON-AUTRE"}, "lines": []},
    )
    attachment = attachment_upload_create(
        structure=other, user=other_user, name="secret.pdf", data=b"%PDF-", mime_type="a/b"
    )
    return {
        "flow": flow,
        "invoice": Invoice.objects.get(number="AUTRE-1"),
        "draft": draft,
        "attachment": attachment,
    }


def _object_urls(objects) -> list[str]:
    flow, invoice = objects["flow"].pk, objects["invoice"].pk
    draft, attachment = objects["draft"].pk, objects["attachment"].pk
    return [
        reverse("invoices:flow_detail", args=[flow]),
        reverse("invoices:flow_status", args=[flow]),
        reverse("invoices:flow_file", args=[flow]),
        reverse("invoices:flow_report_pdf", args=[flow]),
        reverse("invoices:invoice_detail", args=[invoice]),
        reverse("invoices:invoice_file", args=[invoice]),
        reverse("invoices:draft_edit", args=[draft]),
        reverse("invoices:draft_delete", args=[draft]),
        reverse("invoices:attachment_download", args=[attachment]),
    ]


PAGES = [
    reverse("invoices:invoice_list"),
    reverse("invoices:invoice_new"),
    reverse("invoices:draft_list"),
    reverse("invoices:upload"),
    reverse("invoices:flow_list"),
    reverse("invoices:recipient_search") + "?q=commune",
    reverse("invoices:recipient_fields"),
]


def test_another_structures_objects_answer_404_on_every_page_and_endpoint(client_in, others):
    for url in _object_urls(others):
        assert client_in.get(url).status_code == 404, url
    draft_delete = reverse("invoices:draft_delete", args=[others["draft"].pk])
    assert client_in.post(draft_delete).status_code == 404
    draft_edit = reverse("invoices:draft_edit", args=[others["draft"].pk])
    assert client_in.post(draft_edit, {"action": "save"}).status_code == 404
    others["draft"].refresh_from_db()
    assert others["draft"].data["fields"]["number"] == "BROUILLON-AUTRE"


def test_another_structures_objects_never_appear_in_lists(client_in, others):
    for name in ("invoice_list", "flow_list", "draft_list"):
        html = client_in.get(reverse(f"invoices:{name}")).content.decode()
        assert "AUTRE-1" not in html and "autre.xml" not in html
        assert "BROUILLON-AUTRE" not in html


def test_another_structures_attachment_cannot_be_slipped_into_an_invoice(client_in, others):
    ids = str(others["attachment"].pk)
    html = client_in.post(
        reverse("invoices:invoice_new"), {"action": "recalculate", "attachment_ids": ids}
    ).content.decode()
    assert "secret.pdf" not in html


def test_a_member_of_the_owning_structure_sees_them_all(client, others):
    owner = others["flow"].submitted_by
    colleague = MembershipFactory(structure=others["flow"].structure, role=Role.UTILISATEUR)
    for user in (owner, colleague.user):
        client.force_login(user)
        for url in _object_urls(others):
            assert client.get(url).status_code == 200, url


def test_public_structures_agents_issue_their_own_invoices_only(client, others):
    """A public structure may invoice another one: its agents have the portal's pages, and
    another structure's objects still do not exist for them."""
    agent = MembershipFactory(structure=PublicStructureFactory()).user
    client.force_login(agent)
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    for url in _object_urls(others):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_the_login_page(client, others):
    for url in PAGES + _object_urls(others):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
