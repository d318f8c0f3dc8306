from pathlib import Path

from django.core.management.base import BaseCommand

from eligibility.management.commands._common import read_json
from eligibility.models import CriteriaSet
from eligibility.services import criteria_set_import, criteria_set_publish

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEEDS = {"kandas_card": "kandas_card_example.json", "skills_visa": "skills_visa_example.json"}


class Command(BaseCommand):
    help = "Create and publish the example criteria sets for both products (skipped if a set exists)."

    def handle(self, *args, **opts):
        for product, name in SEEDS.items():
            if CriteriaSet.objects.filter(product=product).exists():
                self.stdout.write(f"{product}: criteria already present, skipped")
                continue
            cs = criteria_set_import(data=read_json(str(FIXTURES / name)), actor=None, product=product)
            cs = criteria_set_publish(criteria_set=cs, actor=None)
            self.stdout.write(f"{product}: published {cs}")
