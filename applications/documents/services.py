"""Writes of the document pipeline: accepting an upload and processing it.

``document_upload`` refuses what can be judged from the first bytes (empty, too large,
wrong type, duplicate, over the application's total) before anything is stored; the
rest is judged by ``document_process`` in a Celery worker, which calls the same
``process_document`` core as ``manage.py process_file``.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from applications.audit import audit_record
from applications.models import Application, Document
from portal.queueing import enqueue_on_commit

from . import detect, reasons
from .policy import APPLICATION_MAX_BYTES, policy_for
from .processing import ProcessResult, process_document

logger = logging.getLogger(__name__)

# A document may be tried this many times (worker deaths, crashes) before it is
# refused as ``processing_failed`` instead of being re-queued again by the sweep.
MAX_ATTEMPTS = 5


class UploadRefused(Exception):
    """The upload is refused before anything is stored; ``code`` is a reason code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return reasons.reason_message(self.code)


@dataclass(frozen=True)
class _Inspection:
    size: int
    sha256: str
    detected_type: str


def _inspect_upload(uploaded: File, kind: str, content_type: str | None) -> _Inspection:
    """Cheap checks on the stream: size, type by content, hash. Raises UploadRefused."""
    policy = policy_for(kind)
    size = uploaded.size or 0
    if size == 0:
        raise UploadRefused(reasons.EMPTY_FILE)
    if size > policy.max_bytes:
        raise UploadRefused(reasons.FILE_TOO_LARGE)
    uploaded.seek(0)
    head = uploaded.read(1024)
    detected = detect.detect_type(head)
    if detected is None:
        raise UploadRefused(reasons.UNKNOWN_TYPE)
    claims = (detect.type_from_name(uploaded.name), _mime(content_type))
    if any(claim is not None and claim != detected for claim in claims):
        raise UploadRefused(reasons.TYPE_MISMATCH)
    if detected not in policy.allowed_types:
        raise UploadRefused(reasons.TYPE_NOT_ALLOWED)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return _Inspection(size=size, sha256=digest.hexdigest(), detected_type=detected)


def _mime(content_type: str | None) -> str | None:
    # Browsers send application/octet-stream for anything they do not know: no claim.
    if not content_type:
        return None
    value = content_type.split(";")[0].strip().lower()
    value = {"image/jpg": detect.JPEG, "image/pjpeg": detect.JPEG, "image/heif": detect.HEIC}.get(value, value)
    return value if value in detect.EXTENSION_FOR_TYPE else None


def document_upload(
    *,
    application: Application,
    kind: str,
    uploaded: File,
    actor: Any,
    content_type: str | None = None,
) -> Document:
    """Store one uploaded file for ``application`` and queue its processing.

    The caller has checked that ``actor`` may add documents to ``application``.
    Refusals raise ``UploadRefused`` and store nothing. The Document row is committed
    first and the task queued on commit: if the broker is down the row waits in
    ``uploaded`` for ``document_sweep``.
    """
    original_name = (uploaded.name or "").rsplit("/", 1)[-1][:255]
    inspection = _inspect_upload(uploaded, kind, content_type)
    with transaction.atomic():
        # Lock the case so two parallel uploads cannot both pass the total/duplicate checks.
        Application.objects.select_for_update().only("pk").get(pk=application.pk)
        live = Document.objects.filter(application=application).exclude(status=Document.Status.REJECTED)
        if live.filter(sha256=inspection.sha256).exists():
            raise UploadRefused(reasons.DUPLICATE)
        total = live.aggregate(total=Sum("size"))["total"] or 0
        if total + inspection.size > APPLICATION_MAX_BYTES:
            raise UploadRefused(reasons.APPLICATION_TOTAL_TOO_LARGE)
        document = Document(
            application=application,
            kind=kind,
            original_name=original_name,
            size=inspection.size,
            sha256=inspection.sha256,
            detected_type=inspection.detected_type,
            status=Document.Status.UPLOADED,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            queued_at=timezone.now(),
        )
        # The stored name is random (upload_to); the original name is only data.
        document.file.save(original_name or "upload", uploaded, save=False)
        try:
            with transaction.atomic():
                document.save()
                audit_record(
                    actor=actor,
                    action="document.upload",
                    obj=document,
                    application=application,
                    to_state=document.status,
                    snapshot={"kind": kind, "size": inspection.size, "sha256": inspection.sha256},
                )
        except IntegrityError as exc:  # the unique (application, sha256) constraint
            document.file.storage.delete(document.file.name)
            raise UploadRefused(reasons.DUPLICATE) from exc
        except BaseException:
            # No row points at the stored file: remove it rather than leave an orphan.
            document.file.storage.delete(document.file.name)
            raise
        enqueue_on_commit("applications.document_process", document.pk)
    return document


def document_process(*, document_id: int) -> Document:
    """Validate and sanitise one document; safe to run twice or in parallel.

    A ready or rejected document is returned untouched. Outputs are written to
    storage under new random names first; then one transaction re-locks the row and,
    only if nobody finished it meanwhile, points it at them and flips the status. A
    worker killed at any point leaves the row in ``processing`` (never half-written)
    for the sweep to re-queue.
    """
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status in (Document.Status.READY, Document.Status.REJECTED):
            return document
        document.status = Document.Status.PROCESSING
        document.attempts += 1
        document.processing_started_at = timezone.now()
        document.save(update_fields=["status", "attempts", "processing_started_at", "updated_at"])

    with document.file.open("rb") as handle:
        data = handle.read()
    result = process_document(data, policy_for(document.kind), declared_name=document.original_name)
    if result.sha256_original != document.sha256 and document.sha256:
        # The stored bytes are not what was uploaded: storage corruption, never accept.
        logger.error("document %s: stored file hash differs from upload hash", document_id)
        result = ProcessResult(
            accepted=False,
            reason=reasons.PROCESSING_FAILED,
            size=result.size,
            sha256_original=result.sha256_original,
        )
    written = _write_outputs(document, result)
    return _finish(document_id, result, written)


