from django.core.management.base import BaseCommand, CommandError

from applications.audit_verify import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit non-zero if any entry was changed, removed or inserted."

    def handle(self, *args, **options) -> None:
        checked, problems = audit_chain_verify()
        for problem in problems:
            self.stderr.write(f"audit event {problem.event_id}: {problem.problem}")
        if problems:
            raise CommandError(f"audit trail tampered: {len(problems)} problem(s) in {checked} entries checked")
        self.stdout.write(self.style.SUCCESS(f"audit trail intact: {checked} entries checked"))
