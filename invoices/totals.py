"""The EN 16931 amounts of an invoice: the one place every producer of canonical invoices
(the portal, the API's soumettreFacture, the test factories) computes them.

The rounding is EN 16931's: each line net amount (BT-131) is rounded to the cent, the lines
and document-level allowances and charges are summed per VAT category and rate (BT-116), the
VAT of each category and rate is computed on that base and rounded to the cent (BT-117), and
the document totals (BT-106 to BT-115) are sums of those rounded amounts. Rounding is half up
(0.005 -> 0.01), as French invoicing software does.

Public API:
- `money(value)`: a value rounded to the cent.
- `line_net_amount(quantity=..., price=..., allowances_charges=...)`: BT-131.
- `vat_amount(taxable, rate)`: the VAT of a base at a rate, to the cent.
- `invoice_amounts(lines, allowances_charges, exemption=..., prepaid=...)`: the VAT
  breakdown (BG-23) and the totals (BG-22).
- `Exemption`: why categories without VAT carry none (BT-120, BT-121);
  `EXEMPT_CATEGORIES`, the categories that must say so.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from invoices import canonical as c

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# VAT categories whose breakdown must give an exemption reason (BR-E-10, BR-AE-10, BR-IC-10,
# BR-G-10, BR-O-10): exempt, reverse charge, intra-community, export, not subject to VAT.
EXEMPT_CATEGORIES = frozenset({"E", "AE", "K", "G", "O"})


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _signed(allowance_charge: c.AllowanceCharge) -> Decimal:
    return allowance_charge.amount if allowance_charge.is_charge else -allowance_charge.amount


def line_net_amount(
    *, quantity: Decimal, price: c.Price, allowances_charges: Iterable[c.AllowanceCharge] = ()
) -> Decimal:
    """BT-131: quantity × net price (per its base quantity) − line allowances + line charges."""
    gross = quantity * price.net_price / (price.base_quantity or Decimal(1))
    return money(gross + sum((_signed(ac) for ac in allowances_charges), Decimal(0)))


def vat_amount(taxable: Decimal, rate: Decimal | None) -> Decimal:
    """The VAT of a base at a rate in percent (none for a category without a rate)."""
    return money(taxable * (rate or Decimal(0)) / 100)


@dataclass(frozen=True)
class Exemption:
    """Why the categories of `EXEMPT_CATEGORIES` carry no VAT."""

    reason: str | None = None  # BT-120, e.g. "Exonération de TVA, article 261-4-4° du CGI"
    code: str | None = None  # BT-121, a VATEX code


class Amounts(NamedTuple):
    vat_breakdown: list[c.VatBreakdown]  # BG-23, in the order the rates first appear
    totals: c.Totals  # BG-22


def invoice_amounts(
    lines: Sequence[c.Line],
    allowances_charges: Sequence[c.AllowanceCharge] = (),
    *,
    exemption: Exemption | None = None,
    prepaid: Decimal | None = None,
) -> Amounts:
    """The VAT breakdown and totals of lines (their BT-131 already computed) and of the
    document-level allowances and charges; `prepaid` is BT-113, deducted from the amount due."""
    bases: dict[tuple[str, Decimal | None], Decimal] = {}
    for line in lines:
        key = (line.vat_category_code, line.vat_rate)
        bases[key] = bases.get(key, Decimal(0)) + line.net_amount
    for ac in allowances_charges:
        key = (ac.vat_category_code, ac.vat_rate)
        bases[key] = bases.get(key, Decimal(0)) + _signed(ac)
    exemption = exemption or Exemption()
    breakdown = []
    for (category, rate), base in bases.items():
        taxable = money(base)
        exempt = category in EXEMPT_CATEGORIES
        breakdown.append(
            c.VatBreakdown(
                taxable_amount=taxable,
                tax_amount=vat_amount(taxable, rate),
                category_code=category,
                rate=rate,
                exemption_reason=exemption.reason if exempt else None,
                exemption_reason_code=exemption.code if exempt else None,
            )
        )
    lines_total = sum((line.net_amount for line in lines), ZERO)
    allowances = [ac.amount for ac in allowances_charges if not ac.is_charge]
    charges = [ac.amount for ac in allowances_charges if ac.is_charge]
    allowance_total = sum(allowances, ZERO)
    charge_total = sum(charges, ZERO)
    without_vat = lines_total - allowance_total + charge_total
    vat = sum((group.tax_amount for group in breakdown), ZERO)
    totals = c.Totals(
        line_net_total=lines_total,
        tax_exclusive_amount=without_vat,
        tax_inclusive_amount=without_vat + vat,
        amount_due=without_vat + vat - (prepaid or Decimal(0)),
        allowance_total=allowance_total if allowances else None,
        charge_total=charge_total if charges else None,
        vat_total=vat,
        prepaid_amount=prepaid,
    )
    return Amounts(breakdown, totals)
