"""The agents' back office in a real browser: an agent filters the inbox, ticks three
invoices, certifies service fait in bulk, watches the operation progress until its result
(the page follows the task by itself), and exports the search as CSV."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from chorus.enums import Role
from invoices.channels.backoffice.bulk import bulk_operation_run
from invoices.channels.backoffice.models import BulkOperation
from invoices.enums import InvoiceStatus
from invoices.models import Invoice
from invoices.services import invoice_route
from tests.chorus.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/compte/connexion/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def received(supplier, service, number):
    document = french_invoice(
        number=number,
        seller_siret=supplier.identifier,
        buyer_siret=service.structure.identifier,
        service_code=service.code,
    )
    invoice = stored_invoice(supplier=supplier, service=service, document=document)
    invoice_route(invoice=invoice)
    return invoice


@pytest.fixture
def no_worker():
    """Tasks queued, none run: the test plays the worker, so the page is seen waiting."""
    from chorus.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


def test_an_agent_certifies_three_invoices_in_bulk_and_exports_the_search(
    page, live_server, no_worker
):
    commune = PublicStructureFactory(legal_name="Commune de Valmont")
    works = ServiceFactory(structure=commune, code="TRAVAUX", name="Services techniques")
    agent = MembershipFactory(structure=commune, role=Role.UTILISATEUR)
    agent.services.add(works)
    joinery = StructureFactory(legal_name="Menuiserie Durand")
    plumbing = StructureFactory(legal_name="Plomberie Martin")
    numbers = [f"FA-2025-010{i}" for i in range(1, 5)]
    for number in numbers:
        received(joinery, works, number)
    received(plumbing, works, "PM-2025-0001")

    sign_in(page, agent.user)
    page.goto("/reception/factures/")
    page.get_by_role("textbox", name=re.compile("^Fournisseur")).fill("Menuiserie")
    page.get_by_role("button", name="Rechercher").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(1 + len(numbers))
    expect(table).not_to_contain_text("PM-2025-0001")

    for number in numbers[:3]:
        # The DSFR draws the box on the label, over the input: the click lands on the label.
        page.get_by_label(f"Sélectionner la facture {number}").check(force=True)
    page.get_by_label("Action").select_option(label="Certifier le service fait")
    page.get_by_role("textbox", name=re.compile("^Commentaire")).fill("Travaux réceptionnés le 12.")
    page.get_by_role("button", name="Appliquer aux factures cochées").click()

    # Queued: the page waits for the task, then follows it by itself.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Traitement par lot : Certifier le service fait"
    )
    expect(page.get_by_test_id("bulk-status")).to_contain_text("En attente")
    operation = BulkOperation.objects.get()
    bulk_operation_run(operation.pk)  # the worker picks it up
    expect(page.get_by_test_id("bulk-result")).to_contain_text("3 factures traitées.")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    statuses = dict(Invoice.objects.values_list("number", "status"))
    assert [statuses[n] for n in numbers] == [InvoiceStatus.SERVICE_FAIT] * 3 + [
        InvoiceStatus.MISE_A_DISPOSITION
    ]

    # Back to the same search, exported.
    page.go_back()
    page.reload()
    expect(page.get_by_role("textbox", name=re.compile("^Fournisseur"))).to_have_value("Menuiserie")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter la recherche (CSV)").click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Numéro de facture"
    exported = {row[0]: row[11] for row in rows[1:]}
    assert exported == {
        numbers[0]: "Service fait",
        numbers[1]: "Service fait",
        numbers[2]: "Service fait",
        numbers[3]: "Mise à disposition",
    }
