import pytest

from applications.employers.bins import bin_is_valid


@pytest.mark.parametrize(
    "value",
    [
        "123456789013",
        "980440001232",
        # First pass gives a remainder of 10: the second pass's weights decide (check digit 5).
        "100000000205",
    ],
)
def test_a_bin_with_the_right_check_digit_is_valid(value):
    assert bin_is_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        "980440001233",  # wrong check digit
        "123456789012",
        "100000000200",  # the first pass's remainder (10) is not a digit: the second pass counts
        "12345678901",  # 11 digits
        "1234567890133",  # 13 digits
        "",
        "12345678901A",
        " 23456789013",
        "123456789013\n",  # a trailing newline is not part of a BIN
        "١٢٣٤٥٦٧٨٩٠١٣",  # Arabic-Indic digits: int() reads them, a BIN has none
        "12345678901\x00",
        "12345678901\ud800",
        "9" * 5000,
        None,
        123456789013,
    ],
)
def test_anything_else_is_invalid_and_never_raises(value):
    assert not bin_is_valid(value)
