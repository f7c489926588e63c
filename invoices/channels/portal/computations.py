"""Amounts of a keyed invoice: its lines as the supplier typed them, turned into canonical
lines whose amounts `invoices.totals` computes, so that the form page, its live totals
endpoint and the deposited invoice show the same figures as every other channel.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from invoices import canonical as c
from invoices import codes
from invoices.totals import EXEMPT_CATEGORIES, invoice_amounts, line_net_amount

# The VAT choices of a line: code -> (EN 16931 category, rate, label). "0" is the zero
# rate (category Z); "E" an exemption, which needs its motive (BT-120).
VAT_CHOICES = {
    "20": ("S", Decimal("20"), _("20 %")),
    "10": ("S", Decimal("10"), _("10 %")),
    "5.5": ("S", Decimal("5.5"), _("5,5 %")),
    "2.1": ("S", Decimal("2.1"), _("2,1 %")),
    "0": ("Z", Decimal("0"), _("0 %")),
    "E": ("E", Decimal("0"), _("Exonération de TVA")),
}


@dataclass(frozen=True)
class KeyedLine:
    description: str
    quantity: Decimal
    unit: str  # UN/ECE Recommendation 20 code
    unit_price: Decimal  # excluding VAT
    vat: str  # a key of VAT_CHOICES

    def canonical(self, line_id: str) -> c.Line:
        category, rate, _label = VAT_CHOICES[self.vat]
        price = c.Price(net_price=self.unit_price)
        return c.Line(
            id=line_id,
            quantity=self.quantity,
            unit_code=self.unit,
            net_amount=line_net_amount(quantity=self.quantity, price=price),
            price=price,
            vat_category_code=category,
            vat_rate=rate,
            item=c.Item(name=self.description),
        )


def canonical_lines(lines: list[KeyedLine]) -> list[c.Line]:
    return [line.canonical(str(index)) for index, line in enumerate(lines, 1)]


def vat_label(breakdown: c.VatBreakdown) -> str:
    return codes.vat_label(breakdown.category_code, breakdown.rate)


@dataclass(frozen=True)
class KeyedTotals:
    lines: list[c.Line]
    vat_breakdown: list[c.VatBreakdown]
    totals: c.Totals

    @property
    def line_amounts(self) -> list[Decimal]:
        return [line.net_amount for line in self.lines]

    @property
    def has_exempt_line(self) -> bool:
        return any(group.category_code in EXEMPT_CATEGORIES for group in self.vat_breakdown)

    @property
    def has_taxed_line(self) -> bool:
        return any(group.category_code == "S" for group in self.vat_breakdown)


def keyed_totals(lines: list[KeyedLine]) -> KeyedTotals:
    """Line amounts, the VAT breakdown (rates in the order they first appear) and totals."""
    canonical = canonical_lines(lines)
    amounts = invoice_amounts(canonical)
    return KeyedTotals(canonical, amounts.vat_breakdown, amounts.totals)


def keyed_state_from(invoice) -> dict:
    """The keying form's state pre-filled from a rejected invoice's canonical document,
    whatever channel it came through, to correct and send again: same recipient, service,
    engagement, lines and dates, an empty number (a new invoice needs a new one), and the
    rejected invoice's number as the preceding invoice (BT-25), so that the document itself
    says which invoice it corrects."""
    state = keyed_state_from_document(
        invoice.canonical,
        recipient_siret=invoice.recipient.identifier if invoice.recipient else "",
        service_code=invoice.service.code if invoice.service else "",
    )
    state["fields"].update(number="", replaces=str(invoice.pk), preceding_number=invoice.number)
    return state


def keyed_state_from_document(document: c.Invoice, *, recipient_siret: str, service_code: str):
    """The keying form's state holding a canonical invoice's data as a user would type it."""
    vat_keys = {(category, rate): key for key, (category, rate, _label) in VAT_CHOICES.items()}

    def vat_key(line: c.Line) -> str:
        return vat_keys.get((line.vat_category_code, Decimal(line.vat_rate or 0)), "")

    def unit_price(price: c.Price) -> Decimal:
        return price.net_price / (price.base_quantity or 1)

    def day(value) -> str:
        return value.isoformat() if value else ""

    fields = {
        "recipient_siret": recipient_siret,
        "service_code": service_code,
        "engagement": document.purchase_order_reference or "",
        "type_code": document.type_code,
        "number": document.number or "",
        "issue_date": day(document.issue_date),
        "due_date": day(document.due_date),
        "delivery_date": day(document.delivery.date if document.delivery else None),
        "payment_terms": document.payment_terms or "",
        "vat_exemption_reason": next(
            (
                group.exemption_reason or group.exemption_reason_code
                for group in document.vat_breakdown
                if group.category_code in EXEMPT_CATEGORIES
                and (group.exemption_reason or group.exemption_reason_code)
            ),
            "",
        ),
    }
    lines = [
        {
            "description": line.item.name,
            "quantity": formats.localize_input(line.quantity.normalize()),
            "unit": line.unit_code,
            "unit_price": formats.localize_input(unit_price(line.price).normalize()),
            "vat": vat_key(line),
        }
        for line in document.lines
    ]
    return {"mode": "keyed", "fields": fields, "lines": lines}
