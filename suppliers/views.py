"""Pages of the supplier accounts: sign-up, join requests, members, structure, bank accounts.

Every page of a structure works on the structure the user acts under (chosen in the header):
objects are looked up within it, so another structure's ids give a 404.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from chorus.access import SESSION_KEY, MembershipRequiredMixin
from chorus.enums import Role
from chorus.services import bank_account_add
from suppliers import services
from suppliers.enums import JoinRequestStatus
from suppliers.forms import (
    BankAccountForm,
    CompanyForm,
    JoinRequestRefuseForm,
    RoleForm,
    SignupForm,
    StructureForm,
)
from suppliers.models import JoinRequest


def _after_attach(request, attachment):
    if isinstance(attachment, JoinRequest):
        return redirect("suppliers:join_pending")
    request.session[SESSION_KEY] = attachment.structure_id
    messages.success(
        request,
        _("Le compte de %(name)s est créé : vous en êtes le gestionnaire principal.")
        % {"name": attachment.structure.legal_name},
    )
    return redirect("suppliers:dashboard")


def signup(request):
    """A new supplier account: a new company, or a request to join a registered one."""
    if request.user.is_authenticated:
        return redirect("suppliers:attach")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, attachment = services.supplier_signup(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
                **form.company_data(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return _after_attach(request, attachment)
    return render(request, "suppliers/signup.html", {"form": form})


@login_required
def attach(request):
    """A signed-in user registers another company, or asks to join one."""
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.supplier_structure_attach(
                user=request.user, **form.company_data()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _after_attach(request, attachment)
    return render(request, "suppliers/attach.html", {"form": form})


@login_required
def join_pending(request):
    join_requests = request.user.join_requests.select_related("structure")[:20]
    return render(request, "suppliers/join_pending.html", {"join_requests": join_requests})


class SupplierPage(MembershipRequiredMixin):
    """A page of the supplier structure the user acts under."""

    public = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(membership=self.membership, structure=self.structure)
        return context

    def render_page(self, template_name, **context):
        context.update(membership=self.membership, structure=self.structure)
        return render(self.request, template_name, context)


class ManagerPage(SupplierPage):
    managers_only = True


class DashboardView(SupplierPage, TemplateView):
    template_name = "suppliers/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        structure = self.structure
        context["members"] = structure.memberships.select_related("user").order_by(
            "user__last_name", "user__first_name"
        )
        context["bank_accounts"] = structure.bank_accounts.filter(active=True).order_by("label")
        if self.membership.is_manager:
            context["pending_requests"] = structure.join_requests.filter(
                status=JoinRequestStatus.EN_ATTENTE
            ).select_related("user")
        return context


class StructureView(SupplierPage, TemplateView):
    """The structure's details, read-only; managers get a link to change them."""

    template_name = "suppliers/structure.html"


class StructureEditView(ManagerPage, View):
    template_name = "suppliers/structure_edit.html"

    def get(self, request):
        return self.render(StructureForm(instance=self._copy()))

    def post(self, request):
        # The form works on a copy: a rejected change must not show in the header.
        form = StructureForm(request.POST, instance=self._copy())
        if form.is_valid():
            try:
                services.structure_update(
                    structure=self.structure, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Les informations de la structure sont enregistrées."))
                return redirect("suppliers:structure")
        return self.render(form)

    def _copy(self):
        return type(self.structure).objects.get(pk=self.structure.pk)

    def render(self, form):
        return self.render_page(self.template_name, form=form)


class MembersView(SupplierPage, TemplateView):
    template_name = "suppliers/members.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = self.structure.memberships.select_related("user").order_by(
            "user__last_name", "user__first_name"
        )
        return context


class MemberView(ManagerPage, View):
    """One member: change the role, or remove them from the structure."""

    template_name = "suppliers/member.html"

    def _member(self, pk):
        return get_object_or_404(self.structure.memberships.select_related("user"), pk=pk)

    def get(self, request, pk):
        member = self._member(pk)
        form = RoleForm(initial={"role": member.role}, actor_membership=self.membership)
        return self.render(member, form)

    def post(self, request, pk):
        member = self._member(pk)
        form = RoleForm(request.POST, actor_membership=self.membership)
        if form.is_valid():
            try:
                services.membership_role_change(
                    membership=member, role=form.cleaned_data["role"], actor=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(user)s est désormais %(role)s.")
                    % {"user": member.user, "role": member.get_role_display().lower()},
                )
                return redirect("suppliers:members")
        return self.render(member, form)

    def render(self, member, form):
        return self.render_page(self.template_name, member=member, form=form)


