"""Uploaded documents (first cut; the document pipeline issue extends it)."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.documents.names import display_name


# The "private" storage has no public URL (settings.STORAGES); files leave it only through
# access-checked views.
def private_storage():
    return storages["private"]


def private_upload_to(instance: "Document", filename: str) -> str:
    # Random stored names: the original name is data, never a path.
    return f"documents/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class Document(models.Model):
    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        PHOTO = "photo", _("Photo")
        ETHNICITY_EVIDENCE = "ethnicity_evidence", _("Evidence of Kazakh ethnicity")
        DIPLOMA = "diploma", _("Diploma")
        EMPLOYMENT_EVIDENCE = "employment_evidence", _("Employment evidence")
        BUSINESS_REGISTRATION = "business_registration", _("Business registration")
        BUSINESS_ACCOUNTS = "business_accounts", _("Business accounts")
        OFFER_LETTER = "offer_letter", _("Job offer or invitation")
        ACHIEVEMENT = "achievement", _("Evidence of achievements")
        LANGUAGE_CERTIFICATE = "language_certificate", _("Language certificate")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        PROCESSING = "processing", _("Being checked")
        READY = "ready", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    original_name = models.CharField(_("original file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=private_upload_to, storage=private_storage, max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256 of the original"), max_length=64, blank=True, db_index=True)
    detected_type = models.CharField(_("detected type"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED)
    rejection_code = models.CharField(_("rejection reason"), max_length=50, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    # Filled by the pipeline (applications/documents/services.py: document_process).
    width = models.PositiveIntegerField(_("width in pixels"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height in pixels"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    stripped = models.JSONField(_("metadata removed"), default=list, blank=True)
    # What the MRZ reader made of a passport scan: fields, check-digit results, confidence
    # (applications/documents/mrz_ocr.py MrzRead.as_dict). Empty when not a passport image.
    mrz = models.JSONField(_("machine-readable zone"), default=dict, blank=True)
    sanitised_file = models.FileField(
        _("sanitised copy"), upload_to=private_upload_to, storage=private_storage, max_length=200, blank=True
    )
    sanitised_type = models.CharField(_("sanitised copy type"), max_length=50, blank=True)
    sanitised_sha256 = models.CharField(_("SHA-256 of the sanitised copy"), max_length=64, blank=True)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=private_upload_to, storage=private_storage, max_length=200, blank=True
    )
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    # Last time processing was requested (upload or sweep); the sweep re-queues rows
    # still "uploaded" long after it, since the broker may have been down.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    processing_started_at = models.DateTimeField(_("processing started at"), null=True, blank=True)
    # The task holding the row while it is "processing" (its Celery task id) and until when:
    # the task renews the lease while it works, so a lease that ran out means its worker
    # died, and the sweep hands the row to a new task within a minute, never to a second
    # task while the first still lives (applications/documents/services.py).
    processing_claim = models.CharField(_("processing claim"), max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(_("processing lease expires at"), null=True, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    # Pages (applications/documents/combine.py): a file uploaded on the applicant's documents
    # page is one page of its kind, in ``page`` order; several pages of one kind are combined
    # into one PDF once the application is submitted. That PDF is a Document of the same kind
    # with ``combined_key`` set (a digest of its pages), and its pages point at it.
    page = models.PositiveSmallIntegerField(_("page"), null=True, blank=True)
    combined_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="combined_pages",
        verbose_name=_("combined into"),
    )
    combined_key = models.CharField(_("pages combined"), max_length=64, blank=True)

    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("view_original_document", "Can download original (unsanitised) documents")]
        constraints = [
            # The same file twice for one case is a duplicate, unless the first was refused.
            models.UniqueConstraint(
                fields=["application", "sha256"],
                condition=~models.Q(status="rejected") & ~models.Q(sha256=""),
                name="document_unique_live_sha256",
            ),
            # One combined PDF per kind of an application.
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=~models.Q(combined_key=""),
                name="document_one_combined_per_kind",
            ),
        ]
        indexes = [
            # The sweep's scan: stuck rows by status and age.
            models.Index(fields=["status", "queued_at"], name="document_sweep_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_name}"

    @property
    def display_name(self) -> str:
        """The original name as it may be shown: no bidi overrides or other control characters."""
        return display_name(self.original_name)

    @property
    def is_combined(self) -> bool:
        """The PDF the pipeline made of several pages (not an upload)."""
        return bool(self.combined_key)

    @property
    def rejection_message(self) -> str:
        """Why the document was refused, in the active language."""
        from applications.documents.reasons import reason_message

        return reason_message(self.rejection_code)
