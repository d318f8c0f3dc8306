"""One place for the error messages of every form: each names its field, in the page's language.

Django's defaults ("This field is required.", "Ensure this value is greater than or equal
to 16.") do not say which answer is wrong, and some are not translated into Kazakh or
Uzbek. Every form of the portal mixes in ``NamedErrorsMixin`` (tests/portal/test_form_errors.py
checks that each does): after the fields are built, each default message a form did not
write itself is replaced by one that names the field's label. Messages written by a form
(``error_messages=...`` or set in its ``__init__``) are kept.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext as _

# (field classes, message code) -> message; "%(field)s" is the label, the other
# placeholders are Django's validation parameters, filled in when the error is shown.
# The first matching class wins, so subclasses come before their bases.
_REQUIRED = (
    ((forms.BooleanField,), lambda: _("Tick “%(field)s” to continue.")),
    ((forms.FileField,), lambda: _("Choose a file for “%(field)s”.")),
    ((forms.ChoiceField, forms.ModelChoiceField), lambda: _("Choose an answer for “%(field)s”.")),
    ((forms.Field,), lambda: _("Enter “%(field)s”.")),
)
_INVALID = (
    ((forms.IntegerField,), lambda: _("“%(field)s” must be a whole number, like 12.")),
    ((forms.DecimalField, forms.FloatField), lambda: _("“%(field)s” must be a number.")),
    ((forms.EmailField,), lambda: _("Enter an e-mail address in “%(field)s”, like name@example.com.")),
    ((forms.DateField, forms.DateTimeField), lambda: _("Enter a real date in “%(field)s”.")),
)
_OTHERS = {
    "invalid_choice": lambda: _("Choose one of the answers offered for “%(field)s”."),
    "min_value": lambda: _("“%(field)s” must be %(limit_value)s or more."),
    "max_value": lambda: _("“%(field)s” must be %(limit_value)s or less."),
    "max_length": lambda: _("“%(field)s” is too long: %(limit_value)d characters at most, now %(show_value)d."),
    "min_length": lambda: _("“%(field)s” is too short: %(limit_value)d characters at least, now %(show_value)d."),
}
# Codes whose message comes from a validator (the field overrides it by code).
_VALIDATOR_CODES = {
    "min_value": "min_value",
    "max_value": "max_value",
    "max_length": "max_length",
    "min_length": "min_length",
}


def _defaults(field: forms.Field) -> dict[str, Any]:
    """The class-level default messages of the field (what Django would say)."""
    merged: dict[str, Any] = {}
    for klass in reversed(type(field).__mro__):
        merged.update(getattr(klass, "default_error_messages", {}))
    return merged


def _first(table, field: forms.Field):
    return next((message for classes, message in table if isinstance(field, classes)), None)


def _has_validator(field: forms.Field, code: str) -> bool:
    return any(getattr(v, "code", None) == code for v in field.validators)


def field_error_messages(field: forms.Field) -> dict[str, str]:
    """Messages naming the field, for the codes this field can raise, in the active language."""
    label = str(field.label or "").strip().rstrip(":")
    if not label:
        return {}
    wanted: dict[str, Any] = {"required": _first(_REQUIRED, field)}
    invalid = _first(_INVALID, field)
    if invalid is not None:
        wanted["invalid"] = invalid
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        wanted["invalid_choice"] = _OTHERS["invalid_choice"]
    for code in _VALIDATOR_CODES:
        if _has_validator(field, code):
            wanted[code] = _OTHERS[code]
    # A "%" in a label must not be read as a placeholder when Django fills the parameters.
    safe_label = label.replace("%", "%%")
    return {code: make().replace("%(field)s", safe_label) for code, make in wanted.items() if make is not None}


def name_field_errors(form: forms.BaseForm) -> None:
    """Replace the default messages the form did not write itself with ones that name the field."""
    for field in form.fields.values():
        defaults = _defaults(field)
        for code, message in field_error_messages(field).items():
            current = field.error_messages.get(code)
            if current is None or current is defaults.get(code):
                field.error_messages[code] = message


class NamedErrorsMixin:
    """Mix into every form (before ``forms.Form``): see the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_field_errors(self)
