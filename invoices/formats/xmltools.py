"""Small helpers shared by the UBL and CII readers and writers."""

import base64
import binascii
import datetime
from decimal import Decimal, InvalidOperation

from django.utils import translation
from lxml import etree

from invoices.dates import implausible_date


class ReadError(ValueError):
    """A value in the document cannot be read (bad date, bad number...); `path` says where.

    `message` (French) and `message_en` say what was found and what is expected."""

    def __init__(self, message: str, path: str, *, message_en: str = ""):
        super().__init__(f"{message} ({path})")
        self.path = path
        self.message = message
        self.message_en = message_en or message


# Where a date sits -> its business term: the date element (UBL) or its parent (CII).
_DATE_TERMS = {
    "IssueDate": ("BT-2", "date d'émission", "issue date"),
    "IssueDateTime": ("BT-2", "date d'émission", "issue date"),
    "TaxPointDate": ("BT-7", "date d'exigibilité de la TVA", "VAT point date"),
    "DueDate": ("BT-9", "date d'échéance", "payment due date"),
    "PaymentDueDate": ("BT-9", "date d'échéance", "payment due date"),
    "DueDateDateTime": ("BT-9", "date d'échéance", "payment due date"),
    "FormattedIssueDateTime": ("BT-26", "date de la facture antérieure", "preceding invoice date"),
    "ActualDeliveryDate": ("BT-72", "date de livraison", "actual delivery date"),
    "OccurrenceDateTime": ("BT-72", "date de livraison", "actual delivery date"),
    "StartDate": ("BT-73", "début de la période de facturation", "invoicing period start"),
    "StartDateTime": ("BT-73", "début de la période de facturation", "invoicing period start"),
    "EndDate": ("BT-74", "fin de la période de facturation", "invoicing period end"),
    "EndDateTime": ("BT-74", "fin de la période de facturation", "invoicing period end"),
}
_PRECEDING_INVOICE = ("BT-26", "date de la facture antérieure", "preceding invoice date")
_LINE_PERIOD = {
    "BT-73": ("BT-134", "début de la période de la ligne", "invoice line period start"),
    "BT-74": ("BT-135", "fin de la période de la ligne", "invoice line period end"),
}
_LINES = frozenset({"InvoiceLine", "CreditNoteLine", "IncludedSupplyChainTradeLineItem"})


def date_term(path: str) -> tuple[str, str, str] | None:
    """(business term, French name, English name) of the date at `path`, when known."""
    names = [step.rsplit(":", 1)[-1].split("[")[0] for step in path.split("/") if step]
    term = next((_DATE_TERMS[name] for name in reversed(names) if name in _DATE_TERMS), None)
    if term is None:
        return None
    if "InvoiceDocumentReference" in names:
        return _PRECEDING_INVOICE
    if _LINES.intersection(names):
        return _LINE_PERIOD.get(term[0], term)
    return term


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
        raise ReadError(
            f"Nombre invalide « {value} » : attendu un nombre décimal (point comme séparateur)",
            _path(element),
            message_en=f"Invalid number '{value}': expected a decimal number",
        ) from None


def iso_date(element: etree._Element | None) -> datetime.date | None:
    """A UBL date: YYYY-MM-DD."""
    value = text(element)
    if value is None:
        return None
    try:
        parsed = datetime.date.fromisoformat(value)
    except ValueError:
        raise ReadError(
            f"Date invalide « {value} » : attendu une date réelle au format AAAA-MM-JJ",
            _path(element),
            message_en=f"Invalid date '{value}': expected a real date as YYYY-MM-DD",
        ) from None
    return _plausible(parsed, element)


def compact_date(element: etree._Element | None) -> datetime.date | None:
    """A CII date string in format 102: YYYYMMDD."""
    value = text(element)
    if value is None:
        return None
    try:
        parsed = datetime.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise ReadError(
            f"Date invalide « {value} » : attendu une date réelle au format AAAAMMJJ (format 102)",
            _path(element),
            message_en=f"Invalid date '{value}': expected a real date as YYYYMMDD (format 102)",
        ) from None
    return _plausible(parsed, element)


def _plausible(value: datetime.date, element: etree._Element) -> datetime.date:
    with translation.override("fr"):
        reason = implausible_date(value)
    if reason is None:
        return value
    with translation.override("en"):
        reason_en = implausible_date(value)
    raise ReadError(
        f"Date refusée : {reason}", _path(element), message_en=f"Date refused: {reason_en}"
    )


def binary(element: etree._Element | None) -> bytes | None:
    value = text(element)
    if value is None:
        return None
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except binascii.Error:
        raise ReadError(
            "Contenu base64 invalide : attendu le fichier joint encodé en base64",
            _path(element),
            message_en="Invalid base64 content: expected the attached file encoded in base64",
        ) from None


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
