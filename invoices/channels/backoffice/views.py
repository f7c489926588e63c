"""The agents' pages: the invoices received by their structure, within their services
(`invoices.selectors.invoices_received_for`), and the moves they may make on them.

Another structure's invoice, or one of a service the agent does not act for, answers 404;
suppliers are refused (403). A refused move comes back to the invoice page with its reason.
"""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from chorus.access import MembershipRequiredMixin
from chorus.pagination import AFTER, BEFORE, after, keyset_ordering, keyset_page_of, row_key
from chorus.workflow import Actor, TransitionRefused, available_transitions
from chorus.workflow.core import MOTIVE
from invoices.channels.backoffice import forms
from invoices.channels.backoffice.bulk_forms import bulk_bar_context
from invoices.channels.backoffice.search import (
    SORT_COLUMNS,
    received_counts,
    received_search,
    received_sort,
    received_tabs,
    received_total,
)
from invoices.channels.pages import ACTION_LABELS, invoice_data, invoice_links, refusal_on_form
from invoices.enums import InvoiceStatus
from invoices.formats.facturx import render_pdf
from invoices.models import AttachmentUpload, DocumentSyntax, InboxView, Invoice
from invoices.selectors import invoice_timeline, invoices_received_for
from invoices.services import inbox_view_forget, inbox_view_save, invoice_process

PAGE_SIZE = 20


class BackofficeView(MembershipRequiredMixin, View):
    """A page of the public structure the agent acts under."""

    public = True

    def render_page(self, template_name: str, status: int = 200, **context) -> HttpResponse:
        context.update(membership=self.membership, structure=self.structure)
        return render(self.request, template_name, context, status=status)

    def received(self):
        return invoices_received_for(self.membership)


class InvoiceListView(BackofficeView):
    """The inbox: tabs with their counts, the search, a page of invoices read by keyset."""

    def get(self, request):
        saved = InboxView.objects.filter(membership=self.membership).first()
        if not request.GET and saved is not None and saved.query:
            return redirect(f"{request.path}?{saved.query}")
        return self.render_list(request.GET, saved_view=saved)

    def render_list(self, params, *, bulk=None, saved_view=None, status: int = 200):
        """The inbox for the search `params`; `bulk`: the bulk action form posted with its
        errors, in place of a blank one."""
        search_form, invoices = received_search(self.membership, params)
        key, descending = received_sort(search_form)
        page = keyset_page_of(
            self.request, invoices, key=key, descending=descending, per_page=PAGE_SIZE
        )
        query = search_query(params)
        counts = received_counts(self.membership, search_form)
        if saved_view is None:
            saved_view = InboxView.objects.filter(membership=self.membership).first()
        return self.render_page(
            "invoices/backoffice/invoice_list.html",
            status=status,
            search=search_form,
            searched=bool(params.keys() - {"page", AFTER, BEFORE, "tab", "sort"}),
            page_obj=page,
            tabs=received_tabs(search_form, counts),
            total=received_total(search_form, invoices, counts),
            query=query,
            saved_view=saved_view,
            **bulk_bar_context(query, bulk),
        )


def search_query(params) -> str:
    """The search's query string, without the page's cursor."""
    params = params.copy()
    for name in (AFTER, BEFORE, "page"):
        params.pop(name, None)
    return params.urlencode()


class InboxViewSaveView(BackofficeView):
    """Saves the search posted (`query`) as the agent's default view of the inbox, or
    forgets it (`forget`)."""

    def post(self, request):
        if request.POST.get("forget"):
            inbox_view_forget(membership=self.membership)
            messages.success(request, _("Votre vue par défaut est supprimée."))
            return redirect(f"{reverse('reception:invoice_list')}?tab=")
        params = QueryDict(request.POST.get("query", ""))
        search_form, _invoices = received_search(self.membership, params)
        if params and not search_form.is_valid():
            messages.error(
                request,
                _("Cette recherche contient des erreurs : corrigez-la avant de l'enregistrer."),
            )
            return redirect(f"{reverse('reception:invoice_list')}?{search_query(params)}")
        query = inbox_view_save(membership=self.membership, search=search_form).query
        messages.success(
            request,
            _("Cette recherche s'affichera désormais à l'ouverture de vos factures reçues."),
        )
        return redirect(f"{reverse('reception:invoice_list')}?{query}")


