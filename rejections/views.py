"""Rejection dashboards (issue 9 §6): the whole platform for administrators, a public
structure's received invoices for its members, a supplier's own invoices. Each table has its
chart and a CSV export (`?export=<table>`).

The scope comes from who asks, never from the URL: a supplier sees only what it issued, a
public structure only what it received (an agent, within their services)."""

from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import View

from chorus.access import MembershipRequiredMixin
from chorus.charts import Chart, Series
from chorus.spreadsheets import csv_writer, spreadsheet_cell
from invoices.models import FlowItem, Invoice
from invoices.selectors import invoices_received_for
from rejections import statistics as st
from rejections.forms import PeriodForm

CHART_ROWS = 12


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: Chart | None = None

    def shown_rows(self) -> list[list[str]]:
        return [[_shown(cell) for cell in row] for row in self.rows]


def _shown(value) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return number_format(value, use_l10n=True, force_grouping=True)
    return "" if value is None else str(value)


def _rate_headers(first: str) -> list[str]:
    return [
        first,
        _("Factures déposées"),
        _("Rejetées"),
        _("Suspendues"),
        _("Renvoyées pour recyclage"),
        _("Taux de rejet (%)"),
        _("Taux de suspension (%)"),
        _("Taux de renvoi (%)"),
    ]


def _rate_cells(row: st.RateRow) -> list:
    rates = row.rates
    return [
        row.label,
        row.total,
        row.rejected,
        row.suspended,
        row.sent_back,
        rates["rejected"],
        rates["suspended"],
        rates["sent_back"],
    ]


def _rates_chart(title: str, rows: list[st.RateRow], description: str = "") -> Chart:
    rows = rows[:CHART_ROWS]
    return Chart(
        title=title,
        labels=[row.label for row in rows],
        series=[
            Series(str(st.RETURN_LABELS[key]), [row.rates[key] for row in rows])
            for key in st.RETURNS
        ],
        unit="%",
        description=description,
    )


def rate_table(key: str, title: str, first: str, rows: list[st.RateRow]) -> Table:
    return Table(
        key=key,
        title=title,
        headers=_rate_headers(first),
        rows=[_rate_cells(row) for row in rows],
        chart=_rates_chart(title, rows),
    )


def statistics_tables(
    *, invoices, items, dimensions: list[str], months: int = st.DEFAULT_MONTHS
) -> tuple[st.RateRow, list[Table]]:
    """The totals and the dashboard's tables for the invoices (and refused deposits, `items`,
    or None) in scope, over the last `months` months."""
    since = st.period_start(months)
    invoices = invoices.filter(created_at__gte=since)
    by_month = st.rates_by_month(invoices)
    total = st.rates_total(by_month)
    tables = [rate_table("mois", _("Taux de retour par mois de dépôt"), _("Mois"), by_month)]
    motives = st.rates_by_motive(invoices, total=total.total)
    tables.append(
        Table(
            key="motifs",
            title=_("Retours par motif"),
            headers=[
                _("Motif"),
                _("Code"),
                _("Rejetées"),
                _("Suspendues"),
                _("Renvoyées pour recyclage"),
                _("Part des factures déposées (%)"),
            ],
            rows=[
                [
                    row.label,
                    row.key,
                    row.rejected,
                    row.suspended,
                    row.sent_back,
                    row.rate(row.rejected + row.suspended + row.sent_back),
                ]
                for row in motives
            ],
            chart=Chart(
                title=_("Retours par motif"),
                labels=[row.key for row in motives[:CHART_ROWS]],
                series=[
                    Series(str(st.RETURN_LABELS[k]), [getattr(r, k) for r in motives[:CHART_ROWS]])
                    for k in st.RETURNS
                ],
                unit=_("factures"),
            ),
        )
    )
    titles = {
        "recipient": (_("Taux de retour par destinataire"), "destinataires"),
        "supplier": (_("Taux de retour par fournisseur"), "fournisseurs"),
        "channel": (_("Taux de retour par canal de dépôt"), "canaux"),
    }
    for dimension in dimensions:
        title, key = titles[dimension]
        tables.append(
            rate_table(
                key, title, str(st.DIMENSIONS[dimension][1]), st.rates_by(invoices, dimension)
            )
        )
    if items is not None:
        rules = st.refusals_by_rule(items.filter(flow__created_at__gte=since))
        tables.append(
            Table(
                key="regles",
                title=_("Refus au dépôt par règle"),
                headers=[_("Règle"), _("Factures refusées")],
                rows=[[row.rule, row.items] for row in rules],
                chart=Chart(
                    title=_("Refus au dépôt par règle"),
                    labels=[row.rule for row in rules[:CHART_ROWS]],
                    series=[Series(_("Factures refusées"), [r.items for r in rules[:CHART_ROWS]])],
                    unit=_("factures"),
                ),
            )
        )
    delays = st.correction_delays(invoices)
    tables.append(
        Table(
            key="delais",
            title=_("Délai de réponse du fournisseur"),
            headers=[_("Retour"), _("Retours traités"), _("Délai moyen (jours)")],
            rows=[[row.label, row.count, row.average_days] for row in delays],
            chart=Chart(
                title=_("Délai de réponse du fournisseur"),
                labels=[row.label for row in delays],
                series=[Series(_("Délai moyen"), [row.average_days or 0 for row in delays])],
                unit=_("jours"),
            ),
        )
    )
    return total, tables


class StatisticsMixin:
    template_name = "rejections/statistics.html"
    dimensions: list[str] = []

    def get(self, request):
        invoices, items = self.scope()
        period = PeriodForm(request.GET or None)
        months = period.months()
        total, tables = statistics_tables(
            invoices=invoices, items=items, dimensions=self.dimensions, months=months
        )
        wanted = request.GET.get("export")
        if wanted:
            table = next((t for t in tables if t.key == wanted), None)
            if table is None:
                raise Http404
            return self.export(table)
        return render(
            request,
            self.template_name,
            {
                "heading": self.heading(),
                "period": period,
                "months": months,
                "tables": tables,
                "total": total,
                "since": st.period_start(months),
            },
            status=400 if period.is_bound and not period.is_valid() else 200,
        )

    def export(self, table: Table) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"statistiques-{table.key}-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write("\ufeff")  # spreadsheets read the accents as UTF-8
        writer = csv_writer(response)
        writer.writerow([spreadsheet_cell(header) for header in table.headers])
        for row in table.rows:
            writer.writerow([spreadsheet_cell(cell) for cell in row])
        return response


class StructureStatisticsView(StatisticsMixin, MembershipRequiredMixin, View):
    """A public structure's received invoices, or a supplier's own."""

    def scope(self):
        if self.structure.is_public:
            self.dimensions = ["supplier", "channel"]
            return invoices_received_for(self.membership), None
        self.dimensions = ["recipient", "channel"]
        return (
            Invoice.objects.filter(supplier=self.structure),
            FlowItem.objects.filter(flow__structure=self.structure),
        )

    def heading(self) -> str:
        if self.structure.is_public:
            return _("Statistiques des rejets : factures reçues par %(name)s") % {
                "name": self.structure.legal_name
            }
        return _("Statistiques des rejets : factures émises par %(name)s") % {
            "name": self.structure.legal_name
        }


class PlatformStatisticsView(StatisticsMixin, LoginRequiredMixin, View):
    """The whole platform, for its administrators (staff)."""

    dimensions = ["recipient", "supplier", "channel"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def scope(self):
        return Invoice.objects.all(), FlowItem.objects.all()

    def heading(self) -> str:
        return _("Statistiques des rejets : toute la plateforme")
