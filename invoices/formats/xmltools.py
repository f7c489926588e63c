"""Small helpers shared by the UBL and CII readers and writers."""

import base64
import binascii
import datetime
from decimal import Decimal, InvalidOperation

from lxml import etree


class ReadError(ValueError):
    """A value in the document cannot be read (bad date, bad number...); `path` says where."""

    def __init__(self, message: str, path: str):
        super().__init__(f"{message} ({path})")
        self.path = path


def text(element: etree._Element | None) -> str | None:
    """The element's text with outer whitespace removed; None when absent or blank."""
    if element is None or element.text is None:
        return None
    value = element.text.strip()
    return value or None


def decimal(element: etree._Element | None) -> Decimal | None:
    value = text(element)
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ReadError(f"Nombre invalide « {value} »", _path(element)) from None


def iso_date(element: etree._Element | None) -> datetime.date | None:
    """A UBL date: YYYY-MM-DD."""
    value = text(element)
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ReadError(f"Date invalide « {value} » (attendu AAAA-MM-JJ)", _path(element)) from None


def compact_date(element: etree._Element | None) -> datetime.date | None:
    """A CII date string in format 102: YYYYMMDD."""
    value = text(element)
    if value is None:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise ReadError(f"Date invalide « {value} » (attendu AAAAMMJJ)", _path(element)) from None


def binary(element: etree._Element | None) -> bytes | None:
    value = text(element)
    if value is None:
        return None
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except binascii.Error:
        raise ReadError("Contenu base64 invalide", _path(element)) from None


def number(value: Decimal) -> str:
    """A decimal written as XML expects it: plain notation, never an exponent."""
    return format(value, "f")


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _path(element: etree._Element) -> str:
    return element.getroottree().getpath(element)


class Builder:
    """Appends children in document order, skipping empty values."""

    def __init__(self, nsmap: dict[str, str]):
        self.nsmap = nsmap

    def qname(self, tag: str) -> str:
        prefix, local = tag.split(":")
        return f"{{{self.nsmap[prefix]}}}{local}"

    def add(
        self, parent: etree._Element, tag: str, value: object = None, **attributes
    ) -> etree._Element | None:
        """Adds <tag>value</tag> when value is not None; attributes with None are dropped."""
        if value is None:
            return None
        element = etree.SubElement(parent, self.qname(tag))
        element.text = self._format(value)
        for name, attr in attributes.items():
            if attr is not None:
                element.set(name, attr)
        return element

    def group(self, parent: etree._Element, tag: str) -> etree._Element:
        return etree.SubElement(parent, self.qname(tag))

    @staticmethod
    def _format(value: object) -> str:
        if isinstance(value, Decimal):
            return number(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)
