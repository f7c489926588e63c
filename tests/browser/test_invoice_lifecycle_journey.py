"""An invoice's lifecycle in a real browser, both sides watching: the agent finds a new
invoice, opens it and suspends it for a missing document; the supplier completes it; the
agent certifies service fait, then mandates it. And a supplier recycling an invoice sent
back, picking the new recipient in the directory."""

import re

import pytest
from playwright.sync_api import expect

from chorus.enums import Role
from chorus.workflow import Actor
from invoices.enums import InvoiceStatus
from invoices.services import invoice_route, invoice_send_back
from rejections.models import Motive
from rejections.seed import motives_seed
from tests.chorus.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def motive_catalogue():
    """The catalogue a migration seeds: a transactional test before this one flushed it."""
    motives_seed(Motive)


def sign_in(page, user):
    page.goto("/compte/connexion/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def expect_step(page, status: str, *texts: str):
    """The last step of the timeline is `status`, showing each of `texts`."""
    step = page.get_by_test_id("timeline").locator(":scope > li").last
    expect(step).to_have_attribute("data-status", status)
    for text in texts:
        expect(step).to_contain_text(text)


def test_an_invoice_goes_from_receipt_to_mandate_with_both_sides_watching(
    page, browser, live_server, tmp_path
):
    commune = PublicStructureFactory(legal_name="Commune de Valmont")
    works = ServiceFactory(structure=commune, code="TRAVAUX", name="Services techniques")
    agent = MembershipFactory(structure=commune, role=Role.UTILISATEUR)
    agent.services.add(works)
    supplier = StructureFactory(legal_name="Menuiserie Durand")
    seller = MembershipFactory(structure=supplier)
    document = french_invoice(
        number="FA-2025-0107",
        seller_siret=supplier.identifier,
        buyer_siret=commune.identifier,
        service_code="TRAVAUX",
    )
    invoice = stored_invoice(supplier=supplier, service=works, document=document)
    invoice_route(invoice=invoice)

    # The agent finds the new invoice from their home page and suspends it.
    sign_in(page, agent.user)
    expect(page.get_by_test_id("received-counts")).to_contain_text("1 facture à traiter")
    page.get_by_role("main").get_by_role("link", name="Factures reçues").click()
    page.get_by_role("link", name="FA-2025-0107").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Facture FA-2025-0107")
    expect_step(page, InvoiceStatus.MISE_A_DISPOSITION, "Par la plateforme")
    dispute = page.locator("details[data-action=dispute]")
    dispute.get_by_text(re.compile("Signaler un problème")).click()
    dispute.get_by_role("combobox", name=re.compile("Motif")).select_option(
        label="Justificatif absent ou insuffisant"
    )
    # The motive proposes the least disruptive outcome it allows, and says why.
    expect(dispute.get_by_role("status")).to_contain_text("Issue proposée : Suspendre.")
    expect(dispute.get_by_label("Suspendre")).to_be_checked()
    dispute.get_by_label(re.compile("Commentaire")).fill("Le devis signé manque.")
    dispute.get_by_role("button", name="Confirmer l'issue choisie").click()
    expect(page.get_by_text("passe au statut « Suspendue »")).to_be_visible()
    expect_step(page, InvoiceStatus.SUSPENDUE, "Justificatif absent ou insuffisant")

    # The supplier reads why and completes the invoice with the missing document.
    supplier_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    supplier_context.set_default_timeout(15_000)
    supplier_page = supplier_context.new_page()
    sign_in(supplier_page, seller.user)
    supplier_page.goto("/factures/")
    supplier_page.get_by_role("link", name="FA-2025-0107").click()
    expect_step(
        supplier_page,
        InvoiceStatus.SUSPENDUE,
        "Justificatif absent ou insuffisant",
        "Le devis signé manque.",
        "Commune de Valmont",
    )
    quote = tmp_path / "devis-signe.pdf"
    quote.write_bytes(b"%PDF-1.4\n% devis signe\n")
    supplier_page.get_by_label(re.compile("Votre réponse au destinataire")).fill(
        "Voici le devis signé."
    )
    supplier_page.get_by_label(re.compile("Pièces justificatives")).set_input_files(quote)
    supplier_page.get_by_role("button", name="Compléter la facture").click()
    expect(supplier_page.get_by_text("est complétée")).to_be_visible()
    expect_step(supplier_page, InvoiceStatus.COMPLETEE, "Voici le devis signé.", "devis-signe.pdf")

    # The agent sees the answer, certifies service fait, then mandates.
    page.reload()
    expect_step(page, InvoiceStatus.COMPLETEE, "Voici le devis signé.", "devis-signe.pdf")
    certify = page.locator("details[data-action=certify]")
    certify.get_by_text("Certifier le service fait", exact=True).click()
    certify.get_by_role("button", name="Confirmer : Certifier le service fait").click()
    expect_step(page, InvoiceStatus.SERVICE_FAIT)
    mandate = page.locator("details[data-action=mandate]")
    mandate.get_by_text("Mandater", exact=True).click()
    mandate.get_by_label("Numéro de mandat").fill("M-2025-0042")
    mandate.get_by_role("button", name="Confirmer : Mandater").click()
    expect_step(page, InvoiceStatus.MANDATEE, "M-2025-0042")

    # The supplier sees every step.
    supplier_page.reload()
    steps = supplier_page.get_by_test_id("timeline").locator(":scope > li")
    expect(steps).to_have_count(6)
    expect_step(supplier_page, InvoiceStatus.MANDATEE, "M-2025-0042")
    expect(steps.nth(4)).to_have_attribute("data-status", InvoiceStatus.SERVICE_FAIT)
    supplier_context.close()


def test_a_supplier_recycles_an_invoice_sent_back_to_another_recipient(page):
    commune = PublicStructureFactory(legal_name="Commune de Valmont")
    agent = MembershipFactory(structure=commune, role=Role.GESTIONNAIRE_PRINCIPAL)
    hospital = PublicStructureFactory(
        legal_name="Centre hospitalier de Brenne", city="Brenne", service_code_required=True
    )
    ServiceFactory(structure=hospital, code="PHARMA", name="Pharmacie")
    supplier = StructureFactory(legal_name="Menuiserie Durand")
    seller = MembershipFactory(structure=supplier)
    document = french_invoice(
        number="FA-2025-0200",
        seller_siret=supplier.identifier,
        buyer_siret=commune.identifier,
        service_code=None,
    )
    invoice = stored_invoice(supplier=supplier, recipient=commune, document=document)
    invoice_route(invoice=invoice)
    invoice_send_back(invoice=invoice, actor=Actor.member(agent), motive="SIRET_ERR")

    sign_in(page, seller.user)
    page.goto(f"/factures/{invoice.pk}/")
    expect_step(page, InvoiceStatus.A_RECYCLER, "SIRET du destinataire erroné")
    search = page.get_by_role("combobox", name=re.compile("Rechercher le destinataire"))
    search.fill("brenne")
    expect(
        page.get_by_role("option", name=re.compile("Centre hospitalier de Brenne"))
    ).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.locator("#id_recipient_siret")).to_have_value(hospital.identifier)
    page.get_by_label(re.compile("Service destinataire")).select_option("PHARMA")
    page.get_by_role("button", name="Recycler la facture").click()

    expect(page.get_by_text("est recyclée")).to_be_visible()
    expect_step(page, InvoiceStatus.MISE_A_DISPOSITION)
    invoice.refresh_from_db()
    assert (invoice.recipient, invoice.service.code) == (hospital, "PHARMA")
