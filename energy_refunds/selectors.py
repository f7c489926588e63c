"""Reads of the energy refunds: routing, rates, amounts, who sees which request."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet

from chorus.models import Structure
from energy_refunds.amounts import ZERO, RefundAmounts, refund_amounts
from energy_refunds.enums import RefundStatus
from energy_refunds.models import Beneficiary, InstructionOffice, Rate, RefundRequest


def departement_of(postcode: str) -> str:
    """The département of a French postcode: two digits, 2A/2B in Corsica (20000-20190 is
    Corse-du-Sud, 20200-20620 Haute-Corse), three digits overseas (971-976)."""
    code = (postcode or "").strip().replace(" ", "")
    if len(code) != 5 or not code.isdigit():
        return ""
    if code.startswith("20"):
        return "2A" if int(code) < 20200 else "2B"
    if code.startswith(("97", "98")):
        return code[:3]
    return code[:2]


def instructor_for(beneficiary: Beneficiary) -> Structure | None:
    """The DDFiP that instructs the beneficiary's requests: the one the beneficiary (or an
    administrator) chose, else the one of the head office's département."""
    if beneficiary.instructor_override_id:
        return beneficiary.instructor_override
    office = (
        InstructionOffice.objects.select_related("structure")
        .filter(departement=departement_of(beneficiary.structure.postcode))
        .first()
    )
    return office.structure if office else None


def rates_for(year: int) -> dict[str, Decimal]:
    return dict(Rate.objects.filter(year=year).values_list("product", "amount"))


def advance_paid_on(beneficiary_id: int, year: int) -> Decimal:
    """The advance already paid on `year`'s deliveries (asked with the request of the year
    before), to be deducted from `year`'s refund."""
    previous = (
        RefundRequest.objects.filter(
            beneficiary_id=beneficiary_id, year=year - 1, advance_paid_at__isnull=False
        )
        .values_list("advance_amount", flat=True)
        .first()
    )
    return previous or ZERO


def request_amounts(
    request: RefundRequest, extra_lines: list[tuple[str, Decimal]] = ()
) -> RefundAmounts:
    """The request's amounts: as decided once validated, else as they stand now
    (`extra_lines`: a line being typed, for the preview)."""
    return _amounts(
        request,
        rates=rates_for(request.year),
        advance_paid=lambda: advance_paid_on(request.beneficiary_id, request.year),
        extra_lines=extra_lines,
    )


def requests_amounts(requests) -> list[tuple[RefundRequest, RefundAmounts]]:
    """Each request with its amounts, as `request_amounts` gives them, for a list or a page
    (invoices prefetched): the rates and the advances paid are read once for all rows."""
    requests = list(requests)
    years = {r.year for r in requests}
    rates: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for year, product, amount in Rate.objects.filter(year__in=years).values_list(
        "year", "product", "amount"
    ):
        rates[year][product] = amount
    advances: dict[tuple[int, int], Decimal] = {}
    for beneficiary_id, year, amount in RefundRequest.objects.filter(
        beneficiary_id__in={r.beneficiary_id for r in requests},
        year__in={year - 1 for year in years},
        advance_paid_at__isnull=False,
    ).values_list("beneficiary_id", "year", "advance_amount"):
        advances.setdefault((beneficiary_id, year + 1), amount)
    return [
        (
            r,
            _amounts(
                r,
                rates=rates[r.year],
                advance_paid=lambda r=r: advances.get((r.beneficiary_id, r.year)) or ZERO,
            ),
        )
        for r in requests
    ]


def _amounts(request, *, rates, advance_paid, extra_lines=()) -> RefundAmounts:
    decided = request.status in RefundStatus.accepted()
    lines = [(i.product, i.quantity) for i in request.invoices.all()] + list(extra_lines)
    return refund_amounts(
        lines=lines,
        rates=rates,
        adjusted=request.adjusted_amount,
        advance_deducted=request.advance_deducted if decided else advance_paid(),
        advance_requested=request.advance_requested,
    )


def requests_of_beneficiary(structure: Structure) -> QuerySet[RefundRequest]:
    return RefundRequest.objects.filter(beneficiary__structure=structure)


def requests_of_instructor(structure: Structure) -> QuerySet[RefundRequest]:
    """The requests routed to a DDFiP, drafts excepted (not yet its business)."""
    return RefundRequest.objects.filter(instructor=structure).exclude(status=RefundStatus.BROUILLON)


def requests_visible_to(structure: Structure) -> QuerySet[RefundRequest]:
    """A DDFiP sees the requests routed to it, a beneficiary its own."""
    if structure.is_public:
        return requests_of_instructor(structure)
    return requests_of_beneficiary(structure)
