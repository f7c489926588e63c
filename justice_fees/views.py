"""The mémoire pages: the provider's (its list, the four-step entry, the detail with its
timeline, completing a suspended mémoire) and the court's (the queue, the detail with the
moves the member may make, the magistrate's certification line by line, the roles).

Another structure's mémoire answers 404; the wrong kind of user is refused (403). A refused
move comes back to the page with its reason."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from chorus.access import SESSION_KEY, MembershipRequiredMixin
from chorus.enums import PublicKind
from chorus.pagination import page_of
from chorus.workflow import Actor, TransitionRefused, available_transitions
from chorus.workflow.core import MOTIVE
from justice_fees import forms, selectors, services
from justice_fees.enums import LineKind, MemoireRole, MemoireStatus
from justice_fees.models import CourtRole, ProviderProfile
from justice_fees.pdf import memoire_pdf
from justice_fees.workflow import MEMOIRE_WORKFLOW, MOTIVE_OUTCOMES

S = MemoireStatus
PAGE_SIZE = 20
STEPS = {
    1: gettext_lazy("La juridiction et la procédure"),
    2: gettext_lazy("Les prestations"),
    3: gettext_lazy("Les frais et la TVA"),
    4: gettext_lazy("Les pièces jointes, la vérification et le dépôt"),
}
LINE_KINDS = {2: (LineKind.PRESTATION,), 3: (LineKind.FRAIS, LineKind.DEBOURS)}
# Where each deposit error is corrected.
ERROR_STEPS = {
    "juridiction": 1,
    "service": 1,
    "number": 1,
    "mission_end_date": 1,
    "lines": 2,
    "attachments": 4,
    "provider": 4,
}
ACTION_LABELS = {
    "deposit": gettext_lazy("Déposer le mémoire"),
    "take": gettext_lazy("Prendre en charge"),
    "submit": gettext_lazy("Transmettre au magistrat pour certification"),
    "suspend": gettext_lazy("Suspendre (pièce manquante)"),
    "reject": gettext_lazy("Rejeter"),
    "complete": gettext_lazy("Compléter"),
    "resume": gettext_lazy("Reprendre le traitement"),
    "certify": gettext_lazy("Certifier"),
    "pay": gettext_lazy("Mettre en paiement"),
    "paid": gettext_lazy("Marquer comme payé"),
}


def _pdf_response(memoire) -> HttpResponse:
    response = HttpResponse(memoire_pdf(memoire), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"memoire-{memoire.number}.pdf"
    )
    return response


def _attachment_response(memoire, pk) -> FileResponse:
    attachment = get_object_or_404(
        memoire.attachments.select_related("upload__received_file"), pk=pk
    )
    received = attachment.upload.received_file
    return FileResponse(
        received.file.open("rb"),
        as_attachment=True,
        filename=attachment.upload.name,
        content_type=received.content_type,
    )


def _field_errors(form, exc: ValidationError) -> None:
    """Places a service's refusal on the form's fields (others on the form)."""
    for field, messages_ in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


# The provider's pages -------------------------------------------------------------------


class ProviderView(MembershipRequiredMixin, View):
    public = False

    def render_page(self, template_name: str, status: int = 200, **context) -> HttpResponse:
        context.update(membership=self.membership, structure=self.structure)
        return render(self.request, template_name, context, status=status)

    def actor(self) -> Actor:
        return Actor.member(self.membership)

    def get_memoire(self, pk):
        return get_object_or_404(selectors.memoires_of_provider(self.structure), pk=pk)


class MemoireListView(ProviderView):
    def get(self, request):
        memoires = selectors.memoires_of_provider(self.structure)
        status = request.GET.get("statut", "")
        if status in S.values:
            memoires = memoires.filter(status=status)
        return self.render_page(
            "justice_fees/memoire_list.html",
            page_obj=page_of(request, memoires, PAGE_SIZE),
            statuses=S.choices,
            current_status=status,
            profile=ProviderProfile.objects.filter(structure=self.structure).first(),
        )


class ProfileView(ProviderView):
    def get(self, request):
        profile = ProviderProfile.objects.filter(structure=self.structure).first()
        initial = (
            {
                "kind": profile.kind,
                "speciality": profile.speciality,
                "vat_regime": profile.vat_regime,
            }
            if profile
            else {}
        )
        return self.render_page(
            "justice_fees/profile.html", form=forms.ProfileForm(initial=initial)
        )

    def post(self, request):
        if not self.membership.is_manager:
            raise PermissionDenied
        form = forms.ProfileForm(request.POST)
        if form.is_valid():
            services.provider_profile_set(
                structure=self.structure, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("Votre profil de prestataire de justice est enregistré."))
            return redirect("justice_fees:memoire_list")
        return self.render_page("justice_fees/profile.html", form=form, status=400)


def _procedure_initial(memoire) -> dict:
    return {
        name: getattr(memoire, name)
        for name in (
            "juridiction",
            "service",
            "number",
            "decision_kind",
            "decision_date",
            "procedure_number",
            "requester",
            "mission_end_date",
        )
    }


class MemoireStepView(ProviderView):
    """The four steps of the entry; the draft is the mémoire itself (BROUILLON), kept at
    every step, so the entry can be left and taken up again."""

    def get(self, request, pk=None, step=1):
        memoire = self._draft(pk)
        return self.render_step(memoire, step)

    def _draft(self, pk):
        if pk is None:
            return None
        memoire = self.get_memoire(pk)
        if not memoire.is_draft:
            raise Http404
        return memoire

    def render_step(self, memoire, step, status=200, **context):
        if step not in STEPS or (memoire is None and step != 1):
            raise Http404
        if memoire is not None and step > memoire.step:
            return redirect("justice_fees:memoire_step", pk=memoire.pk, step=memoire.step)
        if step == 1 and "form" not in context:
            context["form"] = forms.ProcedureForm(
                initial=_procedure_initial(memoire) if memoire else {}
            )
        if step in LINE_KINDS and "line_forms" not in context:
            context["line_forms"] = forms.line_forms(
                None,
                kinds=LINE_KINDS[step],
                lines=memoire.lines.filter(kind__in=LINE_KINDS[step]).select_related("tariff"),
                prefix="ligne",
            )
        if step == 3 and "vat_form" not in context:
            context["vat_form"] = forms.VatRegimeForm(initial={"vat_regime": memoire.vat_regime})
        if step == 4:
            context.setdefault("attachment_form", forms.AttachmentForm())
            context["lines"] = list(memoire.lines.select_related("tariff"))
            context.setdefault("deposit_errors", [])
        return self.render_page(
            "justice_fees/memoire_step.html",
            status=status,
            memoire=memoire,
            step=step,
            step_title=STEPS[step],
            steps=STEPS,
            **context,
        )

    def post(self, request, pk=None, step=1):
        memoire = self._draft(pk)
        if step == 1:
            return self._post_procedure(memoire)
        if memoire is None or step > memoire.step:
            raise Http404
        if step in LINE_KINDS:
            return self._post_lines(memoire, step)
        if step == 4:
            return self._post_attachments(memoire)
        raise Http404

    def _post_procedure(self, memoire):
        form = forms.ProcedureForm(self.request.POST)
        if form.is_valid():
            try:
                if memoire is None:
                    memoire = services.memoire_create(
                        provider=self.structure, actor=self.actor(), **form.cleaned_data
                    )
                else:
                    services.memoire_procedure_update(memoire=memoire, **form.cleaned_data)
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                return redirect("justice_fees:memoire_step", pk=memoire.pk, step=2)
        return self.render_step(memoire, 1, status=400, form=form)

    def _post_lines(self, memoire, step):
        kinds = LINE_KINDS[step]
        rows = forms.line_forms(self.request.POST, kinds=kinds, lines=[], prefix="ligne")
        vat_form = forms.VatRegimeForm(self.request.POST) if step == 3 else None
        valid = all(row.is_valid() for row in rows) and (vat_form is None or vat_form.is_valid())
        lines = [
            services.LineInput(
                kind=(row.cleaned_data["tariff"].kind if row.cleaned_data["tariff"] else kinds[0]),
                label=row.cleaned_data["label"],
                quantity=row.cleaned_data["quantity"],
                unit_price=row.cleaned_data["unit_price"],
                vat_rate=Decimal(row.cleaned_data["vat_rate"]),
                tariff=row.cleaned_data["tariff"],
            )
            for row in rows
            if valid and not row.cleaned_data.get("empty")
        ]
        if valid and step == 2 and not lines:
            rows[0].add_error("tariff", _("Indiquez au moins une prestation."))
            valid = False
        if not valid:
            context = {"line_forms": rows}
            if vat_form is not None:
                context["vat_form"] = vat_form
            return self.render_step(memoire, step, status=400, **context)
        if vat_form is not None:
            services.memoire_vat_regime_set(
                memoire=memoire, vat_regime=vat_form.cleaned_data["vat_regime"]
            )
        services.memoire_lines_set(memoire=memoire, kinds=kinds, lines=lines, step=step)
        return redirect("justice_fees:memoire_step", pk=memoire.pk, step=step + 1)

    def _post_attachments(self, memoire):
        if "remove" in self.request.POST:
            attachment = get_object_or_404(memoire.attachments, pk=self.request.POST.get("remove"))
            services.memoire_attachment_remove(memoire=memoire, attachment=attachment)
            return redirect("justice_fees:memoire_step", pk=memoire.pk, step=4)
        if "deposit" in self.request.POST:
            return self._deposit(memoire)
        form = forms.AttachmentForm(self.request.POST, self.request.FILES)
        if getattr(self.request, "upload_too_large", None):
            form.add_error("file", _("Le fichier dépasse la taille permise : 10 Mo au plus."))
        if form.is_valid():
            data = form.cleaned_data
            services.memoire_attachment_add(
                memoire=memoire,
                kind=data["kind"],
                data=data["data"],
                name=data["file"].name,
                mime_type=data["mime_type"],
                actor=self.actor(),
            )
            return redirect("justice_fees:memoire_step", pk=memoire.pk, step=4)
        return self.render_step(memoire, 4, status=400, attachment_form=form)

    def _deposit(self, memoire):
        try:
            services.memoire_deposit(memoire=memoire, actor=self.actor())
        except ValidationError as exc:
            errors = [
                {"step": ERROR_STEPS.get(field, 4), "message": message}
                for field, field_messages in exc.message_dict.items()
                for message in field_messages
            ]
            return self.render_step(memoire, 4, status=400, deposit_errors=errors)
        except TransitionRefused as refused:
            return self.render_step(
                memoire, 4, status=409, deposit_errors=[{"step": 4, "message": refused.message}]
            )
        messages.success(
            self.request,
            _("Le mémoire %(number)s est déposé : il est mis à disposition de %(court)s.")
            % {"number": memoire.number, "court": memoire.juridiction.legal_name},
        )
        return redirect("justice_fees:memoire_detail", pk=memoire.pk)


class MemoireDeleteView(ProviderView):
    def post(self, request, pk):
        memoire = self.get_memoire(pk)
        if not memoire.is_draft:
            raise Http404
        services.memoire_draft_delete(memoire=memoire)
        messages.success(
            request, _("Le brouillon %(number)s est supprimé.") % {"number": memoire.number}
        )
        return redirect("justice_fees:memoire_list")


class MemoireDetailView(ProviderView):
    def get(self, request, pk):
        return self.render_detail(self.get_memoire(pk))

    def render_detail(self, memoire, *, complete_form=None, refusal="", status=200):
        can_complete = any(
            t.action == "complete"
            for t in available_transitions(document=memoire, actor=self.actor())
        )
        return self.render_page(
            "justice_fees/memoire_detail.html",
            status=status,
            memoire=memoire,
            lines=list(memoire.lines.select_related("tariff")),
            attachments=list(memoire.attachments.select_related("upload")),
            timeline=selectors.memoire_timeline(memoire),
            complete_form=complete_form or (forms.CompleteForm() if can_complete else None),
            refusal=refusal,
        )

    def post(self, request, pk):
        """Completing a suspended mémoire with the missing document."""
        memoire = self.get_memoire(pk)
        form = forms.CompleteForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.memoire_complete(
                    memoire=memoire,
                    actor=self.actor(),
                    comment=data["comment"],
                    uploads=[
                        services.Upload(
                            data["kind"], data["file"].name, data["data"], data["mime_type"]
                        )
                    ],
                )
            except TransitionRefused as refused:
                return self.render_detail(
                    memoire, complete_form=form, refusal=refused.message, status=409
                )
            messages.success(request, _("Le mémoire est complété : son traitement reprend."))
            return redirect("justice_fees:memoire_detail", pk=memoire.pk)
        return self.render_detail(memoire, complete_form=form, status=400)


class MemoirePdfView(ProviderView):
    def get(self, request, pk):
        return _pdf_response(self.get_memoire(pk))


class MemoireAttachmentView(ProviderView):
    def get(self, request, pk, attachment):
        return _attachment_response(self.get_memoire(pk), attachment)


def signup(request):
    """A prestataire de justice without SIRET signs up by identity; one with a SIRET signs up
    in the supplier space, then gives their profile."""
    if request.user.is_authenticated:
        return redirect("justice_fees:profile")
    form = forms.PersonSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, membership = services.provider_person_signup(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
                birth_date=data["birth_date"],
                address_line=data["address_line"],
                postcode=data["postcode"],
                city=data["city"],
                kind=data["kind"],
                speciality=data["speciality"],
            )
        except ValidationError as exc:
            _field_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = membership.structure_id
            messages.success(request, _("Votre compte de prestataire de justice est créé."))
            return redirect("justice_fees:memoire_list")
    return render(
        request, "justice_fees/signup.html", {"form": form}, status=400 if form.errors else 200
    )


# The court's pages ------------------------------------------------------------------------


class CourtView(MembershipRequiredMixin, View):
    public = True

    def render_page(self, template_name: str, status: int = 200, **context) -> HttpResponse:
        if self.structure.kind != PublicKind.JURIDICTION:
            raise PermissionDenied
        context.update(membership=self.membership, structure=self.structure)
        return render(self.request, template_name, context, status=status)

    def visible(self):
        if self.structure.kind != PublicKind.JURIDICTION:
            raise PermissionDenied
        return selectors.memoires_for_court(self.membership)

    def get_memoire(self, pk):
        return get_object_or_404(self.visible(), pk=pk)

    def actor(self) -> Actor:
        return Actor.member(self.membership)


class CourtQueueView(CourtView):
    def get(self, request):
        status = request.GET.get("statut", "")
        if status not in S.values or status == S.BROUILLON:
            status = ""
        page = page_of(request, selectors.court_queue(self.visible(), status=status), PAGE_SIZE)
        return self.render_page(
            "justice_fees/court_queue.html",
            page_obj=page,
            queue=selectors.with_waiting_time(page),
            statuses=[(value, label) for value, label in S.choices if value != S.BROUILLON],
            current_status=status,
            court_role=CourtRole.objects.filter(membership=self.membership).first(),
        )


class CourtDetailView(CourtView):
    def get(self, request, pk):
        return self.render_detail(self.get_memoire(pk))

    def render_detail(self, memoire, *, bound=None, certify_errors=None, refusal="", status=200):
        actor = self.actor()
        roles = MEMOIRE_WORKFLOW.roles_of(actor, memoire)
        actions = []
        for transition in available_transitions(document=memoire, actor=actor):
            if transition.action == "certify":
                continue
            is_bound = bound is not None and bound[0] == transition.target
            if MOTIVE in transition.requires:
                form = (
                    bound[1]
                    if is_bound
                    else forms.MotiveForm(outcome=MOTIVE_OUTCOMES[transition.action])
                )
            else:
                form = bound[1] if is_bound else forms.CommentForm()
            actions.append(
                {
                    "transition": transition,
                    "label": ACTION_LABELS[transition.action],
                    "url": reverse("justice_fees:court_move", args=[memoire.pk, transition.target]),
                    "form": form,
                    "open": is_bound,
                }
            )
        can_certify = any(
            t.action == "certify" for t in available_transitions(document=memoire, actor=actor)
        )
        lines = list(memoire.lines.select_related("tariff"))
        posted = self.request.POST if certify_errors is not None else {}
        for line in lines:
            line.certify_value = posted.get(f"certified_{line.pk}", f"{line.claimed_net:.2f}")
            line.certify_reason = posted.get(f"reason_{line.pk}", "")
            line.certify_error = (certify_errors or {}).get(line.pk, "")
        return self.render_page(
            "justice_fees/court_detail.html",
            status=status,
            memoire=memoire,
            lines=lines,
            attachments=list(memoire.attachments.select_related("upload")),
            timeline=selectors.memoire_timeline(memoire),
            actions=actions,
            can_certify=can_certify,
            is_magistrate=MemoireRole.MAGISTRAT in roles,
            certify_errors=certify_errors or {},
            refusal=refusal,
        )


class CourtMoveView(CourtDetailView):
    def get(self, request, pk, target):
        return redirect("justice_fees:court_detail", pk=pk)

    def post(self, request, pk, target):
        memoire = self.get_memoire(pk)
        transition = MEMOIRE_WORKFLOW.transition(memoire.status, target)
        if transition is None or transition.action == "certify":
            return self.render_detail(
                memoire,
                refusal=_("Ce mémoire a changé de statut : rechargez la page."),
                status=409,
            )
        needs_motive = MOTIVE in transition.requires
        form = (
            forms.MotiveForm(request.POST, outcome=MOTIVE_OUTCOMES[transition.action])
            if needs_motive
            else forms.CommentForm(request.POST)
        )
        if not form.is_valid():
            return self.render_detail(memoire, bound=(target, form), status=400)
        data = form.cleaned_data
        move = {
            "take": services.memoire_take,
            "resume": services.memoire_resume,
            "submit": services.memoire_submit_for_certification,
            "pay": services.memoire_pay,
            "paid": services.memoire_paid,
            "suspend": services.memoire_suspend,
            "reject": services.memoire_reject,
        }[transition.action]
        kwargs = {"memoire": memoire, "actor": self.actor(), "comment": data["comment"]}
        if needs_motive:
            kwargs["motive"] = data["motive"]
        try:
            move(**kwargs)
        except TransitionRefused as refused:
            if refused.code in {"missing_motive", "bad_motive"}:
                form.add_error("motive", refused.message)
                return self.render_detail(memoire, bound=(target, form), status=400)
            return self.render_detail(memoire, refusal=refused.message, status=409)
        messages.success(
            request,
            _("Mémoire %(number)s : %(status)s.")
            % {"number": memoire.number, "status": S(target).label},
        )
        return redirect("justice_fees:court_detail", pk=memoire.pk)


class CourtCertifyView(CourtDetailView):
    """The magistrate certifies line by line: each certified amount, and for a lower one the
    reason."""

    def get(self, request, pk):
        return redirect("justice_fees:court_detail", pk=pk)

    def post(self, request, pk):
        memoire = self.get_memoire(pk)
        reductions, errors = {}, {}
        for line in memoire.lines.all():
            raw = (
                request.POST.get(f"certified_{line.pk}", "")
                .strip()
                .replace(",", ".")
                .replace(" ", "")
            )
            reason = request.POST.get(f"reason_{line.pk}", "")
            if not raw:
                continue
            try:
                amount = Decimal(raw)
            except InvalidOperation:
                errors[line.pk] = _("Indiquez un montant en euros, par exemple 42,50.")
                continue
            if amount != line.claimed_net:
                reductions[line.pk] = services.Reduction(amount, reason)
        if not errors:
            try:
                services.memoire_certify(
                    memoire=memoire,
                    actor=self.actor(),
                    reductions=reductions,
                    comment=request.POST.get("comment", ""),
                )
            except ValidationError as exc:
                errors = {
                    int(field.removeprefix("line_")): " ".join(msgs)
                    for field, msgs in exc.message_dict.items()
                    if field.startswith("line_")
                }
            except TransitionRefused as refused:
                return self.render_detail(memoire, refusal=refused.message, status=409)
            else:
                messages.success(
                    request,
                    _("Mémoire %(number)s certifié pour %(amount)s € TTC.")
                    % {"number": memoire.number, "amount": memoire.certified_total},
                )
                return redirect("justice_fees:court_detail", pk=memoire.pk)
        return self.render_detail(memoire, certify_errors=errors, status=400)


class CourtPdfView(CourtView):
    def get(self, request, pk):
        return _pdf_response(self.get_memoire(pk))


class CourtAttachmentView(CourtView):
    def get(self, request, pk, attachment):
        return _attachment_response(self.get_memoire(pk), attachment)


class CourtRolesView(CourtView):
    """The court's manager says who checks mémoires (agents) and who certifies (magistrates)."""

    managers_only = True

    def get(self, request):
        return self.render_roles()

    def render_roles(self, errors=None, status=200):
        roles = {
            r.membership_id: r.role
            for r in CourtRole.objects.filter(membership__structure=self.structure)
        }
        members = [
            {
                "membership": m,
                "form": forms.CourtRoleForm(
                    initial={"role": roles.get(m.pk, "")}, prefix=f"m{m.pk}"
                ),
            }
            for m in forms.court_members(self.structure)
        ]
        return self.render_page("justice_fees/court_roles.html", members=members, status=status)

    def post(self, request):
        membership = get_object_or_404(
            forms.court_members(self.structure), pk=request.POST.get("member")
        )
        form = forms.CourtRoleForm(request.POST, prefix=f"m{membership.pk}")
        if form.is_valid():
            services.court_role_assign(
                membership=membership, role=form.cleaned_data["role"], actor=self.membership
            )
            messages.success(
                request, _("Le rôle de %(user)s est enregistré.") % {"user": membership.user}
            )
        return redirect("justice_fees:court_roles")
