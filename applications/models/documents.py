"""Uploaded documents (first cut; the document pipeline issue extends it)."""

import uuid

from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("view_original_document", "Can download original (unsanitised) documents")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
