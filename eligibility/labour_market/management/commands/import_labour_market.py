from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eligibility.labour_market.imports import DEFAULT_LONG_OPEN_DAYS, labour_market_import


class Command(BaseCommand):
    help = "Import labour-market indicators from a CSV or XLSX file (docs/labour-market.md) as a new version."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--long-open-days", type=int, default=DEFAULT_LONG_OPEN_DAYS)

    def handle(self, *args, path: str, long_open_days: int, **opts):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        report = labour_market_import(data, file_name=Path(path).name, long_open_days=long_open_days, source="command")
        if not report.ok:
            shown = [str(e) for e in report.errors[:50]]
            more = len(report.errors) - len(shown)
            raise CommandError(
                "nothing imported:\n  " + "\n  ".join(shown) + (f"\n  … and {more} more" if more else "")
            )
        if report.data_import is None:
            raise CommandError("nothing imported")
        self.stdout.write(f"imported version {report.data_import.version}: {report.data_import.row_count} rows")
