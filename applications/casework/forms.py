"""Forms of the caseworker workbench; they validate, the services in applications/casework/services.py write."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from applications.models import Decision, Document, LegalGround
from eligibility.models import Region
from eligibility.products import Product, Sector
from portal.forms import NamedErrorsMixin


class NoteForm(NamedErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class RFIForm(NamedErrorsMixin, forms.Form):
    text = forms.CharField(
        label=_("What do you need from the applicant?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    document_kinds = forms.MultipleChoiceField(
        label=_("Documents to upload"),
        choices=Document.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(
        label=_("Days to reply"),
        min_value=1,
        max_value=90,
        initial=lambda: settings.RFI_REPLY_DAYS,
        help_text=_("Between 1 and 90 days"),
    )


class RecommendForm(NamedErrorsMixin, forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Decision.Recommendation.choices, widget=forms.RadioSelect
    )
    grounds = forms.ModelMultipleChoiceField(
        label=_("Legal grounds"),
        queryset=LegalGround.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)

    def clean(self):
        data = super().clean()
        grounds, recommendation = data.get("grounds"), data.get("recommendation")
        if grounds and recommendation and any(g.applies_to != recommendation for g in grounds):
            self.add_error("grounds", _("Choose grounds that fit the recommendation."))
        return data


class ConfirmForm(NamedErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class SendBackForm(NamedErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you sending it back?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ReviewDecisionForm(NamedErrorsMixin, forms.Form):
    """The outcome of an administrative review (uphold or overturn) and its reasons for the applicant."""

    reason = forms.CharField(
        label=_("Reasons for the outcome (the applicant reads them)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class ReassignForm(NamedErrorsMixin, forms.Form):
    to_user = forms.ModelChoiceField(label=_("Reassign to"), queryset=None)

    def __init__(self, *args, caseworkers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = caseworkers


class BulkReassignForm(ReassignForm):
    cases = forms.CharField(widget=forms.MultipleHiddenInput, required=False)


class RegionChoiceField(forms.ModelChoiceField):
    """A select of Kazakhstan's regions, posted as their ISO code, labelled in the user's language.

    Labels are read when the form renders (Region.name follows the active language)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("empty_label", "—")
        kwargs.setdefault("error_messages", {"invalid_choice": _("Choose a region from the list.")})
        super().__init__(queryset=Region.objects.order_by("code"), to_field_name="code", **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.name} ({obj.code})"


class AllocationRoundForm(NamedErrorsMixin, forms.Form):
    product = forms.ChoiceField(
        label=_("Product"),
        choices=Product.choices,
        error_messages={"required": _("Choose a product."), "invalid_choice": _("Choose a product from the list.")},
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", "—"), *Sector.choices],
        required=False,
        help_text=_("For a sector quota, or with a region for a sector-in-region quota."),
        error_messages={"invalid_choice": _("Choose a sector from the list.")},
    )
    region = RegionChoiceField(
        label=_("Region"),
        required=False,
        help_text=_("For a regional quota, or with a sector for a sector-in-region quota."),
    )
    places = forms.IntegerField(
        label=_("Places to release"),
        min_value=1,
        max_value=100000,
        error_messages={"required": _("Enter the number of places to release.")},
    )

    def clean(self):
        data = super().clean()
        if "sector" in data and "region" in data and not data["sector"] and not data["region"]:
            # On the sector field, so the error summary links somewhere the user can fix it.
            self.add_error("sector", _("Choose a sector, a region or both."))
        return data
