"""The EDI channel's SFTP server: partners authenticated by SSH key, each confined to its tree.

Each technical account with SSH keys gets `<EDI_ROOT>/<account id>/` holding `in/` (where it
uploads flows) and `out/` (where integration reports appear). An upload is written to a staging
file outside the partner's tree; when the client closes it, the file is handed over as a
complete upload. When the session ends with the file still open (dropped connection, killed
client), it is handed over as partial, so the partner gets a report saying so.
"""

import asyncio
import logging
import os
import posixpath
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import asyncssh
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections

from chorus.identifiers import parse_ssh_public_keys
from chorus.models import TechnicalAccount

logger = logging.getLogger(__name__)

INBOX = "in"
OUTBOX = "out"

# The partners' live connections, closed by `shutdown` when the server stops.
_connections: weakref.WeakSet[asyncssh.SSHServerConnection] = weakref.WeakSet()


@dataclass(frozen=True)
class Upload:
    account_id: int
    filename: str
    staged_path: Path
    size: int
    outcome: str  # "complete", "partial" or "too_large"


def account_root(account_id: int) -> Path:
    root = Path(settings.EDI_ROOT) / str(account_id)
    for sub in (INBOX, OUTBOX):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return root


def staging_dir() -> Path:
    path = Path(settings.EDI_ROOT) / ".staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


@sync_to_async
def _account_keys(login: str) -> tuple[int, list[asyncssh.SSHKey]] | None:
    try:
        account = (
            TechnicalAccount.objects.filter(login=login, active=True, structure__active=True)
            .only("pk", "ssh_public_keys")
            .first()
        )
    finally:
        connections.close_all()  # logins are rare: no connection held between them
    if account is None or not account.ssh_public_keys.strip():
        return None
    return account.pk, parse_ssh_public_keys(account.ssh_public_keys)


def _virtual(path: bytes) -> str:
    """The normalised path as the partner sees it, rooted at its tree."""
    return posixpath.normpath("/" + path.decode("utf-8", "replace").lstrip("/"))


class _StagedFile:
    """An upload in progress: what the partner named it and where its bytes go."""

    def __init__(self, filename: str):
        self.filename = filename
        self.path = staging_dir() / f"{uuid.uuid4().hex}.part"
        self.handle = open(self.path, "wb")  # noqa: SIM115 - closed in EdiSFTPServer.close
        self.size = 0
        self.too_large = False


class EdiSSHServer(asyncssh.SSHServer):
    """Public-key authentication against the technical accounts' registered keys."""

    def __init__(self):
        self.account_id: int | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        _connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.account_id is not None:
            logger.info("EDI account %s disconnected", self.account_id)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        found = await _account_keys(username)
        if found is None:
            return False
        account_id, keys = found
        if any(key.public_data == known.public_data for known in keys):
            self.account_id = account_id
            logger.info("EDI account %s (%s) connected", account_id, username)
            return True
        logger.info("EDI login %r refused: key not registered", username)
        return False


