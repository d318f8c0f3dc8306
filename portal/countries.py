"""Country names in every portal language: django-countries' own, and CLDR's (Babel) where it has none.

django-countries ships no Kazakh or Uzbek names, so kk and uz pages showed English ones.
The names are given to django-countries as ``COUNTRIES_OVERRIDE`` (see settings): each is a
lazy string resolved in the active language, so every use of ``django_countries.countries``
(form selects, their sorting, ``countries.name``) reads the right language, and nothing
else needs to know. Imported by settings: no models here.
"""

from functools import cache

from babel import Locale
from django.utils.functional import lazy
from django.utils.translation import get_language, to_locale
from django_countries.data import COUNTRIES

# Languages whose names come from CLDR (Babel) rather than django-countries' catalogs.
CLDR_LANGUAGES = frozenset({"kk", "uz"})


@cache
def _cldr_names(language: str) -> dict[str, str]:
    return dict(Locale.parse(to_locale(language)).territories)


def country_name_for(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (the active one by default)."""
    language = language or get_language() or ""
    if language in CLDR_LANGUAGES:
        name = _cldr_names(language).get(code)
        if name:
            return name
    return str(COUNTRIES[code])  # django-countries' gettext name (English if untranslated)


_lazy_name = lazy(country_name_for, str)


def countries_override() -> dict[str, object]:
    """``COUNTRIES_OVERRIDE``: every code with a name that follows the active language."""
    return {code: _lazy_name(code) for code in COUNTRIES}
