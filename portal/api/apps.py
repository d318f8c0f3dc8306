from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Cross-cutting REST machinery: tokens, errors, throttles, idempotency, schema."""

    name = "portal.api"
    label = "portal_api"
    verbose_name = _("REST API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.api import signals  # noqa: F401  (revocation on device removal, deactivation)
