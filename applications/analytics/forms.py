"""The dashboards' filters: product, period (months), region, sector, citizenship, occupation."""

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from eligibility.models import Occupation, Region
from eligibility.occupations import occupation_label
from eligibility.products import Product, Sector
from portal.forms import NamedErrorsMixin

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
# The default period: the last twelve months, this one included.
DEFAULT_MONTHS = 12
# Periods outside these years are not data, they are typing errors (or probes).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def month_start(value: date, back: int = 0) -> date:
    """The first day of the month ``back`` months before ``value``'s."""
    index = value.year * 12 + value.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


class MonthField(forms.CharField):
    """A month as YYYY-MM (what <input type="month"> sends), cleaned to its first day."""

    default_error_messages = {"invalid": _("Enter a month as year and month, like 2026-03.")}

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        self.widget.attrs.update({"placeholder": "2026-03", "inputmode": "numeric", "pattern": r"\d{4}-\d{2}"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        match = MONTH_RE.match(text) if len(text) <= 7 else None
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(match[1]), int(match[2])
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date(year, month, 1)


class DashboardFilterForm(NamedErrorsMixin, forms.Form):
    product = forms.ChoiceField(label=_("Product"), required=False)
    month_from = MonthField(label=_("From (month)"), help_text=_("Year and month, like 2026-01"))
    month_to = MonthField(label=_("To (month)"), help_text=_("Year and month, like 2026-12"))
    region = forms.ChoiceField(label=_("Region"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    occupation = forms.CharField(
        label=_("Occupation (ISCO-08 unit group)"),
        required=False,
        max_length=4,
        help_text=_("Four digits, like 2221"),
    )
    error_messages = {
        "period": _("The first month must not come after the last month."),
        "occupation": _("Enter a four-digit ISCO-08 unit group code that exists, like 2221."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["product"].choices = every + list(Product.choices)
        self.fields["region"].choices = every + [(r.code, r.name) for r in Region.objects.order_by("code")]
        self.fields["sector"].choices = every + list(Sector.choices)
        # Every country (names in the page's language): no query, and a citizenship with no
        # figures yet can still be chosen (it shows an empty chart, not an error).
        self.fields["citizenship"].choices = every + list(countries)

    def clean_occupation(self) -> str:
        code = self.cleaned_data.get("occupation", "")
        if code and not (
            code.isascii() and code.isdigit() and len(code) == 4 and Occupation.objects.filter(pk=code).exists()
        ):
            raise forms.ValidationError(self.error_messages["occupation"], code="occupation")
        return code

    def clean(self):
        data = super().clean()
        first, last = data.get("month_from"), data.get("month_to")
        if first and last and first > last:
            raise forms.ValidationError(self.error_messages["period"], code="period")
        return data

    def filters(self) -> dict:
        """The cleaned filters, with the default period filled in."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        today = timezone.localdate()
        last = data.get("month_to") or month_start(today)
        first = data.get("month_from") or month_start(last, DEFAULT_MONTHS - 1)
        return {
            "product": data.get("product", ""),
            "month_from": first,
            "month_to": last,
            "region": data.get("region", ""),
            "sector": data.get("sector", ""),
            "citizenship": data.get("citizenship", ""),
            "occupation": data.get("occupation", ""),
        }

    def occupation_display(self) -> str:
        code = self.cleaned_data.get("occupation") if self.is_bound and self.is_valid() else ""
        return occupation_label(code) if code else ""
