"""The filters of the forecast list and the scenario form: choices only, bounded numbers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eligibility.models import Quota, Region
from eligibility.products import Product
from portal.forms import NamedErrorsMixin

# Bounds of the scenario's inputs: a pass mark far outside any criteria set, or a quota
# changed by more than tenfold, is a typing error, not a scenario.
PASS_MARK_LIMIT = 10_000
QUOTA_CHANGE_MIN = -100
QUOTA_CHANGE_MAX = 1000


class ForecastFilterForm(NamedErrorsMixin, forms.Form):
    product = forms.ChoiceField(label=_("Product"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("All products")), *Product.choices]
        self.fields["region"].choices = [
            ("", _("The whole country")),
            ("*", _("Every region")),
            *[(r.code, r.name) for r in Region.objects.order_by("code")],
        ]


class ScenarioForm(NamedErrorsMixin, forms.Form):
    product = forms.ChoiceField(label=_("Product"), choices=Product.choices)
    year = forms.TypedChoiceField(label=_("Quota year"), coerce=int)
    pass_mark = forms.IntegerField(
        label=_("Pass mark in the scenario"),
        help_text=_("Leave empty to keep the pass mark in force."),
        required=False,
        min_value=-PASS_MARK_LIMIT,
        max_value=PASS_MARK_LIMIT,
    )
    quota = forms.TypedChoiceField(label=_("Quota to change"), required=False, coerce=int, empty_value=None)
    quota_change_percent = forms.IntegerField(
        label=_("Change of places, per cent"),
        help_text=_("For example -20 for a fifth fewer places, 50 for half as many again."),
        initial=0,
        min_value=QUOTA_CHANGE_MIN,
        max_value=QUOTA_CHANGE_MAX,
    )

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        years = sorted({year, *Quota.objects.values_list("year", flat=True).distinct()})
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].initial = year
        self.fields["quota"].choices = [("", _("Every quota of the product"))] + [
            (q.pk, _quota_label(q)) for q in Quota.objects.select_related("region").order_by("product", "year", "pk")
        ]

    def clean(self) -> dict:
        data = super().clean()
        quota = data.get("quota")
        scoped = Quota.objects.filter(pk=quota, product=data.get("product"), year=data.get("year"))
        if quota is not None and not scoped.exists():
            self.add_error("quota", _("Choose a quota of this product and year."))
        return data


def _quota_label(quota: Quota) -> str:
    scope = quota.get_sector_display() if quota.sector else str(quota.region)
    return f"{quota.get_product_display()} {quota.year}: {scope}"
