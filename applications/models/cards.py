"""Issued cards and visas, and what their holders keep current: addresses, employers, share codes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eligibility.products import Product


class CardNumberCounter(models.Model):
    """Last card serial handed out per product and year (row-locked on use)."""

    product = models.CharField(max_length=20, choices=Product.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "year"], name="cardcounter_product_year_unique")]

    def __str__(self) -> str:
        return f"{self.product} {self.year}: {self.last}"


class IssuedCard(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Valid")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    # Format and check digits: applications/cards/numbers.py (ISO 7064 MOD 97-10).
    number = models.CharField(_("card number"), max_length=16, unique=True)
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="card", verbose_name=_("application")
    )
    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cards", verbose_name=_("holder")
    )
    holder_name = models.CharField(_("holder's name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # The sanitised applicant photo (never the uploaded original).
    photo = models.ForeignKey(
        "applications.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    # Empty means every region of Kazakhstan.
    permitted_regions = models.ManyToManyField(
        "eligibility.Region", blank=True, related_name="+", verbose_name=_("permitted regions")
    )
    # Kandas Card only: the day the holder has 5 years of stay (citizenship eligibility).
    citizenship_eligible_on = models.DateField(_("eligible for citizenship on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    # The signed QR payload printed on the card, and the id of the key that signed it.
    payload = models.TextField(_("signed payload"))
    key_id = models.CharField(_("signing key id"), max_length=40)
    previous_card = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("renews")
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("issued card")
        verbose_name_plural = _("issued cards")
        permissions = [("revoke_card", "Can revoke issued cards")]

    def __str__(self) -> str:
        return self.number

    @property
    def current_status(self) -> str:
        """Revoked wins; an active card past its last day is expired even before the nightly sweep."""
        if self.status == self.Status.ACTIVE and self.valid_until < timezone.localdate():
            return self.Status.EXPIRED
        return self.status

    def get_current_status_display(self) -> str:
        return str(self.Status(self.current_status).label)

    @property
    def is_valid(self) -> bool:
        today = timezone.localdate()
        return self.current_status == self.Status.ACTIVE and self.valid_from <= today <= self.valid_until


class CardShareCode(models.Model):
    """A code the holder gives one checker (employer, landlord...), valid for 30 days.

    Scoped: it opens only this card, and shows only what its purpose needs.
    """

    class Purpose(models.TextChoices):
        WORK = "work", _("Right to work (employer)")
        RENT = "rent", _("Right to rent (landlord)")
        SERVICES = "services", _("Banks and other services")

    card = models.ForeignKey(IssuedCard, on_delete=models.CASCADE, related_name="share_codes")
    code = models.CharField(_("share code"), max_length=12, unique=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share code")
        verbose_name_plural = _("share codes")

    def __str__(self) -> str:
        return f"{self.card_id}: {self.code}"

    @property
    def is_usable(self) -> bool:
        return self.withdrawn_at is None and timezone.now() < self.expires_at


class CardCheck(models.Model):
    """One verification of a card, kept so the holder can see who checked it."""

    class Outcome(models.TextChoices):
        SHOWN = "shown", _("Card details shown")
        REFUSED = "refused", _("Code not accepted")

    card = models.ForeignKey(IssuedCard, on_delete=models.CASCADE, related_name="checks")
    share_code = models.ForeignKey(CardShareCode, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    checker = models.CharField(_("checked by (as given)"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-checked_at"]
        verbose_name = _("card check")
        verbose_name_plural = _("card checks")

    def __str__(self) -> str:
        return f"{self.card_id} {self.checked_at:%Y-%m-%d %H:%M} {self.outcome}"


class CardAddress(models.Model):
    """A registered address in Kazakhstan; rows are only added, so the history stays."""

    card = models.ForeignKey(IssuedCard, on_delete=models.CASCADE, related_name="addresses")
    region = models.ForeignKey("eligibility.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    address = models.TextField(_("address"))
    registered_on = models.DateField(_("registered on"))
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        ordering = ["-registered_on", "-created_at"]
        verbose_name = _("registered address")
        verbose_name_plural = _("registered addresses")

    def __str__(self) -> str:
        return f"{self.registered_on}: {self.address}"


class CardEmployer(models.Model):
    """An employer the holder reported; rows are only added, so the history stays."""

    card = models.ForeignKey(IssuedCard, on_delete=models.CASCADE, related_name="employers")
    employer_name = models.CharField(_("employer"), max_length=200)
    # Kazakhstan's 12-digit business identification number.
    employer_bin = models.CharField(_("business identification number (BIN)"), max_length=12, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"))
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-created_at"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return f"{self.started_on}: {self.employer_name}"
