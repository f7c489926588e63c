"""No poison message: whatever one invoice holds or does, it is refused with its reason and
its flow reaches its final state (tasks run inline)."""

import datetime
import io
import logging
import tarfile
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from invoices.enums import DepositChannel, FlowItemStatus, FlowStatus
from invoices.formats import write_cii, write_ubl
from invoices.formats.facturx import write_facturx
from invoices.ingestion import pipeline
from invoices.ingestion.receive import flow_receive
from invoices.models import Flow, FlowItem, Invoice
from tests.chorus.factories import MembershipFactory, ServiceFactory, StructureFactory
from tests.invoices.factories import french_invoice, with_active_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    supplier = StructureFactory()
    service = ServiceFactory(code="SERV0001")
    user = MembershipFactory(structure=supplier).user
    return supplier, service, user


def _invoice_xml(world, writer=write_ubl, **changes) -> bytes:
    supplier, service, _user = world
    return writer(
        french_invoice(
            seller_siret=supplier.identifier,
            buyer_siret=service.structure.identifier,
            service_code=service.code,
            engagement=None,
            **changes,
        )
    )


@pytest.fixture
def receive(world, django_capture_on_commit_callbacks):
    """Deposits as the supplier's user; the processing runs when the deposit commits."""
    supplier, _service, user = world

    def deposit(data, filename="facture.xml"):
        with django_capture_on_commit_callbacks(execute=True):
            return flow_receive(
                data=data,
                filename=filename,
                channel=DepositChannel.PORTAIL,
                structure=supplier,
                user=user,
            )

    return deposit


@pytest.fixture
def split(world, django_capture_on_commit_callbacks):
    """Deposits one invoice as the supplier's user through `channel` and splits the flow,
    leaving its one item for a worker: the flow and the item's id."""
    supplier, _service, user = world

    def deposit(channel):
        with django_capture_on_commit_callbacks(execute=False):
            flow = flow_receive(
                data=_invoice_xml(world),
                filename="f.xml",
                channel=channel,
                structure=supplier,
                user=user,
            ).flow
        (item_id,) = pipeline.flow_split(flow.pk)
        return flow, item_id

    return deposit


CII_ISSUE_DATE = b'<udt:DateTimeString format="102">20250314</udt:DateTimeString>'


def _cii_with_issue_date(world, value: bytes) -> bytes:
    data = _invoice_xml(world, writer=write_cii)
    assert data.count(CII_ISSUE_DATE) == 3  # the issue date comes first (then delivery, period)
    return data.replace(CII_ISSUE_DATE, CII_ISSUE_DATE.replace(b"20250314", value), 1)


def _only_item(flow) -> FlowItem:
    flow.refresh_from_db()
    (item,) = flow.items.all()
    return item


@pytest.mark.parametrize("value", [b"20260230", b"00000000", b"20260"])
def test_a_cii_date_that_is_no_date_refuses_the_invoice_naming_it(world, receive, value):
    receipt = receive(_cii_with_issue_date(world, value))
    item = _only_item(receipt.flow)
    assert receipt.flow.status == FlowStatus.REJETE
    assert item.status == FlowItemStatus.REFUSEE
    (finding,) = item.findings
    assert finding["rule"] == "READ-VALUE"
    assert finding["bt"] == "BT-2"
    assert finding["location"].endswith("ram:IssueDateTime/udt:DateTimeString")
    assert f"« {value.decode()} »" in finding["message"]
    assert "date d'émission" in finding["message"] and "AAAAMMJJ" in finding["message"]
    assert "YYYYMMDD" in finding["message_en"]


@pytest.mark.parametrize("value", [datetime.date(1, 1, 1), datetime.date(9999, 1, 1)])
def test_an_absurd_ubl_date_refuses_the_invoice_naming_it(world, receive, value):
    data = _invoice_xml(world, writer=write_ubl, issue_date=value)
    item = _only_item(receive(data).flow)
    assert item.status == FlowItemStatus.REFUSEE
    (finding,) = item.findings
    assert (finding["rule"], finding["bt"]) == ("READ-VALUE", "BT-2")
    assert value.isoformat() in finding["message"] and "n'est pas plausible" in finding["message"]
    assert "01/01/2000" in finding["message"]


@pytest.mark.parametrize("value", [b"2026-02-30", b"00000000", b"20260"])
def test_a_ubl_date_that_is_no_date_refuses_the_invoice_naming_it(world, receive, value):
    data = _invoice_xml(world, writer=write_ubl)
    data = data.replace(b"<cbc:IssueDate>2025-03-14<", b"<cbc:IssueDate>" + value + b"<", 1)

    item = _only_item(receive(data).flow)

    assert item.status == FlowItemStatus.REFUSEE
    (finding,) = item.findings
    assert (finding["rule"], finding["bt"], finding["location"]) == (
        "XSD",
        "BT-2",
        "/*/cbc:IssueDate",
    )
    assert f"« {value.decode()} » n'est pas une date réelle" in finding["message"]
    assert "AAAA-MM-JJ" in finding["message"]


def test_a_resend_of_a_refused_flow_gets_the_final_flow(world, receive):
    data = _cii_with_issue_date(world, b"20260230")
    first = receive(data)
    again = receive(data)
    assert (again.created, again.flow.pk) == (False, first.flow.pk)
    assert Flow.objects.get(pk=first.flow.pk).is_final


