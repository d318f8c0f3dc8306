"""manage.py revoke_api_token PREFIX: revoke every active token starting with PREFIX."""

from django.core.management.base import BaseCommand, CommandError

from portal.api.models import ApiToken
from portal.api.tokens import api_token_revoke


class Command(BaseCommand):
    help = "Revoke API tokens by their prefix (the first 10 characters, shown in the admin)."

    def add_arguments(self, parser):
        parser.add_argument("prefix")

    def handle(self, *args, prefix: str, **options):
        if len(prefix) < 6:
            raise CommandError("Give at least 6 characters of the token.")
        tokens = list(ApiToken.objects.filter(prefix=prefix[:10], revoked_at__isnull=True))
        if not tokens:
            raise CommandError("No active token with this prefix.")
        for token in tokens:
            api_token_revoke(token=token, actor=None)
        self.stdout.write(f"Revoked {len(tokens)} token(s).")
