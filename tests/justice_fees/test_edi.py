"""E3 flows: a mémoire deposited as a UBL invoice (IN_DP_E3_UBL_INVOICE) through the deposit
pipeline, by the API and by the SFTP drop (no syntax declared: recognised by its BT-23)."""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from invoices.enums import DepositChannel, FlowItemStatus, FlowStatus, FlowSyntax
from invoices.formats import write_ubl
from invoices.ingestion import pipeline
from invoices.ingestion.receive import flow_receive
from invoices.models import Flow, Invoice, ReceivedFile
from justice_fees import edi, selectors
from justice_fees.enums import AttachmentKind, DecisionKind, LineKind, MemoireStatus
from justice_fees.models import Memoire
from justice_fees.samples import DECISION_PDF, e3_ubl_flow
from tests.api.invoices_support import CR_DETAILLE, deposit, invoice_xml
from tests.chorus.factories import ServiceFactory, TechnicalAccountFactory
from tests.justice_fees.factories import agent_of, court, draft, interpreter

pytestmark = pytest.mark.django_db
S = MemoireStatus


@pytest.fixture
def juridiction():
    structure, _service = court()
    return structure


@pytest.fixture
def provider():
    structure, _membership = interpreter()
    return structure


@pytest.fixture
def account(provider):
    return TechnicalAccountFactory(structure=provider)


@pytest.fixture
def receive(account, django_capture_on_commit_callbacks):
    """Deposits as the provider's technical account; the processing runs on commit."""

    def run(data, *, syntax=FlowSyntax.MEMOIRE_UBL, channel=DepositChannel.API, name="m.xml"):
        with django_capture_on_commit_callbacks(execute=True):
            receipt = flow_receive(
                data=data,
                filename=name,
                channel=channel,
                structure=account.structure,
                technical_account=account,
                syntax=syntax,
            )
        return Flow.objects.get(pk=receipt.flow.pk)

    return run


def flow_of(provider, juridiction, **kwargs):
    return e3_ubl_flow(
        provider_siret=provider.identifier, court_siret=juridiction.identifier, **kwargs
    )


def messages_of(flow) -> list[str]:
    return [finding["message"] for item in flow.items.all() for finding in item.findings]


def test_an_accepted_e3_flow_deposits_the_memoire_in_the_court_queue(
    provider, juridiction, receive
):
    lines = (
        ("INT-ORAL-H", "3", None, ""),
        ("DEPL-KM", "42", None, ""),
        ("AFFRANCHISSEMENT", "1", "2.32", ""),
        (None, "1", "15.00", "Stationnement au palais"),
    )
    flow = receive(flow_of(provider, juridiction, lines=lines, subject_to_vat=True))

    assert flow.status == FlowStatus.INTEGRE, messages_of(flow)
    item = flow.items.get()
    assert item.status == FlowItemStatus.INTEGREE
    assert item.invoice is None and not Invoice.objects.exists()
    memoire = item.memoire
    assert memoire.status == S.DEPOSE
    assert memoire.provider == provider and memoire.juridiction == juridiction
    assert memoire.service.code == "FRAIS-JUSTICE"
    assert memoire.number == "MJ-2026-001"
    assert memoire.decision_kind == DecisionKind.ORDONNANCE
    assert memoire.procedure_number == "PARQUET 26/01234"
    assert memoire.requester == "Mme la juge d'instruction Leroy"
    assert memoire.channel == DepositChannel.API
    assert memoire.technical_account == flow.technical_account
    assert [(line.tariff and line.tariff.code, line.kind) for line in memoire.lines.all()] == [
        ("INT-ORAL-H", LineKind.PRESTATION),
        ("DEPL-KM", LineKind.FRAIS),
        ("AFFRANCHISSEMENT", LineKind.DEBOURS),
        (None, LineKind.FRAIS),
    ]
    assert str(memoire.claimed_total) == "191.68"
    decision = memoire.attachments.get()
    assert decision.kind == AttachmentKind.DECISION
    assert decision.upload.received_file.read_bytes() == DECISION_PDF
    agent = agent_of(juridiction)
    assert list(selectors.court_queue(selectors.memoires_for_court(agent))) == [memoire]


