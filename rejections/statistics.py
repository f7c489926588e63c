"""Rejection statistics (issue 9 §6): how often invoices are rejected, suspended and sent back
for recycling, by motive, recipient, supplier, channel and month; which rules refuse deposits;
how long suppliers take to answer a send-back.

Every figure is one aggregate query (GROUP BY) over a scope the caller gives: the whole
platform, the invoices a public structure received, or those a supplier issued. No row is
read into Python to be counted.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoices.enums import DepositChannel, FlowItemStatus, InvoiceStatus
from invoices.models import FlowItem, Invoice, InvoiceStatusChange
from rejections.models import Motive

S = InvoiceStatus
# The three send-backs, as the history records them.
RETURNS = {"rejected": S.REJETEE, "suspended": S.SUSPENDUE, "sent_back": S.A_RECYCLER}
RETURN_LABELS = {
    "rejected": _("Rejets"),
    "suspended": _("Suspensions"),
    "sent_back": _("Renvois pour recyclage"),
}
# The dimensions of the rates, each a column of the invoice (or of its deposit).
DIMENSIONS = {
    "recipient": ("recipient__legal_name", _("Destinataire")),
    "supplier": ("supplier__legal_name", _("Fournisseur")),
    "channel": ("flow_item__flow__channel", _("Canal de dépôt")),
}
DEFAULT_MONTHS = 12


def period_start(months: int = DEFAULT_MONTHS, today: datetime.date | None = None):
    """The first day of the month `months - 1` months before this one, as an aware datetime."""
    today = today or timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - (months - 1), 12)
    return timezone.make_aware(datetime.datetime(year, month + 1, 1))


def _moves(invoices: QuerySet[Invoice]) -> QuerySet[InvoiceStatusChange]:
    """The send-backs of the invoices in scope; a supplier's acknowledgement (a rejected
    invoice staying rejected) is not a new rejection."""
    return InvoiceStatusChange.objects.filter(
        invoice__in=invoices.values("pk"), target__in=RETURNS.values()
    ).exclude(source=F("target"))


def _return_counts(prefix: str = "") -> dict:
    """Count(distinct invoice) per send-back, over the invoice's history (`prefix` to reach
    the history from the rows counted)."""
    return {
        key: Count("pk", filter=Q(**{f"{prefix}history__target": status}), distinct=True)
        for key, status in RETURNS.items()
    }


@dataclass
class RateRow:
    key: str
    label: str
    total: int
    rejected: int
    suspended: int
    sent_back: int

    def rate(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0.0

    @property
    def rates(self) -> dict[str, float]:
        return {key: self.rate(getattr(self, key)) for key in RETURNS}


def rates_by(invoices: QuerySet[Invoice], dimension: str) -> list[RateRow]:
    """Invoices deposited in scope and how many were rejected, suspended, sent back, grouped
    by `dimension` (recipient, supplier, channel), the most returned first."""
    column, _label = DIMENSIONS[dimension]
    rows = (
        invoices.order_by()
        .values(column)
        .annotate(total=Count("pk", distinct=True), **_return_counts())
        .order_by("-rejected", "-suspended", "-sent_back", "-total", column)
    )
    labels = dict(DepositChannel.choices) if dimension == "channel" else {}
    return [
        RateRow(
            key=row[column] or "",
            label=str(labels.get(row[column], row[column] or _("Inconnu"))),
            total=row["total"],
            rejected=row["rejected"],
            suspended=row["suspended"],
            sent_back=row["sent_back"],
        )
        for row in rows
    ]


def rates_by_month(invoices: QuerySet[Invoice]) -> list[RateRow]:
    """The same counts by month of deposit, oldest first."""
    rows = (
        invoices.order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(total=Count("pk", distinct=True), **_return_counts())
        .order_by("month")
    )
    return [
        RateRow(
            key=f"{row['month']:%Y-%m}",
            label=f"{row['month']:%m/%Y}",
            total=row["total"],
            rejected=row["rejected"],
            suspended=row["suspended"],
            sent_back=row["sent_back"],
        )
        for row in rows
    ]


def rates_total(by_month: list[RateRow]) -> RateRow:
    """The whole period, summed from `rates_by_month`: an invoice is deposited in one month
    only, so the sums are exact and the database is not asked again."""
    return RateRow(
        key="",
        label=str(_("Ensemble")),
        **{
            name: sum(getattr(row, name) for row in by_month)
            for name in ("total", "rejected", "suspended", "sent_back")
        },
    )


def rates_by_motive(invoices: QuerySet[Invoice], *, total: int) -> list[RateRow]:
    """Each motive and the invoices it rejected, suspended, sent back; `total` is the number
    of invoices in scope (the caller has it already), so that each rate reads against all
    invoices."""
    rows = (
        _moves(invoices)
        .values("motive")
        .annotate(
            **{
                key: Count("invoice", filter=Q(target=status), distinct=True)
                for key, status in RETURNS.items()
            },
            all_returns=Count("invoice", distinct=True),
        )
        .order_by("-all_returns", "motive")
    )
    labels = {motive.code: motive.label for motive in Motive.objects.all()}
    return [
        RateRow(
            key=row["motive"],
            label=str(labels.get(row["motive"], row["motive"] or _("Sans motif"))),
            total=total,
            rejected=row["rejected"],
            suspended=row["suspended"],
            sent_back=row["sent_back"],
        )
        for row in rows
    ]


@dataclass
class RuleRow:
    rule: str
    items: int


def refusals_by_rule(items: QuerySet[FlowItem]) -> list[RuleRow]:
    """The rules that refused the deposits in scope: for each rule id, how many refused
    invoices it was found in, the most frequent first. The findings are a JSON list on each
    flow item: the database unnests it (json_each, jsonb_array_elements) and groups."""
    refused = items.filter(status=FlowItemStatus.REFUSEE).order_by().values("pk")
    inner, params = refused.query.sql_with_params()
    table = FlowItem._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT finding->>'rule' AS rule, COUNT(DISTINCT item.id) AS n "
            f"FROM {table} item CROSS JOIN LATERAL jsonb_array_elements(item.findings) finding "
            f"WHERE item.id IN ({inner}) AND finding->>'severity' = 'fatal' "
            f"GROUP BY 1 ORDER BY 2 DESC, 1"
        )
    else:
        sql = (
            f"SELECT json_extract(finding.value, '$.rule') AS rule, COUNT(DISTINCT item.id) AS n "
            f"FROM {table} item, json_each(item.findings) finding "
            f"WHERE item.id IN ({inner}) "
            f"AND json_extract(finding.value, '$.severity') = 'fatal' "
            f"GROUP BY 1 ORDER BY 2 DESC, 1"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [RuleRow(rule=rule or "", items=count) for rule, count in cursor.fetchall()]


@dataclass
class DelayRow:
    key: str
    label: str
    count: int
    average_days: float | None


def _days(value: datetime.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def correction_delays(invoices: QuerySet[Invoice]) -> list[DelayRow]:
    """How long suppliers take to answer each send-back: from the suspension to the
    completion, from the send-back to the recycling, from the rejection to the deposit of
    the invoice correcting it (`Invoice.replaces`); the answered ones only."""
    moves = _moves(invoices)

    def next_move(target: str):
        return Subquery(
            InvoiceStatusChange.objects.filter(
                invoice=OuterRef("invoice"), target=target, at__gte=OuterRef("at")
            )
            .order_by("at", "pk")
            .values("at")[:1],
            output_field=DateTimeField(),
        )

    answers = {
        "suspended": (S.SUSPENDUE, next_move(S.COMPLETEE), _("Suspension → complétée")),
        "sent_back": (S.A_RECYCLER, next_move(S.DEPOSEE), _("Renvoi → recyclée")),
        "rejected": (
            S.REJETEE,
            Subquery(
                Invoice.objects.filter(replaces=OuterRef("invoice"))
                .order_by("created_at", "pk")
                .values("created_at")[:1],
                output_field=DateTimeField(),
            ),
            _("Rejet → facture corrigée déposée"),
        ),
    }
    rows = []
    for key, (status, answered_at, label) in answers.items():
        figures = (
            moves.filter(target=status)
            .annotate(answered_at=answered_at)
            .filter(answered_at__isnull=False)
            .annotate(
                delay=ExpressionWrapper(F("answered_at") - F("at"), output_field=DurationField())
            )
            .aggregate(count=Count("pk"), average=Avg("delay"))
        )
        rows.append(DelayRow(key, str(label), figures["count"], _days(figures["average"])))
    return rows


@dataclass
class WeekSummary:
    received: int
    rejected: int
    suspended: int
    sent_back: int
    motives: list[tuple[str, "Motive | None", int]]  # code, catalogue entry, send-backs

    @property
    def is_empty(self) -> bool:
        return not (self.received or self.rejected or self.suspended or self.sent_back)


def week_summary(invoices: QuerySet[Invoice], start, end, top: int = 5) -> WeekSummary:
    """What happened to the invoices in scope between `start` and `end`: how many arrived,
    how many the recipient rejected, suspended or sent back, and the most used motives."""
    received = invoices.order_by().filter(created_at__gte=start, created_at__lt=end).count()
    moves = _moves(invoices).filter(at__gte=start, at__lt=end)
    counts = moves.aggregate(
        **{
            key: Count("invoice", filter=Q(target=status), distinct=True)
            for key, status in RETURNS.items()
        }
    )
    by_motive = list(moves.values("motive").annotate(n=Count("pk")).order_by("-n", "motive")[:top])
    catalogue = Motive.objects.in_bulk([r["motive"] for r in by_motive])
    return WeekSummary(
        received=received,
        motives=[(r["motive"], catalogue.get(r["motive"]), r["n"]) for r in by_motive],
        **counts,
    )
