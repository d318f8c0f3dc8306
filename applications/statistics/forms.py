"""The public pages' filters: choices only, so any other value is a form error (400)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.statistics.models import Dimension, Measure, Release
from portal.display import month_display
from portal.forms import NamedErrorsMixin


class ReleaseFilterForm(NamedErrorsMixin, forms.Form):
    period = forms.ChoiceField(label=_("Month"), required=False)
    measure = forms.ChoiceField(label=_("Figures"), choices=Measure.choices, required=False)
    dimension = forms.ChoiceField(label=_("Broken down by"), choices=Dimension.choices, required=False)

    def __init__(self, *args, releases: list[Release], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(f"{r.period:%Y-%m}", month_display(r.period)) for r in releases]
        self.releases = {f"{r.period:%Y-%m}": r for r in releases}

    def release(self) -> Release | None:
        period = self.cleaned_data.get("period")
        if period:
            return self.releases[period]
        return next(iter(self.releases.values()), None)  # the newest

    def choice(self, name: str, default: str) -> str:
        return self.cleaned_data.get(name) or default


class QuotaYearForm(NamedErrorsMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), str(y)) for y in years]
        self.years = years

    def chosen_year(self) -> int:
        chosen = self.cleaned_data.get("year")
        if chosen:
            return chosen
        today = timezone.localdate().year
        return today if today in self.years else (self.years[0] if self.years else today)
