"""Publish (or revise) the statistics release of a month: ``manage.py statistics_release --month 2026-11``."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from applications.statistics.services import previous_month, release_compute


class Command(BaseCommand):
    help = "Compute, protect and store the public statistics of a month (default: last month)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the previous calendar month)")

    def handle(self, *args, month: str | None = None, **options):
        if month:
            try:
                year, number = (int(part) for part in month.split("-"))
                period = date(year, number, 1)
            except ValueError as exc:
                raise CommandError(f"--month must be YYYY-MM, got {month!r}") from exc
        else:
            period = previous_month()
        release = release_compute(period=period)
        hidden = release.cells.filter(value__isnull=True).count()
        total = release.cells.count()
        self.stdout.write(f"{release.period:%Y-%m} revision {release.revision}: {total} figures, {hidden} not shown")
