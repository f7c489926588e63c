"""Who may see and do what: the one place that answers it for pages and endpoints."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from chorus.models import Membership, Structure, TechnicalAccount

SESSION_KEY = "current_structure_id"


def memberships_of(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, structure__active=True)
        .select_related("structure")
        .order_by("structure__legal_name")
    )


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership the user acts under: the one picked in the header, else the first."""
    if hasattr(request, "_current_membership"):
        return request._current_membership
    memberships = memberships_of(request.user)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    found = next((m for m in memberships if m.structure_id == chosen), None)
    request._current_membership = found or (memberships[0] if memberships else None)
    return request._current_membership


def membership_for(user, structure: Structure) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, structure=structure, structure__active=True).first()


def require_manager(user, structure: Structure) -> Membership:
    """Refuses (403) anyone who is not a manager of the structure."""
    membership = membership_for(user, structure)
    if membership is None or not membership.is_manager:
        raise PermissionDenied
    return membership


class MembershipRequiredMixin(LoginRequiredMixin):
    """A page for a member of a structure; `self.membership` is the one the user acts under.

    `public` restricts it to agents of public structures (True) or to suppliers (False).
    """

    public: bool | None = None
    managers_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = current_membership(request)
        if self.membership is None:
            raise PermissionDenied
        if self.public is not None and self.membership.structure.is_public != self.public:
            raise PermissionDenied
        if self.managers_only and not self.membership.is_manager:
            raise PermissionDenied
        self.structure = self.membership.structure
        return super().dispatch(request, *args, **kwargs)


def structures_visible_to(account: TechnicalAccount) -> QuerySet[Structure]:
    """The structures an API caller (a technical account) may see.

    Public structures form the directory: every authenticated technical account sees them
    all. A private structure is seen only through its own technical accounts.
    """
    return Structure.objects.filter(Q(is_public=True) | Q(pk=account.structure_id))
