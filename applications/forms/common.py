"""Section forms every product may ask: personal details, passport, contact, languages,
family and the declarations all products share. Validated on the server.
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.forms.base import SectionForm
from applications.forms.fields import DatePartsField, country_choices, cyrillic_name, latin_name
from applications.products import get_product

PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")
# A passport must stay valid this long after applying (months).
PASSPORT_MIN_VALIDITY_MONTHS = 6


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError("unreachable")


class PersonalForm(SectionForm):
    given_names_latin = forms.CharField(
        label=_("Given names in Latin letters"),
        help_text=_("As in your passport, for example AIGERIM"),
        max_length=100,
        validators=[latin_name],
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    family_name_latin = forms.CharField(
        label=_("Family name in Latin letters"),
        max_length=100,
        validators=[latin_name],
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
    )
    given_names_cyrillic = forms.CharField(
        label=_("Given names in Cyrillic letters"),
        help_text=_("As in Kazakh documents, if you have one, for example Әйгерім"),
        max_length=100,
        required=False,
        validators=[cyrillic_name],
    )
    family_name_cyrillic = forms.CharField(
        label=_("Family name in Cyrillic letters"), max_length=100, required=False, validators=[cyrillic_name]
    )
    date_of_birth = DatePartsField(label=_("Date of birth"), help_text=_("For example, 27 3 1990"))
    birth_country = forms.ChoiceField(label=_("Country of birth"), choices=country_choices)
    birth_place = forms.CharField(label=_("Town or city of birth"), max_length=100)
    citizenship = forms.ChoiceField(label=_("Citizenship"), choices=country_choices)
    second_citizenship = forms.ChoiceField(
        label=_("Second citizenship, if you have one"), choices=country_choices, required=False
    )

    required_message = {
        "given_names_latin": _("Enter your given names in Latin letters"),
        "family_name_latin": _("Enter your family name in Latin letters"),
        "birth_country": _("Choose your country of birth"),
        "birth_place": _("Enter your town or city of birth"),
        "citizenship": _("Choose your citizenship"),
    }

    def clean_given_names_latin(self) -> str:
        return self.cleaned_data["given_names_latin"].upper()

    def clean_family_name_latin(self) -> str:
        return self.cleaned_data["family_name_latin"].upper()

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise ValidationError(_("Date of birth must be in the past"), code="future")
        if born.year < 1900:
            raise ValidationError(_("Date of birth must be after 1900"), code="too_old")
        return born

    def clean(self) -> dict:
        data = super().clean()
        product = getattr(self.application, "product", "")
        excluded = get_product(product).excluded_citizenship if product else ""
        if excluded and excluded in {data.get("citizenship"), data.get("second_citizenship")}:
            message = get_product(product).excluded_citizenship_message
            self.add_error("citizenship", ValidationError(message, code="kz"))
        if data.get("second_citizenship") and data.get("second_citizenship") == data.get("citizenship"):
            self.add_error(
                "second_citizenship", ValidationError(_("Your second citizenship must be a different country"))
            )
        return data


class PassportForm(SectionForm):
    passport_number = forms.CharField(
        label=_("Passport number"),
        help_text=_("Letters and numbers only, as printed in your passport"),
        max_length=20,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
    )
    passport_country = forms.ChoiceField(label=_("Country that issued the passport"), choices=country_choices)
    passport_issued_on = DatePartsField(label=_("Date of issue"))
    passport_expires_on = DatePartsField(
        label=_("Expiry date"), help_text=_("Your passport must be valid for at least 6 more months")
    )

    required_message = {
        "passport_number": _("Enter your passport number"),
        "passport_country": _("Choose the country that issued your passport"),
    }

    def clean_passport_number(self) -> str:
        value = re.sub(r"[\s-]", "", self.cleaned_data["passport_number"]).upper()
        if not PASSPORT_NUMBER.match(value):
            raise ValidationError(
                _("Passport number must be 5 to 20 letters A to Z and numbers, like N12345678"), code="format"
            )
        return value

    def clean_passport_issued_on(self) -> date:
        issued = self.cleaned_data["passport_issued_on"]
        if issued > timezone.localdate():
            raise ValidationError(_("Date of issue must be today or in the past"), code="future")
        return issued

    def clean(self) -> dict:
        data = super().clean()
        issued, expires = data.get("passport_issued_on"), data.get("passport_expires_on")
        today = timezone.localdate()
        if expires is None:
            return data
        if issued is not None and expires <= issued:
            self.add_error("passport_expires_on", ValidationError(_("Expiry date must be after the date of issue")))
        elif expires < today:
            self.add_error(
                "passport_expires_on",
                ValidationError(_("Your passport has expired: apply with a valid passport"), code="expired"),
            )
        elif expires < add_months(today, PASSPORT_MIN_VALIDITY_MONTHS):
            self.add_error(
                "passport_expires_on",
                ValidationError(_("Your passport expires within 6 months: renew it before you apply"), code="expiring"),
            )
        return data


class ContactForm(SectionForm):
    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("With the country code, for example +976 9911 2233"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    address_line_1 = forms.CharField(
        label=_("Address line 1"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "address-line1"})
    )
    address_line_2 = forms.CharField(
        label=_("Address line 2 (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    city = forms.CharField(
        label=_("Town or city"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    postcode = forms.CharField(
        label=_("Postcode (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    country = forms.ChoiceField(label=_("Country you live in now"), choices=country_choices)
    required_message = {
        "phone": _("Enter your phone number"),
        "address_line_1": _("Enter the first line of your address"),
        "city": _("Enter your town or city"),
        "country": _("Choose the country you live in now"),
    }

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        digits = re.sub(r"[\s()\-.]", "", value)
        if not re.fullmatch(r"\+?\d{7,15}", digits):
            raise ValidationError(_("Enter a phone number with the country code, like +976 9911 2233"), code="format")
        return value


RELATIONSHIP_CHOICES = [
    ("spouse", _("Husband, wife or partner")),
    ("child", _("Child")),
    ("parent", _("Parent")),
    ("other", _("Other dependant")),
]


class FamilyMemberForm(SectionForm):
    name_latin = forms.CharField(label=_("Full name in Latin letters"), max_length=200, validators=[latin_name])
    relationship = forms.ChoiceField(
        label=_("Relationship to you"), choices=RELATIONSHIP_CHOICES, widget=forms.RadioSelect
    )
    date_of_birth = DatePartsField(label=_("Date of birth"))
    required_message = {
        "name_latin": _("Enter the family member's full name in Latin letters"),
        "relationship": _("Choose the family member's relationship to you"),
    }

    def clean_name_latin(self) -> str:
        return self.cleaned_data["name_latin"].upper()

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise ValidationError(_("Date of birth must be in the past"), code="future")
        return born


class FamilyForm(SectionForm):
    coming = forms.ChoiceField(
        label=_("Will family members come to Kazakhstan with you?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    required_message = {"coming": _("Choose yes if family members will come with you")}


class DeclarationsForm(SectionForm):
    true_and_complete = forms.BooleanField(
        label=_("The information I give is true and complete, and I will tell you if it changes")
    )
    data_processing = forms.BooleanField(
        label=_(
            "I agree that my personal data is processed and checked with other state bodies to decide my application"
        )
    )
    required_message = {
        "true_and_complete": _("Confirm that the information is true and complete"),
        "data_processing": _("Agree to the processing of your personal data"),
    }


LANGUAGE_LEVELS = [
    ("none", _("None")),
    ("basic", _("Basic (A1–A2)")),
    ("intermediate", _("Intermediate (B1–B2)")),
    ("advanced", _("Advanced (C1–C2)")),
    ("native", _("Native")),
]


class LanguagesForm(SectionForm):
    kazakh = forms.ChoiceField(label=_("Kazakh"), choices=LANGUAGE_LEVELS, widget=forms.RadioSelect)
    russian = forms.ChoiceField(label=_("Russian"), choices=LANGUAGE_LEVELS, widget=forms.RadioSelect)
    english = forms.ChoiceField(label=_("English"), choices=LANGUAGE_LEVELS, widget=forms.RadioSelect)
    required_message = {
        "kazakh": _("Choose your level of Kazakh"),
        "russian": _("Choose your level of Russian"),
        "english": _("Choose your level of English"),
    }
