"""manage.py create_api_token USER [--scope read|write] [--name N] [--days D]: print a new token once.

Staff users (any staff role, is_staff or is_superuser) need a confirmed TOTP device; their
token expires after --days, at most and by default API_STAFF_TOKEN_MAX_DAYS (docs/security.md)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from portal.api.models import ApiToken
from portal.api.tokens import TokenRefused, api_token_create, is_staff_token_user


class Command(BaseCommand):
    help = "Create an API token for USER (e-mail address) and print it. It is stored only as a SHA-256 hash."

    def add_arguments(self, parser):
        parser.add_argument("user", help="the user's e-mail address")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        parser.add_argument("--name", default="", help="a label to recognise the token by")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="expire after this many days (0: never; staff: at most and by default API_STAFF_TOKEN_MAX_DAYS)",
        )

    def handle(self, *args, user: str, scope: str, name: str, days: int | None, **options):
        found = get_user_model().objects.filter(email__iexact=user.strip()).first()
        if found is None:
            raise CommandError(f"No user with e-mail address {user!r}.")
        if not found.is_active:
            raise CommandError(f"User {user!r} is inactive.")
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        staff = is_staff_token_user(found)
        if staff and days == 0:
            raise CommandError(
                f"Staff tokens must expire: give --days up to {settings.API_STAFF_TOKEN_MAX_DAYS}, or leave it out."
            )
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            with translation.override("en"):  # the command's other messages are English too
                token, raw = api_token_create(user=found, scope=scope, name=name, expires_at=expires_at)
        except TokenRefused as exc:
            raise CommandError(str(exc.message)) from exc
        if token.expires_at is not None:
            self.stderr.write(f"Expires {token.expires_at:%Y-%m-%d %H:%M} UTC.")
        self.stdout.write(raw)
