from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import CardShareCode
from eligibility.models import Region
from portal.forms import NamedErrorsMixin


class DateInput(forms.DateInput):
    input_type = "date"


class ShareCodeForm(NamedErrorsMixin, forms.Form):
    purpose = forms.ChoiceField(
        label=_("Who is the code for?"),
        choices=CardShareCode.Purpose.choices,
        widget=forms.RadioSelect,
        help_text=_("The checker sees only what this purpose needs. The code works for 30 days."),
        error_messages={"required": _("Choose who the code is for.")},
    )


class AddressForm(NamedErrorsMixin, forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        empty_label=_("Choose a region"),
        error_messages={"required": _("Choose the region."), "invalid_choice": _("Choose the region.")},
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"required": _("Enter the address.")},
    )
    registered_on = forms.DateField(
        label=_("Date of registration"),
        widget=DateInput,
        error_messages={"required": _("Enter the date of registration."), "invalid": _("Enter a real date.")},
    )


class EmployerForm(NamedErrorsMixin, forms.Form):
    employer_name = forms.CharField(
        label=_("Employer"), max_length=200, error_messages={"required": _("Enter the employer's name.")}
    )
    employer_bin = forms.RegexField(
        label=_("Business identification number (BIN)"),
        regex=r"^\d{12}$",
        required=False,
        help_text=_("12 digits, if the employer is registered in Kazakhstan."),
        error_messages={"invalid": _("A BIN has exactly 12 digits.")},
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    started_on = forms.DateField(
        label=_("Start date"),
        widget=DateInput,
        error_messages={"required": _("Enter the start date."), "invalid": _("Enter a real date.")},
    )


class RevokeForm(NamedErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("The holder sees this reason. It is recorded in the audit trail."),
        error_messages={"required": _("Give a reason.")},
    )


class VerifyForm(NamedErrorsMixin, forms.Form):
    number = forms.CharField(
        label=_("Card number"),
        max_length=24,
        help_text=_("12 characters, for example KC 26 000001 87."),
        error_messages={"required": _("Enter the card number.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Share code"),
        max_length=16,
        help_text=_("The 9-character code the holder gave you, for example ABC-DEF-GHJ."),
        error_messages={"required": _("Enter the share code.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    checker = forms.CharField(
        label=_("Your name or organisation (optional)"),
        max_length=200,
        required=False,
        help_text=_("The holder can see who checked their card."),
    )


class ScanForm(NamedErrorsMixin, forms.Form):
    payload = forms.CharField(
        label=_("Text of the QR code"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        max_length=2000,
        help_text=_("Scan the code on the card with any QR reader and paste the text here."),
        error_messages={"required": _("Paste the text of the QR code.")},
    )
