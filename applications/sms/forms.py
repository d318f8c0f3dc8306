from django import forms
from django.utils.translation import gettext_lazy as _

from applications.sms.phones import MAX_INPUT, InvalidPhoneNumber, phone_normalise
from portal.inputs import CheckedForm

NUMBER_ERRORS = {
    "invalid": _("Enter a mobile phone number, like 8 701 123 45 67 or +998 90 123 45 67"),
    "not_mobile": _("Enter a mobile phone number: this number cannot receive text messages"),
}


class PhoneForm(CheckedForm):
    number = forms.CharField(
        label=_("Mobile phone number"),
        max_length=MAX_INPUT,
        help_text=_("For a number outside Kazakhstan, start with + and the country code."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "spellcheck": "false"}),
        error_messages={"required": _("Enter your mobile phone number")},
    )

    def clean_number(self) -> str:
        try:
            return phone_normalise(self.cleaned_data["number"])
        except InvalidPhoneNumber as error:
            raise forms.ValidationError(NUMBER_ERRORS[error.reason], code=error.reason) from None


class CodeForm(CheckedForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The 6 digits in the text message we sent."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": _("Enter the code from the text message")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Enter the 6 digits of the code"), code="format")
        return code
