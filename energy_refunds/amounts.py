"""The refund arithmetic: one rounding rule, used by the form preview, the pages, the server's
decision, the API and the decision letter.

Rounding is done once per product: the quantities of a product are summed over its invoices,
multiplied by the year's rate, and that product's amount is rounded to the cent (half up, as
in French public accounting). The request's refund is the sum of the rounded product amounts;
the advance on the next year is half of the refund retained, rounded the same way. Rounding per
invoice instead would let a farm with many small deliveries gain or lose cents per invoice.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from energy_refunds.enums import Product

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Décret 2024-76: the advance is half of the refund of the year before.
ADVANCE_SHARE = Decimal("0.5")


def refund_round(value: Decimal) -> Decimal:
    """The platform's one rounding of a refund amount: to the cent, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ProductTotal:
    product: str
    quantity: Decimal
    rate: Decimal | None  # None: the rate of that year is not published yet
    amount: Decimal | None

    @property
    def label(self) -> str:
        return str(Product(self.product).label)

    @property
    def unit_label(self) -> str:
        return Product(self.product).unit_label


@dataclass(frozen=True)
class RefundAmounts:
    products: list[ProductTotal] = field(default_factory=list)
    gross: Decimal = ZERO  # sum of the rounded product amounts
    adjusted: Decimal | None = None  # the instructor's amount, when it differs
    advance_deducted: Decimal = ZERO  # the advance already paid on this year
    advance: Decimal = ZERO  # the advance asked on the next year

    @property
    def retained(self) -> Decimal:
        return self.gross if self.adjusted is None else self.adjusted

    @property
    def net(self) -> Decimal:
        """What is paid for this year: the refund retained less the advance already paid
        (never below zero; an advance larger than the refund is not paid back here)."""
        return max(ZERO, self.retained - self.advance_deducted)

    @property
    def to_pay(self) -> Decimal:
        """The payment of the decision: this year's balance and next year's advance."""
        return self.net + self.advance

    @property
    def missing_rates(self) -> list[str]:
        return [total.product for total in self.products if total.rate is None]


def product_totals(
    lines: Iterable[tuple[str, Decimal]], rates: dict[str, Decimal]
) -> list[ProductTotal]:
    """Quantities summed per product (in product order), each times its rate, rounded."""
    quantities: dict[str, Decimal] = {}
    for product, quantity in lines:
        quantities[product] = quantities.get(product, Decimal("0")) + Decimal(quantity)
    totals = []
    for product in Product.values:
        if product not in quantities:
            continue
        rate = rates.get(product)
        amount = None if rate is None else refund_round(quantities[product] * rate)
        totals.append(ProductTotal(product, quantities[product], rate, amount))
    return totals


def refund_amounts(
    *,
    lines: Iterable[tuple[str, Decimal]],
    rates: dict[str, Decimal],
    adjusted: Decimal | None = None,
    advance_deducted: Decimal = ZERO,
    advance_requested: bool = False,
) -> RefundAmounts:
    products = product_totals(lines, rates)
    gross = sum((t.amount for t in products if t.amount is not None), ZERO)
    retained = gross if adjusted is None else refund_round(adjusted)
    advance = refund_round(retained * ADVANCE_SHARE) if advance_requested else ZERO
    return RefundAmounts(
        products=products,
        gross=gross,
        adjusted=None if adjusted is None else refund_round(adjusted),
        advance_deducted=refund_round(advance_deducted),
        advance=advance,
    )
