"""Every form's messages name the field in the page's language; Django's defaults never show."""

import importlib
import pkgutil

import pytest
from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from applications.casework.forms import RFIForm
from portal.forms import NamedErrorsMixin
from tests.services import ROOT

LANGUAGES = ["kk", "ru", "en", "uz", "zh-hans"]
PACKAGES = ("applications", "eligibility", "portal")


def _project_forms() -> list[type]:
    for package in PACKAGES:
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            if any(part in info.name for part in (".migrations", ".management", ".settings", "asgi", "wsgi")):
                continue
            importlib.import_module(info.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        klass = todo.pop()
        todo.extend(klass.__subclasses__())
        if klass.__module__.split(".")[0] in PACKAGES:
            found.append(klass)
    return found


def test_every_form_of_the_portal_names_its_fields_in_errors():
    classes = _project_forms()
    assert len(classes) > 30
    assert [k.__qualname__ for k in classes if not issubclass(k, NamedErrorsMixin)] == []


def _django_default(code: str, language: str, **params) -> str:
    with translation.override(language):
        field = forms.IntegerField(min_value=1, max_value=90)
        try:
            field.clean(params.get("value", ""))
        except ValidationError as error:
            return error.messages[0]
    return ""


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_number_out_of_range_and_a_missing_answer_are_named(language):
    with translation.override(language):
        form = RFIForm({"text": "", "days": "300"})
        assert not form.is_valid()
        label_days, label_text = str(form.fields["days"].label), str(form.fields["text"].label)
        days, text = form.errors["days"][0], form.errors["text"][0]
    assert label_days in days and "90" in days
    assert label_text in text
    assert days != _django_default("max_value", language, value="300")
    assert text != _django_default("required", language)


def test_a_message_a_form_wrote_itself_is_kept():
    class Custom(NamedErrorsMixin, forms.Form):
        age = forms.IntegerField(label="Age", min_value=16, error_messages={"min_value": "Too young."})

    with translation.override("en"):
        assert Custom({"age": "3"}).errors["age"] == ["Too young."]
        assert Custom({})["age"].errors == ["Enter “Age”."]


def test_a_percent_sign_in_a_label_does_not_break_the_message():
    class Percent(NamedErrorsMixin, forms.Form):
        share = forms.IntegerField(label="Share in %", max_value=100)

    with translation.override("en"):
        assert Percent({"share": "120"}).errors["share"] == ["“Share in %” must be 100 or less."]


@pytest.mark.parametrize("language", ["kk", "uz", "zh-hans", "ru"])
def test_password_rules_and_errors_are_in_the_pages_language(language):
    with translation.override(language):
        rules = " ".join(password_validators_help_texts())
        with pytest.raises(ValidationError) as caught:
            validate_password("1234")
        errors = " ".join(caught.value.messages)
    with translation.override("en"):
        english_rules = " ".join(password_validators_help_texts())
    assert rules != english_rules and "10" in rules
    assert "This password" not in errors and "password is too short" not in errors


@pytest.mark.django_db
def test_the_self_check_names_the_age_question_when_out_of_range(client):
    from eligibility.models import RegionYear, ScarceProfession
    from tests.eligibility.db_helpers import seed_set
    from tests.eligibility.test_self_check import KANDAS_ANSWERS

    ScarceProfession.objects.create(occupation_id="2211", year=2026, sector="healthcare", priority=1)
    RegionYear.objects.create(region_id="KZ-59", year=2026, labour_deficient=True)
    seed_set("kandas_card")
    client.cookies["portal_language"] = "kk"
    response = client.post(reverse("eligibility:self_check", args=["kandas_card"]), {**KANDAS_ANSWERS, "age": "3"})
    assert response.status_code == 400
    html = response.content.decode()
    label = str(response.context["form"].fields["age"].label)
    assert f"«{label}» мәні" in html
    assert "Бұл мәннің мынадан" not in html  # Django's Kazakh default, which does not say which answer
