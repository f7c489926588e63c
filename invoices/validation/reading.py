"""Stages a and a': safe reading, then detection, both done by `invoices.formats.detect`.

The formats package is the one place that reads received bytes (size cap, the invoice XML
out of a Factur-X PDF, hardened parsing) and names their syntax and profile; here its
refusals become fatal findings, each under a stable rule id. A file is measured before it
is read (see `read_file`), and an embedded file's declared size is checked before it is
decompressed.
"""

from __future__ import annotations

from pathlib import Path

from invoices.formats import ReadError
from invoices.formats.detect import (  # MAX_FILE_BYTES: for callers capping uploads
    MAX_FILE_BYTES,
    Detected,
    Document,
    UnsupportedDocument,
    check_size,
    classify,
    open_document,
)
from invoices.formats.xmltools import date_term

from .findings import Finding, Severity

__all__ = [
    "MAX_FILE_BYTES",
    "detect",
    "empty_elements_refusal",
    "read",
    "read_file",
    "refusal",
    "value_refusal",
]

READING, DETECTION, CANONICAL = "reading", "detection", "canonical"

# Empty elements a document may hold before it is refused unchecked: the Factur-X
# stylesheets fire a (Peppol) rule on each, so thousands of them would cost the Schematron
# stage far more than a legitimate invoice of that size. An invoice holds none.
MAX_EMPTY_ELEMENTS = 1000
_EMPTY = "//*[not(*) and not(normalize-space())]"

# Refusal codes of invoices.formats.detect -> rule ids of the findings. Parser refusals
# ("xml_<reason>") become READ-XML-<REASON>.
_RULES = {
    "too_large": "READ-SIZE",
    "empty": "READ-EMPTY",
    "not_xml_or_pdf": "READ-NOT-XML-OR-PDF",
    "pdf_unreadable": "READ-PDF",
    "pdf_without_invoice": "READ-PDF-NO-XML",
    "pdf_active_content": "READ-PDF-ACTIVE",
    "zugferd1": "DETECT-ZUGFERD1",
    "unexpected_root": "DETECT-FORMAT",
}


def refusal(refused: UnsupportedDocument, stage: str) -> Finding:
    """The fatal finding for a document the formats package refused."""
    if refused.code.startswith("xml_"):
        rule = "READ-XML-" + refused.code.removeprefix("xml_").upper().replace("_", "-")
    else:
        rule = _RULES[refused.code]
    return Finding(
        rule=rule,
        severity=Severity.FATAL,
        message_fr=refused.message,
        message_en=refused.message_en,
        location="/" if stage == DETECTION else "",
        stage=stage,
    )


def value_refusal(error: ReadError) -> Finding:
    """The fatal finding for a value the readers cannot take: which business term, where,
    what was found and what is expected (e.g. an issue date « 20260230 »)."""
    term = date_term(error.path)
    if term is None:
        subject, subject_en, bt = "Une valeur", "A value", None
    else:
        bt, name, name_en = term
        subject, subject_en = f"La {name} ({bt})", f"The {name_en} ({bt})"
    return Finding(
        rule="READ-VALUE",
        severity=Severity.FATAL,
        message_fr=f"{subject} ne peut pas être lue (emplacement : {error.path}). "
        f"{error.message}. Corrigez cette valeur et déposez à nouveau la facture.",
        message_en=f"{subject_en} cannot be read ({error.path}). {error.message_en}.",
        location=error.path,
        bt=bt,
        stage=CANONICAL,
    )


def empty_elements_refusal(detected: Detected) -> Finding | None:
    """A fatal finding when the document holds more than MAX_EMPTY_ELEMENTS empty elements."""
    count = int(detected.root.xpath(f"count({_EMPTY})"))
    if count <= MAX_EMPTY_ELEMENTS:
        return None
    first = detected.root.xpath(f"({_EMPTY})[1]")[0]
    location = first.getroottree().getpath(first)
    return Finding(
        rule="READ-EMPTY-ELEMENTS",
        severity=Severity.FATAL,
        message_fr=(
            f"Le document contient {count} éléments vides, le premier à {location} : une "
            f"facture n'en contient pas, et au-delà de {MAX_EMPTY_ELEMENTS} le document est "
            "refusé sans être vérifié plus avant. Retirez les éléments vides (un élément "
            "sans valeur s'omet)."
        ),
        message_en=f"The document holds {count} empty elements (first at {location}); "
        f"beyond {MAX_EMPTY_ELEMENTS} it is refused unchecked.",
        location=location,
        stage=DETECTION,
    )


def read_file(path: Path) -> tuple[bytes | None, list[Finding]]:
    """The file's bytes, or a finding when it is too large: measured before being read."""
    try:
        check_size(path.stat().st_size, path.name)
    except UnsupportedDocument as refused:
        return None, [refusal(refused, READING)]
    return path.read_bytes(), []


def read(data: bytes, filename: str | None = None) -> tuple[Document | None, list[Finding]]:
    """Reads an invoice safely: XML bytes, or a PDF carrying its XML (Factur-X)."""
    try:
        return open_document(data, filename), []
    except UnsupportedDocument as refused:
        return None, [refusal(refused, READING)]


def detect(document: Document) -> tuple[Detected | None, list[Finding]]:
    """The syntax and profile of a read document, or a finding when it is no invoice."""
    try:
        return classify(document), []
    except UnsupportedDocument as refused:
        return None, [refusal(refused, DETECTION)]
