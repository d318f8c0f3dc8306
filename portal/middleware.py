"""Use a signed-in user's preferred language unless they picked another one just now."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class UserLanguageMiddleware:
    """Put the profile language into the language cookie slot LocaleMiddleware reads.

    The switcher (Django's set_language view) writes the cookie and, for signed-in users,
    the profile too (portal.views.set_language), so both agree after a switch.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None:
            # AuthenticationMiddleware runs later; this helper caches the user on the
            # request, so the later lazy request.user costs no second query.
            from django.contrib.auth.middleware import get_user

            user = get_user(request)
        preferred = getattr(user, "preferred_language", "") if user.is_authenticated else ""
        if preferred and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != preferred:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = preferred
        return self.get_response(request)
