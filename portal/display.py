"""How values are shown to people: one function per kind, in the active (or given) language.

Dates use the CLDR patterns and month names of the language through Babel (the "long"
date: day, month name and year, never an ambiguous 05/12/1990), so every page, e-mail and
PDF prints a date the same way in a given language. Machine-readable output (CSV, JSON,
``<time datetime>``) keeps ISO 8601.
"""

from datetime import date, datetime

from babel.core import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal
from django.conf import settings
from django.utils import timezone, translation


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale of a Django language code (``zh-hans`` -> ``zh_Hans``)."""
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    return Locale.parse(translation.to_locale(code))


def date_display(value: date | datetime | None, language: str | None = None, *, empty: str = "—") -> str:
    """Day, month name and year in the language's CLDR "long" pattern (12 мамыр 1990 in kk order)."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):  # an ISO date kept in a JSON payload (e-mails, snapshots)
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value, format="long", locale=babel_locale(language))


def datetime_display(value: datetime | None, language: str | None = None, *, empty: str = "—") -> str:
    """The long date and the 24- or 12-hour time, joined as the language's CLDR pattern says."""
    if value is None:
        return empty
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    locale = babel_locale(language)
    pattern = str(locale.datetime_formats.get("long", "{1} {0}"))
    return pattern.replace("{1}", date_display(value, language)).replace(
        "{0}", format_time(value, format="short", locale=locale)
    )


def month_display(value: date | None, language: str | None = None, *, empty: str = "—") -> str:
    """A calendar month and year by the language's CLDR skeleton ``yMMMM`` (November 2026, 2026 ж. қараша)."""
    if value is None:
        return empty
    return format_skeleton("yMMMM", value, locale=babel_locale(language))


def number_display(value: int | float | None, language: str | None = None, *, empty: str = "—") -> str:
    """A number with the language's grouping and decimal signs (12 345 in kk and ru, 12,345 in en)."""
    if value is None or value == "":
        return empty
    return format_decimal(value, locale=babel_locale(language))


def card_number(number: str | None) -> str:
    """A card number in its printed groups (KC 26 000001 87) wherever a person reads it."""
    from applications.cards.numbers import format_for_print, normalise

    return format_for_print(normalise(number)) if number else ""


def greeting_name(user, application=None) -> str:
    """The name an e-mail greets a person by; never their e-mail address ("" means "Hello,").

    The account's own name first (its first word, as before), then the name on the
    application the message is about.
    """
    full_name = (getattr(user, "full_name", "") or "").strip()
    if full_name:
        return full_name.split()[0]
    return (getattr(application, "applicant_name", "") or "").strip()


def role_display(code: str) -> str:
    """A role's name (never its code, e.g. "criteria_admin")."""
    from portal.roles import ROLE_LABELS

    return str(ROLE_LABELS.get(code, code.replace("_", " ")))
