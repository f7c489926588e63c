"""Persistence: the invoice's searchable columns, its canonical JSON, the received file."""

import datetime
import hashlib
from decimal import Decimal

import pytest

from invoices import canonical as c
from invoices.formats import read, write_ubl
from invoices.models import Invoice, ReceivedFile
from invoices.services import invoice_create, received_file_store
from tests.chorus.factories import ServiceFactory, StructureFactory
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Received files go to a temporary folder, emptied with the test."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_store_keeps_the_received_bytes_unchanged_with_their_digest():
    supplier = StructureFactory()
    service = ServiceFactory()
    document = french_invoice(seller_siret=supplier.identifier, service_code=service.code)
    received = b"\xef\xbb\xbf" + write_ubl(document)  # a BOM, as some senders write

    invoice = invoice_create(
        document=document,
        received_file=received_file_store(data=received, filename="FA 2025/00042.xml"),
        syntax="ubl",
        profile="urn:cen.eu:en16931:2017",
        supplier=supplier,
        recipient=service.structure,
        service=service,
    )

    stored = invoice.received_file
    with stored.file.open("rb") as handle:
        assert handle.read() == received
    assert stored.sha256 == hashlib.sha256(received).hexdigest()
    assert (stored.size, stored.filename, stored.content_type) == (
        len(received),
        "FA 2025/00042.xml",
        "application/xml",
    )


def test_store_fills_the_searchable_columns_from_the_document():
    supplier = StructureFactory()
    service = ServiceFactory()
    invoice = stored_invoice(supplier=supplier, service=service)
    invoice.refresh_from_db()

    assert invoice.number == "FA-2025-00042"
    assert invoice.issue_date == datetime.date(2025, 3, 14)
    assert (invoice.type_code, invoice.currency, invoice.syntax) == ("380", "EUR", "ubl")
    assert invoice.seller_identifier == supplier.identifier
    assert invoice.buyer_identifier == service.structure.identifier
    assert (invoice.buyer_reference, invoice.order_reference) == (service.code, "EJ2025000123")
    assert (invoice.total_without_vat, invoice.total_with_vat, invoice.amount_due) == (
        Decimal("2424.50"),
        Decimal("2714.11"),
        Decimal("2714.11"),
    )
    assert (invoice.recipient, invoice.service) == (service.structure, service)


def test_canonical_document_survives_the_database(testdata_dir):
    data = (testdata_dir / "en16931/ubl/testfiles/Invoice-Max_content.xml").read_bytes()
    detected, document = read(data)
    invoice = invoice_create(
        document=document,
        received_file=received_file_store(data=data, filename="Invoice-Max_content.xml"),
        syntax=detected.syntax,
        profile=detected.profile,
        supplier=StructureFactory(),
    )
    reloaded = Invoice.objects.get(pk=invoice.pk)
    assert reloaded.canonical == document
    assert reloaded.recipient is None and reloaded.service is None


def test_duplicate_lookup_by_supplier_number_and_year():
    supplier = StructureFactory()
    first = stored_invoice(supplier=supplier)
    stored_invoice(
        supplier=supplier, document=french_invoice(issue_date=datetime.date(2024, 3, 14))
    )
    stored_invoice()  # same number, another supplier

    found = Invoice.objects.filter(supplier=supplier, number="FA-2025-00042", issue_date__year=2025)
    assert list(found) == [first]


def test_a_failed_store_leaves_neither_row_nor_file(media_root, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValueError("disk row refused")

    monkeypatch.setattr(ReceivedFile, "save", refuse)
    with pytest.raises(ValueError):
        received_file_store(data=b"<Invoice/>", filename="x.xml")
    assert [p for p in media_root.rglob("*") if p.is_file()] == []


def test_a_deposited_invoice_starts_its_history():
    invoice = stored_invoice()
    assert invoice.status == "DEPOSEE"
    assert [(h.source, h.target) for h in invoice.history.all()] == [("", "DEPOSEE")]


def test_siret_precedence():
    party = c.Party(
        identifiers=[c.Identifier("GLN123", "0088"), c.Identifier("11111111100011", "0009")],
        legal_registration_id=c.Identifier("22222222200022", "0002"),
    )
    assert party.siret == "11111111100011"
    party.identifiers = []
    assert party.siret == "22222222200022"  # a SIRET written under the SIREN scheme
    party.legal_registration_id = c.Identifier("222222222", "0002")
    assert party.siret is None  # a SIREN is not a SIRET
