from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from chorus.access import SESSION_KEY, current_membership, memberships_of
from chorus.models import Structure


def home(request):
    """The home page of each role: visitors, suppliers, agents and administrators."""
    if not request.user.is_authenticated:
        return render(request, "chorus/home_visitor.html")
    membership = current_membership(request)
    if membership is not None and not membership.structure.is_public:
        return redirect("suppliers:dashboard")
    return render(request, "chorus/home.html", {"membership": membership})


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
    """Open to everyone: find a public structure by SIRET, name, postcode or city."""
    query = request.GET.get("q", "").strip()
    structures = Structure.objects.public().active()
    if query:
        compact = query.replace(" ", "")
        structures = structures.filter(
            Q(identifier__startswith=compact)
            | Q(legal_name__icontains=query)
            | Q(postcode__startswith=compact)
            | Q(city__icontains=query)
        )
    page = Paginator(structures.order_by("legal_name"), 20).get_page(request.GET.get("page"))
    return render(request, "chorus/directory_search.html", {"query": query, "page_obj": page})


def directory_structure(request, pk):
    structure = get_object_or_404(Structure.objects.public().active(), pk=pk)
    services = structure.services.active_on(timezone.localdate())
    return render(
        request, "chorus/directory_structure.html", {"structure": structure, "services": services}
    )
