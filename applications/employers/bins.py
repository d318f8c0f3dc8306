"""Kazakhstan's business identification number (BIN): its format and check digit.

The one owner of the BIN check: the employer sign-up, the job-offer section and the holder's
employer report all call ``bin_is_valid``.
"""

import re

BIN_FORMAT = re.compile(r"\A[0-9]{12}\Z")
# Weights of the two passes (the second is used only when the first gives a remainder of 10).
_FIRST_PASS = tuple(range(1, 12))
_SECOND_PASS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def bin_is_valid(value: object) -> bool:
    """Is ``value`` twelve ASCII digits whose last digit is the BIN's check digit?

    The algorithm is the IIN's, which the BIN shares: the Rules for forming the
    individual and business identification numbers (Order of the Minister of Finance of
    the Republic of Kazakhstan, on the Law "On national registers of identification
    numbers" of 12 January 2007 No. 223-III). Multiply the first 11 digits by 1..11 and take
    the sum modulo 11; a remainder of 10 means a second pass with weights 3..11, 1, 2; a
    second remainder of 10 means the number is never issued (invalid). Anything but twelve
    ASCII digits (other scripts' digits, NUL, surrogates, huge numbers) is simply invalid.
    """
    if not isinstance(value, str) or not BIN_FORMAT.match(value):
        return False
    digits = [int(c) for c in value]
    for weights in (_FIRST_PASS, _SECOND_PASS):
        check = sum(d * w for d, w in zip(digits[:11], weights, strict=True)) % 11
        if check != 10:
            return check == digits[11]
    return False