def _write_outputs(document: Document, result: ProcessResult) -> dict[str, str]:
    if not result.accepted or result.sanitised is None:
        return {}
    storage = document.file.storage
    stem = f"documents/sanitised/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
    written = {"sanitised_file": storage.save(stem, ContentFile(result.sanitised))}
    if result.thumbnail is not None:
        written["thumbnail"] = storage.save(f"{stem}-thumb", ContentFile(result.thumbnail))
    return written


def _finish(document_id: int, result: ProcessResult, written: dict[str, str]) -> Document:
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status in (Document.Status.READY, Document.Status.REJECTED):
            # Another worker finished first (the sweep re-queued a slow task): keep its outputs.
            _delete_quietly(document.file.storage, written.values())
            return document
        from_state = document.status
        document.detected_type = result.detected_type or document.detected_type
        document.width = result.width
        document.height = result.height
        document.pages = result.pages
        document.stripped = list(result.stripped)
        document.processed_at = timezone.now()
        if result.accepted:
            document.status = Document.Status.READY
            document.rejection_code = ""
            document.sanitised_sha256 = result.sha256_sanitised or ""
            document.sanitised_type = result.sanitised_type or ""
            document.sanitised_file.name = written.get("sanitised_file", "")
            document.thumbnail.name = written.get("thumbnail", "")
        else:
            document.status = Document.Status.REJECTED
            document.rejection_code = result.reason or reasons.PROCESSING_FAILED
        document.save()
        audit_record(
            actor=None,
            action="document.processed",
            obj=document,
            application=document.application,
            from_state=from_state,
            to_state=document.status,
            reason=document.rejection_code,
            snapshot={"stripped": document.stripped, "pages": document.pages},
        )
    return document


def _delete_quietly(storage: Any, names: Any) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # an orphan file costs disk, not correctness (the orphan sweep retries)
            logger.warning("could not delete orphan file %s", name)


def document_give_up(*, document_id: int) -> Document:
    """Refuse a document that failed ``MAX_ATTEMPTS`` times as ``processing_failed``."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status in (Document.Status.READY, Document.Status.REJECTED):
            return document
        from_state = document.status
        document.status = Document.Status.REJECTED
        document.rejection_code = reasons.PROCESSING_FAILED
        document.processed_at = timezone.now()
        document.save(update_fields=["status", "rejection_code", "processed_at", "updated_at"])
        audit_record(
            actor=None,
            action="document.processed",
            obj=document,
            application=document.application,
            from_state=from_state,
            to_state=document.status,
            reason=document.rejection_code,
        )
    return document


def documents_stuck(*, older_than: timedelta) -> tuple[list[int], list[int]]:
    """Ids to re-queue and ids to give up on; marks the re-queued ones as queued now.

    Stuck means: ``uploaded`` and not queued since ``older_than`` (the broker was down
    or lost the message), or ``processing`` for longer than ``older_than`` (the worker
    died; ``older_than`` must exceed the task time limit).
    """
    now = timezone.now()
    cutoff = now - older_than
    stuck = Document.objects.filter(
        Q(status=Document.Status.UPLOADED, queued_at__lt=cutoff)
        | Q(status=Document.Status.UPLOADED, queued_at__isnull=True)
        | Q(status=Document.Status.PROCESSING, processing_started_at__lt=cutoff)
    )
    give_up = list(stuck.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True)[:1000])
    with transaction.atomic():
        requeue = list(
            stuck.filter(attempts__lt=MAX_ATTEMPTS)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:1000]
        )
        # Processing rows get a fresh start time too, so the next sweep waits again.
        Document.objects.filter(pk__in=requeue).update(queued_at=now)
        Document.objects.filter(pk__in=requeue, status=Document.Status.PROCESSING).update(processing_started_at=now)
    return requeue, give_up


# Files a worker wrote but never linked to a row (it died between writing and committing)
# are removed once they are this old: far beyond the task's hard time limit and an upload's
# write-then-insert, so no file still on its way to a row is touched.
ORPHAN_GRACE = timedelta(hours=6)
DOCUMENTS_ROOT = "documents"


def document_orphans_remove(*, older_than: timedelta = ORPHAN_GRACE) -> int:
    """Delete stored document files no Document row points at, older than ``older_than``.

    Walks the private storage's ``documents/`` tree one folder at a time (listdir, so it
    works on a file system and on object storage alike) and asks the database which of the
    folder's names are still referenced. Returns the number of files deleted.
    """
    storage = Document._meta.get_field("file").storage  # where the rows' files live
    cutoff = timezone.now() - older_than
    deleted = 0
    folders = [DOCUMENTS_ROOT]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        folders.extend(f"{folder}/{name}" for name in subfolders)
        names = [f"{folder}/{name}" for name in files]
        if not names:
            continue
        referenced = _referenced_names(names)
        for name in names:
            if name in referenced or storage.get_modified_time(name) >= cutoff:
                continue
            _delete_quietly(storage, [name])
            deleted += 1
    if deleted:
        logger.info("document orphans: %s unreferenced files removed", deleted)
    return deleted


def _referenced_names(names: list[str]) -> set[str]:
    """Which of ``names`` a row uses, as its upload, sanitised copy or thumbnail (one query)."""
    fields = ("file", "sanitised_file", "thumbnail")
    rows = Document.objects.filter(Q(file__in=names) | Q(sanitised_file__in=names) | Q(thumbnail__in=names))
    return {name for row in rows.values_list(*fields) for name in row} & set(names)
