"""Criteria sets: versioned points tables per product (first cut; the engine issue extends it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eligibility.products import Product


class CriteriaSet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    pass_mark = models.IntegerField(_("pass mark"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="criteriaset_product_version_unique"),
        ]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return f"{self.get_product_display()} v{self.version} ({self.get_status_display()})"
