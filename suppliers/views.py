from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from chorus.access import current_membership


@login_required
def dashboard(request):
    membership = current_membership(request)
    if membership is None or membership.structure.is_public:
        raise PermissionDenied
    return render(request, "suppliers/dashboard.html", {"membership": membership})
