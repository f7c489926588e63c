"""The pieces of `bench_ingest`: benchmark data, invoices, deposits through the real channels
(SFTP for EDI, HTTP for the API) and the figures read back from the database.

Benchmark data are named as such ("Banc d'essai ... (données de mesure)") and found again by
their fixed SIRETs, login and application name on every run: running the benchmark again adds
flows and invoices to the same supplier, never more structures or accounts. The technical
account's password, SSH key and the OAuth client secret are replaced on each run (only this
run knows them).
"""

import datetime
import http.client
import io
import json
import secrets
import statistics
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import asyncssh
import paramiko
from django.db import transaction
from oauth2_provider.models import Application

from chorus.enums import IdentifierType, PublicKind
from chorus.identifiers import sample_siret
from chorus.models import Service, Structure, TechnicalAccount
from invoices.enums import FlowItemStatus, FlowStatus, InvoiceStatus
from invoices.formats import write_cii, write_ubl
from invoices.models import Flow, FlowItem, FlowStatusChange, InvoiceStatusChange
from invoices.samples import DEFAULT_LINES, french_invoice
from invoices.validation import validate

SUPPLIER_SIRET = sample_siret(912_345)
RECIPIENT_SIRET = sample_siret(912_346)
SERVICE_CODES = ("BENCH-FIN", "BENCH-RH", "BENCH-TECH")
ACCOUNT_LOGIN = "BANC_ESSAI_BENCH_INGEST@chorus.invalid"
APPLICATION_NAME = "Banc d'essai bench_ingest (données de mesure)"
WRITERS = {"ubl": write_ubl, "cii": write_cii}


@dataclass
class BenchWorld:
    supplier: Structure
    recipient: Structure
    services: list[Service]
    account: TechnicalAccount
    password: str
    private_key: paramiko.PKey
    application: Application
    client_secret: str


@transaction.atomic
def bench_world() -> BenchWorld:
    """The benchmark's supplier, public recipient with services, technical account (SSH key)
    and OAuth client, created once and found again; fresh credentials on each run."""
    supplier, _ = Structure.objects.update_or_create(
        identifier_type=IdentifierType.SIRET,
        identifier=SUPPLIER_SIRET,
        defaults={
            "is_public": False,
            "legal_name": "Banc d'essai - Atelier Dupont SAS (données de mesure)",
            "address_line": "12 rue des Artisans",
            "postcode": "69002",
            "city": "Lyon",
            "active": True,
        },
    )
    recipient, _ = Structure.objects.update_or_create(
        identifier_type=IdentifierType.SIRET,
        identifier=RECIPIENT_SIRET,
        defaults={
            "is_public": True,
            "kind": PublicKind.COLLECTIVITE,
            "legal_name": "Banc d'essai - Commune de Villeneuve-sur-Lot (données de mesure)",
            "address_line": "Place de la Mairie",
            "postcode": "47300",
            "city": "Villeneuve-sur-Lot",
            "active": True,
        },
    )
    services = [
        Service.objects.update_or_create(
            structure=recipient,
            code=code,
            defaults={"name": f"Service {code} (banc d'essai)", "active": True},
        )[0]
        for code in SERVICE_CODES
    ]
    key = asyncssh.generate_private_key("ssh-ed25519")
    password = secrets.token_urlsafe(24)
    account = TechnicalAccount.objects.filter(login=ACCOUNT_LOGIN).first() or TechnicalAccount(
        login=ACCOUNT_LOGIN
    )
    account.structure, account.active = supplier, True
    account.ssh_public_keys = key.export_public_key("openssh").decode().strip()
    account.set_password(password)
    account.save()
    application, _ = Application.objects.get_or_create(
        name=APPLICATION_NAME,
        defaults={
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
        },
    )
    client_secret = secrets.token_urlsafe(32)
    application.client_secret = client_secret  # hashed when saved; this run keeps it
    application.save()
    private_key = paramiko.Ed25519Key.from_private_key(
        io.StringIO(key.export_private_key("openssh").decode())
    )
    return BenchWorld(
        supplier, recipient, services, account, password, private_key, application, client_secret
    )


def _line_sets(world: BenchWorld, writer, target_bytes: int) -> int:
    """How many times the four French VAT lines are repeated for an invoice of ~target_bytes."""
    for sets in range(1, 200):
        document = french_invoice(
            seller_siret=world.supplier.identifier, lines=DEFAULT_LINES * sets, engagement=None
        )
        if len(writer(document)) >= target_bytes:
            return sets
    return 200


def bench_documents(
    world: BenchWorld, *, count: int, prefix: str, syntaxes: list[str], target_bytes: int
) -> list[tuple[str, bytes]]:
    """`count` valid invoices (distinct numbers, services in turn, syntaxes in turn) written by
    the project's UBL and CII writers, each about `target_bytes` long: (file name, bytes)."""
    sets = {syntax: _line_sets(world, WRITERS[syntax], target_bytes) for syntax in syntaxes}
    documents = []
    for index in range(count):
        syntax = syntaxes[index % len(syntaxes)]
        service = world.services[index % len(world.services)]
        number = f"{prefix}-{index:05d}"
        document = french_invoice(
            number=number,
            issue_date=datetime.date(2025, 3, 14),
            seller_siret=world.supplier.identifier,
            buyer_siret=world.recipient.identifier,
            buyer_name="Commune de Villeneuve-sur-Lot",
            service_code=service.code,
            engagement=None,
            lines=DEFAULT_LINES * sets[syntax],
        )
        documents.append((f"{number}.{syntax}.xml", WRITERS[syntax](document)))
    return documents


