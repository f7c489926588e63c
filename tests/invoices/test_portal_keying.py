"""Keying an invoice in the portal: the form, its conditional fields, the live totals, drafts,
attachments and the submission that deposits a Factur-X through the pipeline."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from invoices.channels.portal.computations import KeyedLine, keyed_totals, vat_label
from invoices.enums import DepositChannel, FlowStatus, FlowSyntax, InvoiceStatus
from invoices.formats.facturx import write_facturx
from invoices.models import AttachmentUpload, Flow, Invoice, InvoiceDraft
from invoices.services import attachment_upload_create
from invoices.validation import validate
from tests.chorus.factories import (
    BankAccountFactory,
    EngagementJuridiqueFactory,
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice, french_vat_number, with_active_content

pytestmark = pytest.mark.django_db

NEW = reverse("invoices:invoice_new")
TOTALS = reverse("invoices:totals")
SERVICE_LABEL = "Service destinataire (code service)"
EJ_LABEL = "Numéro d&#x27;engagement juridique"


@pytest.fixture
def supplier():
    structure = StructureFactory(legal_name="Menuiserie Durand")
    structure.vat_number = french_vat_number(structure.identifier[:9])
    structure.save()
    return structure


@pytest.fixture
def user(supplier):
    return MembershipFactory(structure=supplier).user


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def recipient():
    """A recipient that requires neither a service code nor an engagement juridique."""
    return PublicStructureFactory(legal_name="Commune de Valmont", city="Valmont")


def keyed(recipient, *, lines=None, action="submit", **fields):
    """The form as a user fills it: two lines by default, at 20 % and 10 %."""
    lines = lines or [
        ("Pose de fenêtres", "3", "450", "20"),
        ("Repas", "12", "8,35", "10"),
    ]
    data = {
        "mode": "keyed",
        "recipient_siret": recipient.identifier,
        "service_code": "",
        "engagement": "",
        "type_code": "380",
        "preceding_number": "",
        "number": "FA-2025-001",
        "issue_date": "2025-03-14",
        "due_date": "2025-04-13",
        "delivery_date": "",
        "vat_exemption_reason": "",
        "payment_terms": "Paiement à 30 jours par virement.",
        "bank_account": "",
        "attachment_ids": "",
        "pdf_token": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "action": action,
    }
    for index, (description, quantity, price, vat) in enumerate(lines):
        data.update(
            {
                f"lines-{index}-description": description,
                f"lines-{index}-quantity": quantity,
                f"lines-{index}-unit": "C62",
                f"lines-{index}-unit_price": price,
                f"lines-{index}-vat": vat,
            }
        )
    data.update(fields)
    return data


@pytest.fixture
def submit(client_in, django_capture_on_commit_callbacks):
    """Posts the form; the deposit's processing runs when it commits (Celery is eager)."""

    def post(data, url=NEW, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client_in.post(url, data, **extra)

    return post


# Totals ------------------------------------------------------------------------------------


def test_totals_round_each_line_then_the_vat_of_each_rate():
    totals = keyed_totals(
        [
            KeyedLine("Conseil", Decimal("3"), "HUR", Decimal("0.335"), "20"),  # 1.005 -> 1.01
            KeyedLine("Vis", Decimal("1"), "C62", Decimal("0.125"), "20"),  # 0.125 -> 0.13
            KeyedLine("Ouvrages", Decimal("7"), "C62", Decimal("24.90"), "5.5"),
            KeyedLine("Formation", Decimal("1"), "C62", Decimal("800"), "E"),
        ]
    )
    assert totals.line_amounts == [Decimal("1.01"), Decimal("0.13"), Decimal("174.30"), 800]
    groups = [
        (vat_label(g), g.category_code, g.rate, g.taxable_amount, g.tax_amount)
        for g in totals.vat_breakdown
    ]
    # 20 % of 1.14 = 0.228 -> 0.23, not 0.20 + 0.03 computed per line.
    assert groups == [
        ("20 %", "S", Decimal("20"), Decimal("1.14"), Decimal("0.23")),
        ("5,5 %", "S", Decimal("5.5"), Decimal("174.30"), Decimal("9.59")),
        ("Exonération de TVA", "E", Decimal("0"), Decimal("800"), Decimal("0.00")),
    ]
    amounts = totals.totals
    assert (amounts.tax_exclusive_amount, amounts.vat_total, amounts.tax_inclusive_amount) == (
        Decimal("975.44"),
        Decimal("9.82"),
        Decimal("985.26"),
    )
    assert totals.has_exempt_line and totals.has_taxed_line


def test_totals_endpoint_answers_the_amounts_as_the_user_types(client_in, recipient):
    response = client_in.post(
        TOTALS,
        keyed(
            recipient,
            lines=[("Conseil", "3", "0,335", "20"), ("Vis", "1", "0.125", "20"), ("", "", "", "")],
        ),
    )
    data = response.json()
    assert data["lines"] == {"0": "1,01\u00a0€", "1": "0,13\u00a0€"}
    assert data["vat_breakdown"] == [
        {
            "label": "20 %",
            "base": "1,14\u00a0€",
            "tax": "0,23\u00a0€",
            "base_value": "1.14",
            "tax_value": "0.23",
        }
    ]
    assert (data["without_vat_value"], data["vat_value"], data["with_vat_value"]) == (
        "1.14",
        "0.23",
        "1.37",
    )
    assert data["errors"] == {}


def test_totals_endpoint_requires_the_exemption_motive(client_in, recipient):
    lines = [("Formation", "1", "800", "E")]
    data = client_in.post(TOTALS, keyed(recipient, lines=lines)).json()
    assert data["has_exempt_line"]
    assert "motif d'exonération" in data["errors"]["id_vat_exemption_reason"]
    motive = "Exonération de TVA, article 261-4-4° a du CGI"
    data = client_in.post(TOTALS, keyed(recipient, lines=lines, vat_exemption_reason=motive))
    assert data.json()["errors"] == {}


def test_totals_endpoint_reports_a_bad_line_on_its_field(client_in, recipient):
    data = client_in.post(
        TOTALS, keyed(recipient, lines=[("Conseil", "trois", "450", "20")])
    ).json()
    assert list(data["errors"]) == ["id_lines-0-quantity"]
    assert data["lines"] == {}


# Conditional fields --------------------------------------------------------------------------


def _fields(client, recipient, **params):
    url = reverse("invoices:recipient_fields")
    response = client.get(url, {"recipient_siret": recipient.identifier, **params})
    # The "(Optionnel)" mark may follow the label after a no-break space.
    return response.content.decode().replace("\xa0", " ")


def test_a_recipient_requiring_nothing_shows_neither_service_nor_engagement(client_in, recipient):
    html = _fields(client_in, recipient)
    assert "Commune de Valmont" in html
    assert "Ni code service ni engagement juridique obligatoire" in html
    assert 'name="service_code"' not in html
    assert 'name="engagement"' not in html


def test_a_recipient_requiring_a_service_code_shows_its_active_services(client_in):
    hospital = PublicStructureFactory(service_code_required=True)
    ServiceFactory(structure=hospital, code="PHARMA", name="Pharmacie")
    ServiceFactory(structure=hospital, code="OLD", name="Fermé", active=False)
    html = _fields(client_in, hospital)
    assert 'name="service_code"' in html
    assert "PHARMA – Pharmacie" in html
    assert "OLD" not in html
    assert "Code service obligatoire" in html
    assert 'name="engagement"' not in html
    assert SERVICE_LABEL in html and f"{SERVICE_LABEL} (Optionnel)" not in html


def test_a_recipient_requiring_an_engagement_shows_it_required(client_in):
    recipient = PublicStructureFactory(ej_required=True)
    html = _fields(client_in, recipient)
    assert 'name="engagement"' in html
    assert "Engagement juridique obligatoire" in html
    assert EJ_LABEL in html and f"{EJ_LABEL} (Optionnel)" not in html


def test_a_recipient_requiring_either_shows_both_optional_with_a_hint(client_in):
    recipient = PublicStructureFactory(ej_or_service_code_required=True)
    ServiceFactory(structure=recipient, code="COMPTA")
    html = _fields(client_in, recipient)
    assert 'name="service_code"' in html and 'name="engagement"' in html
    assert "exige un engagement juridique ou un code service" in html
    assert f"{SERVICE_LABEL} (Optionnel)" in html and f"{EJ_LABEL} (Optionnel)" in html


def test_a_service_requiring_an_engagement_makes_it_required_once_chosen(client_in):
    recipient = PublicStructureFactory()
    ServiceFactory(structure=recipient, code="TRAVAUX", ej_required=True)
    ServiceFactory(structure=recipient, code="CULTURE")
    html = _fields(client_in, recipient, service_code="CULTURE")
    assert f"{EJ_LABEL} (Optionnel)" in html
    html = _fields(client_in, recipient, service_code="TRAVAUX")
    assert EJ_LABEL in html and f"{EJ_LABEL} (Optionnel)" not in html


def test_the_form_page_renders_the_recipient_fields_of_a_resumed_recipient(client_in):
    hospital = PublicStructureFactory(service_code_required=True)
    ServiceFactory(structure=hospital, code="PHARMA")
    response = client_in.post(NEW, keyed(hospital, action="recipient"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="service_code"' in html
    assert 'value="Pose de fenêtres"' in html  # what was typed comes back


def test_the_form_page_without_recipient_shows_the_search_and_one_line(client_in):
    html = client_in.get(NEW).content.decode()
    assert 'id="recipient-search"' in html and 'role="combobox"' in html
    assert 'name="lines-0-description"' in html
    assert 'name="lines-1-description"' not in html
    assert 'name="service_code"' not in html


def test_adding_a_line_without_script_gives_one_more_row(client_in, recipient):
    html = client_in.post(NEW, keyed(recipient, action="add_line")).content.decode()
    assert 'name="lines-2-description"' in html
    assert 'value="Repas"' in html


# Recipient suggestions ---------------------------------------------------------------------


def test_suggestions_find_public_active_structures_by_name_city_or_siret(client_in, supplier):
    valmont = PublicStructureFactory(legal_name="Commune de Valmont", city="Valmont")
    PublicStructureFactory(legal_name="Commune de Valmont-Haut", active=False)
    url = reverse("invoices:recipient_search")
    names = [r["name"] for r in client_in.get(url, {"q": "valmont"}).json()["results"]]
    assert names == ["Commune de Valmont"]
    by_siret = client_in.get(url, {"q": valmont.identifier[:9]}).json()["results"]
    assert [r["siret"] for r in by_siret] == [valmont.identifier]
    # A private structure (the supplier itself) is never suggested.
    assert client_in.get(url, {"q": supplier.legal_name}).json()["results"] == []


# Submission ----------------------------------------------------------------------------------


def test_submit_deposits_a_facturx_that_is_integrated_and_made_available(
    submit, client_in, supplier, user, recipient
):
    account = BankAccountFactory(structure=supplier)
    response = submit(keyed(recipient, bank_account=str(account.pk)))
    assert response.status_code == 302, response.context["form"].errors
    flow = Flow.objects.get()
    # The supplier lands on the invoice itself, whose page links to the deposit.
    assert response.url == reverse("invoices:keyed_invoice", args=[flow.pk])
    landing = client_in.get(response.url)
    assert landing.url == reverse("invoices:invoice_detail", args=[flow.items.get().invoice_id])
    assert (flow.channel, flow.syntax, flow.submitted_by) == (
        DepositChannel.PORTAIL,
        FlowSyntax.FACTURX,
        user,
    )
    assert flow.status == FlowStatus.INTEGRE, flow.items.get().findings
    assert flow.items.get().findings == []  # not even a warning
    invoice = Invoice.objects.get()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION
    assert (invoice.supplier, invoice.recipient, invoice.number) == (
        supplier,
        recipient,
        "FA-2025-001",
    )
    assert invoice.total_without_vat == Decimal("1450.20")  # 1350 + 100.20
    assert invoice.total_with_vat == Decimal("1730.22")  # + 270 + 10.02
    # The Factur-X the platform generated is the invoice's document, and it is valid.
    with invoice.received_file.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    # (Against the standards: the platform rules would now find the number deposited.)
    report = validate(data, filename="f.pdf", recipient_check=False)
    assert report.format == "facturx"
    assert not [f for f in report.findings if f.is_fatal]
    document = invoice.canonical
    assert document.delivery.date == document.issue_date  # none given: the issue date
    assert document.seller.name == "Menuiserie Durand"
    assert document.seller.vat_id == supplier.vat_number
    assert document.buyer.siret == recipient.identifier
    assert document.payment.credit_transfers[0].account_id == account.iban


def test_after_submit_the_supplier_lands_on_the_invoice_with_the_deposit_one_click_away(
    client_in, submit, recipient
):
    response = submit(keyed(recipient))
    page = client_in.get(response.url, follow=True)
    html = page.content.decode()
    assert "<h1>Facture FA-2025-001</h1>" in html
    assert "Mise à disposition" in html
    flow = Flow.objects.get()
    assert f'href="{reverse("invoices:flow_detail", args=[flow.pk])}"' in html
    assert f"Détails du dépôt (flux {flow.number})" in html
    # Units and VAT read as words, not codes.
    assert "<td>3 unité</td>" in html
    assert "<td>Taux normal</td>" not in html and "C62" not in html
    assert "<td>20 %</td>" in html


def test_required_service_code_is_enforced_with_the_error_on_its_field(submit):
    hospital = PublicStructureFactory(service_code_required=True)
    ServiceFactory(structure=hospital, code="PHARMA")
    response = submit(keyed(hospital))
    assert response.status_code == 400
    form = response.context["form"]
    assert "exige un code service" in form.errors["service_code"][0]
    assert 'aria-describedby="id_service_code-desc-error"' in response.content.decode()
    assert not Flow.objects.exists()
    response = submit(keyed(hospital, service_code="PHARMA"))
    assert response.status_code == 302
    assert Invoice.objects.get().service.code == "PHARMA"


@pytest.mark.parametrize(
    "fields",
    [
        {"issue_date": "0001-01-01", "due_date": "0001-01-31"},
        {"issue_date": "9999-12-31", "due_date": ""},
    ],
)
def test_an_absurd_date_is_an_error_on_its_field(submit, recipient, fields):
    response = submit(keyed(recipient, **fields))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "n'est pas plausible" in errors["issue_date"][0]
    assert "01/01/2000" in errors["issue_date"][0]
    assert not Flow.objects.exists()


def test_required_engagement_is_enforced_for_the_recipient_and_for_a_service(submit):
    recipient = PublicStructureFactory(ej_required=True)
    response = submit(keyed(recipient))
    assert "engagement juridique" in response.context["form"].errors["engagement"][0]
    other = PublicStructureFactory()
    ServiceFactory(structure=other, code="TRAVAUX", ej_required=True)
    response = submit(keyed(other, service_code="TRAVAUX"))
    assert "engagement juridique" in response.context["form"].errors["engagement"][0]
    assert not Flow.objects.exists()


def test_either_engagement_or_service_code_is_enforced(submit):
    recipient = PublicStructureFactory(ej_or_service_code_required=True)
    ServiceFactory(structure=recipient, code="COMPTA")
    response = submit(keyed(recipient))
    assert "ou un code service" in response.context["form"].errors["engagement"][0]
    assert submit(keyed(recipient, engagement="EJ-77")).status_code == 302


def test_an_engagement_unknown_to_a_recipient_managing_them_is_refused(submit):
    recipient = PublicStructureFactory(ej_required=True)
    EngagementJuridiqueFactory(structure=recipient, number="EJ2025000001")
    response = submit(keyed(recipient, engagement="EJ-INCONNU"))
    assert "inconnu" in response.context["form"].errors["engagement"][0]
    response = submit(keyed(recipient, engagement="EJ2025000001"))
    assert response.status_code == 302
    assert Invoice.objects.get().order_reference == "EJ2025000001"


def test_an_unknown_recipient_siret_is_an_error_on_its_field(submit):
    data = keyed(PublicStructureFactory.build(identifier="21690123100011"))
    response = submit(data)
    assert (
        "Aucune structure publique active" in response.context["form"].errors["recipient_siret"][0]
    )


def test_exempt_line_needs_its_motive_on_submit(submit, recipient):
    lines = [("Formation professionnelle", "1", "800", "E")]
    response = submit(keyed(recipient, lines=lines))
    assert response.status_code == 400
    assert "motif" in response.context["form"].errors["vat_exemption_reason"][0]
    motive = "Exonération de TVA, article 261-4-4° a du CGI"
    response = submit(keyed(recipient, lines=lines, vat_exemption_reason=motive))
    assert Flow.objects.get().status == FlowStatus.INTEGRE
    breakdown = Invoice.objects.get().canonical.vat_breakdown
    assert [(b.category_code, b.exemption_reason) for b in breakdown] == [("E", motive)]


def test_a_credit_note_needs_the_original_invoice_number(submit, recipient):
    response = submit(keyed(recipient, type_code="381", number="AV-1"))
    assert "facture d'origine" in response.context["form"].errors["preceding_number"][0]
    submit(keyed(recipient, type_code="381", number="AV-1", preceding_number="FA-2025-001"))
    invoice = Invoice.objects.get()
    assert (invoice.type_code, invoice.status) == ("381", InvoiceStatus.MISE_A_DISPOSITION)
    assert invoice.canonical.preceding_invoices[0].number == "FA-2025-001"


def test_a_number_already_deposited_this_year_is_refused_on_its_field(submit, recipient):
    submit(keyed(recipient))
    response = submit(keyed(recipient, payment_terms="autre"))
    assert (
        "La facture FA-2025-001 de 2025 a déjà été déposée"
        in response.context["form"].errors["number"][0]
    )


def test_an_invoice_without_lines_is_refused(submit, recipient):
    data = keyed(recipient, lines=[("", "", "", "")])
    response = submit(data)
    assert response.status_code == 400
    assert "aucune ligne" in response.content.decode()


def test_a_supplier_without_vat_number_is_told_before_deposit(submit, supplier, recipient):
    supplier.vat_number = ""
    supplier.save()
    response = submit(keyed(recipient))
    assert "pas de numéro de TVA" in response.content.decode()
    assert not Flow.objects.exists()


# Drafts --------------------------------------------------------------------------------------


def test_a_draft_is_saved_resumed_and_submitted(client_in, submit, supplier, recipient):
    response = client_in.post(NEW, keyed(recipient, action="save", number=""))
    draft = InvoiceDraft.objects.get()
    edit = reverse("invoices:draft_edit", args=[draft.pk])
    assert response.url == edit
    assert draft.structure == supplier
    assert draft.data["fields"]["recipient_siret"] == recipient.identifier
    assert [line["description"] for line in draft.data["lines"]] == ["Pose de fenêtres", "Repas"]

    html = client_in.get(edit).content.decode()
    assert 'value="Pose de fenêtres"' in html
    assert "1\u202f730,22\u00a0€" in html  # totals computed on resume
    listing = client_in.get(reverse("invoices:draft_list")).content.decode()
    assert edit in listing

    submit(keyed(recipient, number="FA-9"), url=edit)
    draft.refresh_from_db()
    assert draft.flow == Flow.objects.get()
    # Submitted: no longer a draft to resume.
    assert client_in.get(edit).status_code == 404
    assert edit not in client_in.get(reverse("invoices:draft_list")).content.decode()


def test_a_draft_is_deleted_after_confirmation(client_in, recipient):
    client_in.post(NEW, keyed(recipient, action="save"))
    draft = InvoiceDraft.objects.get()
    url = reverse("invoices:draft_delete", args=[draft.pk])
    assert "supprimé définitivement" in client_in.get(url).content.decode()
    assert client_in.post(url).url == reverse("invoices:draft_list")
    assert not InvoiceDraft.objects.exists()


# Attachments ---------------------------------------------------------------------------------


def _file(name, size=100, content=None):
    return SimpleUploadedFile(name, content or b"x" * size, content_type="application/pdf")


def test_attachments_are_stored_and_embedded_in_the_invoice(submit, supplier, recipient):
    pdf = write_facturx(french_invoice(number="DEVIS-1"))  # any PDF will do
    data = keyed(recipient, attachments=[_file("devis.pdf", content=pdf)])
    response = submit(data)
    assert response.status_code == 302, response.context["form"].errors
    upload = AttachmentUpload.objects.get()
    assert (upload.structure, upload.name, upload.mime_type) == (
        supplier,
        "devis.pdf",
        "application/pdf",
    )
    assert Flow.objects.get().status == FlowStatus.INTEGRE
    attachment = Invoice.objects.get().canonical.attachments[0]
    assert (attachment.filename, attachment.content) == ("devis.pdf", pdf)


def test_attachment_limits_are_checked_on_upload(client_in, recipient, settings):
    too_long = "a" * 47 + ".pdf"  # 51 characters
    data = keyed(
        recipient,
        action="save",
        attachments=[
            _file(too_long),
            _file("programme.exe"),
            _file("notes.docx"),  # allowed by Chorus Pro, not embeddable in EN 16931
            _file("gros.pdf", size=10 * 1024 * 1024 + 1),
            _file("ok.pdf"),
        ],
    )
    client_in.post(NEW, data)
    assert list(AttachmentUpload.objects.values_list("name", flat=True)) == ["ok.pdf"]
    response = client_in.post(
        NEW, keyed(recipient, action="recalculate", attachments=[_file(too_long)])
    )
    html = response.content.decode()
    assert "50 caractères au plus" in html
    response = client_in.post(
        NEW, keyed(recipient, action="recalculate", attachments=[_file("notes.docx")])
    )
    assert "enregistrez-le en PDF" in response.content.decode()
    assert 'aria-describedby="id_attachments-desc-error"' in html


def test_a_pdf_attachment_with_a_launch_action_is_refused(client_in, recipient):
    pdf = with_active_content(write_facturx(french_invoice(number="DEVIS-1")), "launch")
    response = client_in.post(
        NEW, keyed(recipient, action="recalculate", attachments=[_file("devis.pdf", content=pdf)])
    )
    assert "contient du contenu actif (Launch)" in response.content.decode()
    assert not AttachmentUpload.objects.exists()


def test_attachments_total_at_most_120_mb(client_in, supplier, user, recipient):
    kept = [
        attachment_upload_create(
            structure=supplier, user=user, name=f"p{i}.pdf", data=b"x" * 10, mime_type="a/b"
        )
        for i in range(2)
    ]
    # Sizes as recorded: pretend the two kept ones weigh 115 MB together.
    for upload in kept:
        upload.received_file.size = 115 * 1024 * 1024 // 2
        upload.received_file.save()
    ids = ",".join(str(u.pk) for u in kept)
    html = client_in.post(
        NEW,
        keyed(
            recipient,
            action="recalculate",
            attachment_ids=ids,
            attachments=[_file("last.pdf", size=6 * 1024 * 1024)],
        ),
    ).content.decode()
    assert "au-delà de 120 Mo" in html
    assert AttachmentUpload.objects.count() == 2


def test_an_attachment_is_removed_from_the_form(client_in, recipient):
    client_in.post(NEW, keyed(recipient, action="save", attachments=[_file("a.pdf")]))
    draft = InvoiceDraft.objects.get()
    upload = AttachmentUpload.objects.get()
    assert draft.data["fields"]["attachment_ids"] == str(upload.pk)
    url = reverse("invoices:draft_edit", args=[draft.pk])
    data = keyed(recipient, action="", attachment_ids=str(upload.pk), remove_attachment=upload.pk)
    html = client_in.post(url, data).content.decode()
    assert "a.pdf" not in html


# PDF with keyed data ---------------------------------------------------------------------------


def test_a_pdf_with_keyed_data_is_deposited_with_the_cii_inside(submit, supplier, recipient):
    own_pdf = write_facturx(french_invoice(number="PDF-OWN"))
    data = keyed(recipient, mode="pdf", pdf=_file("ma-facture.pdf", content=own_pdf))
    response = submit(data)
    assert response.status_code == 302, response.content.decode()[:2000]
    flow = Flow.objects.get()
    assert flow.syntax == FlowSyntax.PDF
    assert flow.status == FlowStatus.INTEGRE, flow.items.get().findings
    invoice = Invoice.objects.get()
    assert invoice.number == "FA-2025-001"  # the keyed data, not the PDF's own


def test_pdf_mode_requires_a_pdf(submit, recipient):
    response = submit(keyed(recipient, mode="pdf", pdf=_file("facture.txt")))
    assert response.status_code == 400
    assert "facture.txt » n&#x27;est pas un PDF" in response.content.decode()
    response = submit(keyed(recipient, mode="pdf", pdf=_file("casse.pdf", content=b"%PDF-1.7 x")))
    assert "casse.pdf » est illisible" in response.content.decode()
    assert not Flow.objects.exists()


# First invoice: the error summary, the optional due date, the blank line -------------------


def test_the_error_summary_lists_every_error_with_a_link_to_its_field(submit, recipient):
    data = keyed(recipient, number="", lines=[("Pose", "trois", "450", "20")])
    response = submit(data)
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert '<a href="#id_number">Numéro de facture : Indiquez le numéro de la facture.</a>' in (
        summary.replace("&#x27;", "'")
    )
    assert 'href="#id_lines-0-quantity">Ligne 1, Quantité : Indiquez la quantité en chiffres' in (
        summary
    )


def test_the_due_date_is_optional_and_the_invoice_then_states_the_legal_payment_period(
    submit, recipient
):
    response = submit(keyed(recipient, due_date="", payment_terms=""))
    assert response.status_code == 302, response.context["form"].errors
    document = Invoice.objects.get().canonical
    assert document.due_date is None
    assert "R. 2192-10" in document.payment_terms


def test_a_blank_line_left_as_it_came_is_ignored_without_errors(submit, recipient):
    data = keyed(recipient, lines=[("", "", "", "20")])
    data["lines-0-unit"] = "C62"
    response = submit(data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "La facture n&#x27;a aucune ligne" in html
    assert 'id="id_lines-0-unit_error"' not in html
    assert 'id="id_lines-0-vat_error"' not in html
    assert 'id="id_lines-0-description_error"' not in html
