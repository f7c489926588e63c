"""Active content in a PDF: what PDF/A forbids and a recipient's viewer might run.

`active_content(reader)` walks every object reachable from the document's catalogue and
names what it finds: JavaScript (document scripts, actions, form fields), launch actions
(which start a program), and embedded files that are programs (by name, declared type or
first bytes). A Factur-X, or a PDF attached to an invoice, carrying any of them is refused:
the platform never serves them to a recipient.
"""

from __future__ import annotations

import io
from pathlib import PurePath

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PdfStreamError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# File extensions and MIME types of programs and scripts a system may run.
EXECUTABLE_EXTENSIONS = frozenset(
    [
        "exe",
        "com",
        "bat",
        "cmd",
        "scr",
        "pif",
        "msi",
        "msp",
        "dll",
        "cpl",
        "jar",
        "js",
        "jse",
        "vbs",
        "vbe",
        "wsf",
        "wsh",
        "hta",
        "ps1",
        "psm1",
        "sh",
        "bash",
        "csh",
        "ksh",
        "run",
        "bin",
        "elf",
        "app",
        "apk",
        "deb",
        "rpm",
        "lnk",
        "reg",
    ]
)
EXECUTABLE_TYPES = frozenset(
    {
        "application/x-msdownload",
        "application/x-msdos-program",
        "application/x-dosexec",
        "application/x-executable",
        "application/x-elf",
        "application/x-sh",
        "application/x-shellscript",
        "application/java-archive",
        "application/javascript",
        "text/javascript",
        "application/x-ms-installer",
        "application/vnd.microsoft.portable-executable",
    }
)
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
_SCRIPT_ACTIONS = {"/JavaScript": "JavaScript", "/Launch": "Launch"}
MAX_OBJECTS = 1_000_000  # a PDF's objects, at most: a walk never runs away


def active_content(reader: PdfReader) -> list[str]:
    """What active content the PDF holds, e.g. ["JavaScript", "Launch", "setup.exe"]."""
    found: list[str] = []
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer.get("/Root")]
    walked = 0
    while stack and walked < MAX_OBJECTS:
        node = stack.pop()
        walked += 1
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            if "/JS" in node or "/JavaScript" in node:
                found.append("JavaScript")
            action = _SCRIPT_ACTIONS.get(str(node.get("/S", "")))
            if action:
                found.append(action)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    for item in reader.attachment_list:
        if _is_executable(item.name, item.subtype, item.content[:4]):
            found.append(item.name)
    return list(dict.fromkeys(found))


def _is_executable(name: str, subtype, head: bytes) -> bool:
    extension = PurePath(name).suffix.lower().lstrip(".")
    mime = str(subtype or "").lstrip("/").replace("#2F", "/").lower()
    return (
        extension in EXECUTABLE_EXTENSIONS
        or mime in EXECUTABLE_TYPES
        or head.startswith(EXECUTABLE_MAGIC)
    )


def pdf_active_content(data: bytes) -> list[str]:
    """`active_content` of PDF bytes; [] for anything that is not a readable PDF (other
    checks refuse those)."""
    if b"%PDF-" not in data[:1024]:
        return []
    try:
        return active_content(PdfReader(io.BytesIO(data)))
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError):
        return []  # unreadable: refused elsewhere, with that reason