def test_an_sftp_upload_without_syntax_is_recognised_by_its_cadre(provider, juridiction, receive):
    flow = receive(flow_of(provider, juridiction), syntax="", channel=DepositChannel.EDI)

    assert flow.status == FlowStatus.INTEGRE, messages_of(flow)
    assert flow.syntax == FlowSyntax.MEMOIRE_UBL
    memoire = flow.items.get().memoire
    assert memoire.status == S.DEPOSE
    assert memoire.channel == DepositChannel.EDI
    assert memoire.vat_regime == "FRANCHISE"


@pytest.mark.parametrize(
    ("case", "rule", "expected"),
    [
        ("unknown provider", "MEM-PRESTATAIRE", "n'est celui d'aucun prestataire de justice"),
        ("not a juridiction", "MEM-JURIDICTION", "n'est pas une juridiction"),
        ("missing decision", "MEM-DECISION", "La décision de désignation"),
        ("forclusion", "MEM-FIN-MISSION", "article 800 du code de procédure pénale"),
        ("bad decision ref", "MEM-DECISION-REF", "ne désigne pas la décision"),
    ],
)
def test_refusals_are_item_findings_with_their_message(
    provider, juridiction, receive, case, rule, expected
):
    kwargs = {}
    if case == "unknown provider":
        kwargs["provider_siret"] = "73282932000074"
    elif case == "not a juridiction":
        kwargs["court_siret"] = ServiceFactory().structure.identifier
    elif case == "missing decision":
        kwargs["with_decision"] = False
    elif case == "forclusion":
        kwargs["mission_end"] = timezone.localdate() - datetime.timedelta(days=400)
    data = e3_ubl_flow(
        **{"provider_siret": provider.identifier, "court_siret": juridiction.identifier, **kwargs}
    )
    if case == "bad decision ref":
        data = data.replace(b"ORDONNANCE:", b"ORDO ")

    flow = receive(data)

    assert flow.status == FlowStatus.REJETE
    item = flow.items.get()
    assert item.status == FlowItemStatus.REFUSEE
    assert rule in [finding["rule"] for finding in item.findings]
    assert any(expected in message for message in messages_of(flow)), messages_of(flow)
    assert all(finding["message_en"] for finding in item.findings)
    assert not Memoire.objects.exists()


def test_the_english_message_of_a_rule_refusal(provider, juridiction, receive):
    end = timezone.localdate() - datetime.timedelta(days=400)

    flow = receive(flow_of(provider, juridiction, mission_end=end))

    finding = next(f for f in flow.items.get().findings if f["rule"] == "MEM-FIN-MISSION")
    assert "forclos" in finding["message"]
    assert "forclos" not in finding["message_en"] and finding["message_en"]


def test_a_duplicate_number_is_refused(provider, juridiction, receive):
    draft(provider=provider, juridiction=juridiction, number="MJ-2026-001")

    flow = receive(flow_of(provider, juridiction))

    assert flow.status == FlowStatus.REJETE
    assert any("déjà un mémoire numéro MJ-2026-001" in m for m in messages_of(flow))
    assert Memoire.objects.count() == 1


def test_a_number_deposited_twice_at_once_is_refused_as_the_rule_says(
    provider, juridiction, receive
):
    draft(provider=provider, juridiction=juridiction, number="MJ-2026-001")

    # The other deposit got in after the rule looked: the database's constraint refuses.
    with mock.patch.object(edi.rules, "duplicate_number_error", return_value=None):
        flow = receive(flow_of(provider, juridiction))

    [finding] = flow.items.get().findings
    assert finding["rule"] == "MEM-NUMERO"
    assert "déjà un mémoire numéro MJ-2026-001" in finding["message"]
    assert "MJ-2026-001-bis" in finding["message"]
    assert "You already have a claim numbered MJ-2026-001" in finding["message_en"]
    assert Memoire.objects.count() == 1


