"""A rejection resolved in a real browser: the agent rejects an invoice for a wrong total,
pointing at one line with a comment; the supplier reads the motive explained on "Rejets et
retours", clicks "Corriger et renvoyer", fixes the price and deposits; the new invoice is
linked to the rejected one and reaches the agent."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from chorus.enums import Role
from invoices.enums import InvoiceStatus
from invoices.models import Invoice
from invoices.services import invoice_route
from rejections.models import Motive
from rejections.seed import motives_seed
from tests.browser.test_invoice_lifecycle_journey import expect_step, sign_in
from tests.chorus.factories import MembershipFactory, PublicStructureFactory, StructureFactory
from tests.invoices.factories import french_invoice, french_vat_number, stored_invoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def motive_catalogue():
    """The catalogue a migration seeds: a transactional test before this one flushed it."""
    motives_seed(Motive)


def test_a_rejected_invoice_is_corrected_and_sent_again_linked_to_it(page, browser, live_server):
    commune = PublicStructureFactory(legal_name="Commune de Valmont")
    agent = MembershipFactory(structure=commune, role=Role.GESTIONNAIRE_PRINCIPAL)
    supplier = StructureFactory(legal_name="Menuiserie Durand")
    supplier.vat_number = french_vat_number(supplier.identifier[:9])
    supplier.save()
    seller = MembershipFactory(structure=supplier)
    document = french_invoice(
        number="FA-2026-0300",
        seller_siret=supplier.identifier,
        buyer_siret=commune.identifier,
        service_code=None,
    )
    rejected = stored_invoice(supplier=supplier, recipient=commune, document=document)
    invoice_route(invoice=rejected)
    first_line = document.lines[0]

    # The agent rejects it for a wrong total, on its first line, with a comment.
    sign_in(page, agent.user)
    page.goto(reverse("reception:invoice_detail", args=[rejected.pk]))
    dispute = page.locator("details[data-action=dispute]")
    dispute.get_by_text(re.compile("Signaler un problème")).click()
    dispute.get_by_role("combobox", name=re.compile("Motif")).select_option(
        label="Montant total erroné"
    )
    expect(dispute.get_by_role("status")).to_contain_text("Issue proposée : Rejeter.")
    dispute.get_by_label(re.compile(f"Ligne {first_line.id} :")).check()
    dispute.get_by_label(re.compile("Commentaire")).fill(
        "Le prix unitaire de la ligne 1 ne suit pas le devis : 400 € HT."
    )
    dispute.get_by_role("button", name="Confirmer l'issue choisie").click()
    expect(page.get_by_text("passe au statut « Rejetée »")).to_be_visible()
    expect_step(page, InvoiceStatus.REJETEE, "Montant total erroné")

    # The supplier reads why on "Rejets et retours" and corrects in two clicks.
    supplier_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    supplier_context.set_default_timeout(15_000)
    supplier_page = supplier_context.new_page()
    sign_in(supplier_page, seller.user)
    supplier_page.goto(reverse("invoices:returns"))
    card = supplier_page.get_by_test_id("returned-invoices").locator("li").first
    expect(card).to_contain_text("Montant total erroné")
    expect(card).to_contain_text(Motive.objects.get(code="MONTANTTOTAL_ERR").explanation_fr)
    expect(card).to_contain_text("ne suit pas le devis")
    expect(card).to_contain_text(f"Lignes concernées : {first_line.id}")
    card.get_by_role("link", name=re.compile("Corriger et renvoyer")).click()  # click 1

    expect(supplier_page.get_by_test_id("correcting")).to_contain_text("FA-2026-0300")
    expect(supplier_page.locator("#id_recipient_siret")).to_have_value(commune.identifier)
    supplier_page.locator("#id_number").fill("FA-2026-0301")
    supplier_page.locator("#id_lines-0-unit_price").fill("400")
    supplier_page.get_by_role("button", name="Déposer la facture").click()  # click 2

    expect(supplier_page.get_by_text("La facture FA-2026-0301 est déposée.")).to_be_visible()
    expect(supplier_page.get_by_test_id("replaces")).to_contain_text(
        "Remplace la facture n° FA-2026-0300 rejetée"
    )
    correction = Invoice.objects.get(supplier=supplier, number="FA-2026-0301")
    assert correction.replaces_id == rejected.pk
    assert correction.canonical.lines[0].price.net_price == 400
    assert correction.status == InvoiceStatus.MISE_A_DISPOSITION
    assert correction.recipient == commune
    supplier_page.get_by_test_id("replaces").get_by_role("link", name="FA-2026-0300").click()
    expect(supplier_page.get_by_test_id("corrected-by")).to_contain_text(
        "Corrigée par la facture n° FA-2026-0301"
    )
    supplier_context.close()

    # The correction reaches the agent, linked to the invoice they rejected.
    page.goto(reverse("reception:invoice_detail", args=[correction.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Facture FA-2026-0301")
    expect_step(page, InvoiceStatus.MISE_A_DISPOSITION)
    page.get_by_test_id("replaces").get_by_role("link", name="FA-2026-0300").click()
    expect(page.get_by_test_id("corrected-by")).to_contain_text("FA-2026-0301")
