from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eligibility.rating import rating_export, rating_import


class Command(BaseCommand):
    help = "Import (--import FILE) or export (default, to stdout) the scarce-professions rating as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--import", dest="import_path")
        parser.add_argument("--year", type=int)

    def handle(self, *args, **opts):
        if opts["import_path"]:
            report = rating_import(Path(opts["import_path"]).read_text(encoding="utf-8"))
            if not report.ok:
                raise CommandError("nothing imported:\n  " + "\n  ".join(str(e) for e in report.errors or []))
            self.stdout.write(f"created {report.created}, updated {report.updated}")
        else:
            self.stdout.write(rating_export(opts["year"]), ending="")
