"""Writes of the document pipeline: accepting an upload and processing it.

``document_upload`` refuses what can be judged from the first bytes (empty, too large,
wrong type, duplicate, over the application's total) before anything is stored; the
rest is judged by ``document_process`` in a Celery worker, which calls the same
``process_document`` core as ``manage.py process_file``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from applications.models import Application, Document
from applications.states import State
from portal.audit.record import audit_record
from portal.queueing import enqueue_on_commit

from . import detect, names, reasons
from .combine import CombineError, combine_pages
from .policy import APPLICATION_MAX_BYTES, pages_max, pages_max_bytes, policy_for
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
    if names.name_refused(uploaded.name, policy.allowed_types):
        raise UploadRefused(reasons.NAME_NOT_ALLOWED)
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
    as_page: bool = False,
    replaces: Document | None = None,
) -> Document:
    """Store one uploaded file for ``application`` and queue its processing.

    The caller has checked that ``actor`` may add documents to ``application``.
    Refusals raise ``UploadRefused`` and store nothing. The Document row is committed
    first and the task queued on commit: if the broker is down the row waits in
    ``uploaded`` for ``document_sweep``.

    ``as_page``: the file is the next page of its kind (the applicant's documents page),
    within the page-count and total-size limits of a kind (settings ``DOCUMENT_PAGES_*``);
    ``replaces`` is the page it will replace, whose place in the order it takes.
    """
    # Stored without control or bidi characters: the name is shown to caseworkers.
    original_name = names.display_name((uploaded.name or "").rsplit("/", 1)[-1])
    inspection = _inspect_upload(uploaded, kind, content_type)
    with transaction.atomic():
        # Lock the case so two parallel uploads cannot both pass the total/duplicate checks.
        Application.objects.select_for_update().only("pk").get(pk=application.pk)
        # Combined PDFs are derived from pages already counted: not uploads.
        live = Document.objects.filter(application=application, combined_key="").exclude(
            status=Document.Status.REJECTED
        )
        if live.filter(sha256=inspection.sha256).exists():
            raise UploadRefused(reasons.DUPLICATE)
        total = live.aggregate(total=Sum("size"))["total"] or 0
        if total + inspection.size > APPLICATION_MAX_BYTES:
            raise UploadRefused(reasons.APPLICATION_TOTAL_TOO_LARGE)
        page = _next_page(application, kind, inspection.size, replaces) if as_page else None
        document = Document(
            application=application,
            kind=kind,
            original_name=original_name,
            size=inspection.size,
            sha256=inspection.sha256,
            detected_type=inspection.detected_type,
            status=Document.Status.UPLOADED,
            page=page,
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
                    snapshot={
                        "kind": kind,
                        "size": inspection.size,
                        "sha256": inspection.sha256,
                        **({"page": page} if page is not None else {}),
                    },
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


def _next_page(application: Application, kind: str, size: int, replaces: Document | None) -> int:
    """The place of a new page of ``kind``, after the limits; the caller holds the case lock."""
    pages = Document.objects.filter(application=application, kind=kind, page__isnull=False, combined_key="")
    live = pages.exclude(status=Document.Status.REJECTED)
    if replaces is not None:
        live = live.exclude(pk=replaces.pk)
    counted = live.aggregate(count=Count("pk"), total=Sum("size"))
    if counted["count"] >= pages_max():
        raise UploadRefused(reasons.TOO_MANY_PAGE_FILES)
    if (counted["total"] or 0) + size > pages_max_bytes():
        raise UploadRefused(reasons.PAGES_TOTAL_TOO_LARGE)
    if replaces is not None and replaces.page is not None:
        return replaces.page
    return (pages.aggregate(last=Max("page"))["last"] or 0) + 1


def document_process(*, document_id: int, claim: str | None = None) -> Document:
    """Validate and sanitise one document; safe to run twice or in parallel.

    A ready or rejected document is returned untouched. ``claim`` names the caller (the
    Celery task id): the row is claimed with a lease that this process renews while it
    works, and a second task finding a live lease held by another claim leaves the row
    alone. The same claim arriving again means its message was redelivered after its
    worker died, so it takes the row over at once. Outputs are written to storage under
    names derived from the document first, with a small result record written last; a
    redelivered task that finds that record finishes from it instead of decoding again.
    One transaction then re-locks the row and, only if nobody finished it meanwhile,
    points it at the outputs and flips the status. A worker killed at any point leaves
    the row in ``processing`` (never half-written) for the sweep to hand on.
    """
    claim = claim or uuid.uuid4().hex
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status in (Document.Status.READY, Document.Status.REJECTED):
            return document
        now = timezone.now()
        if (
            document.status == Document.Status.PROCESSING
            and document.processing_claim not in ("", claim)
            and document.lease_expires_at is not None
            and document.lease_expires_at > now
        ):
            logger.info("document %s is held by a live task, not doubled", document_id)
            return document
        document.status = Document.Status.PROCESSING
        document.attempts += 1
        document.processing_started_at = now
        document.processing_claim = claim
        document.lease_expires_at = now + _lease()
        document.save(
            update_fields=[
                "status",
                "attempts",
                "processing_started_at",
                "processing_claim",
                "lease_expires_at",
                "updated_at",
            ]
        )

    with _lease_kept(document_id, claim):
        names = _output_names(document)
        result = _stored_result(document, names)
        if result is None:
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
            _write_outputs(document, result, names)
        return _finish(document_id, result, names)


def _lease() -> timedelta:
    return timedelta(seconds=settings.DOCUMENT_LEASE_SECONDS)


class _lease_kept:
    """Renew the row's lease every third of its length while the body runs.

    A thread of its own, so that a long decode in C (Pillow holds the GIL only in
    between) does not stop the renewals; it stops at the end of the body and closes its
    database connection. A killed worker renews nothing: its lease runs out.
    """

    def __init__(self, document_id: int, claim: str) -> None:
        self.document_id = document_id
        self.claim = claim
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew, name=f"lease-{document_id}", daemon=True)

    def __enter__(self) -> None:
        self._thread.start()

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _renew(self) -> None:
        try:
            while not self._stop.wait(settings.DOCUMENT_LEASE_SECONDS / 3):
                Document.objects.filter(
                    pk=self.document_id, status=Document.Status.PROCESSING, processing_claim=self.claim
                ).update(lease_expires_at=timezone.now() + _lease())
        except Exception:  # a missed renewal only risks a duplicate run, which _finish absorbs
            logger.exception("document %s: lease renewal failed", self.document_id)
        finally:
            db_connection.close()


@dataclass(frozen=True)
class _OutputNames:
    sanitised: str
    thumbnail: str
    record: str


def _output_names(document: Document) -> _OutputNames:
    """Where this document's outputs go: the same names on every attempt, so a redelivered
    task finds what an earlier attempt stored. The random part is fixed per document (its
    upload's stored name), so names are not guessable from the id."""
    token = hashlib.sha256(f"{document.pk}:{document.file.name}".encode()).hexdigest()
    stem = f"documents/sanitised/{token[:2]}/{token[2:34]}"
    return _OutputNames(sanitised=stem, thumbnail=f"{stem}-thumb", record=f"{stem}-result.json")


_RECORD_FIELDS = (
    "accepted",
    "reason",
    "size",
    "sha256_original",
    "detected_type",
    "width",
    "height",
    "pages",
    "orientation",
    "stripped",
    "sanitised_type",
    "sanitised_width",
    "sanitised_height",
    "sha256_sanitised",
    "mrz",
)


def _stored_result(document: Document, names: _OutputNames) -> ProcessResult | None:
    """The result an earlier attempt stored completely (its record is written last), or None."""
    storage = document.file.storage
    try:
        if not storage.exists(names.record):
            return None
        with storage.open(names.record, "rb") as handle:
            record = json.loads(handle.read())
        # Records written before the MRZ reader existed have no "mrz".
        result = ProcessResult(**{key: record[key] for key in _RECORD_FIELDS if key != "mrz"}, mrz=record.get("mrz"))
    except (OSError, ValueError, KeyError, TypeError):
        logger.warning("document %s: unreadable stored result, processing again", document.pk)
        return None
    if result.accepted and not storage.exists(names.sanitised):
        return None
    logger.info("document %s: finishing from the outputs an earlier attempt stored", document.pk)
    return result


def _write_outputs(document: Document, result: ProcessResult, names: _OutputNames) -> None:
    storage = document.file.storage
    outputs = []
    if result.accepted and result.sanitised is not None:
        outputs.append((names.sanitised, result.sanitised))
        if result.thumbnail is not None:
            outputs.append((names.thumbnail, result.thumbnail))
    record = {key: getattr(result, key) for key in _RECORD_FIELDS}
    outputs.append((names.record, json.dumps(record).encode()))
    for name, data in outputs:
        # A partial file from an attempt that died mid-write: replace it, keep the name.
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(data))
        if saved != name:  # a parallel attempt wrote it in between: same bytes, keep one
            storage.delete(saved)


def _finish(document_id: int, result: ProcessResult, names: _OutputNames) -> Document:
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        storage = document.file.storage
        if document.status in (Document.Status.READY, Document.Status.REJECTED):
            # Another task finished first (the sweep re-queued a slow one): its outputs are
            # the same names; only the result record is left to remove.
            transaction.on_commit(lambda: _delete_quietly(storage, [names.record]))
            return document
        from_state = document.status
        document.detected_type = result.detected_type or document.detected_type
        document.width = result.width
        document.height = result.height
        document.pages = result.pages
        document.stripped = list(result.stripped)
        document.mrz = result.mrz or {}
        document.processed_at = timezone.now()
        document.processing_claim = ""
        document.lease_expires_at = None
        if result.accepted:
            document.status = Document.Status.READY
            document.rejection_code = ""
            document.sanitised_sha256 = result.sha256_sanitised or ""
            document.sanitised_type = result.sanitised_type or ""
            document.sanitised_file.name = names.sanitised
            document.thumbnail.name = names.thumbnail if storage.exists(names.thumbnail) else ""
        else:
            document.status = Document.Status.REJECTED
            document.rejection_code = result.reason or reasons.PROCESSING_FAILED
        document.save()
        if document.page is not None and document.application.state != State.DRAFT:
            # A page finished after submission: its kind may now be complete.
            enqueue_on_commit("applications.document_pages_combine", document.application_id, document.kind)
        audit_record(
            actor=None,
            action="document.processed",
            obj=document,
            application=document.application,
            from_state=from_state,
            to_state=document.status,
            reason=document.rejection_code,
            snapshot={
                "stripped": document.stripped,
                "pages": document.pages,
                **({"mrz_valid": bool(document.mrz.get("valid"))} if document.mrz else {}),
            },
        )
        # The record only bridges a death between storing and committing.
        transaction.on_commit(lambda: _delete_quietly(storage, [names.record]))
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
    """Ids to re-queue and ids to give up on; hands the re-queued ones back as "uploaded".

    Stuck means: ``uploaded`` and not queued since ``older_than`` (the broker was down or
    lost the message), or ``processing`` with its lease run out (the worker died: a live
    task renews its lease). Rows claimed before leases existed fall back to
    ``processing_started_at`` older than ``older_than``.
    """
    now = timezone.now()
    cutoff = now - older_than
    processing = Q(status=Document.Status.PROCESSING)
    stuck = Document.objects.filter(
        Q(status=Document.Status.UPLOADED, queued_at__lt=cutoff)
        | Q(status=Document.Status.UPLOADED, queued_at__isnull=True)
        | (processing & Q(lease_expires_at__lt=now))
        | (processing & Q(lease_expires_at__isnull=True, processing_started_at__lt=cutoff))
    )
    give_up = list(stuck.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True)[:1000])
    with transaction.atomic():
        requeue = list(
            stuck.filter(attempts__lt=MAX_ATTEMPTS)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:1000]
        )
        # Back to "uploaded" with no claim: the new task claims it afresh, and the next
        # sweep waits ``older_than`` from now before queueing it again.
        Document.objects.filter(pk__in=requeue).update(
            status=Document.Status.UPLOADED, queued_at=now, processing_claim="", lease_expires_at=None
        )
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


