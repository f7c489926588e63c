"""Reads of the energy refunds: routing, rates, amounts, who sees which request."""

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
    decided = request.status in RefundStatus.accepted()
    lines = [(i.product, i.quantity) for i in request.invoices.all()] + list(extra_lines)
    return refund_amounts(
        lines=lines,
        rates=rates_for(request.year),
        adjusted=request.adjusted_amount,
        advance_deducted=(
            request.advance_deducted
            if decided
            else advance_paid_on(request.beneficiary_id, request.year)
        ),
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
