"""Recompute the analytics tables from the raw cases and the audit trail (backfill, repair)."""

from django.core.management.base import BaseCommand

from applications.analytics.services import analytics_rebuild


class Command(BaseCommand):
    help = "Recompute every analytics counter from the cases and the audit trail (self-check runs are kept)."

    def handle(self, *args, **options):
        counts = analytics_rebuild()
        self.stdout.write(
            f"Analytics rebuilt: {counts['flows']} flow rows, {counts['stages']} stage-duration rows, "
            f"{counts['sla']} SLA rows, {counts['clocks']} stage clocks."
        )
