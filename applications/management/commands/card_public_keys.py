"""Print the public keys cards verify with, in the keys-file format verify_card reads."""

from django.core.management.base import BaseCommand

from applications.cards.signing import public_key_text, trusted_public_keys


class Command(BaseCommand):
    help = "Print 'key-id=base64' lines of every trusted public key (publish them for offline checks)."
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        for kid, key in sorted(trusted_public_keys().items()):
            self.stdout.write(f"{kid}={public_key_text(key)}")
