"""Opening a batch flow (.zip or .tar.gz) without trusting it.

Whole-archive problems (a path escaping the archive, a link, too many invoices, more bytes
than a flow may hold once inflated) refuse the flow as a whole: the partner must fix and
re-send it. A member above the size of one invoice is cut off there and refused on its own.
Sizes are checked while inflating, chunk by chunk, not only as declared, and members are
handed over one at a time: a zip bomb stops at the limit instead of filling the memory or
the disk, and at most one member is in memory.
"""

import io
import posixpath
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

# The names a deposited file may have: one invoice (XML, PDF) or a batch archive.
ARCHIVE_EXTENSIONS = (".zip", ".tar.gz", ".tgz")
FLOW_EXTENSIONS = (".xml", ".pdf", *ARCHIVE_EXTENSIONS)

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1024 * 1024


class ArchiveError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Entry:
    name: str
    data: bytes | None  # None: above the size of one invoice, cut off there


def is_archive(data: bytes) -> bool:
    return data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC, GZIP_MAGIC))


def _check_name(name: str) -> str:
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        raise ArchiveError(
            "absolute_path",
            f"L'archive contient un chemin absolu « {name} » : les fichiers doivent être "
            "désignés par un chemin relatif. Recréez l'archive depuis le dossier des factures.",
        )
    if ".." in cleaned.split("/") or "\x00" in cleaned:
        raise ArchiveError(
            "path_traversal",
            f"L'archive contient le chemin « {name} », qui sort de l'archive (« .. ») : "
            "ce flux est refusé. Recréez l'archive sans chemins relatifs remontants.",
        )
    return posixpath.normpath(cleaned)


class _Budget:
    """The bytes a flow may still inflate: every member read counts, as it is read."""

    def __init__(self, max_bytes: int):
        self.left = max_bytes

    def spend(self, count: int, name: str) -> None:
        self.left -= count
        if self.left < 0:
            raise ArchiveError(
                "too_large_inflated",
                f"Une fois décompressée, l'archive dépasse la taille maximale d'un flux "
                f"(au fichier « {name} ») : découpez-la en plusieurs flux.",
            )


def _read_member(stream, name: str, budget: _Budget, max_member_bytes: int) -> bytes | None:
    """One member, inflated chunk by chunk: None once it passes the per-invoice limit,
    having inflated at most one chunk beyond it; the flow's budget is checked per chunk."""
    out = io.BytesIO()
    while chunk := stream.read(CHUNK):
        budget.spend(len(chunk), name)
        if out.tell() + len(chunk) > max_member_bytes:
            return None
        out.write(chunk)
    return out.getvalue()


def _too_many(max_entries: int) -> ArchiveError:
    return ArchiveError(
        "too_many_invoices",
        f"L'archive contient plus de {max_entries} fichiers : un flux en contient au plus "
        f"{max_entries}. Répartissez les factures sur plusieurs flux.",
    )


def open_archive(
    source: BinaryIO, *, max_entries: int, max_bytes: int, max_member_bytes: int
) -> Iterator[Entry]:
    """The files of the archive, one at a time in archive order, each read only when the
    caller asks for it; raises ArchiveError on a refusal of the whole flow.

    A member above `max_member_bytes` comes back with `data=None`: it was cut off there."""
    head = source.read(len(ZIP_MAGIC))
    source.seek(0)
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        entries = _zip_entries(source, max_entries, max_bytes, max_member_bytes)
    elif head.startswith(GZIP_MAGIC):
        entries = _tar_entries(source, max_entries, max_bytes, max_member_bytes)
    else:
        raise ArchiveError(
            "not_archive", "Ce fichier n'est ni une archive .zip ni une archive .tar.gz."
        )
    empty = True
    for entry in entries:
        empty = False
        yield entry
    if empty:
        raise ArchiveError("empty", "L'archive ne contient aucun fichier.")


def _zip_entries(
    source: BinaryIO, max_entries: int, max_bytes: int, max_member_bytes: int
) -> Iterator[Entry]:
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise ArchiveError(
            "corrupt", f"L'archive .zip est illisible ou incomplète ({exc})."
        ) from exc
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > max_entries:
        raise _too_many(max_entries)
    if sum(min(info.file_size, max_member_bytes + 1) for info in members) > max_bytes:
        raise ArchiveError(
            "too_large_inflated",
            "Une fois décompressée, l'archive dépasse la taille maximale d'un flux : "
            "découpez-la en plusieurs flux.",
        )
    budget = _Budget(max_bytes)
    for info in members:
        name = _check_name(info.filename)
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise ArchiveError(
                "link", f"L'archive contient un lien symbolique « {name} » : refusé."
            )
        if info.file_size > max_member_bytes:  # declared: refused without inflating
            yield Entry(name, None)
            continue
        try:
            with archive.open(info) as stream:
                content = _read_member(stream, name, budget, max_member_bytes)
        except (zipfile.BadZipFile, EOFError, NotImplementedError) as exc:
            raise ArchiveError(
                "corrupt", f"Le fichier « {name} » de l'archive est illisible ({exc})."
            ) from exc
        yield Entry(name, content)


def _tar_entries(
    source: BinaryIO, max_entries: int, max_bytes: int, max_member_bytes: int
) -> Iterator[Entry]:
    budget = _Budget(max_bytes)
    count = 0
    try:
        with tarfile.open(fileobj=source, mode="r:gz") as archive:
            for member in archive:
                if member.isdir():
                    continue
                name = _check_name(member.name)
                if not member.isfile():
                    raise ArchiveError(
                        "link",
                        f"L'archive contient « {name} », qui n'est pas un fichier ordinaire "
                        "(lien ou fichier spécial) : refusé.",
                    )
                count += 1
                if count > max_entries:
                    raise _too_many(max_entries)
                # Passing over a member inflates it too (a gzip stream has no index).
                budget.spend(member.size, name)
                if member.size > max_member_bytes:
                    yield Entry(name, None)
                    continue
                yield Entry(name, archive.extractfile(member).read())
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(
            "corrupt", f"L'archive .tar.gz est illisible ou incomplète ({exc})."
        ) from exc
