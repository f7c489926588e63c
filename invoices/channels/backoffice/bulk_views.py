"""Working on many invoices: bulk operations (launch, progress, result) and CSV exports of a
search and of an invoice's history."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header

from invoices.channels.backoffice import exports
from invoices.channels.backoffice.bulk import bulk_operation_create, search_criteria
from invoices.channels.backoffice.bulk_forms import SEARCH, BulkActionForm
from invoices.channels.backoffice.models import BulkOperation
from invoices.channels.backoffice.search import received_search
from invoices.channels.backoffice.views import BackofficeView, InvoiceListView, InvoiceMixin
from invoices.channels.pages import ACTION_LABELS
from invoices.selectors import invoice_timeline
from rejections.models import Motive

OPERATIONS_SHOWN = 50


class BulkOperationCreateView(InvoiceListView):
    """The bulk bar posted: the operation is recorded and queued, the agent watches it."""

    def get(self, request):
        return redirect("reception:invoice_list")

    def post(self, request):
        ids = [int(value) for value in request.POST.getlist("invoice") if value.isdigit()]
        form = BulkActionForm(request.POST, invoice_ids=ids)
        params = QueryDict(request.POST.get("bulk-search", ""))
        if form.is_valid():
            data = form.cleaned_data
            by_search = data["scope"] == SEARCH
            try:
                operation = bulk_operation_create(
                    membership=self.membership,
                    action=data["action"],
                    motive=data["motive"],
                    comment=data["comment"],
                    invoice_ids=None if by_search else ids,
                    search=search_criteria(params) if by_search else None,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("reception:bulk_operation", pk=operation.pk)
        return self.render_list(params, bulk=form, status=400)


class BulkOperationMixin:
    def operations(self):
        """The operations of the structure the agent may see: their own, or all for a
        manager."""
        operations = BulkOperation.objects.filter(structure=self.structure)
        if not self.membership.is_manager:
            operations = operations.filter(membership=self.membership)
        return operations

    def get_operation(self, pk) -> BulkOperation:
        return get_object_or_404(self.operations(), pk=pk)


class BulkOperationListView(BulkOperationMixin, BackofficeView):
    """The recent bulk operations: the agent's own, or all the structure's for a manager."""

    def get(self, request):
        operations = list(self.operations().select_related("created_by")[:OPERATIONS_SHOWN])
        for operation in operations:
            operation.action_label = ACTION_LABELS.get(operation.action, operation.action)
        return self.render_page("invoices/backoffice/bulk_operations.html", operations=operations)


class BulkOperationView(BulkOperationMixin, BackofficeView):
    """The operation's progress (static/invoices/bulk.js follows it) and, once finished, its
    result: how many invoices moved, and each refused one with its reason."""

    def get(self, request, pk):
        operation = self.get_operation(pk)
        return self.render_page(
            "invoices/backoffice/bulk_operation.html",
            operation=operation,
            action_label=ACTION_LABELS.get(operation.action, operation.action),
            motive=Motive.objects.filter(pk=operation.motive).first() if operation.motive else None,
            refusals=operation.refusals.select_related("invoice")[:500],
        )


class BulkOperationProgressView(BulkOperationMixin, BackofficeView):
    """The progress as JSON, polled by the operation's page."""

    def get(self, request, pk):
        operation = self.get_operation(pk)
        return JsonResponse(
            {
                "status": operation.status,
                "status_label": operation.get_status_display(),
                "total": operation.total,
                "done": operation.done,
                "refused": operation.refused_count,
                "percent": operation.percent,
                "finished": operation.is_finished,
            }
        )


def _csv_response(lines, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class InvoiceExportView(BackofficeView):
    """The current search as CSV, every invoice of it, streamed."""

    def get(self, request):
        _form, invoices = received_search(self.membership, request.GET)
        rows = exports.invoice_rows(invoices)
        return _csv_response(
            exports.csv_lines(exports.invoice_columns(), rows),
            f"factures-recues-{timezone.localdate():%Y-%m-%d}.csv",
        )


class InvoiceHistoryExportView(InvoiceMixin, BackofficeView):
    """One invoice's history (its timeline) as CSV."""

    def get(self, request, pk):
        invoice = self.get_invoice(pk)
        rows = exports.history_rows(invoice_timeline(invoice))
        return _csv_response(
            exports.csv_lines(exports.history_columns(), rows),
            f"historique-{invoice.number}.csv",
        )
