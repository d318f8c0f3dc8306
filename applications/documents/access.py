"""Access gate for documents: owner, or staff who may see the case and its documents; else 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from applications.access import staff_can_see
from applications.models import Document

VIEW_DOCUMENT = "applications.view_document"
VIEW_ORIGINAL = "applications.view_original_document"


def document_for(user: Any, pk: int, *, original: bool = False) -> Document:
    """The document ``pk`` if ``user`` may see it (its unsanitised original, with ``original``).

    - nobody signed in: 404;
    - originals: only holders of ``view_original_document`` (seniors), owner included,
      because the original may carry what sanitising removes (GPS, scripts' leftovers);
    - the owner of the application;
    - staff who can see the case (applications.access) and hold ``view_document``
      (auditors see cases but not document contents unless granted);
    - anyone else: 404, as if the document did not exist.
    """
    if user is None or not user.is_authenticated:
        raise Http404
    document = Document.objects.select_related("application").filter(pk=pk).first()
    if document is None:
        raise Http404
    if original and not user.has_perm(VIEW_ORIGINAL):
        raise _refused(user, document, "original_without_permission")
    if document.application.owner_id == user.pk:
        return document
    if user.has_perm(VIEW_DOCUMENT) and staff_can_see(user, document.application):
        return document
    raise _refused(user, document, "not_owner_or_staff")


def _refused(user: Any, document: Document, reason: str) -> Http404:
    """The document exists: record the refusal in the security log, answer 404 all the same."""
    from portal.security_log import access_refused

    access_refused(user=user, obj=document, reason=reason)
    return Http404()


def is_staff_view(user: Any, document: Document) -> bool:
    """A view by anyone but the owner is a staff view, and is audited."""
    return document.application.owner_id != user.pk
