"""An employer: one organisation, identified by its BIN, with one contact account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Employer(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Not verified")

    legal_name = models.CharField(_("legal name"), max_length=200)
    # Checked by checksum only (applications.employers.bins.bin_is_valid) at sign-up.
    bin = models.CharField(_("business identification number (BIN)"), max_length=12, unique=True)
    # Filled by a future adapter to the state register of legal entities, which would look the
    # BIN up and record the name found there and when: empty while only the checksum is known
    # (docs/employers.md, "The BIN").
    registry_legal_name = models.CharField(_("legal name in the register"), max_length=300, blank=True)
    registry_checked_at = models.DateTimeField(_("checked in the register at"), null=True, blank=True)
    regions = models.ManyToManyField(
        "eligibility.Region", related_name="employers", verbose_name=_("regions of work"), blank=False
    )
    contact = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employer", verbose_name=_("contact")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [models.Index(fields=["status", "created_at"], name="employer_status_idx")]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.bin})"
