"""manage.py create_api_token USER [--scope read|write] [--name N] [--days D]: print a new token once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.api.models import ApiToken
from portal.api.tokens import api_token_create


class Command(BaseCommand):
    help = "Create an API token for USER (e-mail address) and print it. It is stored only as a SHA-256 hash."

    def add_arguments(self, parser):
        parser.add_argument("user", help="the user's e-mail address")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        parser.add_argument("--name", default="", help="a label to recognise the token by")
        parser.add_argument("--days", type=int, default=0, help="expire after this many days (0: never)")

    def handle(self, *args, user: str, scope: str, name: str, days: int, **options):
        found = get_user_model().objects.filter(email__iexact=user.strip()).first()
        if found is None:
            raise CommandError(f"No user with e-mail address {user!r}.")
        if not found.is_active:
            raise CommandError(f"User {user!r} is inactive.")
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        _token, raw = api_token_create(user=found, scope=scope, name=name, expires_at=expires_at)
        self.stdout.write(raw)
