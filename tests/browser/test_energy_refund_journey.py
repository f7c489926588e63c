"""A farm's energy-tax refund in a real browser: the GAEC files its 2023 request with two GNR
invoices and one gaz naturel invoice, watching the refund computed as it types, and asks for
the advance; the DDFiP's instructor takes it, validates it; the decision letter is available
to both; the payment is recorded and the farm sees it."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from chorus.enums import PublicKind, Role
from energy_refunds.enums import RefundStatus
from energy_refunds.models import Campaign, ProductDeadline, Rate, RefundRequest
from energy_refunds.seed import campaigns_seed, rates_seed
from rejections.models import Motive
from rejections.seed import motives_seed
from tests.chorus.factories import DEFAULT_PASSWORD, MembershipFactory, PublicStructureFactory
from tests.energy_refunds.conftest import keep_2023_campaign_open
from tests.energy_refunds.factories import BeneficiaryFactory, FarmFactory, InstructionOfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def seeded_catalogues():
    """What migrations seed: a transactional test before this one flushed it."""
    motives_seed(Motive)
    rates_seed(Rate)
    campaigns_seed(Campaign, ProductDeadline)
    keep_2023_campaign_open()


def sign_in(page, user):
    page.goto("/compte/connexion/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def tick(page, field: str):
    """A DSFR checkbox is ticked through its label, as a user does (the label covers it)."""
    page.locator(f"label[for=id_{field}]").click()
    expect(page.locator(f"#id_{field}")).to_be_checked()


def add_invoice(page, pdf, number, delivered, product, quantity):
    form = page.locator("#fuel-invoice-form")
    form.get_by_label("Fournisseur", exact=True).fill("Coopérative agricole du Lochois")
    form.get_by_label(re.compile("SIRET du fournisseur")).fill("732 829 320 00074")
    form.get_by_label("Numéro de facture").fill(number)
    form.get_by_label("Date de facture").fill(delivered)
    form.get_by_label(re.compile("Date de livraison")).fill(delivered)
    form.get_by_label("Produit").select_option(label=product)
    form.get_by_label(re.compile("Quantité")).fill(quantity)
    form.get_by_label(re.compile("Facture \\(PDF\\)")).set_input_files(pdf)


def expect_step(page, status: str):
    step = page.get_by_test_id("timeline").locator(":scope > li").last
    expect(step).to_have_attribute("data-status", status)


def test_a_farm_files_its_2023_request_and_the_ddfip_validates_and_pays_it(
    page, browser, live_server, tmp_path
):
    ddfip = PublicStructureFactory(
        legal_name="DDFiP d'Indre-et-Loire", kind=PublicKind.DDFIP, postcode="37000"
    )
    InstructionOfficeFactory(departement="37", structure=ddfip)
    instructor = MembershipFactory(structure=ddfip, role=Role.UTILISATEUR)
    beneficiary = BeneficiaryFactory(
        structure=FarmFactory(legal_name="GAEC des Trois Chênes", postcode="37460")
    )
    farmer = MembershipFactory(structure=beneficiary.structure)
    pdf = tmp_path / "facture.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%facture de carburant\n")

    # The farm creates its 2023 request, asking for the advance on 2024.
    sign_in(page, farmer.user)
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Remboursements TIC"
    ).click()
    page.get_by_role("link", name="Nouvelle demande").click()
    page.get_by_label("Année des livraisons").select_option("2023")
    for field in ("advance_requested", "advance_commitment", "de_minimis_declared"):
        tick(page, field)
    page.get_by_role("button", name="Créer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("livraisons 2023")

    # Two GNR invoices and one gaz naturel invoice; the refund shows as the quantity is typed.
    add_invoice(page, pdf, "CL-23-0320", "2023-03-09", "Gazole non routier", "41")
    expect(page.get_by_test_id("preview")).to_contain_text("613,36 €")  # 41 hl x 14.96
    page.get_by_role("button", name="Ajouter la facture").click()
    expect(page.get_by_test_id("fuel-invoices")).to_contain_text("CL-23-0320")
    add_invoice(page, pdf, "CL-23-1054", "2023-08-28", "Gazole non routier", "47.25")
    page.get_by_role("button", name="Ajouter la facture").click()
    add_invoice(
        page, pdf, "GT-23-0101", "2023-12-04", "Gaz naturel utilisé comme combustible", "58.4"
    )
    # The unit follows the product; the preview totals the request with this line.
    expect(page.locator("#fuel-invoice-form").get_by_label("Unité")).to_have_value("MWH")
    expect(page.get_by_test_id("preview")).to_contain_text("1777,49 €")
    page.get_by_role("button", name="Ajouter la facture").click()

    amounts = page.get_by_test_id("amounts")
    expect(amounts.locator("tr[data-product=GNR]")).to_contain_text("1320,22 €")  # 88.25 hl
    expect(amounts.locator("tr[data-product=GN_COMBUSTIBLE]")).to_contain_text("457,27 €")
    expect(page.get_by_test_id("advance")).to_have_text("888,75 €")
    page.get_by_test_id("deposit").click()
    expect(page.get_by_role("status").or_(page.locator(".fr-alert--success"))).to_contain_text(
        "Demande déposée"
    )
    expect_step(page, RefundStatus.DEPOSEE)

    # The instructor of the DDFiP takes the request and validates it.
    instructor_page = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    sign_in(instructor_page, instructor.user)
    instructor_page.get_by_role("link", name="Remboursements TIC à instruire").click()
    reference = RefundRequest.objects.get().reference
    instructor_page.get_by_role("link", name=reference).click()
    take = instructor_page.locator("details[data-action=take]")
    take.locator("summary").click()
    take.get_by_role("button", name=re.compile("Confirmer")).click()
    validate = instructor_page.locator("details[data-action=validate]")
    validate.locator("summary").click()
    validate.get_by_role("button", name=re.compile("Confirmer")).click()
    expect_step(instructor_page, RefundStatus.VALIDEE)

    # The decision letter is there for the instructor and the farm.
    with instructor_page.expect_download() as download:
        instructor_page.get_by_test_id("letter").click()
    assert download.value.suggested_filename == f"decision-{reference}.pdf"
    page.reload()
    expect_step(page, RefundStatus.VALIDEE)
    with page.expect_download() as farm_download:
        page.get_by_test_id("letter").click()
    assert Path(farm_download.value.path()).read_bytes().startswith(b"%PDF")

    # The payment is ordered then recorded; the farm sees it paid.
    pay = instructor_page.locator("details[data-action=pay]")
    pay.locator("summary").click()
    pay.get_by_role("button", name=re.compile("Confirmer")).click()
    record = instructor_page.locator("details[data-action=record_payment]")
    record.locator("summary").click()
    record.get_by_label("Référence du virement").fill("DGFIP-TIC-2026-000451")
    record.get_by_role("button", name=re.compile("Confirmer")).click()
    expect_step(instructor_page, RefundStatus.PAYEE)

    page.reload()
    expect_step(page, RefundStatus.PAYEE)
    expect(page.get_by_test_id("timeline")).to_contain_text("DGFIP-TIC-2026-000451")
    request = RefundRequest.objects.get()
    assert (request.validated_amount, request.advance_amount) == (
        Decimal("1777.49"),
        Decimal("888.75"),
    )
    assert request.advance_paid_at is not None


@pytest.mark.parametrize(
    "email, start",
    [
        ("paul.girard@gaec-trois-chenes.example", "/remboursements-tic/"),
        ("anne.roussel@earl-val-indre.example", "/remboursements-tic/"),  # a request to edit
        ("julie.marchand@ddfip-indre-et-loire.example", "/reception/remboursements-tic/"),
    ],
)
def test_the_refund_pages_of_the_demo_world_pass_axe_core(page, live_server, email, start):
    from chorus.management.commands.seed_demo import DEMO_PASSWORD, demo_world_seed
    from energy_refunds.demo import energy_refunds_demo_seed
    from tests.browser.crawl import audit, crawl

    demo_world_seed()
    energy_refunds_demo_seed(DEMO_PASSWORD)
    page.goto("/compte/connexion/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    violations, visited = crawl(page, [start], live_server.url)
    assert sum("remboursements-tic" in url for url in visited) >= 3, visited
    assert not violations, violations

    if email.startswith("anne"):
        # An invoice sent empty: the summary links each error to its field.
        page.goto(start)
        page.get_by_role("link", name=re.compile("TIC-2023")).click()
        page.get_by_role("button", name="Ajouter la facture").click()
        summary = page.locator("#error-summary")
        expect(summary.get_by_role("link", name=re.compile("Numéro de facture"))).to_be_visible()
        assert not audit(page), audit(page)