def zip_of(documents: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in documents:
            archive.writestr(name, data)
    return buffer.getvalue()


def validation_rate(documents: list[tuple[str, bytes]], depositor: Structure) -> float:
    """Invoices per second of `validate` alone, in this process, called as the pipeline calls
    it; stylesheets compiled first, untimed. Raises if an invoice is not valid."""
    for name, data in documents[:2]:
        validate(data, filename=name, depositor=depositor)
    start = time.perf_counter()
    for name, data in documents:
        report = validate(data, filename=name, depositor=depositor)
        if not report.valid:
            fatal = next(f for f in report.findings if f.is_fatal)
            raise ValueError(f"{name} is not valid: {fatal.rule} {fatal.message}")
    return len(documents) / (time.perf_counter() - start)


def sftp_upload(*, port: int, world: BenchWorld, filename: str, data: bytes) -> None:
    """Uploads `data` into the partner's in/ with a real SFTP client, as a partner would."""
    transport = paramiko.Transport(("127.0.0.1", port))
    try:
        transport.connect(username=world.account.login, pkey=world.private_key)
        sftp = paramiko.SFTPClient.from_transport(transport)
        sftp.putfo(io.BytesIO(data), f"/in/{filename}", confirm=False)
        sftp.close()
    finally:
        transport.close()


@dataclass
class HttpAnswer:
    status_code: int
    content: bytes


class LoopbackHttp:
    """A minimal HTTP client on loopback with the `post` of django.test.Client that
    `invoices.api.latency.deposit_latency` calls; one connection per request, as a connector."""

    def __init__(self, port: int):
        self.port = port

    def post(self, path: str, data, content_type: str, headers=None) -> HttpAnswer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            body = data.encode() if isinstance(data, str) else data
            connection.request(
                "POST", path, body, {"Content-Type": content_type, **(headers or {})}
            )
            response = connection.getresponse()
            return HttpAnswer(response.status, response.read())
        finally:
            connection.close()

    def access_token(self, world: BenchWorld) -> str:
        answer = self.post(
            "/api/oauth/token",
            urlencode(
                {
                    "grant_type": "client_credentials",
                    "client_id": world.application.client_id,
                    "client_secret": world.client_secret,
                    "scope": "openid",
                }
            ),
            "application/x-www-form-urlencoded",
        )
        if answer.status_code != 200:
            raise RuntimeError(f"token refused ({answer.status_code}): {answer.content[:300]!r}")
        return json.loads(answer.content)["access_token"]


class MemorySampler:
    """Samples the resident memory of processes in a thread; keeps the peak of their sum."""

    def __init__(self, measure: Callable[[], int], interval: float = 0.2):
        self.measure, self.interval = measure, interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.measure())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.measure())


def flows_wait(flow_ids: list[int], timeout: float) -> None:
    """Until every flow is final (polling the database); raises TimeoutError saying where
    they stand."""
    deadline = time.monotonic() + timeout
    while Flow.objects.filter(pk__in=flow_ids).exclude(status__in=FlowStatus.final()).exists():
        if time.monotonic() > deadline:
            waiting = FlowItem.objects.filter(
                flow_id__in=flow_ids, status=FlowItemStatus.EN_ATTENTE
            ).count()
            raise TimeoutError(f"{waiting} invoices still waiting after {timeout:.0f} s")
        time.sleep(0.2)


@dataclass
class Figures:
    invoices: int
    integrated: int
    refused: int
    seconds: float  # from the first flow received to the last invoice made available
    latencies: list[float]  # per invoice: made available minus its flow's receipt, seconds
    first_refusal: str

    @property
    def rate(self) -> float:
        return self.integrated / self.seconds if self.seconds else 0.0

    def centile(self, n: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[n - 1]


def flows_figures(flow_ids: list[int]) -> Figures:
    """What the database says of the flows: received at (history RECU), each invoice made
    available at (history MISE_A_DISPOSITION)."""
    received = dict(
        FlowStatusChange.objects.filter(flow_id__in=flow_ids, target=FlowStatus.RECU).values_list(
            "flow_id", "at"
        )
    )
    items = FlowItem.objects.filter(flow_id__in=flow_ids)
    flow_of_invoice = dict(
        items.filter(status=FlowItemStatus.INTEGREE).values_list("invoice_id", "flow_id")
    )
    available = InvoiceStatusChange.objects.filter(
        invoice_id__in=flow_of_invoice, target=InvoiceStatus.MISE_A_DISPOSITION
    ).values_list("invoice_id", "at")
    latencies, last = [], None
    for invoice_id, at in available:
        latencies.append((at - received[flow_of_invoice[invoice_id]]).total_seconds())
        last = at if last is None else max(last, at)
    refused = items.filter(status=FlowItemStatus.REFUSEE)
    first = refused.first()
    return Figures(
        invoices=items.count(),
        integrated=len(latencies),
        refused=refused.count(),
        seconds=(last - min(received.values())).total_seconds() if last else 0.0,
        latencies=latencies,
        first_refusal=f"{first.name}: {first.findings[:1]}" if first else "",
    )


def edi_reports_wait(flow_id: int, uploaded_name: str, timeout: float) -> float:
    """Until the flow's JSON and PDF reports are in the partner's out/; returns how long after
    the flow's final state the last of them was written, in seconds."""
    from invoices.channels.edi.publish import report_base_name
    from invoices.channels.edi.server import OUTBOX, account_root

    flow = Flow.objects.get(pk=flow_id)
    base = account_root(flow.technical_account_id) / OUTBOX / report_base_name(flow, uploaded_name)
    reports = [base.with_name(base.name + suffix) for suffix in (".json", ".pdf")]
    deadline = time.monotonic() + timeout
    while not all(path.exists() for path in reports):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no report in out/ {timeout:.0f} s after the flow was final")
        time.sleep(0.1)
    written = max(path.stat().st_mtime for path in reports)
    return written - flow.status_at.timestamp()
