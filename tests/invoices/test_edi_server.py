"""The SFTP server of the EDI channel, driven by a real SFTP client (paramiko) on loopback."""

import asyncio
import io
import socket
import threading
import time

import asyncssh
import paramiko
import pytest

from invoices.channels.edi import server
from tests.chorus.factories import TechnicalAccountFactory


@pytest.fixture
def edi_settings(settings, tmp_path):
    settings.EDI_ROOT = tmp_path / "edi"
    settings.EDI_HOST_KEY_PATH = tmp_path / "host_key"
    return settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningServer:
    """The real server on its own event loop thread; each upload is recorded once handled."""

    def __init__(self, handler=None):
        self.port = _free_port()
        self.handler = handler
        self.uploads: list[server.Upload] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def _on_upload(self, upload: server.Upload) -> None:
        try:
            if self.handler is not None:
                self.handler(upload)
        finally:
            self.uploads.append(upload)

    def start(self):
        self.thread.start()
        future = asyncio.run_coroutine_threadsafe(
            server.serve("127.0.0.1", self.port, self._on_upload), self.loop
        )
        self.acceptor = future.result(timeout=10)

    def stop(self):
        asyncio.run_coroutine_threadsafe(server.shutdown(self.acceptor), self.loop).result(60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()

    def wait_for_uploads(self, count: int, timeout: float = 30):
        """Waits (polling, no timing asserted) until `count` uploads have been handled."""
        deadline = time.monotonic() + timeout
        while len(self.uploads) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.uploads


@pytest.fixture
def sftp_server(edi_settings, transactional_db):
    running = RunningServer()
    running.start()
    yield running
    running.stop()


def _private_key_and_line():
    """A partner's key pair: paramiko's private key and the public line to register."""
    key = asyncssh.generate_private_key("ssh-ed25519")
    pem = key.export_private_key("openssh").decode()
    line = key.export_public_key("openssh").decode().strip()
    return paramiko.Ed25519Key.from_private_key(io.StringIO(pem)), line


def _connect(port, login, pkey):
    transport = paramiko.Transport(("127.0.0.1", port))
    transport.connect(username=login, pkey=pkey)
    return transport, paramiko.SFTPClient.from_transport(transport)


def test_complete_upload_is_handed_over_with_its_bytes(sftp_server):
    pkey, line = _private_key_and_line()
    account = TechnicalAccountFactory(ssh_public_keys=line)
    transport, sftp = _connect(sftp_server.port, account.login, pkey)
    with sftp.open("/in/facture-1.xml", "wb") as remote:
        remote.write(b"<Invoice/>" * 1000)
    transport.close()
    (upload,) = sftp_server.wait_for_uploads(1)
    assert upload.outcome == "complete"
    assert upload.filename == "facture-1.xml"
    assert upload.account_id == account.pk
    assert upload.staged_path.read_bytes() == b"<Invoice/>" * 1000


def test_unknown_key_is_refused(sftp_server):
    pkey, _line = _private_key_and_line()
    _other, registered = _private_key_and_line()
    account = TechnicalAccountFactory(ssh_public_keys=registered)
    with pytest.raises(paramiko.AuthenticationException):
        _connect(sftp_server.port, account.login, pkey)


def test_partner_is_confined_to_its_inbox(sftp_server):
    pkey, line = _private_key_and_line()
    account = TechnicalAccountFactory(ssh_public_keys=line)
    transport, sftp = _connect(sftp_server.port, account.login, pkey)
    assert sorted(sftp.listdir("/")) == ["in", "out"]
    for target in ("/out/x.xml", "/x.xml", "/in/../../x.xml", "/in/sub/x.xml"):
        with pytest.raises(PermissionError):
            sftp.open(target, "wb")
    assert sftp.normalize("/../..") == "/"
    transport.close()
    assert sftp_server.uploads == []


def test_dropped_connection_is_a_partial_upload(sftp_server):
    pkey, line = _private_key_and_line()
    account = TechnicalAccountFactory(ssh_public_keys=line)
    transport, sftp = _connect(sftp_server.port, account.login, pkey)
    remote = sftp.open("/in/lot.zip", "wb")
    remote.write(b"PK" + b"x" * 50_000)
    remote.flush()
    transport.sock.close()  # the network goes away mid-transfer
    (upload,) = sftp_server.wait_for_uploads(1)
    assert upload.outcome == "partial"
    assert upload.filename == "lot.zip"


def test_oversized_upload_is_stopped(sftp_server, edi_settings):
    edi_settings.FLOW_MAX_BYTES = 10_000
    pkey, line = _private_key_and_line()
    account = TechnicalAccountFactory(ssh_public_keys=line)
    transport, sftp = _connect(sftp_server.port, account.login, pkey)
    with pytest.raises(OSError), sftp.open("/in/enorme.xml", "wb") as remote:
        remote.write(b"x" * 50_000)
    transport.close()
    (upload,) = sftp_server.wait_for_uploads(1)
    assert upload.outcome == "too_large"
