"""Fields, widgets, validators and choice lists the applicant's section forms share.

Nothing here knows a product: the section forms (``common.py`` and each product's own
``applications/products/*_forms.py``) are built from these parts.
"""

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from eligibility import occupations
from eligibility.models import Occupation, Region

# Names as printed in the passport's machine-readable zone: A-Z plus space, hyphen, apostrophe.
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z' \-.]*$")
# Russian and Kazakh Cyrillic letters.
CYRILLIC_NAME = re.compile(r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі' \-.]*$")


def country_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a country")), *list(countries)]


class DatePartsWidget(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes."""

    template_name = "applications/widgets/date_parts.html"

    def __init__(self, attrs: dict | None = None) -> None:
        numeric = {"inputmode": "numeric", "class": "date-input__input"}
        super().__init__(
            [
                forms.TextInput(attrs={**numeric, "size": 2, "maxlength": 2}),
                forms.TextInput(attrs={**numeric, "size": 2, "maxlength": 2}),
                forms.TextInput(attrs={**numeric, "size": 4, "maxlength": 4}),
            ],
            attrs,
        )

    def decompress(self, value: Any) -> list:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = [_("Day"), _("Month"), _("Year")]
        for sub, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            sub["part_label"] = label
        return context


class DatePartsField(forms.MultiValueField):
    widget = DatePartsWidget

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        self.what = label
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, label=label, **kwargs)

    def clean(self, value):
        # Django's MultiValueField messages are generic; GOV.UK asks for specific ones.
        value = list(value or ["", "", ""]) + [""] * 3
        day, month, year = (str(v or "").strip() for v in value[:3])
        if not (day or month or year):
            if self.required:
                raise ValidationError(_("Enter the %(what)s") % {"what": self._what()}, code="required")
            return None
        missing = [name for name, part in ((_("a day"), day), (_("a month"), month), (_("a year"), year)) if not part]
        if missing:
            raise ValidationError(
                _("The %(what)s must include %(parts)s")
                % {"what": self._what(), "parts": ", ".join(str(m) for m in missing)},
                code="incomplete",
            )
        try:
            result = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(
                _("The %(what)s must be a real date") % {"what": self._what()}, code="invalid"
            ) from exc
        if len(year) != 4:
            raise ValidationError(_("The year must have 4 numbers, like 1990"), code="invalid")
        self.run_validators(result)
        return result

    def _what(self) -> str:
        return str(self.what).lower()

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return data_list


def latin_name(value: str) -> None:
    if not LATIN_NAME.match(value):
        raise ValidationError(
            _("Use only Latin letters A to Z, as in the machine-readable part of your passport"), code="not_latin"
        )


def cyrillic_name(value: str) -> None:
    if not CYRILLIC_NAME.match(value):
        raise ValidationError(_("Use only Cyrillic letters, as in Kazakh or Russian documents"), code="not_cyrillic")


class OccupationField(forms.CharField):
    """An ISCO-08 unit-group code, checked against the Occupation table."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Occupation"))
        kwargs.setdefault(
            "help_text", _("Start typing your job title and choose the closest match from the list (ISCO-08)")
        )
        kwargs.setdefault("widget", forms.Select(attrs={"data-module": "occupation-search"}))
        super().__init__(max_length=4, **kwargs)
        self.error_messages["required"] = _("Choose your occupation")

    def clean(self, value):
        value = super().clean(value)
        if value and not Occupation.objects.filter(pk=value).exists():
            raise ValidationError(
                _("%(code)s is not an ISCO-08 occupation code: choose your occupation from the list") % {"code": value},
                code="unknown_occupation",
            )
        return value


def occupation_choices() -> list[tuple[str, str]]:
    """Every ISCO-08 unit group, titled in the page language by ``eligibility.occupations``."""
    return [("", _("Choose an occupation")), *occupations.occupation_choices()]


class OccupationChoicesMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["occupation_code"].widget
        widget.choices = occupation_choices()
        widget.attrs["data-search-url"] = reverse("applications:occupation_search")
        widget.attrs["data-results-text"] = _("{count} occupations found")


EDUCATION_CHOICES = [
    ("secondary", _("Secondary school")),
    ("vocational", _("Vocational or technical")),
    ("bachelor", _("Bachelor's degree")),
    ("master", _("Master's degree or specialist")),
    ("doctorate", _("Doctorate (PhD or equivalent)")),
]


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []
