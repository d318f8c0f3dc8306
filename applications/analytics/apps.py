from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "applications.analytics"
    label = "analytics"
    verbose_name = _("Analytics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the workflow observer and the self-check receiver by being loaded.
        from applications.analytics import services  # noqa: F401
