"""The MRZ against the typed answers: match, likely match (transliteration), mismatch, unreadable."""

from __future__ import annotations

from datetime import date

import pytest

from applications.documents.mrz import check_digit, mrz_parse
from applications.documents.mrz_match import (
    EXPIRED,
    EXPIRING,
    LIKELY_MATCH,
    MATCH,
    MISMATCH,
    NOT_ANSWERED,
    UNREADABLE,
    mrz_compare,
    to_mrz_name,
)

TODAY = date(2026, 12, 5)


def td3(
    surname="NURLANQYZY",
    given="AIGERIM",
    number="N12345678",
    nationality="KAZ",
    born="900527",
    sex="F",
    expires="310101",
    state="KAZ",
) -> list[str]:
    """A valid TD3 zone with these data (check digits computed)."""
    line1 = f"P<{state}{surname}<<{given.replace(' ', '<')}".ljust(44, "<")[:44]
    number_f = number.ljust(9, "<")
    optional = "<" * 14
    body = (
        number_f
        + check_digit(number_f)
        + nationality
        + born
        + check_digit(born)
        + sex
        + expires
        + check_digit(expires)
        + optional
        + "<"
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return [line1, body + check_digit(composite)]


ANSWERS = {
    "family_name_latin": "NURLANQYZY",
    "given_names_latin": "AIGERIM",
    "passport_number": "N12345678",
    "citizenship": "KZ",
    "passport_country": "KZ",
    "date_of_birth": "1990-05-27",
    "passport_expires_on": "2031-01-01",
}


def statuses(lines, answers=ANSWERS):
    result = mrz_parse(lines)
    assert result.format == "TD3"
    comparison = mrz_compare(result, answers, today=TODAY)
    return {f.field: f.status for f in comparison.fields}, comparison


def test_everything_matches():
    found, comparison = statuses(td3())
    assert found == {
        "surname": MATCH,
        "given_names": MATCH,
        "document_number": MATCH,
        "nationality": MATCH,
        "issuing_state": MATCH,
        "birth_date": MATCH,
        "sex": NOT_ANSWERED,
        "expiry_date": MATCH,
    }
    assert comparison.expiry_flag is None
    assert comparison.differences == []


@pytest.mark.parametrize(
    ("read", "typed"),
    [
        ("NURLANQYZY", "NURLANKYZY"),
        ("NURLANKYZY", "Nurlanqyzy"),
        ("ZHUMABEKOV", "JUMABEKOV"),
        ("KHAMITOV", "HAMITOV"),
        ("TSOI", "TSOY"),
        ("IUSUPOV", "YUSUPOV"),
    ],
)
def test_transliteration_variants_are_a_likely_match_never_a_match(read, typed):
    found, _ = statuses(td3(surname=read), {**ANSWERS, "family_name_latin": typed})
    assert found["surname"] == LIKELY_MATCH


def test_cyrillic_typed_as_the_passport_office_transliterates_it_matches():
    found, _ = statuses(td3(), {**ANSWERS, "family_name_latin": "Нурланқызы"})
    assert found["surname"] == MATCH


@pytest.mark.parametrize("typed", ["NURLANQYZA", "NURLANQYY", "NURLANOVA", "QYZY NURLAN", "NURLANQYZYY X"])
def test_a_planted_typo_is_a_mismatch(typed):
    found, comparison = statuses(td3(), {**ANSWERS, "family_name_latin": typed})
    assert found["surname"] == MISMATCH
    assert [f.field for f in comparison.differences] == ["surname"]


def test_hyphens_spaces_and_apostrophes_follow_doc_9303():
    assert to_mrz_name("Anna-Maria  O'Neil") == "ANNA<MARIA<ONEIL"
    assert to_mrz_name("Ерікссон") == "ERIKSSON"
    assert to_mrz_name("José\x00") == "JOSE"
    found, _ = statuses(td3(given="ANNA MARIA"), {**ANSWERS, "given_names_latin": "Anna-Maria"})
    assert found["given_names"] == MATCH


@pytest.mark.parametrize(
    ("field", "answer", "value"),
    [
        ("document_number", "passport_number", "N12345679"),
        ("nationality", "citizenship", "UZ"),
        ("birth_date", "date_of_birth", "1990-05-28"),
        ("expiry_date", "passport_expires_on", "2031-01-02"),
        ("issuing_state", "passport_country", "CN"),
    ],
)
def test_each_planted_difference_is_a_mismatch(field, answer, value):
    found, _ = statuses(td3(), {**ANSWERS, answer: value})
    assert found[field] == MISMATCH
    assert sum(s == MISMATCH for s in found.values()) == 1


def test_passport_number_typed_with_spaces_matches():
    found, _ = statuses(td3(), {**ANSWERS, "passport_number": "n 1234 5678"})
    assert found["document_number"] == MATCH


def test_second_citizenship_counts_for_nationality():
    found, _ = statuses(td3(nationality="UZB"), {**ANSWERS, "second_citizenship": "UZ"})
    assert found["nationality"] == MATCH


def test_sex_is_compared_when_answered():
    found, _ = statuses(td3(sex="F"), {**ANSWERS, "sex": "M"})
    assert found["sex"] == MISMATCH


def test_a_broken_check_digit_makes_that_field_unreadable_not_a_match():
    lines = td3()
    lines[1] = lines[1][:19] + str((int(lines[1][19]) + 1) % 10) + lines[1][20:]
    found, _ = statuses(lines)
    assert found["birth_date"] == UNREADABLE
    assert found["document_number"] == MATCH


def test_an_unreadable_zone_makes_every_answered_field_unreadable():
    comparison = mrz_compare(mrz_parse("not a zone"), ANSWERS, today=TODAY)
    assert {f.status for f in comparison.fields if f.field != "sex"} == {UNREADABLE}
    assert comparison.expiry_flag is None


@pytest.mark.parametrize(
    ("expires", "flag"),
    [("261204", EXPIRED), ("261205", EXPIRING), ("270604", EXPIRING), ("270605", None), ("310101", None)],
)
def test_expired_or_expiring_within_six_months_is_flagged(expires, flag):
    found, comparison = statuses(td3(expires=expires), {})
    assert comparison.expiry_flag == flag
    assert set(found.values()) == {NOT_ANSWERED}
