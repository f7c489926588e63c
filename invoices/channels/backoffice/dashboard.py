"""The figures of the reception dashboard, for an agent (their services) or a manager (the
whole structure): a handful of aggregate queries, whatever the number of invoices.

The counts by status come from the kept counts (invoices.counts); the rest reads only the
invoices still waiting or unpaid, and this week's arrivals, through two indexes
(`invoice_inbox_deposit` and `invoice_waiting`, which holds the service and the deposit date
too so that its scans never visit the table): paid and rejected invoices, most of a year's,
are never read."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.charts import Chart, Reference, Series
from chorus.models import Membership, Service
from invoices.counts import invoice_counts_for
from invoices.enums import InvoiceStatus
from invoices.models import Invoice

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
    invoices = _received(membership)
    # The counts by status are kept as invoices move (invoices.counts): never counted here.
    counts = invoice_counts_for(membership)
    to_process = sum(counts.get(status, 0) for status in TO_PROCESS)
    unpaid = sum(counts.get(status, 0) for status in UNPAID)

    # This week's arrivals: a range of the deposit index (recipient, created_at).
    arrivals = invoices.filter(created_at__gte=week).aggregate(
        arrived_today=Count("created_at", filter=Q(created_at__gte=today)),
        arrived_week=Count("*"),
    )
    # What waits, by how long: ranges of the waiting index (recipient, status, status_at).
    bands = invoices.filter(status__in=TO_PROCESS).aggregate(
        **{
            f"band{i}": Count(
                "status_at",
                filter=Q(status_at__lte=now - datetime.timedelta(days=low))
                & (
                    Q()
                    if high is None
                    else Q(status_at__gt=now - datetime.timedelta(days=high + 1))
                ),
            )
            for i, (_label, low, high) in enumerate(AGE_BANDS)
        }
    )
    # Unpaid for more than the legal delay: all the unpaid ones but the recent deposits.
    recent_unpaid = invoices.filter(
        status__in=UNPAID, created_at__gte=now - datetime.timedelta(days=LEGAL_DELAY_DAYS)
    ).count()
    figures = {
        **arrivals,
        **bands,
        "to_process": to_process,
        "suspended": counts.get(S.SUSPENDUE, 0),
        "unpaid": unpaid,
        "unpaid_late": unpaid - recent_unpaid,
    }
    return Dashboard(
        arrived_today=figures["arrived_today"],
        arrived_week=figures["arrived_week"],
        to_process=figures["to_process"],
        oldest_to_process=_longest_waiting(invoices.filter(status__in=TO_PROCESS), now),
        age_chart=Chart(
            title=_("Factures à traiter, selon leur attente"),
            labels=[str(label) for label, _low, _high in AGE_BANDS],
            series=[Series(_("Factures"), [figures[f"band{i}"] for i in range(len(AGE_BANDS))])],
            unit=_("factures"),
        ),
        suspended=figures["suspended"],
        oldest_suspended=_longest_waiting(invoices.filter(status=S.SUSPENDUE), now),
        unpaid=figures["unpaid"],
        unpaid_late=figures["unpaid_late"],
        delay_chart=_delay_chart(invoices, now),
    )


def _longest_waiting(invoices, now) -> list[Invoice]:
    """The longest waiting of `invoices`, with their days of waiting: their ids read from the
    waiting index alone, then only the columns shown."""
    ids = list(invoices.order_by("status_at", "pk").values_list("pk", flat=True)[:OLDEST_SHOWN])
    waited = ExpressionWrapper(Value(now) - F("status_at"), output_field=DurationField())
    rows = list(
        Invoice.objects.filter(pk__in=ids)
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
        .order_by("status_at", "pk")
    )
    for invoice in rows:
        invoice.days = _days(invoice.waited)
    return rows


def _received(membership: Membership):
    """The invoices the dashboard reads: the recipient's, an agent's services' and those
    without a service; no join (the indexes answer alone)."""
    invoices = Invoice.objects.filter(recipient=membership.structure_id)
    if not membership.is_manager:
        invoices = invoices.filter(
            Q(service__isnull=True)
            | Q(service__in=list(membership.services.values_list("pk", flat=True)))
        )
    return invoices.order_by()


def _delay_chart(invoices, now) -> Chart:
    """The delay so far of the unpaid invoices (since their deposit), by service: the mean
    and the longest, against the legal 30 days. One grouped query."""
    elapsed = ExpressionWrapper(Value(now) - F("created_at"), output_field=DurationField())
    rows = list(
        invoices.filter(status__in=UNPAID)
        .values("service_id")
        .annotate(count=Count("*"), mean=Avg(elapsed), first=Min("created_at"))
        .order_by("-count", "service_id")[:SERVICES_CHARTED]
    )
    codes = dict(
        Service.objects.filter(pk__in=[row["service_id"] for row in rows]).values_list("pk", "code")
    )
    for row in rows:
        row["code"] = codes.get(row["service_id"], "")
    rows.sort(key=lambda row: (-row["count"], row["code"]))
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
