"""The inbox search: what the agent may see, narrowed by the search form.

The one entry point of the inbox, the bulk operations and the CSV export, so that the three
always agree on what "the current search" holds.
"""

from django.db.models import QuerySet
from django.http import QueryDict

from chorus.models import Membership
from invoices.channels.backoffice.forms import ReceivedSearchForm
from invoices.selectors import invoices_listed, invoices_received_for


def received_search(
    membership: Membership, params: QueryDict
) -> tuple[ReceivedSearchForm, QuerySet]:
    """The search form bound to `params` (unbound when empty) and the invoices the agent may
    see that match it, newest deposit first. Invalid criteria are ignored (the form shows
    their errors)."""
    form = ReceivedSearchForm(params or None)
    invoices = invoices_received_for(membership)
    if form.is_valid():
        data = form.cleaned_data
        invoices = invoices_listed(
            invoices,
            party="supplier",
            term=data["supplier"],
            number=data["number"],
            status=data["status"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    return form, invoices.order_by("-created_at", "-pk")
