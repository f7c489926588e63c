"""The public structure's pages for its managers: agents, services, engagements juridiques.

Managers only (agents get 403, suppliers too); every object is looked up within the
structure the manager acts under, so another structure's ids answer 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from chorus.enums import EngagementStatus
from chorus.pagination import page_of
from invoices.channels.backoffice import structure as services
from invoices.channels.backoffice.structure_forms import (
    AgentForm,
    EngagementForm,
    InviteForm,
    ServiceForm,
)
from invoices.channels.backoffice.views import BackofficeView
from suppliers.services import membership_remove

ENGAGEMENTS_PAGE_SIZE = 50


class ManagerView(BackofficeView):
    managers_only = True

    def form_page(self, form, *, title: str, back: str, submit: str, status: int = 200, **extra):
        return self.render_page(
            "invoices/backoffice/structure_form.html",
            status=status,
            form=form,
            title=title,
            back=back,
            submit=submit,
            **extra,
        )


class AgentListView(ManagerView):
    def get(self, request):
        members = (
            self.structure.memberships.select_related("user")
            .prefetch_related("services")
            .order_by("user__last_name", "user__first_name", "user__email")
        )
        return self.render_page("invoices/backoffice/agents.html", members=members)


class AgentInviteView(ManagerView):
    def get(self, request):
        return self.page(InviteForm(actor_membership=self.membership))

    def post(self, request):
        form = InviteForm(request.POST, actor_membership=self.membership)
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership = services.agent_invite(
                    structure=self.structure,
                    actor=request.user,
                    email=data["email"],
                    role=data["role"],
                    services=data["services"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "%(user)s fait désormais partie de la structure : une invitation lui est envoyée par e-mail."
                    )
                    % {"user": membership.user},
                )
                return redirect("reception:agents")
        return self.page(form, status=400)

    def page(self, form, status=200):
        return self.form_page(
            form,
            title=_("Inviter un agent"),
            back="reception:agents",
            submit=_("Envoyer l'invitation"),
            status=status,
        )


class AgentMixin:
    def get_member(self, pk):
        return get_object_or_404(
            self.structure.memberships.select_related("user", "structure"), pk=pk
        )


class AgentView(AgentMixin, ManagerView):
    """One agent: their role and services, and removing them from the structure."""

    def get(self, request, pk):
        member = self.get_member(pk)
        form = AgentForm(
            initial={"role": member.role, "services": list(member.services.all())},
            actor_membership=self.membership,
        )
        return self.page(member, form)

    def post(self, request, pk):
        member = self.get_member(pk)
        form = AgentForm(request.POST, actor_membership=self.membership)
        if form.is_valid():
            try:
                services.agent_update(
                    membership=member,
                    actor=request.user,
                    role=form.cleaned_data["role"],
                    services=form.cleaned_data["services"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Les droits de %(user)s sont enregistrés.") % {"user": member.user}
                )
                return redirect("reception:agents")
        return self.page(member, form, status=400)

    def page(self, member, form, status=200):
        return self.render_page(
            "invoices/backoffice/agent.html", status=status, member=member, form=form
        )


class AgentRemoveView(AgentMixin, ManagerView):
    def post(self, request, pk):
        member = self.get_member(pk)
        try:
            membership_remove(membership=member, actor=request.user)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect("reception:agent", pk=pk)
        messages.success(
            request,
            _("%(user)s ne fait plus partie de %(structure)s.")
            % {"user": member.user, "structure": self.structure.legal_name},
        )
        if member.user_id == request.user.pk:
            return redirect("home")
        return redirect("reception:agents")


class ServiceListView(ManagerView):
    def get(self, request):
        rows = self.structure.services.annotate(
            agent_count=Count("agents", distinct=True)
        ).order_by("-active", "code")
        return self.render_page("invoices/backoffice/services.html", services=rows)


class ServiceAddView(ManagerView):
    def get(self, request):
        return self.page(ServiceForm())

    def post(self, request):
        form = ServiceForm(request.POST)
        if form.is_valid():
            try:
                service = services.service_create(
                    structure=self.structure, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Le service %(code)s est créé.") % {"code": service.code}
                )
                return redirect("reception:services")
        return self.page(form, status=400)

    def page(self, form, status=200):
        return self.form_page(
            form,
            title=_("Créer un service"),
            back="reception:services",
            submit=_("Créer le service"),
            status=status,
        )


class ServiceView(ManagerView):
    """Renaming a service, closing it or opening it again."""

    def get(self, request, pk):
        service = get_object_or_404(self.structure.services, pk=pk)
        form = ServiceForm(
            initial={"name": service.name, "ej_required": service.ej_required}, creating=False
        )
        return self.page(service, form)

    def post(self, request, pk):
        service = get_object_or_404(self.structure.services, pk=pk)
        if "active" in request.POST:
            active = request.POST["active"] == "1"
            services.service_set_active(service=service, actor=request.user, active=active)
            messages.success(
                request,
                (
                    _("Le service %(code)s est rouvert.")
                    if active
                    else _(
                        "Le service %(code)s est fermé : les factures ne peuvent plus le désigner."
                    )
                )
                % {"code": service.code},
            )
            return redirect("reception:services")
        form = ServiceForm(request.POST, creating=False)
        if form.is_valid():
            try:
                services.service_update(service=service, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Le service %(code)s est enregistré.") % {"code": service.code}
                )
                return redirect("reception:services")
        return self.page(service, form, status=400)

    def page(self, service, form, status=200):
        return self.form_page(
            form,
            title=_("Service %(code)s") % {"code": service.code},
            back="reception:services",
            submit=_("Enregistrer"),
            status=status,
            service=service,
        )


class EngagementListView(ManagerView):
    def get(self, request):
        query = request.GET.get("q", "").strip()[:50]
        engagements = self.structure.engagements.select_related("service").order_by(
            "-created_at", "-pk"
        )
        if query:
            engagements = engagements.filter(
                Q(number__icontains=query) | Q(service__code__iexact=query)
            )
        return self.render_page(
            "invoices/backoffice/engagements.html",
            query=query,
            page_obj=page_of(request, engagements, ENGAGEMENTS_PAGE_SIZE),
        )


class EngagementAddView(ManagerView):
    def get(self, request):
        return self.page(EngagementForm(structure=self.structure))

    def post(self, request):
        form = EngagementForm(request.POST, structure=self.structure)
        if form.is_valid():
            try:
                engagement = services.engagement_create(
                    structure=self.structure, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("L'engagement juridique %(number)s est créé.")
                    % {"number": engagement.number},
                )
                return redirect("reception:engagements")
        return self.page(form, status=400)

    def page(self, form, status=200):
        return self.form_page(
            form,
            title=_("Créer un engagement juridique"),
            back="reception:engagements",
            submit=_("Créer l'engagement juridique"),
            status=status,
        )


class EngagementView(ManagerView):
    """Renumbering an engagement juridique, changing its service or amount, closing it or
    opening it again."""

    def get(self, request, pk):
        engagement = get_object_or_404(self.structure.engagements, pk=pk)
        form = EngagementForm(
            initial={
                "number": engagement.number,
                "service": engagement.service_id,
                "amount": engagement.amount,
            },
            structure=self.structure,
        )
        return self.page(engagement, form)

    def post(self, request, pk):
        engagement = get_object_or_404(self.structure.engagements, pk=pk)
        if "status" in request.POST:
            status = request.POST["status"]
            if status not in EngagementStatus.values:
                return redirect("reception:engagement", pk=pk)
            services.engagement_set_status(engagement=engagement, actor=request.user, status=status)
            messages.success(
                request,
                _("L'engagement juridique %(number)s est %(status)s.")
                % {"number": engagement.number, "status": engagement.get_status_display().lower()},
            )
            return redirect("reception:engagements")
        form = EngagementForm(request.POST, structure=self.structure)
        if form.is_valid():
            try:
                services.engagement_update(
                    engagement=engagement, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("L'engagement juridique %(number)s est enregistré.")
                    % {"number": engagement.number},
                )
                return redirect("reception:engagements")
        return self.page(engagement, form, status=400)

    def page(self, engagement, form, status=200):
        return self.form_page(
            form,
            title=_("Engagement juridique %(number)s") % {"number": engagement.number},
            back="reception:engagements",
            submit=_("Enregistrer"),
            status=status,
            engagement=engagement,
        )
