"""The two instruments the portal runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Product(models.TextChoices):
    KANDAS_CARD = "kandas_card", _("Kandas Card")
    SKILLS_VISA = "skills_visa", _("Valuable Skills Visa")


# The facts each product's application produces, by product code. The product modules
# (applications/products/) declare them at start-up; publishing a criteria set refuses a factor,
# knock-out or derived fact that reads a fact its product never produces. Policy keeps the
# list, so eligibility needs nothing from applications to check it.
_PRODUCED_FACTS: dict[str, frozenset[str]] = {}


def produced_facts_declare(product: str, names: frozenset[str]) -> None:
    _PRODUCED_FACTS[str(product)] = frozenset(names)


def produced_facts_forget(product: str) -> None:
    _PRODUCED_FACTS.pop(str(product), None)


def known_products() -> list[str]:
    """The policy's products plus any other a product module declares (tests add one)."""
    return [*Product.values, *(code for code in _PRODUCED_FACTS if code not in Product.values)]


def is_known_product(product: str) -> bool:
    return str(product) in known_products()


def produced_facts(product: str) -> frozenset[str] | None:
    """The facts ``product``'s application produces; None when no product module declares it."""
    return _PRODUCED_FACTS.get(str(product))


class Sector(models.TextChoices):
    """Sectors named by the policy for the Valuable Skills Visa, plus business and other."""

    SCIENCE = "science", _("Science")
    EDUCATION = "education", _("Education")
    HEALTHCARE = "healthcare", _("Healthcare")
    INDUSTRY = "industry", _("Industry")
    IT = "it", _("Information technology")
    SPORTS = "sports", _("Sports")
    CULTURE = "culture", _("Culture")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")
