"""Forms of the caseworker workbench; they validate, the services in applications/casework.py write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Decision, Document, LegalGround
from eligibility.products import Product, Sector


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class RFIForm(forms.Form):
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
        label=_("Days to reply"), min_value=1, max_value=90, initial=14, help_text=_("Between 1 and 90 days")
    )


class RecommendForm(forms.Form):
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


class ConfirmForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you sending it back?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ReassignForm(forms.Form):
    to_user = forms.ModelChoiceField(label=_("Reassign to"), queryset=None)

    def __init__(self, *args, caseworkers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = caseworkers


class BulkReassignForm(ReassignForm):
    cases = forms.CharField(widget=forms.MultipleHiddenInput, required=False)


class AllocationRoundForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"), choices=Product.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False)
    region = forms.CharField(label=_("Region code"), required=False, max_length=6)
    places = forms.IntegerField(label=_("Places to release"), min_value=1, max_value=100000)

    def clean(self):
        data = super().clean()
        if bool(data.get("sector")) == bool(data.get("region")):
            raise forms.ValidationError(_("Choose a sector or a region, not both."))
        return data
