"""The deposit pipeline end to end, tasks run inline: receive, split, validate, deposit, finish."""

import io
import zipfile

import pytest

from chorus.enums import ReceptionChannel
from invoices.enums import DepositChannel, FlowItemStatus, FlowStatus, FlowSyntax, InvoiceStatus
from invoices.formats import write_cii, write_ubl
from invoices.ingestion import pipeline
from invoices.ingestion.receive import flow_receive
from invoices.models import Flow, FlowItem, Invoice, ReceivedFile
from tests.chorus.factories import (
    MembershipFactory,
    ServiceFactory,
    StructureFactory,
    TechnicalAccountFactory,
)
from tests.invoices.factories import french_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    supplier = StructureFactory()
    service = ServiceFactory(code="SERV0001")
    user = MembershipFactory(structure=supplier).user
    return supplier, service, user


def _invoice_xml(world, number="FA-2025-00042", writer=write_ubl, **changes):
    supplier, service, _user = world
    document = french_invoice(
        number=number,
        seller_siret=supplier.identifier,
        buyer_siret=service.structure.identifier,
        service_code=service.code,
        engagement=None,
        **changes,
    )
    return writer(document)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def receive(world, django_capture_on_commit_callbacks):
    """Deposits as the supplier's user; the queued processing runs when the deposit commits."""
    supplier, _service, user = world

    def deposit(data, filename="facture.xml", syntax=""):
        with django_capture_on_commit_callbacks(execute=True):
            return flow_receive(
                data=data,
                filename=filename,
                channel=DepositChannel.PORTAIL,
                structure=supplier,
                user=user,
                syntax=syntax,
            )

    return deposit


def test_a_valid_invoice_is_integrated_and_made_available(world, receive):
    receipt = receive(_invoice_xml(world))
    flow = Flow.objects.get(pk=receipt.flow.pk)
    assert receipt.created
    assert flow.status == FlowStatus.INTEGRE
    assert flow.syntax == FlowSyntax.UBL
    assert flow.number.startswith("FLX")
    assert [h.target for h in flow.history.all()] == [
        FlowStatus.RECU,
        FlowStatus.EN_ATTENTE,
        FlowStatus.EN_COURS,
        FlowStatus.INTEGRE,
    ]
    invoice = Invoice.objects.get()
    assert invoice.status == InvoiceStatus.MISE_A_DISPOSITION
    assert (invoice.recipient, invoice.service) == (world[1].structure, world[1])
    assert [h.target for h in invoice.history.all()] == ["DEPOSEE", "MISE_A_DISPOSITION"]
    assert invoice.received_file == flow.received_file


def test_recipient_receiving_by_edi_goes_through_routing(world, receive, settings, tmp_path):
    settings.EDI_ROOT = tmp_path / "edi"
    structure = world[1].structure
    structure.reception_channel = ReceptionChannel.EDI
    structure.save()
    TechnicalAccountFactory(structure=structure)
    receive(_invoice_xml(world))
    invoice = Invoice.objects.get()
    # Delivered to its out/ (tests/invoices/test_edi_delivery.py), then available.
    assert [h.target for h in invoice.history.all()] == [
        "DEPOSEE",
        "EN_COURS_ACHEMINEMENT",
        "MISE_A_DISPOSITION",
    ]


def test_the_same_bytes_again_get_the_original_deposit(world, receive):
    data = _invoice_xml(world)
    first = receive(data)
    again = receive(data)
    assert not again.created
    assert again.flow.pk == first.flow.pk
    assert (Flow.objects.count(), Invoice.objects.count(), ReceivedFile.objects.count()) == (
        1,
        1,
        1,
    )


def test_a_batch_integrates_good_invoices_and_reports_bad_ones(world, receive):
    good = _invoice_xml(world, "FA-1")
    also_good = _invoice_xml(world, "FA-2", writer=write_cii)
    wrong_service = _invoice_xml(world, "FA-3").replace(b"SERV0001", b"INCONNU")
    receipt = receive(_zip({"a.xml": good, "b.xml": also_good, "c.xml": wrong_service}), "lot.zip")
    flow = Flow.objects.get(pk=receipt.flow.pk)
    assert flow.status == FlowStatus.INTEGRE_PARTIEL
    results = {item.name: item.status for item in flow.items.all()}
    assert results == {"a.xml": "INTEGREE", "b.xml": "INTEGREE", "c.xml": "REFUSEE"}
    refused = flow.items.get(name="c.xml")
    assert refused.invoice is None
    assert any(f["rule"].startswith("CPP") and "INCONNU" in f["message"] for f in refused.findings)
    assert Invoice.objects.count() == 2


