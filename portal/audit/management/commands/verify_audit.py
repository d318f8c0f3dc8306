from django.core.management.base import BaseCommand, CommandError

from portal.audit.seal import audit_seal
from portal.audit.verify import audit_verify


class Command(BaseCommand):
    help = (
        "Seal what is pending, then check the audit trail's keyed hash chain against the signed "
        "checkpoints; exit non-zero if any entry was changed, removed, inserted or reordered."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-seal", action="store_true", help="check only, do not seal pending rows first")

    def handle(self, *args, **options) -> None:
        if not options["no_seal"]:
            audit_seal()
        report = audit_verify()
        for problem in report.problems:
            where = f"audit event {problem.event_id}" if problem.event_id is not None else "audit trail"
            self.stderr.write(f"{where}: {problem.problem}")
        if report.problems:
            raise CommandError(
                f"audit trail tampered: {len(report.problems)} problem(s) in {report.checked} entries checked"
            )
        pending = ""
        if report.pending:
            pending = f", {report.pending} not sealed yet (oldest written {report.oldest_pending_at:%Y-%m-%d %H:%M:%S})"
        self.stdout.write(self.style.SUCCESS(f"audit trail intact: {report.checked} entries checked{pending}"))