class MemberRemoveView(ManagerPage, View):
    def post(self, request, pk):
        member = get_object_or_404(self.structure.memberships.select_related("user"), pk=pk)
        try:
            services.membership_remove(membership=member, actor=request.user)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect("suppliers:member", pk=pk)
        messages.success(
            request,
            _("%(user)s ne fait plus partie de %(structure)s.")
            % {"user": member.user, "structure": self.structure.legal_name},
        )
        if member.user_id == request.user.pk:
            return redirect("home")
        return redirect("suppliers:members")


class JoinRequestsView(ManagerPage, TemplateView):
    template_name = "suppliers/join_requests.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = self.structure.join_requests.select_related("user", "decided_by")
        context["pending_requests"] = requests.filter(status=JoinRequestStatus.EN_ATTENTE)
        context["decided_requests"] = requests.exclude(status=JoinRequestStatus.EN_ATTENTE)[:20]
        return context


class JoinRequestDetailView(ManagerPage, View):
    """Approve with a role, or refuse with a reason: both e-mail the requester."""

    template_name = "suppliers/join_request_detail.html"

    def get(self, request, pk):
        join_request = self._join_request(pk)
        return self.render(
            join_request,
            RoleForm(initial={"role": Role.UTILISATEUR}, actor_membership=self.membership),
            JoinRequestRefuseForm(),
        )

    def post(self, request, pk):
        join_request = self._join_request(pk)
        approve_form = RoleForm(actor_membership=self.membership)
        refuse_form = JoinRequestRefuseForm()
        try:
            if request.POST.get("decision") == "approve":
                approve_form = RoleForm(request.POST, actor_membership=self.membership)
                if approve_form.is_valid():
                    services.join_request_approve(
                        join_request=join_request,
                        role=approve_form.cleaned_data["role"],
                        actor=request.user,
                    )
                    messages.success(
                        request,
                        _("%(user)s a rejoint la structure.") % {"user": join_request.user},
                    )
                    return redirect("suppliers:join_requests")
            else:
                refuse_form = JoinRequestRefuseForm(request.POST)
                if refuse_form.is_valid():
                    services.join_request_refuse(
                        join_request=join_request,
                        actor=request.user,
                        message=refuse_form.cleaned_data["message"],
                    )
                    messages.success(
                        request,
                        _("La demande de %(user)s est refusée ; il en est informé par e-mail.")
                        % {"user": join_request.user},
                    )
                    return redirect("suppliers:join_requests")
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                # Decided meanwhile by another manager: show the decision.
                for error in exc.messages:
                    messages.error(request, error)
                return redirect("suppliers:join_request_detail", pk=pk)
            target = approve_form if approve_form.is_bound else refuse_form
            target.add_error(None, exc)
        return self.render(join_request, approve_form, refuse_form)

    def _join_request(self, pk):
        return get_object_or_404(
            self.structure.join_requests.select_related("user", "decided_by"), pk=pk
        )

    def render(self, join_request, approve_form, refuse_form):
        return self.render_page(
            self.template_name,
            join_request=join_request,
            approve_form=approve_form,
            refuse_form=refuse_form,
        )


class BankAccountsView(SupplierPage, TemplateView):
    template_name = "suppliers/bank_accounts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bank_accounts"] = self.structure.bank_accounts.order_by("-active", "label")
        return context


class BankAccountAddView(ManagerPage, View):
    template_name = "suppliers/bank_account_add.html"

    def get(self, request):
        return self.render(BankAccountForm(structure=self.structure))

    def post(self, request):
        form = BankAccountForm(request.POST, structure=self.structure)
        if form.is_valid():
            try:
                bank_account_add(structure=self.structure, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Les coordonnées bancaires sont enregistrées."))
                return redirect("suppliers:bank_accounts")
        return self.render(form)

    def render(self, form):
        return self.render_page(self.template_name, form=form)


class BankAccountActivationView(ManagerPage, View):
    def post(self, request, pk):
        account = get_object_or_404(self.structure.bank_accounts, pk=pk)
        active = request.POST.get("active") == "1"
        services.bank_account_set_active(account=account, active=active, actor=request.user)
        if active:
            messages.success(
                request, _("Le compte « %(label)s » est réactivé.") % {"label": account.label}
            )
        else:
            messages.success(
                request,
                _(
                    "Le compte « %(label)s » est désactivé : il ne sera plus proposé sur les factures."
                )
                % {"label": account.label},
            )
        return redirect("suppliers:bank_accounts")
