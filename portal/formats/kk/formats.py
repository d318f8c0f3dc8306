"""Kazakh (kk) date and number formats; Django ships none, so kk fell back to "m/d/Y" and "N j, Y".

Hand-written from the Unicode CLDR data for ``kk`` (CLDR 47, as shipped by Babel 2.18;
``babel.Locale("kk")``): long date ``y 'ж'. d MMMM`` (1990 ж. 12 мамыр), short date
``dd.MM.yy``, time ``HH:mm``, date-time ``{1}, {0}``, decimal separator ",", grouping
separator U+00A0 (no-break space), week starting on Monday. Where CLDR prints a two-digit
year (short date) a four-digit year is used: birth dates must not be ambiguous.
Pages print dates through portal.display (Babel, the same CLDR data with its month names);
these formats serve Django's own output (admin, form widgets) and input parsing.
tests/portal/test_formats.py checks them against Babel.
"""

# The format syntax is Django's (the ``date`` filter); characters are escaped with "\".
DATE_FORMAT = r"Y \ж. j E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y \ж. j E, H:i"
YEAR_MONTH_FORMAT = r"Y \ж. F"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '12.05.1990'
    "%d.%m.%y",  # '12.05.90'
    "%Y-%m-%d",  # '1990-05-12' (ISO 8601, what <input type="date"> sends)
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