def test_an_unexpected_error_refuses_the_invoice_with_a_reference_in_the_logs(split, caplog):
    flow, item_id = split(DepositChannel.API)
    flow.received_file.file.delete(save=False)  # the stored file is lost: reading it fails
    with caplog.at_level(logging.ERROR, logger="invoices.ingestion.pipeline"):
        pipeline.flow_item_process(item_id)
    assert pipeline.flow_finish(flow.pk) == FlowStatus.REJETE
    item = FlowItem.objects.get(pk=item_id)
    (finding,) = item.findings
    assert finding["rule"] == "CPP-ERREUR-INTERNE"
    reference = finding["message"].split("référence ")[1].split(")")[0]
    assert len(reference) == 10
    (record,) = [r for r in caplog.records if reference in r.getMessage()]
    assert record.exc_info is not None  # the traceback is logged with the reference
    assert Invoice.objects.count() == 0


def test_a_message_that_keeps_failing_is_refused_after_its_tries(split, settings):
    flow, item_id = split(DepositChannel.EDI)
    # Three tries killed their worker before committing anything but their count.
    FlowItem.objects.filter(pk=item_id).update(attempts=settings.FLOW_ITEM_MAX_ATTEMPTS)
    pipeline.flow_item_process(item_id)
    item = FlowItem.objects.get(pk=item_id)
    assert (item.status, item.attempts) == (FlowItemStatus.REFUSEE, 4)
    assert "après 3 tentatives" in item.findings[0]["message"]
    assert pipeline.flow_finish(flow.pk) == FlowStatus.REJETE
    assert pipeline.flows_stalled() == []


def test_each_try_is_counted_and_a_duplicate_message_is_not(world, receive):
    item = _only_item(receive(_invoice_xml(world)).flow)
    assert (item.status, item.attempts) == (FlowItemStatus.INTEGREE, 1)
    assert pipeline.flow_item_process(item.pk) is None  # the same message, delivered again
    item.refresh_from_db()
    assert item.attempts == 1


def test_an_invoice_past_its_time_budget_is_refused(world, receive, settings):
    settings.INVOICE_TIME_BUDGET_SECONDS = 0
    receipt = receive(_invoice_xml(world))
    item = _only_item(receipt.flow)
    assert receipt.flow.status == FlowStatus.REJETE
    (finding,) = item.findings
    assert finding["rule"] == "CPP-DELAI"
    assert "(0 s)" in finding["message"] and "« reading »" in finding["message"]
    assert Invoice.objects.count() == 0


def test_invoices_waiting_past_the_flow_budget_are_refused(split, settings):
    flow, item_id = split(DepositChannel.EDI)
    late = timezone.now() - timedelta(seconds=settings.FLOW_TIME_BUDGET_SECONDS + 1)
    Flow.objects.filter(pk=flow.pk).update(status_at=late)
    pipeline.flow_item_process(item_id)
    assert pipeline.flow_finish(flow.pk) == FlowStatus.REJETE
    assert FlowItem.objects.get(pk=item_id).findings[0]["rule"] == "CPP-DELAI-FLUX"


def _zeros_zip(members: dict[str, int]) -> bytes:
    """A zip of members of zeros, streamed in: the test never holds a member in memory."""
    chunk = bytes(1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, mebibytes in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                for _ in range(mebibytes):
                    member.write(chunk)
    return buffer.getvalue()


def _bytes_under(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def test_a_zip_of_two_500_mib_members_writes_no_more_than_itself(world, receive, settings):
    data = _zeros_zip({"a.xml": 500, "b.xml": 500})
    assert len(data) < 1.1 * 1024 * 1024

    receipt = receive(data, "lot.zip")

    flow = Flow.objects.get(pk=receipt.flow.pk)
    assert flow.status == FlowStatus.REJETE
    findings = [item.findings[0] for item in flow.items.order_by("position")]
    assert [f["rule"] for f in findings] == ["READ-SIZE", "READ-SIZE"]
    assert (
        "« a.xml »" in findings[0]["message"] and "sans être décompressé" in findings[0]["message"]
    )
    # Only the deposit itself was written: no member, not even in part.
    assert _bytes_under(Path(settings.MEDIA_ROOT)) == len(data)


def test_an_archive_past_the_flow_limit_while_inflating_stores_nothing(world, receive, settings):
    settings.FLOW_MAX_BYTES = 5 * 1024 * 1024  # each member under the invoice limit, not all
    files = {"a.xml": _invoice_xml(world)} | {f"{i}.xml": bytes(2 * 1024 * 1024) for i in range(3)}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    data = buffer.getvalue()

    receipt = receive(data, "lot.tar.gz")

    flow = Flow.objects.get(pk=receipt.flow.pk)
    assert flow.status == FlowStatus.REJETE
    assert flow.errors[0]["codeErreur"] == "FLUX_TROP_VOLUMINEUX"
    assert "« 2.xml »" in flow.errors[0]["libelleErreur"]
    assert not flow.items.exists()
    # The members stored before the limit was reached are gone with the refusal.
    assert _bytes_under(Path(settings.MEDIA_ROOT)) == len(data)


def test_a_facturx_with_javascript_is_refused_and_never_integrated(world, receive):
    facturx = write_facturx(
        french_invoice(
            seller_siret=world[0].identifier,
            buyer_siret=world[1].structure.identifier,
            service_code=world[1].code,
            engagement=None,
        )
    )

    receipt = receive(with_active_content(facturx, "javascript"), "facture.pdf")

    item = _only_item(receipt.flow)
    assert receipt.flow.status == FlowStatus.REJETE
    assert [f["rule"] for f in item.findings] == ["READ-PDF-ACTIVE"]
    assert not Invoice.objects.exists()
