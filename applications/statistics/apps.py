from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "applications.statistics"
    label = "statistics"
    verbose_name = _("Open data")
    default_auto_field = "django.db.models.BigAutoField"
