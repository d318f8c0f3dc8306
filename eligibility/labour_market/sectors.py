"""Which policy sector a proposed rating row starts in, when the current rating has none.

The rating keeps a sector per occupation (eligibility.models.ScarceProfession). An occupation
already rated keeps the sector an admin gave it; a new one starts from its ISCO-08 group,
most specific prefix first, and the admin may change it on the review page.
"""

from eligibility.products import Sector

# ISCO-08 prefixes (unit, minor or sub-major group) -> sector; first match wins, longest first.
_BY_PREFIX: dict[str, str] = {
    "2651": Sector.CULTURE,
    "2652": Sector.CULTURE,
    "2653": Sector.CULTURE,
    "2654": Sector.CULTURE,
    "2655": Sector.CULTURE,
    "2656": Sector.CULTURE,
    "2659": Sector.CULTURE,
    "3421": Sector.SPORTS,
    "3422": Sector.SPORTS,
    "3423": Sector.SPORTS,
    "211": Sector.SCIENCE,
    "212": Sector.SCIENCE,
    "213": Sector.SCIENCE,
    "214": Sector.INDUSTRY,
    "215": Sector.INDUSTRY,
    "216": Sector.INDUSTRY,
    "262": Sector.CULTURE,
    "343": Sector.CULTURE,
    "311": Sector.INDUSTRY,
    "312": Sector.INDUSTRY,
    "313": Sector.INDUSTRY,
    "22": Sector.HEALTHCARE,
    "32": Sector.HEALTHCARE,
    "23": Sector.EDUCATION,
    "25": Sector.IT,
    "35": Sector.IT,
    "12": Sector.BUSINESS,
    "13": Sector.BUSINESS,
    "14": Sector.BUSINESS,
    "24": Sector.BUSINESS,
    "7": Sector.INDUSTRY,
    "8": Sector.INDUSTRY,
}
_PREFIXES = sorted(_BY_PREFIX, key=len, reverse=True)


def sector_for_occupation(code: str) -> str:
    """The default sector of an ISCO-08 unit group (``Sector.OTHER`` when no group matches)."""
    for prefix in _PREFIXES:
        if code.startswith(prefix):
            return str(_BY_PREFIX[prefix])
    return str(Sector.OTHER)