def test_an_invoice_deposited_as_e3_to_a_non_court_recipient_is_refused(provider, receive):
    service = ServiceFactory(code="SERV0001")

    flow = receive(invoice_xml(provider, service, writer=write_ubl))

    assert flow.status == FlowStatus.REJETE
    messages = messages_of(flow)
    assert any("n'est pas une juridiction" in m for m in messages), messages
    assert not Invoice.objects.exists() and not Memoire.objects.exists()


def test_a_cii_file_declared_e3_is_refused_for_its_syntax(provider, juridiction, receive):
    service = ServiceFactory(code="SERV0001")

    flow = receive(invoice_xml(provider, service))

    assert flow.status == FlowStatus.REJETE
    assert "CPP-SYNTAXE" in [f["rule"] for f in flow.items.get().findings]


def test_a_crash_then_retry_neither_duplicates_nor_loses_the_memoire(
    provider, juridiction, account
):
    receipt = flow_receive(
        data=flow_of(provider, juridiction),
        filename="m.xml",
        channel=DepositChannel.API,
        structure=provider,
        technical_account=account,
        syntax=FlowSyntax.MEMOIRE_UBL,
    )
    [item_id] = pipeline.flow_split(receipt.flow.pk)
    # The database goes away as the mémoire is deposited: everything of the try is undone.
    with (
        mock.patch.object(edi, "_uploads", side_effect=OperationalError("gone")),
        pytest.raises(OperationalError),
    ):
        pipeline.flow_item_process(item_id)
    assert not Memoire.objects.exists()
    assert pipeline.flow_item_waiting(item_id)

    pipeline.flow_item_process(item_id)  # the task again
    pipeline.flow_item_process(item_id)  # and a duplicate message
    pipeline.flow_process_inline(receipt.flow.pk)  # and the sweep

    memoire = Memoire.objects.get()
    assert memoire.flow_item_id == item_id and memoire.status == S.DEPOSE
    assert Flow.objects.get(pk=receipt.flow.pk).status == FlowStatus.INTEGRE


