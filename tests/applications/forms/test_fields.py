"""Generic fields and validators of the applicant's forms."""

from applications.employers.bins import bin_is_valid


def test_bin_check_digit_follows_the_two_pass_rule():
    assert bin_is_valid("123456789013")
    assert bin_is_valid("980440001232")
    assert not bin_is_valid("980440001233")
