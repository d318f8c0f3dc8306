from django.core.management.base import BaseCommand

from portal.audit.seal import audit_seal


class Command(BaseCommand):
    help = "Seal the audit rows written since the last seal (the beat task does this every few seconds)."

    def handle(self, *args, **options) -> None:
        result = audit_seal()
        if result.busy:
            self.stdout.write("another sealer is running; nothing done")
            return
        for first, last in result.gaps:
            self.stdout.write(f"ids {first}-{last} never committed: gap accepted")
        self.stdout.write(
            self.style.SUCCESS(
                f"sealed {result.sealed} audit event(s); chain head at position {result.head_seq}"
                + (f"; {result.pending} waiting behind a recent gap" if result.pending else "")
            )
        )
