"""Applicant forms: one form per task-list section, validated on the server.

Every form turns its cleaned data into JSON-safe answers (``answers()``) and can give back
what was typed, unvalidated (``typed()``), for "save and come back later".
"""

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications.documents.forms import file_field_limits
from applications.products import get_product
from eligibility import occupations
from eligibility.models import Occupation, Region
from eligibility.products import Sector
from portal.inputs import CheckedForm

# Names as printed in the passport's machine-readable zone: A-Z plus space, hyphen, apostrophe.
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z' \-.]*$")
# Russian and Kazakh Cyrillic letters.
CYRILLIC_NAME = re.compile(r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі' \-.]*$")
PASSPORT_NUMBER = re.compile(r"^[A-Z0-9]{5,20}$")
BIN_FORMAT = re.compile(r"^\d{12}$")
# A passport must stay valid this long after applying (months).
PASSPORT_MIN_VALIDITY_MONTHS = 6


def country_choices() -> list[tuple[str, str]]:
    return [("", _("Choose a country")), *list(countries)]


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


def bin_is_valid(value: str) -> bool:
    """Kazakhstan's BIN/IIN check digit: weights 1..11, else 3..11,1,2; a remainder of 10 twice is invalid."""
    digits = [int(c) for c in value]
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        check = sum(d * w for d, w in zip(digits[:11], weights, strict=True)) % 11
        if check != 10:
            return check == digits[11]
    return False


class DatePartsWidget(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes."""

    template_name = "applications/widgets/date_parts.html"

    def __init__(self, attrs: dict | None = None) -> None:
        numeric = {"inputmode": "numeric", "class": "date-input__input"}
        super().__init__(
            [
                forms.TextInput(attrs={**numeric, "size": 2, "maxlength": 2}),
                forms.TextInput(attrs={**numeric, "size": 2, "maxlength": 2}),
                forms.TextInput(attrs={**numeric, "size": 4, "maxlength": 4}),
            ],
            attrs,
        )

    def decompress(self, value: Any) -> list:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = [_("Day"), _("Month"), _("Year")]
        for sub, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            sub["part_label"] = label
        return context


class DatePartsField(forms.MultiValueField):
    widget = DatePartsWidget

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        self.what = label
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, label=label, **kwargs)

    def clean(self, value):
        # Django's MultiValueField messages are generic; GOV.UK asks for specific ones.
        value = list(value or ["", "", ""]) + [""] * 3
        day, month, year = (str(v or "").strip() for v in value[:3])
        if not (day or month or year):
            if self.required:
                raise ValidationError(_("Enter the %(what)s") % {"what": self._what()}, code="required")
            return None
        missing = [name for name, part in ((_("a day"), day), (_("a month"), month), (_("a year"), year)) if not part]
        if missing:
            raise ValidationError(
                _("The %(what)s must include %(parts)s")
                % {"what": self._what(), "parts": ", ".join(str(m) for m in missing)},
                code="incomplete",
            )
        try:
            result = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise ValidationError(
                _("The %(what)s must be a real date") % {"what": self._what()}, code="invalid"
            ) from exc
        if len(year) != 4:
            raise ValidationError(_("The year must have 4 numbers, like 1990"), code="invalid")
        self.run_validators(result)
        return result

    def _what(self) -> str:
        return str(self.what).lower()

    def compress(self, data_list):  # pragma: no cover - clean() does the work
        return data_list


class SectionForm(CheckedForm):
    """Base of the section forms: GOV.UK error messages, JSON answers, typed values.

    What was typed is checked first (portal.inputs): no NUL or broken Unicode, no value over
    its length, also for a page saved unfinished (``is_saveable``).
    """

    required_message: dict[str, str] = {}

    def __init__(self, *args: Any, application=None, **kwargs: Any) -> None:
        self.application = application
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}-hint")
            if name in self.required_message:
                field.error_messages["required"] = self.required_message[name]

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                hint = f"id_{name}-hint " if self.fields[name].help_text else ""
                widget.attrs["aria-describedby"] = f"{hint}id_{name}-error"

    def answers(self) -> dict[str, Any]:
        """Cleaned data as JSON: dates ISO, decimals text, models by key."""
        return {name: _json_value(value) for name, value in self.cleaned_data.items()}

    def typed(self) -> dict[str, Any]:
        """What was typed, as typed (bound data), to save an unfinished page."""
        return {name: _json_value(self[name].value()) for name in self.fields}


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Region | Occupation):
        return value.pk
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def latin_name(value: str) -> None:
    if not LATIN_NAME.match(value):
        raise ValidationError(
            _("Use only Latin letters A to Z, as in the machine-readable part of your passport"), code="not_latin"
        )


def cyrillic_name(value: str) -> None:
    if not CYRILLIC_NAME.match(value):
        raise ValidationError(_("Use only Cyrillic letters, as in Kazakh or Russian documents"), code="not_cyrillic")


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


class OccupationField(forms.CharField):
    """An ISCO-08 unit-group code, checked against the Occupation table."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Occupation"))
        kwargs.setdefault(
            "help_text", _("Start typing your job title and choose the closest match from the list (ISCO-08)")
        )
        kwargs.setdefault("widget", forms.Select(attrs={"data-module": "occupation-search"}))
        super().__init__(max_length=4, **kwargs)
        self.error_messages["required"] = _("Choose your occupation")

    def clean(self, value):
        value = super().clean(value)
        if value and not Occupation.objects.filter(pk=value).exists():
            raise ValidationError(
                _("%(code)s is not an ISCO-08 occupation code: choose your occupation from the list") % {"code": value},
                code="unknown_occupation",
            )
        return value


