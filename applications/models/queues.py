"""Caseworker queues: a saved rule over the case's indexed columns, and who works it.

A case is in a queue when its product, region and priority match the queue's rule, so
redrawing a queue re-routes its cases at once and no second copy of the routing is stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eligibility.products import Product


class Queue(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    # Blank product and no regions mean "every product" / "every region".
    product = models.CharField(_("product"), max_length=20, choices=Product.choices, blank=True)
    regions = models.ManyToManyField("eligibility.Region", blank=True, verbose_name=_("regions"))
    priority_from = models.PositiveSmallIntegerField(_("highest priority"), default=1)
    priority_to = models.PositiveSmallIntegerField(_("lowest priority"), default=9)
    caseworkers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="casework_queues", verbose_name=_("caseworkers")
    )
    seniors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="senior_queues", verbose_name=_("senior caseworkers")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self) -> str:
        return self.name

    def case_filter(self, region_codes: list[str] | None = None) -> Q:
        """The condition a case meets to be in this queue (pass region codes if prefetched)."""
        if region_codes is None:
            region_codes = [r.code for r in self.regions.all()]
        condition = Q(priority__gte=self.priority_from, priority__lte=self.priority_to)
        if self.product:
            condition &= Q(product=self.product)
        if region_codes:
            condition &= Q(region_id__in=region_codes)
        return condition

    def covers(self, application, region_codes: list[str] | None = None) -> bool:
        if region_codes is None:
            region_codes = [r.code for r in self.regions.all()]
        return (
            self.priority_from <= application.priority <= self.priority_to
            and (not self.product or self.product == application.product)
            and (not region_codes or application.region_id in region_codes)
        )
