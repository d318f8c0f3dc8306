"""Reference data: ISCO-08 occupations and Kazakhstan's first-level regions.

Loaded from ../shared/data (copied to eligibility/data) by migration 0002.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from eligibility.occupations import occupation_title


class Region(models.Model):
    """One of Kazakhstan's 17 regions and 3 cities of republican significance."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=6, primary_key=True)
    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100)
    # Applicant pages are also in Uzbek and Chinese (sources: eligibility/data/README.md).
    name_uz = models.CharField(_("name (Uzbek)"), max_length=100, blank=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    capital_en = models.CharField(_("administrative centre"), max_length=100)
    macro_zone = models.CharField(_("macro zone"), max_length=10)
    kind = models.CharField(_("kind"), max_length=10)
    resettlement_kandas = models.BooleanField(_("on the kandas resettlement list"), default=False)
    resettlement_internal = models.BooleanField(_("on the internal-migrant resettlement list"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "en")[:2]
        names = {"kk": self.name_kk, "ru": self.name_ru, "uz": self.name_uz, "zh": self.name_zh_hans}
        return names.get(lang) or self.name_en

    @property
    def is_labour_deficient(self) -> bool:
        return self.resettlement_kandas or self.resettlement_internal


class Occupation(models.Model):
    """An ISCO-08 unit group (4-digit code, kept as text for its leading zeros)."""

    code = models.CharField(_("ISCO-08 code"), max_length=4, primary_key=True)
    title_en = models.CharField(_("title (English)"), max_length=255)
    major_code = models.CharField(max_length=1)
    sub_major_code = models.CharField(max_length=2)
    minor_code = models.CharField(max_length=3)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        """The title in the page language (eligibility.occupations owns titles; title_en is
        the English reference copy kept for the admin and SQL)."""
        return occupation_title(self.code)
