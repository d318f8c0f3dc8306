from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eligibility.labour_market.models import LabourMarketImport, QuotaProposal, ShortageModel
from eligibility.products import Product, Sector
from portal.forms import NamedErrorsMixin

PRIORITY_CHOICES = [
    ("1", _("Priority 1 (most needed)")),
    ("2", _("Priority 2")),
    ("3", _("Priority 3")),
    ("", _("Not rated")),
]


class ProposalCreateForm(NamedErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("Rating year"), min_value=2000, max_value=2100)
    data_import = forms.ModelChoiceField(
        label=_("Labour-market data"), queryset=LabourMarketImport.objects.order_by("-version"), empty_label=None
    )
    shortage_model = forms.ModelChoiceField(
        label=_("Shortage model"), queryset=ShortageModel.objects.order_by("-version"), empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1
        self.fields["data_import"].label_from_instance = lambda i: (
            _("Version %(v)s: %(name)s, %(rows)s rows")
            % {
                "v": i.version,
                "name": i.file_name,
                "rows": i.row_count,
            }
        )
        self.fields["shortage_model"].label_from_instance = str


class RowEditForm(NamedErrorsMixin, forms.Form):
    priority = forms.ChoiceField(
        label=_("Priority"), choices=PRIORITY_CHOICES, required=False, widget=forms.RadioSelect
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown beside the row to the second administrator and kept in the audit trail."),
    )


class ReturnForm(NamedErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why it goes back"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuotaProposalCreateForm(NamedErrorsMixin, forms.ModelForm):
    """Which product, year and data, and the weights and ceiling of the formula."""

    product = forms.ChoiceField(label=_("Product"), choices=Product.choices)
    data_import = forms.ModelChoiceField(
        label=_("Labour-market data"), queryset=LabourMarketImport.objects.order_by("-version"), empty_label=None
    )

    class Meta:
        model = QuotaProposal
        fields = [
            "product",
            "year",
            "data_import",
            "uptake_weight",
            "waiting_weight",
            "demand_weight",
            "unrated_weight",
            "ceiling",
        ]
        labels = {"year": _("Quota year")}
        help_texts = {
            "uptake_weight": _("This year's approvals in the sector and region, times this."),
            "waiting_weight": _("Cases waiting for a quota place now, times this."),
            "demand_weight": _("Unfilled vacancies in the sector and region, times this."),
            "unrated_weight": _("Vacancies in occupations outside the rating in force count at this share."),
            "ceiling": _("No sector and region gets more places than this."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1
        self.fields["data_import"].label_from_instance = lambda i: (
            _("Version %(v)s: %(name)s, %(rows)s rows") % {"v": i.version, "name": i.file_name, "rows": i.row_count}
        )


class QuotaRowEditForm(NamedErrorsMixin, forms.Form):
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=1_000_000)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown beside the row to the second administrator and kept in the audit trail."),
    )