class EdiSFTPServer(asyncssh.SFTPServer):
    """Reads anywhere in the partner's tree; writes only new files directly in `in/`."""

    on_upload: Callable[[Upload], None]

    def __init__(self, chan: asyncssh.SSHServerChannel):
        self.account_id = chan.get_connection().get_owner().account_id
        super().__init__(chan, chroot=str(account_root(self.account_id)).encode())

    def _inbox_name(self, path: bytes) -> str:
        """The file name a write targets, or a refusal when it is not directly in in/."""
        virtual = _virtual(path)
        folder, name = posixpath.split(virtual)
        if folder != f"/{INBOX}" or not name or name.startswith("."):
            raise asyncssh.SFTPPermissionDenied(
                f"Dépôt refusé : déposez vos flux directement dans /{INBOX}/ (reçu : {virtual})."
            )
        return name

    def open(self, path: bytes, pflags: int, attrs: asyncssh.SFTPAttrs):
        if pflags & (asyncssh.FXF_WRITE | asyncssh.FXF_APPEND | asyncssh.FXF_CREAT):
            return _StagedFile(self._inbox_name(path))
        return super().open(path, pflags, attrs)

    def write(self, file_obj, offset: int, data: bytes):
        if not isinstance(file_obj, _StagedFile):
            raise asyncssh.SFTPPermissionDenied("Ce fichier est en lecture seule.")
        if offset + len(data) > settings.FLOW_MAX_BYTES:
            file_obj.too_large = True
            raise asyncssh.SFTPFailure(
                f"Fichier trop volumineux : un flux ne peut dépasser {settings.FLOW_MAX_BYTES} octets. "
                "Découpez-le en plusieurs flux."
            )
        file_obj.handle.seek(offset)
        file_obj.handle.write(data)
        file_obj.size = max(file_obj.size, offset + len(data))
        return len(data)

    def fstat(self, file_obj):
        if isinstance(file_obj, _StagedFile):
            return asyncssh.SFTPAttrs(size=file_obj.size, permissions=0o100600)
        return super().fstat(file_obj)

    def fsetstat(self, file_obj, attrs):
        if not isinstance(file_obj, _StagedFile):
            super().fsetstat(file_obj, attrs)

    async def close(self, file_obj):
        if not isinstance(file_obj, _StagedFile):
            return super().close(file_obj)
        file_obj.handle.close()
        # A close request from the client arrives on a live channel; the session's clean-up
        # closes leftover files once the client sent EOF (recv state) or the link dropped
        # (the channel is closing). asyncssh exposes the first only privately: pinned version.
        client_closed = self.channel._recv_state == "open" and not self.channel.is_closing()
        if file_obj.too_large:
            outcome = "too_large"
        elif client_closed:
            outcome = "complete"
        else:
            outcome = "partial"
        upload = Upload(self.account_id, file_obj.filename, file_obj.path, file_obj.size, outcome)
        await asyncio.to_thread(self.on_upload, upload)

    def mkdir(self, path, attrs):
        raise asyncssh.SFTPPermissionDenied("Créer des dossiers n'est pas permis.")

    def rename(self, oldpath, newpath):
        raise asyncssh.SFTPPermissionDenied("Renommer n'est pas permis.")

    def remove(self, path):
        virtual = _virtual(path)
        if posixpath.dirname(virtual) != f"/{OUTBOX}":
            raise asyncssh.SFTPPermissionDenied(
                "Seuls les comptes rendus de /out/ peuvent être supprimés."
            )
        return super().remove(path)

    def setstat(self, path, attrs):
        raise asyncssh.SFTPPermissionDenied("Modifier les attributs n'est pas permis.")

    def symlink(self, oldpath, newpath):
        raise asyncssh.SFTPPermissionDenied("Les liens ne sont pas permis.")

    def link(self, oldpath, newpath):
        raise asyncssh.SFTPPermissionDenied("Les liens ne sont pas permis.")


def host_key() -> asyncssh.SSHKey:
    """The server's host key, created on first start and kept on disk."""
    path = Path(settings.EDI_HOST_KEY_PATH)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = asyncssh.generate_private_key("ssh-ed25519")
        key.write_private_key(str(path))
        os.chmod(path, 0o600)
    return asyncssh.read_private_key(str(path))


async def serve(host: str, port: int, on_upload: Callable[[Upload], None]) -> asyncssh.SSHAcceptor:
    """Starts listening; uploads are handed to `on_upload` (run in a thread, it may use the ORM)."""
    server_class = type(
        "BoundEdiSFTPServer", (EdiSFTPServer,), {"on_upload": staticmethod(on_upload)}
    )
    return await asyncssh.listen(
        host,
        port,
        server_factory=EdiSSHServer,
        server_host_keys=[host_key()],
        sftp_factory=server_class,
        allow_scp=False,
    )


async def shutdown(acceptor: asyncssh.SSHAcceptor, *, timeout: float = 60) -> None:
    """Stops listening, closes the partners' connections and waits for the hand-over of what
    they were uploading (as partial uploads: each gets its report), at most `timeout` s."""
    acceptor.close()
    await acceptor.wait_closed()
    for conn in list(_connections):
        conn.close()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        others = {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}
        if not others:
            return
        await asyncio.wait(others, timeout=deadline - loop.time())
    logger.warning("SFTP server stopped with uploads still being handed over")
