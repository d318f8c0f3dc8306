from django.conf import settings
from django.http import HttpRequest

from portal import roles


def portal(request: HttpRequest) -> dict:
    """Values every page layout needs: languages for the switcher, the user's roles."""
    user = getattr(request, "user", None)
    return {
        "portal_languages": settings.LANGUAGES,
        "user_roles": roles.roles_of(user) if user is not None and user.is_authenticated else set(),
        "demo_mode": settings.DEMO_MODE,
    }
