from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # Modules that register their workflow steps, checks and Celery tasks by being loaded.
        from applications import products, tasks  # noqa: F401 - Celery tasks
        from applications.cards import checks  # noqa: F401 - registers the card signing checks
        from applications.cards import services as card_services  # noqa: F401 - the "issue_card" step
        from applications.casework import queues, quotas  # noqa: F401 - workflow steps
        from applications.casework.quotas import quota_overview, quota_uptake
        from applications.employers import services as employer_services  # noqa: F401 - "request_offer"
        from applications.scoring import tasks as scoring_tasks
        from applications.scoring.admin import rescore_view
        from eligibility import hooks

        products.load()  # the product declarations, before any request or criteria check reads them

        # Eligibility's admin and API act on applications only through these (eligibility/hooks.py).
        hooks.provide(
            rescore_view=rescore_view,
            impact_request=scoring_tasks.impact_request,
            quota_overview=quota_overview,
            quota_uptake=quota_uptake,
        )
