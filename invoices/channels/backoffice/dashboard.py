"""The figures of the reception dashboard, for an agent (their services) or a manager (the
whole structure): a handful of aggregate queries, whatever the number of invoices."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.charts import Chart, Reference, Series
from chorus.models import Membership
from invoices.enums import InvoiceStatus
from invoices.selectors import invoices_received_for

S = InvoiceStatus
# Waiting for the agent: newly available, or completed by the supplier.
TO_PROCESS = (S.MISE_A_DISPOSITION, S.COMPLETEE)
# Received and not paid yet: the payment delay is running (a rejected or sent-back invoice
# leaves the count: the supplier issues a new one or corrects it).
UNPAID = (
    S.MISE_A_DISPOSITION,
    S.COMPLETEE,
    S.SUSPENDUE,
    S.SERVICE_FAIT,
    S.MANDATEE,
    S.MISE_A_DISPOSITION_COMPTABLE,
    S.COMPTABILISEE,
)
LEGAL_DELAY_DAYS = 30  # délai global de paiement of the State (Code de la commande publique)
OLDEST_SHOWN = 10
SERVICES_CHARTED = 12
# The waiting time bands of the "to process" chart: (label, from days, to days).
AGE_BANDS = (
    (gettext_lazy("moins de 8 jours"), 0, 7),
    (gettext_lazy("8 à 15 jours"), 8, 15),
    (gettext_lazy("16 à 30 jours"), 16, 30),
    (gettext_lazy("plus de 30 jours"), 31, None),
)


@dataclass
class Dashboard:
    arrived_today: int
    arrived_week: int
    to_process: int
    oldest_to_process: list
    age_chart: Chart
    suspended: int
    oldest_suspended: list
    unpaid: int
    unpaid_late: int
    delay_chart: Chart


def _days(delta) -> int:
    return delta.days if delta is not None else 0


def reception_dashboard(
    membership: Membership, *, now: datetime.datetime | None = None
) -> Dashboard:
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    week = today - datetime.timedelta(days=today.weekday())
    invoices = invoices_received_for(membership).select_related(None).order_by()

    bands = {
        f"band{i}": Count(
            "pk",
            filter=Q(status__in=TO_PROCESS, status_at__lte=now - datetime.timedelta(days=low))
            & (Q() if high is None else Q(status_at__gt=now - datetime.timedelta(days=high + 1))),
        )
        for i, (_label, low, high) in enumerate(AGE_BANDS)
    }
    # Only the rows a figure counts: the unpaid ones and this week's arrivals (paid and
    # rejected invoices, most of a year's, are never read).
    figures = invoices.filter(Q(status__in=UNPAID) | Q(created_at__gte=week)).aggregate(
        arrived_today=Count("pk", filter=Q(created_at__gte=today)),
        arrived_week=Count("pk", filter=Q(created_at__gte=week)),
        to_process=Count("pk", filter=Q(status__in=TO_PROCESS)),
        suspended=Count("pk", filter=Q(status=S.SUSPENDUE)),
        unpaid=Count("pk", filter=Q(status__in=UNPAID)),
        unpaid_late=Count(
            "pk",
            filter=Q(
                status__in=UNPAID,
                created_at__lt=now - datetime.timedelta(days=LEGAL_DELAY_DAYS),
            ),
        ),
        **bands,
    )
    waited = ExpressionWrapper(Value(now) - F("status_at"), output_field=DurationField())
    oldest = (
        invoices.filter(status__in=TO_PROCESS)
        .select_related("supplier", "service")
        .only(
            "pk",
            "number",
            "status",
            "status_at",
            "total_with_vat",
            "currency",
            "supplier__legal_name",
            "service__code",
        )
        .annotate(waited=waited)
        .order_by("status_at", "pk")[:OLDEST_SHOWN]
    )
    suspended = (
        invoices.filter(status=S.SUSPENDUE)
        .select_related("supplier", "service")
        .only(
            "pk",
            "number",
            "status",
            "status_at",
            "total_with_vat",
            "currency",
            "supplier__legal_name",
            "service__code",
        )
        .annotate(waited=waited)
        .order_by("status_at", "pk")[:OLDEST_SHOWN]
    )
    return Dashboard(
        arrived_today=figures["arrived_today"],
        arrived_week=figures["arrived_week"],
        to_process=figures["to_process"],
        oldest_to_process=[_with_days(i) for i in oldest],
        age_chart=Chart(
            title=_("Factures à traiter, selon leur attente"),
            labels=[str(label) for label, _low, _high in AGE_BANDS],
            series=[Series(_("Factures"), [figures[f"band{i}"] for i in range(len(AGE_BANDS))])],
            unit=_("factures"),
        ),
        suspended=figures["suspended"],
        oldest_suspended=[_with_days(i) for i in suspended],
        unpaid=figures["unpaid"],
        unpaid_late=figures["unpaid_late"],
        delay_chart=_delay_chart(invoices, now),
    )


def _with_days(invoice):
    invoice.days = _days(invoice.waited)
    return invoice


def _delay_chart(invoices, now) -> Chart:
    """The delay so far of the unpaid invoices (since their deposit), by service: the mean
    and the longest, against the legal 30 days. One grouped query."""
    elapsed = ExpressionWrapper(Value(now) - F("created_at"), output_field=DurationField())
    rows = (
        invoices.filter(status__in=UNPAID)
        .values(code=Coalesce("service__code", Value("")))
        .annotate(count=Count("pk"), mean=Avg(elapsed), first=Min("created_at"))
        .order_by("-count", "code")[:SERVICES_CHARTED]
    )
    rows = list(rows)
    return Chart(
        title=_("Délai écoulé des factures non payées, par service"),
        labels=[row["code"] or _("Sans service") for row in rows],
        series=[
            Series(_("Délai moyen"), [_days(row["mean"]) for row in rows]),
            Series(_("Délai le plus long"), [_days(now - row["first"]) for row in rows]),
        ],
        unit=_("jours"),
        description=_("Depuis le dépôt de la facture ; la ligne rouge marque le délai légal."),
        reference=Reference(LEGAL_DELAY_DAYS, _("Délai légal : 30 jours")),
    )
