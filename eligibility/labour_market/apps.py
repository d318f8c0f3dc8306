from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourMarketConfig(AppConfig):
    name = "eligibility.labour_market"
    label = "labour_market"
    verbose_name = _("Labour market")
    default_auto_field = "django.db.models.BigAutoField"
