"""Totals of a keyed invoice: the one function the form page, its live totals endpoint and
the conversion to the canonical invoice all use.

EN 16931 rounding: each line amount is rounded to the cent (BT-131), the lines are summed per
VAT category and rate (BT-116), and the VAT of each rate is computed on that base and
rounded to the cent (BT-117); the totals are sums of rounded amounts.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")

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
EXEMPT = "E"


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    unit_price: Decimal  # excluding VAT
    vat: str  # a key of VAT_CHOICES


@dataclass(frozen=True)
class VatGroup:
    vat: str  # a key of VAT_CHOICES
    category: str
    rate: Decimal
    base: Decimal
    tax: Decimal

    @property
    def label(self) -> str:
        return str(VAT_CHOICES[self.vat][2])


@dataclass(frozen=True)
class InvoiceTotals:
    line_amounts: list[Decimal]
    vat_breakdown: list[VatGroup]
    without_vat: Decimal
    vat: Decimal
    with_vat: Decimal

    @property
    def has_exempt_line(self) -> bool:
        return any(group.vat == EXEMPT for group in self.vat_breakdown)

    @property
    def has_taxed_line(self) -> bool:
        return any(group.category == "S" for group in self.vat_breakdown)


def invoice_totals(lines: list[LineInput]) -> InvoiceTotals:
    """Line amounts, the VAT breakdown (in the order of VAT_CHOICES) and the totals."""
    amounts = [money(line.quantity * line.unit_price) for line in lines]
    bases: dict[str, Decimal] = {}
    for line, amount in zip(lines, amounts, strict=True):
        bases[line.vat] = bases.get(line.vat, Decimal(0)) + amount
    breakdown = []
    for vat, (category, rate, _label) in VAT_CHOICES.items():
        if vat in bases:
            base = bases[vat]
            breakdown.append(VatGroup(vat, category, rate, base, money(base * rate / 100)))
    without_vat = sum(amounts, Decimal("0.00"))
    vat_total = sum((group.tax for group in breakdown), Decimal("0.00"))
    return InvoiceTotals(
        line_amounts=amounts,
        vat_breakdown=breakdown,
        without_vat=without_vat,
        vat=vat_total,
        with_vat=without_vat + vat_total,
    )
