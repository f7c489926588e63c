"""A mémoire's amounts, computed by the platform (never taken from the client): each line's
net amount rounded to the cent, then VAT per rate on the sum of the lines at that rate,
rounded to the cent (as invoices do, EN 16931 BR-CO-17)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_net(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return cents(Decimal(quantity) * Decimal(unit_price))


@dataclass(frozen=True)
class Totals:
    net: Decimal
    vat: Decimal
    total: Decimal
    vat_by_rate: tuple[tuple[Decimal, Decimal, Decimal], ...]  # (rate, base, VAT)


def totals_of(amounts: Iterable[tuple[Decimal, Decimal]]) -> Totals:
    """Totals of (net amount, VAT rate in %) pairs."""
    bases: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for net, rate in amounts:
        bases[Decimal(rate).normalize()] += Decimal(net)
    by_rate = tuple(
        (rate, cents(base), cents(base * rate / 100)) for rate, base in sorted(bases.items())
    )
    net = cents(sum((base for _rate, base, _vat in by_rate), ZERO))
    vat = cents(sum((vat for _rate, _base, vat in by_rate), ZERO))
    return Totals(net=net, vat=vat, total=net + vat, vat_by_rate=by_rate)


def claimed_totals(lines, *, exempt: bool = False) -> Totals:
    """`exempt`: under the franchise en base, no VAT whatever the lines' rates."""
    return totals_of((line.claimed_net, ZERO if exempt else line.vat_rate) for line in lines)


def certified_totals(lines, *, exempt: bool = False) -> Totals:
    return totals_of(
        (
            line.claimed_net if line.certified_net is None else line.certified_net,
            ZERO if exempt else line.vat_rate,
        )
        for line in lines
    )
