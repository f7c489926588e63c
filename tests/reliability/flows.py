"""A batch flow of valid invoices, deposited as a supplier, and the checks that it went through
exactly once: shared by the real-worker tests and the in-process redelivery tests."""

import io
import zipfile

from invoices.enums import DepositChannel, FlowItemStatus, FlowStatus, InvoiceStatus
from invoices.formats import write_cii, write_ubl
from invoices.ingestion.receive import flow_receive
from invoices.models import Flow, FlowItem, Invoice, InvoiceStatusChange
from tests.chorus.factories import MembershipFactory, ServiceFactory, StructureFactory
from tests.invoices.factories import french_invoice


def batch(supplier, service, count: int) -> bytes:
    """A zip of `count` valid invoices with distinct numbers, UBL and CII alternately."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(count):
            document = french_invoice(
                number=f"FA-2025-{index:05d}",
                seller_siret=supplier.identifier,
                buyer_siret=service.structure.identifier,
                service_code=service.code,
                engagement=None,
            )
            writer, extension = (write_ubl, "ubl") if index % 2 else (write_cii, "cii")
            archive.writestr(f"facture-{index:05d}.{extension}.xml", writer(document))
    return buffer.getvalue()


def deposit(count: int) -> Flow:
    """A supplier deposits a batch of `count` invoices to a public recipient's service by EDI."""
    supplier = StructureFactory()
    service = ServiceFactory()
    user = MembershipFactory(structure=supplier).user
    return flow_receive(
        data=batch(supplier, service, count),
        filename="lot.zip",
        channel=DepositChannel.EDI,
        structure=supplier,
        user=user,
    ).flow


def progress(flow: Flow) -> str:
    statuses = dict.fromkeys(FlowItemStatus.values, 0)
    for status in flow.items.values_list("status", flat=True):
        statuses[status] += 1
    flow.refresh_from_db()
    return f"flow {flow.number} {flow.status}, items {statuses}"


def assert_integrated_once(flow: Flow, count: int) -> None:
    """Every invoice of the flow integrated and made available once; the flow final once."""
    flow.refresh_from_db()
    assert flow.status == FlowStatus.INTEGRE, progress(flow)
    items = list(flow.items.select_related("invoice"))
    assert len(items) == count
    assert all(item.status == FlowItemStatus.INTEGREE and item.invoice for item in items)
    assert not FlowItem.objects.filter(status=FlowItemStatus.EN_ATTENTE).exists()
    invoices = Invoice.objects.filter(supplier=flow.structure)
    assert invoices.count() == count
    assert len({item.invoice_id for item in items}) == count
    assert len(set(invoices.values_list("number", flat=True))) == count
    assert set(invoices.values_list("status", flat=True)) == {InvoiceStatus.MISE_A_DISPOSITION}
    histories: dict[int, list[str]] = {}
    for change in InvoiceStatusChange.objects.filter(invoice__in=invoices).order_by("at", "pk"):
        histories.setdefault(change.invoice_id, []).append(change.target)
    assert len(histories) == count
    assert set(map(tuple, histories.values())) == {("DEPOSEE", "MISE_A_DISPOSITION")}
    targets = list(flow.history.order_by("at", "pk").values_list("target", flat=True))
    assert targets == [
        FlowStatus.RECU,
        FlowStatus.EN_ATTENTE,
        FlowStatus.EN_COURS,
        FlowStatus.INTEGRE,
    ]
    # The flow became final only once its last invoice was done, not before.
    last_item = max(item.processed_at for item in items)
    assert flow.history.get(target=FlowStatus.INTEGRE).at >= last_item
