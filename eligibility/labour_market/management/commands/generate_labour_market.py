from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from eligibility.labour_market.imports import labour_market_import
from eligibility.labour_market.synthetic import PLANTED_NATIONAL, PLANTED_REGIONAL, synthetic_csv
from eligibility.models import Occupation


class Command(BaseCommand):
    help = (
        "Generate a seeded synthetic labour-market dataset (all regions, all unit groups) and import it "
        "as a new version, or write it to --output. Planted shortages: docs/labour-market.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--end-year", type=int, help="last data year (default: last year)")
        parser.add_argument("--output", help="write the CSV here instead of importing it")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when an import exists")

    def handle(self, *args, seed: int, years: int, end_year: int | None, output: str | None, if_empty: bool, **o):
        from eligibility.labour_market.models import LabourMarketImport

        if not 2 <= years <= 20:
            raise CommandError("--years must be from 2 to 20 (growth needs two years)")
        if if_empty and LabourMarketImport.objects.exists():
            self.stdout.write("labour-market data already imported")
            return
        end = end_year or timezone.localdate().year - 1
        codes = list(Occupation.objects.values_list("code", flat=True))
        data = synthetic_csv(codes, seed=seed, years=years, end_year=end)
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"wrote {output}")
            return
        report = labour_market_import(
            data, file_name=f"synthetic-seed{seed}-{end - years + 1}-{end}.csv", source=f"synthetic, seed {seed}"
        )
        if not report.ok or report.data_import is None:
            raise CommandError("\n".join(str(e) for e in report.errors[:20]))
        self.stdout.write(
            f"imported version {report.data_import.version}: {report.data_import.row_count} rows; planted "
            f"shortages {', '.join(PLANTED_NATIONAL)} (national), "
            + ", ".join(f"{c} in {r}" for c, r in PLANTED_REGIONAL)
        )
