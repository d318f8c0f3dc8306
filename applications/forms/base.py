"""The base of every section form of the applicant's task list.

Every section form turns its cleaned data into JSON-safe answers (``answers()``) and can give
back what was typed, unvalidated (``typed()``), for "save and come back later".
"""

from datetime import date
from decimal import Decimal
from typing import Any

from eligibility.models import Occupation, Region
from portal.inputs import CheckedForm


class SectionForm(CheckedForm):
    """Base of the section forms: GOV.UK error messages, JSON answers, typed values.

    What was typed is checked first (portal.inputs): no NUL or broken Unicode, no value over
    its length, also for a page saved unfinished (``is_saveable``).
    """

    required_message: dict[str, str] = {}

    def __init__(self, *args: Any, application=None, **kwargs: Any) -> None:
        self.application = application
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}-hint")
            if name in self.required_message:
                field.error_messages["required"] = self.required_message[name]

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                hint = f"id_{name}-hint " if self.fields[name].help_text else ""
                widget.attrs["aria-describedby"] = f"{hint}id_{name}-error"

    def answers(self) -> dict[str, Any]:
        """Cleaned data as JSON: dates ISO, decimals text, models by key."""
        return {name: _json_value(value) for name, value in self.cleaned_data.items()}

    def typed(self) -> dict[str, Any]:
        """What was typed, as typed (bound data), to save an unfinished page."""
        return {name: _json_value(self[name].value()) for name in self.fields}


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Region | Occupation):
        return value.pk
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value
