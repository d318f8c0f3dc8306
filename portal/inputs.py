"""Hostile input: the one place that decides which characters and sizes the portal refuses.

Every path that takes text from outside calls these: the section forms (web and API share
them), the API's body parsers, and the middleware that checks every query string and path.

Refused, with a 400 that names the field:
- NUL (U+0000): PostgreSQL cannot store it in text or JSONB, so it would fail as a 500 deep
  in a save or a query (``?q=%00`` in the admin's search did);
- lone UTF-16 surrogates (U+D800-U+DFFF), which JSON allows as ``"\\ud800"`` but UTF-8
  cannot encode: saving or even rendering an error message that repeats them fails;
- a value longer than its field allows, even on "save and come back later", which stores
  what was typed without the other checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.forms import NamedErrorsMixin


class InputRefused(BadRequest):
    """A 400 whose message is written for the person (translated): the 400 page shows it.

    Any other ``BadRequest`` (Django's own, a library's) carries developer text, which the
    400 page never shows (portal.views.bad_request).
    """


# NUL and the surrogate block: a Python str decoded from JSON may hold lone surrogates.
HOSTILE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
# A typed value with no limit of its own (a choice, a number, a part of a date) is never
# longer than this; the longest free-text answer (the business plan) allows 5,000.
DEFAULT_MAX_LENGTH = 1000


def is_hostile(value: str) -> bool:
    """True if ``value`` holds a character the portal cannot store or show (NUL, lone surrogate)."""
    return bool(HOSTILE_CHARACTERS.search(value))


def printable(value: str) -> str:
    """``value`` with its hostile characters escaped (``\\x00``, ``\\ud800``), safe to echo back."""
    return HOSTILE_CHARACTERS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)


def hostile_message(label: Any) -> str:
    return _(
        "%(field)s contains a character that cannot be used (a null character or an incomplete "
        "Unicode character). Remove it and try again."
    ) % {"field": label}


def too_long_message(label: Any, limit: int) -> str:
    return _("%(field)s must be %(limit)s characters or fewer") % {"field": label, "limit": limit}


def strings_in(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a parsed body (dict keys included) with its dotted path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            key_text = str(key)
            name = f"{path}.{key_text}" if path else key_text
            yield name, key_text
            yield from strings_in(item, name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from strings_in(item, f"{path}.{index}" if path else str(index))


def hostile_fields(data: Any) -> dict[str, list[str]]:
    """{dotted field path: [message]} for every hostile string in ``data`` (a parsed body or QueryDict)."""
    if hasattr(data, "lists"):  # QueryDict: every value of every key, named by the key
        pairs = [(key, text) for key, values in data.lists() for text in (key, *values) if isinstance(text, str)]
    else:
        pairs = list(strings_in(data))
    found: dict[str, list[str]] = {}
    for path, text in pairs:
        if is_hostile(text):
            name = printable(path) or "non_field_errors"
            found.setdefault(name, [hostile_message(name)])
    return found


def raw_value_problem(field: forms.Field, raw: Any, label: Any) -> ValidationError | None:
    """The problem with what was typed into ``field``, before any other check, or None.

    ``raw`` is the bound data (a string, a list for multiple choices and date parts, or a file).
    """
    values = raw if isinstance(raw, list | tuple) else [raw]
    texts = [v for v in values if isinstance(v, str)]
    if any(is_hostile(text) for text in texts):
        return ValidationError(hostile_message(label), code="hostile_characters")
    limit = getattr(field, "max_length", None) or DEFAULT_MAX_LENGTH
    if any(len(text) > limit for text in texts):
        return ValidationError(too_long_message(label, limit), code="max_length")
    return None


class RefuseHostileInputMixin:
    """A form base: every field's typed value is checked by ``raw_value_problem`` first.

    A field that fails is not cleaned further (its checks might query the database or echo
    the value in a message); ``is_saveable()`` runs only this check, for pages saved
    unfinished.
    """

    def _bound_items(self):  # noqa: ANN202 - Django's own hook, used by _clean_fields
        for name, bound in super()._bound_items():
            if self._errors is not None and name not in self._errors and bound.field.disabled is False:
                problem = raw_value_problem(bound.field, bound.data, bound.label)
                if problem is not None:
                    self.add_error(name, problem)
                    continue
            yield name, bound

    def is_saveable(self) -> bool:
        """True if what was typed may be stored as an unfinished page (no full validation)."""
        if not self.is_bound:
            return False
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {}
        for name in self.fields:
            bound = self[name]
            problem = raw_value_problem(bound.field, bound.data, bound.label)
            if problem is not None:
                self.add_error(name, problem)
        return not self._errors


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from portal.api.errors import error_body

        return JsonResponse(error_body("invalid_request", message), status=400)
    return render(request, "400.html", {"message": message}, status=400)


class HostileCookieMiddleware:
    """Drop a cookie holding a NUL or lone surrogate before anything reads it.

    Django unquotes octal escapes in quoted cookie values, so ``sessionid="\\000..."`` became a
    session key with NULs that reached PostgreSQL (a 500 on every page). Such a cookie is
    treated as absent, as one with a bad signature is. Runs before the session middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [name for name, value in request.COOKIES.items() if is_hostile(name) or is_hostile(value)]:
            del request.COOKIES[name]
        return self.get_response(request)


class HostileRequestMiddleware:
    """Answer 400 to a path or query string with a character no page can use.

    ``?q=%00`` reached PostgreSQL from the admin's search and list filters (a 500); checking
    every request once here covers every page, filter and endpoint, present and future.
    JSON under /api/ (the API's error shape), the error page elsewhere, in the user's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_hostile(request.path_info):
            return _refused(request, _("The address contains a character that cannot be used."))
        fields = hostile_fields(request.GET)
        if fields:
            return _refused(request, next(iter(fields.values()))[0])
        return self.get_response(request)


class CheckedForm(NamedErrorsMixin, RefuseHostileInputMixin, forms.Form):
    """The portal's form base: Django's Form with the typed-value check above and messages naming each field."""
