"""The EDI channel end to end: partners upload over SFTP (paramiko, and OpenSSH's sftp in
batch mode), flows go through the pipeline (Celery eager: inside the server's upload thread),
and the JSON and PDF reports appear in the partner's out/."""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import asyncssh
import paramiko
import pytest
from django.conf import settings as django_settings
from pypdf import PdfReader

from invoices.channels.edi.receive import on_upload
from invoices.enums import DepositChannel, FlowStatus
from invoices.formats import write_ubl
from invoices.models import Flow
from tests.chorus.factories import ServiceFactory, TechnicalAccountFactory
from tests.invoices.factories import french_invoice
from tests.invoices.test_edi_server import RunningServer, _connect, _free_port


@pytest.fixture
def edi_root(settings, tmp_path) -> Path:
    settings.EDI_ROOT = tmp_path / "edi"
    settings.EDI_HOST_KEY_PATH = tmp_path / "host_key"
    return settings.EDI_ROOT


@pytest.fixture
def sftp(edi_root, transactional_db):
    running = RunningServer(on_upload)
    running.start()
    yield running
    running.stop()


class Partner:
    """A partner's technical account with its SSH key, driving a real SFTP client."""

    def __init__(self, server: RunningServer):
        self.server = server
        key = asyncssh.generate_private_key("ssh-ed25519")
        self.private_key = key.export_private_key("openssh").decode()
        self.pkey = paramiko.Ed25519Key.from_private_key(io.StringIO(self.private_key))
        line = key.export_public_key("openssh").decode().strip()
        self.account = TechnicalAccountFactory(ssh_public_keys=line)

    @contextmanager
    def session(self):
        transport, client = _connect(self.server.port, self.account.login, self.pkey)
        try:
            yield client
        finally:
            transport.close()

    def upload(self, name: str, data: bytes) -> Flow:
        """Uploads a file into in/ and returns the flow it became, once handled."""
        handled = len(self.server.uploads)
        with self.session() as client, client.open(f"/in/{name}", "wb") as remote:
            remote.write(data)
        self.server.wait_for_uploads(handled + 1)
        return Flow.objects.filter(technical_account=self.account).order_by("-pk").first()

    def reports(self) -> list[str]:
        with self.session() as client:
            return sorted(client.listdir("/out"))

    def download(self, name: str) -> bytes:
        with self.session() as client, client.open(f"/out/{name}", "rb") as remote:
            return remote.read()

    def report(self, flow: Flow, uploaded_name: str) -> tuple[dict, str]:
        """The JSON report (parsed) and the PDF report's text, as the partner downloads them."""
        data = json.loads(self.download(f"{flow.number}_{uploaded_name}.json").decode("utf-8"))
        pdf = PdfReader(io.BytesIO(self.download(f"{flow.number}_{uploaded_name}.pdf")))
        text = "".join(" ".join(page.extract_text() for page in pdf.pages).split())
        return data, text


@pytest.fixture
def partner(sftp):
    return Partner(sftp)


@pytest.fixture
def invoice_xml(partner):
    service = ServiceFactory(code="SERV0001")

    def build(number: str = "FA-2025-00042", service_code: str = "SERV0001") -> bytes:
        return write_ubl(
            french_invoice(
                number=number,
                seller_siret=partner.account.structure.identifier,
                buyer_siret=service.structure.identifier,
                service_code=service_code,
                engagement=None,
            )
        )

    return build


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _nothing_left_staged(edi_root: Path) -> bool:
    staging = edi_root / ".staging"
    return not staging.exists() or not any(staging.iterdir())


def test_a_valid_invoice_is_integrated_and_its_reports_can_be_downloaded(
    partner, invoice_xml, edi_root
):
    flow = partner.upload("facture.xml", invoice_xml())
    assert flow.status == FlowStatus.INTEGRE
    assert (flow.channel, flow.structure) == (DepositChannel.EDI, partner.account.structure)
    assert flow.syntax == "IN_DP_E1_UBL_INVOICE"
    assert partner.reports() == [
        f"{flow.number}_facture.xml.json",
        f"{flow.number}_facture.xml.pdf",
    ]
    report, text = partner.report(flow, "facture.xml")
    assert report["numeroFluxDepot"] == flow.number
    assert report["etatCourantDepotFlux"] == "IN_INTEGRE"
    assert report["modeDepot"] == "EDI"
    assert report["factures"][0]["numeroFacture"] == "FA-2025-00042"
    assert _squeezed("État du flux Intégré (IN_INTEGRE)") in text
    assert _squeezed("Canal de dépôt EDI") in text
    assert _nothing_left_staged(edi_root)


