"""ISCO-08 occupation titles in the page language: the one owner.

Every page, form, admin list, export and API answer that names an occupation asks here:
the application's occupation choices and search, the self-check, the staff case page, the
scarce-professions admin and export, and the reference API.

Titles are reference data, read once from files (no query per title):

- English: ``eligibility/data/isco08_unit_groups.csv`` (ILO ISCO-08 via ESCO, see the README);
- any other language: ``isco08_titles_<language>.csv`` (columns ``code,title``) in
  ``settings.OCCUPATION_TITLES_DIR`` (``eligibility/data/`` by default). A file, when present,
  is used; it may hold only some codes. No such file ships yet: ``eligibility/data/README.md``
  says why (no official Russian or Kazakh ISCO-08 titles could be obtained) and what to add.

A title missing in the page language falls back along ``FALLBACKS`` (Kazakh pages read the
Russian title, as issue 16 asks, where no official Kazakh one exists), then to English.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

from portal.search_text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
UNIT_GROUPS_FILE = DATA_DIR / "isco08_unit_groups.csv"
TITLES_FILE = "isco08_titles_{language}.csv"
# Where a page's language has no title for a code, the next language to try (English last).
FALLBACKS: dict[str, tuple[str, ...]] = {"kk": ("ru",)}
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class Catalogue:
    """Every unit group's title per language (English complete, others as their files give)."""

    titles: dict[str, dict[str, str]]  # language -> code -> title

    @property
    def codes(self) -> list[str]:
        return list(self.titles["en"])


def titles_dir() -> Path:
    return Path(getattr(settings, "OCCUPATION_TITLES_DIR", DATA_DIR))


def _read(path: Path, code_column: str, title_column: str) -> dict[str, str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {code_column, title_column} - set(reader.fieldnames or ())
        if missing:
            raise ImproperlyConfigured(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        out: dict[str, str] = {}
        for line, row in enumerate(reader, start=2):
            code = (row[code_column] or "").strip()
            title = " ".join((row[title_column] or "").split())
            if code in out:
                raise ImproperlyConfigured(f"{path}, line {line}: {code} is listed twice")
            if not title:
                raise ImproperlyConfigured(f"{path}, line {line}: {code} has no title")
            out[code] = title
    return out


@cache
def _load(directory: Path) -> Catalogue:
    english = _read(UNIT_GROUPS_FILE, "code", "title_en")
    titles = {"en": english}
    for path in sorted(directory.glob(TITLES_FILE.format(language="*"))):
        language = path.name.removeprefix("isco08_titles_").removesuffix(".csv")
        if language == "en":
            raise ImproperlyConfigured(f"{path}: English titles come from {UNIT_GROUPS_FILE.name}")
        found = _read(path, "code", "title")
        # A title for a code ISCO-08 does not have would be a guess at a national adaptation
        # (Kazakhstan's NKZ has 444 unit groups, ISCO-08 436): refuse the file.
        unknown = sorted(set(found) - set(english))
        if unknown:
            raise ImproperlyConfigured(f"{path}: not ISCO-08 unit groups: {', '.join(unknown[:10])}")
        titles[language] = found
    return Catalogue(titles)


def catalogue() -> Catalogue:
    """The titles in force, read once per process and titles directory (a new file is used
    after a restart, like a deployment)."""
    return _load(titles_dir())


def _language(language: str | None) -> str:
    return (language or get_language() or settings.LANGUAGE_CODE).lower()


def has_own_titles(language: str | None = None) -> bool:
    """Whether ``language`` (the active one by default) shows titles of its own or of a fallback
    language, rather than English: False means its pages still show ISCO-08's English titles."""
    language = _language(language)
    if language == "en":
        return True
    chain = _chain(language)
    return any(lang in catalogue().titles for lang in chain if lang != "en")


def _chain(language: str) -> tuple[str, ...]:
    return (language, *FALLBACKS.get(language, ()), "en")


def occupation_title(code: str, language: str | None = None) -> str:
    """The unit group's title in ``language`` (the page's by default), falling back along
    ``FALLBACKS`` then to English; the code itself if ISCO-08 has no such unit group."""
    titles = catalogue().titles
    for lang in _chain(_language(language)):
        title = titles.get(lang, {}).get(code)
        if title:
            return title
    return code


def occupation_title_exact(code: str, language: str) -> str:
    """The title from ``language``'s own file, without fallback ("" if it has none)."""
    return catalogue().titles.get(language.lower(), {}).get(code, "")


def occupation_label(code: str, language: str | None = None) -> str:
    """How a chosen occupation reads on a page: "Title (code)"."""
    if code not in catalogue().titles["en"]:
        return str(code)
    return f"{occupation_title(code, language)} ({code})"


def occupation_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every unit group as (code, "Title (code)") for a select, in code order."""
    return [(code, occupation_label(code, language)) for code in catalogue().codes]


# --------------------------------------------------------------------------- search


def occupations_search(
    query: str, language: str | None = None, limit: int | None = SEARCH_LIMIT
) -> list[tuple[str, str]]:
    """Unit groups matching ``query`` as (code, title in the page language).

    Digits match a code prefix; words match the title the user sees (their language, its
    fallback) and the English one, every word somewhere. Titles whose words start with the
    query's words come first, then code order."""
    query = query.strip()[:100]
    lang = _language(language)
    if query.isdigit():
        codes = [c for c in catalogue().codes if c.startswith(query)]
        return [(c, occupation_title(c, lang)) for c in codes[:limit]]
    words = fold(query).split()[:5]
    if not words:
        return []
    ranked: list[tuple[int, str, str]] = []
    for code, shown, haystack, starts in _search_index(titles_dir(), lang):
        if all(w in haystack for w in words):
            score = sum(any(s.startswith(w) for s in starts) for w in words)
            ranked.append((-score, code, shown))
    ranked.sort()
    return [(code, shown) for _, code, shown in ranked[:limit]]


@cache
def _search_index(directory: Path, language: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Per code: the title shown, every title along the language's chain folded, and the
    shown title's folded words (folding 436 titles on every keystroke would cost ~30 ms)."""
    titles = _load(directory).titles
    chain = _chain(language)
    index = []
    for code in titles["en"]:
        shown = occupation_title(code, language)
        haystack = fold(" ".join(dict.fromkeys(titles.get(c, {}).get(code, "") for c in chain)))
        index.append((code, shown, haystack, tuple(fold(shown).split())))
    return index
