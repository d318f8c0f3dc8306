"""Import a border-service export of entries and exits (CSV, format in docs/stay.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from applications.stay.services import BorderImportInvalid, border_records_import


class Command(BaseCommand):
    help = "Import border records from a CSV export; nothing is saved unless every row is valid."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            batch = border_records_import(data=data, source_name=path.name)
        except BorderImportInvalid as exc:
            for problem in exc.problems:
                where = f"row {problem.row}" if problem.row else "file"
                column = f", column {problem.column}" if problem.column else ""
                self.stderr.write(f"{where}{column}: {problem.message}")
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was imported.") from exc
        self.stdout.write(f"{batch.created} records added, {batch.skipped} already recorded.")
