"""Casework records: requests for information, internal notes, legal grounds, four-eyes decisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class RequestForInformation(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="rfis", verbose_name=_("application")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    text = models.TextField(_("what is needed"))
    # Document kinds (Document.Kind values) the applicant is asked to upload.
    document_kinds = models.JSONField(_("document kinds"), default=list, blank=True)
    deadline = models.DateTimeField(_("reply by"))
    reply_text = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    # Set when the caseworker resumes the review: until then the reply is highlighted.
    acknowledged_at = models.DateTimeField(_("reply read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        indexes = [models.Index(fields=["application", "replied_at"], name="rfi_app_replied_idx")]

    def __str__(self) -> str:
        return f"RFI #{self.pk} on {self.application_id}"

    @property
    def is_open(self) -> bool:
        return self.replied_at is None

    def is_overdue(self, now=None) -> bool:
        from django.utils import timezone

        return self.replied_at is None and self.deadline < (now or timezone.now())


class CaseNote(models.Model):
    """An internal note by staff on a case. Never shown to the applicant."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="case_notes", verbose_name=_("application")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"Note #{self.pk} on {self.application_id}"


class LegalGround(models.Model):
    """A legal ground a recommendation cites; the list is edited by administrators."""

    class AppliesTo(models.TextChoices):
        APPROVE = "approve", _("Approval")
        REFUSE = "refuse", _("Refusal")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    applies_to = models.CharField(_("applies to"), max_length=10, choices=AppliesTo.choices)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_ru = models.CharField(_("title (Russian)"), max_length=255, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=255, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["applies_to", "code"]
        verbose_name = _("legal ground")
        verbose_name_plural = _("legal grounds")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        lang = (get_language() or "en")[:2]
        return {"kk": self.title_kk, "ru": self.title_ru}.get(lang) or self.title_en


class Decision(models.Model):
    """One recommendation and its second-pair-of-eyes outcome (four-eyes)."""

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REFUSE = "refuse", _("Refuse")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for a senior caseworker")
        CONFIRMED = "confirmed", _("Confirmed")
        SENT_BACK = "sent_back", _("Sent back")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="decisions", verbose_name=_("application")
    )
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices)
    grounds = models.ManyToManyField(LegalGround, blank=True, verbose_name=_("legal grounds"))
    text = models.TextField(_("reasons"))
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recommended by")
    )
    recommended_at = models.DateTimeField(_("recommended at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed or sent back by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    senior_note = models.TextField(_("senior caseworker's note"), blank=True)

    class Meta:
        ordering = ["-recommended_at", "-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            # Four-eyes, also in the database: nobody confirms their own recommendation.
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True) | ~models.Q(confirmed_by=models.F("recommended_by")),
                name="decision_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_recommendation_display()} on {self.application_id} ({self.get_outcome_display()})"


class AdministrativeReview(models.Model):
    """A refused applicant's request to have the refusal reviewed, and its outcome.

    One per refusal (the decision it reviews); decided by a senior who took no part in
    that decision (the rule is the workflow's guard, applications/workflow.py).
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting for a review")
        UPHELD = "upheld", _("Refusal upheld")
        OVERTURNED = "overturned", _("Refusal overturned")
        WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    refusal = models.ForeignKey(
        Decision,
        # Decisions go only with their application (erasure), and the review with them.
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("refusal reviewed"),
    )
    grounds = models.TextField(_("grounds for the review"))
    documents = models.ManyToManyField(
        "applications.Document", blank=True, related_name="+", verbose_name=_("supporting documents")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    due_at = models.DateTimeField(_("review due by"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_reason = models.TextField(_("reasons for the outcome"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("administrative review")
        verbose_name_plural = _("administrative reviews")
        constraints = [
            # One review per refusal, also in the database.
            models.UniqueConstraint(
                fields=["refusal"], condition=models.Q(refusal__isnull=False), name="review_one_per_refusal"
            ),
        ]

    def __str__(self) -> str:
        return f"Review #{self.pk} on {self.application_id} ({self.outcome})"
