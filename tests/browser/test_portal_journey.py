"""The supplier portal in a real browser: keying an invoice (directory suggestions, the
recipient's service field appearing, totals updated by the server as they type, then the
deposit, the invoice and its report), and uploading a file followed to its report."""

import re

import pytest
from playwright.sync_api import expect

from invoices.enums import FlowStatus, InvoiceStatus
from invoices.formats import write_ubl
from invoices.models import Flow, Invoice
from tests.chorus.factories import (
    DEFAULT_PASSWORD,
    BankAccountFactory,
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice, french_vat_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supplier_keys_an_invoice_and_reaches_it_then_its_integration_report(page):
    supplier = StructureFactory(legal_name="Menuiserie Durand")
    supplier.vat_number = french_vat_number(supplier.identifier[:9])
    supplier.save()
    account = BankAccountFactory(structure=supplier, label="Compte courant")
    user = MembershipFactory(structure=supplier).user
    hospital = PublicStructureFactory(
        legal_name="Centre hospitalier de Valmont", city="Valmont", service_code_required=True
    )
    ServiceFactory(structure=hospital, code="PHARMA", name="Pharmacie")

    page.goto("/compte/connexion/?next=/factures/saisie/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisir une facture")

    # The recipient, found in the directory and chosen with the keyboard.
    search = page.get_by_role("combobox", name=re.compile("Rechercher le destinataire"))
    search.fill("valmont")
    expect(
        page.get_by_role("option", name=re.compile("Centre hospitalier de Valmont"))
    ).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.locator("#id_recipient_siret")).to_have_value(hospital.identifier)
    expect(page.get_by_text("Code service obligatoire.")).to_be_visible()
    page.get_by_label(re.compile("Service destinataire")).select_option("PHARMA")

    page.get_by_label("Numéro de facture").fill("FA-2025-001")
    page.get_by_label("Date d'émission", exact=True).fill("2025-03-14")
    page.get_by_label(re.compile("Date d'échéance")).fill("2025-04-13")

    # Totals come back from the server as the lines are typed.
    page.locator("#id_lines-0-description").fill("Pose de fenêtres")
    page.locator("#id_lines-0-quantity").fill("3")
    page.locator("#id_lines-0-unit_price").fill("450")
    with_vat = page.locator("[data-total=with_vat]")
    expect(with_vat).to_have_text("1\u202f620,00\u00a0€")
    page.get_by_role("button", name="Ajouter une ligne").click()
    expect(page.locator("#id_lines-1-description")).to_be_focused()
    page.locator("#id_lines-1-description").fill("Repas")
    page.locator("#id_lines-1-quantity").fill("12")
    page.locator("#id_lines-1-unit_price").fill("8,35")
    page.locator("#id_lines-1-vat").select_option("10")
    expect(page.locator("#line-1-amount")).to_have_text("100,20\u00a0€")
    expect(with_vat).to_have_text("1\u202f730,22\u00a0€")
    expect(page.locator("[data-total=vat]")).to_have_text("280,02\u00a0€")

    page.get_by_label(re.compile("Compte bancaire")).select_option(str(account.pk))
    page.get_by_role("button", name="Déposer la facture").click()

    # The supplier lands on the invoice, the deposit's details one click away.
    expect(page).to_have_url(re.compile(r"/factures/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Facture FA-2025-001")
    expect(page.get_by_text("Mise à disposition").first).to_be_visible()
    page.get_by_role("link", name=re.compile("Détails du dépôt")).click()
    expect(page).to_have_url(re.compile(r"/factures/flux/\d+/$"))
    expect(page.get_by_text("Intégré", exact=True).first).to_be_visible()
    flow = Flow.objects.get()
    assert flow.status == FlowStatus.INTEGRE
    invoice = Invoice.objects.get()
    assert (invoice.status, invoice.service.code) == (InvoiceStatus.MISE_A_DISPOSITION, "PHARMA")


def test_a_supplier_uploads_a_file_and_follows_it_to_its_report(page, tmp_path):
    supplier = StructureFactory(legal_name="Menuiserie Durand")
    user = MembershipFactory(structure=supplier).user
    service = ServiceFactory(code="SERV0001")
    invoice = french_invoice(
        seller_siret=supplier.identifier,
        buyer_siret=service.structure.identifier,
        service_code=service.code,
        engagement=None,
    )
    good = tmp_path / "facture.xml"
    good.write_bytes(write_ubl(invoice))
    wrong = tmp_path / "facture.docx"
    wrong.write_bytes(b"PK")

    page.goto("/compte/connexion/?next=/factures/depot/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # Sent by the page script: the refusal comes back without leaving the page.
    page.get_by_label(re.compile("Fichier à déposer")).set_input_files(str(wrong))
    page.get_by_role("button", name="Déposer", exact=True).click()
    expect(page.locator("[data-upload-errors]")).to_contain_text("facture.docx")
    expect(page).to_have_url(re.compile(r"/factures/depot/$"))

    page.get_by_label(re.compile("Fichier à déposer")).set_input_files(str(good))
    page.get_by_role("button", name="Déposer", exact=True).click()
    expect(page).to_have_url(re.compile(r"/factures/flux/\d+/$"))
    expect(page.get_by_role("link", name="Voir la facture FA-2025-00042")).to_be_visible()
    assert Flow.objects.get().status == FlowStatus.INTEGRE
