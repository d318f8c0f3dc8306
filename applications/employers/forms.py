"""Employer forms: the portal's sign-up plus the organisation; the criteria admin's decision."""

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.cards.forms import DateInput
from applications.employers.bins import BIN_FORMAT, bin_is_valid
from applications.employers.models import Employer
from eligibility.models import Region
from portal.accounts.forms import SignUpForm
from portal.forms import NamedErrorsMixin
from portal.inputs import CheckedForm


class RegionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class EmployerSignUpForm(SignUpForm):
    """The account (e-mail, password, language: the applicant's sign-up) and the organisation."""

    legal_name = forms.CharField(
        label=_("Legal name of the organisation"),
        max_length=200,
        error_messages={"required": _("Enter the legal name of the organisation")},
    )
    bin = forms.CharField(
        label=_("Business identification number (BIN)"),
        help_text=_("The 12-digit business identification number, for example 123456789012"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": _("Enter the BIN of the organisation")},
    )
    regions = RegionsField(
        label=_("Regions where your employees work"),
        help_text=_("Select all that apply."),
        queryset=Region.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one region of work")},
    )

    def clean_bin(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("bin") or "")
        if not BIN_FORMAT.match(value):
            raise ValidationError(_("BIN must be 12 digits, like 123456789012"), code="bin_format")
        if not bin_is_valid(value):
            raise ValidationError(_("This BIN is not valid: check the 12 digits"), code="bin_checksum")
        # BINs are public: saying one is registered reveals nothing about a person.
        if Employer.objects.filter(bin=value).exists():
            raise ValidationError(_("An organisation with this BIN already has an account"), code="bin_taken")
        return value


class EmployerDecisionForm(NamedErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Is this employer verified?"),
        choices=[("verify", _("Yes, verify the employer")), ("refuse", _("No, refuse the employer"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to verify or refuse the employer")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Required when you refuse. The employer will read it."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Enter the reason for refusing the employer"))
        return data


# --- job offers and employment ------------------------------------------------------------

MAX_SALARY_KZT = 10**10  # far above any salary; a bigger number is a typo or hostile input


class _DetailsMixin:
    """The employer's own regions of work (its sites) as the choices for an offer's regions."""

    def limit_regions(self, employer: Employer) -> None:
        field = self.fields["regions"]  # type: ignore[attr-defined]
        field.queryset = employer.regions.order_by("code")


class OfferDecisionForm(_DetailsMixin, CheckedForm):
    """The employer's answer to a job offer: confirm (with the details, corrected if need be) or decline."""

    decision = forms.ChoiceField(
        label=_("Do you confirm this job offer?"),
        choices=[("confirm", _("Yes, confirm the offer")), ("decline", _("No, decline the offer"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to confirm or decline the offer")},
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    isco_code = forms.CharField(
        label=_("Occupation code (ISCO-08)"),
        help_text=_("4 digits, for example 2512"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    monthly_salary_kzt = forms.IntegerField(
        label=_("Monthly salary, in tenge"), min_value=1, max_value=MAX_SALARY_KZT, required=False
    )
    regions = RegionsField(
        label=_("Regions of work"),
        help_text=_("Select all that apply."),
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=DateInput, required=False, error_messages={"invalid": _("Enter a real date.")}
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Required when you decline. The applicant and the caseworker will read it."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_regions(employer)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "decline":
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Enter the reason for declining the offer"))
            return data
        needed = {
            "position": _("Enter the position"),
            "isco_code": _("Enter the occupation code"),
            "monthly_salary_kzt": _("Enter the monthly salary"),
            "regions": _("Choose at least one region of work"),
            "start_date": _("Enter the start date"),
        }
        for name, message in needed.items():
            if name not in self.errors and not data.get(name):
                self.add_error(name, ValidationError(message, code="required"))
        code = data.get("isco_code") or ""
        if code and not re.fullmatch(r"[0-9]{4}", code):
            self.add_error("isco_code", _("The occupation code is 4 digits, like 2512"))
        return data


class EmploymentStartForm(CheckedForm):
    started_on = forms.DateField(
        label=_("Date the employee started work"),
        widget=DateInput,
        error_messages={"required": _("Enter the date work started"), "invalid": _("Enter a real date.")},
    )

    def clean_started_on(self) -> date:
        value = self.cleaned_data["started_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date must not be in the future."), code="future")
        return value


class EmploymentChangeForm(_DetailsMixin, CheckedForm):
    position = forms.CharField(
        label=_("Position"), max_length=200, error_messages={"required": _("Enter the position")}
    )
    monthly_salary_kzt = forms.IntegerField(
        label=_("Monthly salary, in tenge"),
        min_value=1,
        max_value=MAX_SALARY_KZT,
        error_messages={"required": _("Enter the monthly salary")},
    )
    regions = RegionsField(
        label=_("Regions of work"),
        help_text=_("Select all that apply."),
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one region of work")},
    )

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_regions(employer)


class EmploymentEndForm(CheckedForm):
    ended_on = forms.DateField(
        label=_("Last day of employment"),
        widget=DateInput,
        error_messages={"required": _("Enter the last day of employment"), "invalid": _("Enter a real date.")},
    )
    end_reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the reason the employment ended")},
    )


class NewEmployerForm(CheckedForm):
    """The holder names a new employer by its BIN."""

    bin = forms.CharField(
        label=_("BIN of your new employer"),
        help_text=_("The 12-digit business identification number, for example 123456789012"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": _("Enter the BIN of your new employer")},
    )
    position = forms.CharField(label=_("Position (optional)"), max_length=200, required=False)

    def clean_bin(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("bin") or "")
        if not BIN_FORMAT.match(value):
            raise ValidationError(_("BIN must be 12 digits, like 123456789012"), code="bin_format")
        if not bin_is_valid(value):
            raise ValidationError(_("This BIN is not valid: check the 12 digits"), code="bin_checksum")
        if not Employer.objects.filter(bin=value, status=Employer.Status.VERIFIED).exists():
            raise ValidationError(
                _("No verified employer has this BIN. Ask the employer to register."), code="bin_unknown"
            )
        return value
