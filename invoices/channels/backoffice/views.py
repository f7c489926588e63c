"""The agents' pages: the invoices received by their structure, within their services
(`invoices.selectors.invoices_received_for`), and the moves they may make on them.

Another structure's invoice, or one of a service the agent does not act for, answers 404;
suppliers are refused (403). A refused move comes back to the invoice page with its reason.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from chorus.access import MembershipRequiredMixin
from chorus.pagination import page_of
from chorus.workflow import Actor, TransitionRefused, available_transitions
from chorus.workflow.core import MOTIVE
from invoices.channels.backoffice import forms
from invoices.channels.backoffice.bulk_forms import bulk_bar_context
from invoices.channels.backoffice.search import received_search
from invoices.channels.pages import ACTION_LABELS, invoice_data, refusal_on_form
from invoices.enums import InvoiceStatus
from invoices.formats.facturx import render_pdf
from invoices.models import AttachmentUpload, DocumentSyntax, Invoice
from invoices.selectors import invoice_timeline, invoices_received_for
from invoices.services import invoice_process

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
    def get(self, request):
        return self.render_list(request.GET)

    def render_list(self, params, *, bulk=None, status: int = 200) -> HttpResponse:
        """The inbox for the search `params`; `bulk`: the bulk action form posted with its
        errors, in place of a blank one."""
        search, invoices = received_search(self.membership, params)
        return self.render_page(
            "invoices/backoffice/invoice_list.html",
            status=status,
            search=search,
            searched=bool(params.keys() - {"page"}),
            page_obj=page_of(self.request, invoices, PAGE_SIZE),
            **bulk_bar_context(params, bulk),
        )


class InvoiceMixin:
    def get_invoice(self, pk) -> Invoice:
        return get_object_or_404(self.received(), pk=pk)


class InvoiceDetailView(InvoiceMixin, BackofficeView):
    """The invoice as received, its data, its history and a form per move available now."""

    def get(self, request, pk):
        return self.render_detail(self.get_invoice(pk))

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
                    "url": reverse(
                        "reception:invoice_process", args=[invoice.pk, transition.target]
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
        return redirect("reception:invoice_detail", pk=invoice.pk)


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
        return redirect("reception:invoice_detail", pk=invoice.pk)


class InvoiceDocumentView(InvoiceMixin, BackofficeView):
    """The invoice to read, shown in the browser: the Factur-X as received, or for UBL and
    CII a PDF the platform renders from the data."""

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
