"""The reception dashboard: what arrived, what waits and for how long, the payment delay so
far against the legal 30 days, the suspended invoices awaiting their supplier."""

from invoices.channels.backoffice.dashboard import LEGAL_DELAY_DAYS, reception_dashboard
from invoices.channels.backoffice.views import BackofficeView


class DashboardView(BackofficeView):
    def get(self, request):
        return self.render_page(
            "invoices/backoffice/dashboard.html",
            dashboard=reception_dashboard(self.membership),
            legal_delay=LEGAL_DELAY_DAYS,
        )
