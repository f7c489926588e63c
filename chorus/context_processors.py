from chorus import access


def current_membership(request):
    """The structure and role shown in the header, and the others the user may switch to."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "current_membership": access.current_membership(request),
        "user_memberships": access.memberships_of(request.user),
    }
