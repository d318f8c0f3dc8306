"""The Valuable Skills Visa's own section forms (the sections every product asks: applications/forms/common.py)."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.employers.bins import BIN_FORMAT, bin_is_valid
from applications.forms.base import SectionForm
from applications.forms.common import DeclarationsForm
from applications.forms.fields import (
    EDUCATION_CHOICES,
    OccupationChoicesMixin,
    OccupationField,
)
from eligibility.models import Region
from eligibility.products import Sector

VISA_SECTORS = [(s.value, s.label) for s in Sector if s not in (Sector.BUSINESS, Sector.OTHER)]


class SectorForm(SectionForm):
    sector = forms.ChoiceField(
        label=_("In which sector will you work?"), choices=VISA_SECTORS, widget=forms.RadioSelect
    )
    required_message = {"sector": _("Choose the sector you will work in")}


class OccupationForm(OccupationChoicesMixin, SectionForm):
    occupation_code = OccupationField()
    job_title = forms.CharField(label=_("Your job title"), max_length=200)
    required_message = {"job_title": _("Enter your job title")}


class EducationForm(SectionForm):
    education_level = forms.ChoiceField(
        label=_("Highest level of education"), choices=EDUCATION_CHOICES, widget=forms.RadioSelect
    )
    field_of_study = forms.CharField(label=_("Field of study"), max_length=200)
    institution = forms.CharField(label=_("University or college"), max_length=200)
    graduation_year = forms.IntegerField(label=_("Year you finished"), min_value=1940)
    required_message = {
        "education_level": _("Choose your highest level of education"),
        "field_of_study": _("Enter your field of study"),
        "institution": _("Enter the name of your university or college"),
        "graduation_year": _("Enter the year you finished"),
    }

    def clean_graduation_year(self) -> int:
        year = self.cleaned_data["graduation_year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("Year you finished must be this year or earlier"), code="future")
        return year


class ExperienceForm(SectionForm):
    years_experience = forms.IntegerField(label=_("Years of work experience in your field"), min_value=0, max_value=60)
    current_employer = forms.CharField(label=_("Current or last employer"), max_length=200)
    current_position = forms.CharField(label=_("Position"), max_length=200)
    required_message = {
        "years_experience": _("Enter your years of experience"),
        "current_employer": _("Enter your current or last employer"),
        "current_position": _("Enter your position"),
    }


class AchievementsForm(SectionForm):
    publications = forms.IntegerField(label=_("Publications in peer-reviewed journals"), min_value=0, initial=0)
    patents = forms.IntegerField(label=_("Patents"), min_value=0, initial=0)
    awards = forms.CharField(
        label=_("Awards and prizes (optional)"),
        help_text=_("Including sports titles and cultural prizes, with the year"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required_message = {
        "publications": _("Enter the number of publications, or 0"),
        "patents": _("Enter the number of patents, or 0"),
    }


class JobOfferForm(SectionForm):
    has_offer = forms.ChoiceField(
        label=_("Do you have a job offer or an invitation from an organisation in Kazakhstan?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    employer_name = forms.CharField(label=_("Employer or inviting organisation"), max_length=200, required=False)
    employer_bin = forms.CharField(
        label=_("Employer's BIN"),
        help_text=_("The 12-digit business identification number, for example 123456789012"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    monthly_salary_kzt = forms.IntegerField(label=_("Monthly salary offered, in tenge"), min_value=1, required=False)
    required_message = {"has_offer": _("Choose yes if you have a job offer or an invitation")}

    def clean_employer_bin(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("employer_bin") or "")
        if not value:
            return value
        if not BIN_FORMAT.match(value):
            raise ValidationError(_("BIN must be 12 digits, like 123456789012"), code="bin_format")
        if not bin_is_valid(value):
            raise ValidationError(_("This BIN is not valid: check the 12 digits"), code="bin_checksum")
        return value

    def clean(self) -> dict:
        data = super().clean()
        if data.get("has_offer") == "yes":
            needed = {
                "employer_name": _("Enter the name of the employer or inviting organisation"),
                "employer_bin": _("Enter the employer's BIN"),
                "monthly_salary_kzt": _("Enter the monthly salary offered"),
            }
            for name, message in needed.items():
                if name not in self.errors and not data.get(name):
                    self.add_error(name, ValidationError(message, code="required"))
        else:
            for name in ("employer_name", "employer_bin", "monthly_salary_kzt"):
                data[name] = None if name == "monthly_salary_kzt" else ""
        return data


class RegionsForm(SectionForm):
    regions = forms.ModelMultipleChoiceField(
        label=_("Where in Kazakhstan would you work? Choose up to 3"),
        queryset=Region.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    required_message = {"regions": _("Choose at least one region")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].label_from_instance = lambda obj: obj.name

    def clean_regions(self):
        regions = self.cleaned_data["regions"]
        if len(regions) > 3:
            raise ValidationError(_("Choose no more than 3 regions"), code="too_many")
        return regions

    def answers(self) -> dict[str, Any]:
        return {"regions": [r.pk for r in self.cleaned_data["regions"]]}


class VisaDeclarationsForm(DeclarationsForm):
    conditions = forms.BooleanField(
        label=_("I will keep to the conditions of the visa, including registering my address and employer")
    )
    required_message = {
        **DeclarationsForm.required_message,
        "conditions": _("Confirm that you will keep to the conditions of the visa"),
    }
