"""Publish (or revise) the statistics release of a month: ``manage.py statistics_release --month 2026-11``."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from applications.statistics.services import previous_month, release_compute, release_publish_due


class Command(BaseCommand):
    help = "Compute, protect and store the public statistics of a month (default: last month)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the previous calendar month)")
        parser.add_argument(
            "--if-missing", action="store_true", help="publish last month only if it is not out yet (make setup)"
        )

    def handle(self, *args, month: str | None = None, if_missing: bool = False, **options):
        if if_missing and not month:
            if release_publish_due() is None:
                self.stdout.write("last month's release is out already")
                return
            month = f"{previous_month():%Y-%m}"
            self.stdout.write(f"{month} published")
            return
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
