from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "portal.audit"
    label = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.audit import (
            seal,  # noqa: F401 - registers the sealer used after commit on SQLite
            tasks,  # noqa: F401 - "audit.verify" is queued by name (portal.queueing)
        )
