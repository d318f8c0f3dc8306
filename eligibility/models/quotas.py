"""Yearly quotas per product × sector and product × region, and allocation rounds.

A case consumes a place in every quota that applies to it (its sector's and its region's)
or in none; see applications/casework/quotas.py for the atomic consumption.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eligibility.products import Product, Sector


class Quota(models.Model):
    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    # Exactly one of sector / region is set.
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    region = models.ForeignKey(
        "eligibility.Region", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    places = models.PositiveIntegerField(_("places"))
    used = models.PositiveIntegerField(_("places used"), default=0)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["product", "year", "sector", "region"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            # The last line of defence: the database itself refuses more approvals than places.
            models.CheckConstraint(condition=models.Q(used__lte=models.F("places")), name="quota_used_within_places"),
            models.CheckConstraint(
                condition=(models.Q(sector="") & models.Q(region__isnull=False))
                | (~models.Q(sector="") & models.Q(region__isnull=True)),
                name="quota_sector_xor_region",
            ),
            models.UniqueConstraint(
                fields=["product", "year", "sector"],
                condition=models.Q(region__isnull=True),
                name="quota_sector_unique",
            ),
            models.UniqueConstraint(
                fields=["product", "year", "region"], condition=models.Q(sector=""), name="quota_region_unique"
            ),
        ]

    def __str__(self) -> str:
        scope = self.get_sector_display() if self.sector else str(self.region)
        return f"{self.get_product_display()} {self.year} {scope}: {self.used}/{self.places}"

    @property
    def remaining(self) -> int:
        return max(self.places - self.used, 0)


class AllocationRound(models.Model):
    """An admin releases N places; the top N waiting cases go to final review."""

    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    region = models.ForeignKey(
        "eligibility.Region", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    places_released = models.PositiveIntegerField(_("places released"))
    cases_moved = models.PositiveIntegerField(_("cases moved to final review"), default=0)
    # The lowest score among the cases moved (Canada's rounds publish it the same way).
    cut_off_score = models.IntegerField(_("cut-off score"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("held at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("allocation round")
        verbose_name_plural = _("allocation rounds")

    def __str__(self) -> str:
        return f"Round {self.pk}: {self.places_released} places, cut-off {self.cut_off_score}"
