from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from applications import products
        from applications.cards import checks  # noqa: F401 - registers the card signing checks

        products.load()  # the product declarations, before any request or criteria check reads them
