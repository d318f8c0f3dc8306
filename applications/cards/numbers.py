"""Card numbers with check digits: ISO 7064 MOD 97-10, the scheme IBANs use.

Format: the product's reference prefix (KC / VS), two-digit year, six-digit serial, two check digits,
e.g. ``KC26000001`` + ``87`` = ``KC2600000187``. Letters count as 10..35 (A=10), the check
digits are ``98 - (n * 100 mod 97)``, and a number is well formed when the whole string,
converted the same way, is 1 modulo 97. This catches every single-character error and
every swap of two neighbouring characters, so a mistyped number is refused before any
database lookup.
"""

import re

from django.db import transaction

from applications.products import get_product, product_by_prefix

# A product's reference prefix (applications/products/), then ten digits.
NUMBER_RE = re.compile(r"^([A-Z]{2})\d{10}$")


def _as_digits(text: str) -> str:
    return "".join(str(int(ch, 36)) for ch in text)


def check_digits(body: str) -> str:
    """The two ISO 7064 MOD 97-10 check digits for ``body`` (letters and digits)."""
    return f"{98 - int(_as_digits(body.upper()) + '00') % 97:02d}"


def normalise(number: str) -> str:
    """Upper case without spaces or dashes, as people type it from a card."""
    return re.sub(r"[\s-]", "", number or "").upper()


def is_well_formed(number: str) -> bool:
    number = normalise(number)
    match = NUMBER_RE.match(number)
    return bool(match) and _is_prefix(match.group(1)) and int(_as_digits(number)) % 97 == 1


def _is_prefix(prefix: str) -> bool:
    try:
        product_by_prefix(prefix)
    except LookupError:
        return False
    return True


def format_for_print(number: str) -> str:
    """KC 26 000001 87: groups that are easy to read out and type."""
    return f"{number[:2]} {number[2:4]} {number[4:10]} {number[10:]}"


def card_number_allocate(*, product: str, year: int) -> str:
    """The next card number for the product and year; unique under concurrency (row lock)."""
    from applications.models import CardNumberCounter

    with transaction.atomic():
        CardNumberCounter.objects.get_or_create(product=product, year=year)
        counter = CardNumberCounter.objects.select_for_update().get(product=product, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    body = f"{get_product(product).reference_prefix}{year % 100:02d}{counter.last:06d}"
    return body + check_digits(body)
