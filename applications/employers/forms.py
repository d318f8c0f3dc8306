"""Employer forms: the portal's sign-up plus the organisation; the criteria admin's decision."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from applications.employers.bins import BIN_FORMAT, bin_is_valid
from applications.employers.models import Employer
from eligibility.models import Region
from portal.accounts.forms import SignUpForm
from portal.forms import NamedErrorsMixin


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
