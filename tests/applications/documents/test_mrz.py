"""The MRZ parser against the ICAO Doc 9303 specimens, broken check digits and hostile text."""

from __future__ import annotations

from datetime import date

import pytest

from applications.documents.mrz import (
    BAD_CHARACTERS,
    TOO_LONG,
    UNKNOWN_LAYOUT,
    check_digit,
    mrz_parse,
)

# Doc 9303 part 4, appendix A (TD3), part 5 appendix A (TD1), part 6 appendix A (TD2).
TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
TODAY = date(2010, 1, 1)


@pytest.mark.parametrize(
    ("text", "digit"),
    [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("ZE184226B<<<<<", "1"), ("D23145890", "7"), ("", "0")],
)
def test_check_digit_matches_the_specimens(text, digit):
    assert check_digit(text) == digit


def test_td3_specimen_every_field_and_check():
    result = mrz_parse("\n".join(TD3))
    assert result.format == "TD3"
    assert result.is_valid
    assert (result.document_code, result.issuing_state) == ("P", "UTO")
    assert (result.surname, result.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert result.document_number == "L898902C3"
    assert result.nationality == "UTO"
    assert result.birth_date(TODAY) == date(1974, 8, 12)
    assert result.sex == "F"
    assert result.expiry_date(TODAY) == date(2012, 4, 15)
    assert result.optional_data == "ZE184226B"
    assert [c.name for c in result.checks] == [
        "document_number",
        "birth_date",
        "expiry_date",
        "optional_data",
        "composite",
    ]
    assert result.as_dict()["checks"] == dict.fromkeys(
        ["document_number", "birth_date", "expiry_date", "optional_data", "composite"], True
    )


def test_td1_specimen_every_field_and_check():
    result = mrz_parse(TD1)
    assert result.format == "TD1"
    assert result.is_valid, result.failed_checks
    assert (result.document_code, result.issuing_state, result.document_number) == ("I", "UTO", "D23145890")
    assert (result.surname, result.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert result.birth_date_raw == "740812" and result.sex == "F" and result.expiry_date_raw == "120415"
    assert result.nationality == "UTO"
    assert result.optional_data == result.optional_data_2 == ""
    assert {c.name for c in result.checks} == {"document_number", "birth_date", "expiry_date", "composite"}


def test_td2_specimen_every_field_and_check():
    result = mrz_parse(TD2)
    assert result.format == "TD2"
    assert result.is_valid, result.failed_checks
    assert (result.surname, result.given_names, result.document_number) == ("ERIKSSON", "ANNA MARIA", "D23145890")
    assert (result.nationality, result.sex, result.birth_date_raw, result.expiry_date_raw) == (
        "UTO",
        "F",
        "740812",
        "120415",
    )


def test_td1_document_number_longer_than_nine_characters():
    # Part 5, 4.2.4: filler in the check position, the number goes on in the optional data.
    number = "D23145890123"
    line1 = f"I<UTO{number[:9]}<{number[9:]}{check_digit(number)}" + "<" * 11
    line2_body = "7408122F1204159UTO<<<<<<<<<<<"
    composite = line1[5:30] + line2_body[0:7] + line2_body[8:15] + line2_body[18:29]
    result = mrz_parse([line1, line2_body[:29] + check_digit(composite), TD1[2]])
    assert result.document_number == number
    assert result.is_valid, result.failed_checks


@pytest.mark.parametrize(
    ("line", "position", "failed"),
    [
        (1, 9, "document_number"),
        (1, 19, "birth_date"),
        (1, 27, "expiry_date"),
        (1, 42, "optional_data"),
        (1, 43, "composite"),
    ],
)
def test_td3_each_wrong_check_digit_is_reported(line, position, failed):
    lines = list(TD3)
    wrong = "0" if lines[line][position] != "0" else "1"
    lines[line] = lines[line][:position] + wrong + lines[line][position + 1 :]
    result = mrz_parse(lines)
    assert result.format == "TD3"
    assert not result.is_valid
    # Check digits are covered by the composite, so a changed one breaks it as well.
    assert result.failed_checks == list(dict.fromkeys([failed, "composite"]))


def test_a_typo_in_a_field_breaks_its_check_and_the_composite():
    lines = [TD3[0], TD3[1].replace("7408122", "7408132")]
    assert mrz_parse(lines).failed_checks == ["birth_date", "composite"]


def test_spaces_lower_case_and_blank_lines_are_tolerated():
    text = "\n\n " + TD3[0].lower() + " \r\n" + TD3[1][:20] + " " + TD3[1][20:] + "\n"
    assert mrz_parse(text).is_valid


def test_unspecified_sex_and_unknown_birth_day():
    line2 = "L898902C36UTO74<<<<<<<1204159ZE184226B<<<<<<"
    body = line2[0:10] + line2[13:20] + line2[21:43]
    line2 = line2[:19] + check_digit("74<<<<") + line2[20:43] + check_digit(body[:17] + body[17:])
    result = mrz_parse([TD3[0], line2])
    assert result.sex == ""
    assert result.birth_date(TODAY) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("A" * 10_000, TOO_LONG),
        ("P<UTO\x00ERIKSSON", BAD_CHARACTERS),
        ("P<UTO\ud800", BAD_CHARACTERS),
        ("P<UTOЕРИКССОН<<", BAD_CHARACTERS),
        ("<script>alert(1)</script>", BAD_CHARACTERS),
        ("", UNKNOWN_LAYOUT),
        (TD3[0] + "\n" + TD3[1][:-1], UNKNOWN_LAYOUT),
        ("\n".join(TD3 + TD3), UNKNOWN_LAYOUT),
        ("9" * 44 + "\n" + "9" * 44, None),
    ],
)
def test_hostile_or_foreign_text_is_a_result_never_an_exception(text, problem):
    result = mrz_parse(text)
    assert not result.is_valid
    if problem:
        assert result.problems == [problem]
        assert result.format is None


def test_impossible_dates_are_none_not_errors():
    result = mrz_parse([TD3[0], TD3[1].replace("7408122", "7413992")])
    assert result.birth_date(TODAY) is None


def test_two_digit_years_pick_the_plausible_century():
    result = mrz_parse(TD3)
    today = date(2026, 12, 5)
    assert result.birth_date(today) == date(1974, 8, 12)
    assert result.expiry_date(today) == date(2012, 4, 15)
    young = mrz_parse([TD3[0], TD3[1].replace("7408122", "1008129")])
    assert young.birth_date(today) == date(2010, 8, 12)


def test_a_misread_that_keeps_its_check_digits_is_still_refused_by_the_field_shapes():
    # OCR dropped the leading "S7" of S73991040 and read 9 as I: the sum mod 10 happens to
    # hold for the number and the composite, but a number never starts with fillers.
    lines = ["P<TURTOKTAROVA<<DINARA<<<<<<<<<<<<<<<<<<<<<<", "<<399I0403TUR9602083F2802194725614111956<<44"]
    result = mrz_parse(lines)
    assert result.failed_checks == []
    assert result.problems == ["malformed_field:document_number"]
    assert not result.is_valid


@pytest.mark.parametrize(
    ("position", "char", "field"),
    [(10, "1", "nationality"), (20, "Q", "sex"), (21, "A", "expiry_date"), (13, "B", "birth_date")],
)
def test_each_field_shape_is_enforced(position, char, field):
    line2 = TD3[1][:position] + char + TD3[1][position + 1 :]
    assert f"malformed_field:{field}" in mrz_parse([TD3[0], line2]).problems