def test_a_refused_invoice_report_names_the_finding(partner, invoice_xml):
    flow = partner.upload("facture.xml", invoice_xml(service_code="INCONNU"))
    assert flow.status == FlowStatus.REJETE
    report, text = partner.report(flow, "facture.xml")
    (entry,) = report["factures"]
    assert entry["resultat"] == "REFUSEE"
    (finding,) = [c for c in entry["constats"] if c["regle"] == "CPP-005"]
    assert "INCONNU" in finding["phrase"]
    assert finding["emplacement"] == finding["explication"]["technical"]["xpath"]
    for part in ("term", "what", "found", "fix"):
        assert _squeezed(finding["explication"][part]) in text


def test_a_batch_with_a_good_and_a_bad_invoice_is_partly_integrated(partner, invoice_xml):
    batch = _zip({"bonne.xml": invoice_xml("FA-1"), "mauvaise.xml": invoice_xml("FA-2", "XX")})
    flow = partner.upload("lot.zip", batch)
    assert flow.status == FlowStatus.INTEGRE_PARTIEL
    report, text = partner.report(flow, "lot.zip")
    assert (report["nombreFacturesIntegrees"], report["nombreFacturesRefusees"]) == (1, 1)
    assert {f["fichier"]: f["resultat"] for f in report["factures"]} == {
        "bonne.xml": "INTEGREE",
        "mauvaise.xml": "REFUSEE",
    }
    assert _squeezed("Facture 2 – mauvaise.xml : refusée") in text


def test_an_interrupted_transfer_gets_a_report_saying_so(partner, sftp, edi_root):
    transport, client = _connect(sftp.port, partner.account.login, partner.pkey)
    remote = client.open("/in/lot.zip", "wb")
    remote.write(b"PK" + b"x" * 50_000)
    remote.flush()
    transport.sock.close()  # the network goes away mid-transfer
    sftp.wait_for_uploads(1)
    flow = Flow.objects.get()
    assert flow.status == FlowStatus.INCIDENTE
    assert [h.target for h in flow.history.all()] == [FlowStatus.RECU, FlowStatus.INCIDENTE]
    report, text = partner.report(flow, "lot.zip")
    (error,) = report["erreursFlux"]
    assert error["codeErreur"] == "FLUX_INCOMPLET"
    assert "interrompu" in error["libelleErreur"]
    assert _squeezed(error["libelleErreur"]) in text
    with flow.received_file.file.open("rb") as stored:  # what arrived is kept as received
        assert stored.read() == b"PK" + b"x" * 50_000
    assert _nothing_left_staged(edi_root)


def test_a_file_over_the_limit_gets_a_report(partner, settings):
    settings.FLOW_MAX_BYTES = 10_000
    with (
        pytest.raises(OSError),
        partner.session() as client,
        client.open("/in/enorme.xml", "wb") as remote,
    ):
        remote.write(b"x" * 50_000)
    partner.server.wait_for_uploads(1)
    flow = Flow.objects.get()
    assert flow.status == FlowStatus.REJETE
    assert flow.received_file.size <= 10_000  # nothing beyond the limit was kept
    report, text = partner.report(flow, "enorme.xml")
    (error,) = report["erreursFlux"]
    assert error["codeErreur"] == "FLUX_TROP_VOLUMINEUX"
    assert "taille maximale" in error["libelleErreur"]
    assert _squeezed(error["libelleErreur"]) in text


def test_an_unaccepted_name_gets_a_report(partner, invoice_xml):
    flow = partner.upload("facture.docx", invoice_xml())
    assert flow.status == FlowStatus.REJETE
    assert not flow.items.exists()
    report, text = partner.report(flow, "facture.docx")
    (error,) = report["erreursFlux"]
    assert error["codeErreur"] == "FLUX_NOM_INCONNU"
    assert ".xml" in error["libelleErreur"]
    assert _squeezed(error["libelleErreur"]) in text


def test_content_matching_no_syntax_gets_a_report(partner):
    flow = partner.upload("facture.xml", b"%%% ceci n'est pas une facture %%%")
    assert flow.status == FlowStatus.REJETE
    report, _text = partner.report(flow, "facture.xml")
    (entry,) = report["factures"]
    assert entry["resultat"] == "REFUSEE"
    assert entry["constats"] and all(c["phrase"] for c in entry["constats"])


