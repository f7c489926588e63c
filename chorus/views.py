from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.access import SESSION_KEY, current_membership, memberships_of
from chorus.api import errors
from chorus.enums import PublicKind
from chorus.forms import NotificationSettingsForm
from chorus.models import Structure
from chorus.pagination import page_of
from chorus.selectors import public_structures_search
from invoices.enums import InvoiceStatus
from invoices.selectors import invoices_received_for

DIRECTORY_PAGE_SIZE = 20
# The invoices waiting for an agent: newly available, or completed by the supplier.
TO_PROCESS = (InvoiceStatus.MISE_A_DISPOSITION, InvoiceStatus.COMPLETEE)
AGENT_ENGAGEMENTS_SHOWN = 50


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the API never uses cookies, so a refusal there is answered in JSON;
    the portal shows its DSFR 403 page saying to reload the form."""
    if request.path.startswith(("/api/", "/cpro/")):
        return errors.json_error(errors.FORBIDDEN, detail=errors.FORBIDDEN_DETAIL)
    return render(request, "403.html", {"csrf_failure": True}, status=403)


def home(request):
    """The home page of each role: visitors, suppliers, agents and administrators."""
    if not request.user.is_authenticated:
        return render(request, "chorus/home_visitor.html")
    membership = current_membership(request)
    if membership is None:
        join_requests = request.user.join_requests.select_related("structure")[:5]
        return render(request, "chorus/home.html", {"join_requests": join_requests})
    if not membership.structure.is_public:
        return redirect("suppliers:dashboard")
    return _agent_home(request, membership)


def _agent_home(request, membership):
    """An agent's dashboard: their received invoices, their structure, its parameters, their
    services, its EJs."""
    structure = membership.structure
    engagements = structure.engagements.select_related("service").order_by("-created_at", "number")
    received = invoices_received_for(membership)
    return render(
        request,
        "chorus/home_agent.html",
        {
            "membership": membership,
            "structure": structure,
            "my_services": membership.services.order_by("code"),
            "active_services_count": structure.services.active_on(timezone.localdate()).count(),
            "engagements": engagements[:AGENT_ENGAGEMENTS_SHOWN],
            "engagements_count": engagements.count(),
            "invoices_received_count": received.count(),
            "invoices_to_process_count": received.filter(status__in=TO_PROCESS).count(),
        },
    )


@require_POST
def switch_structure(request):
    structure_id = request.POST.get("structure")
    if any(str(m.structure_id) == structure_id for m in memberships_of(request.user)):
        request.session[SESSION_KEY] = int(structure_id)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)


def directory_search(request):
    """Open to everyone: find a public structure by SIRET, name, postcode or city.

    Every word typed must match one of those; private structures are never listed.
    """
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    structures = public_structures_search(query)
    if kind in PublicKind.values:
        structures = structures.filter(kind=kind)
    page = page_of(request, structures, DIRECTORY_PAGE_SIZE)
    return render(
        request,
        "chorus/directory_search.html",
        {
            "query": query,
            "kind": kind,
            "kinds": PublicKind.choices,
            "searched": bool(query or kind),
            "page_obj": page,
        },
    )


def directory_structure(request, pk):
    """A public structure's card: where to send invoices and what they must carry."""
    structure = get_object_or_404(Structure.objects.public().active(), pk=pk)
    services = structure.services.active_on(timezone.localdate()).order_by("code")
    return render(
        request,
        "chorus/directory_structure.html",
        {"structure": structure, "page_obj": page_of(request, services, 50)},
    )


@login_required
def notification_settings(request):
    """The user's choice between an e-mail per event and one daily digest."""
    form = NotificationSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notification_settings")
    return render(request, "chorus/notification_settings.html", {"form": form})
