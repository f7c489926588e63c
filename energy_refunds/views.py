"""The refund pages: the beneficiary's (/remboursements-tic/) and the DDFiP's
(/reception/remboursements-tic/). Another structure's request answers 404; the wrong kind of
user 403. Each page parses input, calls one service and renders."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import View

from chorus.access import MembershipRequiredMixin
from chorus.enums import PublicKind
from chorus.pagination import page_of
from chorus.workflow import Actor, TransitionRefused, available_transitions
from energy_refunds import checks, forms, outputs, services
from energy_refunds.enums import MOTIVE_OUTCOMES, PRODUCT_UNITS, Product
from energy_refunds.models import Beneficiary, FuelInvoice, RefundAttachment, RefundRequest
from energy_refunds.selectors import (
    advance_paid_on,
    instructor_for,
    request_amounts,
    requests_amounts,
    requests_of_beneficiary,
    requests_of_instructor,
    requests_visible_to,
)
from rejections.models import Motive

ACTION_LABELS = {
    "deposit": _("Déposer la demande"),
    "take": _("Prendre en instruction"),
    "validate": _("Valider"),
    "suspend": _("Suspendre (pièce manquante)"),
    "reject": _("Rejeter"),
    "complete": _("Compléter"),
    "pay": _("Mettre en paiement"),
    "record_payment": _("Enregistrer le paiement"),
}


def _timeline(request: RefundRequest) -> list:
    changes = list(request.changes.select_related("structure").prefetch_related("attachments"))
    motives = {
        m.pk: m for m in Motive.objects.filter(pk__in=[c.motive for c in changes if c.motive])
    }
    for change in changes:
        change.motive_label = (
            motives[change.motive].label if change.motive in motives else change.motive
        )
    return changes


def _add_service_errors(form, exc: ValidationError) -> None:
    """Places a service's refusal on the form's fields (the others on the whole form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class FarmView(MembershipRequiredMixin, View):
    """A page of the beneficiary's structure (private)."""

    public = False

    def render_page(self, template: str, status: int = 200, **context) -> HttpResponse:
        context.update(membership=self.membership, structure=self.structure)
        return render(self.request, template, context, status=status)

    @property
    def actor(self) -> Actor:
        return Actor.member(self.membership)

    @property
    def beneficiary(self) -> Beneficiary | None:
        return Beneficiary.objects.filter(structure=self.structure).first()

    def get_request(self, pk) -> RefundRequest:
        return get_object_or_404(
            requests_of_beneficiary(self.structure).select_related(
                "beneficiary__structure", "instructor", "bank_account"
            ),
            pk=pk,
        )


class ProfileView(FarmView):
    def initial(self):
        beneficiary = self.beneficiary
        if beneficiary is None:
            return {"holder": self.structure.legal_name}
        account = beneficiary.bank_account
        return {
            "kind": beneficiary.kind,
            "iban": account.iban,
            "bic": account.bic,
            "holder": account.holder,
            "instructor_override": beneficiary.instructor_override_id,
        }

    def render_form(self, form, status=200):
        beneficiary = self.beneficiary
        return self.render_page(
            "energy_refunds/profile.html",
            status=status,
            form=form,
            beneficiary=beneficiary,
            routed=instructor_for(beneficiary) if beneficiary else None,
        )

    def get(self, request):
        return self.render_form(forms.BeneficiaryForm(initial=self.initial()))

    def post(self, request):
        form = forms.BeneficiaryForm(request.POST)
        if form.is_valid():
            try:
                services.beneficiary_save(
                    structure=self.structure, actor=self.actor, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                messages.success(request, _("Votre profil de bénéficiaire est enregistré."))
                return redirect("energy_refunds:request_list")
        return self.render_form(form, status=400)


class RequestListView(FarmView):
    def get(self, request):
        if self.beneficiary is None:
            return redirect("energy_refunds:profile")
        requests = requests_of_beneficiary(self.structure).prefetch_related("invoices")
        return self.render_page("energy_refunds/request_list.html", rows=requests_amounts(requests))


class RequestCreateView(FarmView):
    def get(self, request):
        if self.beneficiary is None:
            return redirect("energy_refunds:profile")
        return self.render_page("energy_refunds/request_form.html", form=forms.RequestCreateForm())

    def post(self, request):
        beneficiary = self.beneficiary
        if beneficiary is None:
            return redirect("energy_refunds:profile")
        form = forms.RequestCreateForm(request.POST)
        existing = None
        if form.is_valid():
            try:
                created = services.refund_request_create(
                    beneficiary=beneficiary, actor=self.actor, **form.cleaned_data
                )
            except services.RequestExists as exc:
                existing = exc.existing
                form.add_error("year", exc.message_dict["year"])
            except ValidationError as exc:
                form.add_error("year", exc.message_dict.get("year"))
            else:
                messages.success(request, _("Demande créée : ajoutez vos factures de carburant."))
                return redirect("energy_refunds:request_detail", pk=created.pk)
        return self.render_page(
            "energy_refunds/request_form.html", status=400, form=form, existing=existing
        )


class RequestDetailView(FarmView):
    def get(self, request, pk):
        return self.render_detail(self.get_request(pk))

    def render_detail(
        self,
        refund,
        *,
        status=200,
        invoice_form=None,
        options_form=None,
        deposit_errors=None,
        complete_form=None,
        attachment_form=None,
        refusal="",
    ):
        editable = refund.is_editable
        moves = {t.action for t in available_transitions(document=refund, actor=self.actor)}
        return self.render_page(
            "energy_refunds/request_detail.html",
            status=status,
            refund=refund,
            amounts=request_amounts(refund),
            invoices=refund.invoices.all(),
            attachments=refund.attachments.filter(change__isnull=True),
            timeline=_timeline(refund),
            editable=editable,
            invoice_form=invoice_form
            or (
                forms.FuelInvoiceForm(initial={"unit": PRODUCT_UNITS[Product.GNR]})
                if editable
                else None
            ),
            options_form=options_form
            or (
                forms.RequestOptionsForm(
                    initial={
                        "advance_requested": refund.advance_requested,
                        "advance_commitment": refund.advance_commitment,
                        "de_minimis_declared": refund.de_minimis_declared,
                        "de_minimis_other_aid": refund.de_minimis_other_aid,
                    }
                )
                if editable
                else None
            ),
            attachment_form=attachment_form or (forms.AttachmentForm() if editable else None),
            can_deposit="deposit" in moves,
            deposit_errors=deposit_errors,
            complete_form=complete_form or (forms.CompleteForm() if "complete" in moves else None),
            refusal=refusal,
            letter=refund.status in outputs.DECIDED,
            product_units={str(p): str(u) for p, u in PRODUCT_UNITS.items()},
        )


class RequestOptionsView(RequestDetailView):
    def post(self, request, pk):
        refund = self.get_request(pk)
        form = forms.RequestOptionsForm(request.POST)
        if form.is_valid():
            try:
                services.refund_request_update(
                    request=refund, actor=self.actor, **form.cleaned_data
                )
            except ValidationError as exc:
                return self.render_detail(refund, status=400, refusal=" ".join(exc.messages))
            messages.success(request, _("Options enregistrées."))
            return redirect("energy_refunds:request_detail", pk=refund.pk)
        return self.render_detail(refund, status=400, options_form=form)


class FuelInvoiceAddView(RequestDetailView):
    def post(self, request, pk):
        refund = self.get_request(pk)
        form = forms.FuelInvoiceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.fuel_invoice_add(request=refund, actor=self.actor, **form.cleaned_data)
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                warning = checks.quantity_warning(
                    form.cleaned_data["product"], form.cleaned_data["quantity"]
                )
                if warning:
                    messages.warning(request, warning)
                messages.success(request, _("Facture ajoutée."))
                return redirect("energy_refunds:request_detail", pk=refund.pk)
        return self.render_detail(refund, status=400, invoice_form=form)


class FuelInvoiceRemoveView(FarmView):
    def post(self, request, pk, invoice_pk):
        refund = self.get_request(pk)
        invoice = get_object_or_404(refund.invoices, pk=invoice_pk)
        try:
            services.fuel_invoice_remove(invoice=invoice, actor=self.actor)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Facture retirée de la demande."))
        return redirect("energy_refunds:request_detail", pk=refund.pk)


class AttachmentAddView(RequestDetailView):
    def post(self, request, pk):
        refund = self.get_request(pk)
        form = forms.AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.refund_attachment_add(
                    request=refund,
                    actor=self.actor,
                    kind=form.cleaned_data["kind"],
                    file=form.cleaned_data["document"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Pièce ajoutée."))
                return redirect("energy_refunds:request_detail", pk=refund.pk)
        return self.render_detail(refund, status=400, attachment_form=form)


class DepositView(RequestDetailView):
    def post(self, request, pk):
        refund = self.get_request(pk)
        try:
            services.refund_request_deposit(request=refund, actor=self.actor)
        except TransitionRefused as exc:
            return self.render_detail(refund, status=400, refusal=exc.message)
        except ValidationError as exc:
            return self.render_detail(refund, status=400, deposit_errors=exc.message_dict)
        messages.success(request, _("Demande déposée : la DDFiP va l'instruire."))
        return redirect("energy_refunds:request_detail", pk=refund.pk)


class CompleteView(RequestDetailView):
    def post(self, request, pk):
        refund = self.get_request(pk)
        form = forms.CompleteForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.refund_request_complete(
                    request=refund,
                    actor=self.actor,
                    files=[form.cleaned_data["document"]],
                    comment=form.cleaned_data["comment"],
                )
            except TransitionRefused as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Pièce transmise : l'instruction reprend."))
                return redirect("energy_refunds:request_detail", pk=refund.pk)
        return self.render_detail(refund, status=400, complete_form=form)


class PreviewView(FarmView):
    """The refund as the user types a line: the request's amounts with the line being typed,
    computed by the server's one rounding (energy_refunds.amounts), and the line's warnings."""

    def get(self, request, pk):
        refund = self.get_request(pk)
        product = request.GET.get("product", "")
        extra, notes = [], []
        try:
            quantity = Decimal(request.GET.get("quantity", "").replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            quantity = None
        if product in Product.values and quantity is not None and quantity.is_finite():
            for message in (
                checks.quantity_check(quantity),
                checks.quantity_warning(product, quantity),
                checks.rate_published_check(refund.year, product),
                checks.unit_check(product, request.GET.get("unit") or PRODUCT_UNITS[product]),
            ):
                if message:
                    notes.append(message)
            if quantity > 0:
                extra = [(product, quantity)]
        amounts = request_amounts(refund, extra)

        def shown(value, places=2):
            # As the page shows amounts: in the user's language (1777,49 in French).
            return None if value is None else number_format(value, places)

        keys = ("gross", "advance_deducted", "net", "advance")
        return JsonResponse(
            {
                "products": [
                    {
                        "product": t.product,
                        "label": t.label,
                        "unit": t.unit_label,
                        "quantity": str(t.quantity),
                        "rate": None if t.rate is None else str(t.rate),
                        "amount": None if t.amount is None else str(t.amount),
                        "quantity_display": number_format(t.quantity.normalize()),
                        "amount_display": shown(t.amount),
                    }
                    for t in amounts.products
                ],
                **{key: str(getattr(amounts, key)) for key in keys},
                "display": {key: shown(getattr(amounts, key)) for key in keys},
                "notes": notes,
            }
        )


def _file_response(field, name: str):
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


class DocumentMixin:
    """Files and the letter, for both sides: each sees only its own requests."""

    def scoped(self):
        return requests_visible_to(self.structure)


class LetterView(DocumentMixin, MembershipRequiredMixin, View):
    def get(self, request, pk):
        refund = get_object_or_404(
            self.scoped().select_related("beneficiary__structure", "instructor"), pk=pk
        )
        if refund.status not in outputs.DECIDED:
            raise Http404
        response = HttpResponse(outputs.decision_letter_pdf(refund), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="decision-{refund.reference}.pdf"'
        return response


class InvoiceFileView(DocumentMixin, MembershipRequiredMixin, View):
    def get(self, request, pk):
        invoice = get_object_or_404(FuelInvoice, pk=pk, request__in=self.scoped())
        return _file_response(invoice.pdf, f"{invoice.number}.pdf")


class AttachmentFileView(DocumentMixin, MembershipRequiredMixin, View):
    def get(self, request, pk):
        attachment = get_object_or_404(RefundAttachment, pk=pk, request__in=self.scoped())
        return _file_response(attachment.file, attachment.name)


# The DDFiP's pages.


class InstructorView(MembershipRequiredMixin, View):
    public = True

    def render_page(self, template: str, status: int = 200, **context) -> HttpResponse:
        context.update(membership=self.membership, structure=self.structure)
        return render(self.request, template, context, status=status)

    def check_ddfip(self):
        if self.structure.kind != PublicKind.DDFIP:
            raise PermissionDenied

    @property
    def actor(self) -> Actor:
        return Actor.member(self.membership)

    def queue(self):
        self.check_ddfip()
        return requests_of_instructor(self.structure)


class QueueView(InstructorView):
    def get(self, request):
        form = forms.QueueFilterForm(request.GET or None)
        requests = (
            self.queue().select_related("beneficiary__structure").prefetch_related("invoices")
        )
        page = page_of(request, form.filter(requests).order_by("status_at"), 20)
        rows = requests_amounts(page)
        return self.render_page(
            "energy_refunds/instruction_queue.html", form=form, page_obj=page, rows=rows
        )


FORM_OF_ACTION = {
    "validate": forms.ValidateForm,
    "record_payment": forms.PaymentForm,
}


class InstructionDetailView(InstructorView):
    def get(self, request, pk):
        return self.render_detail(self.get_request(pk))

    def get_request(self, pk):
        return get_object_or_404(
            self.queue().select_related("beneficiary__structure", "bank_account", "instructor"),
            pk=pk,
        )

    def form_for(self, action, data=None):
        if action in MOTIVE_OUTCOMES:
            return forms.MotiveForm(data, outcome=MOTIVE_OUTCOMES[action], prefix=action)
        form_class = FORM_OF_ACTION.get(action)
        return form_class(data, prefix=action) if form_class else None

    def render_detail(self, refund, *, status=200, bound_action="", bound=None, refusal=""):
        actions = []
        for transition in available_transitions(document=refund, actor=self.actor):
            form = bound if transition.action == bound_action else self.form_for(transition.action)
            actions.append(
                {
                    "action": transition.action,
                    "label": ACTION_LABELS.get(transition.action, transition.action),
                    "form": form,
                    "open": transition.action == bound_action,
                }
            )
        return self.render_page(
            "energy_refunds/instruction_detail.html",
            status=status,
            refund=refund,
            amounts=request_amounts(refund),
            invoices=refund.invoices.all(),
            attachments=refund.attachments.all(),
            timeline=_timeline(refund),
            actions=actions,
            refusal=refusal,
            letter=refund.status in outputs.DECIDED,
            advance_paid=advance_paid_on(refund.beneficiary_id, refund.year),
        )


class InstructionActionView(InstructionDetailView):
    def post(self, request, pk, action):
        refund = self.get_request(pk)
        form = self.form_for(action, request.POST)
        if form is not None and not form.is_valid():
            return self.render_detail(refund, status=400, bound_action=action, bound=form)
        data = form.cleaned_data if form is not None else {}
        call = {
            "take": lambda: services.refund_request_take(request=refund, actor=self.actor),
            "validate": lambda: services.refund_request_validate(
                request=refund,
                actor=self.actor,
                adjusted_amount=data.get("adjusted_amount"),
                reason=data.get("reason", ""),
            ),
            "suspend": lambda: services.refund_request_suspend(
                request=refund, actor=self.actor, motive=data["motive"], comment=data["comment"]
            ),
            "reject": lambda: services.refund_request_reject(
                request=refund, actor=self.actor, motive=data["motive"], comment=data["comment"]
            ),
            "pay": lambda: services.refund_request_pay(request=refund, actor=self.actor),
            "record_payment": lambda: services.refund_request_record_payment(
                request=refund, actor=self.actor, payment_reference=data["payment_reference"]
            ),
        }.get(action)
        if call is None:
            raise Http404
        try:
            call()
        except TransitionRefused as exc:
            if form is not None and exc.code in ("missing_motive", "bad_motive"):
                form.add_error("motive", exc.message)
                return self.render_detail(refund, status=400, bound_action=action, bound=form)
            return self.render_detail(refund, status=400, refusal=exc.message)
        except ValidationError as exc:
            if form is None:
                return self.render_detail(refund, status=400, refusal=" ".join(exc.messages))
            _add_service_errors(form, exc)
            refund.refresh_from_db()
            return self.render_detail(refund, status=400, bound_action=action, bound=form)
        messages.success(
            request, _("Action enregistrée : %(action)s.") % {"action": ACTION_LABELS[action]}
        )
        return redirect("energy_refunds:instruction_detail", pk=refund.pk)


class StatisticsView(InstructorView):
    def get(self, request):
        form = forms.QueueFilterForm(request.GET or None)
        return self.render_page(
            "energy_refunds/statistics.html",
            form=form,
            stats=outputs.statistics(form.filter(self.queue())),
        )


class PaymentExportView(InstructorView):
    def get(self, request):
        form = forms.QueueFilterForm(request.GET or None)
        response = HttpResponse(
            outputs.payment_export_csv(form.filter(self.queue())),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="remboursements-tic-a-payer.csv"'
        return response