def test_the_api_deposit_with_the_e3_syntax(
    provider, juridiction, client, access_token, account, django_capture_on_commit_callbacks
):
    from tests.api.conftest import CproClient, cpro_account

    cpro = CproClient(client, access_token, cpro_account(account.login))
    with django_capture_on_commit_callbacks(execute=True):
        response = deposit(
            cpro,
            flow_of(provider, juridiction),
            filename="MJ-2026-001.xml",
            syntax="IN_DP_E3_UBL_INVOICE",
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["syntaxeFlux"] == "IN_DP_E3_UBL_INVOICE"

    report = cpro.post(
        CR_DETAILLE,
        {"numeroFluxDepot": body["numeroFluxDepot"], "syntaxeFlux": body["syntaxeFlux"]},
    ).json()
    assert report["etatCourantDepotFlux"] == "IN_INTEGRE", report
    memoire = Memoire.objects.get(flow_item__flow__number=body["numeroFluxDepot"])
    assert memoire.status == S.DEPOSE


def test_the_api_reports_an_e3_refusal(
    provider, client, access_token, account, django_capture_on_commit_callbacks
):
    from tests.api.conftest import CproClient, cpro_account

    cpro = CproClient(client, access_token, cpro_account(account.login))
    other = ServiceFactory().structure
    with django_capture_on_commit_callbacks(execute=True):
        body = deposit(
            cpro,
            e3_ubl_flow(provider_siret=provider.identifier, court_siret=other.identifier),
            syntax="IN_DP_E3_UBL_INVOICE",
        ).json()

    report = cpro.post(
        CR_DETAILLE,
        {"numeroFluxDepot": body["numeroFluxDepot"], "syntaxeFlux": body["syntaxeFlux"]},
    ).json()
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    assert any("n'est pas une juridiction" in e["libelleErreurDP"] for e in report["listeErreurDP"])


def test_the_flow_report_and_page_name_the_memoire(provider, juridiction, receive, client):
    from django.urls import reverse

    from invoices.ingestion.report import flow_report
    from tests.justice_fees.test_pages import as_member

    flow = receive(flow_of(provider, juridiction))
    memoire = Memoire.objects.get()

    [entry] = flow_report(flow)["factures"]
    assert entry["numeroFacture"] == "MJ-2026-001"
    assert entry["identifiantMemoireCPP"] == memoire.pk
    assert entry["statutMemoire"] == S.DEPOSE
    html = (
        as_member(client, provider.memberships.first())
        .get(reverse("invoices:flow_detail", args=[flow.pk]))
        .content.decode()
    )
    assert reverse("justice_fees:memoire_detail", args=[memoire.pk]) in html
    assert "Voir le mémoire MJ-2026-001" in html
    detail = client.get(reverse("justice_fees:memoire_detail", args=[memoire.pk])).content.decode()
    assert "Déposé par le flux (E3)" in detail and flow.number in detail


def test_an_e3_flow_uploaded_over_sftp_gets_its_memoire_and_its_report(sftp, edi_root):
    from justice_fees.models import ProviderProfile, Tariff
    from justice_fees.seed import tariffs_seed
    from tests.invoices.test_edi_channel import Partner

    tariffs_seed(Tariff)  # a transactional test: the seeded table may have been flushed
    partner = Partner(sftp)
    structure = partner.account.structure
    ProviderProfile.objects.create(structure=structure, kind="TRADUCTEUR")
    juridiction, _service = court()
    data = e3_ubl_flow(
        provider_siret=structure.identifier,
        court_siret=juridiction.identifier,
        lines=(("TRAD-PAGE", "12", None, ""),),
    )

    flow = partner.upload("memoire-MJ-2026-001.xml", data)

    assert flow.channel == DepositChannel.EDI
    assert flow.status == FlowStatus.INTEGRE
    assert flow.syntax == FlowSyntax.MEMOIRE_UBL
    memoire = Memoire.objects.get(provider=structure)
    assert memoire.status == S.DEPOSE and memoire.channel == DepositChannel.EDI
    assert str(memoire.claimed_total) == "300.00"
    report, text = partner.report(flow, "memoire-MJ-2026-001.xml")
    assert report["syntaxeFlux"] == "IN_DP_E3_UBL_INVOICE"
    assert report["factures"][0]["numeroFacture"] == "MJ-2026-001"
    assert report["factures"][0]["identifiantMemoireCPP"] == memoire.pk
    assert "MJ-2026-001" in text


def _rewritten(document) -> bytes:
    """The document written again once its lines were changed, its totals recomputed."""
    from invoices.totals import invoice_amounts, line_net_amount
    from justice_fees.samples import FRANCHISE

    for line in document.lines:
        line.net_amount = line_net_amount(quantity=line.quantity, price=line.price)
    amounts = invoice_amounts(document.lines, exemption=FRANCHISE)
    document.totals, document.vat_breakdown = amounts.totals, amounts.vat_breakdown
    return write_ubl(document)


def test_a_price_other_than_the_tariff_is_refused(provider, juridiction, receive):
    from decimal import Decimal

    from justice_fees.samples import e3_memoire

    document = e3_memoire(provider_siret=provider.identifier, court_siret=juridiction.identifier)
    document.lines[0].price.net_price = Decimal("50.00")

    flow = receive(_rewritten(document))

    [finding] = flow.items.get().findings
    assert finding["rule"] == "MEM-TARIF" and finding["bt"] == "BT-146"
    assert "diffère du tarif du référentiel (42.00 €)" in finding["message"]
    assert not Memoire.objects.exists()


def test_a_total_the_platform_does_not_find_is_refused(provider, juridiction, receive):
    from decimal import Decimal

    from justice_fees.samples import e3_memoire

    document = e3_memoire(
        provider_siret=provider.identifier,
        court_siret=juridiction.identifier,
        lines=(("INT-ORAL-H", "3", None, ""), ("AFFRANCHISSEMENT", "1", "4.35", "")),
        subject_to_vat=True,
    )
    # Disbursements are VAT-exempt: the file taxes one anyway.
    document.lines[1].vat_category_code, document.lines[1].vat_rate = "S", Decimal("20")

    flow = receive(_rewritten(document))

    [finding] = flow.items.get().findings
    assert finding["rule"] == "MEM-TOTAL"
    assert "(BT-112, 156.42 €)" in finding["message"] and "155.55 €" in finding["message"]
    assert not Memoire.objects.exists()


def test_a_refused_memoire_keeps_none_of_its_attachments_files(
    provider, juridiction, receive, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from decimal import Decimal

    from justice_fees.samples import e3_memoire

    document = e3_memoire(
        provider_siret=provider.identifier,
        court_siret=juridiction.identifier,
        lines=(("INT-ORAL-H", "3", None, ""), ("AFFRANCHISSEMENT", "1", "4.35", "")),
        subject_to_vat=True,
    )
    document.lines[1].vat_category_code, document.lines[1].vat_rate = "S", Decimal("20")

    flow = receive(_rewritten(document))

    assert flow.items.get().findings[0]["rule"] == "MEM-TOTAL"
    # Only the flow as received is kept, not the decision it embedded.
    kept = {path for path in tmp_path.rglob("*") if path.is_file()}
    assert kept == {Path(received.file.path) for received in ReceivedFile.objects.all()}


def test_another_providers_memoire_and_an_unknown_service_are_refused(
    provider, juridiction, receive
):
    other, _membership = interpreter(legal_name="Jean Martin (EI)")

    flow = receive(flow_of(other, juridiction))
    [finding] = flow.items.get().findings
    assert finding["rule"] == "MEM-PRESTATAIRE"
    assert "n'est pas la structure qui dépose le flux" in finding["message"]

    flow = receive(flow_of(provider, juridiction, service_code="GREFFE-CIVIL"))
    [finding] = flow.items.get().findings
    assert finding["rule"] == "MEM-SERVICE"
    assert "n'a pas de service de code « GREFFE-CIVIL »" in finding["message"]
    assert not Memoire.objects.exists()


def test_a_provider_uploads_an_e3_file_on_the_portal(
    provider, juridiction, client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.invoices.test_portal_flows import UPLOAD
    from tests.justice_fees.test_pages import as_member

    member = provider.memberships.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_member(client, member).post(
            UPLOAD, {"file": SimpleUploadedFile("memoire.xml", flow_of(provider, juridiction))}
        )
    assert response.status_code == 302, response.content.decode()[:2000]

    memoire = Memoire.objects.get()
    assert memoire.status == S.DEPOSE and memoire.channel == DepositChannel.PORTAIL
    assert memoire.created_by == member.user
    assert memoire.flow_item.flow.syntax == FlowSyntax.MEMOIRE_UBL


def test_an_undeclared_archive_mixing_a_memoire_and_an_invoice(provider, juridiction, receive):
    import io
    import zipfile

    service = ServiceFactory(code="SERV0001")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("1-memoire.xml", flow_of(provider, juridiction))
        archive.writestr("2-facture.xml", invoice_xml(provider, service, writer=write_ubl))

    flow = receive(buffer.getvalue(), syntax="", channel=DepositChannel.EDI, name="lot.zip")

    assert flow.status == FlowStatus.INTEGRE, messages_of(flow)
    memoire_item, invoice_item = flow.items.order_by("position")
    assert memoire_item.memoire.status == S.DEPOSE and memoire_item.invoice is None
    assert invoice_item.invoice.recipient == service.structure
