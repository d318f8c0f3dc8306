from applications.models.application import Application, ReferenceCounter
from applications.models.audit import AuditEvent
from applications.models.documents import Document
from applications.models.notifications import Notification

__all__ = ["Application", "AuditEvent", "Document", "Notification", "ReferenceCounter"]