def with_query(url: str, request) -> str:
    """`url` with the search the agent came from, so that the invoice page keeps its
    "previous / next" after a move."""
    query = search_query(request.GET)
    return f"{url}?{query}" if query else url


class InvoiceMixin:
    def get_invoice(self, pk) -> Invoice:
        return get_object_or_404(self.received(), pk=pk)


class InvoiceDetailView(InvoiceMixin, BackofficeView):
    """The invoice as received, its data, its history and a form per move available now."""

    def get(self, request, pk):
        return self.render_detail(self.get_invoice(pk))

    def neighbours(self, invoice) -> dict:
        """The invoices before and after this one in the search the agent came from (carried
        in the query string), found from its sort key as the next page would be."""
        query = search_query(self.request.GET)
        if not query:
            return {}
        search_form, invoices = received_search(self.membership, self.request.GET)
        key, descending = received_sort(search_form)
        values = row_key(invoice, SORT_COLUMNS.get(key, key))
        found = {}
        for name, down, reverse_order in (
            ("previous", not descending, True),
            ("next", descending, False),
        ):
            pk = (
                invoices.filter(after(key, values, descending=down))
                .order_by(*keyset_ordering(key, descending, reverse=reverse_order))
                .values_list("pk", flat=True)
                .first()
            )
            if pk is not None:
                found[name] = f"{reverse('reception:invoice_detail', args=[pk])}?{query}"
        found["list"] = f"{reverse('reception:invoice_list')}?{query}"
        return found

    def render_detail(self, invoice, *, bound=None, dispute=None, refusal="", status=200):
        """The page, with `bound` (a posted form with its errors) in place of its blank
        form, `dispute` in place of the blank send-back form (the moves that need a
        motive: one form that starts from the motive) and `refusal` (why the move was
        refused) as an alert."""
        actor = Actor.member(self.membership)
        actions = []
        disputes = []
        for transition in available_transitions(document=invoice, actor=actor):
            if MOTIVE in transition.requires:
                disputes.append(transition.action)
                continue
            is_bound = bound is not None and bound.transition == transition
            actions.append(
                {
                    "transition": transition,
                    "label": ACTION_LABELS[transition.action],
                    "url": with_query(
                        reverse("reception:invoice_process", args=[invoice.pk, transition.target]),
                        self.request,
                    ),
                    "form": bound if is_bound else forms.ProcessForm(transition=transition),
                    "open": is_bound,
                }
            )
        return self.render_page(
            "invoices/backoffice/invoice_detail.html",
            status=status,
            invoice=invoice,
            timeline=invoice_timeline(invoice),
            attachment_url_name="reception:added_attachment",
            actions=actions,
            dispute=dispute
            or (
                forms.DisputeForm(outcomes=disputes, document=invoice.canonical)
                if disputes
                else None
            ),
            refusal=refusal,
            **invoice_links(invoice, visible=self.received(), url_name="reception:invoice_detail"),
            neighbours=self.neighbours(invoice),
            query=search_query(self.request.GET),
            **invoice_data(invoice),
        )

    def dispute_transitions(self, invoice) -> dict:
        """The moves possible now that need a motive, by action name."""
        actor = Actor.member(self.membership)
        return {
            t.action: t
            for t in available_transitions(document=invoice, actor=actor)
            if MOTIVE in t.requires
        }


class InvoiceDisputeView(InvoiceDetailView):
    """Suspending, sending back or rejecting, from the motive: posted without an outcome,
    the page comes back with the least disruptive one the motive allows proposed."""

    def get(self, request, pk):
        return redirect("reception:invoice_detail", pk=pk)

    def post(self, request, pk):
        invoice = self.get_invoice(pk)
        transitions = self.dispute_transitions(invoice)
        form = forms.DisputeForm(
            request.POST, outcomes=list(transitions), document=invoice.canonical
        )
        if not form.is_valid():
            return self.render_detail(invoice, dispute=form, status=400)
        proposed = form.outcome_to_propose()
        data = form.cleaned_data
        if proposed:
            proposal = forms.DisputeForm(
                initial={**data, "outcome": proposed},
                outcomes=list(transitions),
                document=invoice.canonical,
            )
            proposal.proposed = proposed
            return self.render_detail(invoice, dispute=proposal)
        try:
            invoice_process(
                invoice=invoice,
                actor=Actor.member(self.membership),
                target=transitions[data["outcome"]].target,
                motive=data["motive"],
                comment=data["comment"],
                lines=data["lines"],
                disputed_amount=data["disputed_amount"],
            )
        except TransitionRefused as refused:
            if refusal_on_form(refused, form):
                return self.render_detail(invoice, dispute=form, status=400)
            return self.render_detail(invoice, refusal=refused.message, status=403)
        messages.success(
            request,
            _("La facture %(number)s passe au statut « %(status)s ».")
            % {
                "number": invoice.number,
                "status": InvoiceStatus(transitions[data["outcome"]].target).label,
            },
        )
        return redirect(with_query(reverse("reception:invoice_detail", args=[invoice.pk]), request))


