from django.conf import settings
from django.http import HttpRequest

from portal import roles, staff


def portal(request: HttpRequest) -> dict:
    """Values every page layout needs: languages for the switcher, the user's roles, the
    staff pages the header links to (portal/staff.py decides which)."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "staff_links": staff.staff_links(user) if signed_in else [],
        "portal_languages": settings.LANGUAGES,
        "user_roles": roles.roles_of(user) if user is not None and user.is_authenticated else set(),
        "demo_mode": settings.DEMO_MODE,
    }