def occupation_choices() -> list[tuple[str, str]]:
    """Every ISCO-08 unit group, titled in the page language by ``eligibility.occupations``."""
    return [("", _("Choose an occupation")), *occupations.occupation_choices()]


class OccupationChoicesMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["occupation_code"].widget
        widget.choices = occupation_choices()
        widget.attrs["data-search-url"] = reverse("applications:occupation_search")
        widget.attrs["data-results-text"] = _("{count} occupations found")


EDUCATION_CHOICES = [
    ("secondary", _("Secondary school")),
    ("vocational", _("Vocational or technical")),
    ("bachelor", _("Bachelor's degree")),
    ("master", _("Master's degree or specialist")),
    ("doctorate", _("Doctorate (PhD or equivalent)")),
]


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
    required_message = {
        "education_level": _("Choose your highest level of education"),
        "field_of_study": _("Enter your field of study"),
        "years_experience": _("Enter your years of experience"),
    }


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


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class RegionForm(SectionForm):
    region = RegionChoiceField(
        label=_("Where in Kazakhstan do you plan to live?"),
        queryset=Region.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("Regions marked as labour-deficient offer support to people who settle there within the quota."),
    )
    required_message = {"region": _("Choose the region where you plan to live")}


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


class KandasDeclarationsForm(DeclarationsForm):
    no_political_rights = forms.BooleanField(
        label=_("I understand the Kandas Card gives the rights of a residence permit holder but no political rights")
    )
    required_message = {
        **DeclarationsForm.required_message,
        "no_political_rights": _("Confirm that you understand the card gives no political rights"),
    }


class VisaDeclarationsForm(DeclarationsForm):
    conditions = forms.BooleanField(
        label=_("I will keep to the conditions of the visa, including registering my address and employer")
    )
    required_message = {
        **DeclarationsForm.required_message,
        "conditions": _("Confirm that you will keep to the conditions of the visa"),
    }


# ---- Valuable Skills Visa -----------------------------------------------------------------

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


# ---- Documents, submission, requests for information ---------------------------------------


class DocumentUploadForm(CheckedForm):
    file = forms.FileField(
        label=_("Choose a file"),
        error_messages={"required": _("Choose a file to upload"), "empty": _("The chosen file is empty")},
    )

    def __init__(self, *args: Any, kind: str = "other", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        file_field_limits(self.fields["file"], [kind])


class SubmitForm(CheckedForm):
    confirm = forms.BooleanField(
        label=_("I confirm that the information in this application is true and complete"),
        error_messages={"required": _("Confirm that the information is true and complete")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


# A reply carries at most this many files (each is checked by the document pipeline).
REPLY_MAX_FILES = 5


class ReplyForm(CheckedForm):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter your reply")},
    )
    files = MultipleFileField(label=_("Attach documents (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Attached files are stored as "other" documents (applications.services.application_reply).
        file_field_limits(self.fields["files"], ["other"])
        self.fields["files"].help_text += " " + gettext("No more than %(count)s files.") % {"count": REPLY_MAX_FILES}

    def clean_files(self) -> list:
        files = self.cleaned_data.get("files") or []
        if len(files) > REPLY_MAX_FILES:
            raise ValidationError(_("Attach no more than 5 files"), code="too_many")
        return files


class WithdrawForm(CheckedForm):
    confirm = forms.ChoiceField(
        label=_("Are you sure you want to withdraw this application?"),
        choices=[("yes", _("Yes, withdraw it")), ("no", _("No, keep it"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes to withdraw, or no to keep the application")},
    )
