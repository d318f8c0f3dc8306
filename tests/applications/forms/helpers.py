"""Helpers of the form tests: English messages, date parts as a browser posts them, a form's errors."""

from datetime import date

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def in_english():
    """The tests compare English messages; the site's default language is Kazakh."""
    with translation.override("en"):
        yield


def parts(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def errors(form_class, data, **kwargs) -> dict:
    form = form_class(data, **kwargs)
    assert not form.is_valid()
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}
