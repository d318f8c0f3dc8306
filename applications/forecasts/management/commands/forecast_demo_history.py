from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from applications.forecasts.models import DemoWeeklySubmissions
from applications.forecasts.services import demo_history_generate


class Command(BaseCommand):
    help = "Write SYNTHETIC weekly submissions (demo only) so a fresh demo has enough history to forecast."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--weeks", type=int, default=156)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="do nothing if demo weeks exist")
        parser.add_argument("--force", action="store_true", help="run even without DEBUG or PORTAL_DEMO_MODE")

    def handle(self, *args, **options) -> None:
        # Made-up weeks must never reach a real deployment's forecasts (as seed_demo).
        if not (settings.DEBUG or settings.DEMO_MODE or options["force"]):
            raise CommandError("Synthetic demo history is for demos: set PORTAL_DEMO_MODE=1 or pass --force.")
        if options["if_empty"] and DemoWeeklySubmissions.objects.exists():
            self.stdout.write("Synthetic demo history already present.")
            return
        written = demo_history_generate(weeks=options["weeks"], seed=options["seed"])
        self.stdout.write(f"Wrote {written} SYNTHETIC demo weeks (not real submissions).")
