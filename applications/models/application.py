"""The case: one application for one product by one applicant."""

import contextvars
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.states import WORKLIST_STATES, State
from eligibility.products import Product, Sector

# Set only inside applications.workflow.application_transition(); any other attempt to
# write `state` is refused (see Application.save and ApplicationQuerySet.update).
_state_write_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("state_write_allowed", default=False)


class StateWriteRefused(Exception):
    """Raised when code outside the workflow tries to change an application's state."""


class ApplicationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "state" in kwargs and not _state_write_allowed.get():
            raise StateWriteRefused("Application.state changes only through applications.workflow")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        if "state" in fields and not _state_write_allowed.get():
            raise StateWriteRefused("Application.state changes only through applications.workflow")
        return super().bulk_update(objs, fields, batch_size=batch_size)


class Application(models.Model):
    class Track(models.TextChoices):
        PROFESSIONAL = "professional", _("High-level professional")
        BUSINESS = "business", _("Business")

    # Indexes: see Meta. Product and state lead the queue composites; no single-column or
    # LIKE (varchar_pattern_ops) indexes, which nothing queries and every write maintains.
    product = models.CharField(_("product"), max_length=20, choices=Product.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
        db_index=False,  # app_owner_idx leads with owner
    )
    # Answers by section ({"personal": {...}, "profession": {...}}); validated by the
    # section forms, frozen at submission (the workflow refuses edits after draft).
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, blank=True)

    # Facts copied out of the answers into real, indexed columns so queues can filter
    # and sort without reading JSON.
    # The name is searched with icontains: the trigram index app_name_trgm_idx (migration 0007).
    applicant_name = models.CharField(_("applicant name"), max_length=200, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=30, blank=True)
    region = models.ForeignKey(
        "eligibility.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("region"),
        db_index=False,  # app_region_idx, without the FK's LIKE index on the character key
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    occupation_code = models.CharField(_("occupation (ISCO-08)"), max_length=4, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=3, help_text=_("1 is the most urgent"))

    criteria_set = models.ForeignKey(
        "eligibility.CriteriaSet", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("criteria set")
    )
    # The total, pass/fail and when they were computed live in ApplicationScore (a narrow 1:1
    # table, see there); the full breakdown of the last full evaluation stays here.
    score_detail = models.JSONField(_("score breakdown"), default=dict, blank=True)

    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_applications",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Casework (issue 6): the SLA deadline in working days from submission, set by routing,
    # and when the queue's seniors were told it was missed (escalation runs once).
    sla_due_at = models.DateTimeField(_("decision due by"), null=True, blank=True, db_index=True)
    sla_escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Bumped on every change of the answers; clients send it back so two editors cannot
    # silently overwrite each other (optimistic concurrency).
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        permissions = [
            ("work_cases", "Can work cases in own queues"),
            ("decide_cases", "Can confirm decisions (four-eyes)"),
        ]
        indexes = [
            # Plain equality lookups (no LIKE index): related cases by passport, the sector
            # and region filters across products, Region's on_delete check.
            models.Index(fields=["passport_number"], name="app_passport_idx"),
            models.Index(fields=["sector"], name="app_sector_idx"),
            models.Index(fields=["region"], name="app_region_idx"),
            models.Index(fields=["state", "product", "priority", "submitted_at"], name="app_queue_idx"),
            models.Index(fields=["owner", "product", "state"], name="app_owner_idx"),
            # Casework queue filters and claim-next.
            models.Index(fields=["state", "claimed_by", "priority", "submitted_at"], name="app_claim_idx"),
            models.Index(fields=["product", "state", "region", "submitted_at"], name="app_queue_region_idx"),
            # Default queue order, and the capped count: with state/product/region in the
            # index both are index-only scans (no reads of the wide rows with JSON answers).
            # Partial on the worklist states (the queue's default filter): at 1M cases a
            # senior's queue no longer walks past thousands of decided cases (docs/benchmarks.md).
            models.Index(
                fields=["priority", "submitted_at", "id", "state", "product", "region"],
                condition=models.Q(state__in=sorted(WORKLIST_STATES)),
                name="app_worklist_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.get_product_display()} draft #{self.pk}"

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_state", None)
        changed = self._state.adding and self.state != State.DRAFT or (loaded is not None and loaded != self.state)
        update_fields = kwargs.get("update_fields")
        if changed and (update_fields is None or "state" in update_fields) and not _state_write_allowed.get():
            raise StateWriteRefused("Application.state changes only through applications.workflow")
        super().save(*args, **kwargs)
        self._loaded_state = self.state

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_state = instance.__dict__.get("state")
        return instance

    @property
    def is_draft(self) -> bool:
        return self.state == State.DRAFT

    def _score_row(self) -> "ApplicationScore | None":
        # One query the first time unless loaded with select_related("scoring"); a missing
        # row is cached as None by Django, so an unscored application costs one query too.
        try:
            return self.scoring
        except ApplicationScore.DoesNotExist:
            return None

    @property
    def score(self) -> int | None:
        row = self._score_row()
        return row.score if row else None

    @property
    def passes(self) -> bool | None:
        row = self._score_row()
        return row.passes if row else None

    @property
    def scored_at(self) -> datetime | None:
        row = self._score_row()
        return row.scored_at if row else None


class ApplicationScore(models.Model):
    """An application's current total and pass/fail, one row per scored application.

    Kept out of the application table on purpose: that table is wide (JSON answers) and
    carries many queue indexes, so rewriting 100,000 of its rows to change one integer
    costs seconds, while rescoring rewrites only these narrow rows (see
    applications.scoring.rescoring and docs/benchmarks.md). Queues filter and sort on the indexed
    ``score`` through the ``scoring`` relation."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="scoring", verbose_name=_("application")
    )
    score = models.IntegerField(_("score"), null=True, blank=True)
    passes = models.BooleanField(_("passes the criteria"), null=True, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application score")
        verbose_name_plural = _("application scores")
        # `score` is indexed as appscore_score_desc_idx (score DESC NULLS LAST), the order of the
        # queue's "Highest score" sort, so PostgreSQL reads it forwards and stops after a page;
        # score ranges use it too. Created per database by migration 0013 (SQLite refuses
        # NULLS LAST in an index), so it is not declared here.

    def __str__(self) -> str:
        return f"{self.application_id}: {self.score}"

    @classmethod
    def store(
        cls, application: Application, *, score: int | None, passes: bool | None, scored_at: datetime | None
    ) -> "ApplicationScore":
        """Write the application's score row (insert or update) and refresh its cached relation."""
        row, _created = cls.objects.update_or_create(
            application=application, defaults={"score": score, "passes": passes, "scored_at": scored_at}
        )
        application.scoring = row
        return row


class ReferenceCounter(models.Model):
    """Last reference number handed out per product and year (row-locked on use)."""

    product = models.CharField(max_length=20, choices=Product.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "year"], name="refcounter_product_year_unique")]

    def __str__(self) -> str:
        return f"{self.product} {self.year}: {self.last}"
