"""Labour-market indicators, the shortage model's weights and the proposed rating.

An import is one version of the data (a complete snapshot: the model reads one import);
weights are versioned the same way (a change is a new version); a proposal keeps every row
the model computed, with its indicators and normalised parts, so that each priority can be
explained later even after the data or the weights have moved on.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eligibility.products import Product, Sector


class LabourMarketImport(models.Model):
    """One imported file (or generated dataset): who, when, its hash and how many rows."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    long_open_days = models.PositiveSmallIntegerField(
        _("a vacancy counts as long-open after (days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("labour-market import")
        verbose_name_plural = _("labour-market imports")

    def __str__(self) -> str:
        return f"v{self.version} {self.file_name}"


class LabourMarketIndicator(models.Model):
    """One ISCO-08 unit group in one region in one year, as the import gave it."""

    data_import = models.ForeignKey(LabourMarketImport, on_delete=models.CASCADE, related_name="rows")
    occupation = models.ForeignKey("eligibility.Occupation", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("eligibility.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    vacancies_posted = models.PositiveIntegerField(_("vacancies posted"))
    vacancies_long_open = models.PositiveIntegerField(_("vacancies open long"))
    job_seekers = models.PositiveIntegerField(_("registered job seekers"))
    employment = models.PositiveIntegerField(_("employment"))
    median_wage = models.PositiveIntegerField(_("median monthly wage, tenge"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["data_import", "occupation", "region", "year"], name="labourmarketindicator_unique"
            )
        ]
        verbose_name = _("labour-market indicator")
        verbose_name_plural = _("labour-market indicators")

    def __str__(self) -> str:
        return f"{self.year} {self.region_id} {self.occupation_id}"


def _weight(label: str) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=4, decimal_places=2, default=Decimal("1.00"), validators=[MinValueValidator(Decimal("0"))]
    )


def _threshold(label: str, default: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=3,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )


class ShortageModel(models.Model):
    """The weights and cut-offs of the shortage score. Never edited: a change is a new version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    weight_vacancy_ratio = _weight(_("weight: vacancies per job seeker"))
    weight_long_open = _weight(_("weight: share of long-open vacancies"))
    weight_wage_growth = _weight(_("weight: wage growth above the median"))
    weight_employment_growth = _weight(_("weight: employment growth"))
    priority_1_from = _threshold(_("priority 1 from score"), "0.850")
    priority_2_from = _threshold(_("priority 2 from score"), "0.750")
    priority_3_from = _threshold(_("priority 3 from score"), "0.650")
    min_vacancies = models.PositiveIntegerField(
        _("fewest vacancies for a rating"),
        default=30,
        help_text=_("Occupations with fewer vacancies posted in the year get no priority: too few to judge."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("shortage model")
        verbose_name_plural = _("shortage models")

    def __str__(self) -> str:
        return _("Shortage model, version %(version)s") % {"version": self.version}


class RatingProposal(models.Model):
    """The model's proposal of one year's rating, reviewed and published by people."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting a second administrator")
        PUBLISHED = "published", _("Published")

    year = models.PositiveSmallIntegerField(
        _("rating year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    data_year = models.PositiveSmallIntegerField(_("data year"))
    data_import = models.ForeignKey(LabourMarketImport, on_delete=models.PROTECT, related_name="proposals")
    shortage_model = models.ForeignKey(ShortageModel, on_delete=models.PROTECT, related_name="proposals")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("proposed by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rating proposal")
        verbose_name_plural = _("rating proposals")

    def __str__(self) -> str:
        return _("Rating proposal for %(year)s") % {"year": self.year}


class ProposalRow(models.Model):
    """One occupation nationally (``region`` empty) or in one region: the model's score and
    priority with how it was reached; national rows carry the reviewed priority that is published."""

    proposal = models.ForeignKey(RatingProposal, on_delete=models.CASCADE, related_name="rows")
    occupation = models.ForeignKey("eligibility.Occupation", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("eligibility.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    score = models.FloatField(_("shortage score"), null=True)
    model_priority = models.PositiveSmallIntegerField(_("model's priority"), null=True)
    priority = models.PositiveSmallIntegerField(_("priority"), null=True)
    # Raw indicators and their normalised parts, as eligibility.labour_market.model computed them.
    indicators = models.JSONField(default=dict)
    reason = models.TextField(_("reason for the change"), blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "region", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "occupation"],
                condition=models.Q(region__isnull=True),
                name="proposalrow_national_unique",
            ),
            models.UniqueConstraint(fields=["proposal", "occupation", "region"], name="proposalrow_regional_unique"),
        ]
        indexes = [models.Index(fields=["proposal", "region", "score"], name="proposalrow_rank")]

    def __str__(self) -> str:
        return f"{self.occupation_id} {self.region_id or 'KZ'} P{self.priority or '-'}"


class QuotaProposal(models.Model):
    """Next year's sector × region quotas of one product, proposed from labour-market demand,
    this year's uptake and the waiting list (eligibility/labour_market/quota_proposals.py),
    reviewed by people and, once a second administrator approves, written as Quota rows.

    The weights and the ceiling are chosen when the proposal is made and kept on it, so each
    row's places can be recomputed from its stored inputs by anyone reading it later.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting a second administrator")
        APPROVED = "approved", _("Approved: the quotas are set")

    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    year = models.PositiveSmallIntegerField(
        _("quota year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    uptake_year = models.PositiveSmallIntegerField(_("uptake year"))
    data_import = models.ForeignKey(
        LabourMarketImport,
        on_delete=models.PROTECT,
        related_name="quota_proposals",
        verbose_name=_("labour-market data"),
    )
    data_year = models.PositiveSmallIntegerField(_("data year"))
    rating_year = models.PositiveSmallIntegerField(_("rating year"), null=True, blank=True)
    uptake_weight = models.DecimalField(
        _("places per approval this year"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )
    waiting_weight = models.DecimalField(
        _("places per case waiting"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )
    demand_weight = models.DecimalField(
        _("places per unfilled vacancy"),
        max_digits=6,
        decimal_places=4,
        default=Decimal("0.0500"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    unrated_weight = models.DecimalField(
        _("weight of vacancies in unrated occupations"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    ceiling = models.PositiveIntegerField(
        _("most places in one sector and region"),
        default=1000,
        validators=[MinValueValidator(1), MaxValueValidator(1_000_000)],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("proposed by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quota proposal")
        verbose_name_plural = _("quota proposals")

    def __str__(self) -> str:
        return _("Quota proposal for %(year)s") % {"year": self.year}


class QuotaProposalRow(models.Model):
    """One sector in one region: its inputs, the places the formula gave and the reviewed places."""

    proposal = models.ForeignKey(QuotaProposal, on_delete=models.CASCADE, related_name="rows")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    region = models.ForeignKey("eligibility.Region", on_delete=models.PROTECT, related_name="+")
    model_places = models.PositiveIntegerField(_("places by the formula"))
    places = models.PositiveIntegerField(_("places"))
    # The formula's inputs and terms (quota_proposals.QuotaInputs / QuotaResult), kept so the
    # sentence on the page can be rebuilt and checked later.
    inputs = models.JSONField(default=dict)
    reason = models.TextField(_("reason for the change"), blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "sector", "region"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "sector", "region"], name="quotaproposalrow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sector} {self.region_id}: {self.places}"