def test_a_duplicate_inside_one_batch_is_refused(world, receive):
    first = _invoice_xml(world, "FA-9")
    same_number = _invoice_xml(world, "FA-9", writer=write_cii)
    flow = receive(_zip({"1.xml": first, "2.xml": same_number}), "lot.zip").flow
    flow.refresh_from_db()
    assert flow.status == FlowStatus.INTEGRE_PARTIEL
    second = flow.items.get(position=2)
    assert [f["rule"] for f in second.findings if f["severity"] == "fatal"] == ["CPP-011"]


def test_a_flow_declared_in_another_syntax_is_refused(world, receive):
    flow = receive(_invoice_xml(world), syntax=FlowSyntax.CII).flow
    flow.refresh_from_db()
    assert flow.status == FlowStatus.REJETE
    assert [f["rule"] for f in flow.items.get().findings] == ["CPP-SYNTAXE"]


@pytest.mark.parametrize(
    ("files", "status", "code"),
    [
        ({"../x.xml": b"<a/>"}, FlowStatus.REJETE, "ARCHIVE_CHEMIN"),
        ({f"{i}.xml": b"<a/>" for i in range(501)}, FlowStatus.REJETE, "FLUX_TROP_DE_FACTURES"),
    ],
)
def test_archive_refusals_reject_the_whole_flow(world, receive, files, status, code):
    flow = receive(_zip(files), "lot.zip").flow
    flow.refresh_from_db()
    assert flow.status == status
    assert [e["codeErreur"] for e in flow.errors] == [code]
    assert not flow.items.exists()
    assert not Invoice.objects.exists()


def test_an_unreadable_archive_is_incidented(world, receive):
    flow = receive(_zip({"a.xml": b"<a/>" * 500})[:-40], "lot.zip").flow
    flow.refresh_from_db()
    assert flow.status == FlowStatus.INCIDENTE


def test_running_every_step_again_changes_nothing(world, receive):
    flow = receive(
        _zip({"a.xml": _invoice_xml(world, "FA-1"), "b.xml": _invoice_xml(world, "FA-2")}),
        "l.zip",
    ).flow
    before = (Invoice.objects.count(), FlowItem.objects.count(), flow.history.count())
    assert pipeline.flow_split(flow.pk) == []
    for item in FlowItem.objects.all():
        assert pipeline.flow_item_process(item.pk) is None
    assert pipeline.flow_finish(flow.pk) is None
    assert (Invoice.objects.count(), FlowItem.objects.count(), flow.history.count()) == before


def test_an_interrupted_flow_resumes_where_it_stopped(
    world, settings, django_capture_on_commit_callbacks
):
    """A worker died after the split and one invoice: the sweep finishes the rest, once."""
    from chorus.celery import app

    data = _zip({f"{i}.xml": _invoice_xml(world, f"FA-{i}") for i in range(3)})
    app.conf.task_always_eager = False  # nothing runs: the "worker" is down
    with django_capture_on_commit_callbacks(execute=False):
        supplier, _service, user = world
        flow = flow_receive(
            data=data, filename="lot.zip", channel=DepositChannel.EDI, structure=supplier, user=user
        ).flow
    app.conf.task_always_eager = True
    pipeline.flow_split(flow.pk)
    first = flow.items.order_by("position").first()
    pipeline.flow_item_process(first.pk)
    settings.FLOW_STALL_SECONDS = 0
    from invoices.tasks import flows_resume_task

    assert flows_resume_task.delay().get() == 1
    flow.refresh_from_db()
    assert flow.status == FlowStatus.INTEGRE
    assert Invoice.objects.count() == 3
    assert sorted(flow.items.values_list("status", flat=True)) == [FlowItemStatus.INTEGREE] * 3
