"""The two instruments the portal runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Product(models.TextChoices):
    KANDAS_CARD = "kandas_card", _("Kandas Card")
    SKILLS_VISA = "skills_visa", _("Valuable Skills Visa")


# Reference-number prefixes: KC-2026-000123, VS-2026-000456.
REFERENCE_PREFIX = {Product.KANDAS_CARD: "KC", Product.SKILLS_VISA: "VS"}


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
