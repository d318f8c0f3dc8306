from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StayConfig(AppConfig):
    name = "applications.stay"
    label = "stay"
    verbose_name = _("Stay in Kazakhstan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from applications.stay import tasks  # noqa: F401 - beat tasks are found by name
