"""Opening a batch flow (.zip or .tar.gz) without trusting it.

Whole-archive problems (a path escaping the archive, a link, too many invoices, more bytes
than a flow may hold once inflated) refuse the flow as a whole: the partner must fix and
re-send it. Sizes are checked while inflating, not only as declared, so a zip bomb stops at
the limit instead of filling the memory or the disk.
"""

import io
import posixpath
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

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
    data: bytes


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


def _read_capped(stream, name: str, budget: int) -> bytes:
    """Reads one member, never more than what is left of the flow's byte budget."""
    out = io.BytesIO()
    while chunk := stream.read(CHUNK):
        if out.tell() + len(chunk) > budget:
            raise ArchiveError(
                "too_large_inflated",
                f"Une fois décompressée, l'archive dépasse la taille maximale d'un flux "
                f"(au fichier « {name} ») : découpez-la en plusieurs flux.",
            )
        out.write(chunk)
    return out.getvalue()


def _too_many(max_entries: int) -> ArchiveError:
    return ArchiveError(
        "too_many_invoices",
        f"L'archive contient plus de {max_entries} fichiers : un flux en contient au plus "
        f"{max_entries}. Répartissez les factures sur plusieurs flux.",
    )


def open_archive(data: bytes, *, max_entries: int, max_bytes: int) -> list[Entry]:
    """The files of the archive, in archive order; raises ArchiveError on any refusal."""
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        entries = list(_zip_entries(data, max_entries, max_bytes))
    elif data.startswith(GZIP_MAGIC):
        entries = list(_tar_entries(data, max_entries, max_bytes))
    else:
        raise ArchiveError(
            "not_archive", "Ce fichier n'est ni une archive .zip ni une archive .tar.gz."
        )
    if not entries:
        raise ArchiveError("empty", "L'archive ne contient aucun fichier.")
    return entries


def _zip_entries(data: bytes, max_entries: int, max_bytes: int) -> Iterator[Entry]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ArchiveError(
            "corrupt", f"L'archive .zip est illisible ou incomplète ({exc})."
        ) from exc
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > max_entries:
        raise _too_many(max_entries)
    if sum(info.file_size for info in members) > max_bytes:
        raise ArchiveError(
            "too_large_inflated",
            "Une fois décompressée, l'archive dépasse la taille maximale d'un flux : "
            "découpez-la en plusieurs flux.",
        )
    budget = max_bytes
    for info in members:
        name = _check_name(info.filename)
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise ArchiveError(
                "link", f"L'archive contient un lien symbolique « {name} » : refusé."
            )
        try:
            with archive.open(info) as stream:
                content = _read_capped(stream, name, budget)
        except (zipfile.BadZipFile, EOFError, NotImplementedError) as exc:
            raise ArchiveError(
                "corrupt", f"Le fichier « {name} » de l'archive est illisible ({exc})."
            ) from exc
        budget -= len(content)
        yield Entry(name, content)


def _tar_entries(data: bytes, max_entries: int, max_bytes: int) -> Iterator[Entry]:
    budget = max_bytes
    count = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
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
                if member.size > budget:
                    raise ArchiveError(
                        "too_large_inflated",
                        f"Une fois décompressée, l'archive dépasse la taille maximale d'un flux "
                        f"(au fichier « {name} ») : découpez-la en plusieurs flux.",
                    )
                content = _read_capped(archive.extractfile(member), name, budget)
                budget -= len(content)
                yield Entry(name, content)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(
            "corrupt", f"L'archive .tar.gz est illisible ou incomplète ({exc})."
        ) from exc
