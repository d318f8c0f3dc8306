"""Monthly statistics releases: the published figures, stored once and read by every page.

A release is what a statistics office publishes: computed in one batch at release time
(``services.release_compute``), disclosure-controlled (``sdc.py``) and stored; the public
page, the CSV and the API read these rows and never count live cases per request. A
suppressed figure is stored as NULL: the true small count is not kept anywhere public.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    SUBMITTED = "submitted", _("Applications submitted")
    APPROVED = "approved", _("Applications approved")
    REFUSED = "refused", _("Applications refused")
    ISSUED = "issued", _("Cards and visas issued")


class Dimension(models.TextChoices):
    REGION = "region", _("Region")
    CITIZENSHIP = "citizenship", _("Citizenship")
    SECTOR = "sector", _("Sector")


class Release(models.Model):
    """The figures of one calendar month (``period`` is its first day)."""

    period = models.DateField(_("month"), unique=True)
    computed_at = models.DateTimeField(_("published at"))
    # 1 for the first publication; a recomputation of the same month is a revision.
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    threshold = models.PositiveSmallIntegerField(_("smallest count shown"))

    class Meta:
        ordering = ["-period"]
        verbose_name = _("statistics release")
        verbose_name_plural = _("statistics releases")

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} r{self.revision}"


class ReleaseCell(models.Model):
    """One published figure: a count of ``measure`` in ``category`` of ``dimension`` for
    ``product``; an empty category or product is the total over all of them."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="cells", verbose_name=_("release"))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    dimension = models.CharField(_("breakdown"), max_length=20, choices=Dimension.choices)
    # A region code, a country code, a sector code, UNKNOWN, or "" for the total.
    category = models.CharField(_("category"), max_length=20, blank=True)
    product = models.CharField(_("product"), max_length=20, blank=True)
    # NULL: suppressed (statistical disclosure control).
    value = models.PositiveIntegerField(_("count"), null=True, blank=True)

    class Meta:
        ordering = ["release", "measure", "dimension", "category", "product"]
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "measure", "dimension", "category", "product"], name="statcell_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.release} {self.measure}/{self.dimension}/{self.category or '*'}/{self.product or '*'}"
