from django.core.management.base import BaseCommand

from applications.forecasts.services import forecasts_refit


class Command(BaseCommand):
    help = "Refit every forecast series (each product nationally and per region) and print the time taken."

    def handle(self, *args, **options) -> None:
        run = forecasts_refit()
        self.stdout.write(
            f"Forecast run {run.pk}: {run.fitted_count} of {run.series_count} series fitted "
            f"in {run.duration_seconds:.2f} s (history before {run.history_end})"
            + (" [includes SYNTHETIC demo history]" if run.includes_demo_history else "")
        )
