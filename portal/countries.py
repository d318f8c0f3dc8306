"""Country names in every portal language: django-countries' own, and CLDR's (Babel) where it has none.

django-countries ships no Kazakh or Uzbek names, so kk and uz pages showed English ones.
The names are given to django-countries as ``COUNTRIES_OVERRIDE`` (see settings): each is a
lazy string resolved in the active language, so every use of ``django_countries.countries``
(form selects, their sorting, ``countries.name``) reads the right language, and nothing
else needs to know. Imported by settings: no models here.
"""

from functools import cache

from babel import Locale
from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import get_language, to_locale
from django_countries.data import ALT_CODES, COUNTRIES

from portal.search_text import fold

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
    if language and language != "en" and code in _untranslated(language):
        # django-countries' catalogs lag behind its English names (ru and zh-hans lack
        # "Netherlands (Kingdom of the)"): CLDR's name rather than English on the page.
        return _cldr_names(language).get(code) or str(COUNTRIES[code])
    return str(COUNTRIES[code])  # django-countries' gettext name


@cache
def _untranslated(language: str) -> frozenset[str]:
    """Codes whose django-countries name reads the same in ``language`` as in English."""
    with translation.override("en"):
        english = {code: str(name) for code, name in COUNTRIES.items()}
    with translation.override(language):
        return frozenset(code for code, name in COUNTRIES.items() if str(name) == english[code])


_lazy_name = lazy(country_name_for, str)


def countries_override() -> dict[str, object]:
    """``COUNTRIES_OVERRIDE``: every code with a name that follows the active language."""
    return {code: _lazy_name(code) for code in COUNTRIES}


# --------------------------------------------------------------------------- typed names

# Other ways people write Kazakhstan (the Kandas Card's knock-out turns on it, so every
# spelling must be recognised): transliterations and the state's full names in kk, ru, en.
ALIASES: dict[str, tuple[str, ...]] = {
    "KZ": (
        "Kazakstan",
        "Qazaqstan",
        "Kazakhstan Republic",
        "Republic of Kazakhstan",
        "Qazaqstan Respublikasy",
        "Қазақстан Республикасы",
        "Республика Казахстан",
        "Kazachstan",
        "Kasachstan",
    ),
}


@cache
def _names_index() -> dict[str, str]:
    """Folded name or code -> ISO 3166-1 alpha-2 code, for every portal language."""
    index: dict[str, str] = {}

    def add(name: str, code: str) -> None:
        key = fold(name).replace(" ", "")
        if key:
            index.setdefault(key, code)

    for code in COUNTRIES:
        add(code, code)
        add(ALT_CODES.get(code, ("",))[0] or "", code)
    for language, _label in settings.LANGUAGES:
        cldr = dict(Locale.parse(to_locale(language)).territories)
        with translation.override(language):
            for code in COUNTRIES:
                add(country_name_for(code, language), code)
                add(cldr.get(code, ""), code)
    for code, names in ALIASES.items():
        for name in names:
            add(name, code)
    return index


def country_code_from(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code that ``text`` names, or None.

    Accepts a two- or three-letter code (``kz``, ``KAZ``) or the country's name as written in
    any portal language, in any case, with or without accents, spaces or hyphens
    ("Казахстан", "ҚАЗАҚСТАН", "Qozogʻiston", "哈萨克斯坦" are all KZ). Numbers are never a country."""
    key = fold(text or "").replace(" ", "")
    if not key or key.isdigit():
        return None
    return _names_index().get(key)
