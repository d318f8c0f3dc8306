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


class JobOffer(models.Model):
    """A job offer an applicant (or a holder looking for a new employer) names, for the
    employer to confirm (possibly correcting the details) or decline. States:
    ``applications/employers/transitions.py``."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the employer")
        CONFIRMED = "confirmed", _("Confirmed by the employer")
        DECLINED = "declined", _("Declined by the employer")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="job_offers", verbose_name=_("application")
    )
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="offers", verbose_name=_("employer"))
    position = models.CharField(_("position"), max_length=200, blank=True)
    # ISCO-08 unit group (4 digits), the occupation codes the applications use.
    isco_code = models.CharField(_("ISCO code"), max_length=4, blank=True)
    monthly_salary_kzt = models.PositiveBigIntegerField(_("monthly salary, tenge"), null=True, blank=True)
    # One or more of the employer's own regions of work (its sites).
    regions = models.ManyToManyField("eligibility.Region", related_name="+", verbose_name=_("regions of work"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("job offer")
        verbose_name_plural = _("job offers")
        indexes = [models.Index(fields=["employer", "state"], name="offer_employer_state_idx")]

    def __str__(self) -> str:
        return f"{self.employer.legal_name}: {self.position or self.isco_code}"


class Employment(models.Model):
    """The work a confirmed offer led to, after the card is issued: reported by the employer
    (start, changes, end). States: ``applications/employers/transitions.py``."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Working")
        ENDED = "ended", _("Ended")

    offer = models.OneToOneField(JobOffer, on_delete=models.PROTECT, related_name="employment")
    card = models.ForeignKey(
        "applications.IssuedCard", on_delete=models.PROTECT, related_name="employments", verbose_name=_("card")
    )
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="employments")
    position = models.CharField(_("position"), max_length=200)
    isco_code = models.CharField(_("ISCO code"), max_length=4, blank=True)
    monthly_salary_kzt = models.PositiveBigIntegerField(_("monthly salary, tenge"), null=True, blank=True)
    regions = models.ManyToManyField("eligibility.Region", related_name="+", verbose_name=_("regions of work"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    # The last day to name a new employer (EMPLOYMENT_GRACE_DAYS after the end).
    grace_until = models.DateField(_("new employer to be reported by"), null=True, blank=True, db_index=True)
    # The holder's next offer, which ends the grace period.
    successor = models.ForeignKey(
        JobOffer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("next offer")
    )

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        indexes = [models.Index(fields=["state", "grace_until"], name="employment_grace_idx")]

    def __str__(self) -> str:
        return f"{self.employer.legal_name}: {self.position}"
