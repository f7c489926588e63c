"""Pages and small JSON endpoints of the supplier portal.

Every view acts for the supplier structure the user works under (chosen in the header):
flows, invoices, drafts and attachments are looked up within it, so another structure's ids
answer 404. Public structures' agents are refused (403).

The invoice form works without JavaScript: its extra buttons (choose the recipient, add a
line, recompute the totals, remove an attachment) post the form and the page comes back with
what was typed. The script only saves those round trips; it computes nothing itself.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views import View
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from chorus.access import MembershipRequiredMixin
from chorus.pagination import AFTER, BEFORE, capped_count, keyset_page_of, page_of
from chorus.selectors import public_structures_search
from chorus.workflow import Actor, TransitionRefused, available_transitions
from invoices import canonical as c
from invoices.channels.pages import (
    ACTION_LABELS,
    SUPPLIER_NEXT_STEPS,
    invoice_data,
    invoice_links,
    refusal_on_form,
)
from invoices.channels.portal import forms, services
from invoices.channels.portal.computations import (
    KeyedTotals,
    canonical_lines,
    keyed_state_from,
    keyed_state_from_document,
    keyed_totals,
    vat_label,
)
from invoices.enums import DepositChannel, FlowItemStatus, FlowSyntax, InvoiceStatus
from invoices.formats import read as read_invoice
from invoices.formats.detect import UnsupportedDocument
from invoices.formats.facturx import money
from invoices.ingestion.receive import flow_receive
from invoices.ingestion.report import flow_report
from invoices.ingestion.report_pdf import flow_report_context, flow_report_pdf
from invoices.keyed import KeyedInvoice, attachment_from_upload, bank_transfer
from invoices.models import AttachmentUpload, DocumentSyntax, Flow, Invoice, InvoiceDraft
from invoices.selectors import (
    deposits_refused_to,
    invoice_timeline,
    invoices_listed,
    invoices_returned_to,
)
from invoices.services import (
    attachment_upload_create,
    invoice_check,
    invoice_complete,
    invoice_correction_refused,
    invoice_recycle,
    invoice_rejection_acknowledge,
)
from invoices.totals import Exemption
from invoices.validation.explanations import explain
from invoices.validation.reading import MAX_FILE_BYTES

PAGE_SIZE = 20
SUGGESTIONS = 10
MAX_LINES = 500
# What a draft keeps of the invoice form, besides its lines.
STATE_FIELDS = (
    "recipient_siret",
    "service_code",
    "engagement",
    "type_code",
    "preceding_number",
    "number",
    "issue_date",
    "due_date",
    "delivery_date",
    "vat_exemption_reason",
    "payment_terms",
    "bank_account",
    "attachment_ids",
    "pdf_token",
    "replaces",
)
RECIPIENT_FIELDS = ("recipient_siret", "service_code", "engagement")
LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "vat")


def refused_portal_flows(structure):
    """The structure's portal deposits of one Factur-X invoice (a keyed invoice, or one
    uploaded), refused: the keying form can be filled again from them."""
    return (
        Flow.objects.filter(
            structure=structure,
            channel=DepositChannel.PORTAIL,
            syntax=FlowSyntax.FACTURX,
            items__status=FlowItemStatus.REFUSEE,
        )
        .exclude(items__status__in=[FlowItemStatus.INTEGREE, FlowItemStatus.EN_ATTENTE])
        .distinct()
    )


class PortalView(MembershipRequiredMixin, View):
    """A page of the structure the user acts under, as the supplier of its invoices: a
    private supplier, or a public structure invoicing another one."""

    def render_page(self, template_name: str, **context) -> HttpResponse:
        context.update(membership=self.membership, structure=self.structure)
        return render(self.request, template_name, context)


def _download(received_file, filename: str) -> FileResponse:
    return FileResponse(
        received_file.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=received_file.content_type,
    )


# The invoice form ------------------------------------------------------------------------


def _raw_lines(post) -> list[tuple[int, dict]]:
    """The typed lines of a posted form, with their row index; unused rows left out."""
    try:
        count = min(int(post.get(f"{forms.LINES_PREFIX}-TOTAL_FORMS", 0)), MAX_LINES)
    except ValueError:
        count = 0
    lines = []
    for index in range(count):
        raw = {name: post.get(f"{forms.LINES_PREFIX}-{index}-{name}", "") for name in LINE_FIELDS}
        if any(raw[name].strip() for name in forms.LineForm.typed_fields):
            lines.append((index, raw))
    return lines


def _lines_totals(raw_lines: list[dict]) -> tuple[KeyedTotals, list[forms.LineForm]]:
    """Totals of the complete lines among those typed (incomplete ones are left out)."""
    line_forms = [forms.LineForm(data=raw) for raw in raw_lines]
    valid = [form for form in line_forms if form.is_valid()]
    return keyed_totals([form.keyed_line() for form in valid]), line_forms


def _totals_json(keyed: KeyedTotals) -> dict:
    totals = keyed.totals
    return {
        "vat_breakdown": [
            {
                "label": vat_label(group),
                "base": money(group.taxable_amount),
                "tax": money(group.tax_amount),
                "base_value": str(group.taxable_amount),
                "tax_value": str(group.tax_amount),
            }
            for group in keyed.vat_breakdown
        ],
        "without_vat": money(totals.tax_exclusive_amount),
        "vat": money(totals.vat_total),
        "with_vat": money(totals.tax_inclusive_amount),
        "without_vat_value": str(totals.tax_exclusive_amount),
        "vat_value": str(totals.vat_total),
        "with_vat_value": str(totals.tax_inclusive_amount),
        "has_exempt_line": keyed.has_exempt_line,
    }


def _bound_data(state: dict) -> dict:
    """The form data a state stands for (at least one line row, blank with its defaulted unit
    and VAT rate if none was typed: a row left as it came is ignored, without errors)."""
    lines = state["lines"] or [forms.LineForm.defaults()]
    data = {name: state["fields"].get(name, "") for name in STATE_FIELDS}
    data[f"{forms.LINES_PREFIX}-TOTAL_FORMS"] = str(len(lines))
    data[f"{forms.LINES_PREFIX}-INITIAL_FORMS"] = "0"
    for index, line in enumerate(lines):
        for name in LINE_FIELDS:
            data[f"{forms.LINES_PREFIX}-{index}-{name}"] = line.get(name, "")
    return data


def _lines_and_files_errors(formset, upload_errors: dict) -> list[dict]:
    """The errors of the lines and files, for the error summary (components/form_errors.html)."""
    errors = [{"id": "", "message": error} for error in formset.non_form_errors()]
    for number, line_form in enumerate(formset.forms if formset.is_bound else [], 1):
        errors += [{"id": "", "message": error} for error in line_form.non_field_errors()]
        for name, field_errors in line_form.errors.items():
            if name == "__all__":
                continue
            label = _("Ligne %(number)s, %(field)s") % {
                "number": number,
                "field": line_form.fields[name].label,
            }
            errors += [
                {"id": line_form[name].id_for_label, "label": label, "message": error}
                for error in field_errors
            ]
    for field_id, label, key in (
        ("id_pdf", _("Facture au format PDF"), "pdf"),
        ("id_attachments", _("Pièces jointes"), "attachments"),
    ):
        errors += [
            {"id": field_id, "label": label, "message": error}
            for error in upload_errors.get(key, [])
        ]
    return errors


class InvoiceFormView(PortalView):
    """Keying an invoice (or, in PDF mode, the data of the supplier's own PDF invoice)."""

    def dispatch(self, request, *args, **kwargs):
        self.draft = None
        return super().dispatch(request, *args, **kwargs)

    def get_draft(self, pk):
        return get_object_or_404(InvoiceDraft, pk=pk, structure=self.structure, flow__isnull=True)

    def get(self, request, pk=None):
        if pk is not None:
            self.draft = self.get_draft(pk)
            state = self.draft.data
        elif request.GET.get("correcting", "").isdigit():
            rejected = get_object_or_404(
                self.correctable().select_related("recipient", "service", "received_file"),
                pk=request.GET["correcting"],
            )
            refused = invoice_correction_refused(rejected)
            if refused:
                messages.error(request, refused)
                correction = rejected.corrections.order_by("created_at", "pk").first()
                return redirect("invoices:invoice_detail", pk=(correction or rejected).pk)
            state = keyed_state_from(rejected)
        elif request.GET.get("refused", "").isdigit():
            flow = get_object_or_404(self.refused_keyed(), pk=request.GET["refused"])
            state = self.state_from_refused(flow)
            if state is None:
                messages.error(
                    request,
                    _("Le fichier de ce dépôt est illisible : saisissez la facture à nouveau."),
                )
                return redirect("invoices:flow_detail", pk=flow.pk)
        else:
            mode = "pdf" if request.GET.get("mode") == "pdf" else "keyed"
            state = {"mode": mode, "fields": {}, "lines": []}
        return self.render_unbound(state)

    def post(self, request, pk=None):
        if pk is not None:
            self.draft = self.get_draft(pk)
        state, upload_errors = self.state_from_post()
        action = request.POST.get("action", "")
        if action == "save":
            self.draft = services.draft_save(
                structure=self.structure, user=request.user, state=state, draft=self.draft
            )
            messages.success(request, _("Le brouillon est enregistré."))
            return redirect("invoices:draft_edit", pk=self.draft.pk)
        if action == "submit":
            return self.submit(state, upload_errors)
        add_line = action == "add_line"
        return self.render_unbound(state, upload_errors=upload_errors, add_line=add_line)

    def refused_keyed(self):
        """The structure's portal deposits of one Factur-X invoice, refused."""
        return refused_portal_flows(self.structure)

    def state_from_refused(self, flow: Flow) -> dict | None:
        """The form filled from what was keyed: the refused deposit's own document."""
        try:
            _detected, document = read_invoice(flow.received_file.read_bytes(), flow.filename)
        except (UnsupportedDocument, ValueError):
            return None
        state = keyed_state_from_document(
            document,
            recipient_siret=document.buyer_siret or "",
            service_code=document.buyer_reference or "",
        )
        if flow.replaces_id:
            state["fields"]["replaces"] = str(flow.replaces_id)
        return state

    def correctable(self):
        """The structure's rejected invoices, which a keyed invoice may correct."""
        return Invoice.objects.filter(supplier=self.structure, status=InvoiceStatus.REJETEE)

    def replaced(self, fields: dict) -> Invoice | None:
        """The rejected invoice the form corrects, when it names one of the structure's."""
        pk = (fields.get("replaces") or "").strip()
        return self.correctable().filter(pk=pk).first() if pk.isdigit() else None

    # State: what the user typed, kept as strings ------------------------------------------

    def state_from_post(self) -> tuple[dict, dict]:
        post, files = self.request.POST, self.request.FILES
        mode = "pdf" if post.get("mode") == "pdf" else "keyed"
        fields = {name: post.get(name, "") for name in STATE_FIELDS}
        lines = [raw for _index, raw in _raw_lines(post)]
        errors = {"attachments": [], "pdf": []}
        kept = self.kept_attachments(fields["attachment_ids"])
        removed = post.get("remove_attachment", "")
        kept = [upload for upload in kept if str(upload.pk) != removed]
        total = sum(upload.received_file.size for upload in kept)
        for upload in files.getlist("attachments"):
            problems = forms.attachment_errors(upload.name, upload.size)
            if not problems and (error := forms.attachments_total_error(total + upload.size)):
                problems = [error]
            data = b"" if problems else upload.read()
            if not problems and (error := forms.attachment_content_error(upload.name, data)):
                problems = [error]
            if problems:
                errors["attachments"] += problems
                continue
            kept.append(
                attachment_upload_create(
                    structure=self.structure,
                    user=self.request.user,
                    name=upload.name,
                    data=data,
                    mime_type=forms.mime_type_of(upload.name),
                )
            )
            total += upload.size
        fields["attachment_ids"] = ",".join(str(upload.pk) for upload in kept)
        if mode == "pdf" and "pdf" in files:
            token, problem = self.store_pdf(files["pdf"])
            if problem:
                errors["pdf"].append(problem)
            else:
                fields["pdf_token"] = token
        return {"mode": mode, "fields": fields, "lines": lines}, errors

    def kept_attachments(self, ids: str) -> list[AttachmentUpload]:
        wanted = [int(pk) for pk in ids.split(",") if pk.strip().isdigit()]
        found = AttachmentUpload.objects.filter(structure=self.structure, pk__in=wanted)
        by_pk = {upload.pk: upload for upload in found.select_related("received_file")}
        return [by_pk[pk] for pk in wanted if pk in by_pk]

    def store_pdf(self, upload) -> tuple[str, str | None]:
        head = upload.read(5)
        upload.seek(0)
        if not upload.name.lower().endswith(".pdf") or head != b"%PDF-":
            return "", _(
                "Le fichier « %(name)s » n'est pas un PDF : choisissez votre facture au format PDF."
            ) % {"name": upload.name}
        if upload.size > MAX_FILE_BYTES:
            return "", _(
                "Le PDF « %(name)s » dépasse 120 Mo : allégez-le (images moins lourdes) avant "
                "de le déposer."
            ) % {"name": upload.name}
        data = upload.read()
        try:
            PdfReader(io.BytesIO(data)).pages[0]
        except (PyPdfError, ValueError, IndexError, KeyError):
            return "", _(
                "Le PDF « %(name)s » est illisible ou vide : exportez-le à nouveau depuis votre "
                "logiciel."
            ) % {"name": upload.name}
        token = services.pdf_store(structure=self.structure, data=data, filename=upload.name)
        return token, None

    # Rendering ------------------------------------------------------------------------------

    def render_unbound(self, state, *, upload_errors=None, add_line=False):
        fields = state["fields"]
        form = forms.InvoiceForm(initial=fields, structure=self.structure)
        extra = (0 if state["lines"] else 1) + (1 if add_line else 0)
        formset = forms.line_formset_class(extra)(initial=state["lines"], prefix=forms.LINES_PREFIX)
        return self.render_form(state, form, formset, upload_errors or {})

    def render_form(self, state, form, formset, upload_errors, status=200):
        fields = state["fields"]
        totals, line_forms = _lines_totals(state["lines"])
        pdf = services.pdf_from_token(structure=self.structure, token=fields.get("pdf_token", ""))
        amounts = iter(totals.line_amounts)
        line_amounts = [money(next(amounts)) if f.is_valid() else "" for f in line_forms]
        response = self.render_page(
            "invoices/portal/invoice_form.html",
            form=form,
            formset=formset,
            extra_errors=_lines_and_files_errors(formset, upload_errors),
            rows=list(zip(formset.forms, line_amounts + [""] * len(formset.forms), strict=False)),
            mode=state.get("mode", "keyed"),
            draft=self.draft,
            totals=_totals_json(totals),
            show_exemption=totals.has_exempt_line or bool(fields.get("vat_exemption_reason")),
            attachments=self.kept_attachments(fields.get("attachment_ids", "")),
            attachment_errors=upload_errors.get("attachments", []),
            pdf=pdf,
            pdf_errors=upload_errors.get("pdf", []),
            replaces=self.replaced(fields),
            requirements=form.requirements,
            bank_accounts_url=reverse("suppliers:bank_accounts"),
            recipients_url=reverse("invoices:recipient_search"),
            totals_url=reverse("invoices:totals"),
        )
        response.status_code = status
        return response

    # Submission -----------------------------------------------------------------------------

    def submit(self, state, upload_errors):
        data = _bound_data(state)
        pdf_mode = state["mode"] == "pdf"
        form = forms.InvoiceForm(data=data, structure=self.structure)
        formset = forms.line_formset_class(0)(data=data, prefix=forms.LINES_PREFIX)
        typed = [line for line in formset.forms if not line.is_blank]
        valid = form.is_valid() & all([line.is_valid() for line in typed])
        if not typed:
            form.add_error(None, _("La facture n'a aucune ligne : ajoutez au moins une ligne."))
        pdf = services.pdf_from_token(structure=self.structure, token=form.data["pdf_token"])
        pdf_errors = upload_errors["pdf"]
        if pdf_mode and pdf is None and not pdf_errors:
            pdf_errors.append(_("Joignez votre facture au format PDF."))
        if valid and typed:
            totals = keyed_totals([line.keyed_line() for line in typed])
            form.check_lines(totals)
        replaced = self.replaced(state["fields"])
        if replaced is not None and (refusal := invoice_correction_refused(replaced)):
            form.add_error(None, refusal)
        if not form.is_valid() or not valid or not typed or any(upload_errors.values()):
            return self.render_form(state, form, formset, upload_errors, status=400)
        keyed = self.keyed_invoice(form, typed, totals, state)
        flow = services.portal_invoice_submit(
            user=self.request.user,
            keyed=keyed,
            draft=self.draft,
            pdf=pdf,
            replaces=replaced,
        )
        messages.success(
            self.request, _("La facture %(number)s est déposée.") % {"number": keyed.number}
        )
        return redirect("invoices:keyed_invoice", pk=flow.pk)

    def keyed_invoice(self, form, typed, totals, state) -> KeyedInvoice:
        data = form.cleaned_data
        number = data["number"]
        account = data["bank_account"]
        replaced = self.replaced(state["fields"])
        return KeyedInvoice(
            supplier=self.structure,
            recipient=form.recipient,
            number=number,
            issue_date=data["issue_date"],
            type_code=data["type_code"],
            lines=canonical_lines([line.keyed_line() for line in typed]),
            service_code=data["service_code"],
            engagement=data["engagement"].strip(),
            # A credit note names the invoice it credits; a correction the rejected invoice
            # it replaces (BT-25 and BT-26, read back by invoice_corrected_by).
            preceding_number=data["preceding_number"]
            if data["type_code"] != c.TYPE_INVOICE
            else (replaced.number if replaced else ""),
            preceding_date=replaced.issue_date
            if replaced and data["type_code"] == c.TYPE_INVOICE
            else None,
            due_date=data["due_date"],
            delivery_date=data["delivery_date"],
            exemption=Exemption(
                reason=(data["vat_exemption_reason"] if totals.has_exempt_line else "") or None
            ),
            payment=bank_transfer(account, remittance=number) if account else None,
            payment_terms=data["payment_terms"],
            attachments=tuple(
                attachment_from_upload(upload)
                for upload in self.kept_attachments(data["attachment_ids"])
            ),
        )


class TotalsView(PortalView):
    """The totals of the lines posted, computed by the same function as on submit."""

    def post(self, request):
        indexed = _raw_lines(request.POST)
        totals, line_forms = _lines_totals([raw for _index, raw in indexed])
        amounts = iter(totals.line_amounts)
        lines, errors = {}, {}
        for (index, _raw), form in zip(indexed, line_forms, strict=True):
            if form.is_valid():
                lines[str(index)] = money(next(amounts))
            else:
                for name, field_errors in form.errors.items():
                    errors[f"id_{forms.LINES_PREFIX}-{index}-{name}"] = field_errors[0]
        if totals.has_exempt_line and not request.POST.get("vat_exemption_reason", "").strip():
            errors["id_vat_exemption_reason"] = forms.exemption_reason_missing()
        return JsonResponse({**_totals_json(totals), "lines": lines, "errors": errors})


class RecipientSearchView(PortalView):
    """Suggestions of public recipients: every word must match a SIRET, name, postcode or city."""

    def get(self, request):
        query = request.GET.get("q", "").strip()[:200]
        if len(query) < 2:
            return JsonResponse({"results": [], "message": ""})
        results = [
            {"siret": s.identifier, "name": s.legal_name, "postcode": s.postcode, "city": s.city}
            for s in public_structures_search(query)[:SUGGESTIONS]
        ]
        message = ngettext(
            "%(count)s structure trouvée", "%(count)s structures trouvées", len(results)
        ) % {"count": len(results)}
        if not results:
            message = _("Aucune structure publique ne correspond : essayez le SIRET ou la ville.")
        return JsonResponse({"results": results, "message": message})


class RecipientFieldsView(PortalView):
    """The recipient's part of the invoice form (service, engagement juridique), rendered for
    the recipient, service and engagement typed: the script swaps it in when they change."""

    def get(self, request):
        initial = {name: request.GET.get(name, "") for name in RECIPIENT_FIELDS}
        form = forms.InvoiceForm(initial=initial, structure=self.structure)
        return render(
            request,
            "invoices/portal/_recipient_fields.html",
            {"form": form, "requirements": form.requirements},
        )


# Drafts ----------------------------------------------------------------------------------


class DraftListView(PortalView):
    def get(self, request):
        drafts = InvoiceDraft.objects.filter(structure=self.structure, flow__isnull=True)
        return self.render_page(
            "invoices/portal/draft_list.html",
            page_obj=page_of(request, drafts.select_related("created_by"), PAGE_SIZE),
        )


class DraftDeleteView(PortalView):
    def get_draft(self, pk):
        return get_object_or_404(InvoiceDraft, pk=pk, structure=self.structure, flow__isnull=True)

    def get(self, request, pk):
        return self.render_page("invoices/portal/draft_delete.html", draft=self.get_draft(pk))

    def post(self, request, pk):
        services.draft_delete(draft=self.get_draft(pk))
        messages.success(request, _("Le brouillon est supprimé."))
        return redirect("invoices:draft_list")


class AttachmentDownloadView(PortalView):
    def get(self, request, pk):
        upload = get_object_or_404(
            AttachmentUpload.objects.select_related("received_file"),
            pk=pk,
            structure=self.structure,
        )
        return _download(upload.received_file, upload.name)


# Uploads and flows -----------------------------------------------------------------------


def _wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def _upload_syntax(filename: str) -> str:
    # A PDF must be a Factur-X; an XML or a batch is recognised by its content.
    return FlowSyntax.FACTURX if filename.lower().endswith(".pdf") else ""


class UploadView(PortalView):
    def get(self, request):
        return self.render_upload(forms.UploadForm())

    def post(self, request):
        form = forms.UploadForm(
            request.POST, request.FILES, too_large=getattr(request, "upload_too_large", None)
        )
        if not form.is_valid():
            if _wants_json(request):
                return JsonResponse(
                    {"errors": {name: list(errs) for name, errs in form.errors.items()}},
                    status=400,
                )
            return self.render_upload(form, status=400)
        upload = form.cleaned_data["file"]
        receipt = flow_receive(
            # The uploaded file itself: past 2.5 MB it is on disk, and stays there.
            data=upload,
            filename=upload.name,
            channel=DepositChannel.PORTAIL,
            structure=self.structure,
            user=request.user,
            syntax=_upload_syntax(upload.name),
        )
        flow = receipt.flow
        if receipt.created:
            text = _("Le fichier %(name)s est reçu : flux %(flow)s.")
        else:
            text = _(
                "Vous aviez déjà déposé ce fichier à l'identique : voici le dépôt d'origine, "
                "flux %(flow)s."
            )
        messages.success(request, text % {"name": upload.name, "flow": flow.number})
        flow_url = reverse("invoices:flow_detail", args=[flow.pk])
        if _wants_json(request):
            return JsonResponse(
                {
                    "number": flow.number,
                    "created": receipt.created,
                    "message": text % {"name": upload.name, "flow": flow.number},
                    "flow_url": flow_url,
                    "status_url": reverse("invoices:flow_status", args=[flow.pk]),
                }
            )
        return redirect(flow_url)

    def render_upload(self, form, status=200):
        response = self.render_page(
            "invoices/portal/upload.html",
            form=form,
            max_bytes=settings.FLOW_MAX_BYTES,
            max_invoices=settings.FLOW_MAX_INVOICES,
        )
        response.status_code = status
        return response


class CheckView(PortalView):
    """Checks an invoice as a deposit would, without depositing it (issue 9 §5)."""

    def get(self, request):
        return self.render_check(forms.CheckForm())

    def post(self, request):
        form = forms.CheckForm(
            request.POST, request.FILES, too_large=getattr(request, "upload_too_large", None)
        )
        if not form.is_valid():
            return self.render_check(form, status=400)
        upload = form.cleaned_data["file"]
        # Read from the upload (memory or a temporary file), never stored.
        report = invoice_check(data=upload.read(), filename=upload.name, structure=self.structure)
        findings = [finding.to_dict() for finding in report.findings]
        return self.render_check(
            forms.CheckForm(),
            checked=upload.name,
            report=report,
            format_label=report.format and DocumentSyntax(report.format).label,
            blocking=[{"explication": explain(f)} for f in findings if f["severity"] == "fatal"],
            warnings=[{"explication": explain(f)} for f in findings if f["severity"] != "fatal"],
        )

    def render_check(self, form, status=200, **context):
        response = self.render_page("invoices/portal/check.html", form=form, **context)
        response.status_code = status
        return response


class FlowMixin:
    def get_flow(self, pk) -> Flow:
        return get_object_or_404(
            Flow.objects.select_related("received_file"), pk=pk, structure=self.structure
        )


def _flow_progress(flow: Flow) -> dict:
    items = flow.items.all()
    total = items.count()
    done = items.exclude(status=FlowItemStatus.EN_ATTENTE).count()
    percent = 100 if flow.is_final else int(100 * done / total) if total else 0
    message = ngettext(
        "%(state)s : %(done)s facture traitée sur %(total)s.",
        "%(state)s : %(done)s factures traitées sur %(total)s.",
        done,
    ) % {"state": flow.get_status_display(), "done": done, "total": total}
    return {"total": total, "done": done, "percent": percent, "message": message}


class FlowStatusView(FlowMixin, PortalView):
    def get(self, request, pk):
        flow = self.get_flow(pk)
        return JsonResponse(
            {
                "number": flow.number,
                "status": flow.status,
                "label": flow.get_status_display(),
                "final": flow.is_final,
                **_flow_progress(flow),
            }
        )


class FlowListView(PortalView):
    def get(self, request):
        search = forms.FlowSearchForm(request.GET or None)
        flows = Flow.objects.filter(structure=self.structure).only(
            "id", "number", "filename", "channel", "status", "status_at", "created_at"
        )
        if search.is_valid():
            data = search.cleaned_data
            if data["number"]:
                flows = flows.filter(
                    Q(number__icontains=data["number"]) | Q(filename__icontains=data["number"])
                )
            if data["status"]:
                flows = flows.filter(status=data["status"])
            if data["date_from"]:
                flows = flows.filter(created_at__date__gte=data["date_from"])
            if data["date_to"]:
                flows = flows.filter(created_at__date__lte=data["date_to"])
        return self.render_page(
            "invoices/portal/flow_list.html",
            search=search,
            searched=bool(request.GET.keys() - {"page", AFTER, BEFORE}),
            page_obj=keyset_page_of(request, flows, key="created_at", per_page=PAGE_SIZE),
            total=capped_count(flows),
        )


class KeyedInvoiceView(FlowMixin, PortalView):
    """Where keying an invoice leads: the invoice's own page once the pipeline has made it;
    until then (a worker has yet to process it), the deposit's page, which follows it."""

    def get(self, request, pk):
        flow = self.get_flow(pk)
        item = flow.items.filter(invoice__isnull=False).first()
        if item is not None:
            return redirect("invoices:invoice_detail", pk=item.invoice_id)
        return redirect("invoices:flow_detail", pk=flow.pk)


class FlowDetailView(FlowMixin, PortalView):
    def get(self, request, pk):
        flow = self.get_flow(pk)
        context = flow_report_context(flow_report(flow))
        for entry in context["invoices"]:
            status = entry["statutFacture"]
            entry["statut_label"] = InvoiceStatus(status).label if status else ""
        return self.render_page(
            "invoices/portal/flow_detail.html",
            flow=flow,
            correctable=refused_portal_flows(self.structure).filter(pk=flow.pk).exists(),
            history=flow.history.all(),
            progress=_flow_progress(flow),
            **context,
        )


class FlowFileView(FlowMixin, PortalView):
    def get(self, request, pk):
        flow = self.get_flow(pk)
        return _download(flow.received_file, flow.filename)


class FlowReportPdfView(FlowMixin, PortalView):
    def get(self, request, pk):
        flow = self.get_flow(pk)
        response = HttpResponse(flow_report_pdf(flow), content_type="application/pdf")
        filename = f"compte-rendu-{flow.number}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# Invoices --------------------------------------------------------------------------------


# The columns the supplier's list of invoices shows: never the document nor the file.
SUPPLIER_LIST_COLUMNS = (
    "id",
    "number",
    "type_code",
    "issue_date",
    "total_with_vat",
    "currency",
    "status",
    "status_at",
    "buyer_identifier",
    "created_at",
    "recipient__legal_name",
    "service__code",
)


class InvoiceListView(PortalView):
    """The supplier's invoices, newest deposit first, read by keyset (chorus.pagination)."""

    def get(self, request):
        search = forms.InvoiceSearchForm(request.GET or None)
        invoices = (
            Invoice.objects.filter(supplier=self.structure)
            .select_related("recipient", "service")
            .only(*SUPPLIER_LIST_COLUMNS)
        )
        if search.is_valid():
            data = search.cleaned_data
            invoices = invoices_listed(
                invoices,
                party="recipient",
                term=data["recipient"],
                number=data["number"],
                status=data["status"],
                date_from=data["date_from"],
                date_to=data["date_to"],
            )
        return self.render_page(
            "invoices/portal/invoice_list.html",
            search=search,
            searched=bool(request.GET.keys() - {"page", AFTER, BEFORE}),
            page_obj=keyset_page_of(request, invoices, key="created_at", per_page=PAGE_SIZE),
            total=capped_count(invoices),
        )


class InvoiceMixin:
    def get_invoice(self, pk) -> Invoice:
        return get_object_or_404(
            Invoice.objects.select_related("recipient", "service", "received_file"),
            pk=pk,
            supplier=self.structure,
        )


class InvoiceDetailView(InvoiceMixin, PortalView):
    """The invoice, its timeline and the one move the supplier may make now (complete a
    suspended invoice, recycle one sent back, acknowledge a rejection), with its form."""

    def get(self, request, pk):
        return self.render_detail(self.get_invoice(pk))

    def action_form(self, action: str, invoice: Invoice):
        if action == "recycle":
            return forms.RecycleForm(
                initial={
                    "recipient_siret": invoice.recipient.identifier if invoice.recipient else "",
                    "service_code": invoice.service.code if invoice.service else "",
                    "engagement": invoice.order_reference,
                }
            )
        if action == "complete":
            return forms.CompleteForm()
        return None

    def render_detail(self, invoice, *, bound=None, refusal="", status=200):
        """The page, with `bound` (a posted form with its errors) in place of its blank
        form and `refusal` (why the move was refused) as an alert."""
        actor = Actor.member(self.membership)
        actions = [
            {
                "action": transition.action,
                "label": ACTION_LABELS[transition.action],
                "url": reverse(f"invoices:invoice_{transition.action}", args=[invoice.pk]),
                "form": bound
                if bound is not None and bound.action == transition.action
                else self.action_form(transition.action, invoice),
            }
            for transition in available_transitions(document=invoice, actor=actor)
        ]
        flow_item = getattr(invoice, "flow_item", None)
        links = invoice_links(
            invoice,
            visible=Invoice.objects.filter(supplier=self.structure),
            url_name="invoices:invoice_detail",
        )
        response = self.render_page(
            "invoices/portal/invoice_detail.html",
            correctable=invoice.status == InvoiceStatus.REJETEE and not links["corrections"],
            **links,
            invoice=invoice,
            flow=flow_item.flow if flow_item else None,
            timeline=invoice_timeline(invoice),
            next_step=SUPPLIER_NEXT_STEPS.get(invoice.status),
            attachment_url_name="invoices:attachment_download",
            actions=actions,
            refusal=refusal,
            recipients_url=reverse("invoices:recipient_search"),
            **invoice_data(invoice),
        )
        response.status_code = status
        return response


class InvoiceActionView(InvoiceDetailView):
    """A supplier's move, posted from the invoice page; refused ones come back to it."""

    def get(self, request, pk, action):
        return redirect("invoices:invoice_detail", pk=pk)

    def post(self, request, pk, action):
        invoice = self.get_invoice(pk)
        form = None
        if action == "complete":
            form = forms.CompleteForm(request.POST, request.FILES)
        elif action == "recycle" and request.POST.get("pick"):
            # Without the script: show the references the chosen recipient requires.
            form = forms.RecycleForm(initial=request.POST.dict())
            form.action = action
            return self.render_detail(invoice, bound=form)
        elif action == "recycle":
            form = forms.RecycleForm(request.POST)
        if form is not None:
            form.action = action
            if not form.is_valid():
                return self.render_detail(invoice, bound=form, status=400)
        actor = Actor.member(self.membership)
        try:
            self.perform(action, invoice, actor, form)
        except TransitionRefused as refused:
            if form is not None and refusal_on_form(refused, form):
                return self.render_detail(invoice, bound=form, status=400)
            return self.render_detail(invoice, refusal=refused.message, status=403)
        messages.success(request, SUCCESS_MESSAGES[action] % {"number": invoice.number})
        return redirect("invoices:invoice_detail", pk=invoice.pk)

    def perform(self, action, invoice, actor, form):
        if action == "acknowledge":
            return invoice_rejection_acknowledge(invoice=invoice, actor=actor)
        data = form.cleaned_data
        if action == "recycle":
            return invoice_recycle(
                invoice=invoice,
                actor=actor,
                recipient=form.recipient,
                service=form.service,
                order_reference=data["engagement"].strip(),
                comment=data["comment"],
            )
        uploads = []
        try:
            with transaction.atomic():  # the documents are kept only if the move is made
                for upload in data["attachments"]:
                    uploads.append(
                        attachment_upload_create(
                            structure=self.structure,
                            user=self.request.user,
                            name=upload.name,
                            data=upload.read(),
                            mime_type=forms.mime_type_of(upload.name),
                        )
                    )
                return invoice_complete(
                    invoice=invoice, actor=actor, comment=data["comment"], attachments=uploads
                )
        except TransitionRefused:
            for upload in uploads:
                upload.received_file.file.delete(save=False)
            raise


# Returns ---------------------------------------------------------------------------------

# The one move each returned invoice waits for, made on the invoice page (the anchor of its form).
NEXT_ACTIONS = {
    InvoiceStatus.SUSPENDUE: ("complete", _lazy("Compléter")),
    InvoiceStatus.A_RECYCLER: ("recycle", _lazy("Corriger l'acheminement")),
    InvoiceStatus.REJETEE: ("acknowledge", _lazy("Prendre connaissance du rejet")),
}


class ReturnsView(PortalView):
    """Rejets et retours: what the structure's recipients sent back or rejected and the
    deposits the platform refused, each with its motive explained and the move it needs;
    every rejection acknowledged at once."""

    def get(self, request):
        return self.render_returns()

    def post(self, request):
        actor = Actor.member(self.membership)
        acknowledged, refused = 0, []
        for invoice in invoices_returned_to(self.structure):
            if invoice.status != InvoiceStatus.REJETEE:
                continue
            try:
                invoice_rejection_acknowledge(invoice=invoice, actor=actor)
            except TransitionRefused as refusal:
                refused.append({"number": invoice.number, "reason": refusal.message})
            else:
                acknowledged += 1
        if acknowledged:
            messages.success(
                request,
                ngettext(
                    "Vous avez pris connaissance de %(count)d rejet.",
                    "Vous avez pris connaissance de %(count)d rejets.",
                    acknowledged,
                )
                % {"count": acknowledged},
            )
        if refused:
            return self.render_returns(refused=refused, status=409)
        return redirect("invoices:returns")

    def render_returns(self, *, refused=(), status=200):
        invoices = invoices_returned_to(self.structure)
        corrections = dict(
            Invoice.objects.filter(replaces__in=[invoice.pk for invoice in invoices])
            .order_by("created_at", "pk")
            .values_list("replaces_id", "number")
        )
        for invoice in invoices:
            invoice.corrected_by = corrections.get(invoice.pk, "")
            action, label = NEXT_ACTIONS[invoice.status]
            invoice.next_action = {
                "label": label,
                "url": reverse("invoices:invoice_detail", args=[invoice.pk])
                + f"#action-{action}-title",
            }
        deposits = list(deposits_refused_to(self.structure))
        correctable = set(
            refused_portal_flows(self.structure)
            .filter(pk__in={item.flow_id for item in deposits})
            .values_list("pk", flat=True)
        )
        for item in deposits:
            item.correctable = item.flow_id in correctable
        response = self.render_page(
            "invoices/portal/returns.html",
            invoices=invoices,
            rejected=sum(invoice.status == InvoiceStatus.REJETEE for invoice in invoices),
            deposits=deposits,
            refused=refused,
        )
        response.status_code = status
        return response


SUCCESS_MESSAGES = {
    "complete": _lazy("La facture %(number)s est complétée : elle retourne au destinataire."),
    "recycle": _lazy("La facture %(number)s est recyclée : elle est acheminée à nouveau."),
    "acknowledge": _lazy("Vous avez pris connaissance du rejet de la facture %(number)s."),
}


class InvoiceFileView(InvoiceMixin, PortalView):
    def get(self, request, pk):
        invoice = self.get_invoice(pk)
        return _download(invoice.received_file, invoice.received_file.filename)
