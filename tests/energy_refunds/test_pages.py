"""The refund pages end to end: who sees what, the preview, the letter, the statistics, the CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chorus.workflow import Actor
from energy_refunds import services
from energy_refunds.enums import RefundStatus
from energy_refunds.models import Beneficiary
from tests.chorus.factories import MembershipFactory, PublicStructureFactory, StructureFactory
from tests.energy_refunds.conftest import draft, line

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test\n"


def _client(client, membership):
    client.force_login(membership.user)
    return client


def test_a_farm_sees_only_its_requests(client, world):
    mine = draft(world)
    theirs = services.refund_request_create(
        beneficiary=world.other_beneficiary,
        actor=Actor.member(world.other_farmer),
        year=2023,
    )
    _client(client, world.farmer)

    listing = client.get(reverse("energy_refunds:request_list"))
    assert mine.reference in listing.text and theirs.reference not in listing.text
    assert client.get(reverse("energy_refunds:request_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("energy_refunds:request_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("energy_refunds:instruction_queue")).status_code == 403


def test_a_ddfip_sees_only_its_departements_requests_and_not_drafts(client, world):
    ours = draft(world, lines=[line()])
    services.refund_request_deposit(request=ours, actor=world.farm_actor)
    _client(client, world.other_instructor)

    assert ours.reference not in client.get(reverse("energy_refunds:instruction_queue")).text
    assert (
        client.get(reverse("energy_refunds:instruction_detail", args=[ours.pk])).status_code == 404
    )
    client.force_login(world.instructor.user)
    assert ours.reference in client.get(reverse("energy_refunds:instruction_queue")).text
    assert client.get(reverse("energy_refunds:request_list")).status_code == 403


def test_a_draft_is_not_the_ddfips_business(client, world):
    request = draft(world)
    _client(client, world.instructor)
    assert (
        client.get(reverse("energy_refunds:instruction_detail", args=[request.pk])).status_code
        == 404
    )


def test_a_public_structure_other_than_a_ddfip_has_no_queue(client, world):
    membership = MembershipFactory(structure=PublicStructureFactory())
    _client(client, membership)
    assert client.get(reverse("energy_refunds:instruction_queue")).status_code == 403


def test_the_profile_requires_a_valid_iban_and_creates_the_bank_account(client, world):
    farm = StructureFactory(postcode="37460")
    membership = MembershipFactory(structure=farm)
    _client(client, membership)
    assert client.get(reverse("energy_refunds:request_list")).url == reverse(
        "energy_refunds:profile"
    )

    data = {
        "kind": "CUMA",
        "iban": "FR76 3000 6000 0112 3456 7890 188",
        "bic": "AGRIFRPP",
        "holder": "CUMA",
    }
    refused = client.post(reverse("energy_refunds:profile"), data)
    assert refused.status_code == 400
    assert "clé de contrôle" in refused.text

    data["iban"] = "FR76 3000 6000 0112 3456 7890 189"
    assert client.post(reverse("energy_refunds:profile"), data).status_code == 302
    beneficiary = Beneficiary.objects.get(structure=farm)
    assert beneficiary.bank_account.iban == "FR7630006000011234567890189"


def test_creating_a_second_request_for_a_year_links_to_the_first(client, world):
    first = draft(world)
    _client(client, world.farmer)
    response = client.post(reverse("energy_refunds:request_create"), {"year": "2023"})
    assert response.status_code == 400
    assert reverse("energy_refunds:request_detail", args=[first.pk]) in response.text


def test_adding_a_line_shows_each_error_on_its_field(client, world):
    request = draft(world)
    _client(client, world.farmer)
    response = client.post(
        reverse("energy_refunds:invoice_add", args=[request.pk]),
        {
            "supplier_name": "Coop",
            "supplier_siret": "73282932000074",
            "number": "F1",
            "invoice_date": "2023-03-01",
            "delivery_date": "2024-01-02",
            "product": "GPL",
            "quantity": "3",
            "unit": "HL",
            "pdf": SimpleUploadedFile("f.pdf", PDF),
        },
    )
    assert response.status_code == 400
    form = response.context["invoice_form"]
    assert set(form.errors) == {"delivery_date", "unit"}


def test_the_preview_computes_with_the_line_being_typed(client, world):
    request = draft(world, lines=[line(quantity="10")])
    _client(client, world.farmer)
    data = client.get(
        reverse("energy_refunds:request_preview", args=[request.pk]),
        {"product": "GNR", "quantity": "0,005", "unit": "HL"},
    ).json()
    # 10.005 hl x 14.96 = 149.6748, rounded once per product.
    assert data["products"][0]["amount"] == "149.67"
    assert data["gross"] == "149.67"
    warned = client.get(
        reverse("energy_refunds:request_preview", args=[request.pk]),
        {"product": "GNR", "quantity": "20000", "unit": "HL"},
    ).json()
    assert any("inhabituel" in note for note in warned["notes"])


def _validated(world):
    request = draft(
        world, lines=[line(quantity="100")], advance_requested=True, advance_commitment=True
    )
    services.refund_request_deposit(request=request, actor=world.farm_actor)
    services.refund_request_take(request=request, actor=world.instructor_actor)
    return request


def test_instructor_validates_through_the_page_and_both_get_the_letter(client, world):
    request = _validated(world)
    _client(client, world.instructor)
    url = reverse("energy_refunds:instruction_action", args=[request.pk, "validate"])
    refused = client.post(url, {"validate-adjusted_amount": "1000"})
    assert refused.status_code == 400
    assert "pourquoi" in refused.text
    assert client.post(url, {}).status_code == 302
    request.refresh_from_db()
    assert request.status == RefundStatus.VALIDEE

    letter = client.get(reverse("energy_refunds:letter", args=[request.pk]))
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")
    client.force_login(world.farmer.user)
    assert client.get(reverse("energy_refunds:letter", args=[request.pk])).status_code == 200
    client.force_login(world.other_farmer.user)
    assert client.get(reverse("energy_refunds:letter", args=[request.pk])).status_code == 404


def test_rejecting_needs_a_motive_on_the_field(client, world):
    request = _validated(world)
    _client(client, world.instructor)
    response = client.post(
        reverse("energy_refunds:instruction_action", args=[request.pk, "reject"]),
        {"reject-motive": "", "reject-comment": ""},
    )
    assert response.status_code == 400
    opened = next(item for item in response.context["actions"] if item["open"])
    assert opened["action"] == "reject" and "motive" in opened["form"].errors
    request.refresh_from_db()
    assert request.status == RefundStatus.EN_COURS_INSTRUCTION


def test_csv_export_lists_validated_requests_and_defuses_formulas(client, world):
    world.beneficiary.structure.legal_name = '=HYPERLINK("x")'
    world.beneficiary.structure.save()
    request = _validated(world)
    services.refund_request_validate(request=request, actor=world.instructor_actor)
    _client(client, world.instructor)

    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("energy_refunds:payment_export")).text), delimiter=";"
        )
    )
    assert rows[0][0] == "reference"
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["beneficiaire"].startswith("'=")
    assert (row["remboursement_retenu"], row["avance_annee_suivante"], row["montant_a_payer"]) == (
        "1496.00",
        "748.00",
        "2244.00",
    )


def test_statistics_by_product_departement_and_status(client, world):
    request = _validated(world)
    services.refund_request_validate(request=request, actor=world.instructor_actor)
    _client(client, world.instructor)
    stats = client.get(reverse("energy_refunds:statistics")).context["stats"]
    assert stats["by_status"] == [("Validée", 1, Decimal("1496.00"))]
    assert stats["by_departement"] == [("37", 1, Decimal("1496.00"))]
    assert stats["by_product"][0][2:] == (1, Decimal("100"), Decimal("1496.00"))


def test_pages_render_in_english_once_chosen(client, world):
    request = draft(world, lines=[line()])
    _client(client, world.farmer)
    client.post("/langue/", {"language": "en", "next": "/"})

    page = client.get(reverse("energy_refunds:request_detail", args=[request.pk])).text
    assert "Add the invoice" in page
    assert "Non-road diesel" in page
    assert "Refund by product" in page
    preview = client.get(
        reverse("energy_refunds:request_preview", args=[request.pk]),
        {"product": "GPL", "quantity": "1", "unit": "HL"},
    ).json()
    assert any("is declared in 100 kg, not in hectolitre" in note for note in preview["notes"])


def test_queue_statistics_and_export_filter_by_year(client, world):
    from tests.energy_refunds.factories import FuelInvoiceFactory

    old = FuelInvoiceFactory(
        request__beneficiary=world.other_beneficiary,
        request__instructor=world.ddfip,
        request__year=2022,
        request__status=RefundStatus.VALIDEE,
        quantity=Decimal("10"),
    ).request
    recent = _validated(world)
    services.refund_request_validate(request=recent, actor=world.instructor_actor)
    _client(client, world.instructor)

    queue = client.get(reverse("energy_refunds:instruction_queue"), {"year": "2022"}).text
    assert old.reference in queue and recent.reference not in queue
    stats = client.get(reverse("energy_refunds:statistics"), {"year": "2023"}).context["stats"]
    assert stats["by_status"] == [("Validée", 1, Decimal("1496.00"))]
    export = client.get(reverse("energy_refunds:payment_export"), {"year": "2022"}).text
    assert old.reference in export and recent.reference not in export


def test_the_invoice_form_gets_each_products_unit_from_the_server(client, world):
    """preview.js sets the unit when a product is chosen, from the table the page carries."""
    request = draft(world)
    page = _client(client, world.farmer).get(
        reverse("energy_refunds:request_detail", args=[request.pk])
    )
    units = page.text.split('<script id="product-units" type="application/json">')[1]
    assert units.split("</script>")[0] == (
        '{"GNR": "HL", "FIOUL_LOURD": "100KG", "GPL": "100KG", "GN_COMBUSTIBLE": "MWH", '
        '"GN_CARBURANT": "MWH"}'
    )
