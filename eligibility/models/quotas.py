"""Yearly quotas per product × sector, × region or × sector and region together, and
allocation rounds.

A case consumes a place in every quota that applies to it (its sector's, its region's and
its sector-in-region's) or in none; see applications/casework/quotas.py for the atomic
consumption. Sector × region quotas are written by an approved quota proposal
(eligibility/labour_market/quota_proposals.py) or by hand in the admin.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from eligibility.products import Product, Sector


def scope_display(sector: str, sector_label: str, region: object | None) -> str:
    """A quota's scope in words, in the page's language: "Healthcare in Akmola Region"."""
    if sector and region is not None:
        return gettext("%(sector)s in %(region)s") % {"sector": sector_label, "region": region}
    return str(sector_label) if sector else str(region)


class Quota(models.Model):
    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    # At least one of sector / region is set; both for a sector-in-region quota.
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
                condition=~models.Q(sector="") | models.Q(region__isnull=False), name="quota_sector_or_region"
            ),
            models.UniqueConstraint(
                fields=["product", "year", "sector"],
                condition=models.Q(region__isnull=True),
                name="quota_sector_unique",
            ),
            models.UniqueConstraint(
                fields=["product", "year", "region"], condition=models.Q(sector=""), name="quota_region_unique"
            ),
            models.UniqueConstraint(
                fields=["product", "year", "sector", "region"],
                condition=~models.Q(sector="") & models.Q(region__isnull=False),
                name="quota_sector_region_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_product_display()} {self.year} {self.scope_display}: {self.used}/{self.places}"

    @property
    def scope_display(self) -> str:
        return scope_display(self.sector, self.get_sector_display(), self.region)

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

    @property
    def scope_display(self) -> str:
        return scope_display(self.sector, self.get_sector_display(), self.region)
