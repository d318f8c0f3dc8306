"""Demo data for local use: one user per role (and, via later options, demo applications).

The passwords are fixed and printed here and in the README: for local demos only. The
command refuses to run unless DEBUG or PORTAL_DEMO_MODE is on, or --force is given.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from portal import roles
from portal.models import User

DEMO_USERS = [
    # (e-mail, role, staff, password): local demo only, never in production.
    ("applicant@demo.kz", roles.APPLICANT, False, "demo-Applicant-2026"),
    ("caseworker@demo.kz", roles.CASEWORKER, True, "demo-Caseworker-2026"),
    ("senior@demo.kz", roles.SENIOR_CASEWORKER, True, "demo-Senior-2026"),
    ("criteria@demo.kz", roles.CRITERIA_ADMIN, True, "demo-Criteria-2026"),
    # A second criteria admin: publishing a rating proposal needs another admin's approval.
    ("criteria2@demo.kz", roles.CRITERIA_ADMIN, True, "demo-Criteria2-2026"),
    ("auditor@demo.kz", roles.AUDITOR, True, "demo-Auditor-2026"),
    ("analyst@demo.kz", roles.ANALYST, True, "demo-Analyst-2026"),
]


class Command(BaseCommand):
    help = "Create demo users (one per role) for local use. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even when DEBUG and demo mode are off")
        parser.add_argument(
            "--applications",
            type=int,
            default=0,
            help="top the database up to N applications with demo ones (bulk, both products); safe to run again",
        )

    def handle(self, *args, force: bool, applications: int = 0, **options):
        if not (settings.DEBUG or settings.DEMO_MODE or force):
            raise CommandError("seed_demo creates accounts with published passwords: use --force to confirm.")
        created = []
        with transaction.atomic():
            for email, role, staff, password in DEMO_USERS:
                user, is_new = User.objects.get_or_create(
                    email=email, defaults={"is_staff": staff, "full_name": f"Demo {role.replace('_', ' ')}"}
                )
                if is_new:
                    user.set_password(password)
                    user.email_verified_at = user.date_joined
                    user.save()
                    created.append((email, role, password))
                user.groups.add(Group.objects.get(name=role))
        if created:
            self.stdout.write("Demo accounts (local use only):")
            for email, role, password in created:
                self.stdout.write(f"  {role:<18} {email:<22} {password}")
        else:
            self.stdout.write("Demo accounts already exist (passwords in README.md).")
        self._casework(applications)

    def _casework(self, applications: int) -> None:
        """Queues for the demo caseworker and senior, and N applications (issue 6)."""
        import time

        from applications.demo_seed import demo_queues, seed_applications

        demo_queues(
            list(User.objects.filter(email="caseworker@demo.kz")), list(User.objects.filter(email="senior@demo.kz"))
        )
        from applications.models import Application

        missing = applications - Application.objects.count()
        if missing > 0:
            started = time.monotonic()
            # The generated applicants' addresses are made up: their notifications are stored
            # (the pages show them) but not mailed, or `make run` would print hundreds of e-mails.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                seed_applications(missing, rng_seed=missing, stdout=self.stdout)
            self.stdout.write(f"Created {missing} demo applications in {time.monotonic() - started:.1f} s.")