def test_a_resent_file_gets_the_original_flow_reported_under_its_new_name(partner, invoice_xml):
    data = invoice_xml()
    first = partner.upload("facture.xml", data)
    again = partner.upload("facture-bis.xml", data)
    assert again.pk == first.pk
    assert Flow.objects.count() == 1
    assert partner.reports() == sorted(
        f"{first.number}_{name}.{ext}"
        for name in ("facture.xml", "facture-bis.xml")
        for ext in ("json", "pdf")
    )
    report, _text = partner.report(first, "facture-bis.xml")
    assert report["nomFichier"] == "facture.xml"
    assert report["etatCourantDepotFlux"] == "IN_INTEGRE"


def test_a_complete_upload_after_an_interrupted_one_of_the_same_bytes_is_processed(
    partner, sftp, invoice_xml
):
    data = invoice_xml()
    transport, client = _connect(sftp.port, partner.account.login, partner.pkey)
    remote = client.open("/in/facture.xml", "wb")
    remote.write(data)  # every byte arrived, but the close never did
    remote.flush()
    transport.sock.close()
    sftp.wait_for_uploads(1)
    flow = partner.upload("facture.xml", data)
    assert flow.status == FlowStatus.INTEGRE
    assert sorted(Flow.objects.values_list("status", flat=True)) == [
        FlowStatus.INCIDENTE,
        FlowStatus.INTEGRE,
    ]


def test_a_partner_never_sees_another_partners_files(sftp, invoice_xml, partner):
    other = Partner(sftp)
    flow = partner.upload("facture.xml", invoice_xml())
    assert len(partner.reports()) == 2
    assert other.reports() == []
    with other.session() as client:
        assert sorted(client.listdir("/")) == ["in", "out"]
        assert client.listdir("/in") == []
        for path in (
            f"/../{partner.account.pk}/out/{flow.number}_facture.xml.json",
            f"/out/../../{partner.account.pk}/out/{flow.number}_facture.xml.json",
        ):
            with pytest.raises(FileNotFoundError):
                client.stat(path)
    assert Flow.objects.filter(technical_account=other.account).count() == 0


@pytest.mark.skipif(shutil.which("sftp") is None, reason="OpenSSH sftp client not installed")
def test_openssh_sftp_in_batch_mode(partner, invoice_xml, tmp_path):
    key_path = tmp_path / "partner_key"
    key_path.write_text(partner.private_key, encoding="ascii")
    key_path.chmod(0o600)  # OpenSSH refuses a key others can read
    (tmp_path / "facture.xml").write_bytes(invoice_xml())

    def batch(commands: str) -> subprocess.CompletedProcess:
        script = tmp_path / "batch"
        script.write_text(commands)
        return subprocess.run(
            [
                "sftp",
                "-b",
                str(script),
                "-i",
                str(key_path),
                "-P",
                str(partner.server.port),
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                f"UserKnownHostsFile={tmp_path / 'known_hosts'}",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "BatchMode=yes",
                f"{partner.account.login}@127.0.0.1",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )

    put = batch("put facture.xml /in/facture.xml\n")
    assert put.returncode == 0, put.stderr
    partner.server.wait_for_uploads(1)
    flow = Flow.objects.get()
    assert flow.status == FlowStatus.INTEGRE
    get = batch(f"get /out/{flow.number}_facture.xml.json rapport.json\n")
    assert get.returncode == 0, get.stderr
    report = json.loads((tmp_path / "rapport.json").read_text(encoding="utf-8"))
    assert report["etatCourantDepotFlux"] == "IN_INTEGRE"


def test_run_sftp_serves_until_sigterm(tmp_path):
    """The command listens, speaks SSH, and stops cleanly on SIGTERM."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "EDI_ROOT": str(tmp_path / "edi"),
        "EDI_HOST_KEY_PATH": str(tmp_path / "host_key"),
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_sftp", "--host", "127.0.0.1", "--port", str(port)],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "à l'écoute sur 127.0.0.1" in process.stdout.readline()
        transport = paramiko.Transport(("127.0.0.1", port))
        transport.start_client(timeout=30)
        assert transport.get_remote_server_key().get_name() == "ssh-ed25519"
        transport.close()
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "arrêté" in out
