from django.core.management.base import BaseCommand, CommandError

from eligibility.engine import CriteriaError, DefinitionError
from eligibility.management.commands._common import read_json
from eligibility.services import criteria_set_import


class Command(BaseCommand):
    help = "Import a criteria set from JSON as a new draft version (validated; nothing written on error)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--product", help="product to import into (default: the file's product)")
        parser.add_argument("--publish", action="store_true", help="publish it straight away")

    def handle(self, *args, **opts):
        data = read_json(opts["path"])
        try:
            cs = criteria_set_import(data=data, actor=None, product=opts["product"])
            if opts["publish"]:
                from eligibility.services import criteria_set_publish

                cs = criteria_set_publish(criteria_set=cs, actor=None)
        except DefinitionError as exc:
            raise CommandError(f"{opts['path']}: {exc}") from exc
        except CriteriaError as exc:
            raise CommandError(f"{opts['path']}:\n  " + "\n  ".join(str(i) for i in exc.issues)) from exc
        self.stdout.write(f"{cs.pk}\t{cs}")
