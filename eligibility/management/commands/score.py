import json

from django.core.management.base import BaseCommand, CommandError

from eligibility.engine import CriteriaDefinition, CriteriaError, DefinitionError, compile_criteria
from eligibility.management.commands._common import read_json
from eligibility.models import CriteriaSet
from eligibility.services import evaluator_for, reference_tables


class Command(BaseCommand):
    help = (
        "Score facts against a criteria set and print each result as JSON. CRITERIA is a criteria-set id "
        "or a JSON file; FACTS is a JSON file holding one object or a list of objects."
    )

    def add_arguments(self, parser):
        parser.add_argument("criteria")
        parser.add_argument("facts")
        parser.add_argument("--year", type=int, help="year of the scarce-professions rating and region flags")
        parser.add_argument("--brief", action="store_true", help="print only total and status")

    def handle(self, *args, **opts):
        ref = opts["criteria"]
        try:
            if ref.isdigit():
                cs = CriteriaSet.objects.filter(pk=int(ref)).first()
                if cs is None:
                    raise CommandError(f"no criteria set with id {ref}")
                evaluator = evaluator_for(cs, year=opts["year"])
            else:
                definition = CriteriaDefinition.from_dict(read_json(ref))
                evaluator = compile_criteria(definition, reference_tables(opts["year"]))
        except DefinitionError as exc:
            raise CommandError(f"{ref}: {exc}") from exc
        except CriteriaError as exc:
            raise CommandError(f"{ref}:\n  " + "\n  ".join(str(i) for i in exc.issues)) from exc

        facts = read_json(opts["facts"])
        many = isinstance(facts, list)
        results = []
        for item in facts if many else [facts]:
            result = evaluator.evaluate(item).to_dict()
            if opts["brief"]:
                result = {"total": result["total"], "status": result["status"]}
            results.append(result)
        self.stdout.write(json.dumps(results if many else results[0], ensure_ascii=False, indent=1))
