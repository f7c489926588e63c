"""The one way the platform parses XML it receives: hardened against hostile documents.

- a size cap, checked before any parsing;
- no DTD at all: a DOCTYPE in the prolog is refused before parsing (so no entity is ever
  declared, neither external, XXE, nor nested, billion laughs), and the parsed tree is
  checked again in case the prolog scan was bypassed (e.g. a UTF-16 document);
- no network access, no entity resolution, no DTD loading;
- lxml's huge-tree protections stay on: libxml2 then refuses a document nested deeper than
  256 levels or with a single text node above 10 MB, which is how deep nesting is caught
  without walking the tree in Python;
- an element count cap (settings.XML_MAX_ELEMENTS), counted while parsing: a document of
  two million empty elements is refused once the cap is passed, having cost what reading
  a legitimate invoice of that many elements costs, never more.
"""

import io
import re

from django.conf import settings
from lxml import etree

MAX_XML_BYTES = 120 * 1024 * 1024  # an invoice with its embedded attachments, at most
MAX_DEPTH = 256  # libxml2's limit when huge_tree is off

# What may precede the root element: XML declaration, comments, processing instructions,
# white space. A DOCTYPE found among them is refused.
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_UTF8_BOM = b"\xef\xbb\xbf"


class UnsafeXmlError(ValueError):
    """The document was refused before or while parsing; `code` names the reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "dtd_validation": False,
    "load_dtd": False,
    "huge_tree": False,
    "remove_blank_text": False,
}


def _declares_doctype(data: bytes) -> bool:
    position = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    while True:
        match = _PROLOG_ITEM.match(data, position)
        if not match:
            break
        position = match.end()
    return data.startswith(b"<!DOCTYPE", position) or data.startswith(b"<!ENTITY", position)


def parse(
    data: bytes, *, max_bytes: int = MAX_XML_BYTES, max_elements: int | None = None
) -> etree._Element:
    """Parses XML bytes into a tree, or raises UnsafeXmlError with a precise reason.

    `max_elements`: settings.XML_MAX_ELEMENTS unless given."""
    if len(data) > max_bytes:
        raise UnsafeXmlError(
            "too_large",
            f"Le document fait {len(data)} octets, au-delà de la limite de {max_bytes} octets : "
            "réduisez sa taille (pièces jointes comprises).",
        )
    if _declares_doctype(data):
        raise _doctype_error()
    if max_elements is None:
        max_elements = settings.XML_MAX_ELEMENTS
    try:
        root = _parse_counted(data, max_elements)
    except etree.XMLSyntaxError as exc:
        if "Excessive depth" in str(exc):
            raise UnsafeXmlError(
                "too_deep",
                f"Le document dépasse {MAX_DEPTH} niveaux d'imbrication : une facture n'en "
                "compte jamais autant, vérifiez le fichier produit.",
            ) from exc
        raise UnsafeXmlError(
            "syntax", f"XML mal formé : {exc}. Corrigez la syntaxe du fichier."
        ) from exc
    if root is None:
        raise UnsafeXmlError("empty", "Le document XML est vide : déposez un fichier complet.")
    if root.getroottree().docinfo.doctype:
        raise _doctype_error()
    return root


def _parse_counted(data: bytes, max_elements: int) -> etree._Element | None:
    events = etree.iterparse(io.BytesIO(data), events=("start",), **_PARSER_OPTIONS)
    for count, _ in enumerate(events, start=1):
        if count > max_elements:
            raise UnsafeXmlError(
                "too_many_elements",
                f"Le document compte plus de {max_elements} éléments XML : une facture, même "
                "de plusieurs milliers de lignes, n'en compte pas autant. Vérifiez le fichier "
                "produit (éléments vides ou répétés) ou découpez la facture.",
            )
    return events.root


def _doctype_error() -> UnsafeXmlError:
    return UnsafeXmlError(
        "doctype",
        "Le document contient une déclaration DOCTYPE ou ENTITY, interdite pour des raisons "
        "de sécurité : retirez-la (une facture UBL ou CII n'en a pas besoin).",
    )