class InvoiceProcessView(InvoiceDetailView):
    """A recipient's move to `target`, posted from the invoice page."""

    def get(self, request, pk, target):
        return redirect("reception:invoice_detail", pk=pk)

    def post(self, request, pk, target):
        invoice = self.get_invoice(pk)
        if target not in InvoiceStatus.values:
            raise Http404
        actor = Actor.member(self.membership)
        transition = next(
            (t for t in available_transitions(document=invoice, actor=actor) if t.target == target),
            None,
        )
        form = None
        if transition is not None:
            form = forms.ProcessForm(request.POST, transition=transition)
            if not form.is_valid():
                return self.render_detail(invoice, bound=form, status=400)
        data = form.cleaned_data if form is not None else {}
        try:
            # Not available now: the workflow core says why (wrong status or role).
            invoice_process(
                invoice=invoice,
                actor=actor,
                target=target,
                comment=data.get("comment", ""),
                mandate_number=data.get("mandate_number", ""),
            )
        except TransitionRefused as refused:
            if form is not None and refusal_on_form(refused, form):
                return self.render_detail(invoice, bound=form, status=400)
            return self.render_detail(invoice, refusal=refused.message, status=403)
        messages.success(
            request,
            _("La facture %(number)s passe au statut « %(status)s ».")
            % {"number": invoice.number, "status": InvoiceStatus(target).label},
        )
        return redirect(with_query(reverse("reception:invoice_detail", args=[invoice.pk]), request))


@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": [SELF]}), name="dispatch")
class InvoiceDocumentView(InvoiceMixin, BackofficeView):
    """The invoice to read, shown in the browser: the Factur-X as received, or for UBL and
    CII a PDF the platform renders from the data. The invoice page shows it beside the data,
    framed: the platform's own pages may frame it, no other site."""

    def get(self, request, pk):
        invoice = self.get_invoice(pk)
        if invoice.syntax == DocumentSyntax.FACTURX:
            data = invoice.received_file.read_bytes()
        else:
            data = render_pdf(invoice.canonical)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            False, f"facture-{invoice.number}.pdf"
        )
        return response


class InvoiceFileView(InvoiceMixin, BackofficeView):
    def get(self, request, pk):
        received = self.get_invoice(pk).received_file
        return FileResponse(
            received.file.open("rb"),
            as_attachment=True,
            filename=received.filename,
            content_type=received.content_type,
        )


class EmbeddedAttachmentView(InvoiceMixin, BackofficeView):
    """A supporting document embedded in the invoice (BG-24), by its position."""

    def get(self, request, pk, index):
        attachments = self.get_invoice(pk).canonical.attachments
        if index >= len(attachments) or attachments[index].content is None:
            raise Http404
        attachment = attachments[index]
        response = HttpResponse(
            attachment.content, content_type=attachment.mime_code or "application/octet-stream"
        )
        response["Content-Disposition"] = content_disposition_header(
            True, attachment.filename or attachment.id
        )
        return response


class AddedAttachmentView(BackofficeView):
    """A supporting document the supplier added after the deposit (completing the invoice)."""

    def get(self, request, pk):
        upload = get_object_or_404(
            AttachmentUpload.objects.select_related("received_file"),
            pk=pk,
            invoice_attachment__invoice__in=self.received(),
        )
        return FileResponse(
            upload.received_file.file.open("rb"),
            as_attachment=True,
            filename=upload.name,
            content_type=upload.mime_type,
        )
