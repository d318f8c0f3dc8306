"""Names of the published categories in the page's language (never a code on a page).

Regions: the reference table has Kazakh, Russian and English names only, so the public
pages name regions through the catalog (kk and ru as in the reference data, uz and zh-hans
added in locale_src/opendata.json). Countries: ``portal.countries.country_name_for``.
"""

from django.utils.translation import gettext_lazy as _
from django_countries.data import COUNTRIES

from applications.statistics.models import Dimension
from eligibility.products import Product, Sector
from portal.countries import country_name_for

REGION_NAMES = {
    "KZ-10": _("Abai Region"),
    "KZ-11": _("Akmola Region"),
    "KZ-15": _("Aktobe Region"),
    "KZ-19": _("Almaty Region"),
    "KZ-23": _("Atyrau Region"),
    "KZ-27": _("West Kazakhstan Region"),
    "KZ-31": _("Jambyl Region"),
    "KZ-33": _("Jetisu Region"),
    "KZ-35": _("Karaganda Region"),
    "KZ-39": _("Kostanay Region"),
    "KZ-43": _("Kyzylorda Region"),
    "KZ-47": _("Mangystau Region"),
    "KZ-55": _("Pavlodar Region"),
    "KZ-59": _("North Kazakhstan Region"),
    "KZ-61": _("Turkistan Region"),
    "KZ-62": _("Ulytau Region"),
    "KZ-63": _("East Kazakhstan Region"),
    "KZ-71": _("Astana city"),
    "KZ-75": _("Almaty city"),
    "KZ-79": _("Shymkent city"),
}
NOT_STATED = _("Not stated")
OTHER_REGION = _("Other region")
TOTAL = _("Total")
ALL_PRODUCTS = _("All products")


def region_label(code: str) -> str:
    if code == "unknown":
        return str(NOT_STATED)
    name = REGION_NAMES.get(code)
    return str(name) if name is not None else str(OTHER_REGION)


def category_label(dimension: str, code: str) -> str:
    """The words for a category of ``dimension``; "" is the total row."""
    if code == "":
        return str(TOTAL)
    if dimension == Dimension.REGION:
        return region_label(code)
    if dimension == Dimension.CITIZENSHIP:
        return country_name_for(code) if code in COUNTRIES else str(NOT_STATED)
    if code in Sector.values:
        return str(Sector(code).label)
    return str(NOT_STATED)


def product_label(code: str) -> str:
    if code == "":
        return str(ALL_PRODUCTS)
    return str(Product(code).label) if code in Product.values else str(NOT_STATED)