def document_pages_queue(application: Application) -> list[str]:
    """Queue the combining of every kind of ``application`` that has several pages (on commit).

    Called at submission; a page still being checked then queues its kind again when it
    finishes, and ``document_sweep`` catches what a lost message left. Returns the kinds.
    """
    kinds = list(
        Document.objects.filter(application=application, page__isnull=False, combined_key="")
        .exclude(status=Document.Status.REJECTED)
        .values("kind")
        .annotate(count=Count("pk"))
        .filter(count__gte=2)
        .values_list("kind", flat=True)
    )
    for kind in kinds:
        enqueue_on_commit("applications.document_pages_combine", application.pk, kind)
    return kinds


def _pages_key(pages: list[Document]) -> str:
    """A digest of the pages in order: the same pages give the same key on every attempt."""
    return hashlib.sha256("\n".join(f"{p.pk}:{p.sanitised_sha256}" for p in pages).encode()).hexdigest()


def document_pages_combine(*, application_id: int, kind: str) -> Document | None:
    """Combine the pages of one kind of a submitted application into one PDF; idempotent.

    Does nothing (returns None) while the application is a draft (pages may still change),
    while a page is still being checked (its finish queues this again), or for fewer than
    two accepted pages. Pages are only read, never changed, until the last transaction: a
    crash at any point leaves them as they were and the PDF absent, and the retry (same
    pages, same key) writes the same file name again. That transaction locks the case,
    finds an earlier run's PDF for the same pages if a parallel run finished first, or else
    creates (or replaces) the kind's combined Document, links its pages and audits it.
    """
    application = Application.objects.only("pk", "state", "reference").get(pk=application_id)
    if application.state == State.DRAFT:
        return None
    pages = list(
        Document.objects.filter(application_id=application_id, kind=kind, page__isnull=False, combined_key="")
        .exclude(status=Document.Status.REJECTED)
        .order_by("page", "pk")
    )
    if len(pages) < 2 or any(p.status != Document.Status.READY for p in pages):
        return None
    key = _pages_key(pages)
    combined_rows = Document.objects.filter(application_id=application_id, kind=kind).exclude(combined_key="")
    existing = combined_rows.first()
    if existing is not None and existing.combined_key == key:
        return existing

    storage = Document._meta.get_field("file").storage
    parts = []
    for page in pages:
        with storage.open(page.sanitised_file.name, "rb") as handle:
            parts.append((handle.read(), page.sanitised_type))
    # Each page file is already within its kind's page limit; this bounds the whole.
    policy = policy_for(kind)
    try:
        combined = combine_pages(parts, max_pages=policy.max_pages * pages_max())
    except CombineError:
        # The pages stay and the caseworker sees them one by one; nothing to retry.
        logger.exception("document pages of application %s (%s) could not be combined", application_id, kind)
        return None
    token = hashlib.sha256(f"{application_id}:{kind}:{key}:{pages[0].file.name}".encode()).hexdigest()
    name = f"documents/combined/{token[:2]}/{token[2:34]}"
    if storage.exists(name):  # a partial file from an attempt that died mid-write
        storage.delete(name)
    saved = storage.save(name, ContentFile(combined.data))
    if saved != name:  # a parallel attempt wrote it in between: same bytes, keep one
        storage.delete(saved)

    with transaction.atomic():
        Application.objects.select_for_update().only("pk").get(pk=application_id)
        document = combined_rows.select_for_update().first()
        if document is not None and document.combined_key == key:
            return document  # a parallel run finished first, with the same file name
        replaced = document.file.name if document is not None else ""
        from_state = document.status if document is not None else ""
        document = document or Document(application_id=application_id, kind=kind)
        document.original_name = f"{application.reference or application_id}-{len(pages)}.pdf"
        document.file.name = document.sanitised_file.name = name
        document.size = len(combined.data)
        document.sha256 = document.sanitised_sha256 = combined.sha256
        document.detected_type = document.sanitised_type = detect.PDF
        document.status = Document.Status.READY
        document.pages = combined.pages
        document.combined_key = key
        document.processed_at = timezone.now()
        document.save()
        Document.objects.filter(pk__in=[p.pk for p in pages]).update(combined_into=document)
        audit_record(
            actor=None,
            action="document.combined",
            obj=document,
            application=application,
            from_state=from_state,
            to_state=document.status,
            snapshot={"kind": kind, "page_files": [p.pk for p in pages], "pages": combined.pages},
        )
        if replaced and replaced != name:
            transaction.on_commit(lambda: _delete_quietly(storage, [replaced]))
    return document


def document_pages_stuck(*, limit: int = 200) -> list[tuple[int, str]]:
    """(application id, kind) of submitted applications with several accepted pages not yet
    combined: the message queued at submission or by the last page was lost."""
    return list(
        Document.objects.filter(
            page__isnull=False, combined_key="", combined_into__isnull=True, status=Document.Status.READY
        )
        .exclude(application__state=State.DRAFT)
        .values("application_id", "kind")
        .annotate(count=Count("pk"))
        .filter(count__gte=2)
        .order_by()
        .values_list("application_id", "kind")[:limit]
    )
