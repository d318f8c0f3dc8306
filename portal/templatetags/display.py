"""Template filters over portal.display: one way to show each kind of value on every page."""

from django import template

from portal import display

register = template.Library()


@register.filter
def date_display(value, language: str | None = None) -> str:
    """``{{ card.valid_until|date_display }}``: day, month name and year in the page's language."""
    return display.date_display(value, language)


@register.filter
def datetime_display(value, language: str | None = None) -> str:
    return display.datetime_display(value, language)


@register.filter
def card_number(value: str) -> str:
    """A card number as printed on the card (KC 26 000001 87)."""
    return display.card_number(value)


@register.filter
def role_display(code: str) -> str:
    return display.role_display(code)


@register.filter
def history_display(event) -> str:
    """An audit event as words: ``{{ event|history_display }}``."""
    from applications.history import history_text

    return history_text(event)


@register.filter
def month_display(value) -> str:
    """``{{ release.period|month_display }}``: the month and year in the page's language."""
    return display.month_display(value)


@register.filter
def number_display(value) -> str:
    """``{{ count|number_display }}``: grouped in the page's language."""
    return display.number_display(value)
