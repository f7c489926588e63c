"""Invoices for tests: the project's sample invoices (`invoices.samples`, re-exported here)
and `stored_invoice(...)`, one persisted through the service."""

from invoices.formats import write_cii, write_ubl
from invoices.samples import (  # noqa: F401 - re-exported for the tests
    BIC,
    DEFAULT_LINES,
    EXEMPTION_CODE,
    EXEMPTION_REASON,
    IBAN,
    PAYMENT_TERMS,
    french_invoice,
    french_vat_number,
)
from invoices.services import invoice_create, received_file_store
from tests.chorus.factories import PublicStructureFactory, StructureFactory

DEMO_SME = "81234567600025"
DEMO_COMMUNE = "21370184000018"


def stored_invoice(*, supplier=None, recipient=None, service=None, document=None, syntax="ubl"):
    """An invoice persisted through `invoice_create`, its received file written in `syntax`."""
    supplier = supplier or StructureFactory()
    recipient = recipient or (service.structure if service else PublicStructureFactory())
    document = document or french_invoice(
        seller_siret=supplier.identifier,
        buyer_siret=recipient.identifier,
        service_code=service.code if service else None,
    )
    received = write_ubl(document) if syntax == "ubl" else write_cii(document)
    return invoice_create(
        document=document,
        received_file=received_file_store(data=received, filename=f"{document.number}.xml"),
        syntax=syntax,
        profile=document.specification_id,
        supplier=supplier,
        recipient=recipient,
        service=service,
    )


def demo_invoice_xml(number: str = "FA-2026-0001") -> bytes:
    """A CII invoice of the demo world's SME (Menuiserie Durand) to the commune's finance
    department (`seed_demo`)."""
    document = french_invoice(
        number=number,
        seller_siret=DEMO_SME,
        seller_name="Menuiserie Durand SAS",
        buyer_siret=DEMO_COMMUNE,
        buyer_name="Commune de Montrésor-sur-Indre",
        service_code="FINANCES",
        engagement=None,
    )
    return write_cii(document)


def with_active_content(pdf: bytes, kind: str) -> bytes:
    """The PDF with active content added: "javascript" (a document script run on opening),
    "launch" (an action starting a program) or "executable" (an embedded program)."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.actions import JavaScript
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    if kind == "javascript":
        writer.add_open_action(JavaScript("app.alert('Facture');"))
    elif kind == "launch":
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("a.exe")}
        )
    else:
        writer.add_attachment("outil.exe", b"MZ\x90\x00" + bytes(60))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
