"""The one way the platform parses XML it receives: hardened against hostile documents.

No DTD, no entity expansion, no network access, a size cap before parsing and a depth cap
after; lxml's huge-tree protections stay on.
"""

from lxml import etree

MAX_XML_BYTES = 120 * 1024 * 1024  # an invoice with its embedded attachments, at most
MAX_DEPTH = 200


class UnsafeXmlError(ValueError):
    """The document was refused before or while parsing; `code` names the reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse(data: bytes, *, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """Parses XML bytes into a tree, or raises UnsafeXmlError with a precise reason."""
    if len(data) > max_bytes:
        raise UnsafeXmlError(
            "too_large",
            f"Le document fait {len(data)} octets, au-delà de la limite de {max_bytes} octets.",
        )
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnsafeXmlError(
            "doctype",
            "Le document contient une déclaration DOCTYPE ou ENTITY, interdite pour des raisons "
            "de sécurité : retirez-la.",
        )
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeXmlError("syntax", f"XML mal formé : {exc}") from exc
    if root is None:
        raise UnsafeXmlError("empty", "Le document XML est vide.")
    for depth, _ in _depths(root):
        if depth > MAX_DEPTH:
            raise UnsafeXmlError(
                "too_deep", f"Le document dépasse {MAX_DEPTH} niveaux d'imbrication."
            )
    return root


def _depths(root: etree._Element):
    stack = [(1, root)]
    while stack:
        depth, element = stack.pop()
        yield depth, element
        stack.extend((depth + 1, child) for child in element)
