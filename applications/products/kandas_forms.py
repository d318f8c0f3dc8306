"""The Kandas Card's own section forms (the sections every product asks: applications/forms/common.py)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from applications.employers.bins import BIN_FORMAT, bin_is_valid
from applications.forms.base import SectionForm
from applications.forms.common import DeclarationsForm
from applications.forms.fields import (
    EDUCATION_CHOICES,
    OccupationChoicesMixin,
    OccupationField,
    RegionChoiceField,
    country_choices,
)
from eligibility.models import Region


class EthnicityForm(SectionForm):
    EVIDENCE_CHOICES = [
        ("birth_certificate", _("Birth certificate that states Kazakh nationality")),
        ("identity_document", _("Identity document or passport that states Kazakh nationality")),
        ("parent_document", _("A parent's document that states Kazakh nationality")),
        ("archive_record", _("Archive record or other official record")),
        ("diaspora_certificate", _("Certificate from a Kazakh cultural centre or diaspora organisation")),
    ]
    evidence_kind = forms.ChoiceField(
        label=_("What evidence of Kazakh ethnicity do you have?"),
        choices=EVIDENCE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("You will upload it in the documents section."),
    )
    evidence_details = forms.CharField(
        label=_("Tell us about the document"),
        help_text=_("For example, who issued it and when"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required_message = {"evidence_kind": _("Choose the evidence of Kazakh ethnicity you have")}


class TrackForm(SectionForm):
    track = forms.ChoiceField(
        label=_("Which describes you best?"),
        choices=[
            ("professional", _("I am a high-level professional")),
            ("business", _("I run a successful business I want to grow in Kazakhstan")),
        ],
        widget=forms.RadioSelect,
    )
    required_message = {"track": _("Choose whether you apply as a professional or with a business")}


class ProfessionForm(OccupationChoicesMixin, SectionForm):
    occupation_code = OccupationField()
    education_level = forms.ChoiceField(
        label=_("Highest level of education"), choices=EDUCATION_CHOICES, widget=forms.RadioSelect
    )
    field_of_study = forms.CharField(label=_("Field of study"), max_length=200)
    years_experience = forms.IntegerField(
        label=_("Years of work experience in this occupation"), min_value=0, max_value=60
    )
    achievements = forms.CharField(
        label=_("Professional achievements (optional)"),
        help_text=_("For example, publications, patents, awards, large projects you led"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    employer_bin = forms.CharField(
        label=_("BIN of your employer in Kazakhstan (optional)"),
        help_text=_(
            "If an organisation in Kazakhstan has offered you a job, enter its 12-digit BIN: "
            "we will ask it to confirm the offer."
        ),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    required_message = {
        "education_level": _("Choose your highest level of education"),
        "field_of_study": _("Enter your field of study"),
        "years_experience": _("Enter your years of experience"),
    }

    def clean_employer_bin(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("employer_bin") or "")
        if value and not BIN_FORMAT.match(value):
            raise ValidationError(_("BIN must be 12 digits, like 123456789012"), code="bin_format")
        if value and not bin_is_valid(value):
            raise ValidationError(_("This BIN is not valid: check the 12 digits"), code="bin_checksum")
        return value


class BusinessForm(SectionForm):
    business_country = forms.ChoiceField(label=_("Country where the business is registered"), choices=country_choices)
    business_sector = forms.CharField(label=_("What the business does"), max_length=200)
    years_operating = forms.IntegerField(label=_("Years the business has been operating"), min_value=0, max_value=200)
    annual_revenue_usd = forms.IntegerField(
        label=_("Annual revenue last year, in US dollars"),
        min_value=0,
        help_text=_("A whole number, for example 250000"),
    )
    employees = forms.IntegerField(label=_("Number of employees"), min_value=0, max_value=1_000_000)
    scale_plan = forms.CharField(
        label=_("Your plan to grow the business in Kazakhstan"),
        help_text=_("What you will do, where, the investment and jobs you expect"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    required_message = {
        "business_country": _("Choose the country where the business is registered"),
        "business_sector": _("Enter what the business does"),
        "years_operating": _("Enter how many years the business has been operating"),
        "annual_revenue_usd": _("Enter the annual revenue"),
        "employees": _("Enter the number of employees"),
        "scale_plan": _("Describe your plan to grow the business in Kazakhstan"),
    }


class RegionForm(SectionForm):
    region = RegionChoiceField(
        label=_("Where in Kazakhstan do you plan to live?"),
        queryset=Region.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("Regions marked as labour-deficient offer support to people who settle there within the quota."),
    )
    required_message = {"region": _("Choose the region where you plan to live")}


class KandasDeclarationsForm(DeclarationsForm):
    no_political_rights = forms.BooleanField(
        label=_("I understand the Kandas Card gives the rights of a residence permit holder but no political rights")
    )
    required_message = {
        **DeclarationsForm.required_message,
        "no_political_rights": _("Confirm that you understand the card gives no political rights"),
    }
