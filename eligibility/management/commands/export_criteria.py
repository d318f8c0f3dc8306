import json

from django.core.management.base import BaseCommand, CommandError

from eligibility.models import CriteriaSet
from eligibility.services import criteria_set_export


class Command(BaseCommand):
    help = "Print a criteria set as JSON (format eligibility.criteria/1), or write it to --output."

    def add_arguments(self, parser):
        parser.add_argument("criteria_set_id", type=int)
        parser.add_argument("--output", "-o", help="file to write instead of standard output")

    def handle(self, *args, **opts):
        cs = CriteriaSet.objects.filter(pk=opts["criteria_set_id"]).first()
        if cs is None:
            raise CommandError(f"no criteria set with id {opts['criteria_set_id']}")
        text = json.dumps(criteria_set_export(cs), ensure_ascii=False, indent=1) + "\n"
        if opts["output"]:
            with open(opts["output"], "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(f"wrote {cs} to {opts['output']}")
        else:
            self.stdout.write(text, ending="")
